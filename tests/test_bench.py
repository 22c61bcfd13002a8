"""The benchmark scripts still run (tiny sizes; the figures themselves are not checked here:
speed targets live in bench/, read by people, not in timed tests)."""
from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT, SPECS


@pytest.mark.parametrize("script,args,summary", [
    ("translate.py", ["--specs", SPECS, "--repeat", "20"], "translate / orjson  ="),
    ("validate.py", ["--schemas", SPECS, "--rounds", "2"], "target >= 100x on valid documents"),
    ("scaling.py", ["--specs", SPECS, "--n", "5", "--each", "1"], "growths checked"),
    ("catalog.py", ["--specs", SPECS, "--sizes", "30", "--repeat", "1", "--pystac-items", "20", "--work", "{tmp}"],
     "stacml -j 2"),
])
def test_bench_script_runs(script, args, summary, tmp_path):
    args = [str(a).format(tmp=tmp_path) for a in args]
    run = subprocess.run([sys.executable, str(ROOT / "bench" / script), *args], capture_output=True, text=True,
                         timeout=600, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert summary in run.stdout, run.stdout[-2000:]
