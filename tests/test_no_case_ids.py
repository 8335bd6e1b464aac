"""Lessons and library code hold no case ids (#19).

Everything particular to a case (an id of a source, claim, quotation, sentence, event or statement, an
actor, government or dimension id, a date) is case data: it lives in the case folder (its records, its
exercises, its `lessons.toml`) and reaches a lesson or the library through the case. This test collects
those names from every bundled case (course_lib/cases/*/) and fails if one is spelt in library code
(course_lib/**/*.py: code and string literals; comments and docstrings, which only document, are not
read) or in a lesson's code cells (both versions: lessons/ and instructors/notebooks/, comments included,
since a student reads them).

What stays allowed, as the lesson's own structure rather than case data:
- exercise item ids (`show("l1-sort")`): an item is the lesson's, and a case that lacks it shows a
  placeholder naming it;
- cells tagged `solution` and `### BEGIN SOLUTION` regions of the instructor notebooks: they are the
  bundled case's answers, the key in another form, stripped from the student lesson; `course-lib
  new-lessons` marks them for rewriting in another case's copy;
- Markdown cells: lesson narrative may speak of its case (`new-lessons` marks the cells to rewrite).
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from datetime import date
from pathlib import Path

import nbformat
import pytest

from course_lib.case.records import load_case

ROOT = Path(__file__).resolve().parent.parent
CASES = sorted(p for p in (ROOT / "course_lib" / "cases").iterdir() if (p / "case.toml").is_file()
               and p.name != "template")
LESSONS_NOT_YET_CLEAN: set[str] = set()
_BEGIN = re.compile(r"^[ \t]*### BEGIN SOLUTION[ \t]*$")
_END = re.compile(r"^[ \t]*### END SOLUTION[ \t]*$")


def case_names() -> dict[str, str]:
    """Every case-particular name of every bundled case -> what it is ("nk-2018 event"), dates as ISO text."""
    names: dict[str, str] = {}
    dates: set[date] = set()
    for folder in CASES:
        case = load_case(folder)
        tables = {"source": case.sources, "claim": case.claims, "claim of a party": case.party_claims,
                  "quotation": case.quotes, "event": case.events, "statement": case.statements,
                  "actor": case.actors, "government": case.governments, "dimension": case.dimensions,
                  "sentence": case.article.sentences, "trigger": getattr(case, "triggers", ())}
        for what, table in tables.items():
            for record in table:
                names.setdefault(record.id, f"{case.info.id} {what}")
                if isinstance(getattr(record, "date", None), date):
                    dates.add(record.date)
        dates |= {case.info.published, case.info.period_start, case.info.period_end}
    for d in dates - {None}:
        names.setdefault(d.isoformat(), "a date of a bundled case")
    return names


NAMES = case_names()
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-]*[A-Za-z0-9]|[A-Za-z0-9]")
_DATE_CALL = re.compile(r"\bdate\(\s*(\d{4})\s*,\s*(\d{1,2})\s*,\s*(\d{1,2})\s*\)")


def found_in(text: str) -> list[str]:
    """The case names spelt in `text` as whole words (case-sensitive), and dates written date(Y, M, D)."""
    hits = []
    for m in re.finditer(r"[A-Za-z0-9][A-Za-z0-9._\-]*", text):
        word = m.group(0)
        # a word may end a sentence ("see c4.") or join ids ("p2.s3-p2.s4"): try the word and its pieces
        for piece in {word, word.rstrip(".-_"), *re.split(r"[_]", word), *re.split(r"[-_](?=[a-z]\d)", word)}:
            if piece in NAMES:
                hits.append(piece)
    for m in _DATE_CALL.finditer(text):
        try:
            iso = date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
        except ValueError:
            continue
        if iso in NAMES:
            hits.append(m.group(0))
    return sorted(set(hits))


def _docstring_lines(source: str) -> set[int]:
    """The line numbers of every docstring of a module, class or function."""
    lines: set[int] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) \
                    and isinstance(first.value.value, str):
                lines |= set(range(first.lineno, first.end_lineno + 1))
    return lines


def library_code(source: str) -> str:
    """A module's code and string literals, without its comments and docstrings."""
    skip = _docstring_lines(source)
    kept = []
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.COMMENT:
            continue
        if tok.type == tokenize.STRING and tok.start[0] in skip:
            continue
        kept.append(tok.string)
    return " ".join(kept)


