#!/usr/bin/env python3
"""Measured speed and size of the course, each figure next to a floor measured in the same run.

    make bench                                # 5 repetitions, writes benchmarks/results.md and .json
    .venv/bin/python benchmarks/run.py --repeat 9
    .venv/bin/python benchmarks/run.py --smoke --out /tmp/b   # one repetition, size from the last run

Every row is a ratio: the subject (a lesson, `import course_lib`, the first figure, ...) against a
floor (a notebook with only the same imports, `python -c pass`, a bare kernel, ...). Floors and
subjects are run interleaved, so whatever else the machine is doing hits both. Budgets are reported
as pass or fall short; nothing here fails because the machine was slow. See benchmarks/README.md.

Standard library plus nbclient (already in the test environment). Run it with the course's venv
Python: the kernels are that interpreter's `python3` kernel.
"""

from __future__ import annotations

import argparse
import ast
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

# The budgets of issue 9 (benchmarks/README.md): the most a subject may cost, as a multiple of its floor.
BUDGET_STARTUP = 1.5    # import course_lib (and load_case()) against python -c pass
BUDGET_NOTEBOOK = 1.5   # a lesson (and the first check, the first figure) against its imports-only floor
BUDGET_SIZE = 1.10      # the Binder environment against jupyterlab + ipywidgets + matplotlib alone
BUDGET_MEMORY = 1.5     # a lesson kernel's peak memory against a bare kernel's

GROUPS = ("startup", "notebooks", "size")
STARTUP_RUNS_PER_REPEAT = 10   # an interpreter start takes ~30 ms: take ten times as many samples
PASS, SHORT = "pass", "fall short"

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
"""


# ---- running things ----------------------------------------------------------------------------

def run_env(work_dir: str) -> dict[str, str]:
    """The environment of every measured process: ours, with a fresh work folder for the progress
    store (so no run reads another's answers) and bytecode caching on (as in a pip-installed package;
    some shells set PYTHONDONTWRITEBYTECODE, which would recompile course_lib on every start)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["COURSE_LIB_WORK_DIR"] = work_dir
    return env


def time_command(code: str) -> float:
    """Seconds for a fresh interpreter to run `python -c code` and exit (perf_counter around it)."""
    with tempfile.TemporaryDirectory(prefix="bench-work-") as work:
        env = run_env(work)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], env=env, check=True,
                       stdout=subprocess.DEVNULL, cwd=work)
        return time.perf_counter() - start


def run_notebook(nb: nbformat.NotebookNode, cwd: Path, timeout: int) -> dict[str, float]:
    """Execute `nb` in a fresh kernel started in `cwd`; return its wall times and peak memory.

    `seconds` runs from asking for the kernel to the last cell's reply (what a student waits for
    with Run All); `cells` leaves the kernel's start-up out. The peak (bytes, the kernel's maximum
    resident set, like /proc's VmHWM) is read by one more cell after the clock has stopped.
    """
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    probe = nbformat.v4.new_code_cell(PEAK_PROBE)
    nb.cells.append(probe)
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
            client.execute_cell(probe, len(nb.cells) - 1)
    text = "".join(o.get("text", "") for o in probe.outputs if o.get("output_type") == "stream")
    return {"seconds": end - start, "cells": end - ready, "peak": float(text.split()[-1])}


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


def import_lines(nb: nbformat.NotebookNode) -> str:
    """The import statements of the notebook's first code cell, as written, in order.

    Parsed with `ast` so a parenthesised import over several lines stays whole; a cell Python cannot
    parse (an IPython magic) falls back to its lines starting with `import` or `from`.
    """
    first = next((c.source for c in nb.cells if c.cell_type == "code"), "")
    try:
        tree = ast.parse(first)
    except SyntaxError:
        return "\n".join(l for l in first.splitlines() if re.match(r"(import|from)\s", l))
    return "\n".join(ast.get_source_segment(first, node) for node in tree.body
                     if isinstance(node, (ast.Import, ast.ImportFrom)))


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

def measure_startup(runs: int, say) -> list[dict]:
    """`import course_lib`, and that plus `load_case()`, each against `python -c pass`, `runs` times."""
    subjects = {"startup-import": "import course_lib",
                "startup-load": "import course_lib; course_lib.load_case()"}
    ms = {key: ([], []) for key in subjects}   # key -> (floor, subject) milliseconds, paired
    for rep in range(runs):
        for key, code in subjects.items():
            f, s = interleaved(rep, lambda: time_command("pass"), lambda: time_command(code))
            ms[key][0].append(f * 1000)
            ms[key][1].append(s * 1000)
    say(f"start-up: {runs} runs of each, each next to a run of the floor")
    return [row(key, "start-up", f"`{code}`", "`python -c pass`", "ms", ms[key][1], ms[key][0],
                BUDGET_STARTUP) for key, code in subjects.items()]


