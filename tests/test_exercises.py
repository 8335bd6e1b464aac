"""Exercises answer back: every kind's verdicts and explanations, and feedback for any value at all."""

import datetime as dt
import html
import math
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import replace_in
from course_lib import CaseError, load_case
from course_lib.checking.checks import CORRECT, INCORRECT, KEPT, PARTLY, UNANSWERED, Feedback, check, reference_answer

CASE = load_case()
ITEMS = {e.id: e for e in CASE.exercises}
VERDICTS = {CORRECT, PARTLY, INCORRECT, UNANSWERED, KEPT}


def fb(item_id, value) -> Feedback:
    return check(ITEMS[item_id], value, CASE.sources)


# ---- one kind at a time -------------------------------------------------------------------------

def test_single_choice_explains_each_wrong_option():
    wrong = [o for o in ITEMS["l0-single"].options if not o.correct]
    for option in wrong:
        f = fb("l0-single", option.id)
        assert f.verdict == INCORRECT and option.feedback in f.message
        assert f.misconceptions == (option.misconception,)
    right = fb("l0-single", "b")
    assert right.verdict == CORRECT and "Thursday 23 August 2018" in right.message
    assert right.evidence.startswith("source card pompeo-remarks-2018-08-23 (")
    assert right.next == ITEMS["l0-single"].next
    assert fb("l0-single", " B ").verdict == CORRECT                     # ids are forgiving about case and space
    assert fb("l0-single", "Thursday 23 August 2018").verdict == CORRECT  # so is the option's text


def test_an_accepted_alternative_counts_and_says_why():
    f = fb("l0-pre2", "prediction")
    assert f.verdict == CORRECT and "Accepted:" in f.message


def test_multiple_choice_gives_partial_credit_per_option():
    f = fb("l0-multiple", ["a", "c"])
    assert f.verdict == PARTLY and f.score == 0.5
    assert any(d.startswith("b: missed.") for d in f.details)
    assert any(d.startswith("c: should not be picked.") for d in f.details)
    assert f.misconceptions == ("on-record-equals-primary",)
    assert fb("l0-multiple", {"a", "b"}).verdict == CORRECT
    assert fb("l0-multiple", ["c", "d"]).verdict == INCORRECT


def test_classify_says_which_entries_are_right():
    f = fb("l0-classify", {"p2.s2": "fact", "p4.s1": "opinion", "p2.s3": "opinion"})
    assert f.verdict == PARTLY and f.score == pytest.approx(2 / 3)
    assert any(d.startswith("p2.s3: not opinion. It is checkable, only not yet") for d in f.details)
    assert fb("l0-classify", ["fact", "opinion", "prediction"]).verdict == CORRECT   # a list in entry order
    assert fb("l0-classify", {"p2.s2": "checkable fact"}).verdict == PARTLY          # category text works too


def test_classify_names_an_unknown_category():
    f = fb("l0-classify", {"p2.s2": "rumour"})
    assert f.verdict == INCORRECT
    assert "'rumour' is not one of fact, opinion, prediction" in " ".join(f.details)


def test_match_reveals_nothing_it_should_not_and_scores_each_entry():
    f = fb("l0-match", {"q1": "china", "q2": "china", "q3": "dprk"})
    assert f.verdict == PARTLY and f.misconceptions == ("attribution-swap",)


def test_order_names_the_swapped_pairs():
    f = fb("l0-order", ["summit", "gangster", "iaea", "tweets", "announce"])
    assert f.verdict == PARTLY and f.score == pytest.approx(0.9)
    assert f.details == ("announce comes before tweets. 23 August 2018.",)
    assert "Kendall tau distance of 1: the number of pairs that would need swapping" in f.message
    assert fb("l0-order", ["summit", "gangster", "iaea", "announce", "tweets"]).verdict == CORRECT
    missing = fb("l0-order", ["summit", "gangster"])
    assert missing.verdict == INCORRECT and "Missing: iaea, announce, tweets." in missing.message


