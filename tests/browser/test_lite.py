"""The course in JupyterLite: built by `lite/build.py` (make lite), served from 127.0.0.1 with every
other address refused, driven in Chromium like the JupyterLab tests.

Lesson 00 runs to the end and one item of each kind is answered (a code item also with an endless
loop, which must end as a hint: Pyodide starts no process); the work is saved in the browser's
storage and comes back after a reload. Lesson 04a runs to the end with its figure shown as the
text-table fallback, as matplotlib is not in the offline build. Skips with advice where the build
tools are missing (fails under CI, where `make test` installs them).
"""

from __future__ import annotations

import base64
import functools
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from .conftest import _missing
from .labdriver import ROOT, LabPage, free_port
from .students import (FEEDBACK_WAIT, _solution_cell, answers, expected_feedback, first_item_of_each_kind, give,
                       lesson_of, output, press)

LITE_HINT = "run `make lite` once (it installs lite/requirements.txt into .venv and Pyodide with npm ci in lite/)"
BOOT = 240_000   # ms: the first kernel start loads Pyodide and ~25 wheels
START, FIGURES = "00-start-here.ipynb", "04a-coding-events.ipynb"


class LiteServer:
    """The built site on a static file server on 127.0.0.1, in a thread; what LabPage needs of a server."""

    def __init__(self, site: Path):
        handler = functools.partial(_Quiet, directory=str(site))
        self.httpd = ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def lab_url(self, path: str, workspace: str) -> str:
        return f"{self.origin}/lab/index.html?path={path}"

    def shutdown_kernels(self) -> None:   # kernels live in the page's workers
        pass

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class _Quiet(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".wasm": "application/wasm",
                      ".mjs": "text/javascript", ".js": "text/javascript", ".json": "application/json",
                      ".whl": "application/zip"}

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def lite_site(chromium_path, tmp_path_factory) -> Path:
    """The site, built now from this checkout into a temporary folder (about a minute)."""
    try:
        import jupyterlite_core  # noqa: F401
        import jupyterlite_pyodide_kernel  # noqa: F401
    except ImportError:
        _missing(f"the JupyterLite build tools are not installed: {LITE_HINT}")
    if not (ROOT / "lite" / "node_modules" / "pyodide" / "pyodide.mjs").is_file():
        _missing(f"Pyodide is not in lite/node_modules: {LITE_HINT}")
    out = tmp_path_factory.mktemp("lite") / "site"
    prebuilt = os.environ.get("COURSE_LIB_LITE_SITE")   # a site built already, e.g. build/lite
    if prebuilt:
        shutil.copytree(prebuilt, out)
    run = subprocess.CompletedProcess([], 0) if prebuilt else subprocess.run([sys.executable, str(ROOT / "lite" / "build.py"), "--out", str(out)], cwd=ROOT,
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, f"make lite failed:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}"
    config = json.loads((out / "jupyter-lite.json").read_text())
    config["jupyter-config-data"]["exposeAppInBrowser"] = True   # window.jupyterapp, as the Lab tests use
    (out / "jupyter-lite.json").write_text(json.dumps(config))
    return out


@pytest.fixture(scope="module")
def lite(browser, lite_site):
    """A page factory on the served site; every request for another address is refused and recorded."""
    server = LiteServer(lite_site)
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    context.set_default_timeout(30_000)
    outside: list[str] = []

    def only_here(route):
        if route.request.url.startswith(server.origin):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort("internetdisconnected")
    context.route("**/*", only_here)

    def open_page(path: str) -> LabPage:
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())
        lab = LabPage(page, server, path)
        page.on("console", lambda m: lab.console.append(f"{m.type}: {m.text}"))
        return lab.open(timeout=BOOT)
    open_page.outside = outside
    yield open_page
    context.close()
    server.stop()


def _saved(lab: LabPage) -> list[dict]:
    """my-work/progress.json as the kernel wrote it into the browser's storage."""
    got = lab.page.evaluate("""async () => {
      const m = await window.jupyterapp.serviceManager.contents.get('my-work/progress.json', {content: true});
      return {format: m.format, content: typeof m.content === 'string' ? m.content : JSON.stringify(m.content)};
    }""")
    text = base64.b64decode(got["content"]).decode("utf-8") if got["format"] == "base64" else got["content"]
    return json.loads(text)["records"]


