"""Whole-catalog conversion: what a SRC argument is, where its outputs go, and the runs
that convert it (a static catalog or a directory, file by file in worker processes; NDJSON
streamed in batches; an ItemCollection in one piece). See docs/catalog.md.

``plan(src, output, ...)`` decides the mode; ``run(plan, options, log, jobs=, strict=)``
converts and returns the number of documents that failed. A single Item or Collection
(``mode == "single"``) is left to the caller (the command's one-document path).
"""
from __future__ import annotations

import hashlib
import os
import sys
from collections import deque
from dataclasses import asdict, dataclass, field
from pathlib import Path

import orjson

from .catalog_report import RunLog
from .destinations import UsageError, not_a_file_as_directory, not_the_input, path_contains
from .errors import DocumentError
from .jsonio import compact
from .catalog_work import Options, Worker
from .catalog_write import TMP_MARK, safe_root, write_atomic
from .links import cycle_warning, link_targets
from .sources import is_catalog, kind_of, read_file

MANIFEST = ".stacml-convert.json"
DOC_SUFFIXES = (".json", ".geojson", ".yaml", ".yml", ".ndjson", ".jsonl")


@dataclass
class Plan:
    mode: str                       # single | catalog | directory | collection-file | ndjson
    source: str
    root: str | None = None         # catalog root directory / the directory argument / remote URL prefix
    output: str | None = None       # OUT_DIR (catalog, directory) or a file; None = stdout
    notes: list[str] = field(default_factory=list)
    stdin_head: bytes | None = None  # stdin bytes already read while finding out what it holds


def plan(src: str, output: str | None, *, in_place: bool = False, dry_run: bool = False,
         lenient: bool = False, follow_remote: bool = False) -> Plan:
    kind = kind_of(src)
    if in_place and output is not None:
        raise UsageError("--in-place rewrites the input: it takes no -o")
    not_a_file_as_directory(output)
    if kind == "missing":
        raise UsageError(f"{src}: no such file or directory")
    if kind == "stdin":
        if in_place:
            raise UsageError("--in-place cannot rewrite stdin")
        return _plan_stdin(output)
    if kind == "remote":
        if not follow_remote:
            raise UsageError(f"{src}: a remote catalog is read only with --follow-remote")
        if in_place:
            raise UsageError("--in-place cannot rewrite a remote catalog")
        return _tree_plan("catalog", src, src.rsplit("/", 1)[0] + "/", output, in_place, dry_run)
    if kind == "directory":
        return _tree_plan("directory", src, src, output, in_place, dry_run)
    if kind == "ndjson":
        return Plan("ndjson", src, output=_file_output(src, output, in_place))
    value, _, _, error = read_file(Path(src), lenient=lenient)
    if type(value) is dict and value.get("type") == "FeatureCollection":
        return Plan("collection-file", src, output=_file_output(src, output, in_place))
    if error is None and is_catalog(value):
        links = [t for t in link_targets(value, Path(src), Path(src).parent, follow_remote=follow_remote)]
        if links and (in_place or (dry_run and output is None) or (output is not None and _is_dir_like(output))):
            return _tree_plan("catalog", src, str(Path(src).parent), output, in_place, dry_run)
        if links and value.get("type") == "Catalog":  # (a dry run plans what the run would do)
            if output is None:
                return _tree_plan("catalog", src, str(Path(src).parent), output, in_place, dry_run)  # asks for -o
            raise UsageError(f"-o {output} names a file, but {src} is a catalog: give -o OUT_DIR (an existing "
                             "directory, a path ending in /, or one without a document suffix)")
        if links:  # a Collection alone to stdout / -o FILE, as for any single document
            not_the_input(src, output)
            return Plan("single", src, output=output, notes=[
                f"{src}: {len(links)} child/item link(s) not converted: give -o OUT_DIR to convert the whole catalog"])
    if in_place:
        return Plan("catalog", src, root=str(Path(src).parent))  # one file, rewritten with a backup
    if output is not None and output.endswith(("/", os.sep)):  # a directory, even one not made yet
        output = os.path.join(output, os.path.basename(src))
    not_the_input(src, output)
    return Plan("single", src, output=output)


