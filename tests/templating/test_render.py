from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, write

from filings.errors import Location, TemplateError
from filings.templating.render import RosterSummary, render_html
from filings.templating.templates import discover, make_environment, output_name

META = """title: Test
description: A test template
kind: per-detainee
format: ndil
main: doc.html.j2
output: "{a_number}-{family_name}-test"
"""


def make_template(root: Path, body: str, name: str = "doc"):
    shutil.copytree(ROOT / "templates" / "_shared", root / "_shared", dirs_exist_ok=True)
    write(root / name / "template.yaml", META)
    write(root / name / "doc.html.j2", body)
    return discover(root)[name]


def render(tmp_path, body, case, detainee):
    template = make_template(tmp_path, body)
    return render_html(make_environment(tmp_path), template, case, detainee)


def test_data_is_never_markup_or_template_code(tmp_path, case, detainees):
    person = dataclasses.replace(detainees[0], notes="Tom & Jerry's <b>bold</b> {{ 7*7 }} {% if %}")
    html = render(tmp_path, "<p>{{ detainee.notes }}</p>", case, person)
    assert html == "<p>Tom &amp; Jerry&#39;s &lt;b&gt;bold&lt;/b&gt; {{ 7*7 }} {% if %}</p>"


def test_an_undefined_field_names_the_template_line_and_the_roster_row(tmp_path, case, detainees):
    with pytest.raises(TemplateError) as exc:
        render(tmp_path, "<p>ok</p>\n<p>{{ detainee.famly_name }}</p>", case, detainees[0])
    assert exc.value.message == (
        f"{tmp_path}/doc/doc.html.j2:2: 'filings.inputs.records.Detainee object' has no attribute "
        "'famly_name' (roster.csv:2)"
    )
    assert exc.value.location == Location(f"{tmp_path}/doc/doc.html.j2", 2)


def test_an_empty_value_is_an_error_not_a_blank(tmp_path, case, detainees):
    person = dataclasses.replace(detainees[0], removal_date=None)
    with pytest.raises(TemplateError) as exc:
        render(tmp_path, "<p>a</p>\n\n<p>Removal: {{ detainee.removal_date }}</p>", case, person)
    assert exc.value.message == (
        f"{tmp_path}/doc/doc.html.j2:3: {{{{ detainee.removal_date }}}} is empty for this row "
        "(roster.csv:2); print it only inside {% if … %} so the text reads naturally without it"
    )


def test_an_absent_value_can_be_left_out_by_the_template(tmp_path, case, detainees):
    person = dataclasses.replace(detainees[0], removal_date=None)
    body = "<p>Held{% if detainee.removal_date %} until {{ detainee.removal_date }}{% endif %}.</p>"
    assert render(tmp_path, body, case, person) == "<p>Held.</p>"


@pytest.mark.parametrize(
    "expression",
    [
        "detainee.__class__",
        "detainee.__class__.__mro__",
        "case.__init__.__globals__",
        "''.__class__.__mro__[1].__subclasses__()",
    ],
)
def test_python_internals_are_refused(tmp_path, case, detainees, expression):
    with pytest.raises(TemplateError) as exc:
        render(tmp_path, f"<p>{{{{ {expression} }}}}</p>", case, detainees[0])
    assert exc.value.message.startswith(f"{tmp_path}/doc/doc.html.j2:1: refused: ")
    assert exc.value.message.endswith(
        ' is not open to templates (see "Templates run in a sandbox" in the README)'
    )


def test_templates_cannot_include_files_outside_their_folders(tmp_path, case, detainees):
    write(tmp_path / "secret.txt", "secret")
    (tmp_path / "templates").mkdir()
    template = make_template(tmp_path / "templates", '{% include "../secret.txt" %}')
    with pytest.raises(TemplateError) as exc:
        render_html(make_environment(tmp_path / "templates"), template, case, detainees[0])
    assert exc.value.message == "doc/doc.html.j2: no template file named '../secret.txt'"


def test_a_link_leaving_the_template_folder_is_refused(tmp_path, case, detainees):
    write(tmp_path / "secret.txt", "secret")
    (tmp_path / "templates").mkdir()
    template = make_template(tmp_path / "templates", '{% include "doc/leak.txt" %}')
    (tmp_path / "templates" / "doc" / "leak.txt").symlink_to(tmp_path / "secret.txt")
    with pytest.raises(TemplateError, match="no template file named 'doc/leak.txt'"):
        render_html(make_environment(tmp_path / "templates"), template, case, detainees[0])


def test_syntax_errors_name_file_and_line(tmp_path, case, detainees):
    with pytest.raises(TemplateError) as exc:
        render(tmp_path, "<p>\n{% if detainee.facility %}\n</p>", case, detainees[0])
    assert exc.value.message.startswith(f"{tmp_path}/doc/doc.html.j2:3: Unexpected end of template")


def test_counts_cover_everyone(detainees):
    roster = RosterSummary(detainees)
    counts = roster.count_by("custody_status", ["detained", "released", "removed", "unknown"])
    assert [value for value, _ in counts] == ["detained", "released", "removed", "unknown"]
    assert sum(n for _, n in counts) == roster.total == len(detainees)


@pytest.mark.parametrize(
    "a_number, family_name, expected",
    [
        ("A012345678", "Peña-Ruiz", "A012345678-pena-ruiz-test"),
        ("A012345678", "حداد", "A012345678-test"),
        ("A012345678", "../../etc/passwd", "A012345678-etc-passwd-test"),
        ("A012345678", "CON", "A012345678-con-test"),
    ],
)
def test_output_names_are_safe_on_every_file_system(tmp_path, a_number, family_name, expected):
    template = make_template(tmp_path, "<p>x</p>")
    assert output_name(template, a_number, family_name) == expected
