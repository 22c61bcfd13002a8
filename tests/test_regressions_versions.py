"""Counterexamples of laws 1-6 at a target version other than the newest (the property tests
draw it, as law 7 does), kept as plain tests calling ``run_laws(doc, target, version)``."""
from __future__ import annotations

import copy
import json

from conftest import SAMPLES, load_spec, schema_issues
from strategies import load_example
from laws import run_laws
from translator import translate


def test_a_dlm_member_spelled_as_the_other_version_is_said_to_come_back_renamed():
    """A beta2 document with beta.3's data_type (and the official beta.3 example, which spells
    beta2's dtype and nodata_value), to the other version: the member is written as it is, the
    target's own spelling, and the way back renames it; the forward report says so at its place."""
    doc = load_example("dlm/1.0.0-beta2/examples/item.json")
    data = doc["properties"]["dlm:data"]
    doc["properties"]["dlm:data"] = {("data_type" if k == "dtype" else k): v for k, v in data.items()}
    result = translate(copy.deepcopy(doc), to="dlm", version="1.0.0-beta.3")
    assert result.document["properties"]["dlm:data"]["data_type"] == "uint16"
    (found,) = [f for f in result.report.findings if f.code == "read-back-renamed"]
    assert (found.pointer, found.target) == ("/properties/dlm:data/data_type",) * 2
    assert "'dtype' back to 1.0.0-beta2" in found.message
    run_laws(doc, "dlm", "1.0.0-beta.3")
    official = load_example("dlm/1.0.0-beta.3/examples/item.json")
    result = translate(copy.deepcopy(official), to="dlm", version="1.0.0-beta2")
    assert [f.pointer for f in result.report.findings if f.code == "read-back-renamed"] == \
        ["/properties/dlm:data/dtype", "/properties/dlm:data/nodata_value"]
    run_laws(official, "dlm", "1.0.0-beta2")


def test_a_dlm_repair_fills_a_required_member_that_is_missing():
    """A repair (same version, fill_required) filled a required member that was null but not one
    that was missing: dlm:outputs without a task stayed invalid. It is filled as a null one is,
    at any depth (the placeholder task, the input placeholder's sizes); to the other version
    without fill_required it is a problem."""
    doc = json.loads((SAMPLES / "dlm-item.json").read_text())
    doc["properties"]["dlm:outputs"] = {"number_of_classes": 3}
    doc["properties"]["dlm:inputs"]["input_tensors"] = {"batch": 1, "dim": 3}
    result = translate(copy.deepcopy(doc), to="dlm", fill_required=True)
    assert result.document["properties"]["dlm:outputs"] == {"number_of_classes": 3, "task": "classification"}
    assert result.document["properties"]["dlm:inputs"]["input_tensors"] == {"batch": 1, "dim": 3, "height": 1, "width": 1}
    assert [(l.pointer, l.kind, l.value, l.target) for l in result.report.losses if l.kind == "synthesized"] == [
        ("", "synthesized", 1, "/properties/dlm:inputs/input_tensors/height"),
        ("", "synthesized", 1, "/properties/dlm:inputs/input_tensors/width"),
        ("", "synthesized", "classification", "/properties/dlm:outputs/task")]
    assert schema_issues(result.document) == []
    result = translate(copy.deepcopy(doc), to="dlm", version="1.0.0-beta2")
    assert [p.split(" ")[0] for p in result.report.problems] == [
        "/properties/dlm:inputs/input_tensors/height", "/properties/dlm:inputs/input_tensors/width",
        "/properties/dlm:outputs/task"]
    run_laws(doc, "dlm", "1.0.0-beta2")


def test_an_empty_dlm_object_to_the_other_version_is_dropped_at_its_pointer():
    """An empty dlm:data or dlm:outputs was carried to the other version as it was: invalid (the
    schemas want members, a task) and unreported. It has nothing to carry, as an empty
    dlm:outputs to another extension: left out, dropped at its pointer with its value."""
    doc = json.loads((SAMPLES / "dlm-item.json").read_text())
    doc["properties"]["dlm:data"] = {}
    doc["properties"]["dlm:outputs"] = {}
    result = translate(copy.deepcopy(doc), to="dlm", version="1.0.0-beta2")
    assert "dlm:data" not in result.document["properties"] and "dlm:outputs" not in result.document["properties"]
    assert [(l.pointer, l.kind, l.value) for l in result.report.losses if l.value == {}] == [
        ("/properties/dlm:outputs", "dropped", {}), ("/properties/dlm:data", "dropped", {})]
    run_laws(doc, "dlm", "1.0.0-beta2")
    same = translate(copy.deepcopy(doc), to="dlm").document["properties"]  # the identity keeps them
    assert same["dlm:data"] == {} and same["dlm:outputs"] == {}


