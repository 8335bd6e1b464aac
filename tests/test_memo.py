"""The final memo: checks that help without grading the conclusion, and exports that stay inert."""

from html.parser import HTMLParser

import pytest

from course_lib import load_case
from course_lib.frontend.memo import LABELS, RUBRIC, SECTIONS, Memo, Sentence, check, md_escape, to_html, to_markdown

CASE = load_case()


def filled(conclusion: str) -> Memo:
    m = Memo(title="Coordination or pressure?")
    m.write("claim", conclusion, "inference")
    for sid in ("trump-tweet-2018-08-24a", "pompeo-remarks-2018-08-23", "trump-tweet-2018-08-24c", "cnn-report-2018-08-24"):
        m.cite(sid)
    m.write("evidence", "Pompeo announced the trip on 23 August.", "fact", cite="pompeo-remarks-2018-08-23")
    m.write("evidence", "The CNN account rests in part on an unnamed source, so I weigh it lightly.", "inference",
            cite="cnn-report-2018-08-24")
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


def test_bad_input_gets_a_sentence(monkeypatch):
    from course_lib.frontend import memo as module
    monkeypatch.setattr(module, "_cell", lambda: None)  # each call its own cell: no earlier errors carried
    m = Memo()
    assert m.write("conclusion", "x", "fact").startswith("There is no section 'conclusion'")
    assert m.write("claim", "x", "true").startswith("Label the sentence fact, inference, opinion")
    assert m.write("claim", None, "fact") == "Write the sentence as text in quotes."
    assert m.add_result("n", "2").startswith("A result is a number computed")
    assert m.assess("Claim", 5).startswith("Rate one of")
    assert m.write("claim", "x", "fact", cite="a]\n[b").startswith("A citation is one id, without brackets")
    assert m.write("claim", "x", "fact", cite=3).startswith("Cite by id in quotes")
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
        m.write(section, "plain sentence", "opinion",                     # a typed citation is text too
                cite=[" ".join(text.replace("[", "(").replace("]", ")").split()), "e34"])
        m.set_text(section, m.sections[section] and "\n".join(x.as_line() for x in m.sections[section]))
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
    assert all(s.cites and "" not in s.cites for _, s in m.sentences() if s.text == "plain sentence")


def test_markdown_escape():
    assert md_escape("*a* <b> [c](d)") == r"\*a\* &lt;b&gt; \[c\]\(d\)"


def test_rubric_has_five_criteria_of_four_levels():
    assert len(RUBRIC) == 5 and all(sorted(c.levels) == [1, 2, 3, 4] for c in RUBRIC)


