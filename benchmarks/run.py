#!/usr/bin/env python3
"""Measured speed of what students and instructors wait for, each figure next to a floor measured in the same run.

    make bench                                # 5 repetitions, writes benchmarks/results.md and .json
    .venv/bin/python benchmarks/run.py --repeat 9
    .venv/bin/python benchmarks/run.py --smoke --out /tmp/b   # one repetition, a small class, size from the last run
    .venv/bin/python benchmarks/run.py --only class --out /tmp/b

Every row is a ratio: the subject (a lesson, a click on Check, `course-lib collect` on a class of 1,000,
...) against a floor that does the same unavoidable work and nothing else (a notebook importing the
same modules and running as many empty cells, a bare ipywidgets button, reading and JSON-parsing the
same files, ...). Floors and subjects are run interleaved, so whatever else the machine is doing hits
both. Budgets are reported as pass or fall short; nothing here fails because the machine was slow.
See benchmarks/README.md.

Standard library plus nbclient (already in the test environment), and Playwright with the system
Chromium for the browser rows. Run it with the course's venv Python: the kernels are that
interpreter's `python3` kernel.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
LESSONS = ROOT / "lessons"
REQUIREMENTS = ROOT / "binder" / "requirements.txt"
DEFAULT_OUT = ROOT / "benchmarks"
TRIO = ("jupyterlab", "ipywidgets", "matplotlib")

sys.path.insert(0, str(Path(__file__).resolve().parent))   # classroom.py and feedback.py, beside this file

# The budgets of issue 20 (benchmarks/README.md): the most a subject may cost, as a multiple of its floor.
BUDGET_LESSON = 1.3     # a lesson (and the first check, the first figure) against its imports and empty cells
BUDGET_MEMORY = 1.15    # a lesson kernel's peak memory against a kernel that imported the same modules
BUDGET_CLICK = 1.5      # Check to feedback, against a bare ipywidgets Button -> Output on the same page
BUDGET_CODE = 1.3       # a code item's Check, against the same hidden tests run on a trivial function
BUDGET_TYPING = 1.5     # a key in an exercise's text area, against a bare Textarea (issue 20 sets none)
BUDGET_CLASS = 5.0      # collect / class-report on a class, against reading and JSON-parsing its files
BUDGET_CLASS_MEMORY = 2.0
BUDGET_GROWTH = 11.0    # the same command on ten times the students
BUDGET_CHECK_CASE = 3.0  # check-case, cache off, against parsing the case's TOML and CSV files
BUDGET_SIZE = 1.10      # the Binder environment against jupyterlab + ipywidgets + matplotlib alone

GROUPS = ("notebooks", "class", "check-case", "browser", "size")
PASS, SHORT = "pass", "fall short"
ROUND_TRIP_CELLS = 10          # the bare kernel runs this many cells holding `pass`
CLASS_SIZE, SMOKE_CLASS_SIZE = 1000, 60
LOAD_TRUSTED = 1.5             # a one-minute load average above this (2 cores) makes a run untrustworthy

# Run in the kernel after the clock stops: its peak resident memory in bytes. Linux's VmHWM, not
# getrusage's ru_maxrss, which keeps the forking parent's peak across exec (a bare kernel would
# report the runner's ~67 MiB instead of its own ~52 MiB); ru_maxrss is the fallback elsewhere (macOS).
PEAK_PROBE = """\
import os as _os, resource as _resource, sys as _sys
if _os.path.exists("/proc/self/status"):
    with open("/proc/self/status") as _f:
        print(next(int(_l.split()[1]) * 1024 for _l in _f if _l.startswith("VmHWM:")))
else:
    print(_resource.getrusage(_resource.RUSAGE_SELF).ru_maxrss * (1 if _sys.platform == "darwin" else 1024))
print(sum(_os.times()[:2]))   # the kernel's CPU seconds so far: a reading that other work hardly moves
"""


# Run in a kernel instead of PEAK_PROBE to find its imports: the names in sys.modules.
MODULES_PROBE = "import sys as _sys\nprint(' '.join(sorted(_sys.modules)))"


# ---- running things ----------------------------------------------------------------------------

def run_env(work_dir: str) -> dict[str, str]:
    """The environment of every measured process: ours, with a fresh work folder for the progress
    store (so no run reads another's answers) and bytecode caching on (as in a pip-installed package;
    some shells set PYTHONDONTWRITEBYTECODE, which would recompile course_lib on every start)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["COURSE_LIB_WORK_DIR"] = work_dir
    return env


