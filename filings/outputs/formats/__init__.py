"""Court formats as data: one file per court styles the PDF and the DOCX and guides the checker.

A format file says how our documents are laid out (page, fonts, one style per role of the template
vocabulary, header, footer, first-page labels, caption, line numbers) and, under `rules`, what the
court requires of a filing, each rule with its source. `filings.check` measures outputs against the
rules; the layout is ours to choose within them. See the built-in files beside this one.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from filings.errors import DataError, FilingsError, FormatError
from filings.inputs.load import load_yaml
from filings.templating.vocabulary import LANG_TAG

FORMATS_DIR = Path(__file__).parent
TEAM_FORMATS = "_formats"  # a templates folder's own formats, found before the built-in ones
NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")

# The style roles of the template vocabulary (see README, "Template vocabulary"); `footnote` styles
# Word's footnotes and is the size the checker allows for footnotes.
ROLES = ("body", "title", "heading", "subheading", "list", "compact", "quote", "table", "footer")
OPTIONAL_ROLES = ("footnote",)
SLOTS = ("left", "center", "right")
BANDS = ("header", "footer", "first_page")


@dataclass(frozen=True)
class Style:
    """How one role's paragraphs look; sizes in points."""

    size: float
    line: float
    bold: bool = False
    italic: bool = False
    align: str = "left"
    first_indent: float = 0
    left_indent: float = 0
    right_indent: float = 0
    hanging: float = 0
    after: float = 0


@dataclass(frozen=True)
class Font:
    family: str
    complex_script: str
    east_asian: str
    fallbacks: tuple[str, ...] = ()


@dataclass(frozen=True)
class Band:
    """Text in a page margin: a pattern for each slot, such as `Page {page} of {pages}`.

    `{page}` and `{pages}` are page numbers, `{title}` the document's title, and any other `{name}`
    a field the document supplies as `<meta name="filings.NAME" content="…">`. A slot may hold
    several lines (`\\n`). `rule` draws a line (its width in points) between the band and the text.
    """

    left: str = ""
    center: str = ""
    right: str = ""
    rule: float = 0

    @property
    def slots(self) -> dict[str, str]:
        return {slot: getattr(self, slot) for slot in SLOTS if getattr(self, slot)}

    def __bool__(self) -> bool:
        return bool(self.slots)


@dataclass(frozen=True)
class Caption:
    """The case caption's two columns: parties on the left, the number on the right."""

    parties_width: float = 55  # percent of the text width
    rule: float = 0.75  # the vertical line between the columns, in points; 0 for none


@dataclass(frozen=True)
class LineNumbers:
    """Pleading paper's ruler: `count` numbers at `pitch` points, beside every page's text."""

    count: int
    pitch: float
    gap: float = 9  # numbers to rule, and rule to text, in points
    rule: str = "double"  # the vertical rule between numbers and text: double or single


@dataclass(frozen=True)
class Rule:
    """One requirement of the court: its values (a number, or several) and where it comes from."""

    value: Any
    source: str


@dataclass(frozen=True)
class Rules:
    """What the court requires of a filing; what `filings.check` measures. None: no such rule."""

    paper: Rule | None = None  # (width, height), exact
    margins: Rule | None = None  # (top, right, bottom, left), each a minimum
    body_size: Rule | None = None  # minimum point size of text in the text area
    footnote_size: Rule | None = None  # minimum point size of footnotes
    line_pitch: Rule | None = None  # minimum baseline-to-baseline distance of body lines
    page_limit: Rule | None = None  # most pages without leave of court
    a_number: Rule | None = None  # True: the respondent's A-number on every page
    detained: Rule | None = None  # the label ("DETAINED") on the cover when the person is held
    line_numbers: Rule | None = None  # (count per page, at least this many per vertical inch)


# Each rule's keys in the file and the order they make its value in.
RULE_KEYS = {
    "paper": ("width", "height"),
    "margins": ("top", "right", "bottom", "left"),
    "body_size": ("min",),
    "footnote_size": ("min",),
    "line_pitch": ("min",),
    "page_limit": ("max",),
    "a_number": ("every_page",),
    "detained": ("label",),
    "line_numbers": ("count", "min_per_inch"),
}


