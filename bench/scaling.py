"""Growth of translate() with the size of a document: no list or object may make it quadratic.

For each official example and each list (and, with --objects, each object) in it, the list is
grown to N and to 8N elements (copies of one of its elements -- each of the first --each in
turn, so that a link of every rel and an asset of every role is tried -- with strings and
integers made distinct),
and the document is translated to every extension with --fill-required, the residue included.
Linear code takes about 8x longer for 8x the elements; a ratio above --limit (default 12) is
printed as suspect (quadratic code shows 30-60x at these sizes).

    python bench/scaling.py [--specs ../shared/specs] [--n 500] [--objects] [--each 8] [--limit 12]
"""
from __future__ import annotations

import argparse
import copy
import sys
import time
from pathlib import Path

from translator import jsonio, translate
from translator.errors import TranslatorError

SOURCES = ["ml-model/1.0.0/examples/*/item.json", "mlm/1.5.2/examples/*.json", "dlm/*/examples/*.json",
           "tdml/1.0.0/examples/*/*.json"]
TARGETS = ("mlm", "ml-model", "dlm", "tdml")


def containers(node, kind, path=()):
    """Paths of the non-empty lists (or objects) in *node*, each shape once."""
    if type(node) is kind and node:
        yield path
    children = node.items() if type(node) is dict else enumerate(node) if type(node) is list else ()
    for key, child in children:
        yield from containers(child, kind, path + (key,))


def growable(doc, kinds):
    """(path, size) of each container shape worth growing, once per shape."""
    seen = set()
    for kind in kinds:
        for where in containers(doc, kind):
            shape = tuple("#" if type(t) is int else t for t in where)
            if where and shape not in seen:
                seen.add(shape)
                node = doc
                for token in where:
                    node = node[token]
                yield where, len(node)


def distinct(value, i):
    if type(value) is str:
        return f"{value}{i}" if i else value
    if type(value) is int:
        return value + i
    if type(value) is dict:
        return {k: distinct(v, i) for k, v in value.items()}
    return value


def grown(doc, path, n, pick=0):
    """*doc* with the container at *path* grown to *n* elements, copies of its element *pick*."""
    out = copy.deepcopy(doc)
    node = out
    for token in path[:-1]:
        node = node[token]
    if type(node[path[-1]]) is list:
        model = node[path[-1]][pick]
        node[path[-1]] = [distinct(copy.deepcopy(model), i) for i in range(n)]
    else:
        obj = node[path[-1]]
        key, value = list(obj.items())[pick]
        obj.update({f"{key}{i}": distinct(copy.deepcopy(value), i) for i in range(1, n)})
    return out


def seconds(doc, to, rounds=2):
    """Best of *rounds* (the first call of a pair may also pay for lazily built schemas)."""
    best = None
    for _ in range(rounds):
        start = time.perf_counter()
        try:
            translate(doc, to=to, fill_required=True).report.residue
        except TranslatorError:
            return None
        took = time.perf_counter() - start
        best = took if best is None else min(best, took)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--specs", default=str(Path(__file__).resolve().parents[1].parent / "shared" / "specs"))
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--objects", action="store_true", help="grow objects too (slower)")
    parser.add_argument("--each", type=int, default=8, help="grow from each of the first EACH elements in turn")
    parser.add_argument("--limit", type=float, default=12.0)
    args = parser.parse_args()
    specs = Path(args.specs)
    kinds = (list, dict) if args.objects else (list,)
    found = []  # (ratio, name, small seconds, large seconds) of every growth checked
    for pattern in SOURCES:
        for path in sorted(specs.glob(pattern)):
            try:
                doc = jsonio.load(path, lenient=True)[0]
            except TranslatorError:
                continue
            for where, size in growable(doc, kinds):
                for pick in range(min(args.each, size)):
                    small, large = grown(doc, where, args.n, pick), grown(doc, where, 8 * args.n, pick)
                    for to in TARGETS:
                        a, b = seconds(small, to), seconds(large, to)
                        if a is not None and b is not None:
                            name = f"{path.relative_to(specs)} {'/'.join(map(str, where))}[{pick}] -> {to}"
                            found.append((b / a, name, a, b))
                            if b / a > args.limit and b > 0.02:
                                print(f"suspect: {name}: {a*1e3:.1f} ms -> {b*1e3:.1f} ms ({b/a:.0f}x for 8x)",
                                      flush=True)
    checked = len(found)
    suspect = sum(1 for ratio, _, _, b in found if ratio > args.limit and b > 0.02)
    worst = max(found, default=(0.0, "", 0, 0))
    print(f"{checked} growths checked, {suspect} suspect (limit {args.limit:g}x for 8x); "
          f"largest ratio {worst[0]:.1f}x ({worst[1]}, {worst[3]*1e3:.1f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