def time_command(code: str, python: str = sys.executable, **extra_env: str) -> float:
    """Seconds for a fresh interpreter to run `python -c code` and exit (perf_counter around it)."""
    with tempfile.TemporaryDirectory(prefix="bench-work-") as work:
        env = run_env(work) | extra_env
        start = time.perf_counter()
        subprocess.run([python, "-c", code], env=env, check=True,
                       stdout=subprocess.DEVNULL, cwd=work)
        return time.perf_counter() - start


def run_notebook(nb: nbformat.NotebookNode, cwd: Path, timeout: int, probe: str = PEAK_PROBE) -> dict:
    """Execute `nb` in a fresh kernel started in `cwd`; return its wall times and peak memory.

    `seconds` runs from asking for the kernel to the last cell's reply (what a student waits for
    with Run All); `cells` leaves the kernel's start-up out. The peak (bytes, the kernel's maximum
    resident set, like /proc's VmHWM) is read by one more cell after the clock has stopped; with
    `probe=MODULES_PROBE` that cell lists the modules the kernel has imported instead (`modules`).
    """
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    probe_cell = nbformat.v4.new_code_cell(probe)
    nb.cells.append(probe_cell)
    with tempfile.TemporaryDirectory(prefix="bench-work-") as work:
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=False,
                                shutdown_kernel="immediate",   # after the clock: no need to wait
                                resources={"metadata": {"path": str(cwd)}})
        start = time.perf_counter()
        with client.setup_kernel(env=run_env(work), stderr=subprocess.DEVNULL):
            ready = time.perf_counter()
            for index, cell in enumerate(nb.cells[:-1]):
                client.execute_cell(cell, index)
            end = time.perf_counter()
            client.execute_cell(probe_cell, len(nb.cells) - 1)
    text = "".join(o.get("text", "") for o in probe_cell.outputs if o.get("output_type") == "stream")
    result = {"seconds": end - start, "cells": end - ready}
    if probe == MODULES_PROBE:
        return result | {"modules": text.split()}
    peak, cpu = text.split()[-2:]
    return result | {"peak": float(peak), "cpu": float(cpu)}


def modules_of(nb: nbformat.NotebookNode, timeout: int) -> list[str]:
    """Every module a fresh kernel has imported once `nb` has run (an untimed run)."""
    return run_notebook(nb, LESSONS, timeout, probe=MODULES_PROBE)["modules"]


def importing(names: list[str]) -> str:
    """A cell that imports these modules and does nothing else (one that cannot be imported on its
    own, such as an alias a package puts in sys.modules, is skipped)."""
    return ("import importlib as _importlib\n"
            f"for _name in {names!r}:\n"
            "    try:\n"
            "        _importlib.import_module(_name)\n"
            "    except Exception:\n"
            "        pass")


def interleaved(rep: int, floor, subject):
    """Run the floor and the subject one after the other, the floor first on even repetitions and
    second on odd ones, so neither always gets the warmer machine; return (floor, subject)."""
    if rep % 2 == 0:
        f = floor()
        return f, subject()
    s = subject()
    return floor(), s


# ---- what the notebooks are --------------------------------------------------------------------

def lessons() -> list[Path]:
    """Every student lesson that exists when the benchmark runs (others add lessons as we go)."""
    return sorted(LESSONS.glob("*.ipynb"))


def notebook(*sources: str) -> nbformat.NotebookNode:
    """A notebook holding one code cell per source."""
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])


def first_check_call(paths: list[Path]) -> tuple[str, str]:
    """The first single-choice exercise a lesson shows, and an answer to it: (item id, value repr).

    The student's first check. Falls back to the case's first single-choice item if no lesson shows one.
    """
    from course_lib import load_case

    items = load_case().exercises
    shown = []
    for path in paths:
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code":
                shown += re.findall(r"\b(?:show|answer)\(\s*[\"']([\w.-]+)[\"']", cell.source)
    singles = [i for i in shown if i in items and items[i].kind == "single" and items[i].options]
    singles += [i.id for i in items if i.kind == "single" and i.options]
    if not singles:
        raise SystemExit("benchmark: the case has no single-choice exercise to check")
    item = items[singles[0]]
    return item.id, repr(item.options[0].id)


