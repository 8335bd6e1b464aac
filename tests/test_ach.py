"""Lesson 03's analysis of competing hypotheses: the rows rest on the case's cards with an honest
credibility class, the reference matrix is the items' keys, the scores count what they say, and
the keys hold every row to one standard, whichever side it favours."""

import dataclasses
import re

import pytest

from course_lib import load_case
from course_lib.analysis import ach
from course_lib.case.records import Table
from course_lib.checking.checks import CORRECT, check

CASE = load_case()
ITEMS = {e.id: e for e in CASE.exercises if e.lesson == "03"}
MATRIX_ITEMS = [*ach.row_items(CASE).values(), "l3-ach-overlap", ach.TEST_ITEM]


def key_answer(item):
    return {e.id: e.key for e in item.entries}


# ---- the rows and their sources --------------------------------------------------------------------------

def test_every_row_rests_on_cards_of_the_case_and_has_an_exercise():
    assert [r.id for r in ach.rows(CASE)] == [f"E{n}" for n in range(1, 11)]
    for r in ach.rows(CASE):
        assert r.cards and all(c in CASE.sources for c in r.cards), r.id
        assert r.item in ITEMS and ITEMS[r.item].kind == "classify", r.id
        assert r.credibility in ach.WEIGHTS, r.id


def test_the_credibility_class_of_each_row_matches_its_cards():
    for r in ach.rows(CASE):
        cards = [CASE.sources[c] for c in r.cards]
        if r.credibility == "on-record":
            assert all(c.sourcing == "on-record" for c in cards), r.id
        elif r.credibility == "anonymous":
            assert any(c.sourcing == "anonymous" or "anonymous" in c.note for c in cards), r.id
        else:  # reported speech: an on-record account known only through a report of it
            assert all(c.level == "secondary" and c.sourcing == "on-record" for c in cards), r.id
            assert any("reported speech" in c.note.lower() for c in cards), r.id
    assert ach.WEIGHTS["on-record"] > ach.WEIGHTS["reported speech"] > ach.WEIGHTS["anonymous"] > 0


def _case_with_unverified(*cards):
    """A copy of the case in which the given cards say their wording is UNVERIFIED."""
    sources = Table(dataclasses.replace(s, note=s.note + " UNVERIFIED: not read in a stored copy.") if s.id in cards
                    else s for s in CASE.sources)
    return dataclasses.replace(CASE, sources=sources)


def test_the_two_single_source_anonymous_accounts_leaning_opposite_ways_are_treated_alike():
    # E2 (CNN's unnamed diplomat) leans to H1, E10 (Reuters' unnamed White House official) to H2: both
    # were read in stored copies, both are rows, at the same weight, set aside together
    m = ach.reference_matrix(CASE)
    e2, e10 = (next(r for r in ach.rows(CASE) if r.id == i) for i in ("E2", "E10"))
    for r in (e2, e10):
        assert len(r.cards) == 1 and "UNVERIFIED" not in CASE.sources[r.cards[0]].note, r.id
        assert r.credibility == "anonymous", r.id
        assert r.cards[0] in CASE.sources and CASE.sources[r.cards[0]].excerpt, r.id
    assert m["E2"]["h2"] == "inconsistent" and m["E2"]["h1"] == "consistent"
    assert m["E10"]["h1"] == "inconsistent" and m["E10"]["h2"] == "consistent"
    w = ach.row_weights(CASE)
    assert w["E2"] == w["E10"] == min(w.values())
    assert "E2" in ach.readings_table(CASE).rows[1][0] and "E10" in ach.readings_table(CASE).rows[1][0]
    assert ach.unverified_rows(CASE) == []
    # each side's charitable reading is in the key and in the readings table
    assert "neutral" in next(e for e in ITEMS["l3-ach-meeting"].entries if e.id == "h1").accepted
    assert "neutral" in next(e for e in ITEMS["l3-ach-embassies"].entries if e.id == "h2").accepted


