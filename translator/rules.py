"""The rules of a mapping table, compiled once at load, and the checks that refuse a rule that
could not run or would lose data without saying so.

Every fault is a MappingError naming the file and the rule; :func:`compile_rules` runs every
check of every rule, so that one load reports every fault of the table at once (``MappingFaults``).
"""
from __future__ import annotations

from typing import Iterator

from . import transforms
from .errors import MappingError, MappingFaults
from .folding import fold_table
from .queries import QueryError, compile_placeholder, compile_query


class Rule:
    __slots__ = ("_faults", "id", "kind", "file", "note", "lossy", "lossy_kind", "when", "on", "versions",
                 "reads", "writes", "at", "field", "path", "fields", "pivot", "summaries",
                 "read_map", "write_map", "unmatched", "normalising", "value_transform",
                 "structural", "value", "fallback", "placeholder", "reason", "role", "rel",
                 "match", "allowed", "options", "role_names", "fold", "lossy_on_write", "nullable",
                 "list_form", "value_type", "item_type", "unique_items", "compiled_options")

    def __init__(self, raw: dict, file: str, faults: list[MappingError] | None = None):
        """*faults*: where a jmespath expression that does not compile is added (else it is raised)."""
        self._faults = faults
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
        self.value_type = None  # the pivot field's JSON type, set by compile_rules for a move rule
        self.item_type = None  # the JSON type of its items (a list field that says), set by compile_rules
        self.unique_items = False  # each value once in the list (a list field that says), likewise
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
        self.placeholder = self._query(raw["placeholder"], "placeholder", compile_placeholder) \
            if "placeholder" in raw else None
        self.reason = raw.get("reason", "")
        self.role = raw.get("role")
        self.rel = raw.get("rel")
        self.match = raw.get("match") or {}
        self.allowed = frozenset(raw["allowed"]) if "allowed" in raw else None
        self.options = raw.get("options") or {}
        self.compiled_options = None  # what a structural transform made of them (compile_rules)
        # a role rule writes its role and the roles it comes with (options.with)
        self.role_names = (self.role, *self.options.get("with", ())) if self.kind == "role" else ()
        self._faults = None  # (only the constructor adds to it)

    def _query(self, expression: str, key: str, compile=compile_query):
        try:
            return compile(expression)
        except QueryError as exc:
            fault = self.fault(f": {key} {exc.expression!r} is not a valid jmespath expression: {exc}")
            if self._faults is None:
                raise fault from None
            self._faults.append(fault)
            return None

    def fault(self, text: str) -> MappingError:
        """A MappingError about this rule: "FILE: rule 'ID'" followed by *text*."""
        return MappingError(f"rule '{self.id}'{text}", source=self.file)

    def applies(self, doc_type: str, version: str) -> bool:
        return (self.on is None or doc_type in self.on) and (self.versions is None or version in self.versions)

    def where(self) -> str:
        return f"{self.file}: rule '{self.id}'"

    def __repr__(self) -> str:
        return f"Rule({self.id}:{self.kind})"


# the pivot vocabulary's value types (pivot.yaml) a written value is checked against: a check,
# how a reason says it, and the Python type most values of it have (the writer's quick test)
VALUE_TYPES = {
    "string": (lambda v: type(v) is str, "text", str),
    "integer": (lambda v: type(v) is int or (type(v) is float and v.is_integer()), "a whole number", int),
    "boolean": (lambda v: type(v) is bool, "true or false", bool),
    "list": (lambda v: type(v) is list, "a list", list),
    "object": (lambda v: type(v) is dict, "an object", dict),
}


def compile_rules(raw_rules: list[dict], file: str, versions: list[str], vocabulary: dict,
                  faults: list[MappingError]) -> list[Rule]:
    """The rules compiled and checked. Every fault of every rule is added to *faults* (which may
    hold those of the table's header already), then raised together as one MappingFaults."""
    rules: list[Rule] = []
    seen: set[str] = set()
    for n, raw in enumerate(raw_rules):
        found: list[MappingError] = []
        if raw["id"] in seen:
            found.append(MappingError(f"rule id '{raw['id']}' is used twice", source=file, pointer=f"/rules/{n}/id"))
        seen.add(raw["id"])
        rule = _compiled(raw, file, versions, vocabulary, found)
        for fault in found:  # where in the file: the line names the rule's place as well as its id
            fault.pointer = fault.pointer or f"/rules/{n}"
        faults.extend(found)
        if rule is not None and not found:
            rules.append(rule)
    if faults:
        raise MappingFaults(faults)
    return rules


_COMPILE_ERRORS = (TypeError, ValueError, KeyError, AttributeError)  # what the format schema lets through


