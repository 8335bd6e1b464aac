"""course_lib.analysis.sourcing: claims joined to sources, quotes found in their sources, paraphrase drift,
the claim map's layout, and ClaimReview records built and checked field by field."""

import copy
import doctest
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib import load_case
from course_lib.analysis import sourcing
from course_lib.analysis.sourcing import check_claim_review, compare
from course_lib.case.crosscheck import find_span

CASE = load_case()
TWEET_3 = ("Secretary Pompeo looks forward to going to North Korea in the near future, most likely after our "
           "Trading relationship with China is resolved")
ARTICLE_C4 = "Pompeo would not be heading to North Korea most likely after our Trading relationship with China is resolved"


def flags(drift):
    return {(f.category, f.change, f.source_words or f.paraphrase_words) for f in drift.flags}


def test_the_module_examples_run():
    assert doctest.testmod(sourcing).failed == 0


# ---- claims and sources ---------------------------------------------------------------------------

def test_by_sentence_keeps_reading_order_and_joins_claims_and_their_cards():
    rows = sourcing.by_sentence(CASE)
    assert [r.sentence.id for r in rows] == list(CASE.article.sentences.ids)
    assert sum(len(r.claims) for r in rows) == len(CASE.claims)
    p2s1 = next(r for r in rows if r.sentence.id == "p2.s1")
    assert [c.id for c in p2s1.claims] == ["c3", "c4"] and p2s1.types == ("mixed", "attribution")
    for r in rows:
        ids = [s.id for s in r.sources]
        assert len(ids) == len(set(ids))
        assert set(ids) == {s for c in r.claims for s in c.sources}


@pytest.mark.parametrize("card, expected", [
    ("trump-tweet-2018-08-24a", "primary"), ("dprk-fm-statement-2018-07-07", "primary"),
    ("wapo-rogin-2018-08-27", "anonymous"), ("cnn-report-2018-08-24", "secondary"),
    ("politico-analysis-2018-08-24", "secondary"), ("yomiuri-report-2018-07-16", "anonymous"),
])
def test_standing(card, expected):
    assert sourcing.standing(CASE.sources[card]) == expected


# ---- quote alignment --------------------------------------------------------------------------------

def test_find_span_says_how_it_matched():
    assert find_span("no longer", "There is no longer a threat") == (9, 18, "exact")
    assert find_span("nuclear threat", "a Nuclear Threat here")[2] == "case-folded"
    assert find_span("we're here", "and we’re here")[2] == "typography"
    assert find_span("not there", "nothing like it") == (-1, -1, "not found")


def test_every_quotation_of_the_article_is_found_in_its_source():
    matches = {m.quote: m for m in sourcing.align_quotes(CASE)}
    assert set(matches) == set(CASE.quotes.ids)
    for q in CASE.quotes:
        how = matches[q.id].how
        assert how == ("no source" if q.kind == "scare-quote" else q.match), q.id


def test_alignment_shows_what_the_quotation_leaves_out():
    matches = {m.quote: m for m in sourcing.align_quotes(CASE)}
    assert matches["q1"].before.endswith("not to go to North Korea, at this time,")
    assert "looks forward to going to North Korea in the near future," in matches["q2"].before
    assert matches["q3"].before.endswith("There is") and matches["q3"].after.startswith("from North Korea.")
    assert "[gangster-like]" in str(matches["q4"]) and "quotes no source" in str(matches["q5"])


# ---- paraphrase drift -------------------------------------------------------------------------------

def test_the_inverted_would_not_be_heading_is_flagged():
    drift = compare(TWEET_3, ARTICLE_C4)
    assert flags(drift) == {("negation", "added", "not"), ("modal", "added", "would"),
                            ("time", "dropped", "in the near future")}
    assert sourcing.Change("changed", ("looks", "forward", "to", "going"), ("would", "not", "be", "heading")) in drift.changes
    assert "[-looks forward to going-] {+would not be heading+}" in drift.marked
    assert drift.kept == 14 and drift.dropped == 9 and drift.added == 4


