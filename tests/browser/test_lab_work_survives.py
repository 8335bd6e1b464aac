"""Work survives a reload: answer, reload the page, restart and run all; the answers come back.

The kernel is restarted, so nothing is remembered in memory: what comes back was read from
my-work/progress.json, which must hold every attempt.
"""

from __future__ import annotations

from course_lib.checking.checks import option_label

from .labdriver import clear, close_lesson, open_lesson
from .students import (FEEDBACK_WAIT, answers, expected_feedback, first_item_of_each_kind, give, lesson_of,
                      output, press, read_progress)

KINDS = ("single", "multiple", "numeric", "order")


def test_answers_and_feedback_come_back_after_a_reload(new_page, lab_server):
    from playwright.sync_api import expect
    work = clear(lab_server.work_dir)
    items = {k: v for k, v in first_item_of_each_kind().items() if k in KINDS}
    assert items, "no lesson shows a single, multiple, numeric or order item"
    path = lesson_of(next(iter(items.values())))
    items = {k: v for k, v in items.items() if lesson_of(v) == path}
    lab = open_lesson(new_page(), lab_server, path)
    try:
        lab.restart_and_run_all()
        for item in items.values():
            view = lab.exercise(item.id)
            for value in answers(item):   # wrong, then right: two attempts
                give(view, item, value)
                press(view, "Check")
                expect(output(view)).to_contain_text(expected_feedback(item, value).headline, timeout=FEEDBACK_WAIT)

        saved = read_progress(work)
        for item in items.values():
            verdicts = [r["verdict"] for r in saved if r["item"] == item.id]
            assert verdicts == ["incorrect", "correct"], f"{item.id}: progress.json holds {verdicts}"

        lab.reload()
        lab.restart_and_run_all()
        assert lab.error_outputs() == []
        for kind, item in items.items():
            view = lab.exercise(item.id)
            feedback = output(view)
            expect(feedback).to_contain_text("Your last answer (attempt 2) was correct", timeout=FEEDBACK_WAIT)
            expect(feedback).to_contain_text("✔ Correct.")
            right = answers(item)[1]
            if kind == "single":
                option = next(o for o in item.options if o.id == right)
                assert view.get_by_role("radio", name=option_label(option), exact=True).is_checked()
            elif kind == "multiple":
                for option in item.options:
                    box = view.get_by_role("checkbox", name=option_label(option), exact=True)
                    assert box.is_checked() == (option.id in right), f"{item.id}: option {option.id} not restored"
            elif kind == "numeric":
                assert float(view.get_by_role("textbox").input_value()) == float(right)
            elif kind == "order":
                chosen = [s.evaluate("s => s.options[s.selectedIndex].text")
                          for s in view.get_by_role("combobox").all()]
                # an ordering option reads "id — its text" (the drop-down shows spaces as no-break spaces)
                assert [c.replace("\xa0", " ").split(" — ")[0] for c in chosen] == right
        assert read_progress(work) == saved, "re-running the lesson changed the saved work"
    finally:
        close_lesson(lab)
        lab_server.shutdown_kernels()
