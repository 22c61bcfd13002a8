"""DLM transform ``dlm-archive``: ``dlm:archive`` entries <-> assets whose href names the file
inside the model archive (``zip://NAME::ARCHIVE-HREF``, the chained-URL form fsspec opens), and
``dlm:data.test_file`` (a file in the model archive, the DLM examples say) -> the asset of that
file. To the same DLM version the entries are written back exactly as read.
"""
from __future__ import annotations

import posixpath
import re

from ..pointer import escape
from ..reader import NULL_READ
from . import structural
from .dlm_data import data_entry, take_from_data
from .dlm_runtime import drop_made, fields_of, new_asset, pointer_at, restore_field, same_version

# DLM archive roles <-> (pivot role or None, plain STAC roles); written back in this order
ARCHIVE_ROLES = {
    "model weight": ("weights", []),
    "dependency": (None, ["code", "dependency"]),
    "handling function": (None, ["code"]),
    "config file": (None, ["metadata"]),
    "test set": (None, ["data"]),
    "other": (None, []),
}
TEST_FILE_ASSET = "dlm:test-file-asset"  # (notes) the key of the asset made for a test file no entry lists
_MEMBER = re.compile(r"^zip://(?P<name>[^:]+)::(?P<archive>.+)$")


@structural("dlm-archive", lossy="archive entries become assets inside the model archive (zip://name::archive)")
class Archive:
    @staticmethod
    def read(ctx, rule) -> None:
        props, where = fields_of(ctx)
        archive = props.get("dlm:archive") if props is not None else None
        model = _model_asset(ctx.pivot.base.get("assets"), ctx.table)
        made: dict[str, str] = {}  # entry name -> the key of the asset made of it
        if type(archive) is list and archive and model is not None:  # else the table's drop rule reports it
            _read_entries(ctx, rule, props, where, archive, model, made)
        _read_test_file(ctx, rule, model, made)

    @staticmethod
    def write(ctx, rule) -> None:
        test_file = ctx.pivot.notes.get(TEST_FILE_ASSET)
        if same_version(ctx) and ("dlm:archive" in ctx.pivot.notes or test_file):
            drop_made(ctx)
            return
        assets = ctx.out.get("assets")
        if type(assets) is not dict:
            return
        if test_file and ctx.pivot.source[0] == ctx.table.name:  # another DLM version: dlm:data carries it
            assets.pop(test_file, None)
            ctx.pivot.assets.pop(("assets", test_file), None)
        entries = []
        for key in list(assets):
            asset = assets[key]
            match = _MEMBER.match(asset.get("href", "")) if type(asset) is dict and \
                type(asset.get("href")) is str else None
            if match is None or not any(type(a) is dict and a.get("href") == match.group("archive")
                                        for a in assets.values()):
                continue
            entry = ctx.pivot.assets.pop(("assets", key), None)
            roles = [r for r in asset.get("roles", []) if type(r) is str]
            pivot_roles = entry.roles if entry is not None else []
            role = next((name for name, (p, plain) in ARCHIVE_ROLES.items()
                         if (p and p in pivot_roles) or (plain and all(r in roles for r in plain))), "other")
            entries.append({"name": match.group("name"), "role": role})
            del assets[key]
            # (an asset read from an archive entry points back at that entry)
            where = entry.pointer if entry is not None else "/assets/" + escape(key)
            ctx.report.finding(where, "asset-to-archive", f"asset '{key}' written as a dlm:archive "
                               "entry (a file inside the model archive)", rule.id, pointer_at(ctx, ("dlm:archive",)))
        if entries:
            ctx.set(ctx.container, ("dlm:archive",), entries)

    @staticmethod
    def finish(ctx, rule) -> None:
        if same_version(ctx):
            restore_field(ctx, "dlm:archive")

    @staticmethod
    def describe(rule) -> list[tuple[str, str, str]]:
        return [("roles", "weights", "dlm:archive entry with role 'model weight' (an asset zip://NAME::ARCHIVE)")]


