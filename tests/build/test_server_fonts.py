"""Workers forked from the fork server, which set the fonts up once (`filings.build.preload`),
render with the fonts their command would find, byte for byte as a spawned worker does."""

from __future__ import annotations

import hashlib
import shutil
from multiprocessing import forkserver

import pdfplumber
import pytest
from test_isolation import ROWS, failures, run

from filings import glyphs
from filings.build import processes
from filings.outputs.pdf.fonts import project_fonts

pytestmark = pytest.mark.slow  # worker processes: seconds each

MORE_SCRIPTS = [
    *ROWS,
    "A012345674,محمد,علي,detained,ar,,warrantless",
    "A012345675,王,小明,detained,zh,,warrantless",
]


@pytest.fixture
def own_server():
    """A fork server started (and set up) by the test, with its environment and folder; stopped
    after it, so that the next test's server is set up with its own."""

    def fresh():
        forkserver._forkserver._stop()  # no public way to end multiprocessing's server
        glyphs.fonts.forget()
        project_fonts.cache_clear()

    fresh()
    yield fresh
    fresh()


def digests(folder):
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted((folder / "out" / "stay-motion").glob("*.pdf"))
    }


def regular_text_fonts(folder) -> set[str]:
    """The fonts of the documents' text; the body is in Liberation Serif's regular face where
    the fonts found have one, and in its bold one where they do not."""
    found = set()
    for path in (folder / "out" / "stay-motion").glob("*.pdf"):
        with pdfplumber.open(path) as pdf:
            found |= {c["fontname"].split("+")[-1] for p in pdf.pages for c in p.chars}
    return found


def impostor(folder):
    """A folder whose LiberationSerif-Regular.ttf is Noto Serif's regular face."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(glyphs.locate("NotoSerif-Regular.ttf")[0], folder / "LiberationSerif-Regular.ttf")
    return folder / "LiberationSerif-Regular.ttf"


def test_forked_and_spawned_workers_write_the_same_bytes(tmp_path, monkeypatch, own_server):
    processes.start_early()
    forked = run(tmp_path / "forked", 1, rows=MORE_SCRIPTS, formats=("pdf",))
    assert processes.context().get_start_method() == "forkserver"

    def refuse(fds):
        raise PermissionError("no Unix socket here")

    monkeypatch.setattr(forkserver, "connect_to_new_process", refuse)
    monkeypatch.setattr(processes, "_unavailable", [])
    spawned = run(tmp_path / "spawned", 1, rows=MORE_SCRIPTS, formats=("pdf",))
    assert processes.context().get_start_method() == "spawn"
    assert failures(forked) == failures(spawned) == {}
    assert len(digests(tmp_path / "forked")) == len(MORE_SCRIPTS)
    assert digests(tmp_path / "forked") == digests(tmp_path / "spawned")


@pytest.mark.parametrize("change", ["removed", "replaced"])
def test_a_font_file_changed_since_the_server_set_up_is_read_again(
    tmp_path, monkeypatch, own_server, change
):
    """As under `filings serve`, whose fork server lives as long as it does: a run after a font
    file changed renders with the file as it is now, though FILINGS_FONT_DIRS did not change."""
    genuine = glyphs.locate("LiberationSerif-Regular.ttf")[0]
    fake = impostor(tmp_path / "fonts")
    monkeypatch.setenv("FILINGS_FONT_DIRS", str(fake.parent))
    processes.start_early()
    assert failures(run(tmp_path / "before", 1, formats=("pdf",))) == {}
    assert "Liberation-Serif" not in regular_text_fonts(tmp_path / "before")  # the impostor's
    fake.unlink()
    if change == "replaced":
        shutil.copy(genuine, fake)
    glyphs.fonts.forget()  # this process's own, for the check of the inputs
    project_fonts.cache_clear()
    assert failures(run(tmp_path / "after", 1, formats=("pdf",))) == {}
    assert "Liberation-Serif" in regular_text_fonts(tmp_path / "after")


def test_a_relative_font_dir_is_the_commands_folders(tmp_path, monkeypatch, own_server):
    """FILINGS_FONT_DIRS=fonts means the fonts folder where the command runs, not where the
    server was started (a process that runs builds from several folders, as tests do)."""
    impostor(tmp_path / "first" / "fonts")
    (tmp_path / "second" / "fonts").mkdir(parents=True)
    monkeypatch.setenv("FILINGS_FONT_DIRS", "fonts")
    monkeypatch.chdir(tmp_path / "first")
    processes.start_early()
    assert failures(run(tmp_path / "first", 1, formats=("pdf",))) == {}
    assert "Liberation-Serif" not in regular_text_fonts(tmp_path / "first")
    monkeypatch.chdir(tmp_path / "second")
    glyphs.fonts.forget()
    project_fonts.cache_clear()
    assert failures(run(tmp_path / "second", 1, formats=("pdf",))) == {}
    assert "Liberation-Serif" in regular_text_fonts(tmp_path / "second")
