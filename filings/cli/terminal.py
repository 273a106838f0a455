"""What the `filings` command prints besides errors: the progress bar, counts, a diff's changes."""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:  # for the type hint only: `filings --help` stays light
    from filings.build.redline import Change


def count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


class Progress:
    """A progress bar on stderr (count, rate, time left) once more than a handful of documents
    are on the way."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self.bar = None
        self.started = time.monotonic()

    def __enter__(self) -> Progress:
        return self

    def advance(self, outcome, total: int) -> None:
        if self.bar is None and total > 5 and self.enabled:
            self.bar = click.progressbar(
                length=total,
                label="Rendering",
                show_pos=True,
                item_show_func=self._rate,
                file=sys.stderr,
            )
        if self.bar is not None:
            self.bar.update(1, outcome)

    def _rate(self, outcome) -> str | None:
        if self.bar is None or not self.bar.pos:
            return None
        return f"{self.bar.pos / max(time.monotonic() - self.started, 1e-6):.1f} docs/s"

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.render_finish()


def changes_text(changes: list[Change], color: bool) -> str:
    """diff's changes as text: colored when color is on, else git's `[-old-]{+new+}` markers."""
    lines = []
    for change in changes:
        out = []
        for op, text in change.pieces:
            if op == "=":
                out.append(text)
            elif color:
                style = (
                    {"fg": "green", "underline": True}
                    if op == "+"
                    else {"fg": "red", "strikethrough": True}
                )
                out.append(click.style(text, **style))
            else:
                out.append(f"{{+{text}+}}" if op == "+" else f"[-{text}-]")
        lines.append(f"@@ block {change.index + 1}\n{''.join(out)}")
    return "\n".join(lines)


def echo_problems(check, quiet: bool) -> None:
    """Every rejected row's problems, then (unless quiet) the warnings."""
    for error in check.errors:
        click.echo(f"Error: {error.message}", err=True)
    if not quiet:
        for warning in check.warnings:
            click.echo(f"Warning: {warning}", err=True)
