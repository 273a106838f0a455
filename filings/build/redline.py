"""What a template change does to a real document: a word-level diff of two renderings, as text
for the terminal and as a redline HTML (`<ins>`/`<del>`) that the PDF and DOCX stages print as
underlined insertions and struck deletions (tracked changes in Word)."""

from __future__ import annotations

import copy
import difflib
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import lxml.html

from filings.build import versions
from filings.build.files import write_atomic
from filings.build.plan import format_name, load_inputs
from filings.errors import DataError, TemplateError
from filings.inputs.normalize import normalize_a_number
from filings.outputs.convert import Meta, convert
from filings.outputs.formats import load_format
from filings.templating.render import RosterSummary, render_html
from filings.templating.templates import discover, make_environment, search_path, select

LEAVES = {"p", "h1", "h2", "h3", "li", "td", "th"}
BLOCKS = LEAVES | {"ol", "ul", "table", "thead", "tbody", "tr", "blockquote", "div", "section"}
WORDS = re.compile(r"\s+|[^\s]+")


@dataclass
class Change:
    """One block that differs: its words, each kept, inserted or deleted."""

    index: int
    pieces: list[tuple[str, str]]  # (op, text): op is "=", "+" or "-"


def _leaves(body) -> list:
    """Blocks that hold text directly, in document order."""
    return [
        el
        for el in body.iter()
        if isinstance(el.tag, str)
        and el.tag in LEAVES
        and not any(isinstance(c.tag, str) and c.tag in BLOCKS for c in el)
    ]


def _text(el) -> str:
    return " ".join(el.text_content().split())


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """(op, text) pieces turning old into new, word by word."""
    a, b = WORDS.findall(old), WORDS.findall(new)
    pieces: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(("=", "".join(a[i1:i2])))
            continue
        if op in ("replace", "delete"):
            pieces.append(("-", "".join(a[i1:i2])))
        if op in ("replace", "insert"):
            pieces.append(("+", "".join(b[j1:j2])))
    return _spaces_outside([p for p in pieces if p[1]])