def _plan_stdin(output: str | None) -> Plan:
    """NDJSON when the first line is a whole JSON document; else one document (or an
    ItemCollection) spread over several lines."""
    stream = sys.stdin.buffer
    first = stream.readline()
    while first and not first.strip():
        more = stream.readline()
        if not more:
            break
        first += more  # blank lines stay, so that line numbers stay right
    if output is not None and (os.path.isdir(output) or output.endswith(("/", os.sep))):
        raise UsageError(f"-o {output} is a directory: stdin is written to one file (or to stdout)")
    try:
        value = orjson.loads(_without_utf8_bom(first))
    except orjson.JSONDecodeError:
        value = None
        head = first + stream.read()
    if value is not None:
        if not (type(value) is dict and value.get("type") == "FeatureCollection"):
            return Plan("ndjson", "-", output=None if output in (None, "-") else output, stdin_head=first)
        rest = stream.read()  # an ItemCollection on one line, unless more lines follow
        if rest.strip():
            return Plan("ndjson", "-", output=None if output in (None, "-") else output, stdin_head=first + rest)
        head = first
    mode = "single"
    try:
        value = orjson.loads(_without_utf8_bom(head))
        if type(value) is dict and value.get("type") == "FeatureCollection":
            mode = "collection-file"
    except orjson.JSONDecodeError:
        pass
    return Plan(mode, "-", output=None if output in (None, "-") else output, stdin_head=head)


def _without_utf8_bom(data: bytes) -> bytes:
    """What stdin holds is decided without the mark, which says nothing (the readers drop it)."""
    return data[3:] if data.startswith(b"\xef\xbb\xbf") else data


def _tree_plan(mode: str, src: str, root: str, output: str | None, in_place: bool, dry_run: bool) -> Plan:
    if output is None and not (in_place or dry_run):
        if "://" in src:  # not read yet: whatever it holds, a remote SRC is mirrored into a directory
            raise UsageError(f"{src}: a remote SRC is read as a catalog root and mirrored: give -o OUT_DIR "
                             "(or --dry-run)")
        what = "a directory" if mode == "directory" else "a catalog"
        raise UsageError(f"{src} is {what}: give -o OUT_DIR (or --in-place, or --dry-run)")
    if output is not None:
        if os.path.exists(output) and not os.path.isdir(output):
            raise UsageError(f"-o {output}: not a directory (the output of {src} is a tree of files)")
        if "://" not in root:
            out_real, root_real = os.path.realpath(output), os.path.realpath(root)
            if path_contains(root_real, out_real) or path_contains(out_real, root_real):
                raise UsageError(f"-o {output} and the input {root} overlap: choose an output directory outside "
                                 "the input (or use --in-place)")
    return Plan(mode, src, root=root, output=output)


def _is_dir_like(output: str) -> bool:
    return os.path.isdir(output) or output.endswith(("/", os.sep)) or (
        not os.path.exists(output) and not output.lower().endswith(DOC_SUFFIXES))


def _file_output(src: str, output: str | None, in_place: bool) -> str | None:
    if in_place:
        return src
    if output in (None, "-"):
        return None
    if os.path.isdir(output) or output.endswith(("/", os.sep)):
        output = os.path.join(output, os.path.basename(src))
    not_the_input(src, output)
    return output


# -- running --------------------------------------------------------------------------------------


def run(plan: Plan, options: Options, log: RunLog, *, jobs: int = 1, strict: bool = False) -> int:
    """Convert what *plan* names; returns the number of failed documents."""
    if plan.mode in ("catalog", "directory"):
        return _run_tree(plan, options, log, jobs, strict)
    if plan.mode == "ndjson":
        from .catalog_stream import run_ndjson
        return run_ndjson(plan, options, log, jobs, strict)
    if plan.mode == "collection-file":
        from .catalog_stream import run_collection_file
        return run_collection_file(plan, options, log)
    raise ValueError(f"run() does not handle mode {plan.mode!r}")


