"""Which ML extension, and which version of it, a document uses.

Field prefixes come first (real files often declare the wrong URI or none), then the
``stac_extensions`` URIs, including legacy and malformed ones the tables list as aliases, then
prefixes seen only in asset roles or link rels. Several extensions at the same level: the table
with the highest precedence wins. A finding names the others (docs/pivot.md, "Detection").
"""
from __future__ import annotations

import re

from functools import lru_cache

from .errors import DocumentError, NoExtensionError
from .pointer import escape
from .tables import Table, Tables, default_tables


class Detection:
    __slots__ = ("extension", "version", "declared", "others", "findings")

    def __init__(self, extension: str, version: str, declared: bool, others: list[str] | None = None,
                 findings: list[tuple[str, str, str]] | None = None):
        self.extension = extension
        self.version = version
        self.declared = declared                  # the version came from a stac_extensions URI
        self.others = others or []                # other ML extensions the document also uses
        self.findings = findings or []            # (pointer, code, message)

    def __repr__(self) -> str:
        return (f"Detection(extension={self.extension!r}, version={self.version!r}, "
                f"declared={self.declared}, others={self.others})")

    def to_dict(self) -> dict:
        return {"extension": self.extension, "version": self.version, "declared": self.declared,
                "others": self.others,
                "findings": [{"pointer": p, "code": c, "message": m} for p, c, m in self.findings]}


_LINES: dict[tuple, tuple] = {}  # known prefixes -> (newline + prefix, prefix) of each, what _prefixes looks for


def _prefixes(doc: dict, known: tuple[str, ...]) -> tuple[set[str], set[str]]:
    """The known prefixes used by fields (top level, properties, summaries, asset fields), and
    those used only by asset roles or link rels (weaker evidence: a stray rel does not make a
    document declared as another extension one of this)."""
    names: list = list(doc)
    for key in ("properties", "summaries"):
        if type(doc.get(key)) is dict:
            names.extend(doc[key])
    labels: list = []
    for group in ("assets", "item_assets"):
        assets = doc.get(group)
        if type(assets) is dict:
            for asset in assets.values():
                if type(asset) is dict:
                    names.extend(asset)
                    if type(asset.get("roles")) is list:
                        labels.extend(asset["roles"])
    if type(doc.get("links")) is list:
        labels += [link.get("rel") for link in doc["links"] if type(link) is dict]
    try:
        blob = "\n" + "\n".join(names)  # one C-level search per known prefix instead of a loop per name
        weak = "\n" + "\n".join(labels) if labels else ""
    except TypeError:
        return _prefixes_slow(doc, known)
    lines = _LINES.get(known)
    if lines is None:
        lines = _LINES[known] = tuple(("\n" + p, p) for p in known)
    fields = {p for line, p in lines if line in blob}
    return fields, ({p for line, p in lines if line in weak} - fields if weak else set())


def _prefixes_slow(doc: dict, known: tuple[str, ...]) -> tuple[set[str], set[str]]:
    found: set[str] = set()
    weak: set[str] = set()

    def scan(names, into: set) -> None:
        for name in names:
            if type(name) is str and name.startswith(known):  # one C-level test per name
                into.update(p for p in known if name.startswith(p))

    scan(doc, found)
    for key in ("properties", "summaries"):
        if type(doc.get(key)) is dict:
            scan(doc[key], found)
    for group in ("assets", "item_assets"):
        assets = doc.get(group)
        if type(assets) is dict:
            for asset in assets.values():
                if type(asset) is dict:
                    scan(asset, found)
                    roles = asset.get("roles")
                    if type(roles) is list:
                        scan(roles, weak)
    links = doc.get("links")
    if type(links) is list:
        scan([link.get("rel") for link in links if type(link) is dict], weak)
    return found, weak - found


def _lookup(tables: Tables, uri: str):
    """(table, version) a declared URI stands for, or None; remembered per URI, since catalogs
    repeat the same few URIs in every document."""
    cache = tables.uri_cache
    try:
        return cache[uri]
    except KeyError:
        pass
    hit = tables.uri_index.get(uri) or tables.uri_index.get(_normal(uri))
    if len(cache) < 10_000:
        cache[uri] = hit
    return hit