def test_numeric_names_the_typical_mistake():
    assert fb("l0-numeric", 1).verdict == CORRECT
    assert fb("l0-numeric", "1").verdict == CORRECT
    fence = fb("l0-numeric", 2)
    assert fence.verdict == INCORRECT and fence.misconceptions == ("fencepost",)
    assert "too high" in fb("l0-numeric", 5).message
    assert "yes/no value" in fb("l0-numeric", True).message
    assert "not a finite number" in fb("l0-numeric", math.nan).message
    assert "not a number" in fb("l0-numeric", "one").message


def days_between(first, second):
    return (second - first).days


def test_code_passes_hidden_cases():
    f = fb("l0-code", days_between)
    assert f.verdict == CORRECT and "passed all 4 hidden cases" in f.message


def test_code_wrong_type_is_a_hint():
    f = fb("l0-code", lambda a, b: str((b - a).days))
    assert f.verdict == INCORRECT
    assert f.details[0] == ("The announcement and the tweets. Input: first = 2018-08-23, second = 2018-08-24. "
                            "Expected 1; days_between gave '1' (a str, where a number is expected).")


def test_a_failed_case_is_named_in_the_students_terms():
    """Input (event ids, dates, offices, weights), expected and got, short and readable: no repr of dicts."""
    def keeps_every_pair(events, window_days, min_jump, neutral):
        ordered = sorted(events, key=lambda e: (e["date"], e["id"]))
        return [[a["id"], b["id"]] for i, a in enumerate(ordered) for b in ordered[i + 1:]]
    f = fb("l4-code-reversals", keeps_every_pair)
    assert f.verdict == PARTLY and len(f.details) == 5
    same_actor = next(d for d in f.details if d.startswith("Two signals by one actor"))
    assert same_actor.endswith("Input: events = [a (2018-08-24, PRES of USA toward PRK, -4.0); "
                               "b (2018-08-24, PRES of USA toward PRK, +4.0)], window_days = 3, min_jump = 4.0, "
                               "neutral = 1.0. Expected []; find_reversals gave [['a', 'b']].")
    assert "Input: events = [s23 (2018-08-23, STATE of USA toward PRK, +4.0); " \
           "p24 (2018-08-24, PRES of USA toward CHN, -2.0)]" in " ".join(f.details)
    assert "'date':" not in " ".join(f.details) and "datetime.date(" not in " ".join(f.details)
    five_days = next(d for d in f.details if d.startswith("Five days apart"))
    assert five_days.endswith("Expected []; find_reversals gave [['s23', 'p28']].")


def test_a_failed_case_shows_times_offsets_and_rounded_numbers():
    lag = fb("l4-code-lag", lambda first, second: [(second["date"] - first["date"]).days, "days"])
    assert any("Input: first = (2018-07-06 00:01 UTC-04:00), second = (2018-07-06 12:01 UTC+08:00). "
               "Expected [0, 'hours']; lag_between gave [0, 'days']." in d for d in lag.details)
    kappa = fb("l5-kappa-code", lambda a, b: 0.0)
    assert any(d.endswith("Expected 0.3333; cohen_kappa gave 0.0.") for d in kappa.details), kappa.details


def test_what_a_function_gave_is_bounded_and_never_trusted():
    class Loud:
        def __repr__(self):
            raise RuntimeError("no")
    f = fb("l0-code", lambda a, b: [Loud()] * 1000)
    assert f.verdict == INCORRECT
    assert all(len(d) < 700 for d in f.details)
    assert "<a Loud object>" in f.details[0] and "…" in f.details[0]


def test_code_that_raises_becomes_a_hint():
    def boom(first, second):
        return first.days_to(second)
    f = fb("l0-code", boom)
    assert f.verdict == INCORRECT and "AttributeError" in f.details[0]
    assert f.details[0].startswith("The announcement and the tweets. Input: first = 2018-08-23, second = 2018-08-24. "
                                   "Expected 1; days_between raised AttributeError:")


