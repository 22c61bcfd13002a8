"""The error types the library raises. Every one carries a message a user can act on."""
from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def one_line(text: str) -> str:
    """*text* with control characters escaped (a newline as \\n, ESC as \\x1b): a file name or
    href that holds them must not break an error line in two or drive the terminal."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


class TranslatorError(Exception):
    """Base class of every error the translator raises on purpose."""

    def __init__(self, message: str, *, source: str | None = None, pointer: str | None = None):
        super().__init__(message)
        self.message = message
        self.source = source
        self.pointer = pointer

    @property
    def detail(self) -> str:
        """The message after the JSON pointer it is about (callers name the file)."""
        return f"{self.pointer}: {self.message}" if self.pointer else self.message

    def __str__(self) -> str:
        where = ": ".join(p for p in (self.source, self.pointer) if p)
        return f"{where}: {self.message}" if where else self.message


class MappingError(TranslatorError):
    """A mapping table is malformed or breaks a rule of the mapping format (raised at load)."""


class MappingFaults(MappingError):
    """Every fault found in one table file (``faults``, each a MappingError); reads as the first,
    with a count of the others (``stacml tables`` lists them all)."""

    def __init__(self, faults: list[MappingError]):
        first = faults[0]
        more = f" (and {len(faults) - 1} more fault(s) in this file; `stacml tables` lists them)" \
            if len(faults) > 1 else ""
        super().__init__(first.message + more, source=first.source, pointer=first.pointer)
        self.faults = faults


class DocumentError(TranslatorError):
    """A document cannot be read or is not a STAC Item/Collection the translator can handle."""


class NoExtensionError(DocumentError):
    """The document carries no supported ML extension."""


class UnsupportedTarget(TranslatorError):
    """The requested target extension or version is not known."""


class SchemaNotFound(TranslatorError):
    """No usable JSON Schema is known for a URI (neither in --schemas dirs, the cache nor the package)."""

    def __init__(self, uri: str, message: str | None = None, *, source: str | None = None):
        self.uri = uri
        super().__init__(
            message
            or f"no schema for {uri} in the schema store; fetch it with `stacml schemas pull {uri}` "
            "or point --schemas DIR (or STACML_SCHEMAS) at a folder that contains it",
            source=source,
        )


class SchemaUnreadable(SchemaNotFound):
    """A schema file exists for the URI but cannot be used (not valid JSON, or not a valid JSON Schema)."""
