"""A DOCX's parts, read as a hostile file's: within `unzipped_mb`, XML without entities.

A DOCX is a zip, and a zip of a few kilobytes can unpack to gigabytes; its XML parts could
declare entities that expand a thousandfold, or fetch files. So the sizes the zip declares are
added up before anything is read, each part is read with a cap on what it may still add (the
sizes a zip declares can lie), and every part is parsed with entities, network and huge trees
off, a part declaring a DTD (none in a real DOCX does) refused.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from lxml import etree

from filings.check.findings import over_limit, short, unreadable
from filings.inputs.limits import Limits

_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False, dtd_validation=False
)


class Package:
    """An open DOCX; `xml(part)` is the part's root element, or None when it has no such part."""

    def __init__(self, path: Path, limits: Limits) -> None:
        self.name, self.limits = path.name, limits
        try:
            self.zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError):
            raise unreadable(self.name, "DOCX", "not a zip file") from None
        self.names = set(self.zip.namelist())
        self.left = limits.unzipped_bytes  # what the parts read so far may still add
        self._declared()

    def __enter__(self) -> Package:
        return self

    def __exit__(self, *exc) -> None:
        self.zip.close()

    def _declared(self) -> None:
        """Refuse the file when what its zip says it holds is over the limit."""
        members = self.zip.infolist()
        total = sum(m.file_size for m in members)
        if total > self.left:
            largest = max(members, key=lambda m: m.file_size)
            raise self._over(
                f"{total / 2**20:.1f} MB once unzipped ({_shown(largest.filename)} "
                f"{largest.file_size / 2**20:.1f} MB)"
            )

    def _over(self, measured: str):
        mb = self.limits.unzipped_mb
        return over_limit(self.name, "", measured, "unzipped_mb", mb)

    def read(self, part: str) -> bytes:
        """The part's bytes, never more than the limit leaves, whatever its header says."""
        try:
            with self.zip.open(part) as stream:
                data = stream.read(self.left + 1)
        except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, RuntimeError) as exc:
            reason = re.sub(r" for file .*", "", short(exc))
            raise unreadable(self.name, "DOCX", f"{_shown(part)} is damaged: {reason}") from None
        if len(data) > self.left:
            mb = self.limits.unzipped_mb
            raise self._over(f"more than {mb:g} MB once unzipped (at {_shown(part)})")
        self.left -= len(data)
        return data

    def xml(self, part: str, required: bool = False):
        if part not in self.names:
            if required:
                raise unreadable(self.name, "DOCX", f"no {_shown(part)}")
            return None
        try:
            root = etree.fromstring(self.read(part), _PARSER)
        except etree.XMLSyntaxError as exc:
            message = re.sub(r", line \d+, column \d+$", "", exc.msg or "")
            reason = short(Exception(f"{_shown(part)}: line {exc.lineno}: {message}"))
            raise unreadable(self.name, "DOCX", reason) from None
        if root.getroottree().docinfo.internalDTD is not None or root.getroottree().docinfo.doctype:
            raise unreadable(
                self.name, "DOCX", f"{_shown(part)} declares a DTD, which no DOCX part has"
            )
        return root


def _shown(part: str) -> str:
    """A part's name as stored, safe to print (a zip's names are the sender's choice)."""
    return short(Exception(part))
