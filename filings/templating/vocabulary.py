"""The template vocabulary: the HTML a template may emit (README, "Template vocabulary").

Both renderers refuse anything else, with its line in the rendered HTML. The DOCX walker gives
each element its Word form; the PDF is laid out by WeasyPrint under `vocabulary.css`, which styles
these elements and no others. Without the refusal an element outside the vocabulary would print
unstyled in the PDF (a `<sup>` on the baseline, a `<pre>` run together) and a `style`, `colspan`
or unknown class would change the PDF while the DOCX ignored it: the two outputs would disagree.
"""

from __future__ import annotations

import re

from filings.errors import Location, TemplateError

INLINE = frozenset({"b", "strong", "i", "em", "u", "span", "br", "ins", "del", "a"})
CONTAINERS = frozenset({"section", "div", "body"})
BLOCKS = frozenset(
    {
        "h1",
        "h2",
        "h3",
        "p",
        "ol",
        "ul",
        "li",
        "blockquote",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
    }
)
DOCUMENT = frozenset({"html", "head", "title", "meta"})
ELEMENTS = INLINE | CONTAINERS | BLOCKS | DOCUMENT

# The classes an element may carry; an element not named here carries none. (Where a class may
# go within the document, a cell's `parties` only in a caption table, is the DOCX walker's check.)
_ALIGN = frozenset({"center", "right"})
_CELL = frozenset({"parties", "number"})
CLASSES = {
    "h1": _ALIGN,
    "h2": _ALIGN,
    "h3": _ALIGN,
    "p": _ALIGN | {"noindent", "single", "indent"},
    "table": frozenset({"grid", "long", "caption", "parallel"}),
    "td": _CELL,
    "th": _CELL,
    "div": frozenset({"page-break", "signature"}),
    "ol": frozenset({"outline"}),
    "span": frozenset({"smallcaps", "footnote"}),
}
# Attributes every element may carry, and those of a head's <meta> (a field for the court
# format's header and footer, and the character set).
ATTRIBUTES = frozenset({"class", "lang", "dir"})
META_ATTRIBUTES = frozenset({"name", "content", "charset"})
# A link's target: an e-mail address or a secure web address. Not http: (a filing should not
# send a reader to an address anyone on the way can change), nor javascript:, file: or data:.
LINK_SCHEMES = ("mailto:", "https:")

LIST_DEPTH = 4  # lists inside list items, at most this many levels (legal outline numbering)

LANG_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")
DIRECTIONS = ("ltr", "rtl")


def check(root, where: str) -> None:
    """A TemplateError naming the first element under `root` that leaves the vocabulary, with
    its line in the rendered HTML (both renderers call this before anything else)."""
    if (refused := refusal(root)) is not None:
        raise located(*refused, where)


def located(el, why: str, where: str) -> TemplateError:
    """A problem with an element of the rendered HTML, with the element's line."""
    return TemplateError(Location(where, part=f"line {el.sourceline} of the rendered HTML"), why)


def refusal(root) -> tuple[object, str] | None:
    """The first element under `root` (an lxml tree) that leaves the vocabulary, and why; or
    None when every element, attribute, class, language tag and direction is in it."""
    for el in root.iter():
        if not isinstance(el.tag, str):  # comments, processing instructions
            continue
        if (why := _refusal(el)) is not None:
            return el, why
    return None


def _refusal(el) -> str | None:
    tag = el.tag
    if tag not in ELEMENTS:
        return f"<{tag}> is not in the vocabulary"
    allowed = ATTRIBUTES | META_ATTRIBUTES if tag == "meta" else ATTRIBUTES
    for name in el.attrib:
        if name not in allowed and not (tag == "a" and name == "href"):
            return f"<{tag} {name}>: the {name} attribute is not in the vocabulary"
    if tag == "a" and (why := _link_refusal(el.get("href"))):
        return why
    if _is_footnote(el) and any(_is_footnote(a) for a in el.iterancestors("span")):
        return "a footnote inside a footnote"
    unknown = set((el.get("class") or "").split()) - CLASSES.get(tag, frozenset())
    if unknown:
        return f'<{tag} class="{" ".join(sorted(unknown))}"> is not in the vocabulary'
    if tag in ("ol", "ul") and sum(1 for _ in el.iterancestors("ol", "ul")) >= LIST_DEPTH:
        return f"a list nested more than {LIST_DEPTH} deep"
    lang, direction = el.get("lang"), el.get("dir")
    if lang is not None and not LANG_TAG.fullmatch(lang):
        return f'<{tag} lang="{lang}">: not a language tag such as es or zh-Hant'
    if direction is not None and direction not in DIRECTIONS:
        return f'<{tag} dir="{direction}">: dir is ltr or rtl'
    return None


def _is_footnote(el) -> bool:
    return el.tag == "span" and "footnote" in (el.get("class") or "").split()


def _link_refusal(href: str | None) -> str | None:
    if href is None:
        return "<a> without href: a link needs its address"
    shown = href if len(href) <= 40 else href[:40] + "…"
    if not href.lower().startswith(LINK_SCHEMES) or href.strip() != href:
        return f"<a href={shown!r}>: a link is mailto: or https:"
    if not href.split(":", 1)[1].strip("/") or any(c.isspace() or ord(c) < 32 for c in href):
        return f"<a href={shown!r}>: not an address"
    return None
