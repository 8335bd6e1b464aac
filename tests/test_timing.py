"""The timing model (course_lib.instructors.timing) on small synthetic notebooks, and the course kept to it: every
lesson header's minutes and every row and Timing line of the instructor guide are what the model gives
for the built lesson, and no lesson runs over one class slot (90 minutes).

When the agreement tests fail, run `course-lib timing --write` (it sets the headers of
instructors/notebooks/ and the guide), then rebuild the lessons (`make lessons`).
"""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
from nbformat import v4

from course_lib import load_case
from course_lib.instructors import timing
from course_lib.instructors.timing import (LIMIT, Estimate, Section, estimate, estimate_file, lesson_key, round5,
                               update_guide, words, write_header)

ROOT = Path(__file__).resolve().parent.parent
LESSONS = ROOT / "lessons"
SOURCES = ROOT / "instructors" / "notebooks"
GUIDE = ROOT / "instructors" / "guide.md"
CASE = load_case()


def notebook(*cells):
    return v4.new_notebook(cells=list(cells))


def md(text, *tags):
    return v4.new_markdown_cell(text, metadata={"tags": list(tags)} if tags else {})


def code(source, *outputs, tags=(), cell_id=None):
    cell = v4.new_code_cell(source, metadata={"tags": list(tags)} if tags else {}, outputs=list(outputs))
    if cell_id:
        cell.id = cell_id
    return cell


def shown(mimes: dict):
    return v4.new_output("display_data", data=mimes)


def prose(n: int) -> str:
    return " ".join(["word"] * n)


def item(kind, entries=0, confidence=False, min_words=0):
    return SimpleNamespace(kind=kind, entries=tuple(range(entries)), confidence=confidence, min_words=min_words)


def one(nb, items=None, instructor=None) -> Estimate:
    return estimate(nb, items or {}, instructor)


# ---- reading ------------------------------------------------------------------------------------

@pytest.mark.parametrize("n", [0, 1, 199, 200, 1000, 1234])
def test_n_words_of_markdown_read_in_n_over_200_minutes(n):
    e = one(notebook(md("## Part\n\n" + prose(n))))
    assert e.sections[-1].title == "Part"
    assert e.raw_teaching == pytest.approx((n + 1) / 200)  # the heading's own word is read too
    assert e.raw_exercises == 0


def test_words_skip_link_targets_and_tags_and_keep_ids_whole():
    assert words("See [the card](https://example.org/a-long/path.html) and <b>p1.s2</b>, don't.") == 6


def test_an_output_counts_once_in_its_most_readable_form():
    twin = shown({"text/html": "<p>" + prose(500) + "</p>", "text/plain": prose(100),
                  "application/vnd.jupyter.widget-view+json": {"model_id": ""}})
    markdown_first = shown({"text/markdown": prose(40), "text/plain": prose(300)})
    html_only = shown({"text/html": "<ul><li>" + prose(20) + "</li></ul>", "application/javascript": prose(900)})
    stream = v4.new_output("stream", name="stdout", text=prose(60))
    e = one(notebook(code("f()", twin, markdown_first, html_only, stream)))
    assert e.sections[0].words == 100 + 40 + 20 + 60
    assert e.sections[0].reading == pytest.approx(220 / 200)
    assert e.sections[0].running == timing.RUN_MINUTES


def test_a_figure_adds_a_minute_to_look_at_and_its_text_twin_is_read():
    figure = shown({"image/png": "iVBOR", "text/plain": prose(50)})
    e = one(notebook(code("plot()", figure)))
    assert e.sections[0].reading == pytest.approx(timing.FIGURE_MINUTES + 50 / 200)


# ---- exercises ----------------------------------------------------------------------------------

@pytest.mark.parametrize("kind, entries, confidence, min_words, minutes", [
    ("single", 0, False, 0, 1.0),
    ("single", 0, True, 0, 1.25),
    ("multiple", 0, False, 0, 2.0),
    ("numeric", 0, False, 0, 2.5),
    ("classify", 6, False, 0, 1 + 6 * 0.5),
    ("match", 4, False, 0, 1 + 4 * 0.5),
    ("order", 5, False, 0, 1 + 5 * 0.5),
    ("text", 0, False, 12, 2 + 20 / 10),  # a short minimum still takes 20 words to write
    ("text", 0, False, 40, 2 + 40 / 10),
])
def test_each_kind_at_its_rate(kind, entries, confidence, min_words, minutes):
    nb = notebook(md("## Try"), code('show("x")', shown({"text/plain": prose(80)})),
                  code(timing.CODE_STUB))
    e = one(nb, {"x": item(kind, entries, confidence, min_words)})
    section = e.sections[-1]
    assert section.items == pytest.approx(minutes + 80 / 200)  # the item's own text is read as part of it
    assert section.running == 0 and section.code == 0
    assert e.raw_teaching == pytest.approx(1 / 200)  # only the heading is read as teaching


