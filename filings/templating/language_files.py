"""What a translated template's folder says about its languages, beside its template files:
translations.yaml (which version of the English each translation translates, and who reviewed
it) and taglines.yaml (one line in each reader's own language for a notice still in English).

A translation records, section by section, a hash of the English it translates. The English
template names its sections with a comment `{# section: name #}` before each; the hash is of that
section's source, whitespace aside. When a section's English changes, its hash changes, and every
translation that recorded the old one is older than the English: `filings lint` names the
sections, and a notice for its reader falls back to English (and is listed), never sent stale.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from filings.errors import DataError, Location, TemplateError
from filings.glyphs import is_rtl
from filings.inputs.load import load_yaml
from filings.templating.view import Tagline

TRANSLATIONS_FILE = "translations.yaml"
TAGLINES_FILE = "taglines.yaml"
_SECTION = re.compile(r"\{#-?\s*section:\s*([A-Za-z0-9_-]+)\s*-?#\}")
# Chinese readers of these countries read Traditional characters; others, Simplified.
_HANT_COUNTRIES = ("taiwan", "hong kong", "macau", "macao")


def sections(text: str) -> dict[str, str]:
    """A template's sections by name, each a short hash of its source from its marker to the
    next (whitespace collapsed, so re-wrapping a line changes nothing)."""
    found = list(_SECTION.finditer(text))
    hashes = {}
    for match, following in zip(found, [*found[1:], None], strict=True):
        body = text[match.end() : following.start() if following else len(text)]
        digest = hashlib.sha256(" ".join(body.split()).encode("utf-8")).hexdigest()
        hashes[match[1]] = digest[:12]
    return hashes


@dataclass(frozen=True)
class Review:
    """One translation as translations.yaml records it."""

    translates: dict[str, str]
    reviewed_by: str | None
    reviewed_on: str | None


def _stamp(*paths: Path) -> tuple[int, ...]:
    """Modification times, so a file is read again only when it changes."""
    return tuple(p.stat().st_mtime_ns if p.exists() else 0 for p in paths)


def _read(folder: Path, name: str, template: str) -> dict:
    path = folder / name
    if not path.exists():
        return {}
    try:
        data = load_yaml(path)
    except DataError as exc:
        where = exc.location or Location(name)
        raise TemplateError(
            dataclasses.replace(where, file=f"{template}/{where.file}"), exc.problem
        ) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise TemplateError(
            Location(f"{template}/{name}"), "should map language codes to their entries"
        )
    return data


def reviews(template: str, folder: Path) -> dict[str, Review]:
    """translations.yaml: each language's recorded English hashes, reviewer and review date."""
    return _reviews(template, folder, _stamp(folder / TRANSLATIONS_FILE))


@lru_cache(maxsize=32)
def _reviews(template: str, folder: Path, stamp: tuple[int, ...]) -> dict[str, Review]:
    found = {}
    for lang, entry in _read(folder, TRANSLATIONS_FILE, template).items():
        translates = entry.get("translates") if isinstance(entry, dict) else None
        if not isinstance(translates, dict):
            raise TemplateError(
                Location(f"{template}/{TRANSLATIONS_FILE}", field=f"{lang}.translates"),
                "should map each English section to the hash it translates",
            )
        found[str(lang)] = Review({str(k): str(v) for k, v in translates.items()},
                                  _text(entry.get("reviewed_by")),
                                  _text(entry.get("reviewed_on")))  # fmt: skip
    return found


def _text(value) -> str | None:
    return str(value) if value not in (None, "") else None


def english_sections(folder: Path, english_file: str) -> dict[str, str]:
    """The English template's sections and their hashes now."""
    path = folder / english_file
    return _english(path, _stamp(path))


@lru_cache(maxsize=32)
def _english(path: Path, stamp: tuple[int, ...]) -> dict[str, str]:
    return sections(path.read_text(encoding="utf-8"))


def changed_sections(template: str, folder: Path, english_file: str, lang: str) -> list[str]:
    """The English sections a translation does not translate as they are now: changed since it
    was recorded, or never recorded. Empty: the translation is current."""
    now = english_sections(folder, english_file)
    recorded = reviews(template, folder).get(lang)
    translates = recorded.translates if recorded else {}
    return [name for name, digest in now.items() if translates.get(name) != digest]


# --- taglines ----------------------------------------------------------------------------------


def taglines(template: str, folder: Path) -> dict[str, Tagline]:
    """taglines.yaml: each language's line, with `{phone}` where the number goes."""
    return _taglines(template, folder, _stamp(folder / TAGLINES_FILE))


@lru_cache(maxsize=32)
def _taglines(template: str, folder: Path, stamp: tuple[int, ...]) -> dict[str, Tagline]:
    found = {}
    for lang, entry in _read(folder, TAGLINES_FILE, template).items():
        text = entry.get("text") if isinstance(entry, dict) else None
        if not isinstance(text, str) or text.count("{phone}") != 1:
            raise TemplateError(
                Location(f"{template}/{TAGLINES_FILE}", field=f"{lang}.text"),
                "should be one line with {phone} once, where the number to call goes",
            )
        reviewed = entry.get("reviewed")
        if not isinstance(reviewed, bool):
            raise TemplateError(
                Location(f"{template}/{TAGLINES_FILE}", field=f"{lang}.reviewed"),
                "should be true (a qualified translator reviewed it) or false",
            )
        before, after = " ".join(text.split()).split("{phone}")
        found[str(lang)] = Tagline(str(lang), before, after, reviewed, is_rtl(text))
    return found


def tagline_for(template: str, folder: Path, language: str, country: str | None) -> Tagline | None:
    """The tagline for a reader's language: by its code, Chinese by the characters its readers'
    country uses; None when there is none."""
    lines = taglines(template, folder)
    if language == "zh":
        hant = (country or "").strip().casefold() in _HANT_COUNTRIES
        language = "zh-Hant" if hant else "zh-Hans"
    return lines.get(language)
