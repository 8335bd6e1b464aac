"""Coordination analysis of a case's events: reversals, lags, alignment and how robust they are.

The definitions students meet in lessons 04a and 04b, in one place:

- The *sign* of an event is +1 (cooperative) or -1 (conflictual) when its Goldstein weight lies
  outside the neutral band (``|G| >= neutral``), and 0 (neutral) inside it.
- A *reversal* is a pair of events of one government toward one target, the second at most
  ``window_days`` calendar days after the first, with opposite signs and a jump ``|G1 - G2|`` of at
  least ``min_jump``. Between two different actors it measures coordination; by one actor, with
  ``same_actor=True``, consistency. A *confirmation* is the same test with equal signs and no jump.
- The *lag* of a pair is in hours when both events carry a time and UTC offset, else in days.
  Same-day events without both times have lag 0 days and no known order.
- *Alignment* of two actors compares their mean Goldstein weight window by window (month or ISO
  week), over the windows where both acted: the share of windows whose mean signs agree, the
  closeness ``1 - mean |gap| / 20`` (20 is the width of the scale, so it lies in [0, 1]), and a
  Pearson correlation only when there are at least ``min_windows`` windows.

Everything here is a pure function of the case's `Event` records (course_lib.case.records); Goldstein
weights always come from the case's pinned table. Standard library only.

>>> case = current_case()
>>> [str(p) for p in reversals(events(case, ids=["e31", "e34"]))]
['e31 STATE +4.0 (2018-08-23) -> e34 PRES -4.0 (2018-08-24), lag 1 day']
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Iterable, Mapping, Sequence

from course_lib.case.records import Case, Event, current_case

__all__ = [
    "DEFAULTS", "Alignment", "Defaults", "Finding", "Lag", "Pair", "Sensitivity", "Setting", "Share", "WindowGap",
    "alignment", "alignment_of_means", "as_dicts", "by_actor", "chronological", "confirmations", "event",
    "events", "goldstein", "lag", "recode", "reversal_share", "reversals", "sensitivity", "sign",
    "window_means", "window_of",
]

SCALE_WIDTH = 20.0  # the Goldstein scale runs from -10 to +10


@dataclass(frozen=True)
class Defaults:
    """The analysis settings a lesson starts from, in one place: every function here takes its
    defaults from `DEFAULTS`, and the front end's labs and the memo's example start from it too.

    >>> DEFAULTS.window_days, DEFAULTS.min_jump, DEFAULTS.neutral
    (3, 4.0, 1.0)
    >>> DEFAULTS.reversal_settings()
    {'window_days': 3, 'min_jump': 4.0, 'neutral': 1.0}
    """

    window_days: float = 3            # calendar days from a first event to its follow-up
    min_jump: float = 4.0             # |G1 - G2| a reversal needs at least
    neutral: float = 1.0              # |G| below this is neither cooperative nor conflictual
    period: str = "month"             # the alignment's windows: "month" or "week"
    min_windows: int = 8              # windows both actors need before a correlation is given
    windows: tuple[float, ...] = (1, 3, 7, 14)       # the sensitivity grid
    min_jumps: tuple[float, ...] = (2.0, 4.0, 6.0)
    neutrals: tuple[float, ...] = (0.5, 1.0, 2.0)

    def reversal_settings(self) -> dict:
        """The three settings of the reversal test, as keyword arguments of `reversals`."""
        return {"window_days": self.window_days, "min_jump": self.min_jump, "neutral": self.neutral}


DEFAULTS = Defaults()


# ---- events and weights --------------------------------------------------------------------------

def goldstein(code: str, case: Case | None = None) -> float:
    """The Goldstein weight of a CAMEO code, looked up in the case's pinned table.

    >>> goldstein("160")
    -4.0
    """
    case = case or current_case()
    entry = case.codebook.get(code) if isinstance(code, str) else None
    if entry is None:
        raise ValueError(f"unknown CAMEO code {code!r}: expected a code of the case's pinned "
                         "CAMEO/Goldstein table, written as text with its leading zeros, such as '036' or '160'")
    return entry.goldstein


def _id_list(ids, what: str) -> list[str] | None:
    """`ids` as a list of ids (one id alone is taken as a list of one), or None for "all"."""
    if ids is None:
        return None
    if isinstance(ids, str):
        return [ids]
    try:
        return list(ids)
    except TypeError:
        raise ValueError(f"expected {what} ids as a list of strings, like [\"{what}-id\"], "
                         f"got {type(ids).__name__}") from None


def _check_known(what: str, wanted: Iterable[str] | None, known: Iterable[str]) -> None:
    """Raise a ValueError naming the first id of `wanted` that is not `known`, and the known ones:
    an unknown actor or target never gives an empty result that looks like a finding."""
    from course_lib.case.crosscheck import did_you_mean
    known = list(dict.fromkeys(known))
    for value in wanted or ():
        if value not in known:
            raise ValueError(f"unknown {what} {value!r}{did_you_mean(value, known)}: expected one of "
                             f"{', '.join(map(str, sorted(known))) or '(none in these events)'}")


def _known_actors(evts: Sequence[Event], case: Case | None = None) -> list[str]:
    """The actor ids an analysis call may name: the case's actors and any actor of the events given."""
    return [*(case or current_case()).actors.ids, *(e.actor for e in evts)]


