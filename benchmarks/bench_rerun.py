"""How long a re-run takes when nothing changed, and when one person's row changed.

    .venv/bin/python benchmarks/bench_rerun.py [--people 600]

Renders two per-detainee templates for N fictional people (2N documents, PDF only, so the set-up
run is quicker), then times `filings render` again with nothing changed, and again after one
row changed (which re-renders that person's two documents).
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_render import CASE, make_roster  # noqa: E402


def render(roster: Path, out: Path, *extra: str) -> float:
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "filings",
            "render",
            "stay-motion",
            "release-notice",
            "--case",
            str(CASE),
            "--roster",
            str(roster),
            "--out",
            str(out),
            "--format",
            "pdf",
            "--quiet",
            *extra,
        ],
        check=True,
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=600)
    n = parser.parse_args().people
    with tempfile.TemporaryDirectory() as tmp:
        roster, out = Path(tmp) / "roster.csv", Path(tmp) / "out"
        make_roster(roster, n)
        first = render(roster, out)
        unchanged = render(roster, out)
        rows = list(csv.reader(roster.open(encoding="utf-8")))
        rows[1][2] = rows[1][2] + " Changed"
        with roster.open("w", newline="", encoding="utf-8") as stream:
            csv.writer(stream).writerows(rows)
        one_changed = render(roster, out)
    print(f"{2 * n} documents (stay-motion + release-notice, PDF)")
    print(f"first run                 {first:7.2f} s")
    print(f"re-run, nothing changed   {unchanged:7.2f} s")
    print(f"re-run, one row changed   {one_changed:7.2f} s")


if __name__ == "__main__":
    main()
