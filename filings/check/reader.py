"""A PDF's glyphs, paths and images, read with pdfminer.six's interpreter driven directly.

pdfplumber gives the same glyphs, but builds a pdfminer layout object for each and then a dict
of some thirty resolved attributes, and pdfminer tokenizes content streams a byte at a time in
Python; together they cost several times what the checks do. This reader keeps pdfminer's
interpreter, fonts and arithmetic (so every box is the same float pdfplumber gives) and replaces
only those two parts:

- `_Device` records each glyph as the few values the checks read (text, box, size, matrix), in
  pdfplumber's page coordinates, instead of an LTChar converted to a dict afterwards; for
  upright, unrotated text it does pdfminer's arithmetic for a whole string in one loop;
- `Interpreter` tokenizes a content stream with one regular expression into the objects
  pdfminer's parser yields. A stream with anything that expression does not cover (strings with
  escapes or nested parentheses, `#` in names, inline images, PostScript procedures, unbalanced
  brackets) goes to pdfminer's own parser whole, so no PDF is read differently.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from pdfminer.converter import PDFLayoutAnalyzer
from pdfminer.layout import LTContainer, LTCurve, LTImage, LTLine, LTRect
from pdfminer.pdfdocument import PDFDocument, PDFPasswordIncorrect
from pdfminer.pdffont import PDFUnicodeNotDefined
from pdfminer.pdfinterp import PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdftypes import PDFObjRef, stream_value
from pdfminer.psexceptions import PSException
from pdfminer.psparser import PSLiteral
from pdfminer.utils import PDFDocEncoding, apply_matrix_rect, mult_matrix

from filings.check.content import Interpreter
from filings.check.findings import Unreadable, finding, over_limit, short, unreadable
from filings.check.streams import BoundedParser, StreamTooLarge
from filings.inputs.limits import DEFAULT as DEFAULT_LIMITS
from filings.inputs.limits import Limits


class PdfminerException(Exception):
    """pdfminer.six could not read the file; `opened` words it as the file's one finding."""


@dataclass
class PageData:
    """What the checks read of a page, in pdfplumber's terms: coordinates from the page's top
    left corner, and each glyph, line, rectangle and curve a dict with pdfplumber's keys."""

    page_number: int
    width: float
    height: float
    mb_x0: float = 0  # where the media box starts, which pdfplumber adds to x and top
    mb_top: float = 0
    # text, x0, x1, top, bottom, size, upright, matrix
    chars: list[dict] = field(default_factory=list)
    # x0, x1, top, bottom
    lines: list[dict] = field(default_factory=list)
    rects: list[dict] = field(default_factory=list)
    curves: list[dict] = field(default_factory=list)
    images: list[LTImage] = field(default_factory=list)


@contextmanager
def opened(path: Path, limits: Limits = DEFAULT_LIMITS) -> Iterator[PDFDocument]:
    """The parsed document, open while the block runs (its objects are read lazily); no stream
    unpacked past `limits.pdf_stream_mb`. A file that cannot be read raises Unreadable."""
    with open(path, "rb") as stream:
        try:
            parser = BoundedParser(stream, limits.pdf_stream_bytes)
            document = PDFDocument(parser, password="")
            yield document
        except PDFPasswordIncorrect:
            raise Unreadable(
                finding(
                    path.name,
                    "readable",
                    "",
                    "is encrypted (password-protected)",
                    "filings check reads only unencrypted PDFs",
                ),
            ) from None
        except StreamTooLarge as exc:
            where = f"page {exc.page}" if exc.page else ""
            what = "its content unpacks" if exc.whole_page else "a stream unpacks"
            raise over_limit(
                path.name,
                where,
                f"{what} to more than {limits.pdf_stream_mb:g} MB",
                "pdf_stream_mb",
                limits.pdf_stream_mb,
            ) from None
        except PdfminerException as exc:
            raise unreadable(path.name, "PDF", short(exc.__cause__ or exc)) from None
        except (PSException, EOFError) as exc:  # reading the document's objects
            raise unreadable(path.name, "PDF", short(exc)) from None


def metadata(document: PDFDocument) -> dict:
    """The document information, decoded as pdfplumber's `PDF.metadata` decodes it."""
    values: dict = {}
    for info in document.info:
        values.update(info)
    for key, value in values.items():
        try:
            values[key] = _resolve_and_decode(value)
        except Exception:  # kept undecoded, as pdfplumber keeps it
            pass
    return values


