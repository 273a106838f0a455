"""The output folder is hostile ground: links out of it, a forged manifest, a second run, a full
or read-only disk. Nothing is written, deleted or read outside OUT, and nothing is half-written."""

from __future__ import annotations

import errno
import fcntl
import functools
import hashlib
import json
import os
import stat
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner
from conftest import CASE, write

from filings.build import files, manifest, workers
from filings.build import run as build
from filings.cli import main

REAL_INIT = workers._init_worker  # a worker imports this module afresh: this stays the real one

LOCK = ".filings.lock"
# arrest_type: a row the stay motion is for (its applies_to: the class covers the arrest)
HEADER = (
    "a_number,family_name,given_name,custody_status,preferred_language,removal_date,arrest_type\n"
)
ROWS = [
    "A012345671,Peña,José,detained,es,2025-12-01",
    "A012345672,Ruiz,Ana,released,en,",
]


def roster(tmp_path: Path, rows=ROWS) -> Path:
    return write(tmp_path / "roster.csv", HEADER + "".join(f"{r},warrantless\n" for r in rows))


def render(tmp_path, template="stay-motion", rows=ROWS, **options):
    options.setdefault("jobs", 1)
    options.setdefault("formats", ("pdf",))
    return build.build(CASE, roster(tmp_path, rows), tmp_path / "out", [template], **options)


def cli(tmp_path, *args, rows=ROWS):
    command = [
        "render",
        "stay-motion",
        "--format",
        "pdf",
        "--jobs",
        "1",
        "--quiet",
        "--case",
        CASE,
        "--roster",
        roster(tmp_path, rows),
        "--out",
        tmp_path / "out",
        *args,
    ]
    return CliRunner().invoke(main, [str(a) for a in command])


def statuses(report) -> set[str]:
    return {o.status for o in report.outcomes}


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


# Links out of OUT


@pytest.fixture
def elsewhere(tmp_path):
    """A folder outside OUT holding files that look like documents and leftovers."""
    folder = tmp_path / "elsewhere"
    for name in (
        "A012345671-stay-motion.pdf",
        "A099999999-stay-motion.pdf",
        "notes.docx",
        ".A012345671-stay-motion.pdf.abc.tmp",
    ):
        write(folder / name, f"not ours: {name}")
    return folder


@pytest.mark.slow
def test_a_template_folder_linked_out_of_out_is_never_written_or_cleaned(tmp_path, elsewhere):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "stay-motion").symlink_to(elsewhere)
    before = snapshot(elsewhere)
    result = cli(tmp_path, "--prune")
    assert result.exit_code == 1
    out = tmp_path / "out"
    assert result.output == (
        f"Error: {out}/stay-motion/A012345671-stay-motion.pdf: refusing to "
        f"write outside {out} (a link leads out of it; delete the link or "
        "choose another --out)\n"
    )
    assert snapshot(elsewhere) == before  # not the stale file, not the .tmp, not the "orphans"


@pytest.mark.slow
def test_prune_never_deletes_through_a_link_out_of_out(tmp_path, elsewhere):
    render(tmp_path)
    out = tmp_path / "out"
    (out / "stay-motion").rename(tmp_path / "moved")
    (out / "stay-motion").symlink_to(elsewhere)
    before = snapshot(elsewhere)
    report = render(tmp_path, rows=["A1,Bad,Row,detained,en,"], prune=True)  # nothing to write
    assert report.orphans == [] and snapshot(elsewhere) == before


# The journal and the lock are refused before anything renders; the others are reached only after
# a document is rendered, in a worker process (slow).
@pytest.mark.parametrize(
    "name",
    [
        manifest.JOURNAL,
        pytest.param(manifest.MANIFEST, marks=pytest.mark.slow),
        pytest.param(manifest.MANIFEST_CSV, marks=pytest.mark.slow),
        pytest.param("errors.csv", marks=pytest.mark.slow),
        LOCK,
    ],
)
def test_no_file_of_out_is_written_through_a_link(tmp_path, name):
    victim = write(tmp_path / "victim.txt", "keep me\n")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / name).symlink_to(victim)
    result = cli(tmp_path, rows=[*ROWS, "A1,Bad,Row,detained,en,"])
    assert victim.read_text() == "keep me\n"
    if name in (manifest.JOURNAL, LOCK):
        link = tmp_path / "out" / name
        assert result.output == (
            f"Error: {link}: is a symbolic link; refusing to write through "
            "it (delete it and run again)\n"
        )
        assert result.exit_code == 1