FIGURE_IMPORTS = "import course_lib\nfrom course_lib import plots"
FIGURE_CELL = '''\
case = course_lib.load_case()
events = sorted(case.events, key=lambda e: e.date)
fig, ax = plots.figure()
for i, government in enumerate(sorted({e.government for e in events})):
    mine = [e for e in events if e.government == government]
    ax.plot([e.date for e in mine], [e.goldstein for e in mine], linestyle="none",
            label=government, **plots.series_style(i))
ax.set_xlabel("Date")
ax.set_ylabel("Goldstein score")
ax.legend()
plots.show(fig, alt="Scatter of the case's events by date and Goldstein score, one marker shape "
                    "per government: most events sit between -5 and +5.",
           table=[["Date", "Actor", "Goldstein"]]
                 + [[e.date.isoformat(), e.actor, e.goldstein] for e in events])
'''


# ---- statistics and rows -----------------------------------------------------------------------

def summary(values: list[float]) -> dict:
    """Median, min and max of a series (and the values themselves, for the JSON)."""
    return {"median": statistics.median(values), "min": min(values), "max": max(values),
            "values": list(values)}


def row(id_: str, group: str, what: str, floor: str, unit: str, subject_values, floor_values,
        budget: float, note: str = "") -> dict:
    """One line of the report: both series, their ratio, and the verdict against the budget.

    The two series are paired: subject_values[i] was measured right next to floor_values[i]. The
    ratio is the median of the paired ratios, which cancels a change in the machine's load (another
    job starting) better than a ratio of the two medians would.
    """
    s, f = summary(subject_values), summary(floor_values)
    ratio = statistics.median(a / b for a, b in zip(subject_values, floor_values, strict=True))
    return {"id": id_, "group": group, "what": what, "floor": floor, "unit": unit,
            "subject": s, "floor_stats": f, "ratio": ratio, "budget": budget,
            "verdict": PASS if ratio <= budget else SHORT, "note": note}


# ---- the measurements --------------------------------------------------------------------------

