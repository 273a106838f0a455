"""A template may use the data it is handed and nothing else: no file, process or network.

What a template can reach is discovered from a real render (`render_html`, as production calls
it), then walked attribute by attribute, so a field added later is tested without anyone listing
it here."""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import types
from pathlib import Path

import jinja2
import pytest
from click.testing import CliRunner
from conftest import CASE, write
from jinja2.sandbox import SecurityError

from filings.cli import main
from filings.errors import TemplateError
from filings.templating.render import RosterSummary, render_html
from filings.templating.sandbox import is_open
from filings.templating.templates import discover, make_environment

ESCAPES = (
    "__class__",
    "__globals__",
    "__subclasses__",
    "__mro__",
    "mro",
    "__init__",
    "__dict__",
    "__base__",
    "__bases__",
    "__builtins__",
    "__import__",
    "__code__",
    "__self__",
    "__func__",
    "__module__",
    "__reduce_ex__",
    "__getattribute__",
    "__wrapped__",
    "__call__",
    "func_globals",
    "f_globals",
    "gi_frame",
    "tb_frame",
    "read_text",
    "write_text",
    "read_bytes",
    "write_bytes",
    "open",
    "unlink",
    "joinpath",
    "rename",
    "mkdir",
    "iterdir",
    "glob",
    "resolve",
    "parent",
    "folder",
    "os",
    "system",
    "popen",
    "environ",
    "format",
    "format_map",
    "jinja_pass_arg",
    "lines",
    "start_line",
    "environment",
    "_TemplateReference__context",
    "pop",
    "update",
    "clear",
    "append",
    "setdefault",
    "today",
    "now",
)
SOURCE = "roster.csv"


def probe(
    root: Path, body: str, kind: str = "per-detainee", output: str | None = None, extra: str = ""
):
    """A template folder `probe` under root whose main file is body."""
    output = output or ("{a_number}-probe" if kind == "per-detainee" else "{template}")
    write(
        root / "probe" / "template.yaml",
        f"title: Probe\ndescription: Tries to leave\n"
        f'kind: {kind}\nformat: ndil\nmain: probe.html.j2\noutput: "{output}"\n{extra}',
    )
    write(root / "probe" / "probe.html.j2", body)
    return discover(root)["probe"]


# --- what a template is handed, from a real render -----------------------------------------------


def handed(tmp_path: Path, case, detainees) -> tuple[jinja2.Environment, list[tuple[str, object]]]:
    """Every name a template sees (context and globals), from render_html for a translated
    per-detainee template and a per-roster one, and every filter."""
    seen: list[tuple[str, object]] = []
    env = None
    for kind, extra in (("per-detainee", 'translations: "{lang}.html.j2"\n'), ("per-roster", "")):
        root = tmp_path / kind
        template = probe(root, "{{ probe() }}", kind, extra=extra)
        write(root / "probe" / "en.html.j2", "")
        env = make_environment(root)
        env.globals["probe"] = jinja2.pass_context(
            lambda context: seen.extend(context.get_all().items()) or "seen"
        )
        detainee = detainees[0] if kind == "per-detainee" else None
        render_html(env, template, case, detainee, RosterSummary(detainees))
    assert {"case", "detainee", "roster", "template", "translations"} <= {n for n, _ in seen}
    roots = [(n, v) for n, v in seen if n != "probe"]
    return env, roots + [(f"|{n}", f) for n, f in env.filters.items()]


def walk(env, roots) -> list[tuple[str, object]]:
    """Every object reachable from the roots through what the sandbox lets through: attributes
    (every name the object has, and every known escape), mapping values and list items."""
    reached, seen, queue = [], set(), [(name, obj, 0) for name, obj in roots]
    while queue:
        path, obj, depth = queue.pop(0)
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        reached.append((path, obj))
        if depth == 6 or len(reached) > 3000:  # an open door leads everywhere: stop to report it
            continue
        for name in sorted(set(dir(obj)) | set(ESCAPES)):
            try:
                value = env.getattr(obj, name)
            except SecurityError:
                continue
            if not isinstance(value, jinja2.Undefined):
                queue.append((f"{path}.{name}", value, depth + 1))
        if isinstance(obj, dict):
            queue += [(f"{path}[{k!r}]", v, depth + 1) for k, v in obj.items()]
        elif isinstance(obj, (list, tuple)):  # the items of a list share a type: three suffice
            queue += [(f"{path}[{i}]", v, depth + 1) for i, v in enumerate(obj[:3])]
    return reached


