"""A court format's records: page, fonts, styles, bands, caption, ruler and the court's rules."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SLOTS = ("left", "center", "right")
BANDS = ("header", "footer", "first_page")


@dataclass(frozen=True)
class Style:
    """How one role's paragraphs look; sizes in points."""

    size: float
    line: float
    bold: bool = False
    italic: bool = False
    align: str = "left"
    first_indent: float = 0
    left_indent: float = 0
    right_indent: float = 0
    hanging: float = 0
    after: float = 0


@dataclass(frozen=True)
class Font:
    family: str
    complex_script: str
    east_asian: str
    fallbacks: tuple[str, ...] = ()


@dataclass(frozen=True)
class Band:
    """Text in a page margin: a pattern for each slot, such as `Page {page} of {pages}`.

    `{page}` and `{pages}` are page numbers, `{title}` the document's title, and any other `{name}`
    a field the document supplies as `<meta name="filings.NAME" content="…">`. A slot may hold
    several lines (`\\n`). `rule` draws a line (its width in points) between the band and the text.
    """

    left: str = ""
    center: str = ""
    right: str = ""
    rule: float = 0

    @property
    def slots(self) -> dict[str, str]:
        return {slot: getattr(self, slot) for slot in SLOTS if getattr(self, slot)}

    def __bool__(self) -> bool:
        return bool(self.slots)


@dataclass(frozen=True)
class Caption:
    """The case caption's two columns: parties on the left, the number on the right."""

    parties_width: float = 55  # percent of the text width
    rule: float = 0.75  # the vertical line between the columns, in points; 0 for none


@dataclass(frozen=True)
class LineNumbers:
    """Pleading paper's ruler: `count` numbers at `pitch` points, beside every page's text."""

    count: int
    pitch: float
    gap: float = 9  # numbers to rule, and rule to text, in points
    rule: str = "double"  # the vertical rule between numbers and text: double or single


@dataclass(frozen=True)
class Rule:
    """One requirement of the court: its values (a number, or several) and where it comes from."""

    value: Any
    source: str


@dataclass(frozen=True)
class Rules:
    """What the court requires of a filing; what `filings.check` measures. None: no such rule."""

    paper: Rule | None = None  # (width, height), exact
    margins: Rule | None = None  # (top, right, bottom, left), each a minimum
    body_size: Rule | None = None  # minimum point size of text in the text area
    footnote_size: Rule | None = None  # minimum point size of footnotes
    line_pitch: Rule | None = None  # minimum baseline-to-baseline distance of body lines
    page_limit: Rule | None = None  # most pages without leave of court
    a_number: Rule | None = None  # True: the respondent's A-number on every page
    detained: Rule | None = None  # the label ("DETAINED") on the cover when the person is held
    line_numbers: Rule | None = None  # (count per page, at least this many per vertical inch)


@dataclass(frozen=True)
class CourtFormat:
    name: str
    title: str
    width: float
    height: float
    margins: tuple[float, float, float, float]  # top, right, bottom, left
    font: Font
    footer: Band
    styles: dict[str, Style] = field(default_factory=dict)
    header: Band = Band()
    first_page: Band = Band()  # labels that replace header slots on the first page
    caption: Caption = Caption()
    line_numbers: LineNumbers | None = None
    table_after: float = 12  # space below a table
    rules: Rules = Rules()
    # The header, footer and first-page labels in other languages: {language: {band: Band}}.
    translations: dict[str, dict[str, Band]] = field(default_factory=dict)
    path: Path | None = None

    def in_language(self, lang: str | None) -> CourtFormat:
        """The format as a document in `lang` (its `<html lang>`) prints it: the translation for
        that language tag, else for its first part (`es` for `es-MX`), else as written."""
        tag = (lang or "").lower()
        bands = self.translations.get(tag) or self.translations.get(tag.split("-")[0])
        return dataclasses.replace(self, **bands) if bands else self

    @property
    def variants(self) -> list[CourtFormat]:
        """The format as written and in each of its translations."""
        return [self, *(self.in_language(tag) for tag in self.translations)]

    @property
    def page_limit(self) -> int | None:
        return self.rules.page_limit.value if self.rules.page_limit else None

    @property
    def text_width(self) -> float:
        return self.width - self.margins[1] - self.margins[3]

    @property
    def text_height(self) -> float:
        return self.height - self.margins[0] - self.margins[2]

    @property
    def ruler_rule(self) -> tuple[float, float]:
        """The line numbers' vertical rule: its left edge and its width, in points. The numbers
        end `gap` to its left and the text starts `gap` to its right."""
        ruler = self.line_numbers
        width = 2.25 if ruler.rule == "double" else 0.75  # double: two 0.75 pt lines, 0.75 apart
        return self.margins[3] - ruler.gap - width, width