@pytest.mark.parametrize("cards, rows", [
    (("cnn-report-2018-08-24",), ["E2"]),                                   # leans to H1 (the article)
    (("reuters-report-2018-08-24",), ["E10"]),                              # leans to H2 (the administration)
    (("cnn-report-2018-08-24", "reuters-report-2018-08-24"), ["E2", "E10"]),
    (("trump-tweet-2017-10-01",), ["E8"]),                                  # an on-record row for H1
    (("state-readout-2018-10-07", "ustr-tariffs-2018-09-24"), ["E6"]),      # an on-record row for H2
])
def test_rows_resting_only_on_unverified_cards_are_treated_alike_whichever_hypothesis_they_favour(cards, rows):
    case = _case_with_unverified(*cards)
    assert ach.unverified_rows(case) == rows          # E1 also rests on CNN, but Business Insider was read
    flagged = [row[0] for row in ach.evidence_table(case).rows if "UNVERIFIED" in row[3]]
    assert flagged == rows
    w, lowest = ach.row_weights(case), min(ach.WEIGHTS.values())
    assert all(w[r] == lowest for r in rows)
    assert all(w[r.id] == ach.WEIGHTS[r.credibility] for r in ach.rows(CASE) if r.id not in rows)
    readings = ach.readings_table(case)
    assert len(readings.rows) == 6 and readings.rows[-1][0].startswith("verified rows only")
    m = ach.reference_matrix(case)
    verified = ach.scores(case, m, skip=rows)
    assert readings.rows[-1][1:] == tuple(f"{verified[h]['inconsistent']} ({verified[h]['weighted']:g})"
                                          for h in ach.hypotheses(case))
    # the weighted score falls by the same amount per inconsistent cell, whichever side the row favours
    before, after = ach.scores(CASE, m), ach.scores(case, m)
    for h in ach.hypotheses(CASE):
        against = [r.id for r in ach.rows(CASE) if r.id in rows and m[r.id][h] == "inconsistent"]
        drop = sum(ach.WEIGHTS[r.credibility] - lowest for r in ach.rows(CASE) if r.id in against)
        assert after[h]["weighted"] == pytest.approx(before[h]["weighted"] - drop), h


def test_the_in_the_room_account_is_never_printed_as_a_quotation():
    quoted = re.compile(r'[“"][^”"]*in the room[^”"]*[”"]', re.I)
    for item in ITEMS.values():
        texts = [item.prompt, item.explain, *item.hints, *(e.text for e in item.entries),
                 *(e.explain for e in item.entries), *(o.text for o in item.options), *(o.feedback for o in item.options)]
        assert not any(quoted.search(t or "") for t in texts), item.id


def test_every_quotation_in_the_row_prompts_is_in_a_card_of_its_row():
    for r in ach.rows(CASE):
        item = ITEMS[r.item]
        excerpts = " ".join(CASE.sources[c].excerpt for c in r.cards)
        for quote in re.findall(r"“([^”]+)”", item.prompt):
            assert quote.rstrip(".") in excerpts, (r.id, quote)


# ---- the reference matrix and the scores -------------------------------------------------------------

def test_the_reference_matrix_is_the_row_items_keys_and_a_fresh_copy():
    m = ach.reference_matrix(CASE)
    for r in ach.rows(CASE):
        assert m[r.id] == key_answer(ITEMS[r.item])
        assert check(ITEMS[r.item], m[r.id]).verdict == CORRECT
    m["E1"]["h1"] = "consistent"
    assert ach.reference_matrix(CASE)["E1"] == key_answer(ITEMS["l3-ach-room"]), "the reference was changed in place"


def test_scores_count_inconsistencies_weighted_and_bearing_rows():
    m = ach.reference_matrix(CASE)
    credibility = {r.id: r.credibility for r in ach.rows(CASE)}
    s = ach.scores(CASE, m)
    for h in ach.hypotheses(CASE):
        against = [row for row, cells in m.items() if cells[h] == "inconsistent"]
        assert s[h]["inconsistent"] == len(against)
        assert s[h]["weighted"] == pytest.approx(sum(ach.WEIGHTS[credibility[row]] for row in against))
        assert s[h]["bearing"] == sum(cells[h] != "neutral" for cells in m.values())
    # a changed cell moves the count; a skipped row leaves it; a weight changes only the weighted score
    m["E8"]["h2"] = "inconsistent"
    assert ach.scores(CASE, m)["h2"]["inconsistent"] == s["h2"]["inconsistent"] + 1
    assert ach.scores(CASE, m, skip=("E8",))["h2"]["inconsistent"] == s["h2"]["inconsistent"]
    heavier = ach.scores(CASE, ach.reference_matrix(CASE), weights={"anonymous": 1})
    anonymous_against_h2 = sum(1 for r in ach.rows(CASE) if r.credibility == "anonymous"
                               and ach.reference_matrix(CASE)[r.id]["h2"] == "inconsistent")
    assert heavier["h2"]["weighted"] == pytest.approx(s["h2"]["weighted"] + 0.5 * anonymous_against_h2)
    assert heavier["h2"]["inconsistent"] == s["h2"]["inconsistent"]


@pytest.mark.parametrize("weights", [{"rumour": 1}, {"anonymous": "high"}, {"anonymous": 3}, {"anonymous": True}])
def test_a_bad_weight_is_refused_with_a_reason(weights):
    with pytest.raises(ValueError, match="credibility class|number from 0 to 1"):
        ach.scores(CASE, ach.reference_matrix(CASE), weights=weights)


def test_a_bad_cell_is_refused_with_a_reason():
    m = ach.reference_matrix(CASE)
    m["E3"]["h2"] = "maybe"
    with pytest.raises(ValueError, match="E3, h2"):
        ach.scores(CASE, m)
    with pytest.raises(KeyError, match="E11"):
        ach.scores(CASE, {"E11": {"h1": "neutral"}})