def test_a_dropped_at_this_time_is_flagged_and_a_moved_not_is_not():
    drift = compare("I have asked Secretary of State Mike Pompeo not to go to North Korea, at this time,",
                    "he had asked Secretary of State Mike Pompeo to not go to North Korea")
    assert ("time", "dropped", "at this time") in flags(drift)
    assert not any(f.category == "negation" for f in drift.flags)  # "not to go" / "to not go": same claim
    assert ("person", "changed", "I") in flags(drift)


def test_a_flagged_word_that_only_moves_is_not_a_shift():
    drift = compare("we will not go", "not: we will go")
    assert drift.flags == () and [str(f) for f in drift.moved] == ["negation dropped: not"]


def test_a_changed_modal_verb_is_flagged_with_both_words():
    drift = compare("Pompeo will travel next week", "Pompeo may travel next week")
    assert [str(f) for f in drift.flags] == ["modal verb changed: will → may"]
    assert drift.changes == (sourcing.Change("changed", ("will",), ("may",)),)


def test_hedges_conditions_and_pronoun_swaps():
    assert ("hedge", "dropped", "I think") in flags(compare("And I think the relationships are very good.",
                                                            "assurances of a good relationship"))
    assert ("condition", "added", "hinged") in flags(compare("because of trade with China",
                                                             "the cancellation hinged on trade with China"))
    drift = compare("I feel we are not making sufficient progress",
                    "We feel that they are not making sufficient progress")
    assert [str(f) for f in drift.flags] == ["pronoun changed: I → We", "pronoun changed: we → they"]


def test_case_and_punctuation_are_not_drift():
    drift = compare("There is no longer a Nuclear Threat.", "there is no longer a nuclear threat")
    assert drift.changes == () and drift.flags == () and drift.kept == 7
    assert str(drift).endswith("Flags:      none")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80), st.text(max_size=80))
def test_compare_takes_any_text(a, b):
    drift = compare(a, b)
    assert drift.kept + drift.dropped == len(sourcing._words(a))
    assert drift.kept + drift.added == len(sourcing._words(b))
    str(drift)


# ---- the claim map's layout -------------------------------------------------------------------------

@pytest.mark.parametrize("by", ["type", "verdict"])
def test_claim_grid_places_every_claim_once_on_its_sentence(by):
    grid = sourcing.claim_grid(CASE, by)
    assert sorted(p.claim for p in grid.points) == sorted(CASE.claims.ids)
    for p in grid.points:
        claim = CASE.claims[p.claim]
        assert grid.rows[p.y] == claim.sentence
        assert grid.columns[round(p.x)] == getattr(claim, by)
    assert len(grid.breaks) == len(CASE.article.paragraphs) - 1
    assert [r for r, _ in grid.table()] == list(grid.rows)
    shared = [p for p in grid.points if sum(q.y == p.y and round(q.x) == round(p.x) for q in grid.points) > 1]
    assert {p.side for p in shared} <= {"left", "right"} and len({(p.x, p.y) for p in grid.points}) == len(grid.points)


def test_claim_grid_refuses_an_unknown_layout():
    with pytest.raises(ValueError, match="by must be 'type' or 'verdict'"):
        sourcing.claim_grid(CASE, "speaker")


# ---- ClaimReview records -----------------------------------------------------------------------------

def valid():
    return sourcing.review_of(CASE, "c4", verdict="misleading", explanation="The sentence inverts the tweet.",
                              reviewer="Class exercise", review_date=date(2025, 1, 15),
                              url="https://example.org/c4", claim_date=date(2018, 8, 24))


def problems(record, case=CASE):
    return {p.field: p.message for p in check_claim_review(record, case).problems}


def test_a_built_record_is_valid_and_carries_every_field():
    record = valid()
    assert check_claim_review(record).ok and check_claim_review(record, CASE).ok
    assert str(check_claim_review(record)).startswith("✔")
    assert record["itemReviewed"]["author"]["name"] == "Washington Examiner"
    assert record["itemReviewed"]["firstAppearance"]["url"] == CASE.info.address
    assert record["reviewRating"] == {"@type": "Rating", "alternateName": "misleading",
                                      "ratingExplanation": "The sentence inverts the tweet.",
                                      "ratingValue": 2, "bestRating": 5, "worstRating": 1}
    assert (record["datePublished"], record["itemReviewed"]["datePublished"]) == ("2025-01-15", "2018-08-24")


