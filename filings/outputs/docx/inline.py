"""A paragraph's text as formatted segments, its white space collapsed as HTML collapses it."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

SPACE = re.compile(r"[ \t\n\r\f]+")  # HTML white space; never the no-break space


@dataclass
class Segment:
    """A piece of a paragraph's text with its inline formatting, or a line break (`br`)."""

    text: str
    bold: bool = False
    italic: bool = False
    underline: bool = False
    small_caps: bool = False
    change: str | None = None  # "ins" or "del": a redline's tracked change
    lang: str | None = None  # the nearest `lang`, when an inline element sets one
    rtl: bool = False  # inside an inline element with dir="rtl"
    link: str | None = None  # inside <a href>: its address
    note: list[Segment] | None = None  # a footnote's call (text ""), holding the note's text
    # A <br> (text ""): a flag, never the text "\n", which is white space that a newline in the
    # HTML source leaves after a <br> and collapses like any other.
    br: bool = False


def with_text(fmt: Segment, text: str) -> Segment:
    return dataclasses.replace(fmt, text=text)


def collapse(segments: list[Segment]) -> list[Segment]:
    """HTML white space rules: runs of spaces become one, none at a line's start or end."""
    out: list[Segment] = []
    at_line_start = True
    for seg in segments:
        if seg.note is not None:  # a call: white space on either side of it stays
            out.append(seg)
            continue
        if seg.br:
            if out and out[-1].text.endswith(" "):
                out[-1].text = out[-1].text[:-1]
            out.append(seg)
            at_line_start = True
            continue
        text = SPACE.sub(" ", seg.text)
        if at_line_start or (out and out[-1].text.endswith(" ")):
            text = text.lstrip(" ")
        if text:
            out.append(dataclasses.replace(seg, text=text))
            at_line_start = False
    last = next((s for s in reversed(out) if s.note is None), None)
    if last is not None and not last.br:
        last.text = last.text.rstrip(" ")
    return [s for s in out if s.text or s.br or s.note is not None]
