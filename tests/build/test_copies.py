"""Public and sealed copies: the policy as data, redaction before templating, a sealed copy
marked on every page, each copy in the manifest, and the leak check on every public file."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pypdf
import pytest
from click.testing import CliRunner
from conftest import CASE, ROOT, write
from textof import docx_paragraphs, pdf_pages

from filings.build import run as build
from filings.cli import main
from filings.errors import DataErrors
from filings.inputs.case_file import load_case
from filings.inputs.records import Detainee
from filings.inputs.redaction import Policy, redact, removed_values

HEADER = (
    "a_number,family_name,given_name,custody_status,date_of_birth,facility,arrest_location,"
    "arrest_type,risk_assessment,notes\n"
)
HIGH_RISK = (
    "A214736058,Peña Íñiguez,José Luis,detained,1990-04-05,Broadview Processing Center,"
    '"4200 W. Cermak Rd., Chicago",warrantless,high_risk,called from Broadview on 11/12\n'
)
SAME_ENDING = (
    "A300111058,Ruiz,Ana,detained,1985-02-03,Broadview Processing Center,,warrantless,"
    "not_high_risk,\n"
)


def person(**fields) -> Detainee:
    base = dict(a_number="A214736058", family_name="Peña", given_name="José")
    return Detainee(custody_status="detained", **{**base, **fields})


def test_the_default_policy_masks_the_a_number_and_birth_date_and_drops_the_rest():
    d = person(
        date_of_birth=dt.date(1990, 4, 5),
        risk_assessment="high_risk",
        arrest_location="4200 W. Cermak Rd.",
        notes="called on 11/12",
        facility="Broadview Processing Center",
    )
    public = redact(d, Policy())
    assert (public.a_number_display, public.date_of_birth) == ("A-XXX-XXX-058", "1990")
    assert (public.risk_assessment, public.arrest_location, public.notes) == (None, None, None)
    assert (public.facility, public.full_name) == (d.facility, d.full_name)
    assert removed_values(d, Policy()) == {
        "a_number": "A214736058",
        "date_of_birth": dt.date(1990, 4, 5),
        "arrest_location": "4200 W. Cermak Rd.",
        "risk_assessment": "high_risk",
        "notes": "called on 11/12",
    }


def case_with(tmp_path, redaction: str):
    text = CASE.read_text(encoding="utf-8") + f"\nredaction:\n{redaction}"
    return write(tmp_path / "case.yaml", text)


def test_the_case_file_overrides_the_policy_field_by_field(tmp_path):
    policy = load_case(
        case_with(
            tmp_path,
            "  a_number: keep\n  facility: {action: drop, reason: the facility's name}\n",
        )
    ).redaction
    assert policy.action("a_number") == "keep"
    assert policy.removed["facility"].reason == "the facility's name"
    assert policy.action("risk_assessment") == "drop"  # a default not overridden stays


def test_a_wrong_policy_is_a_located_error(tmp_path):
    path = case_with(
        tmp_path,
        "  a_numbr: mask\n  notes: hide\n  facility: mask\n  family_name: drop\n",
    )
    with pytest.raises(DataErrors) as exc:
        load_case(path)
    lines = len(CASE.read_text(encoding="utf-8").splitlines()) + 3
    messages = [e.message for e in exc.value.errors]
    assert messages[0].startswith(f"case.yaml:{lines}: redaction.a_numbr: 'a_numbr' is not a")
    assert messages[1:] == [
        f"case.yaml:{lines + 1}: redaction.notes: 'hide' is not one of: keep, mask, drop",
        f"case.yaml:{lines + 2}: redaction.facility: only a_number, date_of_birth, arrest_date, "
        "release_date, removal_date, next_hearing_date, final_order_date, motion_to_reopen_date "
        "can be masked; keep or drop facility",
        f"case.yaml:{lines + 3}: redaction.family_name: the court needs family_name to act on "
        "the filing; it cannot be dropped",
    ]


def render(tmp_path, *args, rows=HIGH_RISK + SAME_ENDING, templates=("stay-motion",)):
    roster = write(tmp_path / "roster.csv", HEADER + rows)
    out = tmp_path / "out"
    argv = ["render", *templates, "--case", str(CASE), "--roster", str(roster)]
    result = CliRunner().invoke(main, [*argv, "--out", str(out), "--jobs", "1", *args])
    return result, out


@pytest.mark.slow
def test_public_and_sealed_copies_of_the_stay_motion(tmp_path):
    result, out = render(tmp_path, "--copies", "public,sealed", "--packet")
    assert result.exit_code == 0, result.output
    folder = out / "stay-motion"
    public_packet = pypdf.PdfReader(out / "packets" / "stay-motion-public.pdf")
    assert [o.title for o in public_packet.outline] == [
        "José Luis Peña Íñiguez (A-XXX-XXX-058)",
        "Ana Ruiz (A-XXX-XXX-058)",
    ]
    sealed_packet = pypdf.PdfReader(out / "packets" / "sealed" / "stay-motion.pdf")
    assert sealed_packet.outline[0].title == "José Luis Peña Íñiguez (A-214-736-058)"
    assert sorted(p.name for p in folder.glob("*.pdf")) == [
        "AXXXXXX058-row2-stay-motion.pdf",  # never the full A-number, and never the same name
        "AXXXXXX058-row3-stay-motion.pdf",
    ]
    assert sorted(p.name for p in (folder / "sealed").glob("*.pdf")) == [
        "A214736058-stay-motion.pdf",
        "A300111058-stay-motion.pdf",
    ]
    public = "\n".join(pdf_pages(folder / "AXXXXXX058-row2-stay-motion.pdf"))
    assert "A-XXX-XXX-058" in public and "A-214-736-058" not in public
    flat = " ".join(public.split())
    assert "has been assessed as a high public-safety risk" not in flat and "Cermak" not in flat
    assert "risk assessment is stated in the version of this motion filed under seal" in flat
    assert "PUBLIC VERSION (REDACTED)" in public
    sealed = pdf_pages(folder / "sealed" / "A214736058-stay-motion.pdf")
    assert all("FILED UNDER SEAL" in page for page in sealed)
    whole = " ".join("\n".join(sealed).split())
    assert "A-214-736-058" in whole and "Cermak" in whole
    assert "has been assessed as a high public-safety risk" in whole
    docx = "\n".join(docx_paragraphs(folder / "AXXXXXX058-row2-stay-motion.docx"))
    assert "A-XXX-XXX-058" in docx and "A-214-736-058" not in docx
    entries = [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]
    assert sorted(
        (e["a_number"], e["copy"]) for e in entries if e["template"] == "stay-motion"
    ) == [
        ("A214736058", "public"),
        ("A214736058", "sealed"),
        ("A300111058", "public"),
        ("A300111058", "sealed"),
    ]


@pytest.mark.slow
def test_the_motion_to_seal_lists_masked_a_numbers_and_the_policys_reasons(tmp_path):
    result, out = render(tmp_path, templates=("motion-to-seal",), rows=HIGH_RISK)
    assert result.exit_code == 0, result.output
    text = "\n".join(pdf_pages(out / "motion-to-seal" / "motion-to-seal.pdf"))
    flat = " ".join(text.split())
    assert "A-XXX-XXX-058" in flat and "214-736" not in flat
    assert "public-safety risk assessment, which would prejudice the person" in flat
    assert "[PROPOSED] ORDER" in flat


def test_an_unknown_copy_is_a_usage_error(tmp_path):
    result, _ = render(tmp_path, "--copies", "public,secret")
    assert result.exit_code == 2
    assert "'secret' is not a copy; the copies are: public, sealed" in result.output


@pytest.mark.slow
def test_a_public_copy_that_prints_a_removed_value_is_not_written(tmp_path):
    """A template that prints what the policy removed (here, the note, written into the
    template itself) fails its public copy, which is never written; the sealed copy is made."""
    folder = tmp_path / "templates"
    shutil.copytree(ROOT / "templates" / "stay-motion", folder / "stay-motion")
    main_file = folder / "stay-motion" / "stay-motion.html.j2"
    text = main_file.read_text(encoding="utf-8")
    main_file.write_text(
        text.replace("{% block body %}", "{% block body %}<p>Called from Broadview on 11/12.</p>"),
        encoding="utf-8",
    )
    report = build.build(
        CASE,
        write(tmp_path / "roster.csv", HEADER + HIGH_RISK),
        tmp_path / "out",
        ["stay-motion"],
        ["pdf"],
        templates_dirs=[folder],
        jobs=1,
        copies=("public", "sealed"),
    )
    [failed] = report.failed
    assert failed.job.copy == "public"
    assert "public copy not written: notes: found in the PDF text, page 1" in failed.error
    assert not list((tmp_path / "out" / "stay-motion").glob("*.pdf"))
    assert (tmp_path / "out" / "stay-motion" / "sealed" / "A214736058-stay-motion.pdf").exists()
