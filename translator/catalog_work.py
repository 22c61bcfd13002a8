"""What one worker does to one file or one batch of NDJSON lines: read, translate (or copy
what carries no ML extension), validate, write atomically. It never raises for a bad
document: every outcome is an :class:`Entry` the run collects.

Writing rules (docs/catalog.md, "Safety"): an output is written through a temporary file
in its directory and renamed into place; its directory must resolve inside the output root
(checked before it is created, so a symlink inside OUT_DIR cannot lead a write outside);
the temporary file is opened exclusively without following symlinks.
"""
from __future__ import annotations

import itertools
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from .errors import DocumentError, NoExtensionError, TranslatorError
from .jsonio import dumps
from .sources import Followed, expand, is_catalog, link_targets, read_file
from .sources import inside as _inside

TMP_MARK = ".stacml-"  # temporary outputs are named .NAME.stacml-PID-N.tmp
_COUNTER = itertools.count()


@dataclass
class Options:
    """Everything a worker needs; picklable."""
    to: str
    version: str
    fill_required: bool = False
    validate: bool = False
    lenient: bool = False
    mapping_dirs: tuple[str, ...] = ()
    training_data: list | None = None
    source_root: str | None = None     # catalog root / directory argument
    out_root: str | None = None        # OUT_DIR (None with --in-place or --dry-run)
    in_place: bool = False
    backup_suffix: str = ".bak"
    dry_run: bool = False
    force: bool = False
    follow_remote: bool = False
    want_report: bool = False


@dataclass
class Entry:
    """The outcome for one document. ``status``: translated, unchanged (already in the
    target form), copied (no ML extension), up-to-date (skipped), failed."""
    label: str
    status: str
    pointer: str = ""
    line: int | None = None
    output: str | None = None
    kinds: dict[str, int] = field(default_factory=dict)
    conversion: str = ""               # 'ml-model 1.0.0 -> mlm 1.5.2'
    error: str | None = None
    problems: int = 0                  # reasons the output is known not to be schema-valid
    invalid: list[tuple[str, str]] = field(default_factory=list)  # (pointer, message) from --validate
    report: bytes | None = None        # the JSON entry for --report
    _report: Any = field(default=None, repr=False, compare=False)  # the Report, in the worker only

    def __getstate__(self):  # the Report object stays in the worker
        state = dict(self.__dict__)
        state["_report"] = None
        return state


@dataclass
class FileResult:
    entries: list[Entry]
    links: list = field(default_factory=list)   # Followed targets and '/links/N: why' warnings
    label: str = ""
    ancestors: tuple = ()                         # set by the run: the catalogs on the way here


