"""Lesson 06's memo is written in its text areas, not called: type into the boxes, pick a citation, reload,
restart and run all, and the text comes back from my-work/progress.json; axe finds nothing serious in the
editor; the keys typed into a box never reach the notebook's shortcuts.
"""

from __future__ import annotations

from .labdriver import WCAG, clear, close_lesson, open_lesson
from .students import read_progress

LESSON = "lessons/06-final-memo.ipynb"
CLAIM = "Both readings fit the record; the decision's author stays unclear. [inference]"
EVIDENCE = "Pompeo announced the trip on 23 August 2018. [fact]"
CARD = "pompeo-remarks-2018-08-23"
SAVE_WAIT = 20_000


def editor(lab):
    cell = lab.cell(lab.cell_index("memos.editor(memo)"))
    view = cell.locator(".course-memo-editor").first
    view.wait_for(state="visible", timeout=30_000)
    view.scroll_into_view_if_needed()
    return view


def memo_saved(work) -> dict:
    records = [r for r in read_progress(work) if r["item"] == "l6-memo"]
    assert records, "the memo was never saved"
    return records[-1]["answer"]


def axe_on(lab, locator, axe_path) -> list[dict]:
    """axe-core's serious and critical WCAG 2.1 AA violations inside one element of the live page."""
    lab.page.add_script_tag(path=str(axe_path))
    handle = locator.element_handle()
    found = lab.page.evaluate("""async ([node, tags]) => {
      const r = await axe.run(node, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
      return r.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
                                       nodes: v.nodes.slice(0, 5).map((n) => n.html.slice(0, 200))}));
    }""", [handle, list(WCAG)])
    return [v for v in found if v["impact"] in ("serious", "critical")]


def test_the_memo_is_typed_into_its_boxes_cited_with_the_picker_and_comes_back_after_a_reload(
        new_page, lab_server, axe_path):
    from playwright.sync_api import expect
    work = clear(lab_server.work_dir)
    lab = open_lesson(new_page(), lab_server, LESSON)
    try:
        lab.restart_and_run_all()
        assert lab.error_outputs() == []
        types = [c["cell_type"] for c in lab.cells()]
        view = editor(lab)
        status = view.locator(".course-feedback-area")
        expect(status).to_have_attribute("role", "status")
        expect(view).to_have_attribute("role", "group")

        claim = view.get_by_role("textbox", name="Claim:")
        claim.click()
        claim.press_sequentially(CLAIM, delay=5)         # letters such as a, b, d, x, m: shortcuts in Lab
        expect(status).to_contain_text("Claim: 1 sentence(s)", timeout=SAVE_WAIT)
        evidence = view.get_by_role("textbox", name="Evidence:")
        evidence.click()
        evidence.press_sequentially(EVIDENCE, delay=5)
        expect(status).to_contain_text("Evidence: 1 sentence(s)", timeout=SAVE_WAIT)
        rival = view.get_by_role("textbox", name="Rival explanation and rebuttal:")
        rival.click()
        rival.press_sequentially("dd x a b m y z c v 0 0 [opinion]", delay=5)   # each a command-mode shortcut
        expect(status).to_contain_text("Rival explanation and rebuttal: 1 sentence(s)", timeout=SAVE_WAIT)
        assert [c["cell_type"] for c in lab.cells()] == types, "keys typed into a memo box reached the notebook"

        view.get_by_role("combobox", name="Cite from:").select_option(label="Source cards")
        citation = view.get_by_role("combobox", name="Citation:")
        citation.select_option(label=next(o for o in citation.locator("option").all_inner_texts()
                                          if o.startswith(CARD + ":")))
        sentence = view.get_by_role("combobox", name="In evidence sentence:")
        expect(sentence.locator("option")).to_have_text(["1: Pompeo announced the trip on 23 August 2018."])
        view.page.wait_for_timeout(150)                 # each select's change is a message of its own
        view.get_by_role("button", name="Add citation").click()
        expect(status).to_contain_text(f"Evidence sentence 1 now cites {CARD}", timeout=SAVE_WAIT)
        expect(evidence).to_have_value(f"Pompeo announced the trip on 23 August 2018. [@{CARD}] [fact]")

        saved = memo_saved(work)
        assert saved["sections"]["claim"] == [{"text": CLAIM[:-len(" [inference]")], "label": "inference", "cites": []}]
        assert saved["sections"]["evidence"][0]["cites"] == [CARD]

        violations = axe_on(lab, view, axe_path)
        assert violations == [], violations

        lab.reload()
        lab.restart_and_run_all()                        # a new kernel: only the work file remembers
        assert lab.error_outputs() == []
        view = editor(lab)
        expect(view.get_by_role("textbox", name="Claim:")).to_have_value(CLAIM)
        expect(view.get_by_role("textbox", name="Evidence:")).to_have_value(
            f"Pompeo announced the trip on 23 August 2018. [@{CARD}] [fact]")
        assert view.page.locator(".course-memo-editor").count() == 1, "the editor is shown twice"
        assert memo_saved(work) == saved, "running the lesson again changed the saved memo"
    finally:
        close_lesson(lab)
        lab_server.shutdown_kernels()


def test_the_exported_memo_passes_axe_and_prints_as_a_clean_hand_in(browser, axe_path):
    """The HTML a student hands in: axe finds nothing serious; printed, links read as text, the labels
    stay in words, and no sentence or source is split across pages."""
    from course_lib import load_case
    from course_lib.frontend.memo import Memo, to_html
    case = load_case()
    memo = Memo(title="<b>Mine</b>", case=case)
    memo.set_text("claim", "The decision was joint. [inference]")
    memo.set_text("evidence", "He said he “looks forward to going to North Korea in the near future.” "
                              "[@trump-tweet-2018-08-24c] [@e34] [fact]")
    memo.add_result("reversals", 2, window_days=1)
    page = browser.new_page()
    try:
        page.set_content(to_html(memo, case))
        page.add_script_tag(path=str(axe_path))
        violations = page.evaluate("""async (tags) => {
          const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
          return r.violations.filter((v) => ['serious', 'critical'].includes(v.impact)).map((v) => v.id);
        }""", list(WCAG))
        assert violations == []
        assert page.locator("h1").inner_text() == "<b>Mine</b>"     # escaped: shown as typed, not as markup
        link = page.locator("cite a").first
        assert link.inner_text() == "trump-tweet-2018-08-24c" and page.locator("#source-1").count() == 1
        page.emulate_media(media="print")
        styles = page.evaluate("""() => {
          const s = (sel, prop) => getComputedStyle(document.querySelector(sel))[prop];
          return {link: s('cite a', 'color'), body: s('body', 'color'), decoration: s('cite a', 'textDecorationLine'),
                  p: s('main p', 'breakInside'), li: s('li', 'breakInside'), h2: s('h2', 'breakAfter')};
        }""")
        assert styles["link"] == styles["body"] and styles["decoration"] == "none"
        assert styles["p"] == styles["li"] == "avoid" and styles["h2"] == "avoid"
        assert "[fact]" in page.locator("main p").nth(1).inner_text()
    finally:
        page.close()
