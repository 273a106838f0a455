"""`filings serve`: the local web page."""

from __future__ import annotations

import click

from filings.cli.options import fixture, inputs_options, limits_option, out_option, templates_option


@click.command()
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
@inputs_options
@templates_option
@out_option("Folder the documents are written to; the page keeps its own files in OUT/.serve/.")
@click.option("--no-browser", is_flag=True, help="Do not open the page in a browser.")
@click.option(
    "--token",
    envvar="FILINGS_TOKEN",
    metavar="TOKEN",
    help="A secret every request must carry (16 characters or more). Env: FILINGS_TOKEN.",
)
@limits_option
def serve(
    host, port, case_path, roster_path, templates_dirs, out, no_browser, token, limits
) -> None:
    """Open a local web page to check a roster, render it and preview templates."""
    from filings.web.desk import Settings
    from filings.web.server import serve as run

    settings = Settings(
        case_path or fixture("case.yaml"),
        roster_path or fixture("roster.csv"),
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
