"""The fork server's first import (`processes.PRELOAD`): WeasyPrint, its C libraries found
without running a compiler, and the set-up every worker would otherwise repeat.

WeasyPrint looks for each of its C libraries under several names, the Windows and macOS ones
first. cffi hands every name the system's loader does not know to `ctypes.util.find_library`,
which on Linux runs `ldconfig -p` and then gcc: 24 misses, a quarter to a third of a second of the
server's start on the development machine, which every run waits for before its first document.
Here a miss is answered at once, and the loader finds the Linux names itself. Where WeasyPrint
cannot load its libraries that way (a library only gcc's search path holds), or goes without
HarfBuzz's subsetter (optional to it, but it decides the fonts' bytes in every PDF), it is
imported again as it always is, compiler and all, so nothing that loaded before is missed now.

Then the server sets up what does not depend on the run and each worker would set up for its
first document (`warm`): the project's fonts as WeasyPrint sees them and the characters each
covers, and the PDF renderer's own stylesheet and text layer. A worker forked from it starts with
them. They are the font files found when the server set up, which need not be the command's: its
FILINGS_FONT_DIRS may be another, a relative one means another folder where the command runs
elsewhere, and a file may have been installed, replaced or removed since (under `filings serve`
the server lives as long as the web page). A worker whose command finds other files, or the same
files changed, forgets them (`refit`) and sets up its own.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import io
import sys
import warnings

_warmed_with: list[tuple] = []  # the font files set up here (`glyphs.files_identity`), if any


@contextlib.contextmanager
def _no_library_search():
    real = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        yield
    finally:
        ctypes.util.find_library = real


def import_weasyprint() -> None:
    if not sys.platform.startswith("linux"):
        # Elsewhere find_library runs no compiler, and it may find an optional library (HarfBuzz's
        # subsetter) that WeasyPrint would go on without, writing other bytes, rather than fail.
        import weasyprint  # noqa: F401

        return
    try:
        # WeasyPrint prints its installation advice before it raises, and warns when HarfBuzz's
        # subsetter is missing: not for this attempt
        with _no_library_search(), contextlib.redirect_stdout(io.StringIO()):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                from weasyprint.text import ffi
        if ffi.harfbuzz_subset is not None:  # optional, so a miss raises nothing; it sets bytes
            return
    except OSError:
        pass
    for name in [m for m in sys.modules if m.split(".")[0] == "weasyprint"]:
        del sys.modules[name]
    import weasyprint  # noqa: F401


def warm() -> None:
    try:
        from filings import glyphs
        from filings.outputs import pdf

        found = glyphs.files_identity()  # before: a file changed while it is read differs after
        glyphs.covered()
        pdf.prepare()
    except Exception:  # noqa: BLE001 - each worker meets it again, and reports it for each document
        _forget()
        return
    _warmed_with.append(found)


def refit() -> None:
    """In a worker that has taken its command's environment and folder: forget the fonts set up
    here unless they are the files the command finds, unchanged."""
    if not _warmed_with:
        return
    from filings import glyphs

    try:
        same = glyphs.files_identity() == _warmed_with[0]
    except (glyphs.FontError, OSError):  # a file gone: the worker's own set-up says which
        same = False
    if not same:
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
