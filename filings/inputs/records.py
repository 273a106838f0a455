"""The typed records the inputs become (Detainee, Attorney, ImmigrationCourt, Case) and the few
facts about them that documents decide on (the name a court prints, whether removal is imminent,
whether the class covers an arrest): decided here once, never in a template."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from filings.errors import Location
from filings.inputs.case_facts import Facility
from filings.inputs.normalize import format_a_number

CUSTODY_STATUSES = ("detained", "released", "removed", "unknown")
ARREST_TYPES = ("warrantless", "warrant", "vehicle_stop", "unknown")
RISK_ASSESSMENTS = ("pending", "not_high_risk", "high_risk")
# Where the person's removal case stands in immigration court.
PROCEEDINGS = ("none", "pending", "final_order", "appeal", "unknown")

FAMILY_FIRST_SCRIPTS = ("CJK", "HIRAGANA", "KATAKANA", "HANGUL")


def _letters(text: str) -> list[str]:
    return [c for c in text if c.isalpha()]


def _is_cjk(text: str) -> bool:
    """Every letter is a Han ideograph, Japanese kana or Korean Hangul."""
    letters = _letters(text)
    return bool(letters) and all(
        any(script in unicodedata.name(c, "") for script in FAMILY_FIRST_SCRIPTS) for c in letters
    )


def is_latin(text: str) -> bool:
    """Every letter is a Latin letter, accented or not (`Nguyễn`, `Peña`): a name DHS could have
    recorded as written. A text with no letters at all is not."""
    letters = _letters(text)
    return bool(letters) and all(unicodedata.name(c, "").startswith("LATIN") for c in letters)


# --- the roster --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Detainee:
    """One class member, as the roster gives them."""

    a_number: str
    family_name: str
    given_name: str
    custody_status: str
    preferred_language: str | None = None
    country_of_citizenship: str | None = None
    date_of_birth: dt.date | None = None
    facility: str | None = None
    arrest_date: dt.date | None = None
    arrest_location: str | None = None
    arrest_type: str | None = None
    risk_assessment: str | None = None
    release_date: dt.date | None = None
    release_conditions: str | None = None
    removal_date: dt.date | None = None
    notes: str | None = None
    # The name in Latin letters as DHS records it, when the roster's name is in another script.
    family_name_latin: str | None = None
    given_name_latin: str | None = None
    # Immigration court: EOIR's name of the person's court (a key of the case file's
    # immigration_courts), the judge, the next hearing, the proceedings and their dates, and the
    # `id` of the case file's counsel who represents the person there (Form EOIR-28 filed).
    immigration_court: str | None = None
    immigration_judge: str | None = None
    next_hearing_date: dt.date | None = None
    proceedings: str | None = None
    final_order_date: dt.date | None = None
    motion_to_reopen_date: dt.date | None = None
    attorney: str | None = None
    extra: dict[str, str] = field(default_factory=dict)
    # In a public copy, the fields the redaction policy took out of this record, so a document
    # can say the sealed version states them instead of saying the roster does not.
    withheld: tuple[str, ...] = ()
    source: Location = Location("roster")

    @property
    def full_name(self) -> str:
        """Given name first, as US filings write it; family name first, unspaced, for names
        written in Chinese, Japanese or Korean characters, as those scripts write them (李明华,
        김민준)."""
        if _is_cjk(self.family_name) and _is_cjk(self.given_name):
            return f"{self.family_name}{self.given_name}"
        return f"{self.given_name} {self.family_name}"

    @property
    def latin_family_name(self) -> str | None:
        """The family name in Latin letters: as DHS records it when the roster gives that form,
        else the name itself when it is written in Latin letters; None otherwise (never
        transliterated)."""
        return self.family_name_latin or (self.family_name if is_latin(self.family_name) else None)

    @property
    def latin_given_name(self) -> str | None:
        return self.given_name_latin or (self.given_name if is_latin(self.given_name) else None)

    @property
    def has_latin_name(self) -> bool:
        """Both names have a Latin-letter form, so a court filing can match DHS's record."""
        return self.latin_family_name is not None and self.latin_given_name is not None

    @property
    def court_name(self) -> str:
        """The name a court document prints, given name first: the Latin-letter form when there
        is one, else the name as the roster writes it (such a row is listed for review)."""
        if self.has_latin_name:
            return f"{self.latin_given_name} {self.latin_family_name}"
        return self.full_name

    @property
    def name_in_own_script(self) -> str | None:
        """The person's own full name when it differs from `court_name` (`طارق حداد` beside
        `Tarek Haddad`), for court documents to print once in parentheses; else None."""
        return self.full_name if self.full_name != self.court_name else None

    @property
    def a_number_display(self) -> str:
        return format_a_number(self.a_number)


