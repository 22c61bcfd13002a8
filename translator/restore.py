"""Undoing a conversion from the CLI: the reports `stacml convert --report` wrote, read back as
the ``restore`` reports `translate` takes.

A single-document report is one Report. A run report (catalog, directory, ItemCollection,
NDJSON) holds one entry per document; entries written with ``--keep-residue`` carry the
document's key (type, collection, id) and its residue, so the converted documents can be
matched wherever they are now.
"""
from __future__ import annotations

import json
import os
from typing import Any

from . import residue
from .api import translate
from .errors import DocumentError, TranslatorError
from .report import Report

RUN_FORMAT = "stacml-convert-report/1"


def document_key(doc: dict) -> tuple:
    """What identifies a document across a conversion (the translation never changes it)."""
    return _key((doc.get("type"), doc.get("collection"), doc.get("id")))


def _key(parts) -> tuple:
    return tuple(v if isinstance(v, (str, int, float, bool, type(None))) else repr(v) for v in parts)


class RestoreIndex:
    """Restore reports by document key; a single-document report applies to any document. A
    report that is not one, or whose parts --restore needs (the source and target of each
    translation, its residue, a run entry's key) are damaged, raises DocumentError at the JSON
    pointer of the first fault; the rest of a report (losses, findings) is not needed and not read."""

    def __init__(self, data: Any, label: str):
        self.single: Report | None = None
        self.by_key: dict[tuple, Report] = {}
        self.ambiguous: dict[tuple, int] = {}  # a key several residues share -> how many
        self.by_path: dict[str, Report] = {}
        # an NDJSON line or an ItemCollection feature by (output file, line or /features/N): its key, its report
        self.by_place: dict[tuple[str, int | str], tuple[tuple, Report]] = {}
        # (extension, version) of every end named -> the pointer of its first mention (a run report
        # names the same few ends once per document: each is checked once)
        self.ends: dict[tuple[str, str | None], str] = {}
        if type(data) is not dict:
            raise DocumentError("not a stacml report (the top level is not an object)")
        if data.get("format") == RUN_FORMAT:
            # outputs named relative to where the conversion ran (older reports: to here)
            base = data["cwd"] if type(data.get("cwd")) is str and os.path.isabs(data["cwd"]) else os.getcwd()
            entries = data.get("documents", [])
            if type(entries) is not list:
                raise DocumentError("not a list of documents", pointer="/documents")
            for i, entry in enumerate(entries):
                if type(entry) is not dict or "residue" not in entry:
                    continue  # a document the run kept no residue of (not --keep-residue, failed, copied)
                where = f"/documents/{i}"
                report = self._report(entry.get("from"), entry.get("to"), entry["residue"], where, ("from", "to"))
                key = entry.get("key")
                if type(key) is not list or len(key) != 3:
                    raise DocumentError("not a document key ([type, collection, id])", pointer=f"{where}/key")
                key = _key(key)
                if key in self.by_key and not (_identity(report) and _identity(self.by_key[key])):
                    self.ambiguous[key] = self.ambiguous.get(key, 1) + 1  # one id: matched by path only
                self.by_key[key] = report
                output = entry.get("output")
                if type(output) is not str or output == "-":  # (stdout: no file to find it in again)
                    continue
                path = os.path.realpath(os.path.join(base, output))
                place = entry.get("output_line") if "output_line" in entry else entry.get("output_pointer")
                if type(place) is int or (type(place) is str and place.startswith("/features/")):
                    self.by_place[(path, place)] = (key, report)
                elif "output_line" not in entry and "output_pointer" not in entry and "pointer" not in entry \
                        and "line" not in entry:  # (older reports name only the file of a line or feature)
                    self.by_path[path] = report
            if not self.by_key:
                raise DocumentError("this run report has no residues: convert with --report and "
                                    "--keep-residue to make a run undoable")
        elif "residue" in data:
            self.single = self._report(data.get("source"), data.get("target"), data["residue"], "",
                                       ("source", "target"))
        else:
            raise DocumentError("not a stacml report with a residue (written by `stacml convert --report`)")

    def _report(self, source, target, patches, where: str, names: tuple) -> Report:
        report = _restore_report(source, target, patches, where, names)
        for name, end in zip(names, (report.source, report.target)):
            self.ends.setdefault(end, f"{where}/{name}")
        return report

    def find(self, doc: dict, path: str | None = None, place: int | str | None = None) -> Report | None:
        """The report of the conversion that produced *doc*: by the output path it was
        written to (when *path* is that file; *place*: the line of an NDJSON file, or the
        /features/N pointer of an ItemCollection, *doc* is at there), else by its (type,
        collection, id)."""
        if self.single is not None:
            return self.single
        key = document_key(doc)
        if path is not None and place is not None and self.by_place:
            hit = self.by_place.get((os.path.realpath(path), place))
            # a line or feature moves when its file is edited: the place counts only for the same document
            if hit is not None and hit[0] == key:
                return hit[1]
        elif path is not None and self.by_path:
            hit = self.by_path.get(os.path.realpath(path))
            if hit is not None:
                return hit
        return None if key in self.ambiguous else self.by_key.get(key)

    def unmatched(self, doc: dict, name: str) -> str:
        """Why find() gave *doc* no report, for its error line (*name*: the report as given)."""
        key = document_key(doc)
        if key in self.ambiguous:
            return (f"{name} has the residues of {self.ambiguous[key]} documents of type, collection and id "
                    f"{json.dumps(list(key), ensure_ascii=False)}: which one this is cannot be told (a file is "
                    "matched by its output path first, an NDJSON line or ItemCollection feature by its place in "
                    "the output the report names, then by these); not restored")
        return f"no residue for this document in {name}: not restored (convert it without --restore)"


