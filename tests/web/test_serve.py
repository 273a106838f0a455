"""`filings serve` at the HTTP level: the token, the Host check, CSRF on every form, upload limits,
which files it hands out, and that a render from the page is the CLI's own run."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CASE, ROSTER, write
from starlette.testclient import TestClient

from filings.build.plan import check_inputs
from filings.cli import main
from filings.inputs.limits import Limits
from filings.inputs.problems import problems_csv
from filings.web import server
from filings.web.app import create_app
from filings.web.desk import Settings, upload_name

HEADER = "a_number,family_name,given_name,custody_status,preferred_language,arrest_type\n"
GOOD = HEADER + (
    "A012345678,Peña,José,detained,es,warrantless\nA012345679,Nguyễn,Thu,detained,vi,warrantless\n"
)
BAD = HEADER + (
    "12345,Peña,José,detained,es,warrantless\nA012345679,,Ana,detained,en,warrantless\n"
)
TOKEN = "a-long-enough-secret-token"


def client(tmp_path: Path, **settings) -> TestClient:
    settings = {"case": CASE, "roster": ROSTER, "out": tmp_path / "out", **settings}
    return TestClient(
        create_app(Settings(**settings)), base_url="http://127.0.0.1", follow_redirects=False
    )


def csrf(c: TestClient) -> str:
    page = c.get("/")
    return re.search(r'name="csrf" value="([^"]+)"', page.text)[1]


def upload(c: TestClient, name: str, text: str | bytes):
    data = text.encode() if isinstance(text, str) else text
    return c.post(
        "/roster",
        data={"csrf": csrf(c), "action": "upload"},
        files={"roster": (name, data, "text/csv")},
    )


def render(c: TestClient, *formats: str):
    form = {
        "csrf": csrf(c),
        "template": "release-notice",
        "format": list(formats or ("pdf",)),
        "packet": "on",
    }
    response = c.post("/render", data=form)
    desk(c).render.thread.join(120)
    return response


def desk(c: TestClient):
    """The page's Desk (inside the Guard), to wait for its render and see what it kept."""
    return c.app.app.state.desk


# --- binding and the token ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--host", "0.0.0.0"],
            "Error: --host 0.0.0.0: other computers could reach this page; give "
            "--token TOKEN as well, and every request must then carry it\n",
        ),
        (
            ["--token", "short"],
            "Error: --token: 5 characters; a token needs at least 16, so no one can guess it\n",
        ),
    ],
)
def test_serving_beyond_this_computer_needs_a_long_token(args, message, tmp_path):
    result = CliRunner().invoke(main, ["serve", "--no-browser", "--out", str(tmp_path), *args])
    assert (result.exit_code, result.output) == (1, message)


def test_serve_passes_its_options_to_the_web_face(monkeypatch, tmp_path):
    seen = {}
    monkeypatch.setattr(server, "serve", lambda settings, ready: seen.update(settings=settings))
    result = CliRunner().invoke(
        main,
        [
            "serve",
            "--no-browser",
            "--port",
            "0",
            "--token",
            TOKEN,
            "--host",
            "0.0.0.0",
            "--out",
            str(tmp_path),
            "--limit",
            "file_mb=2",
        ],
    )
    assert result.exit_code == 0, result.output
    s = seen["settings"]
    assert (s.host, s.port, s.token, s.out, s.limits.file_mb) == ("0.0.0.0", 0, TOKEN, tmp_path, 2)
    assert (s.case.name, s.roster.name) == ("case.yaml", "roster.csv")


def test_a_request_without_the_token_is_refused(tmp_path):
    c = client(tmp_path, token=TOKEN, host="0.0.0.0")
    for response in (
        c.get("/"),
        c.get("/?token=wrong-but-long-enough-token"),
        c.get("/static/style.css"),
        c.get("/", headers={"x-filings-token": "x"}),
    ):
        assert response.status_code == 403
        assert response.text == (
            "This server needs its token: open the address `filings serve` "
            "printed, which ends in ?token=…"
        )