def test_an_empty_mlm_1_5_list_written_to_an_older_mlm_is_reported():
    """Default profile with the target version drawn, 2026-12-07: an empty input variables or
    output bands list (MLM 1.5) written to MLM 1.0-1.4, which has no such key, was left out
    unreported (only a non-empty one was reported dropped)."""
    doc = load_spec("mlm/1.5.2/examples/item_basic.json")
    doc["properties"]["mlm:input"][0]["variables"] = []
    doc["properties"]["mlm:output"][0]["bands"] = []
    result = translate(copy.deepcopy(doc), to="mlm", version="1.4.0")
    assert "variables" not in result.document["properties"]["mlm:input"][0]
    assert "bands" not in result.document["properties"]["mlm:output"][0]
    assert [(l.pointer, l.kind, l.value) for l in result.report.losses if l.value == []] == [
        ("/properties/mlm:input/0/variables", "dropped", []), ("/properties/mlm:output/0/bands", "dropped", [])]
    for version in ("1.0.0", "1.4.0"):
        run_laws(doc, "mlm", version)


def test_a_reserved_dimension_whose_list_an_older_mlm_drops_is_said_to_come_back_renamed():
    """Default profile with the target version drawn, 2026-12-07: MLM 1.5 variables (or output
    bands) written to 1.0-1.4 are dropped, but the dimension named 'variables' stays (any name is
    fine there); read back as 1.5, which reserves the name, it became 'channel', unreported."""
    doc = load_spec("mlm/1.5.2/examples/item_datacube_variables.json")
    result = translate(copy.deepcopy(doc), to="mlm", version="1.0.0")
    assert result.document["properties"]["mlm:output"][0]["result"]["dim_order"] == ["time", "variables", "lat", "lon"]
    assert [(f.pointer, f.target) for f in result.report.findings if f.code == "read-back-renamed"] == [
        ("/properties/mlm:input/0/input/dim_order/1", "/properties/mlm:input/0/input/dim_order/1"),
        ("/properties/mlm:output/0/result/dim_order/1", "/properties/mlm:output/0/result/dim_order/1")]
    back = translate(result.document, to="mlm", source="mlm").document
    assert back["properties"]["mlm:output"][0]["result"]["dim_order"] == ["time", "channel", "lat", "lon"]
    run_laws(doc, "mlm", "1.0.0")
    doc["properties"]["mlm:output"][0]["bands"] = ["a", "b", "c"]  # output bands: dropped as well
    doc["properties"]["mlm:output"][0]["result"]["dim_order"] = ["time", "bands", "lat", "lon"]
    del doc["properties"]["mlm:output"][0]["variables"]
    run_laws(doc, "mlm", "1.4.0")
    # from 1.0-1.4 the source's names are put back: they come back as they were
    older = translate(copy.deepcopy(doc), to="mlm", version="1.2.0").document
    assert not [f for f in translate(older, to="mlm", version="1.0.0").report.findings if f.code == "read-back-renamed"]


def test_what_is_written_in_dlm_data_to_beta2_is_named_by_its_beta2_name():
    """Official MLM examples to DLM 1.0.0-beta2, with the target version drawn: the finding that
    the bands' data type went to dlm:data named data_type, which beta2 spells dtype (law 10)."""
    doc = load_spec("mlm/1.5.2/examples/item_raster_bands.json")
    result = translate(copy.deepcopy(doc), to="dlm", version="1.0.0-beta2")
    assert [f.target for f in result.report.findings if f.code == "to-dlm-data"] == [
        "/properties/dlm:data/dtype", "/properties/dlm:data/nodata_value", "/properties/dlm:data/number_of_bands"]
    run_laws(doc, "dlm", "1.0.0-beta2")


