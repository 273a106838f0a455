"""Every filter and global the templates may use, registered in one place.

Dates, numbers and money are written as the document's language writes them (Babel, from CLDR).
A filter given no language takes the one the text is in: `lang` in the template's context, which
a translated template sets for each language it includes (see `filings.render`).
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Sequence
from copy import copy
from functools import cache

import jinja2
import lxml.html
from babel import Locale
from babel.core import UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_decimal
from markupsafe import Markup, escape

from filings.errors import TemplateError
from filings.glyphs import FAMILIES, is_cjk_text, is_rtl, name_script, same_script
from filings.inputs.normalize import format_a_number
from filings.templating.view import TemplateUseError

LABELS = {
    "en": {
        "detained": "Detained",
        "released": "Released",
        "removed": "Removed",
        "unknown": "Unknown",
        "warrantless": "Warrantless arrest",
        "warrant": "Arrest with a warrant",
        "vehicle_stop": "Vehicle stop",
        "pending": "Assessment pending",
        "not_high_risk": "Not a high public-safety risk",
        "high_risk": "High public-safety risk",
    },
    "es": {
        "detained": "Detenido/a",
        "released": "Liberado/a",
        "removed": "Deportado/a",
        "unknown": "Desconocido",
        "warrantless": "Arresto sin orden de arresto",
        "warrant": "Arresto con orden de arresto",
        "vehicle_stop": "Parada de vehículo",
        "pending": "Evaluación pendiente",
        "not_high_risk": "No es un alto riesgo",
        "high_risk": "Alto riesgo para la seguridad pública",
    },
}

# The CLDR locale each language is written in. Our readers live in the United States: English and
# Spanish as written there (es_US writes "$1,500" and "12 de noviembre de 2025"); French as written
# in France and in the African countries our French readers come from ("1 500 $US"). Any other
# language uses CLDR's default region for it; a language CLDR does not know (mam, kjb) uses en_US.
LOCALES = {"en": "en_US", "es": "es_US", "fr": "fr"}


@cache
def locale(lang: str | None) -> Locale:
    """The Babel locale a language's dates and numbers are written in; never fails."""
    code = (lang or "en").replace("-", "_")
    try:
        return Locale.parse(LOCALES.get(code, code))
    except (UnknownLocaleError, ValueError, TypeError):
        base = code.split("_")[0]
        if base != code:
            return locale(base)
        return Locale.parse("en_US")


def _lang(context, lang: str | None) -> str:
    return lang or context.get("lang") or "en"


@jinja2.pass_context
def long_date(context, value: dt.date, lang: str | None = None) -> str:
    """`2025-11-12` -> `November 12, 2025` (en) or `12 de noviembre de 2025` (es)."""
    where = locale(_lang(context, lang))
    text = format_date(value, "long", locale=where)
    if where.language == "fr" and value.day == 1:
        text = "1er" + text[1:]  # French writes the first of the month as an ordinal
    return text


@jinja2.pass_context
def money(context, value: float | int | str, lang: str | None = None) -> str:
    """US dollars as the language writes them, without cents when there are none: `$1,500`
    (en, es), `1 500 $US` (fr)."""
    where = locale(_lang(context, lang))
    amount = decimal.Decimal(str(value))
    pattern = copy(where.currency_formats["standard"])
    if amount == amount.to_integral_value():
        pattern.frac_prec = (0, 0)
    return pattern.apply(amount, where, currency="USD", currency_digits=False)


@jinja2.pass_context
def number(context, value: int | float, lang: str | None = None) -> str:
    return format_decimal(value, locale=locale(_lang(context, lang)))


@jinja2.pass_context
def label(context, value: str, lang: str | None = None) -> str:
    """The reader's words for a roster code (`not_high_risk` -> `Not a high public-safety risk`)."""
    code = _lang(context, lang).split("-")[0].split("_")[0]
    return LABELS.get(code, LABELS["en"]).get(value, value)


