"""Every input form the command line accepts, enumerated as documents.

``iter_documents(sources)`` yields one :class:`Source` per document found in:

* a JSON or YAML file holding an Item, a Collection or a Catalog; a Catalog or Collection
  is a *catalog root*: its ``child`` and ``item`` links with relative hrefs are followed;
* an ItemCollection (GeoJSON ``FeatureCollection``): one Source per feature (``/features/N``);
* an NDJSON file (``.ndjson``, ``.jsonl``) or ``-`` (stdin): one Source per line, streamed;
* a directory: every ``*.json`` file below it (links are not followed: every file is listed).

It never raises for bad input: an unreadable document is a Source with ``error`` set, and
what was deliberately not followed (remote, absolute or escaping hrefs, link cycles) is a
Source with ``warning`` set and no document.
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import unquote, urlparse

from .errors import DocumentError
from .jsonio import parse

NDJSON = (".ndjson", ".jsonl")
FOLLOWED = ("child", "item")


@dataclass
class Source:
    label: str                        # what error lines name: path, path:LINE, or '-:LINE'
    path: Path | None = None          # the file (None for stdin)
    pointer: str = ""                 # where the document sits in the file ('' or /features/N)
    line: int | None = None           # NDJSON line number
    document: dict | None = None
    error: str | None = None          # why the document could not be read
    warning: str | None = None        # something deliberately not followed
    root: Path | None = None          # directory of the catalog root / directory argument
    fixes: int = 0                    # lenient-JSON repairs made
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def relative(self) -> Path | None:
        """The file's path relative to its root (what output mirrors)."""
        if self.path is None or self.root is None:
            return None
        try:
            return self.path.resolve().relative_to(self.root.resolve())
        except ValueError:
            return None


def iter_documents(sources: list[str], *, lenient_json: bool = False, follow_remote: bool = False) -> Iterator[Source]:
    for source in sources:
        if source == "-":
            yield from _ndjson(sys.stdin.buffer, "-", None, lenient_json)
            continue
        path = Path(source)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*.json") if p.is_file())
            if not files:
                yield Source(str(path), path, error="no *.json file in this directory")
            for file in files:
                yield from _file(file, path, lenient_json, follow=False, follow_remote=follow_remote)
        elif not path.exists():
            yield Source(str(path), path, error="no such file or directory")
        elif path.suffix.lower() in NDJSON:
            try:
                with path.open("rb") as fh:
                    yield from _ndjson(fh, str(path), path, lenient_json)
            except OSError as exc:
                yield Source(str(path), path, error=f"cannot read: {exc.strerror or exc}")
        else:
            yield from _file(path, path.parent, lenient_json, follow=True, follow_remote=follow_remote)


def _ndjson(stream, label: str, path: Path | None, lenient: bool) -> Iterator[Source]:
    for number, raw in enumerate(stream, 1):
        if not raw.strip():
            continue
        where = f"{label}:{number}"
        try:
            value, fixes = parse(raw, where, lenient=lenient)
        except DocumentError as exc:
            yield Source(where, path, line=number, error=exc.message)
            continue
        yield from _expand(value, where, path, None, fixes, line=number)


def _expand(value: Any, label: str, path: Path | None, root: Path | None, fixes: int,
            line: int | None = None) -> Iterator[Source]:
    if type(value) is dict and value.get("type") == "FeatureCollection" and type(value.get("features")) is list:
        for i, feature in enumerate(value["features"]):
            pointer = f"/features/{i}"
            if type(feature) is dict:
                yield Source(label, path, pointer, line, feature, root=root, fixes=fixes)
            else:
                yield Source(label, path, pointer, line, error="a feature must be a JSON object", root=root)
    elif type(value) is dict:
        yield Source(label, path, "", line, value, root=root, fixes=fixes)
    else:
        kind = {list: "array", str: "string", bool: "boolean", type(None): "null"}.get(type(value), "number")
        yield Source(label, path, "", line, error=f"not a STAC document: the top level is a JSON {kind}", root=root)


def _file(path: Path, root: Path, lenient: bool, *, follow: bool, follow_remote: bool) -> Iterator[Source]:
    seen: set[str] = set()
    stack = [path]
    while stack:
        current = stack.pop()
        real = os.path.realpath(current)
        if real in seen:
            continue
        seen.add(real)
        try:
            raw = current.read_bytes()
        except OSError as exc:
            yield Source(str(current), current, error=f"cannot read: {exc.strerror or exc}", root=root)
            continue
        try:
            value, fixes = parse(raw, str(current), lenient=lenient, suffix=current.suffix.lower())
        except DocumentError as exc:
            yield Source(str(current), current, error=exc.message, root=root)
            continue
        yield from _expand(value, str(current), current, root, fixes)
        if follow and type(value) is dict and value.get("type") in ("Catalog", "Collection"):
            children = list(_links(value, current, root, seen, follow_remote))
            for child in reversed(children):  # keep link order on the stack
                if isinstance(child, Source):
                    yield child
                else:
                    stack.append(child)


def _links(doc: dict, here: Path, root: Path, seen: set[str], follow_remote: bool):
    links = doc.get("links")
    if type(links) is not list:
        return
    for i, link in enumerate(links):
        if type(link) is not dict or link.get("rel") not in FOLLOWED or type(link.get("href")) is not str:
            continue
        href = link["href"]
        where = f"{here}: /links/{i}"
        parsed = urlparse(href)
        if parsed.scheme in ("http", "https"):
            yield Source(where, here, warning=f"remote link {href} not followed"
                         + ("" if not follow_remote else " (remote reading is not supported)"), root=root)
            continue
        if parsed.scheme not in ("", "file") or os.path.isabs(unquote(parsed.path)):
            yield Source(where, here, warning=f"absolute link {href} not followed", root=root)
            continue
        target = (here.parent / unquote(parsed.path))
        real = os.path.realpath(target)
        root_real = os.path.realpath(root)
        if not (real == root_real or real.startswith(root_real.rstrip(os.sep) + os.sep)):
            yield Source(where, here, warning=f"link {href} leads outside the catalog root; not followed", root=root)
            continue
        if real in seen:
            yield Source(where, here, warning=f"link {href} leads back to a document already read (cycle)",
                         root=root)
            continue
        yield target