def _known_targets(evts: Sequence[Event], case: Case | None = None) -> list[str]:
    """The target ids an analysis call may name: the case's governments, actors and events' targets."""
    case = case or current_case()
    return [*case.governments.ids, *case.actors.ids, *(e.target for e in case.events), *(e.target for e in evts)]


def events(case: Case | None = None, *, actors: Iterable[str] | None = None,
           targets: Iterable[str] | None = None, ids: Iterable[str] | None = None) -> tuple[Event, ...]:
    """The case's events, in time order, optionally only those of some actors, targets or ids.

    An actor, target or event id the case does not have raises a ValueError naming it and the known ones.
    """
    case = case or current_case()
    ids, actors, targets = _id_list(ids, "event"), _id_list(actors, "actor"), _id_list(targets, "target")
    keep_ids = None if ids is None else set(ids)
    if keep_ids is not None:
        unknown = sorted(keep_ids - set(case.events.ids))
        if unknown:
            raise ValueError(f"unknown event id {unknown[0]!r}: expected ids of the case's events, "
                             f"like {case.events.ids[0]!r}")
    _check_known("actor", actors, case.actors.ids)
    _check_known("target", targets, _known_targets((), case))
    keep_actors = None if actors is None else set(actors)
    keep_targets = None if targets is None else set(targets)
    chosen = [e for e in case.events
              if (keep_ids is None or e.id in keep_ids)
              and (keep_actors is None or e.actor in keep_actors)
              and (keep_targets is None or e.target in keep_targets)]
    return chronological(chosen)


def as_dicts(evts: Iterable[Event]) -> list[dict]:
    """The events as plain dicts (id, date, time, utc_offset, actor, government, target, goldstein):
    the shape the functions students write in lesson 04b take.

    >>> as_dicts(events(ids=["e31"]))[0]["goldstein"]
    4.0
    """
    return [{"id": e.id, "date": e.date, "time": e.time, "utc_offset": e.utc_offset, "actor": e.actor,
             "government": e.government, "target": e.target, "goldstein": e.goldstein} for e in evts]


def event(id: str, when: date | str, actor: str, target: str, cameo: str, *, time: str = "",
          utc_offset: str = "", alternatives: Sequence[str] = (), summary: str = "",
          case: Case | None = None) -> Event:
    """A new event record (a hypothetical one, or one of another episode): the actor's government
    and the Goldstein weight are looked up in the case, never typed by hand."""
    case = case or current_case()
    if actor not in case.actors:
        raise ValueError(f"unknown actor {actor!r}: expected one of {', '.join(case.actors.ids)}")
    try:
        when = date.fromisoformat(when) if isinstance(when, str) else when
    except ValueError:
        when = None
    if not isinstance(when, date):
        raise ValueError("expected the date as a datetime.date or an ISO string like 'YYYY-MM-DD', "
                         f"got {when!r}" if when is not None else "expected an ISO date like 'YYYY-MM-DD'")
    for code in alternatives:
        goldstein(code, case)
    return Event(id, when, time, utc_offset, actor, case.actors[actor].government, target, cameo,
                 goldstein(cameo, case), tuple(alternatives), "", "action", summary, "", "")


