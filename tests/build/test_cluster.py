"""Rendering on a Dask cluster: a real local cluster of two worker processes, on localhost only.

The cluster's documents are byte for byte the local pool's; a worker that dies mid-run loses only
its document in hand, which another worker renders; a worker unlike this computer is refused."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CASE, write

from filings import __version__
from filings.build import run as build
from filings.cli import main
from filings.inputs.limits import Limits

pytestmark = pytest.mark.slow  # worker processes, a cluster or a browser: seconds each

distributed = pytest.importorskip("distributed")
cloudpickle = pytest.importorskip("cloudpickle")
dask = pytest.importorskip("dask")

ROSTER = (
    "a_number,family_name,given_name,custody_status,preferred_language,removal_date,"
    "arrest_type\n"
    "A012345671,Peña,José,detained,es,2025-12-01,warrantless\n"
    "A012345672,Ruiz,Ana,detained,en,,warrantless\n"
    "A012345673,Nguyễn,Thị Hương,detained,vi,,warrantless\n"
)
DOOMED = "A012345672"


@pytest.fixture(scope="module")
def cluster():
    # The functions this module sends to the workers travel by value: workers cannot import tests.
    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=":0"
    ) as cluster:
        with distributed.Client(cluster, set_as_default=False) as client:
            yield cluster.scheduler_address, client


def roster(tmp_path: Path) -> Path:
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER, encoding="utf-8")
    return path


def render(tmp_path: Path, out: str, **kwargs):
    return build.build(
        CASE, roster(tmp_path), tmp_path / out, ["stay-motion"], ["pdf", "docx"], **kwargs
    )


def files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.suffix in (".pdf", ".docx")
    }


def test_the_cluster_writes_what_the_local_pool_writes_byte_for_byte(tmp_path, cluster):
    address, _ = cluster
    local = render(tmp_path, "local", jobs=2)
    remote = render(tmp_path, "remote", scheduler=address)
    assert [o.error for o in remote.failed] == []
    assert remote.summary() == local.summary()
    assert [o.outputs for o in remote.outcomes] == [o.outputs for o in local.outcomes]
    made = files(tmp_path / "remote")
    assert len(made) == 6
    assert made == files(tmp_path / "local")
    again = render(tmp_path, "remote", scheduler=address)  # nothing changed: nothing rendered
    assert (again.count("unchanged"), again.count("rendered")) == (3, 0)


def _die_once_on_the_doomed_row(marker: str) -> None:
    """On a worker: the first render of DOOMED's document kills its whole worker process."""
    from filings.build import cluster

    real = cluster.render_job

    def rigged(job, worker):
        if job.detainee.a_number == DOOMED and not os.path.exists(marker):
            open(marker, "w").close()
            os._exit(1)
        return real(job, worker)

    cluster.render_job = rigged


def test_a_worker_that_dies_mid_run_loses_nothing(tmp_path, cluster):
    address, client = cluster
    marker = tmp_path / "died"
    client.run(_die_once_on_the_doomed_row, str(marker))
    report = render(tmp_path, "out", scheduler=address, force=True)
    assert marker.exists()  # a worker did die with DOOMED's document in hand
    assert report.count("rendered") == 3, [o.error for o in report.failed]
    assert len(files(tmp_path / "out")) == 6
    client.wait_for_workers(2)


def _claim_version(version: str) -> None:
    import filings

    filings.__version__ = version


def test_a_worker_with_another_filings_version_is_refused(tmp_path, cluster):
    address, client = cluster
    client.run(_claim_version, "0.0.0-other")
    try:
        args = [
            "render",
            "stay-motion",
            "--case",
            str(CASE),
            "--roster",
            str(roster(tmp_path)),
            "--out",
            str(tmp_path / "out"),
            "--scheduler",
            address,
        ]
        result = CliRunner().invoke(main, args)
    finally:
        client.run(_claim_version, __version__)
    assert result.exit_code == 1, result.output
    line = result.output.strip().splitlines()[-1]
    assert line.startswith("Error: the Dask worker at tcp://127.0.0.1:")
    assert line.endswith(
        f" does not match this computer (filings 0.0.0-other there, "
        f"{__version__} here); install the same filings ({__version__}) and "
        "fonts there (scripts/setup)"
    )
    assert not (tmp_path / "out" / "stay-motion").exists() or not files(tmp_path / "out")


# Ten billion turns of pure template code: no sandbox limit stops it, only render_seconds does.
SPIN = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"


def test_a_document_past_render_seconds_ends_its_worker_and_fails_alone(tmp_path):
    templates = tmp_path / "templates"
    write(
        templates / "spin" / "template.yaml",
        "title: Spin\ndescription: spins\nkind: per-detainee\nformat: notice\n"
        "main: spin.html.j2\noutput: '{a_number}-spin'\n",
    )
    write(
        templates / "spin" / "spin.html.j2",
        '{% extends "_shared/base.html.j2" %}{% block body %}<p>{{ detainee.family_name }}</p>'
        f"{{% if detainee.a_number == '{DOOMED}' %}}{SPIN}{{% endif %}}{{% endblock %}}",
    )
    # A worker that dies once is enough for the scheduler to give the document up (the default
    # tries it on four), so the test takes seconds, not minutes.
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
        with distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=":0",
        ) as local:
            report = build.build(
                CASE,
                roster(tmp_path),
                tmp_path / "out",
                ["spin"],
                ["docx"],
                templates_dirs=[templates],
                check=False,
                scheduler=local.scheduler_address,
                limits=Limits(render_seconds=2),
            )
    assert report.count("rendered") == 2
    [error] = [o.error for o in report.failed]
    assert error.startswith(
        "spin for roster.csv:3: not rendered: lost on the cluster (KilledWorker"
    )
    assert error.endswith(
        "each worker rendering it ended before it was done: taking longer than 2 s (limit "
        "render_seconds), running out of memory or crashing ends one"
    )
    assert sorted(p.name for p in (tmp_path / "out" / "spin").glob("*.docx")) == [
        "A012345671-spin.docx",
        "A012345673-spin.docx",
    ]