def test_the_first_visit_keeps_the_token_in_a_cookie_and_out_of_the_address(tmp_path):
    c = client(tmp_path, token=TOKEN, host="0.0.0.0")
    first = c.get(f"/preview?template=release-notice&token={TOKEN}")
    assert first.status_code == 303
    assert first.headers["location"] == "/preview?template=release-notice"
    assert "httponly" in first.headers["set-cookie"].lower()
    assert c.get("/").status_code == 200  # the cookie from now on
    other = client(tmp_path, token=TOKEN, host="0.0.0.0")
    assert other.get("/", headers={"x-filings-token": TOKEN}).status_code == 200


def test_on_this_computer_only_its_own_names_are_answered(tmp_path):
    c = client(tmp_path)
    assert c.get("/", headers={"host": "127.0.0.1:8000"}).status_code == 200
    assert c.get("/", headers={"host": "localhost:8000"}).status_code == 200
    rebound = c.get("/", headers={"host": "attacker.example:8000"})
    assert (rebound.status_code, rebound.text) == (
        400,
        "This server answers only to localhost, 127.0.0.1, [::1].",
    )


def test_every_response_keeps_the_browser_to_this_server(tmp_path):
    headers = client(tmp_path).get("/").headers
    assert headers["content-security-policy"].startswith("default-src 'self';")
    assert headers["cache-control"] == "no-store"


# --- CSRF ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/roster", "/render", "/clear"])
@pytest.mark.parametrize("token", [None, "forged-but-long-enough-forged-but-long-enough"])
def test_a_form_without_this_browsers_csrf_token_is_refused(path, token, tmp_path):
    c = client(tmp_path)
    csrf(c)  # the browser has its cookie; the forged form lacks the matching field
    data = {"action": "configured", "template": "release-notice", "format": "pdf"}
    response = c.post(path, data=data | ({"csrf": token} if token else {}))
    assert response.status_code == 403
    assert (
        "This form did not come from this page (its security code does not match). Go back, "
        "reload the page and send it again."
    ) in response.text
    assert desk(c).roster is None and desk(c).render.thread is None


def test_a_form_with_the_csrf_token_is_taken(tmp_path):
    c = client(tmp_path)
    response = c.post("/roster", data={"csrf": csrf(c), "action": "configured"})
    assert (response.status_code, response.headers["location"]) == (303, "/#check")
    fixture_rows = len(ROSTER.read_text(encoding="utf-8").splitlines()) - 1
    assert desk(c).roster.check.rows_read == fixture_rows  # the configured roster was read


# --- uploads ------------------------------------------------------------------------------------


def test_an_upload_over_the_limit_is_refused_before_it_is_read(tmp_path):
    c = client(tmp_path, limits=Limits(file_mb=0.01))
    response = upload(c, "roster.csv", GOOD + "x" * 200_000)
    assert (response.status_code, response.text) == (
        413,
        "upload: larger than 0.01 MB (limit file_mb; raise it with --limit file_mb=N)",
    )
    assert not (tmp_path / "out" / ".serve").exists()