def test_code_that_never_ends_is_stopped():
    def forever(first, second):
        while True:
            pass
    start = dt.datetime.now()
    f = fb("l0-code", forever)
    assert f.verdict == INCORRECT and "did not finish within 3 s" in f.message
    assert (dt.datetime.now() - start).total_seconds() < 10


def test_code_placeholder_is_not_answered_yet():
    def placeholder(first, second):
        raise NotImplementedError("Write your code here.")
    f = fb("l0-code", placeholder)
    assert f.verdict == UNANSWERED and "still has a blank" in f.message and "replace each such line" in f.message


def test_one_blank_left_in_a_faded_skeleton_is_not_answered_yet():
    def half_filled(g, neutral):
        if abs(g) < neutral:
            return 0
        raise NotImplementedError("Write your code here.")
    assert fb("l4-primer-sign", half_filled).verdict == UNANSWERED


def test_code_prints_do_not_leak(capfd):
    def chatty(first, second):
        print("debugging!")
        return (second - first).days
    assert fb("l0-code", chatty).verdict == CORRECT
    assert "debugging!" not in capfd.readouterr().out


def test_free_text_is_kept_not_scored():
    f = fb("l0-text", "I would need to know who was in the room and whether State officials knew in advance.")
    assert f.verdict == KEPT and f.score is None
    assert "aim for at least 12 words" in fb("l0-text", "too short").message


@pytest.mark.parametrize("value", [None, ..., "", "   ", [], {}])
def test_empty_answers_are_not_answered_yet(value):
    for item in CASE.exercises:
        f = check(item, value, CASE.sources)
        assert f.verdict == UNANSWERED and "Answer with" in f.message or "Define the function" in f.message


# ---- anything at all ----------------------------------------------------------------------------

class Hostile:
    """An object that fails at everything a checker might try."""

    def __eq__(self, other):
        raise RuntimeError("eq")

    def __str__(self):
        raise RuntimeError("str")

    def __repr__(self):
        raise RuntimeError("repr")

    def __len__(self):
        raise RuntimeError("len")

    def __iter__(self):
        raise RuntimeError("iter")

    __hash__ = None


class HostileStr(str):
    def __eq__(self, other):
        raise RuntimeError("eq")

    __hash__ = str.__hash__


def looping():
    x = []
    x.append(x)
    return x


ODD_VALUES = [Hostile(), HostileStr("a"), [Hostile()], {Hostile: Hostile()}, math.nan, math.inf, -0.0,
              10**400, "x" * 1_000_000, [[["a"]]], looping(), b"bytes", object(), print, dt.date(2018, 8, 24),
              {"p1.s2": Hostile()}, [None] * 5, ("a",), "<script>alert(1)</script>"]


@pytest.mark.parametrize("value", ODD_VALUES, ids=lambda v: type(v).__name__)
def test_odd_values_get_feedback_never_a_traceback(value):
    for item in CASE.exercises:
        f = check(item, value, CASE.sources)
        assert f.verdict in VERDICTS and f.message
        assert len(f.as_text()) < 5_000


any_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text() | st.binary()
    | st.builds(Hostile) | st.sampled_from([..., "a", "b", "fact", "q1", "summit", "1"]),
    lambda inner: st.lists(inner, max_size=6) | st.dictionaries(st.text(max_size=8) | st.sampled_from(
        ["p1.s2", "q1", "a"]), inner, max_size=6) | st.tuples(inner, inner) | st.frozensets(st.integers()),
    max_leaves=20)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.sampled_from(sorted(ITEMS)), any_value)
def test_check_answers_anything(item_id, value):
    item = ITEMS[item_id]
    if item.kind == "code" and callable(value):
        return
    f = check(item, value, CASE.sources)
    assert f.verdict in VERDICTS
    assert f.item == item_id
    assert "<script" not in f._repr_html_()


def test_student_text_is_escaped_in_html():
    f = fb("l0-text", "<script>alert('hi')</script> " * 4)
    page = f._repr_html_()
    assert "<script>" not in page and html.escape("<script>") in page
    g = fb("l0-single", "<img src=x onerror=alert(1)>")
    assert "<img" not in g._repr_html_()


