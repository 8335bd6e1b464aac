"""The second case, syria-2013 (issue #19): it loads, its files keep their own rules, and the
package's reversal detectors give on it what the research file expects.

Every expected pair below is typed from shared/research/second-case.md (section 6: 6a the substantive
reversals, 6b the mixed signals, 6c the expected false positives, 6d the detector output under the
reference codes and its sensitivity, 6e what a window-limited detector must not find), with the
research file's ids lower-cased as the case does (EV08 -> ev08, ST11 -> st11). None of it is copied
from the library's output. The rules the research file applied: the Goldstein rule pairs events of one
government toward one target at most N days apart, with opposite signs outside the neutral band
|G| < 1 and a jump of at least 4 ("coordination" = different actors, "consistency" = the same actor);
the stance rule flags a move of 2 or more steps on D1 or D3, or D <-> E on D2, within W days, within
one government. Those are the package's defaults (coordination.DEFAULTS; consistency.shifts with
min_steps=2).

The case uses the issue-19 format additions (verdict "unverified", quote status "not-found",
[vocabulary], [[target]], the attribution and order columns, triggers.csv); the first test checks that
the loader reads them as written.
"""

import csv
import tomllib
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from course_lib import consistency as cs
from course_lib import coordination as co
from course_lib import load_case

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "course_lib" / "cases" / "syria-2013"
WINDOWS = (1, 3, 7, 14)