PLAIN = (str, int, float, decimal.Decimal, dt.date, type(None), dict, list, tuple)


def is_data(obj) -> bool:
    if isinstance(obj, PLAIN) or isinstance(obj, RosterSummary):
        return True
    return dataclasses.is_dataclass(obj) and not isinstance(obj, type)


def test_everything_a_template_can_reach_is_data(tmp_path, case, detainees):
    env, roots = handed(tmp_path, case, detainees)
    root_ids = {id(v) for _, v in roots}
    for path, obj in walk(env, roots):
        if id(obj) in root_ids and callable(obj):
            continue  # a global or a filter the environment registers
        owner = getattr(obj, "__self__", None)
        method = isinstance(obj, (types.MethodType, types.BuiltinMethodType))
        assert is_data(obj) or (method and is_data(owner)), f"{path} is a {type(obj).__name__}"
        assert not isinstance(obj, Path), path


# Every way Jinja has to read an attribute; each must refuse what the sandbox refuses.
BY_NAME = [
    "{{ obj[name] }}",
    "{{ obj|attr(name) }}",
    "{{ [obj]|map(attribute=name)|first }}",
    "{{ [obj]|map('attr', name)|first }}",
    "{{ [obj]|selectattr(name)|list }}",
    "{{ [obj]|rejectattr(name)|list }}",
    "{{ [obj]|sum(attribute=name) }}",
    "{{ [obj, obj]|sort(attribute=name)|first }}",
    "{{ [obj, obj]|groupby(name)|list }}",
    "{{ [obj, obj]|unique(attribute=name)|list }}",
    "{{ [obj, obj]|min(attribute=name) }}",
    "{{ [obj, obj]|max(attribute=name) }}",
    "{{ ('{0.' ~ name ~ '}').format(obj) }}",
    "{{ ('{0[' ~ name ~ ']}').format(obj) }}",
    "{{ ('{x.' ~ name ~ '}').format_map({'x': obj}) }}",
    "{{ ('%(' ~ name ~ ')s')|format(obj) }}",
    "{{ obj|attr(name)|attr('__call__')() }}",
]
DOTTED = [
    "{{ obj.NAME }}",
    "{{ obj.NAME() }}",
    "{{ obj.NAME(canary) }}",
    "{% set f = obj.NAME %}{{ f }}",
    "{{ obj.NAME.__class__.__mro__[-1].__subclasses__() }}",
    "{{ '%s'|format(obj.NAME) }}",
]


@pytest.mark.slow
def test_every_known_escape_is_refused_through_every_object(tmp_path, case, detainees):
    env, roots = handed(tmp_path, case, detainees)
    canary = write(tmp_path / "canary.txt", "CANARY-7f3a")
    before = sorted(tmp_path.rglob("*"))
    # The sandbox decides by an object's type and the name asked for (a mapping's own keys are
    # data): one object of each type stands for all of them.
    by_type: dict[type, object] = {}
    for _, obj in walk(env, roots):
        by_type.setdefault(type(obj), obj)
    compiled = [env.from_string(t) for t in BY_NAME]
    dotted = {
        n: [env.from_string(t.replace("NAME", n)) for t in DOTTED]
        for n in ESCAPES
        if n.isidentifier()
    }
    for obj in by_type.values():
        for name in ESCAPES:
            if (isinstance(obj, dict) and name in obj) or is_open(obj, name):
                continue  # data, which the walk above has checked is data
            for template in compiled + dotted.get(name, []):
                try:
                    shown = template.render(obj=obj, name=name, canary=str(canary))
                except (SecurityError, jinja2.UndefinedError, KeyError, TypeError):
                    continue
                raise AssertionError(f"{type(obj).__name__}, {name}, {template}: {shown!r}")
    assert canary.read_text() == "CANARY-7f3a"
    assert sorted(tmp_path.rglob("*")) == before


