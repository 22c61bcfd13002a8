"""The loss audit: run the translation engine over many documents, write nothing, and
aggregate what a migration would lose, so a person can read it and a CI job can gate on it.

Aggregation keys are *pointer patterns*: the source pointer with array indexes and asset
keys replaced by ``*`` (``/assets/*/mlm:artifact_type``, ``/links/*``), so the same field in
every document counts once per document.
"""
from __future__ import annotations

import re
from typing import Any, Iterable

from .baseline import Baseline
from .errors import TranslatorError, one_line
from .markdown import cell, code_cell
from .report import LOSS_KINDS

FORMAT = "stacml-audit/2"
EXAMPLES = 3


def pattern(pointer: str) -> str:
    """'/assets/weights/roles/0' -> '/assets/*/roles/*'."""
    if not pointer:
        return ""
    tokens = pointer[1:].split("/")
    out = []
    for i, token in enumerate(tokens):
        if token.isdigit() or (i == 1 and tokens[0] in ("assets", "item_assets", "links")):
            out.append("*")
        else:
            out.append(token)
    return "/" + "/".join(out)


class Audit:
    """Accumulates per-document reports; ``to_dict()`` is the stable JSON form."""

    def __init__(self, target: str, version: str | None = None):
        self.target = target
        self.version = version
        self.documents = 0
        self.translated = 0
        self.skipped = 0
        self.unreadable: list[dict] = []
        self.failed: list[dict] = []
        # documents whose output would not be schema-valid, grouped by their list of problems
        # (a million items of one catalog usually share one or two lists)
        self.invalid: dict[tuple, dict] = {}
        self.invalid_documents = 0
        # outputs that other validators will reject by a known fault of their schema
        self.errata: dict[str, Any] = {"documents": 0, "examples": []}
        self.kinds = {kind: 0 for kind in LOSS_KINDS}
        self.documents_with = {kind: 0 for kind in LOSS_KINDS}
        self.fields: dict[tuple[str, str], dict[str, Any]] = {}
        self.collections: dict[str, dict[str, Any]] = {}
        self.sources: dict[str, int] = {}
        self.baseline: Baseline | None = None

    # -- recording -------------------------------------------------------------
    def add_unreadable(self, label: str, message: str) -> None:
        self.documents += 1
        self.unreadable.append({"document": label, "error": message})

    def add_skipped(self, label: str) -> None:
        """A document without an ML extension: nothing to translate."""
        self.documents += 1
        self.skipped += 1

    def add_failure(self, label: str, error: TranslatorError | str) -> None:
        self.documents += 1
        message = str(error) if not isinstance(error, TranslatorError) else \
            (f"{error.pointer}: {error.message}" if error.pointer else error.message)
        self.failed.append({"document": label, "error": message})

    def add(self, label: str, doc: dict, report) -> None:
        self.documents += 1
        self.translated += 1
        source = f"{report.source[0]} {report.source[1]}"
        self.sources[source] = self.sources.get(source, 0) + 1
        collection = _collection_of(doc)
        coll = self.collections.setdefault(collection, {"documents": 0, "kinds": {k: 0 for k in LOSS_KINDS},
                                                        "invalid": 0})
        coll["documents"] += 1
        seen_kinds: set[str] = set()
        seen_fields: set[tuple[str, str]] = set()
        for loss in report.losses:
            kind = loss.kind
            self.kinds[kind] = self.kinds.get(kind, 0) + 1
            coll["kinds"][kind] = coll["kinds"].get(kind, 0) + 1
            seen_kinds.add(kind)
            where = loss.pointer if loss.pointer else f"(target){loss.target or ''}"
            key = (pattern(where) if loss.pointer else "(target)" + pattern(loss.target or ""), kind)
            entry = self.fields.get(key)
            if entry is None:
                entry = self.fields[key] = {"field": key[0], "kind": kind, "count": 0, "documents": 0,
                                            "reasons": {}, "examples": []}
            entry["count"] += 1
            if key not in seen_fields:
                seen_fields.add(key)
                entry["documents"] += 1
            reason = loss.reason
            entry["reasons"][reason] = entry["reasons"].get(reason, 0) + 1
            if len(entry["examples"]) < EXAMPLES:
                entry["examples"].append({"document": label, "pointer": loss.pointer or loss.target or "",
                                          "value": loss.value})
        for kind in seen_kinds:
            self.documents_with[kind] += 1
        if report.problems:
            coll["invalid"] += 1
            self.invalid_documents += 1
            group = self.invalid.get(tuple(report.problems))
            if group is None:
                group = self.invalid[tuple(report.problems)] = {"problems": list(report.problems), "documents": 0,
                                                                "examples": []}
            group["documents"] += 1
            if len(group["examples"]) < EXAMPLES:
                group["examples"].append(label)
        for finding in report.findings:
            if finding.code == "schema-erratum":
                self.errata["documents"] += 1
                if len(self.errata["examples"]) < EXAMPLES:
                    self.errata["examples"].append({"document": label, "note": finding.message})
                break

    # -- reading ---------------------------------------------------------------
    def found(self, kinds: Iterable[str]) -> bool:
        """Losses of *kinds*; with a baseline, only in (field, kind) pairs it does not accept."""
        if self.baseline is not None:
            kinds = set(kinds)
            return any(key[1] in kinds and key not in self.baseline.accepted for key in self.fields)
        return any(self.kinds.get(k, 0) for k in kinds)

    def to_dict(self) -> dict:
        fields = sorted(self.fields.values(), key=lambda e: (-e["documents"], e["field"], e["kind"]))
        extra = {"baseline": self.baseline.compare(fields)} if self.baseline is not None else {}
        return {
            "format": FORMAT,
            "target": {"extension": self.target, "version": self.version},
            "totals": {
                "documents": self.documents,
                "translated": self.translated,
                "without_ml_extension": self.skipped,
                "failed": len(self.failed),
                "unreadable": len(self.unreadable),
                "not_schema_valid": self.invalid_documents,
                "schema_errata": self.errata["documents"],
                "losses": dict(self.kinds),
                "documents_with": dict(self.documents_with),
            },
            "sources": dict(sorted(self.sources.items())),
            "fields": [{**e, "reasons": [{"reason": r, "count": n} for r, n in
                                         sorted(e["reasons"].items(), key=lambda x: -x[1])]} for e in fields],
            "collections": [{"collection": c, **v} for c, v in sorted(self.collections.items())],
            "failed": self.failed,
            "unreadable": self.unreadable,
            "not_schema_valid": sorted(self.invalid.values(), key=lambda g: -g["documents"]),
            "schema_errata": self.errata,
            **extra,
        }


