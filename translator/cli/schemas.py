"""``stacml schemas``: see which JSON Schemas are available offline, and download the official ones."""
from __future__ import annotations

import math
import sys
from pathlib import Path

import click

from translator.errors import TranslatorError


@click.group("schemas")
def schemas_group() -> None:
    """Manage the offline schema store (--schemas dirs, STACML_SCHEMAS, user cache, package)."""


@schemas_group.command("list")
@click.option("--schemas", "schema_dirs", multiple=True, metavar="DIR",
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Extra folder of JSON Schemas, searched first. Repeatable.")
def list_cmd(schema_dirs: tuple[Path, ...]) -> None:
    """Show the search order and every schema URI the store can resolve, with the file it comes from."""
    from translator.validation import SchemaStore

    try:
        store = SchemaStore.default(extra_dirs=schema_dirs)
        click.echo("search order:")
        for origin, folder in store.roots:
            state = "" if folder.is_dir() else " (missing)"
            click.echo(f"  {origin}: {folder}{state}")
        sources = store.sources()
        for uri, path, origin in sources:
            click.echo(f"{uri}\t{origin}\t{path}")
        click.echo(f"{len(sources)} schema URI(s)")
        for path, why in store.unreadable:  # a broken download or hand-edited schema is not left unsaid
            click.echo(f"warning: {path}: {why}; skipped (no $id found in it)", err=True)
    except BrokenPipeError:
        from translator.cli.common import pipe_closed
        pipe_closed()
    except (TranslatorError, OSError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)


def _check_uri(ctx, param, values):
    for value in values:
        if not value.startswith(("http://", "https://")):
            raise click.BadParameter(f"{value!r} is not an http(s) URL", ctx=ctx, param=param)
    return values


def _check_timeout(ctx, param, value: float) -> float:
    if not math.isfinite(value) or value <= 0:  # socket refuses these with a traceback, 0 with a cryptic error
        raise click.BadParameter(f"{value}: give a number of seconds above 0", ctx=ctx, param=param)
    return value


@schemas_group.command("pull")
@click.argument("uris", nargs=-1, callback=_check_uri)
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to store the schemas (default: STACML_CACHE or ~/.cache/stacml/schemas).")
@click.option("--timeout", type=float, default=20.0, show_default=True, callback=_check_timeout,
              help="Seconds per download.")
def pull_cmd(uris: tuple[str, ...], cache_dir: Path | None, timeout: float) -> None:
    """Download schemas (default: MLM, ml-model, common extensions, STAC core) and what they $ref.

    Without network this fails with a one-line error; use --schemas DIR with local copies instead.
    """
    from translator.schemapull import pull
    from translator.schemastore import default_cache_dir
    from translator.validation import clear_caches

    target = cache_dir or default_cache_dir()
    try:
        written = pull(uris, target, timeout=timeout,
                       progress=lambda uri, path: click.echo(f"pulled {uri} -> {path}"))
    except (TranslatorError, OSError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    clear_caches()
    click.echo(f"{len(written)} schema(s) saved under {target}")


COMMANDS = [schemas_group]
