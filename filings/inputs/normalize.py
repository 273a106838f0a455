"""Read one roster value as people write it: A-numbers, dates, languages, codes, names.

Each parser takes the text of one cell and returns the value, or raises ValueError with a message
that shows that value and what was expected (never anything else from the row).
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import unicodedata
from decimal import Decimal
from functools import cache

from babel import Locale
from babel.core import get_global
from babel.localedata import locale_identifiers
from openpyxl.utils.datetime import CALENDAR_WINDOWS_1900, from_excel

# --- text --------------------------------------------------------------------------------------


def clean_text(text: str) -> str:
    """Trim and NFC-normalize; never re-case a name."""
    return unicodedata.normalize("NFC", text.strip())


# Scripts whose spelling uses the zero-width (non-)joiner: Persian compounds (رحمت‌الله), Indic
# conjuncts, Khmer, Myanmar. Elsewhere a joiner is invisible debris from copying and pasting.
JOINER_SCRIPTS = (
    "ARABIC",
    "SYRIAC",
    "NKO",
    "MONGOLIAN",
    "DEVANAGARI",
    "BENGALI",
    "GURMUKHI",
    "GUJARATI",
    "ORIYA",
    "TAMIL",
    "TELUGU",
    "KANNADA",
    "MALAYALAM",
    "SINHALA",
    "KHMER",
    "MYANMAR",
    "TIBETAN",
    "LIMBU",
    "BALINESE",
    "JAVANESE",
)
JOINERS = ("\u200c", "\u200d")
# Visible characters Unicode files under "format": Arabic number signs and the end of an ayah.
VISIBLE_FORMAT = set("\u0600\u0601\u0602\u0603\u0604\u0605\u06dd\u070f\u08e2\U000110bd")


def _joins(text: str, i: int) -> bool:
    """The joiner at text[i] sits after a letter or mark of a script that needs joiners."""
    before = text[i - 1] if i else ""
    return bool(before) and unicodedata.name(before, "").startswith(JOINER_SCRIPTS)


def invisible_characters(text: str) -> list[str]:
    """Invisible control and format characters in a value, each once: bidirectional overrides and
    isolates (U+202A–U+202E, U+2066–U+2069), marks, zero-width spaces, byte-order marks, soft
    hyphens, tags, C0/C1 controls. They would reorder or hide what a document prints, so a value
    holding one is refused rather than printed. Line breaks and tabs are allowed, and so are
    zero-width joiners inside the scripts that spell with them."""
    found = []
    for i, char in enumerate(text):
        kind = unicodedata.category(char)
        if kind not in ("Cc", "Cf") or char in "\n\r\t" or char in VISIBLE_FORMAT:
            continue
        if char in JOINERS and _joins(text, i):
            continue
        found.append(char)
    return list(dict.fromkeys(found))


def line_separators(text: str) -> list[str]:
    """U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR, each once. HTML does not break a
    line at them, and the PDF renderer keeps them in the font of the text around them (it never
    looks for a fallback font for a separator), which has no glyph for them: a box, or a failed
    document. Refused in the data, as a clerk can replace them with an ordinary line break."""
    return list(dict.fromkeys(c for c in text if c in "\u2028\u2029"))


# What Excel shows in a cell whose formula failed (and what a CSV export then holds).
EXCEL_ERRORS = frozenset(
    "#NULL! #DIV/0! #VALUE! #REF! #NAME? #NUM! #N/A #GETTING_DATA #SPILL! #CALC! #FIELD! "
    "#BLOCKED! #CONNECT! #BUSY! #UNKNOWN! #EXTERNAL! #PYTHON!".split()
)


def excel_error(text: str) -> bool:
    """The text is one of Excel's error values (`#N/A`, `#REF!`), in any case."""
    return text.strip().upper() in EXCEL_ERRORS


def words(text: str) -> list[str]:
    """`Fecha de Nacimiento` -> ['fecha', 'de', 'nacimiento']: case, accents, punctuation dropped.

    Modifier letters go too, so `Kʼicheʼ` (U+02BC) and `K'iche'` fold alike; `#` is kept as a word
    because `A#` means "A-number".
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(c for c in decomposed if not unicodedata.category(c).startswith(("M", "Lm")))
    return re.findall(r"[^\W_]+|#", kept)


def number_text(value: float) -> str:
    """A number as a spreadsheet shows it: `12345678.0` -> `12345678`; 15 digits at most."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return format(value, ".15g") if isinstance(value, float) else str(value)


