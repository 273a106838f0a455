"""`filings validate`: check the case file and the roster, render nothing."""

from __future__ import annotations

from pathlib import Path

import click

from filings.cli.options import fixture, inputs_options, limits_option, templates_option
from filings.cli.terminal import echo_problems


@click.command()
@inputs_options
@click.option(
    "--report",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write every problem to this CSV, for fixing in Excel.",
)
@click.option("--encoding", help="The CSV's text encoding. Default: detected.")
@click.option("--sheet", help="The worksheet of an XLSX roster. Default: the first.")
@templates_option
@limits_option
def validate(case_path, roster_path, report, encoding, sheet, templates_dirs, limits) -> None:
    """Check the case file and every roster row; render nothing."""
    from filings.build.listings import write_problems
    from filings.build.plan import check_inputs

    roster_path = roster_path or fixture("roster.csv")
    _, check = check_inputs(
        case_path or fixture("case.yaml"),
        roster_path,
        encoding,
        sheet,
        limits=limits,
        templates_dirs=templates_dirs,
    )
    echo_problems(check, quiet=False)
    if report:
        write_problems(report.resolve(), check.problems)
    summary = check.summary
    if check.rejected:
        raise click.ClickException(summary + (f" — see {report}" if report else ""))
    click.echo(summary, err=True)
