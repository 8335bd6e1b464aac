"""What the lessons promise as notebooks: a clean shape, stored outputs nbval can compare, and
ignore-output tags only where no output could ever be deterministic (a live widget without a text twin)."""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "lessons").glob("*.ipynb")) + sorted((ROOT / "instructors/notebooks").glob("*.ipynb"))
WIDGET = "application/vnd.jupyter.widget-view+json"


def cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def source(cell):
    return "".join(cell["source"])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_code_cell_was_run_and_none_failed(path):
    for n, cell in enumerate(cells(path)):
        if cell["cell_type"] == "code" and source(cell).strip():
            assert cell["execution_count"] is not None, f"cell {n} never ran: run make lessons"
            assert not [o for o in cell["outputs"] if o["output_type"] == "error"], f"cell {n} stored an error"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_ignore_output_only_for_live_widgets_without_text(path):
    for n, cell in enumerate(cells(path)):
        if "nbval-ignore-output" in cell.get("metadata", {}).get("tags", []):
            data = [o.get("data", {}) for o in cell["outputs"]]
            assert data and all(WIDGET in d and re.match(r"^\w+\(", "".join(d.get("text/plain", ""))) for d in data), (
                f"cell {n} ignores outputs that could be compared: give the view a text twin instead")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_lesson_shape(path):
    all_cells = cells(path)
    headings = [(len(m.group(1)), m.group(2)) for c in all_cells if c["cell_type"] == "markdown"
                for m in re.finditer(r"^(#{1,6}) (.+)$", source(c), re.M)]
    assert [level for level, _ in headings].count(1) == 1 and headings[0][0] == 1, "one H1, first"
    for (before, _), (level, title) in zip(headings, headings[1:]):
        assert level <= before + 1, f"heading level skipped at {title!r}"
    first_code = next(source(c) for c in all_cells if c["cell_type"] == "code")
    assert "import course_lib" in first_code and any(
        call in first_code for call in ("load_case()", "current_case()", "use_case("))
    outputs = json.dumps([c.get("outputs", []) for c in all_cells])
    assert not re.search(r"at 0x[0-9a-f]{6,}", outputs), "a memory address in a stored output"
    assert "/work/" not in outputs and "/tmp/" not in outputs and "/home/" not in outputs, "an absolute path"


def feedback_by_item(path):
    """The text of each answer(...) cell's output, by item id, in notebook order."""
    found = {}
    for cell in cells(path):
        m = re.search(r'answer\("([\w.-]+)"', source(cell)) if cell["cell_type"] == "code" else None
        if m:
            texts = [o.get("data", {}).get("text/plain", "") for o in cell["outputs"]]
            found.setdefault(m.group(1), []).append("".join("".join(t) for t in texts))
    return found


def shown(path):
    return [m.group(1) for c in cells(path) if c["cell_type"] == "code"
            for m in re.finditer(r'show\("([\w.-]+)"\)', source(c))]


def case_of(path):
    """The case a lesson runs on: the one its first cell selects (use_case), else the bundled case."""
    import nbformat

    from course_lib import load_case
    from course_lib.instructors.timing import lesson_case
    return lesson_case(nbformat.read(path, as_version=4)) or load_case()


def lesson_items(path):
    """The items a notebook shows: a lesson's (04a and 04b share lesson 04's) that no sibling shows."""
    siblings = sorted(path.parent.glob(path.name[:2] + "*.ipynb"))
    items = {e.id for e in case_of(path).exercises if e.lesson == path.name[:2]}
    assert set().union(*(shown(p) for p in siblings)) == items, f"lesson {path.name[:2]}: shown items differ"
    for other in siblings:
        assert other == path or not set(shown(other)) & set(shown(path)), f"{path.name} shares items with {other.name}"
    return sorted(set(shown(path)))


@pytest.mark.parametrize("path", sorted((ROOT / "instructors/notebooks").glob("*.ipynb")), ids=lambda p: p.name)
def test_every_exercise_is_shown_and_answered_correctly_in_the_instructor_version(path):
    items = lesson_items(path)
    assert items and sorted(shown(path)) == items, "an item is shown twice"
    student = ROOT / "lessons" / path.name
    assert sorted(shown(student)) == items
    answers = feedback_by_item(path)
    for item in items:
        assert item in answers, f"{item} is never answered in the instructor version"
        assert answers[item][-1].startswith(("✔ Correct.", "✎ Kept.")), f"{item}: {answers[item][-1][:60]}"


@pytest.mark.parametrize("path", sorted((ROOT / "lessons").glob("*.ipynb")), ids=lambda p: p.name)
def test_student_versions_leave_every_exercise_unanswered(path):
    """Every exercise is left for the student, except a worked example (worked = true): the lesson gives its
    code whole, and the student sees it checked."""
    exercises = case_of(path).exercises
    worked = {item for item in feedback_by_item(path) if exercises[item].worked}
    for item, outputs in feedback_by_item(path).items():
        if item in worked:
            assert outputs and all(o.startswith("✔ Correct.") for o in outputs), f"{item}: the worked example fails"
            continue
        assert all(o.startswith("… Not answered yet.") for o in outputs), f"{item} is answered in {path.name}"
    text = json.dumps([c.get("outputs", []) for c in cells(path) if not any(
        re.search(rf'answer\("{re.escape(item)}"', source(c)) for item in worked)])
    for verdict in ("✔ Correct.", "◐ Partly correct.", "✘ Not yet.", "✎ Kept."):
        assert verdict not in text