def test_feedback_is_said_in_words_not_colour_alone():
    for verdict_value, words in [("b", "Correct."), ("a", "Not yet.")]:
        f = fb("l0-single", verdict_value)
        assert words in f.as_text() and words in f._repr_html_()


# ---- the items themselves -----------------------------------------------------------------------

def words(text):
    return len(re.findall(r"\S+", text))


@pytest.mark.parametrize("item_id", sorted(ITEMS))
def test_items_explain_briefly_and_climb_a_hint_ladder(item_id):
    item = ITEMS[item_id]
    assert len(item.hints) == 3, "concept, evidence pointer, answer"
    for option in item.options:
        assert option.feedback and words(item.explain + " " + option.feedback) <= 60
    for entry in item.entries:
        for text in list(entry.feedback.values()) + [entry.explain]:
            assert words(text) <= 60
    assert reference_answer(item)


@pytest.mark.parametrize("item_id", sorted(i for i in ITEMS if ITEMS[i].kind == "code"))
def test_code_hints_teach_one_step_each_and_the_solution_is_its_own_field(item_id):
    item = ITEMS[item_id]
    assert item.solution and reference_answer(item) == item.solution
    for hint in item.hints:
        assert "def " not in hint and hint != item.solution, f"{item_id}: a hint gives the whole solution"
    assert all(words(h) <= 60 for h in item.hints)


def test_quotations_in_exercises_are_verbatim_from_the_sources():
    """A quoted span of 20+ characters in an exercise must stand in a source excerpt or the article (with names
    masked by role where the item is speaker-blind)."""
    from course_lib.case.records import mask_speakers
    corpus = [s.excerpt for s in CASE.sources] + [s.text for s in CASE.article.sentences]
    corpus += [mask_speakers(c, CASE.actors) for c in corpus]   # a speaker-blind item masks names by role
    for item in CASE.exercises:
        texts = [item.prompt] + [o.text for o in item.options] + [e.text for e in item.entries]
        for text in texts:
            for span in re.findall(r"“([^”]{20,})”", text):
                span = span.rstrip(".,")
                assert any(span in c for c in corpus), f"{item.id}: “{span}” is not verbatim in any source"


# ---- broken exercise files ----------------------------------------------------------------------

@pytest.mark.parametrize("old, new, field, says", [
    ('kind = "single"', 'kind = "essay"', "kind", "expected one of single, multiple"),
    ('id = "a"\ntext = "Friday 24 August 2018"', 'id = "a"\ncorrect = true\ntext = "Friday 24 August 2018"',
     "option", "exactly one"),
    ('evidence = "pompeo-remarks-2018-08-23"', 'evidence = "pompeo-2018"', "evidence", "no source with id 'pompeo-2018'"),
    ('china = "China\'s Foreign Ministry did not', 'china2 = "China\'s Foreign Ministry did not',
     "entry", "not one of bolton"),
    ("answer = 1\n", "", "answer", "needs answer"),
    ('function = "days_between"\n', "", "test", "needs function"),
    ("answer = 1\n", "answer = 1\nworked = true\n", "worked", "on a code item only"),
], ids=["unknown kind", "two right answers", "dangling evidence", "unknown choice", "no number", "no function",
        "worked example not code"])
def test_broken_exercise_files_are_reported(case_copy, old, new, field, says):
    replace_in(case_copy / "exercises-00-start-here.toml", old, new)
    with pytest.raises(CaseError) as info:
        load_case(case_copy)
    hits = [p for p in info.value.problems if p.file.endswith("exercises-00-start-here.toml") and p.field == field
            and says in p.message]
    assert hits, "\n".join(map(str, info.value.problems))
    assert hits[0].where.startswith("[[exercise]]")


