"""``stacml convert``: one document, or a whole catalog through translator.catalog."""
from __future__ import annotations

import os
import sys
from dataclasses import replace
from pathlib import Path

import click

from translator import jsonio
from translator.cli.common import (EXTENSIONS, KEEP_EXISTING_HELP, LENIENT_HELP, PREFER_HELP, VERSION_HELP, checked_fill_values,
                                   checked_table, checked_version, fail, guarded, load_tables, option_file,
                                   tables_option)
from translator.json_style import DEFAULT, JsonStyle, dumps_styled, style_of
from translator.errors import TranslatorError, one_line
from translator.failon import HELP as FAIL_ON_HELP, click_callback


NOT_VALIDATED = "not validated: "  # how a problem of the --validate step itself begins (api.translate)


def print_report_summary(label: str, report, quiet: bool = False) -> None:
    """The summary line and a note per finding (unless *quiet*), and a warning per problem of
    the output (always: the output is known not to be schema-valid, as in a catalog run)."""
    if not quiet:
        parts = [f"{n} {k}" for k, n in sorted(report.kinds().items())]
        click.echo(f"{label}: {report.source[0]} {report.source[1]} -> {report.target[0]} {report.target[1]}: "
                   + (", ".join(parts) if parts else "nothing lost"), err=True)
        for finding in report.findings:  # what the translation changed or noticed
            click.echo(one_line(f"note: {label}: {finding.pointer or '(root)'}: {finding.message}"), err=True)
    for problem in report.problems:
        if not problem.startswith(NOT_VALIDATED):  # (the error line that follows names it)
            click.echo(one_line(f"warning: {label}: {problem}"), err=True)


FILL_VALUES_HELP = ("Values for required target fields the source has none for: a JSON or YAML object of field "
                    "names to values (e.g. mlm:input, mlm:output), or a list of {when: jmespath condition on "
                    "the source, values: object} entries, the first that holds giving each field. Used before "
                    "any guess or placeholder, written as given (--validate checks them), each reported as "
                    "assumed.")


@click.command("convert")
@click.argument("src", metavar="SRC")
@click.option("--to", "to", metavar="EXT",
              help="Target extension: " + ", ".join(EXTENSIONS) + ", or one a --mappings table or an installed "
                   "plugin adds (required, except with --restore: each document goes back to its own).")
@click.option("--to-version", "--version", "version", metavar="V", help=VERSION_HELP)
@click.option("--prefer", metavar="EXT", help=PREFER_HELP)
@click.option("--keep-existing", is_flag=True, help=KEEP_EXISTING_HELP)
@click.option("-o", "--output", metavar="PATH",
              help="A file for one document (default: stdout); OUT_DIR for a catalog or a directory.")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the loss report (JSON) here: per document plus totals for a catalog.")
@click.option("--fill-required", is_flag=True,
              help="Write marked placeholders for required target fields the source lacks.")
@click.option("--fill-values", "fill_values_path", metavar="FILE",
              type=click.Path(exists=True, dir_okay=False, path_type=Path), help=FILL_VALUES_HELP)
@click.option("--validate", is_flag=True, help="Validate every output offline; exit 1 when one is invalid.")
@click.option("--schemas", "schema_dirs", multiple=True, metavar="DIR", type=click.Path(exists=True, file_okay=False),
              help="With --validate: a folder of JSON Schemas (indexed by $id), searched first. Repeatable.")
@click.option("--fail-on", "fail_on", multiple=True, metavar="KIND", callback=click_callback(),
              help=FAIL_ON_HELP + " Repeatable or comma-separated; default: none.")
