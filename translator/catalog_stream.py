"""The single-file forms of a run: NDJSON (streamed in batches, in constant memory, in
order, through worker processes) and an ItemCollection (one piece). The output is stdout
or one file written through a temporary file renamed into place at the end, so a killed
run leaves no partial output."""
from __future__ import annotations

import filecmp
import os
import sys
from pathlib import Path
from typing import IO, Iterator

from .catalog_report import RunLog
from .catalog_work import Entry, Options, Tally, Worker
from .catalog_write import mode_of, open_temp, write_atomic
from .errors import DocumentError
from .jsonio import compact, parse

BLOCK = 256 * 1024   # NDJSON bytes per task (whole lines)
IN_FLIGHT = 4        # batches queued per worker: bounds memory whatever the input size


class Destination:
    """stdout, or a temporary file next to the output renamed into place by ``commit``."""

    def __init__(self, output: str | None, options: Options, source: str):
        self.output = output
        self.dry_run = options.dry_run
        self.in_place = options.in_place
        self.backup_suffix = options.backup_suffix
        self.source = source
        self.tmp: str | None = None
        self.stream: IO[bytes] | None = None
        if self.dry_run:
            return
        if output is None:
            self.stream = sys.stdout.buffer
            return
        try:
            fd, self.tmp, _ = open_temp(output, None, set())  # exclusive, never through a symlink
        except OSError as exc:
            raise DocumentError(f"cannot write: {exc.strerror or exc}", source=output) from None
        self.stream = os.fdopen(fd, "wb")

    def write(self, data: bytes) -> None:
        if self.stream is not None and data:
            self.stream.write(data)

    def commit(self) -> None:
        if self.stream is None:
            return
        if self.tmp is None:
            self.stream.flush()
            return
        self.stream.close()
        if self.in_place and filecmp.cmp(self.tmp, self.output, shallow=False):
            self.stream = None  # nothing would change: no rewrite, no backup
            os.unlink(self.tmp)
            return
        if self.in_place:
            backup = self.output + self.backup_suffix
            mode = mode_of(self.output)  # the rewrite and the backup are no more readable than the file
            if not os.path.lexists(backup):
                os.link(self.output, backup) if _can_link(self.output) else _copy(self.output, backup, mode)
            os.chmod(self.tmp, mode)
        os.replace(self.tmp, self.output)

    def discard(self) -> None:
        if self.tmp is not None and self.stream is not None:
            self.stream.close()
            try:
                os.unlink(self.tmp)
            except OSError:
                pass
        self.stream = None


def _can_link(path: str) -> bool:
    return hasattr(os, "link") and not os.path.islink(path)


def translate_block(worker: Worker, label: str, first: int, block: bytes) -> tuple[bytes, Tally]:
    """Translate a block of whole NDJSON lines, the first numbered *first*; returns the
    output lines and the tally of their entries. A failed line is left out of a new output;
    rewriting in place (or with --copy-failed), it stays as it was (the file keeps every record)."""
    out: list[bytes] = []
    entries: list[Entry] = []
    keep_failed = worker.options.in_place or worker.options.copy_failed
    for number, raw in enumerate(block.split(b"\n"), first):
        if not raw.strip():
            continue
        where = f"{label}:{number}"
        try:
            value, fixes = parse(raw, where, lenient=worker.options.lenient, line=number)
        except DocumentError as exc:
            entries.append(worker._failed(where, exc.detail, line=number))
            value = None
        else:
            if type(value) is not dict:
                from .sources import json_kind
                entries.append(worker._failed(
                    where, f"not a STAC document: the top level is a JSON {json_kind(value)}", line=number))
                value = None
        doc = None
        if value is not None:
            entry, doc = worker.translate(value, where, line=number, fixes=fixes, file=label)
            entries.append(entry)
        if entries[-1].status == "failed":
            if worker.options.strict:
                break  # the run stops here: later lines are neither read nor reported
            if not keep_failed:
                continue
            entries[-1].error += worker.kept_as_it_is()
        if doc is None and value is not None and entries[-1].status != "failed" and worker.rewrites(fixes):
            out.append(compact(value))  # repaired by --lenient-json: the JSON it was read as
        elif doc is None:
            out.append(raw.rstrip(b"\r\n") + b"\n")
        else:
            out.append(compact(doc))
        entries[-1].output_line = len(out)  # in the block's output; the run adds the lines before it
    return b"".join(out), worker.tally(entries, located=False)


