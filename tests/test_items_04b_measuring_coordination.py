"""Lesson 04b-measuring-coordination: its exercise items against the case data and the library.

Split by lesson out of test_strand2_items.py: The strand-2 items (lessons 03 and 04) say what the case data
and the library say: CAMEO choices against the pinned table, keys against events.csv, code items against the
library's functions, numbers and robust findings against course_lib.analysis.coordination, booster keys
against claims.toml."""

from dataclasses import replace
from datetime import date

import pytest

from course_lib.analysis import coordination as co
from course_lib import load_case
from course_lib.checking.checks import CORRECT, PARTLY, check

CASE = load_case()
ITEMS = {e.id: e for e in CASE.exercises if e.lesson in ("03", "04")}
ALL = co.events(CASE)


# ---- CAMEO coding ------------------------------------------------------------------------------------

def weight_text(g):
    return f"{g:+.1f}".replace("-", "\u2212")


# ---- code items: the library's functions pass their hidden tests -------------------------------------

def as_event(d, i=0):
    """An Event from a hidden test's dict, keeping its government and weight as given."""
    base = co.event(d.get("id", f"x{i}"), d["date"], d["actor"], d["target"], "010", case=CASE)
    return replace(base, government=d["government"], goldstein=float(d["goldstein"]))


def library_find_reversals(events, window_days, min_jump, neutral):
    evts = [as_event(d, i) for i, d in enumerate(events)]
    return [list(p.key) for p in co.reversals(evts, window_days, min_jump, neutral)]


def library_lag_between(first, second):
    def one(d, i):
        return co.event(f"x{i}", d["date"], "PRES", "PRK", "010", time=d["time"], utc_offset=d["utc_offset"], case=CASE)
    lag = co.lag(one(first, 1), one(second, 2))
    return [lag.value, lag.unit]


def library_alignment_score(means_a, means_b, neutral):
    a = co.alignment_of_means(means_a, means_b, neutral)
    return {"windows": len(a.windows), "sign_agreement": a.sign_agreement, "closeness": a.closeness}


@pytest.mark.parametrize("item_id, function", [
    ("l4-code-reversals", library_find_reversals),
    ("l4-code-lag", library_lag_between),
    ("l4-code-alignment", library_alignment_score),
])
def test_the_library_passes_each_code_items_hidden_tests(item_id, function):
    item = ITEMS[item_id]
    assert item.function == function.__name__.removeprefix("library_")
    assert len(item.tests) >= 6 and all(t.hint for t in item.tests)
    assert check(item, function).verdict == CORRECT
    for t in item.tests:
        got = function(*t.args)
        assert got == t.expected or got == pytest.approx(t.expected), t.hint


def test_a_wrong_detector_gets_the_hint_of_the_case_it_fails():
    def counts_same_actor(events, window_days, min_jump, neutral):
        evts = sorted(events, key=lambda e: (e["date"], e["id"]))
        return [[a["id"], b["id"]] for i, a in enumerate(evts) for b in evts[i + 1:]
                if (b["date"] - a["date"]).days <= window_days and a["target"] == b["target"]
                and a["government"] == b["government"] and a["goldstein"] * b["goldstein"] < 0
                and abs(a["goldstein"] - b["goldstein"]) >= min_jump
                and min(abs(a["goldstein"]), abs(b["goldstein"])) >= neutral]
    fb = check(ITEMS["l4-code-reversals"], counts_same_actor)
    assert fb.verdict == PARTLY
    assert any("consistency, not coordination" in d for d in fb.details)


# ---- numbers and findings against the library ---------------------------------------------------------

def test_the_share_item_matches_the_library():
    share = co.reversal_share(ALL, window_days=7)
    assert ITEMS["l4-share"].answer == pytest.approx(share.share, abs=ITEMS["l4-share"].tolerance)
    assert any(m.value == pytest.approx(share.reversals / share.confirmations) for m in ITEMS["l4-share"].mistakes)
    assert any(m.value == pytest.approx(co.reversal_share(ALL).share) for m in ITEMS["l4-share"].mistakes)


def test_the_robust_findings_item_matches_the_sensitivity_grid():
    keys = {"aug": ("e31", "e34"), "oct2017": ("e01", "e02"), "mixed": ("e34", "e36"),
            "summit": ("e03", "e04"), "trade": ("e33", "e28")}
    grids = {False: co.sensitivity(ALL), True: co.sensitivity(ALL, same_actor=True)}
    item = ITEMS["l4-robust"]
    assert {o.id for o in item.options} == set(keys)
    for option in item.options:
        pair = keys[option.id]
        same_actor = CASE.events[pair[0]].actor == CASE.events[pair[1]].actor
        assert grids[same_actor][pair].survives_every_setting == option.correct, option.id
    assert grids[True][("e03", "e04")].windows == (14,)


def test_the_window_item_matches_the_lag():
    assert (CASE.events["e04"].date - CASE.events["e03"].date).days == 8

def test_the_reversal_trace_is_what_the_library_finds():
    import json
    usa = {"government": "USA"}
    events = [dict(id="s23", date=date(2018, 8, 23), actor="STATE", target="PRK", goldstein=4.0, **usa),
              dict(id="u23", date=date(2018, 8, 23), actor="USTR", target="CHN", goldstein=-8.0, **usa),
              dict(id="p24a", date=date(2018, 8, 24), actor="PRES", target="PRK", goldstein=-4.0, **usa),
              dict(id="p24c", date=date(2018, 8, 24), actor="PRES", target="PRK", goldstein=4.0, **usa)]
    item = ITEMS["l4-trace-reversals"]
    for e in events:
        assert f"{e['id']}: {e['date'].day} Aug, {e['actor']} toward {e['target']}, {weight_text(e['goldstein'])}" \
            in item.prompt
    (right,) = [o for o in item.options if o.correct]
    assert json.loads(right.text) == library_find_reversals(events, 3, 4.0, 1.0)
    assert all(json.loads(o.text) != json.loads(right.text) for o in item.options if not o.correct)


def test_the_lag_and_alignment_traces_are_what_the_library_computes():
    first = {"date": date(2018, 8, 24), "time": "09:00", "utc_offset": "-04:00"}
    second = {"date": date(2018, 8, 25), "time": "09:00", "utc_offset": "+08:00"}
    assert library_lag_between(first, second) == [ITEMS["l4-trace-lag"].answer, "hours"]
    a, b = {"2018-06": 2.0, "2018-07": -1.5}, {"2018-06": 3.0, "2018-07": -3.5, "2018-08": 4.0}
    item = ITEMS["l4-trace-alignment"]
    assert library_alignment_score(a, b, 1.0)["closeness"] == pytest.approx(item.answer)
    assert str(a).replace("'", '"') in item.prompt and str(b).replace("'", '"') in item.prompt
