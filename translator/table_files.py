"""Reading a mapping table file: strict safe YAML (:mod:`translator.safe_yaml`), JSON values
only, then the mapping-format schema. Every fault is one MappingError naming the file (and the
JSON pointer and rule, for a format error); a file with several is one MappingFaults."""
from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import safe_yaml
from .errors import MappingError, MappingFaults
from .pointer import join

_HERE = Path(__file__).resolve().parent
_FORMAT_SCHEMA = _HERE / "schemas" / "mapping-format.json"
_PIVOT_FILE = "pivot.yaml"
TABLE_SUFFIXES = (".yaml", ".yml")
_VOCABULARY_FILES = tuple(f"pivot{suffix}" for suffix in TABLE_SUFFIXES)
_MESSAGE_LIMIT = 300  # characters of a format error's message (the schema quotes the value it refuses)


def builtin_dir() -> Path:
    """Tables shipped with the package (wheel) or, in a source checkout, the repo's mappings/."""
    packaged = _HERE / "mappings"
    return packaged if packaged.is_dir() else _HERE.parent / "mappings"


@lru_cache(maxsize=1)
def _format_validator():
    import jsonschema
    schema = json.loads(_FORMAT_SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator(schema)


def read_yaml(path: Path) -> Any:
    """The file's data; a fault is a MappingError naming the file (the values JSON cannot hold:
    one MappingFaults naming each, with its JSON pointer and rule)."""
    try:
        return safe_yaml.load(path.read_bytes(), what="the table")[0]
    except safe_yaml.NotJson as exc:
        raise MappingFaults([MappingError(f"{what}{_rule_named(exc.data, where)}", source=str(path),
                                          pointer=join(where) or "/") for where, what in exc.faults]) from None
    except safe_yaml.YamlFault as exc:
        raise MappingError(str(exc), source=str(path)) from None
    except OSError as exc:
        raise MappingError(f"cannot read: {exc.strerror}", source=str(path)) from None


def read_table_file(path: Path) -> dict:
    """The table's data, checked against the mapping-format schema (not yet compiled); every
    format error of the file is raised at once."""
    raw = read_yaml(path)
    if not isinstance(raw, dict):
        raise MappingError("a mapping table must be a YAML mapping", source=str(path))
    errors = sorted(_format_validator().iter_errors(raw), key=lambda e: list(e.absolute_path))
    if errors:
        raise MappingFaults([MappingError(_shortened(err.message) + _rule_named(raw, err.absolute_path),
                                          source=str(path), pointer=join(err.absolute_path) or "/")
                             for err in errors])
    return raw


def _rule_named(raw: Any, where) -> str:
    """' (rule ID)' when *where* (a path into the table) is inside a rule that has an id."""
    where = list(where)
    if len(where) < 2 or where[0] != "rules" or type(raw) is not dict or type(raw.get("rules")) is not list:
        return ""
    rule = raw["rules"][where[1]] if type(where[1]) is int and where[1] < len(raw["rules"]) else None
    return f" (rule '{rule.get('id')}')" if isinstance(rule, dict) and type(rule.get("id")) is str else ""


def _shortened(message: str) -> str:
    return message if len(message) <= _MESSAGE_LIMIT else message[:_MESSAGE_LIMIT - 1] + "…"


@lru_cache(maxsize=1)
def plugin_dirs() -> tuple[Path, ...]:
    """Table directories that installed packages declare in the ``stacml.mappings`` entry-point
    group (each names a path, or a function returning one), found once per process. A plugin
    that cannot be imported is skipped with a warning; a broken table in its directory is a
    MappingError naming the file, as for any table."""
    from importlib.metadata import entry_points
    found = []
    for ep in sorted(entry_points(group="stacml.mappings"), key=lambda e: e.name):
        try:
            value = ep.load()
            directory = Path(value() if callable(value) else value)
            if not directory.is_dir():
                raise OSError(f"{directory} is not a directory")
            found.append(directory)
        except Exception as exc:  # a broken plugin must not take the tool down
            import warnings
            warnings.warn(f"stacml: mapping plugin '{ep.name}' ({ep.value}) not loaded: {exc}")
    return tuple(found)


def load_vocabulary(directory: Path) -> dict:
    path = _pivot_file(directory) or directory / _PIVOT_FILE
    vocab = read_yaml(path)
    if not isinstance(vocab, dict) or vocab.get("format") != "stacml-pivot/1":
        raise MappingError("not a stacml-pivot/1 vocabulary", source=str(path))
    faults = [MappingError(what, source=str(path), pointer=join(where)) for where, what in _vocabulary_faults(vocab)]
    if faults:  # a section misspelt or of another shape would be skipped, its names unknown to every rule
        raise MappingFaults(faults)
    return vocab


_VOCABULARY_SECTIONS = {"fields": True, "asset_fields": True, "roles": False, "links": False}  # entry: an object?


def _vocabulary_faults(vocab: dict):
    for section, entries in vocab.items():
        if section == "format":
            continue
        if section not in _VOCABULARY_SECTIONS:
            yield [section], f"unknown section '{section}' (a vocabulary has {', '.join(_VOCABULARY_SECTIONS)})"
        elif not isinstance(entries, dict):
            yield [section], f"'{section}' must be a mapping of names"
        elif _VOCABULARY_SECTIONS[section]:
            yield from (([section, name], f"pivot field '{name}' must be described by a mapping (type, words, doc)")
                        for name, entry in entries.items() if not isinstance(entry, dict))


def _pivot_file(directory: Path) -> Path | None:
    """The directory's vocabulary, pivot.yaml or pivot.yml (not both: which would count?)."""
    found = [directory / name for name in _VOCABULARY_FILES if (directory / name).is_file()]
    if len(found) > 1:
        raise MappingError("holds both pivot.yaml and pivot.yml; keep one vocabulary", source=str(directory))
    return found[0] if found else None


def table_dirs(extra_dirs) -> list[Path]:
    """The built-in tables, those of installed plugins, then the user's (later ones win). A
    directory named again (the built-in one given to --mappings, or one given twice) counts
    once, where it comes last; the built-in one always first (its vocabulary is the base)."""
    if isinstance(extra_dirs, (str, os.PathLike)):
        extra_dirs = [extra_dirs]
    builtin = builtin_dir()
    later: dict[str, Path] = {}
    for directory in [*plugin_dirs(), *(Path(d) for d in extra_dirs)]:
        same = os.path.realpath(directory)
        if same != os.path.realpath(builtin):
            later.pop(same, None)
            later[same] = directory
    return [builtin, *later.values()]


def add_vocabulary(vocabulary: dict, directory: Path) -> None:
    if _pivot_file(directory) is not None:
        for section, entries in load_vocabulary(directory).items():
            if isinstance(entries, dict):
                vocabulary.setdefault(section, {}).update(entries)


def table_files_in(directory: Path) -> list[Path]:
    """The tables of a directory: every *.yaml and *.yml file but the vocabulary, by name."""
    if not directory.is_dir():
        what = "not a mapping directory: it is a file" if directory.exists() else "mapping directory does not exist"
        raise MappingError(what, source=str(directory))
    return sorted(p for p in directory.iterdir()
                  if p.suffix.lower() in TABLE_SUFFIXES and p.name not in _VOCABULARY_FILES)
