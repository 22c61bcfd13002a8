"""Loading user mapping tables: every fault of a table is a MappingError naming the file (and
the rule), never a Python error; the YAML of a table means exactly one thing and holds JSON
values only; queries that meet a value of another type at run time give null."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import SAMPLES, TOY_TABLE, write_table
from translator import MappingError, load_tables, translate
from translator.table_files import builtin_dir, load_vocabulary
from translator.tables import load_table

MLM_ITEM = SAMPLES / "mlm-item.json"


def stacml(*args):
    return subprocess.run([sys.executable, "-m", "translator", *map(str, args)], capture_output=True, timeout=120)


def toy_item(**properties) -> dict:
    return {"type": "Feature", "stac_version": "1.0.0", "id": "x", "geometry": None, "links": [], "assets": {},
            "properties": {"datetime": None, **properties},
            "stac_extensions": ["https://example.org/toy/v1.0.0/schema.json"]}


# -- faults found while compiling a table -------------------------------------------------------


@pytest.mark.parametrize("rule, message", [
    ('{id: a, kind: move, field: "toy:a", pivot: name, when: "properties.(("}',
     "rule 'a': when 'properties.((' is not a valid jmespath expression"),
    ('{id: a, kind: move, field: "toy:a", pivot: name, when: "no_such_function(id)"}',
     "rule 'a': when 'no_such_function(id)' is not a valid jmespath expression: unknown function no_such_function()"),
    ('{id: a, kind: move, field: "toy:a", pivot: name, when: "length(id, id) > `0`"}',
     "length() takes 1 argument(s), not 2"),
    ('{id: a, kind: require, field: "toy:a", pivot: name, fallback: ["id(("]}',
     "rule 'a': fallback 'id((' is not a valid jmespath expression: the expression ends too early"),
    ('{id: a, kind: require, field: "toy:a", pivot: name, placeholder: "{{ id(( }}"}',
     "rule 'a': placeholder 'id((' is not a valid jmespath expression"),
    ('{id: a, kind: move, field: "toy:a", pivot: [name, architecture]}',
     "/rules/0/pivot: ['name', 'architecture'] is not of type 'string' (rule 'a')"),
    ('{id: a, kind: role, role: "toy:m", pivot: model, options: {with: 5}}',
     "/rules/0/options/with: 5 is not of type 'array' (rule 'a')"),
    ('{id: a, kind: move, field: "toy:a", pivot: tasks, allowed: [[1]]}',
     "/rules/0/allowed/0: [1] is not of type 'string', 'number', 'boolean', 'null' (rule 'a')"),
    ('{id: a, kind: move, field: "toy:a", pivot: tasks, values: {write: {classification: [1]}}}',
     "/rules/0/values/write/classification: [1] is not of type"),
    ('{id: a, kind: transform, transform: link-as-asset, options: {x: 1}, lossy: {reason: r}}',
     "rule 'a': options: 'kinds' is a required property (transform 'link-as-asset' takes: types, kinds)"),
    ('{id: a, kind: transform, transform: link-as-asset, options: {kinds: {"image:inference": {key: k}}}, '
     'lossy: {reason: r}}', "rule 'a': options/kinds/image:inference: 'roles' is a required property"),
    ('{id: a, kind: transform, transform: ensure-role-asset, direction: write, lossy: {reason: r}, '
     'options: {role: model, every: "yes"}}', "rule 'a': options/every: 'yes' is not of type 'boolean'"),
    # a transform that declares no options takes none: a misspelt or stray option is not ignored
    ('{id: a, kind: transform, transform: dlm-io, options: {tasks: true}}',
     "rule 'a': options: Additional properties are not allowed ('tasks' was unexpected) (transform 'dlm-io' "
     "takes: no options)"),
    ('{id: a, kind: transform, transform: raster-data-bands, lossy: {reason: r}, options: {rol: model}}',
     "rule 'a': options: Additional properties are not allowed ('rol' was unexpected) (transform "
     "'raster-data-bands' takes: role)"),
    ('{id: a, kind: move, field: "toy:a", pivot: name, options: {x: 1}}',
     "rule 'a': a move rule takes no options (only transform and role rules do)"),
])
def test_a_fault_found_while_compiling_names_the_file_and_the_rule(tmp_path, rule, message):
    path = write_table(tmp_path, f"- {rule}\n")
    with pytest.raises(MappingError) as err:
        load_tables([tmp_path])
    assert str(err.value).startswith(f"{path}: ") and message in str(err.value), str(err.value)


def test_every_fault_of_a_table_is_reported_and_the_first_counts_the_others(tmp_path):
    path = write_table(tmp_path, """\
        - {id: a, kind: move, field: "toy:a", pivot: name, when: "id(("}
        - {id: b, kind: move, field: "toy:b", pivot: not_a_pivot_field}
        - {id: a, kind: move, field: "toy:c", pivot: architecture}
        """)
    with pytest.raises(MappingError) as err:
        load_tables([tmp_path])
    # each line names the file, the JSON pointer of the rule (of its id, when used twice) and the rule
    assert str(err.value) == (f"{path}: /rules/0: rule 'a': when 'id((' is not a valid jmespath expression: the "
                              "expression ends too early (and 2 more fault(s) in this file; `stacml tables` lists them)")
    assert [str(f) for f in err.value.faults[1:]] == [
        f"{path}: /rules/1: rule 'b' names 'not_a_pivot_field', which is not a pivot field (see pivot.yaml)",
        f"{path}: /rules/2/id: rule id 'a' is used twice"]
    data = json.loads(stacml("tables", "--mappings", tmp_path, "--format", "json").stdout)
    assert [e["pointer"] for e in data["errors"]] == ["/rules/0", "/rules/1", "/rules/2/id"]


def test_a_fault_of_the_header_names_its_pointer(tmp_path):
    header = TOY_TABLE.replace('default_version: "1.0.0"', 'default_version: "2.0.0"').replace(
        "rules:\n", 'aliases: {"https://example.com/toy/v9/schema.json": "9.0.0"}\nrules:\n')
    assert header.count("2.0.0") == header.count("aliases") == 1
    path = write_table(tmp_path, "- {id: a, kind: move, field: \"toy:a\", pivot: name}\n", header=header)
    with pytest.raises(MappingError) as err:
        load_tables([tmp_path])
    assert [str(f) for f in err.value.faults] == [
        f"{path}: /default_version: default_version 2.0.0 is not in versions",
        f"{path}: /aliases/https:~1~1example.com~1toy~1v9~1schema.json: alias "
        "'https://example.com/toy/v9/schema.json' names unknown version 9.0.0"]


def test_every_fault_of_one_rule_is_reported(tmp_path):
    """One rule with several faults: each is listed, not only the first its checks meet."""
    path = write_table(tmp_path, """\
        - {id: a, kind: move, field: "toy:a", pivot: not_a_pivot_field, when: "id((", versions: ["9.9", "1.0.0"],
           fallback: ["x(("], values: {write: {b: c}}}
        - {id: b, kind: transform, transform: link-as-asset, direction: write, options: {kind: {}}}
        """)
    with pytest.raises(MappingError) as err:
        load_tables([tmp_path])
    assert [str(f).removeprefix(f"{path}: ").split(": ", 1)[1] for f in err.value.faults] == [
        "rule 'a': when 'id((' is not a valid jmespath expression: the expression ends too early",
        "rule 'a': fallback 'x((' is not a valid jmespath expression: the expression ends too early",
        "rule 'a' names unknown version 9.9",
        "rule 'a' names 'not_a_pivot_field', which is not a pivot field (see pivot.yaml)",
        "rule 'a': values ['b'] are written one-way (they do not read back to the same pivot value); mark the "
        "rule lossy with a reason",
        "rule 'b': transform 'link-as-asset' is not reversible; mark the rule lossy",
        "rule 'b': options: 'kinds' is a required property (transform 'link-as-asset' takes: types, kinds)",
        "rule 'b': options: Additional properties are not allowed ('kind' was unexpected) (transform "
        "'link-as-asset' takes: types, kinds)"]
    run = stacml("tables", "--mappings", tmp_path)
    assert run.returncode == 1 and len(run.stderr.decode().splitlines()) == 8, run.stderr


def test_stacml_tables_prints_one_line_per_fault_of_every_file(tmp_path):
    write_table(tmp_path, """\
        - {id: a, kind: move, field: "toy:a", pivot: name, when: "properties.(("}
        - {id: b, kind: role, role: "toy:m", pivot: model, options: {with: 5}}
        - {id: c, kind: move, field: "toy:c", pivot: tasks, allowed: [[1]]}
        """, "one.yaml")
    write_table(tmp_path, """\
        - {id: a, kind: move, field: "toy:a", pivot: name, when: "length(id, id)"}
        - {id: b, kind: transform, transform: link-as-asset, options: {x: 1}, lossy: {reason: r}}
        """, "two.yaml", TOY_TABLE.replace("toy", "two"))
    (tmp_path / "three.yaml").write_text("format: !!python/object/apply:os.getcwd []\n")
    run = stacml("tables", "--mappings", tmp_path)
    lines = run.stderr.decode().splitlines()
    assert run.returncode == 1 and b"unexpected failure" not in run.stderr, run.stderr
    assert [line.split(": ", 2)[1] for line in lines] == [str(tmp_path / "one.yaml")] * 2 + [
        str(tmp_path / "three.yaml")] + [str(tmp_path / "two.yaml")] * 3, lines
    assert "/rules/1/options/with: 5 is not of type 'array' (rule 'b')" in lines[0]
    assert "/rules/2/allowed/0: [1] is not of type" in lines[1]
    assert "rule 'b': options: 'kinds' is a required property" in lines[4]
    assert "rule 'b': options: Additional properties are not allowed ('x' was unexpected)" in lines[5]
    data = json.loads(stacml("tables", "--mappings", tmp_path, "--format", "json").stdout)
    assert [e["file"] for e in data["errors"]] == [line.split(": ", 2)[1] for line in lines]


@pytest.mark.parametrize("command", [("convert", MLM_ITEM, "--to", "mlm"), ("audit", MLM_ITEM, "--to", "mlm"),
                                     ("detect", MLM_ITEM), ("crosswalk", "--from", "mlm", "--to", "dlm")])
def test_a_table_that_cannot_be_loaded_is_a_usage_error(tmp_path, command):
    path = write_table(tmp_path, '- {id: a, kind: move, field: "toy:a", pivot: nothing}\n')
    for run in (stacml(*command, "--mappings", tmp_path),
                subprocess.run([sys.executable, "-m", "translator", *map(str, command)], capture_output=True,
                               timeout=120, env={**os.environ, "STACML_MAPPINGS": str(tmp_path)})):
        assert run.returncode == 2 and run.stdout == b"", run.stderr
        assert run.stderr.decode().splitlines() == [
            f"error: {path}: /rules/0: rule 'a' names 'nothing', which is not a pivot field (see pivot.yaml)"]


def test_link_as_asset_options_are_checked_at_load_not_when_converting(tmp_path):
    write_table(tmp_path, '- {id: a, kind: transform, transform: link-as-asset, options: {x: 1}, '
                          'lossy: {reason: r}}\n')
    run = stacml("convert", "--mappings", tmp_path, MLM_ITEM, "--to", "toy")
    assert b"KeyError" not in run.stderr and b"toy.yaml: /rules/0: rule 'a': options: 'kinds' is a required" in run.stderr


@settings(max_examples=60, derandomize=True, database=None, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_table_with_any_value_in_any_rule_key_loads_or_is_one_mapping_error(tmp_path, data):
    """Any JSON value under any key of a built-in rule: the table loads, or is refused with a
    MappingError naming the file and the rule; no other exception escapes."""
    raw = yaml.safe_load((builtin_dir() / "mlm.yaml").read_text())
    index = data.draw(st.integers(0, len(raw["rules"]) - 1))
    rule = raw["rules"][index]
    key = data.draw(st.sampled_from(sorted(set(rule) - {"id"} | {"when", "fallback", "placeholder", "pivot",
                                                                "options", "allowed", "values", "match", "value"})))
    scalars = st.none() | st.booleans() | st.integers(-5, 5) | st.text(max_size=8)
    value = data.draw(st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                                   | st.dictionaries(st.text(max_size=6), inner, max_size=3), max_leaves=6))
    if isinstance(rule.get(key), dict) and isinstance(value, dict) and data.draw(st.booleans()):
        value = {**rule[key], **value}  # keep the known options, add odd ones
    rule[key] = value
    path = tmp_path / "mlm.yaml"
    path.write_text(json.dumps(raw))
    try:
        load_table(path, load_vocabulary(builtin_dir()))
    except MappingError as exc:
        assert str(exc).startswith(f"{path}: "), str(exc)


# -- the YAML of a table -----------------------------------------------------------------------


def test_a_key_given_twice_is_refused_with_its_line_but_a_merge_may_be_overridden(tmp_path):
    path = write_table(tmp_path, """\
        - {id: arch, kind: move, field: "toy:arch", pivot: architecture}
        """)
    path.write_text(path.read_text() + "rules:\n  - {id: name, kind: move, field: \"toy:name\", pivot: name}\n")
    with pytest.raises(MappingError) as err:
        load_tables([tmp_path])
    assert str(err.value) == (f"{path}: invalid YAML at line 9 column 1: the key 'rules' appears twice in one "
                              "mapping (first at line 7); YAML would keep only the last value")
    write_table(tmp_path, """\
        - id: tasks
          kind: move
          field: "toy:task"
          pivot: tasks
          field: "toy:tsk"
        """)
    with pytest.raises(MappingError, match="line 12 column 5: the key 'field' appears twice"):
        load_tables([tmp_path])
    write_table(tmp_path, '- {id: tasks, kind: move, field: "toy:task", pivot: tasks, field: "toy:tsk"}\n')
    with pytest.raises(MappingError, match=r"line 8 column 62: the key 'field' appears twice .*\(first at line 8\)"):
        load_tables([tmp_path])  # (on one line too)
    # the keys a merge brings in may be given again: that is what a merge is for
    write_table(tmp_path, """\
        - &base {id: arch, kind: move, field: "toy:arch", pivot: architecture}
        - {<<: *base, id: name, field: "toy:name", pivot: name}
        """)
    toy = load_tables([tmp_path])["toy"]
    assert [(r.id, r.field, r.pivot) for r in toy.rules] == [("arch", "toy:arch", "architecture"),
                                                             ("name", "toy:name", "name")]
    # a merged mapping means what it says (its own key wins over the one it merges), wherever it is used
    write_table(tmp_path, """\
        - {id: a, kind: const, field: "toy:a", value: {<<: &n {<<: {k: 1}, k: 2}}}
        - {id: b, kind: const, field: "toy:b", value: *n}
        """)
    assert [r.value for r in load_tables([tmp_path])["toy"].rules] == [{"k": 2}, {"k": 2}]


def test_aliases_that_expand_too_far_are_refused_quickly(tmp_path):
    bomb = '&a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'
    for level, previous in zip("bcdefghi", "abcdefgh"):
        bomb = f"&{level} [{bomb}" + f", *{previous}" * 8 + "]"
    path = write_table(tmp_path, f'- {{id: a, kind: const, field: "toy:a", value: 1, note: {bomb}}}\n')
    assert path.stat().st_size < 700
    with pytest.raises(MappingError) as err:
        load_tables([tmp_path])
    assert str(err.value) == (f"{path}: YAML aliases expand the table to 435848077 values, 435848032 more than it "
                              "writes out; aliases may add at most 100000 (write the values out, or use fewer aliases)")
    write_table(tmp_path, '- {id: a, kind: const, field: "toy:a", value: &v [1, *v]}\n')
    with pytest.raises(MappingError, match="toy.yaml: a YAML alias at line 8 refers to a node that holds it"):
        load_tables([tmp_path])


@pytest.mark.parametrize("value, message", [
    (".nan", "/rules/0/value: nan is not a JSON number (rule 'a')"),
    ("-.inf", "/rules/0/value: -inf is not a JSON number (rule 'a')"),
    ("!!binary aGVsbG8=", "/rules/0/value: binary data (!!binary) is not a JSON value (rule 'a')"),
    ("!!set {a: null}", "/rules/0/value: a set (!!set) is not a JSON value (rule 'a')"),
    ("!!omap [a: 1]", "/rules/0/value/0: an ordered pair (!!omap or !!pairs) is not a JSON value (rule 'a')"),
    ("{1: a}", "/rules/0/value: the key 1 is a number, not a string (quote it) (rule 'a')"),
    ("{yes: a}", "/rules/0/value: the key True is a boolean, not a string (quote it) (rule 'a')"),
    ("!!timestamp 2020-01-01", "/rules/0/value: a date (datetime.date(2020, 1, 1)) is not a JSON value (rule 'a')"),
])
def test_values_json_cannot_hold_are_refused_naming_the_rule(tmp_path, value, message):
    path = write_table(tmp_path, f'- {{id: a, kind: const, field: "toy:a", value: {value}}}\n')
    with pytest.raises(MappingError) as err:
        load_tables([tmp_path])
    assert str(err.value) == f"{path}: {message}"


def test_a_date_in_a_table_is_the_string_it_is_written_as(tmp_path):
    write_table(tmp_path, '- {id: a, kind: const, field: "toy:a", value: 2020-01-01}\n')
    tables = load_tables([tmp_path])
    out = translate(json.loads(MLM_ITEM.read_text()), "toy", tables=tables).document
    assert out["properties"]["toy:a"] == "2020-01-01"
    back = translate(out, "toy", tables=tables)  # the marker reads back as the table's own value
    assert back.document == out and back.report.findings == [] and back.report.losses == []


def test_tables_named_yml_are_read_too(tmp_path):
    write_table(tmp_path, '- {id: arch, kind: move, field: "toy:arch", pivot: architecture}\n', "toy.yml")
    assert load_tables([tmp_path])["toy"].file == str(tmp_path / "toy.yml")
    run = stacml("tables", "--mappings", tmp_path)
    assert run.returncode == 0 and str(tmp_path / "toy.yml").encode() in run.stdout, run.stdout


def test_a_directory_named_again_lists_its_tables_once(tmp_path):
    """`stacml tables --mappings mappings/` (the built-in folder) listed every table twice, and a
    directory given twice did too: each table is listed once, by its file."""
    write_table(tmp_path, '- {id: arch, kind: move, field: "toy:arch", pivot: architecture}\n')
    data = json.loads(stacml("tables", "--mappings", builtin_dir(), "--mappings", tmp_path, "--mappings",
                             os.path.join(str(tmp_path), "."), "--format", "json").stdout)
    builtin = sorted(str(p) for p in builtin_dir().glob("*.yaml") if p.name != "pivot.yaml")
    assert [row["file"] for row in data["tables"]] == builtin + [str(tmp_path / "toy.yaml")]
    assert all(row["in_use"] for row in data["tables"]) and data["errors"] == []
    text = stacml("tables", "--mappings", builtin_dir()).stdout.decode().splitlines()
    assert len(text) == 1 + len(builtin) and not any("(replaced)" in line for line in text)


# -- queries at run time ----------------------------------------------------------------------


def test_a_condition_that_meets_a_value_of_another_type_does_not_hold(tmp_path):
    write_table(tmp_path, """\
        - id: params
          kind: move
          field: "toy:params"
          pivot: total_parameters
          when: "length(properties.\\"toy:params\\") > `0`"
        """)
    tables = load_tables([tmp_path])
    result = translate(toy_item(**{"toy:params": 12}), "mlm", tables=tables)  # length() of a number
    assert "mlm:total_parameters" not in result.document["properties"]
    assert [(loss.pointer, loss.kind) for loss in result.report.losses if "toy:" in loss.pointer] == \
        [("/properties/toy:params", "unknown")]
    translate(json.loads(MLM_ITEM.read_text()), "toy", tables=tables)  # length() of null, when writing


def test_a_fill_values_condition_that_meets_another_type_does_not_hold():
    doc = json.loads((SAMPLES / "ml-model-item.json").read_text())
    fill = [{"when": "length(properties.absent) > `0`", "values": {"mlm:input": [{"x": 1}]}},  # length(null)
            {"when": "length(id) > `0`", "values": {"mlm:input": []}}]
    result = translate(doc, "mlm", fill_values=fill)
    assert result.document["properties"]["mlm:input"] == []


def test_a_vocabulary_section_misspelt_or_of_another_shape_is_a_fault(tmp_path):
    """A user's pivot.yaml whose section is misspelt, or is not a mapping, was skipped without a
    word (its names then unknown to every rule); each is a fault naming the file and the pointer."""
    (tmp_path / "pivot.yaml").write_text(
        "format: stacml-pivot/1\nfields: 5\nfeilds: {a: {}}\nasset_fields:\n  x: 5\n  y: {type: string}\n"
        "roles: {r: a role}\n")
    run = stacml("tables", "--mappings", tmp_path)
    path = tmp_path / "pivot.yaml"
    assert run.returncode == 1 and run.stderr.decode().splitlines() == [
        f"error: {path}: /fields: 'fields' must be a mapping of names",
        f"error: {path}: /feilds: unknown section 'feilds' (a vocabulary has fields, asset_fields, roles, links)",
        f"error: {path}: /asset_fields/x: pivot field 'x' must be described by a mapping (type, words, doc)"]
    run = stacml("convert", SAMPLES / "mlm-item.json", "--to", "mlm", "--mappings", tmp_path)
    assert run.returncode == 2 and run.stderr.decode().splitlines() == [
        f"error: {path}: /fields: 'fields' must be a mapping of names (and 2 more fault(s) in this file; "
        "`stacml tables` lists them)"]


def test_two_tables_of_one_extension_in_one_directory_are_a_fault(tmp_path):
    """Which of two tables of 'toy' in one directory counted hung on their file names; the second
    is a fault (a table replaces another only from a later directory)."""
    write_table(tmp_path, '- {id: a, kind: move, field: "toy:a", pivot: name}\n', "a.yaml")
    second = write_table(tmp_path, '- {id: b, kind: move, field: "toy:b", pivot: name}\n', "b.yml")
    line = (f"error: {second}: /extension: extension 'toy' has a table in this directory already (a.yaml); "
            "keep one")
    run = stacml("tables", "--mappings", tmp_path)
    assert run.returncode == 1 and run.stderr.decode().splitlines() == [line]
    assert run.stdout.decode().count("toy:") == 1 and str(tmp_path / "a.yaml") in run.stdout.decode()
    run = stacml("convert", SAMPLES / "mlm-item.json", "--to", "toy", "--mappings", tmp_path)
    assert run.returncode == 2 and run.stdout == b"" and run.stderr.decode().splitlines() == [line]
    # from a later directory, a table of the same extension replaces it, as before
    later = write_table(tmp_path / "later", '- {id: b, kind: move, field: "toy:b", pivot: name}\n')
    second.unlink()
    run = stacml("tables", "--mappings", tmp_path, "--mappings", later.parent)
    assert run.returncode == 0 and f"{tmp_path / 'a.yaml'} (replaced)" in run.stdout.decode()


def test_a_table_with_the_prefix_of_another_extension_in_use_is_a_fault(tmp_path):
    """A table 'toy3' with MLM's prefix made every MLM document 'also use toy3'; it is a fault
    naming the file, /prefix and the table that has the prefix already."""
    path = write_table(tmp_path, '- {id: a, kind: move, field: "mlm:a", pivot: name}\n',
                       header=TOY_TABLE.replace('prefix: "toy:"', 'prefix: "mlm:"'))
    mlm = builtin_dir() / "mlm.yaml"
    line = f"error: {path}: /prefix: prefix 'mlm:' is that of extension 'mlm' too ({mlm}); give each extension its own"
    run = stacml("tables", "--mappings", tmp_path)
    assert run.returncode == 1 and run.stderr.decode().splitlines() == [line]
    run = stacml("detect", SAMPLES / "mlm-item.json", "--mappings", tmp_path)
    assert run.returncode == 2 and run.stderr.decode().splitlines() == [line]
    # a table that replaces the mlm one may keep its prefix
    path.write_text(path.read_text().replace("extension: toy", "extension: mlm"))
    assert stacml("tables", "--mappings", tmp_path).returncode == 0


def test_a_mapping_directory_from_the_environment_that_is_a_file_says_so(tmp_path):
    """STACML_MAPPINGS naming a file said the directory 'does not exist'."""
    item = SAMPLES / "mlm-item.json"
    run = subprocess.run([sys.executable, "-m", "translator", "tables"], capture_output=True, timeout=120,
                         env={**os.environ, "STACML_MAPPINGS": str(item)})
    assert run.returncode == 1 and run.stderr.decode().splitlines() == [
        f"error: {item}: not a mapping directory: it is a file"]
    run = subprocess.run([sys.executable, "-m", "translator", "tables"], capture_output=True, timeout=120,
                         env={**os.environ, "STACML_MAPPINGS": str(tmp_path / "missing")})
    assert run.returncode == 1 and run.stderr.decode().splitlines() == [
        f"error: {tmp_path / 'missing'}: mapping directory does not exist"]