@dataclass(frozen=True)
class CourtFormat:
    name: str
    title: str
    width: float
    height: float
    margins: tuple[float, float, float, float]  # top, right, bottom, left
    font: Font
    footer: Band
    styles: dict[str, Style] = field(default_factory=dict)
    header: Band = Band()
    first_page: Band = Band()  # labels that replace header slots on the first page
    caption: Caption = Caption()
    line_numbers: LineNumbers | None = None
    table_after: float = 12  # space below a table
    rules: Rules = Rules()
    # The header, footer and first-page labels in other languages: {language: {band: Band}}.
    translations: dict[str, dict[str, Band]] = field(default_factory=dict)
    path: Path | None = None

    def in_language(self, lang: str | None) -> CourtFormat:
        """The format as a document in `lang` (its `<html lang>`) prints it: the translation for
        that language tag, else for its first part (`es` for `es-MX`), else as written."""
        tag = (lang or "").lower()
        bands = self.translations.get(tag) or self.translations.get(tag.split("-")[0])
        return dataclasses.replace(self, **bands) if bands else self

    @property
    def variants(self) -> list[CourtFormat]:
        """The format as written and in each of its translations."""
        return [self, *(self.in_language(tag) for tag in self.translations)]

    @property
    def page_limit(self) -> int | None:
        return self.rules.page_limit.value if self.rules.page_limit else None

    @property
    def text_width(self) -> float:
        return self.width - self.margins[1] - self.margins[3]

    @property
    def text_height(self) -> float:
        return self.height - self.margins[0] - self.margins[2]

    @property
    def ruler_rule(self) -> tuple[float, float]:
        """The line numbers' vertical rule: its left edge and its width, in points. The numbers
        end `gap` to its left and the text starts `gap` to its right."""
        ruler = self.line_numbers
        width = 2.25 if ruler.rule == "double" else 0.75  # double: two 0.75 pt lines, 0.75 apart
        return self.margins[3] - ruler.gap - width, width


def load_format(name: str, search: Sequence[Path | str] = ()) -> CourtFormat:
    """Read the named court format: from a `_formats/` folder of the templates folders in
    `search`, in order, or else from the built-in `filings/formats/NAME.yaml`."""
    return _load(name, tuple(Path(p) for p in search))


@cache
def _load(name: str, search: tuple[Path, ...]) -> CourtFormat:
    path = format_path(name, search)
    try:
        data = load_yaml(path)
    except DataError as exc:  # YAML syntax: keep its line, report it as the format's problem
        raise FormatError(f"{_shown(path)}{exc.message.removeprefix(path.name)}") from None
    return _Reader(path).court_format(data)


def format_path(name: str, search: Sequence[Path] = ()) -> Path:
    """The file a format name stands for, or a FormatError listing the formats there are."""
    if NAME.fullmatch(name):
        for folder in (*(Path(p) / TEAM_FORMATS for p in search), FORMATS_DIR):
            if (folder / f"{name}.yaml").is_file():
                return folder / f"{name}.yaml"
    known = ", ".join(formats(search))
    raise FormatError(f"no court format named {name!r}; the formats are: {known}")


def formats(search: Sequence[Path | str] = ()) -> list[str]:
    """Every format name: the built-in ones and those in the templates folders' `_formats/`."""
    folders = (*(Path(p) / TEAM_FORMATS for p in search), FORMATS_DIR)
    return sorted({p.stem for folder in folders for p in folder.glob("*.yaml")})


# --- reading a format file ---------------------------------------------------------------------

_MISSING = object()