def recode(evts: Iterable[Event], codes: Mapping[str, str], case: Case | None = None) -> tuple[Event, ...]:
    """The events with some codes replaced (event id -> CAMEO code) and their weights looked up again."""
    case = case or current_case()
    evts = tuple(evts)
    unknown = sorted(set(codes) - {e.id for e in evts})
    if unknown:
        raise ValueError(f"cannot recode {unknown[0]!r}: expected the id of one of the events given")
    return tuple(replace(e, cameo=codes[e.id], goldstein=goldstein(codes[e.id], case))
                 if e.id in codes else e for e in evts)


def chronological(evts: Iterable[Event]) -> tuple[Event, ...]:
    """The events sorted by date, then by their order within the day (events.csv `order`), then by id: a
    fixed order for same-day events whatever the input."""
    return tuple(sorted(evts, key=lambda e: (e.date, getattr(e, "order", 0), e.id)))


def by_actor(evts: Iterable[Event], actors: Iterable[str] | None = None) -> dict[str, tuple[Event, ...]]:
    """Each actor's events in time order: the lanes of a per-actor timeline. An actor that is neither
    the case's nor in the events raises a ValueError naming it."""
    evts = chronological(evts)
    actors = _id_list(actors, "actor")
    _check_known("actor", actors, _known_actors(evts))
    names = actors if actors is not None else list(dict.fromkeys(e.actor for e in evts))
    return {a: tuple(e for e in evts if e.actor == a) for a in names}


def sign(weight: float, neutral: float = DEFAULTS.neutral) -> int:
    """+1 for a cooperative weight, -1 for a conflictual one, 0 inside the neutral band.

    >>> sign(4.0), sign(0.4), sign(-1.0), sign(-0.99)
    (1, 0, -1, 0)
    """
    return 0 if abs(weight) < neutral else (1 if weight > 0 else -1)


def _weight(e: Event) -> float:
    g = e.goldstein
    if not isinstance(g, (int, float)) or math.isnan(g):
        raise ValueError(f"event {e.id!r} has no Goldstein weight: expected a CAMEO code of the "
                         f"pinned table, got {e.cameo!r}")
    return float(g)


# ---- lags ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Lag:
    """How long after the first event the second came: in hours where both times are known."""

    value: float
    unit: str  # "days" or "hours"
    in_day_order: bool = False  # same day, ordered by events.csv's `order` column (no times)

    @property
    def days(self) -> float:
        return self.value / 24 if self.unit == "hours" else self.value

    @property
    def order_known(self) -> bool:
        """False for two events of the same day whose times are not both known and whose order within
        the day the case does not give."""
        return not (self.unit == "days" and self.value == 0) or self.in_day_order

    def __str__(self) -> str:
        value = f"{self.value:g}"
        unit = self.unit[:-1] if abs(self.value) == 1 else self.unit
        note = " (same day, order not known)" if not self.order_known else (
            " (same day, in the case's order)" if self.in_day_order else
            " (simultaneous)" if self.value == 0 else "")
        return f"{value} {unit}{note}"


def _moment(e: Event) -> datetime | None:
    if not (e.time and e.utc_offset):
        return None
    return datetime.fromisoformat(f"{e.date.isoformat()}T{e.time}{e.utc_offset}")


def lag(first: Event, second: Event) -> Lag:
    """The lag from first to second: hours when both carry a time and offset, else calendar days.

    >>> case = current_case()
    >>> str(lag(case.events["e12"], case.events["e13"]))  # 00:01 in Washington, 12:01 in Beijing
    '0 hours (simultaneous)'
    """
    a, b = _moment(first), _moment(second)
    if a is not None and b is not None:
        return Lag(round((b - a) / timedelta(hours=1), 2), "hours")
    days = (second.date - first.date).days
    ordered = days == 0 and 0 < getattr(first, "order", 0) < getattr(second, "order", 0)
    return Lag(days, "days", ordered)