# --- each escape, as the author sees it ---------------------------------------------------------


SECTION = "Templates run in a sandbox"


def refused(what: str) -> str:
    return f'refused: {what} is not open to templates (see "{SECTION}" in the README)'


@pytest.mark.parametrize(
    "body, message",
    [
        (
            "{{ template.folder.joinpath('/etc/passwd').read_text() }}",
            "'filings.templating.view.TemplateInfo object' has no attribute 'folder'",
        ),
        ("{{ detainee.__class__ }}", refused("Detainee.__class__")),
        (
            "{{ detainee.full_name.__class__.__mro__[1].__subclasses__() }}",
            refused("str.__class__"),
        ),
        ("{{ case.__init__.__globals__ }}", refused("Case.__init__")),
        ("{{ '{0.__class__}'.format(detainee) }}", refused("str.format")),
        ("{{ '{0.a_number}'.format_map([detainee]) }}", refused("str.format_map")),
        ("{{ '%s'|format(detainee.__class__) }}", refused("Detainee.__class__")),
        ("{{ detainee|attr('__class__') }}", refused("Detainee.__class__")),
        ("{{ [detainee]|map(attribute='__class__')|first }}", refused("Detainee.__class__")),
        ("{{ case.court.lines }}", refused("dict.lines")),
        ("{{ case.court.copy() }}", refused("dict.copy")),
        ("{{ detainee.date_of_birth.today() }}", refused("date.today")),
        ("{{ range.__globals__ }}", refused("range.__globals__")),
        ("{{ namespace.__init__.__globals__ }}", refused("Namespace.__init__")),
        ("{{ self.__init__.__globals__ }}", refused("TemplateReference.__init__")),
        (
            "{{ self._TemplateReference__context }}",
            refused("TemplateReference._TemplateReference__context"),
        ),
        ("{% for x in [1] %}{{ loop.__class__ }}{% endfor %}", refused("LoopContext.__class__")),
        (
            "{% macro m() %}{{ caller.__class__ }}{% endmacro %}{% call m() %}x{% endcall %}",
            refused("Macro.__class__"),
        ),
        ("{{ side_by_side.__globals__ }}", refused("side_by_side.__globals__")),
        ("{{ cycler.__init__.__globals__.os }}", "'cycler' is undefined"),
        ("{{ joiner.__init__.__globals__.os }}", "'joiner' is undefined"),
        ("{{ lipsum.__globals__ }}", "'lipsum' is undefined"),
        ("{{ dict.__base__ }}", "'dict' is undefined"),
        ("{{ config.items() }}", "'config' is undefined"),
        ("{{ request.application }}", "'request' is undefined"),
        ("{{ os.system('true') }}", "'os' is undefined"),
        (
            "{{ range(10**9)|length }}",
            "refused: range(0, 1000000000) has 1000000000 numbers; a template may make up to 100000",
        ),
        ("{{ 9**(9**10) }}", "refused: a power of more than 1000 digits"),
        (
            "{{ 'x' * 10**9 }}",
            "refused: repeating text or a list to more than 100000 characters or items",
        ),
        (
            "{{ [1] * 1000000000 }}",
            "refused: repeating text or a list to more than 100000 characters or items",
        ),
    ],
)
def test_each_escape_is_a_located_template_error(
    tmp_path, monkeypatch, case, detainees, body, message
):
    monkeypatch.chdir(tmp_path)
    template = probe(Path("templates"), "<p>\n" + body + "\n</p>")
    with pytest.raises(TemplateError) as exc:
        render_html(make_environment(Path("templates")), template, case, detainees[0])
    row = f" ({detainees[0].source})" if "undefined" in message or "attribute" in message else ""
    assert exc.value.message == f"templates/probe/probe.html.j2:2: {message}{row}"


