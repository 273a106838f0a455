"""One bad document never stops the run: whatever goes wrong while one document renders (an
exception, a render that never ends, a memory hog, a worker that dies) fails that document alone,
and the manifest, errors.csv and the summary still account for every row and every document."""

from __future__ import annotations

import csv
import functools
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pdfplumber
import pytest
from click.testing import CliRunner
from conftest import CASE, ROOT, ROSTER, write

from filings import glyphs
from filings.build import manifest, processes, workers
from filings.build import run as build
from filings.cli import main
from filings.errors import DataErrors
from filings.inputs.limits import Limits
from filings.outputs.pdf.fonts import project_fonts

pytestmark = pytest.mark.slow  # worker processes, a cluster or a browser: seconds each

HEADER = (
    "a_number,family_name,given_name,custody_status,preferred_language,removal_date,arrest_type\n"
)
ROWS = [
    "A012345671,Peña,José,detained,es,2025-12-01,warrantless",
    "A012345672,Ruiz,Ana,detained,en,,warrantless",
    "A012345673,Nguyễn,Thị Hương,detained,vi,,warrantless",
]
BAD = "A012345672"  # roster.csv:3
REAL_INIT = workers._init_worker  # the child imports this module afresh: this stays the real one


def _misbehave(how: str) -> None:
    if how == "raise":
        raise ValueError("boom\nsecond line")
    if how == "spin":  # C-level work that holds the GIL: no signal handler ever runs
        sum(range(10**15))
    if how == "hog":  # calloc'd, so without a limit no page is touched
        bytes(8 << 30)
    if how == "die":
        os.kill(os.getpid(), signal.SIGKILL)


def _sabotaged_init(how: str, worker) -> None:
    """Set the worker up, then make rendering BAD's document misbehave (in that process only)."""
    REAL_INIT(worker)
    render_html = workers.render_html

    def rigged(env, template, case, detainee, *args, **kwargs):
        if detainee is not None and detainee.a_number == BAD:
            _misbehave(how)
        return render_html(env, template, case, detainee, *args, **kwargs)

    workers.render_html = rigged


def sabotage(monkeypatch, how: str) -> None:
    monkeypatch.setattr(workers, "_init_worker", functools.partial(_sabotaged_init, how))


def run(tmp_path, jobs, rows=ROWS, case=CASE, **options):
    options.setdefault("formats", ("docx",))
    options.setdefault("check", False)
    roster = write(tmp_path / "roster.csv", HEADER + "\n".join(rows) + "\n")
    return build.build(case, roster, tmp_path / "out", ["stay-motion"], jobs=jobs, **options)


def failures(report) -> dict:
    return {o.job.key[1]: o.error for o in report.outcomes if o.status == "failed"}


def assert_accounted_for(tmp_path, report, failed: set) -> None:
    """Every document is in the manifest, errors.csv lists the failed ones, the rest are files."""
    out = tmp_path / "out"
    lines = [json.loads(x) for x in (out / manifest.MANIFEST).read_text().splitlines()]
    assert [x["a_number"] for x in lines] == [r[:10] for r in ROWS]
    assert {x["a_number"] for x in lines if x["status"] == "failed"} == failed
    with open(out / "errors.csv", encoding="utf-8-sig") as stream:
        errors = list(csv.DictReader(stream))
    assert len(errors) == len(failed)
    for x in lines:
        assert all((out / o["path"]).is_file() for o in x["outputs"].values())
        assert bool(x["outputs"]) == (x["status"] != "failed")
    assert not list((out / "stay-motion").glob(".*.tmp"))
    assert report.summary().rows_rejected == len(failed)


REASONS = {
    "raise": "stay-motion for roster.csv:3: not rendered: ValueError: boom",
    "spin": "stay-motion for roster.csv:3: not rendered: took longer than 5 s "
    "(limit render_seconds)",
    "hog": "stay-motion for roster.csv:3: not rendered: needed more than 1024 MB of memory "
    "(limit render_memory_mb)",
    "die": "stay-motion for roster.csv:3: not rendered: the process rendering it stopped "
    "unexpectedly (killed by SIGKILL)",
}


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("how", list(REASONS))
def test_whatever_goes_wrong_in_one_document_fails_that_document_alone(
    tmp_path, monkeypatch, how, jobs
):
    sabotage(monkeypatch, how)
    limits = Limits(render_seconds=5, render_memory_mb=1024)
    report = run(tmp_path, jobs, limits=limits)
    assert failures(report) == {BAD: REASONS[how]}
    assert report.count("rendered") == 2
    assert_accounted_for(tmp_path, report, {BAD})


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_next_documents_render_after_a_worker_is_replaced(tmp_path, monkeypatch, jobs):
    """A dead worker's replacement renders the rest, however many documents remain."""
    sabotage(monkeypatch, "die")
    rows = [ROWS[1], ROWS[0], ROWS[2]]
    report = build.build(
        CASE,
        write(tmp_path / "r.csv", HEADER + "\n".join(rows) + "\n"),
        tmp_path / "out",
        ["stay-motion", "release-notice"],
        ["docx"],
        jobs=jobs,
        check=False,
    )
    assert set(failures(report)) == {BAD}
    assert report.count("rendered") == 4