# --- money -------------------------------------------------------------------------------------

# A bond or fee the documents print. Immigration bonds run from $1,500 (the statutory minimum) to
# tens of thousands; a million is beyond any, and anything past it is a typing slip.
MONEY_RANGE = (Decimal(0), Decimal(1_000_000))
MONEY_EXAMPLE = "write dollars from 0 to 1,000,000, such as 1500 or 1500.50"


def parse_money(value: int | float | Decimal) -> Decimal:
    """An amount of dollars in cents (`1500.5` -> Decimal('1500.50')): finite, not negative, at
    most MONEY_RANGE's top, and no fraction of a cent."""
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{value} is not an amount of money: {MONEY_EXAMPLE}")
    amount = Decimal(str(value))
    low, high = MONEY_RANGE
    if not low <= amount <= high:
        raise ValueError(f"{amount} is not an amount of money: {MONEY_EXAMPLE}")
    cents = amount.quantize(Decimal("0.01"))
    if cents != amount:
        raise ValueError(
            f"{amount} has a fraction of a cent; write dollars and cents, such as 1500.50"
        )
    return cents.copy_abs()  # -0.0 is 0


# --- A-numbers ---------------------------------------------------------------------------------


def normalize_a_number(text: str) -> str:
    """`A-12-345-678`, `12345678`, `a 012 345 678` -> `A012345678`."""
    compact = re.sub(r"[\s\-]", "", text)
    digits = compact[1:] if compact[:1] in ("A", "a") else compact
    if not digits.isascii() or not digits.isdigit():
        raise ValueError(f"{text!r} is not an A-number: an A-number is 'A' and 7 to 9 digits")
    if not 7 <= len(digits) <= 9:
        raise ValueError(f"{text!r} has {len(digits)} digits; an A-number has 7 to 9")
    return "A" + digits.zfill(9)


def format_a_number(a_number: str) -> str:
    """`A012345678` -> `A-012-345-678`, as documents print it."""
    d = a_number[1:]
    return f"A-{d[0:3]}-{d[3:6]}-{d[6:9]}"


# --- dates -------------------------------------------------------------------------------------

# ASCII digits only, as in A-numbers: a date is typed on a US keyboard or exported by a system.
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?", re.A)
_YMD_SLASH = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})", re.A)
_US = re.compile(r"(\d{1,2})[/-](\d{1,2})[/-](\d{2}|\d{4})", re.A)
_DAY_MONTH = re.compile(r"(\d{1,2})[\s-]+([A-Za-z]+)\.?[\s-]+(\d{2}|\d{4})", re.A)
_MONTH_DAY = re.compile(r"([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})", re.A)
DATE_FORMS = "YYYY-MM-DD, m/d/yyyy, 12-Nov-2025 or November 12, 2025"
# Excel's serial numbers for 1900-01-01 and 9999-12-31, the dates Excel can hold.
EXCEL_SERIALS = (1, 2958465)


def reference_date() -> dt.date:
    """Today, or SOURCE_DATE_EPOCH's date when set, so a run can be reproduced."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


def full_year(yy: str, *, born: bool = False, today: dt.date | None = None) -> int:
    """Expand a two-digit year: events are 20yy; a birth year past this year is 19yy."""
    if len(yy) == 4:
        return int(yy)
    year = 2000 + int(yy)
    if born and year > (today or reference_date()).year:
        year -= 100
    return year


@cache
def _month_names() -> dict[str, int]:
    """`november`, `nov` and `sept` -> their month, from CLDR's English calendar."""
    months = Locale("en").months["format"]
    names = {n.casefold(): i for width in ("wide", "abbreviated") for i, n in months[width].items()}
    return names | {"sept": 9}


def _month(name: str) -> int | None:
    return _month_names().get(name.casefold())