# ---- reversals and confirmations -----------------------------------------------------------------

@dataclass(frozen=True)
class Pair:
    """Two events of one government toward one target, in time order, with their lag."""

    first: Event
    second: Event
    lag: Lag

    @property
    def key(self) -> tuple[str, str]:
        return (self.first.id, self.second.id)

    @property
    def jump(self) -> float:
        return abs(self.first.goldstein - self.second.goldstein)

    @property
    def same_actor(self) -> bool:
        return self.first.actor == self.second.actor

    def __str__(self) -> str:
        def one(e):
            return f"{e.id} {e.actor} {e.goldstein:+.1f} ({e.date.isoformat()})"
        return f"{one(self.first)} -> {one(self.second)}, lag {self.lag}"


def _check_settings(window_days, min_jump, neutral) -> None:
    for name, value in (("window_days", window_days), ("min_jump", min_jump), ("neutral", neutral)):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
            raise ValueError(f"{name} must be a number of zero or more, got {value!r}")


def _pairs(evts, window_days, same_actor):
    """Candidate pairs: one government, one target, the actor rule, at most window_days apart."""
    ordered = chronological(evts)
    for e in ordered:
        _weight(e)
    for i, a in enumerate(ordered):
        for b in ordered[i + 1:]:
            if (b.date - a.date).days > window_days:
                break
            if a.government != b.government or a.target != b.target:
                continue
            if (a.actor == b.actor) != same_actor:
                continue
            step = lag(a, b)
            yield Pair(b, a, lag(b, a)) if step.value < 0 else Pair(a, b, step)


def _reverses(g1: float, g2: float, min_jump: float, neutral: float) -> bool:
    return sign(g1, neutral) * sign(g2, neutral) == -1 and abs(g1 - g2) >= min_jump


def _only(evts: Iterable[Event], actors, targets) -> tuple[Event, ...]:
    """The events of these actors toward these targets (None: all); an unknown id raises a ValueError."""
    evts = tuple(evts)
    actors, targets = _id_list(actors, "actor"), _id_list(targets, "target")
    if actors is None and targets is None:
        return evts
    _check_known("actor", actors, _known_actors(evts))
    _check_known("target", targets, _known_targets(evts))
    return tuple(e for e in evts if (actors is None or e.actor in actors) and (targets is None or e.target in targets))


def reversals(evts: Iterable[Event], window_days: float = DEFAULTS.window_days, min_jump: float = DEFAULTS.min_jump,
              neutral: float = DEFAULTS.neutral,
              same_actor: bool = False, *, actors: Iterable[str] | None = None,
              targets: Iterable[str] | None = None) -> tuple[Pair, ...]:
    """Every reversal among the events (see the module's definitions), earliest first.

    same_actor=False pairs different actors of one government (coordination); True pairs an actor
    with itself (consistency). `actors` and `targets` keep only those events; an id that is neither
    the case's nor in the events raises a ValueError naming it.
    """
    _check_settings(window_days, min_jump, neutral)
    evts = _only(evts, actors, targets)
    return tuple(p for p in _pairs(evts, window_days, same_actor)
                 if _reverses(p.first.goldstein, p.second.goldstein, min_jump, neutral))


def confirmations(evts: Iterable[Event], window_days: float = DEFAULTS.window_days, neutral: float = DEFAULTS.neutral,
                  same_actor: bool = False, *, actors: Iterable[str] | None = None,
                  targets: Iterable[str] | None = None) -> tuple[Pair, ...]:
    """Every confirmation: a follow-up with the same non-neutral sign within the window (`actors` and
    `targets` as in `reversals`)."""
    _check_settings(window_days, 0, neutral)
    evts = _only(evts, actors, targets)
    return tuple(p for p in _pairs(evts, window_days, same_actor)
                 if sign(p.first.goldstein, neutral) == sign(p.second.goldstein, neutral) != 0)


