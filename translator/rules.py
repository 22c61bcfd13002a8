"""The rules of a mapping table, compiled once at load, and the checks that refuse a rule that
could not run or would lose data without saying so.

Every fault is a MappingError naming the file and the rule; :func:`compile_rules` goes on past a
faulty rule, so that one load reports every fault of the table at once (``MappingFaults``).
"""
from __future__ import annotations

from . import transforms
from .errors import MappingError, MappingFaults
from .folding import fold_table
from .queries import QueryError, compile_placeholder, compile_query


class Rule:
    __slots__ = ("id", "kind", "file", "note", "lossy", "lossy_kind", "when", "on", "versions",
                 "reads", "writes", "at", "field", "path", "fields", "pivot", "summaries",
                 "read_map", "write_map", "unmatched", "normalising", "value_transform",
                 "structural", "value", "fallback", "placeholder", "reason", "role", "rel",
                 "match", "allowed", "options", "role_names", "fold", "lossy_on_write", "nullable",
                 "list_form")

    def __init__(self, raw: dict, file: str):
        self.id = raw["id"]
        self.kind = raw["kind"]
        self.file = file
        self.note = raw.get("note", "")
        lossy = raw.get("lossy") or {}
        self.lossy = lossy.get("reason")
        self.lossy_kind, self.lossy_on_write = lossy.get("kind", "lossy"), bool(lossy.get("on_write"))
        self.when = self._query(raw["when"], "when") if "when" in raw else None
        self.on = frozenset(raw["types"]) if "types" in raw else None
        self.versions = frozenset(raw["versions"]) if "versions" in raw else None
        direction = raw.get("direction", "both")
        self.reads = direction in ("both", "read")
        self.writes = direction in ("both", "write")
        self.at = raw.get("at", "fields")
        self.field = raw.get("field")
        self.path = tuple(self.field.split("/")) if self.field else ()
        self.fields = raw.get("fields", [])
        self.pivot = raw.get("pivot")
        self.summaries = raw.get("summaries", False)
        self.nullable = raw.get("nullable", False)  # the schema allows null here: null is a value
        self.list_form = raw.get("list", False)  # wrap: a list is the field's own form, not a finding
        values = raw.get("values") or {}
        self.read_map = values.get("read") or {}
        self.write_map = values.get("write") or {}
        self.unmatched = values.get("unmatched", "pass")
        self.fold = values.get("fold", False)  # compiled by compile_rules (folding.fold_table) or None
        self.normalising = frozenset()
        self.value_transform = None
        self.structural = None
        self.value = raw.get("value")
        self.fallback = [self._query(e, "fallback") for e in raw.get("fallback", [])]
        self.placeholder = None
        if "placeholder" in raw:
            try:
                self.placeholder = compile_placeholder(raw["placeholder"])
            except QueryError as exc:
                raise self._bad_query("placeholder", exc) from None
        self.reason = raw.get("reason", "")
        self.role = raw.get("role")
        self.rel = raw.get("rel")
        self.match = raw.get("match") or {}
        self.allowed = frozenset(raw["allowed"]) if "allowed" in raw else None
        self.options = raw.get("options") or {}
        # a role rule writes its role and the roles it comes with (options.with)
        self.role_names = (self.role, *self.options.get("with", ())) if self.kind == "role" else ()

    def _query(self, expression: str, key: str):
        try:
            return compile_query(expression)
        except QueryError as exc:
            raise self._bad_query(key, exc) from None

    def _bad_query(self, key: str, exc: QueryError) -> MappingError:
        return self.fault(f": {key} {exc.expression!r} is not a valid jmespath expression: {exc}")

    def fault(self, text: str) -> MappingError:
        """A MappingError about this rule: "FILE: rule 'ID'" followed by *text*."""
        return MappingError(f"rule '{self.id}'{text}", source=self.file)

    def applies(self, doc_type: str, version: str) -> bool:
        return (self.on is None or doc_type in self.on) and (self.versions is None or version in self.versions)

    def where(self) -> str:
        return f"{self.file}: rule '{self.id}'"

    def __repr__(self) -> str:
        return f"Rule({self.id}:{self.kind})"