def test_a_code_exercise_at_a_beginners_pace_from_the_lines_of_the_source():
    body = ("def f(x):\n    ### BEGIN SOLUTION\n    y = x + 1\n\n    return y\n    ### END SOLUTION\n"
            "def g(x):\n    ### BEGIN SOLUTION\n    return 2\n    ### END SOLUTION\n")
    student = "def f(x):\n    raise NotImplementedError(\"Write your code here.\")\ndef g(x):\n" \
              "    raise NotImplementedError(\"Write your code here.\")\n"
    source = notebook(code('show("c")', cell_id="a"), code(body, cell_id="b"))
    lesson = notebook(code('show("c")', cell_id="a"), code(student, cell_id="b"))
    e = one(lesson, {"c": item("code")}, source)
    expected = timing.ITEM_MINUTES["code"] + 3 * timing.LINE_MINUTES + 2 * timing.BLANK_MINUTES
    assert e.sections[0].code == pytest.approx(expected)
    assert e.sections[0].items == 0
    without = one(lesson, {"c": item("code")})  # no source: each blank taken as LINES_PER_REGION lines
    assert without.sections[0].code == pytest.approx(
        timing.ITEM_MINUTES["code"] + 2 * (timing.LINES_PER_REGION * timing.LINE_MINUTES + timing.BLANK_MINUTES))


def test_answer_prompts_after_an_exercise_cost_nothing_more_and_open_tasks_do():
    items = {"x": item("single")}
    answered = one(notebook(code('show("x")'), code(timing.CODE_STUB), code(timing.CODE_STUB)), items)
    assert answered.raw_exercises == pytest.approx(1.0) and answered.sections[0].running == 0
    source = notebook(md("Now you."),
                      code("a = 1\nb = 2\n\nc = 3", tags=("solution",), cell_id="s1"),
                      code("d = 4", tags=("solution",), cell_id="s2"))
    lesson = notebook(md("Now you."), code(timing.CODE_STUB, cell_id="s1"), md(timing.MARKDOWN_STUB))
    e = one(lesson, {}, source)
    assert e.sections[0].code == pytest.approx(4 * timing.LINE_MINUTES + timing.BLANK_MINUTES)
    assert e.sections[0].writing == timing.OPEN_WRITING_MINUTES


def test_the_memo_is_written_section_by_section():
    from course_lib.frontend.memo import SECTIONS
    lesson = notebook(md("## Write"), code("memo = memos.open_memo(case)"), code(timing.CODE_STUB, cell_id="m"))
    source = notebook(md("## Write"), code("memo = memos.open_memo(case)"),
                      code('memo.write("claim", "A.", "fact")', tags=("solution",), cell_id="m"))
    e = one(lesson, {}, source)
    assert e.sections[-1].writing == len(SECTIONS) * timing.MEMO_SECTION_MINUTES
    assert e.sections[-1].code == 0  # the memo's own cells are part of that writing


def test_discussion_prompts_in_the_lesson_and_in_the_instructors_cells():
    lesson = notebook(md("## One\n\n**Discuss** with a neighbour: which card decides it?"),
                      md("## Two\n\nThe key is offered for discussion."), code("x = 1", cell_id="k"))
    source = notebook(md("## One\n\n**Discuss** with a neighbour: which card decides it?"),
                      md("## Two\n\nThe key is offered for discussion."),
                      md("Prompts: “Is a tweet a policy?” and “Who decides?”", "instructor"),
                      code("x = 1", cell_id="k"))
    e = one(lesson, {}, source)
    assert [s.discussion for s in e.sections] == [0, timing.DISCUSSION_MINUTES, 2 * timing.DISCUSSION_MINUTES]
    assert one(lesson).sections[2].discussion == 0  # "offered for discussion" asks nobody to talk


def test_unknown_exercises_are_timed_and_reported():
    e = one(notebook(code('show("nope")')), {})
    assert e.raw_exercises == timing.ITEM_MINUTES["single"] and "nope" in e.warnings[0]


