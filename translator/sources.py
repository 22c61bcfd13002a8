"""Every input form the command line accepts, enumerated as documents.

``iter_documents(sources)`` yields one :class:`Source` per document found in:

* a JSON or YAML file holding an Item, a Collection or a Catalog; a Catalog or Collection
  is a *catalog root*: its ``child`` and ``item`` links with relative hrefs are followed;
* an ItemCollection (GeoJSON ``FeatureCollection``): one Source per feature (``/features/N``);
* an NDJSON file (``.ndjson``, ``.jsonl``): one Source per line, streamed;
* ``-`` (stdin), read as ``stacml convert -`` reads it: NDJSON, streamed, when the first non-blank
  line is a whole document; otherwise one document or ItemCollection spread over several lines;
* a directory: every ``*.json`` file below it (links are not followed: every file is listed).

It never raises for bad input: an unreadable document is a Source with ``error`` set, and
what was deliberately not followed (remote, absolute or escaping hrefs, link cycles) is a
Source with ``warning`` set and no document. A file that is one of stacml's own reports (see
:func:`stacml_report`) is passed over the same way, with ``report`` naming its kind.
Remote (http/https) links are read only with ``follow_remote=True``; their Sources have
``url`` set and no ``path``.

The pieces ``stacml convert`` runs in parallel are public too: :func:`kind_of` (what an
argument is), :func:`read_file` (one file, parsed), :func:`expand` (a parsed value as
Sources) and :func:`link_targets` (where a Catalog's links lead, checked for safety).
See docs/catalog.md.
"""
from __future__ import annotations

import itertools
import os
import sys
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import unquote, urlparse

from .errors import DocumentError
from .jsonio import parse
# the link half of the sources API lives in links.py; these names stay importable from here
from .links import (FOLLOWED, REMOTE, Followed, LinkTarget, absolute_path, cycle_warning, link_targets,  # noqa: F401
                    resolve, target_label)

NDJSON = (".ndjson", ".jsonl")
REMOTE_LIMIT = 64 * 1024 * 1024  # bytes read from one remote document at most
REMOTE_TIMEOUT = 30


@dataclass
class Source:
    label: str                        # what error lines name: path, path:LINE, '-:LINE' or a URL
    path: Path | None = None          # the file (None for stdin and remote documents)
    pointer: str = ""                 # where the document sits in the file ('' or /features/N)
    line: int | None = None           # NDJSON line number
    document: dict | None = None
    error: str | None = None          # why the document could not be read
    warning: str | None = None        # something deliberately not followed
    root: Path | str | None = None    # directory of the catalog root / directory argument (a URL prefix when remote)
    fixes: int = 0                    # lenient-JSON repairs made
    extra: dict[str, Any] = field(default_factory=dict)
    url: str | None = None            # remote documents (follow_remote=True) only
    report: str | None = None         # a stacml report found instead of a document (skipped; see warning)

    @property
    def relative(self) -> Path | None:
        """The file's path relative to its root (what output mirrors), or None when the
        file is not below its root. Lexical: a symlink keeps the name it was reached by."""
        if self.url is not None and isinstance(self.root, str):
            return Path(unquote(self.url[len(self.root):])) if self.url.startswith(self.root) else None
        if self.path is None or self.root is None or isinstance(self.root, str):
            return None
        return relative_to_root(self.path, self.root)


# -- what an argument is ---------------------------------------------------------------------------


def kind_of(source: str) -> str:
    """'stdin', 'remote', 'directory', 'ndjson', 'file' or 'missing'."""
    if source == "-":
        return "stdin"
    if urlparse(source).scheme in REMOTE:
        return "remote"
    path = Path(source)
    if path.is_dir():
        return "directory"
    if not path.exists():
        return "missing"
    return "ndjson" if path.suffix.lower() in NDJSON else "file"


def relative_to_root(path: Path, root: Path) -> Path | None:
    rel = os.path.relpath(os.path.normpath(os.path.abspath(path)), os.path.normpath(os.path.abspath(root)))
    if rel == os.curdir or rel == os.pardir or rel.startswith(os.pardir + os.sep) or os.path.isabs(rel):
        return None
    return Path(rel)


def inside(root: str | os.PathLike, path: str | os.PathLike) -> bool:
    """True when *path*, symlinks resolved, is *root* or below it."""
    root_real = os.path.realpath(root)
    real = os.path.realpath(path)
    return real == root_real or real.startswith(root_real.rstrip(os.sep) + os.sep)


# -- enumeration ----------------------------------------------------------------------------------


