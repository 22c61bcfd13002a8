"""The benchmark scripts still run (tiny sizes; the figures themselves are not checked here:
speed targets live in bench/, read by people, not in timed tests)."""
from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import CHECKOUT, ROOT, SPECS


@pytest.mark.parametrize("script,args,summary", [
    ("translate.py", ["--specs", SPECS, "--repeat", "20"], "translate / orjson  ="),
    ("validate.py", ["--schemas", SPECS, "--rounds", "2"], "target >= 100x on valid documents"),
    ("scaling.py", ["--specs", SPECS, "--n", "5", "--each", "1"], "growths checked"),
    ("catalog.py", ["--specs", SPECS, "--sizes", "30", "--repeat", "1", "--pystac-items", "20", "--work", "{tmp}"],
     "stacml -j 2"),
])
def test_bench_script_runs(script, args, summary, tmp_path):
    run = run_script(ROOT / "bench" / script, [str(a).format(tmp=tmp_path) for a in args], tmp_path)
    assert run.returncode == 0, run.stderr
    assert summary in run.stdout, run.stdout[-2000:]


def run_script(path, args: list[str], cwd) -> subprocess.CompletedProcess:
    """A script run from another directory (as the benchmarks are, to keep their files out of the
    checkout), on this checkout's code: the stacml it imports and the one it runs as a process."""
    return subprocess.run([sys.executable, str(path), *args], capture_output=True, text=True, timeout=600, cwd=cwd,
                          env=CHECKOUT)


def test_a_script_run_as_the_benchmarks_are_imports_this_checkout(tmp_path):
    """Run from a temporary directory, a script imported the translator of the editable install
    (another checkout's, from a worktree), and so measured that code."""
    script = tmp_path / "which.py"
    script.write_text("import subprocess, sys, translator\nprint(translator.__file__, flush=True)\n"
                      "subprocess.run([sys.executable, '-c', 'import translator; print(translator.__file__)'])\n")
    run = run_script(script, [], tmp_path)
    assert run.stdout.splitlines() == [str(ROOT / "translator" / "__init__.py")] * 2, run.stdout
