"""One document's outcome in a catalog run, its entry in the run report (--report), and the
tally of many."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import orjson


@dataclass
class Entry:
    """The outcome for one document. ``status``: translated, unchanged (already in the
    target form), copied (no ML extension), up-to-date (skipped), failed."""
    label: str
    status: str
    pointer: str = ""
    line: int | None = None
    output: str | None = None
    # where in the output it is, when the output holds many documents: an NDJSON line's line number,
    # an ItemCollection feature's pointer (inputs left out or blank lines make them differ from the input's)
    output_line: int | None = None
    output_pointer: str | None = None
    kinds: dict[str, int] = field(default_factory=dict)
    conversion: str = ""               # 'ml-model 1.0.0 -> mlm 1.5.2'
    error: str | None = None
    problems: int = 0                  # reasons the output is known not to be schema-valid
    invalid: list[tuple[str, str]] = field(default_factory=list)  # (pointer, message) from --validate
    errata: bool = False               # other validators reject it by a known schema erratum (see Tally)
    report: bytes | tuple | None = None  # the JSON entry for --report (NDJSON: report_parts until located)
    key: tuple | None = None           # with --keep-residue: (type, collection, id)
    _report: Any = field(default=None, repr=False, compare=False)  # the Report, in the worker only

    def __getstate__(self):  # the Report object stays in the worker
        state = dict(self.__dict__)
        state["_report"] = None
        return state


def report_bytes(entry: Entry, report) -> bytes:
    return join_report(*report_parts(entry, report))


def report_parts(entry: Entry, report) -> tuple[dict, bytes]:
    """The --report entry of *entry* in two parts: where the document is (source, status, output:
    a dict, completed by the run for an NDJSON line, whose output line is known only there) and
    the rest, already JSON."""
    head: dict[str, Any] = {"source": entry.label}
    if entry.pointer:
        head["pointer"] = entry.pointer
    if entry.line is not None:
        head["line"] = entry.line
    head["status"] = entry.status
    if entry.output is not None:
        head["output"] = entry.output
        if entry.output_line is not None:
            head["output_line"] = entry.output_line
        if entry.output_pointer is not None:
            head["output_pointer"] = entry.output_pointer
    elif entry.output_line is not None:  # its output file is named by the run (located())
        head["output_line"] = entry.output_line
    d: dict[str, Any] = {}
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
            d["validation"] = [{"pointer": p, "in": "output", "message": m} for p, m in entry.invalid]
        if entry.key is not None:
            d["key"] = list(entry.key)
            d["residue"] = report.residue
    return head, _dumps(d)


def join_report(head: dict, body: bytes) -> bytes:
    first = _dumps(head)
    return first if body == b"{}" else first[:-1] + b"," + body[1:]


def _dumps(d: dict) -> bytes:
    try:
        return orjson.dumps(d)
    except TypeError:
        import json
        return json.dumps(d, ensure_ascii=False, default=str).encode("utf-8")


@dataclass
class Tally:
    """Entries summed up where they are made, so that only what the run prints or writes
    (failures, invalid outputs, every entry of a dry run, --report entries) crosses from a
    worker to the run."""
    statuses: dict[str, int] = field(default_factory=dict)
    kinds: dict[str, int] = field(default_factory=dict)
    not_schema_valid: int = 0
    errata: int = 0                    # outputs other validators reject by a known schema erratum
    notable: list[Entry] = field(default_factory=list)
    reports: list[bytes] = field(default_factory=list)
    # NDJSON: the report entries in two parts (report_parts), each line's output line counted from
    # its block's first; located() completes them once the lines before the block are written
    unlocated: list[tuple[dict, bytes]] = field(default_factory=list)

    def add(self, entry: Entry, keep_all: bool = False) -> None:
        self.statuses[entry.status] = self.statuses.get(entry.status, 0) + 1
        for kind, n in entry.kinds.items():
            self.kinds[kind] = self.kinds.get(kind, 0) + n
        if entry.problems:
            self.not_schema_valid += 1
        if entry.errata:
            self.errata += 1
        if type(entry.report) is tuple:
            self.unlocated.append(entry.report)
            entry.report = None
        elif entry.report is not None:
            self.reports.append(entry.report)
            entry.report = None
        if keep_all or entry.status == "failed" or entry.invalid:
            self.notable.append(entry)

    def located(self, output: str | None, before: int) -> "Tally":
        """NDJSON: each entry written gets the output *output* and its line number there, its
        block's being counted from 1 in the worker (*before*: the lines written before the block).
        Without an output (a dry run) there is no line to name."""
        for entry in self.notable:
            if entry.output_line is not None:
                entry.output, entry.output_line = (output, entry.output_line + before) if output else (None, None)
        for head, body in self.unlocated:
            if "output_line" in head:
                line = head.pop("output_line")
                if output:
                    head["output"], head["output_line"] = output, line + before
            self.reports.append(join_report(head, body))
        self.unlocated = []
        return self

    @property
    def documents(self) -> int:
        return sum(self.statuses.values())

    @property
    def failed(self) -> int:
        return self.statuses.get("failed", 0)
