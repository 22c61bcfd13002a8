"""MLM 1.0-1.3 documents <-> the pivot's MLM 1.5.2 shapes: asset-level model fields, the
``mlm:model`` role every 1.0/1.1 asset had to carry, and band descriptions in Item properties.

Reading rewrites the old forms and keeps what it changed in ``pivot.notes``; writing to a
version the rule covers puts the source's own forms back, so translating a document to its
own version (or to another version that allows the old form) changes nothing.
"""
from __future__ import annotations

from functools import lru_cache

from ..pointer import join, split
from . import STRING, options_schema, structural

MODEL_ROLE = "mlm:model"
CODE_ROLES = ("code", "mlm:source_code")
RUNTIME_ROLES = ("mlm:inference-runtime", "mlm:training-runtime")
ARTIFACT_ROLES = (MODEL_ROLE, "mlm:weights", "mlm:checkpoint", "mlm:compiled")
ITEM_ONLY = {"mlm:name": "name", "mlm:input": "input", "mlm:output": "output",
             "mlm:hyperparameters": "hyperparameters"}  # forbidden on assets since 1.4.0
GROUPS = ("assets", "item_assets")


@lru_cache(maxsize=256)  # a handful of version strings, compared on every document
def version_key(version: str) -> tuple:
    return tuple(int(p) if p.isdigit() else 0 for p in version.split("."))


def fields_container(pivot) -> tuple[dict | None, tuple]:
    """The dict holding model fields in the document skeleton (Item properties, Collection top
    level) and its path."""
    if pivot.type == "Feature":
        props = pivot.base.get("properties")
        return (props if type(props) is dict else None), ("properties",)
    return pivot.base, ()


def model_list(ctx, name: str) -> tuple[dict, str, tuple] | None:
    """Where the reader finds mlm:input / mlm:output (name 'input' / 'output'): already hoisted
    into the pivot from an asset, or still in the document. -> (holder, key, source path)."""
    if name in ctx.pivot.fields:  # (a value of another type, e.g. carried on an asset, is no list to read)
        return (ctx.pivot.fields, name, tuple(ctx.pivot.origin[name])) if type(ctx.pivot.fields[name]) is list else None
    container, where = fields_container(ctx.pivot)
    key = "mlm:" + name
    if container is not None and type(container.get(key)) is list:
        return container, key, where + (key,)
    return None


def written_list(ctx, name: str) -> tuple[list, tuple] | None:
    """The pivot's input/output list about to be written, with its source path."""
    value = ctx.pivot.fields.get(name)
    if type(value) is not list:
        return None
    origin = ctx.pivot.origin.get(name, "")
    if type(origin) is str:  # a pointer; "" when the value did not come from the source
        origin = split(origin) if origin.startswith("/") else ()
    return value, tuple(origin)


def replace_item(ctx, holder: dict, key: str, index: int, obj: dict) -> None:
    """holder[key][index] = obj; the list is copied once, since the source document shares it."""
    own = ctx.pivot.notes.setdefault("mlm:own-lists", set())
    if id(holder[key]) not in own:
        holder[key] = list(holder[key])
        own.add(id(holder[key]))
    holder[key][index] = obj


def _restores(rule, read: str, written: str) -> bool:
    """Whether writing version *written* of a document read as version *read* takes the read
    form back: the same version, or one up to the rule's ``options.restore_until`` (default:
    every version the rule covers)."""
    until = rule.options.get("restore_until")
    return until is None or read == written or version_key(written) <= version_key(until)


def restores_source_form(ctx, rule) -> bool:
    """Whether the target takes the source's old form back."""
    return _restores(rule, ctx.pivot.source[1], ctx.version)


def restored_on_the_way_back(ctx, rule) -> bool:
    """Whether translating the output back to the source's version puts the source's old form
    back too (the two versions swapped)."""
    return _restores(rule, ctx.version, ctx.pivot.source[1])


def forget_findings(ctx, rule, codes: tuple = ()) -> None:
    """The source's form was written back: what reading said it changed no longer holds."""
    ctx.report.findings[:] = [f for f in ctx.report.findings
                              if f.rule != rule.id or (codes and f.code not in codes)]


