"""`filings new`: a working template folder that uses the shared caption, signature and service
blocks, for a team to start from."""

from __future__ import annotations

import re
from pathlib import Path

from filings.errors import FilingsError

PER_DETAINEE = """\
{% extends "_shared/base.html.j2" %}
{% import "_shared/legal.html.j2" as legal %}
{#- One document for each person on the roster. Every optional value is printed inside an
    {% if %}, so the sentence reads naturally when the roster leaves it empty. -#}
{% block body %}
{{ legal.caption(case, "TITLE OF THE DOCUMENT") }}
<h2>INTRODUCTION</h2>
<p>Plaintiffs, through class counsel, move on behalf of class member {{ detainee.full_name }}
({{ detainee.a_number_display }}){% if detainee.facility %}, now held at
{{ detainee.facility }}{% endif %}.</p>
{{ legal.signature(case) }}
{{ legal.certificate_of_service(case, "Title of the Document") }}
{% endblock %}
"""

PER_ROSTER = """\
{% extends "_shared/base.html.j2" %}
{% import "_shared/legal.html.j2" as legal %}
{#- One document for the whole roster. -#}
{% block body %}
{{ legal.caption(case, "TITLE OF THE DOCUMENT") }}
<p>The class roster lists {{ roster.total }} class members.</p>
<table class="grid">
<thead><tr><th>Custody status</th><th>Class members</th></tr></thead>
<tbody>
{% for status, count in roster.count_by("custody_status",
                                        ["detained", "released", "removed", "unknown"]) %}
<tr><td>{{ status | label if status else "Not recorded" }}</td><td>{{ count }}</td></tr>
{% endfor %}
</tbody>
</table>
{{ legal.signature(case) }}
{{ legal.certificate_of_service(case, "Title of the Document") }}
{% endblock %}
"""


def new_template(folder: Path, name: str, kind: str) -> Path:
    """Create folder/name with template.yaml and name.html.j2; refuse to overwrite anything."""
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name):
        raise FilingsError(f"{name!r}: a template name is lower-case letters, digits and dashes")
    target = folder / name
    if target.exists():
        raise FilingsError(f"{target}: already exists; choose another name")
    target.mkdir(parents=True)
    output = "{a_number}-" + name if kind == "per-detainee" else "{template}"
    (target / "template.yaml").write_text(
        f"title: {name.replace('-', ' ').title()}\n"
        "description: Describe in one line what this document is and who files it.\n"
        f"kind: {kind}\n"
        "format: court  # the court format the case file names (court.format)\n"
        f"main: {name}.html.j2\n"
        f'output: "{output}"\n',
        encoding="utf-8",
    )
    body = PER_DETAINEE if kind == "per-detainee" else PER_ROSTER
    (target / f"{name}.html.j2").write_text(body, encoding="utf-8")
    return target
