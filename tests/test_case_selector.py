"""One case selector every part obeys (#19): --case on every command, use_case() in a lesson, and saved
work stamped with its case, refused by collect and class-report when it is another case's or version's."""

import csv
import json
import shutil
from pathlib import Path

import pytest

from course_lib.case import records
from course_lib.case.records import BUNDLED_CASE, load_case, use_case
from course_lib.case.stamp import digest, stamp
from course_lib.checking import session
from course_lib.frontend import mywork, widgets
from course_lib.instructors import cli
from course_lib.work import fileformat, progress

from conftest import edit_csv, replace_in

ROOT = Path(__file__).resolve().parent.parent
LESSON = sorted((ROOT / "lessons").glob("00-*.ipynb"))[0]


@pytest.fixture(autouse=True)
def fresh(tmp_path, monkeypatch):
    """Every test starts on the bundled case with its own work folder; use_case() is undone after it."""
    monkeypatch.setattr(records, "_current", None)
    monkeypatch.delenv(records.CASE_ENV, raising=False)
    monkeypatch.setenv(progress.WORK_DIR_ENV, str(tmp_path / "my-work"))
    monkeypatch.setattr(session, "_sessions", {})


@pytest.fixture
def other(tmp_path) -> Path:
    """A second case: the bundled one under another id, its first item renamed oc-single."""
    folder = tmp_path / "cases" / "other"
    shutil.copytree(BUNDLED_CASE, folder)
    replace_in(folder / "case.toml", 'id = "nk-2018"', 'id = "other-case"')
    replace_in(folder / "exercises-00-start-here.toml", 'id = "l0-single"', 'id = "oc-single"')
    return folder


@pytest.fixture
def rekeyed(tmp_path) -> Path:
    """Another version of the bundled case: the same id, l0-single's key moved from b to c."""
    folder = tmp_path / "cases" / "nk-2018"
    shutil.copytree(BUNDLED_CASE, folder)
    path = folder / "exercises-00-start-here.toml"
    replace_in(path, 'text = "Thursday 23 August 2018"\ncorrect = true\n', 'text = "Thursday 23 August 2018"\n')
    replace_in(path, 'text = "Monday 27 August 2018"\n', 'text = "Monday 27 August 2018"\ncorrect = true\n')
    return folder


def one_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one line, got: {text!r}"
    assert "Traceback" not in text
    return lines[0]


# ---- the digest: what it covers ----------------------------------------------------------------------

def test_the_digest_follows_the_keys_not_the_wording(tmp_path, rekeyed):
    bundled = digest(load_case(BUNDLED_CASE))
    assert digest(load_case(rekeyed)) != bundled, "a moved key must make another version"
    typo = tmp_path / "typo"
    shutil.copytree(BUNDLED_CASE, typo)
    replace_in(typo / "exercises-00-start-here.toml", "read its date.", "read its date carefully.")   # a hint
    first_card = load_case(BUNDLED_CASE).sources[0].id
    edit_csv(typo / "sources.csv", first_card, "note", "A source card's note, its typo fixed.")
    assert load_case(typo).sources[first_card].note == "A source card's note, its typo fixed."
    assert digest(load_case(typo)) == bundled, "a wording fix must not orphan a class's work"
    assert stamp(load_case(typo)) == {"id": "nk-2018", "digest": bundled}


# ---- use_case() in one process -------------------------------------------------------------------

