"""Offline store of JSON Schemas, looked up by `$id` / by the URIs documents put in `stac_extensions`.

Search order (first match wins, see docs/validation.md):
1. directories given explicitly (``--schemas DIR``, ``extra_dirs``);
2. directories in ``STACML_SCHEMAS`` (os.pathsep-separated);
3. the user cache (``STACML_CACHE`` or ``$XDG_CACHE_HOME/stacml/schemas``), filled by ``stacml schemas pull``;
4. the schemas shipped in this package (``translator/schemas/**.json``);
5. the STAC 1.1.0 core + GeoJSON schemas bundled with pystac.

Every ``*.json`` file carrying a string ``$id`` is indexed under the canonical form of that id, so any folder
layout works. URIs are compared in canonical form (see :func:`canonical_uri`).
"""
from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

import orjson

from translator.errors import SchemaNotFound, SchemaUnreadable

PACKAGE_SCHEMAS = Path(__file__).resolve().parent / "schemas"

# Host aliases: MLM moved from crim-ca to stac-extensions; the gh-pages re-publications of MLM 1.0.0-1.3.0
# carry `$id`s without the `.github.io` part of the host.
_PREFIX_ALIASES = (
    ("https://crim-ca.github.io/mlm-extension/", "https://stac-extensions.github.io/mlm/"),
    ("https://stac-extensions/", "https://stac-extensions.github.io/"),
)
# Used only to index files that are not valid JSON, so that a broken copy can be reported by name.
_ID_IN_TEXT = re.compile(rb'"\$id"\s*:\s*"([^"]+)"')


@functools.lru_cache(maxsize=4096)  # called several times per document and schema on the hot path
def canonical_uri(uri: str) -> str:
    """Canonical spelling of a schema URI: https, lower-case host, no empty fragment, known host aliases.

    A non-empty fragment (``#/definitions/x``) is kept.
    """
    uri = uri.strip()
    base, hashmark, fragment = uri.partition("#")
    parts = urlsplit(base)
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        base = urlunsplit(("https", parts.netloc.lower(), parts.path, parts.query, ""))
    for old, new in _PREFIX_ALIASES:
        if base.startswith(old):
            base = new + base[len(old):]
            break
    return f"{base}#{fragment}" if fragment else base


def _document_part(uri: str) -> str:
    return canonical_uri(uri).partition("#")[0]


def default_cache_dir() -> Path:
    """``STACML_CACHE`` if set, else ``$XDG_CACHE_HOME/stacml/schemas`` (default ``~/.cache``)."""
    explicit = os.environ.get("STACML_CACHE")
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(xdg) / "stacml" / "schemas"


def _pystac_schemas() -> Path | None:
    try:
        import pystac.validation
    except ImportError:  # pragma: no cover - pystac is a dependency, but stay usable without it
        return None
    folder = Path(pystac.validation.__file__).resolve().parent / "jsonschemas"
    return folder if folder.is_dir() else None


@dataclass(frozen=True)
class _Entry:
    uri: str
    path: Path
    origin: str
    rank: tuple
    error: str | None = None  # set when the file is not usable


