"""The JSON formatting of a file (indentation, separators, line ends, final newline, escaped
non-ASCII text), told from its first lines, and documents written the same way: a translated
file in a catalog kept in git differs from its input only where the translation changed it.

    from translator.json_style import dumps_like, style_of
    data = dumps_like(result.document, raw)   # the translation, formatted as *raw* was

What is not a formatting a JSON writer produces falls back to the closest one: an
indentation that is not the same unit at every level of the first lines is written with 2
spaces; a byte order mark is not written back (JSON text must not begin with one); CRLF line
ends are kept; the whitespace after the last bracket is kept as it is. Numbers are written as
every output is (the shortest form that reads back the same), whatever the input's form.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import orjson

_YAML_SUFFIXES = (".yml", ".yaml")
_BOM = b"\xef\xbb\xbf"
_HEAD = 4096  # bytes looked at: the first lines are enough to tell a writer's formatting
_STRING = re.compile(rb'"(?:[^"\\\n]|\\.)*"')  # (whole strings of one line: a cut one stays)
_KEY_SEPARATOR = re.compile(rb'"([ \t]*):([ \t]*)(?=[^ \t\r\n])')
_ITEM_SEPARATOR = re.compile(rb",([ \t]*)")
_LINE_END_ITEM_SEPARATOR = re.compile(rb",([ \t]*)\r?\n")
# a \u escape of a character beyond ASCII: the file was written with non-ASCII text escaped
_ESCAPED_NON_ASCII = re.compile(rb"\\u(?:00[89a-fA-F][0-9a-fA-F]|0[1-9a-fA-F][0-9a-fA-F]{2}|[1-9a-fA-F][0-9a-fA-F]{3})")
_NON_ASCII = re.compile("[^\x00-\x7f]")


@dataclass(frozen=True)
class JsonStyle:
    """How a JSON document is laid out in its file."""
    indent: str | None = "  "      # one level's indentation (spaces, tabs, or ""); None: one line
    item_separator: str = ","      # between the items of an object or array (before a line end if indented)
    key_separator: str = ": "      # between a key and its value
    newline: str = "\n"            # the line end between lines ("\r\n" kept)
    ending: str = "\n"             # what follows the closing bracket (a final newline, or nothing)
    ascii_only: bool = False       # non-ASCII text written as \\u escapes


DEFAULT = JsonStyle()  # what a file of unknown formatting (a YAML file, a new document) is written in
MINIFIED = JsonStyle(indent=None, key_separator=":")


def style_of(raw: bytes, name: str = "") -> JsonStyle:
    """The formatting of the JSON text *raw*, from its first lines (and, for escaped non-ASCII
    text, one scan of an ASCII-only file). Never fails: what is not JSON text is DEFAULT, and so
    is a file *name*d as YAML (its translation is JSON in the usual formatting)."""
    if name.lower().endswith(_YAML_SUFFIXES):
        return DEFAULT
    text = raw[3:] if raw[:3] == _BOM else raw
    if text[:1] not in (b"{", b"["):
        return DEFAULT
    end = len(text)
    while end and text[end - 1] in b" \t\r\n":  # (only the trailing whitespace is looked at)
        end -= 1
    ending = text[end:].decode("ascii")
    ascii_only = text.isascii() and b"\\u" in text and _ESCAPED_NON_ASCII.search(text) is not None
    head = _STRING.sub(b'""', text[:min(end, _HEAD)])  # strings hold no layout (nor raw line ends)
    first_break = head.find(b"\n")
    key = _KEY_SEPARATOR.search(head)
    key_separator = (key[1] + b":" + key[2]).decode("ascii") if key else None
    if first_break < 0:  # one line: its separators say which writer it is
        item = _ITEM_SEPARATOR.search(head)
        item_separator = "," + item[1].decode("ascii") if item else None
        spaced = (item_separator or key_separator or ":").endswith(" ")  # what the other one tells
        return JsonStyle(None, item_separator or (", " if spaced else ","), key_separator or (": " if spaced else ":"),
                         "\n", ending, ascii_only)
    newline = "\r\n" if head[first_break - 1:first_break] == b"\r" else "\n"
    lines = head.split(b"\n")
    if end > _HEAD:
        lines.pop()  # (cut by the head's end)
    indent = _indent_unit(lines, newline == "\r\n")
    item = _LINE_END_ITEM_SEPARATOR.search(head)
    item_separator = "," + item[1].decode("ascii") if item else ","
    if indent is None or key_separator is None:
        return JsonStyle("  ", ",", ": ", newline, ending, ascii_only)
    return JsonStyle(indent, item_separator, key_separator, newline, ending, ascii_only)


def _indent_unit(lines: list[bytes], crlf: bool) -> str | None:
    """The indentation of one level, when every line of *lines* (the first is the opening
    bracket alone) is indented by a whole number of it, one level deeper at most than the line
    before; None otherwise."""
    if crlf:
        lines = [line[:-1] if line.endswith(b"\r") else line for line in lines]
    if len(lines) < 2 or lines[0] not in (b"{", b"["):
        return None
    second = lines[1]
    unit = second[:len(second) - len(second.lstrip(b" \t"))]
    if unit.strip(b" ") and unit.strip(b"\t"):  # tabs and spaces mixed
        return None
    depth = 0
    for line in lines[1:]:
        body = line.lstrip(b" \t")
        if not body:
            return None  # a blank line: no writer's indentation
        margin = line[:len(line) - len(body)]
        level = len(margin) // len(unit) if unit else 0
        if margin != unit * level or level > depth + 1:
            return None
        depth = level
    return unit.decode("ascii")


def dumps_styled(doc: Any, style: JsonStyle) -> bytes:
    """*doc* as UTF-8 JSON in *style* (key order kept)."""
    if style == DEFAULT:
        try:
            return orjson.dumps(doc, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
        except TypeError:
            pass
    body = _body(doc, style)
    if style.ascii_only and not body.isascii():
        body = _NON_ASCII.sub(_escaped, body.decode("utf-8")).encode("ascii")
    if style.newline != "\n":
        body = body.replace(b"\n", style.newline.encode("ascii"))  # (JSON strings hold no raw line end)
    return body + style.ending.encode("ascii")


def dumps_like(doc: Any, raw: bytes, name: str = "") -> bytes:
    """*doc* as UTF-8 JSON formatted as the JSON text *raw* (of the file *name*) is: see
    :func:`style_of`."""
    return dumps_styled(doc, style_of(raw, name))


def _body(doc: Any, style: JsonStyle) -> bytes:
    """The document without its ending, through orjson when it can write the style."""
    separators = (style.item_separator, style.key_separator)
    try:
        if style.indent is None and separators == (",", ":"):
            return orjson.dumps(doc)
        if style.indent is not None and separators == (",", ": "):
            data = orjson.dumps(doc, option=orjson.OPT_INDENT_2)
            return data if style.indent == "  " else _reindented(data, style.indent.encode("ascii"))
    except TypeError:  # integers beyond 64 bits, lone surrogates: the standard library writes them
        pass
    try:
        return json.dumps(doc, indent=style.indent, separators=separators, ensure_ascii=style.ascii_only).encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates (only possible in documents built in Python)
        return json.dumps(doc, indent=style.indent, separators=separators, ensure_ascii=True).encode("ascii")


def _reindented(data: bytes, unit: bytes) -> bytes:
    """orjson's 2-space indentation replaced by *unit* per level: each level becomes a tab,
    deepest first (a raw tab is in no JSON string), then each tab the unit."""
    depth = 1
    while b"\n" + b"  " * (depth + 1) in data:
        depth += 1
    for level in range(depth, 0, -1):
        data = data.replace(b"\n" + b"  " * level, b"\n" + b"\t" * level)
    return data if unit == b"\t" else data.replace(b"\t", unit)


def _escaped(match: re.Match) -> str:
    """A character beyond ASCII as JSON writes it escaped (a surrogate pair beyond U+FFFF)."""
    code = ord(match[0])
    if code > 0xFFFF:
        code -= 0x10000
        return "\\u%04x\\u%04x" % (0xD800 | (code >> 10), 0xDC00 | (code & 0x3FF))
    return "\\u%04x" % code


__all__ = ["JsonStyle", "DEFAULT", "MINIFIED", "style_of", "dumps_styled", "dumps_like"]
