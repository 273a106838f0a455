"""One document's cost, in one process: our PDF stage against the naive loop's, on the same HTML.

    .venv/bin/python benchmarks/bench_document.py --documents 12 [--roster fixtures/roster.csv]

Renders the stay motion's HTML for the first fixture rows it is for, then converts each to a PDF
twice, alternating, after one warm-up: through `convert("pdf", …)` with the laid-out pages
recorded for the check (what a `filings render` worker does for a document), and through
`weasyprint.HTML(string=…).write_pdf(stylesheets=[CSS(string=…)])` with the court format's
stylesheet (what the naive loop of bench_render.py does for each document). It prints the
seconds a document for each and their ratio. README, "Performance", quotes it: this is what two
workers on two cores have over the naive loop once a run's fixed cost is spread out.
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
from filings.outputs.pdf.css import stylesheet
from filings.templating.render import RosterSummary, render_html
from filings.templating.templates import discover, make_environment

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=12)
    parser.add_argument("--roster", type=Path, default=ROOT / "fixtures/roster.csv")
    args = parser.parse_args()
    case, people = load_inputs(ROOT / "fixtures/case.yaml", args.roster)
    template = discover()["stay-motion"]
    chosen = [d for d in people if not template.applies_to.reasons(d, case)][: args.documents]
    env, roster = make_environment(), RosterSummary(people)
    pages = [render_html(env, template, case, d, roster) for d in chosen]
    fmt = load_format(case.court["format"])
    meta = Meta(where="bench", title="t", author="a", date=dt.date(2025, 11, 14), layout=True)
    css = stylesheet(fmt)

    def naive(html: str) -> None:
        weasyprint.HTML(string=html).write_pdf(stylesheets=[weasyprint.CSS(string=css)])

    ours, plain = 0.0, 0.0
    convert("pdf", pages[0], fmt, meta)
    naive(pages[0])
    for html in pages:
        start = time.perf_counter()
        convert("pdf", html, fmt, meta)
        middle = time.perf_counter()
        naive(html)
        ours, plain = ours + middle - start, plain + time.perf_counter() - middle
    n = len(pages)
    print(f"{n} stay motions, one process")
    print(f"our PDF stage (convert, layout recorded)   {ours / n:.3f} s a document")
    print(f"the naive loop's, on the same HTML         {plain / n:.3f} s a document")
    print(f"ours / naive = {ours / plain:.2f}")


if __name__ == "__main__":
    main()
