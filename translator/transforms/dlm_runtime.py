"""DLM transforms for what sits around the model tensors: the runtime (container image, source
code, GPU need); dlm_archive.py has the archive content, dlm_data.py the band names and examples.

``dlm-runtime``: ``docker.image_name``/``tag`` <-> an ``image:inference`` pivot link (MLM writes
it as a Container Asset, ml-model as an inferencing-image link); ``model_src_url`` +
``model_commit_hash`` + ``model_handler`` <-> a source-code asset with an entry point;
``docker.gpu`` <-> the accelerator; ``docker.docker_file`` <-> a Dockerfile asset (media type
``text/x-dockerfile``, pivot role ``inference-runtime``: MLM roles ``mlm:inference-runtime``, ``runtime``).
To the same DLM version each object is written back exactly as read.
"""
from __future__ import annotations

import re

from ..reader import SLOT
from ..unique import FreeKeys
from . import structural

PROPS = ("properties",)
IMAGE = "image:inference"
SOURCE_ROLE = "source-code"
RUNTIME_ROLE = "inference-runtime"
DOCKERFILE = {"type": "text/x-dockerfile", "title": "Dockerfile of the inference image"}  # what the reader writes
GPU_ACCELERATORS = {"cuda", "rocm", "xla", "ipex-gpu", "macos-arm"}


def fields_of(ctx, out: bool = False):
    """(the object holding the model fields, its path): Item properties or a Collection's top
    level, of the pivot's skeleton or (*out*) of the output."""
    doc = ctx.out if out else ctx.pivot.base
    if ctx.type == "Feature":
        props = doc.get("properties")
        return (props, PROPS) if type(props) is dict else (None, PROPS)
    return doc, ()


def same_version(ctx) -> bool:
    """Writing back to the extension and version the pivot was read from."""
    return ctx.pivot.source == (ctx.table.name, ctx.version)


def new_asset(ctx, key: str, body: dict, pivot_roles: list, fields: dict, origin: str,
              role_from: tuple | None = None) -> str:
    """Add an asset read from a DLM object to the pivot (and its skeleton) under a free key near
    *key*; *fields* maps pivot asset fields to (value, source path); *role_from* is where the
    source says the asset's role (PivotAsset.role_origin), if it does. Returns the key used."""
    base = ctx.pivot.base
    if "assets" in base and type(base["assets"]) is not dict and "dlm:assets-replaced" not in ctx.pivot.notes:
        ctx.pivot.notes["dlm:assets-replaced"] = True  # null or odd: an object is made for the new asset
        ctx.report.finding("/assets", "assets-made", "assets that are not an object are replaced by one that "
                           "holds the assets read from DLM objects", "", "/assets")
    assets = base.get("assets")
    free_key = ctx.pivot.notes.get("dlm:free-keys")
    if type(assets) is not dict or free_key is None or free_key.mapping is not assets:
        # copied once per document (an archive of thousands of entries adds thousands of assets)
        assets = base["assets"] = dict(assets) if type(assets) is dict else {}
        free_key = ctx.pivot.notes["dlm:free-keys"] = FreeKeys(assets)
    key = free_key(key)
    roles = [(SLOT, r) for r in pivot_roles] + list(body.pop("roles", []))
    assets[key] = {**body, "roles": roles}
    entry = ctx.pivot.asset("assets", key, origin)
    entry.roles.extend(pivot_roles)
    entry.had_roles = True
    if role_from is not None:
        entry.role_origin = dict.fromkeys(pivot_roles, role_from)
    for name, (value, where) in fields.items():
        entry.fields[name] = value
        entry.origin[name] = where
    ctx.pivot.notes.setdefault("dlm:made-assets", []).append(key)
    return key


def drop_made(ctx) -> None:
    """To the same version: the assets the reader made go back into the DLM objects."""
    assets = ctx.out.get("assets")
    for key in ctx.pivot.notes.get("dlm:made-assets", ()):
        ctx.pivot.assets.pop(("assets", key), None)
        if type(assets) is dict:
            assets.pop(key, None)
    if assets == {} and type(ctx.source_doc.get("assets")) is not dict:  # the reader made the object too
        if "assets" in ctx.source_doc:  # null or another odd value: as the source wrote it
            ctx.out["assets"] = ctx.source_doc["assets"]
        else:
            del ctx.out["assets"]


