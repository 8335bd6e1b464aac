"""The code exercises' full solutions in the answer key (course_lib.instructors.solutions, course_lib.instructors.answerkey): found in
the instructor notebooks for every code item, shown with the skeleton's blanks filled, and right by the
item's own hidden tests."""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest
from nbformat import v4

from course_lib import load_case
from course_lib.instructors.answerkey import answer_key
from course_lib.checking.checks import CORRECT, check
from course_lib.instructors.solutions import code_solutions

ROOT = Path(__file__).resolve().parent.parent
CASE = load_case()
CODE_ITEMS = [e.id for e in CASE.exercises if e.kind == "code"]
SOLUTIONS = code_solutions(ROOT / "instructors" / "notebooks")


def test_there_are_code_items():
    assert CODE_ITEMS


@pytest.mark.parametrize("item_id", CODE_ITEMS)
def test_every_code_item_has_its_solution_in_the_key(item_id):
    assert item_id in SOLUTIONS, (f"{item_id}: no instructor notebook calls answer({item_id!r}, f) with f defined "
                                  "in a cell with ### BEGIN SOLUTION")
    solution = SOLUTIONS[item_id]
    assert "### BEGIN SOLUTION" not in solution.code and "### END SOLUTION" not in solution.code
    key = (ROOT / "instructors" / "answer-key.md").read_text(encoding="utf-8")
    section = key.split(f"### {item_id}:", 1)[1].split("\n### ", 1)[0]
    if CASE.exercises[item_id].worked:  # a worked example: the lesson gives the code whole, and the key says so
        assert not solution.written and solution.blanks == 0, f"{item_id}: a worked example with a blank to fill"
        assert "a worked example" in section and "the student writes" not in section
    else:
        assert solution.written and solution.blanks >= 1, (f"{item_id}: the notebook gives the function whole: "
                                                           "add its blanks, or mark the item worked = true")
        assert "the student writes" in section
    assert f"```python\n{solution.code}\n```" in section, (
        f"answer-key.md, {item_id}: no full solution: "
        "run course-lib answer-key --out instructors/answer-key.md --force")


def setup_namespace(notebook: str) -> dict:
    """What a student's kernel holds when a solution cell runs: the lesson's setup cell and the helpers the
    lesson gives before it (cells of imports and function definitions only, such as 04b's moment())."""
    path = ROOT / "instructors" / "notebooks" / Path(notebook).name
    space: dict = {}
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "code" or "### BEGIN SOLUTION" in cell.source:
            continue
        given = all(isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef))
                    for node in ast.parse(cell.source).body)
        if "setup" in cell.metadata.get("tags", []) or given:
            exec(compile(cell.source, f"<{path.name}>", "exec"), space)  # noqa: S102 - the course's own notebooks
    return space


@pytest.mark.parametrize("item_id", CODE_ITEMS)
def test_every_solution_in_the_key_passes_its_items_hidden_tests(item_id):
    solution = SOLUTIONS[item_id]
    space = setup_namespace(solution.notebook)  # the helpers a skeleton calls (sign, as_dicts...) come from there
    space["answer"] = lambda *args, **kwargs: None
    exec(compile(solution.code, f"<{item_id}>", "exec"), space)  # noqa: S102 - the course's own notebooks
    feedback = check(CASE.exercises[item_id], space[solution.function])
    assert feedback.verdict == CORRECT, f"{item_id}: the key's solution fails its hidden tests: {feedback.message}"


def test_a_solution_is_found_in_an_earlier_cell_and_its_blanks_filled(tmp_path):
    skeleton = ("def sign(g, neutral):\n    \"\"\"+1, -1 or 0.\"\"\"\n    if abs(g) < neutral:\n"
                "        ### BEGIN SOLUTION\n        return 0\n        ### END SOLUTION\n"
                "    ### BEGIN SOLUTION\n    return 1 if g > 0 else -1\n    ### END SOLUTION\n")
    nb = v4.new_notebook(cells=[v4.new_markdown_cell("## Primer"), v4.new_code_cell('show("p-sign")'),
                                v4.new_code_cell(skeleton), v4.new_code_cell('answer("p-sign", sign)'),
                                v4.new_code_cell('answer("p-other", undefined_here)')])
    nbformat.write(nb, tmp_path / "04a-x.ipynb")
    found = code_solutions(tmp_path)
    assert sorted(found) == ["p-sign"]  # a call whose function no solution cell defines is not a solution
    s = found["p-sign"]
    assert s.code == ("def sign(g, neutral):\n    \"\"\"+1, -1 or 0.\"\"\"\n    if abs(g) < neutral:\n"
                      "        return 0\n    return 1 if g > 0 else -1\n\nanswer(\"p-sign\", sign)")
    assert (s.notebook, s.function, s.written, s.blanks, s.spans()) == ("04a-x.ipynb", "sign", (4, 5), 2, "4–5")


def test_a_code_item_without_a_solution_says_so_in_the_key(tmp_path):
    key = answer_key(CASE, notebooks=tmp_path)  # no notebooks at all
    for item_id in CODE_ITEMS:
        section = key.split(f"### {item_id}:", 1)[1].split("\n### ", 1)[0]
        assert "**Solution:** not found" in section and "```python" not in section


def test_a_worked_example_is_found_without_blanks_and_the_key_says_it_is_given(tmp_path):
    given = "def days(a, b):\n    return (b - a).days\n"
    nb = v4.new_notebook(cells=[v4.new_code_cell(given), v4.new_code_cell('answer("p-days", days)')])
    nbformat.write(nb, tmp_path / "00-x.ipynb")
    s = code_solutions(tmp_path)["p-days"]
    assert (s.blanks, s.written, s.code) == (0, (), given.strip() + '\n\nanswer("p-days", days)')


def test_code_exercises_the_student_writes_come_after_the_python_primer():
    """The course's first function to write is 04a's primer: before it, a code item can only be a worked example."""
    primer = SOLUTIONS["l4-primer-sign"].notebook
    for item_id in CODE_ITEMS:
        if SOLUTIONS[item_id].notebook < primer:
            assert CASE.exercises[item_id].worked and SOLUTIONS[item_id].blanks == 0, (
                f"{item_id} asks for code in {SOLUTIONS[item_id].notebook}, before the primer in {primer}")
