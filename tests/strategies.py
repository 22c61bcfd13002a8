"""Hypothesis strategies: hostile mutations of the official examples (documents generated from the
extension schemas are in schema_strategies.py)."""
from __future__ import annotations

import copy
import math

from hypothesis import strategies as st

from conftest import spec_files

TEXT = st.text(min_size=0, max_size=30)
WEIRD_TEXT = st.one_of(TEXT, st.text(alphabet=st.characters(), max_size=50), st.just(""), st.just("x" * 5000),
                       st.sampled_from(["~1/0", "a/b~c", "\u0000", "𝔘𝔫𝔦", "../../etc/passwd"]))
SCALAR = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False), TEXT)
EXAMPLES = {
    "ml-model": spec_files("ml-model/1.0.0/examples/*/*.json"),
    "mlm": spec_files("mlm/*/examples/*.json"),
    # DLM items (comments read leniently; the collections carry no DLM field) and the readable
    # TrainingDML-AI examples
    "dlm": [r for r in spec_files("dlm/*/examples/**/*.json") if "collection" not in r],
    "tdml": [r for r in spec_files("tdml/1.0.0/examples/*/*.json") if "DOTA-1.5_Dataset/collection" not in r],
}


def load_example(rel: str) -> dict:
    from translator import jsonio
    from conftest import SPECS
    return jsonio.load(SPECS / rel, lenient=True)[0]


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
        op = draw(st.sampled_from(["delete", "swap", "weird", "nan", "deep", "empty", "graft"]))
        if op == "graft":  # a field of another extension's example: documents that use two at once
            _graft(draw, doc, ext)
        elif op == "delete":
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


def _graft(draw, doc: dict, ext: str) -> None:
    """Copy a prefixed model field of another extension's example into *doc*'s fields (a
    half-migrated document), with the same or a changed value."""
    other = load_example(draw(st.sampled_from([r for e, rels in EXAMPLES.items() if e != ext for r in rels])))
    source = other.get("properties") if other.get("type") == "Feature" else other
    fields = sorted(k for k in (source if type(source) is dict else {}) if type(k) is str and ":" in k
                    and k.split(":")[0] in ("mlm", "ml-model", "dlm", "tdml"))
    target = doc.get("properties") if doc.get("type") == "Feature" else doc
    if not fields or type(target) is not dict:
        return
    key = draw(st.sampled_from(fields))
    target[key] = copy.deepcopy(source[key]) if draw(st.booleans()) else draw(SCALAR)