def _init_that_fails(worker) -> None:
    raise RuntimeError("no fonts")


@pytest.mark.parametrize("jobs", [1, 2])
def test_workers_that_cannot_start_fail_every_document_with_the_reason(tmp_path, monkeypatch, jobs):
    monkeypatch.setattr(workers, "_init_worker", _init_that_fails)
    report = run(tmp_path, jobs)
    assert set(failures(report).values()) == {
        f"stay-motion for roster.csv:{n}: not rendered: a worker process could not start: "
        "RuntimeError: no fonts"
        for n in (2, 3, 4)
    }
    assert_accounted_for(tmp_path, report, {r[:10] for r in ROWS})


def _init_that_checks_where(folder: str, worker) -> None:
    """Set the worker up only where the command is: its folder, and its environment."""
    if os.getcwd() != folder or os.environ.get("FILINGS_TEST_MARK") != "the command's":
        raise RuntimeError(f"in {os.getcwd()} with {os.environ.get('FILINGS_TEST_MARK')}")
    REAL_INIT(worker)


@pytest.mark.parametrize("jobs", [1, 2])
def test_workers_take_the_commands_folder_and_environment(tmp_path, monkeypatch, jobs):
    """Workers fork from a server started earlier, elsewhere (`processes`): a relative --out and
    FILINGS_FONT_DIRS must still mean what they mean to the command."""
    processes.start_early()  # before this test's folder and environment, if not already running
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FILINGS_TEST_MARK", "the command's")
    monkeypatch.setattr(
        workers, "_init_worker", functools.partial(_init_that_checks_where, str(tmp_path))
    )
    roster = write(tmp_path / "roster.csv", HEADER + "\n".join(ROWS) + "\n")
    report = build.build(
        CASE, Path("roster.csv"), Path("out"), ["stay-motion"], ["docx"], jobs=jobs, check=False
    )
    assert failures(report) == {}
    assert sorted(p.name for p in (tmp_path / "out" / "stay-motion").glob("*.docx")) == [
        f"{r[:10]}-stay-motion.docx" for r in ROWS
    ]
    assert roster.exists()


@pytest.fixture
def fonts_forgotten():
    """This process's fonts looked up again before and after the test, which moves them."""
    glyphs.fonts.forget()
    project_fonts.cache_clear()
    yield
    glyphs.fonts.forget()
    project_fonts.cache_clear()


def test_workers_take_their_fonts_from_the_commands_font_dirs(
    tmp_path, monkeypatch, fonts_forgotten
):
    """The fork server sets the fonts up before any command's environment reaches it: a worker
    of a command with another FILINGS_FONT_DIRS looks them up there instead."""
    processes.start_early()  # set up without this test's FILINGS_FONT_DIRS, if not already
    folder = tmp_path / "fonts"
    folder.mkdir()
    # Noto Serif's regular face under Liberation Serif's file name: the fonts found there have
    # no Liberation Serif regular face, so none of the text is set in one
    shutil.copy(glyphs.locate("NotoSerif-Regular.ttf")[0], folder / "LiberationSerif-Regular.ttf")
    monkeypatch.setenv("FILINGS_FONT_DIRS", str(folder))
    report = run(tmp_path, 2, formats=("pdf",))
    assert failures(report) == {}
    for path in (tmp_path / "out" / "stay-motion").glob("*.pdf"):
        with pdfplumber.open(path) as pdf:
            fonts = {c["fontname"].split("+")[-1] for p in pdf.pages for c in p.chars}
        assert "Liberation-Serif-Bold" in fonts, (path.name, fonts)  # the setup's own faces
        assert "Liberation-Serif" not in fonts, (path.name, fonts)  # the server's regular one


def test_where_the_fork_server_cannot_be_reached_workers_are_spawned(tmp_path, monkeypatch):
    """The fork server needs a Unix socket in the temporary folder; where it cannot have one, the
    run still renders every document, in spawned workers."""
    from multiprocessing import forkserver

    def refuse(fds):
        raise PermissionError("no Unix socket here")

    monkeypatch.setattr(forkserver, "connect_to_new_process", refuse)
    monkeypatch.setattr(processes, "_unavailable", [])
    report = run(tmp_path, 2)
    assert failures(report) == {}
    assert report.count("rendered") == 3
    assert processes.context().get_start_method() == "spawn"


