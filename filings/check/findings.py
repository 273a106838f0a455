"""What a check reports (a Problem: the file and page, what was measured, what the rule asks),
what it is told to expect of a document (Expected), and the error that stops it reading a file at
all (Unreadable)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from filings.errors import FilingsError, Location
from filings.problems import Problem


def finding(file: str, rule: str, where: str, measured: str, required: str) -> Problem:
    """One rule an output breaks, as a Problem.

    file: the file's name; rule: the rule's key in the format's `rules` (or `fonts`, `glyphs`,
    `text`, `format`…); where: "page 3", "pages 1-6", "paragraph 12 (Body Text)", or "" for the
    whole file; measured: what was found ("body text 11.0 pt"); required: what the rule asks
    ("ndil needs at least 12 pt (LR 5.2(c))")."""
    return Problem(Location(file, part=where or None), measured, rule, required=required)


@dataclass(frozen=True)
class Expected:
    """What a document must show that its format alone cannot say (eoir)."""

    a_number: str | None = None  # the respondent's A-number, in any common spelling
    detained: bool | None = None  # whether the respondent is in custody


class Unreadable(FilingsError):
    """A file the check cannot read at all (broken, encrypted, over a limit): `finding` says why,
    and is the file's one finding."""

    def __init__(self, finding: Problem) -> None:
        self.finding = finding
        super().__init__(str(finding))


def unreadable(file: str, kind: str, reason: str) -> Unreadable:
    """`motion.pdf: is not a readable PDF (<reason>)`."""
    return Unreadable(finding(file, "readable", "", f"is not a readable {kind} ({reason})", ""))


def over_limit(file: str, where: str, measured: str, limit: str, mb: float) -> Unreadable:
    """A file refused for a limit, named with the value in force and how to raise it."""
    required = f"the check reads at most {limit} = {mb:g} MB (raise it with --limit {limit}=N)"
    return Unreadable(finding(file, "limits", where, measured, required))


def short(exc: BaseException) -> str:
    """An exception's message on one line, without control characters, kept short."""
    text = re.sub(r"[\x00-\x1f\x7f-\x9f]+", " ", str(exc))
    text = " ".join(text.split())
    text = text if len(text) <= 100 else text[:99] + "…"
    return text or type(exc).__name__