def _copy(source: str, backup: str, mode: int) -> None:
    write_atomic(Path(backup), Path(source).read_bytes(), None, set(), mode)


def _blocks(stream: IO[bytes], head: bytes | None) -> Iterator[tuple[int, bytes]]:
    """(number of the first line, whole lines) in blocks of about BLOCK bytes: the run
    never splits lines itself, the workers do."""
    read = getattr(stream, "read1", stream.read)  # read1: what a pipe has, without waiting for more
    pending = head or b""
    first = 1
    while True:
        chunk = read(BLOCK)
        if not chunk:
            break
        pending += chunk
        if len(pending) < BLOCK:
            continue
        cut = pending.rfind(b"\n") + 1
        if cut == 0:
            continue  # one line longer than a block: keep reading
        block, pending = pending[:cut], pending[cut:]
        yield first, block
        first += block.count(b"\n")
    if pending:
        yield first, pending


def run_ndjson(plan, options: Options, log: RunLog, jobs: int, strict: bool) -> int:
    label = plan.source
    if plan.source == "-":
        stream, size = sys.stdin.buffer, 0
    else:
        stream = open(plan.source, "rb")
        size = os.fstat(stream.fileno()).st_size
        log.fraction = lambda: (stream.tell() / size) if size and not stream.closed else None
    destination = Destination(plan.output, options, plan.source)
    output = None if options.dry_run else (plan.output or "-")  # what the entries name (stdout: -)
    failed = written_lines = 0

    def take(data: bytes, tally: Tally) -> bool:
        nonlocal failed, written_lines
        destination.write(data)
        log.add_tally(tally.located(output, written_lines))
        written_lines += data.count(b"\n")
        failed += tally.failed
        return not (strict and failed)

    try:
        if jobs <= 1:
            worker = Worker(options)
            for first, block in _blocks(stream, plan.stdin_head):
                if not take(*translate_block(worker, label, first, block)):
                    destination.discard()
                    return failed
        else:
            from .catalog_pool import Workers
            blocks = _blocks(stream, plan.stdin_head)

            def next_task() -> tuple | None:
                block = next(blocks, None)
                return None if block is None else ("block", label, *block)
            with Workers(jobs, options) as workers:
                for answer in workers.in_order(next_task, log.tick, busy=IN_FLIGHT, most=IN_FLIGHT):
                    if not take(*answer):  # (in input order)
                        workers.terminate()
                        destination.discard()
                        return failed
        destination.commit()
    except BaseException:
        destination.discard()
        raise
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
    return failed


def run_collection_file(plan, options: Options, log: RunLog) -> int:
    """An ItemCollection: its features translated, the rest of it kept."""
    label = plan.source
    if plan.stdin_head is not None:
        raw = plan.stdin_head
    else:
        try:
            raw = Path(plan.source).read_bytes()
        except OSError as exc:
            log.add(Entry(label, "failed", error=f"cannot read: {exc.strerror or exc}"))
            return 1
    try:
        value, fixes = parse(raw, label, lenient=options.lenient, suffix=Path(label).suffix.lower() or ".json")
    except DocumentError as exc:
        log.add(Entry(label, "failed", error=exc.detail))
        return 1
    entries: list[Entry] = []
    worker = Worker(options)
    data = worker._convert_value(value, raw, fixes, label, entries)
    failed = sum(e.status == "failed" for e in entries)
    destination = Destination(plan.output, options, plan.source) if data is not None else None
    for entry in entries:
        if entry.status != "failed" or entry.output_pointer is not None:  # (a failed feature kept as it is)
            entry.output = plan.output or ("-" if not options.dry_run else None)
    log.add_tally(worker.tally(entries))
    if destination is not None:
        try:
            if not (options.in_place and data == raw):
                destination.write(data)
                destination.commit()
            else:
                destination.discard()
        except BaseException:
            destination.discard()
            raise
    return failed
