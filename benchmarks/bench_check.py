"""The layout check against the read-back check, on every fixture document, clean and with faults.

    .venv/bin/python benchmarks/bench_check.py

Renders every template for every fixture row it renders for (and the per-roster ones once) in its
court format, and again for the first row with the format's layout broken (body type 1 pt small,
footnotes 2 pt small, margins half an inch narrow; the rules kept), then measures each PDF both
ways: as laid out (`check_layout`) and read back from the written file (`check_pdf`). It prints
how many documents each found something in that the other did not, how many got the very same
findings, and what each check cost a document. README, "Performance", quotes it.
"""

from __future__ import annotations

import dataclasses
import tempfile
import time
from pathlib import Path

from filings.build.plan import format_name, load_inputs
from filings.check import Expected, check_layout, check_pdf
from filings.outputs.convert import Meta, convert
from filings.outputs.formats import load_format
from filings.templating.render import RosterSummary, render_html
from filings.templating.templates import discover, make_environment

ROOT = Path(__file__).resolve().parent.parent


def broken(fmt):
    """The format as it is, then with each part of its layout broken."""
    yield "as is", fmt
    styles = fmt.styles
    smaller = dataclasses.replace(styles["body"], size=styles["body"].size - 1)
    yield "small body", dataclasses.replace(fmt, styles={**styles, "body": smaller})
    if "footnote" in styles:
        note = dataclasses.replace(styles["footnote"], size=styles["footnote"].size - 2)
        yield "small footnotes", dataclasses.replace(fmt, styles={**styles, "footnote": note})
    top, right, bottom, left = fmt.margins
    narrow = (top - 18, right - 18, bottom - 18, left - 36)
    yield "narrow margins", dataclasses.replace(fmt, margins=narrow)


def main() -> None:
    case, people = load_inputs(ROOT / "fixtures" / "case.yaml", ROOT / "fixtures" / "roster.csv")
    env, summary = make_environment(), RosterSummary(people)
    count = dict(documents=0, same=0, only_file=0, only_layout=0, both=0)
    spent = dict(layout=0.0, file=0.0)
    with tempfile.TemporaryDirectory() as tmp:
        for name, template in sorted(discover().items()):
            court = load_format(format_name(template, case))
            persons = people if template.kind == "per-detainee" else [None]
            for i, person in enumerate(persons):
                try:
                    html = render_html(env, template, case, person, summary)
                except Exception:  # noqa: BLE001 - a row the template is not for
                    continue
                for fault, fmt in broken(court) if i == 0 else [("as is", court)]:
                    meta = Meta(where=name, date=case.filing_date, layout=True)
                    rendered = convert("pdf", html, fmt, meta)
                    path = Path(tmp) / f"{name}-{i}-{fault}.pdf"
                    path.write_bytes(rendered[0])
                    expect = (
                        Expected(person.a_number, person.custody_status == "detained")
                        if (person)
                        else None
                    )
                    leave = case.page_limit_leave
                    start = time.perf_counter()
                    laid = check_layout(
                        rendered.layout, path.name, court, leave_to_exceed=leave, expect=expect
                    )
                    middle = time.perf_counter()
                    read = check_pdf(path, court, leave_to_exceed=leave, expect=expect)
                    spent["layout"] += middle - start
                    spent["file"] += time.perf_counter() - middle
                    count["documents"] += 1
                    count["same"] += [str(f) for f in laid] == [str(f) for f in read]
                    count["only_file"] += bool(read) and not laid
                    count["only_layout"] += bool(laid) and not read
                    count["both"] += bool(laid) and bool(read)
                    if {f.rule for f in laid} != {f.rule for f in read}:
                        print(f"{path.name}: rules differ: layout {laid}, file {read}")
    n = count["documents"]
    print(
        f"{n} documents: {count['same']} with the very same findings both ways; "
        f"{count['both']} with findings both ways, {count['only_file']} only in the file, "
        f"{count['only_layout']} only in the layout"
    )
    print(
        f"a document's check: layout {spent['layout'] / n * 1000:.1f} ms, "
        f"read back {spent['file'] / n * 1000:.1f} ms"
    )


if __name__ == "__main__":
    main()
