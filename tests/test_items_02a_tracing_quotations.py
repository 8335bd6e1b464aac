"""Lesson 02a-tracing-quotations: its exercise items against the case data and the library.

Split by lesson out of test_strand1_items.py: The exercise items of lessons 01 and 02 (strand 1, source-
checking) agree with the case data: each key follows from claims.toml, sources.csv or events.csv, and every
quotation in them is verbatim. Where a key rests on a reading rather than a field (which paraphrases drift,
and how), the expected answers are typed here from the research fact base (shared/research/facts.md, sections
2 and 5), so a change to an item that drifts from the record fails a test."""
from datetime import datetime

import pytest

from course_lib import load_case
from course_lib.analysis import sourcing

CASE = load_case()
ITEMS = {e.id: e for e in CASE.exercises if e.lesson in ("01", "02")}


def entries(item_id):
    return {e.id: e for e in ITEMS[item_id].entries}


# ---- lesson 02 ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("quote", sorted(CASE.quotes.ids))
def test_each_quotation_is_keyed_to_its_earliest_primary_card(quote):
    q = CASE.quotes[quote]
    e = entries("l2-first")[quote]
    assert f"{q.sentence} “{q.text}”" == e.text
    if q.kind == "scare-quote":
        assert e.key == "none"
        assert not any(q.text.casefold() in s.excerpt.casefold() for s in CASE.sources)
        return
    assert e.key == q.source and CASE.sources[e.key].level == "primary"
    holding = sorted((s.date, s.id) for s in CASE.sources if q.text.casefold() in s.excerpt.casefold()
                     and s.level == "primary")
    assert holding[0][1] == e.key


def test_first_appearance_targets_are_cards():
    targets = [t.id for t in ITEMS["l2-first"].targets]
    assert all(t in CASE.sources for t in targets if t != "none") and "none" in targets


@pytest.mark.parametrize("card", sorted(entries("l2-standing")))
def test_standing_keys_follow_the_cards(card):
    assert entries("l2-standing")[card].key == sourcing.standing(CASE.sources[card])


def test_standing_includes_the_statement_known_through_reports_and_the_anonymous_letter_report():
    dprk, rogin = CASE.sources["dprk-fm-statement-2018-07-07"], CASE.sources["wapo-rogin-2018-08-27"]
    assert dprk.via and dprk.level == "primary" and entries("l2-standing")[dprk.id].key == "primary"
    assert rogin.sourcing == "anonymous" and entries("l2-standing")[rogin.id].key == "anonymous"
    assert ITEMS["l2-anonymous"].evidence == rogin.id


# facts.md section 2 (C1, C3, C4, C7, C11, C15, C14) and section 4 (S15, S16): does the passage shift the
# meaning of its source, and how.
DRIFTS = {"c1": False, "c4": True, "c3": True, "c7": True, "c11": False, "c15": False}
SHIFTS = {"c4": "modality", "c3": "conditionality", "c1": "scope-time", "c7": "scope-time",
          "c14": "hedging", "nauert": "attribution"}


def test_the_drift_spotter_follows_the_fact_base():
    item = ITEMS["l2-drift-spot"]
    assert {o.id: o.correct for o in item.options} == DRIFTS
    for o in item.options:
        assert o.text.startswith(f"{o.id}, {CASE.claims[o.id].sentence}: ")


def test_drift_and_the_claim_verdicts_are_one_reading():
    """A passage keyed as drift is never rated accurate, and one rated accurate is never keyed as drift."""
    for o in ITEMS["l2-drift-spot"].options:
        assert o.correct == (CASE.claims[o.id].verdict != "accurate"), o.id


def test_the_named_shifts_follow_the_fact_base():
    item = ITEMS["l2-drift-name"]
    assert {e.id: e.key for e in item.entries} == SHIFTS
    assert [t.id for t in item.targets] == ["modality", "scope-time", "hedging", "conditionality", "attribution"]
    assert CASE.claims["c14"].verdict == "accurate"  # a shift is not always an error, as the item says


def test_the_library_flags_the_shifts_the_items_name():
    tweet3 = CASE.sources["trump-tweet-2018-08-24c"].excerpt
    p2s1 = CASE.article.sentences["p2.s1"].text
    source = tweet3[tweet3.index("Secretary Pompeo"):tweet3.index(" is resolved") + len(" is resolved")]
    para = p2s1[p2s1.index("Pompeo would"):].rstrip(".”")
    drift = sourcing.compare(source, para)
    assert {(f.category, f.change) for f in drift.flags} >= {("negation", "added"), ("modal", "added"),
                                                               ("time", "dropped")}


# The order item's entries: entry id -> the event of events.csv it stands for.
ORDER_EVENTS = {"no-threat": "e07", "china-list": "e25", "iaea": "e26", "tariffs": "e28", "tweets": "e34",
                "letter-report": "e39", "ri-meeting": "e47", "kim-meeting": "e50"}


def when(event):
    return datetime.fromisoformat(f"{event.date.isoformat()}T{event.time or '12:00'}")


def test_the_event_order_matches_the_event_dates():
    keyed = [e.id for e in ITEMS["l2-order"].entries]
    assert sorted(keyed) == sorted(ORDER_EVENTS)
    times = [when(CASE.events[ORDER_EVENTS[e]]) for e in keyed]
    assert times == sorted(times) and len({t.date() for t in times}) == len(times)
    assert sorted(keyed) != keyed, "the listing is sorted by id: ids in date order would give the answer away"


@pytest.mark.parametrize("entry", sorted(ORDER_EVENTS))
def test_each_swap_explanation_gives_the_event_date(entry):
    d = CASE.events[ORDER_EVENTS[entry]].date
    assert entries("l2-order")[entry].explain.startswith(f"{d.day} {d:%B %Y}")
