"""Notebooks a student can read: no code cell a student sees is longer than 15 lines.

Plotting, widget and file plumbing belongs in course_lib as named functions with docstrings; a
lesson's cell calls one and writes what the figure shows (alt text) and its text twin. A cell whose
source is only the build's stub (the student's own answer cell) is not counted. In the locked setup
cell, the `header(...)` call is the lesson's questions and objectives written as data (shown as the
header box just below it), so it counts as one line: the rest of that cell is held to the limit too.
"""

import ast
import json
from pathlib import Path

import pytest

from course_lib.instructors.build import BLOCK_STUB, CODE_CELL_STUB, TOP_STUB

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted((ROOT / "lessons").glob("*.ipynb"))
MAX_LINES = 15
STUBS = {CODE_CELL_STUB, TOP_STUB, BLOCK_STUB}


def visible_lines(source: str) -> int:
    """How many lines a student reads in a code cell (a setup cell's header(...) call counts as one)."""
    lines = source.rstrip().splitlines()
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return len(lines)
    for node in tree.body:
        call = node.value if isinstance(node, ast.Expr) else None
        if isinstance(call, ast.Call) and getattr(call.func, "id", getattr(call.func, "attr", "")) == "header":
            return len(lines) - (node.end_lineno - node.lineno)
    return len(lines)


def only_stub(source: str) -> bool:
    return {line.strip() for line in source.splitlines() if line.strip()} <= STUBS


def long_cells(path: Path) -> list[str]:
    found = []
    for n, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"]):
        source = "".join(cell["source"])
        if cell["cell_type"] != "code" or only_stub(source):
            continue
        setup = "setup" in cell.get("metadata", {}).get("tags", [])
        count = visible_lines(source) if setup else len(source.rstrip().splitlines())
        if count > MAX_LINES:
            found.append(f"cell {n} (id {cell.get('id')}, {count} lines): {source.splitlines()[0][:60]!r}")
    return found


def test_the_line_count_sees_long_cells_and_forgives_only_stubs_and_the_header():
    long = "\n".join(f"x{i} = {i}" for i in range(MAX_LINES + 1))
    assert len(long.splitlines()) == MAX_LINES + 1 and not only_stub(long)
    assert only_stub(CODE_CELL_STUB) and only_stub(f"\n{TOP_STUB}\n")
    header = "import course_lib\ncase = course_lib.load_case()\nheader(\n" + "    x=1,\n" * 20 + ")"
    assert visible_lines(header) == 3
    assert visible_lines(header + "\n" + long) == 3 + MAX_LINES + 1


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_no_student_code_cell_is_longer_than_15_lines(path):
    found = long_cells(path)
    assert not found, (f"{path.name}: code cells over {MAX_LINES} lines; move the plumbing into course_lib as a "
                       "named function with a docstring:\n" + "\n".join(found))
