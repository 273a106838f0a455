"""Text of a rendered PDF or DOCX, as a reader (or a search) would get it."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path

import docx
import pypdf
from lxml import etree

# The page footers: English, or a notice's Spanish or French, then English.
FOOTER = re.compile(r"^(?:Página \d+ de \d+ / |Page \d+ sur \d+ / )?Page \d+ of \d+$", re.MULTILINE)


def pdf_pages(path: Path) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(path.read_bytes()))
    return [page.extract_text() for page in reader.pages]


# A public or sealed copy's label atop every page's header (page furniture, as the footer is).
COPY_LABEL = re.compile(r"^\s*(PUBLIC VERSION \(REDACTED\)|FILED UNDER SEAL)\s*$", re.M)


def pdf_body(path: Path) -> str:
    """All pages' text without the page-number footers and a copy's header label."""
    return COPY_LABEL.sub("", FOOTER.sub("", "\n".join(pdf_pages(path))))


def pdftotext(path: Path) -> str:
    """poppler's reading of the PDF, right-to-left text in reading order: a reader that reverses
    a right-to-left line character by character, as pdf.js and PDFium do too. (pypdf reverses
    it glyph by glyph instead, and so reads a ligature such as that of الله backwards.)"""
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def docx_paragraphs(path: Path) -> list[str]:
    """Every paragraph of the body in order, table cells row by row; a list item starts with
    the number Word shows for it (from numbering.xml) and a tab."""
    document = docx.Document(str(path))
    labels = Labels(document)
    out: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, docx.table.Table):
            for row in block.rows:
                for cell in row.cells:
                    out.extend(labels(p) + _text(p) for p in cell.paragraphs)
        else:
            out.append(labels(block) + _text(block))
    return out


def _text(paragraph) -> str:
    """python-docx's text of a paragraph, with a footnote's call as its number (as the PDF)."""
    from docx.oxml.ns import qn

    if paragraph._p.find(f".//{qn('w:footnoteReference')}") is None:
        return paragraph.text
    out = []
    for child in paragraph._p.xpath("w:r | w:hyperlink"):
        if child.tag == qn("w:hyperlink"):
            out.append("".join(docx.text.run.Run(r, paragraph).text for r in child.xpath("w:r")))
            continue
        out.append(docx.text.run.Run(child, paragraph).text)
        out += [ref.get(qn("w:id")) for ref in child.findall(qn("w:footnoteReference"))]
    return "".join(out)


def docx_footnotes(path: Path) -> list[str]:
    """Each footnote's text after its number and a space, as the PDF prints it."""
    from docx.oxml.ns import qn

    with zipfile.ZipFile(path) as z:
        if "word/footnotes.xml" not in z.namelist():
            return []
        root = etree.fromstring(z.read("word/footnotes.xml"))
    notes = []
    for note in root.findall(qn("w:footnote")):
        if note.get(qn("w:type")) is None:
            text = "".join(t.text or "" for t in note.iter(qn("w:t")))
            notes.append(f"{note.get(qn('w:id'))}{text}")
    return notes


def _letters(n: int) -> str:
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _roman(n: int) -> str:
    out = ""
    for value, digits in (
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ):
        while n >= value:
            out, n = out + digits, n - value
    return out


FORMATS = {
    "decimal": str,
    "lowerLetter": _letters,
    "upperLetter": lambda n: _letters(n).upper(),
    "lowerRoman": _roman,
    "upperRoman": lambda n: _roman(n).upper(),
}


class Labels:
    """The numbers Word gives list paragraphs, counted as Word counts them: per list instance
    (`w:num`), a level restarting when a higher one advances, from the instance's start."""

    def __init__(self, document) -> None:
        from docx.oxml.ns import qn

        self.qn = qn
        root = document.part.numbering_part.element
        val = qn("w:val")
        levels = {}
        for abstract in root.findall(qn("w:abstractNum")):
            levels[abstract.get(qn("w:abstractNumId"))] = {
                int(lvl.get(qn("w:ilvl"))): (
                    lvl.find(qn("w:numFmt")).get(val),
                    lvl.find(qn("w:lvlText")).get(val),
                    int(lvl.find(qn("w:start")).get(val)),
                )
                for lvl in abstract.findall(qn("w:lvl"))
            }
        self.nums = {}
        for num in root.findall(qn("w:num")):
            own = dict(levels[num.find(qn("w:abstractNumId")).get(val)])
            for override in num.findall(qn("w:lvlOverride")):
                ilvl = int(override.get(qn("w:ilvl")))
                start = override.find(qn("w:startOverride"))
                if start is not None:
                    fmt, text, _ = own[ilvl]
                    own[ilvl] = (fmt, text, int(start.get(val)))
            self.nums[num.get(qn("w:numId"))] = own
        self.counts: dict[str, dict[int, int]] = {}

    def __call__(self, paragraph) -> str:
        qn = self.qn
        num_pr = paragraph._p.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
        if num_pr is None:
            return ""
        num_id = num_pr.find(qn("w:numId")).get(qn("w:val"))
        ilvl = int(num_pr.find(qn("w:ilvl")).get(qn("w:val")))
        levels, counts = self.nums[num_id], self.counts.setdefault(num_id, {})
        counts[ilvl] = counts.get(ilvl, levels[ilvl][2] - 1) + 1
        for deeper in [k for k in counts if k > ilvl]:
            del counts[deeper]
        label = levels[ilvl][1]
        for level in range(ilvl + 1):
            fmt, _, start = levels[level]
            shown = "" if fmt == "bullet" else FORMATS[fmt](counts.get(level, start))
            label = label.replace(f"%{level + 1}", shown)
        return label + "\t"


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
