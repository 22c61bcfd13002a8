"""Structural transforms any table can use; what they touch comes from the rule's options."""
from __future__ import annotations

import copy

from . import STRING, STRINGS, options_schema, structural
from ..pointer import escape, join, value_at
from ..unique import FreeKeys
from ..writer_assets import vocabulary_words

_CONTAINER_TYPES = ("docker-image", "application/vnd.oci.image.index.v1+json",
                    "application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.distribution.manifest.v2+json")


def _unique_key(assets: dict, key: str) -> str:
    if key not in assets:
        return key
    n = 2
    while f"{key}-{n}" in assets:
        n += 1
    return f"{key}-{n}"


def _report_missing(ctx, opts: dict) -> None:
    """Identity translation: say what is missing, change nothing."""
    role, field = opts["role"], opts.get("field")
    entries = [e for gk, e in ctx.pivot.assets.items() if gk[0] == "assets"]
    model = next((e for e in entries if role in e.roles), None)
    if model is not None and (field is None or field in model.fields):
        return
    ctx.report.problems.append(f"/assets: {ctx.target_name} requires {_wanted(ctx, role, field)}, "
                               "which the document does not have")


def _wanted(ctx, role: str, field: str | None) -> str:
    role_name = _target_name(ctx.table.write_roles, role, "role")
    if field is None:
        return f"an asset with the '{role_name}' role"
    return f"an asset with the '{role_name}' role and '{_target_name(ctx.table.write_assets, field, 'field')}'"


def _target_name(index: dict, pivot_name: str, attr: str) -> str:
    rules = index.get(pivot_name)
    return getattr(rules[0], attr) if rules else pivot_name


@structural("link-as-asset", options=options_schema(
    ("kinds",), types=STRINGS, kinds={"type": "object", "minProperties": 1, "additionalProperties": options_schema(
        ("key", "roles"), key=STRING, roles={**STRINGS, "minItems": 1})}))
class LinkAsAsset:
    """Pivot links of some kinds (e.g. container images) are written as assets and read back
    from them. options: kinds: {pivot link kind: {key: asset key, roles: [target roles]}},
    types: media types that mark such an asset (default: container image types)."""

    @staticmethod
    def read(ctx, rule) -> None:
        assets = ctx.pivot.base.get("assets")
        if type(assets) is not dict:
            return
        types = tuple(rule.options.get("types", _CONTAINER_TYPES))
        # assets that may be container images (most models have none): looked for once, not per kind
        candidates = [k for k, a in assets.items() if type(a) is dict and ("type" not in a or a["type"] in types)]
        if not candidates:
            return
        for kind, spec in rule.options["kinds"].items():
            roles = list(spec["roles"])
            for key in candidates:
                asset = assets.get(key)
                if asset is None:  # read as a link of an earlier kind
                    continue
                # a container image asset, or one this transform wrote from a link without a type
                typed = asset.get("type") in types or ("type" not in asset and key.startswith(spec["key"]))
                # with exactly the roles this transform writes (a runtime asset with only the ML
                # role, e.g. from an ml-model runtime asset, stays an asset)
                if typed and type(asset.get("roles")) is list and asset["roles"] \
                        and asset["roles"][0] == roles[0] and sorted(set(asset["roles"])) == sorted(set(roles)):
                    body = {k: v for k, v in asset.items() if k != "roles"}
                    ctx.pivot.links.append([kind, body, join(("assets", key)), None])
                    del assets[key]
                    ctx.report.finding(join(("assets", key)), "asset-to-link",
                                       f"container asset '{key}' read as the {kind.rpartition(':')[2]} image "
                                       f"link (pivot link '{kind}')", rule.id)

    @staticmethod
    def describe(rule) -> list[tuple[str, str, str]]:
        """For the crosswalk: the pivot link kinds this rule writes, and as what."""
        return [("links", kind, f"asset '{spec['key']}' with roles {', '.join(spec['roles'])}")
                for kind, spec in rule.options["kinds"].items()]

    @staticmethod
    def write(ctx, rule) -> None:
        kinds = rule.options["kinds"]
        keep = []
        assets = free_key = None  # the output's assets, copied once when the first link becomes one
        for link in ctx.pivot.links:
            kind, body, origin, _slot = link
            spec = kinds.get(kind)
            if spec is None or type(body.get("href")) is not str:
                keep.append(link)
                continue
            if assets is None:
                current = ctx.out.get("assets")
                assets = ctx.out["assets"] = dict(current) if type(current) is dict else ctx.new_object("assets")
                free_key = FreeKeys(assets)
            token = origin[len("/assets/"):] if type(origin) is str and origin.startswith("/assets/") else ""
            old = token.replace("~1", "/").replace("~0", "~")
            # within one extension an asset read as a link goes back under its own key
            key = old if token and "/" not in token and ctx.pivot.source[0] == ctx.table.name and old not in assets \
                else free_key(spec["key"])
            assets[key] = {**body, "roles": list(spec["roles"])}
            ctx.report.finding(origin, "link-to-asset", f"{_link_named(ctx, kind, origin)} written as asset '{key}'",
                               rule.id, join(("assets", key)))
        if len(keep) != len(ctx.pivot.links):
            ctx.pivot.links[:] = keep
            ctx.pivot.notes["links_read"] = True


