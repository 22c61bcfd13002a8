"""The loss report: what a translation could not carry, and what it had to assume.

``losses`` are the entries users act on (kinds below); ``findings`` record what the
lenient reader normalised or noticed. The residue is what a later ``restore`` needs
to rebuild the source exactly; it is computed only when asked for.
"""
from __future__ import annotations

from typing import Any, Callable

from .pointer import join

LOSS_KINDS = ("dropped", "lossy", "assumed", "synthesized", "unknown")

# the recorders below build entries without calling their __init__ (one Python call less for
# each of the many entries a translation records): keep them in step with the __init__s
_new = object.__new__


class Loss:
    __slots__ = ("_pointer", "kind", "value", "reason", "rule", "target")

    def __init__(self, pointer: str | tuple, kind: str, value: Any, reason: str, rule: str,
                 target: str | None = None):
        self._pointer = pointer  # a path tuple is turned into a string only when read
        self.kind = kind
        self.value = value
        self.reason = reason
        self.rule = rule
        self.target = target

    @property
    def pointer(self) -> str:
        if type(self._pointer) is not str:
            self._pointer = join(self._pointer)
        return self._pointer

    @property
    def place(self) -> str | tuple:
        """The pointer as given: a path tuple (not joined yet) or a string."""
        return self._pointer

    def to_dict(self) -> dict:
        d = {"pointer": self.pointer, "kind": self.kind, "value": self.value,
             "reason": self.reason, "rule": self.rule}
        if self.target is not None:
            d["target"] = self.target
        return d

    def __repr__(self) -> str:
        return f"Loss({self.kind} {self.pointer or '(root)'}: {self.reason})"


class Finding:
    __slots__ = ("pointer", "code", "message", "rule", "target")

    def __init__(self, pointer: str, code: str, message: str, rule: str = "", target: str | None = None):
        self.pointer = pointer
        self.code = code
        self.message = message
        self.rule = rule
        self.target = target  # where the output holds what this finding is about, when it moved

    def to_dict(self) -> dict:
        d = {"pointer": self.pointer, "code": self.code, "message": self.message, "rule": self.rule}
        if self.target is not None:
            d["target"] = self.target
        return d

    def __repr__(self) -> str:
        return f"Finding({self.code} {self.pointer or '(root)'}: {self.message})"