def _ymd(text: str, *, born: bool, today: dt.date | None) -> tuple[int, int, int] | None:
    """Year, month and day from the first form the text matches; None if it matches none."""
    if m := _ISO.fullmatch(text) or _YMD_SLASH.fullmatch(text):
        return int(m[1]), int(m[2]), int(m[3])
    if m := _US.fullmatch(text):
        return full_year(m[3], born=born, today=today), int(m[1]), int(m[2])
    if (m := _DAY_MONTH.fullmatch(text)) and (month := _month(m[2])):
        return full_year(m[3], born=born, today=today), month, int(m[1])
    if (m := _MONTH_DAY.fullmatch(text)) and (month := _month(m[1])):
        return int(m[3]), month, int(m[2])
    return None


def parse_date(
    value: str | dt.date, *, born: bool = False, today: dt.date | None = None
) -> dt.date:
    """Read a date as clerks write it: ISO, US month first, `12-Nov-2025`, `November 12, 2025`.

    `03/04/2025` is March 4 (US order). A two-digit year is 20yy, except for a date of birth
    (`born`), where a year after `today`'s is 19yy.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    parts = _ymd(text, born=born, today=today)
    if parts is None:
        raise ValueError(f"{value!r} is not a date; write it as {DATE_FORMS}")
    try:
        return dt.date(*parts)
    except ValueError:
        hint = ""
        if _US.fullmatch(text) and parts[1] > 12 >= parts[2]:
            hint = "; m/d/yyyy dates are read month first"
        raise ValueError(f"{value!r} is not a date on the calendar{hint}") from None


def parse_iso_date(text: str) -> dt.date:
    """Read an ISO date (YYYY-MM-DD) only, as the case file requires."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise ValueError(f"{text!r} is not a date in the form YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date on the calendar") from None


def excel_date(serial: float, epoch: dt.datetime | None = None) -> dt.date:
    """An Excel serial day number (45973 -> 2025-11-12), in the workbook's date system."""
    if isinstance(serial, bool) or not EXCEL_SERIALS[0] <= serial <= EXCEL_SERIALS[1]:
        raise ValueError(f"{serial!r} is not an Excel date serial number")
    value = from_excel(serial, epoch or CALENDAR_WINDOWS_1900)
    return value.date() if isinstance(value, dt.datetime) else value


# --- languages ---------------------------------------------------------------------------------

# Names CLDR does not list (or lists otherwise) that rosters use. Mayan languages have no ISO
# 639-1 code; their ISO 639-3 code is kept, as CLDR does for K'iche' (quc).
LANGUAGE_NAMES = {
    "mandarin": "zh",
    "mandarin chinese": "zh",
    "kreyol": "ht",
    "creole": "ht",
    "haitian": "ht",
    "kreyol ayisyen": "ht",
    "farsi": "fa",
    "quiche": "quc",
    "k iche": "quc",
    "mam": "mam",
    "q anjob al": "kjb",
    "qanjobal": "kjb",
    "kanjobal": "kjb",
}
LANGUAGE_EXAMPLE = "es, spa, Spanish or español"


def _key(text: str) -> str:
    return "".join(words(text))


@cache
def _english_names() -> dict[str, str]:
    """Folded name -> code: the code itself, CLDR's English and Spanish names, our additions."""
    index: dict[str, str] = {}
    for locale in ("en", "es"):
        for code, name in Locale(locale).languages.items():
            index.setdefault(_key(name), code.split("_")[0])
    index.update({_key(name): code for name, code in LANGUAGE_NAMES.items()})
    return index


@cache
def _native_names() -> dict[str, str]:
    """Folded autonym -> code (`español` -> es, `kreyòl ayisyen` -> ht); loads every locale."""
    index: dict[str, str] = {}
    for code in sorted(i for i in locale_identifiers() if "_" not in i and i != "root"):
        if name := Locale.parse(code).languages.get(code):
            index.setdefault(_key(name), code)
    return index


@cache
def _codes() -> dict[str, str]:
    """Every code CLDR names, and ISO 639-2/3 aliases (spa, fre, chi) -> the shortest code."""
    known = {code.split("_")[0] for code in Locale("en").languages} | set(LANGUAGE_NAMES.values())
    codes = {code.lower(): code for code in known}
    for alias, target in get_global("language_aliases").items():
        base = target.split("_")[0]
        if alias.isalpha() and alias.lower() not in codes and base in known:
            codes[alias.lower()] = base
    return codes


