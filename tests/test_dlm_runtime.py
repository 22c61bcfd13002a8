"""DLM's runtime (docker image, Dockerfile, GPU need, source code, commit) and model archive
<-> MLM's container, source-code and archive-entry assets, and ml-model's inferencing image."""
from __future__ import annotations

import copy

import pytest

from conftest import extension_errors, load_spec
from test_dlm import MLM, ML_MODEL, load, project_errors
from translator import translate
from translator.residue import same

def test_runtime_archive_and_bands_come_back_from_mlm():
    """The MLM assets and fields read from DLM's runtime, archive and bands, written back to
    DLM without restore: the values DLM can hold come back where DLM keeps them."""
    doc = load("dlm/1.0.0-beta.3/examples/item.json")
    mlm = translate(doc, to="mlm").document
    back = translate(mlm, to="dlm")
    props, original = back.document["properties"], doc["properties"]
    runtime = props["dlm:runtime"]
    assert runtime["docker"] == {"docker_file": original["dlm:runtime"]["docker"]["docker_file"],
                                 "image_name": "thelper-geo:latest", "gpu": True}
    assert runtime["model_src_url"] == original["dlm:runtime"]["model_src_url"]
    assert runtime["model_handler"] == original["dlm:runtime"]["model_handler"]
    assert props["dlm:archive"] == [{"name": e["name"], "role": e["role"][0]} for e in original["dlm:archive"]]
    assert props["dlm:data"]["useful_bands"] == [{"index": i, "name": n} for i, n in enumerate(["red", "green", "nir"])]
    assert props["dlm:data"]["item_examples"] == original["dlm:data"]["item_examples"]
    assert set(back.document["assets"]) == {"model_archive"}
    assert project_errors(back.document) == []


def test_an_archive_role_without_a_home_is_reported_where_the_source_wrote_it():
    doc = load("dlm/1.0.0-beta.3/examples/item.json")
    result = translate(doc, to="ml-model")
    weights = [(l.pointer, l.kind, l.value) for l in result.report.losses if "dlm:archive" in l.pointer]
    assert weights == [("/properties/dlm:archive/2/role", "dropped", ["model weight"])]
    assert doc["properties"]["dlm:archive"][2]["role"] == ["model weight"]
    assert "roles" not in result.document["assets"]["ckpt.best.pth"]  # ml-model has no weights role


def test_docker_file_is_an_inference_runtime_asset_in_mlm_and_comes_back():
    doc = load("dlm/1.0.0-beta.3/examples/item.json")
    frozen = copy.deepcopy(doc)
    url = doc["properties"]["dlm:runtime"]["docker"]["docker_file"]
    result = translate(doc, to="mlm", fill_required=True)
    assert result.document["assets"]["dockerfile"] == {
        "href": url, "type": "text/x-dockerfile", "title": "Dockerfile of the inference image",
        "roles": ["mlm:inference-runtime", "runtime"]}
    assert "/properties/dlm:runtime/docker/docker_file" not in {l.pointer for l in result.report.losses}
    assert ("/properties/dlm:runtime/docker/docker_file", "/assets/dockerfile") in {
        (f.pointer, f.target) for f in result.report.findings}
    assert extension_errors(result.document, MLM) == []
    assert same(doc, frozen)
    # read back as MLM (a runtime asset, not a container image) and into DLM's docker object
    assert translate(result.document, to="mlm").document["assets"]["dockerfile"] == \
        result.document["assets"]["dockerfile"]
    back = translate(result.document, to="dlm")
    assert back.document["properties"]["dlm:runtime"]["docker"]["docker_file"] == url
    assert "dockerfile" not in back.document["assets"]
    assert translate(result.document, to="dlm", restore=result.report).document == frozen
    # ml-model: the asset keeps its media type, with ml-model's runtime role
    assert translate(doc, to="ml-model").document["assets"]["dockerfile"]["roles"] == [
        "ml-model:inference-runtime", "runtime"]


def test_a_dockerfile_alone_carries_the_gpu_need_back_to_dlm():
    """DLM's docker object needs an image name or a Dockerfile: with a Dockerfile only, the GPU
    need comes back too, and the output is valid for the project schema."""
    doc = load("dlm/1.0.0-beta.3/examples/item.json")
    doc = copy.deepcopy(doc)
    doc["properties"]["dlm:runtime"]["docker"] = {"docker_file": "https://example.com/Dockerfile", "gpu": False}
    mlm = translate(doc, to="mlm", fill_required=True)
    assert "inference-image" not in mlm.document["assets"]
    back = translate(mlm.document, to="dlm")
    assert back.document["properties"]["dlm:runtime"]["docker"] == {
        "docker_file": "https://example.com/Dockerfile", "gpu": False}
    assert back.report.losses == [] or all("docker" not in l.pointer for l in back.report.losses)
    assert project_errors(back.document) == []


