"""A page's content streams tokenized with one regular expression, for pdfminer's interpreter.

pdfminer tokenizes a content stream a byte at a time in Python. `Interpreter` is its page
interpreter with the streams tokenized by `_objects` instead, into the very objects pdfminer's
parser yields. A stream with anything that expression does not cover (strings with escapes or
nested parentheses, `#` in names, inline images, PostScript procedures, unbalanced brackets) goes
to pdfminer's own parser whole, so no PDF is read differently.
"""

from __future__ import annotations

import binascii
import re

from pdfminer import settings
from pdfminer.pdfinterp import PDFInterpreterError, PDFPageInterpreter
from pdfminer.pdftypes import stream_value
from pdfminer.psparser import KWD, LIT, PSKeyword, keyword_name, literal_name
from pdfminer.utils import choplist

_TOKEN = re.compile(
    rb"""[\s\x00]*(?:
      (?P<number>[-+]?[0-9]*\.[0-9]*|[-+]?[0-9]+|[-+])
    | (?P<name>/[^\s#/%\[\]()<>{}]*)
    | (?P<open>\[|<<)
    | (?P<close>\]|>>)
    | (?P<hex><[0-9A-Fa-f\s]*>)
    | (?P<string>\([^()\\]*\))
    | (?P<keyword>[A-Za-z][^\s#/%\[\]()<>{}]*|['"])
    | (?P<comment>%[^\r\n]*)
    | (?P<other>[^\s\x00])
    | (?P<end>\Z)  # trailing space: without it every space of a long run is rescanned to the end
    )""",
    re.VERBOSE,
)
_SPACE = re.compile(rb"\s")
_HEX_PAIR = re.compile(rb"[0-9a-fA-F]{2}|.")
_INLINE_IMAGE = (b"BI", b"ID", b"EI")


def _objects(data: bytes) -> list | None:
    """The operands and operators of a content stream as pdfminer's PDFContentParser yields
    them, or None where this tokenizer would not be sure to (the caller then asks pdfminer)."""
    top: list = []
    current, stack = top, []
    for match in _TOKEN.finditer(data):
        kind = match.lastgroup
        token = match.group(kind)
        if kind == "number":
            try:
                current.append(float(token) if b"." in token else int(token))
            except ValueError:  # a bare sign or point, which pdfminer drops too
                pass
        elif kind == "hex":
            digits = token[1:-1]
            try:
                current.append(binascii.unhexlify(digits))
            except (binascii.Error, ValueError):
                digits = _SPACE.sub(b"", digits)
                current.append(_HEX_PAIR.sub(lambda m: bytes((int(m.group(0), 16),)), digits))
        elif kind == "keyword":
            if token == b"true":
                current.append(True)
            elif token == b"false":
                current.append(False)
            elif token in _INLINE_IMAGE:
                return None
            else:
                current.append(KWD(token))
        elif kind == "name":
            try:
                current.append(LIT(str(token[1:], "utf-8")))
            except UnicodeDecodeError:
                current.append(LIT(token[1:]))
        elif kind == "string":
            current.append(token[1:-1])
        elif kind == "open":
            stack.append((token, current))
            current = []
        elif kind == "close":
            if not stack or stack[-1][0] != (b"[" if token == b"]" else b"<<"):
                return None
            opening, outer = stack.pop()
            if opening == b"[":
                outer.append(current)
            else:
                if len(current) % 2:
                    return None
                outer.append({literal_name(k): v for k, v in choplist(2, current) if v is not None})
            current = outer
        elif kind == "other":
            return None
    return None if stack else top


class Interpreter(PDFPageInterpreter):
    """pdfminer's page interpreter, with content streams tokenized by `_objects`."""

    def __init__(self, resources, device) -> None:
        super().__init__(resources, device)
        self._operators: dict[PSKeyword, tuple] = {}

    def execute(self, streams) -> None:
        self.device.spend(streams)
        valid = []
        for obj in streams:
            stream = stream_value(obj)
            if stream.objid is None or stream.objid in self.parent_stream_ids:
                return super().execute(streams)  # pdfminer skips these, and says so
            valid.append(stream)
        objects = _objects(b"\n".join(s.get_data() for s in valid))
        if objects is None:
            return super().execute(streams)
        self.stream_ids.clear()
        self.stream_ids.update(s.objid for s in valid)
        operators = self._operators
        for obj in objects:
            if not isinstance(obj, PSKeyword):
                self.argstack.append(obj)
                continue
            operator = operators.get(obj)
            if operator is None:
                operator = operators[obj] = self._operator(obj)
            func, nargs = operator
            if func is None:
                continue
            if nargs:
                args = self.pop(nargs)
                if len(args) == nargs:
                    func(*args)
            else:
                func()

    def _operator(self, keyword: PSKeyword) -> tuple:
        """The method and argument count pdfminer's `execute` finds for an operator."""
        name = keyword_name(keyword)
        method = "do_" + name.replace("*", "_a").replace('"', "_w").replace("'", "_q")
        if hasattr(self, method):
            func = getattr(self, method)
            return func, func.__code__.co_argcount - 1
        if settings.STRICT:
            raise PDFInterpreterError(f"Unknown operator: {name!r}")
        return None, 0
