"""What a check reports (Finding) and what it is told to expect of a document (Expected)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    """One rule an output breaks."""

    file: str  # the file's name
    rule: str  # the rule's key in the format's `rules` (or `fonts`, `glyphs`, `text`, `format`…)
    where: str  # "page 3", "pages 1-6", "paragraph 12 (Body Text)", or "" for the whole file
    measured: str  # what was found: "body text 11.0 pt"
    required: str  # what the rule asks: "ndil needs at least 12 pt (LR 5.2(c))"

    def __str__(self) -> str:
        where = f"{self.where}: " if self.where else ""
        return f"{self.file}: {where}{self.measured}; {self.required}"


@dataclass(frozen=True)
class Expected:
    """What a document must show that its format alone cannot say (eoir)."""

    a_number: str | None = None  # the respondent's A-number, in any common spelling
    detained: bool | None = None  # whether the respondent is in custody
