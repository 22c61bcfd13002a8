"""Documents generated from the extension schemas: the official ml-model 1.0.0 and MLM 1.5.2 schemas
and the project's dlm and tdml schemas, wrapped in STAC Items and Collections.

hypothesis-jsonschema draws every value that is not a JSON object (strings with their patterns,
bounded numbers, enums, arrays of those). Objects are assembled here from their property schemas
(`$ref`s resolved against the same schema or, for remote ones, the official copies in
../shared/specs), because hypothesis-jsonschema 0.23 cannot draw objects with the hypothesis
version installed (its object strategy calls an internal API hypothesis removed). Cross-field
rules the schemas state with if/then/not (MLM: a `bands` or `variables` dimension iff bands or
variables are listed, variables described as datacube variables, the model asset and its artifact
type) are met by the envelope built in `schema_document`.
"""
from __future__ import annotations

import functools
import json
import re
import warnings

from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from conftest import SPECS, ROOT, specs_store

SCHEMAS = {
    "ml-model": ("https://stac-extensions.github.io/ml-model/v1.0.0/schema.json",
                 SPECS / "ml-model/1.0.0/schema.json"),
    "mlm": ("https://stac-extensions.github.io/mlm/v1.5.2/schema.json", SPECS / "mlm/1.5.2/schema.json"),
    "dlm": ("https://schemas.stacspec.org/v1.0.0-beta.3/extensions/dl-model/json-schema/schema.json",
            ROOT / "translator/schemas/dlm/v1.0.0-beta.3/schema.json"),
    "tdml": ("https://stac-extensions.github.io/trainingdml-ai/v1.0.0/schema.json",
             ROOT / "translator/schemas/tdml/v1.0.0/schema.json"),
    "dlm-beta2": ("https://schemas.stacspec.org/v1.0.0-beta.2/extensions/dl-model/json-schema/schema.json",
                  ROOT / "translator/schemas/dlm/v1.0.0-beta2/schema.json"),
}
# the schemas an extension's documents are drawn from (DLM: beta.3 and beta2 spellings)
VARIANTS = {"dlm": ("dlm", "dlm-beta2")}
# where each schema defines its fields (a JSON pointer into the schema) and what an Item requires
FIELDS = {
    "ml-model": ("/definitions/common_fields", ["ml-model:type", "ml-model:learning_approach",
                                                "ml-model:prediction_type", "ml-model:architecture"]),
    "mlm": ("/$defs/fields", ["mlm:name", "mlm:architecture", "mlm:tasks", "mlm:input", "mlm:output"]),
    "dlm": ("/definitions/item_properties", ["dlm:inputs", "dlm:outputs", "dlm:runtime", "dlm:architecture"]),
    "tdml": ("/definitions/fields", []),
}
FIELDS["dlm-beta2"] = FIELDS["dlm"]
MLM_ASSET_ONLY = ("mlm:artifact_type", "mlm:compile_method", "mlm:entrypoint")
MAX_ITEMS = 3
# keys not drawn (none at present: MLM `variables` are described by the envelope's datacube fields)
SKIPPED: tuple = ()
DATACUBE = "https://stac-extensions.github.io/datacube/v2.3.0/schema.json"
CLASSIFICATION = "https://stac-extensions.github.io/classification/v1.1.0/schema.json"
ANNOTATIONS = ("$comment", "description", "title", "examples", "default")
CONSTRAINING = {"type", "enum", "const", "allOf", "anyOf", "oneOf", "properties", "items", "pattern"}
ANY_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=10),
                        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                        max_leaves=6)


@functools.lru_cache(maxsize=None)
def _document(uri: str) -> dict:
    for local_uri, path in SCHEMAS.values():
        if uri.rstrip("#") == local_uri:
            import orjson
            return orjson.loads(path.read_bytes())
    return specs_store().resolve(uri)


def _at(doc: dict, pointer: str):
    node = doc
    for token in filter(None, pointer.split("/")):
        node = node[token.replace("~1", "/").replace("~0", "~")]
    return node


