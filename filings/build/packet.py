"""One printable PDF per per-detainee template and copy: every document in roster order, a
bookmark for each person, page labels restarting with each document (as each document's own
footer does). A public copies' packet is labelled by masked A-numbers and searched for every
removed value like each public copy (`filings.check.leaks`); a sealed copies' packet goes in
`packets/sealed/`."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from pypdf import PdfReader, PdfWriter

from filings.build.files import OutputError, read_bytes, write_atomic
from filings.build.model import Outcome, Report
from filings.check.leaks import court_text, public_leaks
from filings.errors import FilingsError
from filings.inputs.normalize import format_a_number
from filings.inputs.records import Case
from filings.inputs.redaction import Policy, mask_a_number
from filings.templating.templates import COPIES, Template

PACKETS = "packets"


def write_packets(
    out: Path, report: Report, templates: Sequence[Template], case: Case | None = None
) -> list[Path]:
    """Write OUT/packets/<template>.pdf for each per-detainee template (`<template>-public.pdf`
    and `sealed/<template>.pdf` for its copies); return their paths."""
    written = []
    for template in (t for t in templates if t.kind == "per-detainee"):
        for copy in (None, *COPIES):
            outcomes = [
                o
                for o in report.outcomes
                if o.job.template.name == template.name
                and o.job.copy == copy
                and "pdf" in o.outputs
            ]
            if outcomes:
                written.append(_packet(out, template, copy, outcomes, case))
    return written


def _packet(
    out: Path, template: Template, copy: str | None, outcomes: list[Outcome], case: Case | None
) -> Path:
    writer = PdfWriter()
    for outcome in outcomes:
        person = outcome.job.detainee
        shown = person.a_number_display
        if copy == "public":
            shown = format_a_number(mask_a_number(person.a_number))
        start = len(writer.pages)
        writer.append(PdfReader(io.BytesIO(_document(out, outcome))), import_outline=False)
        writer.add_outline_item(title=f"{person.full_name} ({shown})", page_number=start)
        writer.set_page_label(start, len(writer.pages) - 1, style="/D", start=1)
    writer.add_metadata({"/Title": f"{template.title}: packet", "/Producer": "filings"})
    buffer = io.BytesIO()
    writer.write(buffer)
    name = {None: template.name, "public": f"{template.name}-public"}.get(copy)
    path = out / PACKETS / (f"sealed/{template.name}.pdf" if copy == "sealed" else f"{name}.pdf")
    if copy == "public":
        _refuse_leaks(buffer.getvalue(), path.name, outcomes, case)
    write_atomic(path, buffer.getvalue(), out)
    return path


def _refuse_leaks(data: bytes, name: str, outcomes: list[Outcome], case: Case | None) -> None:
    """The public packet is searched for every person's removed values, as each copy was."""
    policy = (case.redaction if case else None) or Policy()
    court = court_text(case) if case else ""
    people = [o.job.detainee for o in outcomes]
    if found := public_leaks("pdf", data, name, people, policy, court):
        raise FilingsError(f"{PACKETS}/{name}: not written: {found}")


def _document(out: Path, outcome: Outcome) -> bytes:
    """A document's PDF as written this run or checked unchanged: read only inside OUT."""
    data = read_bytes(out / outcome.outputs["pdf"]["path"], out)
    if data is None:
        raise OutputError(
            f"{out / outcome.outputs['pdf']['path']}: not a file in {out}; run again to render it"
        )
    return data