def test_a_fault_in_the_pool_itself_still_accounts_for_every_document(tmp_path, monkeypatch):
    real = build.run_jobs

    def one_then_fault(jobs, worker, n_jobs):
        yield next(real(jobs, worker, n_jobs))
        raise RuntimeError("the pool broke")

    monkeypatch.setattr(build, "run_jobs", one_then_fault)
    report = run(tmp_path, 1)
    assert failures(report) == {
        a: f"stay-motion for roster.csv:{n}: not rendered: RuntimeError: the pool broke"
        for a, n in ((ROWS[1][:10], 3), (ROWS[2][:10], 4))
    }
    assert_accounted_for(tmp_path, report, {ROWS[1][:10], ROWS[2][:10]})


HOSTILE_TEMPLATES = {
    "big-range": "{% for i in range(10**9) %}{% endfor %}",
    "recursive-macro": "{% macro m(n) %}{{ m(n + 1) }}{% endmacro %}{{ m(0) }}",
}


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("body", list(HOSTILE_TEMPLATES.values()), ids=list(HOSTILE_TEMPLATES))
def test_a_hostile_template_fails_only_its_own_documents(tmp_path, jobs, body):
    """Whatever the sandbox says about it (its wording is not held here), the row fails alone."""
    templates = tmp_path / "templates"
    write(
        templates / "hostile" / "template.yaml",
        "title: Hostile\ndescription: hostile\nkind: per-detainee\nformat: notice\n"
        "main: hostile.html.j2\noutput: '{a_number}-hostile'\n",
    )
    write(
        templates / "hostile" / "hostile.html.j2",
        '{% extends "_shared/base.html.j2" %}{% block body %}<p>{{ detainee.family_name }}</p>'
        f"{{% if detainee.a_number == '{BAD}' %}}{body}{{% endif %}}{{% endblock %}}",
    )
    roster = write(tmp_path / "roster.csv", HEADER + "\n".join(ROWS) + "\n")
    report = build.build(
        CASE,
        roster,
        tmp_path / "out",
        ["hostile"],
        ["docx"],
        jobs=jobs,
        templates_dirs=[templates],
        check=False,
        limits=Limits(render_seconds=10),
    )
    assert set(failures(report)) == {BAD}
    # Located: by the sandbox (template file and line) or, failing that, by the pool (the row).
    located = r"(\S*hostile\.html\.j2:1: |hostile for roster\.csv:3: )"
    assert re.match(located, failures(report)[BAD])
    assert "Traceback" not in failures(report)[BAD]
    assert report.count("rendered") == 2


def _case_with(tmp_path, old: str, new: str) -> Path:
    text = CASE.read_text(encoding="utf-8")
    assert old in text
    return write(tmp_path / "case.yaml", text.replace(old, new))


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_family_name_too_long_for_docx_properties_still_renders(tmp_path, jobs):
    rows = [ROWS[0], f"{BAD},{'Ruiz' * 63},Ana,detained,en,,warrantless", ROWS[2]]
    report = run(tmp_path, jobs, rows=rows)
    assert failures(report) == {}
    assert report.count("rendered") == 3


def test_a_300_digit_bond_amount_is_refused_at_its_line_before_anything_renders(tmp_path):
    """It once reached the notices and failed each with a decimal error; the case file is
    checked first now, so no document is attempted."""
    case = _case_with(tmp_path, "bond_amount: 1500", "bond_amount: " + "9" * 300)
    roster = write(tmp_path / "roster.csv", HEADER + "\n".join(ROWS) + "\n")
    with pytest.raises(DataErrors) as exc:
        build.build(case, roster, tmp_path / "out", ["release-notice"], ["docx"], jobs=1)
    message = exc.value.message
    assert message.startswith("case.yaml:37: order.bond_amount: 999")
    assert "is not an amount of money" in message
    assert not (tmp_path / "out" / "release-notice").exists()


