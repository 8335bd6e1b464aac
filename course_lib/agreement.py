"""Agreement between coders, in the manner of `statistics`: how reliably people code the same things.

`percent_agreement`, `chance_agreement`, `cohen_kappa` and `confusion_matrix` for two coders;
`fleiss_kappa` for many coders on nominal codes; `krippendorff_alpha` for any number of coders,
missing values and nominal, ordinal, interval or ratio codes; `landis_koch` and
`krippendorff_reading` put the conventional words on a value (conventions, not laws). Pure functions,
standard library only; bad data raise `AgreementError`, a ValueError saying what was expected.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Iterable, Mapping

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
