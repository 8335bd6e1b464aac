"""Lesson 02b-rating-claims: its exercise items against the case data and the library.

Split by lesson out of test_strand1_items.py: The exercise items of lessons 01 and 02 (strand 1, source-
checking) agree with the case data: each key follows from claims.toml, sources.csv or events.csv, and every
quotation in them is verbatim. Where a key rests on a reading rather than a field (which paraphrases drift,
and how), the expected answers are typed here from the research fact base (shared/research/facts.md, sections
2 and 5), so a change to an item that drifts from the record fails a test."""

import re

from course_lib import load_case
from course_lib.analysis import sourcing
from course_lib.case.files import VERDICTS

CASE = load_case()
ITEMS = {e.id: e for e in CASE.exercises if e.lesson in ("01", "02")}
CORPUS = [s.excerpt for s in CASE.sources] + [s.text for s in CASE.article.sentences]


def texts_of(item):
    yield from (item.prompt, item.explain, item.next, item.reveal, *item.hints)
    for o in item.options:
        yield from (o.text, o.feedback, o.accepted)
    for e in item.entries:
        yield from (e.text, e.explain, e.reveal, *e.feedback.values(), *e.partial.values(), *e.accepted.values())


def results(item_id="l2-lateral-search"):
    return {r.id: r for r in ITEMS[item_id].results}


def test_the_search_page_has_the_six_results_sheg_plans():
    """The outlet's About page, an encyclopedia entry, a media-bias rating, a news report, the op-ed's own site,
    an unrelated blog: the outlet's own pages and the blog are not independent, the other three are."""
    got = results()
    assert list(got) == ["about", "oped", "wiki", "blog", "rating", "news"]
    roles = {i: r.role for i, r in got.items()}
    assert roles == {"about": "own", "oped": "own", "wiki": "independent", "blog": "unrelated",
                     "rating": "independent", "news": "independent"}
    for r in got.values():
        own_site = r.address.startswith("https://www.washingtonexaminer.com/")
        assert own_site == (r.role == "own"), f"{r.id}: only the outlet's own pages are on its site"
    assert got["oped"].address == CASE.info.address and "/opinion/" in got["oped"].address


def test_every_quotation_in_a_result_is_verbatim_where_it_was_checked():
    """A quoted span in a snippet or an opened page stands in the result's note (the stored page, verbatim),
    in its source card's excerpt, or in the article; an unquoted snippet of an independent result too."""
    for r in results().values():
        where = [r.note] + ([CASE.sources[r.card].excerpt] if r.card else []) + CORPUS
        for text in (r.snippet, r.opened):
            for span in re.findall(r"“([^”]{4,})”", text):
                span = span.rstrip(".,")
                assert any(span in w for w in where), f"{r.id}: “{span}” is not verbatim where it was checked"
        if r.role != "unrelated" and "[" not in r.snippet:
            assert any(r.snippet.rstrip(".") in w for w in where), f"{r.id}: its snippet is not verbatim"


def test_what_could_not_be_checked_says_so_and_the_blog_is_labelled_made_up():
    got = results()
    assert "[unverified" in got["about"].snippet.casefold() or "unverified" in got["about"].snippet
    assert "unverified" in got["about"].opened.casefold() and "not verified" in got["about"].note
    blog = got["blog"]
    assert "[made up" in blog.title.casefold() and "made up" in blog.snippet.casefold()
    assert ".example.org/" in blog.address and "washington examiner" not in blog.snippet.casefold()
    for r in got.values():
        if r.role != "unrelated":
            assert r.note and (r.card or "http" in r.note or "article.md" in r.note), f"{r.id}: where it was checked"
        assert r.card == "" or r.card in CASE.sources


def test_the_independent_results_answer_who_is_behind_the_outlet():
    """Each independent result names the owner in what it shows once opened, and the owner's name matches
    the AP card the who-is-behind item rests on; the outlet's own pages do not give the leaning."""
    ap = CASE.sources["ap-report-2013-03-19"].excerpt
    for r in results().values():
        if r.role == "independent":
            assert "Anschutz" in r.opened and ("Anschutz" in r.note or "Anschutz" in CASE.sources[r.card].excerpt)
    assert "Philip Anschutz" in ap and "Clarity Media Group" in ap


def test_the_written_answer_has_a_three_level_rubric_with_samples():
    item = ITEMS["l2-lateral-write"]
    assert [lv.id for lv in item.levels] == ["beginning", "emerging", "mastery"]
    assert all(lv.text and len(lv.sample.split()) >= 15 for lv in item.levels)
    mastery = item.levels[-1]
    assert "Democratic president" in mastery.text and "Democratic president" in mastery.sample, "the mirror case"
    assert "not make it true" in mastery.sample, "the signal is about its logic, not about the outlet being right"
    assert "must be true" in item.levels[1].sample, "the emerging sample shows the over-reading the rubric names"


