"""`filings new`: create a working template folder."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.argument("name")
@click.option(
    "--per-detainee",
    "kind",
    flag_value="per-detainee",
    default=True,
    help="One document for each person on the roster (the default).",
)
@click.option(
    "--per-roster", "kind", flag_value="per-roster", help="One document for the whole roster."
)
@click.option(
    "--dir",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("templates"),
    show_default=True,
    help="Templates folder to create it in.",
)
def new(name, kind, folder) -> None:
    """Create a working template folder NAME that uses the shared legal blocks."""
    from filings.templating.scaffold import new_template

    created = new_template(folder, name, kind)
    click.echo(
        f"created {created}; render it with: filings render {name} --templates {folder}", err=True
    )
