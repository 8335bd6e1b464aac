"""The final memo: checks that help without grading the conclusion, and exports that stay inert."""

from html.parser import HTMLParser

import pytest

from course_lib import load_case
from course_lib.memo import LABELS, RUBRIC, SECTIONS, Memo, check, md_escape, to_html, to_markdown

CASE = load_case()


def filled(conclusion: str) -> Memo:
    m = Memo(title="Coordination or pressure?")
    m.write("claim", conclusion, "inference")
    for sid in ("trump-tweet-2018-08-24a", "pompeo-remarks-2018-08-23", "trump-tweet-2018-08-24c", "cnn-report-2018-08-24"):
        m.cite(sid)
    m.write("evidence", "Pompeo announced the trip on 23 August.", "fact")
    m.write("evidence", "The CNN account rests in part on an unnamed source, so I weigh it lightly.", "inference")
    m.add_result("State-then-President reversals", 2, window_days=3, min_jump=4.0)
    m.write("reasoning", "word " * 620, "inference")
    m.write("rival", "A pressure tactic would also explain the tweets.", "inference")
    m.write("uncertainty", "The letter is known only through anonymous officials.", "opinion")
    m.quote("most likely after our Trading relationship with China is resolved", "trump-tweet-2018-08-24c")
    return m


@pytest.mark.parametrize("conclusion", ["The cancellation shows uncoordinated messaging.",
                                        "The cancellation was a coordinated pressure tactic."])
def test_checks_do_not_depend_on_the_conclusion(conclusion):
    results = {c.name: c.met for c in check(filled(conclusion), CASE)}
    assert all(results.values()), results


def test_checks_say_what_is_missing():
    m = Memo()
    m.cite("no-such-card")
    m.quote("China is sabotaging talks", "trump-tweet-2018-08-24b")
    found = {c.name: c for c in check(m, CASE)}
    assert not found["length"].met and "0 words" in found["length"].message
    assert "Not in the case: no-such-card" in found["evidence traced to primary sources"].message
    assert not found["a quantitative result with its settings"].met
    assert not found["quotation from trump-tweet-2018-08-24b"].met


def test_bad_input_gets_a_sentence():
    m = Memo()
    assert m.write("conclusion", "x", "fact").startswith("There is no section 'conclusion'")
    assert m.write("claim", "x", "true").startswith("Label the sentence fact, inference, opinion")
    assert m.write("claim", None, "fact") == "Write the sentence as text in quotes."
    assert m.add_result("n", "2").startswith("A result is a number computed")
    assert m.assess("Claim", 5).startswith("Rate one of")
    assert m.sentences() == []


class Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attrs = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [k for k, _ in attrs]


HOSTILE = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "**bold** [link](javascript:x) # head",
           "x" * 50_000, "Ünïcødé — “quotes” 中文 🙂", "", "</p></main><h1>injected</h1>", "| a | b |\n---"]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_exports_are_well_formed_and_inert(text):
    m = Memo(title=text or "untitled")
    for section in SECTIONS:
        m.write(section, text or "   ", LABELS[0])
        m.write(section, "plain sentence", "opinion")
    m.cite("iaea-report-2018-08-20")
    m.assess("Claim", 3)
    page = to_html(m, CASE)
    parser = Collector()
    parser.feed(page)
    assert "script" not in parser.tags and "img" not in parser.tags and parser.tags.count("h1") == 1
    assert not [a for a in parser.attrs if a.startswith("on")]
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en">' in page
    md = to_markdown(m, CASE)
    assert "<script" not in md and "<img" not in md and "\n# " not in md.split("\n", 1)[1].replace("\n## ", "")
    assert "https://" in md  # citations resolved to addresses


def test_markdown_escape():
    assert md_escape("*a* <b> [c](d)") == r"\*a\* &lt;b&gt; \[c\]\(d\)"


def test_rubric_has_five_criteria_of_four_levels():
    assert len(RUBRIC) == 5 and all(sorted(c.levels) == [1, 2, 3, 4] for c in RUBRIC)