def test_render_prints_one_located_line_and_the_traceback_only_with_debug(tmp_path, monkeypatch):
    sabotage(monkeypatch, "raise")
    roster = write(tmp_path / "roster.csv", HEADER + "\n".join(ROWS) + "\n")
    args = [
        "render",
        "stay-motion",
        "--format",
        "docx",
        "--no-check",
        "--jobs",
        "1",
        "--roster",
        str(roster),
        "--out",
        str(tmp_path / "out"),
        "--quiet",
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "Error: stay-motion for roster.csv:3: not rendered: ValueError: boom",
        f"Error: 3 rows: 2 rendered, 1 rejected — see {tmp_path / 'out' / 'errors.csv'} "
        "(3 documents: 2 rendered, 0 unchanged, 1 failed)",
    ]
    debug = CliRunner().invoke(main, [*args, "--debug", "--force"])
    assert debug.exit_code == 1
    assert "Error: stay-motion for roster.csv:3: not rendered: ValueError: boom" in debug.output
    assert "Traceback (most recent call last):" in debug.output
    assert 'raise ValueError("boom\\nsecond line")' in debug.output


# --- the parent process going away -------------------------------------------------------------


N = 12  # documents in the runs that are stopped: enough to stop one halfway


def _render_command(tmp_path: Path, jobs: int) -> list[str]:
    lines = ROSTER.read_text(encoding="utf-8").splitlines(keepends=True)
    header = next(csv.reader(lines[:1]))
    rows = [
        r
        for r in csv.DictReader(lines)
        if r["arrest_type"] in ("warrantless", "vehicle_stop") and r["custody_status"] != "removed"
    ]  # the people a stay motion is for
    fields = {header.index(k): k for k in header}
    chosen = [",".join(_csv_cell(r[fields[i]]) for i in range(len(header))) for r in rows[:N]]
    roster = write(tmp_path / "roster.csv", lines[0] + "\n".join(chosen) + "\n")
    return [
        sys.executable,
        "-m",
        "filings",
        "render",
        "stay-motion",
        "--format",
        "pdf",
        "--no-check",
        "--jobs",
        str(jobs),
        "--roster",
        str(roster),
        "--out",
        str(tmp_path / "out"),
        "--quiet",
    ]


def _csv_cell(value: str) -> str:
    return f'"{value.replace(chr(34), chr(34) * 2)}"' if any(c in value for c in ',"\n') else value


def _children(pid: int) -> set[int]:
    """Every process under `pid`: the workers are the fork server's children, not the command's."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found, new = set(), {pid}
    while new:
        new = {child for child, parent in parents.items() if parent in new} - found
        found |= new
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _start_and_wait_for_documents(tmp_path: Path, jobs: int, n: int) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        _render_command(tmp_path, jobs), cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True
    )
    journal = tmp_path / "out" / manifest.JOURNAL
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and process.poll() is None:
        if journal.exists() and len(journal.read_text().splitlines()) >= n:
            break
        time.sleep(0.05)
    assert process.poll() is None, "the run ended before it could be stopped"
    return process


def _wait_gone(pids: set[int]) -> set[int]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and any(_alive(p) for p in pids):
        time.sleep(0.1)
    return {p for p in pids if _alive(p)}


@pytest.mark.parametrize("jobs", [1, 2])
def test_workers_exit_when_their_parent_is_killed(tmp_path, jobs):
    process = _start_and_wait_for_documents(tmp_path, jobs, 1)
    children = _children(process.pid)
    assert len(children) >= jobs
    process.kill()
    process.wait()
    process.stderr.close()
    assert _wait_gone(children) == set()


@pytest.mark.parametrize("jobs", [1, 2])
def test_sigterm_stops_the_run_cleanly_and_the_next_run_completes_it(tmp_path, jobs):
    out = tmp_path / "out"
    process = _start_and_wait_for_documents(tmp_path, jobs, 2)
    children = _children(process.pid)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 128 + signal.SIGTERM
    done = len((out / manifest.JOURNAL).read_text().splitlines())
    assert stderr.splitlines()[-1] == (
        f"Error: stopped by SIGTERM: {done} of {N} documents finished and recorded; "
        f"run the same command again to render the other {N - done}"
    )
    assert _wait_gone(children) == set()
    assert not list((out / "stay-motion").glob(".*.tmp"))
    report = build.build(
        CASE, tmp_path / "roster.csv", out, ["stay-motion"], ["pdf"], jobs=2, check=False
    )
    assert report.count("unchanged") == done
    assert report.count("rendered") == N - done


# --- where workers come from: the fork server --------------------------------------------------


STUCK = """
import sys
from pathlib import Path

from filings.build import run as build
from filings.build import workers

REAL_INIT = workers._init_worker


def init(worker):
    REAL_INIT(worker)

    def stuck(*args, **kwargs):
        Path(sys.argv[1]).touch()
        sum(range(10**15))  # C-level work that holds the GIL: only a kill stops it

    workers.render_html = stuck


