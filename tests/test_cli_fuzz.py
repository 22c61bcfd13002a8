"""Hostile files at the command line: an error line and exit code 1, never a traceback."""
from __future__ import annotations

import json

from click.testing import CliRunner
from hypothesis import given, settings, strategies as st

from conftest import SPECS
from translator.cli import main

DUMMY = (SPECS / "ml-model/1.0.0/examples/dummy/item.json").read_bytes()


def _mangle(data: bytes, cut: int, junk: bytes) -> bytes:
    cut = cut % (len(data) + 1)
    return data[:cut] + junk + data[cut:]


FILES = st.one_of(
    st.binary(max_size=200),
    st.builds(_mangle, st.just(DUMMY), st.integers(0, 10_000), st.binary(min_size=1, max_size=8)),
    st.sampled_from([b"", b"null", b"[]", b"42", b'"x"', b"\xff\xfe{}", b'{"type": "Feature"}',
                     b'{"type": "Collection", "summaries": 3}', b"{" * 5000 + b"}" * 5000,
                     json.dumps({"type": "Feature", "properties": {"mlm:name": float("nan")}}).encode()]),
)


@settings(max_examples=40)
@given(content=FILES, to=st.sampled_from(["mlm", "ml-model"]))
def test_convert_never_shows_a_traceback(tmp_path_factory, content, to):
    path = tmp_path_factory.mktemp("fuzz") / "doc.json"
    path.write_bytes(content)
    result = CliRunner().invoke(main, ["convert", str(path), "--to", to])
    assert result.exit_code in (0, 1), result.output
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    if result.exit_code == 1:
        assert str(path) in result.output


@settings(max_examples=20)
@given(content=FILES)
def test_detect_and_audit_never_show_a_traceback(tmp_path_factory, content):
    path = tmp_path_factory.mktemp("fuzz") / "doc.json"
    path.write_bytes(content)
    for args in (["detect", str(path)], ["audit", str(path), "--to", "mlm"]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code in (0, 1, 3), (args, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
