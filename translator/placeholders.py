"""Placeholders an earlier translation wrote (``fill_required``: "PLACEHOLDER: the source names no
architecture", ``urn:stacml:placeholder:model-artifact``) that a document brings to a translation
into another extension: read like any value, they would become fields of the output (DLM's
``dlm:architecture`` from MLM's placeholder ``mlm:architecture``) as if the source had said them.
Each one the output holds is named by a ``placeholder`` finding at its place in the source, with
where the output holds it."""
from __future__ import annotations

from typing import Any

from .pointer import covers, escape

MARKS = ("PLACEHOLDER", "urn:stacml:placeholder:")  # how the shipped tables mark what they make up


def _marked(value: Any) -> bool:
    return type(value) is str and value.startswith(MARKS)


def _leaves(doc: Any):
    """(pointer, value) of each marked string in *doc*, walked without recursion (documents may be
    nested hundreds deep)."""
    stack = [("", doc)]
    while stack:
        pointer, node = stack.pop()
        if type(node) is dict:
            stack.extend((f"{pointer}/{escape(k)}", v) for k, v in node.items() if type(k) is str)
        elif type(node) is list:
            stack.extend((f"{pointer}/{i}", v) for i, v in enumerate(node))
        elif _marked(node):
            yield pointer, node


def note_placeholders(source_doc: dict, out: dict, report) -> None:
    """A ``placeholder`` finding for each marked value of *source_doc* that *out* holds (at the
    first place the source has it), unless this translation's report made it up there itself."""
    found: dict[str, str] = {}
    for pointer, value in _leaves(source_doc):
        if value not in found or pointer < found[value]:
            found[value] = pointer
    if not found:
        return
    made = [l.target for l in report.losses if l.target and l.kind in ("assumed", "synthesized")]
    for target, value in sorted(_leaves(out)):
        if value in found and not any(covers(m, target) for m in made):
            report.finding(found[value], "placeholder", f"'{value}' is a placeholder a translation wrote for a "
                           "required field the source did not give, not a value of the model: carried as "
                           "it is", "", target)