def test_exercises_may_be_split_one_file_a_lesson(case_copy):
    single = (case_copy / "exercises-00-start-here.toml").read_text(encoding="utf-8").split("[[exercise]]")[1]
    (case_copy / "exercises-99-extra.toml").write_text('lesson = "09"\n[[exercise]]' + single.replace('id = "l0-single"', 'id = "l9-single"'),
                                                encoding="utf-8")
    assert "l9-single" in load_case(case_copy).exercises
    (case_copy / "exercises-98-extra.toml").write_text('lesson = "09"\n[[exercise]]' + single, encoding="utf-8")
    with pytest.raises(CaseError, match="duplicate id 'l0-single'"):
        load_case(case_copy)


def test_partial_credit_and_a_default_explanation_for_many_choices():
    from course_lib.case.items import Entry, Exercise, Label
    codes = tuple(Label(c, c) for c in ("160", "164", "036", "125"))
    item = Exercise("t-cameo", "04", "classify", "Code it", "Code the event.", "", ("a", "b", "c"), "why", "next",
                    categories=codes, entries=(Entry("e1", "trip called off", key="160", explain="reduce relations",
                                                         partial={"164": "same root 16: halting, not reducing"},
                                                         accepted={"125": "rejecting a proposal to meet"},
                                                         feedback={"*": "this is a step away from talks, not toward"}),
                                                   Entry("e2", "trip announced", key="036", feedback={"*": "an intent to meet"})))
    f = check(item, {"e1": "164", "e2": "160"})
    assert f.verdict == PARTLY and f.score == 0.25
    assert f.details[0] == "e1: partly right (164). same root 16: halting, not reducing"
    assert f.details[1] == "e2: not 160. an intent to meet"
    assert check(item, {"e1": "125", "e2": "036"}).verdict == CORRECT


@pytest.mark.parametrize("typed, meant", [
    ("0,45", 0.45), ("0.45", 0.45), ("-0,5", -0.5), ("1,234.5", 1234.5), ("1.234,5", 1234.5),
    ("1 234", 1234.0), ("1,234,567", 1234567.0), ("4/6", 4 / 6), ("45%", 0.45), ("12,5 %", 0.125), ("1e3", 1000.0),
])
def test_a_number_is_read_as_the_student_meant_it(typed, meant):
    from course_lib.checking.values import read_number
    x, why = read_number(typed, proportion=True)
    assert why == "" and x == pytest.approx(meant)


@pytest.mark.parametrize("typed, unit, proportion, hint", [
    ("1,500", "", False, "write it without the comma"),   # a thousands comma or a decimal one: ask
    ("50%", "", False, "not a share of a whole"),          # a percentage where the answer is no share
    ("1/0", "", True, "0 below the line"),
    ("one", "", True, "is not a number"),
    ("1,2,3", "", True, "could not be read"),
])
def test_an_ambiguous_or_unreadable_value_gets_a_format_hint(typed, unit, proportion, hint):
    from course_lib.checking.values import read_number
    x, why = read_number(typed, unit=unit, proportion=proportion)
    assert x is None and hint in why


def test_a_unit_word_and_a_percent_unit_are_understood():
    from course_lib.checking.values import read_number
    assert read_number("1 day", unit="days") == (1.0, "")
    assert read_number("2 days", unit="days") == (2.0, "")
    assert read_number("50%", unit="%") == (50.0, "")
    assert read_number("3 weeks", unit="days")[0] is None


def test_numeric_items_take_a_decimal_comma_and_a_share(tmp_path, monkeypatch):
    share = CASE.exercises["l4-share"]
    assert check(share, "0,444").verdict == CORRECT, "a decimal comma is a decimal point"
    assert check(share, "44.4%").verdict == CORRECT and check(share, "4/9").verdict == CORRECT
    assert check(share, "0,45").verdict != CORRECT and check(share, "0,45").answer_text == "0.45"
    assert check(CASE.exercises["l0-numeric"], "1 day").verdict == CORRECT


