"""Table views: a table's rule indexes filtered once per (document type, version), so the hot
path of reading and writing only checks ``when`` conditions; plain renames become one dict lookup."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .rules import VALUE_TYPES

if TYPE_CHECKING:
    from .tables import Rule, Table

_INDEXES = ("read_fields", "read_summaries", "read_assets", "read_roles", "read_links", "write_fields",
            "write_summaries", "write_assets", "write_roles", "write_links")
_LISTS = ("read_transforms", "write_transforms", "consts", "requires")


class TableView:
    """A table's indexes filtered once per (document type, version), so the hot path only
    checks ``when`` conditions."""

    def __init__(self, table: Table, doc_type: str, version: str):
        self.table = table
        self.name = f"{table.name} {version}"
        self.reasons: dict = {}  # loss reasons built once per view
        for name in _INDEXES:
            filtered = {}
            for key, rules in getattr(table, name).items():
                kept = [r for r in rules if r.applies(doc_type, version)]
                if kept:
                    filtered[key] = kept
            setattr(self, name, filtered)
        for name in _LISTS:
            setattr(self, name, [r for r in getattr(table, name) if r.applies(doc_type, version)])
        # pivot names that several source fields read into (a variant spelling beside the table's
        # own): the reader keeps one value and reports the other
        self.shared_read = frozenset().union(*(_shared(getattr(self, n)) for n in
                                               ("read_fields", "read_summaries", "read_assets")))
        # field -> the require rule naming it: the schema wants a value there, whatever reads it
        self.required = {r.path[0]: r.id for r in self.requires}
        # plain renames (one unconditional rule, no value change): the hot path is a dict lookup
        self.fast_read_fields = _fast(self.read_fields, "pivot", self.shared_read)
        self.fast_read_summaries = _fast(self.read_summaries, "pivot", self.shared_read)
        self.fast_read_assets = _fast(self.read_assets, "pivot", self.shared_read)
        self.fast_read_roles = {role: rules[0].pivot for role, rules in self.read_roles.items()
                                if len(rules) == 1 and rules[0].when is None}
        self.fast_write_fields = _fast(self.write_fields, "field")
        self.fast_write_summaries = _fast(self.write_summaries, "field")
        self.fast_write_assets = _fast(self.write_assets, "field")
        # transforms that reshape the pivot before the fields are written (not those that only check)
        self.write_steps = [r for r in self.write_transforms if r.structural.write is not None]
        # transforms that check what the fields wrote before the required ones are filled
        self.write_checks = [r for r in self.write_transforms if r.structural.check is not None]
        self.fast_write_types = {"fields": _types(self.write_fields), "asset_fields": _types(self.write_assets)}


def _types(index: dict) -> dict:
    """pivot name -> the Python type a plain rename's value has when it is of the pivot's type."""
    return {key: VALUE_TYPES[rules[0].value_type][2] for key, rules in index.items()
            if len(rules) == 1 and rules[0].value_type in VALUE_TYPES}


def _plain(rule: Rule) -> bool:
    return (rule.kind == "move" and rule.when is None and len(rule.path) == 1 and not rule.read_map
            and not rule.write_map and rule.value_transform is None and rule.allowed is None
            and not rule.fold)  # a folded value may be read as another spelling


def _fast(index: dict, attr: str, shared: frozenset = frozenset()) -> dict:
    return {key: getattr(rules[0], attr) for key, rules in index.items()
            if len(rules) == 1 and _plain(rules[0]) and rules[0].pivot not in shared}


def _shared(index: dict) -> set:
    fields: dict = {}
    for rules in index.values():
        for rule in rules:
            if rule.kind in ("move", "wrap") and type(rule.pivot) is str:
                fields.setdefault(rule.pivot, set()).add(rule.field)
    return {pivot for pivot, names in fields.items() if len(names) > 1}
