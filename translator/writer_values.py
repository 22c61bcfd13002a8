"""A pivot value -> the value the target's rule writes (value tables, vocabularies, value
transforms), and a pivot list's items each so, the ones the target cannot hold left out (of
another type, repeated where the target lists each value once) with their losses."""
from __future__ import annotations

from typing import Any

from .rules import VALUE_TYPES
from .tables import Rule
from .write_ctx import MISSING as _MISSING, WriteCtx


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


def _sub(origin: str | tuple, index: int) -> str | tuple:
    return origin + (index,) if type(origin) is tuple else f"{origin}/{index}"


def map_items(ctx: WriteCtx, rule: Rule, items: list, origin: str | tuple) -> list:
    """map_write of each item of a pivot list, the ones the target cannot hold left out. An item
    came from its index in the source's list, or from the source value itself when the reader
    made the list (a DLM task string)."""
    if rule.item_type is not None and ctx.repair:  # (the identity keeps the document as it is)
        holds = VALUE_TYPES[rule.item_type][0]
        for x in items:
            if x is not None and not holds(x):  # (a null: map_write's business)
                return _items_of_type(ctx, rule, items, origin)
    listed = type(ctx.original(origin)) is list
    if listed:
        mapped = [map_write(ctx, rule, x, _sub(origin, i)) for i, x in enumerate(items)]
    else:
        mapped = [map_write(ctx, rule, x, origin) for x in items]
    out = [m for m in mapped if m is not _MISSING]
    if len(out) > 1 and rule.unique_items and ctx.repair:
        try:
            repeated = len(set(out)) < len(out)
        except TypeError:  # (an unhashable value: no list of names)
            repeated = False
        if repeated:
            return _once_each(ctx, rule, items, mapped, origin if not listed else None, origin)
    return out


def _once_each(ctx: WriteCtx, rule: Rule, items: list, mapped: list, one_place, origin) -> list:
    """The *mapped* items (_MISSING: left out) with each value once, as the target's schema wants
    (MLM's tasks are unique items): a repeat is dropped at its place, naming the item it repeats.
    *one_place*: the place of every item when the reader made the list from one value."""
    first: dict = {}
    out = []
    for i, value in enumerate(mapped):
        if value is _MISSING:
            continue
        place = one_place if one_place is not None else _sub(origin, i)
        if value in first:
            held = "holds one value" if rule.kind == "wrap" else "lists each value once"
            ctx.loss(place, "dropped", ctx.original(place, items[i]), f"{value!r} again (as item {first[value]}): "
                     f"{rule.field} in {ctx.target_name} {held}", rule.id)
            continue
        first[value] = i
        out.append(value)
    return out


def _items_of_type(ctx: WriteCtx, rule: Rule, items: list, origin: str | tuple) -> list:
    """_map_items of a list holding an item of another type than the rule's list items (an invalid
    source): each such item, which the target's schema would refuse, is dropped at its place."""
    holds, words = VALUE_TYPES[rule.item_type][:2]
    listed = type(ctx.original(origin)) is list
    mapped = []
    for i, x in enumerate(items):
        place = _sub(origin, i) if listed else origin
        if x is not None and not holds(x):
            held = f"holds {words}" if rule.kind == "wrap" else f"lists {words} only"
            ctx.loss(place, "dropped", ctx.original(place, x), f"{json_name(x)}: {rule.field} in "
                     f"{ctx.target_name} {held}", rule.id)
            mapped.append(_MISSING)
        else:
            mapped.append(map_write(ctx, rule, x, place))
    if rule.unique_items:
        return _once_each(ctx, rule, items, mapped, origin if not listed else None, origin)
    return [m for m in mapped if m is not _MISSING]


def map_write(ctx: WriteCtx, rule: Rule, value: Any, origin: str) -> Any:
    """Pivot value -> target value; _MISSING when the target cannot hold it (loss recorded)."""
    if rule.value_transform is not None:
        # the meaning changes (lossy.on_write) when the value came from another extension
        lost = rule.lossy if rule.lossy_on_write and ctx.pivot.source[0] != ctx.table.name else ""
        pivot_value, value = value, rule.value_transform.inverse(value)
        if not ctx.repair and type(origin) is tuple:  # same version: a float round trip is not exact
            original = ctx.original(origin, _MISSING)
            if original is not _MISSING and original != value \
                    and rule.value_transform.forward(original) == pivot_value:
                value = original
        elif ctx.repair and not _same(rule.value_transform.forward(value), pivot_value):
            lost += ("; " if lost else "") + f"{rule.field} does not hold the value exactly: it reads back " \
                f"as {rule.value_transform.forward(value)!r}"
        if lost:
            ctx.loss(origin, "lossy", ctx.original(origin, pivot_value), lost, rule.id)
    if type(value) is str:
        new = rule.write_map.get(value, _MISSING) if rule.write_map else _MISSING
        if new is not _MISSING and not ctx.repair:  # to the same version a value is written as it was read
            new = value
        if new is _MISSING:
            if rule.unmatched == "drop" and rule.write_map:
                ctx.loss(origin, "dropped", ctx.original(origin, value), f"'{value}' has no equivalent in "
                         f"{ctx.target_name}", rule.id)
                return _MISSING
            new = value
            if rule.read_map and ctx.repair and rule.read_map.get(new, new) != value:
                ctx.loss(origin, "lossy", ctx.original(origin, value), f"'{value}' is written as it is; "
                         f"{ctx.target_name} reads it as '{rule.read_map[new]}'", rule.id)
        elif rule.read_map.get(new, new) != value:
            ctx.loss(origin, "lossy", ctx.original(origin, value),
                     f"'{value}' written as '{new}'" + (f": {rule.lossy}" if rule.lossy else ""), rule.id)
        if rule.allowed is not None and new not in rule.allowed and ctx.repair:  # identity keeps it
            ctx.loss(origin, "dropped", ctx.original(origin, value),
                     f"'{new}' is not in the {ctx.target_name} vocabulary of {rule.field}", rule.id)
            return _MISSING
        return new
    if rule.allowed is not None and ctx.repair:  # a number or an object is no name of a closed vocabulary
        ctx.loss(origin, "dropped", ctx.original(origin, value),
                 f"{value!r} is not in the {ctx.target_name} vocabulary of {rule.field}", rule.id)
        return _MISSING
    return value


def json_name(value: Any) -> str:
    """What a JSON value is, in a reason's words."""
    if type(value) is bool:
        return f"{'true' if value else 'false'}, a boolean"
    names = {str: "text", int: "a number", float: "a number", list: "a list", dict: "an object"}
    return names.get(type(value), "a value") + (f" ({value!r})" if type(value) in (str, int, float) else "")
