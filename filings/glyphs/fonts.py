"""The project's own fonts: which files, and which characters each covers.

Output must not depend on the fonts a machine happens to have. `scripts/setup` installs the Debian
packages below; WeasyPrint is given these files and nothing else (`filings.outputs.pdf`); the DOCX
names the same families run by run (`filings.outputs.docx`); and every value of the inputs is
checked against their character maps before anything is rendered (`filings.inputs.validate`), so
a name can never come out as boxes. Each family is pinned to the version Debian 12 ships;
`pinned_mismatches()` says where a machine differs, and the test suite fails on it.
"""

from __future__ import annotations

import bisect
import os
import subprocess
import unicodedata
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTCollection, TTFont

from filings.errors import FilingsError, printable

# Where Debian's packages put the files; FILINGS_FONT_DIRS (os.pathsep-separated) is searched first,
# for a machine that keeps the same files elsewhere.
FONT_DIRS = (
    "/usr/share/fonts/truetype/liberation2",
    "/usr/share/fonts/truetype/noto",
    "/usr/share/fonts/opentype/noto",
)
STYLES = ("Regular", "Bold", "Italic", "BoldItalic")


@dataclass(frozen=True)
class Family:
    """One font family of the project: its files, where they come from, what it is used for."""

    name: str
    package: str  # the Debian package that installs it (scripts/setup)
    files: tuple[str, ...]  # file names; `name.ttc#2` is the third face of a collection
    version: str  # the start of the font's version string (name ID 5), as pinned
    script: str | None = None  # the ISO 15924 script it is there for; None: Latin, Greek, Cyrillic
    language: str | None = None  # Word's language for its text when the text's own is unknown


def _noto(name: str, script: str, language: str, version: str) -> Family:
    stem = name.replace(" ", "")
    files = (f"{stem}-Regular.ttf", f"{stem}-Bold.ttf")
    return Family(name, "fonts-noto-core", files, version, script, language)


def _cjk(region: str, face: int, script: str, language: str) -> Family:
    files = (f"NotoSerifCJK-Regular.ttc#{face}", f"NotoSerifCJK-Bold.ttc#{face}")
    return Family(
        f"Noto Serif CJK {region}", "fonts-noto-cjk", files, "Version 2.001", script, language
    )


# Every family a court format may name. Liberation Serif 2.x is metrically compatible with Times
# New Roman and covers Latin (Vietnamese too), Greek and Cyrillic; Noto Serif covers what Latin it
# lacks; the others cover the scripts of the people on a detention roster.
FAMILIES: dict[str, Family] = {
    f.name: f
    for f in (
        Family(
            "Liberation Serif",
            "fonts-liberation2",
            tuple(f"LiberationSerif-{s}.ttf" for s in STYLES),
            "Version 2.1.5",
        ),
        Family(
            "Noto Serif",
            "fonts-noto-core",
            tuple(f"NotoSerif-{s}.ttf" for s in STYLES),
            "Version 2.004",
        ),
        Family(
            "Noto Sans",
            "fonts-noto-core",
            tuple(f"NotoSans-{s}.ttf" for s in STYLES),
            "Version 2.004",
        ),
        _noto("Noto Naskh Arabic", "Arab", "ar-SA", "2.004"),  # Arabic, Persian, Pashto, Urdu
        _noto("Noto Serif Hebrew", "Hebr", "he-IL", "Version 2.000"),
        _noto("Noto Serif Devanagari", "Deva", "hi-IN", "Version 2.001"),  # Hindi, Nepali, Marathi
        _noto("Noto Serif Bengali", "Beng", "bn-BD", "Version 2.001"),
        _noto("Noto Serif Gurmukhi", "Guru", "pa-IN", "Version 2.001"),  # Punjabi
        _noto("Noto Serif Gujarati", "Gujr", "gu-IN", "Version 2.002"),
        _noto("Noto Serif Tamil", "Taml", "ta-IN", "Version 2.001"),
        _noto("Noto Serif Telugu", "Telu", "te-IN", "Version 2.001"),
        _noto("Noto Serif Kannada", "Knda", "kn-IN", "Version 2.002"),
        _noto("Noto Serif Malayalam", "Mlym", "ml-IN", "Version 2.001"),
        _noto("Noto Serif Sinhala", "Sinh", "si-LK", "Version 2.002"),
        _noto("Noto Serif Thai", "Thai", "th-TH", "Version 2.000"),
        _noto("Noto Serif Lao", "Laoo", "lo-LA", "Version 2.000"),
        _noto("Noto Serif Khmer", "Khmr", "km-KH", "Version 2.001"),
        _noto("Noto Serif Myanmar", "Mymr", "my-MM", "Version 2.001"),  # Burmese
        _noto("Noto Serif Tibetan", "Tibt", "bo-CN", "Version 2.001"),
        _noto("Noto Serif Ethiopic", "Ethi", "am-ET", "Version 2.000"),  # Amharic, Tigrinya
        _noto("Noto Serif Georgian", "Geor", "ka-GE", "Version 2.001"),
        _noto("Noto Serif Armenian", "Armn", "hy-AM", "Version 2.005"),
        # One collection, five regional glyph sets of the same characters (face order in the file).
        _cjk("SC", 2, "Hans", "zh-CN"),
        _cjk("TC", 3, "Hant", "zh-TW"),
        _cjk("HK", 4, "Hant", "zh-HK"),
        _cjk("JP", 0, "Jpan", "ja-JP"),
        _cjk("KR", 1, "Kore", "ko-KR"),
    )
}
CJK_FAMILIES = tuple(name for name in FAMILIES if name.startswith("Noto Serif CJK"))


