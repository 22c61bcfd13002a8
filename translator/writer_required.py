"""What a `require` rule does when the output lacks its field (docs/pivot.md, rule kinds)."""
from __future__ import annotations

import copy
from typing import Any

from .pointer import join
from .tables import Rule, render_placeholder
from .write_ctx import MISSING as _MISSING, WriteCtx


def _nullable(ctx: WriteCtx, rule: Rule) -> bool:
    return any(r.nullable for r in ctx.view.write_fields.get(rule.pivot, ()) if r.field == rule.field)


def require(ctx: WriteCtx, rule: Rule) -> None:
    """A field a `require` rule names, when the output lacks it: the caller's value (fill values),
    a fallback found in the output (in a repair), a placeholder (fill_required), else a problem."""
    container = ctx.container
    node: Any = container
    for token in rule.path:
        node = node.get(token, _MISSING) if type(node) is dict else _MISSING
    if node is not _MISSING and (node is not None or _nullable(ctx, rule)):  # a null is no value (NULL_READ)
        return
    reasons = ctx.view.reasons
    target = reasons.get(rule)
    if target is None:
        target = reasons[rule] = join(ctx.where + rule.path)  # the view fixes the document type
    if ctx.fill_values is not None and rule.field in ctx.fill_values:  # the user's value comes before guesses
        value = copy.deepcopy(ctx.fill_values[rule.field])  # each output gets its own
        ctx.set(container, rule.path, value)
        ctx.loss("", "assumed", value, f"{target} is required by {ctx.target_name} and the source has no "
                 "value for it: the value given for it (fill values)", rule.id, target)
        return
    for expr in rule.fallback if ctx.repair else ():
        found = expr.search(ctx.out)
        if found is not None and found != "" and found != []:
            if rule.value_transform is not None:
                found = rule.value_transform.forward(found)
            ctx.set(container, rule.path, found)
            ctx.loss("", "assumed", found, f"{target} is required by {ctx.target_name}; "
                     f"taken from {expr.expression}", rule.id, target)
            return
    if rule.placeholder is not None and ctx.fill_required:
        value = render_placeholder(rule.placeholder, ctx.out)
        ctx.set(container, rule.path, value)
        reason = reasons.get((rule, "synthesized"))
        if reason is None:
            reason = reasons[(rule, "synthesized")] = f"placeholder for required {target}: {rule.reason}"
        ctx.loss("", "synthesized", value, reason, rule.id, target)
        return
    hint = " (--fill-required writes a placeholder)" if rule.placeholder is not None else ""
    ctx.report.problems.append(f"{target} is required by {ctx.target_name} but the source has no value "
                               f"for it{': ' + rule.reason if rule.reason else ''}{hint}")
