"""Growth of translate() with the size of a document: no list or object may make it quadratic.

For each official example and each list (and, with --objects, each object) in it, the list is
grown to N and to 8N elements (copies of its first element, strings and integers made distinct),
and the document is translated to every extension with --fill-required, the residue included.
Linear code takes about 8x longer for 8x the elements; a ratio above --limit (default 12) is
printed as suspect (quadratic code shows 30-60x at these sizes).

    python bench/scaling.py [--specs ../shared/specs] [--n 500] [--objects] [--limit 12]
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


def distinct(value, i):
    if type(value) is str:
        return f"{value}{i}" if i else value
    if type(value) is int:
        return value + i
    if type(value) is dict:
        return {k: distinct(v, i) for k, v in value.items()}
    return value


def grown(doc, path, n):
    out = copy.deepcopy(doc)
    node = out
    for token in path[:-1]:
        node = node[token]
    if type(node[path[-1]]) is list:
        first = node[path[-1]][0]
        node[path[-1]] = [distinct(copy.deepcopy(first), i) for i in range(n)]
    else:
        obj = node[path[-1]]
        key, value = next(iter(obj.items()))
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
    parser.add_argument("--limit", type=float, default=12.0)
    args = parser.parse_args()
    specs = Path(args.specs)
    kinds = (list, dict) if args.objects else (list,)
    checked = suspect = 0
    worst = (0.0, "")
    for pattern in SOURCES:
        for path in sorted(specs.glob(pattern)):
            try:
                doc = jsonio.load(path, lenient=True)[0]
            except TranslatorError:
                continue
            seen = set()
            for kind in kinds:
                for where in containers(doc, kind):
                    shape = tuple("#" if type(t) is int else t for t in where)
                    if not where or shape in seen:
                        continue
                    seen.add(shape)
                    small, large = grown(doc, where, args.n), grown(doc, where, 8 * args.n)
                    for to in TARGETS:
                        a, b = seconds(small, to), seconds(large, to)
                        if a is None or b is None:
                            continue
                        checked += 1
                        name = f"{path.relative_to(specs)} {'/'.join(map(str, where))} -> {to}"
                        if b / a > worst[0]:
                            worst = (b / a, name)
                        if b / a > args.limit and b > 0.02:
                            suspect += 1
                            print(f"suspect: {name}: {a*1e3:.1f} ms -> {b*1e3:.1f} ms ({b/a:.0f}x for 8x)", flush=True)
    print(f"{checked} growths checked, {suspect} suspect (limit {args.limit:g}x for 8x); "
          f"largest ratio {worst[0]:.1f}x ({worst[1]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
