"""The pages of `filings serve`: routes only. Each one reads a form, calls the core (through the
Desk) and shows a page; plain HTML forms throughout, so every step works with JavaScript off."""

from __future__ import annotations

import asyncio
import contextlib
import json
from pathlib import Path, PurePosixPath

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from filings.build import files
from filings.errors import FilingsError
from filings.inputs.problems import problems_csv
from filings.templating.templates import select
from filings.web import preview, views
from filings.web.desk import Desk, Settings
from filings.web.security import FormRefused, Guard, is_loopback, read_form

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TYPES = {".pdf": "application/pdf", ".csv": "text/csv; charset=utf-8", ".docx": DOCX}
STATIC = Path(__file__).parent / "static"


def create_app(settings: Settings) -> Guard:
    desk = Desk(settings)

    @contextlib.asynccontextmanager
    async def lifespan(app):
        yield
        for stop in list(app.state.watching):  # end the file watchers' streams on shutdown
            stop.set()

    routes = [
        Route("/", roster_page),
        Route("/roster", choose_roster, methods=["POST"]),
        Route("/errors.csv", errors_csv),
        Route("/render", start_render, methods=["POST"]),
        Route("/render", progress_page),
        Route("/render/events", progress_events),
        Route("/results", results_page),
        Route("/document/{template}/{a_number}", document),
        Route("/files/{path:path}", served_file),
        Route("/documents.zip", documents_zip),
        Route("/preview", preview_page),
        Route("/preview.pdf", preview_pdf),
        Route("/preview/events", preview_events),
        Route("/clear", clear, methods=["POST"]),
        Mount("/static", StaticFiles(directory=STATIC)),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.desk = desk
    app.state.watching = set()
    app.state.previewing = asyncio.Lock()
    return Guard(
        app, limits=settings.limits, token=settings.token, loopback=is_loopback(settings.host)
    )


def _desk(request: Request) -> Desk:
    return request.app.state.desk


def _see(url: str) -> RedirectResponse:
    return RedirectResponse(url, 303)


# --- 1. the roster -------------------------------------------------------------------------------


async def roster_page(request: Request, message: str | None = None, status: int = 200):
    desk = _desk(request)
    roster, lines = desk.roster, []
    if roster is not None:
        lines = (
            views.problem_lines(roster.check.problems)
            if roster.check
            else views.error_lines(roster.error)
        )
    try:
        templates, templates_error = preview.templates(desk.settings), None
    except FilingsError as exc:
        templates, templates_error = {}, exc.message
    return views.page(
        request,
        "roster.html",
        status,
        roster=roster,
        lines=lines,
        configured=desk.settings.roster.name,
        templates=templates,
        templates_error=templates_error,
        message=message,
        running=desk.render.running,
    )


async def choose_roster(request: Request):
    desk = _desk(request)
    try:
        form = await read_form(request, desk.settings.limits)
        upload, name, data = form.get("roster"), "", b""
        if not isinstance(upload, str | None):
            name, data = upload.filename or "", await upload.read()
        await form.close()
        if form.get("action") == "configured":
            await run_in_threadpool(desk.use_configured)
        elif not name:
            return await roster_page(request, "Choose a roster file to upload.", 400)
        else:
            await run_in_threadpool(desk.upload, name, data)
    except FormRefused as exc:
        return await roster_page(request, exc.message, exc.status)
    except FilingsError as exc:
        return await roster_page(request, exc.message, 400)
    return _see("/#check")


async def errors_csv(request: Request):
    roster = _desk(request).roster
    if roster is None or roster.check is None:
        return Response("No roster has been checked yet.", 404)
    return Response(
        problems_csv(roster.check.problems).encode("utf-8-sig"),
        media_type=TYPES[".csv"],
        headers={"content-disposition": 'attachment; filename="errors.csv"'},
    )


# --- 2. the render -------------------------------------------------------------------------------


async def start_render(request: Request):
    desk = _desk(request)
    try:
        form = await read_form(request, desk.settings.limits)
        names = tuple(form.getlist("template"))
        formats = tuple(f for f in ("pdf", "docx") if f in form.getlist("format"))
        if not names or not formats:
            raise FilingsError("Choose at least one template and one format.")
        desk.start(names, formats, packet=form.get("packet") == "on")
    except FormRefused as exc:
        return await roster_page(request, exc.message, exc.status)
    except FilingsError as exc:
        return await roster_page(request, exc.message, 409 if desk.render.running else 400)
    return _see("/render")


async def progress_page(request: Request):
    render = _desk(request).render
    if render.thread is None:
        return _see("/")
    if not render.running:
        return _see("/results")
    return views.page(request, "progress.html", render=render)


async def progress_events(request: Request):
    """Server-sent events: the render's progress as it changes, then `finished`."""
    render = _desk(request).render

    async def stream():
        last = None
        while True:
            running = render.running
            now = {"done": render.done, "total": render.total, "finished": not running}
            if now != last:
                yield f"data: {json.dumps(now)}\n\n"
                last = now
            if not running:
                return
            await asyncio.sleep(0.25)

    return StreamingResponse(stream(), media_type="text/event-stream")


# --- 3. the results ------------------------------------------------------------------------------


async def results_page(request: Request):
    desk = _desk(request)
    render = desk.render
    if render.running:
        return _see("/render")
    report = render.report
    return views.page(
        request,
        "results.html",
        render=render,
        report=report,
        people=views.people(report) if report else [],
        roster_documents=views.roster_documents(report) if report else [],
        listings=views.listings(report) if report else [],
        out=desk.settings.out,
    )


async def document(request: Request):
    """One person's document, shown by the browser's own PDF viewer."""
    report = _desk(request).render.report
    a_number = request.path_params["a_number"]
    key = (request.path_params["template"], None if a_number == "-" else a_number, None)
    found = [o for o in (report.outcomes if report else []) if o.job.key == key]
    if not found:
        return views.page(
            request,
            "message.html",
            404,
            title="No such document",
            message="That document is not in the last render.",
        )
    return views.page(request, "document.html", outcome=found[0])


async def served_file(request: Request):
    """A file the manifest lists (or a packet, or a list beside them); nothing else in OUT."""
    desk = _desk(request)
    relative = request.path_params["path"]
    out = desk.settings.out
    data = None
    if relative in views.listed(out, desk.render.report):
        data = await run_in_threadpool(files.read_bytes, out / relative, out)
    if data is None:
        return Response("No such file in the output folder.", 404)
    name = PurePosixPath(relative).name
    how = "inline" if name.endswith(".pdf") else "attachment"
    kind = TYPES.get(PurePosixPath(name).suffix, "application/octet-stream")
    return Response(
        data, media_type=kind, headers={"content-disposition": f'{how}; filename="{name}"'}
    )


async def documents_zip(request: Request):
    out = _desk(request).settings.out
    return StreamingResponse(
        views.zip_stream(out),
        media_type="application/zip",
        headers={"content-disposition": 'attachment; filename="filings-documents.zip"'},
    )


# --- the template author's live preview ----------------------------------------------------------


async def preview_page(request: Request):
    desk = _desk(request)
    if desk.render.running:
        return views.page(
            request,
            "message.html",
            409,
            title="Template preview",
            message="A render is running; the preview is back when it finishes.",
        )
    roster = await run_in_threadpool(desk.current)
    try:
        templates = preview.templates(desk.settings)
    except FilingsError as exc:
        return views.page(
            request,
            "preview.html",
            templates={},
            roster=roster,
            chosen=None,
            row=0,
            error=exc.message,
            version=None,
        )
    params = request.query_params
    chosen = params.get("template") or next(iter(templates), None)
    row = int(params["row"]) if params.get("row", "").isdigit() else 0
    error, version = None, None
    if roster.check is None:
        error = roster.error.message
    elif chosen is not None:
        error, version = await _render_preview(request, desk, roster, templates, chosen, row)
    return views.page(
        request,
        "preview.html",
        templates=templates,
        roster=roster,
        chosen=chosen,
        row=row,
        error=error,
        version=version,
    )


async def _render_preview(request, desk, roster, templates, chosen, row):
    """(error, None), or (None, the version of the PDF that /preview.pdf now serves)."""
    if not 0 <= row < len(roster.check.detainees):
        return f"The roster has no row {row + 1} among its valid rows.", None
    async with request.app.state.previewing:  # one WeasyPrint render at a time
        try:
            template = select(templates, (chosen,))[0]
            data = await run_in_threadpool(preview.render_pdf, desk.settings, roster, template, row)
        except FilingsError as exc:
            return exc.message, None
        version = (desk.preview[0][2] + 1) if desk.preview else 1
        desk.preview = ((chosen, row, version), data)
    return None, version


async def preview_pdf(request: Request):
    shown = _desk(request).preview
    if shown is None:
        return Response("Nothing previewed yet.", 404)
    return Response(
        shown[1],
        media_type=TYPES[".pdf"],
        headers={"content-disposition": 'inline; filename="preview.pdf"'},
    )


async def preview_events(request: Request):
    """Server-sent events: `change` after each burst of file changes in the templates folders."""
    folders, streams = preview.watched(_desk(request).settings), request.app.state.watching

    async def stream():
        # Each stream has its own stop event: watchfiles sets it when the stream is cancelled
        # (its page went away), which must not stop any other page's watch. Shutdown sets all.
        stop = asyncio.Event()
        streams.add(stop)
        try:
            yield "retry: 2000\n\n"
            async for changed in preview.changes(folders, stop):
                yield "event: change\ndata: changed\n\n" if changed else ": waiting\n\n"
        finally:
            streams.discard(stop)

    return StreamingResponse(stream(), media_type="text/event-stream")


# --- clearing up ---------------------------------------------------------------------------------


async def clear(request: Request):
    desk = _desk(request)
    try:
        await read_form(request, desk.settings.limits)
        await run_in_threadpool(desk.clear)
    except FormRefused as exc:
        return await roster_page(request, exc.message, exc.status)
    except FilingsError as exc:
        return await roster_page(request, exc.message, 409)
    return _see("/")