if __name__ == "__main__":
    workers._init_worker = init
    case, roster, out = (Path(a) for a in sys.argv[2:5])
    build.build(case, roster, out, ["stay-motion"], ["docx"], jobs=1, check=False)
"""


def test_a_worker_stuck_in_c_dies_with_the_command_killed(tmp_path):
    """Workers fork from the fork server, so the kernel's parent-death signal is the server's:
    it must end with the command, however the command ends, or a stuck worker spins on."""
    script = write(tmp_path / "stuck.py", STUCK)
    roster = write(tmp_path / "roster.csv", HEADER + ROWS[0] + "\n")
    stuck = tmp_path / "stuck"
    args = [sys.executable, str(script), str(stuck), str(CASE), str(roster), str(tmp_path / "out")]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(args, env=env, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and process.poll() is None and not stuck.exists():
        time.sleep(0.05)
    assert stuck.exists(), "the document never started"
    children = _children(process.pid)
    process.kill()
    process.wait()
    left = _wait_gone(children)
    for pid in left:  # not to leave a spinning process behind on a failure
        os.kill(pid, signal.SIGKILL)
    assert left == set()


CTRL_C = """
import sys
import time

from filings.build import processes

if __name__ == "__main__":
    processes.PRELOAD = ("slow_import", *processes.PRELOAD)
    processes.start_early()
    try:
        time.sleep(120)
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
"""

SLOW_IMPORT = """
import os
import time
from pathlib import Path

Path(os.environ["FILINGS_TEST_IMPORTING"]).touch()
time.sleep(3)  # an import that takes a while: Ctrl-C comes in the middle of it
"""


def test_ctrl_c_while_the_fork_server_imports_prints_no_traceback(tmp_path):
    """A terminal's Ctrl-C goes to every process of the command, the fork server too, which
    imports filings and WeasyPrint as the command begins: the command alone answers it."""
    script = write(tmp_path / "command.py", CTRL_C)
    write(tmp_path / "slow_import.py", SLOW_IMPORT)
    importing = tmp_path / "importing"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "FILINGS_TEST_IMPORTING": str(importing)}
    process = subprocess.Popen(
        [sys.executable, str(script)],
        cwd=tmp_path,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal gives a command
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None and not importing.exists():
        time.sleep(0.05)
    assert importing.exists(), "the fork server never started importing"
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=120)  # to the end: the server writes there too
    assert stderr == "stopped\n"


CONSOLE_SCRIPT = """
import sys

from filings.cli import main

if __name__ == "__main__":
    sys.exit(main())
"""


def test_workers_run_the_filings_the_command_runs_whatever_folder_it_is_run_in(tmp_path):
    """The installed `filings` command, run in a folder that holds a `filings` package (a copy of
    the project, say): its workers must not import that one."""
    script = write(tmp_path / "bin" / "filings", CONSOLE_SCRIPT)  # as pip installs the command
    folder = tmp_path / "work"
    write(folder / "filings" / "__init__.py", '__version__ = "some other copy"\n')
    roster = write(folder / "roster.csv", HEADER + "\n".join(ROWS) + "\n")
    args = ["render", "stay-motion", "--format", "docx", "--no-check", "--jobs", "1", "--quiet"]
    result = subprocess.run(
        [sys.executable, str(script), *args, "--roster", str(roster), "--out", "out"],
        cwd=folder,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert len(list((folder / "out" / "stay-motion").glob("*.docx"))) == len(ROWS)


BROKEN_SERVER = """
import sys
from pathlib import Path

from filings.build import processes
from filings.build import run as build

if __name__ == "__main__":
    processes.PRELOAD = (*processes.PRELOAD, "broken_import")
    case, roster, out = (Path(a) for a in sys.argv[1:4])
    report = build.build(case, roster, out, ["stay-motion"], ["docx"], jobs=2, check=False)
    print(report.count("rendered"), [o.error for o in report.failed])
"""


def test_where_the_fork_server_dies_as_it_starts_workers_are_spawned(tmp_path):
    """An import the server cannot do (a library WeasyPrint needs, missing) ends it before it
    forks a worker: the run goes on in spawned workers, where each document meets the problem
    and says so, as before there was a fork server."""
    script = write(tmp_path / "command.py", BROKEN_SERVER)
    write(tmp_path / "broken_import.py", "raise OSError(\"cannot load library 'pango-1.0'\")\n")
    roster = write(tmp_path / "roster.csv", HEADER + "\n".join(ROWS) + "\n")
    result = subprocess.run(
        [sys.executable, str(script), str(CASE), str(roster), str(tmp_path / "out")],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
    )
    assert (result.returncode, result.stdout) == (0, "3 []\n")