def _link_named(ctx, kind: str, origin) -> str:
    """A link turned into an asset as the user knows it: by the source's rel when it was a link."""
    if type(origin) is str and origin.startswith("/links/") and origin[7:].isdigit():
        links, i = ctx.source_doc.get("links"), int(origin[7:])  # readers keep links where they stand
        rel = links[i].get("rel") if type(links) is list and i < len(links) and type(links[i]) is dict else None
        if type(rel) is str:
            return f"link '{rel}'"
    return vocabulary_words(ctx, "links", kind)


@structural("ensure-role-asset", lossy="promotes or synthesizes an asset the source does not describe as such",
            options=options_schema(("role",), role=STRING, field=STRING, promote=STRINGS, assume={"type": "object"},
                                   every={"type": "boolean"},
                                   placeholder=options_schema(key=STRING, asset={"type": "object"}, value={})))
class EnsureRoleAsset:
    """Make sure one asset carries a pivot role, and an asset field when one is named (MLM: the
    mlm:model asset with mlm:artifact_type). options: role, field (optional), promote: [roles, in
    order of preference], assume: {role: field value}, placeholder: {key, asset: {...}, value},
    every: true when the target wants the role on every asset (MLM 1.0-1.1)."""

    @staticmethod
    def write(ctx, rule) -> None:
        if not ctx.repair:
            _report_missing(ctx, rule.options)
            return
        entries = [(gk, e) for gk, e in ctx.pivot.assets.items() if gk[0] == "assets"]
        _ensure_one(ctx, rule, entries)
        if len(entries) > 1 and "field" in rule.options:
            _complete_others(ctx, rule)
        if rule.options.get("every"):
            _on_every_asset(ctx, rule, entries)

    @staticmethod
    def fills(rule, table) -> list[str]:
        """The asset field can be given by the caller (fill_values), e.g. mlm:artifact_type."""
        field = rule.options.get("field")
        return [_target_name(table.write_assets, field, "field")] if field else []


def _given(ctx, rule, entry, key: str) -> bool:
    """The caller's value for the rule's asset field (fill_values), set on *entry*, if given."""
    if ctx.fill_values is None:  # the usual case: nothing given
        return False
    field = rule.options["field"]
    field_name = _target_name(ctx.table.write_assets, field, "field")
    if field_name not in ctx.fill_values:
        return False
    entry.fields[field] = copy.deepcopy(ctx.fill_values[field_name])
    entry.origin[field] = ""
    ctx.loss("", "assumed", entry.fields[field], f"{field_name} of the model asset: the value given for it "
             "(fill values)", rule.id, join(("assets", key, field_name)))
    return True


def _has_own(ctx, entry, field: str) -> bool:
    """The source asset, of another extension, already has a value for the target's field (a
    half-migrated document: carried as it is), which a guess or placeholder must not replace."""
    if ctx.pivot.source[0] == ctx.table.name:  # (the target's own field: read, or refused by the reader)
        return False
    asset = value_at(ctx.source_doc, entry.pointer, None)
    return type(asset) is dict and asset.get(_target_name(ctx.table.write_assets, field, "field")) is not None


