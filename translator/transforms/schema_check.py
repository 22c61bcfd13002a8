"""What the writers' schema checks share (dlm_checked.py, mlm_checked.py): one validator call for
a value that passes, the errors of one that does not however deeply it is nested, and a value
quoted in a loss reason."""
from __future__ import annotations

import json

# Deeper than any object of the project's schemas (dlm:data/useful_bands/N/name is 3 levels below
# its field, mlm:input/N/value_scaling/M/value 4): a value is refused above this depth already,
# wherever it is deeper.
DEPTH = 8


def valid(validator, instance) -> bool:
    try:
        return validator.is_valid(instance)
    except ValueError:  # nested too deeply for the validator (a value of thousands of levels)
        return False


def errors(validator, value) -> list:
    """The validator's errors for *value*; for one nested too deeply for it, as far as the schema
    goes; for one holding half of a UTF-16 surrogate pair (a document built in Python), as if that
    text were escaped (the validator cannot quote such text in an error: it fails instead)."""
    try:
        return list(validator.iter_errors(value))
    except ValueError:  # (UnicodeEncodeError is one)
        return list(validator.iter_errors(_shallow(value, DEPTH)))


def _shallow(value, depth: int):
    """*value* with what lies *depth* levels below it emptied and its lone surrogates escaped: for
    the validator only."""
    if type(value) is dict:
        return {_text(k): _shallow(v, depth - 1) for k, v in value.items()} if depth else {}
    if type(value) is list:
        return [_shallow(v, depth - 1) for v in value] if depth else []
    return _text(value) if type(value) is str else value


def _text(text: str) -> str:
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def as_json(value) -> str:  # (json, not orjson: a source integer may exceed 64 bits)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


def quoted(value) -> str:
    """*value* as JSON, cut to 60 characters."""
    text = as_json(value)
    return text if len(text) <= 60 else text[:57] + "..."
