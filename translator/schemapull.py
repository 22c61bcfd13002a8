"""Download official schemas (and every schema they ``$ref``) into the user cache for offline use.

Files are written to ``<cache>/<host>/<path>`` of the canonical URI, which is also how the store finds
them, whatever ``$id`` the downloaded file carries.
"""
from __future__ import annotations

import http.client
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit

import orjson

from translator.errors import TranslatorError
from translator.schemastore import canonical_uri, default_cache_dir

_MLM_VERSIONS = ("1.0.0", "1.1.0", "1.2.0", "1.3.0", "1.4.0", "1.5.0", "1.5.1", "1.5.2")
_EXTENSIONS = (
    "ml-model/v1.0.0", "eo/v1.1.0", "raster/v1.1.0", "file/v1.0.0", "file/v2.1.0", "ml-aoi/v0.2.0",
    "item-assets/v1.0.0", "label/v1.0.1", "scientific/v1.0.0", "processing/v1.1.0", "classification/v1.1.0",
    "datacube/v2.3.0", "version/v1.2.0",
)
_CORE = tuple(
    f"https://schemas.stacspec.org/v{v}/{p}"
    for v in ("1.0.0", "1.1.0")
    for p in ("item-spec/json-schema/item.json", "collection-spec/json-schema/collection.json",
              "catalog-spec/json-schema/catalog.json")
)
DEFAULT_URIS: tuple[str, ...] = (
    tuple(f"https://stac-extensions.github.io/mlm/v{v}/schema.json" for v in _MLM_VERSIONS)
    + tuple(f"https://stac-extensions.github.io/{e}/schema.json" for e in _EXTENSIONS)
    + _CORE
)

# What stac-extensions.github.io serves for MLM 1.0.0-1.2.0 demands a malformed URL in `stac_extensions`
# (see docs/validation.md), so no real document validates against it; take the git-tag copy instead.
_DOWNLOAD_FROM = {
    f"https://stac-extensions.github.io/mlm/v{v}/schema.json":
        f"https://raw.githubusercontent.com/stac-extensions/mlm/v{v}/json-schema/schema.json"
    for v in ("1.0.0", "1.1.0", "1.2.0", "1.3.0")
}


class SchemaDownloadError(TranslatorError):
    """A schema could not be downloaded (no network, HTTP error, not JSON)."""


def cache_path(uri: str, cache_dir: Path) -> Path:
    """``<cache>/<host>/<path>`` for a URI (host percent-quoted, so ``host:port`` works on every OS)."""
    parts = urlsplit(canonical_uri(uri).partition("#")[0])
    rel = parts.path.lstrip("/") or "index.json"
    if not parts.netloc or ".." in Path(rel).parts:
        raise SchemaDownloadError(f"cannot store {uri}: not an absolute http(s) URL")
    return cache_dir / quote(parts.netloc, safe="") / rel


def _fetch(url: str, timeout: float) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": "stacml-schemas-pull"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.read()
    except urllib.error.HTTPError as exc:
        raise SchemaDownloadError(f"cannot download {url}: HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise SchemaDownloadError(
            f"cannot download {url}: {reason} (offline? point --schemas DIR at local copies instead)"
        ) from None
    except http.client.HTTPException as exc:  # a host that does not speak HTTP, a response cut short
        raise SchemaDownloadError(f"cannot download {url}: {type(exc).__name__}: {str(exc).strip()}") from None


def _refs(node, base: str):
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and not ref.startswith("#"):
            target = urljoin(base, ref).partition("#")[0]
            if target.startswith(("http://", "https://")) and "json-schema.org/" not in target:
                yield target
        for value in node.values():
            yield from _refs(value, base)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value, base)


def _write(path: Path, data: bytes) -> None:
    from .jsonio import write_atomic  # a schema cache is shared: not private as mkstemp's files are
    write_atomic(path, data)


def pull(uris=(), cache_dir: Path | None = None, *, timeout: float = 20.0, progress=None) -> list[tuple[str, Path]]:
    """Download ``uris`` (default: :data:`DEFAULT_URIS`) and what they reference into ``cache_dir``.

    Returns ``(uri, path)`` for every file written. Raises SchemaDownloadError at the first failure of a
    requested URI; a failing ``$ref``'d schema is reported the same way, since the schema would be unusable.
    """
    cache_dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    queue = list(dict.fromkeys(uris or DEFAULT_URIS))
    seen: set[str] = set()
    written: list[tuple[str, Path]] = []
    while queue:
        uri = queue.pop(0)
        key = canonical_uri(uri).partition("#")[0]
        if key in seen:
            continue
        seen.add(key)
        url = _DOWNLOAD_FROM.get(key, uri.partition("#")[0])
        data = _fetch(url, timeout)
        try:
            schema = orjson.loads(data)
        except orjson.JSONDecodeError as exc:
            raise SchemaDownloadError(f"{url} is not JSON (line {exc.lineno} column {exc.colno})") from None
        target = cache_path(uri, cache_dir)
        _write(target, data)
        written.append((key, target))
        if progress:
            progress(key, target)
        schema_id = schema.get("$id") if isinstance(schema, dict) else None
        # Relative `$ref`s resolve against the schema's own `$id`, unless it is one of the malformed
        # hostless ids (MLM gh-pages copies): then against the URL it was asked for.
        real_id = isinstance(schema_id, str) and "." in urlsplit(schema_id).netloc
        base = schema_id if real_id else uri
        for ref in _refs(schema, base):
            if canonical_uri(ref) not in seen:
                queue.append(ref)
    return written
