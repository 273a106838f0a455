"""One problem at one place: what the input checks, `filings lint` and `filings check` report.

Each is data first (the errors CSV, `--json`), printed as `place: message`:

    roster.csv:14: a_number: '12345' has 5 digits; an A-number has 7 to 9
    templates/stay-motion/stay-motion.html.j2:15: detainee.famly_name: no such field
    motion.pdf: page 3: body text 11.0 pt; ndil needs at least 12 pt (LR 5.2(c))
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from filings.errors import LocatedError, Location

ERROR = "error"  # rejects its row, fails its template or document
WARNING = "warning"  # only says something


@dataclass(frozen=True)
class Problem:
    """One problem at one place, and what would put it right."""

    location: Location  # the file, and the line, row, cell, key or page within it
    message: str  # what is wrong; for a court-format rule, what was measured
    rule: str = ""  # what found it: a lint check (`field`, `syntax`…), a format rule, "" for input
    severity: str = ERROR
    value: str | None = None  # the one value at fault as written (the errors CSV's `value`)
    required: str = ""  # what the rule asks: `ndil needs at least 12 pt (LR 5.2(c))`

    @classmethod
    def of(cls, error: LocatedError, rule: str = "") -> Problem:
        """The problem an error reports (a DataError's value included)."""
        where = error.location or Location("")
        return cls(where, error.problem, rule, value=getattr(error, "value", None))

    def __str__(self) -> str:
        required = f"; {self.required}" if self.required else ""
        return f"{self.location}: {self.message}{required}"

    def as_json(self) -> dict[str, Any]:
        """The declared fields, the location's spread out first: one flat object per problem."""
        where = {f.name: getattr(self.location, f.name) for f in dataclasses.fields(Location)}
        own = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        del own["location"]
        return {**where, **own}
