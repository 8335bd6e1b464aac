"""Click to feedback, in JupyterLab in Chromium: what a student waits for after pressing Check.

One notebook, written into a temporary copy of the repository and opened in a real JupyterLab with
the browser tests' driver (tests/browser/labdriver.py), holds the floors and the subjects on the same
page and in the same kernel:

- a bare ipywidgets Button whose callback replaces an Output's content with one line of HTML: the
  widget round trip (browser -> kernel -> browser) and the rendering, with no work in between;
- a Button whose callback runs a code item's hidden tests on a trivial function through the same
  time-limited process start as Check (course_lib.checking.coderun.run_with_limit);
- a bare Textarea, for typing;
- one exercise of every kind (`show(...)`, the first a lesson shows), answered right before timing.

Each figure is taken in the page: the clock starts just before the button's click() and stops when
the new feedback (an output node that was not there before, holding the expected headline) is in the
page, read in the MutationObserver callback that sees it; the time to the next animation frame is kept
for the notes (the frame adds up to 16.7 ms of waiting that is the display's, not the course's).
Typing: from each key's keydown event to the frame after its input event. Nothing is timed from
Python, so Playwright's own round trips stay out of the figures.

The server sends each message on the kernel's websocket at once (TCP_NODELAY, NODELAY_CONFIG): with
jupyter_server's default (tornado leaves Nagle's algorithm on), a reply that follows another small
one waits for the browser's delayed ACK, about 40 ms on Linux, at random: round trips of about 20 or
about 60 ms, on the floor and the subjects alike, which drowned the few milliseconds the course adds.
"""

from __future__ import annotations

import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = "lessons/bench-feedback.ipynb"
CLICKS = 10           # pairs of clicks per kind and repetition (1 in smoke mode), floor and subject in turn
# The server's config (its own config folder): the kernel's websocket sends each message at once. Without
# it a message written after another small one waits for the peer's delayed ACK (Nagle's algorithm).
NODELAY_CONFIG = """\
from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection


class NoDelayConnection(ZMQChannelsWebsocketConnection):
    def connect(self):
        self.websocket_handler.set_nodelay(True)
        open({mark!r}, "a").close()   # the benchmark checks that the setting took
        return super().connect()


c.ServerApp.kernel_websocket_connection_class = NoDelayConnection
"""
TYPED = "the wire copy says who was told first"   # typed in each text area per repetition
WAIT_MS = 30_000

SETUP = '''\
import ipywidgets as _w
from IPython.display import HTML as _HTML, display as _display
from course_lib import answer, load_case, show
from course_lib.checking.coderun import run_with_limit as _run_with_limit

_code_item = load_case().exercises[{code_id!r}]
_count = [0]
_ping, _pong = _w.Button(description="Ping"), _w.Output()
_trial, _trial_out = _w.Button(description="Trivial"), _w.Output()
_bare_text = _w.Textarea(description="Bare:")


def _on_ping(_button):
    _count[0] += 1
    _pong.outputs = ()
    _pong.append_display_data(_HTML(f"<p>pong {{_count[0]}}</p>"))


def _trivial(*args, **kwargs):
    return None


def _on_trial(_button):
    results = _run_with_limit(_trivial, _code_item.tests, _code_item.timeout)
    _trial_out.outputs = ()
    _trial_out.append_display_data(_HTML(f"<p>trivial ran {{len(results or ())}} cases</p>"))


_ping.on_click(_on_ping)
_trial.on_click(_on_trial)
_display(_w.VBox([_ping, _pong, _trial, _trial_out, _bare_text]))
'''

# Click `button` and resolve with [milliseconds until a new output node under `out` shows `marker`
# (read in the MutationObserver callback that sees it), milliseconds until the next frame after that];
# [-1, -1] when it never does.
CLICK_JS = """async ([button, out, marker, wait]) => {
  for (const el of out.querySelectorAll('*')) el.dataset.benchOld = '1';
  return await new Promise((resolve) => {
    const fresh = () => [...out.querySelectorAll('.jp-OutputArea-output')].some(
      (el) => !el.dataset.benchOld && el.textContent.includes(marker));
    const timer = setTimeout(() => { observer.disconnect(); resolve([-1, -1]); }, wait);
    const observer = new MutationObserver(() => {
      if (fresh()) {
        const shown = performance.now() - t0;
        observer.disconnect();
        clearTimeout(timer);
        requestAnimationFrame(() => resolve([shown, performance.now() - t0]));
      }
    });
    observer.observe(out, {childList: true, subtree: true, characterData: true});
    const t0 = performance.now();
    button.click();
  });
}"""

