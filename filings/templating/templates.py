"""Find template folders, read their metadata, and make the one Jinja environment they run in."""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2

from filings.errors import Location, TemplateError
from filings.inputs.load import load_yaml
from filings.inputs.normalize import format_a_number
from filings.templating import filters  # registered in one place
from filings.templating.applies import AppliesTo, RuleError, read_rule
from filings.templating.sandbox import Sandbox

KINDS = ("per-detainee", "per-roster")


def project_root() -> Path:
    """Where the built-in templates and fixtures live: the checkout, or inside the wheel."""
    here = Path(__file__).resolve().parent.parent  # the filings package
    bundled = here / "_builtin"
    return bundled if bundled.is_dir() else here.parent


BUILTIN_TEMPLATES = project_root() / "templates"


@dataclass(frozen=True)
class Template:
    """A template folder and what its `template.yaml` says of it."""

    name: str
    title: str
    description: str
    kind: str
    format: str
    main: str
    output: str
    folder: Path
    applies_to: AppliesTo | None = None  # which rows it is for; None: every row
    dated: str = "filing_date"  # the case file's date it carries: filing_date or notice_date
    # The copies it can be filed in (`COPIES`); none: one complete copy, as any document.
    copies: tuple[str, ...] = ()

    @property
    def source(self) -> str:
        """The main file's name for the Jinja loader (`stay-motion/stay-motion.html.j2`)."""
        return f"{self.name}/{self.main}"


def search_path(folders: Path | Sequence[Path] = ()) -> tuple[Path, ...]:
    """The folders templates are looked up in: the given ones first, the built-in ones last, so a
    team's folder overrides a built-in template or shared piece without copying the rest."""
    folders = (folders,) if isinstance(folders, Path) else tuple(folders)
    resolved = tuple(dict.fromkeys(f.resolve() for f in (*folders, BUILTIN_TEMPLATES)))
    return resolved


def discover(folders: Path | Sequence[Path] = ()) -> dict[str, Template]:
    """Every template in the search path by name; an earlier folder's template wins.
    (Folders starting with `_` hold shared pieces, not templates.)"""
    found: dict[str, Template] = {}
    for root in reversed(search_path(folders)):
        for folder in sorted(p for p in root.iterdir() if p.is_dir() and p.name[0] not in "_."):
            meta_path = folder / "template.yaml"
            if meta_path.is_file():
                found[folder.name] = _read_metadata(folder, meta_path)
    return dict(sorted(found.items()))


# The copies a court filing can be made in: `public`, redacted by the case file's policy, and
# `sealed`, complete, marked FILED UNDER SEAL on every page (N.D. Ill. LR 26.2).
COPIES = ("public", "sealed")
# The case file's dates a template may carry (`dated:`): court filings the filing date, notices
# the day they go out.
DATES = ("filing_date", "notice_date")


def _read_metadata(folder: Path, meta_path: Path) -> Template:
    meta = load_yaml(meta_path)
    where = f"{folder.name}/template.yaml"
    fields = ("title", "description", "kind", "format", "main", "output")
    missing = [f for f in fields if not isinstance(meta, dict) or not meta.get(f)]
    if missing:
        raise TemplateError(where, f"missing {', '.join(missing)}")
    if meta["kind"] not in KINDS:
        raise TemplateError(where, f"kind {meta['kind']!r} is not one of: {', '.join(KINDS)}")
    if not (folder / meta["main"]).is_file():
        raise TemplateError(where, f"main file {meta['main']!r} is not in the folder")
    try:
        output_pattern(str(meta["output"]), meta["kind"])
    except ValueError as exc:
        at = Location(where, meta.lines.get("output"), "output")
        raise TemplateError(at, str(exc)) from None
    rule = None
    if "applies_to" in meta:
        at = Location(where, meta.lines.get("applies_to"), "applies_to")
        if meta["kind"] != "per-detainee":
            raise TemplateError(at, "only a per-detainee template is for some rows and not others")
        try:
            rule = read_rule(meta["applies_to"], meta.lines.get("applies_to"))
        except RuleError as exc:
            raise TemplateError(Location(where, exc.line), exc.problem) from None
    dated = meta.get("dated", "filing_date")
    if dated not in DATES:
        at = Location(where, meta.lines.get("dated"), "dated")
        raise TemplateError(at, f"{dated!r} is not one of: {', '.join(DATES)}")
    copies = meta.get("copies", [])
    if "copies" in meta and (
        not isinstance(copies, list) or not copies or any(c not in COPIES for c in copies)
    ):
        at = Location(where, meta.lines.get("copies"), "copies")
        raise TemplateError(at, f"{copies!r} should be a list of: {', '.join(COPIES)}")
    return Template(
        name=folder.name,
        folder=folder,
        applies_to=rule,
        dated=dated,
        copies=tuple(c for c in COPIES if c in copies),
        **{f: str(meta[f]) for f in fields},
    )


