"""Read a court format file; every error names the file, the line and the key."""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from filings.errors import DataError, FormatError, Location
from filings.inputs.load import load_yaml
from filings.outputs.formats.model import (
    BANDS,
    SLOTS,
    Band,
    Caption,
    CourtFormat,
    Font,
    LineNumbers,
    Rule,
    Rules,
    Style,
)
from filings.outputs.formats.roles import OPTIONAL_ROLES, ROLES
from filings.templating.vocabulary import LANG_TAG

FORMATS_DIR = Path(__file__).parent
TEAM_FORMATS = "_formats"  # a templates folder's own formats, found before the built-in ones
NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")

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


def load_format(name: str, search: Sequence[Path | str] = ()) -> CourtFormat:
    """Read the named court format: from a `_formats/` folder of the templates folders in
    `search`, in order, or else from the built-in `filings/outputs/formats/NAME.yaml`."""
    path = format_path(name, tuple(Path(p) for p in search))
    stat = path.stat()
    return _load(path, stat.st_mtime_ns, stat.st_size)


@cache
def _load(path: Path, mtime_ns: int, size: int) -> CourtFormat:
    """One object per format file as it stands (a file edited while a process runs, as under
    `filings serve` or in tests, is read again)."""
    try:
        data = load_yaml(path)
    except DataError as exc:  # YAML syntax: keep its line, report it as the format's problem
        at = exc.location or Location(path.name)
        raise FormatError(dataclasses.replace(at, file=_shown(path)), exc.problem) from None
    return _Reader(path).court_format(data)


def format_path(name: str, search: Sequence[Path] = ()) -> Path:
    """The file a format name stands for, or a FormatError listing the formats there are."""
    if NAME.fullmatch(name):
        for folder in (*(Path(p) / TEAM_FORMATS for p in search), FORMATS_DIR):
            if (folder / f"{name}.yaml").is_file():
                return folder / f"{name}.yaml"
    known = ", ".join(formats(search))
    raise FormatError(None, f"no court format named {name!r}; the formats are: {known}")


def formats(search: Sequence[Path | str] = ()) -> list[str]:
    """Every format name: the built-in ones and those in the templates folders' `_formats/`."""
    folders = (*(Path(p) / TEAM_FORMATS for p in search), FORMATS_DIR)
    return sorted({p.stem for folder in folders for p in folder.glob("*.yaml")})


_MISSING = object()


class _Reader:
    """Read one format file; every error names the file, the line and the key."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, mapping: Any, key: str, where: str, problem: str) -> FormatError:
        line = getattr(mapping, "lines", {}).get(key) or getattr(mapping, "start_line", None)
        return FormatError(Location(_shown(self.path), line or None, where), problem)

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
        names = {
            float: "a number",
            int: "a whole number above 0",
            str: "text",
            bool: "true or false",
            dict: "a mapping",
            list: "a list",
        }
        raise self.fail(mapping, key, where, f"{value!r} is not {names[kind]}")

    def known(self, mapping: dict, keys, where: str) -> None:
        for key in mapping:
            if key not in keys:
                known = ", ".join(keys)
                raise self.fail(
                    mapping,
                    key,
                    f"{where}{key}",
                    f"unknown setting; the settings here are: {known}",
                )

    def court_format(self, data: Any) -> CourtFormat:
        top = (
            "name",
            "title",
            "page",
            "font",
            "header",
            "footer",
            "first_page",
            "translations",
            "caption",
            "line_numbers",
            "table_after",
            "rules",
            "styles",
        )
        if not isinstance(data, dict):
            raise FormatError(_shown(self.path), "a court format is a YAML mapping")
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
            raise self.fail(
                value, "rule", f"{where}.rule", "a rule needs the text in `center` only"
            )
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
            raise self.fail(
                value,
                "parties_width",
                "caption.parties_width",
                f"{width:g} is not a percentage between 10 and 90",
            )
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
        fields = {
            "size": float,
            "line": float,
            "bold": bool,
            "italic": bool,
            "align": ("left", "center", "right", "justify"),
            "first_indent": float,
            "left_indent": float,
            "right_indent": float,
            "hanging": float,
            "after": float,
        }
        styles = {}
        for role in (*ROLES, *OPTIONAL_ROLES):
            if role not in data and role in OPTIONAL_ROLES:
                continue
            style = self.get(data, role, f"styles.{role}", dict)
            self.known(style, tuple(fields), f"styles.{role}.")
            styles[role] = Style(
                **{
                    k: self.get(style, k, f"styles.{role}.{k}", kind)
                    for k, kind in fields.items()
                    if k in style or k in ("size", "line")
                }
            )
        styles.setdefault("footnote", styles["footer"])
        return styles

    def consistent(self, data: dict, fmt: CourtFormat) -> None:
        """Settings that are each valid but do not fit together."""
        ruler = fmt.line_numbers
        if ruler is None:
            return
        where = data["line_numbers"]
        if ruler.count * ruler.pitch > fmt.text_height + 0.01:
            problem = (
                f"{ruler.count} lines of {ruler.pitch:g} pt do not fit the "
                f"{fmt.text_height:g} pt between the top and bottom margins"
            )
            raise self.fail(where, "count", "line_numbers.count", problem)
        # Body lines sit on the numbered lines only if every block keeps to the ruler's pitch.
        for role in (r for r in ROLES if r != "footer"):  # the footer is in the margin
            style = fmt.styles[role]
            for key in ("line", "after"):
                value = getattr(style, key)
                if value % ruler.pitch:
                    problem = (
                        f"{value:g} is not a multiple of line_numbers.pitch "
                        f"{ruler.pitch:g}: text would leave the numbered lines"
                    )
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