def test_use_case_switches_the_items_served_and_names_the_other_case(other, tmp_path, capsys):
    use_case(other)
    fb = session.answer("oc-single", "b")
    assert fb.verdict == "correct"
    assert "Hint 1 of 3" in str(session.hint("oc-single"))
    # an item of the bundled case asked while the other is current: one line naming both cases
    note = str(session.answer("l0-single", "b"))
    line = one_line(note)
    assert "l0-single" in line and "nk-2018" in line and "other-case" in line and "use_case('nk-2018')" in line
    assert "Feedback" not in note and "correct" not in line.replace("current", "")
    for call in (session.hint, session.show_answer):
        assert "belongs to the case nk-2018" in one_line(str(call("l0-single")))
    capsys.readouterr()
    widgets.show("l0-single")   # displays the note
    assert "belongs to the case nk-2018" in one_line(capsys.readouterr().out)

    use_case("nk-2018")
    assert session.answer("l0-single", "b").verdict == "correct"
    back = one_line(str(session.answer("oc-single", "b")))
    assert "belongs to the case" in back and str(other) in back
    assert "Hint 1 of 3" in str(session.hint("l0-single")), "hints are counted per case"

    # each case's work in its own store, stamped with its case, under one student id
    main = json.loads((tmp_path / "my-work" / "progress.json").read_text())
    theirs = json.loads((tmp_path / "my-work" / "other-case" / "progress.json").read_text())
    assert main["case"] == stamp(load_case(BUNDLED_CASE)) and [r["item"] for r in main["records"]] == ["l0-single"]
    assert theirs["case"]["id"] == "other-case" and [r["item"] for r in theirs["records"]] == ["oc-single"]
    assert main["student"] == theirs["student"]


def test_the_environment_variable_selects_the_case(other, monkeypatch):
    monkeypatch.setenv(records.CASE_ENV, str(other))
    assert session.answer("oc-single", "b").verdict == "correct"
    assert "belongs to the case nk-2018" in str(session.answer("l0-single", "b"))


def test_save_my_work_stamps_the_file_with_the_current_case(other, tmp_path):
    session.answer("l0-single", "a")
    saved = mywork.save_my_work()
    doc = json.loads(saved.data)
    assert doc["case"] == stamp(load_case(BUNDLED_CASE)) and saved.filename == f"my-work-{doc['student']}.json"
    use_case(other)
    session.answer("oc-single", "b")
    other_saved = mywork.save_my_work()
    other_doc = json.loads(other_saved.data)
    assert other_doc["case"]["id"] == "other-case"
    assert other_saved.filename == f"my-work-{doc['student']}-other-case.json" != saved.filename
    assert [r["item"] for r in other_doc["records"]] == ["oc-single"]
    # restoring the bundled case's file while the other case is current is refused in one sentence
    sentence = str(mywork.restore_my_work(saved.path))
    assert sentence.startswith("Nothing was restored") and "'nk-2018'" in sentence and "use_case" in sentence
    assert [a.item for a in progress.store().attempts()] == ["oc-single"]


def test_a_memo_export_goes_to_its_cases_folder(other, tmp_path):
    from course_lib.frontend import memo as memos
    use_case(other)
    m = memos.open_memo(load_case(other))
    memos.export(m, load_case(other))
    assert (tmp_path / "my-work" / "other-case" / "my-memo.md").exists()
    assert not (tmp_path / "my-work" / "my-memo.md").exists()


# ---- --case on every command ---------------------------------------------------------------------

def run(capsys, *argv):
    status = cli.main(list(argv))
    out = capsys.readouterr()
    return status, out.out, out.err