def _deref(schema, base: str):
    """Follow `$ref`s until a schema without one; returns (schema, its document URI)."""
    while isinstance(schema, dict) and "$ref" in schema:
        ref = schema["$ref"]
        doc_part, _, fragment = ref.partition("#")
        base = doc_part or base
        target = _at(_document(base), fragment)
        extra = {k: v for k, v in schema.items() if k != "$ref"}
        schema = {"allOf": [target, extra]} if extra and set(extra) - {"$comment", "description", "title"} else target
    return schema, base


def _merge(branches: list, base: str) -> dict:
    """allOf of object schemas as one: properties combined, required united; if/then/else and
    `not` dropped (the envelope meets those rules)."""
    merged: dict = {}
    for branch in branches:
        branch, _ = _deref(branch, base)
        if branch is True or branch == {}:
            continue
        if "allOf" in branch:
            branch = {**{k: v for k, v in branch.items() if k != "allOf"}, **_merge(branch["allOf"], base)}
        for key, value in branch.items():
            if key == "properties":
                props = merged.setdefault("properties", {})
                for name, sub in value.items():
                    props[name] = {"allOf": [props[name], sub]} if name in props else sub
            elif key == "required":
                merged["required"] = sorted(set(merged.get("required", [])) | set(value))
            elif key == "type" and "type" in merged:
                ours = merged["type"] if isinstance(merged["type"], list) else [merged["type"]]
                theirs = value if isinstance(value, list) else [value]
                both = [t for t in ours if t in theirs]
                merged["type"] = both[0] if len(both) == 1 else both
            elif key not in ("if", "then", "else", "not", "$comment", "description", "title", "dependencies"):
                merged.setdefault(key, value)
    return merged


def strategy(schema, base: str) -> st.SearchStrategy:
    """A strategy for the values `schema` allows (its `$ref`s relative to the document `base`)."""
    return _strategy(_key(schema), base)


def _key(schema):
    import json
    return json.dumps(schema, sort_keys=True)  # json, not orjson: drawn integers may exceed 64 bits


