"""Mapping tables: loaded with safe YAML, validated against the mapping-format schema,
checked for reversibility and compiled into lookup indexes, once per process.

A table is pure data. It names pivot vocabulary (checked against ``mappings/pivot.yaml``)
and registered transforms (checked against :mod:`translator.transforms`); a rule that is
neither reversible nor marked ``lossy`` with a reason is refused here, naming file and rule.
"""
from __future__ import annotations

import functools
import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from . import transforms
from .errors import MappingError, UnsupportedTarget
from .folding import fold_table
from .queries import Query, compile_placeholder, render_placeholder  # noqa: F401 (re-exported)
from .table_files import (add_vocabulary, builtin_dir, load_vocabulary, read_table_file,  # noqa: F401
                          table_dirs, table_files_in)
from .views import TableView

class Rule:
    __slots__ = ("id", "kind", "file", "note", "lossy", "lossy_kind", "when", "on", "versions",
                 "reads", "writes", "at", "field", "path", "fields", "pivot", "summaries",
                 "read_map", "write_map", "unmatched", "normalising", "value_transform",
                 "structural", "value", "fallback", "placeholder", "reason", "role", "rel",
                 "match", "allowed", "options", "role_names", "fold", "lossy_on_write", "nullable")

    def __init__(self, raw: dict, file: str):
        self.id = raw["id"]
        self.kind = raw["kind"]
        self.file = file
        self.note = raw.get("note", "")
        lossy = raw.get("lossy") or {}
        self.lossy = lossy.get("reason")
        self.lossy_kind, self.lossy_on_write = lossy.get("kind", "lossy"), bool(lossy.get("on_write"))
        self.when = Query(raw["when"]) if "when" in raw else None
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
        values = raw.get("values") or {}
        self.read_map = values.get("read") or {}
        self.write_map = values.get("write") or {}
        self.unmatched = values.get("unmatched", "pass")
        self.fold = values.get("fold", False)  # compiled by the table (folding.fold_table) or None
        self.normalising = frozenset()
        self.value_transform = None
        self.structural = None
        self.value = raw.get("value")
        self.fallback = [Query(e) for e in raw.get("fallback", [])]
        self.placeholder = compile_placeholder(raw["placeholder"]) if "placeholder" in raw else None
        self.reason, self.role, self.rel = raw.get("reason", ""), raw.get("role"), raw.get("rel")
        self.match = raw.get("match") or {}
        self.allowed = frozenset(raw["allowed"]) if "allowed" in raw else None
        self.options = raw.get("options") or {}
        # a role rule writes its role and the roles it comes with (options.with)
        self.role_names = (self.role, *self.options.get("with", ())) if self.kind == "role" else ()

    def applies(self, doc_type: str, version: str) -> bool:
        return (self.on is None or doc_type in self.on) and (self.versions is None or version in self.versions)

    def where(self) -> str:
        return f"{self.file}: rule '{self.id}'"

    def __repr__(self) -> str:
        return f"Rule({self.id}:{self.kind})"