def rows(name):
    with open(FOLDER / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


META = tomllib.loads((FOLDER / "case.toml").read_text(encoding="utf-8"))
GOV = {a["id"]: a["government"] for a in META["actor"]}
WEIGHT = {r["code"]: float(r["goldstein"]) for r in rows("cameo-goldstein.csv")}
EVENT_ROWS = {r["id"]: r for r in rows("events.csv")}
STATEMENT_ROWS = {r["id"]: r for r in rows("statements.csv")}
CARDS = {r["id"]: r for r in rows("sources.csv")}

CASE = load_case(FOLDER)
EVENTS = co.events(CASE)
STATEMENTS = tuple(CASE.statements)
DIMS = {d.id: d for d in CASE.dimensions}
BY_ID = {e.id: e for e in EVENTS}


def recode(codes):
    """The events with some reference codes replaced by accepted alternatives, weights looked up again."""
    for eid, code in codes.items():
        assert code in BY_ID[eid].alternatives, f"{code} is not an accepted alternative of {eid}"
    return tuple(replace(e, cameo=codes[e.id], goldstein=WEIGHT[codes[e.id]]) if e.id in codes else e
                 for e in EVENTS)


def found(window, same_actor, evts=None):
    return {p.key: p for p in co.reversals(EVENTS if evts is None else evts, window_days=window,
                                           same_actor=same_actor)}


# ---- the case loads, with the issue-19 additions read as written ---------------------------------

def test_the_case_loads_with_no_problems_and_no_warnings():
    assert (len(CASE.events), len(CASE.statements), len(CASE.claims), len(CASE.quotes)) == (35, 18, 15, 10)
    assert len(CASE.party_claims) == 4 and CASE.warnings == ()
    assert {c.id for c in CASE.claims if c.verdict == "unverified"} == {"c3", "c5"}
    assert {q.id: q.status for q in CASE.quotes if q.status != "verbatim"} == {"q2": "not-found", "q3": "not-found"}
    assert [e.id for e in CASE.events if e.attribution] == ["ev02"]
    assert {t.id: t.kind for t in CASE.targets} == {"SYR-OPP": "non-state", "MEDIA": "non-state"}
    assert "speech" in CASE.channels and "tweet" not in CASE.channels and "reference-work" in CASE.source_kinds
    assert [t.id for t in CASE.triggers] == [f"t{i:02d}" for i in range(1, 10)]


def test_same_day_events_run_in_their_order():
    for day in {e.date for e in EVENTS}:
        same = [e for e in EVENTS if e.date == day]
        if len(same) > 1:
            assert [e.order for e in same] == list(range(1, len(same) + 1)), day
    assert [e.id for e in EVENTS if e.date == date(2013, 9, 10)] == ["ev22", "ev23", "ev24", "ev25", "ev27", "ev26"]


# ---- the files keep their own rules (whatever the loader) ------------------------------------------

def test_ids_follow_the_research_file_lower_cased():
    assert list(EVENT_ROWS) == [f"ev{i:02d}" for i in range(1, 36)]
    assert list(STATEMENT_ROWS) == [f"st{i:02d}" for i in range(1, 19)]
    claims = tomllib.loads((FOLDER / "claims.toml").read_text(encoding="utf-8"))
    assert [c["id"] for c in claims["claim"] if "sentence" in c] == [f"c{i}" for i in range(1, 16)]
    assert {f"s{i:02d}" for i in range(1, 26)} <= set(CARDS)


def norm(text):
    return " ".join(text.split())


def words(quoted):
    """Quoted words as the package matches them: without the closing punctuation a writer puts inside."""
    return norm(quoted).rstrip(".,;:!?")


def test_every_event_quote_and_statement_is_in_its_card_word_for_word():
    for r in list(EVENT_ROWS.values()):
        if r["quote"]:
            assert words(r["quote"]) in norm(CARDS[r["source"]]["excerpt"]), r["id"]
    for r in STATEMENT_ROWS.values():
        assert words(r["text"]) in norm(CARDS[r["source"]]["excerpt"]), r["id"]


def test_quotes_not_found_are_not_in_their_card_and_their_claim_is_unverified():
    doc = tomllib.loads((FOLDER / "claims.toml").read_text(encoding="utf-8"))
    missing = [q for q in doc["quote"] if q.get("status") == "not-found"]
    assert [q["id"] for q in missing] == ["q2", "q3"]
    for q in missing:
        assert norm(q["text"]).casefold() not in norm(CARDS[q["source"]]["excerpt"]).casefold()
        assert "UNVERIFIED" in q["note"] and "UNVERIFIED" in CARDS[q["source"]]["note"]
    c3, = [c for c in doc["claim"] if c["id"] == "c3"]
    assert c3["verdict"] == "unverified"


def test_the_unread_cork_sentence_is_not_in_the_text_and_the_cut_is_marked():
    text = (FOLDER / "article.md").read_text(encoding="utf-8")
    assert "cork" not in text
    assert text.rstrip().splitlines()[-1].startswith("[p8.s4] ") and "TRUNCATED" in text


def test_only_ev02_has_a_contested_attribution_and_says_why():
    contested = [r["id"] for r in EVENT_ROWS.values() if r["attribution"]]
    assert contested == ["ev02"] and EVENT_ROWS["ev02"]["attribution"] == "contested"
    assert "contested" in EVENT_ROWS["ev02"]["coding_note"]


def test_every_day_with_several_events_orders_them():
    by_day = {}
    for r in EVENT_ROWS.values():
        by_day.setdefault(r["date"], []).append(r)
    for day, rs in by_day.items():
        orders = [r["order"] for r in rs]
        if len(rs) == 1:
            assert orders == [""], day
        else:
            assert sorted(map(int, orders)) == list(range(1, len(rs) + 1)), day


def test_triggers_are_dated_in_the_period_and_carded():
    for t in rows("triggers.csv"):
        assert t["source"] in CARDS, t["id"]
        assert META["case"]["period_start"] <= t["date"] <= META["case"]["period_end"]


# ---- 6d: the Goldstein rule under the reference codes -----------------------------------------------

# (first, second): lag in days, as the research file's table 6d lists them.
COORDINATION = {
    1: {("ev08", "ev11"): 1, ("ev13", "ev25"): 1, ("ev14", "ev25"): 1, ("ev20", "ev22"): 1,
        ("ev22", "ev27"): 0, ("ev23", "ev25"): 0},
}
COORDINATION[3] = dict(COORDINATION[1])
COORDINATION[7] = {**COORDINATION[3], ("ev04", "ev11"): 5, ("ev05", "ev11"): 4, ("ev12", "ev22"): 4,
                   ("ev22", "ev32"): 4}
CONSISTENCY = {1: {("ev10", "ev11"): 0, ("ev17", "ev25"): 1, ("ev25", "ev26"): 0}}
CONSISTENCY[3] = {**CONSISTENCY[1], ("ev22", "ev29"): 2}
CONSISTENCY[7] = {**CONSISTENCY[3], ("ev06", "ev11"): 4, ("ev22", "ev30"): 4, ("ev25", "ev33"): 4}
COUNTS_AT_14 = {False: 15, True: 12}


@pytest.mark.parametrize("window", (1, 3, 7))
@pytest.mark.parametrize("same_actor", (False, True), ids=["coordination", "consistency"])
def test_the_detector_gives_table_6d(window, same_actor):
    expected = (CONSISTENCY if same_actor else COORDINATION)[window]
    got = found(window, same_actor)
    assert set(got) == set(expected)
    assert {k: p.lag.days for k, p in got.items()} == expected


@pytest.mark.parametrize("same_actor", (False, True), ids=["coordination", "consistency"])
def test_the_counts_at_fourteen_days(same_actor):
    got = found(14, same_actor)
    assert len(got) == COUNTS_AT_14[same_actor]
    assert set((CONSISTENCY if same_actor else COORDINATION)[7]) <= set(got)


def test_the_order_column_runs_the_lag_zero_pairs_the_way_the_table_reads_them():
    for first, second in [k for table in (COORDINATION[1], CONSISTENCY[1]) for k, lag in table.items() if lag == 0]:
        assert int(EVENT_ROWS[first]["order"]) < int(EVENT_ROWS[second]["order"]), (first, second)


# Sensitivity to accepted alternatives, coordination at N = 1 (reference: 6).
@pytest.mark.parametrize("codes, count", [
    ({"ev11": "014", "ev25": "014"}, 2),
    ({"ev13": "0356"}, 7),
    ({"ev21": "0356"}, 9),
    ({"ev22": "036"}, 4),
    ({"ev23": "130"}, 6),
], ids=["hold-as-014", "ev13-0356", "ev21-0356", "ev22-036", "ev23-130"])
def test_the_sensitivity_of_table_6d(codes, count):
    assert len(found(1, False, recode(codes))) == count


def test_coding_the_hold_as_014_leaves_only_the_russia_track_pairs():
    assert set(found(1, False, recode({"ev11": "014", "ev25": "014"}))) == {("ev20", "ev22"), ("ev22", "ev27")}


def test_ev23_as_130_keeps_r4_with_a_jump_of_11_4():
    assert found(1, False, recode({"ev23": "130"}))[("ev23", "ev25")].jump == pytest.approx(11.4)


def test_ev13_as_0356_trades_uptake_for_two_new_pairs():
    got = set(found(1, False, recode({"ev13": "0356"})))
    assert ("ev13", "ev25") not in got and {("ev13", "ev17"), ("ev13", "ev26")} <= got
    assert {("ev13", "ev14"), ("ev13", "ev23")} <= set(found(1, True, recode({"ev13": "0356"})))


# ---- 6a: R2 is a meaning reversal the Goldstein rule cannot see --------------------------------------

def shifts(dimension, window, group=None):
    return {(c.first, c.second) for c in cs.shifts(STATEMENTS, DIMS[dimension], min_steps=2,
                                                   within_days=window, group=group)}


def by_government(statement):
    return GOV[statement.speaker]


@pytest.mark.parametrize("window", WINDOWS)
@pytest.mark.parametrize("same_actor", (False, True), ids=["coordination", "consistency"])
def test_r2_is_not_found_by_the_goldstein_rule_under_reference_codes(window, same_actor):
    assert ("ev13", "ev14") not in found(window, same_actor)


def test_r2_is_found_by_the_goldstein_rule_only_if_the_london_remark_is_coded_0356():
    pair = found(1, True, recode({"ev13": "0356"}))[("ev13", "ev14")]
    assert pair.lag.days == 0


def test_r2_is_found_by_the_stance_rule_on_d3_the_same_day():
    assert ("st11", "st12") in shifts("D3", 0)                # same actor (STATE)
    assert ("st11", "st12") in shifts("D3", 0, by_government)


@pytest.mark.parametrize("dimension, pair, window", [
    ("D2", ("st05", "st08"), 1),     # R1: Kerry's speech, then the Rose Garden hold
    ("D2", ("st03", "st08"), 4),     # R1b: Hagel, then the hold
    ("D3", ("st03", "st08"), 4),
    ("D3", ("st12", "st16"), 1),     # R2b: walk-back, then Kerry at the hearing
    ("D2", ("st12", "st17"), 1),     # R3: walk-back, then the address
    ("D3", ("st12", "st17"), 1),
    ("D2", ("st16", "st17"), 0),     # R4: the column's claim
    ("D1", ("st13", "st15"), 0),     # R5: Rice, then the President on NBC
    ("D2", ("st13", "st17"), 1),
    ("D2", ("st07", "st08"), 0),     # 6b: a mixed signal in one statement
])
def test_the_stance_rule_finds_table_6a_within_one_government_at_its_lag(dimension, pair, window):
    assert pair in shifts(dimension, window, by_government)
    if window:
        assert pair not in shifts(dimension, window - 1, by_government)


def test_triggers_read_r1_as_a_contradiction_and_r3_as_a_possible_update():
    triggers = tuple(CASE.triggers)
    st = {s.id: s for s in STATEMENTS}
    r1 = cs.compare(st["st05"], st["st08"], DIMS["D2"], triggers)
    assert r1.reading == "contradiction"        # the UK vote (29 Aug) came before Kerry's speech
    r3 = cs.compare(st["st12"], st["st17"], DIMS["D2"], triggers)
    assert r3.reading == "possible update"      # Lavrov's proposal the same day as the walk-back
    assert {"t05", "t07"} <= {t.id for t in r3.same_day}


# ---- 6c: the expected false positives appear -------------------------------------------------------

def test_fp1_the_russia_track_pairs_appear_and_vanish_if_ev22_is_036():
    assert {("ev20", "ev22"), ("ev22", "ev27")} <= set(found(1, False))
    assert not {("ev20", "ev22"), ("ev22", "ev27")} & set(found(1, False, recode({"ev22": "036"})))


def test_fp2_the_bargaining_sequence_appears_at_its_windows():
    assert ("ev22", "ev29") not in found(1, True) and ("ev22", "ev29") in found(3, True)
    assert ("ev22", "ev30") not in found(3, True) and ("ev22", "ev30") in found(7, True)


def test_fp3_long_windows_pair_the_whole_episode():
    assert ("ev11", "ev23") not in found(7, False) and found(14, False)[("ev11", "ev23")].lag.days == 10
    assert ("ev12", "ev22") not in found(3, False) and ("ev12", "ev22") in found(7, False)


# ---- 6e: what a window-limited detector must not find ----------------------------------------------

def test_nf1_the_red_line_reframed_a_year_later_is_no_shift():
    st = {s.id: s for s in STATEMENTS}
    for d in ("D1", "D2", "D3"):
        assert cs.compare(st["st01"], st["st10"], DIMS[d]).reading == "no shift"
        assert ("st01", "st10") not in shifts(d, 14, by_government)
    assert not any("ev01" in key for same in (False, True) for key in found(14, same))


def test_nf2_a_statement_is_not_paired_with_a_later_outcome():
    pairs = co.reversals(EVENTS, window_days=14) + co.confirmations(EVENTS, window_days=14)
    assert not any({"ev13", "ev30"} == set(p.key) for p in pairs)


def test_nf3_the_anonymous_memo_is_not_an_event():
    assert "s12" not in {r["source"] for r in EVENT_ROWS.values()}
