"""The wheel ships every mapping table and project schema, so a non-editable install works."""
from __future__ import annotations

import subprocess
import sys
import zipfile

from conftest import ROOT


def test_wheel_contains_tables_and_schemas(tmp_path):
    run = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
                         capture_output=True, timeout=600)
    assert run.returncode == 0, run.stderr.decode()[-2000:]
    (wheel,) = tmp_path.glob("stacml_translator-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for table in (ROOT / "mappings").glob("*.yaml"):
        assert f"translator/mappings/{table.name}" in names
    for schema in (ROOT / "translator" / "schemas").rglob("*.json"):
        assert schema.relative_to(ROOT).as_posix() in names
    assert "translator/__main__.py" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "stacml = translator.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
