"""DLM: ``dlm-normalise`` reads the variants real files use (assets as an array, ``role`` for
``roles``) and keeps them as written for a translation to the same version; and the value
transforms of the DLM table (MB <-> bytes, numeric framework versions)."""
from __future__ import annotations

import math
from fractions import Fraction

from ..pointer import escape
from ..unique import FreeKeys
from . import structural, value_transform


@value_transform("mb-to-bytes", inverse=lambda b: b / 1048576 if type(b) in (int, float) else b,  # not a bool
                 lossy="DLM estimates the memory of a training pass in MB; MLM's memory size is in bytes")
def mb_to_bytes(value):
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return round(Fraction(value) * 1048576)  # exact: no overflow for sizes beyond float range
    return value


@value_transform("number-to-string", inverse=lambda v: v,
                 lossy="DLM examples give the framework version as a number; it is written as a string")
def number_to_string(value):
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        text = str(value)
        parts = text.split(".")
        if all(p.isdigit() for p in parts) and len(parts) < 3:  # MLM wants semantic versions: 1.5 -> 1.5.0
            text = ".".join(parts + ["0"] * (3 - len(parts)))
        return text
    return value


UNREAD = "an entry of the assets array that is not an asset object"


@structural("dlm-normalise", lossy="real-file variants are normalised (each one is a finding)")
class Normalise:
    @staticmethod
    def read(ctx, rule) -> None:
        base = ctx.pivot.base
        assets = base.get("assets")
        # where each asset is in the source, when that is not /assets/KEY (report pointers use it)
        places: dict[str, str] = {}
        if type(assets) is list:
            as_dict: dict = {}
            free_key = FreeKeys(as_dict)
            for i, entry in enumerate(assets):
                if type(entry) is dict and len(entry) == 1 and type(next(iter(entry.values()))) is dict:
                    key, asset = next(iter(entry.items()))
                    place = f"/assets/{i}/{escape(key)}"
                elif type(entry) is dict:
                    key, asset = str(entry.get("name") or entry.get("title") or f"asset-{i}"), entry
                    place = f"/assets/{i}"
                else:
                    ctx.extra(("assets", i), entry, "dropped", UNREAD, rule.id)
                    ctx.pivot.notes.setdefault("dlm:assets-unread", []).append(i)
                    continue
                if key in as_dict:
                    new_key = free_key(key)
                    ctx.report.finding(place, "asset-key-taken", f"another asset of the array is keyed "
                                       f"'{key}': read as '{new_key}'", rule.id)
                    key = new_key
                as_dict[key] = dict(asset)
                places[f"/assets/{escape(key)}"] = place
            base["assets"] = as_dict
            ctx.pivot.notes["dlm:assets-array"] = assets
            ctx.report.finding("/assets", "assets-array", "assets given as an array; read as an object keyed "
                               "by each entry's key", rule.id, "/assets")
        if type(base.get("assets")) is dict:
            for key, asset in base["assets"].items():
                if type(asset) is dict and "role" in asset and "roles" not in asset:
                    role = asset.pop("role")
                    asset["roles"] = role if type(role) is list else [role]
                    # a role lost on the way is reported where the source wrote it
                    role_places = ctx.pivot.notes.setdefault("role-places", {})
                    for i, name in enumerate(asset["roles"]):
                        if type(name) is str:
                            role_places.setdefault(("assets", key, name), (i, name) if type(role) is list
                                                   else (f"/assets/{escape(key)}/roles", name))
                    place = places.get(f"/assets/{escape(key)}", f"/assets/{escape(key)}")
                    ctx.report.finding(place + "/role", "role-renamed", "'role' read as 'roles'", rule.id)
                    ctx.pivot.notes.setdefault("dlm:role", []).append(key)
                    places[f"/assets/{escape(key)}/roles"] = place + "/role"
        if ctx.type == "Collection":
            _summaries_as_fields(ctx, rule, base, places)
        if places:
            ctx.pivot.notes.setdefault("source-places", {}).update(places)

    @staticmethod
    def write(ctx, rule) -> None:
        return None

    @staticmethod
    def finish(ctx, rule) -> None:
        """To the same version without repair, the variants stay as the document wrote them."""
        if ctx.pivot.source != (ctx.table.name, ctx.version):
            return  # (to another version or extension the reader's extras report unread entries)
        if ctx.repair:
            for i in ctx.pivot.notes.get("dlm:assets-unread", ()):  # assets are written as an object
                ctx.loss(("assets", i), "dropped", ctx.pivot.notes["dlm:assets-array"][i], UNREAD, rule.id)
            return
        original = ctx.pivot.notes.get("dlm:assets-array")
        if original is not None:
            ctx.out["assets"] = original
            return
        assets = ctx.out.get("assets")
        for key in ctx.pivot.notes.get("dlm:role", ()):
            if type(assets) is dict and type(assets.get(key)) is dict and "roles" in assets[key]:
                asset = assets[key]
                assets[key] = {("role" if k == "roles" else k): v for k, v in asset.items()}


def _summaries_as_fields(ctx, rule, base: dict, places: dict) -> None:
    """DLM defines no Collection fields, so a DLM Collection (this project's writer among others)
    gives them as one-value summaries: each ``dlm:KEY: [object]`` is read as the field, at its
    place in the summaries; a DLM target puts it back (dlm_values.finish_output)."""
    summaries = base.get("summaries")
    if type(summaries) is not dict:
        return
    for key in [k for k in summaries if type(k) is str and k.startswith("dlm:")]:
        value = summaries[key]
        if type(value) is list and len(value) == 1 and type(value[0]) is dict and key not in base:
            base[key] = value[0]
            del summaries[key]  # the skeleton's own copy of the summaries
            places[f"/{escape(key)}"] = f"/summaries/{escape(key)}/0"
            ctx.pivot.notes.setdefault("dlm:from-summaries", []).append(key)
            ctx.report.finding(f"/summaries/{escape(key)}", "summary-as-field", f"the one-value summary {key} "
                               "read as the Collection's field (DLM has no Collection fields)", rule.id)
        else:  # not a field in DLM's one-value form: no reading (not carried, said as it is)
            why = "the Collection has the field itself as well" if key in base else \
                f"a summary of {len(value)} values" if type(value) is list else "a summary that is not a list"
            ctx.extra(("summaries", key), value, "dropped", f"{why}: a DLM Collection gives each of its fields as "
                      "a summary of one object, and only that form is read", rule.id)
            del summaries[key]
