"""Which MLM version a document's fields belong to, and the 1.4+ artifact type requirement.

Documents often declare one MLM version and carry the fields of another (pystac relabels
1.0-1.3 documents as 1.4.0 without rewriting them). ``detect`` reads such a document by its
fields and says so; the other transforms then convert what the fields really are.
"""
from __future__ import annotations

from ..pointer import join
from . import structural
from .mlm_legacy import GROUPS, ITEM_ONLY, MODEL_ROLE, version_key

LAST_LEGACY = "1.3.0"                       # last version with norm_* fields and asset-level model fields
LEGACY_INPUT = ("norm_type", "norm_clip", "statistics")


_LEGACY_KEYS = frozenset(LEGACY_INPUT)
_ITEM_ONLY_KEYS = frozenset(ITEM_ONLY)


def evidence(doc: dict) -> tuple[list, list]:
    """-> (pointers of fields removed in 1.4.0, [(first version, pointer)] of fields added later).
    Runs on every MLM document: paths are built only for what is found."""
    legacy: list = []
    newer: list = []
    if doc.get("type") == "Feature":
        container, where = doc.get("properties"), ("properties",)
    else:
        container, where = doc, ()
    if type(container) is dict:
        inputs = container.get("mlm:input")
        for i, obj in enumerate(inputs if type(inputs) is list else ()):
            if type(obj) is not dict:
                continue
            if not _LEGACY_KEYS.isdisjoint(obj):
                legacy += [where + ("mlm:input", i, k) for k in LEGACY_INPUT if k in obj]
            if "value_scaling" in obj:
                newer.append(("1.4.0", where + ("mlm:input", i, "value_scaling")))
            if "variables" in obj:  # even empty: 1.4 has no such key
                newer.append(("1.5.0", where + ("mlm:input", i, "variables")))
        outputs = container.get("mlm:output")
        for i, obj in enumerate(outputs if type(outputs) is list else ()):
            if type(obj) is not dict:
                continue
            if "variables" in obj:
                newer.append(("1.5.0", where + ("mlm:output", i, "variables")))
            if obj.get("bands"):
                newer.append(("1.5.0", where + ("mlm:output", i, "bands")))
            tasks = obj.get("tasks")
            if type(tasks) is list and "downscaling" in tasks:
                newer.append(("1.5.0", where + ("mlm:output", i, "tasks")))
        tasks = container.get("mlm:tasks")
        if type(tasks) is list and "downscaling" in tasks:
            newer.append(("1.5.0", where + ("mlm:tasks",)))
    for group in GROUPS:
        assets = doc.get(group)
        for key, asset in assets.items() if type(assets) is dict else ():
            if type(asset) is dict and not _ITEM_ONLY_KEYS.isdisjoint(asset):
                legacy += [(group, key, f) for f in asset if f in ITEM_ONLY]
    return legacy, newer


@structural("mlm-version-by-fields")
class VersionByFields:
    """Changes nothing in the document: ``detect`` corrects the version detection reads by."""

    @staticmethod
    def read(ctx, rule) -> None:
        return None

    @staticmethod
    def write(ctx, rule) -> None:
        return None

    @staticmethod
    def detect(doc: dict, version: str, declared: bool):
        try:
            legacy, newer = evidence(doc)
        except (AttributeError, TypeError):  # odd shapes: keep the declared version
            return None
        said = f"declares mlm {version}" if declared else "declares no mlm version"
        if legacy and version_key(version) > version_key(LAST_LEGACY):
            where = join(legacy[0])
            return (LAST_LEGACY, where,
                    f"the document {said}, but {where} is a field of mlm 1.0.0-{LAST_LEGACY} "
                    f"(removed in 1.4.0); read as mlm {LAST_LEGACY}")
        if not legacy and newer:
            first, path = max(newer, key=lambda e: version_key(e[0]))
            if version_key(first) > version_key(version):
                where = join(path)
                return (first, where, f"the document {said}, but {where} needs mlm {first} or later; "
                                      f"read as mlm {first}")
        return None


_TORCH_FILES = (".pt", ".pth", ".pth.tar", ".ckpt")


def guess_artifact_type(asset: dict, framework) -> str | None:
    """The mlm:artifact_type a model file most likely has, from its name, media type and the
    model's framework; None when nothing says."""
    href = str(asset.get("href", "")).lower().split("?")[0].split("#")[0]
    media = str(asset.get("type", "")).lower()
    framework = str(framework or "").lower()
    torch = framework in ("pytorch", "torch") or "pytorch" in media
    tensorflow = framework in ("tensorflow", "keras") or "tensorflow" in media or "keras" in media
    if href.endswith(".pt2"):
        return "torch.export.save"
    if href.endswith(".safetensors"):
        return "safetensors.torch.save_file" if torch else None
    if href.endswith(_TORCH_FILES) and (torch or not tensorflow):
        return "torch.save"
    if "application=pytorch" in media:
        return "torch.save"
    if tensorflow and href.endswith((".keras", ".h5")):
        return "tf.keras.Model.save"
    return None


def _archive_members(ctx) -> dict[str, str]:
    """Archive href -> the file name of the first weights asset addressed inside it
    (zip://NAME::ARCHIVE), found in one pass over the assets."""
    members: dict[str, str] = {}
    for (group, key), entry in ctx.pivot.assets.items():
        if "weights" not in entry.roles:
            continue
        member = (ctx.out.get(group) or {}).get(key)
        href = member.get("href") if type(member) is dict else None
        if type(href) is not str or not href.startswith("zip://"):
            continue
        rest = href[6:]
        at = rest.find("::")
        while at >= 0:  # every split: an archive href may itself hold '::'
            members.setdefault(rest[at + 2:], rest[:at])
            at = rest.find("::", at + 1)
    return members


@structural("mlm-artifact-type", lossy="the artifact type is guessed from the file name and framework")
class ArtifactType:
    """MLM 1.4+ requires mlm:artifact_type on every mlm:model asset. When the source gives none,
    a type is guessed from the file and framework (reported as assumed); the model-asset rule
    deals with what cannot be guessed."""

    @staticmethod
    def write(ctx, rule) -> None:
        if not getattr(ctx, "repair", True):
            return  # same extension and version: no guess unless asked (fill_required)
        framework = ctx.pivot.fields.get("framework")
        members = None  # built when a model asset first needs it
        for (group, key), entry in ctx.pivot.assets.items():
            if group != "assets" or "model" not in entry.roles or "artifact_type" in entry.fields:
                continue
            asset = (ctx.out.get(group) or {}).get(key)
            guess = guess_artifact_type(asset, entry.fields.get("framework", framework)) \
                if type(asset) is dict else None
            how = "its file and the model's framework"
            if guess is None and type(asset) is dict and type(asset.get("href")) is str:
                members = _archive_members(ctx) if members is None else members
                name = members.get(asset["href"])  # an archive: its weights file says more
                if name is not None:
                    guess = guess_artifact_type({"href": name}, entry.fields.get("framework", framework))
                how = "the weights file inside the model archive and the model's framework"
            if guess is None:
                continue
            entry.fields["artifact_type"] = guess
            entry.origin["artifact_type"] = ""
            ctx.loss("", "assumed", guess,
                     f"{ctx.target_name} requires mlm:artifact_type on the {MODEL_ROLE} asset; guessed from "
                     f"{how} (check it)", rule.id, join((group, key, "mlm:artifact_type")))
