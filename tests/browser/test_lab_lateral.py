"""Lesson 02b's lateral-reading search page in real JupyterLab, driven like a student and checked with axe.

The page lists six results as a list with a heading each; a student opens results with their buttons
(by mouse and by keyboard), each opening shows its page and joins the path in order, and "Stop here, I
know enough" scores the path and saves it (the first click first) in my-work/progress.json. Keys typed
on the controls never reach the notebook's shortcuts, and axe finds no serious WCAG 2.1 A/AA problem
or unnamed control in the exercise, with results opened and feedback shown.
"""

from __future__ import annotations

import pytest

from .labdriver import WCAG, button_name, opened_lesson
from .students import FEEDBACK_WAIT, expected_feedback, lesson_of, output, press, read_progress

ITEM = "l2-lateral-search"
NAME_RULES = ["button-name", "label", "aria-command-name", "list", "listitem", "heading-order", "empty-heading"]
SNAPSHOT = """
  const cells = [...panel.content.model.cells].map((c) => [c.type, c.sharedModel.getSource()]);
  return {cells, active: panel.content.activeCellIndex, count: cells.length};
"""


@pytest.fixture(scope="module")
def item():
    from course_lib import load_case
    return load_case().exercises[ITEM]


@pytest.fixture(scope="module")
def lab(browser, lab_server, item):
    with opened_lesson(browser, lab_server, lesson_of(item)) as opened:
        yield opened


def rank(item, result_id: str) -> int:
    return [r.id for r in item.results].index(result_id) + 1


def path_shown(view):
    return view.locator(".course-search-path")


def test_the_results_are_a_list_with_a_heading_each(lab, item):
    from playwright.sync_api import expect
    view = lab.exercise(ITEM)
    view.scroll_into_view_if_needed()
    expect(view.get_by_role("list")).to_have_count(1)
    expect(view.get_by_role("listitem")).to_have_count(len(item.results))
    for n, r in enumerate(item.results, 1):
        expect(view.get_by_role("heading", level=4, name=f"{n}. {r.title}")).to_have_count(1)
        expect(view.get_by_role("button", name=button_name(f"Open result {n}"))).to_have_count(1)
    assert view.get_by_role("heading", level=3, name=f"Exercise {ITEM}: {item.title}").count() == 1
    assert path_shown(view).get_attribute("aria-live") == "polite", "each opening is announced"


def test_a_student_opens_by_keyboard_and_mouse_stops_and_the_path_is_saved(lab, lab_server, item):
    from playwright.sync_api import expect
    view = lab.exercise(ITEM)
    feedback = output(view)
    own = next(r for r in item.results if r.role == "own")
    first, second = [r for r in item.results if r.role == "independent"][:2]

    # a wrong first click (the outlet's own page), then an independent one: partly correct
    press(view, f"Open result {rank(item, own.id)}")
    expect(path_shown(view)).to_contain_text(f"Opened so far: {own.id}.")
    expect(view).to_contain_text(own.opened[:60])
    press(view, f"Open result {rank(item, first.id)}")
    expect(path_shown(view)).to_contain_text(f"{own.id} → {first.id}")
    press(view, "Stop here, I know enough")
    shown = expected_feedback(item, [own.id, first.id, "stop"])
    assert shown.verdict == "partly correct"
    expect(feedback).to_contain_text(shown.headline, timeout=FEEDBACK_WAIT)
    expect(feedback).to_contain_text(f"First click: {own.id} (result {rank(item, own.id)} of {len(item.results)}")

    # start over, then the keyboard alone: Enter and Space on the buttons, as a screen-reader user would
    press(view, "Start over")
    expect(path_shown(view)).to_contain_text("Opened so far: nothing.")
    view.get_by_role("button", name=button_name(f"Open result {rank(item, first.id)}")).focus()
    lab.page.keyboard.press("Enter")
    expect(path_shown(view)).to_contain_text(f"Opened so far: {first.id}.")
    view.get_by_role("button", name=button_name(f"Open result {rank(item, second.id)}")).focus()
    lab.page.keyboard.press("Space")
    expect(path_shown(view)).to_contain_text(f"{first.id} → {second.id}")
    lab.page.wait_for_timeout(150)
    view.get_by_role("button", name=button_name("Stop here, I know enough")).focus()
    lab.page.keyboard.press("Enter")
    expect(feedback).to_contain_text("✔ Correct.", timeout=FEEDBACK_WAIT)

    records = [r for r in read_progress(lab_server.work_dir) if r["item"] == ITEM]
    assert [r["answer"] for r in records] == [[own.id, first.id, "stop"], [first.id, second.id, "stop"]]
    assert [r["verdict"] for r in records] == ["partly correct", "correct"]
    assert records[0]["answer"][0] == own.id, "the first click is saved first"
    assert lab.log_console_messages() == [], "a widget callback failed (JupyterLab's Log Console)"


def test_keys_on_the_search_controls_never_reach_the_notebook(lab):
    view = lab.exercise(ITEM)
    for label in ("Open result 1", "Start over"):
        control = view.get_by_role("button", name=button_name(label))
        control.focus()
        before = lab.eval(SNAPSHOT)
        for key in ["b", "a", "x", "d", "d", "m", "ArrowDown", "k"]:
            control.press(key)
        lab.page.wait_for_timeout(100)
        now = lab.eval(SNAPSHOT)
        assert now == before, f"keys typed on {label} changed the notebook"
        assert view.evaluate("(v) => v.contains(document.activeElement)"), f"{label}: the focus left the exercise"


def test_axe_finds_no_serious_problem_in_the_search_page(lab, axe_path):
    from playwright.sync_api import expect
    view = lab.exercise(ITEM)
    press(view, "Open result 3")          # opened pages and feedback are part of what is checked
    press(view, "Stop here, I know enough")
    expect(output(view)).to_contain_text("Your answer:", timeout=FEEDBACK_WAIT)
    view.evaluate("(v) => v.setAttribute('data-course-test', 'search')")
    lab.page.add_script_tag(path=str(axe_path))
    result = lab.page.evaluate("""async ([tags, rules]) => {
      const context = {include: [['[data-course-test="search"]']]};
      const wcag = await axe.run(context, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
      const named = await axe.run(context, {runOnly: {type: 'rule', values: rules}, resultTypes: ['violations']});
      const brief = (v) => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.html.slice(0, 200))});
      return {wcag: wcag.violations.map(brief), named: named.violations.map(brief)};
    }""", [WCAG, NAME_RULES])
    serious = [v for v in result["wcag"] if v["impact"] in ("serious", "critical")]
    assert serious == [], f"serious or critical WCAG 2.1 A/AA violations in the search page: {serious}"
    assert result["named"] == [], f"unnamed controls, broken list or headings in the search page: {result['named']}"
