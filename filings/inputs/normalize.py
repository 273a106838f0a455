"""Read one roster value of a fixed form as people write it: A-numbers, dates, money.

Each parser takes the text of one cell and returns the value, or raises ValueError with a message
that shows that value and what was expected (never anything else from the row). A cell's text is
cleaned and checked first (`text`); languages and coded values have their own modules
(`languages`, `choices`).
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
from decimal import Decimal
from functools import cache

from babel import Locale

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
    # openpyxl is imported for a workbook only: it is a fifth of a worker's imports
    from openpyxl.utils.datetime import CALENDAR_WINDOWS_1900, from_excel

    value = from_excel(serial, epoch or CALENDAR_WINDOWS_1900)
    return value.date() if isinstance(value, dt.datetime) else value
