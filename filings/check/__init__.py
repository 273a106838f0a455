"""Measure an output against its court format's rules: `check_pdf`, `check_docx`, `check_files`.

Each problem found (a `filings.problems.Problem`) names the file, the page (PDF) or paragraph and
style (DOCX), the measured value and the rule with its source:

    motion.pdf: page 3: body text 11.0 pt; ndil needs at least 12 pt (LR 5.2(c))

The core never prints or exits; the CLI decides what a finding means for the exit status.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from filings.check import docx, docx_reader, layout, pdf
from filings.check.findings import Expected, Unreadable, finding, short, unreadable
from filings.check.reference import Reference, measure_reference, read_reference
from filings.errors import FilingsError
from filings.inputs.limits import DEFAULT as DEFAULT_LIMITS
from filings.inputs.limits import Limits
from filings.outputs.formats import CourtFormat, load_format
from filings.problems import Problem


def check_pdf(
    path: Path | str,
    fmt: CourtFormat,
    *,
    leave_to_exceed: bool = False,
    expect: Expected | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> list[Problem]:
    """Every rule of the format the PDF breaks, measured on its pages. A PDF that cannot be
    read (broken, encrypted, a stream over `limits.pdf_stream_mb`) raises Unreadable."""
    expect = expect or Expected()
    return pdf.measure(
        Path(path), fmt, leave_to_exceed=leave_to_exceed, expect=expect, limits=limits
    )


def check_layout(
    laid_out,
    name: str,
    fmt: CourtFormat,
    *,
    leave_to_exceed: bool = False,
    expect: Expected | None = None,
) -> list[Problem]:
    """Every rule of the format a PDF's laid-out pages break (`convert` with `Meta(layout=True)`
    gives them, as `.layout`), in the words `check_pdf` uses for the written file named `name`.
    What only the file shows (fonts embedded, text that reads back) is `check_pdf`'s alone."""
    expect = expect or Expected()
    return layout.measure(laid_out, name, fmt, leave_to_exceed=leave_to_exceed, expect=expect)


def check_docx(
    path: Path | str,
    fmt: CourtFormat,
    *,
    leave_to_exceed: bool = False,
    expect: Expected | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> list[Problem]:
    """Every rule of the format the DOCX breaks, read from its XML (a DOCX has no pages yet, so
    the page limit and what depends on layout are left to its PDF). A DOCX that cannot be read
    (not a zip, broken XML, over `limits.unzipped_mb`) raises Unreadable."""
    return docx.measure(Path(path), fmt, expect=expect or Expected(), limits=limits)


def check_files(
    paths: Iterable[Path | str],
    format_name: str | None = None,
    *,
    search: Sequence[Path] = (),
    leave_to_exceed: bool = False,
    expect: Expected | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> dict[Path, list[Problem]]:
    """Check each PDF or DOCX; the format is `format_name`, or else the one the file records.

    What an eoir document must show (A-number, custody) comes from `expect`, or else from the
    fields the file records. A file that cannot be checked at all gets one finding saying why.
    """
    results: dict[Path, list[Problem]] = {}
    for path in map(Path, paths):
        try:
            results[path] = _check_one(path, format_name, search, leave_to_exceed, expect, limits)
        except Unreadable as exc:
            results[path] = [exc.finding]
        except FilingsError as exc:
            results[path] = [
                finding(path.name, "format", "", exc.message, "name one with --format")
            ]
        except Exception as exc:  # a file no reader can open: a finding, not a crash
            kind = path.suffix.lstrip(".").upper()
            results[path] = [unreadable(path.name, kind, short(exc)).finding]
    return results


def _check_one(path, format_name, search, leave_to_exceed, expect, limits) -> list[Problem]:
    kind = path.suffix.lower()
    if kind not in (".pdf", ".docx"):
        return [
            finding(
                path.name,
                "readable",
                "",
                f"a {kind or 'nameless'} file",
                "filings check reads .pdf and .docx files",
            )
        ]
    recorded, fields = recorded_format(path, limits)
    name = format_name or recorded
    if not name:
        raise FilingsError("no court format recorded in the file")
    fmt = load_format(name, search)
    expect = expect or expected_from(fields)
    check = check_pdf if kind == ".pdf" else check_docx
    return check(path, fmt, leave_to_exceed=leave_to_exceed, expect=expect, limits=limits)


def recorded_format(
    path: Path,
    limits: Limits = DEFAULT_LIMITS,
) -> tuple[str | None, dict | None]:
    """The format name and document fields `filings render` stored in the file, if any."""
    reader = pdf.info if path.suffix.lower() == ".pdf" else docx_reader.properties
    values = reader(path, limits)
    fields = values.get("FilingsFields")
    try:
        fields = json.loads(fields) if fields else None
    except ValueError:
        fields = None
    return values.get("FilingsFormat"), fields


def expected_from(fields: dict | None) -> Expected:
    if not fields:
        return Expected()
    return Expected(a_number=fields.get("a_number"), detained=fields.get("custody") == "DETAINED")


__all__ = [
    "Expected",
    "Unreadable",
    "Reference",
    "check_docx",
    "check_files",
    "check_layout",
    "check_pdf",
    "measure_reference",
    "read_reference",
    "recorded_format",
]