@pytest.mark.parametrize("name", [manifest.JOURNAL, LOCK])
def test_no_file_of_out_is_written_through_a_hard_link(tmp_path, name):
    victim = write(tmp_path / "victim.txt", "keep me\n")
    (tmp_path / "out").mkdir()
    os.link(victim, tmp_path / "out" / name)
    result = cli(tmp_path)
    assert victim.read_text() == "keep me\n"
    assert result.output == (
        f"Error: {tmp_path}/out/{name}: has another name (a hard link); refusing to write "
        "through it (delete it and run again)\n"
    )
    assert result.exit_code == 1


# The manifest is untrusted


def _forge(out: Path, entry: dict, line: str | None = None) -> None:
    (out / manifest.MANIFEST).write_text((line or json.dumps(entry)) + "\n", encoding="utf-8")


@pytest.mark.slow
def test_a_manifest_path_outside_out_is_rendered_again_not_trusted_or_read(tmp_path):
    render(tmp_path)
    out = tmp_path / "out"
    secret = write(tmp_path / "secret.pdf", "%PDF-1.7 secret")
    digest = hashlib.sha256(secret.read_bytes()).hexdigest()
    entry = json.loads((out / manifest.MANIFEST).read_text().splitlines()[0])
    entry["outputs"]["pdf"]["path"] = "../secret.pdf"
    entry["outputs"]["pdf"]["sha256"] = digest
    _forge(out, entry)
    report = render(tmp_path, packet=True)
    assert [o.status for o in report.outcomes] == ["rendered", "rendered"]
    assert report.warnings == [
        f"{out}/manifest.jsonl: 1 unusable line (line 1: outputs.pdf.path: '../secret.pdf' is "
        f"not inside {out}); its document will be rendered again"
    ]
    packet = pypdf.PdfReader(out / "packets" / "stay-motion.pdf")
    assert "secret" not in "".join(page.extract_text() for page in packet.pages)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("old", "new", "warning"),
    [
        (None, b"\xff\xfe\x00garbage", "line 1 is not JSON text"),
        (None, b"[1, 2]", "line 1 is not a JSON object"),
        (None, b'{"template": "stay-motion"}', "line 1: 'a_number' is missing"),
        (
            b'"outputs": {"pdf": ',
            b'"outputs": {"pdf": "x", "z": ',
            "line 1: outputs.pdf is not an object",
        ),
        (b'"pages": ', b'"pages": "x", "p": ', "line 1: outputs.pdf.pages is not a whole number"),
        (b'"path": ', b'"path": 5, "q": ', "line 1: outputs.pdf.path is not a string"),
        (b'"sha256": "', b'"sha256": "x', "line 1: outputs.pdf.sha256 is not a sha256 in hex"),
        (
            b'"status": "rendered"',
            b'"status": "done\\u001b"',
            "line 1: status: 'done\\x1b' is not rendered, unchanged, failed or not-applicable",
        ),
        (
            b'"needs_translation": false',
            b'"needs_translation": 0',
            "line 1: needs_translation is not true or false",
        ),
        (b'"inputs": ', b'"inputs": null, "i": ', "line 1: inputs is not a string"),
    ],
    ids=[
        "bytes",
        "list",
        "missing",
        "output",
        "pages",
        "path",
        "sha256",
        "status",
        "flag",
        "inputs",
    ],
)
def test_a_damaged_manifest_warns_and_renders_everything_again(tmp_path, old, new, warning):
    render(tmp_path)
    out = tmp_path / "out"
    first = (out / manifest.MANIFEST).read_bytes().splitlines()[0]
    line = new if old is None else first.replace(old, new, 1)
    assert line != first
    (out / manifest.MANIFEST).write_bytes(line + b"\n")
    result = cli(tmp_path)
    assert result.exit_code == 0
    assert result.output == (
        f"Warning: {out}/manifest.jsonl: 1 unusable line ({warning}); its "
        "document will be rendered again\n"
    )
    report = render(tmp_path)
    assert statuses(report) == {"unchanged"} and report.warnings == []


@pytest.mark.slow
def test_many_unusable_lines_make_one_warning(tmp_path):
    render(tmp_path)
    out = tmp_path / "out"
    (out / manifest.MANIFEST).write_bytes(b"x\n\n{}\n")
    assert render(tmp_path).warnings == [
        f"{out}/manifest.jsonl: 2 unusable lines (the first: line 1 is not JSON text); their "
        "documents will be rendered again"
    ]


def test_a_journal_line_cut_short_by_a_kill_is_no_warning(tmp_path):
    render(tmp_path)
    out = tmp_path / "out"
    (out / manifest.JOURNAL).write_text('{"template": "stay-mo', encoding="utf-8")
    report = render(tmp_path)
    assert report.warnings == [] and statuses(report) == {"unchanged"}


