"""The glossary in real JupyterLab: lesson 00's link opens lessons/glossary.md rendered, one entry a heading."""

from __future__ import annotations

import re

from .labdriver import ROOT, clear, close_lesson, open_lesson


def test_lesson_00_links_to_the_glossary_and_lab_shows_it_rendered(browser, lab_server):
    clear(lab_server.work_dir)
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    context.set_default_timeout(30_000)
    page = context.new_page()
    lab = open_lesson(page, lab_server, "lessons/00-start-here.ipynb")
    link = page.locator(".jp-RenderedMarkdown a", has_text="glossary").first
    link.scroll_into_view_if_needed()
    link.click()
    viewer = page.locator(".jp-MarkdownViewer")
    viewer.locator("h1", has_text="Glossary").wait_for()
    entries = len(re.findall(r"^## ", (ROOT / "lessons" / "glossary.md").read_text(encoding="utf-8"), re.M))
    assert viewer.locator("h2").count() == entries
    assert page.locator(".jp-FileEditor").count() == 0, "the glossary opened as source, not as a page"
    close_lesson(lab)
    context.close()
