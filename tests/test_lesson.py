"""lesson: the Carpentries frame renders the same content as Markdown and as plain text, with no
headings of its own, and refuses objectives that cannot be observed."""

import re
import subprocess
import sys

import pytest

from course_lib.frontend import lesson

QUESTIONS = ["Which claims in the article can be checked?", "What counts as a primary source?"]
OBJECTIVES = ["Classify the article's sentences by claim type.", "Trace a quote to its first source."]


def make_header(**changes):
    args = dict(questions=QUESTIONS, objectives=OBJECTIVES, teaching=15, exercises=20)
    args.update(changes)
    return lesson.header(**args)


def no_heading_lines(text):
    return not any(re.match(r"\s{0,3}#", line) for line in text.splitlines())


def test_header_markdown():
    md = make_header(prerequisites=["Lesson 00: start here"])._repr_markdown_()
    assert md == "\n".join([
        "**Teaching:** 15 min · **Exercises:** 20 min",
        "",
        "**Questions**",
        "",
        "- Which claims in the article can be checked?",
        "- What counts as a primary source?",
        "",
        "**Objectives**",
        "",
        "By the end of this lesson you will be able to:",
        "",
        "- Classify the article's sentences by claim type.",
        "- Trace a quote to its first source.",
        "",
        "**Prerequisites**",
        "",
        "- Lesson 00: start here",
    ])
    assert no_heading_lines(md)


def test_header_plain_text_has_the_same_content():
    text = repr(make_header())
    assert text == str(make_header())
    assert text == "\n".join([
        "Teaching: 15 min · Exercises: 20 min",
        "",
        "Questions",
        "- Which claims in the article can be checked?",
        "- What counts as a primary source?",
        "",
        "Objectives",
        "By the end of this lesson you will be able to:",
        "- Classify the article's sentences by claim type.",
        "- Trace a quote to its first source.",
        "",
        "Prerequisites",
        "none",
    ])
    assert "0x" not in text and "*" not in text


def test_no_prerequisites_says_none():
    assert make_header()._repr_markdown_().endswith("**Prerequisites**\n\nnone")


def test_author_text_cannot_become_a_heading():
    h = make_header(questions=["# Is this a heading?"])
    assert no_heading_lines(h._repr_markdown_())
    nxt = lesson.whats_next("Next we trace quotes.\n## Lesson 2\n---")
    assert no_heading_lines(nxt._repr_markdown_())
    assert "\n---" not in nxt._repr_markdown_()


@pytest.mark.parametrize("objective", ["Understand why sources matter.", "Know the claim types.",
                                       "Be able to classify claims.", "Sources and claims", ""])
def test_objective_without_measurable_verb_is_refused(objective):
    with pytest.raises(ValueError) as err:
        make_header(objectives=[OBJECTIVES[0], objective])
    if objective:
        assert repr(objective) in str(err.value)
        assert "measurable verb" in str(err.value) and "classify" in str(err.value)


def test_vague_verb_gets_a_hint():
    with pytest.raises(ValueError, match="'Understand' cannot be observed"):
        make_header(objectives=["Understand sourcing."])


def test_objective_with_two_verbs_is_refused():
    with pytest.raises(ValueError, match="two verbs"):
        make_header(objectives=["Explain and compare two timelines."])


def test_every_listed_verb_is_accepted():
    for verb in sorted(lesson.MEASURABLE_VERBS):
        make_header(objectives=[f"{verb.capitalize()} something observable."])


@pytest.mark.parametrize("field", ["teaching", "exercises"])
@pytest.mark.parametrize("value", [0, -5])
def test_minutes_must_be_positive(field, value):
    with pytest.raises(ValueError, match=f"{field} must be a positive number of minutes"):
        make_header(**{field: value})


@pytest.mark.parametrize("value", [15.5, "15", True, None])
def test_minutes_must_be_whole_numbers(value):
    with pytest.raises(TypeError, match="whole number of minutes"):
        make_header(teaching=value)


def test_questions_and_objectives_are_required():
    with pytest.raises(ValueError, match="questions"):
        make_header(questions=[])
    with pytest.raises(ValueError, match="objectives"):
        make_header(objectives=[])
    with pytest.raises(ValueError, match="empty"):
        make_header(questions=["  "])
    with pytest.raises(TypeError):
        make_header(questions=[3])


def test_a_single_string_is_one_item():
    assert "- What counts as a primary source?" in repr(make_header(questions=QUESTIONS[1]))


def test_keypoints_render_both_ways():
    k = lesson.keypoints(["A claim is checkable when a record could settle it.",
                          "Trace every quote to its first appearance."])
    assert k._repr_markdown_() == ("**Keypoints**\n\n"
                                   "- A claim is checkable when a record could settle it.\n"
                                   "- Trace every quote to its first appearance.")
    assert repr(k) == ("Keypoints\n"
                       "- A claim is checkable when a record could settle it.\n"
                       "- Trace every quote to its first appearance.")
    with pytest.raises(ValueError):
        lesson.keypoints([])


def test_whats_next_renders_both_ways():
    w = lesson.whats_next("  In lesson 02 you trace the quotes\nto their sources.  ")
    assert w._repr_markdown_() == "**What's next**\n\nIn lesson 02 you trace the quotes\nto their sources."
    assert repr(w) == "What's next\nIn lesson 02 you trace the quotes\nto their sources."
    with pytest.raises(ValueError):
        lesson.whats_next(" \n ")


def test_frames_are_deterministic_and_frozen():
    assert make_header() == make_header()
    assert repr(make_header()) == repr(make_header())
    with pytest.raises(AttributeError):
        make_header().lead = "x"


def test_lesson_imports_no_plotting_or_widgets():
    code = ("import sys, course_lib.frontend.lesson; "
            "print(sorted(m for m in ('matplotlib', 'ipywidgets', 'IPython') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_article_reads_as_prose_with_its_sentence_ids():
    from course_lib import load_case
    from course_lib.frontend.lesson import Article, article
    shown = article(load_case())
    md = shown._repr_markdown_()
    paragraphs = md.split("\n\n")
    assert paragraphs[1].startswith("**[p1.s1]** On Friday") and "**[p1.s2]** Just one day earlier" in paragraphs[1]
    assert len(paragraphs) == 1 + len(load_case().article.paragraphs), "one paragraph of prose each, no line per sentence"
    assert repr(shown).splitlines()[2].startswith("[p1.s1] On Friday")
    odd = Article("T", ((("p1.s1", "a *bold* <b>claim</b> # not a heading"),),))
    assert r"\*bold\*" in odd._repr_markdown_() and r"\<b\>" in odd._repr_markdown_()