class SchemaStore:
    """Resolve schema URIs to parsed JSON Schemas from local folders only (never the network)."""

    def __init__(self, roots: list[tuple[str, Path]]):
        # roots: (origin label, directory) in priority order; missing directories are ignored.
        self.roots = [(origin, Path(d)) for origin, d in roots]
        self.key = tuple((o, str(d)) for o, d in self.roots)
        self._index: dict[str, _Entry] | None = None
        self._loaded: dict[Path, dict] = {}
        self.unreadable: list[tuple[Path, str]] = []  # files skipped: broken, with no $id to index them by

    @classmethod
    def default(cls, extra_dirs=()) -> "SchemaStore":
        """Store over ``extra_dirs``, ``STACML_SCHEMAS``, the user cache, the package and pystac schemas."""
        roots: list[tuple[str, Path]] = [("--schemas", Path(d)) for d in extra_dirs]
        env = os.environ.get("STACML_SCHEMAS", "")
        roots += [("STACML_SCHEMAS", Path(d)) for d in env.split(os.pathsep) if d.strip()]
        roots.append(("cache", default_cache_dir()))
        roots.append(("package", PACKAGE_SCHEMAS))
        pystac_dir = _pystac_schemas()
        if pystac_dir is not None:
            roots.append(("pystac", pystac_dir))
        return cls(roots)

    # -- public API -------------------------------------------------------------------------------------

    @staticmethod
    def canonical(uri: str) -> str:
        return canonical_uri(uri)

    def __contains__(self, uri: str) -> bool:
        entry = self._entries().get(_document_part(uri))
        return entry is not None and entry.error is None

    def path_of(self, uri: str) -> Path | None:
        entry = self._entries().get(_document_part(uri))
        return entry.path if entry else None

    def resolve(self, uri: str) -> dict:
        """The parsed schema document for ``uri`` (any fragment is ignored). Do not mutate the result.

        Raises SchemaNotFound when no copy is known, SchemaUnreadable when the only copy is broken.
        """
        key = _document_part(uri)
        entry = self._entries().get(key)
        if entry is None:
            raise SchemaNotFound(uri)
        if entry.error is not None:
            raise SchemaUnreadable(uri, f"the only copy of {uri} ({entry.path}) is unusable: {entry.error}")
        doc = self._loaded.get(entry.path)
        if doc is None:
            doc = self._loaded[entry.path] = _parse(entry.path.read_bytes())
        return doc

    def sources(self) -> list[tuple[str, str, str]]:
        """``(canonical uri, file path, origin)`` for every indexed URI, sorted by URI.

        Unusable copies are listed with an origin like ``"cache, not valid JSON: ..."``.
        """
        out = []
        for uri, entry in sorted(self._entries().items()):
            origin = entry.origin if entry.error is None else f"{entry.origin}, {entry.error}"
            out.append((uri, str(entry.path), origin))
        return out

    def refresh(self) -> None:
        """Forget the index (e.g. after ``schemas pull`` wrote new files)."""
        self._index = None
        self._loaded.clear()
        self.unreadable.clear()

    # -- indexing ---------------------------------------------------------------------------------------

    def _entries(self) -> dict[str, _Entry]:
        if self._index is None:
            self._index = self._build_index()
        return self._index

    def _build_index(self) -> dict[str, _Entry]:
        index: dict[str, _Entry] = {}
        for root_rank, (origin, root) in enumerate(self.roots):
            if not root.is_dir():
                continue
            for path in sorted(root.rglob("*.json")):
                for uri, entry in self._index_file(path, root, origin, root_rank):
                    current = index.get(uri)
                    if current is None or entry.rank < current.rank:
                        index[uri] = entry
        return index

    def _index_file(self, path: Path, root: Path, origin: str, root_rank: int):
        try:
            raw = path.read_bytes()
        except OSError as exc:
            self.unreadable.append((path, f"cannot be read: {exc.strerror or exc}"))
            return
        error = None
        try:
            doc = _parse(raw)
        except ValueError as exc:
            doc, error = None, f"not valid JSON: {exc}"
        ids: list[str] = []
        if isinstance(doc, dict):
            if isinstance(doc.get("$id"), str):
                ids.append(doc["$id"])
                ids += _filename_alias(doc["$id"], path)
            elif origin != "cache":
                return  # not a schema (e.g. an example document sitting next to the schemas)
            self._loaded[path] = doc
        elif error is not None:
            match = _ID_IN_TEXT.search(raw)
            if match is None:  # (no URI to list it under: `schemas list` warns of it)
                self.unreadable.append((path, error))
                return
            ids.append(match.group(1).decode("utf-8", "replace"))
        else:
            return
        if origin == "cache":
            # `schemas pull` saves a file at <cache>/<host>/<path of the URL it was asked for>; the
            # published `$id` can differ from that URL (e.g. the malformed MLM gh-pages ids).
            host, _, rest = path.relative_to(root).as_posix().partition("/")
            ids.append(f"https://{unquote(host)}/{rest}")
        # Rank: usable copies first, then search order, then the file named `schema.json` (the git-tag copy;
        # variants such as `schema.gh-pages.json` lose), then path order for determinism.
        rank = (error is not None, root_rank, path.name != "schema.json", path.relative_to(root).parts)
        for uri in dict.fromkeys(_document_part(i) for i in ids):
            yield uri, _Entry(uri, path, origin, rank, error)


def _filename_alias(schema_id: str, path: Path) -> list[str]:
    # pystac's STAC 1.1.0 `common.json` says `$id: .../json-schema/commonjson` (missing dot); index it
    # under the spelling other schemas use in their `$ref`s as well.
    base = schema_id.partition("#")[0]
    head, _, last = base.rpartition("/")
    if head and not last.endswith(".json") and last == path.name.replace(".", ""):
        return [f"{head}/{path.name}"]
    return []


def _parse(raw: bytes):
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise ValueError(f"line {exc.lineno} column {exc.colno}: {exc.msg}") from None