def new_part(ctx, path: tuple) -> str:
    """The pointer of the outermost part of *path* the output does not have yet (what a write
    there adds, for the report's target)."""
    node, done = ctx.container, []
    for token in path:
        done.append(token)
        if type(node) is not dict or token not in node:
            break
        node = node[token]
    return "/" + "/".join(("properties",) * bool(ctx.where) + tuple(done))


def pointer_at(ctx, path: tuple) -> str:
    """The output pointer of *path* under the model fields (an Item's properties)."""
    return "/" + "/".join(("properties",) * bool(ctx.where) + path)


def restore_field(ctx, key: str) -> None:
    """Put back the source's value of *key*, kept in the pivot's notes when it was read."""
    container, _ = fields_of(ctx, out=True)
    original = ctx.pivot.notes.get(key)
    if container is not None and original is not None:
        container[key] = original


@structural("dlm-runtime", lossy="the docker run settings have no home; GPU need read as an accelerator")
class Runtime:
    @staticmethod
    def read(ctx, rule) -> None:
        props, where = fields_of(ctx)
        runtime = props.get("dlm:runtime") if props is not None else None
        if type(runtime) is not dict:
            return
        ctx.pivot.notes["dlm:runtime"] = runtime
        runtime = props["dlm:runtime"] = dict(runtime)
        path = where + ("dlm:runtime",)
        docker = runtime.get("docker")
        if type(docker) is dict and not docker:
            ctx.extra(path + ("docker",), runtime.pop("docker"), "dropped", "an empty object: nothing to carry",
                      rule.id)
        elif type(docker) is dict:
            _read_docker(ctx, rule, runtime, dict(docker), path + ("docker",))
        url = runtime.get("model_src_url")
        if type(url) is str and url:
            body = {"href": _pinned(url, runtime.get("model_commit_hash")), "title": "Model source code",
                    "roles": ["code"]}
            fields = {}
            had_handler = "model_handler" in runtime
            handler = runtime.pop("model_handler", None)
            if type(handler) is str and handler:
                fields["entrypoint"] = (handler, path + ("model_handler",))
            elif handler is not None or had_handler:
                ctx.extra(path + ("model_handler",), handler, "dropped", "the entry point is not a name", rule.id)
            del runtime["model_src_url"]
            had_commit = "model_commit_hash" in runtime
            commit = runtime.pop("model_commit_hash", None)
            if commit is None and had_commit:
                ctx.extra(path + ("model_commit_hash",), None, "dropped", "a null model_commit_hash: nothing "
                          "to carry", rule.id)
            elif commit is not None and body["href"] == url:
                ctx.extra(path + ("model_commit_hash",), commit, "dropped",
                          "the commit cannot be pinned in a URL of this host", rule.id)
            elif commit is not None:
                ctx.report.finding("/".join(("",) + path + ("model_commit_hash",)), "commit-in-url",
                                   "the commit is pinned in the source-code URL", rule.id)
            where = "/" + "/".join(path + ("model_src_url",))  # (the URL is carried, not its role)
            key = new_asset(ctx, "source-code", body, [SOURCE_ROLE], fields, where, (where, url, "lossy"))
            ctx.report.finding(where, "runtime-to-asset",
                               f"source code written as asset '{key}'", rule.id, f"/assets/{key}")
        for key in ("model_src_url", "model_commit_hash", "model_handler"):
            if key in runtime and runtime[key] is None:  # null placeholders: nothing to carry
                ctx.extra(path + (key,), runtime.pop(key), "dropped", f"a null {key}: nothing to carry", rule.id)

    @staticmethod
    def write(ctx, rule) -> None:
        if same_version(ctx) and "dlm:runtime" in ctx.pivot.notes:
            drop_made(ctx)
            ctx.pivot.links[:] = [l for l in ctx.pivot.links if not str(l[2]).startswith(
                "/properties/dlm:runtime" if ctx.type == "Feature" else "/dlm:runtime")]
            if "dlm:runtime" in str(ctx.pivot.origin.get("accelerator", "")):  # read from docker.gpu
                ctx.pivot.fields.pop("accelerator", None)
            return
        _write_docker(ctx, rule)
        _write_source(ctx, rule)

    @staticmethod
    def finish(ctx, rule) -> None:
        if same_version(ctx):
            restore_field(ctx, "dlm:runtime")

    @staticmethod
    def describe(rule) -> list[tuple[str, str, str]]:
        """For the crosswalk: what this rule reads into the pivot and writes back from it."""
        return [("links", IMAGE, "dlm:runtime/docker/image_name (+ tag)"),
                ("fields", "accelerator", "dlm:runtime/docker/gpu"),
                ("roles", RUNTIME_ROLE, "dlm:runtime/docker/docker_file (an asset of type text/x-dockerfile)"),
                ("roles", SOURCE_ROLE, "dlm:runtime/model_src_url (+ model_commit_hash)"),
                ("assets", "entrypoint", "dlm:runtime/model_handler")]


