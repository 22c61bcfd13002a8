"""The links a failed document leaves dangling in OUT_DIR (docs/catalog.md, "A document that
fails"): each one is a warning on the link, once, counted in ``totals.dangling_links``.
A catalog run warns on the links it follows as the documents they lead to fail; at the end,
once something failed and is not written, every document whose output is there is read again
and its other links (all of them in a directory run, which follows none; the features' links
of an ItemCollection file too) are checked.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator, NamedTuple

from .catalog_report import RunLog
from .links import Followed, absolute_path, link_targets
from .sources import read_file


class Via(NamedTuple):
    """A link as a warning names it: the document holding it, its pointer there, its href."""
    label: str
    where: str   # /links/N, or /features/N/links/M in an ItemCollection file
    href: str


class DanglingLinks:
    """What failed and is not written, and the links to it already warned about."""

    def __init__(self, log: RunLog, out_root: str, dry_run: bool):
        self.log, self.out_root, self.dry_run = log, out_root, dry_run
        # a document that failed -> its name, its output, and for an input gone, why its stale output stays
        self.unwritten: dict[str, tuple[str, str, str | None]] = {}
        self.warned: set[tuple[str, str]] = set()         # (document, pointer) of each link warned about
        self.written: list[tuple[str, tuple[int, ...]]] = []  # local documents with an output: checked last

    def failed(self, key: str, name: str, output: str, vias, stale: str | None = None) -> None:
        """*key* failed and is not written: the links already known to lead to it dangle (or,
        when its input is gone, lead to the output an earlier run wrote: *stale* says why it stays)."""
        self.unwritten[key] = (name, output, stale)
        for via in vias:
            self.warn(via, key)

    def warn(self, via: Via, key: str) -> None:
        """A link whose target failed: said on the link, for it leads nowhere in OUT_DIR (or
        to what an earlier run wrote there)."""
        child, output, stale = self.unwritten[key]
        dangles = "would dangle" if self.dry_run else "dangles"
        if stale is not None:
            why = (f"link {via.href} leads to {child}, which does not exist: {output} is left as an earlier run "
                   f"wrote it, stale ({stale})")
        elif os.path.isfile(output):
            why = f"link {via.href} leads to {child}, which failed: {output} is left as an earlier run wrote it"
        elif os.path.isdir(output):  # what stopped the write, most likely: --copy-failed would not help
            why = (f"link {via.href} leads to {child}, which failed and is not written: {output} is a directory, "
                   f"so the link {dangles} in {self.out_root}")
        else:
            why = (f"link {via.href} leads to {child}, which failed and is not written: the link {dangles} in "
                   f"{self.out_root} (--copy-failed writes a failed document as it is)")
        self.log.warn(f"{via.label}: {via.where}", why)
        self.log.dangling += 1
        self.warned.add((via.label, via.where))

    def check_written(self, root: str, lenient: bool, by_real: bool, workers=None) -> None:
        """The links the run did not follow (all of a directory run's), of every document whose
        output is there, in input order; each link once. *by_real*: the failed documents are
        known by their real path (a catalog run), else as a directory run lists them. The
        documents are read again by the *workers* (catalog_pool.Workers) when given."""
        if not self.unwritten:
            return
        args = (root, lenient, by_real, frozenset(self.unwritten))
        if workers is None:
            found = [links_to_failed(self.written, *args)]
        else:  # in chunks few enough that the failed documents' names are sent a few times only
            size = max(256, -(-len(self.written) // (workers.jobs * 4)))
            chunks = [self.written[i:i + size] for i in range(0, len(self.written), size)]
            found = workers.map_in_order("links", chunks, *args, idle=self.log.tick)
        for links in found:
            for via, key in links:
                if (via.label, via.where) not in self.warned:
                    self.warn(via, key)


def links_to_failed(written: list[tuple[str, tuple[int, ...]]], root: str, lenient: bool, by_real: bool,
                    failed: frozenset[str]) -> list[tuple[Via, str]]:
    """(the link, the failed document's name) of each link of the *written* documents (path,
    features left out) to a *failed* one."""
    found = []
    for path, left_out in written:
        for where, target in local_links(path, root, lenient, left_out):
            key = target.real if by_real else absolute_path(str(target.path))
            if key in failed:
                found.append((Via(path, where, target.href), key))
    return found


def local_links(path: str, root: str, lenient: bool, left_out: tuple[int, ...] = ()) -> Iterator[tuple[str, Followed]]:
    """(pointer, where it leads) for each link of the document at *path* to a file below *root*
    (every relation): its own links, then those of each feature of an ItemCollection file,
    except the features *left_out* of its output (they failed). A remote link, or one leading
    out, is not checked."""
    value, _, _, error = read_file(Path(path), lenient=lenient)
    if error is not None or type(value) is not dict:
        return
    for target in link_targets(value, Path(path), root, rels=None):
        if not isinstance(target, str) and target.path is not None:
            yield f"/links/{target.index}", target
    features = value.get("features")
    if value.get("type") != "FeatureCollection" or type(features) is not list:
        return
    for i, feature in enumerate(features):
        if i in left_out or type(feature) is not dict:
            continue
        for target in link_targets(feature, Path(path), root, rels=None):  # relative to the file
            if not isinstance(target, str) and target.path is not None:
                yield f"/features/{i}/links/{target.index}", target