class FontError(FilingsError):
    """The project's fonts are not installed, or a court format names one that is not ours."""


# --- files -------------------------------------------------------------------------------------


def family(name: str, where: str = "font") -> Family:
    try:
        return FAMILIES[name]
    except KeyError:
        raise FontError(
            f"{where}: {name!r} is not one of the project's fonts "
            f"(filings/glyphs/fonts.py): {', '.join(FAMILIES)}"
        ) from None


def _dirs() -> list[Path]:
    extra = [d for d in os.environ.get("FILINGS_FONT_DIRS", "").split(os.pathsep) if d]
    return [Path(d) for d in (*extra, *FONT_DIRS)]


def locate(file: str, fam: Family | None = None) -> tuple[Path, int]:
    """A file name (`name.ttc#2` for a face of a collection) -> its path and face index."""
    name, _, face = file.partition("#")
    for folder in _dirs():
        if (folder / name).is_file():
            return folder / name, int(face or 0)
    owner = f" ({fam.name}, Debian package {fam.package})" if fam else ""
    raise FontError(
        f"font file {name}{owner} is not installed; run scripts/setup, or set "
        "FILINGS_FONT_DIRS to a folder that holds it"
    )


def font_files() -> list[Path]:
    """Every file of every family, once each: what WeasyPrint is given."""
    paths = (locate(f, fam)[0] for fam in FAMILIES.values() for f in fam.files)
    return list(dict.fromkeys(paths))


def files_identity() -> tuple[tuple[str, int, int, int, int, int], ...]:
    """The font files found now, each as the file system has it: absolute path, device, inode,
    size, modification and change times. Fonts set up from files of the same identity are the
    fonts found now; another FILINGS_FONT_DIRS, a relative one read from another folder, or a
    file installed, replaced or removed since, changes it."""
    found = []
    for path in font_files():
        st = path.stat()
        times = (st.st_mtime_ns, st.st_ctime_ns)
        found.append((os.path.abspath(path), st.st_dev, st.st_ino, st.st_size, *times))
    return tuple(found)


@contextmanager
def _font(path: Path, face: int):
    """One face of a font file, closed again after use: the CJK collections are large, and a
    font kept open would hold its tables for the life of the process."""
    if path.suffix.lower() in (".ttc", ".otc"):
        collection = TTCollection(str(path), lazy=True)
        try:
            yield collection.fonts[face]
        finally:
            collection.close()
    else:
        font = TTFont(str(path), lazy=True)
        try:
            yield font
        finally:
            font.close()


@cache
def advances(name: str, style: str = "Regular") -> tuple[dict[int, int], int]:
    """A family's face (`STYLES`; the regular one when it has no other): each character's advance
    width, and the units per em they are in. For measuring text as the outputs will set it."""
    fam = family(name)
    index = STYLES.index(style) if style in STYLES else 0
    path, face = locate(fam.files[index if index < len(fam.files) else 0], fam)
    with _font(path, face) as font:
        widths = font["hmtx"].metrics
        found = {code: widths[glyph][0] for code, glyph in font.getBestCmap().items()}
        return found, font["head"].unitsPerEm


def version(name: str) -> str:
    """The installed version string of a family's first file."""
    fam = family(name)
    with _font(*locate(fam.files[0], fam)) as font:
        return font["name"].getDebugName(5) or ""


def pinned_mismatches() -> list[str]:
    """Families whose installed version is not the pinned one (same fonts -> same pages)."""
    return [
        f"{fam.name}: {version(fam.name)!r}, pinned {fam.version!r} ({fam.package})"
        for fam in FAMILIES.values()
        if not version(fam.name).startswith(fam.version)
    ]


