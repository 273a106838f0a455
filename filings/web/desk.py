"""What the page keeps between requests: the roster being worked on, the render under way, and
the last preview. Every file it keeps is in its working folder, OUT/.serve/.

Each step calls the same core function as the CLI: a roster is checked by `check_inputs` (as
`filings validate` checks it) and a render is `build()` (as `filings render` runs it), so a
render started here is the same run, with the same manifest, as one from the terminal.
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from filings.build import files
from filings.build.model import Report
from filings.build.plan import check_inputs
from filings.build.run import build
from filings.errors import FilingsError
from filings.inputs.limits import DEFAULT as DEFAULT_LIMITS
from filings.inputs.limits import Limits
from filings.inputs.records import Case
from filings.inputs.validate import RosterCheck

log = logging.getLogger(__name__)

WORK = ".serve"  # the page's own folder inside OUT
ROSTER_SUFFIXES = (".csv", ".xlsx", ".json", ".yaml", ".yml")


@dataclass(frozen=True)
class Settings:
    """How `filings serve` was started."""

    case: Path
    roster: Path  # the configured roster, offered beside an upload
    out: Path
    templates_dirs: tuple[Path, ...] = ()
    limits: Limits = DEFAULT_LIMITS
    token: str | None = None
    host: str = "127.0.0.1"
    port: int = 8000

    @property
    def work(self) -> Path:
        return self.out / WORK


@dataclass
class Roster:
    """A roster as `filings validate` saw it: its records and problems, or why it was unreadable."""

    path: Path
    uploaded: bool
    case: Case | None = None
    check: RosterCheck | None = None
    error: FilingsError | None = None


@dataclass
class Render:
    """One render in a background thread, with its progress as build() reports it."""

    options: dict = field(default_factory=dict)
    done: int = 0
    total: int = 0
    report: Report | None = None
    error: str | None = None
    thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self.thread is not None and self.thread.is_alive()

    def advance(self, outcome, total: int) -> None:
        self.done, self.total = self.done + 1, total


class Desk:
    """The one clerk's work: one roster and one render at a time."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.roster: Roster | None = None
        self.render = Render()
        self.preview: tuple[tuple, bytes] | None = None  # (template, row, version) -> PDF
        self._lock = threading.Lock()

    def use_configured(self) -> Roster:
        self._idle("choose a roster")
        self.roster = self._checked(self.settings.roster, uploaded=False)
        return self.roster

    def current(self) -> Roster:
        """The roster chosen, else the configured one."""
        return self.roster or self.use_configured()

    def upload(self, filename: str, data: bytes) -> Roster:
        """Keep an uploaded roster in OUT/.serve/upload/ under its own (made safe) name, so its
        problems are located in the file the clerk knows, then check it."""
        self._idle("upload a roster")
        name = upload_name(filename)
        folder = self.settings.work / "upload"
        for old in files.listdir(folder, self.settings.out):
            files.remove(old, self.settings.out)
        files.write_atomic(folder / name, data, self.settings.out)
        self.roster = self._checked(folder / name, uploaded=True)
        return self.roster

    def _checked(self, path: Path, uploaded: bool) -> Roster:
        s = self.settings
        try:
            case, check = check_inputs(
                s.case, path, limits=s.limits, templates_dirs=s.templates_dirs
            )
        except FilingsError as exc:
            return Roster(path, uploaded, error=exc)
        return Roster(path, uploaded, case, check)

    def start(
        self, template_names: tuple[str, ...], formats: tuple[str, ...], packet: bool
    ) -> None:
        """Start build() in a background thread, as `filings render` would run it."""
        with self._lock:
            self._idle("start another")
            if self.roster is None or self.roster.check is None:
                raise FilingsError("Choose a roster first.")
            s = self.settings
            options = dict(
                case_path=s.case,
                roster_path=self.roster.path,
                out=s.out,
                template_names=template_names,
                formats=formats,
                templates_dirs=s.templates_dirs,
                packet=packet,
                limits=s.limits,
            )
            self.render = render = Render(options)
            render.thread = threading.Thread(
                target=self._run, args=(render,), daemon=True, name="filings-render"
            )
            render.thread.start()

    def _run(self, render: Render) -> None:
        try:
            render.report = build(progress=render.advance, **render.options)
        except FilingsError as exc:
            render.error = exc.message
        except Exception as exc:  # the page must say the render stopped, not wait for ever
            log.exception("render failed")
            render.error = f"The render stopped: {type(exc).__name__}: {exc}"

    def clear(self) -> None:
        """Forget the roster and the results, and delete everything in OUT/.serve/."""
        self._idle("clear")
        out = self.settings.out
        for folder in (self.settings.work / "upload", self.settings.work):
            for path in files.listdir(folder, out):
                if path.is_file() or path.is_symlink():
                    files.remove(path, out)
            if folder.is_dir() and not folder.is_symlink() and not any(folder.iterdir()):
                folder.rmdir()
        self.roster, self.render, self.preview = None, Render(), None

    def _idle(self, what: str) -> None:
        if self.render.running:
            raise FilingsError(f"A render is running; wait for it to finish to {what}.")


def upload_name(filename: str) -> str:
    """The uploaded file's own name, without folders or characters a file system or a message
    could trip on; only a roster's extensions are taken."""
    name = PurePosixPath(filename.replace("\\", "/")).name
    name = re.sub(r"[^\w .()-]+", "_", name).strip(" .")[-100:]
    if not name.lower().endswith(ROSTER_SUFFIXES):
        shown = name or "the file"
        raise FilingsError(f"{shown}: not a roster; upload a CSV, XLSX, JSON or YAML file")
    return name