def test_a_streamed_upload_without_a_length_is_cut_off_at_the_limit(tmp_path):
    c = client(tmp_path, limits=Limits(file_mb=0.01))
    token = csrf(c)

    def body():
        yield f"csrf={token}&action=configured&pad=".encode()
        for _ in range(200):
            yield b"x" * 1000

    response = c.post(
        "/roster", content=body(), headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code == 413
    assert (
        "upload: larger than 0.01 MB (limit file_mb; raise it with --limit file_mb=N)"
        in response.text
    )


def test_a_roster_just_over_the_file_limit_is_refused_as_validate_refuses_it(tmp_path):
    c = client(tmp_path, limits=Limits(file_mb=0.01))
    response = upload(c, "roster.csv", GOOD + "#" * 20_000)
    assert response.status_code == 303
    page = c.get("/").text
    assert (
        "roster.csv: larger than 0.01 MB (limit file_mb; raise it with --limit file_mb=N)"
        in page.replace("<code>", "").replace("</code></td><td></td><td>", ": ")
    )


def test_an_uploaded_roster_is_kept_under_its_own_name_in_out_only(tmp_path):
    c = client(tmp_path)
    upload(c, "../../C:\\Users\\clerk\\March roster.csv", GOOD)
    assert [p.name for p in (tmp_path / "out" / ".serve" / "upload").iterdir()] == [
        "March roster.csv"
    ]
    assert upload_name("evil\x1b[2J.csv") == "evil_2J.csv"


def test_a_file_that_is_not_a_roster_is_refused(tmp_path):
    response = upload(client(tmp_path), "notes.exe", b"MZ")
    assert response.status_code == 400
    assert "notes.exe: not a roster; upload a CSV, XLSX, JSON or YAML file" in response.text


def test_the_check_is_validates_own_words_and_csv(tmp_path):
    c = client(tmp_path)
    upload(c, "roster.csv", BAD)
    page = c.get("/").text
    _, check = check_inputs(CASE, write(tmp_path / "roster.csv", BAD))
    assert f'<p class="summary bad" id="summary">{check.summary}' in page
    cells = re.findall(r"<td><code>(.*?)</code></td><td>(.*?)</td><td>(.*?)</td>", page)
    shown = [
        f"{place}: {column}: {problem}" if column else f"{place}: {problem}"
        for place, column, problem in cells
    ]
    assert shown == [e.message.replace("'", "&#39;") for e in check.errors]
    assert len(shown) == 2
    assert c.get("/errors.csv").content == problems_csv(check.problems).encode("utf-8-sig")


def test_clear_deletes_the_pages_folder_and_forgets_the_roster(tmp_path):
    c = client(tmp_path)
    upload(c, "roster.csv", GOOD)
    assert (tmp_path / "out" / ".serve").is_dir()
    assert c.post("/clear", data={"csrf": csrf(c)}).status_code == 303
    assert not (tmp_path / "out" / ".serve").exists()
    assert desk(c).roster is None


# --- the render and its files -------------------------------------------------------------------


@pytest.mark.slow
def test_a_render_from_the_page_is_the_clis_own_run(tmp_path):
    c = client(tmp_path)
    upload(c, "roster.csv", GOOD)
    assert render(c).headers["location"] == "/render"
    assert c.get("/render").headers["location"] == "/results"
    results = c.get("/results").text
    assert (
        "2 rows: 2 rendered, 0 rejected (2 documents: 2 rendered, 0 unchanged, 0 failed)" in results
    )
    assert "Needs translation (1)" in results and "reader&#39;s language: Vietnamese" in results
    roster = write(tmp_path / "roster.csv", GOOD)
    again = CliRunner().invoke(
        main,
        [
            "render",
            "release-notice",
            "--format",
            "pdf",
            "--roster",
            str(roster),
            "--out",
            str(tmp_path / "out"),
        ],
    )
    assert again.exit_code == 0, again.output
    assert (
        "2 rows: 2 rendered, 0 rejected (2 documents: 0 rendered, 2 unchanged, 0 failed)"
        in again.output
    )


def test_only_files_the_manifest_lists_are_handed_out(tmp_path):
    c = client(tmp_path)
    upload(c, "roster.csv", GOOD)
    render(c)
    out = tmp_path / "out"
    write(out / "secret.txt", "not ours to hand out")
    write(out / "release-notice" / "A099999999-release-notice.pdf", "%PDF not in the manifest")
    names = zipfile.ZipFile(io.BytesIO(c.get("/documents.zip").content)).namelist()
    assert names == [
        "release-notice/A012345678-release-notice.pdf",
        "release-notice/A012345679-release-notice.pdf",
        "manifest.csv",
    ]
    pdf = c.get("/files/release-notice/A012345678-release-notice.pdf")
    assert pdf.content.startswith(b"%PDF") and pdf.headers["content-type"] == "application/pdf"
    for path in (
        "secret.txt",
        "release-notice/A099999999-release-notice.pdf",
        "../out/secret.txt",
        ".serve/upload/roster.csv",
        "release-notice/%2e%2e/x",
    ):
        assert c.get(f"/files/{path}").status_code == 404, path
    assert c.get("/files/packets/release-notice.pdf").content.startswith(b"%PDF")
