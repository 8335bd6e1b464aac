"""Lesson 03's analysis of competing hypotheses (ACH): the evidence rows, the reference matrix and its scores.

ACH (Heuer, *Psychology of Intelligence Analysis*, 1999, chapter 8) sets every hypothesis beside every
piece of evidence, marks each cell consistent, inconsistent or neutral, and ranks the hypotheses by the
evidence *against* them. Here:

- `ROWS` are the evidence rows E1-E10, each resting on the case's source cards and carrying a credibility
  class: `on-record` (the words or acts themselves, or an on-record report of them), `reported speech`
  (an on-record account that reaches us only as a reporter's paraphrase) or `anonymous` (unnamed sources).
- One rule for unverified accounts, whichever hypothesis they favour (`unverified_rows`): a row whose every
  card says its wording is UNVERIFIED is flagged in the evidence table, scored at the lowest weight
  whatever its class, and set aside in the "verified rows only" reading. E2 (CNN's unnamed diplomat,
  leaning to H1) and E10 (Reuters' unnamed White House official, leaning to H2) were both checked in
  stored copies, so in the reference case no row is flagged.
- Each row is an exercise of lesson 03 (`ROW_ITEMS`); the reference matrix is read from those items'
  keys, so the lesson, the answer key and these scores can never disagree.
- `scores` counts the inconsistencies per hypothesis, weighted by credibility (`WEIGHTS`) if asked, and
  counts the rows that bear on each hypothesis at all: a hypothesis few rows bear on collects few
  inconsistencies whatever its merits, so a low count is strong only beside many bearing rows.
- `TESTS` names, for each diagnostic row, the hypothesis it tests in Van Evera's sense (*Guide to Methods
  for Students of Political Science*, 1997; Collier, "Understanding Process Tracing", *PS: Political
  Science & Politics* 44(4), 2011); the test's kind is the key of the item `l3-ach-tests`.

Every function takes the case, so a class working on an edited copy of the case gets its own matrix.
"""

from __future__ import annotations

from dataclasses import dataclass

from course_lib.analysis import tables

