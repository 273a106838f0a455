"""The leak check: is a value the public copy must not hold anywhere in the file that leaves?

A redaction that only covers the text a reader sees is the classic failure: the value is still
in the text layer, the document information, the XMP packet, a bookmark, a link, a Word comment
or the file's name. `find_leaks` searches all of those, each place as a whole string, for every
form of every removed value (`forms`): an A-number with and without its dashes and its A, a date
as each language the project writes prints it. Text is compared as a reader's search would:
Unicode compatibility-normalised (NFKC), invisible format characters dropped, case folded, white
space collapsed. A leak names the field and the place, never the value: the value is what must
not leak, into a terminal or a log either.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass

from babel.dates import format_date

from filings.check.leak_places import places
from filings.inputs.limits import DEFAULT as DEFAULT_LIMITS
from filings.inputs.limits import Limits
from filings.inputs.normalize import normalize_a_number
from filings.inputs.redaction import removed_values
from filings.templating.filters import LABELS, long_date

MIN_LENGTH = 4  # a shorter value ("Ana", "MX") would be found in every document
HYPHENS = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212-"  # "-" last: literal in a [class]


# --- the forms a value is printed in -----------------------------------------------------------


def forms(field: str, value) -> tuple[str, ...]:
    """Every form a document could print a removed value in, for searching.

    An A-number (the field `a_number`, or a value written as one) with and without its dashes
    and its A, 8- and 7-digit ones also without their leading zeros: `A-214-736-058`,
    `A214736058`, `214736058`, `214-736-058`. A date (or an ISO date's text): ISO, `November
    14, 2025`, `Nov. 14, 2025`, `Nov 14, 2025`, `11/14/2025`, `11/14/25`, `14 November 2025`,
    `14 de noviembre de 2025`, `14 novembre 2025`. A roster code (`high_risk`): itself and its
    printed labels. Other text as written, its white space collapsed. A value shorter than
    `MIN_LENGTH` (4) characters has no forms: it is not searched, as it would match everywhere.
    """
    if value is None:
        return ()
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return _date_forms(value)
    text = " ".join(str(value).split())
    if len(text) < MIN_LENGTH:
        return ()
    if a_number := _a_number(field, text):
        return _a_number_forms(a_number)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return _date_forms(dt.date.fromisoformat(text))
        except ValueError:
            pass
    labels = [words[text] for words in LABELS.values() if text in words]
    return _unique([text, *labels])


def _a_number(field: str, text: str) -> str | None:
    """`A012345678` when the value is an A-number: in an A-number field, or written with its A."""
    if "a_number" not in field.lower() and not re.fullmatch(r"[Aa][\s-]?\d[\d\s-]{5,}", text):
        return None
    try:
        return normalize_a_number(text)
    except ValueError:
        return None


def _a_number_forms(a_number: str) -> tuple[str, ...]:
    significant = a_number[1:].lstrip("0")
    out = []
    for width in range(9, max(len(significant), 7) - 1, -1):
        digits = significant.zfill(width)
        grouped = "-".join(digits[max(0, i - 3) : i] for i in range(len(digits), 0, -3)[::-1])
        out += [f"A-{grouped}", f"A{digits}", digits, grouped]
    return _unique(out)


def _date_forms(day: dt.date) -> tuple[str, ...]:
    month = format_date(day, "MMMM", locale="en_US")
    abbr = format_date(day, "MMM", locale="en_US")
    out = [
        day.isoformat(),
        long_date({}, day, "en"),
        f"{abbr}. {day.day}, {day.year}" if abbr != month else "",
        f"{abbr} {day.day}, {day.year}",
        f"Sept. {day.day}, {day.year}" if day.month == 9 else "",
        f"{day.month}/{day.day}/{day.year}",
        f"{day:%m/%d/%Y}",
        f"{day.month}/{day.day}/{day:%y}",
        f"{day.day} {month} {day.year}",
        long_date({}, day, "es"),
        long_date({}, day, "fr"),
        format_date(day, "long", locale="fr"),  # "1 novembre", as well as the "1er" we print
    ]
    return _unique(form for form in out if form)


def _unique(items) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


# --- matching ----------------------------------------------------------------------------------

_INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]")
_DIGIT_FORM = re.compile(f"(?:a[ {HYPHENS}]?)?\\d[\\d {HYPHENS}]*")
# Between two digits of a number: nothing, white space (a line break), or a hyphen with white
# space on either side (one the document prints, or one a PDF put at a line's end).
_BETWEEN_DIGITS = f"(?:\\s?[{HYPHENS}]\\s?|\\s)?"


def normalized(text: str) -> str:
    """Text as searched: NFKC (so a no-break space, a ligature or a full-width digit is the
    plain one), invisible marks dropped (soft hyphens, direction marks), case folded, white
    space collapsed to one space."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))
    text = unicodedata.normalize("NFKC", text.casefold())
    return re.sub(r"\s+", " ", text)


def _pattern(form: str) -> str | None:
    text = normalized(form).strip()
    if len(text) < MIN_LENGTH:
        return None
    if _DIGIT_FORM.fullmatch(text):
        digits = re.sub(r"\D", "", text)
        if len(digits) >= MIN_LENGTH:  # a run of digits, not inside a longer one
            return "(?<!\\d)" + _BETWEEN_DIGITS.join(digits) + "(?!\\d)"
    out = []
    for char in text:
        if char == " ":
            out.append(" ?")  # a PDF's line may end without a space glyph
        elif char in HYPHENS:
            out.append(f"[{HYPHENS}] ?")
        else:
            out.append(re.escape(char))
    start = "(?<!\\w)" if re.match(r"\w", text) else ""
    end = "(?!\\w)" if re.match(r"\w", text[-1]) else ""
    return start + "".join(out) + end


def _compiled(field_forms) -> re.Pattern | None:
    patterns = _unique(p for p in map(_pattern, field_forms) if p)
    return re.compile("|".join(patterns)) if patterns else None


# --- the leaks -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Leak:
    """A removed value found in a public copy: the roster field it belongs to and the place."""

    field: str  # "a_number"
    where: str  # "PDF text, page 3", "PDF metadata: Title", "DOCX word/header1.xml", "file name"

    def __str__(self) -> str:
        return f"{self.field}: found in the {self.where}"


def find_leaks(
    kind: str,
    data: bytes,
    file_name: str,
    removed: dict[str, tuple[str, ...]],
    *,
    limits: Limits = DEFAULT_LIMITS,
) -> list[Leak]:
    """Every (field, place) of one written public copy (`kind` pdf, docx or html) that holds a
    removed value (`removed`: field -> its `forms`), in the order of the places: the file name;
    a PDF's text page by page with its annotations, its document information key by key, its
    XMP packet and its outline; every XML part of a DOCX and the parts' names. A file that
    cannot be read raises `Unreadable`, as `filings check` does."""
    patterns = {field: p for field, fs in removed.items() if (p := _compiled(fs))}
    leaks: list[Leak] = []
    if not patterns:
        return leaks
    for where, text in places(kind.lower().lstrip("."), data, file_name, limits):
        haystack = normalized(text)
        for field, pattern in patterns.items():
            leak = Leak(field, where)
            if leak not in leaks and pattern.search(haystack):
                leaks.append(leak)
    return leaks


# --- what a public copy must not hold ----------------------------------------------------------


def court_text(case) -> str:
    """Everything the case file says, as the search compares text."""
    return normalized(json.dumps(dataclasses.asdict(case), default=str, ensure_ascii=False))


def removed_forms(person, policy, court: str = "") -> dict[str, tuple[str, ...]]:
    """Each value the policy removed from the person's record, in every form it could print in,
    less any form the court's own text holds (`court_text`: the order's release terms speak of
    "a high public-safety risk", which is not that person's assessment). A coded value (a risk
    assessment: `pending`, `high_risk`) is a category many people share, which a count table
    prints by right; redaction keeps the person's own out of the record, and it is not searched."""
    codes = {code for words in LABELS.values() for code in words}
    return {
        name: tuple(form for form in forms(name, value) if normalized(form) not in court)
        for name, value in removed_values(person, policy).items()
        if not (isinstance(value, str) and value in codes)
    }


def removed_from(people, policy, court: str = "") -> dict[str, tuple[str, ...]]:
    """`removed_forms` for a document about several people, each searched in one pass: a field
    is named with its person's row (`notes (roster.csv:7)`)."""
    found = {}
    for person in people:
        for name, shown in removed_forms(person, policy, court).items():
            found[f"{name} ({person.source})" if len(people) > 1 else name] = shown
    return found


def public_leaks(kind: str, data: bytes, file_name: str, people, policy, court: str = "") -> str:
    """What a public copy (or packet) about `people` holds of the values `policy` removed, as one
    line to fail it with; "" when it holds none."""
    found = find_leaks(kind, data, file_name, removed_from(people, policy, court))
    return "; ".join(str(leak) for leak in found)
