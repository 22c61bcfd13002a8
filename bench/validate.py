"""Median time per document: Python `jsonschema` (Draft7Validator) vs this project's jsonschema_rs path.

Documents: the official MLM 1.5.2 Item examples. Each document is checked against the STAC core Item
schema of its version plus every schema in its `stac_extensions`, by both engines, with the same
offline schema store (schemas from ../shared/specs, or STACML_SCHEMAS / --schemas DIR).
Both engines validate the whole document and collect all errors; compilation is done before timing.

    python bench/validate.py [--schemas DIR] [--rounds N]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import jsonschema
import orjson
import referencing

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from translator.validation import (  # noqa: E402
    SchemaStore, check_document, core_schema_uri, extension_uris, validator_for,
)

TARGET = 100.0


def _jsonschema_validators(store: SchemaStore, uris: list[str]):
    def retrieve(uri: str):
        return referencing.Resource.from_contents(store.resolve(uri), default_specification=referencing.jsonschema.DRAFT7)

    registry = referencing.Registry(retrieve=retrieve)
    return [jsonschema.Draft7Validator(store.resolve(u), registry=registry) for u in uris]


def _median_us(func, docs, rounds: int) -> float:
    samples = []
    for _ in range(rounds):
        for doc in docs:
            start = time.perf_counter_ns()
            func(doc)
            samples.append((time.perf_counter_ns() - start) / 1000)
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schemas", action="append", default=None,
                        help="schema folder (default: ../shared/specs next to the repository)")
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    specs = ROOT.parent / "shared" / "specs"
    store = SchemaStore.default(extra_dirs=args.schemas or [specs])
    examples = sorted((specs / "mlm" / "1.5.2" / "examples").glob("item_*.json"))
    docs = [orjson.loads(p.read_bytes()) for p in examples]
    if not docs:
        print(f"no MLM 1.5.2 Item examples under {specs}", file=sys.stderr)
        return 1

    plans = {}
    for doc in docs:
        uris = [core_schema_uri(doc)] + [u for _, u in extension_uris(doc)]
        plans[id(doc)] = _jsonschema_validators(store, uris)
        for uri in uris:
            validator_for(uri, store)  # compile outside the timing
        assert check_document(doc, store).valid, "examples are expected to be valid"

    def with_jsonschema(doc):
        return [e for v in plans[id(doc)] for e in v.iter_errors(doc)]

    def with_rs(doc):
        return check_document(doc, store).issues

    for doc in docs:  # warm-up, and both engines must agree
        assert with_jsonschema(doc) == [] and with_rs(doc) == []
    slow = _median_us(with_jsonschema, docs, max(3, args.rounds // 10))
    fast = _median_us(with_rs, docs, args.rounds)

    # Invalid documents take the slower path (errors are collected per schema).
    broken = []
    for doc in docs:
        bad = orjson.loads(orjson.dumps(doc))
        bad["properties"]["mlm:tasks"] = ["change-detection"]
        broken.append(bad)
        plans[id(bad)] = plans[id(doc)]
    slow_bad = _median_us(with_jsonschema, broken, max(3, args.rounds // 10))
    fast_bad = _median_us(with_rs, broken, args.rounds)

    print(f"MLM 1.5.2 Item examples: {len(docs)} documents, core + declared extension schemas")
    print(f"{'':24}{'jsonschema':>14}{'jsonschema_rs':>16}{'ratio':>10}")
    for name, a, b in (("valid documents", slow, fast), ("invalid documents", slow_bad, fast_bad)):
        print(f"{name:24}{a:>11.1f} us{b:>13.1f} us{a / b:>9.0f}x")
    ratio = slow / fast
    verdict = "meets" if ratio >= TARGET else "BELOW"
    print(f"target >= {TARGET:.0f}x on valid documents: {verdict} ({ratio:.0f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