def test_a_norm_by_channel_of_a_newer_mlm_input_to_mlm_1_0_to_1_3_is_reported():
    """Official MLM 1.4-1.5.2 examples carry norm_by_channel (removed in 1.4.0) beside their
    value_scaling. To MLM 1.0-1.3 it was carried as it was, or overwritten by the one written from
    value_scaling, and read back as part of the normalisation: it did not come back, unreported."""
    for name, value in (("mlm/1.4.0/examples/item_eo_bands.json", True),
                        ("mlm/1.5.2/examples/item_datacube_variables.json", False)):
        doc = load_spec(name)
        for version in ("1.0.0", "1.3.0"):
            result = translate(copy.deepcopy(doc), to="mlm", version=version)
            (loss,) = [l for l in result.report.losses if l.pointer.endswith("norm_by_channel")]
            assert (loss.pointer, loss.kind, loss.value) == ("/properties/mlm:input/0/norm_by_channel", "dropped", value)
            run_laws(doc, "mlm", version)
    # without a value_scaling it is not written at all: 1.0-1.3 would read it as a normalisation
    doc = load_spec("mlm/1.4.0/examples/item_eo_bands.json")
    del doc["properties"]["mlm:input"][0]["value_scaling"]
    result = translate(copy.deepcopy(doc), to="mlm", version="1.3.0")
    assert "norm_by_channel" not in result.document["properties"]["mlm:input"][0]
    run_laws(doc, "mlm", "1.3.0")
    # a value_scaling written as norm_type and statistics brings a norm_by_channel of its own
    written = translate(load_spec("mlm/1.5.2/examples/item_eo_bands.json"), to="mlm", version="1.3.0").document
    assert written["properties"]["mlm:input"][0]["norm_by_channel"] is True


def test_a_model_role_a_1_3_source_code_asset_has_is_said_to_come_back_as_source_code():
    """Official MLM 1.3.0 examples to MLM 1.0-1.2: the source-code asset's mlm:model role is
    written back as the source has it, but the way back to 1.3.0 (whose band check wants bands on
    every mlm:model asset) reads it as mlm:source_code; the forward report said nothing."""
    for name in ("item_eo_and_raster_bands.json", "item_eo_bands_summarized.json"):
        doc = load_spec(f"mlm/1.3.0/examples/{name}")
        for version in ("1.0.0", "1.2.0"):
            result = translate(copy.deepcopy(doc), to="mlm", version=version)
            assert result.document["assets"]["source_code"]["roles"][0] == "mlm:model"
            assert [(f.pointer, f.target) for f in result.report.findings if f.code == "read-back-renamed"] == [
                ("/assets/source_code/roles/0", "/assets/source_code/roles/0")]
            run_laws(doc, "mlm", version)
    # a runtime asset's mlm:model is taken off on the way back; the identity says nothing
    doc["assets"]["runtime"] = {"href": "https://example.com/runtime.tar",
                                "roles": ["mlm:inference-runtime", "mlm:model", "runtime"]}
    result = translate(copy.deepcopy(doc), to="mlm", version="1.1.0")
    assert [f.pointer for f in result.report.findings if f.code == "read-back-renamed"] == [
        "/assets/source_code/roles/0", "/assets/runtime/roles/1"]
    run_laws(doc, "mlm", "1.1.0")
    assert not translate(copy.deepcopy(doc), to="mlm", version="1.3.0").report.findings


def test_item_raster_bands_an_older_mlm_keeps_are_said_to_move_on_the_way_back():
    """Default profile with the target version drawn: an official 1.0 example without
    stac_extensions (read as 1.3.0 by its norm_type), to MLM 1.0-1.2, kept its Item raster:bands
    and declared raster; the way back to 1.3.0 moved them to the model asset, unreported. So did a
    1.3 source's bands put back in the Item for 1.0-1.2, and a 1.4 source's Item bands to 1.3."""
    doc = load_spec("mlm/1.0.0/examples/item_multi_io.json")
    del doc["stac_extensions"]
    as_1_3 = load_spec("mlm/1.0.0/examples/item_multi_io.json")
    as_1_3["stac_extensions"][0] = as_1_3["stac_extensions"][0].replace("v1.0.0", "v1.3.0")
    newer = load_spec("mlm/1.4.0/examples/item_multi_io.json")
    newer["properties"]["raster:bands"] = newer["assets"]["weights"].pop("raster:bands")
    for source, version in ((doc, "1.0.0"), (doc, "1.2.0"), (as_1_3, "1.1.0"), (newer, "1.3.0")):
        result = translate(copy.deepcopy(source), to="mlm", version=version)
        assert "raster:bands" in result.document["properties"]
        assert [(f.pointer, f.target) for f in result.report.findings if f.code == "read-back-moved"] == [
            ("/properties/raster:bands", "/properties/raster:bands")]
        run_laws(source, "mlm", version)
    # back to a 1.0-1.2 source's own version the bands are put back in the Item: nothing to say
    official = load_spec("mlm/1.0.0/examples/item_multi_io.json")
    assert not [f for f in translate(official, to="mlm", version="1.2.0").report.findings
                if f.code == "read-back-moved"]


