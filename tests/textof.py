"""Text of a rendered PDF or DOCX, as a reader (or a search) would get it."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import pypdf

FOOTER = re.compile(r"^Page \d+ of \d+$", re.MULTILINE)


def pdf_pages(path: Path) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(path.read_bytes()))
    return [page.extract_text() for page in reader.pages]


def pdf_body(path: Path) -> str:
    """All pages' text without the page-number footers."""
    return FOOTER.sub("", "\n".join(pdf_pages(path)))


def docx_paragraphs(path: Path) -> list[str]:
    """Every paragraph of the body in order, table cells row by row."""
    document = docx.Document(str(path))
    out: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, docx.table.Table):
            for row in block.rows:
                for cell in row.cells:
                    out.extend(p.text for p in cell.paragraphs)
        else:
            out.append(block.text)
    return out


def squeeze(text: str) -> str:
    """The characters in order, without the white space that line breaking moves around."""
    return re.sub(r"\s+", "", text)