def _collection_of(doc: dict) -> str:
    if doc.get("type") == "Collection":
        return str(doc.get("id", "(no id)"))
    return str(doc.get("collection") or "(no collection)")


# -- rendering -------------------------------------------------------------------


def _short(value: Any, limit: int = 40) -> str:
    import json
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def to_text(data: dict) -> str:
    t = data["totals"]
    lines = [f"stacml audit -> {data['target']['extension']}"
             f"{' ' + data['target']['version'] if data['target']['version'] else ''}",
             f"documents: {t['documents']}  translated: {t['translated']}  "
             f"without ML extension: {t['without_ml_extension']}  failed: {t['failed']}  "
             f"unreadable: {t['unreadable']}  not schema-valid: {t['not_schema_valid']}",
             "losses: " + (", ".join(f"{k} {n} (in {t['documents_with'][k]} docs)" for k, n in t["losses"].items() if n)
                           or "none"), ""]
    if data["fields"]:
        fields = [one_line(e["field"]) for e in data["fields"]]  # a key may hold a newline: one row each
        width = max(map(len, fields))
        lines.append(f"{'field':{width}}  {'kind':11}  {'docs':>5}  {'count':>5}  example")
        for field, e in zip(fields, data["fields"]):
            example = _short(e["examples"][0]["value"]) if e["examples"] else ""
            lines.append(f"{field:{width}}  {e['kind']:11}  {e['documents']:>5}  {e['count']:>5}  {example}")
        lines.append("")
    for group in data["not_schema_valid"]:
        lines.append(f"not schema-valid: {group['documents']} document(s), e.g. {group['examples'][0]}:")
        lines += [f"  {problem}" for problem in group["problems"]]
    if data["not_schema_valid"]:
        lines.append("")
    lines += _errata_lines(data["schema_errata"], "{}")
    lines += _baseline_text(data.get("baseline"))
    for f in data["failed"] + data["unreadable"]:
        lines.append(f"error: {f['document']}: {f['error']}")
    return "\n".join(map(one_line, lines)).rstrip() + "\n"


