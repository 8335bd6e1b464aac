"""Policy consistency: how reliably people code stances, and whether a change of stance is a
contradiction or an update.

Agreement (`cohen_kappa`, `fleiss_kappa`, `krippendorff_alpha`, `percent_agreement`, and the
Landis-Koch and Krippendorff readings) lives in `course_lib.agreement` and is re-exported here.
Consistency: `timing` places a dated trigger against two statements, `compare` reads two coded
statements, `shifts` finds every change of stance of a speaker, and `revise` measures what a
codebook rule does to kappa. Pure functions, standard library only; bad data raise
`AgreementError`, a ValueError whose message says what was expected.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable, Iterable, Mapping, Sequence

__all__ = [
    "AgreementError", "Comparison", "Confusion", "LEVELS", "Revision", "Trigger", "chance_agreement",
    "cohen_kappa", "compare", "confusion_matrix", "fleiss_kappa", "krippendorff_alpha",
    "krippendorff_reading", "landis_koch", "percent_agreement", "revise", "shifts", "stance_series",
    "timing",
]



# The agreement coefficients live in course_lib.agreement; strand 3 uses them, so they are re-exported.
from course_lib.agreement import (LEVELS, AgreementError, Confusion, chance_agreement,  # noqa: E402,F401
                                  cohen_kappa, confusion_matrix, fleiss_kappa, krippendorff_alpha,
                                  krippendorff_reading, landis_koch, percent_agreement)


# ---- contradiction or update ------------------------------------------------------------------

@dataclass(frozen=True)
class Trigger:
    """A dated event that could explain a change of stance: a report, failed talks, a letter."""

    id: str
    date: date
    label: str
    source: str = ""  # the source card that dates it


def timing(when: date, first: date, second: date) -> str:
    """Where a trigger's date falls against two statements: "before both", "same day as the first",
    "between", "same day as the second", "same day as both" or "after both".

    >>> timing(date(2018, 8, 20), date(2018, 8, 23), date(2018, 8, 24))
    'before both'
    """
    for name, d in (("trigger", when), ("first statement", first), ("second statement", second)):
        if not isinstance(d, date):
            raise TypeError(f"expected the {name}'s date as a datetime.date, got {type(d).__name__}")
    if first > second:
        raise ValueError(f"expected the first statement on or before the second, got {first} and {second}")
    if when < first:
        return "before both"
    if when > second:
        return "after both"
    if when == first == second:
        return "same day as both"
    if when == first:
        return "same day as the first"
    return "same day as the second" if when == second else "between"


@dataclass(frozen=True)
class Comparison:
    """Two coded statements on one dimension, and what the codebook's rule reads from codes and dates.

    `reading` is "not comparable", "no shift", "small shift", "contradiction", "update" or "possible
    update" (a trigger on the same day as a statement, order within the day unknown). Whether a
    speaker acknowledged the change, or the two are about the same thing, needs a human reader.
    """

    dimension: str
    first: str
    second: str
    first_code: str | None
    second_code: str | None
    steps: int | None
    reading: str
    between: tuple[Trigger, ...] = ()
    same_day: tuple[Trigger, ...] = ()

    def __str__(self) -> str:
        codes = f"{self.first_code or 'not coded'} → {self.second_code or 'not coded'}"
        why = ""
        if self.between:
            why = "; between them: " + ", ".join(f"{t.label} ({t.date:%d %b})" for t in self.between)
        elif self.same_day:
            why = "; same day as a statement: " + ", ".join(f"{t.label} ({t.date:%d %b})" for t in self.same_day)
        return f"{self.first} → {self.second} on {self.dimension}: {codes}, {self.reading}{why}"

    __repr__ = __str__


def _code_of(statement, dimension) -> str | None:
    codes = getattr(statement, "codes", None)
    if codes is None:
        raise TypeError(f"expected a coded statement (with .codes), got {type(statement).__name__}")
    return codes.get(dimension.id)


def compare(first, second, dimension, triggers: Iterable[Trigger] = (), *, min_steps: int = 2) -> Comparison:
    """Read two coded statements on one dimension: how many scale steps apart, and whether a trigger
    falls between them (an update) or none does (a contradiction, by the codebook's rule).

    Steps are counted along the dimension's values in scale order (for D2: D, N, E, so D to E is 2).
    """
    if first.date > second.date:
        first, second = second, first
    a, b = _code_of(first, dimension), _code_of(second, dimension)
    args = (dimension.id, first.id, second.id, a, b)
    if a is None or b is None:
        return Comparison(*args, None, "not comparable")
    order = list(dimension.values)
    steps = abs(order.index(a) - order.index(b))
    if steps == 0:
        return Comparison(*args, 0, "no shift")
    if steps < min_steps:
        return Comparison(*args, steps, "small shift")
    placed = [(t, timing(t.date, first.date, second.date)) for t in triggers]
    between = tuple(t for t, when in placed if when == "between")
    same_day = tuple(t for t, when in placed if when.startswith("same day"))
    reading = "update" if between else "possible update" if same_day else "contradiction"
    return Comparison(*args, steps, reading, between, same_day)


def shifts(statements, dimension, triggers: Iterable[Trigger] = (), *, group: Callable | None = None,
           min_steps: int = 2, within_days: int | None = None) -> list[Comparison]:
    """Every change of `min_steps` or more between consecutive coded statements of the same speaker
    (or of the same `group(statement)`, e.g. the speaker's government), oldest first. With
    `within_days`, every pair at most that many days apart is compared, so a flip through a middle
    code (E, then N, then D) is found too."""
    triggers = tuple(triggers)
    key = group or (lambda s: s.speaker)
    by_group: dict = {}
    for s in sorted(statements, key=lambda s: (s.date, s.id)):
        if _code_of(s, dimension) is not None:
            by_group.setdefault(key(s), []).append(s)
    pairs = [(a, b) for run in by_group.values() for i, a in enumerate(run) for b in run[i + 1:]
             if b is run[i + 1] or (within_days is not None and (b.date - a.date).days <= within_days)]
    found = [compare(a, b, dimension, triggers, min_steps=min_steps)
             for a, b in sorted(pairs, key=lambda p: (p[0].date, p[0].id, p[1].date, p[1].id))]
    return [c for c in found if c.reading in ("contradiction", "update", "possible update")]


def stance_series(statements, dimension) -> dict[str, list[tuple[date, int, str]]]:
    """Each speaker's coded statements on one dimension as (date, position in the scale, statement id)."""
    order = list(dimension.values)
    series: dict[str, list] = {}
    for s in sorted(statements, key=lambda s: (s.date, s.id)):
        code = _code_of(s, dimension)
        if code is not None:
            series.setdefault(s.speaker, []).append((s.date, order.index(code), s.id))
    return series


# ---- the codebook revision loop ---------------------------------------------------------------

@dataclass(frozen=True)
class Revision:
    """Kappa before and after a codebook rule recodes some units in both codings."""

    before: float
    after: float
    changed: tuple[str, ...]
    ignored: tuple[str, ...] = ()  # recodes that could not be applied, each with the reason

    @property
    def delta(self) -> float:
        return self.after - self.before

    def __str__(self) -> str:
        lines = []
        if self.changed:
            lines.append(f"Recoded in both codings: {', '.join(self.changed)}.")
            lines.append(f"kappa before: {self.before:.3f} ({landis_koch(self.before)}); after: {self.after:.3f} "
                         f"({landis_koch(self.after)}); change: {self.delta:+.3f}.")
        else:
            lines.append(f"No unit recoded yet: kappa stays {self.before:.3f} ({landis_koch(self.before)}). "
                         "Add the code your rule gives each statement it settles, as \"statement id\": \"code\".")
        lines += [f"Not applied: {why}" for why in self.ignored]
        return "\n".join(lines)

    __repr__ = __str__


def revise(first: Mapping, second: Mapping, recoded, values: Sequence | None = None) -> Revision:
    """Apply a rule's codes to both codings (dicts keyed by unit) and measure kappa before and after.

    `recoded` maps unit to the code the rule gives. Anything in it that cannot be applied (an unknown
    unit, a code not in `values`, not a dict at all) is listed in `ignored`, never raised, because a
    student types it.

    >>> revise({"a": "D", "b": "E", "c": "N"}, {"a": "D", "b": "N", "c": "N"}, {"b": "N"}).delta
    0.5
    """
    if not isinstance(first, Mapping) or not isinstance(second, Mapping):
        raise TypeError("expected both codings as dicts keyed by unit")
    before = cohen_kappa(first, second)
    if not isinstance(recoded, Mapping):
        return Revision(before, before, (), (f"recoded should be a dict of \"statement id\": \"code\", not a "
                                             f"{type(recoded).__name__}; nothing was recoded",))
    changes, ignored, allowed = {}, [], None if values is None else list(values)
    for unit, code in recoded.items():
        if unit not in first:
            ignored.append(f"{str(unit)[:40]!r} is not one of the coded units ({', '.join(map(str, list(first)[:4]))}, ...)")
        elif allowed is not None and code not in allowed:
            ignored.append(f"{str(code)[:20]!r} for {unit} is not one of the codes {', '.join(map(str, allowed))}")
        else:
            changes[unit] = code
    a, b = {**first, **changes}, {**second, **changes}
    try:
        after = cohen_kappa(a, b)
    except (AgreementError, TypeError) as error:
        return Revision(before, before, (), (*ignored, f"the recoded codings cannot be compared: {error}"))
    return Revision(before, after, tuple(changes), tuple(ignored))
