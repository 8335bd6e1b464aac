"""Build the student lessons from the instructor notebooks: strip the solutions, then run both.

Sources are `instructors/notebooks/*.ipynb`; each becomes `lessons/<same name>.ipynb`
(`make lessons`, or `python -m course_lib.instructors.build [--no-execute] [--src DIR] [--out DIR] [--case CASE]`).

Solutions are marked in two ways:

- In a code cell, the lines from `### BEGIN SOLUTION` to `### END SOLUTION` (marker lines included,
  markers may be indented) become one line at the BEGIN marker's indentation: inside an indented
  block `raise NotImplementedError("Write your code here.")`, at top level `# Write your answer
  here.` A top-level region is therefore simply removed for the student, so no later line of the
  lesson may need a name it defines: put the answer inside a function body (an indented region), or
  let the lesson go on with the library's reference implementation.
- A cell tagged `solution` keeps its place, with a prompt instead of its source and no outputs.
  Consecutive cells tagged `solution` (with nothing but `instructor` cells between them) become ONE
  prompt, of the first cell's kind: two empty answer cells in a row read as two answers to write,
  when the author only showed two attempts.

A cell tagged `instructor` is dropped; a cell tagged `setup` is locked (not editable, not deletable).
Both versions are executed in a fresh kernel and written only when their content changed, so a
rebuild with nothing changed leaves every file byte-identical.
"""

from __future__ import annotations

import argparse
import copy
import os
import re
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

import nbformat

__all__ = ["BuildError", "build", "execute", "main", "student_version"]

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
_BEGIN = re.compile(r"^([ \t]*)### BEGIN SOLUTION[ \t]*$")
_END = re.compile(r"^[ \t]*### END SOLUTION[ \t]*$")
BLOCK_STUB = 'raise NotImplementedError("Write your code here.")'
TOP_STUB = "# Write your answer here."
CODE_CELL_STUB = "# Write your answer here, then run this cell."
MARKDOWN_CELL_STUB = "*Write your answer here.*"
WORK_DIR_VARIABLE = "COURSE_LIB_WORK_DIR"


class BuildError(Exception):
    """A lesson could not be built; the message names the notebook, the cell and, if known, the line."""


def _strip_regions(source: str, where: str) -> tuple[str, int]:
    """Replace every solution region of a code cell's source by one stub line; return it and the count."""
    kept, opened, count = [], None, 0
    for n, line in enumerate(source.splitlines(keepends=True), start=1):
        text = line.rstrip("\r\n")
        begin = _BEGIN.match(text)
        if begin:
            if opened:
                raise BuildError(f"{where}, line {n}: {BEGIN} inside the region opened on line {opened[0]}")
            opened = (n, begin.group(1))
        elif _END.match(text):
            if not opened:
                raise BuildError(f"{where}, line {n}: {END} without a {BEGIN} before it")
            indent = opened[1]
            kept.append(indent + (BLOCK_STUB if indent else TOP_STUB) + line[len(text):])
            opened, count = None, count + 1
        elif not opened:
            kept.append(line)
    if opened:
        raise BuildError(f"{where}, line {opened[0]}: {BEGIN} is never closed by {END}")
    return "".join(kept), count


def _check_no_markers(cell, where: str) -> None:
    """Refuse marker text the rules did not remove (a misspelt marker, or one in a markdown cell)."""
    for n, line in enumerate(cell.source.splitlines(), start=1):
        if "BEGIN SOLUTION" in line or "END SOLUTION" in line:
            raise BuildError(f"{where}, line {n}: solution marker text left in the student version "
                             f"(a marker line must be exactly {BEGIN!r} or {END!r}, in a code cell)")