def read_pages(
    document: PDFDocument,
    limits: Limits = DEFAULT_LIMITS,
) -> list[tuple[PDFPage, PageData]]:
    """Every page: pdfminer's page object and what it draws (at most `limits.pdf_stream_mb` of
    content a page, its streams and the forms it draws together)."""
    try:
        objects = list(PDFPage.create_pages(document))
    except StreamTooLarge:
        raise
    except Exception as exc:
        raise PdfminerException(exc) from exc
    resources = PDFResourceManager()
    device = _Device(resources, limits.pdf_stream_bytes)
    interpreter = Interpreter(resources, device)
    pages = []
    for number, obj in enumerate(objects, start=1):
        page = _page_box(obj, number)
        device.start(page)
        try:
            interpreter.process_page(obj)
        except StreamTooLarge as exc:
            exc.page = number
            raise
        except Exception as exc:
            raise PdfminerException(exc) from exc
        _collect(device.cur_item, device, page)
        pages.append((obj, page))
    return pages


# --- the page box, as pdfplumber sets it -------------------------------------------------------


def _page_box(obj: PDFPage, number: int) -> PageData:
    rotation = (_resolve_all(obj.attrs.get("Rotate")) or 0) % 360
    x0, y0, x1, y1 = _resolve_all(obj.attrs.get("MediaBox"))
    x0, x1 = sorted((x0, x1))
    y0, y1 = sorted((y0, y1))
    if rotation in (90, 270):
        x0, y0, x1, y1 = y0, x0, y1, x1
    mb_height = y1 - y0
    left, top, right, bottom = x0, mb_height - y1, x1, mb_height - y0
    return PageData(number, right - left, bottom - top, mb_x0=left, mb_top=top)


def _resolve_all(x):
    """pdfplumber's resolve_all, for the page's own entries (numbers and lists of numbers)."""
    if isinstance(x, PDFObjRef):
        return _resolve_all(x.resolve())
    if isinstance(x, (list, tuple)):
        return type(x)(_resolve_all(v) for v in x)
    return x


def _resolve_and_decode(obj):
    if hasattr(obj, "resolve"):
        obj = obj.resolve()
    if isinstance(obj, list):
        return list(map(_resolve_and_decode, obj))
    if isinstance(obj, PSLiteral):
        return _decode_text(obj.name)
    if isinstance(obj, (str, bytes)):
        return _decode_text(obj)
    if isinstance(obj, dict):
        for k, v in obj.items():
            obj[k] = _resolve_and_decode(v)
    return obj


def _decode_text(s: bytes | str) -> str:
    if isinstance(s, bytes) and s.startswith(b"\xfe\xff"):
        return str(s[2:], "utf-16be", "ignore")
    try:
        return "".join(PDFDocEncoding[ord(c) if isinstance(c, str) else c] for c in s)
    except IndexError:
        return str(s)


# --- glyphs, paths and images ------------------------------------------------------------------


