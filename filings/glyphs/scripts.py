"""Which script and language a text is in, and which of the project's families sets it.

A court format names the families it uses in order (`font.family`, then `font.fallbacks`). For
each character the first family that has it sets it, as Pango does; Chinese, Japanese and Korean
share code points, so which of the CJK families comes first depends on the text's language
(`chain`): Simplified unless the language says Traditional (zh-Hant, zh-TW, zh-HK, yue), Japanese
or Korean.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from babel.core import get_global

from filings.glyphs.fonts import CJK_FAMILIES, FAMILIES, coverage

# --- which family sets which text -------------------------------------------------------------


def cjk_family(lang: str | None) -> str | None:
    """The CJK family a language tag asks for: `zh-Hant` -> TC, `yue` -> HK, `ja` -> JP; None
    when the tag says nothing about Chinese, Japanese or Korean."""
    parts = re.split(r"[-_]", (lang or "").lower())
    first = parts[0]
    if first == "ja":
        return "Noto Serif CJK JP"
    if first == "ko":
        return "Noto Serif CJK KR"
    if first not in ("zh", "yue", "cmn", "nan", "hak", "wuu", "cdo", "hsn", "gan"):
        return None
    if "hans" in parts:
        return "Noto Serif CJK SC"
    if {"hk", "mo"} & set(parts) or (first == "yue" and "hant" not in parts):
        return "Noto Serif CJK HK"
    if "hant" in parts or "tw" in parts:
        return "Noto Serif CJK TC"
    return "Noto Serif CJK SC"


# CSS :lang() selectors for each CJK family; later rules win, so the most specific come last.
CJK_SELECTORS = {
    "Noto Serif CJK TC": ("zh-Hant", "zh-TW"),
    "Noto Serif CJK HK": ("zh-HK", "zh-MO", "zh-Hant-HK", "zh-Hant-MO", "yue"),
    "Noto Serif CJK SC": ("zh-Hans", "zh-CN", "zh-SG", "yue-Hans"),
    "Noto Serif CJK JP": ("ja",),
    "Noto Serif CJK KR": ("ko",),
}


def chain(families: Sequence[str], lang: str | None = None) -> tuple[str, ...]:
    """The families in the order they are tried, for text in `lang`: the CJK family the language
    asks for moves ahead of the other CJK families; nothing else moves."""
    wanted = cjk_family(lang)
    if wanted is None or wanted not in families:
        return tuple(families)
    order = list(families)
    first_cjk = min(i for i, f in enumerate(order) if f in CJK_FAMILIES)
    order.remove(wanted)
    order.insert(first_cjk, wanted)
    return tuple(order)


def _sticks(char: str) -> bool:
    """Spaces, marks and invisible characters stay in the font of the text around them."""
    return unicodedata.category(char)[0] in "ZMC"


def runs(text: str, families: Sequence[str]) -> list[tuple[str, str]]:
    """`text` cut into (piece, family) runs: each character in the first family that has it, as
    Pango chooses them, and any project font after the listed ones."""
    order = [*families, *(f for f in FAMILIES if f not in families)]
    out: list[list[str]] = []
    for char in text:
        current = out[-1][1] if out else None
        if current and _sticks(char) and ord(char) in coverage(current):
            out[-1][0] += char
            continue
        chosen = next((f for f in order if ord(char) in coverage(f)), order[0])
        if chosen == current:
            out[-1][0] += char
        else:
            out.append([char, chosen])
    return [(piece, fam) for piece, fam in out]


# --- direction ---------------------------------------------------------------------------------


def is_rtl(text: str) -> bool:
    """The text's first strong character is right-to-left (Arabic, Hebrew, …), as `dir=auto`."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def has_rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)


def name_script(text: str) -> str:
    """The family that sets the text's first letters that are not Latin, Greek or Cyrillic, or
    Liberation Serif when all are: what script a name is written in."""
    for piece, fam in runs(text, tuple(FAMILIES)):
        if FAMILIES[fam].script and any(c.isalpha() for c in piece):
            return fam
    return "Liberation Serif"


def is_cjk_text(text: str) -> bool:
    """Some letter of the text is Chinese, Japanese or Korean."""
    return name_script(text) in CJK_FAMILIES


# --- languages and scripts ----------------------------------------------------------------------

_LATIN_LIKE = {"Latn", "Cyrl", "Grek"}
_CJK_SCRIPTS = {"Hans", "Hant", "Hani", "Jpan", "Kore", "Hira", "Kana", "Hang"}
# Word's language for a tag that names no region: the notices' readers live in the United States.
WORD_LANGUAGES = {"en": "en-US", "es": "es-US"}


def _subtags(lang: str) -> list[str]:
    return [p for p in re.split(r"[-_]", lang or "") if p]


def language_script(lang: str | None) -> str | None:
    """The script a language is written in (`uk` -> Cyrl, `zh-Hant` -> Hant), from the tag or
    from CLDR's likely subtags; None when CLDR does not know the language."""
    parts = _subtags(lang or "")
    if not parts:
        return None
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            return part.title()
    likely = get_global("likely_subtags").get(parts[0].lower())
    found = [p for p in (likely or "").split("_")[1:] if len(p) == 4]
    return found[0] if found else None


def word_language(lang: str) -> str:
    """A language tag as Word names proofing languages: `es` -> es-US, `zh-Hant` -> zh-TW,
    `vi` -> vi-VN; a language CLDR does not know keeps its own tag."""
    parts = _subtags(lang)
    if not parts:
        return "en-US"
    first = parts[0].lower()
    region = next((p.upper() for p in parts[1:] if len(p) == 2 or p.isdigit()), None)
    if region:
        return f"{first}-{region}"
    if first in WORD_LANGUAGES and len(parts) == 1:
        return WORD_LANGUAGES[first]
    cjk = cjk_family(lang)
    if cjk and first in ("zh", "yue"):
        return FAMILIES[cjk].language or first
    likely = get_global("likely_subtags").get(first, "")
    regions = [p for p in likely.split("_")[1:] if len(p) == 2 or p.isdigit()]
    return f"{first}-{regions[0]}" if regions else first


def same_script(lang: str | None, name: str) -> bool:
    """Whether text in `lang` is written in the script the family is there for."""
    script = language_script(lang)
    wanted = FAMILIES[name].script
    if wanted is None:
        return script is None or script in _LATIN_LIKE
    if wanted in _CJK_SCRIPTS:
        return script in _CJK_SCRIPTS
    return script == wanted


def run_language(lang: str | None, name: str) -> str:
    """Word's language for a run set in family `name` inside an element in `lang`: the element's
    when it is written in that script, else the script's own (Arabic letters in an English
    paragraph are Arabic)."""
    if lang and same_script(lang, name):
        return word_language(lang)
    return FAMILIES[name].language or word_language(lang or "en")