def floor_of(needed: list[str], nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The floor of a notebook: one cell importing the modules it needs, then empty cells (`pass`),
    as many cells in all as the notebook has code cells: its imports and its kernel round trips."""
    cells = sum(c.cell_type == "code" for c in nb.cells)
    return notebook(importing(needed), *["pass"] * max(cells - 1, 0))


def measure_notebooks(repeat: int, timeout: int, say) -> list[dict]:
    """Each lesson against a notebook with its imports and as many empty cells; all of them together;
    the first check and the first figure likewise; and each lesson kernel's peak memory against a
    kernel that imported the same modules."""
    paths = lessons()
    if not paths:
        raise SystemExit(f"benchmark: no lessons in {LESSONS}")
    subjects = {path.stem: nbformat.read(path, as_version=4) for path in paths}
    item, value = first_check_call(paths)
    check_imports = "import course_lib\nfrom course_lib import answer"
    subjects["first-check"] = notebook(check_imports, f"answer({item!r}, {value})")
    subjects["first-figure"] = notebook(FIGURE_IMPORTS, FIGURE_CELL)
    bare = notebook(*["pass"] * ROUND_TRIP_CELLS)   # a bare kernel, and the kernel's round trip per cell

    # The floor of each notebook imports every module it ends up importing, beyond a bare kernel's:
    # the lazy imports of course_lib (matplotlib at the first figure, ipywidgets at the first
    # exercise) are imports the notebook needs as much as those its first cell types. One untimed
    # run of each finds them (and warms the machine up).
    bare_modules = set(modules_of(bare, timeout))
    pairs, counts = {}, {}   # name -> (floor notebook, subject notebook); name -> modules imported
    for name, nb in subjects.items():
        needed = sorted(set(modules_of(nb, timeout)) - bare_modules)
        pairs[name] = (floor_of(needed, nb), nb)
        counts[name] = len(needed)
    say(f"notebooks: found what each of the {len(subjects)} notebooks imports")

    runs = {name: {"floor": [], "subject": []} for name in pairs}
    bare_runs = []
    for rep in range(repeat):
        bare_runs.append(run_notebook(bare, LESSONS, timeout))
        for name, (floor_nb, subject_nb) in pairs.items():
            f, s = interleaved(rep, lambda: run_notebook(floor_nb, LESSONS, timeout),
                               lambda: run_notebook(subject_nb, LESSONS, timeout))
            runs[name]["floor"].append(f)
            runs[name]["subject"].append(s)
        say(f"notebooks: repetition {rep + 1} of {repeat} done")

    rows = []
    lesson_names = [p.stem for p in paths]

    def secs(name, side, key="seconds"):
        return [r[key] for r in runs[name][side]]

    round_trip = statistics.median(r["cells"] for r in bare_runs) / ROUND_TRIP_CELLS

    def cells_note(name):
        subject = statistics.median(secs(name, "subject", "cells"))
        floor = statistics.median(secs(name, "floor", "cells"))
        cells = sum(c.cell_type == "code" for c in subjects[name].cells)
        cpu = statistics.median(a["cpu"] / b["cpu"] for a, b in zip(runs[name]["subject"], runs[name]["floor"]))
        return (f"the kernel's CPU time (start-up included) {cpu:.2f} times the floor's, a reading a busy "
                f"machine moves less; cells alone (kernel start-up left out): {subject:.3f} s against {floor:.3f} s; "
                f"{cells} code cells in both, at {1000 * round_trip:.1f} ms for an empty cell's round trip; "
                f"the floor imports {counts[name]} modules")

    for name in lesson_names:
        rows.append(row(f"lesson-{name}", "lessons", f"lesson `{name}`, run all in a fresh kernel",
                        "its imports, and as many empty cells", "s", secs(name, "subject"), secs(name, "floor"),
                        BUDGET_LESSON, cells_note(name)))
    rows.append(row("lessons-all", "lessons", f"all {len(lesson_names)} lessons, one after another",
                    "their floors", "s",
                    [sum(runs[n]["subject"][r]["seconds"] for n in lesson_names) for r in range(repeat)],
                    [sum(runs[n]["floor"][r]["seconds"] for n in lesson_names) for r in range(repeat)],
                    BUDGET_LESSON))
    rows.append(row("first-check", "first wait", f"the first exercise check, `answer({item!r}, {value})`",
                    "its imports (`import course_lib; from course_lib import answer` and what answering "
                    "imports), and an empty cell", "s",
                    secs("first-check", "subject"), secs("first-check", "floor"), BUDGET_LESSON,
                    cells_note("first-check")))
    rows.append(row("first-figure", "first wait", "the first figure: the case's events, `plots.figure()` "
                    "then `plots.show()` with alt text and table",
                    "its imports (`import course_lib; from course_lib import plots` and matplotlib), and "
                    "an empty cell", "s",
                    secs("first-figure", "subject"), secs("first-figure", "floor"), BUDGET_LESSON,
                    cells_note("first-figure")))
    mib = statistics.median(r["peak"] / 2**20 for r in bare_runs)
    for name in lesson_names + ["first-figure"]:
        what = f"kernel of lesson `{name}`" if name in lesson_names else "kernel of the first figure"
        peaks = [r["peak"] / 2**20 for r in runs[name]["subject"]]
        imported = [r["peak"] / 2**20 for r in runs[name]["floor"]]
        note = (f"a bare kernel (`pass`): {mib:.1f} MiB, ratio {statistics.median(peaks) / mib:.2f} "
                "(issue 9's floor, retired: a kernel that imports matplotlib cannot sit near it)")
        rows.append(row(f"memory-{name}", "memory", what + ", peak resident memory",
                        f"a kernel that imported the same {counts[name]} modules", "MiB", peaks, imported,
                        BUDGET_MEMORY, note))
    return rows


# ---- the instructor's commands --------------------------------------------------------------------

CHECK_CASE_FLOOR = """\
import csv, sys, tomllib
from pathlib import Path
folder = Path(sys.argv[1])
for path in sorted(folder.rglob("*")):
    if path.suffix == ".toml":
        with open(path, "rb") as f:
            tomllib.load(f)
    elif path.suffix == ".csv":
        with open(path, newline="", encoding="utf-8") as f:
            list(csv.DictReader(f))
    elif path.suffix == ".md":
        path.read_text(encoding="utf-8")
"""


def course_lib_command() -> list[str]:
    """`course-lib` as an instructor runs it: the venv's console script, or `python -m course_lib.instructors.cli`."""
    script = Path(sys.executable).parent / ("course-lib.exe" if os.name == "nt" else "course-lib")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "course_lib.instructors.cli"]


CPU_SECONDS: list[float] = []   # the CPU time of each process time_process ran, in order


