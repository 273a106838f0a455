"""How the template vocabulary takes a court format's styles, for both renderers.

A court format gives one style per role (`styles:` in its file). This table says which role each
element of the vocabulary takes, once: the PDF's stylesheet is written from it and the DOCX walker
looks its paragraphs' roles up in it, so the two outputs cannot drift apart. Word carries each
role as a paragraph style of its own.
"""

from __future__ import annotations

from filings.templating.vocabulary import LIST_DEPTH

# Role -> the Word style that carries it, in the order a format file's `styles:` are read. Word's
# own names where Word has one, so the attorney's navigation pane and style gallery work as usual.
# `footnote` styles Word's footnotes and is the size the checker allows for footnotes.
WORD_STYLES = {
    "body": "Body Text",
    "title": "Title",
    "heading": "Heading 1",
    "subheading": "Heading 2",
    "list": "List Number",
    "compact": "Normal",
    "quote": "Quote",
    "table": "Table Text",
    "footer": "Footer",
    "footnote": "Footnote Text",
}
# The list role's Word styles, one for each kind of list, as Word names them.
LIST_STYLES = {"ol": "List Number", "ul": "List Bullet", "outline": "List Number"}
OPTIONAL_ROLES = ("footnote",)  # a format may leave it out: it takes the footer's style
ROLES = tuple(role for role in WORD_STYLES if role not in OPTIONAL_ROLES)

# Element -> role: CSS selectors, in cascade order (at equal specificity the later row wins, and
# the DOCX walker decides in the same order). Selectors are as the PDF's stylesheet writes them;
# the walker asks `role_of` with one of them.
ELEMENT_ROLES = (
    ("p", "body"),
    ("p.single, .signature p", "compact"),
    ("blockquote p", "quote"),
    ("td, th, td p, th p", "table"),
    ("li", "list"),
    ("h1", "title"),
    ("h2", "heading"),
    ("h3", "subheading"),
    # Side by side, a language's paragraphs keep the body's look; the selector outranks `td p`
    # and no more, so the stylesheet's modifiers (`.center`, …) still win.
    (".parallel p", "body"),
    # A footnote's text, at the foot of the page (Word's Footnote Text).
    (".footnote", "footnote"),
)
_ROLE_OF = {s.strip(): role for selectors, role in ELEMENT_ROLES for s in selectors.split(",")}


def role_of(selector: str) -> str:
    """The role of the paragraphs one selector of ELEMENT_ROLES names, such as `h1` or
    `blockquote p` (a KeyError for any other: the walker and the table must agree)."""
    return _ROLE_OF[selector]


GRID_RULE = 0.5  # the lines of a `table.grid`, in points
CELL_PADDING = 4  # points left and right in every table cell
GRID_PADDING = 1  # points above and below the text of a `table.grid` cell (not on ruled paper)


# The numbers of each level of a list nested in a list item, for both renderers: Word's number
# format, the label ({} is the number) and the CSS counter style. A legal outline entered at its
# arabic level (1., a., (1), (a)), so a flat list numbers 1., 2., 3. as court orders do. Deeper
# nesting is refused.
LIST_LEVELS = {
    "ol": (
        ("decimal", "{}.", "decimal"),
        ("lowerLetter", "{}.", "lower-alpha"),
        ("decimal", "({})", "decimal"),
        ("lowerLetter", "({})", "lower-alpha"),
    ),
    "ul": (("bullet", "\u2022", None),) * LIST_DEPTH,
    # `<ol class="outline">`: a brief's legal outline, I., A., 1., a., its nested lists included.
    "outline": (
        ("upperRoman", "{}.", "upper-roman"),
        ("upperLetter", "{}.", "upper-alpha"),
        ("decimal", "{}.", "decimal"),
        ("lowerLetter", "{}.", "lower-alpha"),
    ),
}
# How CSS selects each kind's top-level list.
LIST_SELECTORS = {"ol": "ol", "ul": "ul", "outline": "ol.outline"}


def list_kind(tag: str, classes: set[str] | frozenset[str]) -> str:
    """`ol`, `ul`, or `outline` for an `<ol class="outline">`: the key of LIST_LEVELS."""
    return "outline" if tag == "ol" and "outline" in classes else tag


assert all(len(levels) == LIST_DEPTH for levels in LIST_LEVELS.values())


def separator_height(fmt) -> float:
    """The line holding the rule above the footnotes (Word's separator), in points: on ruled
    paper a whole numbered line, so the notes stay on the numbers; else 11 points."""
    return fmt.line_numbers.pitch if fmt.line_numbers else 11
