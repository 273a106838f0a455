"""One document's cost, in one process: our PDF stage against plain WeasyPrint on the same HTML.

    .venv/bin/python benchmarks/bench_document.py --documents 12

Renders the stay motion's HTML for the first fixture rows it is for, then converts each to a PDF
twice, alternating, after one warm-up: through `convert("pdf", …)` with the laid-out pages
recorded for the check (what a `filings render` worker does for a document), and through
`weasyprint.HTML(string=…).write_pdf()` (what the naive loop of bench_render.py does). Both write
the same pages. It prints the seconds a document for each and their ratio. README, "Performance",
quotes it: when our stage costs what WeasyPrint costs, two workers on two cores cannot make more
than twice what a one-process loop makes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from pathlib import Path

import weasyprint

from filings.build.plan import load_inputs
from filings.outputs.convert import Meta, convert
from filings.outputs.formats import load_format
from filings.templating.render import RosterSummary, render_html
from filings.templating.templates import discover, make_environment

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=12)
    args = parser.parse_args()
    case, people = load_inputs(ROOT / "fixtures/case.yaml", ROOT / "fixtures/roster.csv")
    template = discover()["stay-motion"]
    chosen = [d for d in people if not template.applies_to.reasons(d, case)][: args.documents]
    env, roster = make_environment(), RosterSummary(people)
    pages = [render_html(env, template, case, d, roster) for d in chosen]
    fmt = load_format(case.court["format"])
    meta = Meta(where="bench", title="t", author="a", date=dt.date(2025, 11, 14), layout=True)
    ours, plain = 0.0, 0.0
    convert("pdf", pages[0], fmt, meta)
    weasyprint.HTML(string=pages[0]).write_pdf()
    for html in pages:
        start = time.perf_counter()
        convert("pdf", html, fmt, meta)
        middle = time.perf_counter()
        weasyprint.HTML(string=html).write_pdf()
        ours, plain = ours + middle - start, plain + time.perf_counter() - middle
    n = len(pages)
    print(f"{n} stay motions, one process")
    print(f"our PDF stage (convert, layout recorded)   {ours / n:.3f} s a document")
    print(f"plain WeasyPrint on the same HTML          {plain / n:.3f} s a document")
    print(f"ours / plain = {ours / plain:.2f}")


if __name__ == "__main__":
    main()
