"""`filings render`: the documents for a roster, then the run's summary."""

from __future__ import annotations

import json
from pathlib import Path

import click

from filings.cli.options import fixture, inputs_options, limits_option, out_option, templates_option
from filings.cli.terminal import Progress, count, echo_problems


def _scheduler(ctx, param, value: str | None) -> str | None:
    from filings.inputs.config import render_scheduler

    return value or render_scheduler()


def _copies(ctx, param, value: str | None) -> tuple[str, ...]:
    """`public,sealed` -> ("public", "sealed"); the command checks the names (`_check_copies`)."""
    return tuple(c.strip() for c in (value or "").split(",") if c.strip())


def _check_copies(copies: tuple[str, ...]) -> None:
    """An unknown copy is a usage error."""
    from filings.templating.templates import COPIES

    for copy in copies:
        if copy not in COPIES:
            raise click.BadParameter(
                f"{copy!r} is not a copy; the copies are: {', '.join(COPIES)}",
                param_hint="'--copies'",
            )


@click.command()
@click.argument("template_names", metavar="[TEMPLATE]...", nargs=-1)
@inputs_options
@out_option("Folder the documents are written to.")
@click.option(
    "--format",
    "formats",
    type=click.Choice(["pdf", "docx", "html"]),
    multiple=True,
    help="Output format: pdf, docx or html (one self-contained file for WeasyPrint); repeat "
    "for more. Default: pdf and docx.",
)
@templates_option
@click.option(
    "--templates-ref",
    metavar="REF",
    help="Render with the templates as they were at this git tag or commit.",
)
@click.option(
    "--jobs", "-j", type=click.IntRange(min=1), help="Worker processes. Default: one per core."
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    envvar="FILINGS_SCHEDULER",
    callback=_scheduler,
    help="Render on the Dask cluster whose scheduler is at ADDRESS, e.g. "
    "tcp://host:8786 (pip install 'filings[dask]'). Env: FILINGS_SCHEDULER. "
    "Default: [render] scheduler in filings.toml, else this machine.",
)
@click.option("--force", is_flag=True, help="Render every document, changed or not.")
@click.option(
    "--prune", is_flag=True, help="Delete documents whose detainee is no longer on the roster."
)
@click.option(
    "--packet",
    is_flag=True,
    help="Also write OUT/packets/<template>.pdf: all documents, bookmarked.",
)
@click.option(
    "--copies",
    metavar="public,sealed",
    callback=_copies,
    help="For templates that declare copies: the public copy (redacted by the case file's "
    "policy) and/or the sealed one (complete, FILED UNDER SEAL, in OUT/<template>/sealed/). "
    "Default: one complete copy.",
)
@click.option(
    "--no-check", is_flag=True, help="Do not measure each output against its court format's rules."
)
@click.option(
    "--check",
    "read_back",
    type=click.Choice(["sample", "full"]),
    default="sample",
    show_default=True,
    help="Which PDFs the check also reads back from the written file: a sample, or every one.",
)
@click.option(
    "--pdf-variant",
    metavar="VARIANT",
    help="A PDF variant for WeasyPrint to write, e.g. pdf/a-2b or pdf/ua-1.",
)
@click.option(
    "--reference-docx",
    metavar="FILE",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A firm's Word document whose styles (fonts, sizes, spacing) the DOCX takes, within "
    "the court format's rules. The PDF is not affected.",
)
@click.option("--encoding", help="The CSV's text encoding. Default: detected.")
@click.option("--sheet", help="The worksheet of an XLSX roster. Default: the first.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar or summary; errors only.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary on stdout.")
@click.option("--debug", is_flag=True, help="Add the traceback to a document's unexpected error.")
@limits_option
def render(
    template_names,
    case_path,
    roster_path,
    out,
    formats,
    templates_dirs,
    templates_ref,
    jobs,
    scheduler,
    force,
    prune,
    packet,
    copies,
    no_check,
    read_back,
    pdf_variant,
    reference_docx,
    encoding,
    sheet,
    quiet,
    as_json,
    debug,
    limits,
) -> None:
    """Render TEMPLATE(s) (default: all) for the roster into OUT/<template>/."""
    if scheduler is None:  # its imports overlap the command's own and its reading of the inputs
        from filings.build import processes

        processes.start_early()
    _check_copies(copies)
    from filings.build import run as build

    case_path = case_path or fixture("case.yaml")
    roster_path = roster_path or fixture("roster.csv")
    formats = formats or build.OUTPUT_FORMATS
    with Progress(enabled=not quiet) as progress:
        report = build.build(
            case_path,
            roster_path,
            out,
            template_names,
            formats,
            templates_dirs=templates_dirs,
            progress=progress.advance,
            templates_ref=templates_ref,
            jobs=jobs,
            force=force,
            prune=prune,
            packet=packet,
            copies=copies,
            check=not no_check,
            read_back=read_back,
            pdf_variant=pdf_variant,
            reference_docx=reference_docx,
            encoding=encoding,
            sheet=sheet,
            limits=limits,
            debug=debug,
            scheduler=scheduler,
        )
    if as_json:
        click.echo(json.dumps(report.summary().as_json(), indent=2))
    _report(report, out, quiet)


def _report(report, out: Path, quiet: bool) -> None:
    for warning in report.warnings:  # even with --quiet: each means documents were redone
        click.echo(f"Warning: {warning}", err=True)
    echo_problems(report.roster, quiet)
    for outcome in report.failed:
        click.echo(f"Error: {outcome.error}", err=True)
    if report.orphans and not quiet:
        verb = "removed" if report.pruned else "not on the roster any more (--prune removes them)"
        click.echo(f"{len(report.orphans)} file(s) {verb}:", err=True)
        for path in report.orphans:
            click.echo(f"  {path}", err=True)
    if report.needs_translation and not quiet:
        langs = sorted(
            {
                o.job.detainee.preferred_language or "no language recorded"
                for o in report.needs_translation
            }
        )
        click.echo(
            f"{count(len(report.needs_translation), 'document')} in English only: no "
            f"translation yet for {', '.join(langs)}; see "
            f"{out / 'needs-translation.csv'}",
            err=True,
        )
    if report.not_applicable and not quiet:
        click.echo(
            f"{count(len(report.not_applicable), 'document')} not made: the template is "
            f"not for that person; see {out / 'not-applicable.csv'}",
            err=True,
        )
    if report.needs_review and not quiet:
        click.echo(
            f"{count(len(report.needs_review), 'row')} to review: the name has no "
            "Latin-letter form as DHS records it; see "
            f"{out / 'needs-review.csv'}",
            err=True,
        )
    rows, documents = report.rows_line, report.documents_line
    if report.rows[2] or report.failed:
        raise click.ClickException(f"{rows} — see {out / 'errors.csv'} ({documents})")
    if not quiet:
        click.echo(f"{rows} ({documents}); manifest in {out / 'manifest.jsonl'}", err=True)
