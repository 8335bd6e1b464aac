"""Downloads carry the work as it is at the click, and lesson 06 can be run again without growing.

Lesson 00 says "Run All" first, so save_my_work() and the memo export always run before the student
has done anything; a link built then was empty (0 records, "(empty)" sections). Here the student runs
all, answers, then clicks Download: the file must hold those answers, in JupyterLab and in Notebook 7
(the classic Notebook's current version, served by the same server; skipped when `notebook` is absent).
"""

from __future__ import annotations

import json

import pytest

from .labdriver import clear, close_lesson, open_lesson
from .students import FEEDBACK_WAIT, answers, expected_feedback, first_item_of_each_kind, give, lesson_of, \
    output, press, read_progress


def downloads_of(page, click, count: int, timeout: float = 30_000) -> dict[str, bytes]:
    """Click, then wait for `count` downloads; their names and contents."""
    got = []
    page.on("download", lambda d: got.append(d))
    click()
    deadline = timeout
    while len(got) < count and deadline > 0:
        page.wait_for_timeout(200)
        deadline -= 200
    assert len(got) >= count, f"{len(got)} of {count} downloads started"
    return {d.suggested_filename: open(d.path(), "rb").read() for d in got}


@pytest.mark.parametrize("ui", ["lab", "notebook"])
def test_download_my_work_after_run_all_then_answers(new_page, lab_server, ui):
    """In JupyterLab and in Notebook 7 (the classic Notebook's current version), on the same server."""
    from playwright.sync_api import expect
    if ui == "notebook":
        pytest.importorskip("notebook", reason="pip install -e '.[test]' installs Notebook 7 (notebook==7.6.5)")
    work = clear(lab_server.work_dir)
    items = [i for k, i in first_item_of_each_kind().items() if k in ("single", "multiple", "numeric")]
    lab = open_lesson(new_page(), lab_server, lesson_of(items[0]), ui)
    try:
        lab.restart_and_run_all()                     # save_my_work() runs here, before any answer
        for item in items:
            view = lab.exercise(item.id)
            wrong, right = answers(item)
            give(view, item, right)
            press(view, "Check")
            expect(output(view)).to_contain_text(expected_feedback(item, right).headline, timeout=FEEDBACK_WAIT)
        saved = read_progress(work)   # with the worked example's own check, made when the lesson ran
        assert sorted(r["item"] for r in saved if r["item"] in {i.id for i in items}) == sorted(i.id for i in items)
        cell = lab.cell(lab.cell_index("save_my_work()"))
        cell.scroll_into_view_if_needed()
        button = cell.get_by_role("button", name="Download my work")
        files = downloads_of(lab.page, button.click, 1)
        (name, data), = files.items()
        assert name.startswith("my-work-anon-") and name.endswith(".json")
        assert json.loads(data)["records"] == saved, "the download holds every answer given after the cell ran"
    finally:
        close_lesson(lab)
        lab_server.shutdown_kernels()


@pytest.mark.parametrize("ui", ["lab", "notebook"])
def test_lesson_06_runs_twice_to_the_same_memo_and_downloads_what_was_written(new_page, lab_server, ui):
    if ui == "notebook":
        pytest.importorskip("notebook", reason="pip install -e '.[test]' installs Notebook 7 (notebook==7.6.5)")
    work = clear(lab_server.work_dir)
    lab = open_lesson(new_page(), lab_server, "lessons/06-final-memo.ipynb", ui)
    try:
        lab.restart_and_run_all()
        first = [r for r in read_progress(work) if r["item"] == "l6-memo"]
        lab.restart_and_run_all()                     # lesson 00 recommends it whenever in doubt
        assert lab.error_outputs() == []
        records = [r for r in read_progress(work) if r["item"] == "l6-memo"]
        assert records == first, "running the lesson again saved the memo again"
        assert len(records[-1]["answer"]["results"]) == 1, "the result cell added its result twice"

        index = lab.cell_index("# Write your answer here")
        sentence = "Written after the export cell ran."
        lab.replace_cell_source_and_run(index, f'memo.write("claim", "{sentence}", "inference")')
        lab.replace_cell_source_and_run(index, f'memo.write("claim", "{sentence}", "inference")')
        lab.wait_idle()
        memo = [r for r in read_progress(work) if r["item"] == "l6-memo"][-1]["answer"]
        assert [s["text"] for s in memo["sections"]["claim"]] == [sentence], "a re-run cell wrote it twice"

        cell = lab.cell(lab.cell_index("memos.export(memo, case)"))
        cell.scroll_into_view_if_needed()
        files = downloads_of(lab.page, cell.get_by_role("button", name="Download my memo").click, 2)
        assert sentence in files["my-memo.html"].decode("utf-8")
        assert "Written after the export cell ran" in files["my-memo.md"].decode("utf-8")
    finally:
        close_lesson(lab)
        lab_server.shutdown_kernels()
