"""Whole-catalog conversion: what a SRC argument is, where its outputs go, and the runs
that convert it (a static catalog or a directory, file by file in worker processes; NDJSON
streamed in batches; an ItemCollection in one piece). See docs/catalog.md.

``plan(src, output, ...)`` decides the mode; ``run(plan, options, log, jobs=, strict=)``
converts and returns the number of documents that failed. A single Item or Collection
(``mode == "single"``) is left to the caller (the command's one-document path).
"""
from __future__ import annotations

import os
import sys
from collections import deque
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import NamedTuple

import orjson

from .catalog_links import DanglingLinks, Via
from .catalog_report import RunLog
from .destinations import UsageError, not_a_file_as_directory, not_the_input, path_contains
from .catalog_work import Options, Worker
from .links import absolute_path, cycle_warning, link_targets
from .sources import is_catalog, kind_of, linked_from, read_file

DOC_SUFFIXES = (".json", ".geojson", ".yaml", ".yml", ".ndjson", ".jsonl")


@dataclass
class Plan:
    mode: str                       # single | catalog | directory | collection-file | ndjson
    source: str
    root: str | None = None         # catalog root directory / the directory argument / remote URL prefix
    output: str | None = None       # OUT_DIR (catalog, directory) or a file; None = stdout
    notes: list[str] = field(default_factory=list)
    stdin_head: bytes | None = None  # stdin bytes already read while finding out what it holds


