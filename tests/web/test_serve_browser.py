"""`filings serve` in a real headless Chromium (Debian's chromium and chromedriver, which
`scripts/setup --test` installs): a clerk's whole flow, and a template author's live preview.

A screenshot of each page is saved to $FILINGS_SCREENSHOTS, else tests/artifacts/ (ignored by
git), to look at."""

from __future__ import annotations

import os
import shutil
import threading
import time
import zipfile
from pathlib import Path

import pytest
import uvicorn
from click.testing import CliRunner
from conftest import CASE, ROOT, write
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

from filings.cli import main
from filings.web.app import create_app
from filings.web.desk import Settings
from filings.web.server import bind

pytestmark = pytest.mark.slow  # worker processes, a cluster or a browser: seconds each

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
HEADER = "a_number,family_name,given_name,custody_status,preferred_language,arrest_type\n"
GOOD = HEADER + (
    "A012345678,Peña,José,detained,es,warrantless\nA012345679,Nguyễn,Thu,detained,vi,warrantless\n"
)
BAD = HEADER + (
    "12345,Peña,José,detained,es,warrantless\nA012345679,,Ana,detained,en,warrantless\n"
)
WAIT = 90  # seconds a step may take on a busy 2-core machine before the test gives up
SHOTS = Path(os.environ.get("FILINGS_SCREENSHOTS") or ROOT / "tests" / "artifacts")


@pytest.fixture
def serve(tmp_path):
    """Start `filings serve`'s app on 127.0.0.1 and a free port; return its address."""
    servers = []

    def start(**settings) -> str:
        settings = {
            "case": CASE,
            "roster": ROOT / "fixtures" / "roster.csv",
            "out": tmp_path / "out",
            **settings,
        }
        sock = bind("127.0.0.1", 0)
        config = uvicorn.Config(
            create_app(Settings(**settings)),
            log_level="warning",
            access_log=False,
            timeout_graceful_shutdown=1,
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        servers.append((server, thread))
        _until(lambda: server.started, "the server to start")
        return f"http://127.0.0.1:{sock.getsockname()[1]}"

    yield start
    for server, thread in servers:
        server.should_exit = True
        thread.join(10)


@pytest.fixture
def browser(tmp_path):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,900",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
    ):
        options.add_argument(flag)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options.add_experimental_option(
        "prefs",
        {"download.default_directory": str(downloads), "download.prompt_for_download": False},
    )
    # The driver's path is given, so Selenium Manager has nothing to find or download.
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    driver.downloads = downloads
    yield driver
    driver.quit()


def _until(condition, what: str):
    """Wait for a condition (bounded, never a timed assertion): the value it returns."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"gave up waiting for {what}")


def shot(driver, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SHOTS / f"{name}.png"))


def upload(driver, path: Path) -> None:
    driver.find_element(By.ID, "roster-file").send_keys(str(path))
    driver.find_element(By.XPATH, "//button[text()='Upload and check']").click()
    _until(lambda: driver.find_elements(By.ID, "summary"), "the roster's check")


def test_a_clerk_takes_a_roster_from_upload_to_a_zip_of_notices(serve, browser, tmp_path):
    browser.get(serve())
    shot(browser, "1-roster")
    upload(browser, write(tmp_path / "roster with errors.csv", BAD))
    assert browser.find_element(By.ID, "summary").text == (
        "2 rows: 0 valid, 2 rejected (2 errors, 0 warnings)"
    )
    rows = [
        [td.text for td in tr.find_elements(By.TAG_NAME, "td")]
        for tr in browser.find_elements(By.CSS_SELECTOR, "#problems tbody tr")
    ]
    assert [row[:2] for row in rows] == [
        ["roster with errors.csv:2", "a_number"],
        ["roster with errors.csv:3", "family_name"],
    ]
    shot(browser, "2-roster-errors")

    upload(browser, write(tmp_path / "roster.csv", GOOD))
    assert browser.find_element(By.ID, "summary").text == (
        "2 rows: 2 valid, 0 rejected (0 errors, 0 warnings)"
    )
    for box in browser.find_elements(By.CSS_SELECTOR, "input[name=template]"):
        if box.get_attribute("value") != "release-notice":
            box.click()
    browser.find_element(By.ID, "f-docx").click()
    shot(browser, "3-render-form")
    browser.find_element(By.ID, "render").click()
    if browser.current_url.endswith("/render"):  # the progress page, when it is not over yet
        shot(browser, "3b-progress")
    _until(lambda: browser.current_url.endswith("/results"), "the results")
    assert browser.find_element(By.ID, "summary").text == (
        "2 rows: 2 rendered, 0 rejected (2 documents: 2 rendered, 0 unchanged, 0 failed)"
    )
    assert "Nguyễn" in browser.find_element(By.ID, "needs-translation").text
    shot(browser, "4-results")

    browser.find_element(By.LINK_TEXT, "View").click()
    document = browser.find_element(By.CSS_SELECTOR, "object.document")
    assert document.get_attribute("data").endswith(
        "/files/release-notice/A012345678-release-notice.pdf"
    )
    assert browser.find_element(By.TAG_NAME, "h1").text == (
        "Notice to Class Member: José Peña (A-012-345-678)"
    )
    time.sleep(1)  # let the PDF viewer paint before the screenshot (it is not asserted on)
    shot(browser, "5-document")

    browser.find_element(By.LINK_TEXT, "Back to the results").click()
    browser.find_element(By.ID, "zip").click()
    archive = _until(lambda: list(browser.downloads.glob("*.zip")), "the ZIP")[0]
    assert zipfile.ZipFile(archive).namelist() == [
        "release-notice/A012345678-release-notice.pdf",
        "release-notice/A012345679-release-notice.pdf",
        "manifest.csv",
    ]


def test_a_template_authors_preview_shows_each_change_and_each_error(serve, browser, tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates" / "release-notice", templates / "release-notice")
    roster = write(tmp_path / "roster.csv", GOOD)
    browser.get(
        serve(roster=roster, templates_dirs=(templates,)) + "/preview?template=release-notice&row=0"
    )
    _until(lambda: browser.find_elements(By.CSS_SELECTOR, "object.document"), "the preview")
    time.sleep(1)  # let the PDF viewer paint before the screenshot (it is not asserted on)
    shot(browser, "6-preview")

    source = templates / "release-notice" / "en.html.j2"
    lines = source.read_text(encoding="utf-8").splitlines()
    source.write_text(
        "\n".join([*lines, "<p>{{ detainee.removal_date }}</p>"]) + "\n", encoding="utf-8"
    )
    error = _until(lambda: browser.find_elements(By.ID, "template-error"), "the error")[0]
    cli = CliRunner().invoke(
        main,
        [
            "render",
            "release-notice",
            "--format",
            "pdf",
            "--roster",
            str(roster),
            "--out",
            str(tmp_path / "cli"),
            "--templates",
            str(templates),
            "--quiet",
        ],
    )
    first_error = cli.output.splitlines()[0].removeprefix("Error: ")
    assert error.find_element(By.TAG_NAME, "pre").text == first_error
    assert first_error.startswith(f"{source}:{len(lines) + 1}: ")
    shot(browser, "7-preview-error")

    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _until(lambda: browser.find_elements(By.CSS_SELECTOR, "object.document"), "the fix")
