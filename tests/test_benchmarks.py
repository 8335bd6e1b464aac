"""The benchmarks never rot: `benchmarks/run.py --smoke` (one repetition, a class of 60, the environment
size taken from the last `make bench`) runs into a temporary folder, and its report must have every row,
each with a numeric ratio and a verdict. Nothing here asserts on a timing: speed is what `make bench`
reports against its budgets, never a test that fails on a slow machine. The class the benchmark makes
must be one the instructor's commands read whole, and the optimised code paths must give the same
figures as the plain ones."""

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


def browser_rows() -> set[str]:
    """The browser rows, where Chromium and Playwright are installed (elsewhere the run skips them and
    says why, as the browser tests do)."""
    runner()   # puts benchmarks/ on sys.path
    import feedback
    if feedback.available() is not None:
        return set()
    sys.path.insert(0, str(ROOT))
    from tests.browser.students import first_item_of_each_kind
    kinds = first_item_of_each_kind()
    return {f"click-{k}" for k in kinds} | ({"typing"} if "text" in kinds else set())


def test_the_report_has_a_row_for_every_measure_and_lesson(smoke):
    report, _, lessons = smoke
    ids = [r["id"] for r in report["rows"]]
    assert len(ids) == len(set(ids))
    assert set(ids) == ({"lessons-all", "first-check", "first-figure", "memory-first-figure", "env-size",
                         "check-case"}
                        | {f"{c}{s}" for c in ("collect", "class-report") for s in ("", "-memory", "-growth")}
                        | {f"lesson-{n}" for n in lessons} | {f"memory-{n}" for n in lessons}
                        | browser_rows())
    assert not {"startup-import", "startup-load"} & set(ids), "issue 20 retired the start-up rows"
    assert report["mode"] == "smoke" and report["repetitions"] == 1 and report["students"] == 60
    assert all(isinstance(x, float) for x in report["load"]), "the run records the load average"
    assert set(report["load_after_group"]) == {"notebooks", "browser", "class", "check-case", "size"}


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



def test_the_click_and_growth_rows_say_how_they_were_taken(smoke):
    report, _, _ = smoke
    notes = {r["id"]: r.get("note", "") for r in report["rows"]}
    for row in browser_rows() - {"typing"}:   # timed to the feedback in the page; the frame after it in the note
        assert "1 pairs; the floor's quartiles" in notes[row] and "to the next frame:" in notes[row], notes[row]
    for command in ("collect", "class-report"):   # the wall-clock growth, and the CPU time's beside it
        assert "CPU time grows" in notes[f"{command}-growth"] and "the floor grows" in notes[f"{command}-growth"]

def test_the_floor_of_a_notebook_imports_what_it_imports_and_runs_as_many_empty_cells():
    bench = runner()
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import colorsys\nimport course_lib\n"
                                                                    "course_lib.load_case()"),
                                         nbformat.v4.new_markdown_cell("words"),
                                         nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_code_cell("x")])
    bare = set(bench.modules_of(bench.notebook("pass"), 120))
    needed = sorted(set(bench.modules_of(nb, 120)) - bare)
    assert {"colorsys", "course_lib", "course_lib.case.records", "course_lib.case.items"} <= set(needed)
    assert not {"matplotlib", "ipywidgets"} & set(needed)   # load_case() needs neither
    floor = bench.floor_of(needed, nb)
    assert [c.source for c in floor.cells[1:]] == ["pass", "pass"], "one cell per code cell of the notebook"
    cell = bench.importing(needed + ["no_such_module_here"])   # one that cannot be imported is skipped
    code = cell + "\nimport sys; print(all(n in sys.modules for n in %r))" % needed
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True"


def test_the_synthetic_class_is_read_whole_with_a_spread_of_answers(tmp_path):
    runner()   # puts benchmarks/ on sys.path
    import classroom
    from course_lib import load_case
    from course_lib.instructors.exports import read_work

    case = load_case()
    folder = classroom.make_class(tmp_path / "class", 30, case=case)
    assert len(list(folder.glob("*.json"))) == 30
    works, skipped = read_work([folder])
    assert skipped == [] and len(works) == 30
    for work in works:   # every item of the course answered, through the package's own records
        assert {a.item for a in work.records} == set(case.exercises.ids)
    firsts = [next(a for a in w.records if a.item == i) for w in works for i in case.exercises.ids]
    verdicts = {a.verdict for a in firsts}
    assert {"correct", "incorrect"} <= verdicts, "a realistic class gets some items right, some wrong"
    single = [a.answer for a in firsts if case.exercises[a.item].kind == "single"]
    assert 1 < len(set(map(str, single))) < len(single) / 2, "many students give the same answer, not all"
    again = classroom.make_class(tmp_path / "again", 30, case=case)
    assert sorted(p.read_bytes() for p in again.glob("*.json")) == sorted(p.read_bytes() for p in folder.glob("*.json"))


