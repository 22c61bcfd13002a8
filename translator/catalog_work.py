"""What one worker does to one file or one block of NDJSON lines: read, translate (or copy
what carries no ML extension), validate, write atomically (catalog_write). It never raises
for a bad document: every outcome is an :class:`Entry`, summed up in a :class:`Tally`.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .catalog_entries import Entry, Tally, report_bytes, report_parts
from .errors import DocumentError, NoExtensionError, TranslatorError
from .catalog_write import dated_before, mode_of, output_is_newer, safe_root, write_atomic
from .json_style import dumps_like
from .jsonio import note_repairs
from .links import link_targets
from .sources import expand, is_catalog, read_file, skipped_report, stacml_report


@dataclass
class Options:
    """Everything a worker needs; picklable."""
    to: str
    version: str
    fill_required: bool = False
    fill_values: dict | list | None = None  # --fill-values: field -> value, or [{when, values}]
    prefer: str | None = None          # --prefer: the extension a document of several is read as
    keep_existing: bool = False        # --keep-existing: a half-migrated document keeps its target fields
    validate: bool = False
    lenient: bool = False
    mapping_dirs: tuple[str, ...] = ()
    training_data: list | None = None
    source_root: str | None = None     # catalog root / directory argument
    out_root: str | None = None        # OUT_DIR (None with --in-place)
    in_place: bool = False
    backup_suffix: str = ".bak"
    dry_run: bool = False
    force: bool = False
    follow_remote: bool = False
    want_report: bool = False
    count_losses: bool = False         # --fail-on: the losses of up-to-date outputs count too
    keep_residue: bool = False         # --keep-residue: the report can undo the run (--restore)
    restore: str | None = None         # --restore REPORT: undo a conversion
    copy_assets: bool = False          # --copy-assets: relative asset files follow into OUT_DIR
    strict: bool = False               # --strict: an NDJSON block stops at its first failed line
    copy_failed: bool = False          # --copy-failed: a document that fails is written as it is
    prune: bool = False                # --prune: remove what earlier runs wrote and this one did not
    assets_warned: bool = False        # the last run into OUT_DIR copied assets: it warned about theirs

    @property
    def retranslate(self) -> bool:
        """Whether an up-to-date output is translated again (not written): its report, its
        validation or its losses are needed."""
        return self.want_report or self.validate or self.count_losses


@dataclass
class FileResult:
    entries: list[Entry]
    links: list = field(default_factory=list)   # Followed targets and '/links/N: why' warnings
    label: str = ""
    notes: list[str] = field(default_factory=list)  # printed as note: lines (a report skipped)
    failed: bool = False                          # one of its documents failed
    written: bool = False                         # its output is there (written, up to date; or would be)
    assets: list[str] = field(default_factory=list)  # --copy-assets: asset copies there, below OUT_DIR
    assets_copied: int = 0                        # of which copied by this run
    assets_unchanged: list[str] = field(default_factory=list)  # warnings an up-to-date output had before
    left_out: tuple[int, ...] = ()                # ItemCollection features failed and not written


class Worker:
    """Per-process state: options, tables, the output directories already checked."""

    def __init__(self, options: Options):
        from .tables import default_tables
        self.options = options
        self.tables = default_tables(options.mapping_dirs)
        self.checked_dirs: set[str] = set()
        self.fill = (self.tables[options.to].check_fill_values(options.fill_values, options.version)
                     if options.fill_values is not None and options.to else None)  # checked once per worker
        self.out_real = self.source_real = None
        self.out_abs = os.path.normpath(os.path.abspath(options.out_root)) if options.out_root else None
        if options.out_root and not options.dry_run:
            self.out_real, self.checked_dirs = safe_root(options.out_root)
        if options.in_place and options.source_root and "://" not in options.source_root:
            self.source_real, checked = safe_root(options.source_root, create=False)
            self.checked_dirs |= checked

    # -- one document -------------------------------------------------------------------------

    def translate(self, doc: dict, label: str, pointer: str = "", line: int | None = None,
                  fixes: int = 0, file: str | None = None) -> tuple[Entry, Any]:
        """(entry, output document or None when the source is to be kept as it is); *fixes*:
        the lenient repairs made reading the file, recorded in the report; *file*: the file an
        NDJSON line is in (--restore finds its residue by file and line first)."""
        from .api import translate
        opts = self.options
        if doc.get("type") == "Catalog":  # the ML extensions describe Items and Collections only
            return Entry(label, "copied", pointer, line), None
        restore = None
        if opts.restore:
            from .restore import load_index
            path = file if line is not None else label
            restore = load_index(opts.restore).find(doc, path if path != "-" else None,
                                                    line if line is not None else (pointer or None))
            if restore is not None and restore.source == restore.target:  # it was already in that form
                return Entry(label, "unchanged", pointer, line), None
        try:
            if restore is not None:
                result = translate(doc, opts.to or restore.source[0], restore=restore, tables=self.tables)
            elif opts.to is None:  # undoing without --to: where a document without residue goes is unknown
                from .detect import detect
                detect(doc, self.tables)  # a document without ML extension is copied, as in any run
                result = None
            else:
                result = translate(doc, opts.to, opts.version, fill_required=opts.fill_required,
                                   training_data=opts.training_data, tables=self.tables, prefer=opts.prefer,
                                   fill_values=self.fill, keep_existing=opts.keep_existing)
        except NoExtensionError:
            return Entry(label, "copied", pointer, line), None
        except TranslatorError as exc:
            where = f"{exc.pointer}: " if exc.pointer else ""
            return self._failed(label, f"{where}{exc.message}", pointer, line), None
        except Exception as exc:  # a bug must cost one document, not the run
            return self._failed(label, f"unexpected failure: {type(exc).__name__}: {exc}", pointer, line), None
        if result is None or (opts.restore and restore is None):
            from .restore import load_index
            return self._failed(label, load_index(opts.restore).unmatched(doc, opts.restore), pointer, line), None
        report, out = result.report, result.document
        note_repairs(report, fixes, shared=bool(pointer))
        same = report.source == report.target and out == doc
        entry = Entry(label, "unchanged" if same else "translated", pointer, line, kinds=report.kinds(),
                      conversion=f"{report.source[0]} {report.source[1]} -> {report.target[0]} {report.target[1]}",
                      problems=len(report.problems))
        if opts.validate:
            self._validate(out, entry, report)
        else:  # other validators will reject it (a known schema erratum): said by translate()
            entry.errata = any(f.code == "schema-erratum" for f in report.findings)
        if opts.want_report:
            entry._report = report
            if opts.keep_residue:
                from .restore import document_key
                entry.key = document_key(doc)
        return entry, (None if same else out)

    def _failed(self, label, message, pointer="", line=None) -> Entry:
        return Entry(label, "failed", pointer, line, error=message)

    def tally(self, entries: list[Entry], into: Tally | None = None, located: bool = True) -> Tally:
        """*located*: False for NDJSON lines, whose output lines the run counts (Tally.located)."""
        into = into if into is not None else Tally()
        for entry in self.finish(entries, located):
            into.add(entry, self.options.dry_run)
        return into

    def finish(self, entries: list[Entry], located: bool = True) -> list[Entry]:
        """Turn each entry's report into the JSON --report needs (once its output is known)."""
        if self.options.want_report:
            for entry in entries:
                entry.report = (report_bytes if located else report_parts)(entry, entry._report)
                entry._report = None
        return entries

    def _validate(self, doc: dict, entry: Entry, report) -> None:
        from .validation import validate_document
        aside: list = []
        try:
            report.validation = validate_document(doc, errata=aside)  # the verdict of its --report entry
            entry.invalid = [(i.pointer, i.message) for i in report.validation]
        except TranslatorError as exc:  # SchemaNotFound included
            entry.invalid = [("", f"not validated: {exc.message}")]
            return
        from .schema_errata import note_set_aside
        entry.errata = note_set_aside(report, aside, not entry.invalid)  # counted by the run

    # -- one file (catalog node, directory member, ItemCollection) ------------------------------

    def process_file(self, path: str, rel: str | None, follow: bool, into: Tally,
                     linked_from: str | None = None) -> FileResult:
        """Convert one file; its entries are added to *into* (the result keeps its links).
        *linked_from*: the link that led the run to it, added to the error when it cannot be read."""
        result = self._process_file(path, rel, follow, linked_from)
        result.failed = any(entry.status == "failed" for entry in result.entries)
        self.tally(result.entries, into)
        result.entries = []
        return result

    def _process_file(self, path: str, rel: str | None, follow: bool, linked_from: str | None = None) -> FileResult:
        """*rel*: the output path relative to the output root (None: write nothing but with
        --in-place, where the file itself is rewritten). *follow*: report where its links lead."""
        opts = self.options
        remote = "://" in path
        source = None if remote else path
        output = self._output_path(source, rel)
        reuse = not (opts.force or opts.in_place) and source is not None and output is not None
        # an up-to-date output is not rewritten; it is not even read again unless its links,
        # its report, its validation, its losses (--fail-on) or its asset files are needed
        fresh = reuse and output_is_newer(source, output)
        if fresh and not (follow or opts.retranslate or self._copies_assets()):
            return FileResult([self._up_to_date(Entry(path, "up-to-date"), output)], written=True)
        if remote:
            from .sources import read_url
            value, raw, fixes, error = read_url(path, lenient=opts.lenient)
        else:
            value, raw, fixes, error = read_file(source, lenient=opts.lenient)
        if error is not None:
            if linked_from:  # missing, or not JSON: the link says where the run found the file
                error += linked_from
            result = FileResult([self._failed(path, error)], label=path)
            self._keep_failed(raw, source, output, result)
            return result
        report = stacml_report(value)
        if report is not None:  # e.g. the run report of an earlier run, written inside its OUT_DIR
            return FileResult([], label=path, notes=[f"{path}: {skipped_report(report)}"])
        result = FileResult([], label=path, written=fresh)
        if follow and is_catalog(value):
            root = opts.source_root if opts.source_root else os.path.dirname(source)
            here = path if remote else Path(source)
            root = root if "://" in root else Path(root)
            result.links = list(link_targets(value, here, root, follow_remote=opts.follow_remote))
        if fresh and not opts.retranslate:
            result.entries.append(self._up_to_date(Entry(path, "up-to-date"), output))
            self._copy_assets(value, source, output, result, fresh=True)  # a copy has its own up-to-date check
            return result
        data = self._convert_value(value, raw, fixes, path, result.entries, linked_from or "")
        if data is None:
            if not fresh:  # an earlier output stays as it is
                self._keep_failed(raw, source, output, result)
            return result
        if not (opts.in_place or opts.copy_failed):  # their links are not in the output
            result.left_out = tuple(int(e.pointer.rsplit("/", 1)[1]) for e in result.entries
                                    if e.status == "failed" and e.pointer)
        if fresh:
            for entry in result.entries:
                self._up_to_date(entry, output)
            self._copy_assets(value, source, output, result, fresh=True)
            return result
        # written with a failed feature left out (or kept as it is): a rerun tries it again
        retry = dated_before(source) if source is not None and any(e.status == "failed" for e in result.entries) else None
        written = self._dry_write(output, result.entries) if opts.dry_run else \
            self._write(output, data, raw, result.entries, retry)
        result.written = written is not None
        if written and opts.in_place:
            written = path  # named as it was given, as outputs below OUT_DIR are
        for entry in result.entries:
            if entry.status != "failed" or entry.output_pointer is not None:  # (a failed feature kept as it is)
                entry.output = written
        if written:
            self._copy_assets(value, source, output, result)
        return result

    def kept_as_it_is(self) -> str:
        """What a failed NDJSON line's or feature's error adds when the output keeps it."""
        option = "--in-place" if self.options.in_place else "--copy-failed"
        return f"; {'would be ' if self.options.dry_run else ''}kept as it is ({option})"

    def _keep_failed(self, raw: bytes | None, source: str | None, output: str | None, result: FileResult) -> None:
        """--copy-failed: a document that failed is written as it is, so that the links to it
        still resolve; dated before its input, so that a rerun tries it again."""
        opts = self.options
        if not opts.copy_failed or raw is None or output is None or opts.in_place:
            return
        try:
            if not opts.dry_run:
                write_atomic(output, raw, self.out_real, self.checked_dirs,
                             mtime_ns=dated_before(source) if source is not None else None)
        except (OSError, DocumentError) as exc:
            why = exc.message if isinstance(exc, DocumentError) else (exc.strerror or str(exc))
            for entry in (e for e in result.entries if e.status == "failed"):
                entry.error += f"; not copied as it is: {why}"
            return
        result.written = True
        for entry in (e for e in result.entries if e.status == "failed"):
            entry.output = str(output)
            entry.error += f"; {'would be ' if opts.dry_run else ''}copied as it is (--copy-failed)"

    def _copies_assets(self) -> bool:
        return self.options.copy_assets and not self.options.dry_run and self.out_real is not None

    def _copy_assets(self, value, source: str | None, output: str | None, result: FileResult,
                     fresh: bool = False) -> None:
        """--copy-assets: the asset files of a document written (or up to date: *fresh*) at
        *output*; each file is copied only when its copy is missing or out of date. The hrefs
        of an up-to-date output that are never copied were warned about by the run that wrote it,
        when that run copied assets too."""
        if not self._copies_assets() or source is None or output is None or type(value) is not dict \
                or self.out_abs is None or self.out_real is None:
            return
        from .catalog_assets import copy_assets
        opts = self.options
        root = opts.source_root if os.path.isdir(opts.source_root or "") else os.path.dirname(source)
        done = copy_assets(value, source, str(output), root, self.out_abs, self.out_real, self.checked_dirs)
        result.assets = done.copied + done.current
        result.assets_copied = len(done.copied)
        result.links.extend(done.failed)
        (result.assets_unchanged if fresh and opts.assets_warned else result.links).extend(done.skipped)

    def _up_to_date(self, entry: Entry, output: str) -> Entry:
        entry.output = str(output)
        if entry.status != "failed":
            entry.status = "up-to-date"
        return entry

    def _convert_value(self, value, raw: bytes, fixes: int, path: str, entries: list[Entry],
                       linked_from: str = "") -> bytes | None:
        """The bytes to write for one parsed file (None: write nothing). *linked_from*: the link
        that led to the file, which a value that is no JSON object names."""
        if type(value) is dict and not (value.get("type") == "FeatureCollection"
                                        and type(value.get("features")) is list):
            entry, out = self.translate(value, path, fixes=fixes)
            entries.append(entry)
            if entry.status == "failed":
                return None
            return self._as_read(value, raw, path, fixes) if out is None else dumps_like(out, raw, path)
        features, changed = [], False
        for src in expand(value, path, None, None, fixes, linked=linked_from):
            if src.pointer == "":  # not a JSON object at all
                entries.append(self._failed(path, src.error))
                return None
            if src.error is not None or src.document is None:
                entries.append(self._failed(path, src.error, src.pointer))  # messages name the pointer
                entry, out = entries[-1], None
            else:
                entry, out = self.translate(src.document, path, src.pointer, fixes=fixes)
                entries.append(entry)
            if entry.status == "failed":
                if self.options.in_place or self.options.copy_failed:  # a failed feature stays as it was
                    entry.error += self.kept_as_it_is()
                    entry.output_pointer = f"/features/{len(features)}"
                    features.append(value["features"][int(src.pointer.rsplit("/", 1)[1])])
                else:
                    changed = True  # a document that fails is not written
                continue
            entry.output_pointer = f"/features/{len(features)}"  # failed features left out move the others
            features.append(src.document if out is None else out)
            changed = changed or out is not None
        return dumps_like({**value, "features": features}, raw, path) if changed else \
            self._as_read(value, raw, path, fixes)

    def _as_read(self, value, raw: bytes, path: str, fixes: int) -> bytes:
        """A document written as it was read (unchanged, copied): its input bytes, or the JSON it
        was read as (see rewrites)."""
        return dumps_like(value, raw, path) if self.rewrites(fixes) else raw

    def rewrites(self, fixes: int) -> bool:
        """Whether a document written as it was read is written as the JSON it was read as: when
        --lenient-json repaired its bytes (comments, trailing commas), so that no output is JSON
        only to a lenient reader; --in-place leaves such a file alone."""
        return bool(fixes) and not self.options.in_place

    # -- writing ------------------------------------------------------------------------------

    def _output_path(self, source: str | None, rel: str | None) -> str | None:
        opts = self.options
        if opts.in_place and source is not None:
            from .links import resolve
            return resolve(os.path.normpath(os.path.abspath(source)))
        if rel is None or self.out_abs is None:
            return None
        return os.path.join(opts.out_root, rel)  # named as -o was given (relative stays relative)

    def _dry_write(self, output: str | None, entries: list[Entry]) -> str | None:
        """--dry-run: where the output would go; a directory in its way fails as a real run would."""
        if output is not None and os.path.isdir(output):
            entries[:] = [e if e.status == "failed" else self._failed(
                e.label, f"would not write {output}: it is a directory", e.pointer, e.line) for e in entries]
            return None
        return None if output is None else str(output)

    def _write(self, output: str | None, data: bytes, raw: bytes, entries: list[Entry],
               mtime_ns: int | None = None) -> str | None:
        if output is None:
            return None
        try:
            if self.options.in_place:
                if data == raw:
                    return str(output)
                backup = output + self.options.backup_suffix
                mode = mode_of(output)  # the rewrite and the backup are no more readable than the file
                if not os.path.lexists(backup):  # an existing backup holds the older original
                    write_atomic(backup, raw, self.source_real, self.checked_dirs, mode)
                write_atomic(output, data, self.source_real, self.checked_dirs, mode)
            else:
                write_atomic(output, data, self.out_real, self.checked_dirs, mtime_ns=mtime_ns)
        except (OSError, DocumentError) as exc:
            message = exc.message if isinstance(exc, DocumentError) else f"cannot write {output}: {exc.strerror or exc}"
            for i, entry in enumerate(entries):
                if entry.status != "failed":
                    entries[i] = self._failed(entry.label, message, entry.pointer, entry.line)
            return None
        return str(output)


__all__ = ["Options", "Entry", "Tally", "FileResult", "Worker"]
