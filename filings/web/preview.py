"""The template author's live preview: one template for one roster row, rendered by the same
functions a build uses (`render_html`, then `convert_job` to a PDF), and word that a file in the
templates folders changed, from a file watcher."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

from filings.build import versions
from filings.build.model import Job, Options
from filings.build.workers import Worker, convert_job
from filings.templating.render import RosterSummary, render_html
from filings.templating.templates import Template, discover, make_environment, search_path
from filings.web.desk import Roster, Settings

# How long a burst of file changes (an editor's save writes several times) is gathered before the
# page is told, in milliseconds; and how often a quiet watch checks the page is still there.
DEBOUNCE_MS = 300
HEARTBEAT_MS = 15_000


def render_pdf(settings: Settings, roster: Roster, template: Template, row: int) -> bytes:
    """Template for the roster's `row`-th accepted person (or for the whole roster) as a PDF.
    A broken template raises TemplateError, in the words `filings render` uses."""
    detainees = roster.check.detainees
    detainee = detainees[row] if template.kind == "per-detainee" else None
    job = Job(template, detainee, version=versions.describe(template.folder.parent))
    options = Options(("pdf",), check=False)
    worker = Worker(
        roster.case,
        RosterSummary(detainees),
        settings.out,
        options,
        search_path(settings.templates_dirs),
    )
    env = make_environment(settings.templates_dirs)
    html = render_html(
        env, template, roster.case, detainee, worker.roster, template_version=job.version
    )
    return convert_job("pdf", html, job, worker)[0]


def templates(settings: Settings) -> dict[str, Template]:
    return discover(settings.templates_dirs)


def watched(settings: Settings) -> list[Path]:
    """Every templates folder a document is looked up in (the built-in ones too)."""
    return [p for p in search_path(settings.templates_dirs) if p.is_dir()]


async def changes(folders: list[Path], stop: asyncio.Event) -> AsyncIterator[bool]:
    """True after each burst of changes in the folders; False now and then while nothing
    changes, so a stream to a page that has gone away finds out."""
    from watchfiles import awatch

    async for found in awatch(
        *folders,
        stop_event=stop,
        debounce=DEBOUNCE_MS,
        rust_timeout=HEARTBEAT_MS,
        yield_on_timeout=True,
    ):
        yield bool(found)
