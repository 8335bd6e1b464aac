"""Issue #15: the files students and colleagues send are untrusted. Each test reproduces one attack on
the instructor commands (collect, class-report, answer-key) and pins the defence."""

import csv
import json
import os
import threading
from pathlib import Path

import pytest

from course_lib import load_case
from course_lib.instructors import output as _output
from course_lib.instructors import cli
from course_lib.work import progress
from course_lib.frontend import mywork
from course_lib.instructors.collect import SELF_REPORTED, collect
from course_lib.instructors.exports import read_work

CASE = load_case()
FORMULAS = ["=HYPERLINK(\"http://evil\",\"x\")", "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3+cmd|x",
            "\t=1+1", "\r=1+1", " =1+1", "\n@x"]


def export(folder: Path, attempts, name: str | None = None) -> Path:
    """A student's saved work: attempts is a list of (item, answer, verdict, hints)."""
    store = progress.Store(folder / "work")
    for item, answer, verdict, hints in attempts:
        store.record(item, answer, verdict, hints=hints)
    saved = mywork.save_my_work(folder / "work")
    path = folder / (name or saved.filename)
    path.write_bytes(saved.data)
    return path


def edited(path: Path, change) -> Path:
    """Edit an export as a student could, with a text editor: change(doc) mutates the JSON."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def cells(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def live(cell: str) -> bool:
    """Would a spreadsheet run this cell as a formula?"""
    return cell.lstrip(" \t\r\n")[:1] in ("=", "+", "-", "@") and not cell.startswith("'") \
        and not _output._PLAIN_NUMBER.fullmatch(cell)


# ---- 1. spreadsheet formulas ----------------------------------------------------------------------

def test_no_cell_of_the_gradebook_is_a_live_formula(tmp_path):
    attempts = [("l0-single", f, "incorrect", 0) for f in FORMULAS]
    attempts += [("l0-numeric", "=1+2", "incorrect", 0), ("l0-numeric", -3, "incorrect", 0)]
    path = export(tmp_path / "s", attempts)
    edited(path, lambda d: [r.update(verdict="=HYPERLINK(\"http://evil\")") for r in d["records"]])
    evil_name = path.rename(tmp_path / "=cmd|calc.json")
    collect([evil_name], tmp_path / "book.csv")
    for name in ("book.csv", "book-items.csv", "book-lessons.csv"):
        for row in cells(tmp_path / name):
            assert not any(live(c) for c in row), (name, row)
    rows = cells(tmp_path / "book.csv")
    assert rows[1][-1] == "'=cmd|calc.json"            # the file name, neutralised
    items = {r[0]: r for r in cells(tmp_path / "book-items.csv")}
    assert items["l0-single"][5].startswith("'")       # the most chosen wrong answer, neutralised


def test_the_shared_cell_rule():
    for f in FORMULAS:
        assert _output.cell(f) == "'" + f
    assert _output.cell("-3") == "-3" and _output.cell("+0.5") == "+0.5" and _output.cell("-1e-3") == "-1e-3"
    assert _output.cell(-3) == -3 and _output.cell(0.25) == 0.25          # numbers stay numbers
    assert _output.cell("a=b") == "a=b" and _output.cell("") == ""
    assert _output.cell("\tplain") == "'\tplain"   # a leading tab or CR is neutralised too (OWASP)


class _Str(str):
    pass


def test_csv_bytes_puts_every_cell_through_the_cell_rule():
    """csv_bytes skips the call for cells the rule keeps as they are: the file must be what writing
    `cell(c)` of every cell gives, for formulas, numbers, subclasses and everything else."""
    import io
    values = FORMULAS + ["", "a=b", "plain", "-3", "\tplain", " =1", "\uff1d1", _Str("=1"), _Str("ok"), 0, -3, 2.5,
                         float("inf"), True, False, None, 10 ** 30, ["=list"]]
    rows = [values[i:i + 5] for i in range(0, len(values), 5)]
    expected = io.StringIO(newline="")
    csv.writer(expected).writerows([[_output.cell(c) for c in row] for row in rows])
    assert _output.csv_bytes(rows) == expected.getvalue().encode("utf-8")


# ---- 2. verdicts on trust -------------------------------------------------------------------------

def test_a_forged_verdict_is_re_checked_and_flagged(tmp_path, capsys):
    honest = export(tmp_path / "h", [("l0-single", "a", "incorrect", 0), ("l0-single", "b", "correct", 0)])
    forged = edited(honest, lambda d: [r.update(verdict="correct") for r in d["records"]])
    out = tmp_path / "book.csv"
    assert cli.main(["collect", str(forged), "--out", str(out)]) == 0
    row, = [r for r in csv.DictReader(open(out, encoding="utf-8"))]
    assert row["first_try"] == "incorrect" and row["final"] == "correct"
    assert row["checked"] == "re-checked" and row["stored_verdicts_disagree"] == "1"
    err = capsys.readouterr().err
    assert f"warning: {forged.name}: 1 stored verdict disagree" in err


def test_code_items_are_marked_self_reported(tmp_path):
    path = export(tmp_path / "s", [("l0-code", "<function gaps>", "correct", 0)])
    collect([path], tmp_path / "book.csv")
    row, = csv.DictReader(open(tmp_path / "book.csv", encoding="utf-8"))
    assert row["checked"] == SELF_REPORTED and "self-reported" in row["checked"]
    assert row["first_try"] == "correct"


def test_repeated_records_count_once_and_a_student_once_per_wrong_answer(tmp_path):
    path = export(tmp_path / "s", [("l0-single", "a", "incorrect", 0)])
    edited(path, lambda d: d["records"].extend([dict(d["records"][0]) for _ in range(5)]))
    other = export(tmp_path / "o", [("l0-single", "c", "incorrect", 0), ("l0-single", "c", "incorrect", 0),
                                    ("l0-single", "c", "incorrect", 0)])
    third = export(tmp_path / "t", [("l0-single", "c", "incorrect", 0)])
    collect([path, other, third], tmp_path / "book.csv")
    rows = {r["file"]: r for r in csv.DictReader(open(tmp_path / "book.csv", encoding="utf-8"))}
    assert rows[path.name]["attempts"] == "1"
    items = {r["item"]: r for r in csv.DictReader(open(tmp_path / "book-items.csv", encoding="utf-8"))}
    # "c" was chosen by 2 students (4 times), "a" by 1 student (6 records): students are counted
    assert items["l0-single"]["most_chosen_wrong_answer"] == "c" and items["l0-single"]["chosen_by"] == "2"


def test_a_thousand_students_are_checked_once_per_distinct_answer(tmp_path, monkeypatch):
    from course_lib.instructors import collect as module
    calls = []
    real = module.check
    monkeypatch.setattr(module, "check", lambda item, answer: calls.append(item.id) or real(item, answer))
    path = export(tmp_path / "s", [("l0-single", "a", "incorrect", 0), ("l0-single", "b", "correct", 0)])
    doc = json.loads(path.read_text())
    folder = tmp_path / "class"
    folder.mkdir()
    for n in range(1000):
        doc["student"] = f"anon-{n:08x}"
        (folder / f"{n}.json").write_text(json.dumps(doc))
    works, _ = collect([folder], tmp_path / "book.csv")
    assert len(works) == 1000
    assert calls.count("l0-single") <= 4   # two answers re-checked, one wrong answer tagged


# ---- 3 is in test_casecache.py; 4. FIFOs and devices -------------------------------------------

@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_or_a_link_to_a_device_is_skipped_not_read(tmp_path):
    folder = tmp_path / "class"
    folder.mkdir()
    good = export(tmp_path / "s", [("l0-single", "b", "correct", 0)])
    good.replace(folder / good.name)
    os.mkfifo(folder / "fifo.json")
    (folder / "zero.json").symlink_to("/dev/zero")
    result = []
    worker = threading.Thread(target=lambda: result.append(read_work([folder])), daemon=True)
    worker.start()
    worker.join(10)
    assert result, "reading a FIFO hung"
    works, skipped = result[0]
    assert len(works) == 1
    assert {s.name: s.reason for s in skipped} == {"fifo.json": "not a regular file", "zero.json": "not a regular file"}


def test_a_large_file_is_read_no_further_than_the_limit(tmp_path, monkeypatch):
    from course_lib.instructors import exports
    monkeypatch.setattr(exports, "MAX_BYTES", 1000)
    big = tmp_path / "big.json"
    big.write_bytes(b"{" + b" " * 5000 + b"}")
    reads = []
    real = os.read
    monkeypatch.setattr(os, "read", lambda fd, n: reads.append(n) or real(fd, n))
    works, skipped = read_work([big])
    assert skipped[0].reason == "too large to be a saved-work file"
    assert sum(reads) <= 1001


# ---- 5. two files, one student ------------------------------------------------------------------

def test_two_files_claiming_one_student_are_both_listed_and_neither_used(tmp_path):
    genuine = export(tmp_path / "g", [("l0-single", "a", "incorrect", 0)])
    student = json.loads(genuine.read_text())["student"]
    impostor = export(tmp_path / "i", [("l0-single", "b", "correct", 0)], name="aaa-first.json")
    edited(impostor, lambda d: d.update(student=student))
    works, skipped = read_work([impostor, genuine])
    assert works == []
    reasons = {s.name: s.reason for s in skipped}
    assert set(reasons) == {impostor.name, genuine.name}
    assert all("none of them was used" in r for r in reasons.values())
    assert genuine.name in reasons[impostor.name] and impostor.name in reasons[genuine.name]


def test_a_file_named_for_another_student_is_used_with_a_warning(tmp_path, capsys):
    path = export(tmp_path / "s", [("l0-single", "b", "correct", 0)], name="my-work-anon-0badc0de.json")
    assert cli.main(["collect", str(path), "--out", str(tmp_path / "book.csv")]) == 0
    assert "the file name names anon-0badc0de but the file holds the work of anon-" in capsys.readouterr().err


# ---- 6. outputs ---------------------------------------------------------------------------------

def test_an_output_that_is_an_input_is_refused(tmp_path, capsys):
    path = export(tmp_path / "s", [("l0-single", "b", "correct", 0)])
    before = path.read_bytes()
    assert cli.main(["collect", str(path), "--out", str(path), "--force"]) == 1
    err = capsys.readouterr().err
    assert "is one of the input files" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert path.read_bytes() == before
    folder = tmp_path / "class"
    folder.mkdir()
    path.replace(folder / "a.json")
    assert cli.main(["class-report", str(folder), "--out", str(folder), "--force"]) in (0, 1)
    assert (folder / "a.json").read_bytes() == before


def test_no_usable_input_writes_nothing_and_keeps_the_old_gradebook(tmp_path, capsys):
    book = tmp_path / "book.csv"
    book.write_text("the gradebook of last week\n")
    bad = tmp_path / "bad.json"
    bad.write_text("[]")
    assert cli.main(["collect", str(bad), "--out", str(book), "--force"]) == 1
    assert book.read_text() == "the gradebook of last week\n"
    assert not (tmp_path / "book-items.csv").exists()
    assert "no gradebook was written" in capsys.readouterr().err


def test_an_existing_output_is_replaced_only_with_force(tmp_path, capsys):
    path = export(tmp_path / "s", [("l0-single", "b", "correct", 0)])
    book = tmp_path / "book.csv"
    book.write_text("keep me\n")
    assert cli.main(["collect", str(path), "--out", str(book)]) == 1
    assert "already exists; pass --force" in capsys.readouterr().err and book.read_text() == "keep me\n"
    assert cli.main(["collect", str(path), "--out", str(book), "--force"]) == 0
    assert book.read_text().startswith("student,")
    key = tmp_path / "key.md"
    key.write_text("my notes\n")
    assert cli.main(["answer-key", "--out", str(key)]) == 1 and key.read_text() == "my notes\n"
    assert cli.main(["answer-key", "--out", str(key), "--force"]) == 0 and key.read_text().startswith("# Answer key")


def test_a_folder_or_an_impossible_output_is_a_one_line_error(tmp_path, capsys):
    path = export(tmp_path / "s", [("l0-single", "b", "correct", 0)])
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    for argv in (["collect", str(path), "--out", str(tmp_path)],
                 ["collect", str(path), "--out", str(blocker / "book.csv")],
                 ["answer-key", "--out", str(tmp_path)],
                 ["answer-key", "--out", str(blocker / "key.md")],
                 ["class-report", str(path), "--out", str(blocker)]):
        assert cli.main(argv) == 1, argv
        err = capsys.readouterr().err
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, (argv, err)
    assert blocker.read_text() == "x"


def test_a_missing_output_folder_is_made(tmp_path):
    path = export(tmp_path / "s", [("l0-single", "b", "correct", 0)])
    assert cli.main(["collect", str(path), "--out", str(tmp_path / "new" / "book.csv")]) == 0
    assert cli.main(["answer-key", "--out", str(tmp_path / "new2" / "key.md")]) == 0


# ---- names on the terminal (Low) ----------------------------------------------------------------

def test_control_characters_in_file_names_are_escaped(tmp_path, capsys):
    bad = tmp_path / "evil\x1b[2J\x1b]0;pwned\x07.json"
    bad.write_text("[]")
    good = export(tmp_path / "s", [("l0-single", "b", "correct", 0)])
    assert cli.main(["collect", str(good), str(bad), "--out", str(tmp_path / "book.csv")]) == 0
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err and "evil\\x1b[2J" in err


def test_check_case_prints_no_control_characters_from_case_files(case_copy, capsys):
    from conftest import replace_in
    toml = (case_copy / "case.toml").read_text(encoding="utf-8")
    title = toml.split('title = "', 1)[1].split('"', 1)[0]
    replace_in(case_copy / "case.toml", f'title = "{title}"', 'title = "A\\u001b]0;pwned\\u0007\\u001b[2J title"')
    assert cli.main(["check-case", str(case_copy)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "pwned" in out
    replace_in(case_copy / "sources.csv", "id,", "i\x1b[2Jd,")
    assert cli.main(["check-case", str(case_copy)]) == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err and "unknown column" in err


def test_class_report_warns_too_when_a_file_name_names_another_student(tmp_path, capsys):
    path = export(tmp_path / "s", [("l5-code-d1", {"st01": "0"}, "incorrect", 0)], name="my-work-anon-0badc0de.json")
    assert cli.main(["class-report", str(path), "--out", str(tmp_path / "report")]) == 0
    assert "warning: my-work-anon-0badc0de.json: the file name names anon-0badc0de" in capsys.readouterr().out
