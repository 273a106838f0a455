"""The `filings` command: parse options, call the core, report. Nothing else lives here."""

from __future__ import annotations

from pathlib import Path

import click

from filings import __version__


def _fixture(name: str) -> Path:
    from filings.templates import project_root

    return project_root() / "fixtures" / name


@click.group()
@click.version_option(__version__, prog_name="filings")
def main() -> None:
    """Assemble court filings as PDF and DOCX from a case file and a roster."""


@main.command()
@click.argument("template_names", metavar="[TEMPLATE]...", nargs=-1)
@click.option(
    "--case",
    "case_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Case file (YAML). Default: the fixtures' case file.",
)
@click.option(
    "--roster",
    "roster_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Roster (CSV), one row per detainee. Default: the fixtures' roster.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("build"),
    show_default=True,
    help="Folder the documents are written to.",
)
@click.option(
    "--format",
    "formats",
    type=click.Choice(["pdf", "docx"]),
    multiple=True,
    help="Output format; repeat for both. Default: pdf and docx.",
)
@click.option(
    "--templates",
    "templates_dir",
    envvar="FILINGS_TEMPLATES",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Templates folder (or env FILINGS_TEMPLATES). Default: the built-in templates.",
)
def render(template_names, case_path, roster_path, out, formats, templates_dir) -> None:
    """Render TEMPLATE(s) (default: all) for the roster into OUT/<template>/."""
    from filings import build

    case_path = case_path or _fixture("case.yaml")
    roster_path = roster_path or _fixture("roster.csv")
    formats = formats or build.OUTPUT_FORMATS
    with _Progress() as progress:
        report = build.build(
            case_path,
            roster_path,
            out,
            template_names,
            formats,
            templates_dir=templates_dir,
            progress=progress.advance,
        )  # fmt: skip
    for outcome in report.failed:
        click.echo(f"Error: {outcome.error}", err=True)
    documents = len(report.outcomes)
    summary = f"{documents} documents: {documents - len(report.failed)} written"
    if report.failed:
        raise click.ClickException(f"{summary}, {len(report.failed)} failed")
    click.echo(f"{summary} ({len(report.files)} files) in {out}", err=True)


class _Progress:
    """A progress bar on stderr once more than a handful of documents are on the way."""

    def __init__(self) -> None:
        self.bar = None

    def __enter__(self) -> _Progress:
        return self

    def advance(self, outcome, total: int) -> None:
        if self.bar is None and total > 5:
            stderr = click.get_text_stream("stderr")
            self.bar = click.progressbar(length=total, label="Rendering", file=stderr)
        if self.bar is not None:
            self.bar.update(1)

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.render_finish()


@main.command()
def templates() -> None:
    """List the templates with their kind and description."""
    from filings.templates import discover

    for template in discover().values():
        click.echo(f"{template.name:<16} {template.kind:<13} {template.description}")
