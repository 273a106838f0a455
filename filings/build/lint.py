"""Check templates before any real data reaches them: metadata, Jinja syntax, the fields they use,
and a render of every fixture row through both outputs (and the court-format check)."""

from __future__ import annotations

import dataclasses
import difflib
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2
from jinja2 import nodes

from filings.build import run as build
from filings.errors import DataError, FilingsError, Location, TemplateError
from filings.inputs.load import load_yaml
from filings.inputs.records import Attorney, Case, Detainee, Removal
from filings.problems import WARNING, Problem
from filings.templating import language_files
from filings.templating.render import ENGLISH, stale, translations
from filings.templating.sandbox import OPEN
from filings.templating.templates import Template, _read_metadata, make_environment, search_path
from filings.templating.view import RosterSummary, Tagline, TemplateInfo

ANY = object()  # a value whose inside the schema does not describe (text, dates, extra columns)


@dataclass(frozen=True)
class ListOf:
    item: object


def _record_schema(cls: type, extra: dict | None = None) -> dict:
    fields = {f.name: ANY for f in dataclasses.fields(cls)}
    properties = {n: ANY for n, v in vars(cls).items() if isinstance(v, property)}
    return {**fields, **properties, **(extra or {})}


def schema(case_data: dict) -> dict:
    """What templates may name, from the records and the case file's own keys."""
    attorney = _record_schema(Attorney)
    detainee = _record_schema(Detainee)
    nested = {
        k: {key: ANY for key in (case_data.get(k) or {})}
        for k in ("court", "caption", "contact", "order")
    }
    people = {"counsel": ListOf(attorney), "opposing_counsel": ListOf(attorney), "signer": attorney}
    case = _record_schema(Case, {**nested, **people})
    # What the sandbox lets a template read of the roster, its records described.
    roster = {name: ANY for name in dict(OPEN)[RosterSummary]} | {"detainees": ListOf(detainee)}
    template = _record_schema(TemplateInfo)  # what render_html hands templates, not the folder
    removal = _record_schema(Removal)
    return {
        "case": case,
        "detainee": detainee,
        "roster": roster,
        "template": template,
        "lang": ANY,
        "removal": removal,
        "class_member": ANY,
        "document_date": ANY,
        "copy": ANY,
        "tagline": _record_schema(Tagline),
    }


def _chain(node: nodes.Node) -> tuple[str, list[str]] | None:
    """`case.order.date` -> ("case", ["order", "date"]); None for anything else."""
    attrs: list[str] = []
    while True:
        if isinstance(node, nodes.Getattr):
            attrs.append(node.attr)
            node = node.node
        elif (
            isinstance(node, nodes.Getitem)
            and isinstance(node.arg, nodes.Const)
            and isinstance(node.arg.value, str)
        ):
            attrs.append(node.arg.value)
            node = node.node
        elif isinstance(node, nodes.Name):
            return node.name, attrs[::-1]
        else:
            return None


