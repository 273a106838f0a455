"""Where documents render: the one small interface between the build and an engine.

The build plans the jobs, hands them to an executor, and records each outcome as it comes; it
never knows whether the documents rendered in this machine's worker processes (`LocalPool`) or on
a Dask cluster (`filings.build.cluster`). Another engine (Ray, a queue) is one more class with the
same three methods. Whatever the engine, this process is the only one that writes into OUT.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Protocol

from filings.build.model import Job, Outcome
from filings.build.pool import run_jobs
from filings.build.workers import Worker


class Executor(Protocol):
    def start(self, worker: Worker) -> None:
        """Get ready to render with this set-up; refuse (raise) before any document renders."""

    def run(self, jobs: list[Job]) -> Iterator[Outcome]:
        """Render the jobs; yield each document's outcome, its files written into OUT, as it
        finishes. Closing the iterator stops whatever is still rendering."""

    def close(self) -> None:
        """Let go of every process and connection the executor holds."""


@dataclass
class LocalPool:
    """This machine's watched worker processes (filings.build.pool)."""

    n_jobs: int
    run_jobs: Callable[[list[Job], Worker, int], Iterator[Outcome]] = run_jobs
    worker: Worker | None = None

    def start(self, worker: Worker) -> None:
        self.worker = worker

    def run(self, jobs: list[Job]) -> Iterator[Outcome]:
        return self.run_jobs(jobs, self.worker, self.n_jobs)

    def close(self) -> None:
        pass


def make_executor(n_jobs: int, scheduler: str | None = None, pool: Callable = run_jobs) -> Executor:
    """The local pool, or the Dask cluster whose scheduler is at this address."""
    if scheduler:
        from filings.build.cluster import DaskCluster  # imports distributed only when asked

        return DaskCluster(scheduler)
    return LocalPool(n_jobs, pool)
