"""The sandbox templates run in: what a template may read and call, as a short allow-list.

Jinja's own sandbox refuses `_names` and a few known internals and lets through everything
else, so any object handed to a template is only as safe as its least careful method (a
`pathlib.Path` reads and writes files). Here a template may read the fields of the records made
for it and call the few methods listed below; everything else is refused, by name, with the
template's file and line. A field added to a record later is open to templates; a method is not
until it is listed here.
"""

from __future__ import annotations

import builtins
import dataclasses
import datetime as dt
import math
import types
from inspect import getattr_static

from jinja2 import Undefined
from jinja2.environment import TemplateModule
from jinja2.runtime import BlockReference, LoopContext, Macro
from jinja2.sandbox import MAX_RANGE, SandboxedEnvironment, SecurityError
from jinja2.utils import Namespace

from filings.errors import Location
from filings.inputs.case_facts import Facility
from filings.inputs.records import Attorney, Case, Detainee, ImmigrationCourt, Removal
from filings.inputs.redaction import Policy, Rule
from filings.templating.view import Member, RosterSummary, Tagline, TemplateInfo

SEE = '(see "Templates run in a sandbox" in the README)'
MAX_DIGITS = 1000  # a power's result, in decimal digits


def _fields(cls: type) -> frozenset[str]:
    """A record's fields and properties: its data, never its methods."""
    properties = {n for n, v in vars(cls).items() if isinstance(v, property)}
    return frozenset({f.name for f in dataclasses.fields(cls)} | properties)


TEXT = frozenset(
    {
        "startswith",
        "endswith",
        "lower",
        "upper",
        "title",
        "capitalize",
        "strip",
        "lstrip",
        "rstrip",
        "split",
        "replace",
        "join",
        "removeprefix",
        "removesuffix",
        "isdigit",
        "isalpha",
    }
)
# What a template may read of each kind of value (the first kind the value is an instance of).
OPEN: tuple[tuple[type, frozenset[str]], ...] = (
    (Detainee, _fields(Detainee)),
    (Case, _fields(Case)),
    (Attorney, _fields(Attorney)),
    (ImmigrationCourt, _fields(ImmigrationCourt)),
    (Removal, _fields(Removal)),
    (Facility, _fields(Facility)),
    (Member, _fields(Member)),
    (Location, _fields(Location)),
    (TemplateInfo, _fields(TemplateInfo)),
    (Tagline, _fields(Tagline)),
    (Policy, frozenset({"removed"})),
    (Rule, _fields(Rule)),
    (
        RosterSummary,
        frozenset(
            {"detainees", "total", "count_by", "class_members", "not_covered", "stay_members"}
        ),
    ),
    (str, TEXT),  # Markup too
    (dict, frozenset({"get", "keys", "values", "items"})),
    (dt.date, frozenset({"year", "month", "day", "isoformat", "weekday", "isoweekday"})),
    (dt.timedelta, frozenset({"days"})),  # one date minus another
    (
        LoopContext,
        frozenset(
            {
                "index",
                "index0",
                "revindex",
                "revindex0",
                "first",
                "last",
                "length",
                "depth",
                "depth0",
                "previtem",
                "nextitem",
                "cycle",
                "changed",
            }
        ),
    ),
    (BlockReference, frozenset({"super"})),
)


def is_open(obj: object, name: str) -> bool:
    """Whether a template may read `obj.name`."""
    if name.startswith("_"):
        return False
    if isinstance(obj, Namespace):  # what the template itself set
        return True
    if isinstance(obj, TemplateModule):  # what an imported template exports
        return name in vars(obj)
    return any(name in names for kind, names in OPEN if isinstance(obj, kind))


def _kind(obj: object) -> str:
    """How a refusal names the object: its type, or a function's or class's own name."""
    if isinstance(obj, (type, types.FunctionType, types.MethodType, types.BuiltinFunctionType)):
        return getattr(obj, "__qualname__", type(obj).__name__)
    for plain in (str, dict, list, tuple):
        if isinstance(obj, plain):
            return plain.__name__
    return type(obj).__name__


def _shown(name: object) -> str:
    text = str(name)
    return text if text.isidentifier() else repr(text)  # repr escapes control characters


def refuse(obj: object, name: object) -> SecurityError:
    return SecurityError(f"refused: {_kind(obj)}.{_shown(name)} is not open to templates {SEE}")


