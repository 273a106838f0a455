"""Court formats as data: one file per court drives both the PDF's CSS and the DOCX's styles."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from filings.errors import FormatError
from filings.load import load_yaml

FORMATS_DIR = Path(__file__).parent

# The style roles of the template vocabulary (see README, "Template vocabulary").
ROLES = ("body", "title", "heading", "subheading", "list", "compact", "quote", "table", "footer")


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
class CourtFormat:
    name: str
    title: str
    width: float
    height: float
    margins: tuple[float, float, float, float]  # top, right, bottom, left
    font: Font
    footer: str
    page_limit: int | None
    styles: dict[str, Style] = field(default_factory=dict)


@cache
def load_format(name: str) -> CourtFormat:
    """Read the named court format from `filings/formats/NAME.yaml`."""
    path = FORMATS_DIR / f"{name}.yaml"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in FORMATS_DIR.glob("*.yaml")))
        raise FormatError(f"no court format named {name!r}; the formats are: {known}")
    data = load_yaml(path)
    try:
        page = data["page"]
        styles = {role: Style(**data["styles"][role]) for role in ROLES}
        font = data["font"]
        return CourtFormat(
            name=data["name"],
            title=data["title"],
            width=page["width"],
            height=page["height"],
            margins=tuple(page[f"margin_{side}"] for side in ("top", "right", "bottom", "left")),
            font=Font(font["family"], font["complex_script"], font["east_asian"],
                      tuple(font.get("fallbacks", ()))),
            footer=data["footer"],
            page_limit=data.get("page_limit"),
            styles=styles,
        )  # fmt: skip
    except (KeyError, TypeError) as exc:
        raise FormatError(f"{path.name}: missing or invalid setting {exc}") from None


def formats() -> list[str]:
    return sorted(p.stem for p in FORMATS_DIR.glob("*.yaml"))