def test_a_dimension_holding_the_listed_bands_under_another_name_is_said_to_come_back_renamed():
    """Default profile with the target version drawn: an official 1.2 example without
    stac_extensions is read as MLM 1.5.2 and keeps its dimension 'channel' beside the listed
    bands; written to 1.0-1.4 as it is, read back as 1.5 it became 'bands', unreported."""
    doc = load_spec("mlm/1.2.0/examples/item_bands_expression.json")
    del doc["stac_extensions"]
    for version in ("1.0.0", "1.4.0"):
        result = translate(copy.deepcopy(doc), to="mlm", version=version)
        assert result.document["properties"]["mlm:input"][0]["input"]["dim_order"][1] == "channel"
        assert [(f.pointer, f.target) for f in result.report.findings if f.code == "read-back-renamed"] == [
            ("/properties/mlm:input/0/input/dim_order/1", "/properties/mlm:input/0/input/dim_order/1")]
        run_laws(doc, "mlm", version)
    back = translate(translate(copy.deepcopy(doc), to="mlm", version="1.4.0").document, to="mlm").document
    assert back["properties"]["mlm:input"][0]["input"]["dim_order"][1] == "bands"


def test_a_value_scaling_with_a_parameter_that_is_no_number_to_mlm_1_0_to_1_3_is_reported():
    """Medium profile with the target version drawn: a z-score value_scaling with a null mean
    (or a clip range the wrong way round) was written to MLM 1.0-1.3 as norm_type and statistics
    (norm_clip) that reading 1.0-1.3 cannot use: the way back dropped it, the forward report said
    nothing. Written only when read back the same; otherwise dropped, reported."""
    doc = load_spec("mlm/1.5.2/examples/item_eo_bands.json")
    doc["properties"]["mlm:input"][0]["value_scaling"][-1]["mean"] = None
    clipped = load_spec("mlm/1.5.2/examples/item_eo_bands.json")
    clipped["properties"]["mlm:input"][0]["value_scaling"] = [{"type": "clip", "minimum": 5, "maximum": 1}]
    for source in (doc, clipped):
        for version in ("1.0.0", "1.3.0"):
            result = translate(copy.deepcopy(source), to="mlm", version=version)
            written = result.document["properties"]["mlm:input"][0]
            assert not {"norm_type", "statistics", "norm_clip", "value_scaling"} & set(written)
            assert ("/properties/mlm:input/0/value_scaling", "dropped") in [
                (l.pointer, l.kind) for l in result.report.losses]
            run_laws(source, "mlm", version)


def test_a_model_role_a_1_5_source_code_asset_has_is_said_to_come_back_as_source_code():
    """Deep run 64: an MLM 1.5 Item whose source-code asset also has mlm:model (1.5 reads the
    roles as they are), to MLM 1.0-1.3: written as it is, but reading the output corrects it to
    mlm:source_code and the way back to 1.5 does not put it back; the forward report said nothing."""
    doc = copy.deepcopy(load_spec("mlm/1.5.2/examples/item_raster_bands.json"))
    doc["assets"]["source_code"]["roles"] = ["mlm:model", "code", "metadata"]
    for version in ("1.0.0", "1.3.0"):
        result = translate(copy.deepcopy(doc), to="mlm", version=version)
        assert result.document["assets"]["source_code"]["roles"] == ["mlm:model", "code", "metadata"]
        assert [(f.pointer, f.target) for f in result.report.findings if f.code == "read-back-renamed"] == [
            ("/assets/source_code/roles/0", "/assets/source_code/roles/0")]
        run_laws(doc, "mlm", version)
    assert not translate(copy.deepcopy(doc), to="mlm").report.findings  # the identity