def test_a_value_that_is_not_an_answer_is_not_recorded(tmp_path, monkeypatch):
    from course_lib.work import progress
    from course_lib.checking import session
    monkeypatch.setenv(progress.WORK_DIR_ENV, str(tmp_path / "w"))
    for typed in ("about one", "1,500", "50%", True):
        assert session.answer("l0-numeric", typed).verdict == UNANSWERED
    assert session.answer("l0-single", "zz").verdict == UNANSWERED
    assert progress.store().attempts() == [], "no wrong attempt spoils 'right first try'"
    assert session.answer("l0-numeric", "1").verdict == CORRECT
    assert [a.attempt for a in progress.store().attempts("l0-numeric")] == [1]


def test_the_key_of_lettered_single_choice_items_is_not_always_in_one_place():
    """A student who always picks "a" (or any one letter) must not pass: the right option's position is
    spread, fixed per item in the exercise files (so answer("id", "b") and the answer key agree)."""
    from collections import Counter
    lettered = [e for e in CASE.exercises if e.kind == "single"
                and all(len(o.id) == 1 and o.id.isalpha() for o in e.options)]
    assert len(lettered) >= 10
    keys = Counter(next(o.id for o in e.options if o.correct) for e in lettered)
    letter, most = keys.most_common(1)[0]
    assert most <= (len(lettered) + 1) // 2, f"{most} of {len(lettered)} items have the key {letter!r}: {dict(keys)}"
    assert most <= 0.4 * len(lettered), f"the keys bunch on {letter!r}: {dict(keys)}"
    for e in lettered:  # letters follow the order shown: a, b, c ...
        assert [o.id for o in e.options] == list("abcde"[: len(e.options)]), e.id


# ---- search items (lateral reading): click restraint and stopping --------------------------------

def search_item(**changes):
    """A small search page: two independent descriptions, the outlet's own page, an off-topic result."""
    from dataclasses import replace
    from course_lib.case.items import Exercise, Result
    results = (Result("own", "About us", "https://outlet.example/about", "We are great.", "Our page.", "own", "OWN-WHY"),
               Result("enc", "Encyclopedia", "https://enc.example/outlet", "Owned by X.", "Owned by X; leans left.",
                      "independent", "ENC-WHY"),
               Result("off", "Trails blog [made up]", "https://trails.example.org/", "Walks.", "Walks.", "unrelated",
                      "OFF-WHY"),
               Result("rep", "A report", "https://news.example/outlet", "X buys outlet.", "X bought it.",
                      "independent", "REP-WHY"))
    item = Exercise("t-search", "99", "search", "Who is behind it?", "prompt", "", ("a", "b", "c"), "EXPLAIN",
                    "NEXT", results=results)
    return replace(item, **changes)


@pytest.mark.parametrize("path, verdict, score, tags", [
    (["enc", "stop"], CORRECT, 1.0, ()),
    (["enc", "rep", "stop"], CORRECT, 1.0, ()),                      # one more to corroborate is fine
    (["enc", "own", "stop"], CORRECT, 1.0, ()),                      # the outlet's own page after an independent one
    (["own", "enc", "stop"], PARTLY, 0.5, ("reads-the-source-about-itself-first",)),
    (["enc", "rep", "own", "stop"], PARTLY, 0.75, ("keeps-clicking",)),
    (["enc", "off", "stop"], PARTLY, 0.75, ("clicks-before-reading-snippets",)),
    (["off", "enc", "stop"], PARTLY, 0.5, ("clicks-before-reading-snippets",)),
    (["own", "stop"], INCORRECT, 0.0, ("reads-the-source-about-itself-first", "stops-before-answered")),
    (["stop"], INCORRECT, 0.0, ("stops-before-answered",)),
])
def test_a_search_path_is_scored_on_click_restraint_and_stopping(path, verdict, score, tags):
    f = check(search_item(), path)
    assert (f.verdict, f.score, f.misconceptions) == (verdict, score, tags)
    assert f.answer_text == " → ".join(path)
    opened = [p for p in path if p != "stop"]
    if opened:  # the first click is named with its rank, and every opened result gets its reason
        rank = ["own", "enc", "off", "rep"].index(opened[0]) + 1
        assert f.details[0].startswith(f"First click: {opened[0]} (result {rank} of 4")
        for p in opened:
            assert f"{p.upper()[:3]}-WHY" in " ".join(f.details)


