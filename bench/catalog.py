"""Whole-catalog conversion speed and NDJSON memory.

Generates, from the official ml-model examples, a static catalog (catalog.json -> one
collection per 1000 items -> items/ID/ID.json, relative links, as pystac lays it out) and
the same items as NDJSON, then prints for each size:

  * stacml convert -j 1 and -j 2 (the command a user runs: catalog -> MLM into OUT_DIR);
  * raw copy: one process reading every file of the tree with orjson and writing it to a
    new tree (the floor any converter pays);
  * pystac: read the catalog with pystac, translate each item's dict, save the catalog
    with relative links (the pipeline a pystac user writes), on a smaller catalog
    (--pystac-items: its save checks every link against the whole tree, so it is quadratic);
  * stacml convert with --fill-required, and with --validate too (official schemas from
    --specs: every output validated offline);
  * stacml convert on the NDJSON file, -j 1 and -j 2;

and, with --rss, the peak RSS of `stacml convert big.ndjson -j 1` (and of its workers
with -j 2) on --rss-items NDJSON items (default 1 000 000).

Targets: convert >= 50 % of the raw-copy throughput; -j 2 >= 1.7x -j 1; >= 10x the pystac
pipeline; NDJSON peak RSS <= 150 MB.

The machine may be shared: each figure is the fastest of --repeat runs, CPU time is printed
next to wall time, and the "parallel capacity" line says how many cores two busy processes
really got when the run started and ended (the ceiling of the -j 2 speed-up).

    python bench/catalog.py [--sizes 10000,100000] [--repeat 2] [--pystac-items 2000] [--rss]
                            [--rss-items N] [--work DIR] [--specs ../shared/specs]
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parents[1]
PER_COLLECTION = 1000


def templates(specs: Path) -> tuple[list[dict], dict]:
    items = [orjson.loads((specs / f"ml-model/1.0.0/examples/{name}/item.json").read_bytes())
             for name in ("dummy", "cyclone-wind-speed")]
    collection = orjson.loads((specs / "ml-model/1.0.0/examples/dummy/collection.json").read_bytes())
    return items, collection


def item_doc(items: list[dict], i: int, collection_id: str) -> dict:
    doc = dict(items[i % len(items)])
    doc["id"] = f"item-{i:07d}"
    doc["collection"] = collection_id
    doc["links"] = [{"rel": "root", "href": "../../../catalog.json", "type": "application/json"},
                    {"rel": "parent", "href": "../../collection.json", "type": "application/json"},
                    {"rel": "collection", "href": "../../collection.json", "type": "application/json"}] + [
        l for l in doc.get("links", []) if l.get("rel") not in ("root", "parent", "collection", "self")]
    return doc


def make_tree(base: Path, n: int, specs: Path) -> Path:
    items, collection = templates(specs)
    catalog_links = [{"rel": "root", "href": "./catalog.json", "type": "application/json"}]
    for c in range((n + PER_COLLECTION - 1) // PER_COLLECTION):
        cid = f"collection-{c:04d}"
        folder = base / cid
        links = [{"rel": "root", "href": "../catalog.json"}, {"rel": "parent", "href": "../catalog.json"}]
        for i in range(c * PER_COLLECTION, min(n, (c + 1) * PER_COLLECTION)):
            doc = item_doc(items, i, cid)
            (folder / "items" / doc["id"]).mkdir(parents=True)
            (folder / "items" / doc["id"] / f"{doc['id']}.json").write_bytes(orjson.dumps(doc, option=orjson.OPT_INDENT_2))
            links.append({"rel": "item", "href": f"./items/{doc['id']}/{doc['id']}.json", "type": "application/json"})
        (folder / "collection.json").write_bytes(orjson.dumps({**collection, "id": cid, "links": links},
                                                              option=orjson.OPT_INDENT_2))
        catalog_links.append({"rel": "child", "href": f"./{cid}/collection.json", "type": "application/json"})
    (base / "catalog.json").write_bytes(orjson.dumps({
        "type": "Catalog", "stac_version": "1.0.0", "id": "bench", "description": "synthetic catalog",
        "links": catalog_links}, option=orjson.OPT_INDENT_2))
    return base / "catalog.json"


def make_ndjson(path: Path, n: int, specs: Path) -> Path:
    items, _ = templates(specs)
    with path.open("wb") as fh:
        for i in range(n):
            fh.write(orjson.dumps(item_doc(items, i, "c")) + b"\n")
    return path


def stacml(*args, check: bool = True) -> tuple[float, float]:
    """Wall time and CPU time (user + sys of the command and its workers). ``check=False``
    accepts exit code 1 (documents reported invalid)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "translator", *map(str, args)], stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in ((0,) if check else (0, 1)):
        sys.exit(f"stacml {' '.join(map(str, args))} failed:\n{proc.stderr.decode()[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def best(repeat: int, fn, cleanup=None) -> tuple[float, float]:
    """The fastest of *repeat* runs (wall, cpu): the machine is shared, the minimum is the
    least disturbed measurement."""
    runs = []
    for _ in range(repeat):
        if cleanup:
            cleanup()
        runs.append(fn())
    return min(runs)


def _spin(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def parallel_capacity() -> float:
    """How many cores two CPU-bound processes actually get right now (2.0 on an idle
    2-core machine): the ceiling of any -j 2 speed-up measured at the same time."""
    import multiprocessing
    n = 3_000_000
    start = time.perf_counter()
    _spin(n)
    one = time.perf_counter() - start
    with multiprocessing.get_context("fork").Pool(2) as pool:
        start = time.perf_counter()
        pool.map(_spin, [n, n])
        two = time.perf_counter() - start
    return 2 * one / two


def raw_copy(src: Path, dst: Path) -> tuple[float, float]:
    shutil.rmtree(dst, ignore_errors=True)
    cpu0 = time.process_time()
    start = time.perf_counter()
    for top, _, files in os.walk(src):
        target = dst / os.path.relpath(top, src)
        target.mkdir(parents=True, exist_ok=True)
        for name in files:
            doc = orjson.loads(Path(top, name).read_bytes())
            (target / name).write_bytes(orjson.dumps(doc, option=orjson.OPT_INDENT_2))
    return time.perf_counter() - start, time.process_time() - cpu0


def pystac_pipeline(catalog: Path, dst: Path) -> tuple[float, float]:
    """Read with pystac, translate every item's dict, save with relative links."""
    import pystac
    from translator import translate
    shutil.rmtree(dst, ignore_errors=True)
    cpu0 = time.process_time()
    start = time.perf_counter()
    cat = pystac.Catalog.from_file(str(catalog))
    for item in cat.get_items(recursive=True):
        out = translate(item.to_dict(include_self_link=False, transform_hrefs=False), to="mlm").document
        item.properties = out["properties"]
        item.stac_extensions = out["stac_extensions"]
        item.assets = {k: pystac.Asset.from_dict(v) for k, v in out.get("assets", {}).items()}
    cat.normalize_hrefs(str(dst))
    cat.save(catalog_type=pystac.CatalogType.SELF_CONTAINED)
    return time.perf_counter() - start, time.process_time() - cpu0


def rate(n: int, measured: tuple[float, float]) -> str:
    wall, cpu = measured
    return f"{n / wall:>8,.0f} items/s ({wall:6.1f} s wall, {n / cpu:>7,.0f} items per CPU-second)"


def links_intact(out: Path) -> tuple[int, list[str]]:
    """(documents, relative structural links that do not resolve) below *out*."""
    count, broken = 0, []
    for path in out.rglob("*.json"):
        if path.name.startswith("."):
            continue
        count += 1
        for link in orjson.loads(path.read_bytes()).get("links", []):
            href = link.get("href", "")
            if link.get("rel") in ("root", "parent", "child", "item", "collection") and "://" not in href:
                if not (path.parent / href).is_file():
                    broken.append(f"{path}: {href}")
    return count, broken


def tree_digest(top: Path) -> str:
    import hashlib
    digest = hashlib.sha256()
    for path in sorted(top.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(top)).encode() + path.read_bytes())
    return digest.hexdigest()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--specs", default=str(ROOT.parent / "shared" / "specs"))
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--repeat", type=int, default=2, help="Runs per measurement; the fastest is kept.")
    parser.add_argument("--pystac-items", type=int, default=2000,
                        help="Size of the catalog the pystac pipeline runs on (its save is quadratic).")
    parser.add_argument("--rss", action="store_true", help="Also measure peak RSS on a large NDJSON file.")
    parser.add_argument("--rss-items", type=int, default=1_000_000)
    parser.add_argument("--rss-work", help="Directory for the large NDJSON files (default: the system temporary "
                                           "directory, on disk: they take a few GB).")
    parser.add_argument("--work", help="Scratch directory (default: a new one in /dev/shm when it exists, so "
                                       "that the figures measure the software rather than the disk).")
    args = parser.parse_args()
    specs = Path(args.specs)
    shm = Path("/dev/shm")
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(
        prefix="stacml-bench-", dir=str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None))
    work.mkdir(parents=True, exist_ok=True)
    print(f"scratch: {work}; {os.cpu_count()} cores; parallel capacity now: {parallel_capacity():.2f} cores")
    try:
        for n in [int(s) for s in args.sizes.split(",") if s and int(s) > 0]:
            run_size(n, specs, work, args.repeat)
        if args.pystac_items:
            run_pystac(args.pystac_items, specs, work)
        if args.rss:
            rss_work = Path(tempfile.mkdtemp(prefix="stacml-rss-", dir=args.rss_work))
            try:
                run_rss(args.rss_items, specs, rss_work)
            finally:
                shutil.rmtree(rss_work, ignore_errors=True)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    print(f"parallel capacity at the end: {parallel_capacity():.2f} cores")
    return 0


