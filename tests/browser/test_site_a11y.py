"""The course website (`make site`, Jupyter Book 1): built from this checkout, served from 127.0.0.1
with every other address refused, each page checked by axe-core for WCAG 2.1 A/AA (no serious or
critical issue), for alt text, one H1 and a language; each lesson page shows its exercises as text
and links to the lesson in JupyterLite and on Binder. Skips with advice when Jupyter Book is missing.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .conftest import _missing
from .labdriver import ROOT, serious_axe_violations
from .test_lite import LiteServer

LESSONS = sorted(p.stem for p in (ROOT / "lessons").glob("*.ipynb"))
PAGES = ["index", "search", "genindex", *(f"lessons/{name}" for name in LESSONS), "lessons/glossary"]


@pytest.fixture(scope="module")
def site(chromium_path, tmp_path_factory):
    try:
        import jupyter_book  # noqa: F401
    except ImportError:
        _missing("Jupyter Book is not installed: run `make site` once (it installs site/requirements.txt into .venv)")
    out = tmp_path_factory.mktemp("site")
    run = subprocess.run([sys.executable, str(ROOT / "site" / "build.py"), "--out", str(out)], cwd=ROOT,
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, f"make site failed:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}"
    server = LiteServer(out / "_build" / "html")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def page(browser, site):
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    outside: list[str] = []

    def only_here(route):
        if route.request.url.startswith((site.origin, "data:")):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()
    context.route("**/*", only_here)
    page = context.new_page()
    page.outside = outside
    yield page
    context.close()


@pytest.mark.parametrize("name", PAGES)
def test_page_meets_wcag_21_aa_offline(name, page, site, axe_path):
    page.goto(f"{site.origin}/{name}.html", wait_until="load")
    serious = serious_axe_violations(page, axe_path)
    assert serious == [], f"{name}.html: {json.dumps(serious, indent=1)}"
    assert page.evaluate("() => document.documentElement.lang") == "en"
    alts = page.evaluate("() => [...document.querySelectorAll('main img, article img')].map((i) => i.getAttribute('alt'))")
    assert all(a and a.strip() for a in alts), f"images without alt text: {alts}"
    shown_h1 = "() => [...document.querySelectorAll('h1')].filter((h) => h.checkVisibility()).length"
    assert page.evaluate(shown_h1) == 1, "one H1 on screen (the theme's print-only copy is hidden)"
    assert page.outside == [], f"the page asked for addresses outside the site: {page.outside[:5]}"


@pytest.mark.parametrize("name", LESSONS)
def test_lesson_page_shows_exercises_as_text_and_links_to_lite_and_binder(name, page, site):
    from .labdriver import shown_items
    page.goto(f"{site.origin}/lessons/{name}.html", wait_until="load")
    text = page.locator("main").inner_text()
    for item_id in shown_items(ROOT / "lessons" / f"{name}.ipynb"):
        assert f"Exercise {item_id}:" in text, f"{item_id} is not shown as text"
    assert page.locator(".jupyter-widgets, [data-jupyter-widgets-cdn]").count() == 0
    links = page.locator(".course-launch a").evaluate_all("(as) => as.map((a) => a.href)")
    assert any("lab/index.html?path=" + name + ".ipynb" in h for h in links), links
    assert any("mybinder.org" in h and f"lessons/{name}.ipynb" in h for h in links), links
