"""Peak resident memory of the largest filings process while a big roster renders.

    .venv/bin/python benchmarks/bench_memory.py [--people 10000] [--check]

Writes N fictional detainees, renders one per-detainee template for all of them (PDF), and
prints the time taken and the peak resident memory of the largest single process (the command
or one of its workers), which the issue wants under 400 MB.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_render import CASE, make_roster  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10000)
    parser.add_argument("--template", default="stay-motion")
    parser.add_argument("--check", action="store_true", help="keep the format check on")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        roster = Path(tmp) / "roster.csv"
        make_roster(roster, args.people)
        command = [
            sys.executable,
            "-m",
            "filings",
            "render",
            args.template,
            "--case",
            str(CASE),
            "--roster",
            str(roster),
            "--out",
            str(Path(tmp) / "out"),
            "--format",
            "pdf",
            "--quiet",
            *([] if args.check else ["--no-check"]),
        ]
        start = time.perf_counter()
        subprocess.run(command, check=True)
        seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"{args.people} x {args.template} (PDF{', checked' if args.check else ''}): "
        f"{seconds:.0f} s, {args.people / seconds:.1f} docs/s"
    )
    print(f"peak resident memory of the largest process: {peak:.0f} MiB")


if __name__ == "__main__":
    main()