def test_who_is_behind_the_outlet_rests_on_the_saved_snippets():
    right = next(o for o in ITEMS["l2-lateral-who"].options if o.correct)
    snippet = CASE.sources["ap-report-2013-03-19"].excerpt
    assert "Philip Anschutz" in right.text and "Philip Anschutz" in snippet and "Clarity Media Group" in snippet
    assert "right-leaning" in snippet and "conservative-leaning" in right.text
    assert "/opinion/" in CASE.info.address and not CASE.info.author


def test_the_rating_item_agrees_with_the_reference_verdict_and_the_scale():
    item = ITEMS["l2-rate"]
    right = [o.id for o in item.options if o.correct]
    assert right == [CASE.claims["c4"].verdict]
    assert all(o.id in VERDICTS for o in item.options)
    for o in item.options:
        assert o.text.endswith(f"({sourcing.RATING_SCALE[o.id]})")
    # the literal reading (inaccurate) and the charitable one (missing context) are both defensible
    assert {o.id for o in item.options if o.accepted} == {"inaccurate", "missing-context"}
    assert "inaccurate" in CASE.claims["c4"].rationale
    assert "drops the hedge" not in CASE.claims["c4"].rationale  # "most likely" is inside the quotation


def test_the_party_rating_item_gets_the_same_scale_and_charity():
    """l2-rate-party rates the President's a1 as l2-rate rates the article's c4: the same scale, the
    reference verdict of claims.toml, and the charitable reading credited."""
    item = ITEMS["l2-rate-party"]
    assert [o.id for o in item.options if o.correct] == [CASE.party_claims["a1"].verdict]
    for o in item.options:
        assert o.id in VERDICTS and o.text.endswith(f"({sourcing.RATING_SCALE[o.id]})")
    assert {o.id for o in item.options if o.accepted} == {"overstated"}
    verdicts = ITEMS["l2-party-verdicts"]
    for e in verdicts.entries:
        assert e.key == CASE.party_claims[e.id].verdict, e.id


def test_a_third_of_the_fact_checking_items_of_lessons_01_and_02_judge_the_other_parties():
    """Of the items that judge a party (parties = [...]) in each of lessons 01 and 02, at least a third
    judge the administration, North Korea or China on their own claims: they name an a-claim by id,
    or an entry quotes one, and they list that party."""
    def party_claims_drawn(item):
        texts = " ".join(texts_of(item))
        return {c.speaker for c in CASE.party_claims
                if re.search(rf"\b{c.id}\b", texts) or any(c.text.rstrip(".") in e.text for e in item.entries)}

    for lesson in ("01", "02"):
        judging = [e for e in ITEMS.values() if e.lesson == lesson and e.parties]
        drawn = [e.id for e in judging if set(e.parties) - {"article"} and party_claims_drawn(e) & set(e.parties)]
        assert len(drawn) * 3 >= len(judging), (lesson, drawn, [e.id for e in judging])


def test_the_calibration_figure_has_items_to_read():
    rated = {i for i, e in ITEMS.items() if e.confidence}
    assert {"l1-sort", "l1-checkable", "l1-contested", "l2-anonymous", "l2-drift-spot", "l2-lateral-who",
            "l2-rate", "l1-party-sort", "l2-rate-party", "l2-party-verdicts"} == rated


def test_the_calibration_comes_last_in_lesson_02_and_reads_every_rated_item_of_01_02a_and_02b():
    """Lesson 02 is split (02a, 02b): "How sure were you?" must stay after the last rated item of both
    parts, and the items its cell asks for must be the rated items that 01, 02a and 02b show, items of
    02a among them, so it still finds what a student answered in the other notebooks."""
    import json
    from pathlib import Path

    notebooks = Path(__file__).resolve().parent.parent / "instructors" / "notebooks"
    parts = sorted(notebooks.glob("02*-*.ipynb"))
    assert [p.name[:3] for p in parts] == ["02a", "02b"]

    def code(path):
        return ["".join(c["source"]) for c in json.loads(path.read_text(encoding="utf-8"))["cells"]
                if c["cell_type"] == "code"]

    def shown(path):
        return [m for source in code(path) for m in re.findall(r'show\("([\w.-]+)"\)', source)]

    last = code(parts[-1])
    (at,) = [n for n, source in enumerate(last) if "progress.first_rated(" in source]
    assert all(n < at for n, source in enumerate(last) if "show(" in source), "an exercise comes after the calibration"
    assert not any("first_rated(" in source for source in code(parts[0]))
    (line,) = [line for line in last[at].splitlines() if line.startswith("asked =")]
    namespace = {"case": CASE}
    exec(line, namespace)
    rated = {i for p in [*notebooks.glob("01-*.ipynb"), *parts] for i in shown(p) if ITEMS[i].confidence}
    assert sorted(namespace["asked"]) == sorted(rated)
    assert set(namespace["asked"]) & set(shown(parts[0])), "the calibration reads no item of 02a"