def test_collect_checks_each_distinct_answer_once(tmp_path, monkeypatch):
    runner()
    import classroom
    from collections import Counter

    from course_lib.instructors import collect as collect_module
    from course_lib import load_case
    from course_lib.instructors.exports import read_work

    case = load_case()
    folder = classroom.make_class(tmp_path / "class", 30, case=case)
    calls = Counter()
    real = collect_module.check
    monkeypatch.setattr(collect_module, "check",
                        lambda item, answer, *a: calls.update([(item.id, repr(answer))]) or real(item, answer, *a))
    assert collect_module.main([str(folder)], str(tmp_path / "out" / "g.csv")) == 0
    answered = [a for w in read_work([folder])[0] for a in w.records if case.exercises[a.item].kind != "code"]
    distinct = {(a.item, repr(a.answer)) for a in answered}
    assert distinct <= set(calls), "every saved answer is re-checked"
    # once for its verdict (the gradebook and its warnings share the checks), and at most once more
    # when a wrong choice reduced to itself is checked for its misconception tag
    assert max(calls.values()) <= 2
    assert sum(calls.values()) < len(answered), "an answer many students gave is checked once, not per student"


def test_alpha_counted_by_code_equals_alpha_counted_by_pair():
    import random

    from course_lib.analysis.consistency import krippendorff_alpha

    def by_pairs(data, level, values=None):   # the textbook's count: every ordered pair of coders
        from collections import defaultdict
        rows = [list(r) for r in data]
        units = [[c for c in col if c is not None] for col in zip(*rows)]
        units = [u for u in units if len(u) >= 2]
        scale = list(values) if values else sorted({c for u in units for c in u})
        o = defaultdict(float)
        for u in units:
            for i, c in enumerate(u):
                for j, k in enumerate(u):
                    if i != j:
                        o[(c, k)] += 1 / (len(u) - 1)
        n_c = {c: sum(o[(c, k)] for k in scale) for c in scale}
        n = sum(n_c.values())
        if level == "nominal":
            d = lambda c, k: float(c != k)  # noqa: E731
        else:
            d = lambda c, k: (c - k) ** 2   # noqa: E731
        observed = sum(o[(c, k)] * d(c, k) for c in scale for k in scale)
        expected = sum(n_c[c] * n_c[k] * d(c, k) for c in scale for k in scale)
        return 1 - (n - 1) * observed / expected

    rng = random.Random(4)
    for level in ("nominal", "interval"):
        data = [[rng.choice([None, -2, -1, 0, 1, 2, 2, 2]) for _ in range(15)] for _ in range(40)]
        assert math.isclose(krippendorff_alpha(data, level), by_pairs(data, level), rel_tol=1e-12, abs_tol=1e-12)


def test_answers_kept_as_parsed_are_exactly_what_json_safe_would_make():
    from course_lib.work.fileformat import MAX_DEPTH, MAX_ITEMS, _plain, json_safe

    deep = current = []
    for _ in range(MAX_DEPTH + 2):
        current.append([])
        current = current[0]
    values = [None, True, 0, -3, 2 ** 20000, 1.5, float("inf"), float("nan"), "", "x" * 10_000, "x" * 10_001,
              ["a", 1, {"k": [None]}], list(range(MAX_ITEMS)), list(range(MAX_ITEMS + 1)),
              {"k" * 10_001: 1}, {str(i): i for i in range(MAX_ITEMS + 1)}, {"a": {"b": "c"}}, deep, (1, 2),
              {1: "a"}, {"s": {1, 2}}]
    for value in values:
        if _plain(value):
            assert json_safe(value) == value and type(json_safe(value)) is type(value), repr(value)[:60]
    kept = [_plain(v) for v in values]
    assert kept == [True, True, True, True, False, True, False, False, True, True, False,
                    True, True, False, False, False, True, False, False, False, False]
