"""A DOCX as the checks read it: its parts, and what each paragraph's styles give it.

Word resolves a run's type size and a paragraph's line spacing through the paragraph's style, its
`basedOn` chain and the document defaults; `Docx` does the same lookups from the XML, so the rules
in `check.docx` ask for a run's size or a paragraph's pitch rather than walk the styles for it.
The parts are read through `Package`, as a hostile file's. `properties` reads what `filings
render` recorded in the file.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from filings.check.findings import unreadable
from filings.check.package import Package
from filings.inputs.limits import DEFAULT as DEFAULT_LIMITS
from filings.inputs.limits import Limits

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"w": W, "r": R}


def tag(name: str) -> str:
    """`p` -> `{w namespace}p`, as lxml names an element or attribute."""
    return f"{{{W}}}{name}"


def properties(path: Path, limits: Limits = DEFAULT_LIMITS) -> dict[str, str]:
    """The custom properties `filings render` records, with the core `category` as the format."""
    out = {}
    with Package(path, limits) as package:
        core = package.xml("docProps/core.xml")
        category = core.find("{*}category") if core is not None else None
        if category is not None and category.text:
            out["FilingsFormat"] = category.text
        custom = package.xml("docProps/custom.xml")
        for prop in custom if custom is not None else []:
            value = prop.find("*")
            out[prop.get("name")] = value.text if value is not None else ""
    return out


class Docx:
    """The parts of a DOCX the checks read, and style lookups through `basedOn`."""

    def __init__(self, path: Path, limits: Limits) -> None:
        with Package(path, limits) as package:
            self.document = package.xml("word/document.xml", required=True)
            self.styles = package.xml("word/styles.xml")
            if self.styles is None:  # Word's own defaults then apply
                self.styles = etree.Element(tag("styles"))
            self.footnotes = package.xml("word/footnotes.xml")
            rels = package.xml("word/_rels/document.xml.rels")
            targets = {r.get("Id"): r.get("Target") for r in (rels if rels is not None else [])}
            self.sect = self.document.find(".//w:body/w:sectPr", NS)
            if self.sect is None:
                raise unreadable(path.name, "DOCX", "word/document.xml sets no page (no w:sectPr)")
            self.headers = {}
            for ref in self.sect.findall("w:headerReference", NS):
                target = (targets.get(ref.get(f"{{{R}}}id")) or "").lstrip("/")
                part = "word/" + target.removeprefix("word/")
                self.headers[ref.get(tag("type"))] = package.xml(part, required=True)
        self._index()

    @classmethod
    def of_styles(cls, styles) -> Docx:
        """Only a styles part, for style lookups (a reference DOCX's styles as we would write
        them)."""
        doc = cls.__new__(cls)
        doc.styles = styles
        doc._index()
        return doc

    def _index(self) -> None:
        self.by_id = {s.get(tag("styleId")): s for s in self.styles.findall("w:style", NS)}
        self.defaults = self.styles.find("w:docDefaults", NS)

    def chain(self, style_id: str | None):
        """The style and its bases, nearest first."""
        seen = []
        while style_id and style_id in self.by_id and style_id not in [s for s, _ in seen]:
            style = self.by_id[style_id]
            seen.append((style_id, style))
            based = style.find("w:basedOn", NS)
            style_id = based.get(tag("val")) if based is not None else None
        return [s for _, s in seen]

    def style_id(self, paragraph) -> str:
        found = paragraph.find("w:pPr/w:pStyle", NS)
        if found is not None:
            return found.get(tag("val"))
        default = self.styles.find("w:style[@w:type='paragraph'][@w:default='1']", NS)
        return default.get(tag("styleId")) if default is not None else "Normal"

    def style_name(self, style_id: str) -> str:
        name = self.by_id.get(style_id)
        found = name.find("w:name", NS) if name is not None else None
        return found.get(tag("val")) if found is not None else style_id

    def inherited(self, paragraph, path: str):
        """The first element at `path` (under pPr or rPr) in the paragraph's styles or defaults."""
        for style in self.chain(self.style_id(paragraph)):
            found = style.find(path, NS)
            if found is not None:
                return found
        if self.defaults is None:
            return None
        return self.defaults.find(f"{path.split('/')[0]}Default/{path}", NS)

    def size(self, paragraph, run) -> float:
        found = run.find("w:rPr/w:sz", NS)
        if found is None:
            found = self.inherited(paragraph, "w:rPr/w:sz")
        return int(found.get(tag("val"))) / 2 if found is not None else 10

    def line(self, paragraph, size: float) -> float:
        """The paragraph's line pitch in points (an `auto` line is about 1.15 of the type size)."""
        spacing = paragraph.find("w:pPr/w:spacing", NS)
        if spacing is None or spacing.get(tag("line")) is None:
            spacing = self.inherited(paragraph, "w:pPr/w:spacing")
        if spacing is None or spacing.get(tag("line")) is None:
            return size * 1.15
        value = int(spacing.get(tag("line")))
        if spacing.get(tag("lineRule")) in ("exact", "atLeast"):
            return value / 20
        return value / 240 * size * 1.15


def text_of(element) -> str:
    """The text an element holds, its tabs and breaks as characters."""
    out = []
    for node in element.iter(tag("t"), tag("tab"), tag("br")):
        out.append(
            node.text or "" if node.tag == tag("t") else "\t" if node.tag == tag("tab") else "\n"
        )
    return "".join(out)
