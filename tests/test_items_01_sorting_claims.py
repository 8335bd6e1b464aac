"""Lesson 01-sorting-claims: its exercise items against the case data and the library.

Split by lesson out of test_strand1_items.py: The exercise items of lessons 01 and 02 (strand 1, source-
checking) agree with the case data: each key follows from claims.toml, sources.csv or events.csv, and every
quotation in them is verbatim. Where a key rests on a reading rather than a field (which paraphrases drift,
and how), the expected answers are typed here from the research fact base (shared/research/facts.md, sections
2 and 5), so a change to an item that drifts from the record fails a test."""

import re

import pytest

from course_lib import load_case
from course_lib.case.files import CLAIM_TYPES

CASE = load_case()
ITEMS = {e.id: e for e in CASE.exercises if e.lesson in ("01", "02")}
CORPUS = [s.excerpt for s in CASE.sources] + [s.text for s in CASE.article.sentences]
QUOTED = re.compile(r"“([^”]{20,})”")


def entries(item_id):
    return {e.id: e for e in ITEMS[item_id].entries}


def test_the_lessons_have_the_planned_items():
    kinds = {i: e.kind for i, e in ITEMS.items()}
    assert kinds == {
        "l1-sort": "classify", "l1-checkable": "single", "l1-decompose": "classify", "l1-contested": "single",
        "l2-first": "match", "l2-standing": "classify", "l2-anonymous": "single", "l2-drift-spot": "multiple",
        "l2-drift-name": "match", "l2-order": "order", "l2-lateral-search": "search", "l2-lateral-who": "single",
        "l2-lateral-write": "text",
        "l2-rate": "single", "l2-conclusion": "text",
        "l1-party-sort": "classify", "l2-rate-party": "single", "l2-party-verdicts": "classify", "l2-when": "single",
    }
    assert all(i.startswith(f"l{int(e.lesson)}-") for i, e in ITEMS.items())


def texts_of(item):
    yield from (item.prompt, item.explain, item.next, item.reveal, *item.hints)
    for o in item.options:
        yield from (o.text, o.feedback, o.accepted)
    for e in item.entries:
        yield from (e.text, e.explain, e.reveal, *e.feedback.values(), *e.partial.values(), *e.accepted.values())


@pytest.mark.parametrize("item_id", sorted(ITEMS))
def test_every_long_quotation_in_any_field_is_verbatim(item_id):
    for text in texts_of(ITEMS[item_id]):
        for span in QUOTED.findall(text or ""):
            span = span.rstrip(".,")
            assert any(span in c for c in CORPUS), f"{item_id}: “{span}” is in no source excerpt or sentence"


@pytest.mark.parametrize("item_id", sorted(ITEMS))
def test_evidence_cards_and_hint_ladders(item_id):
    item = ITEMS[item_id]
    assert not item.evidence or item.evidence in CASE.sources
    assert len(item.hints) == 3 and item.explain and item.next


# ---- lesson 01 ----------------------------------------------------------------------------------------

def test_the_sorter_uses_the_claim_types_of_claims_toml():
    assert [c.id for c in ITEMS["l1-sort"].categories] == list(CLAIM_TYPES)


@pytest.mark.parametrize("entry", sorted(entries("l1-sort")))
def test_sorter_entries_are_verbatim_and_article_entries_take_their_claims_type(entry):
    e = entries("l1-sort")[entry]
    assert any(e.text in c for c in CORPUS), f"{entry} is not verbatim"
    assert e.reveal.startswith("Speaker: ")
    claims = [c for c in CASE.claims if c.text == e.text]
    in_article = any(e.text in s.text for s in CASE.article.sentences)
    if in_article:
        assert len(claims) == 1, f"{entry}: an article entry must be the text of one claim"
        claim = claims[0]
        assert e.key == claim.type
        assert f"sentence {claim.sentence} (claim {claim.id})" in e.reveal
    else:
        assert "Washington Examiner" not in e.reveal


def test_the_sorter_covers_every_type_and_both_sides():
    sort = entries("l1-sort")
    assert {e.key for e in sort.values()} == set(CLAIM_TYPES)
    speakers = " ".join(e.reveal for e in sort.values())
    for who in ("Washington Examiner article", "President Trump", "Pompeo", "Nauert", "DPRK"):
        assert who in speakers


@pytest.mark.parametrize("entry", sorted(entries("l1-decompose")))
def test_decomposition_marks_opinions_as_the_inferences(entry):
    claim = CASE.claims[entry]
    e = entries("l1-decompose")[entry]
    assert e.key == ("inference" if claim.type == "opinion" else "checkable")
    assert e.text.endswith(f"({claim.sentence}).")


def test_the_checkable_item_quotes_the_verdicts_it_relies_on():
    assert (CASE.claims["c6"].type, CASE.claims["c7"].type) == ("checkable-fact", "checkable-fact")
    assert (CASE.claims["c6"].verdict, CASE.claims["c7"].verdict, CASE.claims["c4"].verdict) == \
        ("accurate", "ambiguous", "misleading")


def test_the_party_sort_takes_the_types_of_claims_toml():
    for e in ITEMS["l1-party-sort"].entries:
        claim = CASE.party_claims[e.id]
        assert e.key == claim.type and claim.text.rstrip(".") in e.text, e.id