def time_process(cmd: list[str], **extra_env: str) -> float:
    """Seconds for a fresh process to run `cmd` and exit (perf_counter around it); it must succeed.
    Its CPU seconds (user and system, from the children's rusage) go to CPU_SECONDS."""
    import resource

    with tempfile.TemporaryDirectory(prefix="bench-work-") as work:
        env = run_env(work) | extra_env
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(cmd, env=env, cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        seconds = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        raise SystemExit(f"benchmark: {' '.join(cmd)} failed:\n{done.stderr.decode(errors='replace')}")
    CPU_SECONDS.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return seconds


def measure_check_case(repeat: int, say) -> list[dict]:
    """`course-lib check-case` on the bundled case, cache off, against a fresh interpreter parsing the
    same TOML and CSV files (and reading the article) with the standard library; each 5 times a repetition."""
    from course_lib.case.records import BUNDLED_CASE

    floor_cmd = [sys.executable, "-c", CHECK_CASE_FLOOR, str(BUNDLED_CASE)]
    subject_cmd = course_lib_command() + ["check-case"]
    time_process(subject_cmd, COURSE_LIB_CACHE_DIR="off")   # untimed: bytecode, the OS's file cache
    floor, subject, cached, cpu = [], [], [], []
    for rep in range(repeat * (1 if repeat == 1 else 5)):
        f, s = interleaved(rep, lambda: time_process(floor_cmd),
                           lambda: time_process(subject_cmd, COURSE_LIB_CACHE_DIR="off"))
        first, second = CPU_SECONDS[-2:]
        cpu.append(second / first if rep % 2 == 0 else first / second)   # subject over floor
        floor.append(f * 1000)
        subject.append(s * 1000)
        cached.append(time_process(subject_cmd) * 1000)
    say(f"check-case: {len(floor)} runs, each next to a run of the floor")
    names = sorted(p.name for p in BUNDLED_CASE.rglob("*") if p.suffix in (".toml", ".csv", ".md"))
    return [row("check-case", "instructor", "`course-lib check-case` on the bundled case, cache off",
                f"parsing the same {len(names)} TOML and CSV files (and reading the article) with the standard "
                "library, in a fresh interpreter", "ms", subject, floor, BUDGET_CHECK_CASE,
                f"CPU time {statistics.median(cpu):.2f} times the floor's (a reading a busy machine moves less); "
                f"with the case cache on (every run after the first): {statistics.median(cached):.1f} ms, "
                f"ratio {statistics.median(a / b for a, b in zip(cached, floor)):.2f}")]


def measure_class(repeat: int, students: int, say) -> list[dict]:
    """`course-lib collect` and `course-lib class-report` on a synthetic class of `students` (and of a
    tenth of them, for the growth), against reading and JSON-parsing the same files."""
    import classroom

    small_size = max(students // 10, 2)
    with tempfile.TemporaryDirectory(prefix="bench-class-") as tmp:
        start = time.perf_counter()
        big = classroom.make_class(Path(tmp) / "class", students)
        small = classroom.first_of(big, Path(tmp) / "small", small_size)
        size = sum(p.stat().st_size for p in big.glob("*.json"))
        say(f"class: {students} students made in {time.perf_counter() - start:.0f} s ({size / 1e6:.1f} MB)")
        env = run_env(tmp)   # the bench's case cache (filled by the warm-up), as an instructor's would be
        classroom.run_probe(classroom.FLOOR_WORK, big, env)   # untimed: the OS's file cache
        runs = {key: [] for key in ("floor", "floor-small", "collect", "collect-small", "class-report",
                                    "class-report-small")}
        for rep in range(repeat):
            for command in ("collect", "class-report"):
                for folder, suffix in ((big, ""), (small, "-small")):
                    f, s = interleaved(rep, lambda: classroom.run_probe(classroom.FLOOR_WORK, folder, env),
                                       lambda: classroom.run_probe(classroom.subject(command), folder, env))
                    runs["floor" + suffix].append(f)
                    runs[command + suffix].append(s)
            say(f"class: repetition {rep + 1} of {repeat} done")
    # each command ran next to its own floor run: pair them in the order they were taken
    floors = {cmd + suffix: runs["floor" + suffix][i::2] for i, cmd in enumerate(("collect", "class-report"))
              for suffix in ("", "-small")}
    rows = []
    for command in ("collect", "class-report"):
        sub, flo = runs[command], floors[command]
        sub_small = runs[command + "-small"]
        what = f"`course-lib {command}` on a class of {students}"
        rows.append(row(command, "instructor", what + ", every item answered",
                        f"reading and JSON-parsing the same {students} files", "s",
                        [r["seconds"] for r in sub], [r["seconds"] for r in flo], BUDGET_CLASS,
                        f"CPU time {statistics.median(a['cpu'] / b['cpu'] for a, b in zip(sub, flo)):.2f} times the "
                        f"floor's (a reading a busy machine moves less); "
                        f"the whole process, interpreter start-up included: {statistics.median(r['wall'] for r in sub):.2f} s "
                        f"against {statistics.median(r['wall'] for r in flo):.2f} s; the class's files: {size / 1e6:.1f} MB; "
                        f"on {small_size} students: {statistics.median(r['seconds'] for r in sub_small):.2f} s against "
                        f"{statistics.median(r['seconds'] for r in floors[command + '-small']):.2f} s"))
        rows.append(row(f"{command}-memory", "instructor", what + ", peak resident memory",
                        f"the floor's peak (reading and JSON-parsing the same files)", "MiB",
                        [r["peak"] / 2**20 for r in sub], [r["peak"] / 2**20 for r in flo], BUDGET_CLASS_MEMORY))
        rows.append(row(f"{command}-growth", "instructor",
                        f"`course-lib {command}`: {students} students against {small_size}",
                        f"the same command on {small_size} students (the first {small_size} files)", "s",
                        [r["seconds"] for r in sub], [r["seconds"] for r in sub_small], BUDGET_GROWTH,
                        f"CPU time grows {statistics.median(a['cpu'] / b['cpu'] for a, b in zip(sub, sub_small)):.1f} times "
                        f"(a reading a busy machine moves less); "
                        f"the floor grows {statistics.median(a['seconds'] / b['seconds'] for a, b in zip(flo, floors[command + '-small'])):.1f} times"))
    return rows


def tree_size(folder: Path) -> int:
    """Bytes of all regular files under `folder` (apparent sizes; symlinks not followed)."""
    total = 0
    for dirpath, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(dirpath, name)
            if not os.path.islink(path):
                total += os.path.getsize(path)
    return total


def build_env(parent: Path, name: str, requirement_args: list[str], cwd: Path) -> tuple[int, int]:
    """Make a venv `parent/name`, pip-install into it (pip's cache reused); return the bytes of its
    site-packages and of the whole venv (JupyterLab's assets live outside site-packages, in share/)."""
    venv = parent / name
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    done = subprocess.run([str(python), "-m", "pip", "install", "--disable-pip-version-check",
                           *requirement_args], cwd=cwd, capture_output=True, text=True)
    if done.returncode:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"benchmark: pip could not install {' '.join(requirement_args)} into {venv}")
    site = next(p for p in venv.rglob("site-packages") if p.is_dir())
    return tree_size(site), tree_size(venv)


def requirements_key() -> str:
    """What the environment's size depends on: the Binder pins and the package's own dependencies
    (not the rest of pyproject.toml, which others edit for unrelated reasons)."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8")).get("project", {})
    digest = hashlib.sha256(REQUIREMENTS.read_bytes())
    digest.update(json.dumps(project.get("dependencies", [])).encode())
    return digest.hexdigest()


def measure_size(say) -> dict:
    """Install binder/requirements.txt, and the three pinned packages alone, into two new venvs in
    a temporary folder; compare their site-packages. Needs the registry (or pip's cache)."""
    lines = [l.split("#")[0].strip() for l in REQUIREMENTS.read_text(encoding="utf-8").splitlines()]
    lines = [l for l in lines if l]
    trio = [l for l in lines if re.split(r"[=<>!~\[; ]", l)[0].lower() in TRIO]
    ignore = shutil.ignore_patterns(".git", ".venv", "__pycache__", "build", "*.egg-info", "my-work",
                                    ".pytest_cache", "node_modules", ".ipynb_checkpoints")
    with tempfile.TemporaryDirectory(prefix="bench-size-") as tmp:
        tmp = Path(tmp)
        source = tmp / "source"     # pip builds `.` in its tree: keep the build/ folder out of the repo
        shutil.copytree(ROOT, source, ignore=ignore)
        start = time.perf_counter()
        trio_site, trio_all = build_env(tmp, "trio", trio, source)
        say(f"size: the bare trio installed in {time.perf_counter() - start:.0f} s")
        start = time.perf_counter()
        binder = ["-r", str(source / "binder" / "requirements.txt")]
        full_site, full_all = build_env(tmp, "binder", binder, source)
        say(f"size: the Binder environment installed in {time.perf_counter() - start:.0f} s")
    mb = 1e6
    note = (f"measured {datetime.now(timezone.utc):%Y-%m-%d}; whole venv {full_all / mb:.1f} MB "
            f"against {trio_all / mb:.1f} MB; trio = {', '.join(trio)}")
    r = row("env-size", "size", "site-packages of the venv from `binder/requirements.txt`",
            "jupyterlab + ipywidgets + matplotlib alone, same pins", "MB", [full_site / mb], [trio_site / mb],
            BUDGET_SIZE, note)
    r["requirements_sha256"] = requirements_key()
    return r


def cached_size(cache: Path) -> dict:
    """The size row of the last full run (results.json), marked as cached, or stale if the pins or
    pyproject.toml changed since. Building two environments takes minutes and the registry, so the
    smoke run reuses the last measurement rather than skipping the row."""
    try:
        previous = json.loads(cache.read_text(encoding="utf-8"))
        r = next(r for r in previous["rows"] if r["id"] == "env-size")
    except (OSError, ValueError, KeyError, StopIteration):
        raise SystemExit(f"benchmark: no measured environment size in {cache}; run make bench once "
                         "(or pass --size measure)") from None
    fresh = r.get("requirements_sha256") == requirements_key()
    r = dict(r)
    state = "cached" if fresh else ("STALE: binder/requirements.txt or the package's dependencies changed "
                                     "since; run make bench")
    r["note"] = f"{state} from {cache.name} of {previous.get('date', '?')}; {r.get('note', '')}"
    return r


# ---- the report --------------------------------------------------------------------------------

def machine() -> dict:
    """What the figures were measured on, so a reader can compare like with like."""
    info = {"python": platform.python_version(), "implementation": platform.python_implementation(),
            "system": f"{platform.system()} {platform.release()}", "machine": platform.machine(),
            "cpus": os.cpu_count()}
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            info["memory_gib"] = round(int(f.readline().split()[1]) / 2**20, 1)
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as f:
            model = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "")
        if model:
            info["cpu"] = model
    except OSError:
        pass
    return info


def load_average() -> float | None:
    """The one-minute load average (None where the system has none): how busy the machine was."""
    try:
        return round(os.getloadavg()[0], 2)
    except (AttributeError, OSError):
        return None


def figure(stats: dict, unit: str) -> str:
    """`median (min–max) unit`, with as many decimals as the unit needs."""
    digits = {"ms": 1, "s": 3, "MiB": 1, "MB": 1}.get(unit, 2)
    if stats["min"] == stats["max"]:
        return f"{stats['median']:.{digits}f} {unit}"
    return f"{stats['median']:.{digits}f} ({stats['min']:.{digits}f}–{stats['max']:.{digits}f}) {unit}"


def markdown(report: dict) -> str:
    """results.md: a header saying how and where, then one table row per measurement, then the notes."""
    m = report["machine"]
    lines = [
        "# Benchmark results",
        "",
        f"Written by `benchmarks/run.py` ({report['mode']} mode) on {report['date']}, "
        f"{report['repetitions']} repetition{'s' if report['repetitions'] != 1 else ''}, "
        f"a class of {report['students']} students, floors and subjects interleaved; "
        f"environment size measured once. Machine: {m.get('cpu', m['machine'])}, {m['cpus']} cores, "
        f"{m.get('memory_gib', '?')} GiB, {m['system']}, Python {m['python']}.",
        "",
        f"Load average when the run began and ended: {report['load'][0]} and {report['load'][1]} "
        f"(on {m['cpus']} cores; above that, other work shared the machine and the figures are noisier); "
        "after each group, the benchmark's own processes included (the browser group runs Chromium, "
        "JupyterLab and a kernel at once): "
        + ", ".join(f"{g} {x}" for g, x in report.get("load_after_group", {}).items()) + ".",
        "",
    ]
    if max(x or 0 for x in report["load"]) > LOAD_TRUSTED:   # at the start and the end, between the run's work
        lines += [f"**The load average was above {LOAD_TRUSTED}: other work shared the machine, so these figures "
                  "are not a verdict. Run `make bench` again on an idle machine.**", ""]
    lines += [
        "Figures are median (min–max). Ratio = median of the paired ratios (each subject run over the "
        "floor run next to it); a row passes when the ratio is at most its budget. See README.md for what "
        "each row measures and why.",
        "",
        "| Measure | Subject | Floor | Floor figure | Ratio | Budget | Verdict |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in report["rows"]:
        lines.append(f"| {r['what']} | {figure(r['subject'], r['unit'])} | {r['floor']} | "
                     f"{figure(r['floor_stats'], r['unit'])} | {r['ratio']:.2f} | ≤ {r['budget']:.2f} | "
                     f"{'**' + r['verdict'] + '**' if r['verdict'] == SHORT else r['verdict']} |")
    notes = [r for r in report["rows"] if r.get("note")]
    if notes:
        lines += ["", "Notes:", ""] + [f"- `{r['id']}`: {r['note']}" for r in notes]
    return "\n".join(lines) + "\n"


# ---- the command line --------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    """Parse the options, warm up, measure everything, write results.json and results.md."""
    parser = argparse.ArgumentParser(prog="benchmarks/run.py", description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="repetitions (default %(default)s)")
    parser.add_argument("--smoke", action="store_true",
                        help="one repetition, no kernel warm-up, a class of 60, the environment "
                             "size from the last full run: checks the benchmarks still run, says nothing "
                             "about speed")
    parser.add_argument("--size", choices=("measure", "cached"), default=None,
                        help="build the two environments (default), or reuse the size in --cache "
                             "(default with --smoke)")
    parser.add_argument("--cache", type=Path, default=DEFAULT_OUT / "results.json",
                        help="results.json holding the last measured size (default %(default)s)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="folder for results.md and results.json (default %(default)s)")
    parser.add_argument("--timeout", type=int, default=600, help="seconds one cell may take")
    parser.add_argument("--only", action="append", choices=GROUPS,
                        help="measure only this group (repeatable); for investigating one budget")
    parser.add_argument("--students", type=int, default=None,
                        help=f"the synthetic class's size (default {CLASS_SIZE}; {SMOKE_CLASS_SIZE} with --smoke); "
                             "the growth rows compare it with a tenth of it")
    args = parser.parse_args(argv)
    repeat = 1 if args.smoke else args.repeat
    students = args.students or (SMOKE_CLASS_SIZE if args.smoke else CLASS_SIZE)
    size_mode = args.size or ("cached" if args.smoke else "measure")
    if repeat < 1:
        parser.error("--repeat must be at least 1")
    if students < 20:
        parser.error("--students must be at least 20 (the growth rows use a tenth of them)")
    if (args.only or args.smoke) and args.out.resolve() == DEFAULT_OUT:
        parser.error("--only and --smoke write reports not to keep: give --out a folder outside benchmarks/")

    def say(text):
        print(f"[bench] {text}", file=sys.stderr, flush=True)

    began = time.perf_counter()
    load_before = load_average()
    # The measured processes share one case cache of their own (not the user's), filled by the
    # warm-up below: every measured start finds the case cached, as every start after the first does.
    case_cache = tempfile.TemporaryDirectory(prefix="bench-case-cache-")
    os.environ["COURSE_LIB_CACHE_DIR"] = case_cache.name
    # Compile bytecode and fill the OS's file cache (and, unless smoke, start one kernel): not timed.
    time_command("import course_lib; course_lib.load_case()")
    groups = args.only or GROUPS
    if not args.smoke and "notebooks" in groups:
        run_notebook(notebook(FIGURE_IMPORTS, FIGURE_CELL), LESSONS, args.timeout)
        say("warmed up")
    rows, loads = [], {}   # loads: the load average as each group ended, so a busy stretch shows

    def measured(group, new_rows):
        rows.extend(new_rows)
        loads[group] = load_average()
        say(f"{group}: done, load average {loads[group]}")

    if "notebooks" in groups:
        measured("notebooks", measure_notebooks(repeat, args.timeout, say))
    if "browser" in groups:
        import feedback
        measured("browser", feedback.measure(repeat, say, row, smoke=args.smoke, budgets={
            "click": BUDGET_CLICK, "code": BUDGET_CODE, "typing": BUDGET_TYPING}))
    if "class" in groups:
        measured("class", measure_class(repeat, students, say))
    if "check-case" in groups:
        measured("check-case", measure_check_case(repeat, say))
    if "size" in groups:
        measured("size", [measure_size(say) if size_mode == "measure" else cached_size(args.cache)])
    report = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
              "mode": "smoke" if args.smoke else "full", "repetitions": repeat, "students": students,
              "machine": machine(), "seconds_taken": round(time.perf_counter() - began, 1),
              "load": [load_before, load_average()], "load_after_group": loads,
              "budgets": {"lesson": BUDGET_LESSON, "memory": BUDGET_MEMORY, "click": BUDGET_CLICK,
                          "code": BUDGET_CODE, "typing": BUDGET_TYPING, "class": BUDGET_CLASS,
                          "class_memory": BUDGET_CLASS_MEMORY, "growth": BUDGET_GROWTH,
                          "check_case": BUDGET_CHECK_CASE, "size": BUDGET_SIZE},
              "rows": rows}
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    (args.out / "results.md").write_text(markdown(report), encoding="utf-8")
    short = [r["id"] for r in rows if r["verdict"] == SHORT]
    say(f"{len(rows)} rows in {report['seconds_taken']} s; {len(rows) - len(short)} pass"
        + (f", {len(short)} fall short: {', '.join(short)}" if short else ""))
    say(f"wrote {args.out / 'results.md'} and results.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