def test_a_verdict_off_the_scale_gets_words_only_and_is_still_valid():
    record = sourcing.review_of(CASE, "c7", verdict="ambiguous", explanation="Two readings.", reviewer="Class",
                                review_date="2025-01-15", url="https://example.org/c7", claim_date="2018-08-24")
    assert "ratingValue" not in record["reviewRating"] and check_claim_review(record, CASE).ok


@pytest.mark.parametrize("path", [
    "claimReviewed", "itemReviewed", "itemReviewed.author", "itemReviewed.author.name", "itemReviewed.datePublished",
    "itemReviewed.firstAppearance", "reviewRating", "reviewRating.alternateName", "author", "author.name",
    "datePublished", "url",
])
def test_each_missing_field_is_named(path):
    record = valid()
    *parents, last = path.split(".")
    target = record
    for key in parents:
        target = target[key]
    del target[last]
    found = problems(record)
    field = "itemReviewed.firstAppearance.url" if path == "itemReviewed.firstAppearance" else path
    assert field in found or path in found, found
    if path in found and path != "url":
        assert found[path].startswith("missing: expected")


@pytest.mark.parametrize("edit, field, says", [
    (lambda r: r.update({"@context": "schema"}), "@context", "expected 'https://schema.org'"),
    (lambda r: r.update({"@type": "Review"}), "@type", "expected 'ClaimReview'"),
    (lambda r: r.update({"claimReviewed": "x" * 301}), "claimReviewed", "300 characters at most"),
    (lambda r: r.update({"claimReviewed": 42}), "claimReviewed", "expected text, got int"),
    (lambda r: r.update({"itemReviewed": "a claim"}), "itemReviewed", "expected a dict, got str"),
    (lambda r: r["itemReviewed"].update({"@type": "Thing"}), "itemReviewed.@type", "expected 'Claim'"),
    (lambda r: r["itemReviewed"]["author"].update({"@type": "Robot"}), "itemReviewed.author.@type", "'Person' or"),
    (lambda r: r["itemReviewed"].update({"datePublished": "24 August 2018"}), "itemReviewed.datePublished", "ISO date"),
    (lambda r: r.update({"datePublished": "2025-02-30"}), "datePublished", "ISO date"),
    (lambda r: r.update({"datePublished": "2018-08-20"}), "datePublished", "cannot come before the claim"),
    (lambda r: r["itemReviewed"]["firstAppearance"].update({"url": "washingtonexaminer.com"}),
     "itemReviewed.firstAppearance.url", "http:// or https://"),
    (lambda r: r.update({"url": "example.org/c4"}), "url", "http:// or https://"),
    (lambda r: r["reviewRating"].update({"@type": "Stars"}), "reviewRating.@type", "expected 'Rating'"),
    (lambda r: r["reviewRating"].update({"alternateName": " "}), "reviewRating.alternateName", "missing"),
    (lambda r: r["reviewRating"].update({"ratingValue": 7}), "reviewRating.ratingValue", "from worstRating 1 to bestRating 5, got 7"),
    (lambda r: r["reviewRating"].update({"ratingValue": "2"}), "reviewRating.ratingValue", "expected a number"),
    (lambda r: r["reviewRating"].update({"ratingValue": True}), "reviewRating.ratingValue", "expected a number"),
    (lambda r: r["reviewRating"].pop("bestRating"), "reviewRating.bestRating", "expected a number"),
    (lambda r: r["reviewRating"].update({"worstRating": 5}), "reviewRating.worstRating", "less than bestRating 5"),
    (lambda r: r["author"].update({"name": "PolitiFact"}), "author.name", "fact-checking organisation"),
    (lambda r: r["author"].update({"@type": "Bot"}), "author.@type", "'Person' or"),
])
def test_each_malformed_field_is_named_with_what_was_expected(edit, field, says):
    record = valid()
    edit(record)
    found = problems(record)
    assert field in found, found
    assert says in found[field]
    assert found[field][0].islower() or found[field][0] in "'\"", found[field]


