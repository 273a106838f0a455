"""The record of what a build produced from what: OUT/manifest.jsonl and OUT/manifest.csv.

While a build runs, each finished document is appended to a journal, so a run that is killed
leaves a record of what it completed; the next run reads manifest and journal alike and redoes
only what is missing or changed.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath

from filings.build import files
from filings.inputs.problems import excel_safe

MANIFEST = "manifest.jsonl"
MANIFEST_CSV = "manifest.csv"
JOURNAL = ".manifest.journal.jsonl"
CSV_COLUMNS = (
    "template",
    "copy",
    "template_version",
    "a_number",
    "status",
    "format",
    "path",
    "sha256",
    "pages",
    "inputs",
    "reason",
    "needs_translation",
)


@dataclass
class Entry:
    """One document: which template for whom, from which inputs, to which files."""

    template: str
    a_number: str | None
    inputs: str
    template_version: str
    status: str  # rendered | unchanged | failed | not-applicable (reason: why not)
    outputs: dict[str, dict] = field(default_factory=dict)  # format -> {path, sha256, pages}
    reason: str | None = None
    needs_translation: bool = False  # in English only until the reader's language is translated
    copy: str | None = None  # public or sealed; None: the document's one complete copy

    @property
    def key(self) -> tuple[str, str | None, str | None]:
        return (self.template, self.a_number, self.copy)


@dataclass
class Known:
    """What the manifest and journal say was made, and why any line of theirs was not believed."""

    entries: dict[tuple[str, str | None, str | None], Entry] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def load(out: Path) -> Known:
    """Every document's last entry, from the manifest and any journal after it.

    Both files are untrusted: anyone may have edited them. A line that is not a well-formed
    entry, or names a file outside OUT, is set aside with a warning, and its document is
    rendered again as if it had never been made."""
    known = Known()
    for name in (MANIFEST, JOURNAL):
        path = out / name
        data = files.read_bytes(path, out)
        if data is None:
            if path.is_symlink():
                known.warnings.append(
                    f"{path}: is a symbolic link; not read, so every "
                    "document will be rendered again"
                )
            continue
        lines = data.split(b"\n")
        if name == JOURNAL and lines[-1]:
            lines.pop()  # a line cut short when a run was killed: no warning, it is expected
        problems = []
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            entry, problem = _entry(line, number, out)
            if problem:
                problems.append(problem)
            else:
                known.entries[entry.key] = entry
        if problems:
            known.warnings.append(_unusable(path, problems))
    return known


def _unusable(path: Path, problems: list[str]) -> str:
    if len(problems) == 1:
        return f"{path}: 1 unusable line ({problems[0]}); its document will be rendered again"
    return (
        f"{path}: {len(problems)} unusable lines (the first: {problems[0]}); their documents "
        "will be rendered again"
    )


def _entry(line: bytes, number: int, out: Path) -> tuple[Entry | None, str | None]:
    """The entry a manifest line holds, or why it holds none."""
    try:
        record = json.loads(line.decode("utf-8"))
    except ValueError:  # UnicodeDecodeError included
        return None, f"line {number} is not JSON text"
    if not isinstance(record, dict):
        return None, f"line {number} is not a JSON object"
    problem = _fields_problem(record) or _outputs_problem(record.get("outputs", {}), out)
    if problem:
        return None, f"line {number}: {problem}"
    return Entry(**{k: v for k, v in record.items() if k in _FIELDS}), None


_FIELDS = {  # name -> (accepted types, what to call them, required)
    "template": ((str,), "a string", True),
    "a_number": ((str, type(None)), "a string or null", True),
    "inputs": ((str,), "a string", True),
    "template_version": ((str,), "a string", True),
    "status": ((str,), "a string", True),
    "outputs": ((dict,), "an object", False),
    "reason": ((str, type(None)), "a string or null", False),
    "needs_translation": ((bool,), "true or false", False),
    "copy": ((str, type(None)), "a string or null", False),
}
STATUSES = ("rendered", "unchanged", "failed", "not-applicable")


def _fields_problem(record: dict) -> str | None:
    for name, (types, what, required) in _FIELDS.items():
        if name not in record:
            if required:
                return f"{name!r} is missing"
        elif not isinstance(record[name], types):
            return f"{name} is not {what}"
    if record["status"] not in STATUSES:
        return (
            f"status: {_shown(record['status'])} is not rendered, unchanged, failed or "
            "not-applicable"
        )
    return None


def _outputs_problem(outputs: dict, out: Path) -> str | None:
    for kind, output in outputs.items():
        where = f"outputs.{_shown(kind)[1:-1]}"
        if not isinstance(output, dict):
            return f"{where} is not an object"
        for name, what, ok in _OUTPUT_FIELDS:
            if not ok(output.get(name)):
                return f"{where}.{name} is not {what}"
        path = output["path"]
        if (
            PurePosixPath(path).is_absolute()
            or ".." in PurePosixPath(path).parts
            or files.inside(out / path, out) is None
        ):
            return f"{where}.path: {_shown(path)} is not inside {out}"
    return None


_OUTPUT_FIELDS = (
    ("path", "a string", lambda v: isinstance(v, str) and v != "" and "\0" not in v),
    ("sha256", "a sha256 in hex", lambda v: isinstance(v, str) and re.fullmatch("[0-9a-f]{64}", v)),
    ("pages", "a whole number", lambda v: v is None or type(v) is int),
)


def _shown(value: str) -> str:
    """A value from the file as it can be printed safely: quoted, control characters escaped."""
    return repr(value if len(value) <= 60 else value[:60] + "…")


def is_current(
    entry: Entry | None, inputs: str, paths: dict[str, PurePosixPath], out: Path
) -> bool:
    """The document's files are where this run would write them, hold what was recorded, and
    came from these same inputs."""
    if entry is None or entry.status == "failed" or entry.inputs != inputs:
        return False
    for kind, relative in paths.items():
        output = entry.outputs.get(kind)
        if output is None or output["path"] != PurePosixPath(relative).as_posix():
            return False
        if files.sha256_file(out / relative, out) != output["sha256"]:
            return False
    return True


class Journal:
    """Appends each finished document's entry as soon as it is written."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.fd = files.open_append(out / JOURNAL, out)

    def add(self, entry: Entry) -> None:
        line = json.dumps(asdict(entry), ensure_ascii=False) + "\n"
        files.append(self.fd, line.encode("utf-8"), self.out)

    def close(self) -> None:
        os.close(self.fd)