# Record, for each key typed into `area`, the milliseconds from its keydown to the frame after its input.
TYPING_JS = """(area) => {
  area.benchLatencies = [];
  if (!area.benchListening) {   // once per text area: a second pair of listeners would count each key twice
    area.benchListening = true;
    area.addEventListener('keydown', (e) => { area.benchDown = e.timeStamp; });
    area.addEventListener('input', () => {
      const down = area.benchDown;
      requestAnimationFrame(() => area.benchLatencies.push(performance.now() - down));
    });
  }
  area.value = '';
  area.focus();
}"""


def available() -> str | None:
    """Why the browser rows cannot run here, or None when Chromium and Playwright are both present."""
    sys.path.insert(0, str(ROOT))
    from tests.browser.labdriver import CHROMIUM_HINT, find_chromium
    if find_chromium() is None:
        return f"no Chromium found: {CHROMIUM_HINT}"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed: pip install -e '.[test]' (make test does)"
    return None


def _notebook(items: dict, code_cell: str) -> str:
    import nbformat
    cells = [SETUP.format(code_id=items["code"].id)]
    cells += [f'show("{item.id}")' for kind, item in items.items() if kind != "code"]
    cells += [code_cell, f'show("{items["code"].id}")']
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    return nbformat.writes(nb)   # with its kernel named, or Lab asks which kernel to start


