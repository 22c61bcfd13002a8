"""``stacml validate``: offline check of STAC documents against core and extension schemas."""
from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import click
import orjson
import yaml

from translator.errors import TranslatorError


# -- minimal document reader (to be replaced by translator.jsonio once it exists) ------------------------


@dataclass
class _Doc:
    label: str  # file name, or file:line for NDJSON
    prefix: str  # JSON pointer of the document inside the file ("" or /features/N)
    doc: dict


@dataclass
class _Unreadable:
    label: str
    message: str


class _YamlLoader(yaml.SafeLoader):
    """SafeLoader that keeps timestamps as strings, as JSON would."""


_YamlLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _stringify_keys(node):
    # YAML allows integer keys (`0: background`); JSON documents only have string keys.
    if isinstance(node, dict):
        return {k if isinstance(k, str) else str(k): _stringify_keys(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_stringify_keys(v) for v in node]
    return node


def _legacy_iter_documents(sources):
    """Yield _Doc / _Unreadable for files, directories (recursive *.json), NDJSON and ItemCollections."""
    for source in sources:
        path = Path(source)
        if path.is_dir():
            files = sorted(f for f in path.rglob("*.json") if f.is_file())
            if not files:
                yield _Unreadable(str(path), "no *.json file in this directory")
            for file in files:
                yield from _legacy_read_file(file)
        else:
            yield from _legacy_read_file(path)


def _legacy_read_file(path: Path):
    label = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        yield _Unreadable(label, f"cannot read: {exc.strerror or exc}")
        return
    suffix = path.suffix.lower()
    if suffix in (".ndjson", ".jsonl"):
        for number, line in enumerate(raw.splitlines(), 1):
            if line.strip():
                try:
                    doc = orjson.loads(line)
                except orjson.JSONDecodeError as exc:
                    yield _Unreadable(f"{label}:{number}", f"invalid JSON at line {number} column {exc.colno}: {exc.msg}")
                    continue
                yield from _legacy_expand(f"{label}:{number}", doc)
        return
    if suffix in (".yml", ".yaml"):
        try:
            doc = _stringify_keys(yaml.load(raw, Loader=_YamlLoader))
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" at line {mark.line + 1} column {mark.column + 1}" if mark else ""
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            yield _Unreadable(label, f"invalid YAML{where}: {problem}")
            return
    else:
        try:
            doc = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            yield _Unreadable(label, f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}")
            return
    yield from _legacy_expand(label, doc)


def _legacy_expand(label: str, doc):
    if isinstance(doc, dict) and doc.get("type") == "FeatureCollection" and isinstance(doc.get("features"), list):
        for index, feature in enumerate(doc["features"]):
            if isinstance(feature, dict):
                yield _Doc(label, f"/features/{index}", feature)
            else:
                yield _Unreadable(label, f"/features/{index}: a feature must be a JSON object")
    elif isinstance(doc, dict):
        yield _Doc(label, "", doc)
    else:
        yield _Unreadable(label, f"not a STAC document: the top level is a JSON {_json_type(doc)}, not an object")


def _json_type(value) -> str:
    return {list: "array", str: "string", bool: "boolean", type(None): "null"}.get(type(value), "number")


# -- the command --------------------------------------------------------------------------------------------


def _schema_label(uri: str) -> str:
    """Short name of a schema for output lines: ``mlm v1.5.2``, ``STAC v1.0.0 item``."""
    parts = uri.split("/")
    if uri.startswith("https://stac-extensions.github.io/") and len(parts) >= 6:
        return f"{parts[3]} {parts[4]}"
    if uri.startswith("https://schemas.stacspec.org/") and len(parts) >= 6:
        if parts[4] == "extensions":
            return f"{parts[5]} {parts[3]}"
        return f"STAC {parts[3]} {parts[4].removesuffix('-spec')}"
    return uri


@click.command("validate")
@click.argument("sources", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--schemas", "schema_dirs", multiple=True, metavar="DIR",
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder of JSON Schemas (indexed by $id), searched first. Repeatable.")
@click.option("--no-core", is_flag=True, help="Skip the STAC core Item/Collection/Catalog schema.")
def validate_cmd(sources: tuple[Path, ...], schema_dirs: tuple[Path, ...], no_core: bool) -> None:
    """Validate STAC documents offline against the core schema and every schema in stac_extensions.

    SOURCES are JSON/YAML files, directories (every *.json below them), NDJSON files (.ndjson/.jsonl, one
    document per line) or ItemCollections (each feature). Errors are printed as
    `path: JSON pointer: message [schema]`. Exit code 1 when anything is invalid or unreadable.
    """
    try:
        code = _run(sources, schema_dirs, core=not no_core)
    except TranslatorError as exc:
        click.echo(f"error: {exc}", err=True)
        code = 1
    except Exception as exc:  # the CLI must never show a traceback
        click.echo(f"error: unexpected failure: {type(exc).__name__}: {exc}", err=True)
        code = 1
    if code:
        sys.exit(code)


def _run(sources, schema_dirs, *, core: bool) -> int:
    from translator.validation import SchemaStore, check_document

    store = SchemaStore.default(extra_dirs=schema_dirs)
    checked = valid = errors = unreadable = 0
    warned: set[str] = set()
    for item in _legacy_iter_documents(sources):
        if isinstance(item, _Unreadable):
            unreadable += 1
            click.echo(f"{item.label}: {item.message}")
            continue
        checked += 1
        try:
            report = check_document(item.doc, store, core=core)
        except TranslatorError as exc:
            unreadable += 1
            click.echo(f"{item.label}: {item.prefix or '(root)'}: {exc}")
            continue
        for message in report.warnings:
            if message not in warned:
                warned.add(message)
                click.echo(f"warning: {item.label}: {message}", err=True)
        for declared, exc in report.missing:
            click.echo(f"{item.label}: {item.prefix or '(root)'}: cannot check stac_extensions entry "
                       f"{declared!r}: {exc.message}")
        for issue in report.issues:
            pointer = item.prefix + issue.pointer or "(root)"
            click.echo(f"{item.label}: {pointer}: {issue.message} [{_schema_label(issue.schema)}]")
        errors += len(report.issues) + len(report.missing)
        valid += report.valid
    invalid = checked - valid
    summary = f"{checked} document(s) checked: {valid} valid, {invalid} invalid, {errors} error(s)"
    if unreadable:
        summary += f", {unreadable} unreadable"
    if warned:
        summary += f", {len(warned)} warning(s)"
    click.echo(summary)
    return 1 if invalid or unreadable else 0


COMMANDS = [validate_cmd]
