"""The reader's value-level steps: a value through a rule's value table, folding and transform;
a vocabulary check; two source fields that read into one pivot field."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .folding import folded
from .pointer import join, value_at
from .tables import Rule

if TYPE_CHECKING:
    from .reader import ReadCtx


def map_read(ctx: ReadCtx, rule: Rule, value: Any, pointer_path: tuple) -> Any:
    read_map = rule.read_map
    if read_map and type(value) is str and value in read_map:
        new = read_map[value]
        if value in rule.normalising:
            _normalised(ctx, rule, value, new, pointer_path)
        value = new
    elif rule.fold is not None and type(value) is str:
        new = folded(rule.fold, value)
        if new != value:  # a spelling variant of a known value
            _normalised(ctx, rule, value, new, pointer_path)
            value = new
    write_map = rule.write_map
    if write_map and type(value) is str and write_map.get(value, value) != value:
        ctx.report.finding(join(pointer_path), "written-back-as", f"'{value}' is read as it is; a translation "
                           f"back to this extension writes '{write_map[value]}'", rule.id)
    if rule.value_transform is not None:
        value = rule.value_transform.forward(value)
    return value


def _normalised(ctx: ReadCtx, rule: Rule, value: str, new: str, pointer_path: tuple) -> None:
    ctx.report.finding(join(pointer_path), "normalised", f"'{value}' read as '{new}'", rule.id)
    ctx.pivot.notes.setdefault("normalised", []).append(pointer_path)


def _shadowed(ctx: ReadCtx, rule: Rule, value: Any, path: tuple, target: dict) -> bool:
    """Two source fields read into one pivot field (a variant spelling beside the table's own):
    the value of a rule that writes back (the table's own spelling) is kept, else the first
    read; the other is dropped, with a reason naming the one kept. True: skip this value."""
    read_by = ctx.pivot.notes.setdefault("read-by", {})
    key = (id(target), rule.pivot)
    prior = read_by.get(key)
    read_by.setdefault(key, (rule, path))
    if prior is None or rule.pivot not in target:
        return False
    prior_rule, prior_path = prior
    keep_new = rule.writes and not prior_rule.writes
    if keep_new:
        read_by[key] = (rule, path)
        lost_path, lost_rule, kept_path = prior_path, prior_rule, path
        lost = value_at(ctx.doc, join(prior_path), target[rule.pivot])
    else:
        lost_path, lost_rule, kept_path, lost = path, rule, prior_path, value
    ctx.extra(lost_path, lost, "dropped", f"{join(kept_path)} gives the {rule.pivot} too, and its value is kept",
              lost_rule.id)
    return not keep_new


def same_value(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


def _check_vocabulary(ctx: ReadCtx, rule: Rule, value: Any, path: tuple) -> None:
    """A value outside the closed vocabulary of the source's own version: say so (the source is
    not valid for the version it is read as, and writing it back to that version drops it)."""
    items = list(enumerate(value)) if type(value) is list else [(None, value)]
    for i, item in items:
        try:
            known = item in rule.allowed or (rule.fold is not None and type(item) is str
                                             and folded(rule.fold, item) in rule.allowed)
        except TypeError:  # unhashable
            known = False
        if not known:
            where = path + (i,) if i is not None else path
            ctx.report.finding(join(where), "outside-vocabulary",
                               f"{item!r} is not in the {ctx.table.name} {ctx.version} vocabulary of {rule.field}",
                               rule.id)