def fingerprint(options: Options) -> dict:
    """What makes an earlier output reusable: the same source, the same target and the same
    inputs to it. The source is the resolved input root (the URL prefix of a remote catalog):
    another catalog or directory of the same layout converted into OUT_DIR gives outputs of
    the same names, which only their modification times would otherwise tell apart."""
    root = options.source_root
    data = {"source": root if root is None or "://" in root else os.path.realpath(root),
            "to": options.to, "version": options.version, "fill_required": options.fill_required,
            **({"prefer": options.prefer} if options.prefer else {}),
            **({"fill_values": hashlib.sha256(compact(options.fill_values)).hexdigest()}
               if options.fill_values else {}),
            "mappings": [os.path.realpath(d) for d in options.mapping_dirs],
            "training_data": hashlib.sha256(compact(options.training_data or [])).hexdigest()}
    if options.restore:  # undone with another report (or this one rewritten): converted again
        stat = os.stat(options.restore)
        data["restore"] = [os.path.realpath(options.restore), stat.st_size, stat.st_mtime_ns]
    from . import __version__
    data["stacml"] = __version__
    return data


def prepare_output_root(out_root: str, options: Options, log: RunLog) -> bool:
    """Remove temporary files a killed run left; returns True when earlier outputs may be
    reused (the manifest of the last run matches these options)."""
    manifest = os.path.join(out_root, MANIFEST)
    reusable = False
    if os.path.isdir(out_root):
        if not options.dry_run:
            remove_leftovers(out_root)
        try:
            reusable = orjson.loads(Path(manifest).read_bytes()) == fingerprint(options)
        except (OSError, orjson.JSONDecodeError):
            reusable = False
        own = f"{TMP_MARK}{os.getpid()}-"  # this run's report, already being written there, is no output
        if not reusable and any(own not in entry.name for entry in os.scandir(out_root)):
            log.note(f"{out_root} holds outputs of another source or other options (or none recorded): converting "
                     "every document again")
    if not options.dry_run:
        real, checked = safe_root(out_root)
        try:
            write_atomic(manifest, orjson.dumps(fingerprint(options)), real, checked)
        except OSError as exc:  # the first write into OUT_DIR: it says whether OUT_DIR takes any
            raise DocumentError(f"cannot write {MANIFEST} in it: {exc.strerror or exc}", source=out_root) from None
    return reusable


def remove_leftovers(top: str) -> int:
    """Delete the ``.NAME.stacml-*.tmp`` files of runs that were killed (not this run's own,
    such as the report it is writing inside the tree)."""
    removed = 0
    own = f"{TMP_MARK}{os.getpid()}-"
    for directory, _, files in os.walk(top):
        for name in files:
            if name.startswith(".") and TMP_MARK in name and name.endswith(".tmp") and own not in name:
                try:
                    os.unlink(os.path.join(directory, name))
                    removed += 1
                except OSError:
                    pass
    return removed


