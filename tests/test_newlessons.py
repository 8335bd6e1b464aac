"""`course-lib new-lessons CASE`: a case's lesson set from the shared instructor notebooks (#19)."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest

from course_lib.case.records import load_case
from course_lib.instructors import cli, newlessons

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "instructors" / "notebooks"


@pytest.fixture(scope="module")
def bare(tmp_path_factory):
    """The bundled case without its exercises and lessons.toml, under another id: a case that lacks what
    the lessons show."""
    folder = tmp_path_factory.mktemp("cases") / "bare"
    shutil.copytree(ROOT / "course_lib" / "cases" / "nk-2018", folder)
    for path in [*folder.glob("exercises*.toml"), folder / "lessons.toml"]:
        path.unlink()
    toml = folder / "case.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('id = "nk-2018"', 'id = "bare-case"', 1), encoding="utf-8")
    return folder


def test_the_copy_selects_the_case_first_and_marks_what_to_rewrite(bare):
    source = nbformat.read(SOURCES / "01-sorting-claims.ipynb", as_version=4)
    before = nbformat.writes(source)
    copy = newlessons.version_for(source, load_case(bare), str(bare))
    assert nbformat.writes(source) == before, "the instructor notebook itself was changed"
    first = copy.cells[0]
    assert first.cell_type == "code" and first.source.endswith(f"course_lib.use_case({str(bare)!r})   # every cell below reads this case")
    assert "setup" in first.metadata["tags"]
    narrative = [c for c in copy.cells if newlessons.NARRATIVE_TAG in c.metadata.get("tags", [])]
    assert narrative and all(c.source.startswith(("> **TO REWRITE for bare-case:**", "# TO REWRITE for bare-case:"))
                             for c in narrative)
    untagged = [c for c in copy.cells[1:] if c.cell_type == "markdown"
                and newlessons.NARRATIVE_TAG not in c.metadata.get("tags", [])]
    assert untagged and not any("TO REWRITE" in c.source for c in untagged)
    solutions = [c for c in copy.cells if "solution" in c.metadata.get("tags", [])]
    assert solutions and all(c.source.startswith("# TO REWRITE for bare-case: this answers the item") for c in solutions)
    assert not any("load_case()" in c.source for c in copy.cells if c.cell_type == "code")


def test_a_solution_region_is_marked_inside_its_cell(bare):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "x = None\n    ### BEGIN SOLUTION\n    x = 1\n    ### END SOLUTION\n")])
    source = newlessons.version_for(nb, load_case(bare), "bare").cells[1].source
    assert "    # TO REWRITE for bare-case: the answer below is the bundled case's (nk-2018).\n    ### BEGIN SOLUTION" in source


ALL_LESSONS = ("00", "01", "02a", "02b", "03", "04a", "04b", "05a", "05b", "06")


@pytest.mark.parametrize("lesson", ALL_LESSONS)
def test_every_lesson_tags_its_case_narrative(lesson):
    nb = nbformat.read(next(SOURCES.glob(f"{lesson}-*.ipynb")), as_version=4)
    assert any(newlessons.NARRATIVE_TAG in c.metadata.get("tags", []) for c in nb.cells if c.cell_type == "markdown")


def test_a_cell_empty_here_but_not_in_the_bundled_lesson_is_reported():
    ref = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("a", id="a"), nbformat.v4.new_code_cell("b", id="b")])
    ref.cells[0].outputs = [nbformat.v4.new_output("stream", text="12 events")]
    ran = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("a", id="a"), nbformat.v4.new_code_cell("b", id="b")])
    assert newlessons.silently_empty(ran, ref) == ["a"]
    ran.cells[0].outputs = [nbformat.v4.new_output("stream", text="[Placeholder] ...")]
    assert newlessons.silently_empty(ran, ref) == []


@pytest.mark.parametrize("how", ["positional", "--case"])
def test_the_command_writes_both_versions(bare, tmp_path, capsys, how):
    named = [str(bare)] if how == "positional" else ["--case", str(bare)]
    assert cli.main(["new-lessons", *named, "--out", str(tmp_path / "set"), "--only", "02a"]) == 0
    student = nbformat.read(tmp_path / "set" / "02a-tracing-quotations.ipynb", as_version=4)
    teacher = nbformat.read(tmp_path / "set" / "instructors" / "02a-tracing-quotations.ipynb", as_version=4)
    assert student.cells[0].source == teacher.cells[0].source and "use_case(" in student.cells[0].source
    assert not any("solution" in c.metadata.get("tags", []) for c in student.cells)
    assert "marked TO REWRITE" in capsys.readouterr().out


def test_an_unknown_case_is_one_line(tmp_path, capsys):
    assert cli.main(["new-lessons", "no-such-case", "--out", str(tmp_path)]) != 0
    err = capsys.readouterr().err
    assert "no-such-case" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("lesson", ["04a", "04b", "05a", "05b", "06"])
def test_lessons_04a_to_06_read_the_current_case(lesson):
    """Their first cell reads the case the lesson selected (current_case), not always the bundled one."""
    nb = nbformat.read(next(SOURCES.glob(f"{lesson}-*.ipynb")), as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "course_lib.current_case()" in code and "load_case()" not in code


def test_lesson_data_value_prints_the_placeholder_and_gives_the_fallback(bare, capsys):
    data = load_case(bare).lesson_data("04a")
    assert data.value("primer_actor", "X") == "X"
    assert "[Placeholder] This case (bare-case) has no `primer_actor` for lesson 04a" in capsys.readouterr().out
    assert load_case(ROOT / "course_lib" / "cases" / "nk-2018").lesson_data("04a").value("primer_actor", "X") != "X"
    assert capsys.readouterr().out == ""


def _shown(written) -> str:
    """Every output of the lessons written and run, as one text."""
    return " ".join(str(o) for path in written for c in nbformat.read(path, as_version=4).cells
                    for o in c.get("outputs", []))


@pytest.mark.slow
def test_every_lesson_runs_on_a_case_that_lacks_its_items_and_data(bare, tmp_path):
    """Every code cell of every lesson (00 to 06) runs in a fresh kernel, none raising; a cell whose data
    the case lacks shows the placeholder naming it, and none is silently empty where the bundled lesson
    shows something."""
    written = newlessons.lesson_set(bare, tmp_path / "set", only=ALL_LESSONS, run=True)
    assert len(written) == len(ALL_LESSONS)
    shown = _shown(written)
    assert "[Placeholder] The exercise 'l0-pre1' belongs to the case nk-2018, not to the current case bare-case" in shown
    assert "has no `ach_rows` for lesson 03" in shown and "has no `pairs` for lesson 02a" in shown
    assert "No comparisons to draw" in shown
    for key, lesson in [("timeline_start", "04a"), ("primer_actor", "04a"), ("alignment_actors", "04b"),
                        ("disputed_events", "04b"), ("series_alt", "05a"), ("worked_statements", "05a"),
                        ("timing_trigger", "05b"), ("pairs", "05b"), ("key_dates", "06"), ("drift_source", "06")]:
        assert f"[Placeholder] This case (bare-case) has no `{key}` for lesson {lesson}" in shown, key
    assert "[Placeholder] There is no exercise 'l5-fresh' in this case (bare-case)" in shown


OTHER_CASES = sorted(p.name for p in (ROOT / "course_lib" / "cases").iterdir()
                     if (p / "case.toml").is_file() and p.name not in ("nk-2018", "template"))


@pytest.mark.slow
@pytest.mark.parametrize("name", OTHER_CASES)
def test_every_lesson_runs_on_every_other_bundled_case(name, tmp_path):
    """The lessons 00 to 06 generated for a second bundled case (syria-2013) run in a fresh kernel, none
    raising and none silently empty where the bundled lesson shows something; each reads that case."""
    written = newlessons.lesson_set(name, tmp_path / "set", only=ALL_LESSONS, run=True)
    assert len(written) == len(ALL_LESSONS)
    for path in written:
        first = nbformat.read(path, as_version=4).cells[0]
        assert first.source.endswith(f"course_lib.use_case({name!r})   # every cell below reads this case")
    shown = _shown(written)
    assert f"current case {name}" in shown or f"in this case ({name})" in shown   # its items' placeholders
    assert "bare-case" not in shown and "current case nk-2018" not in shown
