"""The code exercises' full solutions in the answer key (course_lib.solutions, course_lib.answerkey): found in
the instructor notebooks for every code item, shown with the skeleton's blanks filled, and right by the
item's own hidden tests."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbformat import v4

from course_lib import load_case
from course_lib.answerkey import answer_key
from course_lib.exercises import CORRECT, check
from course_lib.solutions import code_solutions

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
    assert solution.written and solution.blanks >= 1
    key = (ROOT / "instructors" / "answer-key.md").read_text(encoding="utf-8")
    section = key.split(f"### {item_id}:", 1)[1].split("\n### ", 1)[0]
    assert f"```python\n{solution.code}\n```" in section, (
        f"answer-key.md, {item_id}: no full solution: "
        "run course-lib answer-key --out instructors/answer-key.md --force")


@pytest.mark.parametrize("item_id", CODE_ITEMS)
def test_every_solution_in_the_key_passes_its_items_hidden_tests(item_id):
    solution = SOLUTIONS[item_id]
    space = {"answer": lambda *args, **kwargs: None}
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
