"""The keyboard belongs to the exercise: Tab, Space, Enter, arrows and letters typed into every control of
every kind work the control and never reach JupyterLab's notebook shortcuts (WCAG 2.1.1, 2.1.4).

In command mode JupyterLab 4 binds letters and arrows to ".jp-Notebook.jp-mod-commandMode:not(.jp-mod-readWrite)
:focus", which any focused radio, checkbox, select or button matches: "b" inserted a cell, "x" cut the
exercise's cell, "d d" deleted it, arrows moved to another cell. Each kind's controls get those keys
here; the notebook (its cells, their sources, the active cell) must be exactly as before, and the keys
must still do what they do to the control itself. Also: the roles and names a screen reader reads.
"""

from __future__ import annotations

import re

import pytest

from .labdriver import opened_lesson
from .students import FEEDBACK_WAIT, first_item_of_each_kind, lesson_of, output

_FIRST = first_item_of_each_kind()
#: The first item of each kind in lesson 00 (the first code exercise is in 04a: its controls are buttons only,
#: which every other kind has too).
ITEMS = {kind: item for kind, item in _FIRST.items() if lesson_of(item) == lesson_of(_FIRST["single"])}
#: Keys a student may press on a control; every one of these is a notebook command-mode shortcut too.
SHORTCUT_KEYS = ["b", "a", "x", "c", "v", "d", "d", "m", "y", "z", "j", "k", "ArrowDown", "ArrowUp", "Enter",
                 "Shift+ArrowDown", "Shift+k"]

SNAPSHOT = """
  const cells = [...panel.content.model.cells].map((c) => [c.type, c.sharedModel.getSource()]);
  return {cells, active: panel.content.activeCellIndex, count: cells.length};
"""


@pytest.fixture(scope="module")
def lab(browser, lab_server):
    paths = {lesson_of(item) for item in ITEMS.values()}
    assert len(paths) == 1, f"the first item of each kind is spread over {sorted(paths)}"
    with opened_lesson(browser, lab_server, paths.pop()) as opened:
        yield opened


def controls_of(view):
    """Every focusable control of an exercise view, in tab order."""
    return view.locator("input, select, textarea, button").all()


def focused_inside(view) -> bool:
    return view.evaluate("(v) => v.contains(document.activeElement)")


@pytest.mark.parametrize("kind", list(ITEMS))
def test_keys_typed_into_every_control_never_reach_the_notebook(kind, lab):
    item = ITEMS[kind]
    view = lab.exercise(item.id)
    view.scroll_into_view_if_needed()
    controls = controls_of(view)
    assert controls, f"{item.id} has no controls"
    for control in controls:
        if control.is_disabled():
            continue
        control.focus()  # focus makes the exercise's cell the active one, as a click would
        before = lab.eval(SNAPSHOT)
        for key in SHORTCUT_KEYS:
            control.press(key)
        lab.page.keyboard.press("Space")
        lab.page.wait_for_timeout(50)
        tag = control.evaluate("e => e.tagName + (e.type ? ':' + e.type : '')")
        where = f"{item.id}: keys typed into a {tag}"
        assert lab.eval(SNAPSHOT)["active"] == before["active"], f"{where} moved to another cell"
        assert focused_inside(view), f"{where} moved the focus out of the exercise"
        lab.page.keyboard.press("Tab")  # on to the next control (after the last one: out, as it should)
        lab.page.wait_for_timeout(50)
        now = lab.eval(SNAPSHOT)
        assert now["count"] == before["count"], f"{where} added or removed cells"
        assert now["cells"] == before["cells"], f"{where} changed the notebook"
    assert lab.error_outputs() == []


def test_the_keys_still_work_the_controls(lab):
    """Arrows move the radio choice and the drop-down value, Space ticks, Enter in the number box checks."""
    single = lab.exercise(ITEMS["single"].id)
    radios = single.get_by_role("radio").all()
    radios[0].focus()
    lab.page.keyboard.press("Space")
    lab.page.keyboard.press("ArrowDown")
    assert radios[1].is_checked() and focused_inside(single)
    if ITEMS["single"].confidence:   # lesson 00's first item, the pre-test: "How sure are you?" by keyboard
        sure = single.get_by_role("combobox", name="How sure are you?")
        label = "(s, i) => s.options[i ?? s.selectedIndex].text.replace(/\\u00a0/g, ' ')"   # ipywidgets shows spaces as nbsp
        assert sure.evaluate(label, 0) == "not said", "its first choice is not said"
        sure.select_option(index=0)   # an earlier test typed keys into it
        lab.page.wait_for_timeout(300)
        sure.focus()
        lab.page.keyboard.press("ArrowDown")
        lab.page.wait_for_timeout(300)
        assert sure.evaluate(label, None) == "50%" and focused_inside(single)

    boxes = lab.exercise(ITEMS["multiple"].id).get_by_role("checkbox").all()
    boxes[0].focus()
    was = boxes[0].is_checked()
    lab.page.keyboard.press("Space")
    assert boxes[0].is_checked() != was

    order = lab.exercise(ITEMS["order"].id)
    first = order.get_by_role("combobox").first
    first.select_option(index=1)
    lab.page.wait_for_timeout(300)   # the kernel's echo of the choice comes back first
    first.focus()
    lab.page.keyboard.press("ArrowDown")
    lab.page.wait_for_timeout(300)
    assert first.evaluate("s => s.selectedIndex") == 2, "ArrowDown chose the next entry"
    lab.page.keyboard.press("Tab")
    assert focused_inside(order), "Tab moved to the exercise's next control"

    numeric = lab.exercise(ITEMS["numeric"].id)
    box = numeric.get_by_role("textbox")
    box.click()
    box.press("ControlOrMeta+a")
    box.press_sequentially("0,5")
    box.press("Enter")
    from playwright.sync_api import expect
    expect(output(numeric)).to_contain_text("0.5", timeout=FEEDBACK_WAIT)


def test_what_a_screen_reader_reads(lab):
    """Heading, a radio group named by the question, drop-downs named by their sentence, a live region."""
    item = ITEMS["single"]
    view = lab.exercise(item.id)
    assert view.get_by_role("heading", level=3, name=f"Exercise {item.id}: {item.title}").count() == 1
    group = view.get_by_role("radiogroup")
    assert group.count() == 1
    name = group.evaluate("g => g.getAttribute('aria-labelledby').split(' ')"
                          ".map((id) => document.getElementById(id).textContent).join(' ')")
    assert item.title in name and item.prompt[:40] in name
    assert view.evaluate("v => v.getAttribute('role')") == "group"
    feedback = output(view)
    assert feedback.evaluate("o => o.closest('[aria-live]') && o.closest('[aria-live]').getAttribute('aria-live')") \
        == "polite", "the feedback area is a persistent live region"
    lab.page.wait_for_timeout(300)
    assert feedback.locator('[role="status"]').count() == 0, "no live region nested in the feedback area"

    classify = ITEMS["classify"]
    cview = lab.exercise(classify.id)
    entry = classify.entries[0]
    drop = cview.get_by_role("combobox", name=re.compile(rf"^Sort {re.escape(entry.id)} — “"))
    assert entry.text[:30] in drop.evaluate(
        "s => s.getAttribute('aria-labelledby').split(' ').map((id) => document.getElementById(id).textContent).join(' ')")

    button = view.get_by_role("button").first
    button.focus()
    outline = button.evaluate("b => [getComputedStyle(b).outlineWidth, getComputedStyle(b).outlineStyle]")
    assert outline[1] != "none" and float(outline[0].rstrip("px")) >= 2, f"focus ring {outline}"
