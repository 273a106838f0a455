"""Text of a rendered PDF or DOCX, as a reader (or a search) would get it."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import docx
import pypdf

# The page footers: English, or a notice's Spanish or French, then English.
FOOTER = re.compile(r"^(?:Página \d+ de \d+ / |Page \d+ sur \d+ / )?Page \d+ of \d+$", re.MULTILINE)


def pdf_pages(path: Path) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(path.read_bytes()))
    return [page.extract_text() for page in reader.pages]


def pdf_body(path: Path) -> str:
    """All pages' text without the page-number footers."""
    return FOOTER.sub("", "\n".join(pdf_pages(path)))


def pdftotext(path: Path) -> str:
    """poppler's reading of the PDF, right-to-left text in reading order: a reader that reverses
    a right-to-left line character by character, as pdf.js and PDFium do too. (pypdf reverses
    it glyph by glyph instead, and so reads a ligature such as that of الله backwards.)"""
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                          check=True, text=True).stdout  # fmt: skip


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


def docx_footer(path: Path) -> str:
    """The first footer paragraph as Word keeps it: a field (PAGE, NUMPAGES) by its name, not
    by the number last shown for it."""
    from docx.oxml.ns import qn

    paragraph = docx.Document(str(path)).sections[0].footer.paragraphs[0]
    out, shown = [], True
    for el in paragraph._p.iter(qn("w:t"), qn("w:instrText"), qn("w:fldChar")):
        if el.tag == qn("w:fldChar"):
            shown = el.get(qn("w:fldCharType")) == "end"
        elif el.tag == qn("w:instrText"):
            out.append(el.text.split()[0])
        elif shown:
            out.append(el.text)
    return "".join(out)
