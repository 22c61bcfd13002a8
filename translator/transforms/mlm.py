"""Transforms specific to MLM."""
from __future__ import annotations

import re

from . import value_transform

_BAD = re.compile(r"[^a-zA-Z0-9_.\-\s]+")


@value_transform("mlm-name", lossy="model names are reduced to the characters mlm:name allows")
def mlm_name(value):
    """Any title or id -> a string matching ^[a-zA-Z][a-zA-Z0-9_.\\-\\s]+[a-zA-Z0-9]$."""
    text = _BAD.sub("-", str(value)).strip()
    text = re.sub(r"^[^a-zA-Z]+", "", text)
    text = re.sub(r"[^a-zA-Z0-9]+$", "", text)
    if len(text) < 3:
        text = ("model-" + text) if text else "model"
    return text
