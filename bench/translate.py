"""Per-document speed of translate() on the official examples.

For each document: the median time of
  * translate(doc, to=...)                                  (the library call an ETL job makes)
  * orjson.loads + orjson.dumps of the same document         (the floor: any tool must at least do this)
  * pystac.Item/Collection.from_dict(doc).to_dict(transform_hrefs=False)
                                                             (what a pystac-based migration pays)
and the two ratios. Targets: translate <= 4x orjson; pystac round trip >= 10x translate.

    python bench/translate.py [--specs ../shared/specs] [--repeat 2000]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import orjson
import pystac

from translator import translate

CASES = [  # (glob under specs, target): translations across extensions, as a migration runs them
    ("ml-model/1.0.0/examples/*/item.json", "mlm"),
    ("mlm/1.5.2/examples/item_*.json", "ml-model"),
    ("dlm/*/examples/*.json", "mlm"),
    ("tdml/1.0.0/examples/*/*.json", "mlm"),
]


def median_time(fn, repeat: int) -> float:
    for _ in range(min(200, repeat)):  # warm-up
        fn()
    samples = []
    batch = 20
    for _ in range(max(1, repeat // batch)):
        start = time.perf_counter()
        for _ in range(batch):
            fn()
        samples.append((time.perf_counter() - start) / batch)
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--specs", default=str(Path(__file__).resolve().parents[1].parent / "shared" / "specs"))
    parser.add_argument("--repeat", type=int, default=2000)
    args = parser.parse_args()
    specs = Path(args.specs)
    rows = []
    print(f"{'document':58} {'to':9} {'translate':>10} {'orjson':>8} {'pystac':>9} {'tr/orjson':>9} {'pystac/tr':>9}")
    for pattern, target in CASES:
        for path in sorted(specs.glob(pattern)):
            raw = path.read_bytes()
            try:
                doc = orjson.loads(raw)
                translate(doc, to=target, fill_required=True)
            except Exception:  # not strict JSON, or an extension without a table yet: not timed
                continue
            cls = pystac.Item if doc["type"] == "Feature" else pystac.Collection
            t_translate = median_time(lambda: translate(doc, to=target, fill_required=True), args.repeat)
            t_orjson = median_time(lambda: orjson.dumps(orjson.loads(raw)), args.repeat)
            # from_dict(...) with its defaults (it copies its input) then to_dict(); hrefs are not
            # transformed, since relative hrefs cannot be resolved without a root catalog
            try:
                t_pystac = median_time(lambda: cls.from_dict(doc).to_dict(transform_hrefs=False),
                                       max(200, args.repeat // 10))
            except Exception:  # pystac cannot read it (e.g. DLM assets given as an array)
                t_pystac = float("nan")
            rows.append((t_translate, t_orjson, t_pystac))
            name = str(path.relative_to(specs))
            print(f"{name:58} {target:9} {t_translate*1e6:8.1f}us {t_orjson*1e6:6.1f}us {t_pystac*1e6:7.1f}us "
                  f"{t_translate/t_orjson:8.2f}x {t_pystac/t_translate:8.1f}x")
    tr = statistics.median(r[0] for r in rows)
    oj = statistics.median(r[1] for r in rows)
    ps = statistics.median(r[2] for r in rows if r[2] == r[2])
    ratio_floor = statistics.median(r[0] / r[1] for r in rows)
    ratio_pystac = statistics.median(r[2] / r[0] for r in rows if r[2] == r[2])
    print()
    print(f"median per document: translate {tr*1e6:.1f}us, orjson loads+dumps {oj*1e6:.1f}us, "
          f"pystac from_dict+to_dict {ps*1e6:.1f}us")
    print(f"translate / orjson  = {ratio_floor:.2f}x   (target <= 4x)   {'OK' if ratio_floor <= 4 else 'MISSED'}")
    print(f"pystac / translate  = {ratio_pystac:.1f}x   (target >= 10x)  {'OK' if ratio_pystac >= 10 else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
