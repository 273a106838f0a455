"""The project's own fonts and the scripts they set: what every stage asks of them.

`fonts`: which files, pinned to which versions, and which characters each covers (so an input
value no font has is refused at its cell). `scripts`: which script and language a text is in,
and which family sets each run of it (the PDF's CSS and the DOCX's runs agree on it).
"""

from __future__ import annotations

from filings.glyphs.fonts import (
    CJK_FAMILIES,
    FAMILIES,
    FONT_DIRS,
    STYLES,
    Coverage,
    Family,
    FontError,
    coverage,
    covered,
    describe,
    family,
    files_identity,
    font_files,
    locate,
    pinned_mismatches,
    uncovered,
    unprintable,
    version,
)
from filings.glyphs.scripts import (
    CJK_SELECTORS,
    WORD_LANGUAGES,
    chain,
    cjk_family,
    has_rtl,
    is_cjk_text,
    is_rtl,
    language_script,
    name_script,
    run_language,
    runs,
    same_script,
    word_language,
)

__all__ = [
    "FONT_DIRS",
    "STYLES",
    "Family",
    "CJK_FAMILIES",
    "FAMILIES",
    "FAMILIES",
    "FontError",
    "family",
    "locate",
    "font_files",
    "files_identity",
    "version",
    "pinned_mismatches",
    "Coverage",
    "coverage",
    "covered",
    "uncovered",
    "describe",
    "unprintable",
    "cjk_family",
    "CJK_SELECTORS",
    "chain",
    "runs",
    "is_rtl",
    "has_rtl",
    "name_script",
    "is_cjk_text",
    "WORD_LANGUAGES",
    "language_script",
    "word_language",
    "same_script",
    "run_language",
]