def run_size(n: int, specs: Path, work: Path, repeat: int) -> None:
    base = work / f"tree-{n}"
    shutil.rmtree(base, ignore_errors=True)
    catalog = make_tree(base / "in", n, specs)
    docs = n + (n + PER_COLLECTION - 1) // PER_COLLECTION + 1
    print(f"\n== static catalog: {n:,} items ({docs:,} documents)")
    raw = best(repeat, lambda: raw_copy(base / "in", base / "raw"))
    shutil.rmtree(base / "raw")
    print(f"raw orjson copy     {rate(docs, raw)}")
    digest = tree_digest(base / "in")
    runs = {}
    for jobs in (1, 2):
        out = base / f"j{jobs}"
        runs[jobs] = best(repeat, lambda: stacml("convert", catalog, "--to", "mlm", "-o", out, "-j", jobs, "-q"),
                          lambda: shutil.rmtree(out, ignore_errors=True))
        print(f"stacml -j {jobs}         {rate(docs, runs[jobs])}  {raw[0] / runs[jobs][0]:4.0%} of raw copy")
    print(f"-j 2 / -j 1         {runs[1][0] / runs[2][0]:.2f}x")
    again = stacml("convert", catalog, "--to", "mlm", "-o", base / "j2", "-j", "2", "-q")
    print(f"rerun, up to date   {rate(docs, again)}")
    shutil.rmtree(base / "j1")
    shutil.rmtree(base / "j2")
    out = base / "done-when"
    report = stacml("convert", catalog, "--to", "mlm", "-o", out, "--report", base / "report.json", "-q")
    count, broken = links_intact(out)
    totals = orjson.loads((base / "report.json").read_bytes())["totals"]
    print(f"with --report       {rate(docs, report)}; {count:,} outputs, {len(broken)} broken links, "
          f"report: {totals['documents']:,} documents, {totals['translated']:,} translated; inputs untouched: "
          f"{tree_digest(base / 'in') == digest}")
    shutil.rmtree(out)
    fill = stacml("convert", catalog, "--to", "mlm", "--fill-required", "-o", out, "-q")
    shutil.rmtree(out)
    os.environ["STACML_SCHEMAS"] = str(specs)  # the official schemas, offline
    checked = stacml("convert", catalog, "--to", "mlm", "--fill-required", "-o", out, "-q", "--validate",
                     check=False)
    print(f"--fill-required     {rate(docs, fill)}\n  and --validate    {rate(docs, checked)}")
    shutil.rmtree(base, ignore_errors=True)
    nd = make_ndjson(work / f"items-{n}.ndjson", n, specs)
    for jobs in (1, 2):
        t = best(repeat, lambda: stacml("convert", nd, "--to", "mlm", "-o", work / f"out-{n}.ndjson", "-j", jobs, "-q"))
        print(f"NDJSON -j {jobs}         {rate(n, t)}")
    nd.unlink()
    (work / f"out-{n}.ndjson").unlink()