def _model_asset(assets, table) -> str | None:
    """The href of the asset with the model role (the archive DLM entries live in)."""
    if type(assets) is not dict:
        return None
    model_roles = {rule.role for rule in table.rules if rule.kind == "role" and rule.pivot == "model"}
    for asset in assets.values():
        roles = asset.get("roles") if type(asset) is dict else None
        if type(roles) is list and type(asset.get("href")) is str and any(
                (r[1] == "model" if type(r) is tuple else type(r) is str and r in model_roles) for r in roles):
            return asset["href"]
    return None


def _read_entries(ctx, rule, props: dict, where: tuple, archive: list, model: str, made: dict) -> None:
    path = where + ("dlm:archive",)
    ctx.pivot.notes["dlm:archive"] = archive
    del props["dlm:archive"]
    for i, entry in enumerate(archive):
        name, role = (entry.get("name"), entry.get("role")) if type(entry) is dict else (None, None)
        if type(role) is list and len(role) == 1:
            ctx.report.finding("/" + "/".join(path + (str(i), "role")), "role-list",
                               "an archive role given as a list; written as a string", rule.id)
            role = role[0]
        if type(name) is not str or not name or ":" in name or type(role) is not str \
                or role not in ARCHIVE_ROLES or len(entry) != 2:
            ctx.extra(path + (i,), entry, "dropped", NULL_READ if entry is None else
                      "an archive entry without a file name and a DLM role", rule.id)
            continue
        pivot_role, roles = ARCHIVE_ROLES[role]
        key = posixpath.basename(name.rstrip("/")) or name
        body = {"href": f"zip://{name}::{model}", "title": f"{name} (in the model archive)", "roles": list(roles)}
        made_key = new_asset(ctx, key, body, [pivot_role] if pivot_role else [], {}, "/" + "/".join(
            path + (str(i),)), ("/" + "/".join(path + (str(i), "role")), entry["role"]))
        made.setdefault(name, made_key)
        ctx.report.finding("/" + "/".join(path + (str(i),)), "archive-to-asset",
                           f"archive entry '{name}' written as asset '{made_key}'", rule.id, f"/assets/{made_key}")


def _read_test_file(ctx, rule, model: str | None, made: dict) -> None:
    """dlm:data.test_file names a file in the model archive (the DLM examples list it there as a
    'test set' entry): it is carried by that entry's asset, or by an asset made for it."""
    props, where, name = data_entry(ctx, "test_file")
    if type(name) is not str or not name:
        return  # (a null: reported with what is left of dlm:data)
    take_from_data(ctx, props, "test_file")
    path = where + ("dlm:data", "test_file")
    pointer = "/" + "/".join(path)
    unmarked = "no other extension marks a file as the model's sample input, so a way back to DLM"
    if model is None or ":" in name:
        why = "the document has no model archive asset" if model is None else \
            "a name with ':' cannot be addressed inside it (zip://NAME::ARCHIVE)"
        ctx.extra(path, name, "dropped", f"the test file is a file in the model archive, and {why}: "
                  "it has no href to be carried as an asset", rule.id)
        return
    listed = [n for n in made if n == name] or [n for n in made if posixpath.basename(n.rstrip("/")) == name]
    if len(listed) == 1:
        key = made[listed[0]]
        ctx.extra(path, name, "lossy", f"the test file is the archive entry '{listed[0]}', carried as asset "
                  f"'{key}'; {unmarked} does not name it test_file", rule.id)
    else:  # (several entries of that base name: which one is meant is not said)
        key = new_asset(ctx, posixpath.basename(name.rstrip("/")) or name, {
            "href": f"zip://{name}::{model}", "title": f"{name} (in the model archive): the model's test file",
            "roles": ["data"]}, [], {}, pointer)
        ctx.pivot.notes[TEST_FILE_ASSET] = key
        ctx.extra(path, name, "lossy", "the test file is written as an asset inside the model archive (role "
                  f"data); {unmarked} reads it as a dlm:archive entry with role 'test set', not as test_file",
                  rule.id)
    ctx.report.finding(pointer, "test-file-asset", f"the test file is carried as asset '{key}'", rule.id,
                       f"/assets/{key}")

