"""The strand-2 items (lessons 03 and 04) say what the case data and the library say: CAMEO choices
against the pinned table, keys against events.csv, code items against the library's functions,
numbers and robust findings against course_lib.analysis.coordination, booster keys against claims.toml."""

from dataclasses import replace
from datetime import date

import pytest

from course_lib.analysis import coordination as co
from course_lib import load_case
from course_lib.checking.checks import CORRECT, PARTLY, check

CASE = load_case()
ITEMS = {e.id: e for e in CASE.exercises if e.lesson in ("03", "04")}
ALL = co.events(CASE)
CAMEO_ITEMS = ("l4-cameo-a", "l4-cameo-b", "l4-cameo-c")


def test_ids_follow_their_lesson():
    assert ITEMS, "no items for lessons 03 and 04"
    for item in ITEMS.values():
        assert item.id.startswith(f"l{int(item.lesson)}-"), item.id
    kinds = {i.kind for i in ITEMS.values()}
    assert {"single", "multiple", "classify", "match", "numeric", "code", "text"} <= kinds


# ---- CAMEO coding ------------------------------------------------------------------------------------

def weight_text(g):
    return f"{g:+.1f}".replace("-", "\u2212")


@pytest.mark.parametrize("item_id", CAMEO_ITEMS)
def test_cameo_choices_show_the_pinned_label_and_weight(item_id):
    item = ITEMS[item_id]
    assert 20 <= len(item.categories) <= 30
    for c in item.categories:
        entry = CASE.codebook[c.id]
        label = entry.label.replace(", not specified below", "")
        assert c.text == f"{c.id} {label} ({weight_text(entry.goldstein)})"


@pytest.mark.parametrize("item_id", CAMEO_ITEMS)
def test_cameo_keys_alternatives_and_roots_follow_the_case(item_id):
    item = ITEMS[item_id]
    choices = {c.id for c in item.categories}
    for e in item.entries:
        event = CASE.events[e.id]
        assert e.key == event.cameo
        assert set(e.accepted) == set(event.alternatives) <= choices, e.id
        same_root = {c for c in choices if c[:2] == event.cameo[:2]} - {event.cameo} - set(event.alternatives)
        assert set(e.partial) == same_root, e.id
        assert event.date.isoformat() in e.text and event.quote in e.text
        assert "*" in e.feedback


def test_at_least_15_events_are_coded_with_one_list_of_choices():
    entries = [e.id for i in CAMEO_ITEMS for e in ITEMS[i].entries]
    assert len(entries) >= 15 and len(set(entries)) == len(entries)
    assert len({tuple(c.id for c in ITEMS[i].categories) for i in CAMEO_ITEMS}) == 1


def test_three_tier_feedback_on_e34():
    item = ITEMS["l4-cameo-c"]
    reference = {e.id: e.key for e in item.entries}
    assert check(item, reference).verdict == CORRECT
    for code, verdict, prefix in [("164", CORRECT, "e34: accepted (164)"), ("163", PARTLY, "e34: partly right (163)"),
                                  ("036", PARTLY, "e34: not 036")]:
        fb = check(item, {**reference, "e34": code})
        assert fb.verdict == verdict and any(d.startswith(prefix) for d in fb.details), fb.details


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


def test_the_jump_item_matches_the_pinned_table():
    recoded = co.recode(ALL, {"e34": "164"}, CASE)
    pair = next(p for p in co.reversals(recoded) if p.key == ("e31", "e34"))
    assert ITEMS["l4-jump"].answer == pair.jump


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


# ---- lesson 03 -----------------------------------------------------------------------------------------

def test_booster_keys_are_the_reference_claim_types():
    item = ITEMS["l3-booster-sort"]
    assert {c.id for c in item.categories} == {"checkable-fact", "attribution", "prediction", "opinion", "mixed"}
    for e in item.entries:
        claim = CASE.claims[e.id]
        assert e.key == claim.type and e.text == claim.text