def _student(nb, name: str) -> tuple[nbformat.NotebookNode, int]:
    """The student version of `nb` and how many solutions (regions and solution cells) it hid."""
    student = nbformat.from_dict(copy.deepcopy(dict(nb)))
    cells, count, after_stub = [], 0, False
    for number, cell in enumerate(student.cells, start=1):
        where, tags = f"{name}, cell {number}", list(cell.metadata.get("tags", []))
        if "instructor" in tags:
            continue
        if "solution" in tags and cell.cell_type not in ("code", "markdown"):
            raise BuildError(f"{where}: only code and markdown cells may be tagged solution")
        if "solution" in tags and after_stub:
            count += 1  # one prompt stands for the whole run of solution cells
            continue
        after_stub = "solution" in tags
        if "solution" in tags:
            if cell.cell_type == "code":
                cell.source = CODE_CELL_STUB
            else:
                cell.source = MARKDOWN_CELL_STUB
                cell.pop("attachments", None)
            cell.metadata["tags"] = [t for t in tags if t != "solution"]
            if not cell.metadata["tags"]:  # no empty list left behind, as JupyterLab does
                del cell.metadata["tags"]
            count += 1
        elif cell.cell_type == "code":
            cell.source, regions = _strip_regions(cell.source, where)
            count += regions
        if "setup" in tags:
            cell.metadata["editable"] = False
            cell.metadata["deletable"] = False
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        _check_no_markers(cell, where)
        cells.append(cell)
    student.cells = cells
    return student, count


def student_version(nb: nbformat.NotebookNode, name: str = "notebook") -> nbformat.NotebookNode:
    """A new notebook: `nb` with its solutions replaced by prompts; `name` labels errors. Pure."""
    return _student(nb, name)[0]


@contextmanager
def _fresh_work_dir():
    """Point COURSE_LIB_WORK_DIR at a new empty folder for one run, then restore the old value."""
    previous = os.environ.get(WORK_DIR_VARIABLE)
    with tempfile.TemporaryDirectory(prefix="course-lib-work-") as parent:
        folder = os.path.join(parent, "my-work")  # named as a student's is, so outputs read "my-work/..."
        os.mkdir(folder)
        os.environ[WORK_DIR_VARIABLE] = folder
        try:
            yield folder
        finally:
            if previous is None:
                os.environ.pop(WORK_DIR_VARIABLE, None)
            else:
                os.environ[WORK_DIR_VARIABLE] = previous


_SCRUB = ((re.compile(r"anon-[0-9a-f]{8}"), "anon-00000000"),          # the builder's pseudonymous id
          (re.compile(r"(data:application/json;base64,)[A-Za-z0-9+/=]*"), r"\1"))  # the builder's work


def _scrub(value):
    """A text output without the builder's own work in it: the id and the download data are emptied."""
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    for pattern, replacement in _SCRUB:
        value = pattern.sub(replacement, value)
    return value


