"""The fork server's first import (`processes.PRELOAD`): WeasyPrint, its C libraries found
without running a compiler, and the set-up every worker would otherwise repeat.

WeasyPrint looks for each of its C libraries under several names, the Windows and macOS ones
first. cffi hands every name the system's loader does not know to `ctypes.util.find_library`,
which on Linux runs `ldconfig -p` and then gcc: 24 misses, a quarter to a third of a second of the
server's start on the development machine, which every run waits for before its first document.
Here a miss is answered at once, and the loader finds the Linux names itself. Where WeasyPrint
cannot load its libraries that way (a library only gcc's search path holds), it is imported again
as it always is, compiler and all, so nothing that loaded before fails to load now.

Then the server sets up what does not depend on the run and each worker would set up for its
first document (`warm`): the project's fonts as WeasyPrint sees them and the characters each
covers, and the PDF renderer's own stylesheet and text layer. A worker forked from it starts with
them. They depend on FILINGS_FONT_DIRS alone; a worker whose command has another one than the
server had forgets them (`refit`) and finds its own.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import io
import os
import sys

_warmed_with: list[str | None] = []  # the FILINGS_FONT_DIRS of the fonts set up here, if any


@contextlib.contextmanager
def _no_library_search():
    real = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        yield
    finally:
        ctypes.util.find_library = real


def import_weasyprint() -> None:
    try:
        # WeasyPrint prints its installation advice before it raises: not for this attempt
        with _no_library_search(), contextlib.redirect_stdout(io.StringIO()):
            import weasyprint  # noqa: F401
    except OSError:
        for name in [m for m in sys.modules if m.split(".")[0] == "weasyprint"]:
            del sys.modules[name]
        import weasyprint  # noqa: F401


def warm() -> None:
    try:
        from filings import glyphs
        from filings.outputs import pdf

        glyphs.covered()
        pdf.prepare()
    except Exception:  # noqa: BLE001 - each worker meets it again, and reports it for each document
        _forget()
        return
    _warmed_with.append(os.environ.get("FILINGS_FONT_DIRS"))


def refit() -> None:
    """In a worker that has taken its command's environment: forget fonts set up for another."""
    if _warmed_with and _warmed_with[0] != os.environ.get("FILINGS_FONT_DIRS"):
        _forget()


def _forget() -> None:
    glyph_fonts = sys.modules.get("filings.glyphs.fonts")
    if glyph_fonts is not None:
        glyph_fonts.forget()
    pdf_fonts = sys.modules.get("filings.outputs.pdf.fonts")
    if pdf_fonts is not None:
        pdf_fonts.project_fonts.cache_clear()
    _warmed_with.clear()


import_weasyprint()
warm()
