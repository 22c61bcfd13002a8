"""``stacml audit`` (what a migration would lose, for people and CI) and ``stacml crosswalk``."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from translator import jsonio
from translator.cli.common import (EXTENSIONS, LENIENT_HELP, PREFER_HELP, VERSION_HELP, checked_table,
                                   checked_fill_values, checked_version, guarded, load_tables, passed_over,
                                   sources_exist, tables_option)
from translator.errors import NoExtensionError, TranslatorError
from translator.failon import click_callback

def _documents(sources, lenient: bool, output: Path | None = None, annotate=None):
    """(label, doc or None, error or None) for every document of every source, read the way
    ``stacml convert`` reads them. A file read that is the existing *output* stops the audit
    (a usage error, before anything is written): the report would replace a document that a
    source catalog links to. *annotate*: see passed_over."""
    from translator.sources import iter_documents
    report_file = _file_id(output) if output is not None else None
    last = None
    for item in iter_documents([str(s) for s in sources], lenient_json=lenient):
        if report_file is not None and item.path is not None and item.path is not last:
            last = item.path  # the features of an ItemCollection share their file: one stat for all
            if _file_id(item.path) == report_file:
                click.echo(f"error: -o {output} is the document {item.path}, which this audit reads: write the "
                           "report elsewhere", err=True)
                sys.exit(2)
        if passed_over(item, annotate):
            continue
        label = item.label + (f" {item.pointer}" if item.pointer else "")
        yield label, item.document, item.error


@click.command("audit")
@click.argument("sources", nargs=-1, required=True)
@click.option("--to", "to", required=True, metavar="EXT",
              help="Target extension: " + ", ".join(EXTENSIONS) + ", or one a --mappings table or plugin adds.")
@click.option("--to-version", "version", metavar="V", help=VERSION_HELP)
@click.option("--prefer", metavar="EXT", help=PREFER_HELP)
@click.option("--keep-existing", is_flag=True, help="Audit as convert --keep-existing would translate.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown", "github", "junit"]), default="text",
              show_default=True, help="github: the text report after one GitHub Actions annotation per "
                                      "(field, kind), failure and invalid-output group; junit: a JUnit XML "
                                      "report, one test case per (field, kind), failed as --fail-on says.")
@click.option("--fail-on", "fail_on", multiple=True, metavar="KIND",
              callback=click_callback(("dropped", "unknown")),
              help="Exit 1 when losses of these kinds are found (default: dropped unknown; 'none' never).")
@click.option("--fill-required", is_flag=True, help="Audit as convert --fill-required would translate.")
@click.option("--fill-values", "fill_values_path", metavar="FILE",
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Audit as convert --fill-values FILE would translate.")
@click.option("--lenient-json", is_flag=True, help=LENIENT_HELP)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the report here.")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False), metavar="AUDIT.json",
              help="An earlier audit report (--format json) whose (field, kind) pairs are accepted: only "
                   "losses outside it count for --fail-on.")
@tables_option
@guarded
def audit_cmd(sources, to, version, prefer, keep_existing, fmt, fail_on, fill_required, fill_values_path, lenient_json, output,
              baseline_path, mapping_dirs):
    """Report what translating SOURCES to --to would lose, without writing any document.

    SOURCES are what `stacml convert` accepts (files, catalogs, directories, ItemCollections,
    NDJSON, - for stdin). Exit codes: 0 nothing of the --fail-on kinds (outside the --baseline, if
    given), 1 some found (or, unless --fail-on none, a document failed to translate), 2 usage error (a SOURCE that does not exist too),
    3 some documents could not be read."""
    from translator import translate
    from translator.audit import Audit, Baseline, annotation, to_github, to_junit, to_markdown, to_text

    kinds = fail_on
    sources_exist(sources)
    if output is not None:
        _not_an_input(str(output), sources)
    tables = load_tables(mapping_dirs)
    target = checked_table(tables, to)
    audit = Audit(target.name, checked_version(target, version))
    prefer = checked_table(tables, prefer, "--prefer").name if prefer is not None else None
    github_lines: list[str] = []  # --format github: what the other formats say on stderr, before the report

    def annotate(level: str, label: str, message: str) -> None:
        github_lines.append(annotation(level, label, f"stacml audit -> {target.name} {audit.version}", message) + "\n")
    annotate = annotate if fmt == "github" else None
    fill_values = (target.check_fill_values(checked_fill_values(target, audit.version, fill_values_path,
                                                                lenient_json), audit.version)
                   if fill_values_path else None)  # prepared once for every document
    if baseline_path is not None:
        try:
            audit.baseline = Baseline.load(baseline_path)
        except TranslatorError as exc:
            raise click.UsageError(f"--baseline {exc.message}") from None
        if audit.baseline.extension != target.name:
            raise click.UsageError(f"--baseline {baseline_path} audits a migration to "
                                   f"{audit.baseline.extension}, not {target.name}")
        if audit.baseline.version != audit.version:
            older = f"audited {target.name} {audit.baseline.version}; this audit is for {audit.version}"
            if annotate is not None:
                annotate("notice", str(baseline_path), f"--baseline {older}")
            else:
                click.echo(f"note: --baseline {baseline_path} {older}", err=True)
    for label, doc, error in _documents(sources, lenient_json, output, annotate):
        if error is not None:
            audit.add_unreadable(label, error)
            continue
        if doc.get("type") == "Catalog":  # no ML extension describes a Catalog: convert copies it
            audit.add_skipped(label)
            continue
        try:
            result = translate(doc, target.name, version, fill_required=fill_required, tables=tables,
                               prefer=prefer, fill_values=fill_values, keep_existing=keep_existing)
        except NoExtensionError:
            audit.add_skipped(label)  # convert copies such documents unchanged
            continue
        except TranslatorError as exc:
            audit.add_failure(label, exc)
            continue
        audit.add(label, doc, result.report)
    data = audit.to_dict()
    renderers = {"json": lambda d: json.dumps(d, indent=2, ensure_ascii=False, default=str) + "\n",
                 "markdown": to_markdown, "text": to_text, "github": lambda d: to_github(d, kinds),
                 "junit": lambda d: to_junit(d, kinds)}
    _emit("".join(github_lines) + renderers[fmt](data), output)
    if audit.unreadable:
        sys.exit(3)
    if audit.found(kinds) or (audit.failed and kinds):
        sys.exit(1)


@click.command("crosswalk")
@click.option("--from", "source", metavar="EXT", help="Only this source extension.")
@click.option("--to", "target", metavar="EXT", help="Only this target extension.")
@click.option("--format", "fmt", type=click.Choice(["markdown", "html", "json"]), default="markdown",
              show_default=True, help="markdown (as docs/crosswalk.md), html (one page with a legend) or json "
                                      "(format stacml-crosswalk/1: the rows of each pair of extensions asked for).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write it here.")
@tables_option
@guarded
def crosswalk_cmd(source, target, fmt, output, mapping_dirs):
    """The field coverage matrix between extensions, derived from the mapping tables.

    --from and --to, given together, name two different extensions: a document translated to
    its own extension and version comes back unchanged, and the pair is a usage error (exit 2)."""
    from translator.crosswalk import crosswalk, to_html, to_markdown
    from translator.tables import builtin_dir

    tables = load_tables(mapping_dirs)
    source, target = (checked_table(tables, name, option).name if name is not None else None
                      for name, option in ((source, "--from"), (target, "--to")))
    if source is not None and source == target:  # the identity: nothing is lost, whatever the rules say
        raise click.UsageError(f"--from and --to both name {source}: a document translated to its own "
                               "extension and version comes back unchanged (version changes: docs/mlm-versions.md)")
    data = crosswalk(tables, source, target)
    builtin = builtin_dir().resolve()
    docs = source is None and target is None and all(Path(t.file).resolve().parent == builtin for t in tables.ordered)
    renderers = {"json": lambda d: json.dumps(d, indent=2, ensure_ascii=False) + "\n",
                 "html": to_html, "markdown": lambda d: to_markdown(d, docs)}
    _emit(renderers[fmt](data), output)


def _not_an_input(output: str, sources) -> None:
    """-o must not overwrite a source file, nor go inside a source directory (the next audit
    would read the report as a document)."""
    import os
    from translator.destinations import path_contains, same_file
    for source in map(str, sources):
        if "://" in source or source == "-":
            continue
        if os.path.isdir(source):
            clash = path_contains(os.path.realpath(source), os.path.realpath(output))
        else:
            clash = same_file(output, source)
        if clash:
            click.echo(f"error: -o {output} is {'inside ' if os.path.isdir(source) else ''}the input "
                       f"{source}: write the report elsewhere", err=True)
            sys.exit(2)


def _file_id(path) -> tuple[int, int] | None:
    """What tells a file from every other (None when there is none): a link or another name
    for the same file is the same file."""
    import os
    try:
        found = os.stat(path)
    except (OSError, ValueError):
        return None
    return found.st_dev, found.st_ino


def _emit(text: str, output: Path | None) -> None:
    if output is not None:
        jsonio.write_atomic(output, text.encode("utf-8"))
    else:
        click.echo(text, nl=False)


COMMANDS = [audit_cmd, crosswalk_cmd]
