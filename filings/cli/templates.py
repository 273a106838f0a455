"""`filings templates`: list the templates."""

from __future__ import annotations

import click

from filings.cli.options import templates_option


@click.command()
@templates_option
def templates(templates_dirs) -> None:
    """List the templates with their kind and description."""
    from filings.templating.templates import discover

    for template in discover(templates_dirs).values():
        click.echo(f"{template.name:<18} {template.kind:<13} {template.description}")
        if template.applies_to is not None:
            click.echo(f"{'':<18} {'':<13} For: {template.applies_to.describe()}.")
