"""Fixtures for the browser tests: the system Chromium driven by Playwright, one JupyterLab server for
the session (in a temporary copy of the repository, with a temporary work folder), and a page per
test that saves a screenshot and the page's text when the test fails.

Nothing is downloaded at test time: Chromium comes from the system (`apt-get install chromium`, or
$COURSE_LIB_CHROMIUM), axe-core from tests/browser/node_modules (`npm ci` there; `make browser-deps`).
Where either is missing the tests skip and say how to install it, except under CI (CI=true), where
.ci/run installs both, so a missing one fails instead of skipping quietly.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from .labdriver import (CHROMIUM_HINT, OPEN_PAGES, ROOT, LabServer, chromium_args, copy_repository,
                       find_chromium)

HERE = Path(__file__).resolve().parent
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
AXE_HINT = "install the pinned axe-core with `make browser-deps` (runs `npm ci` in tests/browser)"
ARTIFACTS = Path(os.environ.get("COURSE_LIB_BROWSER_ARTIFACTS", ROOT / "build" / "browser-failures"))

_saved: list[str] = []


def _missing(what: str) -> None:
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{what} under CI, where .ci/run should have installed it", pytrace=False)
    pytest.skip(what)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = find_chromium()
    if path is None:
        _missing(f"no Chromium found: {CHROMIUM_HINT}")
    try:
        import playwright  # noqa: F401
    except ImportError:
        _missing("Playwright is not installed: pip install -e '.[test]' (make test does)")
    return path


@pytest.fixture(scope="session")
def axe_path(chromium_path) -> Path:
    if not AXE.is_file():
        _missing(f"axe-core not found at {AXE.relative_to(ROOT)}: {AXE_HINT}")
    return AXE


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    try:
        chromium = pw.chromium.launch(executable_path=chromium_path, headless=True, args=chromium_args())
    except Exception:
        pw.stop()
        raise
    yield chromium
    chromium.close()
    pw.stop()


@pytest.fixture(scope="session")
def lab_server(chromium_path, tmp_path_factory):
    """One JupyterLab for the session, in a temporary copy of the repository and work folder."""
    base = tmp_path_factory.mktemp("jupyterlab")
    root = copy_repository(base / "repo")
    server = LabServer(root, base / "my-work", base / "server").start()
    yield server
    server.stop()


@pytest.fixture
def new_page(browser):
    """Make Playwright pages in fresh browser contexts; each is closed after the test."""
    contexts = []

    def make():
        context = browser.new_context(viewport={"width": 1280, "height": 1000})
        context.set_default_timeout(30_000)
        contexts.append(context)
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())  # "leave the page?" on reload
        return page
    yield make
    for context in contexts:
        context.close()


# ---- a failing test leaves a screenshot and the page's text behind -------------------------------

@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed and report.when in ("setup", "call") and OPEN_PAGES:
        folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", item.nodeid)[-150:]
        folder.mkdir(parents=True, exist_ok=True)
        for n, lab in enumerate(list(OPEN_PAGES)):
            stem = f"page{n}-{Path(lab.path).stem}"
            try:
                lab.page.screenshot(path=str(folder / f"{stem}.png"), full_page=True)
                (folder / f"{stem}.txt").write_text(lab.page.inner_text("body"), encoding="utf-8")
                (folder / f"{stem}-console.txt").write_text("\n".join(getattr(lab, "console", [])),
                                                            encoding="utf-8")
            except Exception as exc:  # a crashed page still gets the rest saved
                (folder / f"{stem}-error.txt").write_text(repr(exc), encoding="utf-8")
            server = getattr(lab, "server", None)
            if server is not None:
                (folder / "jupyterlab.log").write_text(server.log_tail(200), encoding="utf-8")
        report.sections.append(("browser artifacts", f"screenshot and page text saved in {folder}"))
        _saved.append(str(folder))


def pytest_terminal_summary(terminalreporter):
    if _saved:
        terminalreporter.section("browser test failures")
        for folder in _saved:
            terminalreporter.write_line(f"screenshot and page text: {folder}")