def test_the_memo_survives_a_restart(tmp_path):
    from course_lib import progress
    from course_lib.memo import open_memo
    memo = open_memo(CASE, title="Mine", folder=tmp_path)
    assert memo.cite("trump-tweet-2018-08-24a").startswith("Cited trump-tweet-2018-08-24a: Donald J. Trump")
    memo.write("claim", "The decision was joint; the messaging was not.", "inference")
    memo.add_result("reversals", 2, window_days=3)
    progress._STORES.clear()                          # a new kernel knows nothing in memory
    again = open_memo(CASE, folder=tmp_path)          # a new kernel: the memo comes back from the work file
    assert again.to_dict() == memo.to_dict() and again.title == "Mine"
    assert progress.store(tmp_path).last("l6-memo").verdict == "kept"


def test_unknown_cards_are_named_not_cited():
    memo = Memo(case=CASE)
    assert memo.cite("trump-tweet").startswith("There is no source card 'trump-tweet'. Did you mean")
    assert memo.evidence == []


def test_export_writes_both_files_and_offers_them(tmp_path):
    from course_lib.memo import export
    shown = export(filled("A claim."), CASE, folder=tmp_path)
    assert (tmp_path / "my-memo.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert (tmp_path / "my-memo.md").read_text(encoding="utf-8").startswith("# Coordination or pressure?")
    assert "saved in" in repr(shown) and shown._repr_html_().count('download="my-memo') == 2


def test_review_and_rubric_render_as_text_and_rich_output():
    from course_lib.memo import Rubric, review
    report = review(Memo(), CASE)
    assert repr(report).startswith("0 of ") and "✘ not yet — length" in repr(report)
    assert "<li>" in report._repr_html_()
    rubric = Rubric({"Claim": 3})
    assert "(your rating: 3)" in repr(rubric) and rubric._repr_markdown_().count("\n") == 6


# -- issue #15: a restored memo record is untrusted ------------------------------------------------

@pytest.mark.parametrize("damage", [
    {"sections": ["claim"]}, {"evidence": 5}, {"results": [{"name": "r", "value": 1.0, "settings": "abc"}]},
    {"sections": {"claim": [{"text": ["x"], "label": "fact"}, {"text": "ok", "label": ["fact"]}]}},
    {"self_assessment": ["Claim", 4]}, {"quotes": 7}, {"title": {"a": 1}}, {"results": 3},
    {"sections": {"claim": "text"}, "evidence": {"a": 1}, "self_assessment": 5},
])
def test_a_record_of_the_wrong_kinds_still_opens(tmp_path, damage):
    from course_lib import memo as module, progress
    store = progress.store(tmp_path / "work")
    good = {"title": "Mine", "sections": {"claim": [{"text": "A claim.", "label": "inference"}]},
            "evidence": ["trump-tweet-2018-08-24a"], "results": [], "quotes": [], "self_assessment": {}}
    store.record(module.MEMO_ITEM, {**good, **damage}, "kept")
    memo = module.open_memo(CASE, folder=tmp_path / "work")
    assert isinstance(memo, Memo) and memo.title in ("Mine", "Memo")
    memo.write("claim", "Still works.", "fact")
    if "sections" not in damage:
        assert [s.text for s in memo.sections["claim"]] == ["A claim.", "Still works."]


def test_a_record_dated_in_the_future_does_not_hide_later_edits(tmp_path):
    import json

    from course_lib import memo as module, progress
    old = Memo(title="From the file")
    old.write("claim", "Restored claim.", "fact")
    record = {"id": "f" * 32, "item": module.MEMO_ITEM, "answer": old.to_dict(), "verdict": "kept", "score": None,
              "attempt": 1, "hints": 0, "seconds": None, "confidence": None, "feedback": "",
              "at": "9999-12-31T23:59:59+00:00"}
    upload = {"format": "course-lib-progress", "version": 1, "student": "anon-0000abcd", "records": [record]}
    store = progress.store(tmp_path / "work")
    store.restore(json.dumps(upload))
    memo = module.open_memo(CASE, folder=tmp_path / "work")
    assert [s.text for s in memo.sections["claim"]] == ["Restored claim."]
    memo.write("claim", "A later edit.", "inference")
    progress._STORES.clear()
    again = module.open_memo(CASE, folder=tmp_path / "work")
    assert [s.text for s in again.sections["claim"]] == ["Restored claim.", "A later edit."]