def _errata_lines(errata: dict, code: str) -> list[str]:
    """Outputs valid by STAC that other validators reject (a known schema fault): one line + example."""
    if not errata["documents"]:
        return []
    first = errata["examples"][0]
    return [f"known schema erratum: {errata['documents']} output(s), e.g. {code.format(first['document'])}: "
            f"{first['note']}", ""]


def _baseline_text(baseline: dict | None) -> list[str]:
    if baseline is None:
        return []
    lines = [f"baseline {baseline['file']}: {len(baseline['new'])} new (field, kind) pair(s), "
             f"{len(baseline['gone'])} accepted but no longer found"]
    lines += [f"  new: {e['field']} {e['kind']} ({e['documents']} docs)" for e in baseline["new"]]
    lines += [f"  gone: {e['field']} {e['kind']}" for e in baseline["gone"]]
    return lines + [""]


def to_markdown(data: dict) -> str:
    t = data["totals"]
    target = data["target"]["extension"] + (f" {data['target']['version']}" if data["target"]["version"] else "")
    # sections, each a list of lines, written with one blank line between them (none left empty)
    sections = [[f"### stacml audit → {target}"],
                [f"**{t['documents']}** documents: {t['translated']} translated, {t['without_ml_extension']} without "
                 f"an ML extension (copied unchanged by convert), {t['failed']} failed, {t['unreadable']} "
                 f"unreadable, {t['not_schema_valid']} not schema-valid."],
                ["| kind | losses | documents |", "|---|---:|---:|"]
                + [f"| {k} | {n} | {t['documents_with'][k]} |" for k, n in t["losses"].items()]]
    if data["fields"]:
        rows = ["| field | kind | documents | count | reason | example |", "|---|---|---:|---:|---|---|"]
        for e in data["fields"]:
            reason = e["reasons"][0]["reason"] if e["reasons"] else ""
            example = _short(e["examples"][0]["value"]) if e["examples"] else ""
            rows.append(f"| {code_cell(e['field'])} | {e['kind']} | {e['documents']} | {e['count']} | "
                        f"{cell(reason)} | {code_cell(example)} |")
        sections.append(rows)
    if data["not_schema_valid"]:
        sections += [["**Outputs that would not be schema-valid**"],
                     [f"- {g['documents']} document(s), e.g. `{g['examples'][0]}`: " + "; ".join(g["problems"])
                      for g in data["not_schema_valid"]]]
    sections.append(_errata_lines(data["schema_errata"], "`{}`")[:1])
    baseline = data.get("baseline")
    if baseline is not None:
        sections += [[f"**Against the baseline** `{baseline['file']}`: {len(baseline['new'])} new, "
                      f"{len(baseline['gone'])} no longer found"],
                     [f"- new: `{e['field']}` {e['kind']} ({e['documents']} documents)" for e in baseline["new"]]
                     + [f"- no longer found: `{e['field']}` {e['kind']}" for e in baseline["gone"]]]
    if data["failed"] or data["unreadable"]:
        sections += [["**Documents that would fail**"],
                     [f"- `{f['document']}`: {f['error']}" for f in data["failed"] + data["unreadable"]]]
    return "\n\n".join("\n".join(lines) for lines in sections if lines) + "\n"


# GitHub Actions turns these workflow-command lines into annotations on the files they name
_LABEL = re.compile(r"^(?P<file>.*?)(?::(?P<line>\d+))?(?: (?P<feature>/features/\d+))?$")


