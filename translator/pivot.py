"""The pivot: one canonical in-memory form every extension is read into and written from.

A pivot is built by a reader table and consumed by a writer table. ``base`` is the
output skeleton: the source document with everything the reader took out, copied
only where something changed. What the reader could not place canonically travels
in ``extras`` so that a translation back to the same extension loses nothing.
"""
from __future__ import annotations

from typing import Any


class PivotAsset:
    __slots__ = ("roles", "fields", "origin", "pointer", "had_roles", "role_origin", "roles_repeated")

    def __init__(self, pointer: str):
        self.roles: list[str] = []       # canonical ML roles, in source order
        self.fields: dict[str, Any] = {}  # canonical asset fields
        self.origin: dict[str, str] = {}  # canonical name -> source pointer
        self.pointer = pointer
        self.had_roles = False            # the source asset carried roles the reader took
        self.roles_repeated = False       # ... and gave one of them twice
        # role -> (index in the source's roles, or a pointer, or None; the source value), or
        # (pointer, value, "lossy") for a role implied by a field that is otherwise carried
        self.role_origin: dict[str, tuple] | None = None

    def role_source(self, role: str) -> tuple[str, Any, str]:
        """Pointer, value and loss kind of *role* not carried, as the source wrote it; for a role
        a transform added (no source position), the asset's roles and the pivot name."""
        origin = self.role_origin.get(role) if self.role_origin else None
        if origin is None:
            return self.pointer + "/roles", role, "dropped"
        where, value = origin[0], origin[1]
        if type(where) is int:
            return f"{self.pointer}/roles/{where}", value, "dropped"
        if where is None:  # read from a list a transform rewrote
            return self.pointer + "/roles", value, "dropped"
        return where, value, origin[2] if len(origin) > 2 else "dropped"  # (an asset made from a DLM object)


# the parts of a pivot input or output entry, as a reason names them (see Extra.via)
PART_WORDS = {"input": "shape and data type", "result": "shape and data type", "value_scaling": "value scaling",
              "classification:classes": "classes"}


# notes[PART_PLACES][field][part]: the source paths a part of a pivot entry was read from (Pivot.read_from)
PART_PLACES = "part-places"
CLASS_COUNT = "classification:classes/count"  # the part that holds the number of an output's classes


class Extra:
    """A source value with no canonical home (dropped or unknown)."""

    __slots__ = ("path", "value", "kind", "reason", "rule", "via")

    def __init__(self, path: tuple, value: Any, kind: str, reason: str, rule: str, via: str | None = None):
        self.path = path
        self.value = value
        self.kind = kind
        self.reason = reason
        self.rule = rule
        # the pivot field ('input') or part of one ('input/value_scaling') that carries this
        # lossy or assumed value: when the target drops that field or part, the value is dropped
        self.via = via


class Pivot:
    __slots__ = ("type", "source", "base", "fields", "origin", "summaries", "summary_origin",
                 "assets", "links", "extras", "notes")

    def __init__(self, doc_type: str, source: tuple[str, str], base: dict):
        self.type = doc_type                  # "Feature" or "Collection"
        self.source = source                  # (extension, version) it was read from
        self.base = base                      # output skeleton
        self.fields: dict[str, Any] = {}
        self.origin: dict[str, str] = {}
        self.summaries: dict[str, Any] = {}
        self.summary_origin: dict[str, str] = {}
        self.assets: dict[tuple[str, str], PivotAsset] = {}   # (assets|item_assets, key) -> asset
        self.links: list[list] = []   # [link kind, link body, source pointer, slot in base links]
        self.extras: list[Extra] = []
        self.notes: dict[str, Any] = {}       # scratch space for named transforms

    def read_from(self, field: str, part: str, path: tuple) -> None:
        """Say that *part* of the one entry of the pivot *field* (an input or output) was read from
        the source's *path*, when the reader built the entry from another layout (DLM's objects):
        a writer that carries only some parts reports the others there (notes[PART_PLACES])."""
        self.notes.setdefault(PART_PLACES, {}).setdefault(field, {}).setdefault(part, []).append(path)

    def asset(self, group: str, key: str, pointer: str) -> PivotAsset:
        entry = self.assets.get((group, key))
        if entry is None:
            entry = self.assets[(group, key)] = PivotAsset(pointer)
        return entry
