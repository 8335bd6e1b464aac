"""The instructor's run sheets (course_lib.instructors.runsheet): minutes from the timing model, teaching moves from
instructors/run-sheets.toml keyed by section title, and the guide kept to both.

When the course tests fail: a section without an entry or an entry without a section means a lesson's
`##` headings changed (add or rename the entry in instructors/run-sheets.toml); a guide that is not
current means `course-lib timing --write` has not been run since the lessons were rebuilt.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from course_lib import load_case
from course_lib.instructors import runsheet
from course_lib.instructors.timing import Estimate, Section, estimate_file, lesson_key

ROOT = Path(__file__).resolve().parent.parent
LESSONS = ROOT / "lessons"
SOURCES = ROOT / "instructors" / "notebooks"
GUIDE = ROOT / "instructors" / "guide.md"
DATA = ROOT / "instructors" / "run-sheets.toml"
CASE = load_case()

TOML = '''
[[section]]
title = "(opening)"
mode = "instructor-led"
do = "Run the first cell."
checkpoint = "Headers everywhere."

[[section]]
title = "Code it"
mode = "pairs"
do = """\\
  Write the \\
  function."""
checkpoint = "Ask who passes."
discuss = ["Who decided?"]
errors = [{ error = "Off by one.", fix = "Count the gaps." }]
cut = "Set the second item as homework."
cut_items = ["x2"]

[[section]]
title = "Measure it"
mode = "self-paced"
do = "Measure."
checkpoint = "Look at the table."
discuss = ["What is a base rate?"]
cut = "Skip it."
'''


def entries(tmp_path, text=TOML):
    path = tmp_path / "run-sheets.toml"
    path.write_text(text, encoding="utf-8")
    found, issues = runsheet.load(path)
    assert issues == []
    return found


def lesson(name, *sections):
    return Estimate(name, list(sections))


ITEMS = {"x1": SimpleNamespace(kind="single", entries=(), confidence=False, min_words=0),
         "x2": SimpleNamespace(kind="code", entries=(), confidence=False, min_words=0)}


def two_sections():
    return lesson("lessons/04-lab.ipynb",
                  Section("(opening) Lab", reading=1.4),
                  Section("Code it", reading=2.0, items=1.0, code=20.0,
                          notes=["x1 (single)", "x2 (code)", "code: 3 line(s) in 1 blank(s)"]),
                  Section("Measure it", reading=7.3))


def test_rows_start_at_the_models_cumulative_minutes(tmp_path):
    block = runsheet.render(two_sections(), entries(tmp_path), ITEMS)
    rows = [line for line in block.splitlines() if re.match(r"^\| \d", line)]
    assert [int(r.split("|")[1]) for r in rows] == [0, 1, 24, 32]  # 0, 1.4, 24.4, 31.7 rounded
    assert "| 1 | Code it | pairs | Write the function. Items: `x1`, `x2`. | Ask who passes. |" in block
    assert rows[-1].startswith("| 32 | End |")
    assert "1. *Code it, minute 1.* Who decided?" in block and "2. *Measure it, minute 24.*" in block
    assert "- *Code it.* Off by one. **Fix:** Count the gaps." in block


def test_a_cut_saves_the_models_minutes_of_what_it_cuts(tmp_path):
    block = runsheet.render(two_sections(), entries(tmp_path), ITEMS)
    # x2: a code item (5) and its three lines in one blank (3 x 3 + 2); "Measure it": its 7.3 minutes
    assert "- Cut `x2` of *Code it* (saves 16 min): Set the second item as homework." in block
    assert "- Cut *Measure it* (saves 7 min): Skip it." in block
    assert "All of these cuts together save 23 min: the lesson then runs about 9 minutes." in block


def test_an_entry_follows_its_section_into_another_notebook(tmp_path):
    found = entries(tmp_path)
    whole = two_sections()
    first = lesson("lessons/04a-code.ipynb", Section("(opening) Code", reading=1), whole.sections[1])
    second = lesson("lessons/04b-measure.ipynb", Section("(opening) Measure", reading=1), whole.sections[2])
    assert "Write the function." in runsheet.render(first, found, ITEMS)
    assert "| 1 | Measure it | self-paced | Measure. | Look at the table. |" in runsheet.render(second, found, ITEMS)
    # each half is short of a part now, and the check says which
    said = runsheet.problems([first, second], found, items=ITEMS)
    assert "lesson 04a: 1 discussion move(s) in its sections' entries; a run sheet needs 2" in said
    assert "lesson 04b: no common error with its fix in its sections' entries" in said


def test_a_section_without_an_entry_and_an_entry_without_a_section_are_reported(tmp_path):
    found = entries(tmp_path)
    renamed = two_sections()
    renamed.sections[2].title = "Measure it again"
    said = runsheet.problems([renamed], found, items=ITEMS)
    assert "lesson 04: section 'Measure it again' has no entry in run-sheets.toml" in said
    assert "run-sheets.toml: 'Measure it' is the title of no section of any lesson" in said
    block = runsheet.render(renamed, found, ITEMS)
    assert "| 24 | Measure it again | ? | no entry in instructors/run-sheets.toml | ? |" in block
    assert runsheet.problems([two_sections()], found, items=ITEMS) == []


def test_an_arriving_entry_waits_and_its_mark_is_reported_once_it_has_arrived(tmp_path):
    text = TOML + '\n[[section]]\ntitle = "Primer"\narriving = "issue-16c"\nmode = "self-paced"\n' \
                  'do = "Learn loops."\ncheckpoint = "Ask."\n'
    found = entries(tmp_path, text)
    assert runsheet.problems([two_sections()], found, items=ITEMS) == []
    arrived = two_sections()
    arrived.sections.append(Section("Primer", reading=3))
    assert runsheet.problems([arrived], found, items=ITEMS) == [
        "run-sheets.toml: 'Primer' is marked arriving (issue-16c), but a lesson has it now: delete its `arriving` line"]


def test_a_cut_item_the_section_does_not_show_is_reported(tmp_path):
    found = entries(tmp_path, TOML.replace('cut_items = ["x2"]', 'cut_items = ["x9"]'))
    assert runsheet.problems([two_sections()], found, items=ITEMS) == [
        "lesson 04, 'Code it': cut_items names 'x9', which this section does not show"]


@pytest.mark.parametrize("bad, said", [
    ('mode = "pairs"', "mode 'lecture' is not one of instructor-led, self-paced, pairs"),
    ('checkpoint = "Ask who passes."', "no checkpoint"),
    ('errors = [{ error = "Off by one.", fix = "Count the gaps." }]', "an error needs both `error` and `fix`"),
])
def test_a_malformed_entry_is_reported(tmp_path, bad, said):
    broken = {'mode = "pairs"': 'mode = "lecture"', 'checkpoint = "Ask who passes."': 'checkpoint = ""',
              'errors = [{ error = "Off by one.", fix = "Count the gaps." }]': 'errors = [{ error = "Off." }]'}[bad]
    path = tmp_path / "r.toml"
    path.write_text(TOML.replace(bad, broken), encoding="utf-8")
    _, issues = runsheet.load(path)
    assert any(said in issue for issue in issues), issues


GUIDE_TEXT = """# Guide

