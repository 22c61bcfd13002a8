"""The state of one write: the output being built, the target table's view, the report, and
the helpers that record a loss where the source has the value."""
from __future__ import annotations

from typing import Any

from .pivot import Pivot
from .pointer import as_pointer, join, value_at
from .reader import fields_path
from .report import Report, place_in_source
from .residue import same
from .tables import Rule, Table, Tables

MISSING = object()


class WriteCtx:
    __slots__ = ("pivot", "table", "version", "out", "report", "fill_required", "type",
                 "container", "where", "source_doc", "places", "tables", "pending_links", "view", "repair",
                 "parts", "fill_values", "part_losses", "loss")

    def __init__(self, pivot: Pivot, table: Table, version: str, report: Report, fill_required: bool,
                 source_doc: dict, tables: Tables):
        self.pivot, self.table, self.version, self.report = pivot, table, version, report
        # loss(pointer, kind, value, reason, rule="", target=None): the report's own (one call less per loss)
        self.loss = report.loss
        self.fill_required = fill_required
        self.fill_values: dict | None = None  # required target field -> the value the caller gives
        self.out = pivot.base
        self.type = pivot.type
        self.view = table.view(pivot.type, version)
        self.where = fields_path(pivot.type)
        if self.where:
            if type(self.out.get("properties")) is not dict:
                # an Item without a properties object (or with a broken one): written only if filled
                pivot.notes["properties-missing"] = self.out.get("properties", MISSING)
                self.out["properties"] = {}
            self.container = self.out["properties"]
        else:
            self.container = self.out
        self.source_doc = source_doc
        places = pivot.notes.get("source-places")
        if places:  # (a reader's normalised pointer prefix -> the source's; see Report.rebase)
            prefixes = tuple(sorted(places, key=len, reverse=True))
            self.places = (places, prefixes, {p.split("/", 2)[1] for p in prefixes})
        else:
            self.places = None
        self.tables = tables
        self.pending_links: list[list] = []
        self.parts: dict[str, set] = {}  # pivot field -> the parts of it a transform wrote, when not all
        self.part_losses: dict[tuple, tuple] = {}  # (pointer, kind, rule, target) -> (entry, its reasons)
        # to the same extension and version the output is the input: guesses that would repair
        # an incomplete document (fallbacks, promoted or guessed assets) run only on request
        self.repair = fill_required or pivot.source != (table.name, version)

    @property
    def target_name(self) -> str:
        return self.view.name

    def applies(self, rule: Rule) -> bool:
        if not rule.applies(self.type, self.version):
            return False
        return rule.when is None or bool(rule.when.search(self.out))

    def first(self, rules: list[Rule] | None) -> Rule | None:
        """First rule of a view index (type and version already checked) whose ``when`` holds."""
        if rules:
            for rule in rules:
                if rule.when is None or rule.when.search(self.out):
                    return rule
        return None

    def original(self, pointer: str | tuple, fallback: Any = None) -> Any:
        """The source value at *pointer* (losses report what the source said)."""
        if self.places is not None:  # a reader normalised the layout (DLM assets arrays, a Collection's summaries)
            places, prefixes, heads = self.places
            if type(pointer) is str or (pointer and pointer[0] in heads):
                pointer = place_in_source(places, as_pointer(pointer), prefixes)
        return value_at(self.source_doc, pointer, fallback)

    def lost_part(self, origin: str | tuple, path: tuple, kind: str, value: Any, reason: str, rule: str = "",
                  target: str | None = None) -> None:
        """A loss of *value*, the part at *path* of the pivot value read from *origin*. It is
        reported at its own place when the source holds it there; otherwise (a value the reader
        built from another layout, or normalised) at *origin*, as partly carried, with the source's
        value: a loss always gives the value the source has at its pointer. The losses of one
        kind at one place from one rule are one entry, whose reason says each thing lost there."""
        if origin == "" or origin == ():
            self.loss(origin, kind, value, reason, rule, target)
            return
        place = self.below(origin, path)
        found = self.original(place, MISSING)
        if not (found is value or same(found, value)):  # not at a place of its own: the value it is part of
            place, value = origin, self.original(origin, value)
            kind = "lossy" if path and kind == "dropped" else kind
        key = (join(place) if type(place) is tuple else place, kind, rule, target)
        earlier = self.part_losses.get(key)
        if earlier is None:
            self.loss(place, kind, value, reason, rule, target)
            self.part_losses[key] = (self.report.losses[-1], {reason})
        elif reason not in earlier[1]:  # another part of the same value, for another reason
            earlier[1].add(reason)
            earlier[0].reason += f"; {reason}"

    @staticmethod
    def below(origin: str | tuple, path: tuple) -> str | tuple:
        """The place *path* below *origin*, in the same form; "" (no place in the source) stays."""
        return origin + path if type(origin) is tuple else origin + join(path) if origin else origin

    def dropped(self, pointer: str | tuple, value: Any, what: str) -> None:
        self.loss(pointer, "dropped", self.original(pointer, value),
                  f"{self.target_name} has no place for {what}")

    def new_object(self, key: str) -> dict:
        """A new, empty top-level *key* object (assets, item_assets, summaries) to write into; a
        value the source has there that is not an object is reported, not silently replaced."""
        current = self.out.get(key, MISSING)
        if current is not MISSING and type(current) is not dict:
            self.loss((key,), "dropped", current, f"'{key}' is not an object; {self.target_name} "
                      "needs one for what it writes there")
        made = self.out[key] = {}
        return made

    def set(self, container: dict, path: tuple, value: Any) -> None:
        """container[p0][p1]... = value, creating (or copying) the objects on the way."""
        for token in path[:-1]:
            child = container.get(token)
            container[token] = child = dict(child) if type(child) is dict else {}
            container = child
        container[path[-1]] = value
