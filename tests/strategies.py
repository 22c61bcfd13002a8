"""Hypothesis strategies: documents of each extension, wrapped in STAC Items and Collections,
and hostile mutations of the official examples."""
from __future__ import annotations

import copy
import math

from hypothesis import strategies as st

from conftest import load_spec, spec_files

MLM_TASKS = ["regression", "classification", "scene-classification", "detection", "object-detection",
             "segmentation", "semantic-segmentation", "instance-segmentation", "panoptic-segmentation",
             "similarity-search", "generative", "image-captioning", "super-resolution", "downscaling"]
TEXT = st.text(min_size=0, max_size=30)
WEIRD_TEXT = st.one_of(TEXT, st.text(alphabet=st.characters(), max_size=50), st.just(""), st.just("x" * 5000),
                       st.sampled_from(["~1/0", "a/b~c", "\u0000", "𝔘𝔫𝔦", "../../etc/passwd"]))
SCALAR = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False), TEXT)
JSON = st.recursive(SCALAR, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                    st.dictionaries(TEXT, inner, max_size=4)), max_leaves=12)
EXAMPLES = {
    "ml-model": spec_files("ml-model/1.0.0/examples/*/*.json"),
    "mlm": spec_files("mlm/*/examples/*.json"),
    # DLM items (comments read leniently; the collections carry no DLM field) and the readable
    # TrainingDML-AI examples
    "dlm": [r for r in spec_files("dlm/*/examples/**/*.json") if "collection" not in r],
    "tdml": [r for r in spec_files("tdml/1.0.0/examples/*/*.json") if "DOTA-1.5_Dataset/collection" not in r],
}
GENERATED = ("ml-model", "mlm")  # extensions with field-level generators (stac_document)


def load_example(rel: str) -> dict:
    from translator import jsonio
    from conftest import SPECS
    return jsonio.load(SPECS / rel, lenient=True)[0]


def _optional(fields: dict) -> st.SearchStrategy:
    """A dict with any subset of the given key strategies."""
    return st.fixed_dictionaries({}, optional=fields)


ML_MODEL_FIELDS = {
    "ml-model:type": st.just("ml-model"),
    "ml-model:learning_approach": st.one_of(st.sampled_from(["supervised", "unsupervised", "semi-supervised",
                                                             "reinforcement-learning"]), TEXT),
    "ml-model:prediction_type": st.one_of(st.sampled_from(["object-detection", "classification", "segmentation",
                                                           "regression", "binary classification"]), TEXT),
    "ml-model:architecture": TEXT,
    "ml-model:training-processor-type": st.sampled_from(["cpu", "gpu"]),
    "ml-model:training-os": TEXT,
}

_MLM_IO = [load_spec(r)["properties"] for r in spec_files("mlm/1.5.2/examples/item_*.json")]
MLM_FIELDS = {
    "mlm:name": st.from_regex(r"[a-zA-Z][a-zA-Z0-9_.\- ]{1,20}[a-zA-Z0-9]", fullmatch=True),
    "mlm:architecture": TEXT,
    "mlm:tasks": st.lists(st.sampled_from(MLM_TASKS), min_size=1, max_size=3, unique=True),
    "mlm:framework": st.sampled_from(["PyTorch", "TensorFlow", "scikit-learn", "ONNX", "JAX"]),
    "mlm:framework_version": TEXT,
    "mlm:memory_size": st.integers(min_value=0, max_value=2**40),
    "mlm:total_parameters": st.integers(min_value=0, max_value=2**40),
    "mlm:pretrained": st.booleans(),
    "mlm:pretrained_source": st.one_of(st.none(), TEXT),
    "mlm:batch_size_suggestion": st.integers(min_value=0, max_value=1024),
    "mlm:accelerator": st.sampled_from(["amd64", "cuda", "xla", "amd-rocm", "macos-arm", None]),
    "mlm:accelerator_constrained": st.booleans(),
    "mlm:accelerator_summary": TEXT,
    "mlm:accelerator_count": st.integers(min_value=1, max_value=8),
    "mlm:input": st.sampled_from([p["mlm:input"] for p in _MLM_IO]),
    "mlm:output": st.sampled_from([p["mlm:output"] for p in _MLM_IO]),
    "mlm:hyperparameters": st.dictionaries(st.from_regex(r"[a-z_]{1,10}", fullmatch=True), SCALAR, max_size=3),
}
URIS = {
    "ml-model": ["https://stac-extensions.github.io/ml-model/v1.0.0/schema.json"],
    "mlm": ["https://stac-extensions.github.io/mlm/v1.5.2/schema.json",
            "https://crim-ca.github.io/mlm-extension/v1.2.0/schema.json"],
}
ROLES = {
    "ml-model": ["ml-model:inference-runtime", "ml-model:training-runtime", "ml-model:checkpoint", "data"],
    "mlm": ["mlm:model", "mlm:weights", "mlm:checkpoint", "mlm:inference-runtime", "mlm:source_code", "runtime"],
}
RELS = {
    "ml-model": ["ml-model:train-data", "ml-model:test-data", "ml-model:inferencing-image", "self", "related"],
    "mlm": ["derived_from", "self", "related"],
}