class Report:
    """Outcome of one translation. ``valid`` is False when the output is known not to be
    schema-valid for the target (``problems`` says why); None when nothing is known."""

    __slots__ = ("source", "target", "losses", "findings", "problems", "validation",
                 "_residue", "_residue_fn")

    def __init__(self, source: tuple[str, str], target: tuple[str, str]):
        self.source = source
        self.target = target
        self.losses: list[Loss] = []
        self.findings: list[Finding] = []
        self.problems: list[str] = []
        self.validation: list | None = None
        self._residue: list[dict] | None = None
        # (function, arguments) that compute the residue when it is first read (a tuple costs
        # less to build than a closure, on every translation)
        self._residue_fn: tuple[Callable[..., list[dict]], tuple] | None = None

    # -- recording -------------------------------------------------------
    def loss(self, pointer: str, kind: str, value: Any, reason: str, rule: str = "",
             target: str | None = None) -> None:
        entry = _new(Loss)  # Loss(pointer, kind, value, reason, rule, target)
        entry._pointer = pointer
        entry.kind = kind
        entry.value = value
        entry.reason = reason
        entry.rule = rule
        entry.target = target
        self.losses.append(entry)

    def finding(self, pointer: str, code: str, message: str, rule: str = "", target: str | None = None) -> None:
        self.findings.append(Finding(pointer, code, message, rule, target))

    def rebase(self, places: dict[str, str]) -> None:
        """Point losses and findings at the source's own places where a reader normalised the
        layout: *places* maps a pointer prefix of the normalised form to the source's."""
        prefixes = tuple(sorted(places, key=len, reverse=True))  # the most specific first
        heads = {prefix.split("/", 2)[1] for prefix in prefixes}  # first tokens, to skip path tuples
        for loss in self.losses:
            where = loss._pointer
            if type(where) is str:
                if where.startswith(prefixes):  # one C-level test rejects most pointers
                    loss._pointer = place_in_source(places, where, prefixes)
            elif where and where[0] in heads:
                loss._pointer = place_in_source(places, loss.pointer, prefixes)
        for finding in self.findings:
            if finding.pointer.startswith(prefixes):
                finding.pointer = place_in_source(places, finding.pointer, prefixes)

    def retarget(self, old: str, new: str) -> None:
        """A writer moved what it had placed at *old* to *new*: targets follow."""
        for entry in (*self.losses, *self.findings):
            target = entry.target
            if target and target.startswith(old) and (len(target) == len(old) or target[len(old)] == "/"):
                entry.target = new + target[len(old):]

    # -- reading ---------------------------------------------------------
    @property
    def valid(self) -> bool | None:
        if self.problems:
            return False
        if self.validation is not None:
            return not self.validation
        return None

    @property
    def empty(self) -> bool:
        return not (self.losses or self.findings or self.problems)

    def kinds(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for loss in self.losses:
            counts[loss.kind] = counts.get(loss.kind, 0) + 1
        return counts

    @property
    def residue(self) -> list[dict]:
        """Patches that turn the plain back-translation into the exact source."""
        if self._residue is None:
            self._residue = self._residue_fn[0](*self._residue_fn[1]) if self._residue_fn else []
            self._residue_fn = None
        return self._residue

    def to_dict(self) -> dict:
        d = {
            "source": {"extension": self.source[0], "version": self.source[1]},
            "target": {"extension": self.target[0], "version": self.target[1]},
            "valid": self.valid,
            "problems": list(self.problems),
            "losses": [loss.to_dict() for loss in self.losses],
            "findings": [f.to_dict() for f in self.findings],
            "residue": self.residue,
        }
        if self.validation is not None:
            # pointers into the output, unlike those of losses and findings (into the source)
            d["validation"] = [{"pointer": v.pointer, "in": "output", "message": v.message} for v in self.validation]
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "Report":
        """The report *d* (``to_dict()``, e.g. read back from JSON); a DocumentError if it is not one."""
        try:
            return cls._from_dict(d)
        except (AttributeError, KeyError, TypeError) as exc:
            from .errors import DocumentError
            raise DocumentError(f"not a translation report ({type(exc).__name__}: {exc})") from None

    @classmethod
    def _from_dict(cls, d: dict) -> "Report":
        src, dst = d.get("source") or {}, d.get("target") or {}
        report = cls((src.get("extension", ""), src.get("version", "")),
                     (dst.get("extension", ""), dst.get("version", "")))
        for e in d.get("losses", []):
            report.loss(e["pointer"], e["kind"], e.get("value"), e.get("reason", ""), e.get("rule", ""), e.get("target"))
        for e in d.get("findings", []):
            report.finding(e["pointer"], e["code"], e.get("message", ""), e.get("rule", ""), e.get("target"))
        report.problems = list(d.get("problems", []))
        report._residue = list(d.get("residue", []))
        return report

    def __repr__(self) -> str:
        return (f"Report({self.source[0]}@{self.source[1]} -> {self.target[0]}@{self.target[1]}: "
                f"{len(self.losses)} losses, {len(self.findings)} findings)")


def place_in_source(places: dict[str, str], pointer: str, prefixes: tuple | None = None) -> str:
    """*pointer* of a normalised layout at its place in the source (*places*: see Report.rebase)."""
    for prefix in prefixes or sorted(places, key=len, reverse=True):
        if pointer.startswith(prefix) and (len(pointer) == len(prefix) or pointer[len(prefix)] == "/"):
            return places[prefix] + pointer[len(prefix):]
    return pointer
