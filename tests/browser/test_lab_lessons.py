"""Every lesson in real JupyterLab: restart the kernel and run all cells, then check what a student sees.

One run per lesson (a module-scoped fixture) serves the checks below, which only read the page:
no cell shows an error, every exercise the notebook shows renders as a live widget with its
buttons, nothing landed in the Log Console, and every control and image in the outputs has an
accessible name (axe-core on the live page, scoped to the output areas).
"""

from __future__ import annotations

import re

import pytest

from .labdriver import ROOT, WCAG, button_name, opened_lesson, shown_items

LESSONS = sorted(p.name for p in (ROOT / "lessons").glob("*.ipynb"))
# The rules that say a control or an image has a name a screen reader can announce.
NAME_RULES = ["button-name", "input-button-name", "label", "select-name", "aria-input-field-name",
              "aria-toggle-field-name", "aria-command-name", "image-alt", "role-img-alt", "svg-img-alt"]


@pytest.fixture(scope="module", params=LESSONS)
def ran_lesson(request, browser, lab_server):
    with opened_lesson(browser, lab_server, f"lessons/{request.param}") as lab:
        yield lab


def test_no_cell_shows_an_error(ran_lesson):
    assert ran_lesson.error_outputs() == [], "cells with an error output after Restart Kernel and Run All"
    assert ran_lesson.kernel_status() == "idle"


def test_every_exercise_renders_as_a_widget(ran_lesson):
    lesson = ran_lesson.path.split("/")[-1]
    items = shown_items(ROOT / "lessons" / lesson)
    import nbformat

    from course_lib import load_case
    from course_lib.instructors.timing import lesson_case
    case = lesson_case(nbformat.read(ROOT / "lessons" / lesson, as_version=4)) or load_case()   # its first cell's
    prefix = lesson[:2]   # 04a and 04b share lesson 04's items, each showing its own part of them
    in_case = {e.id for e in case.exercises if e.lesson == prefix}
    siblings = set().union(*(shown_items(p) for p in (ROOT / "lessons").glob(f"{prefix}*.ipynb")))
    assert set(items) <= in_case and siblings == in_case, "the lesson shows exactly its own exercises"
    page = ran_lesson.page
    from course_lib.frontend.widgets import STOP_LABEL
    kinds = {e.id: e.kind for e in case.exercises}
    for item in items:
        view = ran_lesson.exercise(item)
        view.wait_for(state="visible", timeout=15_000)
        check = STOP_LABEL if kinds[item] == "search" else "Check"   # a search item's check is its stop
        for button in (check, "Hint", "Show answer"):
            assert view.get_by_role("button", name=button_name(button)).count() == 1, f"{item}: no {button} button"
    checks = re.compile(rf"^\W*(Check|{re.escape(STOP_LABEL)})\s*$")
    views = page.locator(".jp-Notebook .jp-OutputArea-output > .jupyter-widgets.widget-vbox").filter(
        has=page.get_by_role("button", name=checks))
    assert views.count() == len(items), "one live exercise view for each show() call"
    text = page.locator(".jp-Notebook").inner_text()
    assert "Error displaying widget" not in text
    assert "Answer with: answer(" not in text, "an exercise fell back to its text version: the view did not render"


def test_nothing_lands_in_the_log_console(ran_lesson):
    assert ran_lesson.log_console_messages() == []


def axe_on_outputs(lab, axe_path) -> dict:
    """axe-core on the live page, limited to the notebook's output areas (run once per lesson)."""
    if getattr(lab, "axe_result", None) is None:
        lab.page.add_script_tag(path=str(axe_path))
        lab.axe_result = lab.page.evaluate("""async ([tags, nameRules]) => {
          const context = {include: [['.jp-Notebook .jp-Cell-outputArea']]};
          const wcag = await axe.run(context, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
          const names = await axe.run(context, {runOnly: {type: 'rule', values: nameRules}, resultTypes: ['violations']});
          const where = (n) => {  // which JupyterLab renderer drew the node
            const el = document.querySelector(n.target[0]);
            return el && el.closest('.jp-RenderedImage') ? '[jp-RenderedImage] ' : '';
          };
          const brief = (v) => ({id: v.id, impact: v.impact, help: v.help,
                                 nodes: v.nodes.map((n) => where(n) + n.html.slice(0, 200))});
          return {wcag: wcag.violations.map(brief), names: names.violations.map(brief)};
        }""", [WCAG, NAME_RULES])
    return lab.axe_result


def brief(violations):
    return [{**v, "nodes": v["nodes"][:5]} for v in violations]


def test_widget_controls_and_images_have_accessible_names(ran_lesson, axe_path):
    result = axe_on_outputs(ran_lesson, axe_path)
    serious = [v for v in brief(result["wcag"]) if v["impact"] in ("serious", "critical")]
    assert serious == [], f"serious or critical WCAG 2.1 A/AA violations in the outputs: {serious}"
    unnamed = brief(result["names"])
    assert unnamed == [], f"controls or images without an accessible name: {unnamed}"
    images = ran_lesson.page.locator(".jp-Notebook .jp-OutputArea-output img")
    for n in range(images.count()):
        alt = (images.nth(n).get_attribute("alt") or "").strip()
        assert alt, f"image {n} in the outputs has no alt text as JupyterLab shows it"
