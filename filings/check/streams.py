"""PDF streams unpacked within a limit: a few hundred kilobytes of Flate can hold gigabytes.

pdfminer unpacks a stream whole (`PDFStream.decode`) the first time anything reads it: a page's
content, a form it draws, a font, an object or cross-reference stream. `BoundedParser` hands
every stream it reads to pdfminer as a `BoundedStream`, which measures what each filter would
write before pdfminer writes it, so no stream is ever held larger than the limit.
"""

from __future__ import annotations

import io
import zlib

from pdfminer.lzw import LZWDecoder
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import (
    LITERALS_CCITTFAX_DECODE,
    LITERALS_FLATE_DECODE,
    LITERALS_LZW_DECODE,
    LITERALS_RUNLENGTH_DECODE,
    PDFStream,
)

CHUNK = 1 << 20  # bytes unpacked at a time while measuring


class StreamTooLarge(Exception):
    """A stream (or a page's content, `whole_page`) unpacks to more than the limit."""

    def __init__(self, whole_page: bool = False) -> None:
        super().__init__("over the limit")
        self.whole_page = whole_page
        self.page: int | None = None  # set by the reader once it knows


class BoundedParser(PDFParser):
    """pdfminer's parser, every stream it reads unpacked within `limit` bytes."""

    def __init__(self, fp, limit: int) -> None:
        super().__init__(fp)
        self.limit = limit

    def do_keyword(self, pos, token) -> None:
        super().do_keyword(pos, token)
        if token is self.KEYWORD_STREAM and self.curstack:
            at, stream = self.curstack[-1]
            if type(stream) is PDFStream:
                self.curstack[-1] = (at, BoundedStream(stream, self.limit))


class BoundedStream(PDFStream):
    """A stream whose filters are measured before pdfminer applies them, one at a time."""

    def __init__(self, stream: PDFStream, limit: int) -> None:
        super().__init__(stream.attrs, stream.rawdata or b"", stream.decipher)
        self.limit = limit

    def decode(self) -> None:
        data = self.rawdata or b""
        if self.decipher:
            data = self.decipher(self.objid, self.genno, data, self.attrs)
        for kind, params in self.get_filters():
            if _unpacked_size(kind, data, self.limit) > self.limit:
                raise StreamTooLarge()
            # pdfminer's own filter and predictor code, for this filter alone.
            one = PDFStream({"Filter": kind, "DecodeParms": params}, data)
            data = one.get_data()
            if len(data) > self.limit:  # the filters not measured write at most 4 bytes a byte
                raise StreamTooLarge()
        self.data, self.rawdata = data, None


def _unpacked_size(kind, data: bytes, limit: int) -> int:
    """How much the filter would write, counted up to just past `limit` (0 when it cannot
    expand its input much: ASCII85 at most 4 bytes a byte, the image codecs not at all)."""
    if kind in LITERALS_FLATE_DECODE:
        return _flate_size(data, limit)
    if kind in LITERALS_LZW_DECODE:
        size = 0
        for piece in LZWDecoder(io.BytesIO(data)).run():
            size += len(piece)
            if size > limit:
                break
        return size
    if kind in LITERALS_RUNLENGTH_DECODE:
        return _run_length_size(data)
    if kind in LITERALS_CCITTFAX_DECODE:  # fax images are never unpacked to be read as text
        return limit + 1
    return 0


def _flate_size(data: bytes, limit: int) -> int:
    inflater, size, rest = zlib.decompressobj(), 0, data
    while rest and size <= limit:
        try:
            piece = inflater.decompress(rest, CHUNK)
        except zlib.error:  # damaged: pdfminer keeps what came before the damage, as counted
            break
        if not piece:
            break
        size += len(piece)
        rest = inflater.unconsumed_tail
    return size


def _run_length_size(data: bytes) -> int:
    """RunLengthDecode's output length, read from the length bytes alone."""
    size = i = 0
    while i < len(data) and data[i] != 128:
        length = data[i]
        if length < 128:
            size += length + 1
            i += length + 2
        else:
            size += 257 - length
            i += 2
    return size
