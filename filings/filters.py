"""Every filter and global the templates may use, registered in one place."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

from filings.validate import format_a_number

LABELS = {
    "en": {
        "detained": "Detained", "released": "Released", "removed": "Removed", "unknown": "Unknown",
        "warrantless": "Warrantless arrest", "warrant": "Arrest with a warrant",
        "vehicle_stop": "Vehicle stop",
        "pending": "Assessment pending", "not_high_risk": "Not a high public-safety risk",
        "high_risk": "High public-safety risk",
    },
    "es": {
        "detained": "Detenido/a", "released": "Liberado/a", "removed": "Deportado/a",
        "unknown": "Desconocido",
        "warrantless": "Arresto sin orden de arresto", "warrant": "Arresto con orden de arresto",
        "vehicle_stop": "Parada de vehículo",
        "pending": "Evaluación pendiente", "not_high_risk": "No es un alto riesgo",
        "high_risk": "Alto riesgo para la seguridad pública",
    },
}  # fmt: skip


def long_date(value: dt.date, lang: str = "en") -> str:
    """`2025-11-12` -> `November 12, 2025` (en) or `12 de noviembre de 2025` (es)."""
    return format_date(value, "long", locale=lang)


def money(value: float | int | str, lang: str = "en") -> str:
    """US dollars as the language writes them, without cents when there are none."""
    amount = float(value)
    pattern = "¤#,##0" if amount == int(amount) else "¤#,##0.00"
    return format_currency(amount, "USD", format=pattern, locale=lang, currency_digits=False)


def number(value: int | float, lang: str = "en") -> str:
    return format_decimal(value, locale=lang)


def label(value: str, lang: str = "en") -> str:
    """The reader's words for a roster code (`not_high_risk` -> `Not a high public-safety risk`)."""
    return LABELS.get(lang, LABELS["en"]).get(value, value)


FILTERS = {
    "a_number": format_a_number,
    "long_date": long_date,
    "money": money,
    "number": number,
    "label": label,
}
GLOBALS: dict = {}