def merge(known: Known, entries: list[Entry], templates: set[str]) -> list[Entry]:
    """This run's entries, and the earlier ones of every template this run did not render (so
    rendering one template never makes another's documents look new). Grouped by template."""
    kept = [e for e in known.entries.values() if e.template not in templates]
    return sorted(kept + entries, key=lambda e: e.template)


def write(out: Path, entries: list[Entry]) -> None:
    """Write the manifest (JSON lines, and CSV for clerks) and retire the journal."""
    lines = "".join(json.dumps(asdict(e), ensure_ascii=False) + "\n" for e in entries)
    files.write_atomic(out / MANIFEST, lines.encode("utf-8"), out)
    files.write_atomic(out / MANIFEST_CSV, _csv(entries).encode("utf-8-sig"), out)
    files.remove(out / JOURNAL, out)


def _csv(entries: list[Entry]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for e in entries:
        outputs = e.outputs.items() or [("", {})]
        for kind, output in outputs:
            row = (
                e.template,
                e.copy or "",
                e.template_version,
                e.a_number or "",
                e.status,
                kind,
                output.get("path", ""),
                output.get("sha256", ""),
                output.get("pages", ""),
                e.inputs,
                e.reason or "",
                "yes" if e.needs_translation else "",
            )
            writer.writerow([excel_safe(str(v)) for v in row])
    return buffer.getvalue()