def _endless(item) -> str:
    """The instructor's cell for a code item with the solution replaced by a loop that never ends."""
    source = _solution_cell(item)
    region = re.compile(r"^([ \t]*)### BEGIN SOLUTION\n(.*?)^[ \t]*### END SOLUTION\n", re.M | re.S)
    return region.sub(lambda m: f"{m.group(1)}while True:\n{m.group(1)}    pass\n", source)


def test_lesson_00_runs_every_kind_is_answered_and_work_survives_a_reload(lite):
    """Lesson 00's items of every kind are answered in the browser and come back after a reload; the first code
    exercise (lesson 04a's primer: lesson 00's function is a worked example) ends an endless loop as a hint."""
    from playwright.sync_api import expect
    items = first_item_of_each_kind()
    code = items.pop("code")
    items = {kind: item for kind, item in items.items() if lesson_of(item) == f"lessons/{START}"}
    assert {"single", "multiple", "numeric", "order"} <= set(items), f"lesson 00 shows only {sorted(items)}"
    lab = lite(START)
    lab.restart_and_run_all(timeout=BOOT)
    assert lab.error_outputs() == [], lab.console[-20:]

    for kind, item in items.items():
        view = lab.exercise(item.id)
        view.scroll_into_view_if_needed()
        wrong, right = answers(item)
        give(view, item, right)
        press(view, "Check")
        shown = expected_feedback(item, right)
        expect(output(view)).to_contain_text(shown.headline, timeout=FEEDBACK_WAIT)

    saved = _saved(lab)
    for kind, item in items.items():
        verdicts = [r["verdict"] for r in saved if r["item"] == item.id]
        assert verdicts and verdicts[-1] in ("correct", "kept"), f"{item.id}: the browser's storage holds {verdicts}"

    lab.reload(timeout=BOOT)
    lab.restart_and_run_all(timeout=BOOT)
    assert lab.error_outputs() == []
    for kind in ("single", "multiple", "numeric", "order"):
        view = lab.exercise(items[kind].id)
        expect(output(view)).to_contain_text("was correct", timeout=FEEDBACK_WAIT)
    assert _saved(lab) == saved, "re-running the lesson changed the saved work"

    coding = lite(lesson_of(code).removeprefix("lessons/"))
    coding.restart_and_run_all(timeout=BOOT)
    assert coding.error_outputs() == [], coding.console[-20:]
    cell = coding.cell_index(f'answer("{code.id}"')
    coding.replace_cell_source_and_run(cell, _endless(code))
    expect(coding.cell(cell).locator(".jp-OutputArea-output")).to_contain_text("did not finish", timeout=60_000)
    coding.replace_cell_source_and_run(cell, answers(code)[1])
    expect(coding.cell(cell).locator(".jp-OutputArea-output")).to_contain_text("✔ Correct.", timeout=60_000)
    verdicts = [r["verdict"] for r in _saved(coding) if r["item"] == code.id]
    assert verdicts[0] == "incorrect" and verdicts[-1] == "correct", f"the endless loop, then the fix: {verdicts}"
    assert lite.outside == [], f"the site asked for addresses outside it: {lite.outside[:5]}"


def test_a_lesson_with_figures_runs_to_the_end_with_table_fallbacks(lite):
    from course_lib.frontend.plots import NO_MATPLOTLIB_NOTE
    lab = lite(FIGURES)
    lab.restart_and_run_all(timeout=BOOT)
    assert lab.error_outputs() == [], lab.console[-20:]
    texts = [json.dumps(cell.get("outputs", [])) for cell in lab.cells()]
    shown = [t for t in texts if json.dumps(NO_MATPLOTLIB_NOTE)[1:-1] in t]
    assert shown, "no figure fell back to its table"
    assert all("Figure: " in t for t in shown)
    assert lite.outside == [], f"the site asked for addresses outside it: {lite.outside[:5]}"
