"""Writing assets, asset roles and links: the parts of the output outside the fields container.
Roles and links the reader took out left slots behind, so they go back where they stood."""
from __future__ import annotations

from .pointer import join
from .reader import SLOT
from .unique import unique

def write_assets(ctx, write_fields) -> None:
    """Asset fields (through *write_fields*, the writer's field loop) and ML roles of each pivot asset."""
    for (group, key), entry in ctx.pivot.assets.items():
        assets = ctx.out.get(group)
        if type(assets) is not dict:
            assets = ctx.new_object(group)
        asset = assets.get(key)
        if type(asset) is not dict:
            asset = assets[key] = {}
        if entry.fields:
            write_fields(ctx, entry.fields, entry.origin, ctx.view.write_assets, ctx.view.fast_write_assets, asset,
                       "asset_fields", False, entry.pointer)
        _write_roles(ctx, entry, asset, (group, key))


def _write_roles(ctx, entry, asset: dict, where: tuple) -> None:
    current = asset.get("roles")
    current = current if type(current) is list else []
    if not entry.roles and not any(type(r) is tuple for r in current):
        return  # no ML role was read or added: the roles stay as they are
    slots = {r[1] for r in current if type(r) is tuple}
    placed: dict[str, tuple[str, ...]] = {}
    appended: list[str] = []
    index = ctx.view.write_roles
    for role in entry.roles:
        rules = index.get(role)
        rule = ctx.first(rules) if rules else None
        if rule is None:
            reasons = ctx.view.reasons.get("role")
            if reasons is None:
                reasons = ctx.view.reasons["role"] = {}
            reason = reasons.get(role)
            if reason is None:
                reason = reasons[role] = \
                    f"{ctx.target_name} has no asset role for {vocabulary_words(ctx, 'roles', role)}"
            pointer, value, kind = entry.role_source(role)
            ctx.loss(pointer, kind, value, reason)
            continue
        names = rule.role_names
        if role in slots:
            placed[role] = names
        else:
            appended.extend(names)
        if rule.lossy:
            pointer, value, _ = entry.role_source(role)
            ctx.loss(pointer, rule.lossy_kind, value, rule.lossy, rule.id)
    ordered: list = []
    for r in current:
        if type(r) is not tuple:
            ordered.append(r)
        else:
            ordered.extend(placed.get(r[1], ()))
    if entry.roles_repeated and not ctx.repair:  # the identity keeps what the source repeats
        roles = ordered + [r for r in unique(appended) if r not in ordered]
    else:  # (the reader's role-repeated finding says so)
        roles = unique(ordered + appended)
    if roles or "roles" in asset:
        if roles or not entry.had_roles:
            asset["roles"] = roles
        elif where[0] == "item_assets" and ctx.fill_required and len(asset) <= 2:
            # an item asset definition needs two fields (item-assets extension): an empty list stays
            asset["roles"] = roles
            ctx.report.finding(entry.pointer + "/roles", "roles-emptied", "no role has a target equivalent; "
                               "'roles': [] kept, since an item asset needs at least two fields", "",
                               join(where + ("roles",)))
        else:
            del asset["roles"]


def write_links(ctx) -> None:
    """Pivot links back into the links list: in the slots the reader left, new ones appended."""
    links = ctx.out.get("links")
    had_links = "links" in ctx.out
    if had_links and type(links) is not list:
        ctx.loss("/links", "dropped", links, "links that are not a list: written anew", "")
    links = ctx.out["links"] = list(links) if type(links) is list else []
    slots = {id(l): i for i, l in enumerate(links) if type(l) is tuple and l and l[0] == SLOT}
    moved: list = []
    for kind, body, origin, slot in ctx.pivot.links:
        rule = ctx.first(ctx.view.write_links.get(kind))
        at = slots.get(id(slot)) if slot is not None else None
        if rule is None:
            ctx.loss(origin, "dropped", ctx.original(origin, body) if origin else body,  # "": added, not read
                     f"{ctx.target_name} has no link relation for {vocabulary_words(ctx, 'links', kind)}")
            continue
        link = {"rel": rule.rel, **body, **rule.match}
        source_link = ctx.original(("links", slot[1])) if at is not None else None  # the reader's slot
        if type(source_link) is dict and source_link.keys() == link.keys():
            link = {k: link[k] for k in source_link}  # same keys: keep the source's key order
        if rule.lossy:
            ctx.loss(origin, rule.lossy_kind, ctx.original(origin, body), rule.lossy, rule.id)
        if at is not None:
            links[at] = link
        else:
            links.append(link)
            if not origin.startswith("/links/"):  # a field or an asset became a link: say where it went
                moved.append((origin, rule, link, kind))
    ctx.out["links"] = final = [l for l in links if not (type(l) is tuple and l and l[0] == SLOT)]
    if not final and not had_links:  # the source has no links: none are added
        del ctx.out["links"]
    positions = {id(l): i for i, l in enumerate(final)} if moved else {}
    for origin, rule, link, kind in moved:  # (a value added by the caller has no pointer to say what it is)
        at = positions[id(link)]
        what = "" if origin else f"{vocabulary_words(ctx, 'links', kind)} "
        ctx.report.finding(origin, "to-link", f"{what}written as a link with rel '{rule.rel}'", rule.id, f"/links/{at}")


def vocabulary_words(ctx, section: str, name: str) -> str:
    """A pivot role or link kind as a reason names it: what the vocabulary says it is, and the name."""
    described = ctx.tables.vocabulary.get(section, {}).get(name)
    if type(described) is not str or not described:
        return f"'{name}'"
    what = described.split(" (")[0].rstrip(".")
    for article in ("A ", "An ", "The "):
        what = what[len(article):] if what.startswith(article) else what
    return f"the {what[0].lower()}{what[1:]} (pivot {section[:-1]} '{name}')"
