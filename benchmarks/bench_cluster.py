"""Throughput on a Dask cluster against the local pool, measured in one run on the same documents.

    .venv/bin/pip install -e ".[dask]"
    .venv/bin/python benchmarks/bench_cluster.py [--people 60] [--template stay-motion]

It writes N fictional detainees to a temporary roster, then times, for PDF documents (each checked
against its court format):
  (a) filings render --jobs 2 (this machine's pool of 2 workers)
  (b) filings render --scheduler ADDRESS, on a LocalCluster of 2 single-threaded worker processes
      on 127.0.0.1 (started beforehand; its start-up is not timed, as a real cluster is running)
and prints documents per second and (b)/(a). On one machine (b) pays for sending the bytes back
to the client; the cluster's point is that it scales past one machine's cores.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_render import make_roster, pdf_pages, timed_cli  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=60)
    parser.add_argument("--template", default="stay-motion")
    args = parser.parse_args()
    from distributed import LocalCluster

    with tempfile.TemporaryDirectory() as scratch:
        roster = Path(scratch) / "roster.csv"
        make_roster(roster, args.people)
        common = [args.template, "--roster", str(roster), "--format", "pdf"]
        local = timed_cli([*common, "--out", f"{scratch}/local", "--jobs", "2"])
        with LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster:
            timed_cli(
                [*common, "--out", f"{scratch}/warm", "--scheduler", cluster.scheduler_address]
            )  # warm the workers' set-up
            remote = timed_cli(
                [*common, "--out", f"{scratch}/remote", "--scheduler", cluster.scheduler_address]
            )
        (n, pages), (m, _) = pdf_pages(Path(scratch, "local")), pdf_pages(Path(scratch, "remote"))
    print(f"{args.people} people x {args.template}: {n} documents of {pages} pages written locally")
    print(f"(a) local pool, --jobs 2:        {n / local:6.2f} docs/s {pages / local:6.1f} pages/s")
    print(f"(b) LocalCluster, 2 workers:     {m / remote:6.2f} docs/s")
    print(f"(b)/(a) = {(m / remote) / (n / local):.2f}  (files written a second)")


if __name__ == "__main__":
    main()
