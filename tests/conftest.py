from __future__ import annotations

import logging
from pathlib import Path

import pytest

from filings.build.plan import load_inputs

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
CASE = FIXTURES / "case.yaml"
ROSTER = FIXTURES / "roster.csv"


@pytest.fixture(autouse=True)
def no_weasyprint_logs(caplog):
    """Fail any test during which WeasyPrint logs a warning or an error (as WeasyPrint's own do)."""
    caplog.set_level(logging.WARNING, logger="weasyprint")
    yield
    logged = [r for r in caplog.records if r.name.startswith("weasyprint") and r.levelno >= 30]
    assert not logged, [r.getMessage() for r in logged]


@pytest.fixture(scope="session")
def inputs():
    return load_inputs(CASE, ROSTER)


@pytest.fixture(scope="session")
def case(inputs):
    return inputs[0]


@pytest.fixture(scope="session")
def detainees(inputs):
    return inputs[1]


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
