"""The bytes of a document as UTF-8 text, which JSON is (RFC 8259): a byte order mark is read
past, and text in another encoding is named as such rather than as a syntax error at line 1,
or read with replacement characters (which would change its strings without a word)."""
from __future__ import annotations

_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))

_REENCODE = "re-encode it as UTF-8, e.g. with iconv -f latin1 -t utf-8"


def without_bom(raw: bytes) -> bytes:
    """JSON text with a byte order mark (as some Windows tools write it) read as UTF-8 without it:
    the mark says nothing about the document (RFC 8259 lets a parser ignore it)."""
    if raw[:1] not in (b"\xef", b"\xff", b"\xfe", b"\x00"):
        return raw
    for mark, encoding in _BOMS:
        if raw.startswith(mark):
            try:
                return raw[len(mark):].decode(encoding).encode("utf-8")
            except UnicodeError:
                return raw
    return raw


def encoding_fault(raw: bytes, first_line: int = 1) -> str | None:
    """Why *raw* is not UTF-8 text, naming the first byte that is not (by its line in the file,
    *raw* starting at *first_line*); None when it is. Called once a parser has refused the text
    (or before a lenient reading), never on the fast path."""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + first_line
        column = exc.start - raw.rfind(b"\n", 0, exc.start)
        return f"not UTF-8 text: byte 0x{raw[exc.start]:02X} at line {line} column {column} ({_REENCODE})"
    if b"\x00" in raw[:4]:  # every JSON text starts with an ASCII character: UTF-16 or UTF-32
        return "UTF-16 or UTF-32 text without a byte order mark, not UTF-8 (re-encode it as UTF-8, e.g. with iconv)"
    return None