_VERSION_WITHOUT_V = re.compile(r"^(/[^/]+/)(\d)")  # /ml-model/1.0.0/schema.json, as found in the wild


def _normal(uri: str) -> str:
    """The URI as the tables spell theirs: https, a lower-case host, no trailing '#' or spaces,
    and on stac-extensions.github.io a version with its 'v'."""
    uri = uri.strip().rstrip("#")
    scheme, sep, rest = uri.partition("://")
    if not sep:
        return uri
    host, slash, path = rest.partition("/")
    scheme, host = scheme.lower(), host.lower()
    if host == "stac-extensions.github.io":
        path = _VERSION_WITHOUT_V.sub(r"\1v\2", slash + path)[1:]
    return f"{'https' if scheme == 'http' else scheme}://{host}{slash}{path}"


@lru_cache(maxsize=256)
def _version_key(version: str) -> tuple:
    parts = []
    for token in version.replace("-", ".").split("."):
        parts.append((0, int(token), "") if token.isdigit() else (-1, 0, token))
    return tuple(parts)


def type_words(doc: dict) -> str:
    """What a document's STAC type is, for a message that says it is not one stacml reads."""
    if "type" not in doc:
        return "it has no type"
    return f"its type is {doc['type']!r}" if type(doc["type"]) is str else "its type is not a string"


def detect(doc: dict, tables: Tables | None = None, *, source: str | None = None,
           prefer: str | None = None) -> Detection:
    """Detect the ML extension of *doc*; raise NoExtensionError when it has none. *source*
    forces the extension; *prefer* chooses it only among those the document uses."""
    if type(doc) is not dict:
        raise DocumentError("not a JSON object")
    if doc.get("type") not in ("Feature", "Collection"):
        raise DocumentError(f"not a STAC Item or Collection ({type_words(doc)})", pointer="/type")
    tables = tables or default_tables()
    uris = doc.get("stac_extensions")
    uris = uris if type(uris) is list else []
    prefixes, weak = _prefixes(doc, tables.prefixes)
    # catalogs repeat the same few (URIs, prefixes) cases: each is decided once; only strings are
    # cached, since 1, 1.0 and True are equal keys
    key = (tuple(uris), frozenset(prefixes), frozenset(weak), source, prefer) \
        if set(map(type, uris)) <= {str} else None
    decided = tables.detect_cache.get(key) if key is not None else None
    if decided is None:
        decided = _decide(tables, uris, prefixes, weak, source, prefer)
        if key is not None and len(tables.detect_cache) < 4096:
            tables.detect_cache[key] = decided
    chosen, version, declared, others, findings = decided
    findings = list(findings)
    if weak or others:  # rare: another extension's roles or rels (also beside its fields)
        other = (weak | {tables[name].prefix for name in others}) - {chosen.prefix}
        if other:
            findings += _label_places(doc, other, chosen, tables)
    version = _version_by_fields(chosen, doc, version, declared, findings)
    if not declared:
        findings.append(("/stac_extensions", "version-assumed",
                         f"no known {chosen.name} URI declared; read as {chosen.name} {version}"))
    return Detection(chosen.name, version, declared, list(others), findings)


