"""``stacml validate``: offline check of STAC documents against core and extension schemas."""
from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import click

from translator.cli.common import LENIENT_HELP
from translator.errors import TranslatorError, one_line


# -- reading (translator.sources finds the documents, as every command does) ---------------------------


@dataclass
class _Doc:
    label: str  # file name, or file:line for NDJSON
    prefix: str  # JSON pointer of the document inside the file ("" or /features/N)
    doc: dict

    @property
    def name(self) -> str:
        """How lines name the document, as every command does: ``file /features/N`` for a feature."""
        return f"{self.label} {self.prefix}" if self.prefix else self.label


@dataclass
class _Unreadable:
    label: str
    message: str
    prefix: str = ""  # JSON pointer of the document inside the file ("" or /features/N), as for _Doc


def _stringify_keys(node):
    # YAML allows integer keys (`0: background`); JSON documents only have string keys.
    if isinstance(node, dict):
        return {k if isinstance(k, str) else str(k): _stringify_keys(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_stringify_keys(v) for v in node]
    return node


def _documents(sources, lenient: bool = False, annotate=None):
    """Yield _Doc / _Unreadable for the documents of *sources*, read as convert, detect and audit
    read them (translator.sources: a file given twice, or found again through a symlink, is
    checked once; stacml's own reports are skipped), except that a catalog's links are not
    followed: each file named or found in a directory is checked as it is. *annotate*: see passed_over."""
    from translator.cli.common import passed_over
    from translator.sources import iter_documents
    for src in iter_documents([str(s) for s in sources], lenient_json=lenient, follow_links=False):
        if passed_over(src, annotate):
            continue
        if src.error is not None:  # (an NDJSON line's error already names its line in the file)
            yield _Unreadable(src.label, src.error, src.pointer)
            continue
        doc = src.document
        if src.path is not None and src.path.suffix.lower() in (".yml", ".yaml"):
            doc = _stringify_keys(doc)
        yield _Doc(src.label, src.pointer, doc)


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
@click.argument("sources", nargs=-1, required=True, type=click.Path(exists=True, allow_dash=True, path_type=Path))
@click.option("--schemas", "schema_dirs", multiple=True, metavar="DIR",
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder of JSON Schemas (indexed by $id), searched first. Repeatable.")
@click.option("--no-core", is_flag=True, help="Skip the STAC core Item/Collection/Catalog schema.")
@click.option("--lenient-json", is_flag=True, help=LENIENT_HELP)
@click.option("--format", "fmt", type=click.Choice(["text", "github", "json", "junit"]), default="text",
              show_default=True,
              help="github: each error and warning as a GitHub Actions annotation on its file (NDJSON: its line); "
                   "json: one JSON document with every result and the totals (docs/validation.md); "
                   "junit: a JUnit XML report, one test case per document.")
@click.option("--strict-schemas", is_flag=True,
              help="Count the errors that a known fault of an official schema causes (set aside by default; "
                   "see docs/errata-mlm.md).")
def validate_cmd(sources: tuple[Path, ...], schema_dirs: tuple[Path, ...], no_core: bool, lenient_json: bool,
                 fmt: str, strict_schemas: bool) -> None:
    """Validate STAC documents offline against the core schema and every schema in stac_extensions.

    SOURCES are JSON/YAML files, directories (every *.json below them), NDJSON files (.ndjson/.jsonl, one
    document per line), ItemCollections (each feature) or - for stdin (read as `stacml convert -` reads it). Errors are printed as
    `path: JSON pointer: message [schema]` (`path /features/N: ...` for a feature, `path:LINE: ...` for an NDJSON line). Errors that a known fault of an official schema causes (MLM
    rejects every array summary) are printed but set aside, unless --strict-schemas. Exit code 1 when
    anything is invalid or unreadable.
    """
    try:
        code = _run(sources, schema_dirs, core=not no_core, lenient=lenient_json, fmt=fmt,
                    strict_schemas=strict_schemas)
    except TranslatorError as exc:
        click.echo(one_line(f"error: {exc}"), err=True)
        code = 1
    except BrokenPipeError:
        from translator.cli.common import pipe_closed
        pipe_closed()
    except Exception as exc:  # the CLI must never show a traceback
        click.echo(f"error: unexpected failure: {type(exc).__name__}: {exc}", err=True)
        code = 1
    if code:
        sys.exit(code)


def _run(sources, schema_dirs, *, core: bool, lenient: bool = False, fmt: str = "text",
         strict_schemas: bool = False) -> int:
    from translator.audit import annotation
    from translator.schema_errata import ERRATA
    from translator.validation import SchemaStore, check_document

    results: list[dict] = []  # --format json: one entry per document or unreadable input

    def error(label: str, text: str, level: str = "error") -> None:
        if fmt == "github":
            click.echo(annotation(level, label, "stacml validate", text))
        elif fmt == "text":  # one line per error, whatever a key holds (a newline, ESC)
            click.echo(one_line(f"{label}: {text}"))

    def warn(level: str, label: str, text: str) -> None:
        """What is said on stderr in the other formats; an annotation in GitHub format, which the
        Actions runner shows (it reads stdout, where the other annotations are)."""
        if fmt == "github":
            click.echo(annotation(level, label, "stacml validate", text))
        else:
            click.echo(one_line(f"{'note' if level == 'notice' else level}: {label}: {text}"), err=True)

    def unreadable_input(label: str, prefix: str, text: str, where: str = "") -> None:
        """*prefix*: the document's pointer in the file (lines name a feature `file /features/N`,
        as other commands do); *where*: the pointer inside the document the failure is at, if any.
        --format json gives file and document apart, as for any document."""
        name = f"{label} {prefix}" if prefix else label
        line = f"{where}: {text}" if where else text
        if fmt == "text":  # a failure, not a finding of the schemas: said as the other commands say it
            click.echo(one_line(f"error: {name}: {line}"))
        else:
            error(name, line)
        results.append({"file": label, "document": prefix, "error": text})

    store = SchemaStore.default(extra_dirs=schema_dirs)
    checked = valid = errors = unreadable = 0
    set_aside: dict[str, list[int]] = {}  # erratum id -> [errors, documents]
    warned: dict[str, None] = {}
    for item in _documents(sources, lenient, warn if fmt == "github" else None):
        if isinstance(item, _Unreadable):
            unreadable += 1
            unreadable_input(item.label, item.prefix, item.message)
            continue
        checked += 1
        try:
            report = check_document(item.doc, store, core=core, strict_schemas=strict_schemas)
        except TranslatorError as exc:
            unreadable += 1
            unreadable_input(item.label, item.prefix, str(exc), "(root)")
            continue
        for message in report.warnings:
            if message not in warned:
                warned[message] = None
                warn("warning", item.name, message)
        for declared, problem in report.missing:
            error(item.name, f"(root): cannot check stac_extensions entry {declared!r}: {problem.message}")
        for issue in report.issues:  # (pointers into the document; a feature is named before them)
            erratum = f" (schema erratum {issue.erratum})" if issue.erratum else ""
            error(item.name, f"{issue.pointer or '(root)'}: {issue.message} [{_schema_label(issue.schema)}]{erratum}")
        for issue in report.errata:
            error(item.name, f"{issue.pointer or '(root)'}: {issue.message} [{_schema_label(issue.schema)}] "
                             f"(schema erratum {issue.erratum}: set aside)", "notice")
        for erratum in dict.fromkeys(issue.erratum for issue in report.errata):
            tally = set_aside.setdefault(erratum, [0, 0])
            tally[0] += sum(issue.erratum == erratum for issue in report.errata)
            tally[1] += 1
        errors += len(report.issues) + len(report.missing)
        valid += report.valid
        if fmt in ("json", "junit"):
            results.append(_json_result(item, report))
    errata = [(erratum, *set_aside[erratum.id]) for erratum in ERRATA if erratum.id in set_aside]
    for erratum, count, documents in errata:
        click.echo(f"note: {count} error(s) in {documents} document(s) set aside as schema erratum "
                   f"{erratum.id}: {erratum.note} ({erratum.doc}); --strict-schemas counts them", err=True)
    invalid = checked - valid
    totals = {"checked": checked, "valid": valid, "invalid": invalid, "errors": errors,
              "set_aside": sum(count for count, _ in set_aside.values()), "unreadable": unreadable,
              "warnings": len(warned)}
    if fmt == "json":
        import json
        click.echo(json.dumps({
            "format": "stacml-validate/1", "documents": results, "warnings": list(warned),
            "errata": [{"id": e.id, "note": e.note, "doc": e.doc, "errors": count, "documents": documents}
                       for e, count, documents in errata],
            "totals": totals}, indent=2, ensure_ascii=False))
    elif fmt == "junit":
        click.echo(_junit(results), nl=False)
    else:
        summary = f"{checked} document(s) checked: {valid} valid, {invalid} invalid, {errors} error(s)"
        if set_aside:
            summary += f", {totals['set_aside']} set aside (known schema errata)"
        if unreadable:
            summary += f", {unreadable} unreadable"
        if warned:
            summary += f", {len(warned)} warning(s)"
        click.echo(summary)
    return 1 if invalid or unreadable else 0


def _json_result(item: _Doc, report) -> dict:
    def issue(i) -> dict:
        entry = {"pointer": i.pointer, "message": i.message, "schema": i.schema}
        if i.erratum:
            entry["erratum"] = i.erratum
        return entry
    return {"file": item.label, "document": item.prefix, "valid": report.valid,
            "errors": [issue(i) for i in report.issues],
            "missing": [{"declared": declared, "message": problem.message} for declared, problem in report.missing],
            "set_aside": [issue(i) for i in report.errata],
            "checked": report.checked}


def _junit(results: list[dict]) -> str:
    """One JUnit test case per document (failed when invalid: its errors as the text) and per
    unreadable input (an error), for CI systems that show JUnit reports."""
    import xml.etree.ElementTree as ET

    from translator.junit import junit_document
    suite = ET.Element("testsuite", name="stacml validate")
    failures = errors = 0
    for entry in results:
        name = entry["file"] + (f" {entry['document']}" if entry.get("document") else "")
        case = ET.SubElement(suite, "testcase", classname="validate", name=name)
        if "error" in entry:
            errors += 1
            ET.SubElement(case, "error", message=entry["error"]).text = entry["error"]
            continue
        lines = [one_line(f"{e['pointer'] or '(root)'}: {e['message']} [{_schema_label(e['schema'])}]")
                 for e in entry["errors"]]
        lines += [one_line(f"cannot check stac_extensions entry {m['declared']!r}: {m['message']}")
                  for m in entry["missing"]]
        if not entry["valid"]:
            failures += 1
            ET.SubElement(case, "failure", message=lines[0] if lines else "invalid").text = "\n".join(lines)
        elif entry["set_aside"]:
            ET.SubElement(case, "system-out").text = "\n".join(one_line(
                f"{e['pointer'] or '(root)'}: {e['message']} [{_schema_label(e['schema'])}] (schema erratum "
                f"{e['erratum']}: set aside)") for e in entry["set_aside"])
    counts = {"tests": str(len(results)), "failures": str(failures), "errors": str(errors)}
    suite.attrib.update(counts)
    suites = ET.Element("testsuites", name="stacml validate", **counts)
    suites.append(suite)
    return junit_document(suites)


COMMANDS = [validate_cmd]