@dataclass(frozen=True)
class Share:
    """Reversals against confirmations: a denominator under "it happened once"."""

    reversals: int
    confirmations: int

    @property
    def share(self) -> float | None:
        total = self.reversals + self.confirmations
        return self.reversals / total if total else None

    def __str__(self) -> str:
        s = "no pairs" if self.share is None else f"{self.share:.2f}"
        return f"{self.reversals} reversals, {self.confirmations} confirmations: share {s}"


def reversal_share(evts: Iterable[Event], window_days: float = DEFAULTS.window_days,
                   min_jump: float = DEFAULTS.min_jump, neutral: float = DEFAULTS.neutral,
                   same_actor: bool = False, *, actors: Iterable[str] | None = None,
                   targets: Iterable[str] | None = None) -> Share:
    """How many follow-ups reverse rather than confirm: reversals / (reversals + confirmations)
    (`actors` and `targets` as in `reversals`)."""
    evts = _only(evts, actors, targets)
    return Share(len(reversals(evts, window_days, min_jump, neutral, same_actor)),
                 len(confirmations(evts, window_days, neutral, same_actor)))


# ---- alignment -----------------------------------------------------------------------------------

def window_of(day: date, period: str = DEFAULTS.period) -> str:
    """The window a date falls in: '2018-08' by month, '2018-W34' by ISO week.

    >>> window_of(date(2018, 8, 24)), window_of(date(2018, 8, 24), "week")
    ('2018-08', '2018-W34')
    """
    if period == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if period == "week":
        year, week, _ = day.isocalendar()
        return f"{year:04d}-W{week:02d}"
    raise ValueError(f"period must be 'month' or 'week', got {period!r}")


def window_means(evts: Iterable[Event], actor: str, target: str | None = None,
                 period: str = DEFAULTS.period) -> dict[str, float]:
    """The actor's mean Goldstein weight in each window where it acted (toward target, if given).
    An actor or target that is neither the case's nor in the events raises a ValueError naming it."""
    evts = chronological(evts)
    _check_known("actor", [actor], _known_actors(evts))
    _check_known("target", None if target is None else [target], _known_targets(evts))
    groups: dict[str, list[float]] = {}
    for e in evts:
        if e.actor == actor and (target is None or e.target == target):
            groups.setdefault(window_of(e.date, period), []).append(_weight(e))
    return {w: sum(gs) / len(gs) for w, gs in sorted(groups.items())}


@dataclass(frozen=True)
class WindowGap:
    window: str
    mean_a: float
    mean_b: float

    @property
    def gap(self) -> float:
        return abs(self.mean_a - self.mean_b)


@dataclass(frozen=True)
class Alignment:
    """How closely two series of window means move together, over the windows both share."""

    windows: tuple[WindowGap, ...]
    sign_agreement: float | None   # share of windows whose mean signs agree (neutral = neutral)
    closeness: float | None        # 1 - mean |gap| / 20, in [0, 1]
    correlation: float | None      # Pearson r of the means, only with at least min_windows windows
    min_windows: int

    def __str__(self) -> str:
        if not self.windows:
            return "no shared windows: alignment is undefined"
        r = (f"{self.correlation:.2f}" if self.correlation is not None else
             f"not computed (fewer than {self.min_windows} windows)")
        return (f"{len(self.windows)} shared windows: sign agreement {self.sign_agreement:.2f}, "
                f"closeness {self.closeness:.3f}, correlation {r}")


def _pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    return sxy / math.sqrt(sxx * syy) if sxx and syy else None


def alignment_of_means(means_a: Mapping[str, float], means_b: Mapping[str, float],
                       neutral: float = DEFAULTS.neutral, min_windows: int = DEFAULTS.min_windows) -> Alignment:
    """Alignment of two mappings window -> mean weight, over the windows both contain.

    >>> a = alignment_of_means({"2018-07": 0.4, "2018-08": 0.0}, {"2018-07": 1.15, "2018-08": 4.0})
    >>> a.sign_agreement, a.closeness
    (0.0, 0.88125)
    """
    _check_settings(0, 0, neutral)
    shared = sorted(set(means_a) & set(means_b))
    gaps = tuple(WindowGap(w, float(means_a[w]), float(means_b[w])) for w in shared)
    if not gaps:
        return Alignment((), None, None, None, min_windows)
    agree = sum(sign(g.mean_a, neutral) == sign(g.mean_b, neutral) for g in gaps) / len(gaps)
    closeness = 1 - sum(g.gap for g in gaps) / len(gaps) / SCALE_WIDTH
    r = _pearson([g.mean_a for g in gaps], [g.mean_b for g in gaps]) if len(gaps) >= min_windows else None
    return Alignment(gaps, agree, round(closeness, 10), r, min_windows)


