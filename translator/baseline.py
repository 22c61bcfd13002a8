"""An audit baseline: the (field pattern, kind) pairs of an earlier ``stacml audit --format
json`` report that a CI job accepts (``stacml audit --baseline``)."""
from __future__ import annotations

from typing import Any

from .errors import TranslatorError


class Baseline:
    """The (field pattern, kind) pairs of an earlier audit report (``--format json``) that a
    CI job accepts: only pairs outside it fail the build (``stacml audit --baseline``)."""

    def __init__(self, label: str, extension: Any, version: Any, accepted: set[tuple[str, str]]):
        self.label, self.extension, self.version, self.accepted = label, extension, version, accepted

    @classmethod
    def load(cls, path: str) -> "Baseline":
        from .jsonio import load
        try:
            data = load(path)[0]
        except TranslatorError as exc:
            raise TranslatorError(f"{path}: {exc.message}") from None
        fields = data.get("fields") if type(data) is dict else None
        if type(fields) is not list or not str(data.get("format", "")).startswith("stacml-audit/"):
            raise TranslatorError(f"{path}: not a stacml audit report (write one with --format json)")
        target = data.get("target")
        if type(target) is not dict or type(target.get("extension")) is not str:
            raise TranslatorError(f"{path}: /target: no target extension, so not a stacml audit report "
                                  "(write one with --format json)")
        for n, f in enumerate(fields):  # an entry skipped would quietly stop accepting its losses
            if type(f) is not dict or type(f.get("field")) is not str or type(f.get("kind")) is not str:
                raise TranslatorError(f"{path}: /fields/{n}: not a (field, kind) entry of an audit report")
        accepted = {(f["field"], f["kind"]) for f in fields}
        return cls(path, target["extension"], target.get("version"), accepted)

    def compare(self, fields: list[dict]) -> dict:
        """What this run finds outside the baseline (``new``) and what the baseline accepts that
        this run no longer finds (``gone``: the baseline can be tightened)."""
        found = {(e["field"], e["kind"]) for e in fields}
        new = [{"field": e["field"], "kind": e["kind"], "documents": e["documents"], "count": e["count"]}
               for e in fields if (e["field"], e["kind"]) not in self.accepted]
        gone = [{"field": f, "kind": k} for f, k in sorted(self.accepted - found)]
        return {"file": self.label, "accepted": len(self.accepted), "new": new, "gone": gone}
