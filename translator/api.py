"""The library API: ``translate`` and ``detect``.

``translate`` = detect -> read (source table) -> pivot -> write (target table). The input
is never modified; the output shares unchanged nested values with it (copy it with
``copy.deepcopy`` before mutating both). The residue that makes a round trip exact is
computed only when ``report.residue`` is first read.
"""
from __future__ import annotations

import os
from typing import Any, Mapping

from . import residue
from .detect import Detection, detect as _detect
from .errors import DocumentError, TranslatorError
from .reader import read
from .report import Report
from .schema_errata import note_foreseen, note_set_aside
from .tables import Tables, default_tables
from .writer import write

__all__ = ["translate", "detect", "Result"]


class Result:
    __slots__ = ("document", "report")

    def __init__(self, document: Any, report: Report):
        self.document = document
        self.report = report

    def __iter__(self):  # document, report = translate(...)
        return iter((self.document, self.report))

    def __repr__(self) -> str:
        return f"Result({self.report!r})"


def _as_dict(doc: Any, lenient_json: bool = False, report_fixes: list | None = None) -> tuple[dict, Any]:
    if type(doc) is dict:
        return doc, None
    if isinstance(doc, (str, bytes, bytearray)):
        from .jsonio import parse
        raw = doc.encode("utf-8") if isinstance(doc, str) else bytes(doc)
        value, fixes = parse(raw, "<document>", lenient=lenient_json)
        if report_fixes is not None:
            report_fixes.append(fixes)
        if type(value) is not dict:
            raise DocumentError("not a STAC document: the top level is not a JSON object")
        return value, None
    to_dict = getattr(doc, "to_dict", None)
    if to_dict is not None and type(doc).__module__.startswith("pystac"):
        import pystac  # already imported: *doc* is one of its objects
        if isinstance(doc, pystac.ItemCollection):
            raise DocumentError(f"a pystac ItemCollection holds {len(doc.items)} Items: translate each of them "
                                "(one result, one report per document)")
        if not isinstance(doc, pystac.STACObject):
            raise DocumentError(f"expected a STAC document (dict) or a pystac Item/Collection, got "
                                f"pystac {type(doc).__name__}")
        # with its self link as pystac holds it (type, title, place): the translation keeps it
        return to_dict(include_self_link=True, transform_hrefs=False), type(doc)
    if isinstance(doc, dict):  # an OrderedDict, a YAML library's mapping ...: read as plain JSON values
        try:
            return _plain(doc), None
        except RecursionError:
            raise DocumentError("the document is nested too deeply to read") from None
    raise DocumentError(f"expected a STAC document (dict) or a pystac Item/Collection, got {type(doc).__name__}")


def _plain(value: Any) -> Any:
    """*value* with every mapping a dict and every list or tuple a list, as JSON would give it
    (the engine tests exact types); plain values are shared, not copied."""
    kind = type(value)
    if kind is dict or (kind is not str and isinstance(value, dict)):
        return {k: _plain(v) for k, v in value.items()}
    if kind is list or kind is tuple or (kind is not str and isinstance(value, (list, tuple))):
        return [_plain(v) for v in value]
    return value


def _tables(tables: Any) -> Tables:
    """The tables a call uses: the defaults, loaded tables, or a directory of extra tables
    (loaded once, as ``--mappings DIR`` does)."""
    if tables is None:
        return default_tables()
    if isinstance(tables, Tables):
        return tables
    if isinstance(tables, (str, os.PathLike)):
        return default_tables([tables])
    raise TypeError(f"tables must be the result of load_tables(...) or a directory of mapping tables, "
                    f"not {type(tables).__name__}")


def detect(doc: Any, *, tables: Tables | str | os.PathLike | None = None, prefer: str | None = None) -> Detection:
    """Which supported ML extension and version *doc* uses (*prefer*: as translate's)."""
    return _detect(_as_dict(doc)[0], _tables(tables), prefer=prefer)


