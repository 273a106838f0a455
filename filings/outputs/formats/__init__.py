"""Court formats as data: one file per court styles the PDF and the DOCX and guides the checker.

A format file says how our documents are laid out (page, fonts, one style per role of the template
vocabulary, header, footer, first-page labels, caption, line numbers) and, under `rules`, what the
court requires of a filing, each rule with its source. `filings.check` measures outputs against the
rules; the layout is ours to choose within them. See the built-in files beside this one.
"""

from __future__ import annotations

from filings.errors import FilingsError, FormatError
from filings.outputs.formats.model import (
    BANDS,
    SLOTS,
    Band,
    Caption,
    CourtFormat,
    Font,
    LineNumbers,
    Rule,
    Rules,
    Style,
)
from filings.outputs.formats.read import format_path, formats, load_format
from filings.outputs.formats.roles import OPTIONAL_ROLES, ROLES

__all__ = [
    "CourtFormat",
    "Style",
    "Font",
    "Band",
    "Caption",
    "LineNumbers",
    "Rule",
    "Rules",
    "SLOTS",
    "BANDS",
    "ROLES",
    "OPTIONAL_ROLES",
    "load_format",
    "format_path",
    "formats",
    "FormatError",
    "FilingsError",
]
