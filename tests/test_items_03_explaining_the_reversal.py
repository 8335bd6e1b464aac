"""Lesson 03-explaining-the-reversal: its exercise items against the case data and the library.

Split by lesson out of test_strand2_items.py: The strand-2 items (lessons 03 and 04) say what the case data
and the library say: CAMEO choices against the pinned table, keys against events.csv, code items against the
library's functions, numbers and robust findings against course_lib.analysis.coordination, booster keys
against claims.toml."""
from datetime import date
from course_lib import load_case

CASE = load_case()
ITEMS = {e.id: e for e in CASE.exercises if e.lesson in ("03", "04")}


def test_ids_follow_their_lesson():
    assert ITEMS, "no items for lessons 03 and 04"
    for item in ITEMS.values():
        assert item.id.startswith(f"l{int(item.lesson)}-"), item.id
    kinds = {i.kind for i in ITEMS.values()}
    assert {"single", "multiple", "classify", "match", "numeric", "code", "text"} <= kinds


# ---- lesson 03 -----------------------------------------------------------------------------------------

def test_booster_keys_are_the_reference_claim_types():
    item = ITEMS["l3-booster-sort"]
    assert {c.id for c in item.categories} == {"checkable-fact", "attribution", "prediction", "opinion", "mixed"}
    for e in item.entries:
        claim = CASE.claims[e.id]
        assert e.key == claim.type and e.text == claim.text


def test_ach_rows_use_the_same_hypotheses_and_categories():
    from course_lib.analysis import ach
    rows = [ITEMS[i] for i in ach.row_items(CASE).values()]
    assert len(rows) == len(ach.rows(CASE)) == 10
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
