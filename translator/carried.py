"""What the target refuses of the fields a half-migrated document carries as they are
(translator/conflicts.py): their values are checked against the project's description of the
target at its version, the same way the MLM writer checks the mlm:input it writes
(transforms/mlm_checked.py): ``translator/schemas/mlm/fields.json`` and
``translator/schemas/ml-model/fields.json`` (field types, closed vocabularies, the fields an
asset may not have, MLM's artifact type on the model asset only), the shipped dlm and tdml
schemas as they are. Only documents that carry target fields are checked."""
from __future__ import annotations

import functools

from .pointer import covers, join
from .schemastore import PACKAGE_SCHEMAS, SchemaStore
from .transforms.schema_check import errors, quoted

# the project's description of each target: (schema id, the fragment of a version's definition;
# None: the target's own schema, as shipped)
_DESCRIPTIONS = {"mlm": ("https://stacml.dev/schemas/mlm-fields/v1.json", "#/definitions/v{version}"),
                 "ml-model": ("https://stacml.dev/schemas/ml-model-fields/v1.json", "#/definitions/v{version}")}


@functools.lru_cache(maxsize=None)
def _store() -> SchemaStore:
    return SchemaStore([("package", PACKAGE_SCHEMAS)])  # the project's own, whatever a cache holds


@functools.lru_cache(maxsize=None)
def _validator(target, version: str):
    """The validator of *target*'s description at *version* (None: the project has none)."""
    from .errors import SchemaNotFound, SchemaUnreadable
    from .validation import part_validator, validator_for
    described = _DESCRIPTIONS.get(target.name)
    try:
        if described:
            return part_validator(described[0] + described[1].format(version=version), _store())
        return validator_for(target.write_uri(version), _store())
    except (SchemaNotFound, SchemaUnreadable, ValueError):
        return None  # (a user table's extension: its move rules' types are checked, conflicts.py)


def refused(out: dict, target, version: str, carried: dict[str, tuple[object, str]]) -> dict[str, str]:
    """{pointer: what *target* *version* wants there} for each of the *carried* fields (pointer:
    (value, how it came there)) that the output holds at the same place and that the description
    refuses (one validation of the output for all of them)."""
    validator = _validator(target, version)
    if validator is None or not carried:
        return {}
    found: dict[str, str] = {}
    for error in errors(validator, out):
        where = join(error.instance_path)
        for pointer, (value, how) in carried.items():
            if covers(pointer, where) and pointer not in found:
                found[pointer] = _why(error, target, version, pointer, where, value, how)
    return found


def _why(error, target, version: str, pointer: str, where: str, value, how: str) -> str:
    wanted = _description(target, version, list(error.schema_path))
    inside = f" (at {where[len(pointer):]} of it)" if where != pointer else ""
    said = f"wants {wanted}" if wanted else f"refuses it: {error.message}"
    return f"{quoted(value)}, {how}, where {target.name} {version} {said}{inside}"


def _description(target, version: str, path: list) -> str | None:
    """The description of the schema node that refused the value, or of the nearest above it
    (local references followed; a path into another schema finds none: the error's message)."""
    described = _DESCRIPTIONS.get(target.name)
    uri = described[0] if described else target.write_uri(version)
    try:
        root = _store().resolve(uri)
    except Exception:  # (the validator compiled, so the schema is there; never fail a translation on it)
        return None
    node = root  # (the path is from the root of the schema that refused it)
    found = None  # (the root's own description says what the whole schema is: not used)
    for token in path:
        if token == "$ref":  # (the walk follows the reference below)
            continue
        if type(node) is dict and token in node:
            node = node[token]
        elif type(node) is list and type(token) is int and token < len(node):
            node = node[token]
        else:
            return found
        while type(node) is dict and type(node.get("$ref")) is str:
            if not node["$ref"].startswith("#/"):
                return found
            node = _local(root, node["$ref"])
        if type(node) is dict and type(node.get("description")) is str:
            found = node["description"]
    return found


def _local(root: dict, ref: str):
    node = root
    for token in ref[2:].split("/"):
        node = node.get(token.replace("~1", "/").replace("~0", "~")) if type(node) is dict else None
    return node
