"""The records a build passes between its stages: Options, Job, Outcome, Report, Summary."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from filings.inputs.records import Detainee
from filings.inputs.validate import RosterCheck, counted
from filings.templating.templates import Template

if TYPE_CHECKING:
    from filings.check.reference import Reference

OUTPUT_FORMATS = ("pdf", "docx")


@dataclass(frozen=True)
class Options:
    """How documents are written: part of every document's inputs."""

    formats: tuple[str, ...] = OUTPUT_FORMATS
    check: bool = True  # measure each output against its court format; fail it if it breaks one
    # Which PDFs the check also reads back from the written file (every one is measured as laid
    # out): "sample" (see plan.sample_read_backs) or "full".
    read_back: str = "sample"
    pdf_variant: str | None = None  # WeasyPrint's pdf_variant, e.g. "pdf/a-2b"
    # A firm's Word styles for the DOCX (--reference-docx): read and measured once by the parent,
    # they travel to the workers in here (a worker reads no file the parent chose).
    reference: Reference | None = None


@dataclass(frozen=True)
class Job:
    """One document: a template, for one detainee or for the whole roster, and its inputs' hash."""

    template: Template
    detainee: Detainee | None = None
    inputs: str = ""
    # The templates' version, found once by the plan: a worker has no git state to ask.
    version: str = ""
    # `public` (redacted by the case file's policy) or `sealed` (complete, marked FILED UNDER
    # SEAL), for a template with `copies:`; None for a document's one complete copy.
    copy: str | None = None
    # Whether the check reads its PDF back from the file too (chosen by plan.sample_read_backs).
    read_back: bool = False

    @property
    def key(self) -> tuple[str, str | None, str | None]:
        return (self.template.name, self.detainee.a_number if self.detainee else None, self.copy)


NOT_APPLICABLE = "not-applicable"


@dataclass
class Outcome:
    job: Job
    status: str = "rendered"  # rendered | unchanged | failed | not-applicable
    outputs: dict[str, dict] = field(default_factory=dict)  # format -> {path, sha256, pages}
    error: str | None = None
    needs_translation: bool = False  # in English only: no translation for the reader's language
    reason: str | None = None  # why the template is not for this person (not-applicable)


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
    # Rows that rendered but whose name has no Latin-letter form for a court filing.
    needs_review: list[Detainee] = field(default_factory=list)
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
    def not_applicable(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == NOT_APPLICABLE]

    @property
    def not_applicable_rows(self) -> set[str]:
        """A-numbers of accepted rows no per-person document of this run is for."""
        made = {
            o.job.detainee.a_number
            for o in self.outcomes
            if o.job.detainee and o.status != NOT_APPLICABLE
        }
        skipped = {o.job.detainee.a_number for o in self.not_applicable}
        return skipped - made - self.failed_rows

    @property
    def rows(self) -> tuple[int, int, int, int]:
        """Rows read, rendered, rejected (invalid, or a document failed) and not applicable (no
        document of the run is for them): read = the others."""
        read = self.roster.rows_read if self.roster else 0
        rejected = (self.roster.rejected if self.roster else 0) + len(self.failed_rows)
        skipped = len(self.not_applicable_rows)
        return read, read - rejected - skipped, rejected, skipped

    def template_rows(self) -> dict[str, dict[str, int]]:
        """For each per-person template: rows read = rendered + rejected + not applicable."""
        counts: dict[str, dict[str, int]] = {}
        rejected = self.roster.rejected if self.roster else 0
        for o in (o for o in self.outcomes if o.job.detainee):
            row = counts.setdefault(
                o.job.template.name,
                {
                    "rows": self.roster.rows_read if self.roster else 0,
                    "rendered": 0,
                    "rejected": rejected,
                    "not_applicable": 0,
                },
            )
            key = {"failed": "rejected", NOT_APPLICABLE: "not_applicable"}.get(o.status, "rendered")
            row[key] += 1
        return counts

    @property
    def rows_line(self) -> str:
        """`600 rows: 598 rendered, 2 rejected`, as `filings render` ends (`, 4 not applicable`
        only when some rows have no document of this run)."""
        read, rendered, rejected, skipped = self.rows
        line = f"{counted(read, 'row')}: {rendered} rendered, {rejected} rejected"
        return line + (f", {skipped} not applicable" if skipped else "")

    @property
    def documents_line(self) -> str:
        """`1800 documents: 3 rendered, 1797 unchanged, 0 failed` (`, 6 not applicable` when so)."""
        counts = [self.count(s) for s in ("rendered", "unchanged", "failed", NOT_APPLICABLE)]
        line = (
            f"{counted(len(self.outcomes), 'document')}: {counts[0]} rendered, "
            f"{counts[1]} unchanged, {counts[2]} failed"
        )
        return line + (f", {counts[3]} not applicable" if counts[3] else "")

    def summary(self) -> Summary:
        read, rendered, rejected, skipped = self.rows
        return Summary(
            rows=read,
            rows_rendered=rendered,
            rows_rejected=rejected,
            rows_not_applicable=skipped,
            documents=len(self.outcomes),
            rendered=self.count("rendered"),
            unchanged=self.count("unchanged"),
            failed=self.count("failed"),
            not_applicable=self.count(NOT_APPLICABLE),
            needs_translation=len(self.needs_translation),
            needs_review=len(self.needs_review),
            templates=self.template_rows(),
            orphans=[str(p) for p in self.orphans],
            pruned=self.pruned,
            packets=[str(p) for p in self.packets],
            warnings=list(self.warnings),
        )


@dataclass(frozen=True)
class Summary:
    """What `filings render --json` prints: counts and paths, never a detainee's data."""

    rows: int  # roster rows read
    rows_rendered: int
    rows_rejected: int  # invalid, or a document of theirs failed
    rows_not_applicable: int  # no document of this run is for them
    documents: int
    rendered: int
    unchanged: int
    failed: int
    not_applicable: int  # documents not made: the template is not for that person
    needs_translation: int  # documents in English only: no translation for the reader yet
    needs_review: int  # rows whose name has no Latin-letter form
    templates: dict[str, dict[str, int]]  # per template: rows = rendered + rejected + n/a
    orphans: list[str]  # files in OUT no current document accounts for
    pruned: bool
    packets: list[str]
    warnings: list[str]

    def as_json(self) -> dict:
        return dataclasses.asdict(self)