class Table:
    """One extension's compiled table."""

    def __init__(self, raw: dict, file: str, vocabulary: dict):
        self.file = file
        self.name: str = raw["extension"]
        self.title: str = raw.get("title", self.name)
        self.prefix: str = raw["prefix"]
        self.versions: list[str] = list(raw["versions"])
        self.default_version: str = raw["default_version"]
        self.precedence: int = raw.get("precedence", 0)
        self.kind: str = raw.get("kind", "model")
        self.supporting: dict[str, str] = raw.get("supporting", {})
        self.owns = frozenset(raw.get("owns", []))
        self.collection_fields: list[str] = list(raw.get("collection_fields", [""]))
        # a Collection carries this extension's fields in summaries only (ml-model)
        self.collection_summaries: bool = bool(raw.get("collection_summaries", False))
        self.summaries_as_fields: bool = bool(raw.get("summaries_as_fields", False))
        self.uri_templates: list[str] = raw["uris"]
        if self.default_version not in self.versions:
            raise MappingError(f"default_version {self.default_version} is not in versions", source=file)
        self.uris: dict[str, str] = {}  # every URI a document may declare -> version
        for template in self.uri_templates:
            for version in self.versions:
                self.uris.setdefault(template.replace("{version}", version), version)
        for alias, version in (raw.get("aliases") or {}).items():
            if version not in self.versions:
                raise MappingError(f"alias {alias!r} names unknown version {version}", source=file)
            self.uris[alias] = version
        self._write_uri = dict(raw.get("write_uri") or {})
        self.rules = [Rule(r, file) for r in raw["rules"]]
        self._check(vocabulary)
        self._index()

    # -- load-time checks ------------------------------------------------------
    def _check(self, vocabulary: dict) -> None:
        seen = set()
        for rule in self.rules:
            if rule.id in seen:
                raise MappingError(f"rule id '{rule.id}' is used twice", source=self.file)
            seen.add(rule.id)
            for version in rule.versions or ():
                if version not in self.versions:
                    raise MappingError(f"{rule.where()} names unknown version {version}")
            self._check_vocabulary(rule, vocabulary)
            self._check_reversible(rule)
            rule.fold = fold_table(rule, vocabulary) if rule.fold else None

    def _check_vocabulary(self, rule: Rule, vocabulary: dict) -> None:
        if rule.pivot is None:
            return
        section = {"role": "roles", "link": "links"}.get(rule.kind)
        if section is None:
            section = "asset_fields" if rule.at == "asset" else "fields"
        if rule.kind == "transform":
            return  # structural transforms name what they touch in their options
        names = rule.pivot if isinstance(rule.pivot, list) else [rule.pivot]
        for name in names:
            if name not in vocabulary.get(section, {}):
                raise MappingError(f"{rule.where()} names '{name}', which is not a pivot "
                                   f"{section[:-1].replace('_', ' ')} (see pivot.yaml)")

    def _check_reversible(self, rule: Rule) -> None:
        # value maps: every written value must read back to the pivot value it came from
        if rule.write_map:
            bad = [p for p, t in rule.write_map.items() if rule.read_map.get(t, t) != p]
            if bad and not rule.lossy and rule.reads:
                raise MappingError(f"{rule.where()}: values {bad} are written one-way (they do not read "
                                   "back to the same pivot value); mark the rule lossy with a reason")
        if rule.read_map:
            rule.normalising = frozenset(s for s, p in rule.read_map.items() if rule.write_map.get(p, p) != s)
        if rule.kind == "drop" and not rule.lossy:
            raise MappingError(f"{rule.where()}: a drop rule must say why in lossy.reason")
        if rule.kind == "link" and rule.writes and not rule.reads and not rule.lossy:
            raise MappingError(f"{rule.where()}: a write-only link rule is one-way; mark it lossy")

    def bind_transforms(self, raw_rules: list[dict]) -> None:
        for rule, raw in zip(self.rules, raw_rules):
            name = raw.get("transform")
            if not name:
                continue
            if rule.kind == "transform":
                found = transforms.get_structural(name)
                if found is None:
                    raise MappingError(f"{rule.where()} names unknown structural transform '{name}'")
                missing = [d for d, fn in (("read", found.read), ("write", found.write)) if fn is None
                           and (rule.reads if d == "read" else rule.writes)]
                if missing:
                    raise MappingError(f"{rule.where()}: transform '{name}' has no {missing[0]} direction")
                one_way = found.lossy or not (rule.reads and rule.writes and found.reversible)
                if one_way and not rule.lossy:
                    raise MappingError(f"{rule.where()}: transform '{name}' is not reversible; mark the rule lossy")
                rule.structural = found
            else:
                found = transforms.get_value(name)
                if found is None:
                    raise MappingError(f"{rule.where()} names unknown value transform '{name}'")
                if not found.reversible and not rule.lossy and rule.kind != "require":
                    raise MappingError(f"{rule.where()}: value transform '{name}' has no exact inverse; "
                                       "mark the rule lossy with a reason")
                rule.value_transform = found

    # -- indexes ----------------------------------------------------------------
    def view(self, doc_type: str, version: str) -> "TableView":
        """The indexes restricted to the rules that apply to this document type and version."""
        try:
            return self._views[(doc_type, version)]
        except KeyError:
            view = self._views[(doc_type, version)] = TableView(self, doc_type, version)
            return view

    def _index(self) -> None:
        self._views: dict[tuple, TableView] = {}
        def add(index: dict, key: Any, rule: Rule) -> None:
            index.setdefault(key, []).append(rule)

        self.read_fields: dict[str, list[Rule]] = {}
        self.read_summaries: dict[str, list[Rule]] = {}
        self.read_assets: dict[str, list[Rule]] = {}
        self.read_roles: dict[str, list[Rule]] = {}
        self.read_links: dict[str, list[Rule]] = {}
        self.write_fields: dict[str, list[Rule]] = {}
        self.write_summaries: dict[str, list[Rule]] = {}
        self.write_assets: dict[str, list[Rule]] = {}
        self.write_roles: dict[str, list[Rule]] = {}
        self.write_links: dict[str, list[Rule]] = {}
        self.read_transforms: list[Rule] = []
        self.write_transforms: list[Rule] = []
        self.consts: list[Rule] = []
        self.requires: list[Rule] = []
        for rule in self.rules:
            kind = rule.kind
            if kind in ("move", "wrap", "const", "drop"):
                if rule.reads:
                    if rule.at == "asset":
                        add(self.read_assets, rule.path[0], rule)
                    else:
                        add(self.read_fields, rule.path[0], rule)
                    if rule.summaries:
                        add(self.read_summaries, rule.path[0], rule)
                if rule.writes and kind in ("move", "wrap"):
                    if rule.at == "asset":
                        add(self.write_assets, rule.pivot, rule)
                    else:
                        add(self.write_fields, rule.pivot, rule)
                    if rule.summaries:
                        add(self.write_summaries, rule.pivot, rule)
                if rule.writes and kind == "const":
                    self.consts.append(rule)
            elif kind == "role":
                if rule.reads:
                    add(self.read_roles, rule.role, rule)
                if rule.writes:
                    add(self.write_roles, rule.pivot, rule)
            elif kind == "link":
                if rule.reads:
                    add(self.read_links, rule.rel, rule)
                if rule.writes:
                    add(self.write_links, rule.pivot, rule)
            elif kind == "transform":
                if rule.reads:
                    self.read_transforms.append(rule)
                if rule.writes:
                    self.write_transforms.append(rule)
            elif kind == "require":
                self.requires.append(rule)

    # -- helpers ------------------------------------------------------------------
    @functools.cached_property
    def detectors(self) -> list:
        """``detect(doc, version, declared)`` of the structural transforms that define one."""
        return [r.structural.detect for r in self.read_transforms if getattr(r.structural, "detect", None)]

    def owns_key(self, key: str) -> bool:
        return key.startswith(self.prefix) or key in self.owns

    def write_uri(self, version: str) -> str:
        uri = self._write_uri.get(version)
        if uri is None:
            uri = self._write_uri[version] = self.uri_templates[0].replace("{version}", version)
        return uri

    def fillable(self, version: str | None = None) -> frozenset[str]:
        """The target fields a caller may give values for (in *version*, or in any): those of
        require rules and those a structural transform makes sure of (MLM's mlm:artifact_type)."""
        cache = self.__dict__.setdefault("_fillable", {})
        names = cache.get(version)
        if names is None:
            found: set[str] = set()
            for rule in self.rules:
                if version is not None and rule.versions is not None and version not in rule.versions:
                    continue
                if rule.kind == "require":
                    found.add(rule.field)
                elif rule.structural is not None and rule.structural.fills is not None and rule.writes:
                    found.update(rule.structural.fills(rule, self))
            names = cache[version] = frozenset(found)
        return names

    def check_fill_values(self, values, version: str):
        """*values* checked for *version* (a :class:`translator.fill.FillValues`): a field that no
        rule of this table makes sure of there is refused, with the fields that can be given."""
        from .fill import prepare
        return prepare(values, self.fillable(version), self.name, version)

    def check_version(self, version: str | None) -> str:
        if version is None:
            return self.default_version
        if type(version) is not str:  # 1.5 as a number is no version of anything
            raise UnsupportedTarget(f"{self.name} version must be a string such as '{self.default_version}', "
                                    f"not {version!r}")
        if version.startswith("v"):
            version = version[1:]
        if version not in self.versions:
            # '1.4' (or '1') names the newest release of that line, as a requirement '~=1.4.0' would
            line = [v for v in self.versions if v.startswith(version + ".") and v.replace(".", "").isdigit()]
            if not line or not version.replace(".", "").isdigit():
                raise UnsupportedTarget(f"{self.name} has no version {version} (known: {', '.join(self.versions)})")
            version = max(line, key=lambda v: tuple(map(int, v.split("."))))
        return version


