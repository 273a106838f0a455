"""`filings diff`: what changed in a template's document between two template versions."""

from __future__ import annotations

import sys

import click

from filings.cli.options import FOLDER, configured_folders, fixture, inputs_options, out_option
from filings.cli.terminal import changes_text


@click.command()
@click.argument("template_name", metavar="TEMPLATE")
@click.option(
    "--from", "old_ref", required=True, metavar="REF", help="The older git tag or commit."
)
@click.option("--to", "new_ref", metavar="REF", help="The newer one. Default: the working tree.")
@click.option(
    "--detainee",
    "a_number",
    metavar="A-NUMBER",
    help="Whose document to compare. Default: the roster's first row.",
)
@inputs_options
@click.option(
    "--templates",
    "folder",
    type=FOLDER,
    help="The templates folder in git. Default: the built-in templates.",
)
@out_option("The redline goes to OUT/redlines/.")
def diff(template_name, old_ref, new_ref, a_number, case_path, roster_path, folder, out) -> None:
    """Show what changed in TEMPLATE's document between two versions of the templates."""
    from filings.build.redline import compare
    from filings.templating.templates import BUILTIN_TEMPLATES

    result = compare(
        template_name,
        case_path or fixture("case.yaml"),
        roster_path or fixture("roster.csv"),
        folder or next(iter(configured_folders(None, None, ())), BUILTIN_TEMPLATES),
        old_ref,
        new_ref,
        a_number,
        out,
    )
    click.echo(changes_text(result.changes, color=sys.stdout.isatty()))
    click.echo(
        f"{len(result.changes)} change(s) from {result.old_version} to "
        f"{result.new_version}; redline: {', '.join(map(str, result.files))}",
        err=True,
    )
