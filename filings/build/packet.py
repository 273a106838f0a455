"""One printable PDF per per-detainee template: every document in roster order, a bookmark for
each person, page labels restarting with each document (as each document's own footer does)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from pypdf import PdfReader, PdfWriter

from filings.build.files import OutputError, read_bytes, write_atomic
from filings.build.model import Outcome, Report
from filings.templating.templates import Template

PACKETS = "packets"


def write_packets(out: Path, report: Report, templates: Sequence[Template]) -> list[Path]:
    """Write OUT/packets/<template>.pdf for each per-detainee template; return their paths."""
    written = []
    for template in (t for t in templates if t.kind == "per-detainee"):
        outcomes = [
            o
            for o in report.outcomes
            if o.job.template.name == template.name and "pdf" in o.outputs
        ]
        if not outcomes:
            continue
        writer = PdfWriter()
        for outcome in outcomes:
            person = outcome.job.detainee
            start = len(writer.pages)
            writer.append(PdfReader(io.BytesIO(_document(out, outcome))), import_outline=False)
            writer.add_outline_item(
                title=f"{person.full_name} ({person.a_number_display})", page_number=start
            )
            writer.set_page_label(start, len(writer.pages) - 1, style="/D", start=1)
        writer.add_metadata({"/Title": f"{template.title}: packet", "/Producer": "filings"})
        buffer = io.BytesIO()
        writer.write(buffer)
        path = out / PACKETS / f"{template.name}.pdf"
        write_atomic(path, buffer.getvalue(), out)
        written.append(path)
    return written


def _document(out: Path, outcome: Outcome) -> bytes:
    """A document's PDF as written this run or checked unchanged: read only inside OUT."""
    data = read_bytes(out / outcome.outputs["pdf"]["path"], out)
    if data is None:
        raise OutputError(
            f"{out / outcome.outputs['pdf']['path']}: not a file in {out}; run again to render it"
        )
    return data
