"""The ``stacml`` command line: a thin click layer over the library.

Each sub-command lives in its own module and is registered here.
"""
from __future__ import annotations

import click


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="stacml-translator", prog_name="stacml")
def main() -> None:
    """Translate STAC metadata between the dlm, ml-model, tdml and mlm extensions."""


def _register() -> None:
    from importlib import import_module

    for name in _COMMAND_MODULES:
        module = import_module(f"translator.cli.{name}")
        for command in module.COMMANDS:
            main.add_command(command)


# One module per command group; each exposes COMMANDS = [click commands].
_COMMAND_MODULES: list[str] = ["convert", "detect", "audit", "validate", "schemas", "tables"]

_register()