__all__ = ["CATEGORIES", "ROWS", "ROW_ITEMS", "TESTS", "TEST_ITEM", "WEIGHTS", "Row", "evidence_table", "hypotheses",
           "matrix_table", "readings_table", "reference_matrix", "row_weights", "scores", "scores_table",
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


ROWS = (
    Row("E1", "l3-ach-room", "Pompeo was in the room when the tweet was sent",
        ("cnn-report-2018-08-24", "businessinsider-report-2018-08-28"), "reported speech",
        "the White House's account, on the record, reaching us as CNN's and Business Insider's paraphrase"),
    Row("E2", "l3-ach-embassies", "State officials were briefing allies' embassies minutes before",
        ("cnn-report-2018-08-24",), "anonymous", "one unnamed diplomatic source, via CNN"),
    Row("E3", "l3-ach-letter", "Kim Yong Chol's letter that morning prompted a joint decision",
        ("wapo-rogin-2018-08-27",), "anonymous", "two unnamed officials, via a column"),
    Row("E4", "l3-ach-trade", "The tweets tie the trip's timing to the trade dispute with China",
        ("trump-tweet-2018-08-24b", "trump-tweet-2018-08-24c"), "on-record", "the tweets themselves"),
    Row("E5", "l3-ach-reversal", "The trip was called off one day after it was announced",
        ("pompeo-remarks-2018-08-23", "trump-tweet-2018-08-24a"), "on-record", "the remarks and the tweet themselves"),
    Row("E6", "l3-ach-october", "Pompeo met Kim in Pyongyang on 7 October, trade still unresolved",
        ("state-readout-2018-10-07", "ustr-tariffs-2018-09-24"), "on-record",
        "State Department readout; the tariff statement"),
    Row("E7", "l3-ach-may", "An earlier cancel-then-resume: the summit off on 24 May, on again by 1 June",
        ("trump-letter-2018-05-24", "trump-remarks-2018-06-01"), "on-record", "the letter and the remarks themselves"),
    Row("E8", "l3-ach-2017", "The 2017 precedent: talks called a waste of the Secretary's time",
        ("trump-tweet-2017-10-01",), "on-record", "the tweet itself"),
    Row("E9", "l3-ach-gap", "July: North Korea faults the demands at Pompeo's talks while Trump praises Kim",
        ("dprk-fm-statement-2018-07-07", "trump-tweet-2018-07-09", "trump-tweet-2018-07-12"), "on-record",
        "North Korea's statement (via Reuters) and the tweets themselves"),
    Row("E10", "l3-ach-meeting", "Trump asked Pompeo not to go at a White House meeting on Friday afternoon",
        ("reuters-report-2018-08-24",), "anonymous", "one unnamed senior White House official, via Reuters"),
)
ROW_ITEMS = {r.id: r.item for r in ROWS}
TEST_ITEM = "l3-ach-tests"
# the hypothesis each diagnostic row tests in Van Evera's sense; the entry of TEST_ITEM that names the test
TESTS = {"E1": ("h1", "e1"), "E2": ("h2", "e2"), "E3": ("h4", "e3"), "E6": ("h3", "e6"), "E10": ("h1", "e10")}


def _row(row_id: str) -> Row:
    for r in ROWS:
        if r.id == row_id:
            return r
    raise KeyError(f"{row_id!r} is not a row of the matrix: use one of {', '.join(ROW_ITEMS)}")


def hypotheses(case) -> dict[str, str]:
    """The four hypotheses, by id (h1-h4), as every row exercise states them."""
    return {e.id: e.text for e in case.exercises[ROWS[0].item].entries}


def reference_matrix(case) -> dict[str, dict[str, str]]:
    """The package's reference reading: row -> hypothesis -> category, read from the row exercises' keys.

    Each call returns a fresh copy, so a student can change a cell without touching the reference."""
    return {r.id: {e.id: e.key for e in case.exercises[r.item].entries} for r in ROWS}


def _check(matrix, hyps) -> None:
    """Refuse a matrix a student edited into a shape the scores cannot read, saying what to fix."""
    for row, cells in matrix.items():
        _row(row)
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
    return {r.id: min(w.values()) if r.id in unverified else w[r.credibility] for r in ROWS}


def scores(case, matrix, skip=(), weights=None) -> dict[str, dict[str, float]]:
    """Per hypothesis: `inconsistent` (rows against it), `weighted` (the same, each row counted at its
    weight: `row_weights`, from `WEIGHTS` or the `weights` given) and `bearing` (rows that are not neutral).

    Rows in `skip` are left out. ACH ranks by `inconsistent`, fewest first; read it beside `bearing`."""
    hyps = hypotheses(case)
    _check(matrix, hyps)
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
    return [r.id for r in ROWS if all("UNVERIFIED" in case.sources[c].note for c in r.cards)]


def evidence_table(case):
    """The evidence rows with their source cards, how each is sourced, and its credibility weight."""
    for r in ROWS:
        missing = [c for c in r.cards if c not in case.sources]
        if missing:
            raise KeyError(f"{r.id} rests on {', '.join(missing)}, which this case has no card for")
    unverified = unverified_rows(case)
    w = row_weights(case)
    return tables.text_table(["row", "evidence", "source cards", "sourcing", "weight"],
                            [(r.id, r.summary, ", ".join(r.cards),
                              r.sourcing + ("; wording UNVERIFIED: not read in a stored copy, so the lowest weight"
                                            if r.id in unverified else ""),
                              w[r.id]) for r in ROWS],
                            "The evidence rows of the matrix, with each row's credibility weight "
                            "(on the record 1, reported speech 0.75, anonymous 0.5)")


def _tests(case) -> dict[str, str]:
    """Row -> "hoop: H2" etc., from the reference key of the Van Evera item."""
    keys = {e.id: e.key for e in case.exercises[TEST_ITEM].entries}
    return {row: f"{keys[entry].replace('-', ' ')}: {h.upper()}" for row, (h, entry) in TESTS.items()}


def matrix_table(case, matrix, caption, weights=None):
    """The matrix as a table: C, I or N per cell, each row's weight and Van Evera test, and the scores."""
    hyps = hypotheses(case)
    w = row_weights(case, weights)
    tests = _tests(case)
    rows = [(row, _row(row).summary, w[row], tests.get(row, ""))
            + tuple(LETTER[cells[h]] for h in hyps) for row, cells in matrix.items()]
    s = scores(case, matrix, weights=weights)
    rows += [("", "inconsistent (I), count", "", "") + tuple(s[h]["inconsistent"] for h in hyps),
             ("", "inconsistent, weighted by credibility", "", "") + tuple(round(s[h]["weighted"], 2) for h in hyps),
             ("", "rows that bear (C or I)", "", "") + tuple(s[h]["bearing"] for h in hyps)]
    return tables.text_table(["row", "evidence", "weight", "Van Evera test"] + [h.upper() for h in hyps], rows, caption)


def readings_table(case, matrix=None):
    """The scores under five readings: as coded; the anonymous rows set aside; E1 and E10 read as about
    presence only (neutral for H1); E2 read as about the messaging only (neutral for H2), the same rule
    applied to the other side; and all three. If any row rests only on unverified cards (`unverified_rows`),
    a sixth reading sets those rows aside, whichever hypothesis they favour. `matrix` defaults to the
    reference."""
    matrix = matrix or reference_matrix(case)
    anonymous = tuple(r.id for r in ROWS if r.credibility == "anonymous")

    def messaging_only(cells):
        m = {row: dict(c) for row, c in matrix.items()}
        for row, h in cells:
            m[row][h] = "neutral"
        return m
    readings = [("as coded", matrix, ()),
                (f"anonymous rows ({', '.join(anonymous)}) set aside", matrix, anonymous),
                ("E1 and E10 read as about presence only (H1 neutral)", messaging_only([("E1", "h1"), ("E10", "h1")]), ()),
                ("E2 read as about the messaging only (H2 neutral)", messaging_only([("E2", "h2")]), ()),
                ("E1, E10 and E2 all read so", messaging_only([("E1", "h1"), ("E10", "h1"), ("E2", "h2")]), ())]
    unverified = tuple(unverified_rows(case))
    if unverified:
        readings.append((f"verified rows only (unverified {', '.join(unverified)} set aside)", matrix, unverified))
    hyps = hypotheses(case)
    rows = []
    for name, m, skip in readings:
        s = scores(case, m, skip=skip)
        rows.append((name,) + tuple(f"{s[h]['inconsistent']} ({s[h]['weighted']:g})" for h in hyps))
    return tables.text_table(["reading"] + [h.upper() for h in hyps], rows,
                            f"Inconsistencies per hypothesis under {_WORDS.get(len(readings), len(readings))} readings, count (weighted by "
                            "credibility); fewer is better")


def scores_table(case, matrix, weights=None):
    """One student's matrix scored: inconsistencies, weighted inconsistencies and bearing rows per hypothesis."""
    hyps = hypotheses(case)
    s = scores(case, matrix, weights=weights)
    return tables.text_table(["hypothesis", "inconsistent (I)", "weighted", "rows that bear"],
                            [(h.upper(), s[h]["inconsistent"], round(s[h]["weighted"], 2), s[h]["bearing"]) for h in hyps],
                            "Your matrix, scored: fewer inconsistencies is better, read beside the rows that bear")
