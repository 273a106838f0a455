"""The court-format check at full speed: every PDF measured as laid out, a sample read back."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner
from conftest import CASE, write

from filings.build import model, workers
from filings.build.plan import sample_read_backs
from filings.cli import main
from filings.templating.render import RosterSummary
from filings.templating.templates import discover, search_path

BROKEN = Path(__file__).parent.parent / "check" / "formats" / "broken" / "_formats"
NEED_12 = "body text 11.0 pt; ndil needs at least 12 pt (LR 5.2(c))"
NEED_LEFT = (
    "text 36.0 pt from the left edge; ndil needs a left margin of at least 72 pt (LR 5.2(c))"
)


@pytest.fixture
def emergency(detainees):
    return next(d for d in detainees if d.removal_date and d.custody_status == "detained")


def worker(case, detainees, out: Path, folders=(), read_back="sample") -> workers.Worker:
    options = model.Options(("pdf",), read_back=read_back)
    w = workers.Worker(case, RosterSummary(detainees), out, options, search_path(folders))
    workers._init_worker(w)
    return w


def test_a_wrong_size_and_margin_are_caught_on_a_document_the_sample_leaves_out(
    tmp_path, monkeypatch, case, detainees, emergency
):
    """ndil laid out at 11 points with half-inch margins (the N.D. Ill. rules kept): the layout
    check alone fails the document, with the read-back's words, though it is not in the sample
    and the file's own check is made to see nothing."""
    team = tmp_path / "templates"
    text = (BROKEN / "ndil-broken.yaml").read_text(encoding="utf-8")
    write(team / "_formats" / "ndil.yaml", text.replace("name: ndil-broken", "name: ndil"))
    monkeypatch.setattr(workers, "check_pdf", lambda *a, **k: [])
    w = worker(case, detainees, tmp_path / "out", [team])
    job = model.Job(discover()["stay-motion"], emergency, version="v1", read_back=False)
    outcome = workers.render_job(job, w)
    assert outcome.status == "failed"
    lines = outcome.error.splitlines()
    assert any(line.endswith(NEED_12) for line in lines), lines
    assert any(line.endswith(NEED_LEFT) for line in lines), lines
    assert not list((tmp_path / "out").rglob("*.pdf"))  # a failed document leaves no file


def _unembedded(data: bytes) -> bytes:
    """The PDF with its fonts' files taken out: a fault the layout cannot show."""
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(data)))
    for page in writer.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for target in [d.get_object() for d in font.get("/DescendantFonts", [])] or [font]:
                descriptor = target["/FontDescriptor"].get_object()
                for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                    descriptor.pop(key, None)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("read_back, checked", [(True, None), (False, "layout")])
def test_a_font_not_embedded_is_caught_when_the_document_is_read_back(
    tmp_path, monkeypatch, case, detainees, emergency, read_back, checked
):
    write_atomic = workers.write_atomic
    monkeypatch.setattr(
        workers, "write_atomic", lambda path, data, out: write_atomic(path, _unembedded(data), out)
    )
    w = worker(case, detainees, tmp_path / "out")
    job = model.Job(discover()["stay-motion"], emergency, version="v1", read_back=read_back)
    outcome = workers.render_job(job, w)
    if read_back:
        assert outcome.status == "failed"
        assert "is not embedded; ndil needs every font embedded, so the filing prints and " in (
            outcome.error
        )
    else:  # left to the sample: the manifest says what was measured
        assert outcome.status == "rendered"
        assert outcome.outputs["pdf"]["checked"] == checked


def test_the_sample_is_the_first_of_each_template_format_and_language_then_every_nth(
    case, detainees
):
    templates = discover()
    motion, notice = templates["stay-motion"], templates["release-notice"]
    people = [d for d in detainees if d.preferred_language in ("es", "en")][:7]
    jobs = [model.Job(motion, d) for d in people] + [model.Job(notice, d) for d in people]
    marked = sample_read_backs(jobs, case, model.Options(("pdf",)), every=3)
    motion_sampled = [j.detainee for j in marked if j.template is motion and j.read_back]
    assert motion_sampled == [people[0], people[3], people[6]]  # one language: every 3rd
    for language in ("es", "en"):  # the notice is translated: counted per language
        mine = [
            j for j in marked if j.template is notice and j.detainee.preferred_language == language
        ]
        assert [j.read_back for j in mine] == [i % 3 == 0 for i in range(len(mine))]
    full = sample_read_backs(jobs, case, model.Options(("pdf",), read_back="full"), every=3)
    assert all(j.read_back for j in full)
    assert not any(j.read_back for j in sample_read_backs(jobs, case, model.Options(("docx",)), 3))


HEADER = (
    "a_number,family_name,given_name,custody_status,preferred_language,removal_date,arrest_type\n"
)
ROWS = [f"A01234567{i},Peña,José,detained,en,2025-12-01,warrantless\n" for i in range(1, 5)]


@pytest.mark.slow
@pytest.mark.parametrize(
    "options, expected",
    [
        ([], ["layout+file", "layout", "layout+file", "layout"]),
        (["--check", "full"], ["layout+file"] * 4),
    ],
)
def test_check_full_reads_back_every_pdf_and_the_manifest_says_so(tmp_path, options, expected):
    roster = write(tmp_path / "roster.csv", HEADER + "".join(ROWS))
    out = tmp_path / "out"
    args = ["render", "stay-motion", "--case", str(CASE), "--roster", str(roster), "--out"]
    args += [str(out), "--format", "pdf", "--format", "docx", "--limit", "read_back_every=2"]
    result = CliRunner().invoke(main, [*args, "--quiet", "--jobs", "1", *options])
    assert result.exit_code == 0, result.output
    entries = [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]
    assert [e["outputs"]["pdf"]["checked"] for e in entries] == expected
    assert {e["outputs"]["docx"]["checked"] for e in entries} == {"file"}
    shutil.rmtree(out)