def test_a_search_path_reads_numbers_titles_and_the_stop_button_words():
    item = search_item()
    assert check(item, [2, "A REPORT", "Stop here, I know enough"]).answer_text == "enc → rep → stop"
    again = check(item, ["enc", "enc", "stop", "own"])
    assert again.verdict == CORRECT and again.answer_text == "enc → stop"
    assert any("open already" in d for d in again.details) and any("after \"stop\"" in d for d in again.details)


def test_a_search_path_without_stop_shows_the_pages_and_is_not_scored():
    f = check(search_item(), ["enc"])
    assert f.verdict == UNANSWERED and "stop" in f.message
    assert any("Owned by X; leans left." in d for d in f.details), "the plain call shows the page it opened"


@pytest.mark.parametrize("value", [["nowhere", "stop"], [9, "stop"], [True], {"enc": 1}])
def test_a_search_path_with_unknown_results_gets_a_format_hint(value):
    f = check(search_item(), value)
    assert f.verdict in (UNANSWERED, INCORRECT) and "Answer with the results you open" in f.message


def test_a_search_item_needs_an_independent_and_an_own_result(case_copy):
    from pathlib import Path
    path = Path(case_copy) / "exercises-02b-rating-claims.toml"
    replace_in(path, 'role = "own"\nreason = """The outlet\'s description', 'role = "independent"\nreason = """The outlet\'s description')
    replace_in(path, 'role = "own"\nreason = """This is the page', 'role = "independent"\nreason = """This is the page')
    with pytest.raises(CaseError) as info:
        load_case(case_copy)
    assert any(p.field == "result" and "role = \"own\"" in p.message for p in info.value.problems)


def test_the_lesson_search_item_rewards_independent_first_and_a_timely_stop():
    item = ITEMS["l2-lateral-search"]
    by_role = {}
    for r in item.results:
        by_role.setdefault(r.role, []).append(r.id)
    for first in by_role["independent"]:
        assert fb(item.id, [first, "stop"]).verdict == CORRECT
    for first in by_role["own"] + by_role["unrelated"]:
        f = fb(item.id, [first, by_role["independent"][0], "stop"])
        assert f.verdict == PARTLY and f.score == 0.5
    assert fb(item.id, by_role["independent"] + ["stop"]).score == 0.75, "three independent sources: one too many"


def test_a_text_item_with_a_rubric_shows_it_after_writing_and_stays_unscored():
    item = ITEMS["l2-lateral-write"]
    f = fb(item.id, "word " * item.min_words)
    assert f.verdict == KEPT and f.score is None
    assert [d.split(":")[0] for d in f.details] == ["Beginning", "Emerging", "Mastery"]
    assert all(lv.sample in " ".join(f.details) for lv in item.levels)
    assert fb(item.id, 42).details == (), "no rubric before a text has been written"
    assert "rubric" in reference_answer(item)


def test_a_rubric_belongs_to_a_text_item_with_all_three_levels(case_copy):
    from pathlib import Path
    replace_in(Path(case_copy) / "exercises-02b-rating-claims.toml", 'id = "emerging"', 'id = "mastery"')
    with pytest.raises(CaseError) as info:
        load_case(case_copy)
    assert any(p.field in ("level", "id") for p in info.value.problems)


def test_a_worked_example_says_the_function_is_given_and_others_ask_for_it():
    from course_lib.checking.session import as_text
    assert ITEMS["l0-code"].worked and "gives days_between(first, second) whole" in as_text(ITEMS["l0-code"])
    written = [i for i in ITEMS.values() if i.kind == "code" and not i.worked]
    assert written and all(f"Write {i.signature or i.function} in a code cell" in as_text(i) for i in written)
