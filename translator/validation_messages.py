"""Validation errors shaped for people: the branch of a failed ``oneOf``/``anyOf`` that got
furthest, one-line messages, and what a ``contains`` or an offline stub actually wanted."""
from __future__ import annotations

import json

import jsonschema_rs

from translator.errors import SchemaNotFound
from translator.schemastore import SchemaStore, canonical_uri

_SHORT_LIMIT = 60


def leaves(err, depth: int = 0) -> list:
    """Replace a failed ``oneOf``/``anyOf`` by the errors of the branch that got furthest.

    A branch that failed on a ``const`` at a ``type`` member (``type: const Collection`` in an
    Item/Collection ``oneOf``) is a discriminator mismatch and ranks last; otherwise the branch whose
    shallowest error is deepest wins (the Item branch fails inside ``properties``, the Collection branch
    at ``/type``). Ties keep the combinator error, as no branch is clearly the intended one. (A ``const``
    elsewhere, such as an asset's ``ml-model:type: 7``, is an error of the branch like any other: it once
    sent an Item's errors to the Collection branch, reported as '"Collection" was expected' at /type.)
    """
    kind = err.kind
    if depth < 16 and isinstance(kind, (jsonschema_rs.ValidationErrorKind.OneOfNotValid,
                                        jsonschema_rs.ValidationErrorKind.AnyOf)):
        scored = sorted((_branch_score(b), i) for i, b in enumerate(kind.context) if b)
        if scored and (len(scored) == 1 or scored[-1][0] != scored[-2][0]):
            best = kind.context[scored[-1][1]]
            return [leaf for e in best for leaf in leaves(e, depth + 1)]
    return [err]


def _branch_score(errors) -> tuple:
    no_const = not any(isinstance(e.kind, jsonschema_rs.ValidationErrorKind.Constant)
                       and list(e.instance_path)[-1:] == ["type"] for e in errors)
    return (no_const, min(len(e.instance_path) for e in errors), -len(errors))


def branch_hint(err, stubs, store) -> str:
    # For a combinator error that could not be narrowed down, say why each alternative failed.
    context = getattr(err.kind, "context", None)
    if not context or not isinstance(err.kind, (jsonschema_rs.ValidationErrorKind.OneOfNotValid,
                                                jsonschema_rs.ValidationErrorKind.AnyOf)):
        return ""
    reasons = []
    for branch in context:
        if branch:  # the `const` mismatch, when there is one, tells which alternative this was
            pick = next((e for e in branch if isinstance(e.kind, jsonschema_rs.ValidationErrorKind.Constant)),
                        branch[0])
            reasons.append(f"{pointer(pick.instance_path) or '(root)'}: {message(pick, stubs, store)}")
    reasons = list(dict.fromkeys(reasons))[:6]
    return f" (alternatives failed with: {'; '.join(reasons)})" if reasons else ""


def _subschema(location: str | None, store: SchemaStore):
    """The schema node at an absolute keyword location (``uri#/json/pointer``), or None."""
    if not location:
        return None
    uri, _, fragment = location.partition("#")
    try:
        node = store.resolve(uri)
        for token in filter(None, fragment.split("/")):
            token = token.replace("~1", "/").replace("~0", "~")
            node = node[int(token)] if isinstance(node, list) else node[token]
    except (SchemaNotFound, KeyError, IndexError, ValueError, TypeError):
        return None
    return node


def pointer(path) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "), default=str)


def _short(value) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    return text if len(text) <= _SHORT_LIMIT else text[: _SHORT_LIMIT - 3] + "..."


def message(err, stubs: tuple[str, ...], store: SchemaStore) -> str:
    kind = err.kind
    kinds = jsonschema_rs.ValidationErrorKind
    short = _short(err.instance)
    if isinstance(kind, kinds.FalseSchema):
        location = (err.absolute_keyword_location or "").partition("#")[0]
        if location and canonical_uri(location) in stubs:
            return f"cannot be checked: it must match {location}, which is not available offline"
        why = _comment_at(store, err.absolute_keyword_location or "")
        return f"{short} is not allowed here" + (f" (the schema says: {why})" if why else "")
    if isinstance(kind, kinds.Enum):
        return f"{short} is not one of {_json(kind.options)}"  # jsonschema_rs abbreviates long lists
    if isinstance(kind, kinds.OneOfNotValid):
        return f"{short} is not valid under any of the schemas listed in the 'oneOf' keyword"
    if isinstance(kind, kinds.OneOfMultipleValid):
        return f"{short} is valid under more than one of the schemas listed in the 'oneOf' keyword"
    if isinstance(kind, kinds.Contains):
        # jsonschema_rs says "None of [...] are valid under the given schema"; name the wanted value
        # (MLM and most extensions require their own URL in `stac_extensions` this way).
        wanted = _subschema(err.absolute_keyword_location, store)
        if isinstance(wanted, dict) and "const" in wanted:
            return f"{short} does not contain {_json(wanted['const'])}"
        return f"{short} does not contain any item valid under the 'contains' schema"
    if isinstance(kind, kinds.AnyOf):
        return f"{short} is not valid under any of the schemas listed in the 'anyOf' keyword"
    text = err.message
    full = json.dumps(err.instance, ensure_ascii=False, separators=(",", ":"), sort_keys=True, default=str)
    if len(full) > _SHORT_LIMIT and full in text:
        text = text.replace(full, short, 1)  # keep messages one line long
    return text


def _comment_at(store: SchemaStore, location: str) -> str:
    """The last ``$comment`` on the way to *location* (``uri#/pointer``) in its schema: why a
    place is forbidden, as schemas with if/then branches say it ("bands are not allowed ...")."""
    uri, _, pointer = location.partition("#")
    try:
        node = store.resolve(uri)
    except Exception:  # a schema the store cannot give: the message goes without its comment
        return ""
    found = ""
    for token in pointer.split("/")[1:]:
        if type(node) is dict and type(node.get("$comment")) is str:
            found = node["$comment"]
        token = token.replace("~1", "/").replace("~0", "~")
        node = node.get(token) if type(node) is dict else node[int(token)] if type(node) is list \
            and token.isdigit() and int(token) < len(node) else None
        if node is None:
            break
    return found.strip()
