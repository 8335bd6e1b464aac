"""Policy consistency: how reliably people code stances, and whether a change of stance is a
contradiction or an update.

Agreement, in the manner of `statistics`: `percent_agreement`, `chance_agreement`, `cohen_kappa` and
`confusion_matrix` for two coders; `fleiss_kappa` for many coders on nominal codes; `krippendorff_alpha`
for any number of coders, missing values and any level; `landis_koch` and `krippendorff_reading` put the
conventional words on a value (conventions, not laws).
Consistency: `timing` places a dated trigger against two statements, `compare` reads two coded
statements, `shifts` finds every change of stance of a speaker, and `revise` measures what a
codebook rule does to kappa. Pure functions, standard library only (a dimension given by its id is
looked up in the current case); bad data raise `AgreementError`, a ValueError whose message says what
was expected, and an unknown speaker or dimension a ValueError naming it and the known ones.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Callable, Iterable, Mapping, Sequence

from course_lib.case.records import Trigger

__all__ = [
    "AgreementError", "Comparison", "Confusion", "LEVELS", "Revision", "chance_agreement",
    "cohen_kappa", "compare", "confusion_matrix", "fleiss_kappa", "krippendorff_alpha",
    "krippendorff_reading", "landis_koch", "percent_agreement", "revise", "shifts", "stance_series",
    "timing",
]


# ---- agreement between coders ------------------------------------------------------------------

LEVELS = ("nominal", "ordinal", "interval", "ratio")


class AgreementError(ValueError):
    """Codes that agreement cannot be computed on: mismatched lengths, one category, too few coders."""


# ---- two coders ---------------------------------------------------------------------------------

def _missing(code) -> bool:
    return code is None or (isinstance(code, float) and math.isnan(code))


def _paired(a, b) -> list[tuple]:
    """The two codings as (code, code) pairs, one per unit; dicts are matched by their keys."""
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        if set(a) != set(b):
            only = sorted(map(str, set(a) ^ set(b)))[:3]
            raise AgreementError(f"expected two codings of the same units; {', '.join(only)} "
                                 "is coded by one coder only")
        keys = list(a)
        a, b = [a[k] for k in keys], [b[k] for k in keys]
    for name, codes in (("first", a), ("second", b)):
        if isinstance(codes, Mapping) or not isinstance(codes, Iterable):
            raise TypeError(f"expected the {name} coding as a sequence of codes (a list or a string) "
                            f"or both as dicts keyed by unit, got {type(codes).__name__}")
    a, b = list(a), list(b)
    if len(a) != len(b):
        raise AgreementError(f"expected two codings of the same length, got {len(a)} and {len(b)} codes")
    if not a:
        raise AgreementError("expected at least one coded unit, got none")
    for n, pair in enumerate(zip(a, b), 1):
        for who, code in zip(("first", "second"), pair):
            if _missing(code):
                raise AgreementError(f"unit {n} has no code from the {who} coder: two-coder agreement needs "
                                     "both codes for every unit (drop the unit, or use krippendorff_alpha, "
                                     "which allows missing values)")
            try:
                hash(code)
            except TypeError:
                raise TypeError(f"expected codes such as strings or numbers, got a {type(code).__name__} "
                                f"in unit {n}") from None
    return list(zip(a, b))


def percent_agreement(a, b) -> float:
    """The share of units two coders code alike, from 0 to 1 (0.75 is 75 per cent).

    >>> percent_agreement("EEDN", "EENN")
    0.75
    """
    pairs = _paired(a, b)
    return sum(x == y for x, y in pairs) / len(pairs)


def chance_agreement(a, b) -> float:
    """The agreement two coders reach by chance: the sum over codes of the product of each coder's share.

    >>> chance_agreement("DDEE", "DEEE")
    0.5
    """
    pairs = _paired(a, b)
    n = len(pairs)
    first, second = Counter(x for x, _ in pairs), Counter(y for _, y in pairs)
    return sum(first[k] * second[k] for k in first) / (n * n)


def cohen_kappa(a, b) -> float:
    """Cohen's kappa: how far two coders agree beyond what their own shares of each code predict.

    kappa = (p_o - p_e) / (1 - p_e): 1 is perfect agreement, 0 is chance, below 0 worse than chance.
    Codings are two sequences in the same unit order, or two dicts keyed by unit.

    >>> round(cohen_kappa("EEDNEDDENEDE", "EENNEDDEEEDN"), 2)
    0.6
    """
    pairs = _paired(a, b)
    p_e = chance_agreement(a, b)
    if p_e >= 1:
        raise AgreementError("kappa is undefined when both coders use one and the same category for every "
                             "unit (chance agreement is 1); expected at least two categories")
    p_o = sum(x == y for x, y in pairs) / len(pairs)
    return (p_o - p_e) / (1 - p_e)


def _order(codes, categories=None) -> list:
    if categories is not None:
        return list(categories)
    return sorted(set(codes), key=lambda c: (type(c).__name__, c))


@dataclass(frozen=True)
class Confusion:
    """A confusion matrix: counts[i][j] units the first coder coded categories[i] and the second categories[j]."""

    categories: tuple
    counts: tuple[tuple[int, ...], ...]

    @property
    def row_totals(self) -> tuple[int, ...]:
        return tuple(sum(row) for row in self.counts)

    @property
    def column_totals(self) -> tuple[int, ...]:
        return tuple(sum(col) for col in zip(*self.counts))

    def rows(self) -> list[tuple]:
        """Header and rows with totals, ready for `plots.text_table`."""
        header = ("first \\ second", *map(str, self.categories), "total")
        body = [(str(c), *row, total) for c, row, total in zip(self.categories, self.counts, self.row_totals)]
        body.append(("total", *self.column_totals, sum(self.row_totals)))
        return [header, *body]

    def __str__(self) -> str:
        cells = [[str(c) for c in row] for row in self.rows()]
        width = [max(len(r[i]) for r in cells) for i in range(len(cells[0]))]
        return "\n".join("  ".join(c.rjust(w) for c, w in zip(r, width)) for r in cells)

    __repr__ = __str__


def confusion_matrix(a, b, categories=None) -> Confusion:
    """Cross-count two codings: rows are the first coder's codes, columns the second's.

    >>> confusion_matrix("DDE", "DEE").counts
    ((1, 1), (0, 1))
    """
    pairs = _paired(a, b)
    order = _order([c for pair in pairs for c in pair], categories)
    unknown = {c for pair in pairs for c in pair} - set(order)
    if unknown:
        raise AgreementError(f"code {sorted(map(repr, unknown))[0]} is not one of the categories "
                             f"{', '.join(map(str, order))}")
    count = Counter(pairs)
    return Confusion(tuple(order), tuple(tuple(count[(r, c)] for c in order) for r in order))


# ---- many coders --------------------------------------------------------------------------------

def fleiss_kappa(table) -> float:
    """Fleiss' kappa for many coders on nominal codes: one row per unit, one count per category.

    Every row must hold the same number of ratings (at least two). It is not Cohen's kappa for two
    coders (it pools their shares), so compare it only with other Fleiss values.

    >>> round(fleiss_kappa([[2, 0], [0, 2], [1, 1]]), 3)
    0.333
    """
    if isinstance(table, (str, bytes, Mapping)) or not isinstance(table, Iterable):
        raise TypeError(f"expected a table: a list of rows, one per unit, each a list of counts per "
                        f"category; got {type(table).__name__}")
    rows = [list(r) if isinstance(r, Iterable) and not isinstance(r, (str, bytes)) else r for r in table]
    if not rows:
        raise AgreementError("expected at least one unit (row) in the table, got none")
    for n, row in enumerate(rows, 1):
        if not isinstance(row, list) or not all(isinstance(x, int) and not isinstance(x, bool) and x >= 0
                                                for x in row):
            raise AgreementError(f"expected row {n} as counts (whole numbers, 0 or more) per category")
    if len({len(r) for r in rows}) != 1:
        raise AgreementError("expected every row to have one count per category, the same number of "
                             f"categories in each; got rows of {sorted({len(r) for r in rows})} counts")
    raters = sum(rows[0])
    for n, row in enumerate(rows, 1):
        if sum(row) != raters:
            raise AgreementError(f"fleiss' kappa needs the same number of ratings for every unit; unit 1 "
                                 f"has {raters} and unit {n} has {sum(row)}")
    if raters < 2:
        raise AgreementError(f"fleiss' kappa needs at least two coders per unit, got {raters}")
    units = len(rows)
    shares = [sum(col) / (units * raters) for col in zip(*rows)]
    p_e = sum(p * p for p in shares)
    if p_e >= 1:
        raise AgreementError("kappa is undefined when every rating falls in a single category; expected "
                             "at least two categories in use")
    p_bar = sum((sum(x * x for x in row) - raters) / (raters * (raters - 1)) for row in rows) / units
    return (p_bar - p_e) / (1 - p_e)


def _number(value, where: str) -> float:
    if isinstance(value, bool):
        raise AgreementError(f"expected numbers for interval or ratio data, got {value!r} {where}")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise AgreementError(f"expected numbers for interval or ratio data, got {value!r} {where}") from None


def krippendorff_alpha(data, level: str = "nominal", values=None) -> float:
    """Krippendorff's alpha for any number of coders, with missing values (None) allowed.

    `data` is the reliability data: one row per coder, one column per unit. `level` is "nominal",
    "ordinal", "interval" or "ratio". For ordinal codes that are not numbers, give `values` in
    scale order. alpha = 1 - observed disagreement / disagreement expected by chance.

    >>> round(krippendorff_alpha(["EEDNEDDENEDE", "EENNEDDEEEDN"]), 2)
    0.61
    >>> round(krippendorff_alpha([[1, 2, 3, None], [1, 2, 3, 4], [1, 3, 3, 4]], "interval"), 3)
    0.929
    """
    if level not in LEVELS:
        raise ValueError(f"expected level to be one of {', '.join(LEVELS)}; got {level!r}")
    if isinstance(data, (str, bytes, Mapping)) or not isinstance(data, Iterable):
        raise TypeError(f"expected reliability data: a list with one row of codes per coder, got "
                        f"{type(data).__name__}")
    rows = [list(r) for r in data]
    if len(rows) < 2:
        raise AgreementError(f"krippendorff's alpha needs at least two coders (rows), got {len(rows)}")
    if len({len(r) for r in rows}) != 1:
        raise AgreementError(f"expected every coder's row to cover the same units; got rows of "
                             f"{', '.join(str(len(r)) for r in rows)} codes (use None for a missing code)")
    units = [[c for c in column if not _missing(c)] for column in zip(*rows)]
    for u in units:
        for c in u:
            try:
                hash(c)
            except TypeError:
                raise TypeError(f"expected codes such as strings or numbers, got a {type(c).__name__}") from None
    pairable = [u for u in units if len(u) >= 2]
    if not pairable:
        raise AgreementError("no unit was coded by two or more coders, so there is nothing to compare")
    seen = sorted({c for u in pairable for c in u}, key=lambda c: (type(c).__name__, c))
    if values is not None:
        scale = list(values)
        stray = [c for c in seen if c not in scale]
        if stray:
            raise AgreementError(f"code {stray[0]!r} is not one of the scale values {', '.join(map(str, scale))}")
    elif level == "nominal":
        scale = seen
    else:
        scale = sorted(seen, key=lambda c: _number(c, "(give values=[...] in scale order for codes that are "
                                                      "not numbers)"))
    index = {c: i for i, c in enumerate(scale)}
    # the coincidence matrix: each ordered pair of codes within a unit counts 1 / (codes in unit - 1).
    # Counted by code, not by pair of coders: n_c * n_k pairs (n_c * (n_c - 1) for c with itself), so a
    # class of 1,000 costs its codes, not its 10^6 pairs of students.
    o = [[0.0] * len(scale) for _ in scale]
    for unit in pairable:
        weight = 1 / (len(unit) - 1)
        counts = Counter(index[c] for c in unit)
        for c, n_c in counts.items():
            for k, n_k in counts.items():
                o[c][k] += (n_c * (n_c - 1) if c == k else n_c * n_k) * weight
    n_c = [sum(row) for row in o]
    n = sum(n_c)
    delta = _distance(level, scale, n_c)
    observed = sum(o[c][k] * delta(c, k) for c in range(len(scale)) for k in range(len(scale)))
    expected = sum(n_c[c] * n_c[k] * delta(c, k) for c in range(len(scale)) for k in range(len(scale)))
    if expected == 0:
        raise AgreementError("alpha is undefined when every pairable code is the same: expected at least "
                             "two different codes")
    return 1 - (n - 1) * observed / expected


def _distance(level: str, scale: list, n_c: list[float]) -> Callable[[int, int], float]:
    """The squared difference of two codes (by their index in the scale), as Krippendorff defines it."""
    if level == "nominal":
        return lambda c, k: float(c != k)
    if level == "ordinal":
        def ordinal(c, k):
            lo, hi = min(c, k), max(c, k)
            return (sum(n_c[lo:hi + 1]) - (n_c[c] + n_c[k]) / 2) ** 2
        return ordinal
    number = [_number(v, "in the scale") for v in scale]
    if level == "interval":
        return lambda c, k: (number[c] - number[k]) ** 2
    if any(x < 0 for x in number):
        raise AgreementError("expected ratio data to be 0 or more")
    return lambda c, k: ((number[c] - number[k]) / (number[c] + number[k])) ** 2 if number[c] + number[k] else 0.0


# ---- the conventions that read a value --------------------------------------------------------

def landis_koch(kappa: float) -> str:
    """The Landis and Koch (1977) word for a kappa, read at two decimals as their table is.

    A convention, not a law: "moderate" is 0.41-0.60, "substantial" 0.61-0.80.

    >>> landis_koch(0.6)
    'moderate'
    """
    k = round(_finite(kappa, "kappa"), 2)
    for limit, word in ((0, "poor"), (0.20, "slight"), (0.40, "fair"), (0.60, "moderate"), (0.80, "substantial")):
        if (k < limit) if limit == 0 else (k <= limit):
            return word
    return "almost perfect"


def krippendorff_reading(alpha: float) -> str:
    """What Krippendorff's standard allows for an alpha: rely on data at 0.800 or more; draw tentative
    conclusions only from 0.667 to 0.800; below 0.667, none.

    >>> krippendorff_reading(0.61)
    'below 0.667: too unreliable for conclusions'
    """
    a = round(_finite(alpha, "alpha"), 3)
    if a >= 0.800:
        return "0.800 or more: reliable"
    if a >= 0.667:
        return "0.667 to 0.800: tentative conclusions only"
    return "below 0.667: too unreliable for conclusions"


def _finite(x, name: str) -> float:
    if isinstance(x, bool) or not isinstance(x, (int, float)) or not math.isfinite(x):
        raise TypeError(f"expected {name} as a finite number, got {x!r}")
    return float(x)



# ---- contradiction or update ------------------------------------------------------------------

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


def _dimension(dimension, statements=()):
    """A dimension record: one given as such, or the current case's of this id. An id the case does
    not have, or a dimension no statement is coded on, raises a ValueError naming the known ones."""
    if isinstance(dimension, str):
        from course_lib.case.crosscheck import did_you_mean
        from course_lib.case.records import current_case
        known = current_case().dimensions
        if dimension not in known:
            raise ValueError(f"unknown dimension {dimension!r}{did_you_mean(dimension, known.ids)}: expected one "
                             f"of {', '.join(known.ids) or '(the case has none)'}")
        return known[dimension]
    if not hasattr(dimension, "id") or not hasattr(dimension, "values"):
        raise TypeError(f"expected a dimension (like case.dimensions[...]) or its id, got {type(dimension).__name__}")
    coded = {d for s in statements for d in (getattr(s, "codes", None) or {})}
    if coded and dimension.id not in coded:
        raise ValueError(f"unknown dimension {dimension.id!r}: these statements are coded on "
                         f"{', '.join(sorted(coded))}")
    return dimension


def _speakers(statements, speakers) -> set | None:
    """The speakers to keep (None: all); one that no statement has and the case does not know raises."""
    if speakers is None:
        return None
    wanted = [speakers] if isinstance(speakers, str) else list(speakers)
    from course_lib.case.crosscheck import did_you_mean
    from course_lib.case.records import current_case
    known = list(dict.fromkeys([*current_case().actors.ids, *(s.speaker for s in statements)]))
    for who in wanted:
        if who not in known:
            raise ValueError(f"unknown speaker {who!r}{did_you_mean(who, known)}: expected one of "
                             f"{', '.join(sorted(known))}")
    return set(wanted)


def _code_of(statement, dimension) -> str | None:
    codes = getattr(statement, "codes", None)
    if codes is None:
        raise TypeError(f"expected a coded statement (with .codes), got {type(statement).__name__}")
    return codes.get(dimension.id)


def compare(first, second, dimension, triggers: Iterable[Trigger] = (), *, min_steps: int = 2) -> Comparison:
    """Read two coded statements on one dimension: how many scale steps apart, and whether a trigger
    falls between them (an update) or none does (a contradiction, by the codebook's rule).

    Steps are counted along the dimension's values in scale order (for a nominal scale D, N, E, D to E is 2).
    `dimension` is a dimension record or its id; an unknown id raises a ValueError naming the known ones.
    """
    dimension = _dimension(dimension, (first, second))
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
           min_steps: int = 2, within_days: int | None = None,
           speakers: Iterable[str] | None = None) -> list[Comparison]:
    """Every change of `min_steps` or more between consecutive coded statements of the same speaker
    (or of the same `group(statement)`, e.g. the speaker's government), oldest first. With
    `within_days`, every pair at most that many days apart is compared, so a flip through a middle
    code (E, then N, then D) is found too. `speakers` keeps only those speakers' statements.
    An unknown dimension or speaker raises a ValueError naming it and the known ones."""
    statements = tuple(statements)
    dimension = _dimension(dimension, statements)
    keep = _speakers(statements, speakers)
    triggers = tuple(triggers)
    key = group or (lambda s: s.speaker)
    by_group: dict = {}
    for s in sorted(statements, key=lambda s: (s.date, s.id)):
        if (keep is None or s.speaker in keep) and _code_of(s, dimension) is not None:
            by_group.setdefault(key(s), []).append(s)
    pairs = [(a, b) for run in by_group.values() for i, a in enumerate(run) for b in run[i + 1:]
             if b is run[i + 1] or (within_days is not None and (b.date - a.date).days <= within_days)]
    found = [compare(a, b, dimension, triggers, min_steps=min_steps)
             for a, b in sorted(pairs, key=lambda p: (p[0].date, p[0].id, p[1].date, p[1].id))]
    return [c for c in found if c.reading in ("contradiction", "update", "possible update")]


def stance_series(statements, dimension,
                  speakers: Iterable[str] | None = None) -> dict[str, list[tuple[date, int, str]]]:
    """Each speaker's coded statements on one dimension as (date, position in the scale, statement id),
    only those of `speakers` if given. An unknown dimension or speaker raises a ValueError naming it."""
    statements = tuple(statements)
    dimension = _dimension(dimension, statements)
    keep = _speakers(statements, speakers)
    order = list(dimension.values)
    series: dict[str, list] = {}
    for s in sorted(statements, key=lambda s: (s.date, s.id)):
        code = _code_of(s, dimension)
        if code is not None and (keep is None or s.speaker in keep):
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