class TreeNeedsOutputDir(UsageError):
    """SRC holds several documents (a catalog or a directory), and the output given cannot take them."""


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
            raise TreeNeedsOutputDir(f"-o {output} names a file, but {src} is a catalog: give -o OUT_DIR (an existing "
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
        raise TreeNeedsOutputDir(f"{src} is {what}: give -o OUT_DIR (or --in-place, or --dry-run)")
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


class Queued(NamedTuple):
    """A file waiting for a worker: its output path below OUT_DIR, whether its links are
    followed, the catalogs on the way to it (cycles), what names it (the link target key) and
    the link that led the run to it (named when the file cannot be read)."""
    path: str
    rel: str | None
    follow: bool
    ancestors: tuple = ()
    key: str | None = None
    via: Via | None = None

    @property
    def linked_from(self) -> str | None:
        return linked_from(self.via.label, self.via.where) if self.via is not None else None


def _run_tree(plan: Plan, options: Options, log: RunLog, jobs: int, strict: bool) -> int:
    from .catalog_outputs import OutputDir, remove_leftovers
    from .sources import iter_files
    remote = "://" in plan.root
    options.source_root = plan.root
    options.out_root = plan.output if not options.in_place else None
    options.strict = options.strict or strict
    out = OutputDir(options.out_root, options, log) if options.out_root is not None else None
    if out is not None:
        reusable = out.prepare()
        options.force = options.force or not reusable
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
        text = absolute_path(path)
        return text[len(root_prefix):] if text.startswith(root_prefix) else None

    if plan.mode == "directory":
        files = []
        for entry in iter_files(Path(plan.root)):
            if isinstance(entry, Path):  # its key: what a link to it names, for dangling()
                files.append(Queued(str(entry), rel_of(entry, None), False, key=absolute_path(str(entry))))
            else:
                log.warn(entry.label, entry.warning)
        queue.extend(files)
        log.expected = lambda: len(files)
    else:
        start = plan.source
        key = start if remote else os.path.realpath(start)
        seen.add(key)
        queue.append(Queued(start, rel_of(None, start) if remote else rel_of(Path(start), None), True, (key,), key))
        log.expected = lambda: log.documents + len(queue) + 1
    links_to: dict[str, list] = {}  # queued document -> the links (Via) that lead to it
    stop: list[str] = []  # with --strict: the document whose failure stopped the run
    dangling = DanglingLinks(log, options.out_root, options.dry_run)

    def handle(item: Queued, result) -> None:
        """Account for one file's output and queue its links (its entries are in the tally of
        its chunk)."""
        for note in result.notes:
            log.note(note)
        if result.failed and not stop:
            stop.append(result.label)
        # an input deleted since an earlier run: what that run wrote for it is no output of this
        # one (it is among the files the run did not write, which --prune removes)
        gone = result.failed and not result.written and "://" not in item.path and not os.path.lexists(item.path)
        if out is not None and item.rel is not None:
            if not gone:
                out.keep(item.rel, result.written)
            if result.written and not remote:
                dangling.written.append((item.path, result.left_out))
            for rel in result.assets:
                out.keep(rel, True)
        log.assets_copied += result.assets_copied
        for warning in result.assets_unchanged:
            where, why = warning.split(": ", 1)
            log.keep_warning(f"{result.label}: {where}", why, unchanged=True)
        vias = links_to.pop(item.key, ()) if item.key is not None else ()
        if result.failed and not result.written and out is not None and item.rel is not None and item.key:
            output = os.path.join(options.out_root, item.rel)
            if not gone:
                dangling.failed(item.key, item.path, output, vias)
            elif os.path.isfile(output) and (stale := out.left_stale(item.rel)):  # the links lead to it
                dangling.failed(item.key, item.path, output, vias, stale=stale)
            # else a missing file's links dangled in the input already: its error line says so
        for target in result.links:
            if not isinstance(target, str):
                key, via = target.url or target.real, Via(result.label, f"/links/{target.index}", target.href)
                if key in dangling.unwritten:  # failed: the link dangles (a cycle back to it too, one warning)
                    dangling.warn(via, key)
                    continue
                if key in item.ancestors:
                    target = cycle_warning(target)
            if isinstance(target, str):
                where, why = target.split(": ", 1)
                log.warn(f"{result.label}: {where}", why)
                continue
            if key in seen:  # linked twice: converted once
                if key in links_to:
                    links_to[key].append(via)
                continue
            seen.add(key)
            links_to[key] = [via]
            rel = rel_of(target.path, target.url)
            if rel is None and target.url is not None:
                log.note(f"{target.url}: remote document read and reported, not written (it has no place "
                         "below the output directory)")
            queue.append(Queued(str(target.path) if target.path else target.url, rel, target.rel == "child",
                                item.ancestors + (key,) if target.rel == "child" else (), key, via))

    with _pool(jobs, options) as workers:
        not_converted = _drive(queue, options, log, workers, handle)
        # the links the run did not follow (all of a directory run's), each said once; named as
        # the run names its documents: by real path in a catalog, as listed in a directory
        dangling.check_written(plan.root, options.lenient, plan.mode == "catalog", workers)
    if not_converted is not None:
        log.stopped(stop[0] if stop else "", [item.path for item in not_converted])
    if log.unchanged_warnings:
        log.note(f"{log.unchanged_warnings} asset href(s) of up-to-date outputs not copied, unchanged since the "
                 "last run" + (" (listed in the report)" if log.has_report else ""))
    if out is not None:
        out.finish(complete=not_converted is None, prune=options.prune, report=log.report_path)
    return log.statuses["failed"]


def _pool(jobs: int, options: Options):
    """The worker processes of a run with -j > 1 (a context that closes them); else a
    context giving None: the run works in this process."""
    if jobs <= 1:
        from contextlib import nullcontext
        return nullcontext()
    from .catalog_pool import Workers
    return Workers(jobs, options)


def _drive(queue: deque, options: Options, log: RunLog, workers, handle) -> list | None:
    """Feed queued files to the *workers* (in this process when None) until none is
    left, or, with --strict, until a document fails: then returns the files not converted
    because of the stop (None when the run went through)."""
    from .catalog_work import Tally
    if workers is None:
        worker = Worker(options)
        while queue:
            item = queue.popleft()
            tally = Tally()
            result = worker.process_file(item.path, item.rel, item.follow, tally, item.linked_from)
            log.add_tally(tally)
            handle(item, result)
            if options.strict and result.failed:
                return list(queue)
        return None
    jobs = workers.jobs
    sent: deque = deque()  # the chunks at the workers, in the order their results come
    stopped, skipped = False, []

    def next_task() -> tuple | None:
        if stopped or not queue:
            return None
        size = max(1, min(64, len(queue) // (jobs * 4)))
        chunk = [queue.popleft() for _ in range(min(size, len(queue)))]
        sent.append(chunk)
        return "files", [(item.path, item.rel, item.follow, item.linked_from) for item in chunk]

    # handled in the order they were queued: messages, the report and the links queued next (so
    # the traversal itself) are the same whatever -j and the workers' speed; 4 chunks per worker
    # at work, a few more while a slow one holds the others back
    for results, tally in workers.in_order(next_task, log.tick, most=8):
        log.add_tally(tally)
        chunk = sent.popleft()
        for item, result in zip(chunk, results):
            handle(item, result)
        # with --strict a worker stops at a failure, and the others at their next file
        skipped.extend(chunk[len(results):])
        stopped = stopped or (options.strict and tally.failed > 0)
    return skipped + list(queue) if stopped else None


def options_summary(options: Options) -> dict:
    d = asdict(options)
    d.pop("training_data", None)
    d["fill_values"] = bool(options.fill_values)
    d.pop("want_report", None)
    d.pop("count_losses", None)  # the report records fail_on itself
    return d
