"""Reading and writing documents: fast JSON (orjson), YAML, NDJSON, a lenient JSON mode for
the comments and trailing commas real files carry, and atomic writes that never leave the
output root.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import orjson

from . import safe_yaml
from .errors import DocumentError
from .pointer import join
from .text_encoding import encoding_fault, without_bom


_TRAILING_COMMA = re.compile(rb",\s*[}\]]")
_COMMENT_LIKE = re.compile(rb"(?:^|[\s,{\[])//")  # not the '//' of a URL
_TRY_LENIENT_UP_TO = 1 << 20


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


def parse(raw: bytes, label: str, *, lenient: bool = False, suffix: str = ".json", line: int = 1) -> tuple[Any, int]:
    """Parse bytes as JSON (or YAML by suffix). Returns (value, number of lenient fixes). *line*
    is the line of its file the text starts at (an NDJSON record): a syntax error names that line."""
    if suffix in (".yml", ".yaml"):
        return _parse_yaml(raw, label, lenient)
    raw = without_bom(raw)
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        fault = encoding_fault(raw, line) or ("empty: not a JSON document" if not raw.strip() else None)
        if fault:  # orjson names neither, or names them at line 1 column 1
            raise DocumentError(fault, source=label) from None
        if not lenient:
            hint = " (comments or trailing commas? try --lenient-json)" if _lenient_would_read(raw) else ""
            raise DocumentError(f"invalid JSON at {_place(exc, line)}: {exc.msg}{hint}", source=label) from None
    else:
        return _checked(value, raw, label, lenient)
    text, fixes = strip_json_comments(raw.decode("utf-8"))  # UTF-8: checked above
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise DocumentError(f"invalid JSON even leniently, at {_place(exc, line)}: {exc.msg}", source=label) from None
    value, repeated = _checked(value, text.encode("utf-8"), label, lenient)
    return value, Repairs(fixes + repeated, repeated.repeated)


def _place(exc: orjson.JSONDecodeError, line: int) -> str:
    return f"line {exc.lineno + line - 1} column {exc.colno}"


def _parse_yaml(raw: bytes, label: str, lenient: bool) -> tuple[Any, "Repairs"]:
    """YAML through the loader every YAML file goes through (:mod:`translator.safe_yaml`); a key
    that is a number, boolean or null is kept (YAML reads ``0: background`` so), as written
    JSON gives it back as text."""
    try:
        data, lost = safe_yaml.load(raw, keep_last=lenient, string_keys=False)
    except safe_yaml.NotJson as exc:
        where, what = exc.faults[0]
        more = f" (and {len(exc.faults) - 1} more)" if len(exc.faults) > 1 else ""
        raise DocumentError(f"{what}{more}", source=label, pointer=join(where) or "/") from None
    except safe_yaml.RepeatedKey as exc:
        raise DocumentError(f"{exc} (fix the file, or accept the last value with --lenient-json)",
                            source=label) from None
    except safe_yaml.YamlFault as exc:  # bytes that are not UTF-8 are named by their place in the file
        raise DocumentError(encoding_fault(raw) or str(exc), source=label) from None
    return data, Repairs(len(lost), _locate(data, lost) if lost else ())


# a float of 1e18 or more, as orjson writes it: what an integer beyond 64 bits was read as
_WIDE_FLOAT = re.compile(rb"\de\+(?:1[89]|[2-9]\d|\d{3})")


class Repairs(int):
    """The number of lenient repairs of a document; ``repeated`` names each repeated key whose
    first value was lost, as (pointer, key, lost value)."""

    def __new__(cls, count: int, repeated: list | tuple = ()):
        self = super().__new__(cls, count)
        self.repeated = list(repeated)
        return self

    def __reduce__(self):  # (workers send it back with the document)
        return (Repairs, (int(self), self.repeated))


def _checked(value: Any, raw: bytes, label: str, lenient: bool) -> tuple[Any, Repairs]:
    """Two things a JSON parser does without a word, found by re-encoding the parsed value once:
    it keeps only the last of two equal keys, and orjson reads an integer beyond 64 bits as a
    float (a 20-digit id would change). Returns (value, repeated keys kept leniently)."""
    try:
        encoded = orjson.dumps(value)
    except TypeError:
        return value, Repairs(0)
    repeated = _repeated_keys(raw, encoded, label, lenient)
    if b"e+" in encoded and _WIDE_FLOAT.search(encoded):
        value = _exact_integers(value, raw)
    return value, Repairs(len(repeated), repeated)


def _exact_integers(value: Any, raw: bytes) -> Any:
    """The document read again with the standard library, which keeps every integer exact (the
    writers fall back to it for those integers too), when it has an integer beyond 64 bits."""
    import json
    wide = False

    def integer(text: str) -> int:
        nonlocal wide
        number = int(text)
        if not -(1 << 63) <= number < (1 << 64):
            wide = True
        return number

    try:
        exact = json.loads(raw.decode("utf-8", errors="replace"), parse_int=integer)
    except (ValueError, RecursionError):
        return value
    return exact if wide else value


def _lenient_would_read(raw: bytes) -> bool:
    """Whether --lenient-json would read what strict JSON refused (every STAC document has a
    '//' in its URLs, so the hint is given only when it would help)."""
    if b"//" not in raw and b"/*" not in raw and not _TRAILING_COMMA.search(raw):
        return False
    if len(raw) > _TRY_LENIENT_UP_TO:  # stripping comments is a loop in Python: guess instead
        return bool(_COMMENT_LIKE.search(raw) or b"/*" in raw or _TRAILING_COMMA.search(raw))
    try:
        orjson.loads(strip_json_comments(raw.decode("utf-8", errors="replace"))[0])
    except orjson.JSONDecodeError:
        return False
    return True


def _repeated_keys(raw: bytes, encoded: bytes, label: str, lenient: bool) -> list[tuple[str, str, Any]]:
    """A repeated key would lose its first value: an error, or (lenient) a repair counted like a
    removed comment. Every key-value pair has a colon outside strings, and re-encoding the
    parsed value keeps every string: fewer colons after it means a pair was dropped. Only then
    is the text parsed again, slowly, to name the key."""
    if raw.count(b":") <= encoded.count(b":"):
        return []
    import json
    repeated: list[tuple[int, str, Any]] = []

    def pairs(items: list) -> dict:
        obj: dict = {}
        for key, item in items:
            if key in obj:
                repeated.append((id(obj), key, obj[key]))
            obj[key] = item
        return obj

    try:
        again = json.loads(raw.decode("utf-8", errors="replace"), object_pairs_hook=pairs)
    except ValueError:
        return []
    if not repeated:
        return []
    located = _locate(again, repeated)
    if not lenient:
        pointer, key, first = located[0]
        more = f" (and {len(repeated) - 1} more)" if len(repeated) > 1 else ""
        raise DocumentError(f"the key '{key}' appears twice in one object{more}; a JSON parser keeps "
                            f"only the last value and would lose {_short(first)} (fix the file, or "
                            "accept the last value with --lenient-json)", source=label, pointer=pointer)
    return located


def _locate(root: Any, entries: list[tuple[int, str, Any]]) -> list[tuple[str, str, Any]]:
    """(JSON pointer of the repeated key, key, the value that was overwritten) of each entry; the
    pointer is "" for an object that was itself an overwritten value."""
    wanted = {target for target, _, _ in entries}
    paths: dict[int, tuple] = {}
    stack: list[tuple[Any, tuple]] = [(root, ())]
    while stack and len(paths) < len(wanted):
        node, path = stack.pop()
        if type(node) is dict:
            if id(node) in wanted:
                paths[id(node)] = path
            stack.extend((v, path + (k,)) for k, v in node.items())
        elif type(node) is list:
            stack.extend((v, path + (i,)) for i, v in enumerate(node))
    return [(join(paths[target] + (key,)) if target in paths else "", key, first)
            for target, key, first in entries]


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def note_repairs(report, fixes: int, shared: bool = False) -> None:
    """The finding that says a document was read leniently (nothing it repaired is silent).
    *shared*: the document is one of several in the file (an ItemCollection's feature), and the
    repairs were counted for the whole file."""
    if fixes:
        where = " in the file this document was read from (not only in this document)" if shared else ""
        report.finding("", "lenient-json", f"{fixes} lenient repair(s){where}: comments or trailing commas "
                       "removed, or the last value of a repeated key kept")
    if not shared:  # (the pointers of a shared count are into the file, not this document)
        for pointer, key, first in getattr(fixes, "repeated", ()):
            report.loss(pointer, "dropped", first, f"the key '{key}' is repeated in its object: read "
                        "leniently, the last value is kept and this earlier one is lost", "")


def read(path: str | os.PathLike) -> bytes:
    """The bytes of a file; one that cannot be read is a DocumentError naming it."""
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise DocumentError(f"cannot read: {exc.strerror or exc}", source=str(path)) from None


def load(path: str | os.PathLike, *, lenient: bool = False) -> tuple[Any, int]:
    path = Path(path)
    return parse(read(path), str(path), lenient=lenient, suffix=path.suffix.lower())


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


def compact(doc: Any) -> bytes:
    """One-line UTF-8 JSON with a final newline (NDJSON lines, fingerprints)."""
    try:
        return orjson.dumps(doc, option=orjson.OPT_APPEND_NEWLINE)
    except TypeError:  # integers beyond 64 bits
        import json
        text = json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n"
        try:
            return text.encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates (only possible in documents built in Python)
            return (json.dumps(doc, ensure_ascii=True, separators=(",", ":")) + "\n").encode("ascii")


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
    from .catalog_write import mode_of, open_temp  # imported here: catalog_write builds on this module
    try:
        fd, tmp, _ = open_temp(path, None, set())  # exclusive, never through a symlink, umask's mode
        try:
            os.fchmod(fd, mode_of(str(path)))  # a file that is replaced keeps its mode
        except OSError:
            pass
        fill_and_replace(fd, tmp, path, data)
    except OSError as exc:
        raise DocumentError(f"cannot write: {exc.strerror or exc}", source=str(path)) from None


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
