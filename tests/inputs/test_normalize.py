from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.utils.datetime import to_excel

from filings.inputs.choices import SYNONYMS, parse_choice
from filings.inputs.columns import ALIASES, canonical_header, header_key
from filings.inputs.languages import parse_language
from filings.inputs.normalize import (
    excel_date,
    format_a_number,
    full_year,
    normalize_a_number,
    parse_date,
    parse_iso_date,
)
from filings.inputs.records import ARREST_TYPES, CUSTODY_STATUSES, PROCEEDINGS, RISK_ASSESSMENTS
from filings.inputs.text import clean_text, number_text

# No example database in the work tree; no deadline, as Babel loads its data on first use.
settings.register_profile("filings", database=None, deadline=None, max_examples=150)
settings.load_profile("filings")

CHOICES = {
    "custody_status": CUSTODY_STATUSES,
    "arrest_type": ARREST_TYPES,
    "risk_assessment": RISK_ASSESSMENTS,
    "proceedings": PROCEEDINGS,
}
dates = st.dates(dt.date(1900, 3, 1), dt.date(2099, 12, 31))


def messy(text: str):
    """Strategies for the same words with other case, spacing and punctuation."""
    return st.tuples(
        st.sampled_from([str.lower, str.upper, str.title, str]),
        st.sampled_from([" ", "  ", "-", "_", ". "]),
        st.sampled_from(["", " ", "\t"]),
    ).map(lambda t: t[2] + t[0](text).replace(" ", t[1]) + t[2])


# --- A-numbers ---------------------------------------------------------------------------------


@given(
    digits=st.text("0123456789", min_size=7, max_size=9),
    prefix=st.sampled_from(["", "A", "a"]),
    cuts=st.lists(st.integers(0, 9), max_size=3),
    sep=st.sampled_from(["-", " "]),
)
def test_any_written_a_number_normalizes_to_a_and_nine_digits(digits, prefix, cuts, sep):
    written = digits
    for cut in sorted(set(cuts), reverse=True):
        written = written[:cut] + sep + written[cut:]
    normalized = normalize_a_number(prefix + written)
    assert normalized == "A" + digits.zfill(9)
    assert normalize_a_number(normalized) == normalized
    assert normalize_a_number(format_a_number(normalized)) == normalized


@given(st.text("0123456789", min_size=1, max_size=15).filter(lambda d: not 7 <= len(d) <= 9))
def test_a_number_with_the_wrong_count_of_digits_says_how_many(digits):
    with pytest.raises(ValueError, match=f"has {len(digits)} digits; an A-number has 7 to 9"):
        normalize_a_number(digits)


@pytest.mark.parametrize(
    "number, text",
    [
        (12345678, "12345678"),
        (12345678.0, "12345678"),
        (1234567.5, "1234567.5"),
        (0.1 + 0.2, "0.3"),
    ],
)
def test_numbers_are_written_as_a_spreadsheet_shows_them(number, text):
    assert number_text(number) == text


# --- dates -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        "2025-11-12",
        "2025-11-12T00:00:00",
        "2025/11/12",
        "11/12/2025",
        "11/12/25",
        "11-12-2025",
        "12-Nov-2025",
        "12 Nov 2025",
        "12-nov-25",
        "November 12, 2025",
        "Nov. 12, 2025",
        "Nov 12 2025",
        "NOVEMBER 12, 2025",
        " 2025-11-12 ",
    ],
)
def test_dates_are_read_as_clerks_write_them(written):
    assert parse_date(written) == dt.date(2025, 11, 12)


def test_an_ambiguous_date_is_read_month_first():
    assert parse_date("03/04/2025") == dt.date(2025, 3, 4)


@pytest.mark.parametrize(
    "written, message",
    [
        ("2025-02-30", "'2025-02-30' is not a date on the calendar"),
        ("2025-13-45", "'2025-13-45' is not a date on the calendar"),
        (
            "13/10/2025",
            "'13/10/2025' is not a date on the calendar; m/d/yyyy dates are read month first",
        ),
        (
            "45973",
            "'45973' is not a date; write it as YYYY-MM-DD, m/d/yyyy, 12-Nov-2025 or "
            "November 12, 2025",
        ),
        (
            "Smarch 3, 2025",
            "'Smarch 3, 2025' is not a date; write it as YYYY-MM-DD, m/d/yyyy, "
            "12-Nov-2025 or November 12, 2025",
        ),
    ],
)
def test_a_date_that_is_not_one_says_what_is_expected(written, message):
    with pytest.raises(ValueError) as exc:
        parse_date(written)
    assert str(exc.value) == message