def _pinned(url: str, commit) -> str:
    if type(commit) is str and re.fullmatch(r"[0-9a-fA-F]{7,40}", commit) \
            and re.match(r"^https://github\.com/[^/]+/[^/]+/?$", url):  # read back by _write_source
        return url.rstrip("/") + "/tree/" + commit
    return url


def _read_docker(ctx, rule, runtime: dict, docker: dict, path: tuple) -> None:
    image, tag = docker.get("image_name"), docker.get("tag")
    pointer = "/" + "/".join(path + ("image_name",))
    recipe = docker.get("docker_file")
    if type(recipe) is str and recipe:
        del docker["docker_file"]
        where = "/" + "/".join(path + ("docker_file",))
        key = new_asset(ctx, "dockerfile", {"href": recipe, **DOCKERFILE, "roles": ["runtime"]}, [RUNTIME_ROLE],
                         {}, where, (where, recipe, "lossy"))
        ctx.report.finding(where, "runtime-to-asset", f"Dockerfile written as asset '{key}'", rule.id,
                           f"/assets/{key}")
    if type(image) is str and image:
        del docker["image_name"]
        href = f"{image}:{tag}" if type(tag) is str and tag else image
        # an href only: DLM says nothing more, so a link read from elsewhere comes back as it was
        ctx.pivot.links.append([IMAGE, {"href": href}, pointer, None])
        if type(tag) is str and tag:
            del docker["tag"]
            ctx.extra(path + ("tag",), tag, "lossy", "the tag is joined to the image name (image:tag)", rule.id)
            ctx.report.finding(pointer, "image-tag-joined", f"image name and tag read as '{href}'; written back "
                               "as one image name", rule.id)
    if "gpu" in docker and type(docker["gpu"]) is bool:
        gpu = docker.pop("gpu")
        ctx.pivot.fields["accelerator"] = "cuda" if gpu else "amd64"
        ctx.pivot.origin["accelerator"] = path + ("gpu",)
        # nothing of the value is lost (it reads back as it was); which accelerator is a guess
        ctx.extra(path + ("gpu",), gpu, "assumed", f"the GPU need is read as the accelerator "
                  f"'{'cuda' if gpu else 'amd64'}' (DLM does not say which GPU or CPU)", rule.id)
    for key, value in docker.items():  # everything not carried above, nulls included
        ctx.extra(path + (key,), value, "dropped", f"a null docker.{key}: nothing to carry" if value is None
                  else f"docker.{key} has no field in the other ML extensions", rule.id)
    del runtime["docker"]


def _write_dockerfile(ctx, rule, docker: dict) -> None:
    """A Dockerfile asset (its media type, an inference-runtime role) -> docker.docker_file."""
    assets = ctx.out.get("assets")
    for (group, key), entry in list(ctx.pivot.assets.items()):
        asset = assets.get(key) if group == "assets" and type(assets) is dict else None
        if RUNTIME_ROLE not in entry.roles or type(asset) is not dict or asset.get("type") != DOCKERFILE["type"] \
                or type(asset.get("href")) is not str or not asset["href"]:
            continue
        del ctx.pivot.assets[(group, key)]
        del assets[key]
        docker["docker_file"] = asset["href"]
        target = pointer_at(ctx, ("dlm:runtime", "docker", "docker_file"))
        rest = {k: v for k, v in asset.items() if k not in ("href", "type", "roles") and DOCKERFILE.get(k) != v}
        roles = asset.get("roles") if type(asset.get("roles")) is list else []
        rest.update((("roles", i), r) for i, r in enumerate(roles) if type(r) is str and r != "runtime")
        _lose_parts(ctx, entry, rest, "DLM keeps only the URL of the Dockerfile", rule.id, target)
        ctx.report.finding(entry.pointer, "asset-to-runtime", f"Dockerfile asset '{key}' written as "
                           "dlm:runtime.docker.docker_file", rule.id, target)
        return


