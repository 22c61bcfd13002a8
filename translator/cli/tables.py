"""``stacml tables``: the mapping tables in use, and a check of user tables."""
from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import click

from translator.cli.common import guarded, tables_option
from translator.errors import one_line


@click.command("tables")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="json: also each table's rule kinds, transforms and the fields --fill-values may give.")
@tables_option
@guarded
def tables_cmd(fmt, mapping_dirs):
    """List the mapping tables in use and check every table file.

    The built-in tables come first, then those of each --mappings DIR (and of the
    STACML_MAPPINGS directories), where a table replaces the built-in one of its extension;
    a directory named again (the built-in one, or one given twice) is read and listed once.
    Each file is loaded on its own, so one bad table does not hide the faults of another:
    every fault is printed as one line naming the file, the JSON pointer and the rule. Exit
    code 1 when a table cannot be loaded (convert, audit, detect and crosswalk would stop
    with a usage error, exit 2)."""
    from translator.tables import builtin_dir, check_tables

    env = [p for p in os.environ.get("STACML_MAPPINGS", "").split(os.pathsep) if p]
    loaded, errors = check_tables(list(mapping_dirs) + env)
    builtin = builtin_dir().resolve()
    in_use: dict[str, object] = {}
    for table in loaded:  # later directories replace earlier ones, as when translating
        in_use[table.name] = table
    rows = []
    for table in loaded:
        kinds = Counter(rule.kind for rule in table.rules)
        rows.append({
            "extension": table.name, "title": table.title, "prefix": table.prefix,
            "versions": table.versions, "default_version": table.default_version,
            "file": table.file, "builtin": _inside(table.file, builtin),
            "in_use": in_use[table.name] is table, "rules": len(table.rules),
            "kinds": dict(sorted(kinds.items())),
            "transforms": sorted({r.structural.name for r in table.rules if r.structural is not None}
                                 | {r.value_transform.name for r in table.rules if r.value_transform is not None}),
            "fill_values": sorted(table.fillable()),  # the fields --fill-values may give (in some version)
        })
    problems = [{"file": e.source, "pointer": e.pointer, "message": str(e)} for e in errors]
    if fmt == "json":
        click.echo(json.dumps({"tables": rows, "errors": problems}, indent=2))
    else:
        lines = [("extension", "prefix", "rules", "versions", "file")] + [
            (row["extension"], row["prefix"], str(row["rules"]), ", ".join(row["versions"]),
             ("built-in" if row["builtin"] else row["file"]) + ("" if row["in_use"] else " (replaced)"))
            for row in rows]
        widths = [max(len(line[i]) for line in lines) for i in range(4)]
        for line in lines:
            click.echo(one_line("  ".join(cell.ljust(w) for cell, w in zip(line, widths)) + "  " + line[4]))
        for error in errors:
            click.echo(one_line(f"error: {error}"), err=True)
    if errors:
        raise SystemExit(1)


def _inside(file: str, directory: Path) -> bool:
    return Path(file).resolve().parent == directory


COMMANDS = [tables_cmd]
