"""Offline validation of STAC documents against the STAC core schema and every declared extension schema.

Schemas come from a :class:`SchemaStore` (never the network) and are compiled once per process with
jsonschema_rs. Issues carry an RFC 6901 pointer into the document, a message and the schema URI.
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field

import jsonschema_rs

from translator.errors import DocumentError, SchemaNotFound, SchemaUnreadable
from translator.schema_errata import erratum_of
from translator.schemastore import SchemaStore, canonical_uri, default_cache_dir
from translator.validation_messages import branch_hint, leaves, message, pointer

__all__ = [
    "SchemaStore",
    "ValidationIssue",
    "DocumentReport",
    "check_document",
    "validate_document",
    "validator_for",
    "part_validator",
    "core_schema_uri",
    "extension_uris",
    "clear_caches",
]

_LOG = logging.getLogger("translator.validation")
_LOG.addHandler(logging.NullHandler())
_LOGGED: set[str] = set()  # a warning is about a schema, not a document: logged once per process

_DRAFT7 = "http://json-schema.org/draft-07/schema#"
_CORE_PATHS = {
    "Feature": ("Item", "item-spec/json-schema/item.json"),
    "Collection": ("Collection", "collection-spec/json-schema/collection.json"),
    "Catalog": ("Catalog", "catalog-spec/json-schema/catalog.json"),
}
# Keywords whose value maps names to sub-schemas; anything else in there is dropped before compiling.
_SCHEMA_MAPS = ("properties", "patternProperties", "definitions", "$defs", "dependentSchemas")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "items", "prefixItems")
_SCHEMA_SINGLE = ("not", "if", "then", "else", "items", "additionalItems", "additionalProperties", "contains",
                  "propertyNames", "unevaluatedItems", "unevaluatedProperties")


@dataclass(frozen=True)
class ValidationIssue:
    pointer: str  # RFC 6901 pointer into the validated document ("" = the document itself)
    message: str
    schema: str  # canonical URI of the schema that raised it
    erratum: str = ""  # id of the known schema fault that explains it (translator.schema_errata), if any


@dataclass
class DocumentReport:
    """Everything learnt about one document; :func:`validate_document` is the strict view of it."""

    issues: list[ValidationIssue] = field(default_factory=list)
    errata: list[ValidationIssue] = field(default_factory=list)  # set aside: a known schema fault explains them
    warnings: list[str] = field(default_factory=list)
    missing: list[tuple[str, SchemaNotFound]] = field(default_factory=list)  # (declared value, error)
    checked: list[str] = field(default_factory=list)  # canonical URIs of the schemas applied

    @property
    def valid(self) -> bool:
        return not self.issues and not self.missing


@dataclass
class _Compiled:
    validator: object
    stubs: tuple[str, ...]  # `$ref`ed documents that were not available (compiled as `false`)


_DEFAULT_STORES: dict[tuple, SchemaStore] = {}
_COMPILED: dict[tuple, _Compiled] = {}
_COMBINED: dict[tuple, object] = {}
_PARTS: dict[tuple, object] = {}


def _default_store() -> SchemaStore:
    key = (os.environ.get("STACML_SCHEMAS", ""), str(default_cache_dir()))
    store = _DEFAULT_STORES.get(key)
    if store is None:
        store = _DEFAULT_STORES[key] = SchemaStore.default()
    return store


def clear_caches() -> None:
    """Drop compiled validators and default stores (after new schemas were written to disk), and
    forget the warnings logged (they may no longer hold)."""
    _DEFAULT_STORES.clear()
    _COMPILED.clear()
    _COMBINED.clear()
    _PARTS.clear()
    _LOGGED.clear()


# -- compiling ----------------------------------------------------------------------------------------


def _sanitize(schema):
    """Copy of ``schema`` without non-schema values inside schema maps (``properties`` & co).

    MLM 1.0.0-1.2.0 write ``"properties": {"$comment": "..."}``: a string where a schema is required.
    Python jsonschema never notices (it only matters for a property literally named ``$comment``),
    jsonschema_rs refuses to compile it. Only schema positions are visited, so ``const``/``enum``/
    ``examples`` values stay untouched. Returns ``schema`` itself when nothing had to change.
    """
    if not isinstance(schema, dict):
        return schema
    out, changed = {}, False
    for key, value in schema.items():
        new = value
        if key in _SCHEMA_MAPS and isinstance(value, dict):
            new = {k: _sanitize(v) for k, v in value.items() if isinstance(v, (dict, bool))}
            if len(new) == len(value) and all(new[k] is value[k] for k in new):
                new = value
        elif key in _SCHEMA_LISTS and isinstance(value, list):
            items = [_sanitize(v) for v in value]
            new = value if all(a is b for a, b in zip(items, value)) else items
        elif key in _SCHEMA_SINGLE:
            new = _sanitize(value)
        changed |= new is not value
        out[key] = new
    return out if changed else schema


def _retriever(store: SchemaStore, stubs: list[str]):
    def retrieve(uri: str):
        try:
            schema = _sanitize(store.resolve(uri))
            # Found under an alias (http vs https, crim-ca vs stac-extensions): make the requested URI its
            # base, or jsonschema_rs cannot follow the schema's relative `$ref`s.
            if isinstance(schema, dict) and isinstance(schema.get("$id"), str):
                if schema["$id"].rstrip("#") != uri.partition("#")[0]:
                    schema = {**schema, "$id": uri.partition("#")[0]}
            return schema
        except SchemaNotFound:
            # Compile the missing part as `false`: a value that needs it is reported instead of
            # silently accepted, and `oneOf` alternatives keep working. Reported as a warning.
            stubs.append(canonical_uri(uri).partition("#")[0])
            return False

    return retrieve


def _compile(schema: dict, store: SchemaStore, stubs: list[str]):
    cls = jsonschema_rs.validator_for if "$schema" in schema else jsonschema_rs.Draft7Validator
    # Format assertions off, like Python jsonschema's default and the reference validation run.
    return cls(schema, retriever=_retriever(store, stubs), validate_formats=False)


def _compiled(uri: str, store: SchemaStore) -> _Compiled:
    key = (store.key, canonical_uri(uri).partition("#")[0])
    hit = _COMPILED.get(key)
    if hit is None:
        schema = store.resolve(uri)
        stubs: list[str] = []
        try:
            validator = _compile(_sanitize(schema), store, stubs)
        except (jsonschema_rs.ValidationError, jsonschema_rs.ReferencingError, ValueError) as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise SchemaUnreadable(uri, f"{uri} ({store.path_of(uri)}) is not a usable JSON Schema: {first}")
        hit = _COMPILED[key] = _Compiled(validator, tuple(dict.fromkeys(stubs)))
    return hit


def validator_for(uri: str, store: SchemaStore | None = None):
    """Compiled jsonschema_rs validator for ``uri`` (compiled once per process and store)."""
    return _compiled(uri, store or _default_store()).validator


def part_validator(uri: str, store: SchemaStore | None = None):
    """Compiled validator for the part of a schema a fragment names (``...schema.json#/definitions/x``),
    compiled once per process and store: a writer checks the values it writes there against it."""
    store = store or _default_store()
    key = (store.key, canonical_uri(uri))
    hit = _PARTS.get(key)
    if hit is None:
        hit = _PARTS[key] = _compile({"$schema": _DRAFT7, "$ref": uri}, store, [])
    return hit


def _combined(uris: tuple[str, ...], store: SchemaStore):
    # One validator for all the schemas of a document: the instance crosses into Rust once per document.
    key = (store.key, uris)
    hit = _COMBINED.get(key)
    if hit is None:
        schema = {"$schema": _DRAFT7, "allOf": [{"$ref": u} for u in uris]}
        hit = _COMBINED[key] = _compile(schema, store, [])
    return hit


# -- what to check ------------------------------------------------------------------------------------


def core_schema_uri(doc: dict) -> str | None:
    """URI of the STAC core schema for the document's ``type`` and ``stac_version`` (None if unknown)."""
    kind = _CORE_PATHS.get(doc.get("type"))
    version = doc.get("stac_version")
    if kind is None or not isinstance(version, str) or not version:
        return None
    return f"https://schemas.stacspec.org/v{version}/{kind[1]}"


def extension_uris(doc: dict) -> list[tuple[str, str]]:
    """``(declared value, schema URI)`` for each string in ``stac_extensions``.

    Pre-1.0 short names (``eo``, ``dl-model``) map to the in-core extension schemas of the document's
    ``stac_version``, as STAC 1.0.0-beta.x did.
    """
    declared = doc.get("stac_extensions")
    if not isinstance(declared, list):
        return []
    version = doc.get("stac_version")
    out = []
    for value in declared:
        if not isinstance(value, str) or not value.strip():
            continue  # the core schema reports the bad entry
        uri = value.strip()
        if "://" not in uri and isinstance(version, str) and version:
            uri = f"https://schemas.stacspec.org/v{version}/extensions/{uri}/json-schema/schema.json"
        out.append((value, uri))
    return out


# -- validating -----------------------------------------------------------------------------------------


def check_document(doc: dict, store: SchemaStore | None = None, *, core: bool = True,
                   strict_schemas: bool = False) -> DocumentReport:
    """Validate ``doc``; missing schemas and warnings are reported instead of raised.

    Errors that a known fault of an official schema explains go to ``errata`` instead of ``issues``,
    unless ``strict_schemas`` (then they stay in ``issues``, marked with the erratum's id).
    """
    store = store or _default_store()
    report = DocumentReport()
    if not isinstance(doc, dict):
        raise DocumentError(f"a STAC document must be a JSON object, not {type(doc).__name__}")
    uris: list[str] = []
    if core:
        uris += _core_uris(doc, store, report)
    for declared, uri in extension_uris(doc):
        try:
            _compiled(uri, store)
        except SchemaNotFound as exc:
            report.missing.append((declared, exc))
            continue
        uris.append(canonical_uri(uri).partition("#")[0])
    uris = list(dict.fromkeys(uris))
    report.checked = uris
    if not uris and not report.missing and not core:  # "valid" would say nothing was found wrong by nothing
        report.warnings.append("no schema applied: the core schema is not checked (--no-core) and "
                               "stac_extensions declares none")
    for uri in uris:
        for stub in _COMPILED[(store.key, uri)].stubs:
            report.warnings.append(
                f"{uri} references {stub}, which is not available offline: "
                "values that need it are reported as errors"
            )
    if not uris:
        return report
    try:
        if _combined(tuple(uris), store).is_valid(doc):
            return report
    except (jsonschema_rs.ValidationError, jsonschema_rs.ReferencingError) as exc:
        first = str(exc).strip().splitlines()[0]
        raise SchemaUnreadable(uris[-1], f"schemas {', '.join(uris)} cannot be combined: {first}") from None
    except ValueError as exc:  # e.g. a datetime object in a document built in Python
        raise _unvalidatable(exc) from None
    seen = set()
    for uri in uris:
        compiled = _COMPILED[(store.key, uri)]
        try:
            errors = list(compiled.validator.iter_errors(doc))
        except ValueError as exc:
            raise _unvalidatable(exc) from None
        for err in errors:
            for leaf in leaves(err):
                text = message(leaf, compiled.stubs, store) + branch_hint(leaf, compiled.stubs, store)
                where = pointer(leaf.instance_path)
                erratum = erratum_of(uri, where, doc)
                issue = ValidationIssue(where, text, uri, erratum.id if erratum else "")
                if issue not in seen:
                    seen.add(issue)
                    (report.errata if erratum and not strict_schemas else report.issues).append(issue)
    return report


def _unvalidatable(exc: ValueError) -> DocumentError:
    if "recursion" in str(exc).lower():
        return DocumentError(f"cannot be validated: it is nested too deeply for the validator ({exc})")
    return DocumentError(f"the document holds a value that is not JSON: {exc}")


def validate_document(
    doc: dict, store: SchemaStore | None = None, *, core: bool = True, strict_schemas: bool = False,
    errata: list[ValidationIssue] | None = None,
) -> list[ValidationIssue]:
    """Issues of ``doc`` against its STAC core schema (if ``core``) and every declared extension schema.

    Errors a known schema erratum explains are left out unless ``strict_schemas``; they are
    appended to ``errata`` when a list is given.

    Raises SchemaNotFound for a declared extension without a usable schema. A core schema that is not
    available is only logged as a warning (logger ``translator.validation``), once per process.
    """
    report = check_document(doc, store, core=core, strict_schemas=strict_schemas)
    if errata is not None:
        errata.extend(report.errata)
    for warning in report.warnings:
        if warning not in _LOGGED:
            _LOGGED.add(warning)
            _LOG.warning(warning)
    if report.missing:
        raise report.missing[0][1]
    return report.issues


def _core_uris(doc: dict, store: SchemaStore, report: DocumentReport) -> list[str]:
    kind = doc.get("type")
    if kind not in _CORE_PATHS:
        what = "FeatureCollection: validate its features one by one" if kind == "FeatureCollection" else (
            f"'type' is {kind!r}, not Feature/Collection/Catalog"
        )
        report.warnings.append(f"core STAC schema not checked ({what})")
        return []
    version = doc.get("stac_version")
    if not isinstance(version, str) or not version:
        report.issues.append(ValidationIssue("", "'stac_version' is a required property", "STAC core"))
        return []
    uri = core_schema_uri(doc)
    try:
        _compiled(uri, store)
    except SchemaNotFound as exc:
        label = _CORE_PATHS[kind][0]
        reason = "not available" if type(exc) is SchemaNotFound else f"unusable ({exc.message})"
        report.warnings.append(
            f"core schema for {label} {version} {reason}: {uri} "
            f"(fetch it with `stacml schemas pull {uri}`)"
        )
        return []
    return [canonical_uri(uri)]