@given(dates)
def test_every_written_form_of_a_date_reads_back_as_that_date(day):
    forms = [
        day.isoformat(),
        f"{day.month}/{day.day}/{day.year}",
        f"{day.month:02}/{day.day:02}/{day.year}",
        day.strftime("%d-%b-%Y"),
        day.strftime("%B %d, %Y"),
        day.strftime("%b. %d, %Y"),
    ]
    for form in forms:
        assert parse_date(form) == day, form


@given(st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)))
def test_a_two_digit_year_of_an_event_is_this_century(day):
    assert parse_date(day.strftime("%m/%d/%y")) == day
    assert parse_date(day.strftime("%d-%b-%y")) == day


@given(yy=st.integers(0, 99), today=st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)))
def test_a_two_digit_birth_year_is_never_in_the_future(yy, today):
    year = full_year(f"{yy:02}", born=True, today=today)
    assert year % 100 == yy
    assert today.year - 100 < year <= today.year


def test_a_birth_year_past_this_year_is_last_century():
    today = dt.date(2025, 11, 14)
    assert parse_date("3/14/88", born=True, today=today) == dt.date(1988, 3, 14)
    assert parse_date("3/14/25", born=True, today=today) == dt.date(2025, 3, 14)
    assert parse_date("3/14/26", born=True, today=today) == dt.date(1926, 3, 14)
    assert parse_date("3/14/26", today=today) == dt.date(2026, 3, 14)


@given(dates)
def test_excel_serials_read_back_as_their_dates(day):
    assert excel_date(to_excel(day)) == day


def test_excel_serials_outside_excels_calendar_are_refused():
    with pytest.raises(ValueError, match="is not an Excel date serial number"):
        excel_date(0)
    with pytest.raises(ValueError, match="is not an Excel date serial number"):
        excel_date(10_000_000)


def test_the_case_file_keeps_to_iso_dates():
    with pytest.raises(ValueError, match="'11/12/2025' is not a date in the form YYYY-MM-DD"):
        parse_iso_date("11/12/2025")


# --- languages ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written, code",
    [
        ("es", "es"),
        ("ES", "es"),
        ("spa", "es"),
        ("Spanish", "es"),
        ("español", "es"),
        ("Espanol", "es"),
        ("es-MX", "es"),
        ("en", "en"),
        ("English", "en"),
        ("inglés", "en"),
        ("pt", "pt"),
        ("Portuguese", "pt"),
        ("português", "pt"),
        ("pt_BR", "pt"),
        ("fr", "fr"),
        ("French", "fr"),
        ("français", "fr"),
        ("fre", "fr"),
        ("ht", "ht"),
        ("Haitian Creole", "ht"),
        ("Kreyòl", "ht"),
        ("kreyol ayisyen", "ht"),
        ("Creole", "ht"),
        ("ar", "ar"),
        ("Arabic", "ar"),
        ("العربية", "ar"),
        ("zh", "zh"),
        ("Chinese", "zh"),
        ("Mandarin", "zh"),
        ("中文", "zh"),
        ("Cantonese", "yue"),
        ("vi", "vi"),
        ("Vietnamese", "vi"),
        ("Tiếng Việt", "vi"),
        ("uk", "uk"),
        ("Ukrainian", "uk"),
        ("українська", "uk"),
        ("ru", "ru"),
        ("Russian", "ru"),
        ("русский", "ru"),
        ("hi", "hi"),
        ("Hindi", "hi"),
        ("हिन्दी", "hi"),
        ("pa", "pa"),
        ("Punjabi", "pa"),
        ("ਪੰਜਾਬੀ", "pa"),
        ("K'iche'", "quc"),
        ("Kʼicheʼ", "quc"),
        ("Quiché", "quc"),
        ("quc", "quc"),
        ("Mam", "mam"),
        ("Q'anjob'al", "kjb"),
        ("Farsi", "fa"),
    ],
)
def test_languages_by_code_or_name(written, code):
    assert parse_language(written) == code


