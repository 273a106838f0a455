"""The record of what a build produced from what: OUT/manifest.jsonl and OUT/manifest.csv.

While a build runs, each finished document is appended to a journal, so a run that is killed
leaves a record of what it completed; the next run reads manifest and journal alike and redoes
only what is missing or changed.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from filings.build.files import sha256_file, write_atomic
from filings.inputs.problems import excel_safe

MANIFEST = "manifest.jsonl"
MANIFEST_CSV = "manifest.csv"
JOURNAL = ".manifest.journal.jsonl"
CSV_COLUMNS = ("template", "template_version", "a_number", "status", "format", "path", "sha256",
               "pages", "inputs", "reason", "needs_translation")  # fmt: skip


@dataclass
class Entry:
    """One document: which template for whom, from which inputs, to which files."""

    template: str
    a_number: str | None
    inputs: str
    template_version: str
    status: str  # rendered | unchanged | failed
    outputs: dict[str, dict] = field(default_factory=dict)  # format -> {path, sha256, pages}
    reason: str | None = None
    needs_translation: bool = False  # in English only until the reader's language is translated

    @property
    def key(self) -> tuple[str, str | None]:
        return (self.template, self.a_number)


def load(out: Path) -> dict[tuple[str, str | None], Entry]:
    """The last known good entry for each document, from the manifest and any journal after it."""
    entries: dict[tuple[str, str | None], Entry] = {}
    for name in (MANIFEST, JOURNAL):
        path = out / name
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                entry = Entry(**json.loads(line))
            except (ValueError, TypeError):
                continue  # a line cut short when a run was killed
            if entry.status != "failed":
                entries[entry.key] = entry
    return entries


def is_current(entry: Entry | None, inputs: str, out: Path, formats: list[str]) -> bool:
    """The document's files exist, hold what was recorded, and came from these same inputs."""
    if entry is None or entry.inputs != inputs or not set(formats) <= set(entry.outputs):
        return False
    for kind in formats:
        path = out / entry.outputs[kind]["path"]
        output = entry.outputs[kind]
        if not path.is_file() or sha256_file(path) != output["sha256"]:
            return False
    return True


class Journal:
    """Appends each finished document's entry as soon as it is written."""

    def __init__(self, out: Path) -> None:
        out.mkdir(parents=True, exist_ok=True)
        self.stream = open(out / JOURNAL, "a", encoding="utf-8")  # noqa: SIM115

    def add(self, entry: Entry) -> None:
        self.stream.write(json.dumps(asdict(entry), ensure_ascii=False) + "\n")
        self.stream.flush()

    def close(self) -> None:
        self.stream.close()


def write(out: Path, entries: list[Entry]) -> None:
    """Write the manifest (JSON lines, and CSV for clerks) and retire the journal."""
    lines = "".join(json.dumps(asdict(e), ensure_ascii=False) + "\n" for e in entries)
    write_atomic(out / MANIFEST, lines.encode("utf-8"), out)
    write_atomic(out / MANIFEST_CSV, _csv(entries).encode("utf-8-sig"), out)
    (out / JOURNAL).unlink(missing_ok=True)


def _csv(entries: list[Entry]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for e in entries:
        outputs = e.outputs.items() or [("", {})]
        for kind, output in outputs:
            row = (e.template, e.template_version, e.a_number or "", e.status, kind,
                   output.get("path", ""), output.get("sha256", ""), output.get("pages", ""),
                   e.inputs, e.reason or "", "yes" if e.needs_translation else "")  # fmt: skip
            writer.writerow([excel_safe(str(v)) for v in row])
    return buffer.getvalue()