def test_against_the_case_the_author_must_be_who_made_the_claim():
    record = valid()
    record["itemReviewed"]["author"]["name"] = "Donald J. Trump"
    assert "published by Washington Examiner" in problems(record)["itemReviewed.author.name"]
    assert check_claim_review(record).ok  # without the case only the form is checked


def test_against_the_case_the_first_appearance_is_primary():
    tweet = CASE.sources["trump-tweet-2018-06-13"]
    record = sourcing.claim_review(claim="There is no longer a Nuclear Threat from North Korea.",
                                   claim_author="Donald J. Trump", claim_author_type="Person",
                                   claim_date=tweet.date, first_appearance=tweet.address, verdict="inaccurate",
                                   explanation="The IAEA reported grave concern.", reviewer="Class",
                                   review_date="2025-01-15", url="https://example.org/t")
    assert check_claim_review(record, CASE).ok
    record["itemReviewed"]["author"]["name"] = "Mike Pompeo"
    assert "expected the speaker on the source card" in problems(record)["itemReviewed.author.name"]
    record["itemReviewed"]["firstAppearance"]["url"] = CASE.sources["politico-analysis-2018-08-24"].address
    assert "secondary source" in problems(record)["itemReviewed.firstAppearance.url"]
    record["itemReviewed"]["firstAppearance"]["url"] = "https://example.org/elsewhere"
    assert "primary source card" in problems(record)["itemReviewed.firstAppearance.url"]


def test_no_record_or_not_a_dict():
    assert str(check_claim_review(None)).startswith("… No record yet: build one with sourcing.claim_review(")
    assert not check_claim_review(None).ok
    assert problems(["a", "list"]) == {"record": "expected a dict (a JSON object), got list"}
    assert str(check_claim_review({})).startswith("✘ ")


def test_review_of_needs_a_date_when_the_case_has_none():
    assert CASE.info.published is None
    record = sourcing.review_of(CASE, "c4", verdict="misleading", explanation="x", reviewer="y",
                                review_date="2025-01-15", url="https://example.org")   # no claim_date: no traceback
    assert record["itemReviewed"]["datePublished"] is None
    said = str(sourcing.check_claim_review(record, CASE))
    assert "the case gives no date for the article" in said and "pass claim_date=" in said


def test_the_reference_reading_is_labelled_as_the_packages_own():
    text = sourcing.reference_reading(CASE, "c4")
    assert "this package's own, not any fact-checker's" in text
    assert CASE.claims["c4"].verdict in text and CASE.claims["c4"].rationale in text


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
                           lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=5),
                           max_leaves=25)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_the_validator_answers_any_value_without_raising(value):
    result = check_claim_review(value, CASE)
    assert isinstance(result.ok, bool) and str(result)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["itemReviewed", "reviewRating", "author", "url", "datePublished", "claimReviewed"]),
       json_values)
def test_any_value_in_any_field_gets_messages_not_exceptions(field, value):
    record = copy.deepcopy(valid())
    record[field] = value
    assert isinstance(check_claim_review(record, CASE).problems, tuple)


def test_compare_pairs_checks_both_passages_before_comparing(capsys):
    pair = ("c14", "trump-remarks-2018-07-17", "And I think the relationships are very good.",
            "p4.s2", "Trump’s assurances of a good working relationship between the two countries")
    drifts = sourcing.compare_pairs(CASE, [pair])
    assert drifts["c14"] == compare(pair[2], pair[4])
    out = capsys.readouterr().out
    assert out.startswith("c14: trump-remarks-2018-07-17 → p4.s2 (found: exact and exact)\n") and "hedge" in out
    with pytest.raises(ValueError, match="c14: 'And I was sure' is not in trump-remarks-2018-07-17"):
        sourcing.compare_pairs(CASE, [(pair[0], pair[1], "And I was sure", *pair[3:])])
    with pytest.raises(KeyError, match="neither a sentence id"):
        sourcing.text_of(CASE, "p99.s1")
    assert sourcing.text_of(CASE, "p4.s2") == CASE.article.sentences["p4.s2"].text
