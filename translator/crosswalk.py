"""The field crosswalk between two extensions, derived from the loaded mapping tables.

Nothing here is written by hand: every row is the composition of a source table's read rule
and the target table's write rule for the same pivot name, so the crosswalk describes what
``translate`` actually does.

Classes, from best to worst:

* ``exact``: plain renames on both sides (same value);
* ``transformed``: carried over, reversibly, through a value table, a wrap or a named transform;
* ``lossy``: carried over partly (a rule marked lossy on either side);
* ``lost``: no equivalent (a drop rule, or no write rule for the pivot name).

Rows of a fifth class, ``required``, name a field the target requires (a ``require`` rule): filled
by a fallback or a placeholder, or reported when missing. They are not counted with the others,
which say what becomes of the source's fields.
"""
from __future__ import annotations

import html
from typing import Any

from .markdown import cell, code_cell
from .tables import Rule, Table, Tables

CLASSES = ("exact", "transformed", "lossy", "lost", "required")
COLOURS = {"exact": "#c8e6c9", "transformed": "#fff9c4", "lossy": "#ffe0b2", "lost": "#ffcdd2",
           "required": "#e1f5fe"}


def _where(rule: Rule) -> str:
    if rule.kind == "role":
        return f"asset role {rule.role}"
    if rule.kind == "link":
        match = "".join(f" [{k}={v}]" for k, v in rule.match.items())
        return f"link rel {rule.rel}{match}"
    if rule.kind == "transform":
        return f"transform {rule.structural.name if rule.structural else ''}".strip()
    prefix = "asset field " if rule.at == "asset" else ""
    return prefix + (rule.field or "")


def _simple(rule: Rule) -> bool:
    return (rule.kind in ("move", "role", "link") and not rule.read_map and not rule.write_map
            and rule.value_transform is None and rule.allowed is None and len(rule.path) <= 1)


def _read_loss(rule: Rule) -> str:
    """Why reading through this rule loses something ('' when it does not)."""
    folded = "; spelling variants of known values (case, spaces, _ and - aside) read as those values" \
        if rule.fold is not None else ""
    if rule.normalising:
        return "values normalised on reading: " + ", ".join(sorted(rule.normalising)) + folded
    if folded:
        return folded[2:]
    if rule.lossy and (rule.kind == "transform" or not rule.writes or rule.value_transform is not None):
        return rule.lossy  # (a value transform marked lossy loses on reading: DLM's MB, a numeric version)
    return ""


def _write_loss(rule: Rule) -> str:
    """Why writing through this rule loses something: a lossy value transform only if marked so
    (``on_write``); any other lossy rule always."""
    if rule.value_transform is not None and not rule.lossy_on_write:
        return ""
    return rule.lossy or ""


def _in_default(rule: Rule, table: Table) -> bool:
    return rule.versions is None or table.default_version in rule.versions


def _described(target: Table, section: str, pivot: str) -> list[tuple[Rule, str]]:
    """Target write transforms that declare they write this pivot name (e.g. links as assets)."""
    found = []
    for rule in target.write_transforms:
        describe = getattr(rule.structural, "describe", None) if rule.structural else None
        if describe is not None:
            for sec, name, text in describe(rule):
                if sec == section and name == pivot:
                    found.append((rule, text))
    return found


def _versions(rule: Rule) -> str:
    return ", ".join(sorted(rule.versions)) if rule.versions else ""


def _section(rule: Rule) -> str:
    if rule.kind == "role":
        return "write_roles"
    if rule.kind == "link":
        return "write_links"
    return "write_assets" if rule.at == "asset" else "write_fields"


def _described_row(rule: Rule, section: str, pivot: str, text: str, target: Table) -> dict[str, Any]:
    row = {"source": text, "source_rule": rule.id, "source_kind": "transform", "pivot": pivot, "target": None,
           "target_rule": None, "class": "lost", "note": rule.note or "", "versions": _versions(rule),
           "summaries": False}
    index = {"links": target.write_links, "fields": target.write_fields, "assets": target.write_assets,
             "roles": target.write_roles}.get(section, {})
    written = next((r for r in index.get(pivot, ()) if _in_default(r, target)), None)
    via = _described(target, section, pivot) if written is None else []
    if via:  # the target writes it through a transform of its own (e.g. a link as an asset)
        row.update({"target": "; ".join(text for _, text in via), "target_rule": via[0][0].id,
                    "class": "lossy" if via[0][0].lossy or rule.lossy else "transformed"})
        if via[0][0].lossy or rule.lossy:
            row["note"] = via[0][0].lossy or rule.lossy
    elif written is not None:
        row.update({"target": _where(written), "target_rule": written.id,
                    "class": "lossy" if written.lossy or rule.lossy else "transformed"})
        if written.lossy:
            row["note"] = written.lossy
    else:
        row["note"] = f"{target.name} has no equivalent for pivot '{pivot}'"
    return row