@pytest.mark.parametrize(
    "body, line",
    [
        ("{% macro f(n) %}\n{{ f(n) }}\n{% endmacro %}\n{{ f(1) }}", 2),
        ('<p>\n{% include "probe/probe.html.j2" %}', 2),
    ],
)
def test_a_template_that_calls_itself_without_end_is_located(
    tmp_path, monkeypatch, case, detainees, body, line
):
    monkeypatch.chdir(tmp_path)
    template = probe(Path("templates"), body)
    with pytest.raises(TemplateError) as exc:
        render_html(make_environment(Path("templates")), template, case, detainees[0])
    assert exc.value.message == (
        f"templates/probe/probe.html.j2:{line}: refused: a macro, include or block that calls "
        "itself without end"
    )


@pytest.mark.parametrize("field", ["__class__", "_PurePath__parts", "nope", "extra"])
def test_count_by_takes_a_roster_column_only(tmp_path, monkeypatch, case, detainees, field):
    monkeypatch.chdir(tmp_path)
    template = probe(Path("templates"), f"<p>\n{{{{ roster.count_by('{field}') }}}}", "per-roster")
    with pytest.raises(TemplateError) as exc:
        render_html(
            make_environment(Path("templates")), template, case, None, RosterSummary(detainees)
        )
    assert exc.value.message.startswith(
        f"templates/probe/probe.html.j2:2: roster.count_by: {field!r} is not a roster column; "
        "the columns are: a_number, family_name, given_name, "
    )


# --- output: patterns in template.yaml ----------------------------------------------------------

FIELDS = "is not a field; the fields are {template}, {a_number} and {family_name}"


@pytest.mark.parametrize(
    "kind, output, message",
    [
        ("per-detainee", "{a_number.__class__}", f"{{a_number.__class__}} {FIELDS}"),
        ("per-detainee", "{a_number}-{0}", f"{{0}} {FIELDS}"),
        ("per-detainee", "{a_number}-{nope}", f"{{nope}} {FIELDS}"),
        ("per-detainee", "{a_number}-{}", f"{{}} {FIELDS}"),
        ("per-detainee", "{a_number!r}", f"{{a_number!r}} {FIELDS}"),
        ("per-detainee", "{a_number:>99999999}", f"{{a_number:>99999999}} {FIELDS}"),
        ("per-detainee", "{a_number}-{", "the { at character 12 is not closed by a }"),
        ("per-detainee", "{a_number}-{x{y}}", "the { at character 12 is not closed by a }"),
        ("per-detainee", "}{a_number}", "the } at character 1 closes no {"),
        ("per-detainee", "{family_name}", "must contain {a_number} for a per-detainee template"),
        (
            "per-roster",
            "{template}-{a_number}",
            "{a_number} is one person's; a per-roster template's output may use {template} only",
        ),
    ],
)
def test_a_bad_output_pattern_is_refused_when_the_template_is_loaded(
    tmp_path, kind, output, message
):
    with pytest.raises(TemplateError) as exc:
        probe(tmp_path, "<p>x</p>", kind, output=output)
    assert exc.value.message == f"probe/template.yaml:6: output: {message}"


def test_an_output_pattern_makes_the_file_name(tmp_path):
    from filings.templating.templates import output_name

    template = probe(tmp_path, "<p>x</p>", output="{template}_{a_number}-{family_name}")
    assert output_name(template, "A012345678", "Peña Ruiz") == "probe_A012345678-pena-ruiz"


# --- the commands -------------------------------------------------------------------------------

HOSTILE = (
    "<p>{{{{ template.folder.joinpath({canary!r}).read_text() }}}}</p>\n"
    "<p>{{{{ template.folder.joinpath({planted!r}).write_text('import os') }}}}</p>\n"
)


