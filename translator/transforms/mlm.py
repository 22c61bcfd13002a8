"""Transforms specific to MLM."""
from __future__ import annotations

import re

from . import structural, value_transform
from ..pointer import escape, join
from .data_bands import named
from .mlm_legacy import version_key
from ..residue import same

_NONE = object()

# \s as the schema's (ECMA-262) class: Python's also matches the separators \x1c-\x1f and \x85
WS = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_BAD = re.compile(f"[^a-zA-Z0-9_.\\-{WS}]+")
_LEADING = re.compile(r"^[^a-zA-Z]+")
_TRAILING = re.compile(r"[^a-zA-Z0-9]+$")


@value_transform("mlm-name", lossy="model names are reduced to the characters mlm:name allows")
def mlm_name(value):
    """Any title or id -> a string matching ^[a-zA-Z][a-zA-Z0-9_.\\-\\s]+[a-zA-Z0-9]$."""
    text = _BAD.sub("-", str(value)).strip()
    text = _TRAILING.sub("", _LEADING.sub("", text))
    if len(text) < 3:
        text = ("model-" + text) if text else "model"
    return text


# the MLM schema's patterns, with \d spelt [0-9], \s as WS and $ as \Z (ECMA-262 matching)
PATTERNS = {  # field: (pivot name, pattern)
    "mlm:framework_version": ("framework_version", re.compile(
        r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-((?:0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*)"
        r"(?:\.(?:0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?\Z")),
    # a framework not in MLM's list: no leading or trailing space, dot, _ or -, no line break
    "mlm:framework": ("framework", re.compile(f"(?=[^{WS}._\\-])[^\n\r\u2028\u2029]*[^{WS}._\\-]\\Z")),
}


@structural("mlm-patterns")
class Patterns:
    """A value carried from another extension that MLM's pattern refuses (a DLM framework version
    such as 'latest', a framework name ending in a dot): a problem, or with fill_required left out
    (reported with its target); a short version ('1.5') is completed ('1.5.0') instead. Also: band names that nothing in the document describes."""
    write = staticmethod(lambda ctx, rule: None)  # checked once the output is complete

    @staticmethod
    def finish(ctx, rule) -> None:
        props = ctx.out.get("properties")
        if ctx.type != "Feature" or type(props) is not dict or ctx.pivot.source[0] == ctx.table.name:
            return
        for field, (pivot_name, pattern) in PATTERNS.items():
            if field not in props or (type(props[field]) is str and pattern.match(props[field])):
                continue
            target = f"/properties/{field}"
            origin = ctx.pivot.origin.get(pivot_name, "")
            if not origin and same(ctx.original(target, _NONE), props[field]):
                # carried as a half-migrated document has it: kept so, with or without fill_required,
                # and a problem of the output (translator/carried.py says what MLM wants)
                continue
            padded = _semver(props[field]) if field == "mlm:framework_version" else None
            if ctx.fill_required and padded is not None:
                ctx.loss(origin, "lossy", ctx.original(origin, props[field]), f"written as '{padded}': {field} "
                         "is a full semantic version", rule.id, target)
                props[field] = padded
            elif ctx.fill_required:
                ctx.loss(origin, "dropped", ctx.original(origin, props.pop(field)),
                         f"not a value {field} allows (its pattern)", rule.id)
            else:
                ctx.report.problems.append(f"{target} does not match the MLM schema's pattern "
                                           "(--fill-required " + ("completes it" if padded else "leaves it out") + ")")
        _bands_described(ctx, rule, props)


_SHORT_VERSION = re.compile(r"v?(0|[1-9][0-9]*)(?:\.(0|[1-9][0-9]*))?(?:\.(0|[1-9][0-9]*))?\Z")


def _semver(value) -> str | None:
    """'1.5', 'v1.5.0', '2' -> '1.5.0', '1.5.0', '2.0.0' (what MLM's pattern accepts); else None."""
    found = _SHORT_VERSION.match(value) if type(value) is str else None
    if found is None:
        return None
    padded = ".".join(part or "0" for part in found.groups())
    return padded if padded != value and PATTERNS["mlm:framework_version"][1].match(padded) else None


EO = "https://stac-extensions.github.io/eo/v1.1.0/schema.json"


def _item_bands_on_model_assets(ctx, rule, bands, assets: dict) -> None:
    """eo 1.1 accepts Item eo:bands only when an asset has eo:bands too (a DLM document whose
    assets were an array escaped that check): the model assets get a copy, as MLM suggests."""
    if EO not in (ctx.out.get("stac_extensions") or ()):
        return
    for key, asset in assets.items():
        if type(asset) is dict and type(asset.get("roles")) is list and "mlm:model" in asset["roles"]:
            asset["eo:bands"] = bands
            ctx.loss("", "assumed", bands, "eo 1.1 accepts Item eo:bands only beside asset eo:bands: "
                     "copied onto the model asset", rule.id, f"/assets/{escape(key)}/eo:bands")


def _raster_describes(ctx, asset: dict) -> bool:
    """Asset raster:bands count for MLM's band check from 1.3.0 (1.1-1.2 look at the Item's), and
    only when every band has a name (the bands of the input data read from DLM may have none)."""
    return version_key(ctx.version) >= (1, 3) and named(asset.get("raster:bands"))


def _bands_described(ctx, rule, props: dict) -> None:
    """MLM wants the band names of inputs and outputs described by the document (eo:bands, STAC 1.1
    bands or raster:bands). When nothing describes them (a DLM input's useful_bands): a problem, or
    with fill_required eo:bands that give the names on the model assets (eo 1.1 allows eo:bands in
    properties only when an asset has them too)."""
    names = [b if type(b) is str else b.get("name") if type(b) is dict else None
             for key in ("mlm:input", "mlm:output") for io in (props.get(key) if type(props.get(key)) is list else [])
             if type(io) is dict and type(io.get("bands")) is list for b in io["bands"]]
    if not names and not props.get("eo:bands"):
        return
    assets = ctx.out.get("assets") if type(ctx.out.get("assets")) is dict else {}
    if props.get("eo:bands") and ctx.fill_required and not any(
            type(a) is dict and a.get("eo:bands") for a in assets.values()):
        _item_bands_on_model_assets(ctx, rule, props["eo:bands"], assets)  # also when raster:bands name them
    if any(type(a) is dict and (a.get("eo:bands") or _raster_describes(ctx, a)) for a in assets.values()):
        return
    if not names or props.get("eo:bands") or props.get("bands"):
        return
    models = [k for k, a in assets.items() if type(a) is dict and type(a.get("roles")) is list
              and "mlm:model" in a["roles"]]
    if not ctx.fill_required or not models:
        ctx.report.problems.append("/properties/eo:bands: MLM wants the bands its inputs and outputs name described "
                                   "(eo:bands, STAC 1.1 bands or raster:bands); the source describes none "
                                   "(--fill-required writes eo:bands with the names on the model asset)")
        return
    described = [{"name": n} for n in dict.fromkeys(n for n in names if type(n) is str and n)]
    for key in models:
        assets[key]["eo:bands"] = described
        ctx.loss("", "synthesized", described, "MLM wants named bands described: eo:bands with the names "
                 "written", rule.id, f"/assets/{escape(key)}/eo:bands")
    extensions = ctx.out.get("stac_extensions")
    if type(extensions) is list and EO not in extensions:
        ctx.out["stac_extensions"] = extensions + [EO]  # a new list: the output's may be the source's


ENTRYPOINT = "mlm:entrypoint"
_ELSEWHERE = {(): "at the Item's top level", ("properties",): "in the Item's properties"}


@structural("mlm-misplaced-entrypoint")
class MisplacedEntrypoint:
    """mlm:entrypoint given as an Item field (in properties, or at the Item's top level as MLM
    1.5's U-Net example has it): MLM defines it on source-code assets only. The entry point of the
    only source-code asset without one (assumed); else dropped, the reason saying where MLM wants
    it. To the same version without a repair the document stays as it is."""

    @staticmethod
    def read(ctx, rule) -> None:
        base = ctx.pivot.base
        for where, fields in ((("properties",), base.get("properties")), ((), base)):
            if type(fields) is dict and ENTRYPOINT in fields:
                _read_entrypoint(ctx, rule, where, fields)

    write = staticmethod(lambda ctx, rule: None)  # settled in finish

    @staticmethod
    def finish(ctx, rule) -> None:
        """To the same version the document stays as it is (an entry point read onto an asset goes
        back); a repair moves or leaves it out, reported as to another version."""
        same = ctx.pivot.source == (ctx.table.name, ctx.version)
        for path, key, reason in ctx.pivot.notes.get(ENTRYPOINT, ()):
            fields = ctx.out.get("properties") if path[0] == "properties" else ctx.out
            asset = ctx.out.get("assets", {}).get(key) if key is not None else None
            if type(fields) is not dict or (key is not None and type(asset) is not dict):
                continue
            if not same:  # the writer reported the reader's entry: it names where the entry point went
                if key is not None and ENTRYPOINT in asset:
                    for loss in ctx.report.losses:
                        if loss.rule == rule.id and loss.pointer == join(path):
                            loss.target = join(("assets", key, ENTRYPOINT))
            elif not ctx.repair:
                if key is not None:
                    fields[ENTRYPOINT] = asset.pop(ENTRYPOINT)
            elif key is not None:
                ctx.loss(path, "assumed", ctx.original(path), reason, rule.id, join(("assets", key, ENTRYPOINT)))
            elif ENTRYPOINT in fields:  # written back with the same version's extras
                ctx.loss(path, "dropped", fields.pop(ENTRYPOINT), reason, rule.id)

    @staticmethod
    def describe(rule) -> list:
        return [("assets", "entrypoint", "mlm:entrypoint given as an Item field: the entry point of the only "
                 "source-code asset without one")]


def _read_entrypoint(ctx, rule, where: tuple, fields: dict) -> None:
    value, path = fields.pop(ENTRYPOINT), where + (ENTRYPOINT,)
    code_roles = {role for role, rules in ctx.view.read_roles.items() if any(r.pivot == "source-code" for r in rules)}
    assets = ctx.pivot.base.get("assets")
    code = [key for key, asset in (assets.items() if type(assets) is dict else ())
            if type(asset) is dict and type(asset.get("roles")) is list
            and any(type(role) is str and role in code_roles for role in asset["roles"])]  # a role may be any value
    free = [key for key in code if ENTRYPOINT not in assets[key]
            and "entrypoint" not in ctx.pivot.asset("assets", key, join(("assets", key))).fields]
    expected = "MLM defines mlm:entrypoint on source-code assets (role mlm:source_code), not " + _ELSEWHERE[where]
    if len(free) == 1 and type(value) is str and value:
        entry = ctx.pivot.asset("assets", free[0], join(("assets", free[0])))
        entry.fields["entrypoint"], entry.origin["entrypoint"] = value, path
        reason = f"{expected}: read as the entry point of the document's only source-code asset without one, " \
                 f"'{free[0]}'"
        ctx.pivot.notes.setdefault(ENTRYPOINT, []).append((path, free[0], reason))
        ctx.extra(path, value, "assumed", reason, rule.id)
        return
    why = ("it is not an entry point (a non-empty string)" if not (type(value) is str and value) else
           "the document has no source-code asset without an entry point to give it to" if not free else
           f"{len(free)} source-code assets have no entry point: which one it belongs to is not guessed")
    ctx.pivot.notes.setdefault(ENTRYPOINT, []).append((path, None, f"{expected}; {why}"))
    ctx.extra(path, value, "dropped", f"{expected}; {why}", rule.id)