# ---- sections and rounding ----------------------------------------------------------------------

def test_sections_split_at_every_level_two_heading_even_inside_one_cell():
    nb = notebook(md("# Title\n\n" + prose(9)), md(prose(10) + "\n## A\n" + prose(20) + "\n### Sub\n" + prose(5)
                                                   + "\n## B\n" + prose(30)), code("x = 1"))
    e = one(nb)
    assert [s.title for s in e.sections] == ["(opening) Title", "A", "B"]
    assert [s.words for s in e.sections] == [1 + 9 + 10, 1 + 20 + 1 + 5, 1 + 30]
    assert e.sections[-1].running == timing.RUN_MINUTES


@pytest.mark.parametrize("minutes, rounded", [(0, 0), (0.1, 5), (7.49, 5), (7.5, 10), (12.49, 10),
                                              (12.5, 15), (44.9, 45), (47.5, 50), (90, 90)])
def test_round_to_five_minutes(minutes, rounded):
    assert round5(minutes) == rounded


def test_teaching_and_exercises_are_rounded_apart_and_summed():
    e = Estimate("x", [Section("a", reading=7.4, items=20), Section("b", running=0.2, code=2.6)])
    assert (e.teaching, e.exercises, e.total) == (10, 25, 35)
    assert Estimate("x", [Section("a")]).teaching == 5  # a header needs a positive number
    assert Estimate("x", [Section("a", items=91)]).over


# ---- writing headers and the guide --------------------------------------------------------------

HEADER = ('import course_lib\nheader(\n    questions=["Why?"],\n    objectives=["Explain it."],\n'
          '    teaching=10,\n    exercises=15,\n)')


def test_write_header_changes_the_two_numbers_and_nothing_else(tmp_path):
    path = tmp_path / "01-x.ipynb"
    nb = notebook(md("# X"), code(HEADER, tags=("setup",)), code("teaching=3"))
    nbformat.write(nb, path)
    assert write_header(path, 25, 40)
    after = nbformat.read(path, as_version=4)
    assert after.cells[1].source == HEADER.replace("teaching=10", "teaching=25").replace("exercises=15", "exercises=40")
    assert after.cells[2].source == "teaching=3" and after.cells[1].id == nb.cells[1].id
    assert timing.notebook_minutes(path) == (25, 40)
    before = path.read_bytes()
    assert not write_header(path, 25, 40) and path.read_bytes() == before


GUIDE_TEXT = """# Guide

## At a glance

| Lesson | Title | Strand | Teaching | Exercises | Total |
|---|---|---|---|---|---|
| 03 | [Three](#lesson-03-three) | coordination | 20 | 30 | 50 |
| 04 | [Four](#lesson-04-four) | coordination | 30 | 45 | 75 |

About 125 minutes, just over two contact hours, plus homework.

## Lesson 03: Three

**Timing:** teaching 20 min · exercises 30 min · 50 min in all.

## Lesson 04a: Coding events

**Timing:** teaching 30 min · exercises 45 min · 75 min in all, plus homework.
"""


def test_the_guide_table_follows_the_lessons_that_exist():
    estimates = [Estimate("lessons/03-three.ipynb", [Section("s", reading=12, items=33)]),
                 Estimate("lessons/04a-coding-events.ipynb", [Section("s", reading=20, items=50)]),
                 Estimate("lessons/04b-measuring.ipynb", [Section("s", reading=5, code=80)])]
    new = update_guide(GUIDE_TEXT, estimates, {"04a": "Coding events", "04b": "Measuring coordination"})
    rows = [line for line in new.splitlines() if re.match(r"^\| \d", line)]
    assert rows == ["| 03 | [Three](#lesson-03-three) | coordination | 10 | 35 | 45 |",
                    "| 04a | [Coding events](#lesson-04a-coding-events) | coordination | 20 | 50 | 70 |",
                    "| 04b | [Measuring coordination](#lesson-04b-measuring-coordination) | coordination | 5 | 80 | 85 |"]
    assert "About 200 minutes, about three and a half contact hours, plus homework." in new
    assert "**Timing:** teaching 10 min · exercises 35 min · 45 min in all." in new
    assert "**Timing:** teaching 20 min · exercises 50 min · 70 min in all, plus homework." in new
    assert update_guide(new, estimates, {}) == new


@pytest.mark.parametrize("minutes, said", [(60, "one"), (410, "nearly seven"), (370, "just over six"),
                                           (390, "about six and a half")])