# --- the case file -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Attorney:
    name: str
    firm: str
    address: tuple[str, ...]
    phone: str
    email: str
    bar_number: str | None = None
    represents: str | None = None
    # How the roster's `attorney` column names this attorney, and the attorney's EOIR ID (given
    # once Form EOIR-28 is on file), for signing in immigration court.
    id: str | None = None
    eoir_id: str | None = None
    # Opposing counsel's consent to be signed for ("/s/ Name (with permission)"): a joint filing
    # needs it; without it a filing is one party's.
    consents_to_esignature: bool = False


@dataclass(frozen=True)
class ImmigrationCourt:
    """One immigration court, by EOIR's name for it, and the DHS office served there."""

    key: str  # EOIR's name, as the roster's immigration_court column writes it: `Chicago`
    name: str  # as printed: `Chicago Immigration Court`
    city: str  # `Chicago, Illinois`
    address: tuple[str, ...]
    dhs_office: str  # ICE's Office of the Principal Legal Advisor for this court
    dhs_address: tuple[str, ...]
    line: int | None = None  # where the case file lists it


@dataclass(frozen=True)
class Case:
    """The case file: court, caption, judge, counsel, the order, the dates."""

    court: dict[str, Any]
    case_number: str
    judge: str
    caption: dict[str, Any]
    class_definition: str
    counsel: tuple[Attorney, ...]
    opposing_counsel: tuple[Attorney, ...]
    contact: dict[str, Any]
    filing_date: dt.date
    order: dict[str, Any]
    # The day the notices go out, when not the filing date (a notice may report a later event,
    # such as a higher court's hold on the order). Templates with `dated: notice_date` use it.
    notice_date: dt.date | None = None
    # Which arrests the class covers (`arrest_types`), for templates whose rule asks.
    class_covers: dict[str, Any] | None = None
    # The immigration courts, by EOIR's name: display name, address, DHS office served.
    immigration_courts: dict[str, ImmigrationCourt] = field(default_factory=dict)
    # Leave of court to exceed the format's page limit (N.D. Ill. LR 7.1), when granted.
    page_limit_leave: bool = False
    # Optional facts the court filings state and cite (filings.inputs.case_facts).
    conferral: dict[str, Any] | None = None  # date, with, position
    defendants_position: str | None = None  # for a joint status report
    facilities: dict[str, Facility] = field(default_factory=dict)  # by the roster's name
    decree: dict[str, Any] | None = None  # approved, docket, paragraphs
    report_order: dict[str, Any] | None = None  # date, docket: the order directing a report
    # The case file's own English text in other languages, for notices: each entry maps language
    # codes to text, with the English as `en` (matched by value, so changed English finds none).
    translations: tuple[dict[str, str], ...] = ()
    # What a public copy removes (`filings.inputs.redaction.Policy`); None before it is read.
    redaction: Any = None
    source: str = "case.yaml"

    def dated(self, which: str) -> dt.date:
        """The date a document carries and reckons from (is a removal date still to come?): the
        filing date, or for a template `dated: notice_date`, the notices' own date if given."""
        return (
            (self.notice_date or self.filing_date) if which == "notice_date" else self.filing_date
        )

    @property
    def signer(self) -> Attorney:
        return self.counsel[0]

    @property
    def counsel_by_id(self) -> dict[str, Attorney]:
        """Counsel by their `id`: a template reads `case.counsel_by_id[detainee.attorney]`."""
        return {a.id: a for a in self.counsel if a.id}

    @property
    def opposed(self) -> bool:
        """Whether a motion is designated opposed (Judge Cummings' practice: the title says
        which). Only a recorded "unopposed" makes it unopposed; no position, or an unknown one,
        is treated as opposed, which also proposes a briefing schedule."""
        return not (self.conferral and self.conferral.get("position") == "unopposed")

    @property
    def joint_report(self) -> bool:
        """A status report is joint only when Defendants' position is recorded and every opposing
        counsel has consented to be signed for."""
        return bool(
            self.defendants_position
            and self.opposing_counsel
            and all(a.consents_to_esignature for a in self.opposing_counsel)
        )

    def covers(self, detainee: Detainee) -> bool | None:
        """Whether the class covers this person's arrest; None when the case file does not say
        which arrests it covers."""
        if self.class_covers is None:
            return None
        return detainee.arrest_type in self.class_covers.get("arrest_types", ())


# --- what documents decide on ------------------------------------------------------------------


@dataclass(frozen=True)
class Removal:
    """What a document says about a removal date: `imminent` when a date is recorded and the
    person has not been removed; `upcoming` when imminent and the date is on or after the filing
    date (a date already past may be stale, or removal may happen at any time)."""

    imminent: bool
    upcoming: bool
    date: dt.date | None = None

    @classmethod
    def of(cls, detainee: Detainee | None, filing_date: dt.date) -> Removal:
        if detainee is None:
            return cls(False, False)
        date = detainee.removal_date
        imminent = date is not None and detainee.custody_status != "removed"
        return cls(imminent, imminent and date >= filing_date, date)