def _escape(text: str, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if property_value else text


def annotation(level: str, label: str, title: str, message: str) -> str:
    """A GitHub Actions workflow command: *message* as an annotation on the file *label* names
    (``path``, ``path:LINE`` for NDJSON, ``path /features/N``: the message begins with the feature)."""
    match = _LABEL.match(label)
    where = f"file={_escape(match['file'], True)}" + (f",line={match['line']}" if match["line"] else "")
    message = f"{match['feature']}: {message}" if match["feature"] else message  # which feature of the file
    return f"::{level} {where},title={_escape(title, True)}::{_escape(message)}"


def to_github(data: dict, fail_on: Iterable[str]) -> str:
    """The text report, preceded by one GitHub Actions annotation per (field, kind) pair (an error
    when it fails the run: of a --fail-on kind and, with a baseline, not accepted by it; a notice
    otherwise), per failed or unreadable document, and per group of outputs that would not be
    schema-valid. Each annotation names the first document where it was found."""
    target = data["target"]["extension"] + (f" {data['target']['version']}" if data["target"]["version"] else "")
    title = f"stacml audit -> {target}"
    failing = set(fail_on)
    baseline = data.get("baseline")
    new = {(e["field"], e["kind"]) for e in baseline["new"]} if baseline is not None else None
    lines = []
    for e in data["fields"]:  # (every entry has its first example: add() records it with the entry)
        fails = e["kind"] in failing and (new is None or (e["field"], e["kind"]) in new)
        first = e["examples"][0]
        reason = e["reasons"][0]["reason"] if e["reasons"] else ""
        field = e["field"]
        field = "the output's " + field[len("(target)"):] if field.startswith("(target)") else field
        lines.append(annotation("error" if fails else "notice", first["document"], title,
                                 f"{e['kind']} at {first['pointer'] or field}: {reason} [{e['count']} in "
                                 f"{e['documents']} document(s), at {field}]"))
    for f in data["failed"]:
        lines.append(annotation("error" if failing else "warning", f["document"], title, f["error"]))
    for f in data["unreadable"]:
        lines.append(annotation("error", f["document"], title, f"unreadable: {f['error']}"))
    for group in data["not_schema_valid"]:
        lines.append(annotation("warning", group["examples"][0], title,
                                 f"the output would not be schema-valid ({group['documents']} document(s)): "
                                 + "; ".join(group["problems"])))
    for example in data["schema_errata"]["examples"]:
        lines.append(annotation("notice", example["document"], title, example["note"]))
    return "\n".join(lines + [""]) + to_text(data)


def to_junit(data: dict, fail_on: Iterable[str]) -> str:
    """The audit as a JUnit XML report, which CI systems (GitLab, Jenkins, ...) show per test:
    one test case per (field, kind) pair, failed when it fails the run as in :func:`to_github`;
    one per failed document (an error when any kind fails the run) and per unreadable one (an
    error); one per group of outputs that would not be schema-valid (passed, with the problems
    as output)."""
    import xml.etree.ElementTree as ET

    from .junit import junit_document
    target = data["target"]["extension"] + (f" {data['target']['version']}" if data["target"]["version"] else "")
    failing = set(fail_on)
    baseline = data.get("baseline")
    new = {(e["field"], e["kind"]) for e in baseline["new"]} if baseline is not None else None
    suite = ET.Element("testsuite", name=f"stacml audit -> {target}")
    counts = {"tests": 0, "failures": 0, "errors": 0}

    def case(classname: str, name: str, outcome: str | None = None, message: str = "", text: str = ""):
        element = ET.SubElement(suite, "testcase", classname=classname, name=name)
        counts["tests"] += 1
        if outcome is not None:
            counts["failures" if outcome == "failure" else "errors"] += 1
            ET.SubElement(element, outcome, message=message).text = text
        elif text:
            ET.SubElement(element, "system-out").text = text

    for e in data["fields"]:
        fails = e["kind"] in failing and (new is None or (e["field"], e["kind"]) in new)
        reasons = "\n".join(f"{r['count']}x {r['reason']}" for r in e["reasons"])
        examples = "\n".join(f"{x['document']}: {x['pointer'] or e['field']}" for x in e["examples"])
        text = f"{e['count']} in {e['documents']} document(s)\n{reasons}\nfor example:\n{examples}"
        first = e["reasons"][0]["reason"] if e["reasons"] else e["kind"]
        case(f"losses.{e['kind']}", e["field"] or "(root)", "failure" if fails else None, first, text)
    for f in data["failed"]:
        case("failed", f["document"], "error" if failing else None, f["error"], f["error"])
    for f in data["unreadable"]:
        case("unreadable", f["document"], "error", f["error"], f["error"])
    # named by what they are, never by a count or an example: a CI system follows a case by its name
    for group in data["not_schema_valid"]:
        case("not-schema-valid", "; ".join(group["problems"]),
             text=f"{group['documents']} document(s), e.g. " + ", ".join(group["examples"]) + "\n"
                  + "\n".join(group["problems"]))
    if data["schema_errata"]["documents"]:
        examples = data["schema_errata"]["examples"]
        case("schema-erratum", "outputs other validators will reject by a known schema erratum",
             text=f"{data['schema_errata']['documents']} output(s), e.g.\n"
                  + "\n".join(f"{x['document']}: {x['note']}" for x in examples))
    for key, value in counts.items():
        suite.set(key, str(value))
    suites = ET.Element("testsuites", name="stacml audit", **{k: str(v) for k, v in counts.items()})
    suites.append(suite)
    return junit_document(suites)