def test_hours_in_words(minutes, said):
    assert timing.hours_in_words(minutes) == said


def test_the_command_prints_a_table_per_notebook_and_flags_long_ones(tmp_path, capsys):
    lessons, sources = tmp_path / "lessons", tmp_path / "src"
    lessons.mkdir(), sources.mkdir()
    nbformat.write(notebook(md("# Short\n\n## Part\n\n" + prose(400))), lessons / "01-short.ipynb")
    nbformat.write(notebook(md("# Long\n\n## Part\n\n" + prose(200 * 95))), lessons / "02-long.ipynb")
    nbformat.write(notebook(md("# Short"), code(HEADER)), sources / "01-short.ipynb")
    guide = tmp_path / "guide.md"
    guide.write_text(GUIDE_TEXT.replace("| 03 |", "| 01 |").replace("| 04 |", "| 02 |"), encoding="utf-8")
    assert timing.main(write=True, lessons=lessons, instructors=sources, guide=guide) == 0
    out = capsys.readouterr().out
    assert f"{lessons / '02-long.ipynb'}: teaching 95 min · exercises 5 min · 100 min in all  OVER 90" in out
    assert "over 90 min: 02-long.ipynb (100)" in out
    assert re.search(r"^  Part +401 +2\.0 ", out, re.M)
    assert timing.notebook_minutes(sources / "01-short.ipynb") == (5, 5)
    assert "| 02 | [Four](#lesson-04-four) | coordination | 95 | 5 | 100 |" in guide.read_text(encoding="utf-8")


def test_the_cli_knows_the_command():
    from course_lib.instructors.cli import main
    with pytest.raises(SystemExit) as done:
        main(["timing", "--help"])
    assert done.value.code == 0


# ---- the course kept to the model ---------------------------------------------------------------

LESSON_FILES = sorted(LESSONS.glob("*.ipynb"))


@pytest.fixture(scope="module")
def estimates() -> dict[str, Estimate]:
    return {p.name: estimate_file(p, CASE, SOURCES) for p in LESSON_FILES}


def test_there_are_lessons():
    assert LESSON_FILES, "lessons/ holds no notebooks"


@pytest.mark.parametrize("lesson", [p.name for p in LESSON_FILES])
def test_every_lesson_header_states_the_models_minutes(lesson, estimates):
    e = estimates[lesson]
    source = SOURCES / lesson
    assert source.exists(), f"{lesson} has no source in instructors/notebooks/"
    assert timing.notebook_minutes(source) == (e.teaching, e.exercises), (
        f"instructors/notebooks/{lesson} says (teaching, exercises) = {timing.notebook_minutes(source)}; "
        f"the timing model gives ({e.teaching}, {e.exercises}): run course-lib timing --write, then rebuild")
    assert timing.notebook_minutes(LESSONS / lesson) == (e.teaching, e.exercises), (
        f"lessons/{lesson} is not rebuilt with its header's minutes: make lessons")


def test_every_guide_row_and_timing_line_states_the_models_minutes(estimates):
    guide = GUIDE.read_text(encoding="utf-8")
    rows = timing.guide_rows(guide)
    by_key = {lesson_key(name): e for name, e in estimates.items()}
    assert sorted(rows) == sorted(by_key), (
        f"guide.md, 'At a glance': rows {sorted(rows)} for lessons {sorted(by_key)}: run course-lib timing --write")
    for key, e in by_key.items():
        assert rows[key][-3:] == [str(e.teaching), str(e.exercises), str(e.total)], (
            f"guide.md, 'At a glance', lesson {key}: {rows[key][-3:]}; the model gives "
            f"{e.teaching}, {e.exercises}, {e.total}: run course-lib timing --write")
    for m in timing.GUIDE_LESSON.finditer(guide):
        e = by_key.get(m.group(1))
        section = guide[m.end():].split("\n## ", 1)[0]
        stated = re.search(r"\*\*Timing:\*\* teaching (\d+) min · exercises (\d+) min · (\d+) min in all", section)
        assert e is not None, f"guide.md has a section for lesson {m.group(1)}, which has no notebook in lessons/"
        assert stated, f"guide.md, Lesson {m.group(1)}: no '**Timing:** teaching N min · exercises N min' line"
        assert tuple(map(int, stated.groups())) == (e.teaching, e.exercises, e.total), (
            f"guide.md, Lesson {m.group(1)}: {stated.group(0)}; the model gives {e.teaching}, {e.exercises}, "
            f"{e.total}: run course-lib timing --write")
    total = sum(e.total for e in estimates.values())
    assert f"About {total} minutes, {timing.hours_in_words(total)} contact hours" in guide, (
        "guide.md: the total under 'At a glance' is not the lessons' sum: run course-lib timing --write")