def assets_of(base: dict):
    for group in GROUPS:
        assets = base.get(group)
        if type(assets) is dict:
            for key, asset in assets.items():
                if type(asset) is dict:
                    yield group, key, asset


@structural("mlm-hoist-asset-fields")
class HoistAssetFields:
    """1.0-1.3 allowed mlm:name, mlm:input, mlm:output and mlm:hyperparameters on assets; 1.4+
    only on the Item. An asset value the Item lacks is hoisted; other asset copies are kept as
    extras (written back to the same version, reported as dropped otherwise)."""

    @staticmethod
    def read(ctx, rule) -> None:
        container, where = fields_container(ctx.pivot)
        hoisted = []
        for group, key, asset in assets_of(ctx.pivot.base):
            for field in [f for f in asset if f in ITEM_ONLY]:
                name = ITEM_ONLY[field]
                value = asset.pop(field)
                path = (group, key, field)
                on_item = (container is not None and field in container) or name in ctx.pivot.fields
                if not on_item:
                    ctx.pivot.fields[name] = value
                    ctx.pivot.origin[name] = path
                    hoisted.append((group, key, field))
                    ctx.report.finding(join(path), "hoisted",
                                       f"{field} moved from the asset to the model (assets cannot carry it "
                                       "since MLM 1.4.0)", rule.id)
                    continue
                item_value = ctx.pivot.fields.get(name, container.get(field) if container is not None else None)
                reason = (f"same value as the model's {field}" if value == item_value
                          else f"differs from the model's {field}, which is kept")
                ctx.extra(path, value, "dropped", f"{field} is not allowed on assets since MLM 1.4.0; {reason}",
                          rule.id)
        if hoisted:
            ctx.pivot.notes["mlm:hoisted"] = hoisted

    @staticmethod
    def write(ctx, rule) -> None:
        for group, key, field in ctx.pivot.notes.get("mlm:hoisted", ()):
            name = ITEM_ONLY[field]
            if name not in ctx.pivot.fields or tuple(ctx.pivot.origin.get(name, ())) != (group, key, field):
                continue
            asset = (ctx.out.get(group) or {}).get(key)
            if type(asset) is dict:
                # the source's own value: conversions of the hoisted value are not written back
                asset[field] = ctx.original((group, key, field), ctx.pivot.fields[name])
                del ctx.pivot.fields[name]
                forget_findings(ctx, rule)