def select(templates: dict[str, Template], names: tuple[str, ...]) -> list[Template]:
    """The templates asked for by name, or all of them."""
    unknown = [n for n in names if n not in templates]
    if unknown:
        raise TemplateError(
            None,
            f"no template named {', '.join(map(repr, unknown))}; "
            f"the templates are: {', '.join(templates)}",
        )
    return [templates[n] for n in names] if names else list(templates.values())


# --- output: file names ------------------------------------------------------------------------

# The fields an `output:` pattern may name, and the kinds of template each makes sense for. The
# pattern is our own small language (text and `{field}`), never `str.format`, which would let a
# pattern reach into a value's attributes (`{a_number.__class__}`).
OUTPUT_FIELDS = {"template": KINDS, "a_number": ("per-detainee",), "family_name": ("per-detainee",)}
_OUTPUT_PART = re.compile(r"\{([^{}]*)\}|[^{}]+")


def output_pattern(pattern: str, kind: str) -> list[tuple[bool, str]]:
    """`{a_number}-stay-motion` -> [(True, "a_number"), (False, "-stay-motion")] (is it a field,
    and which or what text); ValueError saying what is wrong, for template.yaml."""
    parts, at = [], 0
    while at < len(pattern):
        match = _OUTPUT_PART.match(pattern, at)
        if match is None:
            brace = pattern[at]
            raise ValueError(
                f"the {{ at character {at + 1} is not closed by a }}"
                if brace == "{"
                else f"the }} at character {at + 1} closes no {{"
            )
        field = match[1]
        if field is not None and field not in OUTPUT_FIELDS:
            *others, last = (f"{{{f}}}" for f in OUTPUT_FIELDS)
            raise ValueError(
                f"{{{field}}} is not a field; the fields are {', '.join(others)} and {last}"
            )
        if field is not None and kind not in OUTPUT_FIELDS[field]:
            raise ValueError(
                f"{{{field}}} is one person's; a per-roster template's output may "
                "use {template} only"
            )
        parts.append((field is not None, field if field is not None else match[0]))
        at = match.end()
    if kind == "per-detainee" and (True, "a_number") not in parts:
        raise ValueError("must contain {a_number} for a per-detainee template")
    return parts


def output_name(template: Template, a_number: str | None = None, family_name: str = "") -> str:
    """A file name safe on every file system, made from the template's pattern (no extension)."""
    values = {
        "template": template.name,
        "a_number": a_number or "",
        "family_name": slug(family_name),
    }
    parts = output_pattern(template.output, template.kind)
    name = "".join(values[text] if is_field else text for is_field, text in parts)
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", name)
    name = re.sub(r"-{2,}", "-", name).strip("-.") or template.name
    return name[:120]


def slug(text: str) -> str:
    """`Nguyễn Thị` -> `nguyen-thi`; a name with no Latin letters drops out."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


# --- the environment ---------------------------------------------------------------------------


class _FolderLoader(jinja2.FileSystemLoader):
    """A loader that refuses any name resolving outside its folders (`..`, links that leave)."""

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        real = os.path.realpath(filename)
        if not any(real.startswith(os.path.realpath(p) + os.sep) for p in self.searchpath):
            raise jinja2.TemplateNotFound(template)
        return source, filename, uptodate


class EmptyValueError(Exception):
    """A template printed a value the data leaves empty."""


def _refuse_empty(value):
    if value is None or (isinstance(value, str) and not value.strip()):
        raise EmptyValueError
    return value


def make_environment(folders: Path | Sequence[Path] = ()) -> Sandbox:
    """The one Jinja environment: sandboxed (an allow-list, see `sandbox`), strict about undefined
    values, autoescaped."""
    env = Sandbox(
        loader=_FolderLoader([str(f) for f in search_path(folders)]),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        finalize=_refuse_empty,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(filters.FILTERS)
    env.globals.update(filters.GLOBALS)
    return env


__all__ = ["Template", "discover", "select", "make_environment", "format_a_number", "output_name"]