@pytest.mark.parametrize("lesson", [p.name for p in LESSON_FILES])
def test_no_lesson_runs_over_one_class_slot(lesson, estimates):
    e = estimates[lesson]
    assert not e.over, (f"{lesson}: {e.total} min by the timing model (teaching {e.teaching}, exercises "
                        f"{e.exercises}), over {LIMIT}: split it or cut it (course-lib timing {LESSONS.name}/{lesson} "
                        "shows where the minutes go)")


def test_a_guide_without_the_table_keeps_its_text_and_gets_its_timing_lines():
    guide = "# Guide\n\n## Lesson 03: Three\n\n**Timing:** teaching 1 min · exercises 2 min · 3 min in all.\n"
    new = update_guide(guide, [Estimate("lessons/03-three.ipynb", [Section("s", reading=12, items=33)])], {})
    assert new == guide.replace("1 min · exercises 2 min · 3 min", "10 min · exercises 35 min · 45 min")
    assert timing.guide_rows(new) == {}


def test_the_strands_minutes_are_the_models_sums_with_the_first_lesson():
    rows = {"00": ["[Start]", "all"], "01": ["[One]", "source-checking"], "02a": ["[Two]", "source-checking"],
            "03": ["[Three]", "coordination"], "06": ["[Memo]", "all"]}
    estimates = [Estimate(f"lessons/{k}-x.ipynb", [Section("s", reading=m)]) for k, m in  # +5: exercises at least 5
                 (("00", 20), ("01", 40), ("02a", 60), ("03", 80), ("06", 70))]
    assert timing.strand_sentence(rows, estimates) == (
        "The strands also stand alone, each with lesson 00 first: source-checking (00, 01, 02a: 135 min) and "
        "coordination (00, 03: 110 min).")
    guide = "About 1 minutes, no contact hours.\nThe strands also stand alone (01–02), at roughly two hours each.\n"
    table = "## At a glance\n\n" + "\n".join(f"| {k} | {v[0]} | {v[1]} | 1 | 1 | 2 |" for k, v in rows.items())
    new = update_guide(table + "\n\n" + guide, estimates, {})
    assert "roughly" not in new and "source-checking (00, 01, 02a: 135 min)" in new


def test_the_guides_strand_minutes_state_the_models_sums(estimates):
    guide = GUIDE.read_text(encoding="utf-8")
    said = timing.strand_sentence(timing.guide_rows(guide), list(estimates.values()))
    assert said and said in guide.replace("\n", " "), (
        "guide.md: the strands' minutes under 'At a glance' are not the model's: run course-lib timing --write")


MAP = """Intro.

| # | Lesson | Strand | Minutes | Status |
|---|---|---|---|---|
| 03 | Three: a \\| b | coordination | 50 | ready |
| 04a | Four | coordination | 75 + homework | ready |

| # | Other | Count |
|---|---|---|
| 03 | no Minutes column: not a lesson map | 1 |
"""


def test_a_lesson_maps_minutes_are_set_and_the_rest_of_each_row_kept():
    estimates = [Estimate("lessons/03-three.ipynb", [Section("s", reading=12, items=33)]),
                 Estimate("lessons/04a-four.ipynb", [Section("s", reading=20, items=50)])]
    new = timing.update_map(MAP, estimates)
    assert "| 04a | Four | coordination | 70 + homework | ready |" in new
    assert timing.map_minutes(new) == {"03": "45", "04a": "70 + homework"}
    assert new.replace("45", "50").replace("70 + homework", "75 + homework") == MAP
    assert timing.update_map(new, estimates) == new


@pytest.mark.parametrize("name", timing.MAPS)
def test_the_lesson_maps_state_the_models_minutes(name, estimates):
    stated = timing.map_minutes((ROOT / name).read_text(encoding="utf-8"))
    by_key = {lesson_key(n): e for n, e in estimates.items()}
    assert sorted(stated) == sorted(by_key), f"{name}: lesson map rows {sorted(stated)} for lessons {sorted(by_key)}"
    wrong = {k: v for k, v in stated.items() if not v.startswith(str(by_key[k].total))}
    assert not wrong, f"{name}: minutes {wrong} are not the model's: run course-lib timing --write"