def test_ach_rows_use_the_same_hypotheses_and_categories():
    from course_lib.analysis import ach
    rows = [ITEMS[i] for i in ach.ROW_ITEMS.values()]
    assert len(rows) == len(ach.ROWS) == 10
    assert len({tuple((e.id, e.text) for e in r.entries) for r in rows}) == 1
    assert all([c.id for c in r.categories] == list(ach.CATEGORIES) for r in rows)


def test_ach_diagnostic_options_are_the_rows_with_an_inconsistency():
    from course_lib.analysis import ach
    matrix = ach.reference_matrix(CASE)
    diagnostic = {row.lower() for row, cells in matrix.items()
                  if {"consistent", "inconsistent"} <= set(cells.values())}
    item = ITEMS["l3-ach-diagnostic"]
    assert {o.id for o in item.options} == {row.lower() for row in matrix}, "one option per row of the matrix"
    assert {o.id for o in item.options if o.correct} == diagnostic


def test_theory_items_pair_each_entry_with_a_different_target():
    for item_id in ("l3-theories", "l3-implications"):
        item = ITEMS[item_id]
        assert sorted(e.key for e in item.entries) == sorted(t.id for t in item.targets)


def test_the_booster_does_not_reuse_other_lessons_ids():
    others = {e.id for e in CASE.exercises if e.lesson not in ("03", "04")}
    assert not others & set(ITEMS)
    assert date(2018, 8, 24) == CASE.sources["trump-tweet-2018-08-24c"].date


# ---- the primer and the trace items: what the case data and the library say ---------------------------

def test_the_primer_numbers_are_the_case_data():
    rows = co.as_dicts(ALL)
    loop = ITEMS["l4-primer-loop"]
    assert loop.answer == sum(e["actor"] == "PRES" and e["target"] == "PRK" for e in rows)
    assert {m.value for m in loop.mistakes} == {sum(e["target"] == "PRK" for e in rows),
                                                sum(e["actor"] == "PRES" for e in rows), len(rows)}
    by_id = {e["id"]: e for e in rows}
    assert ITEMS["l4-primer-dates"].answer == (by_id["e34"]["date"] - by_id["e01"]["date"]).days
    assert by_id["e34"]["goldstein"] == -4.0 and "−4.0" in ITEMS["l4-primer-dict"].explain
    assert check(ITEMS["l4-primer-sign"], lambda g, neutral: co.sign(g, neutral)).verdict == CORRECT



def test_the_sign_trace_is_what_the_library_returns_and_follows_the_code_exercise():
    """l4-trace-sign, the no-code path after l4-primer-sign: only the keyed call returns 0, each wrong one's
    feedback says what it returns, and a weight said to be a CAMEO code's is that code's pinned weight."""
    import json
    import re
    from pathlib import Path
    item = ITEMS["l4-trace-sign"]
    for o in item.options:
        g, neutral = map(float, re.match(r"sign\((-?[\d.]+), ([\d.]+)\)", o.text).groups())
        got = co.sign(g, neutral)
        assert (got == 0) == o.correct, o.text
        if not o.correct:
            assert o.feedback.startswith(f"It returns {weight_text(got)[0] if got > 0 else '−'}1."), o.text
            assert o.misconception, o.text
        code = re.search(r"\(code (\d{3})\)", o.text)
        if code:
            assert CASE.codebook[code.group(1)].goldstein == g, o.text
    notebook = Path(__file__).resolve().parent.parent / "instructors/notebooks/04a-coding-events.ipynb"
    shown = [m for c in json.loads(notebook.read_text(encoding="utf-8"))["cells"]
             for m in re.findall(r'^show\("([^"]+)"\)', "".join(c["source"]), re.M)]
    assert shown[shown.index("l4-primer-sign") + 1] == "l4-trace-sign", "the trace comes right after the code"

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