@click.option("--lenient-json", is_flag=True, help=LENIENT_HELP)
@click.option("--training-data", "training_data", multiple=True, metavar="DATASET",
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Dataset document (e.g. a tdml Collection) the model was trained on. Repeatable.")
@click.option("--keep-residue", is_flag=True,
              help="With --report for a catalog: store what --restore needs to undo the run exactly "
                   "(costs a back-translation per document).")
@click.option("--restore", "restore_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              metavar="REPORT", help="Undo a conversion: REPORT is the --report it wrote (for a catalog, "
                                     "with --keep-residue); each document goes back to the extension it had "
                                     "(--to, if given, must name it).")
@click.option("--copy-assets", is_flag=True,
              help="Copy the files that relative asset hrefs point to (inside the input root) to the same "
                   "place below OUT_DIR, so the hrefs still resolve there.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes for a catalog, directory or NDJSON (default: the number of cores; at most 4 per core).")
@click.option("--strict", is_flag=True, help="Stop at the first document that fails.")
@click.option("--copy-failed", is_flag=True,
              help="Write a document that fails as it is (untranslated; still an error), so that the links to "
                   "it resolve in OUT_DIR; a failed feature or NDJSON line is kept likewise.")
@click.option("--prune", is_flag=True,
              help="Remove the files in OUT_DIR that an earlier run wrote and this one did not (documents gone "
                   "from the source, another source's outputs), and the directories that left empty; nothing "
                   "else is ever removed.")
@click.option("--in-place", is_flag=True, help="Rewrite the input files (each original kept with --backup-suffix).")
@click.option("--backup-suffix", default=".bak", show_default=True, metavar="SUFFIX",
              help="With --in-place: the original is kept as FILE+SUFFIX (an existing backup is never replaced).")
@click.option("--dry-run", is_flag=True, help="Write nothing; print what would be translated or copied.")
@click.option("--diff", "show_diff", is_flag=True,
              help="One document: print a unified diff of the input and its translation (both indented as "
                   "the input is, with 2 spaces if it is one line) instead of the translation; with -o FILE "
                   "the translation is still written there.")
@click.option("--force", is_flag=True, help="Convert again even the outputs that are up to date.")
@click.option("--follow-remote", is_flag=True,
              help="Read http(s) links and a remote SRC: a remote catalog is mirrored into OUT_DIR; remote "
                   "documents linked from a local catalog are converted for the report but not written.")
@click.option("-q", "--quiet", is_flag=True,
              help="Only errors and warnings (an output known not to be schema-valid, a link not followed): "
                   "no progress, notes or summary.")
@tables_option
@guarded
def convert_cmd(src, to, version, prefer, keep_existing, output, report_path, fill_required, fill_values_path, validate, schema_dirs,
                fail_on, lenient_json, training_data, keep_residue, restore_path, copy_assets, jobs, strict,
                copy_failed, prune, in_place,
                backup_suffix, dry_run, show_diff, force, follow_remote, quiet, mapping_dirs):
    """Translate SRC to extension --to.

    SRC is an Item or Collection file (the result goes to stdout or to -o FILE), a static
    catalog root (its relative child and item links are followed), a directory (every
    *.json below it), an ItemCollection, an NDJSON file, or - for stdin. A catalog or a
    directory is written to -o OUT_DIR with the same layout, so relative links stay valid;
    documents without an ML extension are copied unchanged (a Catalog without links given
    alone too: it has no ML fields to translate). Outputs are written atomically
    and never outside OUT_DIR; a rerun skips the outputs that are up to date.

    Exit codes: 0 every document converted, 1 some failed (or were invalid with --validate,
    or had losses of a --fail-on kind), 2 usage error. See docs/catalog.md."""
    from translator.catalog import DOC_SUFFIXES, TreeNeedsOutputDir, UsageError, plan as make_plan
    from translator.destinations import check_destinations

    if not backup_suffix or "/" in backup_suffix or backup_suffix in (".", ".."):
        fail("", f"--backup-suffix {backup_suffix!r}: give a non-empty suffix without '/'", 2)
    if in_place and backup_suffix.lower().endswith(DOC_SUFFIXES):
        # a backup named like a document would be read as one by the next directory run, audit, detect
        fail("", f"--backup-suffix {backup_suffix!r}: a backup must not end like a document (.json, .yaml, "
                 "...): use e.g. .bak", 2)
    if restore_path is not None and (training_data or fill_required or prefer or fill_values_path or keep_existing):
        fail("", "--restore gives back the original documents: it takes no --training-data, --fill-required, "
                 "--fill-values, --prefer or --keep-existing", 2)
    if to is None and restore_path is None:
        fail("", "give --to EXTENSION (" + ", ".join(EXTENSIONS) + ")", 2)
    if to is None and version is not None:
        fail("", "--to-version needs --to", 2)
    if keep_residue and report_path is None:
        fail("", "--keep-residue stores the residue in the --report file: give --report FILE", 2)
    if schema_dirs and not validate:
        fail("", "--schemas tells --validate where the schemas are: give --validate too", 2)
    if schema_dirs:  # searched before STACML_SCHEMAS, here and in the worker processes, which inherit it
        os.environ["STACML_SCHEMAS"] = os.pathsep.join([*schema_dirs, *filter(None, [os.environ.get("STACML_SCHEMAS")])])
    restore = None
    if restore_path is not None:
        from translator.restore import load_index
        restore = option_file("--restore", restore_path, read=load_index)
    tables = load_tables(mapping_dirs)
    # every end checked before any document is read: a bad one would fail each document it undoes
    for (name, end_version), pointer in (restore.ends.items() if restore is not None else ()):
        table = checked_table(tables, name, f"--restore {restore_path}: {pointer}/extension")
        if end_version is not None:
            checked_version(table, end_version, f"--restore {restore_path}: {pointer}/version")
    target_version = None
    if to is not None:
        target = checked_table(tables, to)
        to, target_version = target.name, checked_version(target, version)
    fill_values = (checked_fill_values(target, target_version, fill_values_path, lenient_json)
                   if fill_values_path else None)
    prefer = checked_table(tables, prefer, "--prefer").name if prefer is not None else None
    datasets = [(option_file("--training-data", p, lenient_json), str(p)) for p in training_data]
    if datasets:
        from translator.bridge import check_training_data
        try:  # once, before any document: a dataset that cannot be used fails the whole run
            check_training_data(datasets, tables)
        except TranslatorError as exc:
            fail("", exc.message, 2)
    try:
        plan = make_plan(src, output, in_place=in_place, dry_run=dry_run, lenient=lenient_json,
                         follow_remote=follow_remote)
        check_destinations(plan, str(report_path) if report_path is not None else None,
                           [str(p) for p in training_data] + ([str(restore_path)] if restore_path else []), in_place)
    except UsageError as exc:
        if show_diff and isinstance(exc, TreeNeedsOutputDir):  # no output would do: --diff takes one document
            fail("", DIFF_ONE_DOCUMENT, 2)
        fail("", str(exc), 2)
    if prune and (plan.mode not in ("catalog", "directory") or in_place or plan.output is None):
        fail("", "--prune cleans an output directory: give a catalog or a directory with -o OUT_DIR", 2)
    if show_diff and (plan.mode != "single" or in_place):
        fail("", DIFF_ONE_DOCUMENT, 2)
    if plan.mode == "single":
        for note in plan.notes:
            if not quiet:
                click.echo(f"note: {note}", err=True)
        return convert_one(plan, to, target_version, report_path, fill_required, validate, fail_on,
                           lenient_json, datasets, dry_run, quiet, tables, restore, show_diff, prefer,
                           target.check_fill_values(fill_values, target_version) if fill_values is not None else None,
                           keep_existing)
    from translator.catalog import options_summary, run
    from translator.catalog_report import RunLog
    from translator.catalog_work import Options
    from translator.failon import failing

    cores = default_jobs()
    if jobs and jobs > MAX_JOBS_PER_CORE * cores:
        # each worker loads the tables and holds its own memory: hundreds would exhaust a machine
        if not quiet:
            click.echo(f"note: -j {jobs} is more than {MAX_JOBS_PER_CORE} workers per core ({cores} "
                       f"core(s)): using {MAX_JOBS_PER_CORE * cores}", err=True)
        jobs = MAX_JOBS_PER_CORE * cores

    options = Options(to=to, version=target_version, fill_required=fill_required, fill_values=fill_values,
                      validate=validate, prefer=prefer, keep_existing=keep_existing, lenient=lenient_json, mapping_dirs=tuple(str(d) for d in mapping_dirs),
                      training_data=datasets or None, in_place=in_place, backup_suffix=backup_suffix,
                      dry_run=dry_run, force=force, follow_remote=follow_remote, want_report=report_path is not None,
                      count_losses=bool(fail_on),
                      keep_residue=keep_residue, restore=str(restore_path) if restore_path else None,
                      copy_assets=copy_assets and not in_place, strict=strict, copy_failed=copy_failed, prune=prune,
                      source_root=plan.root, out_root=plan.output if plan.mode in ("catalog", "directory") else None)
    log = RunLog(source=src, target=(tables[to].name if to else None, target_version),
                 report_path=str(report_path) if report_path else None, quiet=quiet, dry_run=dry_run,
                 options={**options_summary(options), "jobs": jobs or default_jobs(), "strict": strict,
                          "fail_on": list(fail_on)})
    ok = False
    try:
        failed = run(plan, options, log, jobs=jobs or default_jobs(), strict=strict)
        ok = True
    finally:
        log.close(ok)
    log.print_summary()
    hit = failing(log.kinds, fail_on)
    if hit:  # why the run fails: kept with -q, as errors and warnings are (and as for one document)
        click.echo("failing on losses: " + ", ".join(f"{n} {k}" for k, n in hit.items()), err=True)
    sys.exit(1 if failed or hit or (validate and log.invalid) else 0)


MAX_JOBS_PER_CORE = 4


DIFF_ONE_DOCUMENT = "--diff shows the changes to one document: give a single Item or Collection (without --in-place)"


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def convert_one(plan, to, version, report_path, fill_required, validate, fail_on, lenient_json, datasets,
                dry_run, quiet, tables, restore=None, show_diff=False, prefer=None, fill_values=None,
                keep_existing=False):
    """One Item or Collection: to stdout or -o FILE (into -o DIR when it is a directory). A
    Catalog is copied as it is, as in a catalog run."""
    from translator import translate
    from translator.failon import failing

    label = plan.source
    suffix = ".json" if plan.stdin_head is not None else Path(label).suffix.lower()
    raw = plan.stdin_head if plan.stdin_head is not None else jsonio.read(label)
    doc, fixes = jsonio.parse(raw, label, lenient=lenient_json, suffix=suffix)
    if type(doc) is not dict:  # translate() would read a string as JSON text: a second decoding
        from translator.sources import json_kind
        fail(label, f"not a STAC document: the top level is a JSON {json_kind(doc)}")
    output = plan.output
    if output is not None and os.path.isdir(output):
        output = os.path.join(output, os.path.basename(plan.source) if plan.source != "-" else "document.json")
    style = style_of(raw, label)  # the output is formatted as the input is (a YAML file's as usual)
    if doc.get("type") == "Catalog":  # the ML extensions describe Items and Collections only
        return _copy_catalog(doc, raw if suffix not in (".yml", ".yaml") else jsonio.dumps(doc), label, output,
                             report_path, (to, version), dry_run, quiet, style if show_diff else None)
    try:
        if restore is not None:
            original = restore.find(doc, label if plan.stdin_head is None else None)  # a run's output: by path
            if original is None:
                fail(label, restore.unmatched(doc, "the --restore report"))
            result = translate(doc, to or original.source[0], restore=original, validate=validate, tables=tables)
        else:
            result = translate(doc, to, version, fill_required=fill_required, validate=validate,
                               training_data=datasets or None, tables=tables, prefer=prefer, fill_values=fill_values,
                               keep_existing=keep_existing)
    except TranslatorError as exc:
        fail(label, f"{exc.pointer + ': ' if exc.pointer else ''}{exc.message}")
    jsonio.note_repairs(result.report, fixes)
    unchanged = result.report.source == result.report.target and result.document == doc
    if unchanged and not fixes and suffix not in (".yml", ".yaml"):  # its input bytes, as a catalog run writes it
        data = raw
    else:
        data = dumps_styled(result.document, style)
    _write(data, label, output, "translate" if dry_run else None,
           (doc, result.document, style) if show_diff else None)
    _write_report(report_path, result.report, label)
    print_report_summary(label, result.report, quiet)
    if validate and result.report.validation != []:  # said as a catalog run says it of one of its documents
        from translator.catalog_report import validated_output
        named = validated_output(label, output if output != "-" else None)  # the pointers are into the output
        if result.report.validation is None:
            why = [p for p in result.report.problems if p.startswith(NOT_VALIDATED)]
            click.echo(f"invalid: {named}: {why[-1] if why else 'not validated (see `stacml schemas --help`)'}",
                       err=True)
            sys.exit(1)
        for issue in result.report.validation:
            click.echo(f"invalid: {named}: {issue.pointer or '(root)'}: {issue.message}", err=True)
        sys.exit(1)
    hit = failing(result.report.kinds(), fail_on)
    if hit:
        click.echo(f"failing on losses: {label}: " + ", ".join(f"{n} {k}" for k, n in hit.items()), err=True)
        sys.exit(1)


def _copy_catalog(doc: dict, data: bytes, label: str, output: str | None, report_path, target, dry_run: bool,
                  quiet: bool, diff_style: JsonStyle | None) -> None:
    """A Catalog has no ML fields, so nothing to translate: written as it is (its input bytes,
    JSON for a YAML file), as a catalog run copies it; its report says so (status "copied").
    *diff_style*: the input's style, with --diff."""
    from translator.report import Report
    _write(data, label, output, "copy" if dry_run else None, (doc, doc, diff_style) if diff_style else None)
    _write_report(report_path, Report((None, None), target), label, status="copied")
    if not quiet:
        click.echo(f"note: {label}: a Catalog has no ML fields (the ML extensions describe Items and "
                   "Collections): copied as it is", err=True)


def _write(data: bytes, label: str, output: str | None, dry_run_verb: str | None, diff: tuple | None) -> None:
    """The output to -o FILE and/or stdout; with --diff, *diff* (the input, its translation, the
    input's style) on stdout instead; with a dry run, what would be done (``would copy SRC -> OUTPUT``)."""
    if dry_run_verb:
        click.echo(f"would {dry_run_verb} {label} -> {output or '-'}")
        return
    if output is not None and output != "-":
        jsonio.write_atomic(output, data)
    if diff is not None:
        sys.stdout.write(_diff(*diff, label, output))
        sys.stdout.flush()
    elif output is None or output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


def _write_report(report_path, report, label: str, **more) -> None:
    if report_path is not None:
        jsonio.write_atomic(report_path, jsonio.dumps({**report.to_dict(), "file": label, **more}))


def _diff(doc: dict, out: dict, style: JsonStyle, label: str, output: str | None) -> str:
    """The input and its translation as a unified diff, both written alike (so only what the
    translation changed shows, not the input's own formatting): with the input's indentation,
    2 spaces for a one-line input (whose diff would be that one line), each line ending in a
    newline."""
    import difflib
    view = replace(style, newline="\n", ending="\n") if style.indent is not None else DEFAULT
    before = dumps_styled(doc, view).decode("utf-8").splitlines(keepends=True)
    after = dumps_styled(out, view).decode("utf-8").splitlines(keepends=True)
    return "".join(difflib.unified_diff(before, after, fromfile=label, tofile=output or f"{label} (translated)"))


COMMANDS = [convert_cmd]
