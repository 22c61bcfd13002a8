"""JUnit XML reports (``stacml validate`` and ``stacml audit --format junit``), always well-formed:
a document's keys and values may hold characters XML 1.0 cannot carry (U+0000-U+001F other than
tab and line breaks, U+FFFE, U+FFFF, lone surrogates); they are written escaped, as ``\\x01``, the
way error lines escape them."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """*text* with each character XML 1.0 forbids written as its Python escape."""
    return _NOT_XML.sub(lambda m: repr(m.group())[1:-1], text)


def junit_document(root: ET.Element) -> str:
    """The XML text of the report *root*, its texts and attributes made fit for XML first."""
    for element in root.iter():
        if element.text:
            element.text = xml_text(element.text)
        for name, value in list(element.attrib.items()):
            element.set(name, xml_text(value))
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
