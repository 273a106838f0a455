"""The `filings` command: parse options, call the core, report. Nothing else lives here."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from filings import __version__
from filings.cli.terminal import Progress, changes_text, count
from filings.errors import FilingsError
from filings.inputs.config import project_config, template_folders
from filings.inputs.limits import load_limits
from filings.problems import WARNING

# Each command imports the core it calls inside its body, not here: `filings --help` (and a typo's
# usage error) then loads neither Jinja, WeasyPrint nor python-docx (tests/test_build.py checks).
# Only the errors and the small stdlib-only config readers are imported up front.


def _fixture(name: str) -> Path:
    from filings.templating.templates import project_root

    return project_root() / "fixtures" / name


class _Group(click.Group):
    """Every command's FilingsError becomes Click's `Error: …` and exit status 1: the one place the
    core's errors meet the terminal."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except FilingsError as exc:
            error = click.ClickException(exc.message)
            error.exit_code = getattr(exc, "exit_code", 1)  # a stopped run: 130 or 143
            raise error from None


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="filings")
def main() -> None:
    """Assemble court filings as PDF and DOCX from a case file and a roster."""


FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
FOLDER = click.Path(exists=True, file_okay=False, path_type=Path)


def _inputs_options(function):
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


def _templates_option(function):
    return click.option(
        "--templates",
        "templates_dirs",
        envvar="FILINGS_TEMPLATES",
        multiple=True,
        type=FOLDER,
        callback=_configured_folders,
        help="A templates folder of your own; repeat for more. Earlier ones override later ones, "
        "and the built-in templates come last. Env: FILINGS_TEMPLATES (':'-separated). "
        "Default: [templates] folders in filings.toml.",
    )(function)


def _configured_folders(ctx, param, value: tuple[Path, ...]) -> tuple[Path, ...]:
    """No --templates given: the folders filings.toml names, if any."""
    return value or template_folders()


def _limits_option(function):
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


def _scheduler(ctx, param, value: str | None) -> str | None:
    from filings.inputs.config import render_scheduler

    return value or render_scheduler()


def _out_option(help: str):
    return click.option(
        "--out",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("build"),
        show_default=True,
        help=help,
    )


@main.command()
@click.argument("template_names", metavar="[TEMPLATE]...", nargs=-1)
@_inputs_options
@_out_option("Folder the documents are written to.")
@click.option(
    "--format",
    "formats",
    type=click.Choice(["pdf", "docx", "html"]),
    multiple=True,
    help="Output format: pdf, docx or html (one self-contained file for WeasyPrint); repeat "
    "for more. Default: pdf and docx.",
)
@_templates_option
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
    "--no-check", is_flag=True, help="Do not measure each output against its court format's rules."
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
@_limits_option
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
    no_check,
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
    from filings.build import run as build

    case_path = case_path or _fixture("case.yaml")
    roster_path = roster_path or _fixture("roster.csv")
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
            check=not no_check,
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
    _problems(report.roster, quiet)
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


def _problems(check, quiet: bool) -> None:
    """Every rejected row's problems, then (unless quiet) the warnings."""
    for error in check.errors:
        click.echo(f"Error: {error.message}", err=True)
    if not quiet:
        for warning in check.warnings:
            click.echo(f"Warning: {warning}", err=True)


@main.command()
@_inputs_options
@click.option(
    "--report",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write every problem to this CSV, for fixing in Excel.",
)
@click.option("--encoding", help="The CSV's text encoding. Default: detected.")
@click.option("--sheet", help="The worksheet of an XLSX roster. Default: the first.")
@_templates_option
@_limits_option
def validate(case_path, roster_path, report, encoding, sheet, templates_dirs, limits) -> None:
    """Check the case file and every roster row; render nothing."""
    from filings.build.listings import write_problems
    from filings.build.plan import check_inputs

    roster_path = roster_path or _fixture("roster.csv")
    _, check = check_inputs(
        case_path or _fixture("case.yaml"),
        roster_path,
        encoding,
        sheet,
        limits=limits,
        templates_dirs=templates_dirs,
    )
    _problems(check, quiet=False)
    if report:
        write_problems(report.resolve(), check.problems)
    summary = check.summary
    if check.rejected:
        raise click.ClickException(summary + (f" — see {report}" if report else ""))
    click.echo(summary, err=True)


@main.command()
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
@_templates_option
@_limits_option
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


@main.command()
@_templates_option
def templates(templates_dirs) -> None:
    """List the templates with their kind and description."""
    from filings.templating.templates import discover

    for template in discover(templates_dirs).values():
        click.echo(f"{template.name:<18} {template.kind:<13} {template.description}")
        if template.applies_to is not None:
            click.echo(f"{'':<18} {'':<13} For: {template.applies_to.describe()}.")


@main.command()
@click.argument(
    "folder",
    metavar="[DIR]",
    required=False,
    type=FOLDER,
)
@_inputs_options
@click.option("--no-render", is_flag=True, help="Check metadata, syntax and fields only.")
@click.option("--json", "as_json", is_flag=True, help="Print the problems as JSON on stdout.")
def lint(folder, case_path, roster_path, no_render, as_json) -> None:
    """Check the templates in DIR (default: the built-in ones) for a team's CI."""
    from filings.build.lint import lint as run_lint

    problems = run_lint(
        [folder] if folder else list(_configured_folders(None, None, ()))[:1],
        case_path or _fixture("case.yaml"),
        roster_path or _fixture("roster.csv"),
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


@main.command()
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


@main.command()
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
@_inputs_options
@click.option(
    "--templates",
    "folder",
    type=FOLDER,
    help="The templates folder in git. Default: the built-in templates.",
)
@_out_option("The redline goes to OUT/redlines/.")
def diff(template_name, old_ref, new_ref, a_number, case_path, roster_path, folder, out) -> None:
    """Show what changed in TEMPLATE's document between two versions of the templates."""
    from filings.build.redline import compare
    from filings.templating.templates import BUILTIN_TEMPLATES

    result = compare(
        template_name,
        case_path or _fixture("case.yaml"),
        roster_path or _fixture("roster.csv"),
        folder or next(iter(_configured_folders(None, None, ())), BUILTIN_TEMPLATES),
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


@main.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. Any address but this computer's own needs --token.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port to listen on; 0 picks a free one.",
)
@_inputs_options
@_templates_option
@_out_option("Folder the documents are written to; the page keeps its own files in OUT/.serve/.")
@click.option("--no-browser", is_flag=True, help="Do not open the page in a browser.")
@click.option(
    "--token",
    envvar="FILINGS_TOKEN",
    metavar="TOKEN",
    help="A secret every request must carry (16 characters or more). Env: FILINGS_TOKEN.",
)
@_limits_option
def serve(
    host, port, case_path, roster_path, templates_dirs, out, no_browser, token, limits
) -> None:
    """Open a local web page to check a roster, render it and preview templates."""
    from filings.web.desk import Settings
    from filings.web.server import serve as run

    settings = Settings(
        case_path or _fixture("case.yaml"),
        roster_path or _fixture("roster.csv"),
        out,
        tuple(templates_dirs),
        limits,
        token,
        host,
        port,
    )

    def ready(url: str) -> None:
        click.echo(f"filings serve: {url}  (Ctrl+C stops it)", err=True)
        if not no_browser:
            import webbrowser

            webbrowser.open(url)

    run(settings, ready)
