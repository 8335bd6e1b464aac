"""Lesson 03's analysis of competing hypotheses (ACH): the evidence rows, the reference matrix and its scores.

ACH (Heuer, *Psychology of Intelligence Analysis*, 1999, chapter 8) sets every hypothesis beside every
piece of evidence, marks each cell consistent, inconsistent or neutral, and ranks the hypotheses by the
evidence *against* them. Here:

- `rows(case)` are the evidence rows (E1-E10 in the bundled case), case data read from the case's
  lessons.toml (`[[lesson."03".ach_rows]]`), each resting on the case's source cards and carrying a credibility
  class: `on-record` (the words or acts themselves, or an on-record report of them), `reported speech`
  (an on-record account that reaches us only as a reporter's paraphrase) or `anonymous` (unnamed sources).
- One rule for unverified accounts, whichever hypothesis they favour (`unverified_rows`): a row whose every
  card says its wording is UNVERIFIED is flagged in the evidence table, scored at the lowest weight
  whatever its class, and set aside in the "verified rows only" reading. E2 (CNN's unnamed diplomat,
  leaning to H1) and E10 (Reuters' unnamed White House official, leaning to H2) were both checked in
  stored copies, so in the reference case no row is flagged.
- Each row is an exercise of lesson 03 (`row_items(case)`); the reference matrix is read from those items'
  keys, so the lesson, the answer key and these scores can never disagree.
- `scores` counts the inconsistencies per hypothesis, weighted by credibility (`WEIGHTS`) if asked, and
  counts the rows that bear on each hypothesis at all: a hypothesis few rows bear on collects few
  inconsistencies whatever its merits, so a low count is strong only beside many bearing rows.
- `tests(case)` names, for each diagnostic row (the rows' `test`), the hypothesis it tests in Van Evera's
  sense (*Guide to Methods for Students of Political Science*, 1997; Collier, "Understanding Process Tracing", *PS: Political
  Science & Politics* 44(4), 2011); the test's kind is the key of the item `l3-ach-tests`.

Every function takes the case, so a class working on an edited copy of the case gets its own matrix; on a
case without the rows, the tables are one row saying what to add (a placeholder, not a traceback).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from course_lib.analysis import tables
from course_lib.case.records import MissingLessonData

__all__ = ["CATEGORIES", "TEST_ITEM", "WEIGHTS", "Row", "evidence_table", "hypotheses", "matrix_table",
           "readings_table", "reference_matrix", "row_items", "row_weights", "rows", "scores", "scores_table", "tests",
           "unverified_rows"]

CATEGORIES = ("consistent", "inconsistent", "neutral")
LETTER = {"consistent": "C", "inconsistent": "I", "neutral": "N"}
_WORDS = {5: "five", 6: "six"}
WEIGHTS = {"on-record": 1.0, "reported speech": 0.75, "anonymous": 0.5}


@dataclass(frozen=True)
class Row:
    """One evidence row: what it says, the source cards it rests on, how it reaches us, and its exercise."""

    id: str
    item: str
    summary: str
    cards: tuple[str, ...]
    credibility: str
    sourcing: str


LESSON = "03"
TEST_ITEM = "l3-ach-tests"


def rows(case) -> tuple[Row, ...]:
    """The evidence rows of the case's matrix, from its lessons.toml (`[[lesson."03".ach_rows]]`).

    A case without them raises MissingLessonData, whose message says what to add."""
    return tuple(Row(r["id"], r["item"], r["summary"], tuple(r["cards"]), r["credibility"], r["sourcing"])
                 for r in case.lesson_data(LESSON)["ach_rows"])


def row_items(case) -> dict[str, str]:
    """Row id -> the exercise that codes it (empty for a case without rows, whose tables say so)."""
    try:
        return {r.id: r.item for r in rows(case)}
    except MissingLessonData:
        return {}


def tests(case) -> dict[str, tuple[str, str]]:
    """Diagnostic row -> (the hypothesis it tests in Van Evera's sense, the entry of TEST_ITEM naming the test)."""
    return {r["id"]: (r["test"]["hypothesis"], r["test"]["entry"])
            for r in case.lesson_data(LESSON)["ach_rows"] if "test" in r}


def _placeholder(table_function):
    """A table function that, on a case without the lesson's data, returns a one-row table saying what to add."""
    @functools.wraps(table_function)
    def wrapper(case, *args, **kwargs):
        try:
            return table_function(case, *args, **kwargs)
        except MissingLessonData as missing:
            return tables.text_table(["placeholder"], [(f"[Placeholder] {missing}",)],
                                     "This case lacks the matrix's data")
    return wrapper


def _row(case, row_id: str) -> Row:
    for r in rows(case):
        if r.id == row_id:
            return r
    raise KeyError(f"{row_id!r} is not a row of the matrix: use one of {', '.join(row_items(case))}")


def hypotheses(case) -> dict[str, str]:
    """The hypotheses, by id (h1-h4), as every row exercise states them; none for a case without rows
    (the tables then say what to add)."""
    try:
        return {e.id: e.text for e in case.exercises[rows(case)[0].item].entries}
    except MissingLessonData:
        return {}


def reference_matrix(case) -> dict[str, dict[str, str]]:
    """The package's reference reading: row -> hypothesis -> category, read from the row exercises' keys.

    Each call returns a fresh copy, so a student can change a cell without touching the reference. Empty for
    a case without rows (the tables then say what to add)."""
    try:
        return {r.id: {e.id: e.key for e in case.exercises[r.item].entries} for r in rows(case)}
    except MissingLessonData:
        return {}


def _check(case, matrix, hyps) -> None:
    """Refuse a matrix a student edited into a shape the scores cannot read, saying what to fix."""
    for row, cells in matrix.items():
        _row(case, row)
        for h, value in cells.items():
            if h not in hyps:
                raise ValueError(f"{row}: {h!r} is not a hypothesis; use {', '.join(hyps)}")
            if value not in CATEGORIES:
                raise ValueError(f"{row}, {h}: {value!r} is not one of {', '.join(CATEGORIES)}")


def _weights(weights) -> dict[str, float]:
    """`WEIGHTS` with the student's changes; refuse a class or weight the scores cannot use, saying why."""
    w = dict(WEIGHTS)
    for k, v in (weights or {}).items():
        if k not in WEIGHTS:
            raise ValueError(f"{k!r} is not a credibility class; use {', '.join(map(repr, WEIGHTS))}")
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 <= v <= 1:
            raise ValueError(f"the weight of {k!r} must be a number from 0 to 1, not {v!r}")
        w[k] = float(v)
    return w


def row_weights(case, weights=None) -> dict[str, float]:
    """Row -> the weight it is scored at: its credibility class's weight (`WEIGHTS`, or the `weights`
    given), except that a row resting only on unverified cards gets the lowest weight, whatever its class
    and whichever hypothesis it favours."""
    w = _weights(weights)
    unverified = unverified_rows(case)
    return {r.id: min(w.values()) if r.id in unverified else w[r.credibility] for r in rows(case)}


def scores(case, matrix, skip=(), weights=None) -> dict[str, dict[str, float]]:
    """Per hypothesis: `inconsistent` (rows against it), `weighted` (the same, each row counted at its
    weight: `row_weights`, from `WEIGHTS` or the `weights` given) and `bearing` (rows that are not neutral).

    Rows in `skip` are left out. ACH ranks by `inconsistent`, fewest first; read it beside `bearing`."""
    hyps = hypotheses(case)
    _check(case, matrix, hyps)
    w = row_weights(case, weights)
    out = {h: {"inconsistent": 0, "weighted": 0.0, "bearing": 0} for h in hyps}
    for row, cells in matrix.items():
        if row in skip:
            continue
        for h, value in cells.items():
            out[h]["inconsistent"] += value == "inconsistent"
            out[h]["weighted"] += w[row] * (value == "inconsistent")
            out[h]["bearing"] += value != "neutral"
    return out


def unverified_rows(case) -> list[str]:
    """The rows whose every card says its wording is UNVERIFIED (never read in a stored copy).

    One rule, whichever hypothesis the row favours: such a row is flagged in the evidence table, scored at
    the lowest weight (`row_weights`) and set aside in the "verified rows only" reading (`readings_table`)."""
    return [r.id for r in rows(case) if all("UNVERIFIED" in case.sources[c].note for c in r.cards)]


@_placeholder
def evidence_table(case):
    """The evidence rows with their source cards, how each is sourced, and its credibility weight."""
    for r in rows(case):
        missing = [c for c in r.cards if c not in case.sources]
        if missing:
            raise KeyError(f"{r.id} rests on {', '.join(missing)}, which this case has no card for")
    unverified = unverified_rows(case)
    w = row_weights(case)
    return tables.text_table(["row", "evidence", "source cards", "sourcing", "weight"],
                            [(r.id, r.summary, ", ".join(r.cards),
                              r.sourcing + ("; wording UNVERIFIED: not read in a stored copy, so the lowest weight"
                                            if r.id in unverified else ""),
                              w[r.id]) for r in rows(case)],
                            "The evidence rows of the matrix, with each row's credibility weight "
                            "(on the record 1, reported speech 0.75, anonymous 0.5)")


def _tests(case) -> dict[str, str]:
    """Row -> "hoop: H2" etc., from the reference key of the Van Evera item."""
    keys = {e.id: e.key for e in case.exercises[TEST_ITEM].entries}
    return {row: f"{keys[entry].replace('-', ' ')}: {h.upper()}" for row, (h, entry) in tests(case).items()}


@_placeholder
def matrix_table(case, matrix, caption, weights=None):
    """The matrix as a table: C, I or N per cell, each row's weight and Van Evera test, and the scores."""
    hyps = hypotheses(case)
    w = row_weights(case, weights)
    tests = _tests(case)
    table = [(row, _row(case, row).summary, w[row], tests.get(row, ""))
             + tuple(LETTER[cells[h]] for h in hyps) for row, cells in matrix.items()]
    s = scores(case, matrix, weights=weights)
    table += [("", "inconsistent (I), count", "", "") + tuple(s[h]["inconsistent"] for h in hyps),
             ("", "inconsistent, weighted by credibility", "", "") + tuple(round(s[h]["weighted"], 2) for h in hyps),
             ("", "rows that bear (C or I)", "", "") + tuple(s[h]["bearing"] for h in hyps)]
    return tables.text_table(["row", "evidence", "weight", "Van Evera test"] + [h.upper() for h in hyps], table, caption)


@_placeholder
def readings_table(case, matrix=None):
    """The scores under several readings: as coded; the anonymous rows set aside; then the case's own
    readings (lessons.toml `[[lesson."03".readings]]`: each sets some cells neutral, e.g. the rows that favour
    one hypothesis read narrowly, and the same rule applied to the other side). If any row rests only on
    unverified cards (`unverified_rows`), a last reading sets those rows aside, whichever hypothesis they
    favour. `matrix` defaults to the reference."""
    matrix = matrix or reference_matrix(case)
    anonymous = tuple(r.id for r in rows(case) if r.credibility == "anonymous")

    def neutral(cells):
        m = {row: dict(c) for row, c in matrix.items()}
        for row, h in cells:
            m[row][h] = "neutral"
        return m
    readings = [("as coded", matrix, ()),
                (f"anonymous rows ({', '.join(anonymous)}) set aside", matrix, anonymous)]
    readings += [(r["name"], neutral(r["neutral"]), ()) for r in case.lesson_data(LESSON).get("readings", ())]
    unverified = tuple(unverified_rows(case))
    if unverified:
        readings.append((f"verified rows only (unverified {', '.join(unverified)} set aside)", matrix, unverified))
    hyps = hypotheses(case)
    table = []
    for name, m, skip in readings:
        s = scores(case, m, skip=skip)
        table.append((name,) + tuple(f"{s[h]['inconsistent']} ({s[h]['weighted']:g})" for h in hyps))
    return tables.text_table(["reading"] + [h.upper() for h in hyps], table,
                            f"Inconsistencies per hypothesis under {_WORDS.get(len(readings), len(readings))} readings, count (weighted by "
                            "credibility); fewer is better")


@_placeholder
def scores_table(case, matrix, weights=None):
    """One student's matrix scored: inconsistencies, weighted inconsistencies and bearing rows per hypothesis."""
    hyps = hypotheses(case)
    s = scores(case, matrix, weights=weights)
    return tables.text_table(["hypothesis", "inconsistent (I)", "weighted", "rows that bear"],
                            [(h.upper(), s[h]["inconsistent"], round(s[h]["weighted"], 2), s[h]["bearing"]) for h in hyps],
                            "Your matrix, scored: fewer inconsistencies is better, read beside the rows that bear")
