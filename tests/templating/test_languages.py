"""Each notice in its reader's language, English where the template puts it, dates and money as
each language writes them; a language with no translation yet is listed, never silently
English."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import re
import shutil

import docx
import jinja2
import pytest
from conftest import CASE, ROOT, write
from textof import docx_paragraphs, pdf_body, pdf_pages

from filings.build import listings
from filings.build import run as build
from filings.errors import Location, TemplateError
from filings.templating.filters import FILTERS, locale, name_language
from filings.templating.render import RosterSummary, document_languages, render_html
from filings.templating.templates import discover, make_environment

HEADER = (
    "a_number,family_name,given_name,custody_status,preferred_language,country_of_citizenship,"
    "facility,removal_date,release_date,release_conditions,arrest_type\n"
)
ROWS = {
    "es": "A100000001,Peña Íñiguez,José Luis,detained,español,Mexico,Broadview Processing Center,"
    "2025-12-01,,",
    "fr": 'A100000002,Dubois,Marie-Claire,released,French,Cameroon,,,2025-08-01,"Bond $1,500; ATD"',
    "en": "A100000003,O'Connor,Declan,detained,en,Ireland,Broadview Processing Center,,,",
    "ht": "A100000004,Jean-Baptiste,Wislande,detained,Kreyòl ayisyen,Haiti,,,,",
    "quc": "A100000005,Tzoc Ajpop,Francisco,detained,K'iche',Guatemala,,,,",
    "mam": "A100000006,Bámaca Chávez,Juana,detained,mam,Guatemala,,,,",
    "kjb": "A100000007,Pascual Domingo,Mateo,detained,Q'anjob'al,Guatemala,,,,",
    "yue": "A100000008,黃,嘉欣,detained,yue,Hong Kong,,,,",
}


def roster(tmp_path, *languages: str):
    rows = "".join(f"{ROWS[k]},warrantless\n" for k in languages)  # a class member's arrest
    return write(tmp_path / "roster.csv", HEADER + rows)


def templates_with(tmp_path, english: str | None = None, extra: dict[str, str] | None = None):
    """A copy of the release notice whose template.yaml says `english: …`, plus extra files."""
    folder = tmp_path / "templates"
    shutil.copytree(ROOT / "templates" / "release-notice", folder / "release-notice")
    meta = folder / "release-notice" / "template.yaml"
    if english:
        meta.write_text(meta.read_text().replace("english: after", f"english: {english}"))
    for name, text in (extra or {}).items():
        write(folder / "release-notice" / name, text)
    return folder


def notice(out, a_number):
    return out / "release-notice" / f"{a_number}-release-notice.pdf"


def flat(text: str) -> str:
    """The text with line breaks as spaces (the no-break spaces it holds are kept)."""
    return re.sub(r"[ \n]+", " ", text)


# --- in the reader's language ------------------------------------------------------------------


def test_a_spanish_reader_gets_the_spanish_notice_with_spanish_dates_then_english(tmp_path):
    out = tmp_path / "out"
    report = build.build(CASE, roster(tmp_path, "es"), out, ["release-notice"], jobs=1)
    assert not report.failed and not report.needs_translation
    pages = pdf_pages(notice(out, "A100000001"))
    text = flat("\n".join(pages))
    assert pages[0].startswith("AVISO IMPORTANTE SOBRE SU CASO")
    assert "El 13 de noviembre de 2025, la corte dio una orden" in text
    assert "fecha de deportación: el 1 de diciembre de 2025" in text
    assert "Fijaba la fianza en $1,500." in text
    english = next(i for i, p in enumerate(pages) if p.startswith("IMPORTANT NOTICE"))
    assert english > 0  # English begins on a page of its own
    paragraphs = docx_paragraphs(notice(out, "A100000001").with_suffix(".docx"))
    assert paragraphs[0] == "AVISO IMPORTANTE SOBRE SU CASO"
    assert "IMPORTANT NOTICE ABOUT YOUR CASE" in paragraphs
    assert not (out / listings.NEEDS_TRANSLATION_CSV).exists()


@pytest.mark.slow
def test_a_french_reader_gets_the_french_notice_written_as_french_writes(tmp_path):
    out = tmp_path / "out"
    report = build.build(CASE, roster(tmp_path, "fr"), out, ["release-notice"], jobs=1)
    assert not report.failed
    text = flat(pdf_body(notice(out, "A100000002")))
    assert text.startswith("AVIS IMPORTANT CONCERNANT VOTRE DOSSIER")
    assert "Le 13 novembre 2025, le tribunal a rendu une décision" in text
    assert "vous n’êtes plus en détention depuis le 1er août 2025" in text
    assert "Elle fixait la caution à 1\u202f500\u00a0$US." in text
    assert "La libération n’est promise à personne." in text
    assert "Ne signez AUCUN papier" in text
    assert "IMPORTANT NOTICE ABOUT YOUR CASE" in text


@pytest.mark.slow
@pytest.mark.parametrize("language", ["ht", "quc", "mam", "kjb", "yue"])
def test_a_language_with_no_translation_gets_english_and_is_listed(tmp_path, language):
    out = tmp_path / "out"
    report = build.build(CASE, roster(tmp_path, language, "es"), out, ["release-notice"], jobs=1)
    assert not report.failed
    [listed] = report.needs_translation
    a_number = listed.job.detainee.a_number
    text = flat(pdf_body(notice(out, a_number)))
    assert "IMPORTANT NOTICE ABOUT YOUR CASE" in text
    assert "This notice is not in your language yet." in text
    assert "AVISO" not in text
    with open(out / listings.NEEDS_TRANSLATION_CSV, encoding="utf-8-sig", newline="") as stream:
        [row] = list(csv.DictReader(stream))
    assert (row["file"], row["row"], row["a_number"], row["language"]) == (
        "roster.csv",
        "2",
        a_number,
        language,
    )
    assert row["template"] == "release-notice"
    assert row["files"] == (
        f"release-notice/{a_number}-release-notice.pdf "
        f"release-notice/{a_number}-release-notice.docx"
    )


@pytest.mark.slow
def test_the_needs_translation_list_goes_once_every_reader_has_a_translation(tmp_path):
    out = tmp_path / "out"
    build.build(CASE, roster(tmp_path, "ht"), out, ["release-notice"], formats=["docx"], jobs=1)
    assert (out / listings.NEEDS_TRANSLATION_CSV).exists()
    report = build.build(
        CASE, roster(tmp_path, "es"), out, ["release-notice"], formats=["docx"], jobs=1
    )
    assert report.needs_translation == []
    assert not (out / listings.NEEDS_TRANSLATION_CSV).exists()


def test_court_filings_are_never_listed_for_translation(tmp_path):
    out = tmp_path / "out"
    report = build.build(
        CASE, roster(tmp_path, "ht"), out, ["stay-motion"], formats=["docx"], jobs=1
    )
    assert report.needs_translation == []


# --- how English joins it ----------------------------------------------------------------------


@pytest.mark.slow
def test_language_only_leaves_english_out(tmp_path):
    out = tmp_path / "out"
    folder = templates_with(tmp_path, "language_only")
    report = build.build(
        CASE, roster(tmp_path, "es", "en"), out, ["release-notice"], templates_dirs=[folder], jobs=1
    )
    assert not report.failed
    spanish = pdf_body(notice(out, "A100000001"))
    assert "IMPORTANT NOTICE" not in spanish
    # No English inside: the case file's text comes from its `translations:`.
    assert "esa parte de la orden disponía que los miembros de la clase que no" in flat(spanish)
    assert "Corte de Apelaciones de los Estados Unidos para el Séptimo Circuito" in flat(spanish)
    assert "de lunes a viernes" in spanish and "class members" not in spanish
    assert pdf_body(notice(out, "A100000003")).startswith("IMPORTANT NOTICE")


@pytest.mark.slow
def test_side_by_side_sets_each_section_beside_its_english(tmp_path):
    out = tmp_path / "out"
    folder = templates_with(tmp_path, "side_by_side")
    report = build.build(
        CASE, roster(tmp_path, "fr"), out, ["release-notice"], templates_dirs=[folder], jobs=1
    )
    assert not report.failed
    document = docx.Document(str(notice(out, "A100000002").with_suffix(".docx")))
    [table] = document.tables
    assert len(table.columns) == 2
    firsts = [
        (row.cells[0].paragraphs[0].text, row.cells[1].paragraphs[0].text) for row in table.rows
    ]
    assert firsts[0] == (
        "AVIS IMPORTANT CONCERNANT VOTRE DOSSIER",
        "IMPORTANT NOTICE ABOUT YOUR CASE",
    )
    assert ("Que devez-vous faire\u00a0?", "What should you do?") in firsts
    text = pdf_body(notice(out, "A100000002"))
    assert "AVIS IMPORTANT" in text and "IMPORTANT NOTICE" in text


@pytest.mark.parametrize("language", ["es", "fr"])
def test_every_translation_has_the_english_sections_for_every_kind_of_reader(
    detainees, case, tmp_path, language
):
    """Side by side pairs sections in order, so a translation that leaves one out under some
    condition fails here, for every fixture row."""
    folder = templates_with(tmp_path, "side_by_side")
    env = make_environment([folder])
    template = discover([folder])["release-notice"]
    for person in detainees:
        reader = dataclasses.replace(person, preferred_language=language)
        html = render_html(env, template, case, reader, RosterSummary(detainees))
        assert html.count("<tr>") >= 7, person.a_number


def test_translations_with_different_sections_cannot_go_side_by_side(tmp_path, case, detainees):
    folder = templates_with(
        tmp_path, "side_by_side", {"es.html.j2": "<section><p>Uno</p></section>"}
    )
    template = discover([folder])["release-notice"]
    reader = dataclasses.replace(detainees[0], preferred_language="es")
    with pytest.raises(TemplateError) as exc:
        render_html(make_environment([folder]), template, case, reader)
    # Located at the template line that called side_by_side, as every template error is.
    assert exc.value.location == Location(str(folder / "release-notice/release-notice.html.j2"), 18)
    assert exc.value.problem.startswith(
        "side_by_side: the languages have different sections (es: 1 and en: "
    )


@pytest.mark.parametrize(
    "meta, message",
    [
        (
            "english: both",
            "release-notice/template.yaml: english: 'both' is not one of: "
            "language_only, after, side_by_side",
        ),
        (
            "translations: notice.html.j2",
            "release-notice/template.yaml: translations: "
            "'notice.html.j2' should be a file name with {lang} for the language code, such as "
            "'{lang}.html.j2'",
        ),
    ],
)
def test_a_bad_translation_setting_is_a_template_error(tmp_path, case, detainees, meta, message):
    folder = templates_with(tmp_path)
    path = folder / "release-notice" / "template.yaml"
    key = meta.split(":")[0]
    lines = [line for line in path.read_text().splitlines() if not line.startswith(f"{key}:")]
    path.write_text("\n".join(lines) + f"\n{meta}\n")
    template = discover([folder])["release-notice"]
    with pytest.raises(TemplateError) as exc:
        render_html(make_environment([folder]), template, case, detainees[0])
    assert exc.value.message == message


def test_adding_a_language_is_one_file_and_its_record(tmp_path, case, detainees):
    """The README's recipe: copy en.html.j2 to <code>.html.j2, translate it, and record in
    translations.yaml the English it translates; until then, its readers get English."""
    english = (ROOT / "templates" / "release-notice" / "en.html.j2").read_text()
    folder = templates_with(
        tmp_path,
        extra={
            "pt.html.j2": english.replace(
                "IMPORTANT NOTICE ABOUT YOUR CASE", "AVISO IMPORTANTE SOBRE O SEU CASO"
            )
        },
    )
    template = discover([folder])["release-notice"]
    [reader] = [d for d in detainees if d.preferred_language == "pt"]
    found = document_languages(template, reader)
    assert (found.languages, found.reasons) == (
        ("en",),
        ("translation older than the English", "tagline not reviewed"),
    )
    record_translation(folder, "pt")
    found = document_languages(template, reader)
    assert (found.languages, found.needs_translation, found.reasons) == (("pt", "en"), False, ())
    html = render_html(make_environment([folder]), template, case, reader)
    assert html.index("AVISO IMPORTANTE SOBRE O SEU CASO") < html.index("IMPORTANT NOTICE")
    assert '<html lang="pt">' in html


# --- dates, numbers, money ---------------------------------------------------------------------


def _filter(name: str, value, lang: str) -> str:
    env = jinja2.Environment()
    env.filters.update(FILTERS)
    return env.from_string(f"{{{{ value | {name} }}}}").render(value=value, lang=lang)


@pytest.mark.parametrize(
    "lang, date, amount, cents, number",
    [
        ("en", "November 12, 2025", "$1,500", "$1,500.50", "1,234,567"),
        ("es", "12 de noviembre de 2025", "$1,500", "$1,500.50", "1,234,567"),
        (
            "fr",
            "12 novembre 2025",
            "1\u202f500\u00a0$US",
            "1\u202f500,50\u00a0$US",
            "1\u202f234\u202f567",
        ),
        ("pt", "12 de novembro de 2025", "US$\u00a01.500", "US$\u00a01.500,50", "1.234.567"),
        ("mam", "November 12, 2025", "$1,500", "$1,500.50", "1,234,567"),
        ("kjb", "November 12, 2025", "$1,500", "$1,500.50", "1,234,567"),
    ],
)
def test_dates_numbers_and_money_as_each_language_writes_them(lang, date, amount, cents, number):
    assert _filter("long_date", dt.date(2025, 11, 12), lang) == date
    assert _filter("money", 1500, lang) == amount
    assert _filter("money", 1500.5, lang) == cents
    assert _filter("number", 1234567, lang) == number


def test_french_writes_the_first_of_the_month_as_an_ordinal():
    assert _filter("long_date", dt.date(2025, 12, 1), "fr") == "1er décembre 2025"
    assert _filter("long_date", dt.date(2025, 12, 11), "fr") == "11 décembre 2025"


@pytest.mark.parametrize("code", ["quc", "mam", "kjb", "yue", "zz", "not-a-tag", ""])
def test_any_roster_language_has_a_locale(code):
    assert locale(code).language in ("en", code.split("-")[0])


@pytest.mark.parametrize(
    "family, given, language, country, expected",
    [
        ("李", "晓梅", "zh", "China", "zh-Hans"),
        ("陳", "志豪", "zh", "Taiwan", "zh-Hant-TW"),
        ("黃", "嘉欣", "yue", "Hong Kong", "yue"),
        ("حداد", "يوسف", "ar", "Syria", "ar"),
        ("حداد", "يوسف", "es", "Syria", "ar"),
        ("Peña", "José", "es", "Mexico", "es"),
        ("Peña", "José", "ar", "Mexico", None),
        ("वर्मा", "सुनील", "ne", "Nepal", "ne"),
    ],
)
def test_a_name_is_marked_with_the_language_of_its_script(
    detainees, family, given, language, country, expected
):
    person = dataclasses.replace(
        detainees[0],
        family_name=family,
        given_name=given,
        preferred_language=language,
        country_of_citizenship=country,
    )
    assert name_language(person) == expected


# --- translations that cannot go stale, and a line in every reader's language -----------------


def record_translation(folder, lang: str) -> None:
    """What a translator does after translating: record the English hashes the file follows."""
    from filings.templating.language_files import sections

    notice_dir = folder / "release-notice"
    hashes = sections((notice_dir / "en.html.j2").read_text(encoding="utf-8"))
    lines = [
        f"{lang}:",
        "  reviewed_by: A. Translator",
        "  reviewed_on: 2025-11-14",
        "  translates:",
        *(f"    {k}: {v}" for k, v in hashes.items()),
    ]
    with open(notice_dir / "translations.yaml", "a", encoding="utf-8") as stream:
        stream.write("\n".join(lines) + "\n")


def test_one_changed_english_sentence_makes_lint_name_stale_translations(tmp_path, detainees):
    from click.testing import CliRunner

    from filings.cli import main
    from filings.templating.language_files import sections

    folder = templates_with(tmp_path)
    english = folder / "release-notice" / "en.html.j2"
    english.write_text(english.read_text().replace("Keep this notice.", "Keep this paper."))
    result = CliRunner().invoke(main, ["lint", str(folder), "--no-render"])
    assert result.exit_code == 1
    hashes = sections(english.read_text())
    for lang in ("es", "fr"):
        assert (
            f"release-notice/{lang}.html.j2: older than the English in 1 section(s): "
            f"what-to-do; once translated again, record in release-notice/translations.yaml "
            f"{lang}.translates: what-to-do: {hashes['what-to-do']}"
        ) in result.output
    assert "Error: 2 problem(s) in the templates" in result.output
    # ... and a Spanish reader gets English, listed, never the stale Spanish.
    template = discover([folder])["release-notice"]
    reader = dataclasses.replace(detainees[0], preferred_language="es")
    found = document_languages(template, reader)
    assert found.languages == ("en",)
    assert found.reasons == ("translation older than the English", "tagline not reviewed")


def test_lint_warns_of_translations_no_one_reviewed_and_passes(tmp_path):
    from click.testing import CliRunner

    from filings.cli import main

    result = CliRunner().invoke(main, ["lint", str(templates_with(tmp_path)), "--no-render"])
    assert result.exit_code == 0, result.output
    assert (
        "warning: release-notice/es.html.j2: no reviewer recorded (reviewed_by, reviewed_on "
        "in release-notice/translations.yaml)"
    ) in result.output
    assert "templates OK" in result.output


def test_a_translation_missing_a_section_fails_lint(tmp_path):
    from filings.build.lint import translation_problems

    folder = templates_with(tmp_path)
    spanish = folder / "release-notice" / "es.html.j2"
    spanish.write_text(spanish.read_text().replace("{# section: contact #}", ""))
    [problem] = [
        p
        for p in translation_problems(discover([folder])["release-notice"])
        if p.severity != "warning"
    ]
    assert str(problem) == (
        "release-notice/es.html.j2: has no section contact of the English; "
        "mark each with {# section: name #} as en.html.j2 does"
    )


def test_a_row_with_no_language_is_listed_not_silently_english(tmp_path):
    out = tmp_path / "out"
    rows = write(
        tmp_path / "roster.csv", HEADER + "A100000009,Ortiz,Edgar,detained,,,,,,,warrantless\n"
    )
    report = build.build(CASE, rows, out, ["release-notice"], formats=["docx"], jobs=1)
    assert not report.failed and len(report.needs_translation) == 1
    with open(out / listings.NEEDS_TRANSLATION_CSV, encoding="utf-8-sig", newline="") as stream:
        [row] = list(csv.DictReader(stream))
    assert (row["a_number"], row["language"], row["reason"]) == (
        "A100000009",
        "",
        "no language recorded",
    )


TAGLINE_ROWS = {
    "pt": ("Brazil", "Santos", "João"),
    "ht": ("Haiti", "Pierre", "Wislande"),
    "vi": ("Vietnam", "Trần", "Văn Đạt"),
    "zh-Hans": ("China", "李", "晓梅"),
    "zh-Hant": ("Taiwan", "陳", "志豪"),
    "ar": ("Syria", "حداد", "طارق"),
    "ru": ("Russia", "Иванов", "Иван"),
    "uk": ("Ukraine", "Ярошенко", "Олена"),
    "pa": ("India", "Singh", "Harpreet"),
    "hi": ("India", "वर्मा", "सुनील"),
    "ro": ("Romania", "Popescu", "Ion"),
    "tr": ("Turkey", "Yılmaz", "Ayşe"),
    "pl": ("Poland", "Nowak", "Anna"),
    "bn": ("Bangladesh", "Rahman", "Abdul"),
    "ne": ("Nepal", "Gurung", "Maya"),
    "am": ("Ethiopia", "Bekele", "Almaz"),
    "ti": ("Eritrea", "Tesfay", "Yonas"),
    "so": ("Somalia", "Warsame", "Hodan"),
    "wo": ("Senegal", "Diop", "Awa"),
    "quc": ("Guatemala", "Tzoc Ajpop", "Francisco"),
    "mam": ("Guatemala", "Bámaca Chávez", "Juana"),
}


# Scripts whose text pdftotext gives back in another order than written (Arabic runs, Indic
# clusters); for them the PDF check is the phone number and the first letters.
SHAPED = ("ar", "pa", "hi", "bn", "ne")


def test_every_tagline_language_gets_its_tagline_in_both_outputs(tmp_path):
    import yaml

    lines = yaml.safe_load((ROOT / "templates/release-notice/taglines.yaml").read_text("utf-8"))
    rows = [
        f"A1000001{i:02d},{family},{given},detained,{tag.split('-')[0]},{country},,,,,warrantless"
        for i, (tag, (country, family, given)) in enumerate(TAGLINE_ROWS.items())
    ]
    out = tmp_path / "out"
    report = build.build(
        CASE,
        write(tmp_path / "roster.csv", HEADER + "\n".join(rows) + "\n"),
        out,
        ["release-notice"],
        jobs=1,
    )
    assert not report.failed
    for i, tag in enumerate(TAGLINE_ROWS):
        pdf = notice(out, f"A1000001{i:02d}")
        expected = lines[tag]["text"].replace("{phone}", "(312) 555-0100")
        [first] = docx_paragraphs(pdf.with_suffix(".docx"))[:1]
        assert first == expected, tag
        head = flat(pdf_body(pdf)).split("IMPORTANT NOTICE")[0]
        if tag in SHAPED:  # pdftotext reorders shaped clusters; glyph misses fail as warnings
            assert "(312) 555-0100" in head and expected[:2] in head, tag
        else:
            assert "".join(head.split()) == "".join(expected.split()), tag  # CJK wraps anywhere
    with open(out / listings.NEEDS_TRANSLATION_CSV, encoding="utf-8-sig", newline="") as stream:
        reasons = {row["reason"] for row in csv.DictReader(stream)}
    assert reasons == {"no translation; tagline not reviewed"}
