"""Where a run may write: never over a file it reads, never into a tree it will read again.

``stacml convert`` checks its destinations with :func:`check_destinations` before it writes
anything; ``stacml audit`` uses the same path tests for its ``-o``.
"""
from __future__ import annotations

import os
import re
from typing import Iterable



class UsageError(Exception):
    """The arguments cannot work together (exit 2)."""


def check_destinations(plan, report: str | None, read: Iterable[str] = (), in_place: bool = False) -> None:
    """Neither the report nor a one-file output may be a file the run reads (the input, the
    --restore report, a --training-data document), nor the same file as each other: it would
    be overwritten. Nor may the report lie inside an input directory (the next run would read
    it as a document), or replace a file inside a catalog's root other than an earlier run
    report (it may be one of the catalog's documents)."""
    inputs = [str(p) for p in read]
    if plan.source != "-" and "://" not in plan.source and os.path.isfile(plan.source):
        inputs.append(plan.source)
    written: list[tuple[str, str]] = []
    if plan.mode in ("single", "ndjson", "collection-file") and plan.output not in (None, "-") and not in_place:
        out = plan.output
        if plan.mode == "single" and os.path.isdir(out):
            out = os.path.join(out, os.path.basename(plan.source) if plan.source != "-" else "document.json")
        written.append(("-o", out))
    if report is not None:
        written.append(("--report", str(report)))
    for flag, path in written:
        for other in inputs:
            if same_file(path, other):
                raise UsageError(f"{flag} {path} is {other}, which this run reads: choose another file")
    if len(written) == 2 and same_file(written[0][1], written[1][1]):
        raise UsageError(f"-o and --report name the same file ({written[1][1]}): choose two files")
    root = plan.root
    if report is None or plan.mode not in ("catalog", "directory") or not root or "://" in root \
            or not path_contains(os.path.realpath(root), os.path.realpath(report)):
        return
    if plan.mode == "directory":  # every *.json below it is an input, the report included next time
        raise UsageError(f"--report {report} is inside the input directory {root}: write the report elsewhere")
    if os.path.isfile(report) and not _is_run_report(report):
        raise UsageError(f"--report {report} is a file inside the input {root} (an input document?): "
                         "write the report elsewhere")


def same_file(a: str, b: str) -> bool:
    try:
        if os.path.exists(a) and os.path.exists(b):
            return os.path.samefile(a, b)
    except OSError:
        return False
    return os.path.realpath(a) == os.path.realpath(b)


def _is_run_report(path: str) -> bool:
    from .catalog_report import REPORT_FORMAT  # imported when needed: it brings the whole catalog machinery
    return report_format(path) == REPORT_FORMAT


_REPORT_HEAD = re.compile(rb'\s*\{\s*"format"\s*:\s*"(stacml-[^"]*)"')


def report_format(path: str) -> str | None:
    """The format of a stacml report file (one that starts with its "format"), read from its
    first bytes only: e.g. ``stacml-convert-report/1``; None for any other file."""
    try:
        with open(path, "rb") as fh:
            match = _REPORT_HEAD.match(fh.read(256))
    except OSError:
        return None
    return match.group(1).decode() if match else None


def path_contains(outer: str, inner: str) -> bool:
    return inner == outer or inner.startswith(outer.rstrip(os.sep) + os.sep)


def not_a_file_as_directory(output: str | None) -> None:
    """-o DIR/ (a final slash) names a directory: an existing file there is a usage error, as
    -o FILE is for a catalog, not a failure to write into it."""
    if output is None or not output.endswith(("/", os.sep)):
        return
    bare = output.rstrip("/" + os.sep)
    if bare and os.path.exists(bare) and not os.path.isdir(bare):
        raise UsageError(f"-o {output}: {bare} is a file, not a directory")


def not_the_input(src: str, output: str | None) -> None:
    """-o naming the input file itself (or a directory it is in) would overwrite it without the
    backup --in-place keeps."""
    if output in (None, "-"):
        return
    if os.path.isdir(output):
        output = os.path.join(output, os.path.basename(src))
    try:
        same = os.path.exists(output) and os.path.samefile(output, src)
    except OSError:
        return
    if same:
        raise UsageError(f"-o {output} is the input itself: use --in-place to rewrite it (a backup is kept)")
