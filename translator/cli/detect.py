"""``stacml detect``: which ML extension and version each document uses."""
from __future__ import annotations

import json
import sys

import click

from translator.cli.common import (LENIENT_HELP, PREFER_HELP, checked_table, guarded, load_tables, passed_over,
                                   sources_exist, tables_option)
from translator.errors import NoExtensionError, TranslatorError, one_line


@click.command("detect")
@click.argument("sources", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="json: one JSON object per document (JSON Lines); a document that fails gets one "
                   "with an 'error' instead of the extension and version.")
@click.option("--json", "as_json", is_flag=True, hidden=True, help="The same as --format json.")
@click.option("--lenient-json", is_flag=True, help=LENIENT_HELP)
@click.option("--prefer", metavar="EXT", help=PREFER_HELP)
@tables_option
@guarded
def detect_cmd(sources, fmt, as_json, lenient_json, prefer, mapping_dirs):
    """Print the ML extension and version each document of SOURCES uses.

    SOURCES are what `stacml convert` accepts: files, catalogs (their child and item links
    are followed), directories, ItemCollections, NDJSON, - for stdin. Catalogs themselves
    carry no ML extension and are not listed. Unless there is exactly one document, a count
    per extension and version goes to stderr (`0 document(s)` when a catalog leads to none). Exit code 1 when a document cannot be read or
    has no supported ML extension, 2 when a SOURCE does not exist."""
    from translator.detect import detect
    from translator.sources import iter_documents

    as_json = as_json or fmt == "json"
    sources_exist(sources)
    tables = load_tables(mapping_dirs)
    prefer = checked_table(tables, prefer, "--prefer").name if prefer is not None else None
    counts: dict[str, int] = {}
    documents = failed = without = 0
    for item in iter_documents([str(s) for s in sources], lenient_json=lenient_json):
        if passed_over(item):
            continue
        label = item.label + (f" {item.pointer}" if item.pointer else "")
        place = {"file": item.label, **({"pointer": item.pointer} if item.pointer else {})}
        documents += 1
        if item.error is None and type(item.document) is dict and item.document.get("type") == "Catalog":
            documents -= 1  # a Catalog only leads to documents
            continue
        try:
            if item.error is not None:
                raise TranslatorError(item.error)
            found = detect(item.document, tables, prefer=prefer)
        except TranslatorError as exc:
            if isinstance(exc, NoExtensionError):
                without += 1
            else:
                failed += 1
            where = f"{exc.pointer}: " if exc.pointer else ""
            click.echo(one_line(f"error: {label}: {where}{exc.message}"), err=True)
            if as_json:  # one object per document, a failed one too: a reader must not take it for absent
                click.echo(json.dumps({**place, "error": one_line(f"{where}{exc.message}")}))
            continue
        key = f"{found.extension} {found.version}"
        counts[key] = counts.get(key, 0) + 1
        if as_json:
            click.echo(json.dumps({**place, **found.to_dict()}))
        else:
            extra = f" (also: {', '.join(found.others)})" if found.others else ""
            how = "declared" if found.declared else "assumed"
            click.echo(f"{label}: {key} [{how}]{extra}")
    if documents != 1:  # (none at all is said too: a catalog without items prints no line of its own)
        parts = [f"{key}: {n}" for key, n in sorted(counts.items())]
        parts += [f"{label}: {n}" for label, n in (("no ML extension", without), ("failed", failed)) if n]
        click.echo(f"{documents} document(s)" + (": " + ", ".join(parts) if parts else ""), err=True)
    if failed or without:
        sys.exit(1)


COMMANDS = [detect_cmd]