@cache
def _scripts() -> frozenset[str]:
    return frozenset(s.lower() for s in Locale("en").scripts)


def _tag_language(value: str) -> str | None:
    """`pt-BR`, `zh_Hant`, `es` -> the language subtag; None unless the text is such a tag.

    A name with a hyphen (`Oji-Cree`) is not a tag: after the language only a script CLDR
    knows (`Hant`) and a region (`BR`, `419`) may follow.
    """
    first, *rest = re.split(r"[-_]", value)
    if not re.fullmatch(r"[A-Za-z]{2,3}", first) or len(rest) > 2:
        return None
    for part in rest:
        script = len(part) == 4 and part.lower() in _scripts()
        if not (script or re.fullmatch(r"[A-Za-z]{2}|\d{3}", part)):
            return None
    return first.lower()


def parse_language(text: str) -> str:
    """A language by code or name, in English, Spanish or itself -> its code (`español` -> es).

    The code is ISO 639-1 where the language has one, else the ISO 639-3 code CLDR uses (quc for
    K'iche'). A region or script (`pt-BR`, `zh_Hant`) is dropped: the language is what counts.
    """
    value = text.strip()
    code = _tag_language(value)
    if code and code in _codes():
        return _codes()[code]
    key = _key(value)
    found = _english_names().get(key) or _native_names().get(key)
    if not found:
        raise ValueError(f"{text!r} is not a language code or name; write it as {LANGUAGE_EXAMPLE}")
    return found


# --- codes -------------------------------------------------------------------------------------

# What people write for each code (besides the code itself), matched ignoring case and punctuation.
SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "custody_status": {
        "detained": (
            "in custody",
            "ice custody",
            "custody",
            "in detention",
            "in ice custody",
            "detenido",
            "detenida",
            "en custodia",
        ),
        "released": (
            "paroled",
            "parole",
            "bonded out",
            "bonded",
            "out on bond",
            "released on bond",
            "released on parole",
            "released on recognizance",
            "liberado",
            "liberada",
            "en libertad",
        ),
        "removed": ("deported", "removal", "deportado", "deportada"),
        "unknown": ("unk", "not known"),
    },
    "arrest_type": {
        "warrantless": ("no warrant", "without warrant", "without a warrant", "warrantless arrest"),
        "warrant": ("with warrant", "with a warrant", "administrative warrant"),
        "vehicle_stop": ("traffic stop", "vehicle stop", "car stop"),
        "unknown": ("unk", "not known"),
    },
    "risk_assessment": {
        "high_risk": ("high", "high risk"),
        "not_high_risk": ("not high risk", "not high", "low", "low risk"),
        "pending": ("pending", "awaiting", "not yet assessed"),
    },
    "proceedings": {
        "none": ("no proceedings", "not in proceedings", "no nta"),
        "pending": ("in proceedings", "open", "ongoing"),
        "final_order": (
            "final order",
            "final",
            "order of removal",
            "removal order",
            "ordered removed",
        ),
        "appeal": ("on appeal", "bia appeal", "appealed", "at the bia"),
        "unknown": ("unk", "not known"),
    },
}


def choice_key(text: str) -> str:
    """`In Custody` -> `in_custody`; `Not-high risk` -> `not_high_risk`."""
    return "_".join(words(text))


@cache
def _choice_index(choices: tuple[str, ...], field: str | None) -> dict[str, str]:
    index = {choice_key(c): c for c in choices}
    for code, names in SYNONYMS.get(field or "", {}).items():
        if code in choices:
            index.update({choice_key(n): code for n in names})
    return index


def parse_choice(text: str, choices: tuple[str, ...], field: str | None = None) -> str:
    """One of `choices`, written in any case, or a synonym listed for `field` (`Deported`)."""
    value = _choice_index(tuple(choices), field).get(choice_key(text))
    if value is None:
        raise ValueError(f"{text!r} is not one of: {', '.join(choices)}")
    return value
