"""``raster-data-bands``: the pivot field ``data_bands`` (raster extension Band objects describing
the model's input data) <-> ``raster:bands`` on the model asset, where MLM's band check looks for
band descriptions since 1.3.0.

Reading (MLM): the ``raster:bands`` of the first asset with the ``mlm:model`` role become
``data_bands``; the pivot remembers the asset, so any writer puts them back there when the output
still has it (MLM to MLM is the identity; other targets keep them where the raster extension put
them). Writing with option ``role`` (MLM): from another source, the bands go on the first asset
with that pivot role; raster:bands the asset already has are kept, and completed only when they
agree. A target without a home for them (ml-model, tdml: no model asset in MLM's sense) reports
each part the source gave as dropped.
"""
from __future__ import annotations

from ..pointer import join
from . import STRING, options_schema, structural

PIVOT = "data_bands"
RASTER = "raster:bands"
MODEL_ROLE = "mlm:model"
PARTS = "data_bands:parts"  # notes: [(source path, value)] when data_bands was built from several fields


def named(bands) -> bool:
    """Whether a band list gives every band a name (what MLM's raster check asks since 1.3.0)."""
    return type(bands) is list and bool(bands) and all(
        type(b) is dict and type(b.get("name")) is str and b["name"] for b in bands)


def asset_origin(origin) -> tuple | None:
    """(group, key) of the asset data_bands were read from, when they came from raster:bands."""
    if type(origin) is tuple and len(origin) == 3 and origin[2] == RASTER:
        return origin[:2]
    return None


def back_at_origin(ctx, bands, origin) -> bool:
    """raster:bands read from an asset (*origin*) go back to it when the output still has it (and
    nothing else put raster:bands there)."""
    where = asset_origin(origin)
    assets = ctx.out.get(where[0]) if where else None
    asset = assets.get(where[1]) if type(assets) is dict else None
    if type(asset) is not dict or RASTER in asset:
        return False
    ctx.set(asset, (RASTER,), bands)  # the source's own object: the identity stays byte-identical
    return True


def report_unplaced(ctx, rule, bands, origin, reason: str, kind: str = "dropped") -> None:
    """One loss per source field data_bands was built from (or one for the whole value)."""
    parts = ctx.pivot.notes.get(PARTS)
    if parts:
        for path, value in parts:
            ctx.loss(path, kind, value, reason, rule.id)
    else:
        ctx.loss(origin, kind, ctx.original(origin, bands), reason, rule.id)


def _model_asset(base: dict):
    """The first asset of the skeleton with the mlm:model role and a band list: (key, asset)."""
    assets = base.get("assets")
    for key, asset in assets.items() if type(assets) is dict else ():
        if type(asset) is dict and type(asset.get("roles")) is list and MODEL_ROLE in asset["roles"] \
                and type(asset.get(RASTER)) is list and asset[RASTER]:
            return key, asset
    return None


def _merged(own: list, bands: list) -> list | None:
    """The asset's raster:bands completed with data_bands, or None when they disagree."""
    if len(own) != len(bands) or not all(type(b) is dict for b in own):
        return None
    merged = []
    for mine, given in zip(own, bands):
        if any(k in mine and mine[k] != v for k, v in given.items()):
            return None
        merged.append({**mine, **{k: v for k, v in given.items() if k not in mine}})
    return merged


@structural("raster-data-bands", lossy="bands go on the model asset; a target without one drops them",
            options=options_schema(role=STRING))
class RasterDataBands:
    @staticmethod
    def read(ctx, rule) -> None:
        found = _model_asset(ctx.pivot.base)
        if found is None:
            return
        key, asset = found
        moved = ctx.pivot.notes.get("mlm:bands-moved")
        if moved and key in moved[1]:
            return  # Item raster:bands an older MLM put in properties: mlm-model-asset-bands has them
        ctx.pivot.fields[PIVOT] = asset.pop(RASTER)
        ctx.pivot.origin[PIVOT] = ("assets", key, RASTER)

    @staticmethod
    def write(ctx, rule) -> None:
        bands = ctx.pivot.fields.pop(PIVOT, None)
        origin = ctx.pivot.origin.pop(PIVOT, "")
        if bands is None or back_at_origin(ctx, bands, origin):
            return
        role = rule.options.get("role")
        chosen = next((k for (g, k), e in ctx.pivot.assets.items() if g == "assets" and role in e.roles),
                      None) if role else None
        if chosen is None:
            where = "model asset to describe the bands of the input data on (raster:bands)" if role else \
                "place for the bands of the input data (data type, nodata, band count)"
            report_unplaced(ctx, rule, bands, origin, f"{ctx.target_name} has no {where}")
            return
        assets = ctx.out.get("assets")
        assets = ctx.out["assets"] = assets if type(assets) is dict else ctx.new_object("assets")
        asset = assets.get(chosen)
        if type(asset) is not dict:
            asset = assets[chosen] = {}
        target = join(("assets", chosen, RASTER))
        pointer = join(origin) if type(origin) is tuple else origin
        own = asset.get(RASTER)
        if own is None:
            ctx.set(asset, (RASTER,), bands)
            ctx.report.finding(pointer, "to-raster-bands",
                               "the bands of the input data written as raster:bands of the model asset", rule.id,
                               target)
            return
        merged = _merged(own, bands) if type(own) is list else None
        if merged is None:
            report_unplaced(ctx, rule, bands, origin, "the model asset has raster:bands of its own that do not agree "
                            "with them (kept as they are)")
        elif merged != own:
            ctx.set(asset, (RASTER,), merged)
            ctx.report.finding(pointer, "raster-bands-completed",
                               "the model asset's raster:bands completed with the bands of the input data",
                               rule.id, target)

    @staticmethod
    def describe(rule) -> list[tuple[str, str, str]]:
        if rule.options.get("role"):
            return [("fields", PIVOT, "raster:bands of the mlm:model asset")]
        return [("fields", PIVOT, "raster:bands, back on the asset they were read from")]
