"""The records a build passes between its stages: Options, Job, Outcome, Report, Summary."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from filings.inputs.validate import Detainee, RosterCheck
from filings.templating.templates import Template

OUTPUT_FORMATS = ("pdf", "docx")

@dataclass(frozen=True)
class Options:
    """How documents are written: part of every document's inputs."""

    formats: tuple[str, ...] = OUTPUT_FORMATS
    check: bool = True  # measure each output against its court format; fail it if it breaks one
    pdf_variant: str | None = None  # WeasyPrint's pdf_variant, e.g. "pdf/a-2b"


@dataclass(frozen=True)
class Job:
    """One document: a template, for one detainee or for the whole roster, and its inputs' hash."""

    template: Template
    detainee: Detainee | None = None
    inputs: str = ""
    # The templates' version, found once by the plan: a spawned worker has no git state to ask.
    version: str = ""

    @property
    def key(self) -> tuple[str, str | None]:
        return (self.template.name, self.detainee.a_number if self.detainee else None)


@dataclass
class Outcome:
    job: Job
    status: str = "rendered"  # rendered | unchanged | failed
    outputs: dict[str, dict] = field(default_factory=dict)  # format -> {path, sha256, pages}
    error: str | None = None
    needs_translation: bool = False  # in English only: no translation for the reader's language


@dataclass
class Report:
    """What a build did: every document's outcome, and files no current document accounts for."""

    outcomes: list[Outcome]
    roster: RosterCheck | None = None
    orphans: list[Path] = field(default_factory=list)
    pruned: bool = False
    packets: list[Path] = field(default_factory=list)
    # Documents in English only because the reader's language has no translation yet.
    needs_translation: list[Outcome] = field(default_factory=list)
    # Things the user should know that stopped nothing, e.g. a manifest line that was not believed.
    warnings: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)

    @property
    def files(self) -> list[str]:
        return [out["path"] for o in self.outcomes for out in o.outputs.values()]

    @property
    def failed_rows(self) -> set[str]:
        """A-numbers of accepted rows whose documents did not all render."""
        return {o.job.detainee.a_number for o in self.failed if o.job.detainee}

    @property
    def rows(self) -> tuple[int, int, int]:
        """Rows read, rendered and rejected (invalid, or a document failed): read = the others."""
        read = self.roster.rows_read if self.roster else 0
        rejected = (self.roster.rejected if self.roster else 0) + len(self.failed_rows)
        return read, read - rejected, rejected

    def summary(self) -> Summary:
        read, rendered, rejected = self.rows
        return Summary(rows=read, rows_rendered=rendered, rows_rejected=rejected,
                       documents=len(self.outcomes), rendered=self.count("rendered"),
                       unchanged=self.count("unchanged"), failed=self.count("failed"),
                       needs_translation=len(self.needs_translation),
                       orphans=[str(p) for p in self.orphans], pruned=self.pruned,
                       packets=[str(p) for p in self.packets],
                       warnings=list(self.warnings))  # fmt: skip


@dataclass(frozen=True)
class Summary:
    """What `filings render --json` prints: counts and paths, never a detainee's data."""

    rows: int  # roster rows read
    rows_rendered: int
    rows_rejected: int  # invalid, or a document of theirs failed
    documents: int
    rendered: int
    unchanged: int
    failed: int
    needs_translation: int  # documents in English only: no translation for the reader yet
    orphans: list[str]  # files in OUT no current document accounts for
    pruned: bool
    packets: list[str]
    warnings: list[str]

    def as_json(self) -> dict:
        return dataclasses.asdict(self)

