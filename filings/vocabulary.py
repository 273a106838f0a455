"""The template vocabulary: the HTML elements a template may emit (README, "Template vocabulary").

The DOCX walker (`filings.docx`) gives each of them its Word form and refuses anything else. The PDF
renderer refuses anything else too: WeasyPrint lays documents out under `vocabulary.css`, which
styles these elements and no others, so an element outside the vocabulary would print unstyled
(a `<sup>` on the baseline, a `<pre>` run together) instead of failing.
"""

from __future__ import annotations

INLINE = frozenset({"b", "strong", "i", "em", "u", "span", "br", "ins", "del"})
CONTAINERS = frozenset({"section", "div", "body"})
BLOCKS = frozenset({"h1", "h2", "h3", "p", "ol", "ul", "li", "blockquote",
                    "table", "thead", "tbody", "tr", "th", "td"})  # fmt: skip
DOCUMENT = frozenset({"html", "head", "title", "meta"})
ELEMENTS = INLINE | CONTAINERS | BLOCKS | DOCUMENT


def outside(root):
    """The first element under `root` (an lxml tree) that is not in the vocabulary, or None."""
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag not in ELEMENTS:  # not comments
            return el
    return None
