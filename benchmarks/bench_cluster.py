"""Throughput on a Dask cluster against the local pool, measured in one run on the same documents.

    .venv/bin/pip install -e ".[dask]"
    .venv/bin/python benchmarks/bench_cluster.py [--people 60] [--template stay-motion]
        [--scheduler tcp://HOST:8786]

It writes N fictional detainees to a temporary roster, then times, for PDF documents (each checked
against its court format):
  (a) filings render (this machine's pool: one worker a core)
  (b) filings render --scheduler ADDRESS, on a LocalCluster of 2 single-threaded worker processes
      on 127.0.0.1 (started beforehand; its start-up is not timed, as a real cluster is running)
and prints documents per second and (b)/(a). On one machine (b) pays for sending the bytes back
to the client; the cluster's point is that it scales past one machine's cores. With --scheduler,
(b) runs on that cluster instead (a real one, its workers started as the README says), and (a)
on this machine's cores.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_render import make_roster, pdf_pages, timed_cli  # noqa: E402


@contextmanager
def _cluster(scheduler: str | None) -> Iterator[str]:
    """The scheduler's address: the one given, or a LocalCluster of 2 single-threaded worker
    processes on 127.0.0.1, started now (its start-up is not timed, as a real cluster runs)."""
    if scheduler:
        yield scheduler
        return
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        yield cluster.scheduler_address


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=60)
    parser.add_argument("--template", default="stay-motion")
    parser.add_argument("--scheduler", help="a running cluster's scheduler, instead of a local one")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        roster = Path(scratch) / "roster.csv"
        make_roster(roster, args.people)
        common = [args.template, "--roster", str(roster), "--format", "pdf"]
        local = timed_cli([*common, "--out", f"{scratch}/local"])
        with _cluster(args.scheduler) as address:
            timed_cli([*common, "--out", f"{scratch}/warm", "--scheduler", address])  # set-up
            remote = timed_cli([*common, "--out", f"{scratch}/remote", "--scheduler", address])
        (n, pages), (m, _) = pdf_pages(Path(scratch, "local")), pdf_pages(Path(scratch, "remote"))
    print(f"{args.people} people x {args.template}: {n} documents of {pages} pages written locally")
    where = args.scheduler or "LocalCluster, 2 workers"
    print(f"(a) local pool, a worker a core: {n / local:6.2f} docs/s {pages / local:.1f} pages/s")
    print(f"(b) {where}: {m / remote:6.2f} docs/s")
    print(f"(b)/(a) = {(m / remote) / (n / local):.2f}  (files written a second)")


if __name__ == "__main__":
    main()