def iter_documents(sources: list[str], *, lenient_json: bool = False, follow_remote: bool = False,
                   follow_links: bool = True) -> Iterator[Source]:
    """*follow_links*: read a catalog root's links (False: each file given is one document)."""
    listed: dict[str, bool] = {}  # a document given twice, or reached twice, is listed once (see _catalog)
    for source in sources:
        kind = kind_of(source)
        if kind == "stdin":
            yield from iter_stdin(sys.stdin.buffer, lenient_json)
        elif kind == "remote":
            if not follow_remote:
                yield Source(source, warning="remote source not read (give --follow-remote)")
            else:
                yield from _catalog(source, source.rsplit("/", 1)[0] + "/", lenient_json, follow=True,
                                    follow_remote=True, listed=listed)
        elif kind == "directory":
            yield from _directory(Path(source), lenient_json, listed)
        elif kind == "missing":
            yield Source(source, Path(source), error="no such file or directory")
        elif kind == "ndjson":
            path = Path(source)
            if _key(path) in listed:  # given twice
                continue
            listed[_key(path)] = False
            try:
                with path.open("rb") as fh:
                    yield from iter_ndjson(fh, str(path), path, lenient_json)
            except OSError as exc:
                yield Source(str(path), path, error=f"cannot read: {exc.strerror or exc}")
        else:
            path = Path(source)
            yield from _catalog(path, path.parent, lenient_json, follow=follow_links, follow_remote=follow_remote,
                                listed=listed)


def iter_files(directory: Path) -> Iterator[Path | Source]:
    """Every ``*.json`` file below *directory*, sorted, without following symlinked
    directories; a symlinked file that leads outside *directory* is a warning Source.
    Hidden names (``.…``: temporary files, run manifests) are skipped."""
    for top, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or not name.lower().endswith(".json"):
                continue
            path = Path(top) / name
            if os.path.islink(path) and not inside(directory, path):
                yield Source(str(path), path, warning="symlink leads outside the directory; not followed",
                             root=directory)
            else:
                yield path


def _directory(directory: Path, lenient: bool, listed: dict[str, bool]) -> Iterator[Source]:
    found = False
    for entry in iter_files(directory):
        found = True
        if isinstance(entry, Source):
            yield entry
        else:
            yield from _catalog(entry, directory, lenient, follow=False, follow_remote=False, listed=listed)
    if not found:
        yield Source(str(directory), directory, error="no *.json file in this directory")


def iter_ndjson(stream, label: str, path: Path | None, lenient: bool) -> Iterator[Source]:
    """One Source per non-blank line of a binary stream, read line by line (constant memory)."""
    for number, raw in enumerate(stream, 1):
        if not raw.strip():
            continue
        where = f"{label}:{number}"
        if raw.endswith(b"\n"):  # without its line break, a syntax error is placed on its own line
            raw = raw[:-1]
        try:
            value, fixes = parse(raw, where, lenient=lenient, line=number)
        except DocumentError as exc:
            yield Source(where, path, line=number, error=exc.detail)
            continue
        yield from expand(value, where, path, None, fixes, line=number)


def iter_stdin(stream, lenient: bool) -> Iterator[Source]:
    """stdin as ``stacml convert -`` reads it: NDJSON (streamed) when the first non-blank line
    is a whole JSON document, else one document or ItemCollection spread over several lines."""
    head = b""
    for line in stream:
        head += line
        if line.strip():
            break
    try:
        parse(head, "-", lenient=lenient)
    except DocumentError:  # not a whole document on its first line: the rest belongs to it
        label = "-"
        raw = head + stream.read()
        try:
            value, fixes = parse(raw, label, lenient=lenient)
        except DocumentError as exc:
            yield Source(label, error=exc.detail)
            return
        yield from expand(value, label, None, None, fixes)
        return
    yield from iter_ndjson(itertools.chain(head.splitlines(keepends=True), stream), "-", None, lenient)


def expand(value: Any, label: str, path: Path | None, root: Path | None, fixes: int,
           line: int | None = None, url: str | None = None, linked: str = "") -> Iterator[Source]:
    """A parsed value as Sources: one per feature of an ItemCollection, else one. *linked*: what
    the error of a value that is no JSON object ends with (the link that led to the file)."""
    if type(value) is dict and value.get("type") == "FeatureCollection" and type(value.get("features")) is list:
        for i, feature in enumerate(value["features"]):
            pointer = f"/features/{i}"
            if type(feature) is dict:
                yield Source(label, path, pointer, line, feature, root=root, fixes=fixes, url=url)
            else:
                yield Source(label, path, pointer, line, error="a feature must be a JSON object", root=root, url=url)
    elif type(value) is dict:
        yield Source(label, path, "", line, value, root=root, fixes=fixes, url=url)
    else:
        yield Source(label, path, "", line, error=f"not a STAC document: the top level is a JSON {json_kind(value)}"
                     f"{linked}", root=root, url=url)


def json_kind(value: Any) -> str:
    return {list: "array", str: "string", bool: "boolean", type(None): "null", dict: "object"}.get(
        type(value), "number")


def linked_from(label: str, where: str) -> str:
    """What the error of a file that could not be read adds when a link led to it: the document
    and the pointer of that link (the place to fix when the file is not there; how the run came
    to a file that is not JSON, or not a JSON object)."""
    return f" (linked from {label} {where})"


