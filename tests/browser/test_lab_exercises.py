"""One exercise of each kind, answered in JupyterLab by clicking and typing like a student.

For each kind: ask for a hint, give a wrong answer, read the feedback, open the reference answer,
then give a right answer and read the feedback again. The feedback text shown must be what the
library's own check says for that answer. A code exercise is answered by typing a function into
its code cell and running it, then pressing Check, which tests the function of that name.
"""

from __future__ import annotations

import pytest

from .labdriver import clear, close_lesson, open_lesson
from .students import (FEEDBACK_WAIT, answers, expected_feedback, first_item_of_each_kind, give, lesson_of,
                      output, press)

ITEMS = first_item_of_each_kind()


@pytest.fixture(scope="module")
def lessons(browser, lab_server):
    """Each lesson these items are in, opened once and run (kernel restarted) on first use."""
    clear(lab_server.work_dir)
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    context.set_default_timeout(30_000)
    opened = {}

    def get(path):
        if path not in opened:
            page = context.new_page()
            page.on("dialog", lambda dialog: dialog.accept())
            opened[path] = open_lesson(page, lab_server, path)
            opened[path].restart_and_run_all()
        return opened[path]
    yield get
    for lab in opened.values():
        close_lesson(lab)
    context.close()
    lab_server.shutdown_kernels()


def expect_text(locator, text: str, timeout: int = FEEDBACK_WAIT) -> None:
    from playwright.sync_api import expect
    expect(locator).to_contain_text(text, timeout=timeout)


@pytest.mark.parametrize("kind", list(ITEMS))
def test_a_student_answers_wrong_then_right(kind, lessons, lab_server):
    from course_lib.checking.checks import reference_answer
    from course_lib.checking.session import is_test_item
    from .students import read_progress
    item = ITEMS[kind]
    lab = lessons(lesson_of(item))
    view = lab.exercise(item.id)
    view.scroll_into_view_if_needed()
    feedback = output(view)
    wrong, right = answers(item)

    press(view, "Hint")
    if is_test_item(item):   # a pre- or post-test item: hints open only after the first answer, none is counted
        expect_text(feedback, "This is a test item: answer it first")
        hints_before = 0
    else:
        expect_text(feedback, f"Hint 1 of {len(item.hints)}: {item.hints[0]}")
        hints_before = 1

    if kind == "code":
        cell = lab.cell_index(f'answer("{item.id}"')
        lab.replace_cell_source_and_run(cell, wrong)
        expect_text(lab.cell(cell).locator(".jp-OutputArea-output"), "✘ Not yet.")
        press(view, "Check")
        expect_text(feedback, "✘ Not yet.")
        press(view, "Show answer")
        expect_text(feedback, f"Reference answer: {reference_answer(item)}")
        lab.replace_cell_source_and_run(cell, right)
        expect_text(lab.cell(cell).locator(".jp-OutputArea-output"), "✔ Correct.")
        press(view, "Check")
        expect_text(feedback, "✔ Correct.")
        assert "✘" not in feedback.inner_text()
    else:
        give(view, item, wrong)
        press(view, "Check")
        shown = expected_feedback(item, wrong)
        if kind == "text":  # free text is kept, never wrong: a short answer is kept with a nudge
            assert shown.verdict == "kept" and str(item.min_words) in shown.message
        else:
            assert shown.verdict not in ("correct", "kept"), f"the test's wrong answer {wrong!r} is not wrong"
        expect_text(feedback, shown.headline)
        expect_text(feedback, shown.message[:80])
        press(view, "Show answer")
        expect_text(feedback, f"Reference answer: {reference_answer(item)}")

        give(view, item, right)
        press(view, "Check")
        shown = expected_feedback(item, right)
        assert shown.verdict in ("correct", "kept"), f"the test's right answer {right!r} is not right"
        expect_text(feedback, "✎ Kept." if kind == "text" else "✔ Correct.")
        expect_text(feedback, shown.message[:80])
        assert shown.headline.split()[0] == feedback.inner_text().strip()[0], "the new feedback replaced the old"

    records = [r for r in read_progress(lab_server.work_dir) if r["item"] == item.id]
    assert [r["verdict"] for r in records][-1] in ("correct", "kept"), "the right answer was saved"
    assert len(records) == (4 if kind == "code" else 2), "every attempt was saved (code: the cell's and Check's)"
    assert kind == "text" or records[0]["verdict"] not in ("correct", "kept"), "the wrong answer was saved as wrong"
    assert records[0]["hints"] == hints_before, "the hint used (none on a test item) was saved with the attempt"
    if item.confidence:   # the first single item is lesson 00's pre-test: its confidence control is left alone
        assert [r["confidence"] for r in records] == [None] * len(records), "an untouched control saves no confidence"
    assert lab.log_console_messages() == [], "a widget callback failed (JupyterLab's Log Console)"