@structural("mlm-legacy-model-roles", options=options_schema(restore_until=STRING))
class LegacyModelRoles:
    """MLM 1.0-1.1 required the mlm:model role on every asset, so source-code and runtime
    assets carried it too. When several assets have it and one of them is not of that kind,
    a source-code asset (role code or mlm:source_code) is read as mlm:source_code only and a
    runtime asset (an inference or training runtime role, no weights or checkpoint) without
    mlm:model; writing to 1.0-1.3 puts the roles back as they were."""

    @staticmethod
    def read(ctx, rule) -> None:
        changed = []
        for group in GROUPS:
            assets = ctx.pivot.base.get(group)
            for key, kind in _to_correct(assets):
                roles = assets[key]["roles"]
                new = [r for r in roles if r != MODEL_ROLE]
                if kind == "source-code" and "mlm:source_code" not in new:
                    at = roles.index(MODEL_ROLE)
                    new.insert(at, "mlm:source_code")
                    # the reader reports this role, if it is lost, as the source wrote it
                    ctx.pivot.notes.setdefault("role-places", {})[(group, key, "mlm:source_code")] = (at, MODEL_ROLE)
                assets[key]["roles"] = new
                changed.append((group, key, roles, new))
                read_as = "mlm:source_code" if kind == "source-code" else "a runtime asset without mlm:model"
                ctx.report.finding(join((group, key, "roles")), "role-corrected",
                                   f"mlm:model on a {kind} asset (MLM 1.0-1.1 required it on every asset) "
                                   f"read as {read_as}", rule.id)
        if changed:
            ctx.pivot.notes["mlm:model-roles"] = changed

    @staticmethod
    def write(ctx, rule) -> None:
        if not restores_source_form(ctx, rule):
            return
        read_roles = ctx.view.read_roles
        for group, key, roles, _ in ctx.pivot.notes.get("mlm:model-roles", ()):
            entry = ctx.pivot.assets.get((group, key))
            asset = (ctx.out.get(group) or {}).get(key)
            if entry is None or type(asset) is not dict or "model" in entry.roles:
                continue
            entry.roles[:] = [read_roles[r][0].pivot for r in roles if type(r) is str and r in read_roles]
            asset["roles"] = list(roles)
            forget_findings(ctx, rule, ("role-corrected",))
            _read_back_differently(ctx, rule, group, key, roles)

    @staticmethod
    def finish(ctx, rule) -> None:
        """A runtime asset left as a container asset (link-as-asset reads it as a link and writes
        it back under its key) gets its roles once the output is complete."""
        _corrected_on_the_way_back(ctx, rule)
        if not restores_source_form(ctx, rule):
            return
        for group, key, roles, read_as in ctx.pivot.notes.get("mlm:model-roles", ()):
            asset = (ctx.out.get(group) or {}).get(key)
            if type(asset) is dict and type(asset.get("roles")) is list \
                    and [r for r in asset["roles"] if r != MODEL_ROLE] == read_as:
                if MODEL_ROLE in asset["roles"]:  # added for 1.0-1.1 (fill_required): the source had it
                    target = join((group, key, "roles"))
                    ctx.report.losses[:] = [l for l in ctx.report.losses
                                            if not (l.kind == "assumed" and l.target == target)]
                asset["roles"] = list(roles)
                forget_findings(ctx, rule, ("role-corrected",))
                _read_back_differently(ctx, rule, group, key, roles)


def _read_back_differently(ctx, rule, group: str, key: str, roles: list) -> None:
    """The source's mlm:model role, written back, is read back as the reader corrects it when
    the way back to the source's version does not put it back (a 1.3 source written to 1.0-1.2)."""
    if restored_on_the_way_back(ctx, rule):
        return
    place = join((group, key, "roles", roles.index(MODEL_ROLE)))
    if any(f.pointer == place and f.code == "read-back-renamed" for f in ctx.report.findings):
        return  # the write step already said it
    kind = _kind(roles)
    read_as = "reads it as mlm:source_code" if kind == "source-code" else "takes it off"
    ctx.report.finding(place, "read-back-renamed",
                       f"mlm:model on this {kind} asset is written as the source has it (MLM {ctx.version} "
                       f"allows it), but the way back to MLM {ctx.pivot.source[1]} {read_as}", rule.id, place)


def _corrected_on_the_way_back(ctx, rule) -> None:
    """Roles an MLM source of a version this rule does not read (1.4+) has as they are, written to
    1.0-1.3: reading the output corrects mlm:model on its source-code and runtime assets as the
    reader above does, and the way back to the source's version does not put it back."""
    if ctx.pivot.source[0] != ctx.table.name or restored_on_the_way_back(ctx, rule):
        return
    for group in GROUPS:
        assets = ctx.out.get(group)
        for key, _ in _to_correct(assets):
            roles = assets[key]["roles"]
            if ctx.original((group, key, "roles"), None) == roles:  # the source's place is the output's
                _read_back_differently(ctx, rule, group, key, roles)


def _to_correct(assets) -> list:
    """(key, kind) of the assets whose mlm:model role reading 1.0-1.3 corrects: source-code and
    runtime assets, when several assets have the role and one of them is not of that kind."""
    if type(assets) is not dict:
        return []
    models = [k for k, a in assets.items() if type(a) is dict and _roles(a) and MODEL_ROLE in a["roles"]]
    kinds = {k: _kind(assets[k]["roles"]) for k in models}
    if len(models) < 2 or all(kinds.values()):
        return []
    return [(k, kind) for k, kind in kinds.items() if kind]