@pytest.mark.parametrize("target,kinds", [("mlm", ["assumed"]), ("ml-model", ["dropped"]), ("tdml", ["dropped"])])
def test_the_gpu_need_is_a_guess_of_the_accelerator_not_a_loss(target, kinds):
    """docker.gpu: true reads as the accelerator 'cuda', a guess (DLM does not say which GPU) that
    reads back as it was: assumed, not lossy. A target without an accelerator drops the value, and
    the guess, which is then in no output, is not reported beside it."""
    doc = load("dlm/1.0.0-beta.3/examples/item.json")
    result = translate(doc, to=target)
    at_gpu = [l.kind for l in result.report.losses if l.pointer == "/properties/dlm:runtime/docker/gpu"]
    assert at_gpu == kinds


def test_an_mlm_dockerfile_asset_with_more_than_dlm_holds_is_reported():
    doc = copy.deepcopy(load_spec("mlm/1.5.2/examples/item_basic.json"))
    doc["assets"]["build"] = {"href": "https://example.com/Dockerfile", "type": "text/x-dockerfile",
                              "description": "builds the image", "roles": ["mlm:inference-runtime", "runtime"]}
    doc["assets"]["compose"] = {"href": "https://example.com/compose.yml", "type": "text/x-yaml; application=compose",
                                "roles": ["mlm:inference-runtime", "runtime"]}
    result = translate(doc, to="dlm", fill_required=True)
    assert result.document["properties"]["dlm:runtime"]["docker"]["docker_file"] == "https://example.com/Dockerfile"
    assert "build" not in result.document["assets"] and "compose" in result.document["assets"]
    lost = {l.pointer: l for l in result.report.losses}
    assert lost["/assets/build/description"].value == "builds the image"  # each part DLM lacks, at its place
    assert lost["/assets/build/description"].target == "/properties/dlm:runtime/docker/docker_file"
    assert translate(result.document, to="mlm", restore=result.report).document == doc


def test_commit_hash_is_pinned_in_a_github_url_and_read_back():
    doc = copy.deepcopy(load("dlm/1.0.0-beta.3/examples/item.json"))
    doc["properties"]["dlm:runtime"]["model_commit_hash"] = "0123abcd"
    mlm = translate(doc, to="mlm").document
    assert mlm["assets"]["source-code"]["href"] == "https://github.com/crim-ca/gin-model-repo/tree/0123abcd"
    runtime = translate(mlm, to="dlm").document["properties"]["dlm:runtime"]
    assert runtime["model_src_url"] == "https://github.com/crim-ca/gin-model-repo"
    assert runtime["model_commit_hash"] == "0123abcd"


def test_container_image_goes_to_ml_model_as_an_inferencing_image_link():
    doc = load("dlm/1.0.0-beta.3/examples/item.json")
    result = translate(doc, to="ml-model", fill_required=True)
    links = [l for l in result.document["links"] if l.get("rel") == "ml-model:inferencing-image"]
    assert [l["href"] for l in links] == ["thelper-geo:latest"]
    assert extension_errors(result.document, ML_MODEL) == []


def test_mlm_container_and_source_code_assets_to_dlm():
    doc = load_spec("mlm/1.5.2/examples/item_basic.json")
    doc = copy.deepcopy(doc)
    doc["assets"]["image"] = {"href": "ghcr.io/org/model:1.0", "type": "application/vnd.oci.image.index.v1+json",
                              "roles": ["mlm:inference-runtime", "runtime"]}
    doc["assets"]["code"] = {"href": "https://example.com/model-code", "roles": ["mlm:source_code", "code"],
                             "mlm:entrypoint": "pkg.module:main"}
    doc["properties"]["mlm:accelerator"] = "amd64"
    result = translate(doc, to="dlm", fill_required=True)
    runtime = result.document["properties"]["dlm:runtime"]
    assert runtime["docker"] == {"image_name": "ghcr.io/org/model:1.0", "gpu": False}
    assert runtime["model_src_url"] == "https://example.com/model-code"
    assert runtime["model_handler"] == "pkg.module:main"
    assert "image" not in result.document["assets"] and "code" not in result.document["assets"]
    assert project_errors(result.document) == []
    assert translate(result.document, to="mlm", restore=result.report).document == doc


@pytest.mark.parametrize("order", ["version first", "variant first"])
def test_a_runtime_with_both_version_spellings_keeps_one_and_reports_the_other(order):
    """dlm:runtime.version (the README's spelling) and framework_version (the beta.3 schema's)
    both give the framework version: the README's value is kept, the other is reported dropped,
    whichever comes first; nothing is lost silently, and the way back and the identity hold."""
    doc = copy.deepcopy(load("dlm/1.0.0-beta.3/examples/item.json"))
    runtime = doc["properties"]["dlm:runtime"]
    del runtime["version"]
    pair = [("version", "1.13.1"), ("framework_version", "2.0.1")]
    runtime.update(pair if order == "version first" else pair[::-1])
    result = translate(doc, to="mlm", fill_required=True)
    assert result.document["properties"]["mlm:framework_version"] == "1.13.1"
    [loss] = [l for l in result.report.losses if l.pointer == "/properties/dlm:runtime/framework_version"]
    assert (loss.kind, loss.value) == ("dropped", "2.0.1")
    assert "/properties/dlm:runtime/version gives the framework_version too" in loss.reason
    assert translate(result.document, to="dlm", restore=result.report).document == doc
    assert translate(doc, to="dlm", version="1.0.0-beta.3").document == doc
