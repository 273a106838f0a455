"""The `filings` command: parse options, call the core, report. Nothing else lives here."""

from __future__ import annotations

import json
import time
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
@click.option("--jobs", "-j", type=click.IntRange(min=1),
              help="Worker processes. Default: one per core.")  # fmt: skip
@click.option("--force", is_flag=True, help="Render every document, changed or not.")
@click.option("--prune", is_flag=True,
              help="Delete documents whose detainee is no longer on the roster.")  # fmt: skip
@click.option("--packet", is_flag=True,
              help="Also write OUT/packets/<template>.pdf: all documents, bookmarked.")  # fmt: skip
@click.option("--quiet", "-q", is_flag=True, help="No progress bar or summary; errors only.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary on stdout.")
def render(template_names, case_path, roster_path, out, formats, templates_dir, jobs, force,
           prune, packet, quiet, as_json) -> None:  # fmt: skip
    """Render TEMPLATE(s) (default: all) for the roster into OUT/<template>/."""
    from filings import build

    case_path = case_path or _fixture("case.yaml")
    roster_path = roster_path or _fixture("roster.csv")
    formats = formats or build.OUTPUT_FORMATS
    with _Progress(enabled=not quiet) as progress:
        report = build.build(case_path, roster_path, out, template_names, formats,
                             templates_dir=templates_dir, progress=progress.advance, jobs=jobs,
                             force=force, prune=prune, packet=packet)  # fmt: skip
    if as_json:
        click.echo(json.dumps(report.summary(), indent=2))
    _report(report, out, quiet)


def _report(report, out: Path, quiet: bool) -> None:
    for outcome in report.failed:
        click.echo(f"Error: {outcome.error}", err=True)
    if report.orphans and not quiet:
        verb = "removed" if report.pruned else "not on the roster any more (--prune removes them)"
        click.echo(f"{len(report.orphans)} file(s) {verb}:", err=True)
        for path in report.orphans:
            click.echo(f"  {path}", err=True)
    summary = (f"{len(report.outcomes)} documents: {report.count('rendered')} rendered, "
               f"{report.count('unchanged')} unchanged")  # fmt: skip
    if report.failed:
        raise click.ClickException(f"{summary}, {len(report.failed)} failed")
    if not quiet:
        click.echo(f"{summary}; manifest in {out / 'manifest.jsonl'}", err=True)


class _Progress:
    """A progress bar on stderr (count, rate, time left) once more than a handful of documents
    are on the way."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self.bar = None
        self.started = time.monotonic()

    def __enter__(self) -> _Progress:
        return self

    def advance(self, outcome, total: int) -> None:
        if self.bar is None and total > 5 and self.enabled:
            self.bar = click.progressbar(length=total, label="Rendering", show_pos=True,
                                         item_show_func=self._rate,
                                         file=click.get_text_stream("stderr"))  # fmt: skip
        if self.bar is not None:
            self.bar.update(1, outcome)

    def _rate(self, outcome) -> str | None:
        if self.bar is None or not self.bar.pos:
            return None
        return f"{self.bar.pos / max(time.monotonic() - self.started, 1e-6):.1f} docs/s"

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.render_finish()


@main.command()
def templates() -> None:
    """List the templates with their kind and description."""
    from filings.templates import discover

    for template in discover().values():
        click.echo(f"{template.name:<16} {template.kind:<13} {template.description}")