class Worker:
    """Per-process state: options, tables, the output directories already checked."""

    def __init__(self, options: Options):
        from .tables import default_tables
        self.options = options
        self.tables = default_tables(options.mapping_dirs)
        self.checked_dirs: set[str] = set()
        self.out_real = os.path.realpath(options.out_root) if options.out_root else None
        self.source_real = os.path.realpath(options.source_root) if options.source_root else None

    # -- one document -------------------------------------------------------------------------

    def translate(self, doc: dict, label: str, pointer: str = "", line: int | None = None) -> tuple[Entry, Any]:
        """(entry, output document or None when the source is to be kept as it is)."""
        from .api import translate
        opts = self.options
        if doc.get("type") == "Catalog":  # the ML extensions describe Items and Collections only
            return Entry(label, "copied", pointer, line), None
        try:
            result = translate(doc, opts.to, opts.version, fill_required=opts.fill_required,
                               training_data=opts.training_data, tables=self.tables)
        except NoExtensionError:
            return Entry(label, "copied", pointer, line), None
        except TranslatorError as exc:
            where = f"{exc.pointer}: " if exc.pointer else ""
            return self._failed(label, f"{where}{exc.message}", pointer, line), None
        except Exception as exc:  # a bug must cost one document, not the run
            return self._failed(label, f"unexpected failure: {type(exc).__name__}: {exc}", pointer, line), None
        report, out = result.report, result.document
        same = report.source == report.target and out == doc
        entry = Entry(label, "unchanged" if same else "translated", pointer, line, kinds=report.kinds(),
                      conversion=f"{report.source[0]} {report.source[1]} -> {report.target[0]} {report.target[1]}",
                      problems=len(report.problems))
        if opts.validate:
            self._validate(out, entry)
        if opts.want_report:
            entry._report = report
        return entry, (None if same else out)

    def _failed(self, label, message, pointer="", line=None) -> Entry:
        return Entry(label, "failed", pointer, line, error=message)

    def finish(self, entries: list[Entry]) -> list[Entry]:
        """Turn each entry's report into the JSON --report needs (once its output is known)."""
        if self.options.want_report:
            for entry in entries:
                entry.report = _report_bytes(entry, entry._report)
                entry._report = None
        return entries

    def _validate(self, doc: dict, entry: Entry) -> None:
        from .errors import SchemaNotFound
        from .validation import validate_document
        try:
            entry.invalid = [(i.pointer, i.message) for i in validate_document(doc)]
        except SchemaNotFound as exc:
            entry.invalid = [("", f"not validated: {exc.message}")]
        except TranslatorError as exc:
            entry.invalid = [("", f"not validated: {exc.message}")]

    # -- one file (catalog node, directory member, ItemCollection) ------------------------------

    def process_file(self, path: str, rel: str | None, follow: bool) -> FileResult:
        result = self._process_file(path, rel, follow)
        self.finish(result.entries)
        return result

    def _process_file(self, path: str, rel: str | None, follow: bool) -> FileResult:
        """*rel*: the output path relative to the output root (None: write nothing but with
        --in-place, where the file itself is rewritten). *follow*: report where its links lead."""
        opts = self.options
        remote = "://" in path
        source = None if remote else Path(path)
        output = self._output_path(source, rel)
        reuse = not (opts.force or opts.in_place) and source is not None and output is not None
        # an up-to-date output is not rewritten; it is not even read again unless its links,
        # its report or its validation are needed
        fresh = reuse and _up_to_date(source, output)
        if fresh and not (follow or opts.want_report or opts.validate):
            return FileResult([self._up_to_date(Entry(path, "up-to-date"), output)])
        if remote:
            from .sources import read_url
            value, raw, fixes, error = read_url(path, lenient=opts.lenient)
        else:
            value, raw, fixes, error = read_file(source, lenient=opts.lenient)
        if error is not None:
            return FileResult([self._failed(path, error)])
        result = FileResult([], label=path)
        if follow and is_catalog(value):
            root = opts.source_root if opts.source_root else str(source.parent)
            here = path if remote else source
            root = root if "://" in root else Path(root)
            result.links = list(link_targets(value, here, root, follow_remote=opts.follow_remote))
        if fresh and not (opts.want_report or opts.validate):
            result.entries.append(self._up_to_date(Entry(path, "up-to-date"), output))
            return result
        data = self._convert_value(value, raw, fixes, path, result.entries)
        if data is None:
            return result
        if fresh:
            for entry in result.entries:
                self._up_to_date(entry, output)
            return result
        written = str(output) if opts.dry_run and output is not None else (
            None if opts.dry_run else self._write(output, data, raw, result.entries))
        for entry in result.entries:
            if entry.status != "failed":
                entry.output = written
        return result

    def _up_to_date(self, entry: Entry, output: Path) -> Entry:
        entry.output = str(output)
        if entry.status != "failed":
            entry.status = "up-to-date"
        return entry

    def _convert_value(self, value, raw: bytes, fixes: int, path: str, entries: list[Entry]) -> bytes | None:
        """The bytes to write for one parsed file (None: write nothing)."""
        sources = list(expand(value, path, None, None, fixes))
        if not (type(value) is dict and value.get("type") == "FeatureCollection"):
            src = sources[0]
            if src.error is not None:
                entries.append(self._failed(path, src.error))
                return None
            entry, out = self.translate(src.document, path)
            entries.append(entry)
            if entry.status == "failed":
                return None
            return raw if out is None else dumps(out)
        features, changed = [], False
        for src in sources:
            if src.error is not None:
                entries.append(self._failed(path, f"{src.pointer}: {src.error}", src.pointer))
                changed = True
                continue
            entry, out = self.translate(src.document, path, src.pointer)
            entries.append(entry)
            if entry.status == "failed":
                changed = True  # a document that fails is not written
                continue
            features.append(src.document if out is None else out)
            changed = changed or out is not None
        if not changed:
            return raw
        return dumps({**value, "features": features})

    # -- writing ------------------------------------------------------------------------------

    def _output_path(self, source: Path | None, rel: str | None) -> Path | None:
        opts = self.options
        if opts.in_place and source is not None:
            return Path(os.path.realpath(source))
        if rel is None or opts.out_root is None:
            return None
        return Path(opts.out_root) / rel

    def _write(self, output: Path | None, data: bytes, raw: bytes, entries: list[Entry]) -> str | None:
        if output is None:
            return None
        try:
            if self.options.in_place:
                if data == raw:
                    return str(output)
                backup = output.with_name(output.name + self.options.backup_suffix)
                if not os.path.lexists(backup):  # an existing backup holds the older original
                    write_atomic(backup, raw, self.source_real, self.checked_dirs)
                write_atomic(output, data, self.source_real, self.checked_dirs)
            else:
                write_atomic(output, data, self.out_real, self.checked_dirs)
        except (OSError, DocumentError) as exc:
            message = exc.message if isinstance(exc, DocumentError) else f"cannot write {output}: {exc.strerror or exc}"
            for i, entry in enumerate(entries):
                if entry.status != "failed":
                    entries[i] = self._failed(entry.label, message, entry.pointer, entry.line)
            return None
        return str(output)

    # -- NDJSON -------------------------------------------------------------------------------

    def process_lines(self, label: str, lines: list[tuple[int, bytes]]) -> tuple[bytes, list[Entry]]:
        """Translate a batch of NDJSON lines; returns the output lines (failed ones left
        out) and one entry per document."""
        from .jsonio import parse
        out: list[bytes] = []
        entries: list[Entry] = []
        for number, raw in lines:
            where = f"{label}:{number}"
            try:
                value, _ = parse(raw, where, lenient=self.options.lenient)
            except DocumentError as exc:
                entries.append(self._failed(where, exc.message, line=number))
                continue
            if type(value) is not dict:
                from .sources import json_kind
                entries.append(self._failed(where, f"not a STAC document: the top level is a JSON {json_kind(value)}",
                                            line=number))
                continue
            entry, doc = self.translate(value, where, line=number)
            entries.append(entry)
            if entry.status == "failed":
                continue
            if doc is None:
                out.append(raw.rstrip(b"\r\n") + b"\n")
            else:
                out.append(_dumps_line(doc))
        return b"".join(out), self.finish(entries)


