"""The full solutions of the code exercises, read from the instructor notebooks, for the answer key.

A code exercise is answered in its instructor notebook by a cell that calls `answer("<id>", <function>)`;
the function is defined in that cell or an earlier one whose source has `### BEGIN SOLUTION` regions (the
blanks the student fills; the build replaces them in the student's version), or, for a worked example
(`worked = true`), none: the notebook gives the function whole and `blanks` is 0. `code_solutions()` finds,
for every such call, the defining cell (and the calling cell, when it is another one) and gives the code as
an instructor runs it: the skeleton with its blanks filled, the region markers taken out, and which lines
the student writes. Nothing is typed twice, so the key cannot drift from the notebooks.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Solution", "NOTEBOOKS", "code_solutions"]

NOTEBOOKS = Path(__file__).resolve().parents[2] / "instructors" / "notebooks"
_BEGIN = re.compile(r"^[ \t]*### BEGIN SOLUTION[ \t]*$")
_END = re.compile(r"^[ \t]*### END SOLUTION[ \t]*$")


@dataclass(frozen=True)
class Solution:
    """One code exercise's solution: where it is, its code, and the lines (1-based) the student writes."""

    item: str
    notebook: str
    function: str
    code: str
    written: tuple[int, ...]
    blanks: int

    def spans(self) -> str:
        """The written lines as ranges: "7-17" or "3, 5, 7"."""
        out, run = [], []
        for n in self.written:
            if run and n == run[-1] + 1:
                run.append(n)
            else:
                if run:
                    out.append(run)
                run = [n]
        if run:
            out.append(run)
        return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in out)


def _calls(source: str) -> list[tuple[str, str]]:
    """(item id, function name) of every answer("id", name) call in a cell."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    out = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "answer" and len(node.args) >= 2
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
                and isinstance(node.args[1], ast.Name)):
            out.append((node.args[0].value, node.args[1].id))
    return out


def _defines(source: str, name: str) -> bool:
    return re.search(rf"^def {re.escape(name)}\(", source, re.M) is not None


def _filled(source: str) -> tuple[list[str], list[int], int]:
    """The source without its region markers, the (0-based) lines inside regions, and how many regions."""
    lines, written, blanks, inside = [], [], 0, False
    for line in source.splitlines():
        if _BEGIN.match(line):
            inside, blanks = True, blanks + 1
        elif _END.match(line):
            inside = False
        else:
            if inside and line.strip():
                written.append(len(lines))
            lines.append(line)
    return lines, written, blanks


def _solution(cells, at: int, item: str, name: str, notebook: str) -> Solution | None:
    for n in range(at, -1, -1):
        cell = cells[n]
        source = cell.source if cell.cell_type == "code" else ""
        if _defines(source, name):
            lines, written, blanks = _filled(source)
            if n != at:
                lines += [""] + cells[at].source.splitlines()
            return Solution(item, notebook, name, "\n".join(lines).strip("\n"), tuple(w + 1 for w in written), blanks)
    return None


def code_solutions(notebooks=None) -> dict[str, Solution]:
    """Every code exercise's solution found in the instructor notebooks (default: the course's), by item id."""
    import nbformat
    folder = Path(notebooks) if notebooks is not None else NOTEBOOKS
    found: dict[str, Solution] = {}
    for path in sorted(folder.glob("*.ipynb")) if folder.is_dir() else []:
        cells = nbformat.read(path, as_version=4).cells
        for at, cell in enumerate(cells):
            if cell.cell_type != "code":
                continue
            for item, name in _calls(cell.source):
                solution = _solution(cells, at, item, name, path.name)
                if solution is not None and item not in found:
                    found[item] = solution
    return found