@functools.lru_cache(maxsize=None)
def _strategy(key: str, base: str) -> st.SearchStrategy:
    import orjson
    schema, base = _deref(orjson.loads(key), base)
    if isinstance(schema, dict):
        schema = {k: v for k, v in schema.items() if k not in ANNOTATIONS}
    if schema is True or schema == {} or (isinstance(schema, dict) and not set(schema) & CONSTRAINING):
        return ANY_JSON
    if "allOf" in schema:
        return strategy({**{k: v for k, v in schema.items() if k != "allOf"}, **_merge(schema["allOf"], base)}, base)
    for word in ("oneOf", "anyOf"):
        if word in schema:
            rest = {k: v for k, v in schema.items() if k != word}
            branches = [strategy({"allOf": [rest, b]} if rest else b, base) for b in schema[word]]
            if word == "oneOf":  # branches may overlap: keep values only one of them accepts
                return st.one_of(branches).filter(functools.partial(_one_match, schema, base))
            return st.one_of(branches)
    types = schema.get("type")
    if isinstance(types, list):
        return st.one_of([strategy({**schema, "type": t}, base) for t in types])
    if types == "object" or "properties" in schema or "additionalProperties" in schema or "patternProperties" in schema:
        return _object(schema, base)
    if types == "array" and "items" in schema and _has_object(schema["items"], base):
        items = strategy(schema["items"], base)
        size = schema.get("minItems", 0)
        return st.lists(items, min_size=size, max_size=max(size, min(schema.get("maxItems", MAX_ITEMS), MAX_ITEMS)),
                        unique_by=_key if schema.get("uniqueItems") else None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        leaf = from_schema(_ecma(_inline(schema, base)))
    if "pattern" in key:  # Python's \\d and \\s match more than the validators' (ECMA-262) ones
        return leaf.filter(functools.partial(_matches, key))
    return leaf


ECMA_CLASSES = {r"\d": "0-9", r"\s": "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"}


def _ecma(schema):
    """Patterns with \\d and \\s spelt as the ECMA-262 classes, so that Python draws what validators accept."""
    if isinstance(schema, list):
        return [_ecma(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: _ecma(v) for k, v in schema.items()}
    if isinstance(schema.get("pattern"), str):
        pattern = schema["pattern"]
        for short, chars in ECMA_CLASSES.items():
            pattern = re.sub(r"\[([^\]]*)\]", lambda m: "[" + m.group(1).replace(short, chars) + "]", pattern)
            pattern = re.sub(r"(?<!\\)" + re.escape(short), "[" + chars + "]", pattern)
        if pattern.endswith("$") and not pattern.endswith("\\$"):  # Python's $ also matches before a final newline
            pattern = pattern[:-1] + "\\Z"
        out["pattern"] = pattern
    return out


def _matches(key: str, value) -> bool:
    import jsonschema_rs
    import orjson
    return jsonschema_rs.validator_for(_inline(orjson.loads(key), "")).is_valid(value)


def _one_match(schema, base, value) -> bool:
    return _compiled(_key(schema), base).is_valid(value)


@functools.lru_cache(maxsize=None)
def _compiled(key: str, base: str):
    import jsonschema_rs
    return jsonschema_rs.validator_for(_inline(json.loads(key), base))


def _has_object(schema, base: str) -> bool:
    schema, base = _deref(schema, base)
    if not isinstance(schema, dict):
        return False
    if schema.get("type") == "object" or "properties" in schema:
        return True
    return any(_has_object(b, base) for w in ("oneOf", "anyOf", "allOf") for b in schema.get(w, []))


def _inline(schema, base: str):
    """`schema` with every `$ref` replaced by its target (no recursion in these schemas)."""
    if isinstance(schema, list):
        return [_inline(s, base) for s in schema]
    if not isinstance(schema, dict):
        return schema
    if "$ref" in schema:
        target, target_base = _deref({"$ref": schema["$ref"]}, base)
        rest = {k: v for k, v in schema.items() if k not in ("$ref", "$comment", "description", "title")}
        target = _inline(target, target_base)
        return {"allOf": [target, _inline(rest, base)]} if rest else target
    return {k: (v if k in ("const", "enum", "examples", "default") else _inline(v, base)) for k, v in schema.items()}


def _object(schema: dict, base: str) -> st.SearchStrategy:
    props = schema.get("properties", {})
    required = [k for k in schema.get("required", []) if k in props]
    missing = [k for k in schema.get("required", []) if k not in props]
    fields = {k: strategy(v, base) for k, v in props.items()}
    fixed = {k: fields[k] for k in required} | {k: ANY_JSON for k in missing}
    # keys that depend on each other ("dependencies": format <-> expression) are drawn together
    together = sorted({k for k, v in schema.get("dependencies", {}).items() if isinstance(v, list)} - set(fixed))
    optional = {k: v for k, v in fields.items() if k not in fixed and k not in SKIPPED and k not in together}
    result = st.fixed_dictionaries(fixed, optional=optional)
    if together:
        group = st.just({}) | st.fixed_dictionaries({k: fields.get(k, ANY_JSON) for k in together})
        result = st.tuples(result, group).map(lambda pair: {**pair[0], **pair[1]})
    if schema.get("minProperties"):
        result = result.filter(lambda d: len(d) >= schema["minProperties"])
    extra = schema.get("patternProperties") or {}
    if not props and (extra or isinstance(schema.get("additionalProperties"), dict)):
        if extra:
            pattern, value = next(iter(extra.items()))
        else:
            pattern, value = schema.get("propertyNames", {}).get("pattern", "^[a-z]{1,8}$"), schema["additionalProperties"]
        keys = st.from_regex(pattern, fullmatch=True).filter(lambda k: 0 < len(k) <= 20)
        low = schema.get("minProperties", 0)
        result = st.dictionaries(keys, strategy(value, base), min_size=low, max_size=max(low, MAX_ITEMS))
    return result


def field_strategies(ext: str) -> dict[str, st.SearchStrategy]:
    uri, _ = SCHEMAS[ext]
    pointer, _ = FIELDS[ext]
    props = _at(_document(uri), pointer)["properties"]
    return {name: strategy(_inline(sub, uri), uri) for name, sub in props.items()}


RELS = {
    "ml-model": ["ml-model:train-data", "ml-model:test-data", "ml-model:inferencing-image", "self", "related"],
    "mlm": ["derived_from", "self", "related"],
    "dlm": ["self", "related", "license"],
    "tdml": ["self", "item", "license"],
}
ROLES = {
    "ml-model": ["ml-model:inference-runtime", "ml-model:training-runtime", "ml-model:checkpoint", "data"],
    "mlm": ["mlm:weights", "mlm:checkpoint", "mlm:inference-runtime", "mlm:source_code", "runtime", "data"],
    "dlm": ["model", "data", "metadata"],
    "tdml": ["data", "labels", "metadata"],
}
TEXT = st.text(max_size=20)
# ml-model: a Collection's summaries must hold one of these (require_any_field)
ANY_FIELD = {"ml-model": ["ml-model:learning_approach", "ml-model:prediction_type", "ml-model:architecture"]}
HREFS = st.sampled_from(["./model.pt", "https://example.org/a.bin", "s3://b/c"])


def _fix_dims(io: dict, structure: str) -> None:
    """MLM: a `bands`/`variables` dimension is listed in dim_order iff bands/variables are."""
    dims = [d for d in io[structure]["dim_order"] if d not in ("bands", "variables")]
    dims += [name for name in ("bands", "variables") if io.get(name)]
    io[structure]["dim_order"] = dims or ["batch"]


def _band_names(props: dict, key: str = "bands") -> list[str]:
    names = []
    for io in props.get("mlm:input", []) + props.get("mlm:output", []):
        for band in io.get(key) or []:
            names.append(band if isinstance(band, str) else band["name"])
    return names


@st.composite
def _links(draw, ext: str) -> list:
    links = []
    for _ in range(draw(st.integers(0, 3))):
        link = {"rel": draw(st.sampled_from(RELS[ext])), "href": draw(st.sampled_from(["./x.json", "https://e.org/d"]))}
        if link["rel"] == "derived_from" and draw(st.booleans()):
            link["ml-aoi:split"] = draw(st.sampled_from(["train", "validate", "test"]))
        if draw(st.booleans()):
            link["title"] = draw(TEXT)
        links.append(link)
    return links


@st.composite
def _assets(draw, ext: str, fields: dict) -> dict:
    assets = {}
    if ext == "mlm":  # the schema requires one model asset with an artifact type
        model = {"href": draw(HREFS), "roles": ["mlm:model"] + draw(st.lists(st.sampled_from(["data", "mlm:weights"]),
                                                                            max_size=1)),
                 "mlm:artifact_type": draw(fields["mlm:artifact_type"])}
        if draw(st.booleans()):
            model["mlm:compile_method"] = draw(fields["mlm:compile_method"])
        assets["model"] = model
    for i in range(draw(st.integers(0, 2))):
        asset = {"href": draw(HREFS)}
        if draw(st.booleans()):
            asset["roles"] = draw(st.lists(st.sampled_from(ROLES[ext]), max_size=2, unique=True))
        if draw(st.booleans()):
            asset["type"] = draw(st.sampled_from(["application/octet-stream", "docker-image", "text/html"]))
        if ext == "mlm" and draw(st.booleans()):
            asset["roles"] = ["code"]
            asset["mlm:entrypoint"] = draw(fields["mlm:entrypoint"])
        if ext == "ml-model" and draw(st.booleans()):  # ml-model fields are allowed in assets
            asset.update(draw(st.fixed_dictionaries({}, optional=fields)))
        assets[draw(st.sampled_from(["weights", "code", "data", f"a{i}"]))] = asset
    return assets


@st.composite
def schema_document(draw, ext: str) -> dict:
    """An Item or Collection whose extension fields are drawn from the extension's schema (one of
    its VARIANTS, whose URI the document declares)."""
    variant = draw(st.sampled_from(VARIANTS.get(ext, (ext,))))
    uri, _ = SCHEMAS[variant]
    fields = field_strategies(variant)
    required = FIELDS[variant][1]
    usable = {k: v for k, v in fields.items() if k not in MLM_ASSET_ONLY}
    common = draw(st.dictionaries(st.sampled_from(["title", "description", "x:other"]), TEXT, max_size=2))
    if draw(st.booleans()):  # STAC licenses are SPDX-like identifiers
        common["license"] = draw(st.sampled_from(["MIT", "CC-BY-4.0", "proprietary", "other"]))
    links, assets = draw(_links(ext)), draw(_assets(ext, fields))
    if draw(st.integers(0, 3)) == 0:  # a Collection one time in four
        doc = {"type": "Collection", "stac_version": "1.0.0", "stac_extensions": [uri], "id": "c",
               "description": "generated", "license": "MIT",
               "extent": {"spatial": {"bbox": [[-180, -90, 180, 90]]}, "temporal": {"interval": [[None, None]]}},
               "links": links, "assets": assets}
        if ext == "tdml":  # fields at the top level; the amount of training data is required
            doc.update(draw(st.fixed_dictionaries({"tdml:amount_of_training_data": fields["tdml:amount_of_training_data"]},
                                                  optional={k: v for k, v in fields.items()
                                                            if k != "tdml:amount_of_training_data"})))
        else:
            summarised = {k: v for k, v in usable.items() if k not in ("mlm:input", "mlm:output")}
            chosen = draw(st.fixed_dictionaries({}, optional=summarised).filter(
                lambda d: any(k in d for k in ANY_FIELD.get(ext, d))))
            doc["summaries"] = {k: v if isinstance(v, list) else [v] for k, v in chosen.items()}
        return doc
    props = draw(st.fixed_dictionaries({k: usable[k] for k in required},
                                       optional={k: v for k, v in usable.items() if k not in required}))
    if ext == "tdml" and not props:
        props["tdml:amount_of_training_data"] = draw(fields["tdml:amount_of_training_data"])
    doc = {"type": "Feature", "stac_version": "1.0.0", "stac_extensions": [uri], "id": "item", "geometry": None,
           "properties": {"datetime": "2020-01-01T00:00:00Z", **common, **props}, "links": links, "assets": assets}
    if ext == "mlm":
        for io in props["mlm:input"]:
            _fix_dims(io, "input")
        for io in props["mlm:output"]:
            _fix_dims(io, "result")
        names = _band_names(props)
        if names:  # bands named by the model are described by STAC 1.1 bands
            doc["stac_version"] = "1.1.0"
            doc["properties"]["bands"] = [{"name": n} for n in dict.fromkeys(names)]
        variables = _band_names(props, "variables")
        if variables:  # variables named by the model are datacube variables of the document
            doc["stac_extensions"].append(DATACUBE)
            doc["properties"]["cube:dimensions"] = {"time": {"type": "temporal", "extent": ["2020-01-01T00:00:00Z", None]}}
            doc["properties"]["cube:variables"] = {n: {"dimensions": ["time"]} for n in dict.fromkeys(variables)}
        if any(o.get("classification:classes") for o in props["mlm:output"]):
            doc["stac_extensions"].append(CLASSIFICATION)
    return doc


def schema_errors(doc: dict, ext: str) -> list[str]:
    """Errors of `doc` against the extension schema the generator drew it from."""
    uris = [SCHEMAS[v][0] for v in VARIANTS.get(ext, (ext,))]
    uri = next(u for u in uris if u in doc["stac_extensions"])
    validator = _validator(uri)
    return [f"/{'/'.join(map(str, e.instance_path))}: {e.message}" for e in validator.iter_errors(doc)]


@functools.lru_cache(maxsize=None)
def _validator(uri: str):
    import jsonschema_rs
    return jsonschema_rs.validator_for(_document(uri), retriever=_document)