COMMANDS = {
    "check-case": lambda tmp: [],
    "answer-key": lambda tmp: [],
    "balance": lambda tmp: [],
    "new-case": lambda tmp: [str(tmp / "new")],
    "collect": lambda tmp: [str(tmp / "none.json"), "--out", str(tmp / "book.csv")],
    "class-report": lambda tmp: [str(tmp / "none.json"), "--out", str(tmp / "report")],
    "timing": lambda tmp: [str(LESSON)],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_an_unknown_case_is_one_line_and_status_2(command, tmp_path, capsys):
    status, out, err = run(capsys, command, *COMMANDS[command](tmp_path), "--case", "no-such-case")
    assert status == 2, err
    line = one_line(err)
    assert line.startswith(f"course-lib {command}: unknown case 'no-such-case'") and "nk-2018" in line
    assert not (tmp_path / "new").exists() and not (tmp_path / "book.csv").exists()


@pytest.mark.parametrize("command", ["answer-key", "collect", "timing"])
def test_an_unknown_case_in_the_environment_is_one_line_and_status_2(command, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv(records.CASE_ENV, "nowhere/\x1b[2Jcase")
    status, _, err = run(capsys, command, *COMMANDS[command](tmp_path))
    assert status == 2 and "$COURSE_LIB_CASE" in one_line(err) and "\x1b" not in err


def test_an_invalid_case_is_one_line_pointing_to_check_case(case_copy, tmp_path, capsys):
    (case_copy / "statements.csv").unlink()
    status, _, err = run(capsys, "answer-key", "--case", str(case_copy))
    assert status == 1 and "run: course-lib check-case" in one_line(err)


def test_check_case_takes_an_id_a_path_or_case(other, capsys):
    assert run(capsys, "check-case", "--case", "nk-2018")[1].startswith("Case nk-2018:")
    assert run(capsys, "check-case", "--case", str(other))[1].startswith("Case other-case:")
    assert run(capsys, "check-case", "nk-2018")[0] == 0


def test_answer_key_and_balance_take_the_case(other, tmp_path, capsys):
    status, key, _ = run(capsys, "answer-key", "--case", str(other))
    assert status == 0 and "oc-single" in key and "l0-single" not in key
    status, key, _ = run(capsys, "answer-key", "--case", "nk-2018")
    assert status == 0 and "l0-single" in key and "oc-single" not in key
    assert run(capsys, "balance", "--case", str(other))[0] == 0
    assert run(capsys, "balance", "--case", "nk-2018", "--out", str(tmp_path / "b.md"))[0] == 0


def test_new_case_takes_the_codebook_of_the_case(other, tmp_path, capsys):
    (other / "cameo-goldstein.csv").write_text(
        (other / "cameo-goldstein.csv").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert run(capsys, "new-case", str(tmp_path / "a"), "--case", str(other))[0] == 0
    assert (tmp_path / "a" / "cameo-goldstein.csv").read_bytes() == (other / "cameo-goldstein.csv").read_bytes()
    assert run(capsys, "new-case", str(tmp_path / "b"), "--case", "nk-2018")[0] == 0
    assert (tmp_path / "b" / "cameo-goldstein.csv").read_bytes() == (BUNDLED_CASE / "cameo-goldstein.csv").read_bytes()


def test_timing_takes_the_case(other, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    status, out, _ = run(capsys, "timing", str(LESSON), "--case", "nk-2018")
    assert status == 0 and "names no exercise of the case" not in out
    status, out, _ = run(capsys, "timing", str(LESSON), "--case", str(other))   # l0-single is oc-single there
    assert status == 0 and "show('l0-single') names no exercise of the case" in out


# ---- collect and class-report: stamps and refusals -----------------------------------------------

def saved_work(folder: Path, case, items) -> Path:
    """A student's export made while `case` was current: items is a list of (item, answer)."""
    use_case(case)
    for item, answer in items:
        progress.store(folder).record(item, answer, "correct")
    saved = mywork.save_my_work(folder)
    path = folder.parent / f"{folder.name}.json"
    path.write_bytes(saved.data)
    records._current = None
    return path


def with_stamp(path: Path, value) -> Path:
    doc = json.loads(path.read_text())
    if value is None:
        doc.pop("case")
    else:
        doc["case"] = value
    path.write_bytes(fileformat.encode(doc))
    return path


def test_collect_refuses_another_case_and_another_version_with_one_line_each(other, rekeyed, tmp_path, capsys):
    mine = saved_work(tmp_path / "mine", BUNDLED_CASE, [("l0-single", "b")])
    theirs = saved_work(tmp_path / "theirs", other, [("oc-single", "b")])
    old = saved_work(tmp_path / "old", rekeyed, [("l0-single", "c")])
    status, out, err = run(capsys, "collect", str(mine), str(theirs), str(old), "--out", str(tmp_path / "b.csv"),
                           "--case", "nk-2018")
    assert status == 0 and out.startswith("1 student(s)")
    skipped = [line for line in err.splitlines() if line.startswith("skipped")]
    assert len(skipped) == 2
    assert any(line.startswith("skipped theirs.json: work on the case other-case, not on the case nk-2018")
               for line in skipped)
    assert any(line.startswith("skipped old.json: work on another version of the case nk-2018") for line in skipped)
    with open(tmp_path / "b.csv", encoding="utf-8", newline="") as f:
        assert [r["file"] for r in csv.DictReader(f)] == ["mine.json"]
    # the same three files for the other case: only its own is used
    status, out, err = run(capsys, "collect", str(mine), str(theirs), str(old), "--out", str(tmp_path / "o.csv"),
                           "--case", str(other))
    assert status == 0 and out.startswith("1 student(s)")
    assert sum(line.startswith("skipped") for line in err.splitlines()) == 2
    with open(tmp_path / "o.csv", encoding="utf-8", newline="") as f:
        assert [(r["item"], r["file"]) for r in csv.DictReader(f)] == [("oc-single", "theirs.json")]


def test_an_unstamped_export_is_read_for_the_bundled_case_only(other, tmp_path, capsys):
    old = with_stamp(saved_work(tmp_path / "old", BUNDLED_CASE, [("l0-single", "b")]), None)
    status, _, err = run(capsys, "collect", str(old), "--out", str(tmp_path / "b.csv"))
    assert status == 0 and "warning: old.json: saved before work files named their case" in err
    status, _, err = run(capsys, "collect", str(old), "--out", str(tmp_path / "o.csv"), "--case", str(other))
    assert status == 1 and "skipped old.json: work saved before files named their case" in err


def test_class_report_refuses_another_case(other, tmp_path, capsys):
    coding = {"l5-code-d1": {}}
    case = load_case(BUNDLED_CASE)
    item = case.exercises["l5-code-d1"]
    coding = {e.id: e.key for e in item.entries}
    mine = saved_work(tmp_path / "mine", BUNDLED_CASE, [("l5-code-d1", coding)])
    theirs = saved_work(tmp_path / "theirs", other, [("l5-code-d1", coding)])
    status, out, err = run(capsys, "class-report", str(mine), str(theirs), "--out", str(tmp_path / "r"),
                           "--case", "nk-2018")
    assert status == 0
    assert "skipped theirs.json: work on the case other-case, not on the case nk-2018" in out
    assert "Read 1 export, skipped 1" in out
    status, out, err = run(capsys, "class-report", str(mine), str(theirs), "--out", str(tmp_path / "s"),
                           "--case", str(other))
    assert status == 0 and "skipped mine.json: work on the case nk-2018, not on the case other-case" in out


HOSTILE = {
    "escape": {"id": "\x1b[2J\x1b[31mnk-2018\u202e", "digest": "k1-0"},
    "formula": {"id": "=HYPERLINK(\"http://x\",\"nk\")", "digest": "+cmd|' /C calc'!A0"},
    "huge": {"id": "x" * 100_000, "digest": "k1-0"},
    "not a dict": "nk-2018",
    "extra key": {"id": "nk-2018", "digest": "k1-0", "run": "__import__('os').system('x')"},
    "number": {"id": 1, "digest": 2},
    "nested": {"id": ["nk-2018"], "digest": {"a": 1}},
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_stamp_is_data_shown_safely_on_one_line(name, tmp_path, capsys):
    bad = with_stamp(saved_work(tmp_path / "bad", BUNDLED_CASE, [("l0-single", "b")]), HOSTILE[name])
    good = saved_work(tmp_path / "good", BUNDLED_CASE, [("l0-single", "b")])
    status, out, err = run(capsys, "collect", str(bad), str(good), "--out", str(tmp_path / "b.csv"))
    assert status == 0 and out.startswith("1 student(s)"), err
    lines = [line for line in err.splitlines() if "bad.json" in line]
    assert len(lines) == 1 and lines[0].startswith("skipped bad.json: ")
    assert "\x1b" not in err and "\u202e" not in err and len(lines[0]) < 400
    status, out, err = run(capsys, "class-report", str(bad), str(good), "--out", str(tmp_path / "r"))
    with open(tmp_path / "r" / "class-report-skipped.csv", encoding="utf-8", newline="") as f:
        cells = [c for row in csv.reader(f) for c in row]
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)
    assert "\x1b" not in (tmp_path / "r" / "class-report.html").read_text(encoding="utf-8")


def test_parse_export_reads_a_stamp_as_two_short_strings():
    doc = {"format": fileformat.FORMAT, "version": fileformat.VERSION, "student": "anon-0123abcd", "records": []}
    assert fileformat.parse_export(doc).case is None
    assert fileformat.parse_export({**doc, "case": {"id": "a", "digest": "b"}}).case == {"id": "a", "digest": "b"}
    for value in HOSTILE.values():
        if not (isinstance(value, dict) and set(value) == {"id", "digest"} and all(
                type(v) is str and len(v) <= fileformat.MAX_STAMP for v in value.values())):
            assert "case stamp is damaged" in fileformat.parse_export({**doc, "case": value}).problem


def test_the_library_never_loads_a_case_without_naming_it():
    """Everything reads the case through current_case() or a case it was given: no load_case() call
    without an argument in the library (it would read the bundled case whatever was selected)."""
    import ast
    found = []
    for path in sorted((ROOT / "course_lib").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "load_case"
                    and not node.args and not node.keywords):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []


def test_build_runs_the_lessons_on_the_case_given(other, tmp_path, capsys):
    import os

    import nbformat
    from course_lib.instructors import build
    src = tmp_path / "src"
    src.mkdir()
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "from course_lib import current_case\nprint(current_case().info.id)")])
    nbformat.write(nb, src / "01-which.ipynb")
    assert build.main(["--src", str(src), "--out", str(tmp_path / "out"), "--case", str(other)]) == 0
    built = nbformat.read(tmp_path / "out" / "01-which.ipynb", as_version=4)
    assert built.cells[0].outputs[0]["text"].strip() == "other-case"
    assert records.CASE_ENV not in os.environ
    assert build.main(["--src", str(src), "--out", str(tmp_path / "out"), "--case", "no-such-case"]) == 2
    assert "unknown case 'no-such-case'" in one_line(capsys.readouterr().err)


def test_a_memo_opened_without_a_case_cites_the_current_one(other):
    from course_lib.frontend import memo as memos
    use_case(other)
    m = memos.open_memo()
    assert m.case.info.id == "other-case"
    first_card = m.case.sources[0].id
    assert "not a card" not in memos.describe(m.case, first_card)


def test_restore_takes_old_files_for_the_bundled_case_only_and_other_versions_with_a_note(other, rekeyed, tmp_path):
    old = with_stamp(saved_work(tmp_path / "old", BUNDLED_CASE, [("l0-single", "b")]), None)
    earlier = saved_work(tmp_path / "earlier", rekeyed, [("l0-single", "c")])
    use_case(other)
    refused = str(mywork.restore_my_work(old))
    assert refused.startswith("Nothing was restored from old.json: it does not say which case")
    assert progress.store().attempts() == []
    use_case("nk-2018")
    assert str(mywork.restore_my_work(old)).startswith("Restored 1 record from old.json")
    note = str(mywork.restore_my_work(earlier))
    assert note.startswith("Restored 1 record") and "another version of this case's exercises" in note
    assert sorted(a.answer for a in progress.store().attempts("l0-single")) == ["b", "c"]
