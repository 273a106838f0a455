"""Read a language as rosters write it: a code, or its name in English, Spanish or itself.

Its own module because of its index: every name CLDR gives a language (through Babel), ISO 639
aliases and the names rosters use that CLDR lacks, built once per process on first use.
"""

from __future__ import annotations

import re
from functools import cache

from babel import Locale
from babel.core import get_global
from babel.localedata import locale_identifiers

from filings.inputs.text import words

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
