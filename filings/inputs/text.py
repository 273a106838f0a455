"""A cell's text before it is read as a value: trimmed, checked for what it must not hold, folded.

Every roster and case-file value passes through here whatever it holds: `clean_text` trims and
NFC-normalizes it; `invisible_characters`, `line_separators` and `excel_error` find what the
validation refuses; `words` folds a header, a language name or a code for matching what people
write; `number_text` shows a spreadsheet number as the sheet does. The parsers of each kind of
value (`normalize`, `languages`, `choices`) sit above it.
"""

from __future__ import annotations

import re
import unicodedata


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
