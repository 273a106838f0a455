"""The public copy's redaction policy, and the record a public copy is made from.

A court filing that names a detained person goes on the public docket. Counsel files two copies
(N.D. Ill. LR 26.2): the complete one under seal, and a public one without what the policy
removes. Redaction is done here, on the record, before any template sees it: a removed value is
never in the public copy's HTML, so it cannot reach its PDF, DOCX, metadata, bookmarks or file
name. (`filings.check.leaks` then searches every public file for it all the same.)

For each roster field the policy says `keep`, `mask` or `drop`:

- `mask`: the A-number keeps its last three digits (`A-XXX-XXX-789`); a date keeps its year only
  (FRCP 5.2(a)(2) for a date of birth). Other fields cannot be masked.
- `drop`: the field is empty in the public copy; the templates print it only inside
  `{% if … %}`, so the sentence reads without it.

The case file's `redaction:` overrides the defaults, field by field.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from filings.inputs.columns import DATE_COLUMNS, ROSTER_COLUMNS
from filings.inputs.records import Detainee

ACTIONS = ("keep", "mask", "drop")
MASKABLE = ("a_number", *DATE_COLUMNS)
# Fields a court needs to act, which the public copy cannot leave out.
REQUIRED = ("family_name", "given_name", "custody_status")


@dataclass(frozen=True)
class Rule:
    action: str
    reason: str  # why, as the motion for leave to file under seal states it


# The starting policy, with the reason the motion to seal gives for each.
DEFAULTS: dict[str, Rule] = {
    "a_number": Rule(
        "mask",
        "the full A-number, the key to the person's immigration file, which the public copy "
        "shows by its last three digits",
    ),
    "date_of_birth": Rule(
        "mask", "the full date of birth, which the public copy shows by its year (FRCP 5.2(a)(2))"
    ),
    "risk_assessment": Rule(
        "drop", "the person's public-safety risk assessment, which would prejudice the person"
    ),
    "arrest_location": Rule("drop", "the place of arrest, which can identify the person's home"),
    "notes": Rule("drop", "class counsel's notes"),
}


@dataclass(frozen=True)
class Policy:
    """What the public copy does with each field; a field not listed is kept."""

    rules: dict[str, Rule] = field(default_factory=lambda: dict(DEFAULTS))

    def action(self, name: str) -> str:
        rule = self.rules.get(name)
        return rule.action if rule else "keep"

    @property
    def removed(self) -> dict[str, Rule]:
        """The fields the public copy masks or drops, in roster order, with their rules."""
        order = {name: i for i, name in enumerate(ROSTER_COLUMNS)}
        names = sorted(self.rules, key=lambda n: order.get(n, len(order)))
        return {n: self.rules[n] for n in names if self.rules[n].action != "keep"}


def read_policy(r: Any, data: dict) -> Policy:
    """`redaction:` in the case file: field -> keep | mask | drop, or {action: …, reason: …};
    each problem located at its line by the case reader `r`."""
    given = r.get(data, "redaction", "redaction", dict, required=False)
    rules = dict(DEFAULTS)
    for name, value in (given or {}).items():
        path = f"redaction.{name}"
        entry = {"action": value} if isinstance(value, str) else value
        action = entry.get("action") if isinstance(entry, dict) else None
        problem = _problem(str(name), action)
        if problem:
            r.fail(given, name, path, problem)
            continue
        default = DEFAULTS.get(name)
        reason = entry.get("reason") or (default.reason if default else f"the {name}")
        rules[str(name)] = Rule(action, str(reason))
    return Policy(rules)


def _problem(name: str, action: Any) -> str | None:
    if name not in ROSTER_COLUMNS:
        return f"{name!r} is not a roster column; the columns are: {', '.join(ROSTER_COLUMNS)}"
    if action not in ACTIONS:
        return f"{action!r} is not one of: {', '.join(ACTIONS)}"
    if action == "mask" and name not in MASKABLE:
        return f"only {', '.join(MASKABLE)} can be masked; keep or drop {name}"
    if action != "keep" and name in REQUIRED:
        return f"the court needs {name} to act on the filing; it cannot be {action}ped"
    return None


def mask_a_number(a_number: str) -> str:
    """`A012345678` -> `AXXXXXX678`, which documents print as `A-XXX-XXX-678`."""
    return "A" + "X" * 6 + a_number[-3:]


def redact(detainee: Detainee, policy: Policy) -> Detainee:
    """The record as the public copy may show it: every masked field masked, every dropped
    field empty, and each named in `withheld`. The row it came from stays, for messages."""
    changes: dict[str, Any] = {}
    for name, rule in policy.removed.items():
        value = getattr(detainee, name, None)
        if value in (None, ""):
            continue
        changes["withheld"] = (*changes.get("withheld", ()), name)
        if rule.action == "drop":
            changes[name] = None
        elif name == "a_number":
            changes[name] = mask_a_number(value)
        elif isinstance(value, dt.date):
            changes[name] = str(value.year)  # printed as it is; a date filter on it is an error
    return dataclasses.replace(detainee, **changes)


def removed_values(detainee: Detainee, policy: Policy) -> dict[str, Any]:
    """The values the public copy must not contain: field -> the value as the roster has it."""
    found = {}
    for name in policy.removed:
        value = getattr(detainee, name, None)
        if value not in (None, ""):
            found[name] = value
    return found