def _write_docker(ctx, rule) -> None:
    docker: dict = {}
    _write_dockerfile(ctx, rule, docker)
    keep = []
    for link in ctx.pivot.links:
        kind, body, origin, _slot = link
        if kind == IMAGE and "image_name" not in docker and type(body.get("href")) is str:
            docker["image_name"] = body["href"]
            target = pointer_at(ctx, ("dlm:runtime", "docker", "image_name"))
            extra = [k for k in body if k != "href"]  # DLM reads back the href only
            for k in extra:
                ctx.lost_part(origin, (k,), "dropped", body[k], "DLM keeps only the image name of a container "
                              "image", rule.id, target)
            if not extra:
                ctx.report.finding(origin, "to-docker", "written as the DLM docker image name", rule.id, target)
            continue
        keep.append(link)
    if len(keep) != len(ctx.pivot.links):
        ctx.pivot.links[:] = keep
    if "accelerator" in ctx.pivot.fields and ctx.pivot.fields["accelerator"] is None:
        origin = ctx.pivot.origin.get("accelerator", "")
        ctx.loss(origin, "dropped", None, "DLM has no place for an accelerator that is null", rule.id)
    accelerator = ctx.pivot.fields.pop("accelerator", None)
    if accelerator is not None:
        origin = ctx.pivot.origin.get("accelerator", "")
        if not docker:  # DLM's docker object needs an image or a Dockerfile
            ctx.loss(origin, "dropped", ctx.original(origin, accelerator), "DLM says whether a GPU is needed "
                     "only in the docker settings of an image; the source names no image or Dockerfile", rule.id)
        else:
            docker["gpu"] = accelerator in GPU_ACCELERATORS
            if not (type(origin) is tuple and origin[-1] == "gpu"):
                ctx.loss(origin, "lossy", ctx.original(origin, accelerator), "DLM says only whether a GPU is "
                         f"needed: gpu {docker['gpu']}", rule.id, pointer_at(ctx, ("dlm:runtime", "docker", "gpu")))
    if docker:
        ctx.set(ctx.container, ("dlm:runtime", "docker"), docker)


def _write_source(ctx, rule) -> None:
    chosen = next(((gk, e) for gk, e in ctx.pivot.assets.items() if SOURCE_ROLE in e.roles), None)
    if chosen is None:
        return
    (group, key), entry = chosen
    assets = ctx.out.get(group)
    asset = assets.get(key) if type(assets) is dict else None
    href = asset.get("href") if type(asset) is dict else None
    if type(href) is not str:
        return
    del ctx.pivot.assets[(group, key)]
    del assets[key]
    match = re.match(r"^(https://github\.com/[^/]+/[^/]+)/tree/([0-9a-fA-F]{7,40})$", href)
    ctx.set(ctx.container, ("dlm:runtime", "model_src_url"), match.group(1) if match else href)
    if match:
        ctx.set(ctx.container, ("dlm:runtime", "model_commit_hash"), match.group(2))
    entrypoint = entry.fields.pop("entrypoint", None)
    if entrypoint is not None:
        ctx.set(ctx.container, ("dlm:runtime", "model_handler"), entrypoint)
    rest = {k: v for k, v in asset.items() if k not in ("href", "roles") and not (k == "title" and
                                                                                  v == "Model source code")}
    target = pointer_at(ctx, ("dlm:runtime", "model_src_url"))
    _lose_parts(ctx, entry, rest, "DLM keeps only the URL and entry point of the source code", rule.id, target)
    # the asset itself (its key, its other roles) reads back as a new 'source-code' asset
    ctx.report.finding(entry.pointer, "asset-to-runtime", f"source-code asset '{key}' written as "
                       "dlm:runtime.model_src_url", rule.id, target)


def _lose_parts(ctx, entry, rest: dict, reason: str, rule_id: str, target: str) -> None:
    """Each part of an asset DLM does not keep, at its own place in the source: the asset's keys
    (a role by its position), then the ML fields read from it."""
    for key, value in rest.items():
        ctx.lost_part(entry.pointer, key if type(key) is tuple else (key,), "dropped", value, reason, rule_id, target)
    for name, value in entry.fields.items():
        ctx.lost_part(entry.origin.get(name) or entry.pointer, (), "dropped", value, reason, rule_id, target)