def _compiled(raw: dict, file: str, versions: list[str], vocabulary: dict, found: list[MappingError]):
    """The rule, with every check run on it (one fault does not hide the next); each fault is
    added to *found*. None when the rule cannot even be built."""
    def cannot(exc: Exception) -> MappingError:
        return MappingError(f"rule '{raw.get('id')}' cannot be compiled: {type(exc).__name__}: {exc}", source=file)

    try:
        rule = Rule(raw, file, found)
    except _COMPILE_ERRORS as exc:
        found.append(cannot(exc))
        return None
    for faults in (_version_faults(rule, versions), _vocabulary_faults(rule, vocabulary),
                   _reversibility_faults(rule), _transform_faults(rule, raw.get("transform")),
                   _unused_options(rule, raw)):
        try:
            found.extend(faults)
        except _COMPILE_ERRORS as exc:
            found.append(cannot(exc))
    if not found:
        if rule.kind in ("move", "wrap") and rule.pivot is not None:
            described = vocabulary.get("asset_fields" if rule.at == "asset" else "fields", {}).get(rule.pivot)
            described = described if type(described) is dict else {}
            rule.value_type = described.get("type") if rule.kind == "move" else None
            rule.item_type = described.get("items") if described.get("type") == "list" else None
            rule.unique_items = described.get("type") == "list" and described.get("unique") is True
        try:
            rule.fold = fold_table(rule, vocabulary) if rule.fold else None
        except _COMPILE_ERRORS as exc:
            found.append(cannot(exc))
    return rule


def _version_faults(rule: Rule, versions: list[str]) -> Iterator[MappingError]:
    for version in sorted(rule.versions or ()):
        if version not in versions:
            yield rule.fault(f" names unknown version {version}")


def _vocabulary_faults(rule: Rule, vocabulary: dict) -> Iterator[MappingError]:
    if rule.pivot is None or rule.kind == "transform":
        return  # structural transforms name what they touch in their options
    section = {"role": "roles", "link": "links"}.get(rule.kind)
    if section is None:
        section = "asset_fields" if rule.at == "asset" else "fields"
    if rule.pivot not in vocabulary.get(section, {}):
        yield rule.fault(f" names '{rule.pivot}', which is not a pivot "
                         f"{section[:-1].replace('_', ' ')} (see pivot.yaml)")


def _reversibility_faults(rule: Rule) -> Iterator[MappingError]:
    # value maps: every written value must read back to the pivot value it came from
    if rule.write_map:
        bad = [p for p, t in rule.write_map.items() if rule.read_map.get(t, t) != p]
        if bad and not rule.lossy and rule.reads:
            yield rule.fault(f": values {bad} are written one-way (they do not read "
                             "back to the same pivot value); mark the rule lossy with a reason")
    if rule.read_map:
        rule.normalising = frozenset(s for s, p in rule.read_map.items() if rule.write_map.get(p, p) != s)
    if rule.kind == "drop" and not rule.lossy:
        yield rule.fault(": a drop rule must say why in lossy.reason")
    if rule.kind == "link" and rule.writes and not rule.reads and not rule.lossy:
        yield rule.fault(": a write-only link rule is one-way; mark it lossy")


def _transform_faults(rule: Rule, name: str | None) -> Iterator[MappingError]:
    if not name:
        return
    if rule.kind == "transform":
        found = transforms.get_structural(name)
        if found is None:
            yield rule.fault(f" names unknown structural transform '{name}'")
            return
        missing = [d for d, fn in (("read", found.read), ("write", found.write or found.check)) if fn is None
                   and (rule.reads if d == "read" else rule.writes)]
        if missing:
            yield rule.fault(f": transform '{name}' has no {missing[0]} direction")
        one_way = found.lossy or not (rule.reads and rule.writes and found.reversible)
        if one_way and not rule.lossy:
            yield rule.fault(f": transform '{name}' is not reversible; mark the rule lossy")
        faults = list(_option_faults(rule, found))
        yield from faults
        if not faults and found.compile_options is not None:
            rule.compiled_options = found.compile_options(rule.options)
        rule.structural = found
    else:
        found = transforms.get_value(name)
        if found is None:
            yield rule.fault(f" names unknown value transform '{name}'")
            return
        if not found.reversible and not rule.lossy and rule.kind != "require":
            yield rule.fault(f": value transform '{name}' has no exact inverse; "
                             "mark the rule lossy with a reason")
        rule.value_transform = found


def _unused_options(rule: Rule, raw: dict) -> Iterator[MappingError]:
    """Options only transform and role rules read: any other rule's would be ignored."""
    if rule.kind not in ("transform", "role") and raw.get("options"):
        yield rule.fault(f": a {rule.kind} rule takes no options (only transform and role rules do)")


def _option_faults(rule: Rule, found) -> Iterator[MappingError]:
    """The rule's options against those the transform declares (``@structural(options=...)``;
    one that declares none takes none)."""
    for error in sorted(found.options_validator().iter_errors(rule.options), key=lambda e: list(e.absolute_path)):
        where = "".join(f"/{p}" for p in error.absolute_path)
        yield rule.fault(f": options{where}: {error.message}{_closest_form(error)} (transform '{found.name}' "
                         f"takes: {', '.join(found.options.get('properties', {})) or 'no options'})")


def _closest_form(error) -> str:
    """For an option that matches none of the forms it may take: why the form it comes closest
    to (the one refusing a member of it) refuses it, or nothing."""
    inside = [e for e in error.context if e.relative_path]
    if not inside:
        return ""
    closest = max(inside, key=lambda e: len(e.relative_path))
    return f" ({'/'.join(map(str, closest.relative_path))}: {closest.message})"
