"""Lesson 04a-coding-events: its exercise items against the case data and the library.

Split by lesson out of test_strand2_items.py: The strand-2 items (lessons 03 and 04) say what the case data
and the library say: CAMEO choices against the pinned table, keys against events.csv, code items against the
library's functions, numbers and robust findings against course_lib.analysis.coordination, booster keys
against claims.toml."""

import pytest

from course_lib.analysis import coordination as co
from course_lib import load_case
from course_lib.checking.checks import CORRECT, PARTLY, check

CASE = load_case()
ITEMS = {e.id: e for e in CASE.exercises if e.lesson in ("03", "04")}
ALL = co.events(CASE)
CAMEO_ITEMS = ("l4-cameo-a", "l4-cameo-b", "l4-cameo-c")


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


def test_the_jump_item_matches_the_pinned_table():
    recoded = co.recode(ALL, {"e34": "164"}, CASE)
    pair = next(p for p in co.reversals(recoded) if p.key == ("e31", "e34"))
    assert ITEMS["l4-jump"].answer == pair.jump


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
