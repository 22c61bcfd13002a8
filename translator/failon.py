"""``--fail-on KIND…``: which loss kinds make a command exit 1 (convert and audit share it).

Values may be repeated (``--fail-on dropped --fail-on lossy``) or separated by commas or
spaces (``--fail-on dropped,lossy``). ``none`` alone means never; no value means the
command's default.
"""
from __future__ import annotations

from typing import Iterable, Mapping

from .report import LOSS_KINDS

CHOICES = LOSS_KINDS + ("none",)
HELP = "Exit 1 when losses of these kinds are found: " + ", ".join(LOSS_KINDS) + ", or none."


class FailOnError(ValueError):
    """An unknown kind, or 'none' mixed with kinds."""


def parse_fail_on(values: Iterable[str] | str | None, default: tuple[str, ...] = ()) -> tuple[str, ...]:
    if isinstance(values, str):
        values = [values]
    kinds: list[str] = []
    for value in values or ():
        kinds.extend(v for v in value.replace(",", " ").split() if v)
    if not kinds:
        return tuple(default)
    if kinds == ["none"]:
        return ()
    bad = [k for k in kinds if k not in LOSS_KINDS]
    if bad or "none" in kinds:
        raise FailOnError(f"{', '.join(bad) or 'none'}: use any of {', '.join(LOSS_KINDS)}, or none alone")
    return tuple(dict.fromkeys(kinds))


def failing(counts: Mapping[str, int], fail_on: Iterable[str]) -> dict[str, int]:
    """The kinds of *fail_on* present in *counts* (loss kind -> number), with their numbers."""
    return {kind: counts[kind] for kind in fail_on if counts.get(kind)}


def click_callback(default: tuple[str, ...] = ()):
    """A click option callback turning the raw values into a tuple of kinds."""
    import click

    def callback(ctx, param, values):
        try:
            return parse_fail_on(values, default)
        except FailOnError as exc:
            raise click.BadParameter(str(exc), ctx=ctx, param=param) from None
    return callback