def measure_notebooks(repeat: int, timeout: int, say) -> list[dict]:
    """Each lesson against its imports-only notebook; all of them together; the first check and the
    first figure against their imports; and each lesson kernel's peak memory against a bare kernel's."""
    paths = lessons()
    if not paths:
        raise SystemExit(f"benchmark: no lessons in {LESSONS}")
    pairs = {}   # name -> (floor notebook, subject notebook)
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        pairs[path.stem] = (notebook(import_lines(nb) or "pass"), nb)
    item, value = first_check_call(paths)
    check_imports = "import course_lib\nfrom course_lib import answer"
    pairs["first-check"] = (notebook(check_imports), notebook(check_imports, f"answer({item!r}, {value})"))
    pairs["first-figure"] = (notebook(FIGURE_IMPORTS), notebook(FIGURE_IMPORTS, FIGURE_CELL))
    bare = notebook("pass")

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

    def cells_note(name):
        subject = statistics.median(secs(name, "subject", "cells"))
        floor = statistics.median(secs(name, "floor", "cells"))
        return f"cells alone (kernel start-up left out): {subject:.3f} s against {floor:.3f} s"

    for name in lesson_names:
        rows.append(row(f"lesson-{name}", "lessons", f"lesson `{name}`, run all in a fresh kernel",
                        "its first cell's imports alone", "s", secs(name, "subject"), secs(name, "floor"),
                        BUDGET_NOTEBOOK, cells_note(name)))
    rows.append(row("lessons-all", "lessons", f"all {len(lesson_names)} lessons, one after another",
                    "their imports-only notebooks", "s",
                    [sum(runs[n]["subject"][r]["seconds"] for n in lesson_names) for r in range(repeat)],
                    [sum(runs[n]["floor"][r]["seconds"] for n in lesson_names) for r in range(repeat)],
                    BUDGET_NOTEBOOK))
    rows.append(row("first-check", "first wait", f"the first exercise check, `answer({item!r}, {value})`",
                    "`import course_lib; from course_lib import answer`", "s",
                    secs("first-check", "subject"), secs("first-check", "floor"), BUDGET_NOTEBOOK,
                    cells_note("first-check")))
    rows.append(row("first-figure", "first wait", "the first figure: the case's events, `plots.figure()` "
                    "then `plots.show()` with alt text and table",
                    "`import course_lib; from course_lib import plots`", "s",
                    secs("first-figure", "subject"), secs("first-figure", "floor"), BUDGET_NOTEBOOK,
                    cells_note("first-figure")))
    mib = [r["peak"] / 2**20 for r in bare_runs]
    for name in lesson_names + ["first-figure"]:
        what = f"kernel of lesson `{name}`" if name in lesson_names else "kernel of the first figure"
        rows.append(row(f"memory-{name}", "memory", what + ", peak resident memory", "a bare kernel (`pass`)",
                        "MiB", [r["peak"] / 2**20 for r in runs[name]["subject"]], mib, BUDGET_MEMORY))
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
        f"{report['repetitions']} repetition{'s' if report['repetitions'] != 1 else ''} "
        f"(start-up rows: {report['startup_runs']} run{'s' if report['startup_runs'] != 1 else ''} each), "
        "floors and subjects interleaved; "
        f"environment size measured once. Machine: {m.get('cpu', m['machine'])}, {m['cpus']} cores, "
        f"{m.get('memory_gib', '?')} GiB, {m['system']}, Python {m['python']}.",
        "",
        f"Load average when the run began and ended: {report['load'][0]} and {report['load'][1]} "
        f"(on {m['cpus']} cores; above that, other work shared the machine and the figures are noisier).",
        "",
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
                        help="one repetition (one start-up run each), no kernel warm-up, the environment "
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
    args = parser.parse_args(argv)
    repeat = 1 if args.smoke else args.repeat
    size_mode = args.size or ("cached" if args.smoke else "measure")
    if repeat < 1:
        parser.error("--repeat must be at least 1")
    if (args.only or args.smoke) and args.out.resolve() == DEFAULT_OUT:
        parser.error("--only and --smoke write reports not to keep: give --out a folder outside benchmarks/")

    def say(text):
        print(f"[bench] {text}", file=sys.stderr, flush=True)

    began = time.perf_counter()
    load_before = load_average()
    # Compile bytecode and fill the OS's file cache (and, unless smoke, start one kernel): not timed.
    time_command("import course_lib; course_lib.load_case()")
    if not args.smoke and "notebooks" in (args.only or GROUPS):
        run_notebook(notebook(FIGURE_IMPORTS, FIGURE_CELL), LESSONS, args.timeout)
        say("warmed up")
    groups = args.only or GROUPS
    startup_runs = repeat if args.smoke else repeat * STARTUP_RUNS_PER_REPEAT
    rows = measure_startup(startup_runs, say) if "startup" in groups else []
    rows += measure_notebooks(repeat, args.timeout, say) if "notebooks" in groups else []
    if "size" in groups:
        rows.append(measure_size(say) if size_mode == "measure" else cached_size(args.cache))
    report = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
              "mode": "smoke" if args.smoke else "full", "repetitions": repeat, "startup_runs": startup_runs,
              "machine": machine(), "seconds_taken": round(time.perf_counter() - began, 1),
              "load": [load_before, load_average()],
              "budgets": {"startup": BUDGET_STARTUP, "notebook": BUDGET_NOTEBOOK, "size": BUDGET_SIZE,
                          "memory": BUDGET_MEMORY},
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