def read_file(path: str | Path, *, lenient: bool = False) -> tuple[Any, bytes | None, int, str | None]:
    """(value, raw bytes, lenient fixes, error) for one local file; never raises. (A str is read
    as it is, without building a Path: a catalog run reads each of its documents so.)"""
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError as exc:
        return None, None, 0, f"cannot read: {exc.strerror or exc}"
    except ValueError:  # a link's href can hold a NUL byte (or %00), which no file name can
        return None, None, 0, "cannot read: the path holds a NUL byte"
    try:
        value, fixes = parse(raw, str(path), lenient=lenient, suffix=os.path.splitext(path)[1].lower())
    except DocumentError as exc:
        return None, raw, 0, exc.detail
    return value, raw, fixes, None


def read_url(url: str, *, lenient: bool = False) -> tuple[Any, bytes | None, int, str | None]:
    """Like :func:`read_file` for an http(s) URL (only ever called with follow_remote)."""
    from urllib.error import URLError
    from urllib.request import Request, urlopen
    try:
        with urlopen(Request(url, headers={"Accept": "application/json"}), timeout=REMOTE_TIMEOUT) as response:
            raw = response.read(REMOTE_LIMIT + 1)
    except (URLError, OSError, ValueError) as exc:
        return None, None, 0, f"cannot fetch: {getattr(exc, 'reason', None) or exc}"
    if len(raw) > REMOTE_LIMIT:
        return None, None, 0, f"larger than {REMOTE_LIMIT // (1024 * 1024)} MB; not read"
    try:
        value, fixes = parse(raw, url, lenient=lenient, suffix=Path(urlparse(url).path).suffix.lower())
    except DocumentError as exc:
        return None, raw, 0, exc.detail
    return value, raw, fixes, None


def _catalog(start: Path | str, root: Path | str | None, lenient: bool, *, follow: bool,
             follow_remote: bool, listed: dict[str, bool]) -> Iterator[Source]:
    """Breadth first from *start*, in link order, as ``stacml convert`` goes. Documents
    reached through ``item`` links are leaves; a document linked twice is read once, and
    ``ancestors`` tells a cycle (a link back to a catalog on the way here, itself included)
    from that. *listed*: the documents earlier arguments listed, with whether their links
    were followed; none is listed again, but a catalog listed as a leaf (a directory member)
    is read again for its links."""
    key = _key(start)
    if key in listed and (listed[key] or not follow):
        return
    seen = {key}
    # (file, key, catalogs on the way, follow its links, the link that led here)
    queue: deque[tuple[Path | str, str, tuple[str, ...], bool, str]] = deque([(start, key, (key,), follow, "")])
    while queue:
        current, key, ancestors, follow_here, linked = queue.popleft()
        again = key in listed  # only its links are new
        listed[key] = follow_here or listed.get(key, False)
        if isinstance(current, str):
            value, raw, fixes, error = read_url(current, lenient=lenient)
            label, path, url = current, None, current
        else:
            value, raw, fixes, error = read_file(current, lenient=lenient)
            label, path, url = str(current), current, None
        if error is not None:
            # missing, or not JSON: the link that led here says which document the run was reading
            error += linked
            if not again:
                yield Source(label, path, error=error, root=root, url=url)
            continue
        kind = stacml_report(value)
        if kind is not None:
            if not again:
                yield Source(label, path, root=root, url=url, warning=skipped_report(kind), report=kind)
            continue
        if not again:
            yield from expand(value, label, path, root, fixes, url=url, linked=linked)
        if not (follow_here and is_catalog(value)):
            continue
        for target in link_targets(value, current, root, follow_remote=follow_remote):
            if not isinstance(target, str) and (target.url or target.real) in ancestors:
                target = cycle_warning(target)
            if isinstance(target, str):  # '/links/N: why'
                where, why = target.split(": ", 1)
                yield Source(f"{label}: {where}", path, root=root, url=url, warning=why)
                continue
            tkey, child = target.url or target.real, target.rel == "child"
            if tkey in seen or (tkey in listed and (listed[tkey] or not child)):
                continue
            seen.add(tkey)
            queue.append((target.url or target.path, tkey, ancestors + (tkey,) if child else (), child,
                          linked_from(label, f"/links/{target.index}")))


def _key(file: Path | str) -> str:
    """What tells two names of one document apart: the path with symlinks resolved, or the URL."""
    return file if isinstance(file, str) else resolve(absolute_path(str(file)))  # never raises (NUL: read_file says)


def stacml_report(value: Any) -> str | None:
    """The kind of stacml report *value* is, or None: a run report, an audit report or any
    other stacml output with a ``format`` (``stacml-convert-report/1``, ``stacml-audit/2``,
    ...), or a one-document translation report. Such a file left inside a directory or a
    catalog (a report written inside OUT_DIR) is not a STAC document. A STAC document has a
    ``type``, so for it this costs one key lookup."""
    if type(value) is not dict or "type" in value:
        return None
    name = value.get("format")
    if type(name) is str and name.startswith("stacml-"):
        return name
    if type(value.get("source")) is dict and type(value.get("target")) is dict \
            and type(value.get("losses")) is list:
        return "translation report"
    return None


def skipped_report(kind: str) -> str:
    return f"a stacml report ({kind}), not a STAC document: skipped"


def is_catalog(value: Any) -> bool:
    return type(value) is dict and value.get("type") in ("Catalog", "Collection")
