"""OUT_DIR from one run to the next (docs/catalog.md, "Interrupted runs" and "Files a run did
not write"). Its manifest, ``.stacml-convert.json``, records what the outputs were made with
(so that a rerun reuses only outputs made the same way) and which files stacml wrote there.
At the end of a run, the files this run did not write are reported (outputs of documents that
no longer exist, or of another source); with ``--prune`` those the manifest records as
stacml's are removed, and nothing else ever is.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import orjson

from .catalog_report import RunLog
from .catalog_work import Options
from .catalog_write import TMP_MARK, safe_root, write_atomic
from .destinations import report_format
from .errors import DocumentError
from .jsonio import compact
from .sources import inside

MANIFEST = ".stacml-convert.json"
SHOWN = 5  # files named in the warning line (the report lists them all)


def fingerprint(options: Options) -> dict:
    """What makes an earlier output reusable: the same source, the same target and the same
    inputs to it. The source is the resolved input root (the URL prefix of a remote catalog):
    another catalog or directory of the same layout converted into OUT_DIR gives outputs of
    the same names, which only their modification times would otherwise tell apart."""
    root = options.source_root
    data = {"source": root if root is None or "://" in root else os.path.realpath(root),
            "to": options.to, "version": options.version, "fill_required": options.fill_required,
            **({"prefer": options.prefer} if options.prefer else {}),
            **({"keep_existing": True} if options.keep_existing else {}),
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


def remove_leftovers(top: str) -> int:
    """Delete the ``.NAME.stacml-*.tmp`` files of runs that were killed (not this run's own,
    such as the report it is writing inside the tree)."""
    removed = 0
    own = f"{TMP_MARK}{os.getpid()}-"
    for directory, _, files in os.walk(top):
        for name in files:
            if _temporary(name) and own not in name:
                try:
                    os.unlink(os.path.join(directory, name))
                    removed += 1
                except OSError:
                    pass
    return removed


def _temporary(name: str) -> bool:
    return name.startswith(".") and TMP_MARK in name and name.endswith(".tmp")


class OutputDir:
    """One run's OUT_DIR: ``prepare()`` before the first document, ``keep()`` for each file of
    the run, ``finish()`` at the end."""

    def __init__(self, root: str, options: Options, log: RunLog):
        self.root, self.options, self.log = root, options, log
        self.manifest = os.path.join(root, MANIFEST)
        self.recorded: set[str] = set()  # what earlier runs wrote here, by their manifests
        self.written: set[str] = set()   # what this run wrote (or found up to date): recorded next
        self.claimed: set[str] = set()   # the outputs of this run's documents and assets, written or not

    def prepare(self) -> bool:
        """Remove temporary files a killed run left; True when earlier outputs may be reused
        (the manifest of the last run matches these options)."""
        options, reusable = self.options, False
        if os.path.isdir(self.root):
            if not options.dry_run:
                remove_leftovers(self.root)
            try:
                earlier = orjson.loads(Path(self.manifest).read_bytes())
            except (OSError, orjson.JSONDecodeError):
                earlier = None
            if type(earlier) is dict:
                self.options.assets_warned = earlier.pop("copy_assets", False) is True
                outputs = earlier.pop("outputs", None)
                self.recorded = {p for p in outputs if type(p) is str} if type(outputs) is list else set()
                reusable = earlier == fingerprint(options)
            own = f"{TMP_MARK}{os.getpid()}-"  # this run's report, already being written there, is no output
            if not reusable and any(own not in entry.name for entry in os.scandir(self.root)):
                self.log.note(f"{self.root} holds outputs of another source or other options (or none recorded): "
                              "converting every document again")
        if not options.dry_run:  # until this run ends, what the earlier runs recorded holds
            self._write_manifest(self.recorded, options.assets_warned)
        return reusable

    def keep(self, rel: str, written: bool) -> None:
        """A file of this run below OUT_DIR; *written*: it is there (written now or up to date)."""
        self.claimed.add(rel)
        if written:
            self.written.add(rel)

    def left_stale(self, rel: str) -> str | None:
        """An output an earlier run wrote for a document whose input is gone: None when this run
        will remove it (--prune, a run that goes through), else why it stays, for the warnings."""
        if rel not in self.recorded:
            return "not recorded as written by stacml: --prune leaves it"
        options = self.options
        return None if options.prune and not (options.dry_run or options.strict) else "--prune removes it"

    def finish(self, *, complete: bool, prune: bool, report: str | None) -> None:
        """Report the files this run did not write (unless it stopped early: then it did not
        reach every document), remove those an earlier run recorded with *prune*, and record
        what stacml wrote."""
        others = self._others(report) if complete else []
        pruned = [rel for rel in others if rel in self.recorded and self._remove(rel)] \
            if prune and not self.options.dry_run else []
        gone = set(pruned)
        emptied = self._remove_emptied(pruned)
        left = [rel for rel in others if rel not in gone]
        if left:
            shown = ", ".join(os.path.join(self.root, rel) for rel in left[:SHOWN])
            more = f" and {len(left) - SHOWN} more" if len(left) > SHOWN else ""
            stacml = sum(rel in self.recorded for rel in left)
            hint = (f"{stacml} of them written by an earlier run: --prune removes those" if stacml
                    else "none recorded as written by stacml")
            self.log.warn(self.root, f"{len(left)} file(s) this run did not write (outputs of documents no longer in "
                          f"the source or of another source, or other files): {shown}{more} ({hint})")
        if pruned:
            also = (f" and the {len(emptied)} director{'y' if len(emptied) == 1 else 'ies'} that left empty"
                    if emptied else "")
            self.log.note(f"{self.root}: --prune removed {len(pruned)} file(s) an earlier run wrote{also}")
        if complete:
            self.log.tail["left_in_output"] = {"count": len(left), "files": [os.path.join(self.root, r) for r in left],
                                               "pruned": [os.path.join(self.root, r) for r in pruned],
                                               "pruned_directories": [os.path.join(self.root, r) for r in emptied]}
        if not self.options.dry_run:  # stacml's files still there stay recorded, for a later --prune
            self._write_manifest(self.written | {rel for rel in self.recorded - gone
                                                 if os.path.lexists(os.path.join(self.root, rel))},
                                 self.options.copy_assets)

    def _others(self, report: str | None) -> list[str]:
        """The files below OUT_DIR that no document or asset of this run maps to, sorted; its
        manifest, temporary files and stacml's own reports aside."""
        found = []
        report_real = os.path.realpath(report) if report else None
        for top, _, files in os.walk(self.root):
            for name in files:
                path = os.path.join(top, name)
                rel = os.path.relpath(path, self.root)
                if rel in self.claimed or rel == MANIFEST or _temporary(name) \
                        or os.path.realpath(path) == report_real or report_format(path):
                    continue
                found.append(rel)
        return sorted(found)

    def _remove(self, rel: str) -> bool:
        """Delete a file an earlier run recorded, only below OUT_DIR (never through a symlinked
        directory leading elsewhere); True when it is gone."""
        path = os.path.normpath(os.path.join(self.root, rel))
        if os.path.isabs(rel) or os.pardir in Path(rel).parts or not inside(self.root, os.path.dirname(path)):
            return False
        try:
            os.unlink(path)
        except OSError as exc:
            self.log.warn(path, f"--prune could not remove it: {exc.strerror or exc}")
            return False
        return True

    def _remove_emptied(self, pruned: list[str]) -> list[str]:
        """Remove the directories below OUT_DIR that removing *pruned* left empty: the parents of
        those files, deepest first, up to the first that still holds something (never OUT_DIR,
        nor a directory that was empty before, nor one reached through a symlink)."""
        removed = []
        for rel in sorted({os.path.dirname(rel) for rel in pruned} - {""}, key=lambda r: -len(Path(r).parts)):
            while rel:
                path = os.path.join(self.root, rel)
                if os.path.islink(path):
                    break
                try:
                    os.rmdir(path)  # only ever removes an empty directory
                except OSError:  # not empty: nor are its parents (or removed already, from a deeper one)
                    break
                removed.append(rel)
                rel = os.path.dirname(rel)
        return sorted(removed)

    def _write_manifest(self, outputs: set[str], copied_assets: bool) -> None:
        """*outputs*: the files stacml wrote below OUT_DIR; *copied_assets*: whether the run that
        wrote them copied assets (so it warned about the hrefs it could not copy)."""
        real, checked = safe_root(self.root)
        data = {**fingerprint(self.options), "copy_assets": copied_assets, "outputs": sorted(outputs)}
        try:
            write_atomic(self.manifest, orjson.dumps(data), real, checked)
        except OSError as exc:  # the first write into OUT_DIR: it says whether OUT_DIR takes any
            raise DocumentError(f"cannot write {MANIFEST} in it: {exc.strerror or exc}", source=self.root) from None

