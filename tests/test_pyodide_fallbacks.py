"""What course_lib does where JupyterLite's Pyodide differs from CPython on Linux: fcntl without flock,
no process to start (fork fails), no matplotlib. Each is simulated here on CPython."""

import subprocess
import sys
import textwrap
import time
from collections import namedtuple
from pathlib import Path

import pytest

from course_lib.checking import steprun as _steprun
from course_lib.work import fileformat as _workfile
from course_lib.checking import coderun
from course_lib.frontend import plots
from course_lib.analysis import tables
from course_lib.work import progress

ROOT = Path(__file__).resolve().parent.parent
Case = namedtuple("Case", "args expected hint")

# A fake fcntl like Pyodide's: the module imports, but has no flock.
_PYODIDE_FCNTL = "import sys, types; sys.modules['fcntl'] = types.ModuleType('fcntl')\n"


def _python(code: str, *args, timeout=60) -> subprocess.CompletedProcess:
    """Run `code` (the first line flush left, the rest indented as in this file) in a new interpreter."""
    first, _, rest = code.partition("\n")
    return subprocess.run([sys.executable, "-c", first + "\n" + textwrap.dedent(rest), *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


# ---- saving without flock ---------------------------------------------------------------------------

def test_saving_works_where_fcntl_has_no_flock(tmp_path):
    """Pyodide's fcntl has no flock: the first answer used to raise AttributeError."""
    run = _python(_PYODIDE_FCNTL + """
        import sys
        from course_lib.work import progress
        s = progress.Store(sys.argv[1])
        s.record("l0-a", "b", "correct", score=1.0)
        print(len(progress.Store(sys.argv[1]).attempts()), sorted(p.name for p in s.folder.iterdir()))
    """, tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split(None, 1)[0] == "1"
    assert ".progress.writer" not in run.stdout   # the lock file goes when the write is done


def test_writers_without_flock_lose_no_record(tmp_path):
    """Four interpreters without flock, each saving 15 answers into one folder at once: all 60 kept."""
    code = _PYODIDE_FCNTL + """
        import sys
        from course_lib.work import progress
        s = progress.Store(sys.argv[1])
        for i in range(15):
            s.record(f"item-{sys.argv[2]}-{i}", i, "correct", score=1.0)
    """
    first, _, rest = code.partition("\n")
    procs = [subprocess.Popen([sys.executable, "-c", first + "\n" + textwrap.dedent(rest), str(tmp_path), str(n)], cwd=ROOT,
                              stderr=subprocess.PIPE, text=True) for n in range(4)]
    for p in procs:
        assert p.wait(120) == 0, p.stderr.read()
    assert len(progress.Store(tmp_path).attempts()) == 60


def test_writer_lock_waits_for_the_holder_and_takes_over_a_stale_one(tmp_path):
    with _workfile.writer_lock(tmp_path) as held:
        assert held and (tmp_path / _workfile.WRITER_LOCK).exists()
    assert not (tmp_path / _workfile.WRITER_LOCK).exists()
    (tmp_path / _workfile.WRITER_LOCK).write_text("")       # another writer holds it
    start = time.monotonic()
    with _workfile.writer_lock(tmp_path, wait=0.3) as held:
        assert not held                                      # gave up waiting: goes on unlocked
    assert time.monotonic() - start >= 0.3
    with _workfile.writer_lock(tmp_path, wait=5, stale=0.0) as held:
        assert held                                          # a left-over lock is taken over at once


def test_store_without_flock_in_an_unwritable_place_still_answers(tmp_path, monkeypatch):
    monkeypatch.setattr(progress, "_flock", None)
    (tmp_path / "my-work").write_text("a file where the folder should be")
    s = progress.Store(tmp_path / "my-work")
    s.record("x", 1, "correct", score=1.0)
    assert s.attempts()[0].answer == 1 and "cannot be saved" in " ".join(s.notices)


# ---- code items without processes ---------------------------------------------------------------------

def _spin():
    while True:
        pass


def _spin_catching():
    while True:
        try:
            [][1]
        except Exception:
            pass


def _chatty_double(x):
    print("this must not reach the notebook")
    return 2 * x


def test_an_endless_loop_ends_within_the_budget():
    start = time.monotonic()
    assert _steprun.run_in_process(lambda: _spin(), [Case((), 1, "")], seconds=60, steps=200_000) is None
    assert _steprun.run_in_process(_spin_catching, [Case((), 1, "")], seconds=0.5) is None
    assert time.monotonic() - start < 30


def test_in_process_results_match_the_process_path(capsys):
    cases = [Case((2,), 4, "two"), Case((3,), 7, "three"), Case(("a",), "aa", "a string")]
    before = sys.gettrace()
    got = _steprun.run_in_process(_chatty_double, cases, seconds=5)
    assert got == coderun.run_with_limit(_chatty_double, cases, 5)
    assert [r for r, _ in got] == ["ok", "wrong", "ok"]
    assert sys.gettrace() is before
    assert "must not" not in capsys.readouterr().out


def test_unanswered_and_raising_functions():
    def todo(x):
        raise NotImplementedError
    assert _steprun.run_in_process(todo, [Case((1,), 1, "")], 5) == [("unanswered", "")]
    assert _steprun.run_in_process(lambda x: 1 / 0, [Case((1,), 1, "")], 5)[0][0] == "raised"
    assert _steprun.run_in_process(lambda x: sys.exit(3), [Case((1,), 1, "")], 5) == [("raised", "SystemExit")]


def test_on_pyodide_code_items_never_start_a_process(monkeypatch):
    """Pyodide has fork, but starting a process fails: every code answer used to end in OSError."""
    def no_processes(*args, **kwargs):
        raise OSError("no processes in the browser")
    monkeypatch.setattr(coderun.multiprocessing, "get_context", no_processes)
    monkeypatch.setattr(coderun.sys, "platform", "emscripten")
    cases = [Case((2,), 4, "two")]
    assert coderun.run_with_limit(lambda x: 2 * x, cases, 3) == [("ok", "")]
    assert coderun.run_with_limit(lambda x: _spin(), cases, 0.5) is None


# ---- figures without matplotlib -------------------------------------------------------------------------

def test_figures_fall_back_to_their_table_without_matplotlib(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "matplotlib", None)   # import matplotlib now raises ImportError
    fig, axes = plots.figure(4, 1, figsize=(8, 10), sharex=True)
    assert len(axes) == 4
    for ax in axes:                                         # lesson 05's drawing code, unchanged
        ax.plot([1, 2], [3, 4], linestyle=":", label="x", **plots.series_style(0))
        ax.set_yticks(range(3), ["a", "b", "c"])
    plots.month_axis(axes[-1])
    legend = {label: h for ax in axes for h, label in zip(*ax.get_legend_handles_labels())}
    fig.legend(legend.values(), legend.keys(), loc="outside lower center", ncols=3)
    with plots.style():
        pass
    plots.show(fig, alt="Four panels of stance codes by date: the President's codes swing most.",
               table=tables.text_table(["date", "code"], [("2018-06-12", -2)], "Codes by date"))
    out = capsys.readouterr().out
    assert out.splitlines()[0] == plots.NO_MATPLOTLIB_NOTE
    assert "Figure: Four panels of stance codes" in out and "2018-06-12" in out and "Codes by date" in out
    with pytest.raises(ValueError, match="placeholder"):   # the alt text is still checked
        plots.show(plots.figure()[0], alt="figure")
    _, grid = plots.figure(2, 2)
    assert len(grid) == 2 and len(grid[1]) == 2


def test_lesson_figure_cells_run_without_matplotlib():
    """The figure cells of lessons 02 and 05 run to the end in a Python where matplotlib is missing."""
    import json
    cells = []
    for name in ("05a-coding-stances", "04a-coding-events"):
        nb = json.loads((ROOT / "lessons" / f"{name}.ipynb").read_text())
        cells += ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"
                  and any(f in "".join(c["source"]) for f in ("plots.figure", "plots.stance_series(", "plots.stance_figure(", "swimlane("))]
    assert cells
    code = "import sys; sys.modules['matplotlib'] = None\n" + textwrap.dedent("""
        from datetime import date
        import course_lib
        from course_lib.instructors import classreport
        from course_lib.analysis import consistency
        from course_lib.analysis import coordination
        from course_lib.frontend import plots
        case = course_lib.load_case()
        events = case.events
        classreport.coding_checked = lambda case: True
    """)
    run = subprocess.run([sys.executable, "-c", code + "\n".join(cells)], cwd=ROOT, capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.count(plots.NO_MATPLOTLIB_NOTE) >= 2


def test_the_lessons_figure_functions_run_without_matplotlib():
    """plots.claim_map, drift_chart, show_calibration and stance_series give their note, alt text and table."""
    code = "import sys; sys.modules['matplotlib'] = None\n" + textwrap.dedent("""
        from datetime import date
        import course_lib
        from course_lib.frontend import plots
        from course_lib.analysis import sourcing
        case = course_lib.load_case()
        fig, grid = plots.claim_map(case, "verdict", "Claims by verdict")
        plots.show(fig, alt="Dot chart of the claims by verdict.", table=[("sentence", "claims"), *grid.table()])
        fig, rows = plots.drift_chart({"c1": sourcing.compare("not to go, at this time", "to not go")})
        plots.show(fig, alt="Dot chart of words kept, dropped and added.", table=[("pair", "k", "d", "a", "f"), *rows])
        plots.show_calibration([("l1-a", 80, 100), ("l1-b", 90, 0)])
        fig, table = plots.stance_series(case, {"PRES": "President"}, start=date(2018, 5, 15))
        plots.show(fig, alt="Four panels of the President's stance codes.", table=table)
    """)
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.count(plots.NO_MATPLOTLIB_NOTE) == 4
    assert "p1.s1" in run.stdout and "c1" in run.stdout and "85% sure on average" in run.stdout
    assert "Reference codes of the case's statements" in run.stdout