def _kind(roles: list) -> str | None:
    """'source-code' or 'runtime' for an asset whose other roles say it is not the model itself."""
    if any(r in CODE_ROLES for r in roles):
        return "source-code"
    if any(r in RUNTIME_ROLES for r in roles) and not any(r in ARTIFACT_ROLES[1:] for r in roles):
        return "runtime"
    return None


def _roles(asset: dict) -> bool:
    return type(asset.get("roles")) is list


@structural("mlm-model-asset-bands", options=options_schema(restore_until=STRING))
class ModelAssetBands:
    """Since 1.3 the band check wants raster:bands on the mlm:model asset(s); 1.0-1.2 examples
    put them in the Item properties. When the inputs name bands and nothing else describes
    them, Item raster:bands move to the model assets; writing to 1.0-1.3 moves them back."""

    @staticmethod
    def read(ctx, rule) -> None:
        base = ctx.pivot.base
        props = base.get("properties")
        if ctx.pivot.type != "Feature" or type(props) is not dict or "raster:bands" not in props:
            return
        found = model_list(ctx, "input")
        models = _models_taking_bands(base, found[0][found[1]] if found else [])
        if not models:
            return
        value = props.pop("raster:bands")
        moved = []
        for key, asset in models:
            if "raster:bands" not in asset:
                asset["raster:bands"] = value
                moved.append(key)
        ctx.pivot.notes["mlm:bands-moved"] = (value, moved)
        for key in moved:
            ctx.report.finding("/properties/raster:bands", "moved",
                               f"raster:bands moved to the model asset '{key}', where the MLM band check "
                               "looks for them since 1.3.0", rule.id, f"/assets/{key}/raster:bands")

    @staticmethod
    def write(ctx, rule) -> None:
        moved = ctx.pivot.notes.get("mlm:bands-moved")
        if not moved or not restores_source_form(ctx, rule):
            return
        value, keys = moved
        assets = ctx.out.get("assets") or {}
        if all(type(assets.get(k)) is dict and assets[k].get("raster:bands") is value for k in keys):
            for k in keys:
                del assets[k]["raster:bands"]
            ctx.container["raster:bands"] = value
            forget_findings(ctx, rule)

    @staticmethod
    def finish(ctx, rule) -> None:
        """Item raster:bands that reading the output moves to the model asset, when the way back to
        the source's version does not move them back (a 1.3+ source written to 1.0-1.2, or a 1.4+
        one to 1.3; the output may declare raster where the source did not)."""
        props = ctx.out.get("properties")
        if ctx.type != "Feature" or type(props) is not dict or "raster:bands" not in props \
                or ctx.pivot.source[0] != ctx.table.name or restored_on_the_way_back(ctx, rule):
            return
        inputs = props.get("mlm:input")
        models = _models_taking_bands(ctx.out, inputs if type(inputs) is list else [])
        if models:
            ctx.report.finding("/properties/raster:bands", "read-back-moved",
                               "raster:bands are written in the Item properties, where the source has them, "
                               f"but the way back to MLM {ctx.pivot.source[1]} moves them to the model asset "
                               f"'{next(k for k, a in models if 'raster:bands' not in a)}'", rule.id, "/properties/raster:bands")


def _models_taking_bands(base: dict, inputs: list) -> list:
    """The mlm:model assets that reading 1.0-1.3 gives the Item's raster:bands: the inputs name
    bands, raster is declared, and neither the model assets nor eo:bands describe them."""
    props = base["properties"]
    if not any(type(i) is dict and type(i.get("bands")) is list and i["bands"] for i in inputs):
        return []
    declared = base.get("stac_extensions")
    declared = [u for u in declared if type(u) is str] if type(declared) is list else []
    models = [(k, a) for g, k, a in assets_of(base) if g == "assets" and _roles(a) and MODEL_ROLE in a["roles"]]
    if not any("/raster/" in u for u in declared) or not models or all("raster:bands" in a for _, a in models) \
            or _eo_described(props, models, declared):
        return []
    return models


def _eo_described(props: dict, models: list, declared: list) -> bool:
    if not any("/eo/" in u for u in declared):
        return False
    return bool(props.get("eo:bands")) or any(a.get("eo:bands") for _, a in models)
