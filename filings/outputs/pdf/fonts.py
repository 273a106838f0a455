"""The PDF's fonts: the project's font files and nothing else, and each format's families.

WeasyPrint sees the project's font files and no others (`project_fonts`): a fontconfig
configuration that loads nothing from the machine, given the files `filings.glyphs` pins. So the
same inputs give the same pages wherever the project is installed, and a character none of them
has is a `.notdef glyph` warning, which fails the document, never a silent substitute.
"""

from __future__ import annotations

import os
import tempfile
from functools import cache

from weasyprint.text.ffi import ffi, fontconfig, pangoft2
from weasyprint.text.fonts import FontConfiguration

from filings import glyphs
from filings.outputs.formats import CourtFormat


def _quote(family: str) -> str:
    return '"' + family.replace('"', "") + '"'


def families(fmt: CourtFormat, lang: str | None = None) -> str:
    """The format's families for text in `lang`, as a CSS `font-family` value."""
    return ", ".join(_quote(f) for f in glyphs.chain(font_chain(fmt), lang))


def font_chain(fmt: CourtFormat) -> tuple[str, ...]:
    """The format's families in order; each must be one of the project's fonts."""
    where = fmt.path.name if fmt.path else fmt.name
    names = (fmt.font.family, *fmt.font.fallbacks)
    for name in (*names, fmt.font.complex_script, fmt.font.east_asian):
        glyphs.family(name, f"{where}: font")
    return tuple(dict.fromkeys(names))


def language_fonts(fmt: CourtFormat) -> list[str]:
    """Chinese in Traditional characters, Japanese and Korean take their own CJK glyphs first:
    the same code points, drawn as each place writes them."""
    chain = font_chain(fmt)
    rules = []
    for family, tags in glyphs.CJK_SELECTORS.items():
        if family in chain:
            selector = ", ".join(f":lang({tag})" for tag in tags)
            rules.append(f"{selector} {{ font-family: {families(fmt, tags[0])}; }}")
    return rules


_EMPTY_FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig><!-- none of the machine's fonts: the project's are added one by one --></fontconfig>
"""


@cache
def project_fonts():
    """WeasyPrint's font configuration holding the project's font files and nothing else.

    fontconfig reads the configuration file FONTCONFIG_FILE names when WeasyPrint sets up; an
    empty one loads no fonts, no aliases and no rendering preferences of the machine's, and
    then each of the project's files is added. One per process, shared by every renderer."""
    files = glyphs.font_files()  # every file there, or a FontError saying what to install
    with tempfile.TemporaryDirectory(prefix="filings-fonts-") as folder:
        conf = os.path.join(folder, "fonts.conf")
        with open(conf, "w", encoding="utf-8") as stream:
            stream.write(_EMPTY_FONTCONFIG)
        before = os.environ.get("FONTCONFIG_FILE")
        os.environ["FONTCONFIG_FILE"] = conf
        try:
            config = FontConfiguration()
        finally:
            if before is None:
                del os.environ["FONTCONFIG_FILE"]
            else:
                os.environ["FONTCONFIG_FILE"] = before
    for path in files:
        if not fontconfig.FcConfigAppFontAddFile(config._config, str(path).encode()):
            raise glyphs.FontError(f"font file {path} could not be read")
    pangoft2.pango_fc_font_map_config_changed(ffi.cast("PangoFcFontMap *", config.font_map))
    return config