def _deterministic(nb) -> None:
    """Drop what changes between identical runs: timings, widget state and widget model ids, and the
    builder's own saved work (its random id and download data, in save_my_work()'s output).

    A widget view keeps its output (and text repr, which nbval compares) with an empty model id:
    without the state no model exists, and JupyterLab hides such a view quietly until the cell runs,
    where a random id would both change every build and show "Error displaying widget".
    """
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.get("metadata", {}).pop("execution", None)
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            view = data.get("application/vnd.jupyter.widget-view+json")
            if isinstance(view, dict) and "model_id" in view:
                view["model_id"] = ""
            for mime in ("text/plain", "text/html"):
                if mime in data:
                    data[mime] = _scrub(data[mime])


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def execute(nb: nbformat.NotebookNode, path, timeout: int = 120) -> nbformat.NotebookNode:
    """A copy of `nb` run top to bottom in a fresh kernel started in `path`'s folder, outputs stored."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    path = Path(path)
    result = nbformat.from_dict(copy.deepcopy(dict(nb)))
    current = {"index": None}

    def started(cell, cell_index, **_):
        current["index"] = cell_index

    client = NotebookClient(result, timeout=timeout, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(path.parent.resolve())}},
                            on_cell_start=started)
    try:
        with _fresh_work_dir():
            client.execute()
    except CellExecutionError as e:
        raise BuildError(f"{path}, cell {current['index'] + 1}: raised {e.ename}: "
                         f"{_one_line(e.evalue)}") from None
    except CellTimeoutError:
        raise BuildError(f"{path}, cell {current['index'] + 1}: still running after {timeout} s") from None
    except DeadKernelError:
        raise BuildError(f"{path}, cell {(current['index'] or 0) + 1}: the kernel died") from None
    except Exception as e:  # the kernel could not start, or the client failed some other way
        raise BuildError(f"{path}: could not execute: {type(e).__name__}: {_one_line(e)}") from None
    _deterministic(result)
    return result


_execute = execute  # build()'s `execute` flag hides the function inside build()


def _write_if_changed(nb, path: Path) -> bool:
    """Write `nb` (indent 1, trailing newline) unless the file already holds exactly that; say if written."""
    text = nbformat.writes(nb)
    text = text if text.endswith("\n") else text + "\n"
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8", newline="\n")
    return True


def build(src="instructors/notebooks", out="lessons", execute: bool = True, only=()) -> list[Path]:
    """Build every source notebook in `src` (or those whose names start with one of `only`) into `out`;
    with `execute`, run (and save) both versions."""
    src, out = Path(src), Path(out)
    sources = [p for p in sorted(src.glob("*.ipynb")) if not only or p.name.startswith(tuple(only))]
    if not sources:
        raise BuildError(f"{src}: no instructor notebooks (*.ipynb){' matching ' + ', '.join(only) if only else ''} found")
    out.mkdir(parents=True, exist_ok=True)  # the kernel of a student version starts in out/
    built = []
    for source in sources:
        try:
            instructor = nbformat.read(source, as_version=4)
        except Exception as e:
            raise BuildError(f"{source}: not a readable notebook: {_one_line(e)}") from None
        student, count = _student(instructor, str(source))
        target = out / source.name
        if execute:
            _write_if_changed(_execute(instructor, source), source)
            student = _execute(student, target)
        else:
            _deterministic(student)
        _write_if_changed(student, target)
        cells = len(student.cells)
        print(f"built {target} ({cells} cell{'' if cells == 1 else 's'}, "
              f"{count} solution region{'' if count == 1 else 's'})")
        built.append(target)
    return built


def main(argv: list[str] | None = None) -> int:
    """The command line: build the lessons; on a problem print one line and return 1."""
    parser = argparse.ArgumentParser(prog="python -m course_lib.instructors.build",
                                     description="Build the student lessons from the instructor notebooks.")
    parser.add_argument("--src", default="instructors/notebooks", help="instructor notebooks (default: %(default)s)")
    parser.add_argument("--out", default="lessons", help="student notebooks (default: %(default)s)")
    parser.add_argument("--no-execute", action="store_true", help="strip solutions only; run nothing")
    parser.add_argument("--case", default=None, metavar="NAME_OR_PATH",
                        help="run the lessons on this case (a bundled case's id or a case folder), by setting "
                             "$COURSE_LIB_CASE for their kernels; a lesson whose first cell calls use_case() "
                             "runs on the case it names (default: $COURSE_LIB_CASE, else the bundled case)")
    parser.add_argument("only", nargs="*", help="build only the notebooks whose names start with these (e.g. 01)")
    args = parser.parse_args(argv)
    from course_lib.case.records import CASE_ENV
    from course_lib.instructors.cli import NoCase, select_case
    previous = os.environ.get(CASE_ENV)
    try:
        if args.case is not None:
            os.environ[CASE_ENV] = str(select_case(args.case).path)
        build(args.src, args.out, execute=not args.no_execute, only=args.only)
    except NoCase as e:
        print(f"error: {e}", file=sys.stderr)
        return e.status
    except BuildError as e:
        print(f"error: {_one_line(e)}", file=sys.stderr)
        return 1
    finally:
        if previous is None:
            os.environ.pop(CASE_ENV, None)
        else:
            os.environ[CASE_ENV] = previous
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
