"""Reading a mapping table file: safe YAML only, then the mapping-format schema. Every fault
is one MappingError naming the file (and the JSON pointer and rule, for a format error)."""
from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .errors import MappingError

_HERE = Path(__file__).resolve().parent
_FORMAT_SCHEMA = _HERE / "schemas" / "mapping-format.json"
_PIVOT_FILE = "pivot.yaml"


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
    """The table's data; any fault is one MappingError line naming the file."""
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.safe_load(fh)  # safe loader: a table can never construct Python objects
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1} column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or " ".join(str(exc).split())
        raise MappingError(f"not valid YAML{where}: {problem}", source=str(path)) from None
    except UnicodeDecodeError as exc:
        raise MappingError(f"not valid YAML: not UTF-8 text (byte {exc.start})", source=str(path)) from None
    except RecursionError:
        raise MappingError("not valid YAML: nested too deeply", source=str(path)) from None
    except OSError as exc:
        raise MappingError(f"cannot read: {exc.strerror}", source=str(path)) from None


def read_table_file(path: Path) -> dict:
    """The table's data, checked against the mapping-format schema (not yet compiled)."""
    raw = read_yaml(path)
    if not isinstance(raw, dict):
        raise MappingError("a mapping table must be a YAML mapping", source=str(path))
    errors = sorted(_format_validator().iter_errors(raw), key=lambda e: list(e.absolute_path))
    if errors:
        err = errors[0]
        where = "/" + "/".join(str(p) for p in err.absolute_path)
        rule_id = ""
        if len(err.absolute_path) >= 2 and err.absolute_path[0] == "rules":
            rule = raw["rules"][err.absolute_path[1]]
            rule_id = f" (rule '{rule.get('id')}')" if isinstance(rule, dict) else ""
        raise MappingError(f"{err.message}{rule_id}", source=str(path), pointer=where)
    return raw


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
    vocab = read_yaml(directory / _PIVOT_FILE)
    if not isinstance(vocab, dict) or vocab.get("format") != "stacml-pivot/1":
        raise MappingError("not a stacml-pivot/1 vocabulary", source=str(directory / _PIVOT_FILE))
    return vocab


def table_dirs(extra_dirs) -> list[Path]:
    """The built-in tables, those of installed plugins, then the user's (later ones win)."""
    if isinstance(extra_dirs, (str, os.PathLike)):
        extra_dirs = [extra_dirs]
    return [builtin_dir(), *plugin_dirs()] + [Path(d) for d in extra_dirs]


def add_vocabulary(vocabulary: dict, directory: Path) -> None:
    if (directory / _PIVOT_FILE).is_file():
        for section, entries in load_vocabulary(directory).items():
            if isinstance(entries, dict):
                vocabulary.setdefault(section, {}).update(entries)


def table_files_in(directory: Path) -> list[Path]:
    if not directory.is_dir():
        raise MappingError("mapping directory does not exist", source=str(directory))
    return [p for p in sorted(directory.glob("*.yaml")) if p.name != _PIVOT_FILE]