def measure(repeat: int, say, row, budgets: dict, smoke: bool = False) -> list[dict]:
    """The browser rows: click to feedback for one item of every kind, and typing; see the module's doc."""
    why = available()
    if why:
        say(f"browser: skipped, {why}")
        return []
    from playwright.sync_api import sync_playwright

    from tests.browser.labdriver import LabPage, LabServer, button_name, chromium_args, copy_repository, find_chromium
    from tests.browser.students import answers, code_cells, expected_feedback, first_item_of_each_kind, give, output

    items = first_item_of_each_kind()
    if "code" not in items:
        raise SystemExit("benchmark: no lesson shows a code item, so the code row has no subject")
    clicks = 1 if smoke else CLICKS
    with tempfile.TemporaryDirectory(prefix="bench-lab-") as tmp:
        tmp = Path(tmp)
        root = copy_repository(tmp / "repo")
        (root / NOTEBOOK).write_text(_notebook(items, code_cells(items["code"])[1]), encoding="utf-8")
        server = LabServer(root, tmp / "my-work", tmp / "server")
        (tmp / "server" / "config").mkdir(parents=True)   # LabServer's JUPYTER_CONFIG_DIR
        mark = tmp / "nodelay-took"
        (tmp / "server" / "config" / "jupyter_server_config.py").write_text(
            NODELAY_CONFIG.format(mark=str(mark)), encoding="utf-8")
        start = time.perf_counter()
        server.start()
        pw = sync_playwright().start()
        try:
            browser = pw.chromium.launch(executable_path=find_chromium(), headless=True, args=chromium_args())
            context = browser.new_context(viewport={"width": 1280, "height": 1000})
            context.set_default_timeout(60_000)
            page = context.new_page()
            page.on("dialog", lambda dialog: dialog.accept())
            lab = LabPage(page, server, NOTEBOOK)
            lab.workspace = "bench" + secrets.token_hex(4)
            lab.open()
            lab.restart_and_run_all()
            errors = lab.error_outputs()
            if errors:
                raise SystemExit(f"benchmark: the feedback notebook failed in JupyterLab: {errors}")
            if not mark.exists():
                raise SystemExit("benchmark: JupyterLab did not take the benchmark's server config (NODELAY_CONFIG): "
                                 f"see {server.log_path}")
            say(f"browser: JupyterLab and the notebook ready in {time.perf_counter() - start:.0f} s")

            setup = lab.cell(0)
            ping = (setup.get_by_role("button", name=button_name("Ping")).element_handle(),
                    setup.locator(".widget-output").nth(0).element_handle(), "pong")
            trial = (setup.get_by_role("button", name=button_name("Trivial")).element_handle(),
                     setup.locator(".widget-output").nth(1).element_handle(), "trivial ran")
            subjects = {}
            for kind, item in items.items():
                view = lab.exercise(item.id)
                view.scroll_into_view_if_needed()
                if kind != "code":
                    give(view, item, answers(item)[1])
                marker = expected_feedback(item, answers(item)[1]).headline if kind != "code" else "✔ Correct."
                subjects[kind] = (view.get_by_role("button", name=button_name("Check")).element_handle(),
                                  output(view).element_handle(), marker)
            page.wait_for_timeout(500)   # the last control's change reaches the kernel first

            def click(target, kind: str, side: int) -> None:
                lab.wait_idle()
                page.wait_for_timeout(100)
                button, out, marker = target
                shown, frame = page.evaluate(CLICK_JS, [button, out, marker, WAIT_MS])
                if shown < 0:
                    raise SystemExit(f"benchmark: no feedback showing {marker!r} within {WAIT_MS / 1000:.0f} s")
                ms[kind][side].append(shown)
                frames[kind][side].append(frame)

            def typing(area) -> float:
                area.evaluate(TYPING_JS)
                page.keyboard.type(TYPED, delay=40)
                page.wait_for_timeout(300)
                got = area.evaluate("(a) => a.benchLatencies")
                return statistics.median(got) if got else float("nan")

            bare_area = setup.locator("textarea").first.element_handle()
            text_area = lab.exercise(items["text"].id).locator("textarea").first.element_handle() \
                if "text" in items else None
            ms = {kind: ([], []) for kind in items}       # kind -> (floor, subject): to the feedback in the page
            frames = {kind: ([], []) for kind in items}   # the same clicks, to the next frame
            typed = ([], [])
            kinds = list(items)
            for rep in range(repeat):
                for n in range(clicks):
                    turn = rep * clicks + n
                    # each turn starts at another kind: the first pairs of a turn met faster round trips
                    # (single and multiple, always first, fell short on that alone)
                    for kind in kinds[turn % len(kinds):] + kinds[:turn % len(kinds)]:
                        floor = trial if kind == "code" else ping
                        first = turn % 2 == 0   # floor first on even turns, second on odd
                        if first:
                            click(floor, kind, 0)
                            click(subjects[kind], kind, 1)
                        else:
                            click(subjects[kind], kind, 1)
                            click(floor, kind, 0)
                if text_area is not None:
                    typed[0].append(typing(bare_area))
                    typed[1].append(typing(text_area))
                say(f"browser: repetition {rep + 1} of {repeat} done")
            context.close()
            browser.close()
        finally:
            pw.stop()
            server.stop()

    def spread(kind: str) -> str:   # how the pairs fell, and the same clicks timed to the next frame
        floor, subject = ms[kind]
        ffloor, fsubject = frames[kind]
        q = statistics.quantiles(floor, n=4) if len(floor) > 1 else floor * 3
        slow = sum(x >= 40 for x in floor + subject)
        return (f"{len(floor)} pairs; the floor's quartiles {q[0]:.1f}, {q[1]:.1f}, {q[2]:.1f} ms; "
                f"{slow} of {2 * len(floor)} clicks took 40 ms or more; to the next frame: "
                f"{statistics.median(fsubject):.1f} against {statistics.median(ffloor):.1f} ms, "
                f"ratio {statistics.median(a / b for a, b in zip(fsubject, ffloor)):.2f}")

    rows = []
    for kind, item in items.items():
        if kind == "code":
            rows.append(row("click-code", "browser",
                            f"Check to feedback, code item `{item.id}` (the student's right function, "
                            f"{len(item.tests)} hidden tests)",
                            "a Button running the same hidden tests on a trivial function through the same "
                            "process start, its result in an Output", "ms", ms[kind][1], ms[kind][0],
                            budgets["code"], spread(kind)))
        else:
            rows.append(row(f"click-{kind}", "browser", f"Check to feedback, {kind} item `{item.id}`",
                            "a bare ipywidgets Button -> Output round trip on the same page", "ms",
                            ms[kind][1], ms[kind][0], budgets["click"], spread(kind)))
    if typed[0]:
        rows.append(row("typing", "browser", f"a key typed into the text area of `{items['text'].id}` "
                        "(keydown to the next frame; median of the keys typed)",
                        "a bare ipywidgets Textarea on the same page", "ms", typed[1], typed[0],
                        budgets["typing"], f"{len(TYPED)} keys per repetition into each, 40 ms apart"))
    return rows
