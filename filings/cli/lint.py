"""`filings lint`: check a templates folder, for a team's CI."""

from __future__ import annotations

import json

import click

from filings.cli.options import FOLDER, configured_folders, fixture, inputs_options
from filings.problems import WARNING


@click.command()
@click.argument(
    "folder",
    metavar="[DIR]",
    required=False,
    type=FOLDER,
)
@inputs_options
@click.option("--no-render", is_flag=True, help="Check metadata, syntax and fields only.")
@click.option("--json", "as_json", is_flag=True, help="Print the problems as JSON on stdout.")
def lint(folder, case_path, roster_path, no_render, as_json) -> None:
    """Check the templates in DIR (default: the built-in ones) for a team's CI."""
    from filings.build.lint import lint as run_lint

    problems = run_lint(
        [folder] if folder else list(configured_folders(None, None, ()))[:1],
        case_path or fixture("case.yaml"),
        roster_path or fixture("roster.csv"),
        render=not no_render,
    )
    if as_json:
        click.echo(json.dumps([p.as_json() for p in problems], indent=2, ensure_ascii=False))
    else:
        for problem in problems:
            click.echo(
                ("warning: " if problem.severity == WARNING else "") + str(problem), err=True
            )
    if failures := [p for p in problems if p.severity != WARNING]:
        raise click.ClickException(f"{len(failures)} problem(s) in the templates")
    if not as_json:
        click.echo("templates OK", err=True)
