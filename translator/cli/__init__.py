"""The ``stacml`` command line: a thin click layer over the library.

Each sub-command lives in its own module and is registered here.
"""
from __future__ import annotations

import click


class _UsageLine(click.UsageError):
    """A usage error of click's own (an unknown option, a bad value, a missing argument) shown
    as one ``error:`` line, as stacml's own usage errors are, instead of click's usage, hint and
    error lines. *command*: the command whose --help to point at."""

    def __init__(self, exc: click.UsageError, command: str | None):
        super().__init__(exc.format_message(), exc.ctx)
        self.exit_code = exc.exit_code
        self.command = exc.ctx.command_path if exc.ctx is not None else command

    def show(self, file=None) -> None:
        from translator.errors import one_line
        message = self.format_message().rstrip(".")
        message = message[:1].lower() + message[1:]  # "No such option '--bogus'." -> "no such option ..."
        hint = f" (see '{self.command} --help')" if self.command else ""
        click.echo(one_line(f"error: {message}{hint}"), err=True, file=file)


def _one_line(exc: click.UsageError, command: str | None) -> click.UsageError:
    # bare `stacml` shows the help (NoArgsIsHelpError): that is no error to shorten
    if isinstance(exc, (_UsageLine, click.exceptions.NoArgsIsHelpError)):
        return exc
    return _UsageLine(exc, command)


class _Stacml(click.Group):
    """The group every command runs in: the usage errors raised while parsing its own options or
    a command's (every command is parsed and run inside the group's invoke) become one line."""

    def make_context(self, info_name, args, parent=None, **extra):
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except click.UsageError as exc:
            raise _one_line(exc, info_name) from None

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:  # (some parser errors know no context: the command run does)
            sub = ctx.invoked_subcommand
            raise _one_line(exc, f"{ctx.command_path} {sub}" if sub else ctx.command_path) from None


@click.group(cls=_Stacml, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="stacml-translator", prog_name="stacml")
def main() -> None:
    """Translate STAC metadata between the dlm, ml-model, tdml and mlm extensions."""
    import warnings
    warnings.formatwarning = _warning_line  # (how it is shown, not whether: a caller's filters still hold)


def _warning_line(message, category, filename, lineno, line=None) -> str:
    """A warning the library gives (a plugin that cannot be loaded) as one ``warning:`` line, as
    stacml's own are, not Python's file, line and source text."""
    from translator.errors import one_line
    return one_line(f"warning: {str(message).removeprefix('stacml: ')}") + "\n"


def _register() -> None:
    from importlib import import_module

    for name in _COMMAND_MODULES:
        module = import_module(f"translator.cli.{name}")
        for command in module.COMMANDS:
            main.add_command(command)


# One module per command group; each exposes COMMANDS = [click commands].
_COMMAND_MODULES: list[str] = ["convert", "detect", "audit", "validate", "schemas", "tables"]

_register()