class _FieldCheck:
    def __init__(self, root: dict, file: str) -> None:
        self.names: dict[str, object] = dict(root)
        self.file = file
        self.problems: list[Problem] = []

    def resolve(self, node: nodes.Node, report: bool = True):
        chain = _chain(node)
        if chain is None or chain[0] not in self.names:
            return ANY
        name, attrs = chain
        at, path = self.names[name], name
        for attr in attrs:
            if at is ANY or isinstance(at, ListOf):
                return ANY
            if attr not in at:
                if report:
                    self.unknown(node, path, attr, at)
                return ANY
            at, path = at[attr], f"{path}.{attr}"
        return at

    def unknown(self, node: nodes.Node, path: str, attr: str, known: dict) -> None:
        close = difflib.get_close_matches(attr, list(known), n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        where = Location(self.file, node.lineno)
        self.problems.append(Problem(where, f"{path}.{attr}: no such field{hint}", "field"))

    def walk(self, tree: nodes.Template) -> list[Problem]:
        for node in tree.find_all((nodes.Assign, nodes.For)):
            if isinstance(node, nodes.Assign) and isinstance(node.target, nodes.Name):
                self.names[node.target.name] = self.resolve(node.node, report=False)
            elif isinstance(node, nodes.For) and isinstance(node.target, nodes.Name):
                found = self.resolve(node.iter, report=False)
                self.names[node.target.name] = found.item if isinstance(found, ListOf) else ANY
        for node in tree.find_all(nodes.Getattr):
            self.resolve(node)
        unique = {(p.location.line, p.message): p for p in self.problems}
        return sorted(unique.values(), key=lambda p: p.location.line or 0)


def check_fields(env: jinja2.Environment, path: Path, shown: str, case_data: dict) -> list[Problem]:
    """Syntax and field names of one template file."""
    try:
        tree = env.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except jinja2.TemplateSyntaxError as exc:
        return [Problem(Location(shown, exc.lineno), exc.message or "syntax error", "syntax")]
    return _FieldCheck(schema(case_data), shown).walk(tree)


def lint(
    folders: Sequence[Path],
    case_path: Path,
    roster_path: Path,
    render: bool = True,
) -> list[Problem]:
    """Every problem in the templates of the first folder (or all, when none is given)."""
    roots = search_path(folders)
    targets = roots[:1] if folders else roots
    env = make_environment(folders)
    case_data = load_yaml(case_path) or {}
    problems: list[Problem] = []
    templates: list[Template] = []
    for root in targets:
        for path in sorted(root.rglob("*.j2")):
            problems += check_fields(env, path, _shown(path, root), case_data)
        problems += _metadata(root, templates)
    problems += [p for t in templates for p in translation_problems(t)]
    if render and not any(p.rule in ("syntax", "metadata") for p in problems):
        problems += _render_fixtures(templates, folders, case_path, roster_path)
    return problems


def translation_problems(template: Template) -> list[Problem]:
    """Each translation older than the English or missing a section of it (a failure: its readers
    would get English), and each one no reviewer has signed (a warning: the text is still the
    best there is, and a reviewer is a person to find, not a fix to make)."""
    found = translations(template)
    if found is None:
        return []
    files, _ = found
    english = language_files.english_sections(template.folder, files[ENGLISH].split("/", 1)[1])
    reviews = language_files.reviews(template.name, template.folder)
    problems = []
    for lang, name in sorted(files.items()):
        if lang == ENGLISH:
            continue
        own = language_files.sections((template.folder / name.split("/", 1)[1]).read_text("utf-8"))
        if missing := [s for s in english if s not in own]:
            message = (
                f"has no section {', '.join(missing)} of the English; mark each with "
                "{# section: name #} as en.html.j2 does"
            )
            problems.append(Problem(Location(name), message, "translation"))
        if changed := stale(template, files, lang):
            record = ", ".join(f"{s}: {english[s]}" for s in changed)
            message = (
                f"older than the English in {len(changed)} section(s): {', '.join(changed)}; "
                f"once translated again, record in "
                f"{template.name}/{language_files.TRANSLATIONS_FILE} {lang}.translates: {record}"
            )
            problems.append(Problem(Location(name), message, "translation"))
        review = reviews.get(lang)
        if review is None or not review.reviewed_by:
            where = f"{template.name}/{language_files.TRANSLATIONS_FILE}"
            message = f"no reviewer recorded (reviewed_by, reviewed_on in {where})"
            problems.append(Problem(Location(name), message, "review", severity=WARNING))
    return problems


def _shown(path: Path, root: Path) -> str:
    return f"{root.name}/{path.relative_to(root).as_posix()}"


def _metadata(root: Path, templates: list[Template]) -> list[Problem]:
    problems = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and p.name[0] not in "_."):
        meta = folder / "template.yaml"
        if not meta.is_file():
            problems.append(Problem(Location(_shown(folder, root)), "no template.yaml", "metadata"))
            continue
        try:
            templates.append(_read_metadata(folder, meta))
        except (TemplateError, DataError) as exc:  # the place as lint shows it, given once
            problem = Problem.of(exc, "metadata")
            shown = dataclasses.replace(problem.location, file=_shown(meta, root))
            problems.append(dataclasses.replace(problem, location=shown))
        except FilingsError as exc:
            problems.append(Problem(Location(_shown(meta, root)), exc.message, "metadata"))
    return problems


def _render_fixtures(
    templates: list[Template], folders: Sequence[Path], case_path: Path, roster_path: Path
) -> list[Problem]:
    """Render each template for every fixture row, to PDF and DOCX, then check the PDF."""

    problems = []
    with tempfile.TemporaryDirectory(prefix="filings-lint-") as out:
        names = [t.name for t in templates]
        report = build.build(
            case_path, roster_path, Path(out), names, templates_dirs=folders, jobs=1, force=True
        )
        for outcome in report.failed:
            where = Location(outcome.job.template.name)
            problems.append(Problem(where, outcome.error or "failed", "render"))
    return problems
