"""Write a firm's reference DOCX for tests with python-docx, so no binary file is kept."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.enum.text import WD_LINE_SPACING
from docx.shared import Pt


def write_reference(
    path: Path,
    font: str = "Noto Serif",
    size: float = 12,
    line: float = 26,
    after: float = 6,
    normal_size: float = 12,
) -> Path:
    """A DOCX whose Normal and Body Text styles are in `font`; Body Text at `size` points with
    exact `line` spacing and `after` points below each paragraph (python-docx's own template's
    styles otherwise, with Normal at `normal_size`)."""
    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = font, Pt(normal_size)
    body = document.styles["Body Text"]
    body.font.name, body.font.size = font, Pt(size)
    pf = body.paragraph_format
    pf.line_spacing_rule, pf.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(line)
    pf.space_after = Pt(after)
    document.add_paragraph("The firm's look.", style="Body Text")
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path
