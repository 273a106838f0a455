"""What the N.D. Ill. filings say, from the case file's filing facts: conferral and the title,
notice before a transfer, joint or one party's status report, class counts, the omnibus motion."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import lxml.html
import pytest
from conftest import CASE, write
from textof import pdf_pages

from filings.check import check_pdf
from filings.errors import DataErrors
from filings.inputs.case_file import load_case
from filings.inputs.records import Detainee
from filings.outputs.convert import Meta, convert
from filings.outputs.formats import load_format
from filings.templating.render import RosterSummary, render_html
from filings.templating.templates import discover, make_environment

ENV, TEMPLATES = make_environment(), discover()


def text_of(template: str, case, person=None, people=()) -> str:
    html = render_html(ENV, TEMPLATES[template], case, person, RosterSummary(people))
    return " ".join(" ".join(lxml.html.document_fromstring(html).itertext()).split())


def person(
    a_number="A012345678",
    facility="Broadview Processing Center",
    status="detained",
    arrest="warrantless",
    removal=None,
    name="Ruiz",
) -> Detainee:
    return Detainee(
        a_number, name, "Ana", status, facility=facility, arrest_type=arrest, removal_date=removal
    )


def conferred(case, position):
    conferral = {
        "date": dt.date(2025, 11, 13),
        "with": "Eleanor J. Brandt, counsel for Defendants",
        "position": position,
    }
    return dataclasses.replace(case, conferral=conferral)


# --- conferral and the title ------------------------------------------------------------------


@pytest.mark.parametrize(
    "position, title, statement, schedule",
    [
        (
            "opposed",
            "(OPPOSED)",
            "Defendants oppose the motion.",
            "Plaintiffs designate this motion as opposed and propose",
        ),
        ("unopposed", "(UNOPPOSED)", "Defendants do not oppose the motion.", None),
        (
            "takes_no_position",
            "(OPPOSED)",
            "Defendants take no position on the motion.",
            "Because Defendants have not stated that they do not oppose this motion, Plaintiffs "
            "designate it as opposed and propose",
        ),
        (
            "unknown",
            "(OPPOSED)",
            "Defendants had not stated their position when this motion was filed.",
            "Because Defendants have not stated that they do not oppose this motion",
        ),
    ],
)
def test_the_conferral_statement_and_the_title_say_defendants_position(
    case, position, title, statement, schedule
):
    text = text_of("stay-motion", conferred(case, position), person())
    assert f"PLAINTIFFS’ MOTION TO STAY THE REMOVAL OF CLASS MEMBER ANA RUIZ {title}" in text
    assert "STATEMENT OF CONFERRAL On November 13, 2025, class counsel" in text
    assert statement in text
    assert ("PROPOSED BRIEFING SCHEDULE" in text) == (schedule is not None)
    if schedule:
        assert schedule in text


def test_without_a_recorded_conferral_there_is_no_statement_and_the_motion_is_opposed(case):
    text = text_of("stay-motion", dataclasses.replace(case, conferral=None), person())
    assert "STATEMENT OF CONFERRAL" not in text
    assert "ANA RUIZ (OPPOSED)" in text


# --- 72 hours' notice before a transfer -------------------------------------------------------

NOTICE = "72 hours’ written notice before transferring Ana Ruiz"


@pytest.mark.parametrize(
    "facility, status, asked",
    [
        ("Broadview Processing Center", "detained", True),  # N.D. Ill.
        ("Clay County Jail (Indiana)", "detained", False),  # S.D. Ind.
        ("South Texas facility (transferred)", "detained", False),  # district not recorded
        ("A jail the case file does not list", "detained", False),
        ("Broadview Processing Center", "released", False),
    ],
)
def test_notice_before_a_transfer_is_asked_only_inside_the_district(case, facility, status, asked):
    text = text_of("stay-motion", case, person(facility=facility, status=status))
    assert text.count(NOTICE) == (2 if asked else 0)  # the relief and the proposed order


def test_a_facility_is_named_with_its_article_once(case):
    text = text_of("stay-motion", case, person())
    assert text.count("at the Broadview Processing Center") == 1
    unlisted = text_of("stay-motion", case, person(facility="Kane County Jail"))
    assert "at the facility the class roster records as “Kane County Jail”" in unlisted


def test_the_proposed_order_is_signed_by_the_district_judge(case):
    text = text_of("stay-motion", case, person())
    assert text.endswith(
        "ENTERED: ______________________________ Jeffrey I. Cummings United States District Judge"
    )


def test_the_decree_paragraphs_are_cited_where_the_case_file_gives_them(case):
    text = text_of("stay-motion", case, person())
    assert "(Form I-213). See Consent Decree ¶ 12; id. ¶ 14. The class roster" in text
    assert "approved in this case. See Consent Decree ¶ 40. Under the All Writs Act" in text
    bare = text_of("stay-motion", dataclasses.replace(case, decree=None), person())
    assert "Consent Decree ¶" not in bare and "(Form I-213). The class roster" in bare


# --- the status report ------------------------------------------------------------------------


def test_the_report_is_joint_only_with_defendants_position_and_consent(case):
    assert case.joint_report
    joint = text_of("status-report", case, people=[person()])
    assert "JOINT STATUS REPORT" in joint
    assert "/s/ Eleanor J. Brandt (with permission)" in joint
    assert "DEFENDANTS’ POSITION Defendants are reviewing" in joint
    [brandt] = case.opposing_counsel
    for missing in (
        dataclasses.replace(case, defendants_position=None),
        dataclasses.replace(
            case, opposing_counsel=(dataclasses.replace(brandt, consents_to_esignature=False),)
        ),
    ):
        text = text_of("status-report", missing, people=[person()])
        assert "PLAINTIFFS’ STATUS REPORT" in text and "JOINT" not in text
        assert "Plaintiffs submit this Status Report." in text
        assert "Eleanor J. Brandt" not in text and "DEFENDANTS’ POSITION" not in text


def test_the_report_cites_the_order_that_directed_it(case):
    text = text_of("status-report", case, people=[person()])
    assert "and as directed by the Court on November 13, 2025 (ECF No. 903)," in text
    plain = text_of(
        "status-report", dataclasses.replace(case, report_order=None), people=[person()]
    )
    assert "and as directed by the Court, Plaintiffs and Defendants" in plain


def test_the_report_counts_class_members_apart_from_listed_people_the_class_does_not_cover(case):
    people = [
        person("A000000001"),
        person("A000000002", status="released"),
        person("A000000003", arrest="warrant"),
        person("A000000004", arrest=None),
    ]
    text = text_of("status-report", case, people=people)
    assert "The class roster lists 4 people. Of them, 2 are class members" in text
    assert "The other 2 are listed on the roster" in text
    assert re.search(
        r"Custody status Class members Detained 1 Released 1 Removed 0 Unknown 0 "
        r"Total 2 ",
        text,
    )
    assert re.search(
        r"Type of arrest People Arrest with a warrant 1 Vehicle stop 0 Unknown 0 "
        r"Not recorded 1 Total 2 ",
        text,
    )


# --- the omnibus motion -----------------------------------------------------------------------


def test_the_omnibus_lists_those_facing_removal_first_and_leaves_out_non_members(case):
    people = [
        person("A000000001", name="Uno"),
        person("A000000002", name="Dos", removal=dt.date(2025, 12, 5)),
        person("A000000003", name="Tres", arrest="warrant"),
        person("A000000004", name="Cuatro", status="removed"),
        person("A000000005", name="Cinco", removal=dt.date(2025, 11, 20)),
    ]
    text = text_of("omnibus-stay-motion", case, people=people)
    assert "EMERGENCY MOTION TO STAY THE REMOVAL OF THE CLASS MEMBERS LISTED IN EXHIBIT A" in text
    exhibit = text[text.index("EXHIBIT A Class members covered") : text.index("[PROPOSED] ORDER")]
    rows = re.findall(r"(\d+\*?) Ana (\w+) A-", exhibit)
    assert rows == [("1*", "Cinco"), ("2*", "Dos"), ("3", "Uno")]
    assert "the three class members listed in Exhibit A" in text
    assert "any class member listed in Exhibit A to the motion pending further order" in text


def _omnibus_pdf(tmp_path: Path, case, people) -> Path:
    html = render_html(ENV, TEMPLATES["omnibus-stay-motion"], case, None, RosterSummary(people))
    meta = Meta(where="omnibus", title="T", author="A", date=case.filing_date)
    data, _ = convert("pdf", html, load_format("ndil"), meta)
    path = tmp_path / "omnibus.pdf"
    path.write_bytes(data)
    return path


def _limit(pages: int):
    ndil = load_format("ndil")
    rule = dataclasses.replace(ndil.rules.page_limit, value=pages)
    return dataclasses.replace(ndil, rules=dataclasses.replace(ndil.rules, page_limit=rule))


@pytest.mark.slow  # a 600-person omnibus motion
def test_the_page_limit_counts_the_brief_and_not_the_exhibit(tmp_path, case):
    people = [
        person(
            f"A{300000000 + i}",
            name=f"Apellido{i}",
            removal=dt.date(2025, 12, 1) if i % 50 == 0 else None,
        )
        for i in range(600)
    ]
    pdf = _omnibus_pdf(tmp_path, case, people)
    pages = pdf_pages(pdf)
    starts = next(i for i, page in enumerate(pages) if page.lstrip().startswith("EXHIBIT A"))
    assert len(pages) > 15 >= starts  # the whole file is over LR 7.1's 15; the brief is not
    assert [f.rule for f in check_pdf(pdf, load_format("ndil"))] == []
    # A brief longer than the limit still fails, and the finding says what was counted.
    found = [str(f) for f in check_pdf(pdf, _limit(starts - 1))]
    assert found == [
        f"omnibus.pdf: {starts} pages before EXHIBIT A; ndil needs at most "
        f"{starts - 1} without leave of court (page_limit_leave: true in the case "
        "file records leave) (LR 7.1; more pages need leave of court)"
    ]


# --- the case file's filing facts -------------------------------------------------------------


@pytest.mark.parametrize(
    "old, new, message",
    [
        (
            "  position: opposed",
            "  position: against",
            "conferral.position: 'against' is not one of: opposed, unopposed, takes_no_position, "
            "unknown",
        ),
        (
            "    documentation: ¶ 14",
            "    documentaton: ¶ 14",
            "decree.paragraphs.documentaton: is not a paragraph the templates cite; the keys are: "
            "warrantless_arrests, vehicle_stops, documentation, enforcement",
        ),
        (
            "    enforcement: ¶ 40",
            "    enforcement: 40",
            "decree.paragraphs.enforcement: '40' should start with ¶, as in '¶ 12' or '¶¶ 12–14'",
        ),
        (
            "report_order:\n  date: 2025-11-13",
            "report_order:\n  date: 2025-11-20",
            "report_order.date: 2025-11-20 is after the filing date, 2025-11-14",
        ),
        (
            "    consents_to_esignature: true",
            "    consents_to_esignature: yes please",
            "opposing_counsel[0].consents_to_esignature: should be a yes/no value (true or false)",
        ),
        (
            "  with: Eleanor J. Brandt, counsel for Defendants\n",
            "",
            "conferral.with: is missing; the case file needs it",
        ),
    ],
)
def test_filing_facts_in_the_case_file_are_checked_where_they_are(tmp_path, old, new, message):
    text = CASE.read_text(encoding="utf-8")
    assert text.count(old) == 1
    with pytest.raises(DataErrors) as exc:
        load_case(write(tmp_path / "case.yaml", text.replace(old, new)))
    [error] = exc.value.errors
    assert re.fullmatch(rf"case\.yaml:\d+: {re.escape(message)}", error.message), error.message


def test_a_filing_fact_error_names_its_line(tmp_path):
    text = CASE.read_text(encoding="utf-8").replace("  position: opposed", "  position: maybe")
    with pytest.raises(DataErrors) as exc:
        load_case(write(tmp_path / "case.yaml", text))
    line = text.splitlines().index("  position: maybe") + 1
    assert exc.value.errors[0].message.startswith(f"case.yaml:{line}: conferral.position: ")


# --- the release notice ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "status, told, not_told",
    [
        ("detained", "Do NOT sign any paper", "If you are outside the United States"),
        ("removed", "If you are outside the United States", "Do NOT sign any paper"),
    ],
)
def test_a_removed_reader_is_not_told_what_only_someone_still_here_can_do(
    case, status, told, not_told
):
    text = text_of("release-notice", case, person(status=status))
    assert told in text and not_told not in text


@pytest.mark.parametrize(
    "facility, words",
    [
        ("Broadview Processing Center", "you are detained at the Broadview Processing Center."),
        ("Kenosha Jail", "you are detained at the place our records call “Kenosha Jail”."),
    ],
)
def test_a_notice_names_the_facility_as_the_case_file_writes_it_or_quotes_the_record(
    case, facility, words
):
    assert words in text_of("release-notice", case, person(facility=facility))
