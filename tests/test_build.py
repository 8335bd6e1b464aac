"""The lesson build: every rule of student_version, execution in a fresh kernel and work folder,
byte-stable rebuilds, the command line, and that lessons/ is exactly what the build makes of
instructors/notebooks/ with no solution text in it."""

import copy
import json
import os
from pathlib import Path

import nbformat
import pytest
from nbformat import v4

from course_lib.instructors.build import BuildError, build, execute, main, student_version

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "instructors" / "notebooks"
LESSONS = ROOT / "lessons"
BLOCK_STUB = 'raise NotImplementedError("Write your code here.")'
TOP_STUB = "# Write your answer here."
CODE_STUB = "# Write your answer here, then run this cell."


def notebook(*cells):
    return v4.new_notebook(cells=list(cells))


def code(source, *tags, **fields):
    return v4.new_code_cell(source, metadata={"tags": list(tags)} if tags else {}, **fields)


def markdown(source, *tags):
    return v4.new_markdown_cell(source, metadata={"tags": list(tags)} if tags else {})


def tags_of(cell):
    return cell.metadata.get("tags", [])


def write(nb, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


# --- student_version: solution regions ---------------------------------------------------------

def test_top_level_region_becomes_a_comment():
    nb = notebook(code("x = 1\n### BEGIN SOLUTION\ny = x + 1\nprint(y)\n### END SOLUTION\nprint(x)"))
    assert student_version(nb).cells[0].source == f"x = 1\n{TOP_STUB}\nprint(x)"


def test_indented_region_raises_at_the_begin_markers_indentation():
    source = ("def double(x):\n"
              "    ### BEGIN SOLUTION\n"
              "    y = x * 2\n"
              "    return y\n"
              "    ### END SOLUTION\n"
              "\n"
              "class A:\n"
              "    def f(self):\n"
              "        ### BEGIN SOLUTION\n"
              "        return 1\n"
              "        ### END SOLUTION\n")
    assert student_version(notebook(code(source))).cells[0].source == (
        f"def double(x):\n    {BLOCK_STUB}\n\nclass A:\n    def f(self):\n        {BLOCK_STUB}\n")


def test_region_at_the_end_of_a_cell_without_a_trailing_newline():
    nb = notebook(code("if True:\n\t### BEGIN SOLUTION\n\tpass\n\t### END SOLUTION"))
    assert student_version(nb).cells[0].source == f"if True:\n\t{BLOCK_STUB}"


def test_regions_in_several_cells_are_all_replaced_and_the_rest_kept():
    nb = notebook(code("### BEGIN SOLUTION\na = 1\n### END SOLUTION\n"), markdown("Text"),
                  code("b = 2  # keep\n### BEGIN SOLUTION\nb = 3\n### END SOLUTION\n"))
    student = student_version(nb)
    assert [c.source for c in student.cells] == [f"{TOP_STUB}\n", "Text", f"b = 2  # keep\n{TOP_STUB}\n"]


# --- student_version: tagged cells -------------------------------------------------------------

def test_solution_tagged_code_cell_becomes_a_prompt_without_outputs_or_the_tag():
    answer = code("answer = 42\nprint(answer)", "solution", "nbval-ignore-output", execution_count=3,
                  outputs=[v4.new_output("stream", name="stdout", text="42\n")])
    cell = student_version(notebook(answer)).cells[0]
    assert cell.source == "# Write your answer here, then run this cell."
    assert cell.outputs == [] and cell.execution_count is None
    assert tags_of(cell) == ["nbval-ignore-output"]


def test_solution_tagged_markdown_cell_becomes_a_prompt_and_an_emptied_tag_list_goes():
    cell = student_version(notebook(markdown("The claim is **unsourced**.", "solution"))).cells[0]
    assert cell.cell_type == "markdown"
    assert cell.source == "*Write your answer here.*"
    assert "tags" not in cell.metadata


def test_a_run_of_solution_cells_becomes_one_prompt_of_the_first_cells_kind():
    nb = notebook(code('show("q1")'),
                  code('answer("q1", "a")', "solution"), code('answer("q1", "b")', "solution"),
                  markdown("Why the second attempt is right.", "instructor"),
                  code('answer("q1", "c")', "solution"),
                  markdown("Between the runs"),
                  markdown("First reading.", "solution"), markdown("Second reading.", "solution"),
                  code("x = 1", "solution"),
                  code("y = 2"), code("z = 3", "solution"))
    student = student_version(nb)
    assert [(c.cell_type, c.source) for c in student.cells] == [
        ("code", 'show("q1")'), ("code", CODE_STUB), ("markdown", "Between the runs"),
        ("markdown", "*Write your answer here.*"), ("code", "y = 2"), ("code", CODE_STUB)]
    assert student.cells[1].id == nb.cells[1].id and student.cells[3].id == nb.cells[6].id


def test_a_run_of_solution_cells_still_counts_every_hidden_solution(tmp_path, capsys):
    src, out = tmp_path / "src", tmp_path / "out"
    write(notebook(code("1", "solution"), code("2", "solution"), markdown("three", "solution")),
          src / "01-run.ipynb")
    build(src, out, execute=False)
    assert capsys.readouterr().out.strip() == f"built {out / '01-run.ipynb'} (1 cell, 3 solution regions)"


def test_a_raw_cell_in_a_run_of_solution_cells_is_still_refused():
    with pytest.raises(BuildError, match="cell 2: only code and markdown"):
        student_version(notebook(code("1", "solution"), v4.new_raw_cell("raw", metadata={"tags": ["solution"]})),
                        name="n.ipynb")


def test_instructor_cells_are_dropped():
    nb = notebook(markdown("Intro"), markdown("Teaching note: ask first.", "instructor"),
                  code("print('key')", "instructor"), code("x = 1"))
    assert [c.source for c in student_version(nb).cells] == ["Intro", "x = 1"]


def test_setup_cells_are_locked_and_keep_their_tags():
    nb = notebook(code("import course_lib", "setup"), code("y = 2"))
    setup, other = student_version(nb).cells
    assert setup.metadata["editable"] is False and setup.metadata["deletable"] is False
    assert tags_of(setup) == ["setup"] and setup.source == "import course_lib"
    assert "editable" not in other.metadata and "deletable" not in other.metadata


def test_untagged_cells_are_kept_with_outputs_cleared():
    plain = code("print(1)", "nbval-ignore-output", execution_count=7,
                 outputs=[v4.new_output("stream", name="stdout", text="1\n")])
    plain.metadata["scrolled"] = True
    text = markdown("# Title\n\nSome *text*.")
    text.metadata["custom"] = {"a": 1}
    raw = v4.new_raw_cell("raw text")
    nb = notebook(plain, text, raw)
    student = student_version(nb)
    for before, after in zip(nb.cells, student.cells):
        assert (after.id, after.cell_type, after.source, after.metadata) == \
               (before.id, before.cell_type, before.source, before.metadata)
    assert student.cells[0].outputs == [] and student.cells[0].execution_count is None
    assert student.metadata == nb.metadata


def test_the_input_notebook_is_not_mutated():
    nb = notebook(code("import os", "setup"), markdown("note", "instructor"),
                  code("a = 1", "solution", execution_count=1,
                       outputs=[v4.new_output("stream", name="stdout", text="1\n")]),
                  code("def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION\n"))
    before = copy.deepcopy(nb)
    student = student_version(nb)
    assert nb == before
    student.cells[0].metadata["changed"] = True
    assert nb == before


def test_no_marker_text_or_solution_tag_is_left():
    nb = notebook(code("### BEGIN SOLUTION\nx = 1\n### END SOLUTION", "setup"),
                  code("  ### BEGIN SOLUTION  \nz = 1\n  ### END SOLUTION", "solution"),
                  markdown("### BEGIN SOLUTION\nsecret\n### END SOLUTION", "solution"))
    student = student_version(nb)
    text = json.dumps(student)
    assert "BEGIN SOLUTION" not in text and "END SOLUTION" not in text
    assert all("solution" not in tags_of(c) for c in student.cells)


@pytest.mark.parametrize("source, line, words", [
    ("x = 1\n### BEGIN SOLUTION\ny = 2\n", 2, "never closed"),
    ("x = 1\ny = 2\n    ### END SOLUTION\n", 3, "without"),
    ("### BEGIN SOLUTION\na = 1\n### BEGIN SOLUTION\n### END SOLUTION\n", 3, "inside"),
    ("# BEGIN SOLUTION\na = 1\n", 1, "marker text"),
])
def test_broken_markers_name_the_file_the_cell_and_the_line(source, line, words):
    nb = notebook(markdown("Intro"), code(source))
    with pytest.raises(BuildError, match=words) as caught:
        student_version(nb, name="instructors/notebooks/01-x.ipynb")
    assert f"instructors/notebooks/01-x.ipynb, cell 2, line {line}" in str(caught.value)


def test_marker_text_in_a_markdown_cell_is_refused():
    with pytest.raises(BuildError, match="cell 1, line 2"):
        student_version(notebook(markdown("Title\nSee ### END SOLUTION")), name="n.ipynb")


# --- execute -------------------------------------------------------------------------------------

def test_execute_runs_the_notebook_in_its_folder_and_stores_outputs(tmp_path):
    nb = notebook(code("import os\nx = 20"), code("print(x + 1)\nprint(os.getcwd())"))
    done = execute(nb, tmp_path / "a.ipynb", timeout=60)
    assert [c.execution_count for c in done.cells] == [1, 2]
    assert done.cells[1].outputs[0].text.splitlines() == ["21", str(tmp_path.resolve())]
    assert nb.cells[1].outputs == []  # the input is left alone
    assert all("execution" not in c.metadata for c in done.cells)


def test_each_execution_gets_its_own_fresh_work_dir_and_the_variable_is_restored(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_LIB_WORK_DIR", "/the/callers/value")
    probe = notebook(code("import os\nd = os.environ['COURSE_LIB_WORK_DIR']\n"
                          "print(d)\nprint(os.listdir(d))\nopen(os.path.join(d, 'progress.json'), 'w').close()"))
    first = execute(probe, tmp_path / "one.ipynb", timeout=60).cells[0].outputs[0].text.splitlines()
    second = execute(probe, tmp_path / "two.ipynb", timeout=60).cells[0].outputs[0].text.splitlines()
    assert first[1] == second[1] == "[]"  # empty: nothing saved by the first run is seen by the second
    assert first[0] != second[0]
    assert "/the/callers/value" not in (first[0], second[0])
    assert os.environ["COURSE_LIB_WORK_DIR"] == "/the/callers/value"
    assert not Path(first[0]).exists()


def test_the_variable_stays_unset_when_it_was_unset(tmp_path, monkeypatch):
    monkeypatch.delenv("COURSE_LIB_WORK_DIR", raising=False)
    execute(notebook(code("1")), tmp_path / "a.ipynb", timeout=60)
    assert "COURSE_LIB_WORK_DIR" not in os.environ


def test_a_raising_cell_is_a_build_error_naming_notebook_and_cell(tmp_path):
    nb = notebook(markdown("Intro"), code("x = 1"), code("raise ValueError('boom\\nsecond line')"))
    with pytest.raises(BuildError) as caught:
        execute(nb, tmp_path / "lesson.ipynb", timeout=60)
    message = str(caught.value)
    assert "lesson.ipynb, cell 3" in message and "ValueError: boom second line" in message
    assert "\n" not in message


# --- build and the command line ------------------------------------------------------------------

def lesson_source():
    return notebook(markdown("# A lesson"),
                    code("import ipywidgets\nvalue = 3", "setup"),
                    code("def double(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION\n"
                         "print(value)"),
                    code("ipywidgets.IntSlider(value)"),
                    markdown("My reasoning is careful.", "solution"),
                    markdown("Ask the room first.", "instructor"))


def test_build_writes_executed_versions_and_a_rebuild_changes_no_byte(tmp_path, capsys):
    src, out = tmp_path / "src", tmp_path / "out"
    source = write(lesson_source(), src / "01-lesson.ipynb")
    write(notebook(code("print('hi')")), src / "02-other.ipynb")
    assert build(src, out) == [out / "01-lesson.ipynb", out / "02-other.ipynb"]
    assert capsys.readouterr().out.splitlines() == [
        f"built {out / '01-lesson.ipynb'} (5 cells, 2 solution regions)",
        f"built {out / '02-other.ipynb'} (1 cell, 0 solution regions)"]

    lesson = nbformat.read(out / "01-lesson.ipynb", as_version=4)
    assert [c.execution_count for c in lesson.cells if c.cell_type == "code"] == [1, 2, 3]
    assert lesson.cells[2].outputs[0].text == "3\n"
    assert "widgets" not in lesson.metadata
    assert "return 2 * x" not in json.dumps(lesson)
    instructor = nbformat.read(source, as_version=4)
    assert instructor.cells[2].outputs[0].text == "3\n" and len(instructor.cells) == 6

    files = sorted(src.glob("*.ipynb")) + sorted(out.glob("*.ipynb"))
    for f in files:
        assert f.read_text(encoding="utf-8").endswith("}\n")
    before = {f: (f.read_bytes(), f.stat().st_mtime_ns) for f in files}
    build(src, out)
    assert {f: (f.read_bytes(), f.stat().st_mtime_ns) for f in files} == before


def test_build_without_execution_leaves_sources_alone(tmp_path):
    src, out = tmp_path / "src", tmp_path / "out"
    source = write(lesson_source(), src / "01-lesson.ipynb")
    before = source.read_bytes()
    build(src, out, execute=False)
    assert source.read_bytes() == before
    lesson = nbformat.read(out / "01-lesson.ipynb", as_version=4)
    assert all(c.outputs == [] for c in lesson.cells if c.cell_type == "code")


def test_build_with_no_sources_is_an_error(tmp_path):
    with pytest.raises(BuildError, match="no instructor notebooks"):
        build(tmp_path / "nothing", tmp_path / "out")


def test_cli_prints_one_line_and_returns_1_for_a_broken_source(tmp_path, capsys):
    src, out = tmp_path / "src", tmp_path / "out"
    write(notebook(markdown("Intro"), code("a = 1\n### BEGIN SOLUTION\nb = 2\n")), src / "03-broken.ipynb")
    assert main(["--no-execute", "--src", str(src), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert "03-broken.ipynb, cell 2, line 2" in err
    assert not (out / "03-broken.ipynb").exists()


def test_cli_builds_without_executing(tmp_path, capsys):
    src, out = tmp_path / "src", tmp_path / "out"
    write(lesson_source(), src / "01-lesson.ipynb")
    assert main(["--no-execute", "--src", str(src), "--out", str(out)]) == 0
    assert (out / "01-lesson.ipynb").exists() and "built" in capsys.readouterr().out


# --- the repository: lessons/ is what the build makes, and leaks nothing -------------------------

needs_sources = pytest.mark.skipif(
    not SOURCES.is_dir(),
    reason="instructors/notebooks/ does not exist yet: no lesson sources to compare lessons/ against")


def comparable(nb):
    """What the build decides about each cell: its kind, source, tags and lock."""
    return [(c.cell_type, c.source, c.metadata.get("tags", []),
             c.metadata.get("editable"), c.metadata.get("deletable")) for c in nb.cells]


def solution_and_other_lines(nb):
    """Lines inside solution regions or solution cells, and lines elsewhere in the kept cells."""
    inside, outside = set(), set()
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        if "instructor" in tags:
            continue
        in_region = False
        for line in cell.source.splitlines():
            stripped = line.strip()
            if cell.cell_type == "code" and stripped.startswith("### BEGIN SOLUTION"):
                in_region = True
            elif cell.cell_type == "code" and stripped.startswith("### END SOLUTION"):
                in_region = False
            elif "solution" in tags or in_region:
                inside.add(stripped)
            else:
                outside.add(stripped)
    return inside, outside


def strings_in(value):
    """Every string anywhere in a JSON value (sources, outputs, metadata)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)


@needs_sources
def test_lessons_are_exactly_what_the_build_produces():
    sources = sorted(SOURCES.glob("*.ipynb"))
    for source in sources:
        lesson = LESSONS / source.name
        assert lesson.exists(), f"{source.relative_to(ROOT)} has no built lesson; run make lessons"
        expected = student_version(nbformat.read(source, as_version=4), name=str(source))
        assert comparable(nbformat.read(lesson, as_version=4)) == comparable(expected), \
            f"lessons/{source.name} is not what the build makes of its source; run make lessons"
    orphans = sorted({p.name for p in LESSONS.glob("*.ipynb")} - {p.name for p in sources})
    assert not orphans, f"lessons without a source in instructors/notebooks/: {orphans}"


@needs_sources
def test_no_solution_text_reaches_the_lessons():
    for lesson in sorted(LESSONS.glob("*.ipynb")):
        raw = lesson.read_text(encoding="utf-8")
        assert "BEGIN SOLUTION" not in raw and "END SOLUTION" not in raw, lesson.name
        nb = json.loads(raw)
        for n, cell in enumerate(nb["cells"], start=1):
            tags = cell.get("metadata", {}).get("tags", [])
            assert not {"solution", "instructor"} & set(tags), f"{lesson.name}, cell {n}: tagged {tags}"
        source = SOURCES / lesson.name
        if not source.exists():
            continue  # reported by the test above
        inside, outside = solution_and_other_lines(nbformat.read(source, as_version=4))
        secret = {line for line in inside - outside if len(line) >= 12}
        shown = {line.strip() for text in strings_in(nb) for line in text.splitlines()}
        leaked = sorted(secret & shown)
        assert not leaked, f"{lesson.name} shows solution lines: {leaked[:3]}"


def test_the_builders_own_saved_work_is_scrubbed_from_outputs():
    from course_lib.instructors.build import _scrub
    text = '<a download="my-work-anon-1a2b3c4d.json" href="data:application/json;base64,eyJhIjogMX0=">'
    assert _scrub(text) == '<a download="my-work-anon-00000000.json" href="data:application/json;base64,">'
    assert _scrub(["anon-deadbeef", "x"]) == ["anon-00000000", "x"]


def is_stub(cell) -> bool:
    """A prompt the build put in place of a solution cell."""
    return cell.source in ("# Write your answer here, then run this cell.", "*Write your answer here.*")


def test_no_lesson_shows_two_answer_prompts_in_a_row():
    doubled = []
    for lesson in sorted(LESSONS.glob("*.ipynb")):
        cells = nbformat.read(lesson, as_version=4).cells
        doubled += [f"{lesson.name}, cells {n} and {n + 1}" for n in range(1, len(cells))
                    if is_stub(cells[n - 1]) and is_stub(cells[n])]
    assert not doubled, f"{len(doubled)} doubled answer prompts (rebuild the lessons): {doubled[:5]}"
