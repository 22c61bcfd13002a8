"""Undoing a conversion from the CLI: the reports `stacml convert --report` wrote, read back as
the ``restore`` reports `translate` takes.

A single-document report is one Report. A run report (catalog, directory, ItemCollection,
NDJSON) holds one entry per document; entries written with ``--keep-residue`` carry the
document's key (type, collection, id) and its residue, so the converted documents can be
matched wherever they are now.
"""
from __future__ import annotations

import os
from typing import Any

from . import residue
from .api import translate
from .errors import DocumentError, TranslatorError
from .report import Report

RUN_FORMAT = "stacml-convert-report/1"


def document_key(doc: dict) -> tuple:
    """What identifies a document across a conversion (the translation never changes it)."""
    key = (doc.get("type"), doc.get("collection"), doc.get("id"))
    return tuple(v if isinstance(v, (str, int, float, bool, type(None))) else repr(v) for v in key)


class RestoreIndex:
    """Restore reports by document key; a single-document report applies to any document."""

    def __init__(self, data: Any, label: str):
        self.single: Report | None = None
        self.by_key: dict[tuple, Report] = {}
        self.ambiguous: set[tuple] = set()
        self.by_path: dict[str, Report] = {}
        if type(data) is not dict:
            raise DocumentError(f"{label}: not a stacml report (the top level is not an object)")
        if data.get("format") == RUN_FORMAT:
            # outputs named relative to where the conversion ran (older reports: to here)
            base = data["cwd"] if type(data.get("cwd")) is str and os.path.isabs(data["cwd"]) else os.getcwd()
            for entry in data.get("documents") or ():
                if type(entry) is not dict or type(entry.get("residue")) is not list \
                        or type(entry.get("key")) is not list:
                    continue
                if type(entry.get("from")) is not dict or type(entry.get("to")) is not dict:
                    continue
                report = Report.from_dict({"source": entry.get("from"), "target": entry.get("to"),
                                           "residue": entry["residue"]})
                key = tuple(entry["key"])
                if key in self.by_key and not (_identity(report) and _identity(self.by_key[key])):
                    self.ambiguous.add(key)  # two documents with one id: matched by path only
                self.by_key[key] = report
                if type(entry.get("output")) is str:
                    self.by_path[os.path.realpath(os.path.join(base, entry["output"]))] = report
            if not self.by_key:
                raise DocumentError(f"{label}: this run report has no residues: convert with --report and "
                                    "--keep-residue to make a run undoable")
        elif type(data.get("residue")) is list and type(data.get("source")) is dict \
                and type(data.get("target")) is dict:
            self.single = Report.from_dict(data)
        else:
            raise DocumentError(f"{label}: not a stacml report with a residue (written by "
                                "`stacml convert --report`)")

    def find(self, doc: dict, path: str | None = None) -> Report | None:
        """The report of the conversion that produced *doc*: by the output path it was
        written to (when *path* is that file), else by its (type, collection, id)."""
        if self.single is not None:
            return self.single
        if path is not None and self.by_path:
            hit = self.by_path.get(os.path.realpath(path))
            if hit is not None:
                return hit
        key = document_key(doc)
        return None if key in self.ambiguous else self.by_key.get(key)


def _identity(report: Report) -> bool:
    return report.source == report.target


_LOADED: dict[str, RestoreIndex] = {}


def load_index(path: str) -> RestoreIndex:
    """Read once per process (catalog workers share nothing else)."""
    index = _LOADED.get(path)
    if index is None:
        from .jsonio import load
        index = _LOADED[path] = RestoreIndex(load(path)[0], path)
    return index


def settle(report: Report, given: dict, restored: dict, restore: Report, tables) -> None:
    """The losses of a restore, in place of those of the plain back-translation (which the
    residue undid): what of the *given* document the *restored* one does not give back, found by
    translating the restored document forward again as the conversion did (with or without
    placeholders) and comparing. Nothing, when the given document is what the conversion wrote."""
    best: list[dict] | None = None
    for fill in (False, True):
        try:
            again = translate(restored, to=restore.target[0], version=restore.target[1],
                              source=restore.source[0], fill_required=fill, tables=tables).document
        except TranslatorError:
            continue
        patches = [p for p in residue.diff(given, again) if p["op"] != "order"]  # key order is not data
        if best is None or len(patches) < len(best):
            best = patches
        if not patches:
            break
    if best is None:  # the losses of the plain back-translation stay: an overstatement, not a silence
        report.finding("", "restored", "the restored document could not be translated forward again to "
                       "check it against the input")
        return
    # what the plain back-translation lost, normalised or placed was overridden by the residue
    report.losses = []
    report.findings = [f for f in report.findings if f.code == "restored"]
    for patch in best:
        if patch["op"] == "set":
            report.loss(patch["pointer"], "dropped", patch["value"], "the restored document does not give "
                        "this back (added by the conversion, e.g. a training-data link, or after it)", "restore")
        else:
            report.finding(patch["pointer"], "restored-beyond-input", "the residue restores a value the "
                           "input no longer has here (the document changed after its conversion?)", "restore")
    # the back-translation's problems are not the restored document's (the residue adds and removes
    # fields, placeholders among them): ask the restored document itself (law 5)
    try:
        report.problems = list(translate(restored, to=restore.source[0], version=restore.source[1],
                                         source=restore.source[0], tables=tables).report.problems)
    except TranslatorError:
        pass
    report.finding("", "restored", "the input is what the restored document translates to: nothing lost"
                   if not best else f"{len(best)} difference(s) between the input and what the restored "
                   "document translates to")