def lesson_code(path: Path) -> list[tuple[str, str]]:
    """(cell id, source) of every code cell a lesson runs, without the instructor's answers."""
    cells = []
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "code" or "solution" in cell.metadata.get("tags", []):
            continue
        kept, inside = [], False
        for line in cell.source.splitlines():
            if _BEGIN.match(line):
                inside = True
            elif _END.match(line):
                inside = False
            elif not inside:
                kept.append(line)
        cells.append((cell.get("id", "?"), "\n".join(kept)))
    return cells


def test_the_names_are_collected():
    """The scan has something to find: ids of every kind, actors, dimensions and dates of the bundled case."""
    for name in ("e17", "st38", "c4", "p2.s3", "PRES", "STATE", "PRK", "D1", "2018-08-24",
                 "trump-tweet-2018-08-24a"):
        assert name in NAMES, name
    assert found_in('x = ["c4", "p2.s3"]; when = date(2018, 8, 24); y = case.sources["trump-tweet-2018-08-24a"]') \
        == ["c4", "date(2018, 8, 24)", "p2.s3", "trump-tweet-2018-08-24a"]
    assert found_in('show("l3-ach-2017"); answer("l0-code", days); x = "c40x"') == []


def test_comments_and_docstrings_of_library_code_are_not_read():
    source = '"""Module: e.g. c4."""\n\ndef f():\n    """Row E1 rests on c4."""\n    return "PRES"  # c4\n'
    assert found_in(library_code(source)) == ["PRES"]


@pytest.mark.parametrize("path", sorted((ROOT / "course_lib").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_library_code_names_no_case_id(path):
    hits = found_in(library_code(path.read_text(encoding="utf-8")))
    named = ", ".join(f"{h} ({NAMES.get(h, 'a date')})" for h in hits)
    assert not hits, f"{path.relative_to(ROOT)} names {named}"


def _lessons():
    params = []
    for folder in ("lessons", "instructors/notebooks"):
        for path in sorted((ROOT / folder).glob("[0-9][0-9]*.ipynb")):
            number = path.name.split("-")[0]
            marks = [pytest.mark.xfail(strict=True, reason=f"lesson {number} is being cleaned in branch "
                                       "issue-19-lessons-b")] if number in LESSONS_NOT_YET_CLEAN else []
            params.append(pytest.param(path, marks=marks, id=f"{folder}/{path.name}"))
    return params


@pytest.mark.parametrize("path", _lessons())
def test_lesson_code_names_no_case_id(path):
    problems = [f"cell {cell_id}: {', '.join(hits)}" for cell_id, source in lesson_code(path)
                if (hits := found_in(source))]
    assert not problems, f"{path.name} names case data in code: " + "; ".join(problems)


def test_an_item_the_case_lacks_shows_a_placeholder_naming_it(tmp_path, capsys):
    """A lesson written for another case calls show/answer on an item this case lacks: one sentence, no traceback."""
    import shutil

    import course_lib
    from course_lib.checking import session
    from course_lib.frontend import widgets
    folder = tmp_path / "bare"
    shutil.copytree(ROOT / "course_lib" / "cases" / "nk-2018", folder)
    for path in [*folder.glob("exercises*.toml"), folder / "lessons.toml"]:
        path.unlink()
    toml = folder / "case.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('id = "nk-2018"', 'id = "bare-case"', 1), encoding="utf-8")
    kept = course_lib.current_case()
    course_lib.use_case(folder)
    try:
        note = str(session.answer("l0-pre1", "fact"))
        widgets.show("l3-ach-room")
        shown = capsys.readouterr().out
    finally:
        course_lib.use_case(kept.path)
    assert note.startswith("[Placeholder] The exercise 'l0-pre1' belongs to the case nk-2018, not to the current "
                           "case bare-case: add it to this case's exercises")
    assert "'l3-ach-room'" in shown and "[Placeholder]" in shown


def test_what_the_library_read_as_constants_is_the_case_data(tmp_path):
    """The ACH rows come from the case's lessons.toml; a case without them says so (a placeholder table),
    never a traceback (the timeline's lanes and the sensitivity lab: tests/test_lesson_defaults.py)."""
    import shutil

    from course_lib.analysis import ach
    nk = load_case(ROOT / "course_lib" / "cases" / "nk-2018")
    assert [r.id for r in ach.rows(nk)] == [r["id"] for r in nk.lesson_data("03")["ach_rows"]]
    folder = tmp_path / "bare"
    shutil.copytree(ROOT / "course_lib" / "cases" / "nk-2018", folder)
    (folder / "lessons.toml").unlink()
    bare = load_case(folder)
    assert ach.row_items(bare) == {} and ach.hypotheses(bare) == {} and ach.reference_matrix(bare) == {}
    table = str(ach.evidence_table(bare))
    assert "[Placeholder] This case (nk-2018) has no `ach_rows` for lesson 03" in table