def translate(doc: Any, to: str, version: str | None = None, *, restore: Report | None = None,
              fill_required: bool = False, validate: bool = False, source: str | None = None,
              training_data: list | None = None, lenient_json: bool = False,
              tables: Tables | str | os.PathLike | None = None, prefer: str | None = None,
              fill_values: Mapping[str, Any] | list | None = None, keep_existing: bool = False) -> Result:
    """Translate *doc* to extension *to* (``dlm``, ``ml-model``, ``tdml``, ``mlm``).

    ``version`` defaults to the target's newest version (or, with ``restore``, the version
    the restored document had); a line such as ``"1.5"`` names its newest release. ``restore``
    is the report of the translation that produced *doc* (a Report, or its ``to_dict()``): its
    residue is applied so the original comes back exactly. ``fill_required``
    writes marked placeholders for required target fields the source cannot supply.
    ``fill_values`` gives the values of required target fields (by name, e.g. ``{"mlm:input":
    [...]}``) for documents whose source has none: used before any guess or placeholder, each
    reported as ``assumed``. A list of ``{"when": jmespath condition on the source, "values":
    {...}}`` gives each document the first values whose condition holds, field by field
    (``translator.fill``; ``tables[to].check_fill_values(...)`` prepares them once).
    ``validate`` validates the output offline and puts the issues in ``report.validation``.
    ``source`` forces the source extension instead of detecting it; ``prefer`` reads a document
    that uses several ML extensions (a half-migrated one) as that one, and others as detected.
    ``keep_existing``: a field of the target extension such a document already has keeps its
    value where the translation would write another; that translated value is reported
    ``dropped`` at the source field(s) it came from (default: the translated value wins, and
    the document's own is reported; see translator/keep.py).
    ``doc`` may also be JSON text (str/bytes); ``lenient_json`` then accepts comments and
    trailing commas, and keeps the last value of a repeated key
    (the earlier value is reported as a ``dropped`` loss). ``training_data``: dataset documents (e.g.
    tdml Collections) the model was trained on; see docs/tdml.md ("The training-data bridge").
    ``tables``: tables from ``load_tables(...)``, or a directory of extra tables (as ``--mappings``).
    """
    fixes: list[int] = []
    data, pystac_type = _as_dict(doc, lenient_json, fixes)
    tables = default_tables() if tables is None else _tables(tables)
    target = tables[to]
    if restore is not None:
        if type(restore) is dict:  # a report kept as JSON (report.to_dict())
            restore = Report.from_dict(restore)
        elif not isinstance(restore, Report):
            raise TypeError(f"restore must be the Report (or its to_dict()) of the translation that "
                            f"produced the document, not {type(restore).__name__}")
        if restore.source[0] != target.name:
            raise TranslatorError(f"the restore report is for a translation from {restore.source[0]}, "
                                  f"not {target.name}")
        version = version or restore.source[1]
        source = source or restore.target[0]
        fill_required = False  # the residue was computed against a plain back-translation
        fill_values = None
        keep_existing = False  # the source comes back whole
    target_version = target.check_version(version)
    if fill_values is not None:  # the set that applies to this document (checked once if prepared)
        fill_values = target.check_fill_values(fill_values, target_version).for_document(data)
    detection = _detect(data, tables, source=source, prefer=prefer)
    if (detection.others and detection.extension == target.name and detection.version == target_version
            and source is None and prefer is None):
        detection = _migrating(data, detection, tables)
    source_table = tables[detection.extension]
    report = Report((detection.extension, detection.version), (target.name, target_version))
    for pointer, code, message in detection.findings:
        report.finding(pointer, code, message)
    if fixes:
        from .jsonio import note_repairs
        note_repairs(report, fixes[0])
    try:  # a dict built in Python can be nested deeper than any JSON parser reads
        pivot = read(data, source_table, detection.version, report)
        if training_data:
            if type(training_data) is not list:  # a lone dict or a string would be read item by item
                training_data = [training_data] if type(training_data) in (dict, tuple) else None
                if training_data is None:
                    raise TypeError("training_data must be a list of dataset documents (dicts or (dict, href) pairs)")
            from .bridge import attach_training_data
            attach_training_data(pivot, training_data, report, tables)
        out = write(pivot, target, target_version, report, fill_required=fill_required,
                    source_doc=data, tables=tables, fill_values=fill_values)
        if "source-places" in pivot.notes:  # a transform read a variant layout (e.g. assets as an array)
            report.rebase(pivot.notes["source-places"])
        if target.name in detection.others and restore is None:  # the target's own fields, carried as they were
            from .conflicts import report_replaced
            kept = None
            if keep_existing:
                from .keep import keep_existing as keep
                kept = keep(data, out, target, target_version, pivot, report)
            report_replaced(data, out, target, target_version, source_table.name, report, kept)
        if restore is not None:
            if restore.residue:
                out = residue.apply(out, restore.residue)
                report.finding("", "restored", f"{len(restore.residue)} residue patch(es) applied")
            from .restore import settle
            settle(report, data, out, restore, tables)
        # of the final output, so that a restore can be undone in turn
        report._residue_fn = (_residue, (data, out, source_table.name, detection.version, target.name, tables))
        note_foreseen(report, out)  # a validation that runs replaces it with what it set aside
        if validate:
            _validate(out, report)
        if pystac_type is not None:
            out = _as_pystac(pystac_type, out, doc)
        return Result(out, report)
    except RecursionError:
        raise DocumentError("the document is nested too deeply to translate") from None


def _migrating(data: dict, detection: Detection, tables: Tables) -> Detection:
    """A half-migrated document: its fields of the target extension are already in the target
    version, and it has fields of another ML extension too. Read as that other one, its
    translation migrates those fields; the target's own are carried as they are, except where
    the translation writes another value (reported, translator.conflicts), as with ``prefer``."""
    from .detect import _prefixes
    fields, _ = _prefixes(data, tables.prefixes)
    other = next((name for name in detection.others if tables[name].prefix in fields), None)
    if other is None:
        return detection
    target = detection.extension
    found = _detect(data, tables, prefer=other)
    found.findings = [f if f[1] != "several-extensions" else (
        f[0], f[1], f"the document also uses {target}, already in {target} {detection.version}: read as "
                    f"{other} so that its translation to {target} migrates the {other} fields; its {target} "
                    f"fields are carried as they are unless the translation writes them (to read it as "
                    f"{target}: prefer='{target}', or --prefer {target})") for f in found.findings]
    return found


def _as_pystac(pystac_type: type, out: dict, original: Any):
    """The output as the pystac class it came in as, at the same place (its self link, carried by
    the translation), so that its relative links and asset hrefs still resolve."""
    result = pystac_type.from_dict(out, preserve_dict=False)
    href = original.get_self_href()
    if href is not None and result.get_self_href() != href:
        result.set_self_href(href)
    return result


def _residue(source: dict, produced: dict, source_ext: str, source_version: str,
             produced_ext: str, tables: Tables) -> list[dict]:
    back = translate(produced, to=source_ext, version=source_version, source=produced_ext, tables=tables)
    return residue.diff(source, back.document)


def _validate(doc: dict, report: Report) -> None:
    from .validation import validate_document
    aside: list = []
    try:
        report.validation = validate_document(doc, errata=aside)
    except TranslatorError as exc:  # no schema, or a document the validator cannot walk
        report.problems.append(f"not validated: {exc}")
        return
    note_set_aside(report, aside, not report.validation)