_PATCH_OPS = {"set": None, "remove": None, "order": list}  # op -> the type its value must have


def _restore_report(source, target, patches, where: str, names: tuple) -> Report:
    """The Report a restore needs (what was translated to what, the residue), its parts checked."""
    ends = []
    for name, end in zip(names, (source, target)):
        if type(end) is not dict:
            raise DocumentError("not an object {extension, version}", pointer=f"{where}/{name}")
        if type(end.get("extension")) is not str:
            raise DocumentError("the extension is not a string", pointer=f"{where}/{name}/extension")
        if type(end.get("version")) not in (str, type(None)):
            raise DocumentError("the version is not a string", pointer=f"{where}/{name}/version")
        ends.append((end["extension"], end["version"]))
    if type(patches) is not list:
        raise DocumentError("the residue is not a list of patches", pointer=f"{where}/residue")
    for i, patch in enumerate(patches):
        place = f"{where}/residue/{i}"
        if type(patch) is not dict or patch.get("op") not in _PATCH_OPS:
            raise DocumentError("not a residue patch ({op: set, remove or order, pointer, value})", pointer=place)
        pointer = patch.get("pointer")
        if type(pointer) is not str or pointer[:1] not in ("", "/"):
            raise DocumentError("not a JSON pointer", pointer=f"{place}/pointer")
        kind = _PATCH_OPS[patch["op"]]
        if patch["op"] != "remove" and ("value" not in patch or (kind and type(patch["value"]) is not kind)):
            raise DocumentError(f"a '{patch['op']}' patch without its value", pointer=f"{place}/value")
    report = Report(*ends)
    report._residue = list(patches)
    return report


def _identity(report: Report) -> bool:
    return report.source == report.target


_LOADED: dict[str, RestoreIndex] = {}


def load_index(path: str) -> RestoreIndex:
    """Read once per process (catalog workers share nothing else)."""
    index = _LOADED.get(path)
    if index is None:
        from .jsonio import load
        data = load(path)[0]
        try:
            index = _LOADED[path] = RestoreIndex(data, path)
        except DocumentError as exc:
            raise DocumentError(exc.message, source=path, pointer=exc.pointer) from None
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