def run_pystac(n: int, specs: Path, work: Path) -> None:
    base = work / f"pystac-{n}"
    catalog = make_tree(base / "in", n, specs)
    docs = n + (n + PER_COLLECTION - 1) // PER_COLLECTION + 1
    print(f"\n== pystac pipeline vs stacml on the same {n:,}-item catalog")
    py = pystac_pipeline(catalog, base / "pystac")
    print(f"pystac              {rate(docs, py)}")
    for jobs in (1, 2):
        t = stacml("convert", catalog, "--to", "mlm", "-o", base / f"j{jobs}", "-j", jobs, "-q")
        print(f"stacml -j {jobs}         {rate(docs, t)}  {py[0] / t[0]:.0f}x pystac")
    shutil.rmtree(base, ignore_errors=True)


def _tree_peaks_kb(pid: int) -> dict[int, int]:
    """Peak RSS so far (VmHWM, KB) of *pid* and each of its descendants (Linux /proc)."""
    peaks, stack = {}, [pid]
    while stack:
        p = stack.pop()
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks[p] = int(line.split()[1])
            for task in Path(f"/proc/{p}/task").iterdir():
                stack.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, ValueError):
            continue
    return peaks


def run_rss(n: int, specs: Path, work: Path) -> None:
    nd = make_ndjson(work / "rss.ndjson", n, specs)
    print(f"\n== peak RSS, {n:,} NDJSON items ({nd.stat().st_size / 1e6:,.0f} MB)")
    for jobs in (1, 2):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "translator", "convert", str(nd), "--to", "mlm", "-o",
                                 str(work / "rss-out.ndjson"), "-j", str(jobs), "-q"])
        peaks: dict[int, int] = {}
        while proc.poll() is None:
            for pid, kb in _tree_peaks_kb(proc.pid).items():
                peaks[pid] = max(kb, peaks.get(pid, 0))
            time.sleep(0.05)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        if proc.returncode != 0:
            sys.exit("the NDJSON run failed")
        print(f"NDJSON -j {jobs}: peak RSS {max(peaks.values()) / 1024:6.1f} MB (largest process), "
              f"{sum(peaks.values()) / 1024:6.1f} MB (all {len(peaks)} processes); {rate(n, (wall, cpu))}")
    nd.unlink()
    (work / "rss-out.ndjson").unlink()


if __name__ == "__main__":
    sys.exit(main())
