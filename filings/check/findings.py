"""What a check reports (Finding), what it is told to expect of a document (Expected), and the
error that stops it reading a file at all (Unreadable)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from filings.errors import FilingsError


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
        required = f"; {self.required}" if self.required else ""
        return f"{self.file}: {where}{self.measured}{required}"


@dataclass(frozen=True)
class Expected:
    """What a document must show that its format alone cannot say (eoir)."""

    a_number: str | None = None  # the respondent's A-number, in any common spelling
    detained: bool | None = None  # whether the respondent is in custody


class Unreadable(FilingsError):
    """A file the check cannot read at all (broken, encrypted, over a limit): `finding` says why,
    and is the file's one finding."""

    def __init__(self, finding: Finding) -> None:
        self.finding = finding
        super().__init__(str(finding))


def unreadable(file: str, kind: str, reason: str) -> Unreadable:
    """`motion.pdf: is not a readable PDF (<reason>)`."""
    return Unreadable(Finding(file, "readable", "", f"is not a readable {kind} ({reason})", ""))


def over_limit(file: str, where: str, measured: str, limit: str, mb: float) -> Unreadable:
    """A file refused for a limit, named with the value in force and how to raise it."""
    required = f"filings check reads at most {limit} = {mb:g} MB (raise it with --limit {limit}=N)"
    return Unreadable(Finding(file, "limits", where, measured, required))


def short(exc: BaseException) -> str:
    """An exception's message on one line, without control characters, kept short."""
    text = re.sub(r"[\x00-\x1f\x7f-\x9f]+", " ", str(exc))
    text = " ".join(text.split())
    text = text if len(text) <= 100 else text[:99] + "…"
    return text or type(exc).__name__
