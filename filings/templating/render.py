"""Record + template -> HTML in the documented vocabulary; template errors located precisely."""

from __future__ import annotations

import os
import re
import traceback
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from filings.errors import DataError, Location, TemplateError
from filings.inputs.load import load_yaml
from filings.inputs.records import Case, Detainee, Removal
from filings.templating import language_files
from filings.templating.templates import EmptyValueError, Template
from filings.templating.view import RosterSummary, Tagline, TemplateInfo, TemplateUseError


def render_html(
    env: SandboxedEnvironment,
    template: Template,
    case: Case,
    detainee: Detainee | None = None,
    roster: RosterSummary | None = None,
    lang: str = "en",
    template_version: str = "unversioned",
    copy: str | None = None,
) -> str:
    """Render one document's HTML, turning any Jinja failure into a located TemplateError.

    A translated template is rendered in the reader's language (see `document_languages`); the
    context says which languages, in what order and layout, and where each one's file is."""
    found = document_languages(template, detainee)
    languages = found.languages if found else (lang,)
    context = {
        "case": case,
        "detainee": detainee,
        "roster": roster,
        "lang": languages[0],
        "languages": list(languages),
        "layout": found.layout if found else LAYOUTS[0],
        "needs_translation": bool(found and found.needs_translation),
        "tagline": found.tagline if found else None,
        "translations": found.files if found else {},
        "template": _info(template),
        "template_version": template_version,
        # Facts decided once in Python, never in a template (records.py):
        "removal": Removal.of(detainee, case.dated(template.dated)),
        "document_date": case.dated(template.dated),
        "copy": copy,  # public, sealed, or None for a document's one complete copy
        "class_member": case.covers(detainee) if detainee else None,
    }
    row = f" ({detainee.source})" if detainee else ""
    try:
        return env.get_template(template.source).render(context)
    except jinja2.TemplateSyntaxError as exc:
        where = Location(_shown(exc.filename or exc.name or template.source), exc.lineno)
        raise TemplateError(where, str(exc.message)) from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(template.source, f"no template file named {exc.name!r}") from None
    except (SecurityError, TemplateUseError) as exc:  # worded by the sandbox or the record
        raise TemplateError(_where(exc), str(exc)) from None
    except RecursionError as exc:
        raise TemplateError(
            _where(exc), "refused: a macro, include or block that calls itself without end"
        ) from None
    except jinja2.UndefinedError as exc:
        raise TemplateError(_where(exc), f"{exc.message}{row}") from None
    except EmptyValueError as exc:
        raise TemplateError(
            _where(exc),
            f"{_expression(exc)} is empty for this row{row}; print it only inside "
            "{% if … %} so the text reads naturally without it",
        ) from None
    except TemplateError as exc:  # raised by a filter or global: the template line that called it
        if exc.location is not None:
            raise
        raise TemplateError(_where(exc), exc.problem) from None


def _info(template: Template) -> TemplateInfo:
    """What a template knows of itself: its metadata, never its folder (a Path opens files)."""
    return TemplateInfo(
        template.name, template.title, template.description, template.kind, template.format
    )


def _template_frame(exc: BaseException) -> traceback.FrameSummary | None:
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".j2")]
    return frames[-1] if frames else None


def _where(exc: BaseException) -> Location:
    frame = _template_frame(exc)
    return Location(_shown(frame.filename), frame.lineno) if frame else Location("template")


def _expression(exc: BaseException) -> str:
    """The `{{ … }}` on the failing line, when the line has just one."""
    frame = _template_frame(exc)
    if frame is not None:
        lines = Path(frame.filename).read_text(encoding="utf-8").splitlines()
        found = re.findall(r"\{\{.*?\}\}", lines[frame.lineno - 1]) if frame.lineno else []
        if len(found) == 1:
            return found[0]
    return "a printed value"


def _shown(filename: str) -> str:
    """A template path as the user knows it: relative to the working folder when inside it."""
    path = Path(filename)
    try:
        return os.path.relpath(path) if not os.path.relpath(path).startswith("..") else str(path)
    except ValueError:
        return str(path)


# --- the languages a document is written in ----------------------------------------------------

# How English joins the reader's language in a translated template (`english:` in template.yaml):
# not at all, after it (from a new page), or beside it (a two-column table, section by section).
LAYOUTS = ("language_only", "after", "side_by_side")
ENGLISH = "en"
_CODE = r"([a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)"


# Why a reader's notice is in English alone, or carries a line not checked by a translator: the
# reasons OUT/needs-translation.csv gives.
NO_LANGUAGE = "no language recorded"
NO_TRANSLATION = "no translation"
STALE = "translation older than the English"
TAGLINE_NOT_REVIEWED = "tagline not reviewed"


