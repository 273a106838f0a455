"""Read a coded value as people write it: `In Custody`, `Deported`, `no warrant`.

Custody status, arrest type, risk assessment and proceedings each take one of a few codes; a
roster writes them in any case, in English or Spanish, or by a synonym (`SYNONYMS`). The codes
themselves are the records' (`records.py`); what people write for them is here.
"""

from __future__ import annotations

from functools import cache

from filings.inputs.text import words

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