def _dumps_line(doc: Any) -> bytes:
    try:
        return orjson.dumps(doc, option=orjson.OPT_APPEND_NEWLINE)
    except TypeError:  # integers beyond 64 bits
        import json
        return (json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def _up_to_date(source: Path, output: Path) -> bool:
    try:
        return output.stat().st_mtime_ns >= source.stat().st_mtime_ns
    except OSError:
        return False


def write_atomic(path: Path, data: bytes, root_real: str | None, checked: set[str]) -> None:
    """Temporary file + rename, only below *root_real* (see the module docstring)."""
    parent = str(path.parent)
    if parent not in checked:
        if root_real is not None and not _inside(root_real, parent):
            raise DocumentError(f"refusing to write outside the output root {root_real}", source=str(path))
        os.makedirs(parent, exist_ok=True)
        if root_real is not None and not _inside(root_real, parent):  # re-check once it exists
            raise DocumentError(f"refusing to write outside the output root {root_real}", source=str(path))
        checked.add(parent)
    tmp = os.path.join(parent, f".{path.name}{TMP_MARK}{os.getpid()}-{next(_COUNTER)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _report_bytes(entry: Entry, report) -> bytes:
    d: dict[str, Any] = {"source": entry.label}
    if entry.pointer:
        d["pointer"] = entry.pointer
    if entry.line is not None:
        d["line"] = entry.line
    d["status"] = entry.status
    if entry.output is not None:
        d["output"] = entry.output
    if entry.error is not None:
        d["error"] = entry.error
    if report is not None:
        d["from"] = {"extension": report.source[0], "version": report.source[1]}
        d["to"] = {"extension": report.target[0], "version": report.target[1]}
        d["valid"] = report.valid if not entry.invalid else False
        d["problems"] = list(report.problems)
        d["losses"] = [loss.to_dict() for loss in report.losses]
        d["findings"] = [f.to_dict() for f in report.findings]
        if entry.invalid:
            d["validation"] = [{"pointer": p, "message": m} for p, m in entry.invalid]
    try:
        return orjson.dumps(d)
    except TypeError:
        import json
        return json.dumps(d, ensure_ascii=False, default=str).encode("utf-8")


# -- process-pool plumbing: one Worker per process ----------------------------------------------

_WORKER: Worker | None = None


def init_worker(options: Options) -> None:
    global _WORKER
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles ^C and stops the pool
    _WORKER = Worker(options)


def run_files(tasks: list[tuple[str, str | None, bool]]) -> list[FileResult]:
    return [_WORKER.process_file(*task) for task in tasks]


def run_lines(label: str, lines: list[tuple[int, bytes]]) -> tuple[bytes, list[Entry]]:
    return _WORKER.process_lines(label, lines)


__all__ = ["Options", "Entry", "FileResult", "Worker", "Followed", "write_atomic", "TMP_MARK"]