def test_an_unknown_language_says_how_to_write_one():
    with pytest.raises(ValueError) as exc:
        parse_language("Elvish")
    assert str(exc.value) == (
        "'Elvish' is not a language code or name; write it as es, spa, Spanish or español"
    )


def _english_names() -> list[tuple[str, str]]:
    """(code, name) for each language CLDR names in English, but for names two languages share
    and names of three letters or fewer, which read as codes first (`Ga` is Irish's code)."""
    from collections import Counter

    from babel import Locale

    names = {c: n for c, n in Locale("en").languages.items() if "_" not in c}
    shared = Counter(header_key(n) for n in names.values())
    return sorted(
        (c, n) for c, n in names.items() if shared[header_key(n)] == 1 and len(header_key(n)) > 3
    )


@given(st.sampled_from(_english_names()), st.sampled_from([str.lower, str.upper, str]))
def test_every_language_babel_names_is_read_by_its_code_and_english_name(code_name, case):
    code, name = code_name
    assert parse_language(case(code)) == code
    assert parse_language(case(name)) == code


# --- codes and names ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "field, written, code",
    [
        ("custody_status", "In custody", "detained"),
        ("custody_status", "ICE Custody", "detained"),
        ("custody_status", "Detained", "detained"),
        ("custody_status", "Paroled", "released"),
        ("custody_status", "Bonded out", "released"),
        ("custody_status", "Deported", "removed"),
        ("custody_status", "REMOVED", "removed"),
        ("arrest_type", "No warrant", "warrantless"),
        ("arrest_type", "Traffic stop", "vehicle_stop"),
        ("arrest_type", "vehicle-stop", "vehicle_stop"),
        ("risk_assessment", "High", "high_risk"),
        ("risk_assessment", "High risk", "high_risk"),
        ("risk_assessment", "Not high risk", "not_high_risk"),
        ("risk_assessment", "Low", "not_high_risk"),
        ("risk_assessment", "Pending", "pending"),
    ],
)
def test_codes_are_read_with_their_synonyms(field, written, code):
    assert parse_choice(written, CHOICES[field], field) == code


@given(
    st.sampled_from(
        [
            (f, c, s)
            for f, codes in SYNONYMS.items()
            for c, names in codes.items()
            for s in (c.replace("_", " "), *names)
        ]
    ),
    st.data(),
)
def test_any_synonym_in_any_case_or_spacing_gives_its_code(synonym, data):
    field, code, written = synonym
    assert parse_choice(data.draw(messy(written)), CHOICES[field], field) == code


def test_an_unknown_code_lists_the_codes():
    with pytest.raises(ValueError) as exc:
        parse_choice("in jail", CUSTODY_STATUSES, "custody_status")
    assert str(exc.value) == "'in jail' is not one of: detained, released, removed, unknown"


@given(st.text())
def test_names_are_trimmed_and_nfc_normalized_but_never_recased(name):
    cleaned = clean_text(name)
    assert cleaned == unicodedata.normalize("NFC", name.strip())
    assert clean_text(cleaned) == cleaned


# --- headers -----------------------------------------------------------------------------------


@given(st.sampled_from([(c, a) for c, names in ALIASES.items() for a in names]), st.data())
def test_a_header_alias_matches_in_any_case_or_spacing(alias, data):
    from filings.inputs.columns import builtin_aliases

    column, written = alias
    assert builtin_aliases()[header_key(data.draw(messy(written)))] == column


@pytest.mark.parametrize(
    "header, key",
    [
        ("A#", "anumber"),
        ("A-Number", "anumber"),
        ("a number", "anumber"),
        ("A No.", "anumber"),
        ("Fécha de Nacimiento", "fechadenacimiento"),
        ("Año", "ano"),
    ],
)
def test_headers_match_ignoring_case_spaces_punctuation_and_accents(header, key):
    assert header_key(header) == key


@pytest.mark.parametrize(
    "header, key",
    [
        ("Detention Officer ", "detention_officer"),
        ("Teléfono", "telefono"),
        ("Detainee #", "detainee_number"),
        ("电话", "电话"),
    ],
)
def test_extra_columns_are_kept_under_a_plain_key(header, key):
    assert canonical_header(header) == key
