"""What a whole-catalog run tells its user: one line per problem on stderr, a progress line
when stderr is a terminal, the one-line summary, and the ``--report`` file (per document
plus totals) streamed to disk so a run of millions of documents stays in constant memory.
"""
from __future__ import annotations

import os
import sys
import time
from typing import IO, Any, Callable

import orjson

from .catalog_work import Entry, Tally
from .catalog_write import open_temp
from .errors import DocumentError, one_line
from .report import LOSS_KINDS

STATUSES = ("translated", "unchanged", "copied", "up-to-date", "failed")
REPORT_FORMAT = "stacml-convert-report/1"
MAX_KEPT_WARNINGS = 10_000


class RunLog:
    """Collects entries and warnings; prints; writes the report; counts the totals."""

    def __init__(self, *, source: str, target: tuple[str, str], report_path: str | None = None,
                 quiet: bool = False, dry_run: bool = False, err: IO[str] | None = None,
                 out: IO[str] | None = None, progress: bool | None = None, options: dict | None = None):
        self.err = err or sys.stderr
        self.out = out or sys.stdout
        self.quiet = quiet
        self.dry_run = dry_run
        self.statuses = {s: 0 for s in STATUSES}
        self.kinds = {k: 0 for k in LOSS_KINDS}
        self.not_schema_valid = 0
        self.errata = 0  # outputs other validators reject by a known schema erratum (valid, with --validate)
        self.validated = bool((options or {}).get("validate"))
        self.invalid = 0
        self.warnings = 0
        self.kept_warnings: list[dict] = []
        self.unchanged_warnings = 0  # --copy-assets: those of up-to-date outputs, given by the run that wrote them
        self.dangling = 0  # links to documents that failed and have no output
        self.assets_copied = 0
        self.tail: dict[str, Any] = {}  # more at the end of the report: what a run left, where it stopped
        self.messages_seen: set[str] = set()
        self.started = time.monotonic()
        self.documents = 0
        # for the ETA: how many documents are expected, or which fraction of the input is read
        self.expected: Callable[[], int] | None = None
        self.fraction: Callable[[], float | None] | None = None
        self.progress = (not quiet and _isatty(self.err)) if progress is None else progress
        self._last_progress = 0.0
        self.target = target
        self._report = None
        self.report_path = report_path
        self._first = True
        if report_path is not None:
            self._open_report(report_path, source, target, options or {})

    # -- the report file ----------------------------------------------------------------------

    def _open_report(self, path: str, source: str, target: tuple[str, str], options: dict) -> None:
        try:  # exclusive, never through a symlink; named so that this run's sweep leaves it
            fd, self._report_tmp, _ = open_temp(path, None, set())
        except OSError as exc:
            raise DocumentError(f"cannot write: {exc.strerror or exc}", source=path) from None
        self._report = os.fdopen(fd, "wb")
        # relative paths in the report (sources, outputs) are relative to the run's working directory
        head = {"format": REPORT_FORMAT, "source": source, "cwd": os.getcwd(),
                "target": {"extension": target[0], "version": target[1]}, "options": options}
        self._report.write(orjson.dumps(head)[:-1] + b',"documents":[\n')

    def close(self, ok: bool = True) -> None:
        """Finish the report (totals) and move it into place; ``ok=False`` discards it."""
        self.clear_progress()
        if self._report is None:
            return
        report, self._report = self._report, None
        if not ok:
            report.close()
            os.unlink(self._report_tmp)
            return
        tail = {"totals": self.totals(), "warnings": self.kept_warnings, **self.tail}
        report.write(b"\n]," + orjson.dumps(tail)[1:] + b"\n")
        report.close()
        os.replace(self._report_tmp, self.report_path)

    # -- collecting ---------------------------------------------------------------------------

    def add(self, entry: Entry) -> None:
        tally = Tally()
        tally.add(entry, True)
        self.add_tally(tally)

    def add_tally(self, tally: Tally) -> None:
        self.documents += tally.documents
        for status, n in tally.statuses.items():
            self.statuses[status] = self.statuses.get(status, 0) + n
        for kind, n in tally.kinds.items():
            self.kinds[kind] = self.kinds.get(kind, 0) + n
        self.not_schema_valid += tally.not_schema_valid
        self.errata += tally.errata
        for entry in tally.notable:
            self._show(entry)
        if self._report is not None and tally.reports:
            if not self._first:
                self._report.write(b",\n")
            self._first = False
            self._report.write(b",\n".join(tally.reports))
        self.tick()

    def _show(self, entry: Entry) -> None:
        where = entry.label + (f" {entry.pointer}" if entry.pointer else "")
        if entry.status == "failed":
            self._print(f"error: {where}: {entry.error}")
        if entry.invalid:
            self.invalid += 1
            output = validated_output(where, output_label(entry))
            for pointer, message in entry.invalid:
                if pointer == "" and message.startswith("not validated:"):
                    if message not in self.messages_seen:  # the same missing schema, once
                        self.messages_seen.add(message)
                        self._print(f"invalid: {output}: {message}")
                else:
                    self._print(f"invalid: {output}: {pointer or '(root)'}: {message}")
        if self.dry_run and entry.status in ("translated", "copied"):
            verb = "translate" if entry.status == "translated" else "copy"
            detail = f" ({entry.conversion}{_kinds_text(entry.kinds, ': ')})" if entry.conversion else ""
            dest = f" -> {entry.output}" if entry.output else ""
            self._say(f"would {verb} {where}{detail}{dest}")

    def warn(self, label: str, message: str) -> None:
        self.warnings += 1
        self.keep_warning(label, message)
        self._print(f"warning: {label}: {message}")

    def keep_warning(self, label: str, message: str, unchanged: bool = False) -> None:
        """A warning for the report; *unchanged*: one an earlier run gave already (not printed
        again, counted apart)."""
        if len(self.kept_warnings) < MAX_KEPT_WARNINGS:
            self.kept_warnings.append({"source": label, "message": message, **({"unchanged": True} if unchanged else {})})
        self.unchanged_warnings += unchanged

    @property
    def has_report(self) -> bool:
        return self._report is not None

    def stopped(self, failed: str, not_converted: list[str]) -> None:
        """--strict stopped the run: which document failed, which were not converted."""
        self.tail["stopped"] = {"failed": failed, "not_converted": not_converted}
        shown = ", ".join(not_converted[:5]) + (f" and {len(not_converted) - 5} more" if len(not_converted) > 5 else "")
        self._print(f"stopped (--strict) after {failed} failed: {len(not_converted)} document(s) known and not "
                    f"converted{': ' + shown if shown else ''}")

    def note(self, message: str) -> None:
        if not self.quiet:
            self._print(f"note: {message}")

    # -- terminal output ------------------------------------------------------------------------

    def _print(self, line: str) -> None:
        self.clear_progress()
        print(one_line(line), file=self.err)

    def _say(self, line: str) -> None:
        self.clear_progress()
        print(line, file=self.out)

    def tick(self, force: bool = False) -> None:
        if not self.progress:
            return
        now = time.monotonic()
        if not force and now - self._last_progress < 0.2:
            return
        self._last_progress = now
        elapsed = max(now - self.started, 1e-9)
        rate = self.documents / elapsed
        text = f"{self.documents} documents  {rate:,.0f}/s"
        done = None
        if self.fraction is not None:
            done = self.fraction()
        elif self.expected is not None:
            done = self.documents / max(1, self.expected())
        if done is not None and 0 < done < 1:
            text += f"  {done:4.0%}  ETA {_clock(elapsed * (1 - done) / done)}"
        self.err.write("\r" + text[:79].ljust(79))
        self.err.flush()
        self._shown = True

    def clear_progress(self) -> None:
        if self.progress and getattr(self, "_shown", False):
            self.err.write("\r" + " " * 79 + "\r")
            self.err.flush()
            self._shown = False

    # -- the end ------------------------------------------------------------------------------------

    def totals(self) -> dict[str, Any]:
        elapsed = time.monotonic() - self.started
        return {"documents": self.documents, **{s.replace("-", "_"): n for s, n in self.statuses.items()},
                "losses": dict(self.kinds), "not_schema_valid": self.not_schema_valid,
                "invalid": self.invalid, "schema_errata": self.errata, "warnings": self.warnings,
                "dangling_links": self.dangling, "assets_copied": self.assets_copied,
                "seconds": round(elapsed, 3)}

    def summary(self) -> str:
        elapsed = time.monotonic() - self.started
        rate = self.documents / elapsed if elapsed > 0 else 0.0
        parts = [f"{n} {s}" for s, n in self.statuses.items() if n]
        text = (f"{'dry run: ' if self.dry_run else ''}{self.documents} document(s) in {elapsed:.1f} s "
                f"({rate:,.0f}/s): " + (", ".join(parts) or "nothing to do"))
        text += _kinds_text(self.kinds, "; losses: ")
        if self.not_schema_valid:
            text += f"; {self.not_schema_valid} output(s) not schema-valid (see --report)"
        if self.invalid:
            text += f"; {self.invalid} invalid"
        if self.errata and self.validated:
            text += (f"; {self.errata} valid only with a known schema erratum set aside (a schema-erratum "
                     "finding; stacml validate --strict-schemas lists the errors)")
        elif self.errata:
            text += (f"; {self.errata} that other validators will reject by a known schema erratum (a "
                     "schema-erratum finding)")
        if self.assets_copied:
            text += f"; {self.assets_copied} asset file(s) copied"
        if self.dangling:
            text += f"; {self.dangling} link(s) to failed documents"
        if self.warnings:
            text += f"; {self.warnings} warning(s)"
        return text

    def print_summary(self) -> None:
        if not self.quiet:
            self._print(self.summary())


def validated_output(where: str, output: str | None) -> str:
    """What an ``invalid:`` line names, its pointers being into the translation, not into the
    input *where* names: ``IN -> OUT``, or ``IN (output)`` when there is no output to name (one
    document to stdout, a dry run)."""
    return f"{where} -> {output}" if output else f"{where} (output)"


def output_label(entry: Entry) -> str | None:
    """The output of *entry* named as inputs are: ``out.ndjson:7`` for an NDJSON line (``-:7`` on
    stdout), ``out.json /features/3`` for a feature of an ItemCollection, else the file (None:
    no output, or one document written to stdout)."""
    if entry.output is None:
        return None
    if entry.output_line is not None:
        return f"{entry.output}:{entry.output_line}"
    if entry.output_pointer is not None:
        return f"{entry.output} {entry.output_pointer}"
    return None if entry.output == "-" or entry.pointer or entry.line is not None else entry.output


def _kinds_text(kinds: dict[str, int], lead: str) -> str:
    parts = [f"{n} {k}" for k, n in kinds.items() if n]
    return lead + ", ".join(parts) if parts else ""


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