def test_the_memo_survives_a_restart(tmp_path):
    from course_lib.work import progress
    from course_lib.frontend.memo import open_memo
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
    from course_lib.frontend.memo import export
    shown = export(filled("A claim."), CASE, folder=tmp_path)
    assert (tmp_path / "my-memo.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert (tmp_path / "my-memo.md").read_text(encoding="utf-8").startswith("# Coordination or pressure?")
    assert "saved in" in repr(shown) and shown._repr_html_().count('download="my-memo') == 2


def test_the_memo_download_carries_the_memo_as_it_is_at_the_click(tmp_path):
    """Lesson 06 after Run All: the export cell ran on an empty memo; the student writes afterwards."""
    pytest.importorskip("ipywidgets")
    from test_progress import _click_download

    from course_lib.work import progress
    from course_lib.frontend.memo import export, open_memo
    memo = open_memo(CASE, folder=tmp_path / "work")
    shown = export(memo, CASE, folder=tmp_path)
    assert shown.files[0][1].decode().count("(empty)") == len(SECTIONS)
    memo.write("claim", "Written after the export cell ran.", "inference")
    files = _click_download(shown)
    assert "Written after the export cell ran." in files["my-memo.html"].decode()
    assert "Written after the export cell ran" in files["my-memo.md"].decode()
    assert "Written after" in (tmp_path / "my-memo.html").read_text(encoding="utf-8")
    assert progress.store(tmp_path / "work").last("l6-memo") is not None


def test_review_and_rubric_render_as_text_and_rich_output():
    from course_lib.frontend.memo import Rubric, review
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
    from course_lib.frontend import memo as module
    from course_lib.work import progress
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

    from course_lib.frontend import memo as module
    from course_lib.work import progress
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


def _run_writing_cells(memo):
    """What lesson 06's cells do: cite, record a result, quote and write."""
    memo.cite("trump-tweet-2018-08-24a")
    memo.add_result("reversals", 2, window_days=3)
    memo.quote("I have asked Secretary of State Mike Pompeo not to go", "trump-tweet-2018-08-24a")
    for n in range(3):
        memo.write("claim", f"Claim sentence {n}.", "inference")


def test_running_the_cells_twice_gives_the_memo_of_running_them_once(tmp_path):
    """Restart & Run All, or a re-run cell, never appends again; nor does it save the same memo again."""
    from course_lib.work import progress
    from course_lib.frontend.memo import open_memo
    memo = open_memo(CASE, folder=tmp_path)
    _run_writing_cells(memo)
    once, records = memo.to_dict(), len(progress.store(tmp_path).attempts())
    _run_writing_cells(memo)                       # the cell run again
    again = open_memo(CASE, folder=tmp_path)      # Restart & Run All: the memo as saved, then the cells
    _run_writing_cells(again)
    assert memo.to_dict() == once and again.to_dict() == once
    assert len(once["sections"]["claim"]) == 3 and len(once["results"]) == 1 and len(once["quotes"]) == 1
    assert len(progress.store(tmp_path).attempts()) == records, "nothing new is saved when nothing changed"
    assert "Already in Claim as sentence 2" in repr(memo.write("claim", "Claim sentence 1.", "inference"))


def test_every_part_can_be_edited_and_removed():
    memo = Memo(case=CASE)
    _run_writing_cells(memo)
    assert "labelled opinion" in repr(memo.write("claim", "Claim sentence 0.", "opinion"))
    assert memo.edit("claim", 2, "A better sentence.").startswith("Sentence 2 of Claim is replaced")
    assert memo.sections["claim"][1] == Sentence("A better sentence.", "inference")
    assert memo.remove("claim", 1).startswith("Sentence 1 of Claim is removed; 2 sentence(s)")
    assert [s.text for s in memo.sections["claim"]] == ["A better sentence.", "Claim sentence 2."]
    assert "give a number from 1 to 2" in repr(memo.remove("claim", 5))
    memo.uncite("trump-tweet-2018-08-24a")
    memo.remove_result("reversals")
    memo.unquote("I have asked Secretary of State Mike Pompeo not to go")
    assert memo.evidence == [] and memo.results == [] and memo.quotes == []
    assert "is not cited" in repr(memo.uncite("nobody")) and "There is no result" in repr(memo.remove_result("x"))


def test_one_calls_error_is_not_hidden_by_the_next_calls_message(monkeypatch):
    from course_lib.frontend import memo as memo_module
    cell = [7]
    monkeypatch.setattr(memo_module, "_cell", lambda: cell[0])
    memo = Memo(case=CASE)
    memo.write("claims", "A typo in the section.", "fact")   # the error, not the cell's last line
    memo.write("claim", "Right.", "facts")
    last = memo.write("claim", "Fine.", "fact")               # what the cell shows
    assert "Earlier in this cell: (1) There is no section 'claims'" in repr(last)
    assert "(2) Label the sentence fact, inference, opinion; 'facts'" in repr(last)
    cell[0] = 8                                               # the next cell starts clean
    assert "Earlier" not in repr(memo.write("claim", "Next.", "fact"))


# ---- sections as text, citations, quotations in sentences (issue #17) ----------------------------

def test_a_section_text_reads_as_labelled_sentences_and_back():
    from course_lib.frontend.memo import parse_section, render_section
    text = ("Pompeo announced the trip. [@pompeo-remarks-2018-08-23] [fact] It was called off. [INFERENCE]\n"
            "  A line without a label  \n\n*[opinion]* [@e34]\nLast one [@c1] [@c1] [@e34] [fact]")
    got = parse_section(text)
    assert got == [Sentence("Pompeo announced the trip.", "fact", ("pompeo-remarks-2018-08-23",)),
                   Sentence("It was called off.", "inference"),
                   Sentence("A line without a label", "", ("e34",)),   # a citation alone: the sentence before's
                   Sentence("Last one", "fact", ("c1", "e34"))]
    assert parse_section(render_section(got)) == got      # what a text area shows reads back the same
    assert parse_section("Ends with a citation [fact] [@c1]") == [Sentence("Ends with a citation", "fact", ("c1",))]


def test_set_text_is_the_typed_twin_of_a_text_area(monkeypatch):
    from course_lib.frontend import memo as module
    monkeypatch.setattr(module, "_cell", lambda: None)
    memo = Memo(case=CASE)
    note = memo.set_text("evidence", "One. [@trump-tweet-2018-08-24a] [fact]\nTwo without label [@no-such-id]")
    assert "2 sentence(s)" in note and "Sentence(s) 2 have no label yet" in note and "'no-such-id'" in note
    assert "unchanged" in memo.set_text("evidence", memo_text := module.render_section(memo.sections["evidence"]))
    assert memo_text.startswith("One. [@trump-tweet-2018-08-24a] [fact]")
    assert memo.set_text("claims", "x").startswith("There is no section 'claims'")
    assert memo.set_text("claim", 3).startswith("Give the section's text in quotes")
    found = {c.name: c for c in check(memo, CASE)}
    assert not found["every sentence labelled"].met and "Evidence 2" in found["every sentence labelled"].message
    assert "no-such-id" in found["evidence traced to primary sources"].message


def test_every_evidence_sentence_needs_a_citation():
    memo = filled("A claim.")
    assert all(c.met for c in check(memo, CASE))
    memo.write("evidence", "A sentence resting on nothing.", "fact")
    found = {c.name: c for c in check(memo, CASE)}["every evidence sentence cites its source"]
    assert not found.met and "Evidence sentence(s) 3 cite nothing" in found.message
    memo.write("evidence", "A sentence resting on nothing.", "fact", cite="e34")   # an event is a citation too
    assert all(c.met for c in check(memo, CASE))


@pytest.mark.parametrize("sentence, cites, met, says", [
    ("He said “most likely after our Trading relationship with China is resolved.”", ["trump-tweet-2018-08-24c"],
     True, "word for word in trump-tweet-2018-08-24c"),
    ('He said "most likely after our trading relationship with china is resolved"', ["trump-tweet-2018-08-24c"],
     True, "word for word"),                                   # straight quotes, case folded
    ("He said “probably after the trade relationship with China is resolved”", ["trump-tweet-2018-08-24c"],
     False, "is not word for word in trump-tweet-2018-08-24c"),  # drift
    ("He said “most likely after our Trading relationship with China is resolved”", [], False, "cites no card"),
    ("He said “most likely after our Trading relationship with China is resolved”", ["trump-tweet-2018-08-24a"],
     False, "is not word for word in trump-tweet-2018-08-24a"),  # the wrong card
])
def test_quotations_typed_into_sentences_are_checked_against_their_cards(sentence, cites, met, says):
    memo = Memo(case=CASE)
    memo.write("evidence", sentence, "fact", cite=cites)
    found = {c.name: c for c in check(memo, CASE)}["quotation in Evidence 1"]
    assert found.met is met and says in found.message


def test_a_quotation_cited_through_an_event_or_claim_is_checked_against_its_source_card():
    memo = Memo(case=CASE)
    event = next(e for e in CASE.events if e.quote and e.source)
    memo.write("evidence", f"The record says “{event.quote}”.", "fact", cite=event.id)
    memo.write("evidence", "The article says “no such words anywhere”.", "fact", cite="c1")
    found = {c.name: c.met for c in check(memo, CASE)}
    assert found["quotation in Evidence 1"] and not found["quotation in Evidence 2"]


def test_the_lessons_example_result_counts_only_once_its_settings_change():
    from course_lib.frontend.memo import example_result
    name, settings = example_result(CASE)
    memo = Memo(case=CASE)
    memo.add_result(name, 2, **settings)
    found = {c.name: c for c in check(memo, CASE)}["a quantitative result with its settings"]
    assert not found.met and "change at least one setting" in found.message
    memo.add_result(name, 3, **(settings | {"window_days": 7}))
    assert {c.name: c for c in check(memo, CASE)}["a quantitative result with its settings"].met


def test_assess_with_a_placeholder_says_what_to_type(monkeypatch):
    from course_lib.frontend import memo as module
    monkeypatch.setattr(module, "_cell", lambda: None)
    memo = Memo()
    assert memo.assess("Claim", ...) == "Replace each ... with your rating, a whole number from 1 to 4, then run the cell again."
    assert memo.assess("Claim", None).startswith("Replace each None with")
    assert memo.self_assessment == {}


def test_exports_carry_each_sentences_citations_and_print_well():
    memo = filled("A claim.")
    memo.write("reasoning", "=HYPERLINK(\"http://x\") and @SUM(A1) as typed.", "opinion", cite=["e34", "c1", "st01"])
    memo.add_result("reversals between U.S. actors toward North Korea", 4, window_days=7)
    memo.write("reasoning", "The count is 4.", "fact", cite="reversals between U.S. actors toward North Korea")
    page, md = to_html(memo, CASE), to_markdown(memo, CASE)
    assert "@media print" in page and "break-inside:avoid" in page
    sources = page.split("<h2>Sources</h2>", 1)[1]
    for ident in ("e34", "c1", "st01", "pompeo-remarks-2018-08-23"):
        assert f">{ident}</a>]</cite>" in page and f">{ident}: " in sources
    assert "result: reversals between U.S. actors toward North Korea = 4 (window_days=7)" in sources
    assert "\\=HYPERLINK" in md and "\\@SUM" in md and "\\[e34\\]" in md
    assert not any(line.lstrip().startswith(("=", "@", "+")) for line in md.splitlines())


def test_a_saved_memo_keeps_its_citations_and_unlabelled_sentences(tmp_path):
    from course_lib.work import progress
    from course_lib.frontend.memo import open_memo
    memo = open_memo(CASE, folder=tmp_path)
    memo.set_text("evidence", "Cited. [@e34] [fact]\nNot labelled yet")
    progress._STORES.clear()
    again = open_memo(CASE, folder=tmp_path)
    assert again.sections["evidence"] == [Sentence("Cited.", "fact", ("e34",)), Sentence("Not labelled yet", "")]


# ---- the editor: text areas and a citation picker (issue #17) -------------------------------------

class FakeLoop:
    """A kernel loop that runs its delayed calls only when told: what typing looks like to the editor."""

    def __init__(self):
        self.calls = []

    def call_later(self, delay, fn):
        loop = self

        class Handle:
            def cancel(self):
                loop.calls.remove(entry)
        entry = (delay, fn)
        self.calls.append(entry)
        return Handle()

    def run(self):
        calls, self.calls = self.calls, []
        for _, fn in calls:
            fn()


def _editor(tmp_path, loop=None):
    w = pytest.importorskip("ipywidgets")
    from course_lib.frontend.memoeditor import Editor
    from course_lib.frontend.memo import open_memo
    memo = open_memo(CASE, title="Mine", folder=tmp_path)
    return memo, Editor(memo, w, loop)


def _saves(tmp_path) -> int:
    from course_lib.work import progress
    return len(progress.store(tmp_path).attempts("l6-memo"))


def test_every_section_is_a_labelled_text_area_and_every_control_is_named(tmp_path):
    memo, ed = _editor(tmp_path)
    assert [a.description for a in ed.areas.values()] == [f"{h}:" for h in SECTIONS.values()]
    assert all(c.description for c in (ed.kind, ed.item, ed.sentence, ed.add))
    assert [label for label, _ in ed.kind.options] == ["Source cards", "Claims of the article", "Events (lesson 04a)",
                                                      "Statements (lesson 05a)", "Your results"]
    assert "course-exercise" in ed.view._dom_classes and "course-feedback-area" in ed.status._dom_classes


def test_typing_saves_once_the_typing_stops_not_at_every_keystroke(tmp_path):
    from course_lib.work import progress
    loop = FakeLoop()
    memo, ed = _editor(tmp_path, loop)
    text = "The decision was joint. [inference] The messaging was not. [fact]"
    for n in range(1, len(text) + 1, 7):               # keystrokes, as the browser sends them
        ed.areas["claim"].value = text[:n]
    ed.areas["claim"].value = text
    assert _saves(tmp_path) == 0 and len(loop.calls) == 1   # one save waiting, none written yet
    assert memo.sections["claim"][1] == Sentence("The messaging was not.", "fact")  # the memo follows at once
    loop.run()
    assert _saves(tmp_path) == 1 and "Saved at" in ed.status.value and "Claim: 2 sentence(s)" in ed.status.value
    progress._STORES.clear()                                  # a new kernel: the text comes back from the file
    memo2, ed2 = _editor(tmp_path)
    assert memo2.sections["claim"] == memo.sections["claim"]
    assert ed2.areas["claim"].value == "The decision was joint. [inference]\nThe messaging was not. [fact]"


def test_a_missing_label_or_unknown_citation_gets_a_sentence_not_a_traceback(tmp_path):
    memo, ed = _editor(tmp_path)
    ed.areas["evidence"].value = "No label here [@no-such-card]"
    assert "have no label yet" in ed.status.value and "&#x27;no-such-card&#x27;" in ed.status.value
    ed.areas["evidence"].value = "<script>alert(1)</script> [@<b>x</b>] [fact]"
    assert "<script>" not in ed.status.value and "<b>" not in ed.status.value


def test_the_picker_cites_an_evidence_sentence_and_saves_at_once(tmp_path):
    memo, ed = _editor(tmp_path, loop := FakeLoop())
    assert ed.add.disabled                                   # no evidence sentence yet
    memo.write("evidence", "Pompeo announced the trip.", "fact")   # a typed call: the view follows
    memo.write("evidence", "The President called it off.", "fact")
    assert ed.areas["evidence"].value == "Pompeo announced the trip. [fact]\nThe President called it off. [fact]"
    ed.kind.value = "events"
    ed.item.value = "e34"
    ed.sentence.value = 2
    before = _saves(tmp_path)
    ed.add.click()
    assert memo.sections["evidence"][1].cites == ("e34",) and _saves(tmp_path) == before + 1
    assert ed.areas["evidence"].value.endswith("The President called it off. [@e34] [fact]")
    assert "now cites e34: 2018-08-24" in ed.status.value
    ed.add.click()
    assert "already cites e34" in ed.status.value
    ed.areas["evidence"].value += "\nA third, typed in the box. [fact]"
    assert len(ed.sentence.options) == 2                      # not at every keystroke...
    loop.run()                                                # ...but once the typing stops
    assert [label[:9] for label, _ in ed.sentence.options] == ["1: Pompeo", "2: The Pr", "3: A thir"]
    ed.kind.value = "results"
    assert ed.item.value is None and ed.add.disabled          # no result yet: nothing to pick
    memo.add_result("reversals", 2, window_days=1)
    assert ed.item.value == "reversals" and not ed.add.disabled


def test_a_typed_call_never_rewrites_what_the_student_typed_in_other_words(tmp_path):
    memo, ed = _editor(tmp_path)
    typed = "  Spaced   out  claim.   [Inference]  "
    ed.areas["claim"].value = typed
    memo.write("evidence", "Another section changes.", "fact", cite="e34")
    assert ed.areas["claim"].value == typed                   # same meaning: left as typed
    memo.clear("claim")
    assert ed.areas["claim"].value == ""


def test_running_the_editor_cell_again_shows_the_saved_memo_once(tmp_path):
    from course_lib.work import progress
    memo, ed = _editor(tmp_path)
    ed.areas["rival"].value = "A pressure tactic. [inference]"
    progress._STORES.clear()
    memo2, ed2 = _editor(tmp_path)                             # the cell run again, or Restart & Run All
    assert ed2.areas["rival"].value == "A pressure tactic. [inference]"
    assert len(memo2.sections["rival"]) == 1 and _saves(tmp_path) == 1


def test_a_corrupt_work_file_is_set_aside_and_the_editor_still_opens(tmp_path):
    (tmp_path / "progress.json").write_text("{not json", encoding="utf-8")
    memo, ed = _editor(tmp_path)
    ed.areas["claim"].value = "Still works. [opinion]"
    assert list(tmp_path.glob("progress.corrupt-*.json"))
    assert "set aside" in ed.status.value and memo.sections["claim"] == [Sentence("Still works.", "opinion")]


def test_the_editor_as_text_names_the_plain_calls():
    from course_lib.frontend.memoeditor import as_text
    memo = Memo(case=CASE)
    memo.write("claim", "Mine.", "inference", cite="c1")
    text = as_text(memo)
    assert "memo.set_text(" in text and "Claim:\n  Mine. [@c1] [inference]" in text and "Evidence: (empty)" in text


def test_opening_the_memo_again_in_the_same_kernel_keeps_the_boxes_and_the_calls_on_one_memo(tmp_path):
    """Re-running the cell that opens the memo must not leave the text areas editing an old copy."""
    memo, ed = _editor(tmp_path)
    from course_lib.frontend.memo import open_memo
    again = open_memo(CASE, title="Mine", folder=tmp_path)      # the open cell run again
    assert again is memo
    ed.areas["claim"].value = "Typed in the box. [inference]"
    again.write("rival", "A call after it.", "inference")
    from course_lib.work import progress
    progress._STORES.clear()
    saved = open_memo(CASE, folder=tmp_path)                     # a new kernel
    assert saved.sections["claim"] == [Sentence("Typed in the box.", "inference")] and len(saved.sections["rival"]) == 1


def test_a_typed_call_run_again_keeps_the_citations_added_since_and_edit_keeps_them_too():
    memo = Memo(case=CASE)
    memo.write("evidence", "Pompeo announced the trip.", "fact")
    memo.sections["evidence"][0] = Sentence("Pompeo announced the trip.", "fact", ("e31",))  # the picker's
    assert "nothing added" in repr(memo.write("evidence", "Pompeo announced the trip.", "fact"))
    memo.write("evidence", "Pompeo announced the trip.", "fact", cite="pompeo-remarks-2018-08-23")
    assert memo.sections["evidence"][0].cites == ("e31", "pompeo-remarks-2018-08-23")
    memo.edit("evidence", 1, "Pompeo announced the trip on 23 August. [@c4]")
    assert memo.sections["evidence"][0] == Sentence("Pompeo announced the trip on 23 August.", "fact",
                                                    ("e31", "pompeo-remarks-2018-08-23", "c4"))
