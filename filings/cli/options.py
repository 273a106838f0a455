"""The options several commands share (--case, --roster, --templates, --limit, --out) and
the fixtures they default to."""

from __future__ import annotations

from pathlib import Path

import click

from filings.inputs.config import project_config, template_folders
from filings.inputs.limits import load_limits


def fixture(name: str) -> Path:
    """A file of the built-in fixtures: the default case file and roster."""
    from filings.templating.templates import project_root

    return project_root() / "fixtures" / name


FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
FOLDER = click.Path(exists=True, file_okay=False, path_type=Path)


def inputs_options(function):
    """--case and --roster, both defaulting to the fixtures."""
    function = click.option(
        "--roster",
        "roster_path",
        type=FILE,
        help="Roster: CSV, XLSX, JSON or YAML, one row per detainee. "
        "Default: the fixtures' roster.",
    )(function)
    help = "Case file (YAML). Default: the fixtures' case file."
    return click.option("--case", "case_path", type=FILE, help=help)(function)


def templates_option(function):
    return click.option(
        "--templates",
        "templates_dirs",
        envvar="FILINGS_TEMPLATES",
        multiple=True,
        type=FOLDER,
        callback=configured_folders,
        help="A templates folder of your own; repeat for more. Earlier ones override later ones, "
        "and the built-in templates come last. Env: FILINGS_TEMPLATES (':'-separated). "
        "Default: [templates] folders in filings.toml.",
    )(function)


def configured_folders(ctx, param, value: tuple[Path, ...]) -> tuple[Path, ...]:
    """No --templates given: the folders filings.toml names, if any."""
    return value or template_folders()


def limits_option(function):
    """--limit NAME=VALUE, over `[limits]` in filings.toml (see filings.inputs.limits)."""
    return click.option(
        "--limit",
        "limits",
        multiple=True,
        metavar="NAME=VALUE",
        callback=_limits,
        help="Raise or lower one limit for this run, e.g. render_seconds=120; repeat for more. "
        "Default: [limits] in filings.toml, else the built-in limits (README: Limits and safety).",
    )(function)


def _limits(ctx, param, value: tuple[str, ...]):
    return load_limits(project_config()[0], value)


def out_option(help: str):
    return click.option(
        "--out",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("build"),
        show_default=True,
        help=help,
    )