# --- coverage ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Coverage:
    """Code points as sorted, merged ranges: the CJK fonts cover tens of thousands of them."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def __contains__(self, point: int) -> bool:
        i = bisect.bisect_right(self.starts, point) - 1
        return i >= 0 and point <= self.ends[i]

    @classmethod
    def merged(cls, ranges: Iterable[tuple[int, int]]) -> Coverage:
        starts: list[int] = []
        ends: list[int] = []
        for start, end in sorted(ranges):
            if ends and start <= ends[-1] + 1:
                ends[-1] = max(ends[-1], end)
            else:
                starts.append(start)
                ends.append(end)
        return cls(tuple(starts), tuple(ends))


@cache
def _charsets() -> dict[tuple[str, int], list[tuple[int, int]]]:
    """Every face of every project font file: its character set as fontconfig (which Pango, and
    so WeasyPrint, use) reads it. One `fc-query` for all the files: fast (a process for each face
    cost a fifth of a second on every command), and no font's tables loaded into this process.
    Its output is read as bytes: it echoes each path, which need not be UTF-8."""
    files = [str(path) for path in font_files()]
    try:
        result = subprocess.run(
            ["fc-query", "-f", "%{file}|%{index}|%{charset}\n", "--", *files], capture_output=True
        )  # "--": a relative FILINGS_FONT_DIRS may start with '-'
    except FileNotFoundError:
        raise FontError("fc-query (fontconfig) is not installed; run scripts/setup") from None
    found = {}
    for line in result.stdout.splitlines():
        path, index, charset = line.rsplit(b"|", 2)  # a path may hold '|'; the rest cannot
        ranges = []
        for token in charset.decode("ascii").split():
            first, _, last = token.partition("-")
            ranges.append((int(first, 16), int(last or first, 16)))
        found[os.fsdecode(path), int(index)] = ranges
    if result.returncode:
        raise FontError(printable(_unread(files, {path for path, _ in found}, result.stderr)))
    return found


def _unread(files: list[str], read: set[str], stderr: bytes) -> str:
    """What fc-query could not read, in words: the files it found no face in, or its own
    complaint where it read none."""
    unread = [f for f in files if f not in read]
    if not read or not unread:
        said = os.fsdecode(stderr).strip().splitlines()
        return f"fc-query failed: {said[0] if said else 'no reason given'}"
    more = f" and {len(unread) - 3} more" if len(unread) > 3 else ""
    return f"fontconfig cannot read font file {', '.join(unread[:3])}{more}: not a font, or damaged"


def _charset(path: Path, face: int) -> list[tuple[int, int]]:
    """One face's character set (`_charsets`)."""
    try:
        return _charsets()[str(path), face]
    except KeyError:
        raise FontError(printable(f"fontconfig finds no face {face} in {path}")) from None


@cache
def coverage(name: str) -> Coverage:
    """The code points a family has a glyph for, in any of its styles."""
    fam = family(name)
    return Coverage.merged(r for file in fam.files for r in _charset(*locate(file, fam)))


@cache
def covered() -> Coverage:
    """Every code point some font of the project covers."""
    return Coverage.merged(
        (start, end)
        for name in FAMILIES
        for start, end in zip(coverage(name).starts, coverage(name).ends, strict=True)
    )


def forget() -> None:
    """Forget the files found and what they cover, for a process whose font files are not the
    ones it looked them up in (`files_identity`; a worker forked from a server set up earlier)."""
    for known in (_charsets, coverage, covered, advances):
        known.cache_clear()


# Characters no font needs to draw: line breaks and tabs are white space, and the control and
# format characters the data is allowed to hold are handled by the layout, not drawn.
_NOT_DRAWN = {"\n", "\r", "\t"}


def uncovered(text: str) -> list[str]:
    """The characters of `text` that no font of the project has, each once, in order."""
    points = covered()
    return list(dict.fromkeys(c for c in text if ord(c) not in points and c not in _NOT_DRAWN))


def describe(char: str) -> str:
    """`ẞ` -> `U+1E9E LATIN CAPITAL LETTER SHARP S`."""
    name = unicodedata.name(char, "")
    if not name:
        kind = unicodedata.category(char)
        name = {
            "Cc": "(control)",
            "Cn": "(not a character Unicode assigns)",
            "Co": "(a private-use character)",
        }.get(kind, f"(category {kind})")
    return f"U+{ord(char):04X} {name}"


def unprintable(text: str) -> list[str]:
    """One message for each character of `text` that no installed font covers."""
    return [f"{describe(c)} is in no installed font" for c in uncovered(text)]