def compile_rules(raw_rules: list[dict], file: str, versions: list[str], vocabulary: dict,
                  faults: list[MappingError]) -> list[Rule]:
    """The rules compiled and checked. The faults of every rule are added to *faults* (which may
    hold those of the table's header already), then raised together as one MappingFaults."""
    rules: list[Rule] = []
    seen: set[str] = set()
    for raw in raw_rules:
        try:
            if raw["id"] in seen:
                raise MappingError(f"rule id '{raw['id']}' is used twice", source=file)
            seen.add(raw["id"])
            rule = Rule(raw, file)
            for version in rule.versions or ():
                if version not in versions:
                    raise rule.fault(f" names unknown version {version}")
            _check_vocabulary(rule, vocabulary)
            _check_reversible(rule)
            _bind_transform(rule, raw.get("transform"))
            rule.fold = fold_table(rule, vocabulary) if rule.fold else None
        except MappingError as exc:
            faults.append(exc)
            continue
        except (TypeError, ValueError, KeyError, AttributeError) as exc:  # what the format schema lets through
            faults.append(MappingError(f"rule '{raw.get('id')}' cannot be compiled: {type(exc).__name__}: {exc}",
                                       source=file))
            continue
        rules.append(rule)
    if faults:
        raise MappingFaults(faults)
    return rules


def _check_vocabulary(rule: Rule, vocabulary: dict) -> None:
    if rule.pivot is None or rule.kind == "transform":
        return  # structural transforms name what they touch in their options
    section = {"role": "roles", "link": "links"}.get(rule.kind)
    if section is None:
        section = "asset_fields" if rule.at == "asset" else "fields"
    if rule.pivot not in vocabulary.get(section, {}):
        raise rule.fault(f" names '{rule.pivot}', which is not a pivot "
                         f"{section[:-1].replace('_', ' ')} (see pivot.yaml)")


def _check_reversible(rule: Rule) -> None:
    # value maps: every written value must read back to the pivot value it came from
    if rule.write_map:
        bad = [p for p, t in rule.write_map.items() if rule.read_map.get(t, t) != p]
        if bad and not rule.lossy and rule.reads:
            raise rule.fault(f": values {bad} are written one-way (they do not read "
                             "back to the same pivot value); mark the rule lossy with a reason")
    if rule.read_map:
        rule.normalising = frozenset(s for s, p in rule.read_map.items() if rule.write_map.get(p, p) != s)
    if rule.kind == "drop" and not rule.lossy:
        raise rule.fault(": a drop rule must say why in lossy.reason")
    if rule.kind == "link" and rule.writes and not rule.reads and not rule.lossy:
        raise rule.fault(": a write-only link rule is one-way; mark it lossy")


def _bind_transform(rule: Rule, name: str | None) -> None:
    if not name:
        return
    if rule.kind == "transform":
        found = transforms.get_structural(name)
        if found is None:
            raise rule.fault(f" names unknown structural transform '{name}'")
        missing = [d for d, fn in (("read", found.read), ("write", found.write)) if fn is None
                   and (rule.reads if d == "read" else rule.writes)]
        if missing:
            raise rule.fault(f": transform '{name}' has no {missing[0]} direction")
        one_way = found.lossy or not (rule.reads and rule.writes and found.reversible)
        if one_way and not rule.lossy:
            raise rule.fault(f": transform '{name}' is not reversible; mark the rule lossy")
        _check_options(rule, found)
        rule.structural = found
    else:
        found = transforms.get_value(name)
        if found is None:
            raise rule.fault(f" names unknown value transform '{name}'")
        if not found.reversible and not rule.lossy and rule.kind != "require":
            raise rule.fault(f": value transform '{name}' has no exact inverse; "
                             "mark the rule lossy with a reason")
        rule.value_transform = found


def _check_options(rule: Rule, found) -> None:
    """The rule's options against those the transform declares (``@structural(options=...)``);
    a transform that declares none is given whatever the table says."""
    validator = found.options_validator()
    if validator is None:
        return
    error = next(iter(sorted(validator.iter_errors(rule.options), key=lambda e: list(e.absolute_path))), None)
    if error is not None:
        where = "".join(f"/{p}" for p in error.absolute_path)
        raise rule.fault(f": options{where}: {error.message} (transform '{found.name}' takes: "
                         f"{', '.join(found.options.get('properties', {})) or 'no options'})")
