"""Reading on a narrow screen (800 px): figures keep their size, wide tables scroll instead of being cut off."""

from __future__ import annotations

from contextlib import contextmanager

from .labdriver import opened_lesson


@contextmanager
def narrow(browser, lab_server, lesson):
    """Lesson `lesson` opened at 800 px wide and run from the top."""
    with opened_lesson(browser, lab_server, f"lessons/{lesson}", width=800, height=900) as lab:
        yield lab.page, lab


def test_lesson_04a_figure_at_800_px(browser, lab_server):
    with narrow(browser, lab_server, "04a-coding-events.ipynb") as (page, lab):
        index = next(n for n, c in enumerate(lab.cells())
                     if "".join(c["source"]).startswith("plots.swimlane(events"))
        swim = lab.cell(index)
        image = swim.locator("img").first
        image.scroll_into_view_if_needed()
        width = image.evaluate("i => i.getBoundingClientRect().width")
        area = swim.locator(".jp-OutputArea-output").first.evaluate("o => o.getBoundingClientRect().width")
        assert width >= 0.9 * min(area, image.evaluate("i => i.naturalWidth")), \
            f"the swimlane is drawn {width:.0f} px wide in a {area:.0f} px output"


def test_lesson_04b_tables_at_800_px(browser, lab_server):
    with narrow(browser, lab_server, "04b-measuring-coordination.ipynb") as (page, lab):
        panel = lab.cell(lab.cell_index("sensitivity_panel(events"))
        panel.locator(".jp-RenderedMarkdown table").first.wait_for()   # the lab's table, in its Output widget
        page.wait_for_timeout(300)
        tables = lab.eval("""
          return [...panel.node.querySelectorAll('.jp-OutputArea-output .jp-RenderedMarkdown')]
            .filter((md) => md.querySelector(':scope > table'))
            .map((md) => ({wide: md.scrollWidth > md.clientWidth + 1, overflow: getComputedStyle(md).overflowX,
                           focusable: md.tabIndex === 0, name: md.getAttribute('aria-label')}));""")
        assert tables, "lesson 04b shows tables"
        wide = [t for t in tables if t["wide"]]
        assert wide, "at 800 px some table of lesson 04b is wider than its output"
        for t in wide:
            assert t["overflow"] == "auto" and t["focusable"] and t["name"], f"a wide table is cut off or unreachable: {t}"