class Tables:
    """Every loaded table by extension name, with the URI index detection uses."""

    def __init__(self, tables: Iterable[Table], vocabulary: dict):
        self.by_name: dict[str, Table] = {}
        self.vocabulary = vocabulary
        for table in tables:
            self.by_name[table.name] = table  # later directories override earlier ones
        self.ordered = sorted(self.by_name.values(), key=lambda t: -t.precedence)
        self.prefixes = tuple(t.prefix for t in self.ordered) + tuple(o for t in self.ordered for o in t.owns)
        self.uri_index: dict[str, tuple[Table, str]] = {}
        self.uri_cache: dict[str, tuple[Table, str] | None] = {}  # filled by detection
        self.extensions_cache: dict = {}  # filled by layout.stac_extensions
        self.detect_cache: dict = {}  # filled by detection
        for table in self.ordered:
            for uri, version in table.uris.items():
                self.uri_index.setdefault(uri, (table, version))

    def __getitem__(self, name: str) -> Table:
        try:
            return self.by_name[name]
        except (KeyError, TypeError):  # TypeError: not a name at all (a list ...)
            if type(name) is str:  # 'MLM', 'mlm:' (the prefix) and 'ml_model' name a table too
                key = name.strip().lower().removesuffix(":").replace("_", "-")
                if key in self.by_name:
                    return self.by_name[key]
                import difflib
                close = difflib.get_close_matches(key, list(self.by_name), n=1, cutoff=0.6)
                hint = f"; did you mean '{close[0]}'?" if close else ""
            else:
                hint = ""
            raise UnsupportedTarget(
                f"unknown extension '{name}' (known: {', '.join(sorted(self.by_name))}){hint}") from None

    def __contains__(self, name: str) -> bool:
        return name in self.by_name

    def names(self) -> list[str]:
        return sorted(self.by_name)