@pytest.mark.slow
def test_rendering_another_template_keeps_the_first_ones_record(tmp_path):
    render(tmp_path, "stay-motion")
    render(tmp_path, "release-notice")
    report = render(tmp_path, "stay-motion")
    assert statuses(report) == {"unchanged"}
    lines = (tmp_path / "out" / manifest.MANIFEST).read_text().splitlines()
    assert sorted(json.loads(x)["template"] for x in lines) == [
        "release-notice",
        "release-notice",
        "stay-motion",
        "stay-motion",
    ]
    csv = (tmp_path / "out" / manifest.MANIFEST_CSV).read_text(encoding="utf-8-sig")
    assert csv.count("release-notice,") == 2 and csv.count("stay-motion,") == 2


@pytest.mark.slow
def test_a_document_that_left_the_roster_leaves_the_manifest(tmp_path):
    render(tmp_path)
    render(tmp_path, rows=ROWS[:1])
    lines = (tmp_path / "out" / manifest.MANIFEST).read_text().splitlines()
    assert [json.loads(x)["a_number"] for x in lines] == ["A012345671"]


# Locking


def test_a_second_run_on_the_same_out_is_refused_while_the_first_holds_it(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    with open(out / LOCK, "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        held.write("1234\n")
        held.flush()
        result = cli(tmp_path)
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {out} is in use by another filings run (pid 1234); wait for it or remove "
        f"{out}/.filings.lock if no run is going\n"
    )
    assert not (out / "stay-motion").exists()


@pytest.mark.slow
def test_a_lock_left_by_a_run_that_is_gone_does_not_block(tmp_path):
    out = tmp_path / "out"
    write(out / LOCK, "999999999\n")
    assert statuses(render(tmp_path)) == {"rendered"}


def test_the_lock_names_the_run_holding_it(tmp_path):
    out = tmp_path / "out"
    with files.locked(out):
        assert (out / LOCK).read_text() == f"{os.getpid()}\n"
        with pytest.raises(files.OutputError, match=rf"\(pid {os.getpid()}\)"):
            with files.locked(out):
                pass
    with files.locked(out):  # released
        pass


# A disk that cannot be written


def _full_disk_init(code: int, worker) -> None:
    """A worker whose writes into OUT fail with `code` (ENOSPC, EDQUOT): documents are written by
    the worker processes, so the fault has to be planted there."""
    REAL_INIT(worker)

    def write_all(fd, data):
        raise OSError(code, os.strerror(code))

    files.write_all = write_all


def _fail_writes(monkeypatch, code):
    monkeypatch.setattr(workers, "_init_worker", functools.partial(_full_disk_init, code))


@pytest.mark.slow
@pytest.mark.parametrize(
    ("code", "reason"),
    [
        (errno.ENOSPC, "the disk is full); free some space or choose another --out"),
        (errno.EDQUOT, "the disk quota is used up); free some space or choose another --out"),
    ],
)
def test_a_full_disk_stops_the_run_with_one_line_and_loses_nothing(
    tmp_path, monkeypatch, code, reason
):
    render(tmp_path)
    out = tmp_path / "out"
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    _fail_writes(monkeypatch, code)
    result = cli(tmp_path, "--force")
    assert result.exit_code == 1
    assert result.output == f"Error: {out}: cannot write ({reason}\n"
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert not [p for p in after if p.name.endswith(".tmp")]
    assert {p: after[p] for p in before} == before  # every earlier document and record kept


def test_a_read_only_out_gives_one_line_saying_what_to_do(tmp_path, monkeypatch):
    render(tmp_path)
    out = tmp_path / "out"
    real = os.open

    def read_only(path, flags, *args, **kwargs):
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT) and str(path).startswith(str(out)):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", read_only)
    result = cli(tmp_path, "--force")
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {out}: cannot write (read-only file system); choose another --out\n"
    )


# Permissions


@pytest.mark.parametrize(
    ("umask", "mode"),
    [
        (0o022, 0o644),
        pytest.param(0o027, 0o640, marks=pytest.mark.slow),
        pytest.param(0o077, 0o600, marks=pytest.mark.slow),
    ],
)
def test_outputs_honour_the_umask(tmp_path, umask, mode):
    old = os.umask(umask)
    try:
        render(tmp_path)
    finally:
        os.umask(old)
    out = tmp_path / "out"
    for path in [*out.glob("stay-motion/*.pdf"), out / manifest.MANIFEST, out / "manifest.csv"]:
        assert stat.S_IMODE(path.stat().st_mode) == mode, path
