"""`course-lib new-lessons CASE [--out DIR]`: a case's lesson set, made from the shared instructor notebooks.

The lessons' code names no case (tests/test_no_case_ids.py): it reads the current case and its
lessons.toml. Their narrative may speak of the bundled case; the cells that do are tagged
`case-narrative` in the instructor notebooks. For each instructor notebook (instructors/notebooks, or
`--src`) this writes a copy for CASE in which:

- a first code cell selects the case: `course_lib.use_case("<id>")` (tagged `setup`, so it is locked), and
  a setup line `case = course_lib.load_case()` (always the bundled case) reads `current_case()` instead;
- every cell tagged `case-narrative` starts with a visible "TO REWRITE for <case>" note (a quoted line
  in Markdown, a comment in code): the paragraph speaks of the bundled case and must be rewritten;
- every answer of the instructor's version (a cell tagged `solution`, a `### BEGIN SOLUTION` region)
  starts with a comment saying it answers the bundled case's item, to be rewritten for this case's.

It writes the copies to DIR/instructors/ (the sources to rewrite, then build) and their student versions
to DIR/. With `--execute` both are run in a fresh kernel: a cell that raises stops the command with one
line naming it, and a cell that shows nothing for CASE though it shows something in the bundled
lesson (lessons/) is reported as silently empty. Cells whose data the case lacks show a placeholder
naming the missing item or lessons.toml key instead (widgets.show/answer, LessonData.text, .each
and .value).
"""

from __future__ import annotations

import copy
import re
import sys
from pathlib import Path

import nbformat

from course_lib.case.records import BUNDLED_CASE, case_folder, load_case
from course_lib.instructors.build import BuildError, _deterministic, _write_if_changed, execute, student_version

__all__ = ["NARRATIVE_TAG", "lesson_set", "main", "silently_empty", "version_for"]

NARRATIVE_TAG = "case-narrative"
ROOT = Path(__file__).resolve().parents[2]   # the course's folder: instructors/notebooks and lessons/
_LOAD = re.compile(r"course_lib\.load_case\(\s*\)")
_BEGIN = re.compile(r"^([ \t]*)### BEGIN SOLUTION[ \t]*$", re.M)


def _selector(name: str | Path, case) -> str:
    """What the first cell passes to use_case: a bundled case's id, else the folder's absolute path."""
    folder = case_folder(name)
    return case.info.id if folder.parent == BUNDLED_CASE.parent else str(folder)


def version_for(nb: nbformat.NotebookNode, case, selector: str) -> nbformat.NotebookNode:
    """A copy of an instructor notebook for `case`: the case selected first, the narrative and answers to
    rewrite marked. The instructor notebook itself is not changed."""
    nb = copy.deepcopy(nb)
    cid, bundled = case.info.id, load_case(BUNDLED_CASE).info.id
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        if cell.cell_type == "code":
            cell.source = _LOAD.sub("course_lib.current_case()", cell.source)
            if "solution" in tags:
                cell.source = (f"# TO REWRITE for {cid}: this answers the item as the bundled case ({bundled}) "
                               "has it.\n" + cell.source)
            else:
                cell.source = _BEGIN.sub(lambda m: f"{m.group(1)}# TO REWRITE for {cid}: the answer below is the "
                                         f"bundled case's ({bundled}).\n{m.group(0)}", cell.source)
        if NARRATIVE_TAG in tags:
            if cell.cell_type == "markdown":
                cell.source = (f"> **TO REWRITE for {cid}:** this paragraph speaks of the bundled case "
                               f"({bundled}); rewrite it for {case.info.title!r}.\n\n" + cell.source)
            elif cell.cell_type == "code":
                cell.source = (f"# TO REWRITE for {cid}: the text below speaks of the bundled case ({bundled}).\n"
                               + cell.source)
    first = nbformat.v4.new_code_cell(
        "import course_lib\n\n"
        f"course_lib.use_case({selector!r})   # every cell below reads this case",
        metadata={"tags": ["setup"], "editable": False, "deletable": False})
    first.id = "select-case"
    nb.cells.insert(0, first)
    return nb


def silently_empty(ran: nbformat.NotebookNode, reference: nbformat.NotebookNode) -> list[str]:
    """The ids of the code cells that show nothing in `ran` though the same cell shows something in
    `reference` (the bundled lesson)."""
    shown = {c.get("id"): bool(c.get("outputs")) for c in reference.cells if c.cell_type == "code"}
    return [c.get("id") for c in ran.cells
            if c.cell_type == "code" and not c.get("outputs") and shown.get(c.get("id"))]


def lesson_set(name: str | Path, out: str | Path | None = None, src=ROOT / "instructors" / "notebooks",
               lessons=ROOT / "lessons",
               only=(), run: bool = False) -> list[Path]:
    """Write CASE's lesson set (see the module's docstring); return the student lessons written."""
    case = load_case(case_folder(name))
    selector = _selector(name, case)
    src, out = Path(src), Path(out or f"lessons-{case.info.id}")
    sources = [p for p in sorted(src.glob("*.ipynb")) if not only or p.name.startswith(tuple(only))]
    if not sources:
        matching = f" matching {', '.join(only)}" if only else ""
        raise BuildError(f"{src}: no instructor notebooks (*.ipynb){matching} found")
    (out / "instructors").mkdir(parents=True, exist_ok=True)
    written, empty = [], []
    for source in sources:
        mine = version_for(nbformat.read(source, as_version=4), case, selector)
        student = student_version(mine, str(source))
        target, copy = out / source.name, out / "instructors" / source.name
        if run:
            mine, student = execute(mine, copy), execute(student, target)
            reference = Path(lessons) / source.name
            if reference.exists():
                empty += [f"{source.name}: cell {cell}" for cell in
                          silently_empty(student, nbformat.read(reference, as_version=4))]
        else:
            _deterministic(mine)
            _deterministic(student)
        _write_if_changed(mine, copy)
        _write_if_changed(student, target)
        marks = sum(c.source.lstrip("> *#").startswith("TO REWRITE") for c in mine.cells)
        print(f"wrote {target} and {copy} ({marks} cell{'' if marks == 1 else 's'} marked TO REWRITE)")
        written.append(target)
    for line in empty:
        print(f"silently empty for {case.info.id}: {line}")
    if empty:
        raise BuildError(f"{len(empty)} cell(s) show nothing for {case.info.id} that show something for the "
                         "bundled case")
    return written


def main(name, out=None, only=(), run=False) -> int:
    """The command line: write the lesson set; on a problem print one line and return 1."""
    from course_lib.case.files import CaseError
    try:
        lesson_set(name, out, only=only, run=run)
    except (BuildError, CaseError) as problem:
        print(f"error: {' '.join(str(problem).split())}", file=sys.stderr)
        return 1
    return 0