def test_lint_fails_a_template_that_reaches_for_files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    canary = write(tmp_path / "canary.txt", "CANARY-7f3a")
    planted = tmp_path / "planted.pth"
    probe(Path("templates"), HOSTILE.format(canary=str(canary), planted=str(planted)))
    result = CliRunner().invoke(main, ["lint", "templates"])
    assert result.exit_code == 1
    assert "templates OK" not in result.output
    assert result.output.splitlines()[:2] == [
        "templates/probe/probe.html.j2:1: template.folder: no such field",
        "templates/probe/probe.html.j2:2: template.folder: no such field",
    ]
    assert not planted.exists()


@pytest.mark.slow
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_hostile_template_fails_alone_and_touches_nothing(tmp_path, monkeypatch, jobs):
    monkeypatch.chdir(tmp_path)
    canary = write(tmp_path / "canary.txt", "CANARY-7f3a")
    planted = tmp_path / "planted.pth"
    probe(Path("templates"), HOSTILE.format(canary=str(canary), planted=str(planted)))
    roster = write(
        tmp_path / "roster.csv",
        "a_number,family_name,given_name,custody_status,"
        "arrest_type\nA012345671,Peña,José,detained,warrantless\n"
        "A012345672,Ruiz,Ana,released,warrantless\n",
    )
    before = sorted(p for p in tmp_path.rglob("*") if "out" not in p.parts)
    result = CliRunner().invoke(
        main,
        [
            "render",
            "probe",
            "stay-motion",
            "--format",
            "docx",
            "--quiet",
            "--jobs",
            jobs,
            "--templates",
            "templates",
            "--case",
            str(CASE),
            "--roster",
            str(roster),
            "--out",
            "out",
        ],
    )
    assert result.exit_code == 1
    error = (
        "Error: templates/probe/probe.html.j2:1: 'filings.templating.view.TemplateInfo "
        "object' has no attribute 'folder' (roster.csv:{})"
    )
    assert error.format(2) in result.output.splitlines()
    assert error.format(3) in result.output.splitlines()
    assert sorted(p.name for p in Path("out/stay-motion").iterdir()) == [
        "A012345671-stay-motion.docx",
        "A012345672-stay-motion.docx",
    ]
    assert not Path("out/probe").exists() or not any(Path("out/probe").iterdir())
    assert sorted(p for p in tmp_path.rglob("*") if "out" not in p.parts) == before
    assert not any(b"CANARY" in p.read_bytes() for p in Path("out").rglob("*") if p.is_file())


def test_lint_gives_the_line_of_a_bad_output_pattern(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "templates").mkdir()
    with pytest.raises(TemplateError):
        probe(Path("templates"), "<p>x</p>", output="{a_number}-{a_number.__class__}")
    result = CliRunner().invoke(main, ["lint", "templates"])
    assert (result.exit_code, result.output) == (
        1,
        (
            "templates/probe/template.yaml:6: output: {a_number.__class__} is not a field; the "
            "fields are {template}, {a_number} and {family_name}\n"
            "Error: 1 problem(s) in the templates\n"
        ),
    )


def test_what_the_readme_opens_still_works(tmp_path, monkeypatch, case, detainees):
    monkeypatch.chdir(tmp_path)
    write(Path("templates/_shared/m.html.j2"), "{% macro x() %}X{{ caller() }}{% endmacro %}")
    body = (
        '{% import "_shared/m.html.j2" as m %}{% call m.x() %}c{% endcall %}'
        "{% set ns = namespace(n=1) %}{% set ns.n = ns.n + 1 %}{{ ns.n }}"
        "{% for i in range(3) %}{{ loop.index }}{{ loop.cycle('a', 'b') }}{% endfor %}"
        "{{ case.order.get('docket') }}{{ case.court.name.upper().split()|first }}"
        "{{ detainee.arrest_date.year }}{{ 2**10 }}{{ 'ab' * 2 }}"
        "{{ roster.count_by('custody_status')|first|first }}"
    )
    template = probe(Path("templates"), body)
    html = render_html(
        make_environment(Path("templates")), template, case, detainees[0], RosterSummary(detainees)
    )
    assert html == "Xc21a2b3aECF No. 901UNITED20251024ababdetained"
