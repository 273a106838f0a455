"""The `filings` command: the group, and the one place the core's errors meet the terminal.

Each command lives in a module of its own and imports the core it calls inside its body: `filings
--help` (and a typo's usage error) then loads neither Jinja, WeasyPrint nor python-docx
(tests/build/test_build.py checks). The command modules never import this one, so no cycle forms.
"""

from __future__ import annotations

import click

from filings import __version__
from filings.cli import check, diff, lint, new, render, serve, templates, validate
from filings.errors import FilingsError


class _Group(click.Group):
    """Every command's FilingsError becomes Click's `Error: …` and exit status 1: the one place the
    core's errors meet the terminal."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except FilingsError as exc:
            error = click.ClickException(exc.message)
            error.exit_code = getattr(exc, "exit_code", 1)  # a stopped run: 130 or 143
            raise error from None


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="filings")
def main() -> None:
    """Assemble court filings as PDF and DOCX from a case file and a roster."""


# The modules stay attributes of this package (`filings.cli.render` is the module, not the
# command), so each command is added by its module's name.
main.add_command(render.render)
main.add_command(validate.validate)
main.add_command(check.check)
main.add_command(templates.templates)
main.add_command(lint.lint)
main.add_command(new.new)
main.add_command(diff.diff)
main.add_command(serve.serve)
