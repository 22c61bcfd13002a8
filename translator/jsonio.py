"""Reading and writing documents: fast JSON (orjson), YAML, NDJSON, a lenient JSON mode for
the comments and trailing commas real files carry, and atomic writes that never leave the
output root.
"""
from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Any

import orjson
import yaml

from .errors import DocumentError


_TRAILING_COMMA = re.compile(rb",\s*[}\]]")


class _YamlLoader(yaml.SafeLoader):
    """SafeLoader that keeps timestamps as strings, as JSON would."""


_YamlLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def strip_json_comments(text: str) -> tuple[str, int]:
    """Remove // and /* */ comments and trailing commas outside strings.
    Returns the cleaned text and how many things were removed; line numbers are kept."""
    out: list[str] = []
    i, n, removed = 0, len(text), 0
    in_string = False
    while i < n:
        c = text[i]
        if in_string:
            out.append(c)
            if c == "\\" and i + 1 < n:
                out.append(text[i + 1])
                i += 2
                continue
            if c == '"':
                in_string = False
            i += 1
            continue
        if c == '"':
            in_string = True
            out.append(c)
            i += 1
        elif c == "/" and text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end
            removed += 1
        elif c == "/" and text.startswith("/*", i):
            end = text.find("*/", i + 2)
            chunk = text[i: n if end < 0 else end + 2]
            out.append("\n" * chunk.count("\n"))
            i = n if end < 0 else end + 2
            removed += 1
        elif c in "}]":
            # drop a comma that only whitespace separates from this closing bracket
            j = len(out) - 1
            while j >= 0 and out[j].isspace():
                j -= 1
            if j >= 0 and out[j] == ",":
                out[j] = ""
                removed += 1
            out.append(c)
            i += 1
        else:
            out.append(c)
            i += 1
    return "".join(out), removed


def parse(raw: bytes, label: str, *, lenient: bool = False, suffix: str = ".json") -> tuple[Any, int]:
    """Parse bytes as JSON (or YAML by suffix). Returns (value, number of lenient fixes)."""
    if suffix in (".yml", ".yaml"):
        try:
            return yaml.load(raw, Loader=_YamlLoader), 0
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" at line {mark.line + 1} column {mark.column + 1}" if mark else ""
            raise DocumentError(f"invalid YAML{where}: {getattr(exc, 'problem', None) or exc}",
                                source=label) from None
    try:
        return orjson.loads(raw), 0
    except orjson.JSONDecodeError as exc:
        if not lenient:
            hint = ""
            if b"//" in raw or b"/*" in raw or _TRAILING_COMMA.search(raw):
                hint = " (comments or trailing commas? try --lenient-json)"
            raise DocumentError(f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}{hint}",
                                source=label) from None
    text, fixes = strip_json_comments(raw.decode("utf-8", errors="replace"))
    try:
        return orjson.loads(text), fixes
    except orjson.JSONDecodeError as exc:
        raise DocumentError(f"invalid JSON even leniently, at line {exc.lineno} column {exc.colno}: {exc.msg}",
                            source=label) from None


def load(path: str | os.PathLike, *, lenient: bool = False) -> tuple[Any, int]:
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"cannot read: {exc.strerror or exc}", source=str(path)) from None
    return parse(raw, str(path), lenient=lenient, suffix=path.suffix.lower())


def dumps(doc: Any) -> bytes:
    """Indented UTF-8 JSON with a final newline (key order kept)."""
    try:
        return orjson.dumps(doc, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
    except TypeError:  # integers beyond 64 bits, lone surrogates and other values orjson refuses
        import json
        text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
        try:
            return text.encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates (only possible in documents built in Python)
            return (json.dumps(doc, indent=2, ensure_ascii=True) + "\n").encode("ascii")


def inside(root: str | os.PathLike, path: str | os.PathLike) -> bool:
    root_real = os.path.realpath(root)
    target = os.path.realpath(path)
    return target == root_real or target.startswith(root_real.rstrip(os.sep) + os.sep)


def write_atomic(path: str | os.PathLike, data: bytes, *, root: str | os.PathLike | None = None) -> None:
    """Write via a temporary file in the same directory and rename it into place.
    With *root*, refuse any path that resolves outside it (symlinks included)."""
    path = Path(path)
    if root is not None and not inside(root, path):
        raise DocumentError(f"refusing to write outside the output root {root}", source=str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    fill_and_replace(fd, tmp, path, data)


def fill_and_replace(fd: int, tmp: str, path: str | os.PathLike, data, after=None) -> None:
    """Fill the open temporary file with *data* (bytes, or a function given the file object),
    call ``after(tmp)`` once it is closed, then rename it over *path*; on any failure the
    temporary file is removed and *path* is left as it was."""
    try:
        with os.fdopen(fd, "wb") as fh:
            if callable(data):
                data(fh)
            else:
                fh.write(data)
        if after is not None:
            after(tmp)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
