"""One problem record for the inputs, lint and the checker: printed and spread out the same way."""

from __future__ import annotations

import pytest

from filings.check.findings import finding
from filings.errors import DataError, Location, TemplateError
from filings.problems import WARNING, Problem


@pytest.mark.parametrize(
    "problem, shown",
    [
        (
            Problem.of(DataError(Location("roster.csv", 14, "a_number"), "has 5 digits", "12345")),
            "roster.csv:14: a_number: has 5 digits",
        ),
        (
            Problem(Location("r.xlsx", 3, "x", sheet="S", column="C"), "ignored", severity=WARNING),
            "r.xlsx[S]!C3: x: ignored",
        ),
        (
            Problem.of(TemplateError(Location("t/m.html.j2", 31), "'x' is undefined"), "render"),
            "t/m.html.j2:31: 'x' is undefined",
        ),
        (
            finding("m.pdf", "font_size", "page 3", "body text 11.0 pt", "ndil needs 12 pt"),
            "m.pdf: page 3: body text 11.0 pt; ndil needs 12 pt",
        ),
        (
            finding("m.pdf", "readable", "", "is not a readable PDF (x)", ""),
            "m.pdf: is not a readable PDF (x)",
        ),
    ],
)
def test_every_problem_prints_its_place_first(problem, shown):
    assert str(problem) == shown


def test_json_has_every_declared_field_and_nothing_else():
    problem = Problem.of(DataError(Location("roster.csv", 14, "a_number"), "bad", "12345"))
    assert problem.as_json() == {
        "file": "roster.csv",
        "line": 14,
        "field": "a_number",
        "sheet": None,
        "column": None,
        "index": None,
        "part": None,
        "message": "bad",
        "rule": "",
        "severity": "error",
        "value": "12345",
        "required": "",
    }
