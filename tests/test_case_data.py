"""Audits of the bundled case: what a student relies on being true of the data.

The expected texts here are typed from the research fact base (shared/research/facts.md), not read
from the case files, so a change to a card that drifts from the record fails a test.
"""

from dataclasses import FrozenInstanceError

import pytest

from course_lib import load_case
from course_lib.case.records import Case

CASE = load_case()

# Row T36 of the fact base: the three tweets of Friday 24 August 2018, verbatim.
TWEETS_24_AUG = {
    "trump-tweet-2018-08-24a": "I have asked Secretary of State Mike Pompeo not to go to North Korea, at this "
    "time, because I feel we are not making sufficient progress with respect to the denuclearization of "
    "the Korean Peninsula...",
    "trump-tweet-2018-08-24b": "...Additionally, because of our much tougher Trading stance with China, I do "
    "not believe they are helping with the process of denuclearization as they once were (despite the UN "
    "Sanctions which are in place)...",
    "trump-tweet-2018-08-24c": "...Secretary Pompeo looks forward to going to North Korea in the near future, "
    "most likely after our Trading relationship with China is resolved. In the meantime I would like to "
    "send my warmest regards and respect to Chairman Kim. I look forward to seeing him soon!",
}


@pytest.mark.parametrize("card", sorted(TWEETS_24_AUG))
def test_the_three_24_aug_tweets_are_verbatim(card):
    source = CASE.sources[card]
    assert source.excerpt == TWEETS_24_AUG[card]
    assert (source.kind, source.level, source.sourcing) == ("tweet", "primary", "on-record")
    assert source.date.isoformat() == "2018-08-24"


def test_sizes_the_lessons_rely_on():
    assert len(CASE.sources) >= 20
    assert len(CASE.events) >= 35
    assert len(CASE.statements) >= 15
    assert len(CASE.article.paragraphs) == 6
    assert [len(p) for p in CASE.article.paragraphs] == [4, 3, 2, 2, 3, 1]


def test_article_text_is_the_case_text_without_page_navigation(tmp_path):
    research = "Trump’s tweets show lack of coordination and strategy in North Korea negotiations"
    assert CASE.article.title == research
    assert CASE.article.sentences["p1.s2"].text == (
        "Just one day earlier, on Thursday, Pompeo had announced that he would be traveling to North "
        "Korea next week.")
    assert "Related Content" not in CASE.article.text
    assert CASE.article.text.endswith("so confident in earlier this summer.")


REQUIRED_CARDS = {
    # id: (kind, level, sourcing)
    "pompeo-remarks-2018-08-23": ("remarks", "primary", "on-record"),
    "trump-tweet-2018-06-13": ("tweet", "primary", "on-record"),
    "dprk-fm-statement-2018-07-07": ("statement", "primary", "on-record"),
    "pompeo-remarks-2018-07-08": ("remarks", "primary", "on-record"),
    "iaea-report-2018-08-20": (None, "primary", "on-record"),
    "wapo-rogin-2018-08-27": (None, "secondary", "anonymous"),
    "politico-analysis-2018-08-24": ("news-analysis", "secondary", None),
    "examiner-oped-2018-08": ("op-ed", "secondary", "on-record"),
    "state-readout-2018-10-07": (None, "primary", "on-record"),
    "cnn-report-2018-08-24": ("news-report", "secondary", None),
    "ustr-tariffs-2018-08-23": (None, "primary", "on-record"),
    "china-tariffs-2018-08-23": (None, "primary", "on-record"),
}


@pytest.mark.parametrize("card", sorted(REQUIRED_CARDS))
def test_required_source_cards(card):
    source = CASE.sources[card]
    kind, level, sourcing = REQUIRED_CARDS[card]
    assert kind in (None, source.kind)
    assert source.level == level
    assert sourcing in (None, source.sourcing)
    assert source.address.startswith(("http://", "https://")) and source.excerpt