def test_input_bands_left_out_for_an_older_mlm_say_the_dimension_comes_back_renamed():
    """Mutated official examples with the target version drawn, 2026-12-07: an input whose bands
    hold a null, to MLM 1.0-1.4: the bands were left out (refused) but the dimension 'bands'
    stayed; read back as 1.5, where an input listing no bands must not use the name, it became
    'channel', unreported."""
    doc = load_spec("mlm/1.5.2/examples/item_multi_io.json")
    doc["properties"]["mlm:input"][0]["bands"] = ["B04", "B03", "B02", None]
    for version in ("1.0.0", "1.3.0", "1.4.0"):
        result = translate(copy.deepcopy(doc), to="mlm", version=version)
        written = result.document["properties"]["mlm:input"][0]
        assert "bands" not in written and written["input"]["dim_order"] == ["batch", "bands", "height", "width"]
        assert [(l.pointer, l.kind, l.value) for l in result.report.losses if l.rule == "input-output-checked"] == [
            ("/properties/mlm:input/0/bands", "dropped", ["B04", "B03", "B02", None])]
        assert [(f.pointer, f.target) for f in result.report.findings if f.code == "read-back-renamed"] == [
            ("/properties/mlm:input/0/input/dim_order/1", "/properties/mlm:input/0/input/dim_order/1")]
        run_laws(doc, "mlm", version)


def test_what_an_older_mlm_transform_said_of_a_member_left_out_goes_with_it():
    """Mutated official examples, 2026-12-07: a list of one post-processing object lacking a
    format, to MLM 1.0: written as that object ('unwrapped' finding), which MLM then refused and
    left out; the finding named a place the output no longer has (law 10), and the loss was
    reported as a lossy part of the whole mlm:output rather than at the member's place."""
    doc = load_spec("mlm/1.5.2/examples/item_basic.json")
    doc["properties"]["mlm:output"][0]["post_processing_function"] = [{"k": "bottom"}]
    result = translate(copy.deepcopy(doc), to="mlm", version="1.0.0")
    assert "post_processing_function" not in result.document["properties"]["mlm:output"][0]
    assert [(l.pointer, l.kind, l.value) for l in result.report.losses if l.rule == "input-output-checked"] == [
        ("/properties/mlm:output/0/post_processing_function", "dropped", [{"k": "bottom"}])]
    assert not [f for f in result.report.findings if f.code == "unwrapped"]
    run_laws(doc, "mlm", "1.0.0")


def test_what_an_older_mlm_transform_said_of_an_input_follows_it_when_one_before_is_left_out():
    """An input left out whole (not an object): what the version transforms said of the next
    input names the place that input is written at, one earlier."""
    doc = load_spec("mlm/1.5.2/examples/item_basic.json")
    first = doc["properties"]["mlm:input"][0]
    first["pre_processing_function"] = [{"format": "python", "expression": "f"}]
    doc["properties"]["mlm:input"] = ["x", first]
    result = translate(copy.deepcopy(doc), to="mlm", version="1.0.0")
    assert result.document["properties"]["mlm:input"][0]["pre_processing_function"] == \
        {"format": "python", "expression": "f"}
    assert [(f.pointer, f.target) for f in result.report.findings if f.code == "unwrapped"] == [
        ("/properties/mlm:input/1/pre_processing_function", "/properties/mlm:input/0/pre_processing_function")]
    run_laws(doc, "mlm", "1.0.0")


def test_a_processing_expression_whose_format_mlm_refuses_is_left_out_whole():
    """Mutated official examples (medium profile), 2026-12-07: a pre-processing expression with
    a null format, to MLM 1.0: the format alone was left out, which left an expression object MLM
    refuses (it requires a format), and the way back dropped the rest unreported. The object goes
    whole, dropped at its place."""
    doc = load_spec("mlm/1.5.2/examples/item_multi_io.json")
    doc["properties"]["mlm:input"][1]["pre_processing_function"]["format"] = None
    result = translate(copy.deepcopy(doc), to="mlm", version="1.0.0", fill_required=True)
    assert "pre_processing_function" not in result.document["properties"]["mlm:input"][1]
    assert [(l.pointer, l.kind) for l in result.report.losses if l.rule == "input-output-checked"] == [
        ("/properties/mlm:input/1/pre_processing_function", "dropped")]
    assert "the object is left out whole: it requires that member" in result.report.losses[-1].reason
    assert not [i for i in schema_issues(result.document) if "pre_processing_function" in str(i)]
    run_laws(doc, "mlm", "1.0.0")