def load_table(path: Path, vocabulary: dict) -> Table:
    raw = read_table_file(path)
    table = Table(raw, str(path), vocabulary)
    table.bind_transforms(raw["rules"])
    return table


def load_tables(extra_dirs: Iterable[str | os.PathLike] = ()) -> Tables:
    """Load the built-in tables, then any user directories (a table there replaces the
    built-in one of the same extension). One directory may be given alone."""
    dirs = table_dirs(extra_dirs)
    vocabulary = load_vocabulary(dirs[0])
    for d in dirs[1:]:
        add_vocabulary(vocabulary, d)
    return Tables([load_table(path, vocabulary) for d in dirs for path in table_files_in(d)], vocabulary)


def check_tables(extra_dirs: Iterable[str | os.PathLike] = ()) -> tuple[list[Table], list[MappingError]]:
    """Every table file of the built-in and the user directories, each loaded on its own: the
    tables that load, in load order, and the error of each file that does not (one bad table
    does not hide the faults of the others)."""
    dirs = table_dirs(extra_dirs)
    vocabulary = load_vocabulary(dirs[0])
    tables: list[Table] = []
    errors: list[MappingError] = []
    for d in dirs:
        try:
            if d is not dirs[0]:
                add_vocabulary(vocabulary, d)
            paths = table_files_in(d)
        except MappingError as exc:
            errors.append(exc)
            continue
        for path in paths:
            try:
                tables.append(load_table(path, vocabulary))
            except MappingError as exc:
                errors.append(exc)
    return tables, errors


@lru_cache(maxsize=8)
def _cached(dirs: tuple[str, ...]) -> Tables:
    return load_tables(dirs)


def default_tables(extra_dirs: Iterable[str | os.PathLike] = ()) -> Tables:
    """Tables loaded once per process (per set of directories). ``STACML_MAPPINGS``
    (os.pathsep-separated) adds user directories; it is read when the tables are first needed
    (reading the environment costs more than a small translation's detection)."""
    global _ENV_DIRS
    if _ENV_DIRS is None:
        _ENV_DIRS = tuple(p for p in os.environ.get("STACML_MAPPINGS", "").split(os.pathsep) if p)
    if not extra_dirs:
        return _cached(_ENV_DIRS)
    return _cached(tuple(str(d) for d in extra_dirs) + _ENV_DIRS)


_ENV_DIRS: tuple[str, ...] | None = None