def _run_tree(plan: Plan, options: Options, log: RunLog, jobs: int, strict: bool) -> int:
    from .sources import iter_files
    remote = "://" in plan.root
    options.source_root = plan.root
    options.out_root = plan.output if not options.in_place else None
    if options.out_root is not None and not options.force:
        options.force = not prepare_output_root(options.out_root, options, log)
    elif options.out_root is not None:
        prepare_output_root(options.out_root, options, log)
    if options.in_place and not options.dry_run:
        remove_leftovers(plan.root)
    seen: set[str] = set()
    queue: deque = deque()
    root_prefix = "" if remote else os.path.normpath(os.path.abspath(plan.root)).rstrip(os.sep) + os.sep

    def rel_of(path: Path | None, url: str | None) -> str | None:
        if url is not None:
            if not (remote and url.startswith(plan.root)):
                return None
            from urllib.parse import unquote
            rel = unquote(url[len(plan.root):])
            parts = rel.split("/")
            return None if (not rel or ".." in parts or rel.startswith("/")) else rel
        if remote:
            return None
        text = os.path.normpath(os.path.abspath(path))
        return text[len(root_prefix):] if text.startswith(root_prefix) else None

    if plan.mode == "directory":
        files = []
        for entry in iter_files(Path(plan.root)):
            if isinstance(entry, Path):
                files.append((str(entry), rel_of(entry, None), False, ()))
            else:
                log.warn(entry.label, entry.warning)
        queue.extend(files)
        log.expected = lambda: len(files)
    else:
        start = plan.source
        key = start if remote else os.path.realpath(start)
        seen.add(key)
        queue.append((start, rel_of(None, start) if remote else rel_of(Path(start), None), True, (key,)))
        log.expected = lambda: log.documents + len(queue) + 1

    def handle(result) -> None:
        """Queue the links of one file (its entries are in the tally of its chunk)."""
        for note in result.notes:
            log.note(note)
        for target in result.links:
            if not isinstance(target, str) and (target.url or target.real) in result.ancestors:
                target = cycle_warning(target)
            if isinstance(target, str):
                where, why = target.split(": ", 1)
                log.warn(f"{result.label}: {where}", why)
                continue
            key = target.url or target.real
            if key in seen:
                continue  # linked twice: converted once
            seen.add(key)
            rel = rel_of(target.path, target.url)
            if rel is None and target.url is not None:
                log.note(f"{target.url}: remote document read and reported, not written (it has no place "
                         "below the output directory)")
            queue.append((str(target.path) if target.path else target.url, rel, target.rel == "child",
                          result.ancestors + (key,) if target.rel == "child" else ()))

    return _drive(queue, options, log, jobs, handle, strict)


def _drive(queue: deque, options: Options, log: RunLog, jobs: int, handle, strict: bool) -> int:
    """Feed queued files to the workers (in this process with jobs == 1) until none is
    left, or until the first failure with *strict*. Returns the number of failures."""
    from .catalog_work import Tally
    if jobs <= 1:
        worker = Worker(options)
        while queue:
            path, rel, follow, ancestors = queue.popleft()
            tally = Tally()
            result = worker.process_file(path, rel, follow, tally)
            result.ancestors = ancestors
            log.add_tally(tally)
            handle(result)
            if strict and tally.failed:
                break
        return log.statuses["failed"]
    import queue as queues
    from .catalog_pool import Workers
    chunks: dict[int, list] = {}   # sent and not handled yet
    waiting: dict[int, tuple] = {}  # results that came back before their turn
    number = handled = 0
    with Workers(jobs, options) as workers:
        while queue or chunks:
            # 4 chunks per worker at work; a few more while a slow one holds the others back
            while queue and len(chunks) - len(waiting) < jobs * 4 and len(chunks) < jobs * 8:
                size = max(1, min(64, len(queue) // (jobs * 4)))
                chunk = [queue.popleft() for _ in range(min(size, len(queue)))]
                number += 1
                chunks[number] = chunk
                workers.submit(number, "files", [(p, r, f) for p, r, f, _ in chunk])
            try:
                done, answer = workers.next_result(timeout=0.25)
            except queues.Empty:
                log.tick()
                continue
            waiting[done] = answer
            # handled in the order they were queued: messages, the report and the links queued
            # next (so the traversal itself) are the same whatever -j and the workers' speed
            while handled + 1 in waiting:
                handled += 1
                results, tally = waiting.pop(handled)
                log.add_tally(tally)
                for (path, rel, follow, ancestors), result in zip(chunks.pop(handled), results):
                    result.ancestors = ancestors
                    handle(result)
                if strict and tally.failed:
                    workers.terminate()
                    return log.statuses["failed"]
    return log.statuses["failed"]


def options_summary(options: Options) -> dict:
    d = asdict(options)
    d.pop("training_data", None)
    d["fill_values"] = bool(options.fill_values)
    d.pop("want_report", None)
    d.pop("count_losses", None)  # the report records fail_on itself
    return d
