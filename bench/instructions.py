"""Instructions per call (valgrind), for comparing changes on a machine too busy to time them.

Timings on a shared machine move by 30 % from one run to the next; instruction counts do not.
For each document, each of translate / orjson loads+dumps / pystac from_dict+to_dict is run
under ``valgrind --tool=cachegrind`` twice (N and 6N calls after a warm-up); the difference
divided by 5N is the cost of one call, start-up excluded. Counts are not times: orjson's C runs
more instructions per cycle than the interpreter does, so the time ratios of bench/translate.py
stay the figures the targets are set in.

    python bench/instructions.py [--specs ../shared/specs] [--calls 100] [--gc off] DOC:TARGET ...
    python bench/instructions.py mlm/1.5.2/examples/item_multi_io.json:ml-model
    python bench/instructions.py dlm/1.0.0-beta.3/examples/item.json:dlm@1.0.0-beta2   # a target version
"""
from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

_LOOP = r"""
import sys, orjson, pystac
from translator import translate
raw = open(sys.argv[1], "rb").read(); doc = orjson.loads(raw); n = int(sys.argv[4])
target, _, version = sys.argv[2].partition("@")
cls = pystac.Item if doc.get("type") == "Feature" else pystac.Collection
fn = {"translate": lambda: translate(doc, to=target, version=version or None, fill_required=True),
      "orjson": lambda: orjson.dumps(orjson.loads(raw)),
      "pystac": lambda: cls.from_dict(doc).to_dict(transform_hrefs=False)}[sys.argv[3]]
for _ in range(50): fn()
if sys.argv[5] == "off":
    import gc; gc.collect(); gc.disable()
for _ in range(n): fn()
"""


def instructions(path: Path, target: str, what: str, calls: int, gc: str = "on") -> int | None:
    """None when the call fails (pystac cannot read some DLM and tdml documents)."""
    def run(n: int) -> int:
        out = subprocess.run(["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
                              sys.executable, "-c", _LOOP, str(path), target, what, str(n), gc],
                             capture_output=True, text=True, check=True).stderr
        return int(re.search(r"I\s+refs:\s+([\d,]+)", out).group(1).replace(",", ""))
    try:
        return (run(6 * calls) - run(calls)) // (5 * calls)
    except subprocess.CalledProcessError:
        return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("cases", nargs="+", metavar="DOC:TARGET", help="a document under --specs and a target (TARGET@VERSION for a target version)")
    parser.add_argument("--specs", default=str(Path(__file__).resolve().parents[1].parent / "shared" / "specs"))
    parser.add_argument("--calls", type=int, default=100)
    parser.add_argument("--gc", choices=("on", "off"), default="on",
                        help="off: the garbage collector off while counting. A collection of the oldest "
                             "objects lands in one of the two runs and not the other by chance, so that a "
                             "change of a few allocations moves a count by 10-20k; off, only the work counts")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (Debian: apt-get install valgrind)", file=sys.stderr)
        return 2
    print(f"{'document':50} {'to':16} {'translate':>10} {'orjson':>9} {'pystac':>10} {'tr/orjson':>9} {'pystac/tr':>9}")
    for case in args.cases:
        name, _, target = case.rpartition(":")
        path = Path(args.specs) / name
        tr, oj, ps = (instructions(path, target, what, args.calls, args.gc) for what in ("translate", "orjson", "pystac"))
        if tr is None or oj is None:
            print(f"{name:50} {target:16} translate or orjson failed", file=sys.stderr)
            continue
        pystac = f"{ps / 1e3:9.0f}k" if ps is not None else f"{'n/a':>10}"
        ratio = f"{ps / tr:8.1f}x" if ps is not None else f"{'n/a':>9}"
        print(f"{name:50} {target:16} {tr / 1e3:9.0f}k {oj / 1e3:8.0f}k {pystac} {tr / oj:8.2f}x {ratio}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