@st.composite
def stac_document(draw, ext: str) -> dict:
    fields = dict(draw(_optional(ML_MODEL_FIELDS if ext == "ml-model" else MLM_FIELDS)))
    if not fields:  # at least one field of the extension, so it is detected
        key = "ml-model:architecture" if ext == "ml-model" else "mlm:name"
        fields[key] = "arch" if ext == "ml-model" else "model"
    fields.update(draw(st.dictionaries(st.sampled_from(["title", "description", "license", "x:other"]), TEXT,
                                       max_size=2)))
    assets = {}
    for i in range(draw(st.integers(0, 3))):
        asset = {"href": draw(st.sampled_from(["./model.pt", "https://example.org/a.bin", "s3://b/c"]))}
        if draw(st.booleans()):
            asset["roles"] = draw(st.lists(st.sampled_from(ROLES[ext]), max_size=3, unique=True))
        if draw(st.booleans()):
            asset["type"] = draw(st.sampled_from(["application/octet-stream", "docker-image", "text/html"]))
        if ext == "mlm" and draw(st.booleans()):
            asset["mlm:artifact_type"] = draw(st.sampled_from(["torch.save", "onnx"]))
        assets[draw(st.sampled_from(["model", "weights", "code", f"a{i}"]))] = asset
    links = []
    for _ in range(draw(st.integers(0, 4))):
        link = {"rel": draw(st.sampled_from(RELS[ext])), "href": draw(st.sampled_from(["./x.json", "https://e.org/d"]))}
        if link["rel"] == "derived_from" and draw(st.booleans()):
            link["ml-aoi:split"] = draw(st.sampled_from(["train", "validate", "test"]))
        if draw(st.booleans()):
            link["title"] = draw(TEXT)
        links.append(link)
    exts = draw(st.lists(st.sampled_from(URIS[ext]), max_size=1))
    if draw(st.booleans()):
        summaries = {}
        for key, value in fields.items():
            if ":" in key and not key.endswith(("input", "output", "hyperparameters")):
                summaries[key] = value if isinstance(value, list) else [value]
        if not any(k.startswith(ext + ":") for k in summaries):  # detectable by its summaries
            summaries.update({"ml-model:architecture": ["arch"]} if ext == "ml-model" else {"mlm:name": ["model"]})
        return {"type": "Collection", "stac_version": "1.0.0", "stac_extensions": exts, "id": "c",
                "description": "generated", "license": "MIT",
                "extent": {"spatial": {"bbox": [[-180, -90, 180, 90]]}, "temporal": {"interval": [[None, None]]}},
                "summaries": summaries, "links": links, "assets": assets}
    return {"type": "Feature", "stac_version": "1.0.0", "stac_extensions": exts, "id": draw(TEXT) or "item",
            "geometry": None, "properties": {"datetime": "2020-01-01T00:00:00Z", **fields},
            "links": links, "assets": assets}


def _paths(node, path=()):
    yield path
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, path + (i,))


@st.composite
def mutated_example(draw, ext: str) -> dict:
    doc = copy.deepcopy(load_example(draw(st.sampled_from(EXAMPLES[ext]))))
    for _ in range(draw(st.integers(1, 4))):
        # top-level type/properties stay (documents without them are covered by test_regressions
        # and the CLI fuzz tests; see docs/robustness.md)
        paths = [p for p in _paths(doc) if p and p not in (("type",), ("properties",))]
        path = draw(st.sampled_from(paths))
        parent = doc
        for token in path[:-1]:
            parent = parent[token]
        last = path[-1]
        op = draw(st.sampled_from(["delete", "swap", "weird", "nan", "deep", "empty"]))
        if op == "delete":
            del parent[last]
        elif op == "swap":
            parent[last] = draw(SCALAR | st.lists(SCALAR, max_size=2) | st.dictionaries(TEXT, SCALAR, max_size=2))
        elif op == "weird":
            parent[last] = draw(WEIRD_TEXT)
        elif op == "nan":
            parent[last] = draw(st.sampled_from([math.nan, math.inf, -math.inf, 2**70, -0.0]))
        elif op == "deep":
            value: object = "bottom"
            for _ in range(draw(st.integers(50, 300))):
                value = [value] if draw(st.booleans()) else {"k": value}
            parent[last] = value
        else:
            parent[last] = draw(st.sampled_from(["", [], {}]))
    return doc
