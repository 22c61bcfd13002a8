"""The JSON formatting of a file (indentation, separators, line ends, final newline, escaped
non-ASCII text), told from its first lines (512 bytes), and documents written the same way: a translated
file in a catalog kept in git differs from its input only where the translation changed it.

    from translator.json_style import dumps_like, style_of
    data = dumps_like(result.document, raw)   # the translation, formatted as *raw* was

What is not a formatting a JSON writer produces falls back to the closest one: an
indentation that is not a whole number of one unit (the second line's margin: spaces, or
tabs) on every one of the first lines is written with 2 spaces, and so is a file whose first
line is more than its opening bracket (comments before that bracket, in a file read with
``--lenient-json``, are passed over); a byte order mark is not written back (JSON text must not begin with one); CRLF line
ends are kept; the whitespace after the last bracket is kept as it is. Numbers are written as
every output is (the shortest form that reads back the same), whatever the input's form.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from typing import Any

import orjson

_YAML_SUFFIXES = (".yml", ".yaml")
_BOM = b"\xef\xbb\xbf"
_HEAD = 512  # bytes looked at: the first lines are enough to tell a writer's formatting
_STRING = rb'"[^"\\\n]*(?:\\.[^"\\\n]*)*"'
# a one-line file's first key, its separator, and the separator after a first value that is no object or array
_FIRST_PAIR = re.compile(rb'[{\[][ \t]*(?:\{[ \t]*)?' + _STRING + rb'([ \t]*):([ \t]*)(?:(?:' + _STRING
                         + rb'|[-+.\w]+)([ \t]*),([ \t]*))?')
_KEY_SEPARATOR = re.compile(rb'"([ \t]*):([ \t]*)(?=[^ \t\r\n])')
_LINE_END_ITEM_SEPARATOR = re.compile(rb",([ \t]*)\r?\n")
# a \u escape of a character beyond ASCII: the file was written with non-ASCII text escaped
_ESCAPED_NON_ASCII = re.compile(rb"\\u(?:00[89a-fA-F][0-9a-fA-F]|0[1-9a-fA-F][0-9a-fA-F]{2}|[1-9a-fA-F][0-9a-fA-F]{3})")
_NON_ASCII = re.compile("[^\x00-\x7f]")
_MARGIN = re.compile(rb"[ \t]*")
# comments before the opening bracket (a file --lenient-json reads): its layout is told after them
_LEADING_COMMENTS = re.compile(rb"(?:[ \t\r\n]*(?://[^\n]*|/\*.*?\*/))+[ \t\r]*\n?", re.S)
_UNEVEN: dict[bytes, re.Pattern] = {}  # a unit of indentation -> a line whose margin is no whole number of it


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


def style_of(raw: bytes, name: str = "") -> JsonStyle:
    """The formatting of the JSON text *raw*, from its first lines (and, for escaped non-ASCII
    text, one scan of an ASCII-only file). Never fails: what is not JSON text is DEFAULT, and so
    is a file *name*d as YAML (its translation is JSON in the usual formatting)."""
    style = _layout(raw, name)
    if style is None:
        return DEFAULT
    return replace(style, ascii_only=True) if _escapes_non_ascii(raw) else style


def _escapes_non_ascii(raw: bytes) -> bool:
    return raw.isascii() and b"\\u" in raw and _ESCAPED_NON_ASCII.search(raw) is not None


def _layout(raw: bytes, name: str) -> JsonStyle | None:
    """The style of *raw* but for escaped non-ASCII text (None: no JSON text)."""
    if name.lower().endswith(_YAML_SUFFIXES):
        return None
    text = raw[3:] if raw[:3] == _BOM else raw
    if text[:1] == b"/":
        comments = _LEADING_COMMENTS.match(text)
        text = text[comments.end():] if comments else text
    if text[:1] not in (b"{", b"["):
        return None
    end = len(text)
    while end and text[end - 1] in b" \t\r\n":  # (only the trailing whitespace is looked at)
        end -= 1
    ending = text[end:].decode("ascii")
    head = text[:min(end, _HEAD)]
    first_break = head.find(b"\n")
    if first_break < 0:  # one line: the separators after its first key say which writer it is
        pair = _FIRST_PAIR.match(head)
        key_separator = (pair[1] + b":" + pair[2]).decode("ascii") if pair else None
        item_separator = "," + pair[4].decode("ascii") if pair and pair[4] is not None else None
        spaced = (item_separator or key_separator or ":").endswith(" ")  # what the other one tells
        return JsonStyle(None, item_separator or (", " if spaced else ","), key_separator or (": " if spaced else ":"),
                         "\n", ending)
    # indented: a string holds no raw line end, so a line's margin and a comma ending a line are
    # outside strings, and the first key (on the second line or soon after) comes before any value
    newline = "\r\n" if head[first_break - 1:first_break] == b"\r" else "\n"
    if end > len(head):
        head = head[:head.rfind(b"\n")]  # (whole lines)
    indent = _indent_unit(head, first_break)
    key = _KEY_SEPARATOR.search(head)
    if indent is None or key is None:
        return JsonStyle("  ", ",", ": ", newline, ending)
    item = _LINE_END_ITEM_SEPARATOR.search(head)
    style = JsonStyle(indent, "," + item[1].decode("ascii") if item else ",", (key[1] + b":" + key[2]).decode("ascii"),
                      newline, ending)
    return DEFAULT if style == DEFAULT else style  # (DEFAULT is written the fastest way)


def _indent_unit(head: bytes, first_break: int) -> str | None:
    """The indentation of one level: the margin of the second line, when the first is the
    opening bracket alone and every line's margin is a whole number of it (spaces, or tabs);
    None otherwise."""
    if head[:first_break].rstrip(b"\r") not in (b"{", b"["):
        return None
    unit = _MARGIN.match(head, first_break + 1)[0]
    if unit == b"  ":  # (what an uneven indentation falls back to anyway)
        return "  "
    if len(unit) > 16 or (unit.strip(b" ") and unit.strip(b"\t")):  # tabs and spaces mixed
        return None
    uneven = _UNEVEN.get(unit)
    if uneven is None:
        unit_re = re.escape(unit)  # (no backtracking into fewer whole units)
        uneven = _UNEVEN[unit] = re.compile(rb"\n(?:%s)*(?!%s)[ \t]" % (unit_re, unit_re) if unit else rb"\n[ \t]")
    return None if uneven.search(head) else unit.decode("ascii")


def dumps_styled(doc: Any, style: JsonStyle) -> bytes:
    """*doc* as UTF-8 JSON in *style* (key order kept)."""
    if style is DEFAULT or style == DEFAULT:
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
    style = _layout(raw, name)
    data = dumps_styled(doc, style or DEFAULT)
    # whether the input escaped non-ASCII text matters only when the output has some
    if style is not None and not data.isascii() and _escapes_non_ascii(raw):
        return dumps_styled(doc, replace(style, ascii_only=True))
    return data


def _body(doc: Any, style: JsonStyle) -> bytes:
    """The document without its ending, through orjson when it can write the style."""
    separators = (style.item_separator, style.key_separator)
    try:
        if style.indent is None and separators == (",", ":"):
            return orjson.dumps(doc)
        if style.indent is not None and separators == (",", ": "):
            data = orjson.dumps(doc, option=orjson.OPT_INDENT_2)
            if style.indent == "  ":
                return data
            unit = style.indent.encode("ascii")
            if b"  " not in orjson.dumps(doc):  # no string holds two spaces: only margins do, one pass
                return data.replace(b"  ", unit)
            return _reindented(data, unit)
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


__all__ = ["JsonStyle", "DEFAULT", "style_of", "dumps_styled", "dumps_like"]