def _label_places(doc: dict, weak: set, chosen: Table, tables: Tables) -> list[tuple[str, str, str]]:
    """Asset roles and link rels of another ML extension that the chosen table does not read:
    each is carried unchanged, and a reader of that extension reads it as its own (a way back
    may write it in the chosen extension's form), so each is named where it stands."""
    names = {t.prefix: t.name for t in tables.ordered if t.prefix in weak and t is not chosen}
    if not names:
        return []
    prefixes = tuple(names)
    found = []

    def label(value, pointer: str, what: str, known: dict) -> None:
        if type(value) is str and value.startswith(prefixes) and value not in known:
            name = next(names[p] for p in prefixes if value.startswith(p))
            found.append((pointer, "other-extension-label", f"'{value}' is {what} of {name}, which the "
                          f"{chosen.name} table does not read: carried unchanged"))

    for group in ("assets", "item_assets"):
        assets = doc.get(group)
        for key, asset in assets.items() if type(assets) is dict else ():
            roles = asset.get("roles") if type(asset) is dict else None
            for i, role in enumerate(roles if type(roles) is list else ()):
                label(role, f"/{group}/{escape(str(key))}/roles/{i}", "an asset role", chosen.read_roles)
    links = doc.get("links")
    for i, link in enumerate(links if type(links) is list else ()):
        if type(link) is dict:
            label(link.get("rel"), f"/links/{i}/rel", "a link rel", chosen.read_links)
    return found


def _decide(tables: Tables, uris: list, prefixes: set, weak: set, source: str | None,
            prefer: str | None = None) -> tuple:
    """-> (table, version, declared by a URI, other extensions, findings): what the URIs and
    prefixes say, before the fields are looked at. Field prefixes come first (those of a declared
    extension before the others), then URIs, then prefixes seen only in roles and rels."""
    declared: dict[str, list[str]] = {}
    findings: list[tuple[str, str, str]] = []
    for i, uri in enumerate(uris):
        if type(uri) is not str:
            continue
        hit = _lookup(tables, uri)
        if hit:
            table, version = hit
            declared.setdefault(table.name, []).append(version)
            if uri != table.write_uri(version):
                findings.append((f"/stac_extensions/{i}", "legacy-uri", f"'{uri}' read as {table.name} {version}"))
    # among the extensions with fields, a declared one first: an ml-model Item with one stray
    # mlm: field is an ml-model Item (read as MLM, its translation to MLM would change nothing)
    by_prefix = sorted((t for t in tables.ordered if t.prefix in prefixes), key=lambda t: t.name not in declared)
    by_uri = [t for t in tables.ordered if t.name in declared]
    by_label = [t for t in tables.ordered if t.prefix in weak]
    preferred = tables[prefer] if prefer is not None else None
    if source is not None:
        chosen: Table = tables[source]
    elif preferred is not None and preferred in by_prefix + by_uri + by_label:
        chosen = preferred
    elif by_prefix:
        chosen = by_prefix[0]
    elif by_uri:
        chosen = by_uri[0]
    elif by_label:
        chosen = by_label[0]
    else:
        raise NoExtensionError("no supported ML extension: no field prefix or stac_extensions URI of "
                               + ", ".join(tables.names()))
    others = list(dict.fromkeys(t.name for t in (by_prefix + by_uri + by_label) if t.name != chosen.name))
    if others:
        why = "as preferred" if chosen is preferred else ("fields, of a declared extension first, before declared "
                                                          "URIs before roles and link rels, then the tables' precedence")
        findings.append(("", "several-extensions",
                         f"the document also uses {', '.join(others)}; read as {chosen.name} ({why}); fields "
                         "of the others are carried over unchanged" + ("" if chosen is preferred else
                         f" (to read it as {others[0]}: prefer='{others[0]}', or --prefer {others[0]})")))
    versions = declared.get(chosen.name)
    if versions:
        version = max(versions, key=_version_key)
        if len(set(versions)) > 1:
            findings.append(("/stac_extensions", "several-versions",
                             f"{chosen.name} declared as {sorted(set(versions))}; read as {version}"))
    else:
        version = chosen.default_version
    return chosen, version, bool(versions), tuple(others), tuple(findings)


def _version_by_fields(table: Table, doc: dict, version: str, declared: bool, findings: list) -> str:
    """A table's structural transform may define ``detect(doc, version, declared)`` to tell the
    version from the fields (e.g. fields removed in a later version): it returns None or
    ``(version, pointer, message)``, recorded as a ``version-by-fields`` finding."""
    for by_fields in table.detectors:
        found = by_fields(doc, version, declared)
        if found:
            version, pointer, message = found
            findings.append((pointer, "version-by-fields", message))
    return version
