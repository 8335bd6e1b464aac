"""A real JupyterLab server and a page that drives it in Chromium, for the browser tests.

`LabServer` starts `jupyter lab` on 127.0.0.1 with a free port and a random token, in folders of
its own (config, runtime, settings, workspaces), autosave and news off, and stops exactly the
processes it started. `LabPage` opens a notebook in a Playwright page, restarts the kernel and runs
every cell, and reads what happened from the notebook model (`window.jupyterapp`, exposed with
`--LabApp.expose_app_in_browser`), not from guesses about the DOM. `NotebookPage` does the same in
Notebook 7 (the `notebook` package, /notebooks/<path> on the same server), which has the same model.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: Chromium flags for a headless run on a machine with a closed network (see testing-notes.md).
CHROMIUM_ARGS = [
    "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
    "--disable-default-apps", "--disable-extensions", "--no-default-browser-check",
]
CHROMIUM_HINT = ("install Chromium with `apt-get install chromium` (Debian; .ci/run does this), or set "
                 "COURSE_LIB_CHROMIUM to a Chromium or Chrome executable")

# User settings the server starts with: what a student gets, less what makes a test flaky or
# reaches the network. Autosave off, or Lab writes re-run outputs back into the lessons.
LAB_SETTINGS = {
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
}

IGNORED_IN_COPY = shutil.ignore_patterns(
    ".git", ".venv", "venv", "node_modules", "build", "my-work", ".hypothesis", ".pytest_cache",
    "__pycache__", ".ipynb_checkpoints", "*.egg-info", ".staging")


WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def serious_axe_violations(page, axe_path, tags=WCAG) -> list[dict]:
    """Inject the pinned axe-core into the loaded page, run the WCAG 2.1 AA rules on the whole document
    and return the serious and critical violations (id, impact, help, the first five nodes' HTML)."""
    page.add_script_tag(path=str(axe_path))
    violations = page.evaluate("""async (tags) => {
      const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
      return r.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
                                       nodes: v.nodes.slice(0, 5).map((n) => n.html.slice(0, 200))}));
    }""", list(tags))
    return [v for v in violations if v["impact"] in ("serious", "critical")]


def find_chromium() -> str | None:
    """The Chromium to drive: $COURSE_LIB_CHROMIUM, else /usr/bin/chromium or one on PATH."""
    named = os.environ.get("COURSE_LIB_CHROMIUM")
    if named:
        return named if os.access(named, os.X_OK) else None
    for candidate in ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(candidate)
        if found:
            return found
    return None


def chromium_args() -> list[str]:
    return CHROMIUM_ARGS + (["--no-sandbox"] if os.geteuid() == 0 else [])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def shown_items(notebook: Path) -> list[str]:
    """The exercise ids a notebook displays with show("..."), in order."""
    cells = json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]
    return [m.group(1) for c in cells if c["cell_type"] == "code"
            for m in re.finditer(r"\bshow\(\s*[\"']([\w.-]+)[\"']\s*\)", "".join(c["source"]))]


def button_name(label: str) -> re.Pattern:
    """A button's accessible name: its label, after any icon glyph ipywidgets puts before it."""
    return re.compile(rf"^\W*{re.escape(label)}\s*$")