def rows(source: Table, target: Table) -> list[dict[str, Any]]:
    """One row per source read rule (and per target requirement), in table order."""
    out: list[dict[str, Any]] = []
    for rule in source.rules:
        if not rule.reads or rule.kind == "require":
            continue
        row = {"source": _where(rule), "source_rule": rule.id, "source_kind": rule.kind, "pivot": None,
               "target": None, "target_rule": None, "class": "lost", "note": rule.lossy or rule.note or "",
               "versions": _versions(rule), "summaries": bool(rule.summaries)}
        if rule.kind == "drop":
            row["note"] = rule.lossy
        elif rule.kind == "const":
            row["note"] = rule.reason or "marker field"
            if source.name == target.name:
                row.update({"target": _where(rule), "target_rule": rule.id, "class": "exact"})
        elif rule.kind == "transform" and rule.structural and rule.structural.describe:
            for section, pivot, text in rule.structural.describe(rule):
                out.append(_described_row(rule, section, pivot, text, target))
            continue
        elif rule.kind == "transform":
            twin = next((r for r in target.rules if r.kind == "transform" and r.writes and r.structural
                         and rule.structural and r.structural.name == rule.structural.name), None)
            row["class"] = "lossy" if _read_loss(rule) else "transformed"
            row["note"] = rule.note or rule.lossy or ""
            if twin is not None:
                row.update({"target": _where(twin), "target_rule": twin.id})
                if twin.lossy:
                    row["class"] = "lossy"
            else:
                row["note"] = (row["note"] + "; " if row["note"] else "") + \
                    f"reshapes {source.name} into the pivot; {target.name} writes it with the rules below or reports it"
        else:
            pivot = rule.pivot
            row["pivot"] = pivot
            candidates = [r for r in getattr(target, _section(rule)).get(pivot, ())
                          if (r.kind == rule.kind or rule.kind in ("move", "wrap") and r.kind in ("move", "wrap"))
                          and _in_default(r, target)]
            if rule.summaries:
                candidates = [r for r in candidates if r.summaries] or candidates
            section = {"link": "links", "role": "roles"}.get(rule.kind, "assets" if rule.at == "asset" else "fields")
            described = _described(target, section, pivot)
            if not candidates and described:
                via, text = described[0][0], "; ".join(t for _, t in described)
                row.update({"target": text, "target_rule": via.id, "class": "transformed",
                            "note": via.note or ""})
                if _read_loss(rule) or via.lossy:
                    row["class"], row["note"] = "lossy", _read_loss(rule) or via.lossy
            elif not candidates:
                row["note"] = f"{target.name} has no equivalent for pivot '{pivot}'"
            else:
                written = candidates[0]
                row.update({"target": _where(written), "target_rule": written.id})
                loss = "; ".join(x for x in (_read_loss(rule), _write_loss(written)) if x)
                if loss:
                    row["class"] = "lossy"
                    row["note"] = loss
                elif _simple(rule) and _simple(written) and rule.kind == written.kind:
                    row["class"] = "exact"
                else:
                    row["class"] = "transformed"
                    if written.allowed is not None:
                        row["note"] = f"values outside the {target.name} vocabulary are dropped"
                if len(candidates) > 1:
                    row["note"] = (row["note"] + "; " if row["note"] else "") + \
                        "also: " + ", ".join(_where(r) for r in candidates[1:])
        out.append(row)
    for rule in target.requires:
        fills = "fallback " + ", ".join(q.expression for q in rule.fallback) if rule.fallback else ""
        if rule.placeholder is not None:
            fills = (fills + "; " if fills else "") + "placeholder with --fill-required"
        out.append({"source": None, "source_rule": None, "source_kind": None, "pivot": rule.pivot,
                    "target": rule.field, "target_rule": rule.id, "class": "required",
                    "note": f"required by {target.name}: {fills or 'reported when missing'}",
                    "versions": _versions(rule), "summaries": False})
    return out


def crosswalk(tables: Tables, source: str | None = None, target: str | None = None) -> dict:
    names = tables.names()
    pairs = [(a, b) for a in names for b in names if a != b
             and (source is None or a == source) and (target is None or b == target)]
    result = {"format": "stacml-crosswalk/1", "classes": list(CLASSES), "pairs": []}
    for a, b in pairs:
        ta, tb = tables[a], tables[b]
        result["pairs"].append({"from": {"extension": a, "versions": ta.versions},
                                "to": {"extension": b, "versions": tb.versions},
                                "rows": rows(ta, tb), "notes": _layout_notes(a, tb)})
    return result