def test_key_excerpts():
    assert "He and I will be traveling to North Korea next week" in CASE.sources["pompeo-remarks-2018-08-23"].excerpt
    assert "Biegun" in CASE.sources["pompeo-remarks-2018-08-23"].note + CASE.sources["pompeo-remarks-2018-08-23"].excerpt
    assert "There is no longer a Nuclear Threat from North Korea." in CASE.sources["trump-tweet-2018-06-13"].excerpt
    assert "gangster-like" in CASE.sources["dprk-fm-statement-2018-07-07"].excerpt
    assert "If those requests were gangster-like, the world is a gangster." in CASE.sources["pompeo-remarks-2018-07-08"].excerpt
    assert "grave concern" in CASE.sources["iaea-report-2018-08-20"].excerpt
    assert "sufficiently belligerent" in CASE.sources["wapo-rogin-2018-08-27"].excerpt
    assert "10 minutes before" in CASE.sources["cnn-report-2018-08-24"].excerpt
    assert "pressure tactic" in CASE.sources["politico-analysis-2018-08-24"].excerpt


def test_the_dprk_statement_is_known_only_through_reports():
    card = CASE.sources["dprk-fm-statement-2018-07-07"]
    assert card.via, "the card must say whose report the statement is read in"


EXPECTED_CLAIMS = {
    # facts.md section 2: claim id -> sentence
    "c1": "p1.s1", "c2": "p1.s2", "c3": "p2.s1", "c4": "p2.s1", "c5": "p2.s2", "c6": "p2.s2",
    "c7": "p2.s3", "c8": "p2.s3", "c9": "p3.s1", "c10": "p3.s1", "c11": "p3.s2", "c12": "p3.s1",
    "c13": "p4.s2", "c14": "p4.s2", "c15": "p5.s2", "c16": "p6.s1",
    "o1": "p1.s3", "o2": "p1.s4", "o3": "p4.s1", "o4": "p4.s2", "o5": "p5.s1", "o6": "p5.s3", "o7": "p6.s1",
}


@pytest.mark.parametrize("claim", sorted(EXPECTED_CLAIMS))
def test_every_claim_is_tied_to_its_sentence(claim):
    c = CASE.claims[claim]
    assert c.sentence == EXPECTED_CLAIMS[claim]
    assert c.rationale and c.text
    if claim.startswith("o"):
        assert (c.type, c.verdict) == ("opinion", "not-checkable")
    else:
        assert c.type != "opinion" and c.sources


def test_the_subtle_findings_are_recorded():
    assert CASE.claims["c4"].verdict in ("misleading", "inaccurate")      # "would not be heading ... most likely after"
    assert "looks forward" in CASE.claims["c4"].rationale
    assert CASE.claims["c3"].verdict == "overstated"                      # "hinged" on China
    assert CASE.claims["c7"].verdict == "ambiguous"                       # "the two countries"
    assert CASE.claims["c1"].verdict == "accurate" and "at this time" in CASE.claims["c1"].rationale
    assert any(CASE.sources[s].is_anonymous for s in CASE.claims["c10"].sources)   # "secret facilities"
    weighing = set(CASE.claims["o3"].sources) | set(CASE.claims["o1"].sources)
    assert "cnn-report-2018-08-24" in weighing                            # "in the room", omitted by the article


def test_article_quotations_match_their_sources():
    by_text = {q.text: q for q in CASE.quotes}
    assert set(by_text) == {
        "because I feel we are not making sufficient progress with respect to the denuclearization of the Korean Peninsula",
        "most likely after our Trading relationship with China is resolved",
        "no longer a nuclear threat", "gangster-like", "carrots"}
    for q in CASE.quotes:
        if q.kind == "quotation":
            excerpt = CASE.sources[q.source].excerpt
            if q.match == "exact":
                assert q.text in excerpt
            else:
                assert q.text not in excerpt and q.text.casefold() in excerpt.casefold()
    assert by_text["no longer a nuclear threat"].match == "case-folded"   # the tweet says "Nuclear Threat"
    assert by_text["carrots"].kind == "scare-quote" and not by_text["carrots"].source