def alignment(evts: Iterable[Event], actor_a: str, actor_b: str, target: str | None = None,
              period: str = DEFAULTS.period, neutral: float = DEFAULTS.neutral,
              min_windows: int = DEFAULTS.min_windows) -> Alignment:
    """Alignment of two actors' window means toward a target (see the module's definitions)."""
    evts = tuple(evts)
    return alignment_of_means(window_means(evts, actor_a, target, period),
                              window_means(evts, actor_b, target, period), neutral, min_windows)


# ---- sensitivity ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Setting:
    window_days: float
    min_jump: float
    neutral: float


@dataclass(frozen=True)
class Finding:
    """One reversal found with the reference codes at one setting at least, and where it holds."""

    first: Event
    second: Event
    found_in: tuple[Setting, ...]            # settings where the reference codes give the reversal
    robust_to_codes_in: tuple[Setting, ...]  # settings where every accepted code of both events does
    settings: int                            # how many settings the grid has

    @property
    def key(self) -> tuple[str, str]:
        return (self.first.id, self.second.id)

    @property
    def windows(self) -> tuple[float, ...]:
        return tuple(sorted({s.window_days for s in self.found_in}))

    @property
    def survives_every_setting(self) -> bool:
        """Found in every setting of the grid, with every accepted code of both events."""
        return len(self.robust_to_codes_in) == self.settings


@dataclass(frozen=True)
class Sensitivity:
    """Which reversals hold across a grid of windows, minimum jumps, neutral bands and codings."""

    settings: tuple[Setting, ...]
    findings: tuple[Finding, ...]
    same_actor: bool

    def robust(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.survives_every_setting)

    def __getitem__(self, key: tuple[str, str]) -> Finding:
        for f in self.findings:
            if f.key == tuple(key):
                return f
        raise KeyError(f"no finding {tuple(key)!r}: expected a pair of event ids found at one setting at least")


def _codes(e: Event, case: Case) -> tuple[float, ...]:
    return (e.goldstein,) + tuple(goldstein(c, case) for c in e.alternatives)


def sensitivity(evts: Iterable[Event], windows: Sequence[float] = DEFAULTS.windows,
                min_jumps: Sequence[float] = DEFAULTS.min_jumps, neutrals: Sequence[float] = DEFAULTS.neutrals,
                same_actor: bool = False, case: Case | None = None) -> Sensitivity:
    """Run the reversal test over every combination of the settings, and for each reversal found,
    also over every accepted alternative code of its two events: which findings survive them all?"""
    case = case or current_case()
    grid = tuple(Setting(w, j, n) for w, j, n in itertools.product(windows, min_jumps, neutrals))
    if not grid:
        raise ValueError("expected at least one window, one minimum jump and one neutral band")
    for s in grid:
        _check_settings(s.window_days, s.min_jump, s.neutral)
    findings = []
    for pair in _pairs(tuple(evts), max(s.window_days for s in grid), same_actor):
        days = abs((pair.second.date - pair.first.date).days)
        within = [s for s in grid if days <= s.window_days]
        found = tuple(s for s in within if _reverses(pair.first.goldstein, pair.second.goldstein,
                                                     s.min_jump, s.neutral))
        if not found:
            continue
        combos = list(itertools.product(_codes(pair.first, case), _codes(pair.second, case)))
        robust = tuple(s for s in within if all(_reverses(g1, g2, s.min_jump, s.neutral) for g1, g2 in combos))
        findings.append(Finding(pair.first, pair.second, found, robust, len(grid)))
    return Sensitivity(grid, tuple(findings), same_actor)
