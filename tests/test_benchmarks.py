"""The benchmarks never rot: `benchmarks/run.py --smoke` (one repetition, the environment size taken
from the last `make bench`) runs into a temporary folder, and its report must have every row, each
with a numeric ratio and a verdict. Nothing here asserts on a timing: speed is what `make bench`
reports against its budgets, never a test that fails on a slow machine."""

import importlib.util
import json
import math
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
RUNNER = ROOT / "benchmarks" / "run.py"


def runner():
    """benchmarks/run.py as a module (it is a script, not part of the package)."""
    spec = importlib.util.spec_from_file_location("bench_run", RUNNER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def smoke(tmp_path_factory):
    """The smoke run's report, its markdown, and the lessons that existed when it started."""
    out = tmp_path_factory.mktemp("bench")
    lessons = [p.stem for p in sorted((ROOT / "lessons").glob("*.ipynb"))]
    done = subprocess.run([sys.executable, str(RUNNER), "--smoke", "--out", str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads((out / "results.json").read_text(encoding="utf-8"))
    return report, (out / "results.md").read_text(encoding="utf-8"), lessons


def test_the_report_has_a_row_for_every_measure_and_lesson(smoke):
    report, _, lessons = smoke
    ids = [r["id"] for r in report["rows"]]
    assert len(ids) == len(set(ids))
    assert set(ids) == ({"startup-import", "startup-load", "lessons-all", "first-check", "first-figure",
                         "memory-first-figure", "env-size"}
                        | {f"lesson-{n}" for n in lessons} | {f"memory-{n}" for n in lessons})
    assert report["mode"] == "smoke" and report["repetitions"] == 1


def test_every_row_has_a_numeric_ratio_a_budget_and_a_verdict(smoke):
    report, _, _ = smoke
    for r in report["rows"]:
        assert isinstance(r["ratio"], float) and math.isfinite(r["ratio"]) and r["ratio"] > 0, r["id"]
        assert r["budget"] > 1, r["id"]
        assert r["verdict"] == ("pass" if r["ratio"] <= r["budget"] else "fall short"), r["id"]
        for side in ("subject", "floor_stats"):
            s = r[side]
            assert s["min"] <= s["median"] <= s["max"] and s["min"] > 0, (r["id"], side)


def test_the_markdown_table_shows_every_row_with_its_ratio_and_verdict(smoke):
    report, md, _ = smoke
    table = [line for line in md.splitlines() if line.startswith("| ") and not line.startswith("| Measure")]
    assert len(table) == len(report["rows"])
    for line, r in zip(table, report["rows"]):
        assert r["what"] in line and f"{r['ratio']:.2f}" in line and r["verdict"] in line


def test_the_floor_of_a_notebook_imports_what_it_imports_and_nothing_else():
    bench = runner()
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import colorsys\nimport course_lib\n"
                                                                    "course_lib.load_case()")])
    bare = set(bench.modules_of(bench.notebook("pass"), 120))
    needed = sorted(set(bench.modules_of(nb, 120)) - bare)
    assert {"colorsys", "course_lib", "course_lib.case", "course_lib.items"} <= set(needed)
    assert not {"matplotlib", "ipywidgets"} & set(needed)   # load_case() needs neither
    cell = bench.importing(needed + ["no_such_module_here"])   # one that cannot be imported is skipped
    code = cell + "\nimport sys; print(all(n in sys.modules for n in %r))" % needed
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True"


def test_start_up_is_measured_with_the_package_installed_as_on_binder(tmp_path):
    python = runner().plain_install(tmp_path)
    code = "import sys, course_lib; print(course_lib.__file__); print(course_lib.load_case())"
    done = subprocess.run([python, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=120,
                          env={"COURSE_LIB_CACHE_DIR": "off", "PATH": ""})
    assert done.returncode == 0, done.stderr
    where, case = done.stdout.splitlines()
    assert Path(where).is_relative_to(tmp_path / "plain") and "site-packages" in where
    assert case.startswith("<Case 'nk-2018'")


def test_the_first_cells_import_lines_are_found_even_over_several_lines():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Title\n\nimport nothing from here"),
        nbformat.v4.new_code_cell("import course_lib\nfrom course_lib.lesson import (header,\n"
                                  "    keypoints)\n\ncase = course_lib.load_case()\nheader(questions=[])"),
        nbformat.v4.new_code_cell("import json"),
    ])
    expected = "import course_lib\nfrom course_lib.lesson import (header,\n    keypoints)"
    assert runner().import_lines(nb) == expected


def test_a_first_cell_python_cannot_parse_still_gives_its_import_lines():
    cell = nbformat.v4.new_code_cell("%matplotlib inline\nimport course_lib\nx = 1")
    nb = nbformat.v4.new_notebook(cells=[cell])
    assert runner().import_lines(nb) == "import course_lib"