def clear(folder: Path) -> Path:
    """Empty a work folder, so a test starts with no saved answers."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def copy_repository(target: Path) -> Path:
    """A copy of the working tree (what the lessons and the library are now), without caches."""
    shutil.copytree(ROOT, target, ignore=IGNORED_IN_COPY)
    return target


class LabServer:
    """`jupyter lab` in a folder of ours; `stop()` ends it and the kernels it started, nothing else."""

    def __init__(self, root: Path, work_dir: Path, scratch: Path):
        self.root, self.work_dir, self.scratch = Path(root), Path(work_dir), Path(scratch)
        self.port = free_port()
        self.token = secrets.token_hex(24)
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = self.scratch / "jupyterlab.log"
        self.process: subprocess.Popen | None = None
        self._children: dict[int, object] = {}  # pid -> psutil.Process (knows its start time)

    def start(self, timeout: float = 90) -> "LabServer":
        dirs = {name: self.scratch / name for name in ("config", "data", "runtime", "settings", "workspaces", "ipython")}
        for folder in dirs.values():
            folder.mkdir(parents=True, exist_ok=True)
        for plugin, values in LAB_SETTINGS.items():
            path = dirs["settings"] / f"{plugin}.jupyterlab-settings"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values), encoding="utf-8")
        # Folders of its own, so no user's config, kernels or settings change what the tests see;
        # the kernels import course_lib from the copy and save work in the temporary work folder.
        env = {k: v for k, v in os.environ.items() if k not in ("JUPYTER_PATH", "JUPYTER_CONFIG_PATH")}
        env.update(JUPYTER_CONFIG_DIR=str(dirs["config"]), JUPYTER_DATA_DIR=str(dirs["data"]),
                   JUPYTER_RUNTIME_DIR=str(dirs["runtime"]), IPYTHONDIR=str(dirs["ipython"]),
                   COURSE_LIB_WORK_DIR=str(self.work_dir),
                   PYTHONPATH=os.pathsep.join([str(self.root), *filter(None, [env.get("PYTHONPATH")])]),
                   PYDEVD_DISABLE_FILE_VALIDATION="1")
        cmd = [sys.executable, "-m", "jupyterlab", "--no-browser",
               "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0",
               f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.root}",
               "--ServerApp.terminals_enabled=False",
               f"--LabApp.user_settings_dir={dirs['settings']}", f"--LabApp.workspaces_dir={dirs['workspaces']}",
               "--LabApp.expose_app_in_browser=True", "--LabApp.news_url=None",
               "--LabApp.check_for_updates_class=jupyterlab.handlers.announcements.NeverCheckForUpdate",
               # Notebook 7 (the `notebook` package, a server extension of the same server): the same
               # settings, and its app exposed too, so NotebookPage reads the same model
               f"--JupyterNotebookApp.user_settings_dir={dirs['settings']}",
               f"--JupyterNotebookApp.workspaces_dir={dirs['workspaces']}",
               "--JupyterNotebookApp.expose_app_in_browser=True"]
        if os.geteuid() == 0:
            cmd.append("--allow-root")
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(cmd, cwd=self.root, env=env, stdout=log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                self.api("GET", "/api/status", timeout=2)
                return self
            except (OSError, urllib.error.URLError):
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"jupyter lab did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def api(self, method: str, path: str, body=None, timeout: float = 10):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, method=method, headers={
            "Authorization": f"token {self.token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw = response.read()
        return json.loads(raw) if raw else None

    def lab_url(self, path: str, workspace: str) -> str:
        return f"{self.url}/lab/workspaces/{workspace}/tree/{path}?reset&token={self.token}"

    def notebook_url(self, path: str) -> str:
        """The notebook at `path` in Notebook 7 (the `notebook` package), served by the same server."""
        return f"{self.url}/notebooks/{path}?token={self.token}"

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def _remember_children(self) -> None:
        """Note the kernels this server started, so that stop() can end any it leaves behind."""
        try:
            import psutil
            for child in psutil.Process(self.process.pid).children(recursive=True):
                self._children.setdefault(child.pid, child)
        except Exception:
            pass

    def shutdown_kernels(self) -> None:
        """End every session and kernel (between tests, so none carries state or CPU into the next)."""
        self._remember_children()
        for session in self.api("GET", "/api/sessions"):
            self.api("DELETE", f"/api/sessions/{session['id']}")
        for kernel in self.api("GET", "/api/kernels"):
            self.api("DELETE", f"/api/kernels/{kernel['id']}")

    def stop(self) -> None:
        if self.process is None:
            return
        self._remember_children()
        if self.process.poll() is None:
            try:
                self.api("POST", "/api/shutdown", timeout=5)
            except (OSError, urllib.error.URLError):
                pass
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.terminate()
                try:
                    self.process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
        self._end_leftovers()
        self.process = None

    def _end_leftovers(self) -> None:
        try:
            import psutil
        except ImportError:
            return
        for proc in self._children.values():
            try:
                if proc.is_running():  # same pid and start time: never a later process that reused the pid
                    proc.terminate()
                    proc.wait(timeout=5)
            except psutil.NoSuchProcess:
                pass
            except psutil.TimeoutExpired:
                proc.kill()


# ---- the page -------------------------------------------------------------------------------------

_PANEL = """(path) => {
  const app = window.jupyterapp;
  if (!app) return null;
  for (const w of app.shell.widgets('main')) {
    if (w.context && w.context.path === path && w.content && w.content.model) return w;
  }
  return null;
}"""


def _js(body: str) -> str:
    """A page function `(path) => ...` with `panel` bound to the notebook panel of `path`."""
    return f"""(path) => {{
      const panel = ({_PANEL})(path);
      if (!panel) return null;
      {body}
    }}"""


class LabPage:
    """One notebook open in JupyterLab, in one Playwright page."""

    def __init__(self, page, server: LabServer, path: str):
        self.page, self.server, self.path = page, server, path
        self.workspace = "t" + secrets.token_hex(6)
        self.console: list[str] = []

    # -- opening and running -----------------------------------------------------------------------

    def url(self) -> str:
        return self.server.lab_url(self.path, self.workspace)

    def open(self, timeout: float = 60_000) -> "LabPage":
        self.page.goto(self.url(), wait_until="domcontentloaded")
        self.page.wait_for_function(_js("return panel.context.isReady && panel.sessionContext.isReady;"),
                                    arg=self.path, timeout=timeout)
        self.wait_idle(timeout)
        return self

    def reload(self, timeout: float = 60_000) -> "LabPage":
        self.page.reload(wait_until="domcontentloaded")
        self.page.wait_for_function(_js("return panel.context.isReady && panel.sessionContext.isReady;"),
                                    arg=self.path, timeout=timeout)
        self.wait_idle(timeout)
        return self

    def eval(self, body: str):
        return self.page.evaluate(_js(body), self.path)

    def kernel_status(self) -> str | None:
        return self.eval("const k = panel.sessionContext.session && panel.sessionContext.session.kernel;"
                         "return k ? k.status : null;")

    def wait_idle(self, timeout: float = 60_000) -> None:
        self.page.wait_for_function(_js(
            "const k = panel.sessionContext.session && panel.sessionContext.session.kernel;"
            "return !!k && k.connectionStatus === 'connected' && k.status === 'idle';"),
            arg=self.path, timeout=timeout, polling=100)

    def restart_and_run_all(self, timeout: float = 180_000) -> None:
        """Kernel › Restart Kernel and Run All Cells, accepting the dialog as a student would."""
        self.page.evaluate("""() => {
          window.__courseRunAll = null;
          window.jupyterapp.commands.execute('notebook:restart-run-all').then(
            (r) => { window.__courseRunAll = {ok: r}; },
            (e) => { window.__courseRunAll = {error: String(e)}; });
        }""")
        accept = self.page.locator(".jp-Dialog .jp-mod-accept")
        accept.wait_for(state="visible", timeout=30_000)
        accept.click()
        self.page.wait_for_function("() => window.__courseRunAll !== null", timeout=timeout, polling=100)
        result = self.page.evaluate("() => window.__courseRunAll")
        assert "error" not in result, f"restart and run all failed in JupyterLab: {result['error']}"
        self.wait_until_run(timeout)

    def wait_until_run(self, timeout: float = 180_000) -> None:
        """Done when the kernel is idle, no prompt shows [*], and every code cell ran (or one failed)."""
        self.page.wait_for_function(_js("""
          const k = panel.sessionContext.session && panel.sessionContext.session.kernel;
          if (!k || k.status !== 'idle') return false;
          if (panel.node.querySelector('.jp-InputPrompt') &&
              [...panel.node.querySelectorAll('.jp-InputPrompt')].some((p) => p.textContent.includes('*'))) return false;
          const cells = [...panel.content.model.cells].map((c) => c.toJSON());
          const code = cells.filter((c) => c.cell_type === 'code');
          if (code.some((c) => (c.outputs || []).some((o) => o.output_type === 'error'))) return true;
          return code.every((c) => c.execution_count !== null && c.execution_count !== undefined);
        """), arg=self.path, timeout=timeout, polling=200)

    # -- reading the notebook model -------------------------------------------------------------

    def cells(self) -> list[dict]:
        return self.eval("return [...panel.content.model.cells].map((c) => c.toJSON());")

    def error_outputs(self) -> list[str]:
        found = []
        for n, cell in enumerate(self.cells()):
            for out in cell.get("outputs", []) or []:
                if out.get("output_type") == "error":
                    found.append(f"cell {n}: {out.get('ename')}: {out.get('evalue')}")
        return found

    def cell_index(self, contains: str) -> int:
        for n, cell in enumerate(self.cells()):
            source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
            if contains in source:
                return n
        raise AssertionError(f"no cell in {self.path} contains {contains!r}")

    def cell(self, index: int):
        """The cell's DOM node, marked so a locator can find it whatever the notebook's windowing."""
        self.eval(f"""
          const w = panel.content.widgets[{index}];
          w.node.setAttribute('data-course-cell', '{index}');
          panel.content.scrollToItem({index});
          return true;""")
        return self.page.locator(f'[data-course-cell="{index}"]')

    def exercise(self, item_id: str):
        """The rendered widget view of exercise `item_id` (the view that show() displayed)."""
        cell = self.cell(self.cell_index(f'show("{item_id}")'))
        return cell.locator(".jp-OutputArea-output > .jupyter-widgets.widget-vbox").filter(
            has_text=f"Exercise {item_id}:").first

    def log_console_messages(self) -> list[str]:
        """What JupyterLab's Log Console holds for this notebook (a widget callback's error goes there)."""
        panel = self.page.locator(".jp-LogConsolePanel")
        if panel.count() == 0:  # the command toggles the panel: open it only when it is closed
            self.page.evaluate("() => window.jupyterapp.commands.execute('logconsole:open', "
                               "{insertMode: 'split-bottom'})")
        panel.wait_for(state="attached", timeout=10_000)
        self.page.wait_for_timeout(200)
        texts = panel.locator(".jp-OutputArea-output").all_inner_texts()
        return [t for t in texts if t.strip()]

    # -- typing into a code cell ------------------------------------------------------------------

    def replace_cell_source_and_run(self, index: int, text: str) -> None:
        """Click into a code cell, select all, type `text` in place of it, and press Shift+Enter."""
        cell = self.cell(index)
        editor = cell.locator(".cm-content")
        editor.click()
        self.page.keyboard.press("ControlOrMeta+a")
        self.page.keyboard.press("Delete")
        self.page.keyboard.insert_text(text)
        self.page.keyboard.press("Shift+Enter")


class NotebookPage(LabPage):
    """One notebook open in Notebook 7 (/notebooks/<path>): the same notebook widgets, commands and
    dialogs as JupyterLab in a one-document shell, so only the address differs (no Log Console)."""

    def url(self) -> str:
        return self.server.notebook_url(self.path)

    def open(self, timeout: float = 60_000) -> "NotebookPage":
        super().open(timeout)
        name = self.page.evaluate("() => window.jupyterapp.name")
        assert name == "Jupyter Notebook", f"{self.url()} opened {name!r}, not Notebook 7"
        return self


#: The notebooks open in a browser now; a failing test saves a screenshot and the text of each.
OPEN_PAGES: list[LabPage] = []


def open_lesson(page, server: LabServer, path: str, ui: str = "lab") -> LabPage:
    """Open a notebook in Lab (or Notebook 7: ui="notebook"), recording the browser console, and
    register it for failure reports."""
    lab = {"lab": LabPage, "notebook": NotebookPage}[ui](page, server, path)
    page.on("console", lambda m: lab.console.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: lab.console.append(f"pageerror: {e}"))
    OPEN_PAGES.append(lab)
    return lab.open()


def close_lesson(lab: LabPage) -> None:
    if lab in OPEN_PAGES:
        OPEN_PAGES.remove(lab)


@contextmanager
def opened_lesson(browser, server: LabServer, path: str, width: int = 1280, height: int = 1000):
    """A lesson opened in a fresh browser context (this viewport, 30 s timeouts, dialogs accepted) and run
    from the top with the kernel restarted, after clearing the saved work; closed, with its kernels, after."""
    clear(server.work_dir)
    context = browser.new_context(viewport={"width": width, "height": height})
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    lab = open_lesson(page, server, path)
    try:
        lab.restart_and_run_all()
        yield lab
    finally:
        close_lesson(lab)
        context.close()
        server.shutdown_kernels()