def _range(*args: int) -> range:
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise SecurityError(
            f"refused: range({numbers.start}, {numbers.stop}) has {len(numbers)} "
            f"numbers; a template may make up to {MAX_RANGE}"
        )
    return numbers


_range.__name__ = _range.__qualname__ = "range"  # as templates call it, and refusals name it


def _power(left, right):
    if isinstance(left, int) and isinstance(right, int) and right > 0 and abs(left) > 1:
        if right * math.log10(abs(left)) > MAX_DIGITS:
            raise SecurityError(f"refused: a power of more than {MAX_DIGITS} digits")
    try:
        return left**right
    except OverflowError:
        raise SecurityError(f"refused: a power of more than {MAX_DIGITS} digits") from None


def _times(left, right):
    for seq, n in ((left, right), (right, left)):
        if isinstance(seq, (str, list, tuple)) and isinstance(n, int) and len(seq) * n > MAX_RANGE:
            raise SecurityError(
                f"refused: repeating text or a list to more than {MAX_RANGE} characters or items"
            )
    return left * right


class Sandbox(SandboxedEnvironment):
    """Jinja's sandbox with an allow-list: read what `is_open` allows, call only macros, blocks,
    this environment's own globals and the methods `OPEN` lists."""

    intercepted_binops = frozenset({"**", "*"})  # also keeps Jinja from folding them at compile

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.globals.clear()  # no lipsum, cycler, joiner, dict; range is ours
        self.globals.update(range=_range, namespace=Namespace)
        self.binop_table = {**self.binop_table, "**": _power, "*": _times}

    def call_binop(self, context, operator_: str, left, right):
        return self.binop_table[operator_](left, right)

    def is_safe_attribute(self, obj, attr: str, value) -> bool:
        return is_open(obj, attr)

    def is_safe_callable(self, obj) -> bool:
        if isinstance(obj, (Macro, BlockReference, LoopContext)):
            return True
        if any(obj is g for g in self.globals.values()):
            return True
        owner = getattr(obj, "__self__", None)
        name = getattr(obj, "__name__", "")
        is_method = isinstance(obj, (types.MethodType, types.BuiltinMethodType))
        if not is_method or isinstance(owner, (type, types.ModuleType)):
            return False
        return is_open(owner, name)

    def getattr(self, obj, attribute: str):
        """`obj.attribute` in a template: a mapping's own key, an open attribute, or an item."""
        if isinstance(obj, dict) and attribute in obj:  # data before dict's methods (`.lines`)
            return obj[attribute]
        return self._attribute(obj, attribute, fallback=True)

    def getitem(self, obj, argument):
        """`obj[argument]` in a template: an item, or else an open attribute."""
        try:
            return obj[argument]
        except (TypeError, LookupError):
            pass
        if isinstance(argument, str):
            return self._attribute(obj, argument, fallback=False)
        return self.undefined(obj=obj, name=argument)

    def _attribute(self, obj, name: str, fallback: bool):
        # The name is checked before the attribute is read, so no property runs unchecked.
        if isinstance(obj, Undefined):  # `nope.__init__` says nope is undefined
            obj._fail_with_undefined_error()
        if is_open(obj, name):
            try:
                return builtins.getattr(obj, name)
            except AttributeError:
                pass
        elif _exists(obj, name):
            raise refuse(obj, name)
        if fallback:
            try:
                return obj[name]
            except (TypeError, LookupError):
                pass
        return self.undefined(obj=obj, name=name)

    def unsafe_undefined(self, obj, attribute: str):
        raise refuse(obj, attribute)

    def call(__self, __context, __obj, *args, **kwargs):  # Jinja's own signature
        if not __self.is_safe_callable(__obj):
            owner = getattr(__obj, "__self__", None)
            name = getattr(__obj, "__name__", None)
            raise (
                refuse(owner, name)
                if owner is not None and name
                else SecurityError(
                    f"refused: calling {_kind(__obj)} is not open to templates {SEE}"
                )
            )
        return __context.call(__obj, *args, **kwargs)


def _exists(obj: object, name: str) -> bool:
    try:
        getattr_static(obj, name)
    except AttributeError:
        return False
    return True


__all__ = ["OPEN", "Sandbox", "is_open"]