@dataclass(frozen=True)
class Languages:
    """The languages of one document: the reader's, and the ones it is written in, in order."""

    reader: str | None  # None: the roster records no language for the reader
    languages: tuple[str, ...]
    layout: str
    files: dict[str, str] = field(default_factory=dict)  # language -> template name to include
    reasons: tuple[str, ...] = ()  # why it needs a translator's attention (the reasons above)
    tagline: Tagline | None = None  # the reader's-language line atop a notice in English

    @property
    def needs_translation(self) -> bool:
        """The reader's language has no translation yet (or none is recorded), so the document is
        in English alone."""
        return self.reader != ENGLISH and self.languages == (ENGLISH,)


def translations(template: Template) -> tuple[dict[str, str], str] | None:
    """A translated template's files by language (`es` -> `release-notice/es.html.j2`) and its
    layout, from `translations:` and `english:` in its template.yaml; None for one language."""
    meta_path = template.folder / "template.yaml"
    try:  # read again only when the metadata or the folder's files change
        stamp = (meta_path.stat().st_mtime_ns, template.folder.stat().st_mtime_ns)
    except OSError:
        return None
    found = _translations(template.name, template.folder, stamp)
    return (dict(found[0]), found[1]) if found else None


@lru_cache(maxsize=64)
def _translations(name: str, folder: Path, stamp: tuple[int, int]):
    try:
        meta = load_yaml(folder / "template.yaml")
    except (DataError, OSError):
        return None  # reading the metadata is `filings.templates`' job, and it reports errors
    pattern = meta.get("translations") if isinstance(meta, dict) else None
    if pattern is None:
        return None
    where = f"{name}/template.yaml"
    if not isinstance(pattern, str) or pattern.count("{lang}") != 1:
        raise TemplateError(
            Location(where, field="translations"),
            f"{pattern!r} should be a file name with {{lang}} for the language "
            "code, such as '{lang}.html.j2'",
        )
    layout = meta.get("english", "after")
    if layout not in LAYOUTS:
        raise TemplateError(
            Location(where, field="english"), f"{layout!r} is not one of: {', '.join(LAYOUTS)}"
        )
    head, tail = pattern.split("{lang}")
    file_name = re.compile(re.escape(head) + _CODE + re.escape(tail))
    files = {
        m[1]: f"{name}/{m[0]}"
        for p in sorted(folder.iterdir())
        if (m := file_name.fullmatch(p.name))
    }
    if ENGLISH not in files:
        raise TemplateError(
            Location(where, field="translations"),
            "no English file "
            f"({pattern.replace('{lang}', ENGLISH)}); English is what a reader "
            "whose language has no translation gets",
        )
    return files, layout


def document_languages(template: Template, detainee: Detainee | None) -> Languages | None:
    """The languages a translated template's document is written in for this reader: theirs, and
    English as the template's layout says; English alone (and `needs_translation`) when their
    language has no translation, or one older than the English (`language_files`), or when the
    roster records no language. None for a template with one language, or a per-roster document."""
    found = translations(template) if detainee is not None else None
    if found is None:
        return None
    files, layout = found
    reader = detainee.preferred_language  # None: none recorded; English, listed for a clerk
    match = (
        reader
        if reader in files
        else next((code for code in files if code.split("-")[0] == reader), None)
    )
    if reader in (None, "", ENGLISH) or match == ENGLISH:
        reasons: tuple[str, ...] = (NO_LANGUAGE,) if not reader else ()
        return Languages(reader, (ENGLISH,), layout, files, reasons)
    if match is None or stale(template, files, match):
        english_only = _english_only(template, detainee, STALE if match else NO_TRANSLATION)
        return Languages(reader, (ENGLISH,), layout, files, *english_only)
    languages = (match,) if layout == "language_only" else (match, ENGLISH)
    return Languages(reader, languages, layout, files)


def stale(template: Template, files: dict[str, str], lang: str) -> list[str]:
    """The English sections a translation is older than (see `language_files`)."""
    english = files[ENGLISH].split("/", 1)[1]
    return language_files.changed_sections(template.name, template.folder, english, lang)


def _english_only(template: Template, detainee: Detainee, reason: str):
    """The reasons and the tagline of a notice sent in English to a reader of another language."""
    tagline = language_files.tagline_for(template.name, template.folder,
                                         detainee.preferred_language,
                                         detainee.country_of_citizenship)  # fmt: skip
    reasons = (reason,) if tagline is None or tagline.reviewed else (reason, TAGLINE_NOT_REVIEWED)
    return reasons, tagline