@jinja2.pass_context
def translated(context, value: str, lang: str | None = None) -> str:
    """The case file's English `value` in the text's language, from the case file's
    `translations:`; English as it is. No entry for the language is an error, never English
    left inside a translated notice."""
    code = _lang(context, lang)
    if code.split("-")[0] == "en":
        return value
    case = context.get("case")
    wanted = " ".join(str(value).split())
    for entry in getattr(case, "translations", ()):
        if " ".join(entry["en"].split()) == wanted and code in entry:
            return entry[code]
    shown = wanted if len(wanted) <= 40 else wanted[:39] + "…"
    source = getattr(case, "source", "the case file")
    raise TemplateUseError(
        f"{source}: translations: no {code!r} text for {shown!r}; add an entry "
        f"with en: (that English, as written) and {code}: (its translation)"
    )


# --- names -------------------------------------------------------------------------------------

_HANT_COUNTRIES = {
    "taiwan": "zh-Hant-TW",
    "hong kong": "zh-Hant-HK",
    "macau": "zh-Hant-MO",
    "macao": "zh-Hant-MO",
}


def name_language(detainee) -> str | None:
    """The language tag a person's name is marked with, so the right glyphs set it and Word
    proofs it right: the person's language when the name is written in its script; for a name in
    Chinese characters, Traditional or Simplified by language and country of citizenship."""
    text = detainee.full_name
    lang = detainee.preferred_language or "en"
    if is_cjk_text(text):
        if lang in ("ja", "ko", "yue"):
            return lang
        country = (detainee.country_of_citizenship or "").strip().casefold()
        return _HANT_COUNTRIES.get(country, "zh-Hans")
    family = name_script(text)
    if same_script(lang, family):
        return lang
    script_language = FAMILIES[family].language  # Arabic letters from a Spanish speaker: Arabic
    return script_language.split("-")[0] if script_language else None


def name(detainee) -> Markup:
    """A person's full name, marked with its language and, when right-to-left, its direction:
    `<span lang="ar" dir="rtl">طارق حداد</span>`."""
    text = detainee.full_name
    attrs = ""
    if lang := name_language(detainee):
        attrs += f' lang="{escape(lang)}"'
    if is_rtl(text):
        attrs += ' dir="rtl"'
    return Markup(f"<span{attrs}>{escape(text)}</span>")


# --- two languages side by side ----------------------------------------------------------------


def side_by_side(left: str, right: str, languages: Sequence[str]) -> Markup:
    """Two renderings of one document as a two-column table, each `<section>` of the first beside
    the same section of the second; both must have the same sections in the same order."""
    columns = [_sections(html) for html in (left, right)]
    if len(columns[0]) != len(columns[1]):
        counts = " and ".join(
            f"{lang}: {len(c)}" for lang, c in zip(languages, columns, strict=True)
        )
        raise TemplateError(
            None,
            f"side_by_side: the languages have different sections ({counts});"
            " each translation needs the same sections in order",
        )
    rows = []
    for pair in zip(*columns, strict=True):
        cells = []
        for lang, section in zip(languages, pair, strict=True):
            inner = (section.text or "").strip() + "".join(
                lxml.html.tostring(child, encoding="unicode") for child in section
            )
            cells.append(f'<td lang="{escape(lang)}">{inner}</td>')
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return Markup(f'<table class="parallel">\n{chr(10).join(rows)}\n</table>')


def _sections(html: str) -> list:
    parts = lxml.html.fragments_fromstring(str(html)) if str(html).strip() else []
    if any(not hasattr(p, "tag") or p.tag != "section" for p in parts):
        raise TemplateError(
            None, "side_by_side: a translation must be a series of <section> elements"
        )
    return parts


FILTERS = {
    "a_number": format_a_number,
    "long_date": long_date,
    "money": money,
    "number": number,
    "label": label,
    "name": name,
    "translated": translated,
}
GLOBALS: dict = {"side_by_side": side_by_side}
