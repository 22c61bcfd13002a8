"""Transforms specific to MLM."""
from __future__ import annotations

import re

from . import structural, value_transform

# \s as the schema's (ECMA-262) class: Python's also matches the separators \x1c-\x1f and \x85
WS = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_BAD = re.compile(f"[^a-zA-Z0-9_.\\-{WS}]+")
_LEADING = re.compile(r"^[^a-zA-Z]+")
_TRAILING = re.compile(r"[^a-zA-Z0-9]+$")


@value_transform("mlm-name", lossy="model names are reduced to the characters mlm:name allows")
def mlm_name(value):
    """Any title or id -> a string matching ^[a-zA-Z][a-zA-Z0-9_.\\-\\s]+[a-zA-Z0-9]$."""
    text = _BAD.sub("-", str(value)).strip()
    text = _TRAILING.sub("", _LEADING.sub("", text))
    if len(text) < 3:
        text = ("model-" + text) if text else "model"
    return text


# the MLM schema's patterns, with \d spelt [0-9], \s as WS and $ as \Z (ECMA-262 matching)
PATTERNS = {  # field: (pivot name, pattern)
    "mlm:framework_version": ("framework_version", re.compile(
        r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-((?:0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*)"
        r"(?:\.(?:0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?\Z")),
    # a framework not in MLM's list: no leading or trailing space, dot, _ or -, no line break
    "mlm:framework": ("framework", re.compile(f"(?=[^{WS}._\\-])[^\n\r\u2028\u2029]*[^{WS}._\\-]\\Z")),
}


@structural("mlm-patterns")
class Patterns:
    """A value carried from another extension that MLM's pattern refuses (a DLM framework version
    such as 'latest', a framework name ending in a dot): a problem, or with fill_required left out
    (reported with its target)."""
    write = staticmethod(lambda ctx, rule: None)  # checked once the output is complete

    @staticmethod
    def finish(ctx, rule) -> None:
        props = ctx.out.get("properties")
        if ctx.type != "Feature" or type(props) is not dict or ctx.pivot.source[0] == ctx.table.name:
            return
        for field, (pivot_name, pattern) in PATTERNS.items():
            if field not in props or (type(props[field]) is str and pattern.match(props[field])):
                continue
            target = f"/properties/{field}"
            if ctx.fill_required:
                ctx.loss(ctx.pivot.origin.get(pivot_name, ""), "dropped", props.pop(field),
                         f"not a value {field} allows (its pattern)", rule.id, target)
            else:
                ctx.report.problems.append(f"{target} does not match the MLM schema's pattern "
                                           "(--fill-required leaves it out)")
