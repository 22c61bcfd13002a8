"""One document's outcome in a catalog run, and its entry in the run report (--report)."""
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
    kinds: dict[str, int] = field(default_factory=dict)
    conversion: str = ""               # 'ml-model 1.0.0 -> mlm 1.5.2'
    error: str | None = None
    problems: int = 0                  # reasons the output is known not to be schema-valid
    invalid: list[tuple[str, str]] = field(default_factory=list)  # (pointer, message) from --validate
    errata: bool = False               # --validate set aside errors of a known schema erratum
    report: bytes | None = None        # the JSON entry for --report
    key: tuple | None = None           # with --keep-residue: (type, collection, id)
    _report: Any = field(default=None, repr=False, compare=False)  # the Report, in the worker only

    def __getstate__(self):  # the Report object stays in the worker
        state = dict(self.__dict__)
        state["_report"] = None
        return state


def report_bytes(entry: Entry, report) -> bytes:
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
        if entry.key is not None:
            d["key"] = list(entry.key)
            d["residue"] = report.residue
    try:
        return orjson.dumps(d)
    except TypeError:
        import json
        return json.dumps(d, ensure_ascii=False, default=str).encode("utf-8")