def test_event_dates_lie_in_the_case_period():
    start, end = CASE.info.period_start, CASE.info.period_end
    assert all(start <= e.date <= end for e in CASE.events)
    assert min(e.date for e in CASE.events) == start      # the Tillerson precedent, Sep 2017
    assert max(e.date for e in CASE.events) == end        # Pompeo in Pyongyang, 7 Oct 2018
    assert [e.date for e in CASE.events] == sorted(e.date for e in CASE.events)


def test_event_quotes_and_statements_are_verbatim():
    for e in CASE.events:
        assert e.quote in CASE.sources[e.source].excerpt
    for s in CASE.statements:
        assert s.text in CASE.sources[s.source].excerpt


@pytest.mark.parametrize("code, weight", [
    # pedagogy.md section 3.2, from GDELT's CAMEO.goldsteinscale.txt
    ("013", 0.4), ("036", 4.0), ("042", 1.9), ("057", 8.0), ("111", -2.0), ("125", -5.0),
    ("160", -4.0), ("163", -8.0), ("164", -7.0),
])
def test_goldstein_weights_come_from_the_pinned_table(code, weight):
    assert CASE.codebook[code].goldstein == weight
    for e in CASE.events:
        if e.cameo == code:
            assert e.goldstein == weight


def test_events_know_their_government_and_every_actor_is_used():
    for e in CASE.events:
        assert e.government == CASE.actors[e.actor].government
    assert {"PRES", "STATE"} <= {e.actor for e in CASE.events}


def test_statements_are_coded_on_the_case_dimensions():
    dims = CASE.dimensions
    assert {"D1", "D2", "D3"} <= set(dims.ids)
    for s in CASE.statements:
        assert set(s.codes) == set(dims.ids)
        assert any(s.codes.values())
        for dim, code in s.codes.items():
            assert code is None or code in dims[dim].values


def test_records_are_frozen():
    with pytest.raises(FrozenInstanceError):
        CASE.sources["trump-tweet-2018-08-24a"].excerpt = "edited"
    with pytest.raises(TypeError):
        CASE.statements[0].codes["D1"] = "2"


def test_loading_is_cached_until_a_file_changes(case_copy):
    first = load_case(case_copy)
    assert load_case(case_copy) is first
    path = case_copy / "case.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("Opinion", "Op-ed"), encoding="utf-8")
    second = load_case(case_copy)
    assert second is not first and second.info.section == "Op-ed"
    assert isinstance(load_case(), Case) and load_case() is CASE


def test_table_lookup_says_what_exists():
    with pytest.raises(KeyError, match="no record with id 'trump-tweet'; did you mean"):
        CASE.sources["trump-tweet"]
    assert CASE.sources[0] is next(iter(CASE.sources))
    assert "trump-tweet-2018-08-24a" in CASE.sources


def test_the_other_parties_are_fact_checked_to_the_same_standard():
    """At least ten checkable claims of the administration, North Korea or China carry a verdict on
    the article's scale, with evidence beyond the words themselves on cards with an address."""
    from course_lib.case.files import VERDICTS
    checkable = [c for c in CASE.party_claims if c.type != "opinion" and c.verdict != "not-checkable"]
    assert len(checkable) >= 10
    assert {CASE.actors[c.speaker].government for c in CASE.party_claims} >= {"USA", "PRK", "CHN"}
    for c in CASE.party_claims:
        assert c.verdict in VERDICTS and c.rationale and c.sentence == ""
        assert c.text in CASE.sources[c.said_in].excerpt
        assert [s for s in c.sources if s != c.said_in], c.id
        for s in c.sources:
            assert CASE.sources[s].address.startswith("http") and CASE.sources[s].excerpt
    # the same record, the same reading: the tweet of 24 Aug and the article's c9 stand or fall together
    assert CASE.party_claims["a11"].verdict == CASE.claims["c9"].verdict == "accurate"
