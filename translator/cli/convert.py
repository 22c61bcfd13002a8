"""``stacml convert`` and ``stacml detect``: one document at a time, thin over the library."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from translator import jsonio
from translator.errors import TranslatorError

EXTENSIONS = ("dlm", "ml-model", "tdml", "mlm")


def fail(label: str, message: str, code: int = 1):
    click.echo(f"error: {label}: {message}" if label else f"error: {message}", err=True)
    sys.exit(code)


def guarded(fn):
    """Run a command body; library errors become one line and exit 1, never a traceback."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except TranslatorError as exc:
            fail("", str(exc))
        except click.exceptions.Exit:
            raise
        except (click.ClickException, SystemExit):
            raise
        except KeyboardInterrupt:
            fail("", "interrupted", 130)
        except Exception as exc:  # last resort: still one line
            fail("", f"unexpected failure: {type(exc).__name__}: {exc}")
    return wrapper


def tables_option(fn):
    return click.option("--mappings", "mapping_dirs", multiple=True, metavar="DIR",
                        type=click.Path(exists=True, file_okay=False),
                        help="Directory of extra mapping tables (a table there replaces the built-in one).")(fn)


def load_tables(mapping_dirs):
    from translator.tables import default_tables
    return default_tables(mapping_dirs)


def print_report_summary(label: str, report) -> None:
    kinds = report.kinds()
    parts = [f"{n} {k}" for k, n in sorted(kinds.items())]
    click.echo(f"{label}: {report.source[0]} {report.source[1]} -> {report.target[0]} {report.target[1]}: "
               + (", ".join(parts) if parts else "nothing lost"), err=True)
    for finding in report.findings:  # what the translation changed or noticed
        click.echo(f"note: {label}: {finding.pointer or '/'}: {finding.message}", err=True)
    for problem in report.problems:
        click.echo(f"warning: {label}: {problem}", err=True)


@click.command("convert")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--to", "to", required=True, type=click.Choice(EXTENSIONS), help="Target extension.")
@click.option("--to-version", "--version", "version", metavar="V", help="Target version (default: the newest).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the result here (atomically) instead of stdout.")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the loss report (JSON) here.")
@click.option("--fill-required", is_flag=True,
              help="Write marked placeholders for required target fields the source lacks.")
@click.option("--validate", is_flag=True, help="Validate the output offline; exit 1 when it is invalid.")
@click.option("--lenient-json", is_flag=True, help="Accept // and /* */ comments and trailing commas.")
@click.option("--training-data", "training_data", multiple=True, metavar="DATASET",
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Dataset document (e.g. a tdml Collection) the model was trained on. Repeatable.")
@tables_option
@guarded
def convert_cmd(file, to, version, output, report_path, fill_required, validate, lenient_json, training_data,
                mapping_dirs):
    """Translate one STAC Item or Collection FILE to extension --to.

    The loss report summary goes to stderr; --report writes it in full."""
    from translator import translate

    if not file.exists():
        fail(str(file), "no such file", 2)
    doc, fixes = jsonio.load(file, lenient=lenient_json)
    datasets = [jsonio.load(p, lenient=lenient_json)[0] for p in training_data]
    try:
        result = translate(doc, to, version, fill_required=fill_required, validate=validate,
                           training_data=datasets or None, tables=load_tables(mapping_dirs))
    except TranslatorError as exc:
        fail(str(file), f"{exc.pointer + ': ' if exc.pointer else ''}{exc.message}")
    if fixes:
        result.report.finding("", "lenient-json", f"{fixes} comment(s) or trailing comma(s) removed")
    data = jsonio.dumps(result.document)
    if output is not None:
        jsonio.write_atomic(output, data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    if report_path is not None:
        rep = dict(result.report.to_dict())
        rep["file"] = str(file)
        jsonio.write_atomic(report_path, jsonio.dumps(rep))
    print_report_summary(str(file), result.report)
    if validate and result.report.validation is None:
        fail(str(file), "output not validated: no schema available (see `stacml schemas --help`)")
    if validate and result.report.validation:
        for issue in result.report.validation:
            click.echo(f"invalid: {file}: {issue.pointer or '(root)'}: {issue.message}", err=True)
        sys.exit(1)


@click.command("detect")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per file.")
@click.option("--lenient-json", is_flag=True, help="Accept // and /* */ comments and trailing commas.")
@tables_option
@guarded
def detect_cmd(files, as_json, lenient_json, mapping_dirs):
    """Print the ML extension and version each FILE uses."""
    from translator.detect import detect

    tables = load_tables(mapping_dirs)
    failed = 0
    for file in files:
        try:
            doc, _ = jsonio.load(file, lenient=lenient_json)
            found = detect(doc, tables)
        except TranslatorError as exc:
            failed += 1
            where = f"{exc.pointer}: " if exc.pointer else ""
            click.echo(f"error: {file}: {where}{exc.message}", err=True)
            continue
        if as_json:
            click.echo(json.dumps({"file": str(file), **found.to_dict()}))
        else:
            extra = f" (also: {', '.join(found.others)})" if found.others else ""
            how = "declared" if found.declared else "assumed"
            click.echo(f"{file}: {found.extension} {found.version} [{how}]{extra}")
    if failed:
        sys.exit(1)


COMMANDS = [convert_cmd, detect_cmd]