def _layout_notes(source: str, target: Table) -> list[str]:
    """How the target lays out a Collection's fields and summaries (table-level settings)."""
    notes = []
    if target.collection_summaries:
        notes.append(f"Collections: {target.name} keeps Collection fields in summaries; a field of the source "
                     "Collection is written as a one-value summary (a to-summary finding).")
    if target.summaries_as_fields:
        notes.append(f"Collections: {target.name} has no Collection fields; its fields are written as one-value "
                     f"summaries (a to-summary finding), and a one-value {source} summary that {target.name} "
                     "writes as a field becomes that field, held the same way (a summary-to-field finding); a "
                     "summary of several values is dropped (reported).")
    return notes


def _counts(rows_: list[dict]) -> str:
    counts = {c: sum(1 for r in rows_ if r["class"] == c) for c in CLASSES if c != "required"}
    return ", ".join(f"{n} {c}" for c, n in counts.items() if n)


def to_markdown(data: dict, docs: bool = True) -> str:
    """*docs*: the crosswalk of every pair of the built-in tables, which docs/crosswalk.md is."""
    made = ("Generated from the mapping tables by `stacml crosswalk --format markdown -o docs/crosswalk.md`;\n"
            "do not edit by hand." if docs else "Generated from the mapping tables in use; see docs/crosswalk.md for "
            "the built-in ones.")
    lines = ["# Crosswalk", "", made + " Classes: **exact** (same value), **transformed** (reversible conversion),",
             "**lossy** (partly carried), **lost** (no equivalent; reported), **required** (the target needs it;",
             "filled by a fallback or a placeholder, or reported).", ""]
    for pair in data["pairs"]:
        a, b = pair["from"]["extension"], pair["to"]["extension"]
        lines += [f"## {a} → {b}", "", _counts(pair["rows"]), ""]
        lines += [note for n in pair.get("notes", ()) for note in (n, "")]
        lines += [f"| {a} | rule | pivot | {b} | class | note |", "|---|---|---|---|---|---|"]
        for r in pair["rows"]:
            versions = f" ({r['versions']})" if r["versions"] else ""
            summaries = " (+summaries)" if r["summaries"] else ""
            cells = [f"{code_cell(r['source'])}{summaries}{versions}" if r["source"] else "",
                     cell(r["source_rule"] or r["target_rule"] or ""), cell(r["pivot"] or ""),
                     code_cell(r["target"]) if r["target"] else "—", f"**{r['class']}**",
                     cell((r["note"] or "").strip())]
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines)


def to_html(data: dict) -> str:
    parts = ["<!doctype html><html><head><meta charset='utf-8'><title>stacml crosswalk</title><style>",
             "body{font-family:system-ui,sans-serif;margin:1.5em}table{border-collapse:collapse;margin-bottom:2em}",
             "td,th{border:1px solid #bbb;padding:3px 6px;font-size:13px;vertical-align:top}",
             "th{background:#eee;position:sticky;top:0}code{font-size:12px}",
             ".legend span{padding:2px 8px;margin-right:6px;border:1px solid #bbb}",
             "".join(f".{c}{{background:{col}}}" for c, col in COLOURS.items()),
             "</style></head><body><h1>stacml crosswalk</h1><p class='legend'>",
             "".join(f"<span class='{c}'>{c}</span>" for c in CLASSES),
             "</p><p>Generated from the mapping tables the tool runs.</p>"]
    for pair in data["pairs"]:
        a, b = pair["from"]["extension"], pair["to"]["extension"]
        parts.append(f"<h2 id='{html.escape(a)}-{html.escape(b)}'>{html.escape(a)} → {html.escape(b)}</h2>"
                     f"<p>{html.escape(_counts(pair['rows']))}</p>"
                     + "".join(f"<p>{html.escape(n)}</p>" for n in pair.get("notes", ()))
                     + f"<table><tr><th>{html.escape(a)}</th>"
                     f"<th>pivot</th><th>{html.escape(b)}</th><th>class</th><th>note</th></tr>")
        for r in pair["rows"]:
            cls = r["class"]
            parts.append("<tr class='{}'><td><code>{}</code></td><td>{}</td><td><code>{}</code></td>"
                         "<td>{}</td><td>{}</td></tr>".format(
                             cls, html.escape(r["source"] or ""), html.escape(r["pivot"] or ""),
                             html.escape(r["target"] or "—"), cls, html.escape(r["note"] or "")))
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts)
