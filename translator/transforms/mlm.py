"""Transforms specific to MLM."""
from __future__ import annotations

import re

from . import value_transform

_BAD = re.compile(r"[^a-zA-Z0-9_.\-\s]+")
_LEADING = re.compile(r"^[^a-zA-Z]+")
_TRAILING = re.compile(r"[^a-zA-Z0-9]+$")


@value_transform("mlm-name", lossy="model names are reduced to the characters mlm:name allows")
def mlm_name(value):
    """Any title or id -> a string matching ^[a-zA-Z][a-zA-Z0-9_.\\-\\s]+[a-zA-Z0-9]$."""
    text = _BAD.sub("-", str(value)).strip()
    text = _TRAILING.sub("", _LEADING.sub("", text))
    if len(text) < 3:
        text = ("model-" + text) if text else "model"
    return text