def test_the_tables_show_weights_tests_and_scores():
    m = ach.reference_matrix(CASE)
    table = ach.matrix_table(CASE, m, "reference")
    assert [r[0] for r in table.rows[:len(m)]] == list(m)
    assert {r[3] for r in table.rows[:len(m)] if r[3]} == {
        f"{ITEMS[ach.TEST_ITEM].entries[[e.id for e in ITEMS[ach.TEST_ITEM].entries].index(entry)].key.replace('-', ' ')}: {h.upper()}"
        for h, entry in ach.tests(CASE).values()}
    assert "weighted" in str(table) and "rows that bear" in str(table)
    readings = ach.readings_table(CASE)
    assert len(readings.rows) == 5
    # the charitable reading is applied to each side: it takes one inconsistency per row read so (E1 and
    # E10 for H1, E2 for H2) away from the hypothesis it names, and from no other
    count = [[int(cell.split()[0]) for cell in row[1:]] for row in readings.rows]
    assert [a - b for a, b in zip(count[0], count[2])] == [2, 0, 0, 0]
    assert [a - b for a, b in zip(count[0], count[3])] == [0, 1, 0, 0]
    assert [r[0] for r in ach.evidence_table(CASE).rows] == [r.id for r in ach.rows(CASE)]


# ---- one standard ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("item_id", sorted(i for i, item in ITEMS.items() if item.kind != "text"))
def test_every_wrong_choice_gets_a_reason_and_every_accepted_one_full_credit(item_id):
    item = ITEMS[item_id]
    if item.kind in ("classify", "match"):
        for e in item.entries:
            for choice in item.choices:
                if choice.id == e.key:
                    continue
                answer = {**key_answer(item), e.id: choice.id}
                fb = check(item, answer)
                if choice.id in e.accepted:
                    assert fb.verdict == CORRECT, (e.id, choice.id)
                else:
                    assert fb.verdict != CORRECT, (e.id, choice.id)
                    reason = e.feedback.get(choice.id, e.feedback.get("*", ""))
                    assert len(reason.split()) >= 5, f"{item_id} {e.id} -> {choice.id}: no reason given"
    else:
        for o in item.options:
            assert o.correct or len(o.feedback.split()) >= 5, (item_id, o.id)


def test_the_precedents_on_both_sides_are_read_by_one_standard():
    # E7 (a precedent for a tactic and for a reaction to news) and E8 (a precedent for an override):
    # each counts as consistent with the hypothesis it fits, and each accepts "neutral" for it.
    may, y2017 = ITEMS["l3-ach-may"], ITEMS["l3-ach-2017"]
    favoured = [(may, "h2"), (may, "h4"), (y2017, "h1")]
    for item, h in favoured:
        e = next(e for e in item.entries if e.id == h)
        assert e.key == "consistent" and "neutral" in e.accepted, (item.id, h)
    for item in (may, y2017):
        assert all(e.key != "inconsistent" for e in item.entries), item.id


def test_disputed_alternatives_are_accepted_both_ways():
    # across the rows, some accepted alternatives weaken the article's reading (H1) or strengthen a
    # rival, and some do the reverse: count the moves each accepted alternative makes on H1 and H2
    toward_h1, toward_h2 = 0, 0
    for r in ach.rows(CASE):
        for e in ITEMS[r.item].entries:
            for alt in e.accepted:
                step = {"consistent": 1, "neutral": 0, "inconsistent": -1}
                move = step[alt] - step[e.key]
                if e.id == "h1":
                    toward_h1 += move > 0
                    toward_h2 += move < 0
                elif e.id == "h2":
                    toward_h2 += move > 0
                    toward_h1 += move < 0
    assert toward_h1 >= 2 and toward_h2 >= 2, (toward_h1, toward_h2)


def test_van_evera_tests_agree_with_the_matrix():
    m = ach.reference_matrix(CASE)
    item = ITEMS[ach.TEST_ITEM]
    assert {t.id for t in item.targets} == {"hoop", "smoking-gun", "straw-in-the-wind", "doubly-decisive"}
    keys = key_answer(item)
    for row, (h, entry) in ach.tests(CASE).items():
        cell, kind = m[row][h], keys[entry]
        assert cell != "neutral", (row, h)
        if kind == "hoop":           # a hoop the hypothesis fails counts against it
            assert cell == "inconsistent", row
        if kind == "smoking-gun":    # a smoking gun it passes counts for it
            assert cell == "consistent", row
        diagnostic = {"consistent", "inconsistent"} <= set(m[row].values())
        assert diagnostic, f"{row} carries a Van Evera test but is not diagnostic"
    assert check(item, keys).verdict == CORRECT
    assert check(item, {k: "doubly-decisive" for k in keys}).verdict != CORRECT


def test_the_overlap_item_says_which_hypotheses_are_rivals():
    item = ITEMS["l3-ach-overlap"]
    hyps = ach.hypotheses(CASE)
    pairs = {tuple(e.id.split("-")) for e in item.entries}
    assert pairs == {(a, b) for a in hyps for b in hyps if a < b}
    rivals = {e.id for e in item.entries if e.key == "exclude"}
    assert rivals and rivals != {e.id for e in item.entries}
