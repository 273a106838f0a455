"""`filings check`: measure written PDF and DOCX files against their court format."""

from __future__ import annotations

import click

from filings.cli.options import FILE, limits_option, templates_option
from filings.cli.terminal import count


@click.command()
@click.argument("files", nargs=-1, required=True, type=FILE)
@click.option(
    "--format",
    "format_name",
    metavar="NAME",
    help="The court format to check against. Default: the one the file records.",
)
@click.option(
    "--leave-to-exceed",
    is_flag=True,
    help="Leave of court was granted to exceed the format's page limit.",
)
@templates_option
@limits_option
def check(files, format_name, leave_to_exceed, templates_dirs, limits) -> None:
    """Measure PDF and DOCX FILES against their court format's rules."""
    from filings.check import check_files
    from filings.templating.templates import search_path

    results = check_files(
        files,
        format_name,
        search=search_path(templates_dirs),
        leave_to_exceed=leave_to_exceed,
        limits=limits,
    )
    failing = {path: found for path, found in results.items() if found}
    for found in failing.values():
        for finding in found:
            click.echo(str(finding), err=True)
    if failing:
        raise click.ClickException(f"{len(failing)} of {len(files)} checked file(s) break a rule")
    click.echo(f"{count(len(files), 'file')} checked: every rule met", err=True)
