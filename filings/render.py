"""Record + template -> HTML in the documented vocabulary; template errors located precisely."""

from __future__ import annotations

import os
import re
import traceback
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from filings.errors import TemplateError
from filings.templates import EmptyValueError, Template
from filings.validate import Case, Detainee


class RosterSummary:
    """The roster as a per-roster template sees it: the records and counts by field."""

    def __init__(self, detainees: Sequence[Detainee]) -> None:
        self.detainees = list(detainees)
        self.total = len(self.detainees)

    def count_by(self, field: str, order: Sequence[str] = ()) -> list[tuple[str, int]]:
        """(value, count) pairs: first the values in `order`, then the rest most common first.

        A record with no value counts under `None`, so a table still adds up to the total.
        """
        counts = Counter(getattr(d, field) for d in self.detainees)
        listed = [(value, counts.pop(value, 0)) for value in order]
        rest = sorted(counts.items(), key=lambda kv: (kv[0] is None, -kv[1], str(kv[0])))
        return listed + rest


def render_html(
    env: SandboxedEnvironment,
    template: Template,
    case: Case,
    detainee: Detainee | None = None,
    roster: RosterSummary | None = None,
    lang: str = "en",
    template_version: str = "unversioned",
) -> str:
    """Render one document's HTML, turning any Jinja failure into a located TemplateError."""
    context = {"case": case, "detainee": detainee, "roster": roster, "lang": lang,
               "template": template, "template_version": template_version}  # fmt: skip
    row = f" ({detainee.source})" if detainee else ""
    try:
        return env.get_template(template.source).render(context)
    except jinja2.TemplateSyntaxError as exc:
        where = f"{_shown(exc.filename or exc.name or template.source)}:{exc.lineno}"
        raise TemplateError(f"{where}: {exc.message}") from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"{template.source}: no template file named {exc.name!r}") from None
    except SecurityError as exc:
        raise TemplateError(
            f"{_where(exc)}: refused: {exc} Templates may use the case and roster data only."
        ) from None
    except jinja2.UndefinedError as exc:
        raise TemplateError(f"{_where(exc)}: {exc.message}{row}") from None
    except EmptyValueError as exc:
        where, expression = _where(exc), _expression(exc)
        raise TemplateError(
            f"{where}: {expression} is empty for this row{row}; print it only inside "
            "{% if … %} so the text reads naturally without it"
        ) from None


def _template_frame(exc: BaseException) -> traceback.FrameSummary | None:
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".j2")]
    return frames[-1] if frames else None


def _where(exc: BaseException) -> str:
    frame = _template_frame(exc)
    return f"{_shown(frame.filename)}:{frame.lineno}" if frame else "template"


def _expression(exc: BaseException) -> str:
    """The `{{ … }}` on the failing line, when the line has just one."""
    frame = _template_frame(exc)
    if frame is not None:
        lines = Path(frame.filename).read_text(encoding="utf-8").splitlines()
        found = re.findall(r"\{\{.*?\}\}", lines[frame.lineno - 1]) if frame.lineno else []
        if len(found) == 1:
            return found[0]
    return "a printed value"


def _shown(filename: str) -> str:
    """A template path as the user knows it: relative to the working folder when inside it."""
    path = Path(filename)
    try:
        return os.path.relpath(path) if not os.path.relpath(path).startswith("..") else str(path)
    except ValueError:
        return str(path)