## Lesson 04a: Coding events

**Timing:** teaching 5 min · exercises 25 min · 30 min in all.
Notebook: [04a](notebooks/04a.ipynb)

**Suggested sequence.** Code, then measure.

**What the answers rest on.** The codebook.

## Lesson 05: Five

**Timing:** teaching 5 min · exercises 5 min · 10 min in all.

## The memo rubric

Five criteria.
"""


def test_the_guide_gets_a_run_sheet_after_the_suggested_sequence_and_keeps_its_prose(tmp_path):
    found = entries(tmp_path)
    estimates = [lesson("lessons/04a-coding-events.ipynb", *two_sections().sections),
                 lesson("lessons/05-five.ipynb", Section("(opening) Five", reading=4),
                        Section("Measure it", reading=6))]
    new = runsheet.update_guide(GUIDE_TEXT, estimates, found, ITEMS)
    assert new.replace(runsheet.guide_blocks(new)["04a"], "").replace(runsheet.guide_blocks(new)["05"], "") \
        .replace("\n\n\n\n", "\n\n") == GUIDE_TEXT
    part = new.split("## Lesson 04a")[1].split("## Lesson 05")[0]
    assert part.index("**Suggested sequence.**") < part.index(runsheet.START) < part.index("**What the answers")
    five = new.split("## Lesson 05")[1].split("## The memo rubric")[0]
    assert runsheet.START in five and "| 4 | Measure it |" in five  # a section with no sequence: after its first
    assert "Five criteria." in new.split(runsheet.END)[-1]
    assert runsheet.update_guide(new, estimates, found, ITEMS) == new  # regenerating changes nothing
    moved = [lesson("lessons/04a-coding-events.ipynb", Section("(opening) Coding events", reading=9),
                    *two_sections().sections[1:])]
    again = runsheet.update_guide(new, moved, found, ITEMS)
    assert again.count(runsheet.START) == 2 and "| 9 | Code it |" in again  # replaced in place, not added


def test_minutes_typed_into_a_suggested_sequence_are_taken_out_and_the_order_kept(tmp_path):
    typed = GUIDE_TEXT.replace("**Suggested sequence.** Code, then measure.",
                               "**Suggested sequence.** Code (20) · pairs (25; or alone) · then\n(10) measure "
                               "(pedagogy §5.2).")
    assert runsheet.sequence_minutes(typed.split("## Lesson 05")[0]) == ["(20)", "25;", "(10)"]
    estimates = [lesson("lessons/04a-coding-events.ipynb", *two_sections().sections)]
    new = runsheet.update_guide(typed, estimates, entries(tmp_path), ITEMS)
    assert "**Suggested sequence.** Code · pairs (or alone) · then measure (pedagogy §5.2).\n" in new
    assert runsheet.sequence_minutes(new) == []


def test_the_cli_writes_run_sheets_into_the_guide(tmp_path):
    import nbformat
    from nbformat import v4

    from course_lib.instructors import timing
    (tmp_path / "lessons").mkdir()
    nb = v4.new_notebook(cells=[v4.new_markdown_cell("# Lab\n\n## Code it\n\nWrite.\n\n## Measure it\n\nMeasure.")])
    nbformat.write(nb, tmp_path / "lessons" / "04a-coding-events.ipynb")
    guide = tmp_path / "guide.md"
    guide.write_text(GUIDE_TEXT, encoding="utf-8")
    data = tmp_path / "run-sheets.toml"
    data.write_text(TOML, encoding="utf-8")
    assert timing.main(write=True, lessons=tmp_path / "lessons", instructors=tmp_path / "none", guide=guide,
                       run_sheets=data) == 0
    written = guide.read_text(encoding="utf-8")
    assert "| 0 | Opening | instructor-led | Run the first cell. | Headers everywhere. |" in written
    assert runsheet.START not in written.split("## Lesson 05")[1]  # lesson 05 has no notebook here


# ---- the course's run sheets ----------------------------------------------------------------------

LESSON_FILES = sorted(LESSONS.glob("*.ipynb"))


@pytest.fixture(scope="module")
def estimates() -> list[Estimate]:
    return [estimate_file(p, CASE, SOURCES) for p in LESSON_FILES]


@pytest.fixture(scope="module")
def data():
    found, issues = runsheet.load(DATA)
    assert issues == [], "instructors/run-sheets.toml: " + "; ".join(issues)
    return found


def test_the_run_sheet_file_keeps_its_lines_short():
    long = [n for n, line in enumerate(DATA.read_text(encoding="utf-8").splitlines(), 1) if len(line) > 120]
    assert long == [], f"instructors/run-sheets.toml: lines over 120 characters: {long}"


def test_every_section_has_an_entry_and_every_entry_a_section(estimates, data):
    said = runsheet.problems(estimates, data, GUIDE.read_text(encoding="utf-8"), CASE.exercises)
    assert said == [], "\n".join(said)


@pytest.mark.parametrize("lesson", [p.name for p in LESSON_FILES])
def test_every_lesson_has_a_run_sheet_with_every_part(lesson, estimates, data):
    key = lesson_key(lesson)
    block = runsheet.guide_blocks(GUIDE.read_text(encoding="utf-8")).get(key)
    assert block, f"guide.md: no run sheet in the section of lesson {key}: run course-lib timing --write"
    for part in ("| Min | Section | Mode | What students do | Checkpoint |", "**Discussion moves.**",
                 "**Common errors and fixes.**", "**When short of time.**", "- Cut "):
        assert part in block, f"guide.md, lesson {key}: its run sheet has no {part!r}"
    assert "| ? |" not in block, f"guide.md, lesson {key}: a section of its run sheet has no entry"


def test_no_suggested_sequence_states_minutes_of_its_own():
    guide = GUIDE.read_text(encoding="utf-8")
    sections = re.split(r"^## ", guide, flags=re.M)
    typed = {s.split(":")[0]: runsheet.sequence_minutes(s) for s in sections if s.startswith("Lesson ")}
    assert typed and not any(typed.values()), (
        f"guide.md: minutes typed into Suggested sequence paragraphs: {typed}; the run sheet states them: "
        "run course-lib timing --write")


def test_the_guides_run_sheets_are_current(estimates, data):
    guide = GUIDE.read_text(encoding="utf-8")
    regenerated = runsheet.update_guide(guide, estimates, data, CASE.exercises)
    stale = [k for k, block in runsheet.guide_blocks(guide).items() if runsheet.guide_blocks(regenerated)[k] != block]
    assert not stale, (f"guide.md: the run sheets of lessons {stale} are not what the timing model and "
                       "instructors/run-sheets.toml give: run course-lib timing --write")


def test_the_strand_notes_state_no_minutes_of_their_own():
    """Minutes live in the guide, from the model; notes that restated them went stale (125 for 03 and 04)."""
    notes = (ROOT / "instructors" / "notes-strand2.md").read_text(encoding="utf-8")
    notes = re.sub(r"“[^”]*”|\"[^\"]{0,400}\"", "", notes)   # words quoted from a source ("10 minutes before") are not timings
    stated = re.findall(r"[^.\n]*\b\d+ min(?:utes?)?\b[^.\n]*", notes)
    assert not stated, f"notes-strand2.md states minutes the timing model does not keep: {stated}"
