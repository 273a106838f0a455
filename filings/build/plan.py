"""Read the inputs and plan the documents: one Job per template and person, with the hash of
everything its output depends on."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import filings
from filings import __version__
from filings.build import versions
from filings.build.model import NOT_APPLICABLE, Job, Options
from filings.errors import DataError, DataErrors, FilingsError, FormatError, Location
from filings.inputs.case_file import load_case
from filings.inputs.limits import DEFAULT as DEFAULT_LIMITS
from filings.inputs.limits import Limits
from filings.inputs.load import read_roster
from filings.inputs.records import Case, Detainee
from filings.inputs.redaction import mask_a_number
from filings.inputs.validate import RosterCheck, check_roster
from filings.outputs.formats import format_path, load_format
from filings.templating.applies import needs_class_covers
from filings.templating.render import document_languages
from filings.templating.templates import Template, output_name, search_path

if TYPE_CHECKING:
    from filings.check.reference import Reference

# --- inputs and plan ---------------------------------------------------------------------------


def load_inputs(case_path: Path, roster_path: Path, **read) -> tuple[Case, list[Detainee]]:
    """Read both inputs and insist every row is good; every problem is reported before stopping."""
    case, check = check_inputs(case_path, roster_path, **read)
    if check.errors:
        raise DataErrors(check.errors, roster_path.name)
    return case, check.detainees


def check_inputs(
    case_path: Path,
    roster_path: Path,
    encoding: str | None = None,
    sheet: str | None = None,
    *,
    limits: Limits = DEFAULT_LIMITS,
    templates_dirs: Sequence[Path] = (),
) -> tuple[Case, RosterCheck]:
    """Read the case file (any problem stops) and check the roster row by row: every check of
    the inputs that rendering makes, so `validate` passing means `render` will not refuse them.

    The case file's court format is looked up in `templates_dirs`' _formats/ folders, then the
    built-in formats."""
    case = load_case(case_path, limits=limits)
    _check_court_format(case, templates_dirs)
    rows = read_roster(roster_path, encoding=encoding, sheet=sheet, limits=limits)
    return case, check_roster(rows, case)


def _check_court_format(case: Case, folders: Sequence[Path]) -> None:
    """The format the case file names exists (an error at its line) and loads."""
    name, search = case.court.get("format"), search_path(folders)
    try:
        format_path(name, search)
    except FormatError as exc:
        line = getattr(case.court, "lines", {}).get("format")
        raise DataError(Location(case.source, line, "court.format"), exc.message) from None
    load_format(name, search)


def format_name(template: Template, case: Case) -> str:
    """`court` in a template's metadata means the court format the case file names."""
    return case.court["format"] if template.format == "court" else template.format


def _hash(*parts: object) -> str:
    digest = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else json.dumps(part, sort_keys=True, default=str)
        digest.update(hashlib.sha256(data if isinstance(data, bytes) else data.encode()).digest())
    return digest.hexdigest()


def _tree_hash(*folders: Path) -> str:
    """The content of every file under the folders, by relative path."""
    files = sorted(
        (p.relative_to(folder).as_posix(), p)
        for folder in folders
        for p in folder.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    )
    return _hash(*[(name, hashlib.sha256(p.read_bytes()).hexdigest()) for name, p in files])


@cache
def code_fingerprint() -> str:
    """The filings version and its own source and formats: a change to either re-renders."""
    return _hash(__version__, _tree_hash(Path(filings.__file__).parent))


def _record(detainee: Detainee) -> dict:
    """What of a record reaches a document (not where the row stood in the file)."""
    return {k: v for k, v in dataclasses.asdict(detainee).items() if k != "source"}


def plan(
    templates: Sequence[Template],
    case: Case,
    detainees: Sequence[Detainee],
    case_bytes: bytes,
    options: Options,
    folders: Sequence[Path] = (),
    pinned: Mapping[Path, str] | None = None,
    copies: Sequence[str] = (),
) -> list[Job]:
    """Per-detainee templates once per detainee, in roster order; per-roster ones once. Each job
    carries the hash of everything its output depends on (the template version too, since the
    documents record it). `pinned` gives the version of templates folders read from a git ref;
    `copies` the copies asked for (`copies_of`), each a job of its own."""
    roster_hash = _hash(*[_record(d) for d in detainees])
    jobs = []
    shared = _tree_hash(*[f / "_shared" for f in search_path(folders) if (f / "_shared").is_dir()])
    for template in templates:
        root = template.folder.parent
        version = (pinned or {}).get(root) or versions.describe(root)
        base = _hash(
            code_fingerprint(),
            _tree_hash(template.folder),
            shared,
            case_bytes,
            format_name(template, case),
            options.check,
            options.read_back,
            options.pdf_variant,
            options.reference.sha256 if options.reference else None,
            version,
        )
        for copy in copies_of(template, copies):
            if template.kind == "per-detainee":
                jobs.extend(
                    Job(template, d, _hash(base, _record(d), copy), version, copy)
                    for d in detainees
                )
            else:
                jobs.append(Job(template, None, _hash(base, roster_hash, copy), version, copy))
    return jobs