def _spaces_outside(pieces: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Keep the spaces around a changed run unmarked: `through {+their+} class`."""
    out: list[tuple[str, str]] = []
    for op, text in pieces:
        if op == "=" or not text.strip():
            out.append(("=" if not text.strip() and op == "+" else op, text))
            continue
        core = text.strip()
        lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
        out += [("=", lead)] if lead else []
        out.append((op, core))
        out += [("=", trail)] if trail else []
    return [p for p in out if p[1] and not (p[0] == "-" and not p[1].strip())]


def _mark(el, pieces: list[tuple[str, str]]) -> None:
    """Replace the block's inline content with the diff pieces, marked as insertions/deletions."""
    tail = el.tail
    for child in list(el):
        el.remove(child)
    el.text = None
    last = None
    for op, text in pieces:
        if op == "=":
            if last is None:
                el.text = (el.text or "") + text
            else:
                last.tail = (last.tail or "") + text
            continue
        mark = lxml.html.Element("ins" if op == "+" else "del")
        mark.text = text
        el.append(mark)
        last = mark
    el.tail = tail


def redline(old_html: str, new_html: str) -> tuple[str, list[Change]]:
    """The new document with every change marked, and the list of changed blocks."""
    old_doc = lxml.html.document_fromstring(old_html)
    new_doc = lxml.html.document_fromstring(new_html)
    old_blocks, new_blocks = _leaves(old_doc.find("body")), _leaves(new_doc.find("body"))
    matcher = difflib.SequenceMatcher(
        None, [_text(b) for b in old_blocks], [_text(b) for b in new_blocks], autojunk=False
    )
    changes: list[Change] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        olds, news = old_blocks[i1:i2], new_blocks[j1:j2]
        for k, new in enumerate(news):  # changed or added blocks, marked in place
            old = olds[k] if k < len(olds) else None
            pieces = word_diff(_text(old) if old is not None else "", _text(new))
            _mark(new, pieces)
            changes.append(Change(j1 + k, pieces))
        # Blocks the new version dropped are shown struck where they stood.
        after = news[-1] if news else (new_blocks[j1 - 1] if j1 else None)
        for old in olds[len(news) :]:
            after = _insert_deleted(old, after, new_blocks)
            changes.append(Change(j1 + len(news), [("-", _text(old))]))
    return lxml.html.tostring(new_doc, encoding="unicode", doctype="<!DOCTYPE html>"), changes


def _insert_deleted(old, after, new_blocks: list):
    """Put a struck copy of old after `after` (at the start when None); return the copy."""
    if old.tag in ("td", "th") or (after is not None and after.tag in ("td", "th")):
        return after  # a dropped table cell has no place of its own; its row shows the change
    ghost = copy.deepcopy(old)
    ghost.tail = None
    _mark(ghost, [("-", _text(old))])
    if after is not None:
        after.addnext(ghost)
    elif new_blocks:
        new_blocks[0].addprevious(ghost)
    else:
        return after
    return ghost


@dataclass
class Redline:
    """A template compared between two versions for one document."""

    template: str
    who: str
    old_version: str
    new_version: str
    changes: list[Change]
    html: str
    files: list


def _subjects(template, case, people: list, roster: str, asked: bool) -> list:
    """The rows the template (as the newer version has it) is for: the one asked for must be."""
    from filings.errors import DataError

    rule = template.applies_to
    if rule is None or not people:
        return people
    if asked and (reasons := rule.reasons(people[0], case)):
        raise DataError(
            roster, f"{template.name} is not for {people[0].a_number}: {'; '.join(reasons)}"
        )
    return [p for p in people if not rule.reasons(p, case)]


def compare(
    template_name: str,
    case_path,
    roster_path,
    folder,
    old_ref: str,
    new_ref: str | None,
    a_number: str | None,
    out,
) -> Redline:
    """Render one document with the templates at old_ref and at new_ref (the working tree when
    None), and write the redline PDF and DOCX into OUT/redlines/, in the court format as the
    templates at new_ref keep it (their `_formats/` first)."""

    case, people = load_inputs(case_path, roster_path, templates_dirs=[folder])
    if a_number:
        wanted = normalize_a_number(a_number)
        people = [p for p in people if p.a_number == wanted]
        if not people:
            raise DataError(roster_path.name, f"no one with A-number {wanted} on the roster")
    with tempfile.TemporaryDirectory(prefix="filings-diff-") as scratch:
        found = [
            _version(template_name, folder, ref, Path(scratch) / str(i))
            for i, ref in enumerate((old_ref, new_ref))
        ]
        htmls = []
        subjects = _subjects(found[-1][2], case, people, roster_path.name, bool(a_number))
        for root, label, template in found:
            if template.kind == "per-detainee" and not people:
                raise DataError(
                    roster_path.name,
                    f"the roster has no rows; {template.name} is "
                    "one document per person, so diff needs at least one",
                )
            if template.kind == "per-detainee" and not subjects:
                raise DataError(
                    roster_path.name,
                    f"no row of the roster is one {template.name} "
                    "is for (its applies_to); diff needs at least one",
                )
            person = subjects[0] if template.kind == "per-detainee" else None
            htmls.append(
                render_html(
                    make_environment([root]),
                    template,
                    case,
                    person,
                    RosterSummary(people),
                    template_version=label,
                )
            )
        html, changes = redline(*htmls)
        (_, old_label, _), (new_root, new_label, template) = found
        who = subjects[0].a_number if template.kind == "per-detainee" else "roster"
        result = Redline(template_name, who, old_label, new_label, changes, html, [])
        result.files = _write_redline(result, template, case, Path(out), search_path([new_root]))
    return result


def _version(name: str, folder, ref: str | None, scratch):
    """The templates folder at ref (the working tree when None), its version, and the template."""
    if ref is None:
        root, label = folder, versions.describe(folder)
    else:
        root, label = versions.templates_at(ref, folder, scratch)
    try:
        (template,) = select(discover([root]), (name,))
    except TemplateError as exc:
        where = f"templates at {ref}" if ref else f"templates in {folder}"
        raise TemplateError(where, exc.message) from None
    return root, label, template


def _write_redline(result: Redline, template, case, out, search) -> list:
    stem = f"{result.template}-{result.who}-{result.old_version}-to-{result.new_version}"
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem)
    fmt = load_format(format_name(template, case), search)
    meta = Meta(
        where=f"redline of {result.template}",
        title=f"Redline: {template.title}",
        author=f"filings (templates {result.new_version})",
        date=case.filing_date,
    )
    pdf, _ = convert("pdf", result.html, fmt, meta)
    docx, _ = convert("docx", result.html, fmt, meta)
    paths = [out / "redlines" / f"{stem}.pdf", out / "redlines" / f"{stem}.docx"]
    write_atomic(paths[0], pdf, out)
    write_atomic(paths[1], docx, out)
    return paths
