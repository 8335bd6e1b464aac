"""The gradebook from students' exports, the answer key, and the instructor commands around them."""

import csv
import json
import random
from pathlib import Path

from course_lib import load_case
from course_lib.instructors import cli
from course_lib.work import progress
from course_lib.frontend import mywork
from course_lib.instructors.answerkey import answer_key
from course_lib.instructors.collect import collect, wrong_answers

CASE = load_case()
ROOT = Path(__file__).resolve().parent.parent


def export(folder: Path, attempts) -> Path:
    """A student's saved work: attempts is a list of (item, answer, verdict, hints)."""
    store = progress.Store(folder / "work")
    for item, answer, verdict, hints in attempts:
        store.record(item, answer, verdict, hints=hints)
    saved = mywork.save_my_work(folder / "work")
    path = folder / saved.filename
    path.write_bytes(saved.data)
    return path


def rows(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_a_small_class_checked_by_hand(tmp_path):
    a = export(tmp_path / "a", [("l0-single", "a", "incorrect", 0), ("l0-single", "b", "correct", 1),
                                ("l0-numeric", 1, "correct", 0)])
    b = export(tmp_path / "b", [("l0-single", "b", "correct", 0)])
    c = export(tmp_path / "c", [("l0-single", "c", "incorrect", 2), ("l0-single", "a", "incorrect", 3),
                                ("l0-classify", {"p2.s2": "opinion", "p4.s1": "opinion"}, "partly correct", 0)])
    works, skipped = collect([a, b, c], tmp_path / "out" / "gradebook.csv")
    assert len(works) == 3 and skipped == []
    book = rows(tmp_path / "out" / "gradebook.csv")
    first = {(r["student"], r["item"]): r for r in book}
    sa = json.loads(a.read_text())["student"]
    assert first[(sa, "l0-single")] | {} == {"student": sa, "lesson": "00", "item": "l0-single",
                                             "first_try": "incorrect", "attempts": "2", "hints": "1", "final": "correct",
                                             "checked": "re-checked", "stored_verdicts_disagree": "0", "file": a.name}
    items = {r["item"]: r for r in rows(tmp_path / "out" / "gradebook-items.csv")}
    single = items["l0-single"]
    assert single["students_tried"] == "3"
    assert single["share_right_first_try"] == "0.33"          # only b was right first time
    assert single["share_right_in_the_end"] == "0.67"         # a and b
    assert single["most_chosen_wrong_answer"] == "a" and single["chosen_by"] == "2"
    assert single["misconception"] == "event-date-confusion"
    classify = items["l0-classify"]
    assert classify["most_chosen_wrong_answer"] == "p2.s2→opinion"
    assert classify["misconception"] == "vague-equals-opinion"
    assert items["l0-match"]["students_tried"] == "0"
    lessons = rows(tmp_path / "out" / "gradebook-lessons.csv")
    sc = json.loads(c.read_text())["student"]
    assert {"student": sc, "lesson": "00", "items_tried": "2", "right_first_try": "0", "right_in_the_end": "0"} in lessons


def test_a_class_of_thirty_with_a_corrupt_and_a_duplicate_file(tmp_path):
    rng = random.Random(7)
    folder = tmp_path / "class"
    folder.mkdir()
    paths = []
    for n in range(30):
        answers = [("l0-single", rng.choice("abc"), "incorrect", 0), ("l0-single", "b", "correct", 1)]
        path = export(tmp_path / f"s{n}", answers)
        paths.append(path.replace(folder / path.name))
    (folder / "broken.json").write_text("{not json", encoding="utf-8")
    (folder / "copy-of-first.json").write_bytes(paths[0].read_bytes())
    (folder / "holiday.png").write_bytes(b"\x89PNG\r\n")
    works, skipped = collect([folder, folder / "holiday.png"], tmp_path / "gradebook.csv")
    assert len(works) == 30
    reasons = {s.name: s.reason for s in skipped}
    assert "not JSON" in reasons["broken.json"]
    duplicate = [s for s in skipped if "same student id" in s.reason]
    assert len(duplicate) == 1 and duplicate[0].name in {"copy-of-first.json", paths[0].name}
    assert "PNG" in reasons["holiday.png"]
    assert len(rows(tmp_path / "gradebook.csv")) == 30


def test_wrong_answers_read_as_an_instructor_would():
    items = CASE.exercises
    assert wrong_answers(items["l0-multiple"], ["a", "c", "d"]) == ["c", "d"]
    assert wrong_answers(items["l0-match"], {"q1": "bolton", "q2": "dprk"}) == ["q2→dprk"]
    assert wrong_answers(items["l0-order"], ["summit"]) == []


def test_the_collect_command_names_skipped_files_and_exits_1_on_nothing(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text("[]")
    assert cli.main(["collect", str(bad), "--out", str(tmp_path / "g.csv")]) == 1
    assert "skipped bad.json: not a usable export" in capsys.readouterr().err
    good = export(tmp_path / "a", [("l0-single", "b", "correct", 0)])
    assert cli.main(["collect", str(good), str(bad), "--out", str(tmp_path / "g.csv")]) == 0
    out = capsys.readouterr()
    assert out.out.startswith("1 student(s): wrote") and "skipped bad.json" in out.err



def test_the_collect_command_pauses_the_cycle_collector_and_restores_it(tmp_path, monkeypatch):
    import gc

    from course_lib.instructors import collect as collect_module
    seen = []
    real = collect_module.collect

    def spy(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(collect_module, "collect", spy)
    good = export(tmp_path / "a", [("l0-single", "b", "correct", 0)])
    assert gc.isenabled()
    assert cli.main(["collect", str(good), "--out", str(tmp_path / "g.csv")]) == 0
    assert seen == [False] and gc.isenabled()   # off while the class is read and checked, on again after
    gc.disable()
    try:   # a caller that had turned it off keeps it off
        assert cli.main(["collect", str(good), "--out", str(tmp_path / "g.csv"), "--force"]) == 0
        assert not gc.isenabled()
    finally:
        gc.enable()
    monkeypatch.setattr(collect_module, "collect", lambda *a, **k: 1 / 0)
    try:   # and on again when the command fails
        cli.main(["collect", str(good), "--out", str(tmp_path / "g.csv"), "--force"])
    except ZeroDivisionError:
        pass
    assert gc.isenabled()

def test_the_new_case_command(tmp_path, capsys):
    assert cli.main(["new-case", str(tmp_path / "mine")]) == 0
    assert "Replace every REPLACE" in capsys.readouterr().out
    assert cli.main(["check-case", str(tmp_path / "mine")]) == 0
    assert cli.main(["new-case", str(tmp_path / "mine")]) == 1


def test_the_committed_answer_key_is_current():
    committed = (ROOT / "instructors/answer-key.md").read_text(encoding="utf-8")
    assert committed == answer_key(CASE), "run: course-lib answer-key --out instructors/answer-key.md --force"
    for item in CASE.exercises:
        assert f"### {item.id}:" in committed


def test_the_committed_balance_table_is_current():
    """instructors/balance.md is what `course-lib balance` writes from the case: edit the exercise
    files (parties, standard, accepted, partial), never the table."""
    from course_lib.instructors.balance import balance
    committed = (ROOT / "instructors/balance.md").read_text(encoding="utf-8")
    assert committed == balance(CASE), "run: course-lib balance --out instructors/balance.md --force"


def test_the_balance_table_names_every_side_and_its_alternatives():
    from course_lib.instructors.balance import alternatives, balance
    page = balance(CASE)
    for side in ("| the article |", "| USA |", "| PRK |", "| CHN |"):
        assert side in page
    rate, rate_party = CASE.exercises["l2-rate"], CASE.exercises["l2-rate-party"]
    # the same charity on both sides: each rating item credits a second reading
    assert alternatives(rate) and alternatives(rate_party)
    assert f"| `{rate.id}` | the article |" in page and f"| `{rate_party.id}` | PRES (USA) |" in page
    judged = [e.id for e in CASE.exercises if e.parties]
    assert all(f"`{i}`" in page for i in judged)


def test_the_balance_command_writes_the_page(tmp_path, capsys):
    from course_lib.instructors.balance import balance
    from course_lib.instructors.cli import main
    out = tmp_path / "balance.md"
    assert main(["balance", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == balance(CASE)


def test_a_judging_item_names_its_standard_and_real_parties(case_copy):
    import pytest

    from course_lib import CaseError, load_case
    path = case_copy / "exercises-02b-rating-claims.toml"
    text = path.read_text(encoding="utf-8")
    text = text.replace('parties = ["PRES"]\nstandard = ', 'parties = ["POTUS"]\nstandard = ', 1)
    path.write_text(text, encoding="utf-8")
    path = case_copy / "exercises-02a-tracing-quotations.toml"
    text = path.read_text(encoding="utf-8")
    text = text.replace('parties = ["article"]\nstandard = "Each quotation', 'parties = ["article"]\nxstandard = "Each quotation', 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CaseError) as info:
        load_case(case_copy)
    messages = [str(p) for p in info.value.problems]
    assert any("l2-rate-party" in m and "field 'parties'" in m and "'POTUS'" in m for m in messages), messages
    assert any("l2-first" in m and "field 'standard'" in m and "names both" in m for m in messages), messages


def test_a_class_on_the_search_page_first_clicks_and_stops_are_tallied(tmp_path):
    """The lateral-reading search item: each path is re-checked (never the stored verdict), the first click
    that was not an independent description is the wrong answer the instructor sees, with its tag."""
    item = CASE.exercises["l2-lateral-search"]
    own = next(r.id for r in item.results if r.role == "own")
    good = [r.id for r in item.results if r.role == "independent"][:2]
    a = export(tmp_path / "a", [("l2-lateral-search", [own, good[0], "stop"], "correct", 0),   # a false stored verdict
                                ("l2-lateral-search", [good[0], "stop"], "correct", 0)])
    b = export(tmp_path / "b", [("l2-lateral-search", [own, "stop"], "incorrect", 1)])
    c = export(tmp_path / "c", [("l2-lateral-search", good + ["stop"], "correct", 0)])
    collect([a, b, c], tmp_path / "gradebook.csv")
    book = {r["file"]: r for r in rows(tmp_path / "gradebook.csv") if r["item"] == "l2-lateral-search"}
    assert book[a.name]["first_try"] == "partly correct" and book[a.name]["stored_verdicts_disagree"] == "1"
    assert book[a.name]["final"] == "correct" and book[b.name]["final"] == "incorrect"
    assert book[c.name]["first_try"] == "correct"
    summary = {r["item"]: r for r in rows(tmp_path / "gradebook-items.csv")}["l2-lateral-search"]
    assert summary["students_tried"] == "3" and summary["share_right_first_try"] == "0.33"
    assert summary["most_chosen_wrong_answer"] == f"first click: {own}" and summary["chosen_by"] == "2"
    assert summary["misconception"] == "reads-the-source-about-itself-first"
    assert wrong_answers(item, [own, "stop"]) == [f"first click: {own}", "stopped before an independent source"]
    assert wrong_answers(item, good + ["stop"]) == [] and wrong_answers(item, "nonsense") == []