def copies_of(template: Template, asked: Sequence[str]) -> tuple[str | None, ...]:
    """The copies of a template's documents to make: those asked for that it declares; a
    template declaring only a public copy (a motion to seal) is never made complete; otherwise
    one complete copy (None), as for a template that declares none."""
    if template.copies == ("public",):
        return ("public",)
    chosen = tuple(c for c in template.copies if c in asked)
    return chosen or (None,)


def sample_read_backs(jobs: Sequence[Job], case: Case, options: Options, every: int) -> list[Job]:
    """The jobs, those whose PDF the check reads back from the file marked `read_back`: all of
    them with `options.read_back == "full"`; else the first of each template, court format and
    language, and every `every`th after it. What the file alone can show (fonts embedded, text
    that reads back) depends on those, not on the person; see README, "Performance"."""
    if not options.check or "pdf" not in options.formats:
        return list(jobs)
    seen: dict[tuple, int] = {}
    marked = []
    for job in jobs:
        kind = (job.template.name, job.copy, format_name(job.template, case), _languages(job))
        count = seen[kind] = seen.get(kind, -1) + 1
        sampled = options.read_back == "full" or count % every == 0
        marked.append(dataclasses.replace(job, read_back=sampled))
    return marked


def _languages(job: Job) -> tuple[str, ...] | None:
    found = document_languages(job.template, job.detainee)
    return found.languages if found else None


def check_formats(templates: Sequence[Template], case: Case, search: Sequence[Path]) -> None:
    """A broken court format is one error before anything renders, not one per document."""
    for template in templates:
        load_format(format_name(template, case), search)


def check_reference(
    templates: Sequence[Template], case: Case, search: Sequence[Path], ref: Reference | None
) -> None:
    """A firm's reference DOCX whose styles break a court format's rule is one error, every
    broken rule on its own line, before anything renders."""
    if ref is None:
        return
    names = dict.fromkeys(format_name(t, case) for t in templates)
    from filings.check.reference import measure_reference  # python-docx: only for a reference

    found = [p for name in names for p in measure_reference(ref, load_format(name, search))]
    if found:
        raise FilingsError("\n".join(dict.fromkeys(str(p) for p in found)))


def check_rules(templates: Sequence[Template], case: Case) -> None:
    """A rule that asks about class membership needs the case file to say which arrests the class
    covers: one error at the case file, before anything renders."""
    asking = [t.name for t in templates if needs_class_covers(t.applies_to, case)]
    if asking:
        raise DataError(
            Location(case.source, None, "class_covers"),
            f"is missing; the applies_to of {', '.join(asking)} asks whether the "
            "class covers each arrest (class_member), so the case file must say which "
            "arrest types it covers, e.g. class_covers: {arrest_types: [warrantless]}",
        )


def screen(job: Job, case: Case) -> tuple[str, str] | None:
    """Whether a person's document is not to be made: ("not-applicable", the reasons) when the
    template's applies_to is not for them, ("failed", the located errors) when the case file
    lacks what their row needs; None to render it."""
    rule, person = job.template.applies_to, job.detainee
    if rule is None or person is None:
        return None
    if reasons := rule.reasons(person, case):
        return NOT_APPLICABLE, "; ".join(reasons)
    if problems := rule.problems(person, case):
        return "failed", "\n".join(f"{p.message} ({job.template.name})" for p in problems)
    return None


SEALED = "sealed"  # the folder of a template's sealed copies, inside its own


def output_paths(job: Job, formats: Sequence[str]) -> dict[str, Path]:
    """Each format's file, relative to OUT: a sealed copy in the template's `sealed/` folder; a
    public copy named by the masked A-number and the roster row (never the full A-number, and
    two people whose A-numbers end alike never share a name)."""
    d = job.detainee
    a_number = d.a_number if d else None
    if d and job.copy == "public":
        a_number = f"{mask_a_number(d.a_number)}-row{d.source.row}"
    stem = output_name(job.template, a_number, d.family_name if d else "")
    folder = Path(job.template.name) / (SEALED if job.copy == "sealed" else "")
    return {kind: folder / f"{stem}.{kind}" for kind in formats}
