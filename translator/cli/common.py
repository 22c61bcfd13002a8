"""What every ``stacml`` command shares: one-line errors (exit 1 for a document, 2 for a usage
error), a quiet stop when stdout closes, the --mappings option and the checks of the options
that name an extension, a version or a file, made before any document is read."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from translator import jsonio
from translator.errors import TranslatorError, one_line

EXTENSIONS = ("dlm", "ml-model", "tdml", "mlm")


def fail(label: str, message: str, code: int = 1):
    click.echo(one_line(f"error: {label}: {message}" if label else f"error: {message}"), err=True)
    sys.exit(code)


def sources_exist(sources) -> None:
    """A SOURCE that does not exist is a usage error (exit 2), before any document is read, as
    in every command: a mistyped path must not pass for a run over nothing, or an unreadable one."""
    from translator.sources import kind_of
    for source in map(str, sources):
        if kind_of(source) == "missing":
            fail(source, "no such file or directory", 2)


PIPE_CLOSED = 141  # what a shell reports for a tool stopped by SIGPIPE


def passed_over(source, annotate=None) -> bool:
    """True when a ``translator.sources.Source`` holds no document: a link or file deliberately
    not followed (a ``warning:`` line), or one of stacml's own reports (a ``note:`` line).
    *annotate(level, file, message)*, when given (``--format github``), receives it instead, as a
    ``warning`` or ``notice`` on its file, so that the Actions runner shows it."""
    if source.warning is None:
        return False
    level = "note" if source.report is not None else "warning"
    if annotate is None:
        click.echo(one_line(f"{level}: {source.label}: {source.warning}"), err=True)
        return True
    file, message = source.label, source.warning
    base = str(source.path) if source.path is not None else source.url
    if base and file.startswith(base + ": "):  # a link's warning: 'catalog.json: /links/3'
        file, message = base, f"{file[len(base) + 2:]}: {message}"
    annotate("notice" if level == "note" else "warning", file, message)
    return True


def pipe_closed():
    """The reader of stdout went away (``stacml convert - | head``): stop quietly, as other
    command-line tools do, instead of reporting a failure."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # the interpreter's final flush must not fail again
    except (OSError, ValueError):
        pass
    sys.exit(PIPE_CLOSED)


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
        except BrokenPipeError:
            pipe_closed()
        except Exception as exc:  # last resort: still one line
            fail("", f"unexpected failure: {type(exc).__name__}: {exc}")
    return wrapper


def tables_option(fn):
    return click.option("--mappings", "mapping_dirs", multiple=True, metavar="DIR",
                        type=click.Path(exists=True, file_okay=False),
                        help="Directory of extra mapping tables (a table there replaces the built-in one).")(fn)


def load_tables(mapping_dirs):
    """The tables of --mappings and STACML_MAPPINGS; one that cannot be loaded is a usage error
    (exit 2), as a bad option is: it fails the whole run before any document is read."""
    from translator.errors import MappingError
    from translator.tables import default_tables
    try:
        return default_tables(mapping_dirs)
    except MappingError as exc:
        fail("", str(exc), 2)


def checked_table(tables, name: str, option: str = "--to"):
    """The table of extension *name* (MLM, mlm: and mlm name mlm; ml_model is ml-model); an unknown
    one is a usage error (exit 2)."""
    try:
        return tables[name]
    except TranslatorError as exc:
        fail("", f"{option}: {exc.message}", 2)


def option_file(option: str, path: Path, lenient: bool = False, read=None):
    """The data of a JSON or YAML file an option names (or what *read* makes of it); one that
    cannot be read is a usage error (exit 2), found before any document is read, naming the
    option, the file and, where known, the JSON pointer. What --lenient-json repaired in it is
    said on a note line (no report covers the file)."""
    try:
        if read is not None:
            return read(str(path))
        data, fixes = jsonio.load(path, lenient=lenient)
    except TranslatorError as exc:
        named = exc.message if exc.message.startswith(str(path)) else f"{path}: {exc.detail}"
        fail("", f"{option} {named}", 2)
    for pointer, key, _ in getattr(fixes, "repeated", ()):
        click.echo(one_line(f"note: {option} {path}: {pointer or '/'}: the key '{key}' is repeated in its object; "
                            "read leniently, its last value is used"), err=True)
    if fixes > len(getattr(fixes, "repeated", ())):
        click.echo(one_line(f"note: {option} {path}: read leniently (comments or trailing commas removed)"), err=True)
    return data


def checked_fill_values(table, version: str, path: Path, lenient: bool = False):
    """The --fill-values file (a JSON or YAML object: required target field -> value), checked
    against the target table once, before any document is read: a bad one is a usage error."""
    values = option_file("--fill-values", path, lenient)
    if type(values) not in (dict, list):
        fail("", f"--fill-values {path}: give an object of field names to values (e.g. mlm:input: [...]), or "
                 "a list of {when, values} objects", 2)
    try:
        table.check_fill_values(values, version)
    except TranslatorError as exc:
        fail("", f"--fill-values {path}: {exc.message}", 2)
    return values  # the plain data, which travels to workers; each prepares it once (check_fill_values)


def checked_version(table, version: str | None, option: str = "--to-version") -> str:
    """The version *option* names (by default the target version); an unknown one is a usage
    error (exit 2), found before any document is read."""
    try:
        return table.check_version(version)
    except TranslatorError as exc:
        fail("", f"{option}: {exc.message}", 2)


LENIENT_HELP = "Accept // and /* */ comments and trailing commas, and keep the last value of a repeated key."
VERSION_HELP = "Target version (default: the newest); a line such as 1.5 names its newest release."
KEEP_EXISTING_HELP = ("A document read as another extension that already has fields of the target (a half-migrated "
                      "ml-model Item with mlm: fields) keeps their values where the translation would write others; "
                      "the translated values not used are reported dropped at the fields they came from.")
PREFER_HELP = ("A document that uses several ML extensions (e.g. a half-migrated ml-model Item that already "
               "has mlm: fields) is read as EXT; the others as detected.")
