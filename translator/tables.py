"""Mapping tables: loaded with safe YAML, validated against the mapping-format schema,
checked for reversibility and compiled into lookup indexes, once per process.

A table is pure data. It names pivot vocabulary (checked against ``mappings/pivot.yaml``)
and registered transforms (checked against :mod:`translator.transforms`); a rule that is
neither reversible nor marked ``lossy`` with a reason is refused (:mod:`translator.rules`),
naming file and rule.
"""
from __future__ import annotations

import functools
import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from .errors import MappingError, MappingFaults, UnsupportedTarget
from .pointer import join
from .queries import Query, compile_placeholder, render_placeholder  # noqa: F401 (re-exported)
from .rules import Rule, compile_rules
from .table_files import (add_vocabulary, builtin_dir, load_vocabulary, read_table_file,  # noqa: F401
                          table_dirs, table_files_in)
from .views import TableView


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
        # (newline + prefix, prefix): what a search of keys joined one a line looks for (layout.supporting_used)
        self.supporting_lines = tuple(("\n" + p, p) for p in self.supporting)
        self.owns = frozenset(raw.get("owns", []))
        self.collection_fields: list[str] = list(raw.get("collection_fields", [""]))
        # a Collection carries this extension's fields in summaries only (ml-model)
        self.collection_summaries: bool = bool(raw.get("collection_summaries", False))
        self.summaries_as_fields: bool = bool(raw.get("summaries_as_fields", False))
        self.uri_templates: list[str] = raw["uris"]
        faults: list[MappingError] = []  # every fault of the table, raised together by compile_rules
        if self.default_version not in self.versions:
            faults.append(MappingError(f"default_version {self.default_version} is not in versions", source=file,
                                       pointer="/default_version"))
        self.uris: dict[str, str] = {}  # every URI a document may declare -> version
        for template in self.uri_templates:
            for version in self.versions:
                self.uris.setdefault(template.replace("{version}", version), version)
        for alias, version in (raw.get("aliases") or {}).items():
            if version not in self.versions:
                faults.append(MappingError(f"alias {alias!r} names unknown version {version}", source=file,
                                           pointer=join(["aliases", alias])))
            self.uris[alias] = version
        self._write_uri = dict(raw.get("write_uri") or {})
        self.rules = compile_rules(raw["rules"], file, self.versions, vocabulary, faults)
        self._index()

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
    """One table file, compiled; every fault in it is raised at once (MappingFaults)."""
    return Table(read_table_file(path), str(path), vocabulary)


def load_tables(extra_dirs: Iterable[str | os.PathLike] = ()) -> Tables:
    """Load the built-in tables, then any user directories (a table there replaces the
    built-in one of the same extension). One directory may be given alone."""
    dirs = table_dirs(extra_dirs)
    vocabulary = load_vocabulary(dirs[0])
    for d in dirs[1:]:
        add_vocabulary(vocabulary, d)
    loaded: list[Table] = []
    for d in dirs:
        in_dir = [load_table(path, vocabulary) for path in table_files_in(d)]
        for fault in _twice_in_one_directory(in_dir):
            raise fault
        loaded += in_dir
    for fault in _shared_prefixes(loaded):
        raise fault
    return Tables(loaded, vocabulary)


def _shared_prefixes(tables: list[Table]) -> list[MappingError]:
    """A table in use whose prefix another one in use has: every document with such fields would
    be read as both (a table replaced by a later one of its extension does not count)."""
    in_use: dict[str, Table] = {}
    for table in tables:
        in_use[table.name] = table
    owner: dict[str, Table] = {}
    faults = []
    for table in in_use.values():
        if table.prefix in owner:
            other = owner[table.prefix]
            faults.append(MappingError(f"prefix '{table.prefix}' is that of extension '{other.name}' too "
                                       f"({other.file}); give each extension its own", source=table.file,
                                       pointer="/prefix"))
        owner.setdefault(table.prefix, table)
    return faults


def _twice_in_one_directory(tables: list[Table]) -> list[MappingError]:
    """A table of an extension another file of the same directory has already: which one counts
    would hang on the file names (a table replaces another only from a later directory)."""
    first: dict[str, Table] = {}
    faults = []
    for table in tables:
        if table.name in first:
            faults.append(MappingError(f"extension '{table.name}' has a table in this directory already "
                                       f"({Path(first[table.name].file).name}); keep one", source=table.file,
                                       pointer="/extension"))
        first.setdefault(table.name, table)
    return faults


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
            errors.extend(exc.faults if isinstance(exc, MappingFaults) else [exc])
            continue
        in_dir: list[Table] = []
        for path in paths:
            try:
                in_dir.append(load_table(path, vocabulary))
            except MappingError as exc:  # each fault of the file on its own
                errors.extend(exc.faults if isinstance(exc, MappingFaults) else [exc])
        twice = _twice_in_one_directory(in_dir)
        errors += twice
        tables += [t for t in in_dir if t.file not in {f.source for f in twice}]
    shared = _shared_prefixes(tables)
    return [t for t in tables if t.file not in {f.source for f in shared}], errors + shared


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