class _Reader:
    """Read one format file; every error names the file, the line and the key."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, mapping: Any, key: str, where: str, problem: str) -> FormatError:
        line = getattr(mapping, "lines", {}).get(key) or getattr(mapping, "start_line", None)
        shown = _shown(self.path) + (f":{line}" if line else "")
        return FormatError(f"{shown}: {where}: {problem}")

    def get(self, mapping, key: str, where: str, kind, default=_MISSING):
        """mapping[key] checked against kind (a type, or a tuple of allowed values)."""
        if not isinstance(mapping, dict) or key not in mapping:
            if default is not _MISSING:
                return default
            raise self.fail(mapping, key, where, "is missing")
        value = mapping[key]
        if value is None and default is None:
            return None
        if isinstance(kind, tuple) and not isinstance(kind[0], type):
            if value not in kind:
                choices = ", ".join(map(str, kind))
                raise self.fail(mapping, key, where, f"{value!r} is not one of: {choices}")
            return value
        if kind is float and isinstance(value, (int, float)) and not isinstance(value, bool):
            if value < 0:
                raise self.fail(mapping, key, where, f"{value!r} is negative")
            return value
        if kind is int and isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value
        if kind in (str, bool, dict, list) and isinstance(value, kind):
            return value
        names = {float: "a number", int: "a whole number above 0", str: "text",
                 bool: "true or false", dict: "a mapping", list: "a list"}  # fmt: skip
        raise self.fail(mapping, key, where, f"{value!r} is not {names[kind]}")

    def known(self, mapping: dict, keys, where: str) -> None:
        for key in mapping:
            if key not in keys:
                known = ", ".join(keys)
                raise self.fail(mapping, key, f"{where}{key}",
                                f"unknown setting; the settings here are: {known}")  # fmt: skip

    def court_format(self, data: Any) -> CourtFormat:
        top = ("name", "title", "page", "font", "header", "footer", "first_page", "translations",
               "caption", "line_numbers", "table_after", "rules", "styles")  # fmt: skip
        if not isinstance(data, dict):
            raise FormatError(f"{_shown(self.path)}: a court format is a YAML mapping")
        self.known(data, top, "")
        name = self.get(data, "name", "name", str)
        if name != self.path.stem:
            raise self.fail(data, "name", "name", f"{name!r} differs from the file's name")
        page = self.get(data, "page", "page", dict)
        sides = ("top", "right", "bottom", "left")
        self.known(page, ("width", "height", *(f"margin_{s}" for s in sides)), "page.")
        fmt = CourtFormat(
            name=name,
            title=self.get(data, "title", "title", str),
            width=self.get(page, "width", "page.width", float),
            height=self.get(page, "height", "page.height", float),
            margins=tuple(self.get(page, f"margin_{s}", f"page.margin_{s}", float) for s in sides),
            font=self.font(self.get(data, "font", "font", dict)),
            header=self.band(data, "header"),
            footer=self.band(data, "footer"),
            first_page=self.band(data, "first_page"),
            translations=self.translations(data),
            caption=self.caption(data),
            line_numbers=self.line_numbers(data),
            table_after=self.get(data, "table_after", "table_after", float, 12),
            rules=self.rules(self.get(data, "rules", "rules", dict, {})),
            styles=self.styles(self.get(data, "styles", "styles", dict)),
            path=self.path,
        )
        self.consistent(data, fmt)
        return fmt

    def font(self, font: dict) -> Font:
        self.known(font, ("family", "complex_script", "east_asian", "fallbacks"), "font.")
        fallbacks = self.get(font, "fallbacks", "font.fallbacks", list, [])
        for item in fallbacks:
            if not isinstance(item, str):
                raise self.fail(font, "fallbacks", "font.fallbacks", f"{item!r} is not a name")
        return Font(
            self.get(font, "family", "font.family", str),
            self.get(font, "complex_script", "font.complex_script", str),
            self.get(font, "east_asian", "font.east_asian", str),
            tuple(fallbacks),
        )

    def band(self, data: dict, key: str, prefix: str = "") -> Band:
        value, where = data.get(key), f"{prefix}{key}"
        if value is None:
            return Band()
        if isinstance(value, str):  # the short form: one centred line
            return Band(center=value)
        if not isinstance(value, dict):
            raise self.fail(data, key, where, f"{value!r} is not text or a mapping")
        self.known(value, (*SLOTS, "rule"), f"{where}.")
        slots = {s: self.get(value, s, f"{where}.{s}", str, "") for s in SLOTS}
        band = Band(**slots, rule=self.get(value, "rule", f"{where}.rule", float, 0))
        if band.rule and set(band.slots) != {"center"}:
            raise self.fail(value, "rule", f"{where}.rule",
                            "a rule needs the text in `center` only")  # fmt: skip
        return band

    def translations(self, data: dict) -> dict[str, dict[str, Band]]:
        """`translations: {es: {footer: …}}`: bands for documents in another language."""
        value = self.get(data, "translations", "translations", dict, {})
        out = {}
        for tag, bands in value.items():
            where = f"translations.{tag}"
            if not isinstance(tag, str) or not LANG_TAG.fullmatch(tag):
                raise self.fail(value, tag, where, "not a language tag such as es or zh-Hant")
            if not isinstance(bands, dict) or not bands:
                raise self.fail(value, tag, where, "is a mapping of header, footer, first_page")
            self.known(bands, BANDS, f"{where}.")
            out[tag.lower()] = {key: self.band(bands, key, f"{where}.") for key in bands}
        return out

    def caption(self, data: dict) -> Caption:
        value = self.get(data, "caption", "caption", dict, {})
        self.known(value, ("parties_width", "rule"), "caption.")
        width = self.get(value, "parties_width", "caption.parties_width", float, 55)
        if not 10 <= width <= 90:
            raise self.fail(value, "parties_width", "caption.parties_width",
                            f"{width:g} is not a percentage between 10 and 90")  # fmt: skip
        return Caption(width, self.get(value, "rule", "caption.rule", float, 0.75))

    def line_numbers(self, data: dict) -> LineNumbers | None:
        value = self.get(data, "line_numbers", "line_numbers", dict, None)
        if value is None:
            return None
        self.known(value, ("count", "pitch", "gap", "rule"), "line_numbers.")
        return LineNumbers(
            count=self.get(value, "count", "line_numbers.count", int),
            pitch=self.get(value, "pitch", "line_numbers.pitch", float),
            gap=self.get(value, "gap", "line_numbers.gap", float, 9),
            rule=self.get(value, "rule", "line_numbers.rule", ("double", "single"), "double"),
        )

    def rules(self, data: dict) -> Rules:
        self.known(data, tuple(RULE_KEYS), "rules.")
        found = {}
        for name, keys in RULE_KEYS.items():
            rule = self.get(data, name, f"rules.{name}", dict, None)
            if rule is None:
                continue
            self.known(rule, (*keys, "source"), f"rules.{name}.")
            kinds = {"every_page": bool, "label": str, "count": int, "max": int}
            values = [self.get(rule, k, f"rules.{name}.{k}", kinds.get(k, float)) for k in keys]
            source = self.get(rule, "source", f"rules.{name}.source", str)
            found[name] = Rule(values[0] if len(values) == 1 else tuple(values), source)
        return Rules(**found)

    def styles(self, data: dict) -> dict[str, Style]:
        self.known(data, (*ROLES, *OPTIONAL_ROLES), "styles.")
        fields = {"size": float, "line": float, "bold": bool, "italic": bool,
                  "align": ("left", "center", "right", "justify"), "first_indent": float,
                  "left_indent": float, "right_indent": float, "hanging": float,
                  "after": float}  # fmt: skip
        styles = {}
        for role in (*ROLES, *OPTIONAL_ROLES):
            if role not in data and role in OPTIONAL_ROLES:
                continue
            style = self.get(data, role, f"styles.{role}", dict)
            self.known(style, tuple(fields), f"styles.{role}.")
            styles[role] = Style(**{k: self.get(style, k, f"styles.{role}.{k}", kind)
                                    for k, kind in fields.items() if k in style
                                    or k in ("size", "line")})  # fmt: skip
        styles.setdefault("footnote", styles["footer"])
        return styles

    def consistent(self, data: dict, fmt: CourtFormat) -> None:
        """Settings that are each valid but do not fit together."""
        ruler = fmt.line_numbers
        if ruler is None:
            return
        where = data["line_numbers"]
        if ruler.count * ruler.pitch > fmt.text_height + 0.01:
            problem = (f"{ruler.count} lines of {ruler.pitch:g} pt do not fit the "
                       f"{fmt.text_height:g} pt between the top and bottom margins")  # fmt: skip
            raise self.fail(where, "count", "line_numbers.count", problem)
        # Body lines sit on the numbered lines only if every block keeps to the ruler's pitch.
        for role in ROLES[:-1]:
            style = fmt.styles[role]
            for key in ("line", "after"):
                value = getattr(style, key)
                if value % ruler.pitch:
                    problem = (f"{value:g} is not a multiple of line_numbers.pitch "
                               f"{ruler.pitch:g}: text would leave the numbered lines")  # fmt: skip
                    raise self.fail(data["styles"][role], key, f"styles.{role}.{key}", problem)
        if fmt.table_after % ruler.pitch:
            problem = f"{fmt.table_after:g} is not a multiple of line_numbers.pitch"
            raise self.fail(data, "table_after", "table_after", problem)
        if ruler.gap * 2 > fmt.margins[3]:
            raise self.fail(where, "gap", "line_numbers.gap", "leaves no room for the numbers")


def _shown(path: Path) -> str:
    """A format file as the user knows it: relative to the working folder when inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if relative.startswith("..") else relative


__all__ = ["CourtFormat", "Style", "Font", "Band", "Caption", "LineNumbers", "Rule", "Rules",
           "load_format", "format_path", "formats", "FormatError", "FilingsError"]  # fmt: skip