class _Device(PDFLayoutAnalyzer):
    """pdfminer's layout device with no layout analysis, recording glyphs as dicts."""

    def __init__(self, resources: PDFResourceManager, budget: int) -> None:
        super().__init__(resources, laparams=None)
        self._fonts: dict = {}  # font -> (vertical, descent, {cid: (text, width)})
        self.budget = budget  # bytes of content one page may run, forms included
        self.spent = 0

    def spend(self, streams) -> None:
        """Count the content about to run against the page's budget: one small stream named
        a thousand times in a page's /Contents (or drawn as a form) is a bomb too."""
        self.spent += sum(len(stream_value(s).get_data()) for s in streams)
        if self.spent > self.budget:
            raise StreamTooLarge(whole_page=True)

    def start(self, page: PageData) -> None:
        self.spent = 0
        self._chars = page.chars
        self._height = page.height
        self._top = page.mb_top
        self._x0 = page.mb_x0

    def _font(self, font) -> tuple:
        """What a font says of its glyphs, the same every time one is drawn: whether it is
        vertical, its descent, and each glyph's text and width as they are first asked for."""
        known = self._fonts.get(font)
        if known is None:
            known = self._fonts[font] = (font.is_vertical(), font.get_descent(), {})
        return known

    def _glyph(self, font, cid: int, glyphs: dict) -> tuple[str, float]:
        try:
            text = font.to_unichr(cid)
        except PDFUnicodeNotDefined:
            text = self.handle_undefined_char(font, cid)
        glyph = glyphs[cid] = (text, font.char_width(cid))
        return glyph

    def render_string(self, textstate, seq, ncs, graphicstate) -> None:
        """Upright, unrotated text (everything WeasyPrint writes) glyph by glyph in one loop,
        with pdfminer's arithmetic written out for a matrix with no rotation or skew, so every
        box is the float pdfminer's own render_string and render_char give; other text goes
        through those."""
        matrix = mult_matrix(textstate.matrix, self.ctm)
        a, b, c, d, e, f = matrix
        font = textstate.font
        vertical, descent, glyphs = self._font(font)
        if b or c or vertical:
            return super().render_string(textstate, seq, ncs, graphicstate)
        fontsize = textstate.fontsize
        scaling = textstate.scaling * 0.01
        charspace = textstate.charspace * scaling
        wordspace = 0 if font.is_multibyte() else textstate.wordspace * scaling
        dxscale = 0.001 * fontsize * scaling
        low = descent * fontsize + textstate.rise  # the glyph box, in text space
        high = low + fontsize
        upright = a * d * scaling > 0
        shift, chars = self._x0, self._chars
        x, y = textstate.linematrix
        baseline = y * d + f
        y_low, y_high = sorted((d * low + baseline, d * high + baseline))
        size = y_high - y_low
        top = (self._height - y_high) + self._top
        bottom = (self._height - y_low) + self._top
        needcharspace = False
        for obj in seq:
            if isinstance(obj, (int, float)):
                x -= obj * dxscale
                needcharspace = True
                continue
            if not isinstance(obj, bytes):
                continue  # pdfminer logs and skips it
            for cid in font.decode(obj):
                if needcharspace:
                    x += charspace
                text, width = glyphs.get(cid) or self._glyph(font, cid, glyphs)
                adv = width * fontsize * scaling
                left = x * a + e
                right = a * adv + left
                x0, x1 = (left, right) if left <= right else (right, left)
                chars.append(
                    {
                        "text": text,
                        "x0": x0 + shift,
                        "x1": x1 + shift,
                        "top": top,
                        "bottom": bottom,
                        "size": size,
                        "upright": upright,
                        "matrix": (a, b, c, d, left, baseline),
                    }
                )
                x += adv
                if cid == 32 and wordspace:
                    x += wordspace
                needcharspace = True
        textstate.linematrix = (x, y)
        return None

    def render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate) -> float:
        """LTChar's box and size (pdfminer.layout), in pdfplumber's coordinates."""
        vertical, descent, glyphs = self._font(font)
        text, width = glyphs.get(cid) or self._glyph(font, cid, glyphs)
        adv = width * fontsize * scaling
        if vertical:
            vx, vy = font.char_disp(cid)
            vx = fontsize * 0.5 if vx is None else vx * fontsize * 0.001
            vy = (1000 - vy) * fontsize * 0.001
            bbox = (-vx, vy + rise + adv, -vx + fontsize, vy + rise)
        else:
            bottom = descent * fontsize + rise
            bbox = (0, bottom, adv, bottom + fontsize)
        a, b, c, d, _, _ = matrix
        x0, y0, x1, y1 = apply_matrix_rect(matrix, bbox)
        size = x1 - x0 if vertical else y1 - y0
        if self._x0 != 0:
            x0, x1 = x0 + self._x0, x1 + self._x0
        self._chars.append(
            {
                "text": text,
                "x0": x0,
                "x1": x1,
                "top": (self._height - y1) + self._top,
                "bottom": (self._height - y0) + self._top,
                "size": size,
                "upright": a * d * scaling > 0 and b * c <= 0,
                "matrix": matrix,
            }
        )
        return adv


def _collect(container, device: _Device, page: PageData) -> None:
    """Lines, rectangles, curves and images, figures' included, in pdfplumber's coordinates."""
    for obj in container:
        if isinstance(obj, LTContainer):
            _collect(obj, device, page)
        elif isinstance(obj, LTCurve):
            x0, x1 = obj.x0, obj.x1
            if device._x0 != 0:
                x0, x1 = x0 + device._x0, x1 + device._x0
            kind = {LTLine: page.lines, LTRect: page.rects}.get(type(obj), page.curves)
            kind.append(
                {
                    "x0": x0,
                    "x1": x1,
                    "top": (device._height - obj.y1) + device._top,
                    "bottom": (device._height - obj.y0) + device._top,
                }
            )
        elif isinstance(obj, LTImage):
            page.images.append(obj)