def _ensure_one(ctx, rule, entries: list) -> None:
    """One asset with the role (promoted, or a placeholder) and, when named, the field on it."""
    opts = rule.options
    role, field = opts["role"], opts.get("field")
    chosen = next(((gk, e) for gk, e in entries if role in e.roles), None)
    promoted_from = None
    if chosen is None:
        for wanted in opts.get("promote", []):
            chosen = next(((gk, e) for gk, e in entries if wanted in e.roles), None)
            if chosen is not None:
                promoted_from = wanted
                break
    target = "/assets"
    if chosen is not None:
        (group, key), entry = chosen
        target = join(("assets", key))
        if promoted_from is not None:
            entry.roles.append(role)
            pointer, value, _ = entry.role_source(promoted_from)
            ctx.loss(pointer, "assumed", value,
                     f"no asset has the '{role}' role; the '{promoted_from}' asset is taken as the model",
                     rule.id, target + "/roles")
        if field is None or field in entry.fields or _has_own(ctx, entry, field) or _given(ctx, rule, entry, key):
            return
        value = opts.get("assume", {}).get(promoted_from or role)
        if value is None:
            for r in entry.roles:
                value = value or opts.get("assume", {}).get(r)
        if value is not None:
            entry.fields[field] = value
            entry.origin[field] = ""
            field_name = _target_name(ctx.table.write_assets, field, "field")
            ctx.loss("", "assumed", value, f"{field_name} of the model asset guessed from its role; check it",
                     rule.id, join(("assets", key, field_name)))
            return
    placeholder = opts.get("placeholder", {})
    if not ctx.fill_required:
        what = (f"'{_target_name(ctx.table.write_assets, field, 'field')}' on asset {target}" if chosen
                else _wanted(ctx, role, field))
        ctx.report.problems.append(f"{target}: {ctx.target_name} requires {what}, which the source "
                                   "does not give (--fill-required writes a placeholder)")
        return
    if chosen is None:
        assets = ctx.out.get("assets")
        assets = ctx.out["assets"] = dict(assets) if type(assets) is dict else ctx.new_object("assets")
        key = _unique_key(assets, placeholder.get("key", "model"))
        assets[key] = dict(placeholder.get("asset", {}))
        entry = ctx.pivot.asset("assets", key, "")
        entry.roles.append(role)
        target = join(("assets", key))
        ctx.loss("", "synthesized", assets[key], f"placeholder asset with the '{role}' role", rule.id, target)
    if field is not None and not _given(ctx, rule, entry, key):
        entry.fields[field] = placeholder.get("value", "unknown")
        entry.origin[field] = ""
        field_name = _target_name(ctx.table.write_assets, field, "field")
        ctx.loss("", "synthesized", entry.fields[field], f"placeholder {field_name}", rule.id,
                 f"{target}/{escape(field_name)}")


def _complete_others(ctx, rule) -> None:
    """The field on every other asset with the role too (MLM wants mlm:artifact_type on each
    mlm:model asset): a marked placeholder with fill_required, else a problem."""
    role, field = rule.options["role"], rule.options["field"]
    with_role = [(key, e) for (group, key), e in ctx.pivot.assets.items() if group == "assets" and role in e.roles]
    lacking = [key for key, e in with_role[1:] if field not in e.fields  # the first is _ensure_one's
               and not _given(ctx, rule, e, key)]
    if not lacking:
        return
    field_name = _target_name(ctx.table.write_assets, field, "field")
    if not ctx.fill_required:
        _lacking(ctx, lacking, f"requires '{field_name}' on every asset with the "
                 f"'{_target_name(ctx.table.write_roles, role, 'role')}' role", "--fill-required writes a placeholder")
        return
    value = rule.options.get("placeholder", {}).get("value", "unknown")
    for key in lacking:
        entry = ctx.pivot.assets[("assets", key)]
        entry.fields[field] = value
        entry.origin[field] = ""
        ctx.loss("", "synthesized", value, f"placeholder {field_name}", rule.id, join(("assets", key, field_name)))


def _on_every_asset(ctx, rule, entries: list) -> None:
    """``every``: the role on each other asset too; with fill_required each is reported as assumed,
    without it a problem names the assets that lack it."""
    role = rule.options["role"]
    assets = ctx.out.get("assets")
    for key, asset in assets.items() if type(assets) is dict else ():
        if type(asset) is dict and ("assets", key) not in ctx.pivot.assets:  # an asset no rule read
            entries.append((("assets", key), ctx.pivot.asset("assets", key, join(("assets", key)))))
    lacking = [(key, e) for (_, key), e in entries if role not in e.roles]
    if not lacking:
        return
    role_name = _target_name(ctx.table.write_roles, role, "role")
    if not ctx.fill_required:
        _lacking(ctx, [k for k, _ in lacking], f"wants the '{role_name}' role on every asset",
                 "--fill-required adds it")
        return
    for key, entry in lacking:
        entry.roles.append(role)
        ctx.loss(entry.pointer + "/roles" if entry.pointer else "", "assumed", role_name,
                 f"{ctx.target_name} wants the '{role_name}' role on every asset: added", rule.id,
                 join(("assets", key, "roles")))


def _lacking(ctx, keys: list, wants: str, remedy: str) -> None:
    ctx.report.problems.append(f"/assets: {ctx.target_name} {wants}; "
                               f"{', '.join(join(('assets', k)) for k in keys)} lack it ({remedy})")
