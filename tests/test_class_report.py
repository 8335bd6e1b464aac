"""The class agreement report on a synthetic class of 30 students, each exported with progress.Store:
the figures equal what consistency computes from the first attempts, a corrupt, a foreign and a
duplicate file are named and skipped, the HTML is accessible and escapes what came from the files."""

import csv
import json
import shutil
from html.parser import HTMLParser

import pytest

from course_lib import load_case
from course_lib.instructors import output as _output
from course_lib.instructors import classreport
from course_lib.analysis import consistency
from course_lib.instructors.cli import main as cli
from course_lib.work.progress import Store

CASE = load_case()
ITEMS = {i.id: i for i in classreport.coding_items(CASE)}
N = 30


def planned_coding(n: int) -> dict[str, dict[str, str]]:
    """Student n's first coding: the reference, with disagreements planted on a few statements."""
    codings = {item_id: dict(item.reference) for item_id, item in ITEMS.items()}
    d1, d2, d3 = codings["l5-code-d1"], codings["l5-code-d2"], codings["l5-code-d3"]
    if n < 20:
        d1["st25"] = "-1"                      # the accepted alternative: 20 of 30
    if n < 10:
        d2["st27"] = "E"                       # 10 of 30 read the trip as engagement
    d3["st30"] = "2" if n < 12 else "1" if n < 22 else "0"   # the most disputed: 12 / 10 / 8
    if n == 29:
        for entry in ("st06", "st07", "st11"):
            del d1[entry]                      # an incomplete coding: not in Fleiss, still in alpha
    if n == 27:
        del d2["st06"]                         # given as "<b>E</b>", which is no code: unread
    return codings


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """30 students' exported work in one folder, each made by a Store of its own (once: fsyncs are slow)."""
    root = tmp_path_factory.mktemp("class")
    folder = root / "class"
    folder.mkdir()
    for n in range(N):
        store = Store(root / "work" / f"s{n:02d}")
        for item_id, coding in planned_coding(n).items():
            answer = [coding.get(e) for e in ITEMS[item_id].entries] if (n == 28 and item_id == "l5-code-d4") else coding
            if n == 27 and item_id == "l5-code-d2":  # an unknown statement and an unknown code: not read
                answer = {**coding, "<script>alert(1)</script>": "E", "st06": "<b>E</b>"}
            store.record(item_id, answer, "partly correct")
        for item_id, item in ITEMS.items():  # a later, corrected attempt must not count
            store.record(item_id, dict(item.reference), "correct")
        store.record("l5-po", 0.75, "correct")
        (folder / f"my-work-{store.student}.json").write_text(json.dumps(store.export()), encoding="utf-8")
    return folder


@pytest.fixture
def exports(made, tmp_path):
    """A fresh copy of the class folder, which a test may add files to."""
    return shutil.copytree(made, tmp_path / "class")


def test_the_report_reads_30_students_and_uses_their_first_attempts(exports, tmp_path):
    read, skipped = classreport.read_exports([exports], ITEMS.values())
    assert len(read) == N and not skipped
    report = classreport.build_report(read, skipped, CASE)
    d3 = next(r for r in report.codes if r.item == "l5-code-d3" and r.entry == "st30")
    assert dict(d3.counts) == {"0": 8, "1": 10, "2": 12, "na": 0} and d3.coded == N
    assert d3.modal == "2" and d3.modal_share == pytest.approx(0.4) and d3.reference_share == pytest.approx(10 / 30)
    assert report.disputed[0] is d3
    assert [(r.dimension, r.entry) for r in report.disputed[:3]] == [("D3", "st30"), ("D1", "st25"), ("D2", "st27")]


def test_class_figures_equal_what_consistency_computes(exports):
    read, skipped = classreport.read_exports([exports], ITEMS.values())
    report = classreport.build_report(read, skipped, CASE)
    rows = {r.dimension: r for r in report.dimensions}
    codings = [planned_coding(n) for n in range(N)]
    for item_id, item in ITEMS.items():
        dim = item.dimension
        complete = [c[item_id] for c in codings if len(c[item_id]) == len(item.entries)]
        table = [[sum(c[e] == k for c in complete) for k in item.choices] for e in item.entries]
        data = [[item.value(c[item_id][e]) if e in c[item_id] else None for e in item.entries] for c in codings]
        row = rows[dim.id]
        assert row.coders == N and row.complete == len(complete)
        assert row.fleiss == pytest.approx(consistency.fleiss_kappa(table))
        assert row.alpha == pytest.approx(consistency.krippendorff_alpha(data, dim.level, dim.values))
        assert row.alpha_note == consistency.krippendorff_reading(row.alpha)
    assert rows["D1"].complete == N - 1
    assert rows["D3"].spread == 1  # st30 got three different codes


def test_each_students_kappa_against_the_reference(exports):
    read, skipped = classreport.read_exports([exports], ITEMS.values())
    report = classreport.build_report(read, skipped, CASE)
    by_student = {}
    for r in report.students:
        by_student.setdefault(r.student, {})[r.dimension] = r
    assert len(by_student) == N and all(len(v) == 4 for v in by_student.values())
    student = next(e for e in read if e.codings["l5-code-d2"].get("st27") == "E")  # one of students 0-9
    d2 = by_student[student.student]["D2"]
    item = ITEMS["l5-code-d2"]
    mine = [student.codings[item.id][e] for e in item.entries]
    assert d2.kappa == pytest.approx(consistency.cohen_kappa([item.reference[e] for e in item.entries], mine))
    assert d2.kappa < 1 and d2.coded == len(item.entries)
    assert any(r.note.startswith("almost perfect") and r.kappa == pytest.approx(1.0)
               for r in report.students if r.dimension == "D4")


def test_a_list_answer_and_unreadable_codes_are_read_as_the_checker_reads_them(exports):
    read, _ = classreport.read_exports([exports], ITEMS.values())
    complete_d4 = [e for e in read if e.codings["l5-code-d4"] == dict(ITEMS["l5-code-d4"].reference)]
    assert len(complete_d4) == N  # student 28 answered with a list in entry order
    odd = [e for e in read if e.unreadable]
    assert len(odd) == 1 and odd[0].unreadable == 2  # an unknown statement id and an unknown code
    assert "st06" not in odd[0].codings["l5-code-d2"]


def test_corrupt_foreign_and_duplicate_files_are_named_and_skipped(exports, tmp_path, capsys):
    first = sorted(exports.glob("*.json"))[0]
    (exports / "broken.json").write_text("{not json", encoding="utf-8")
    (exports / "notebook.json").write_text(json.dumps({"cells": [], "nbformat": 4}), encoding="utf-8")
    shutil.copy(first, exports / "zz-copy-<b>.json")
    damaged = json.loads(first.read_text(encoding="utf-8"))
    damaged["student"] = "anon-0badc0de"
    damaged["records"][0] = {"item": "l5-code-d1"}
    (exports / "zz-damaged.json").write_text(json.dumps(damaged), encoding="utf-8")
    out = tmp_path / "report"
    assert cli(["class-report", str(exports), str(first), str(tmp_path / "missing.json"), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    read, skipped = classreport.read_exports([exports, first, tmp_path / "missing.json"], ITEMS.values())
    reasons = {s.name: s.reason for s in skipped}
    reasons[first.name] = reasons.pop(f"class/{first.name}")  # given twice: shown with its folder
    assert len(read) == N
    assert "not JSON" in reasons["broken.json"]
    assert "not a saved-work file" in reasons["notebook.json"]
    assert reasons["zz-copy-<b>.json"].startswith("same student id") and first.name in reasons["zz-copy-<b>.json"]
    assert "damaged" in reasons["zz-damaged.json"]
    assert reasons["missing.json"] == "no such file"
    assert reasons[first.name] == "given twice; read once"
    for name in reasons:
        assert f"skipped {name}" in printed or name in printed
    assert f"Read {N} exports, skipped 6" in printed
    html = (out / "class-report.html").read_text(encoding="utf-8")
    assert "zz-copy-&lt;b&gt;.json" in html and "zz-copy-<b>" not in html
    with (out / "class-report-skipped.csv").open(encoding="utf-8") as f:
        assert len(list(csv.reader(f))) == 1 + 6


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attrs, self.text = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def test_the_html_is_accessible_and_escapes_everything_from_the_files(exports, tmp_path):
    out = tmp_path / "report"
    assert classreport.main([exports], out) == 0
    html = (out / "class-report.html").read_text(encoding="utf-8")
    page = Page()
    page.feed(html)
    assert ("html", {"lang": "en"}) in page.attrs
    assert page.tags.count("title") == 1 and page.tags.count("h1") == 1 and "main" in page.tags
    assert page.tags.count("table") == page.tags.count("caption") == 3 + len(ITEMS)  # none skipped
    headers = [a for t, a in page.attrs if t == "th"]
    assert headers and all(a.get("scope") in ("col", "row") for a in headers)
    assert "<script" not in html and "alert(1)" not in html and "<b>E</b>" not in html
    assert "color:" not in html.replace("border:1px solid #767676", "")  # nothing is said by colour
    assert "(reference)" in html and "reliable" in html  # the reference and the readings in words
    assert "/tmp/" not in html  # file names only, not the instructor's folders


def test_csv_twins_and_deterministic_output(exports, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    classreport.main([exports], a)
    classreport.main([exports], b)
    names = sorted(p.name for p in a.iterdir())
    assert names == ["class-report-codes.csv", "class-report-dimensions.csv", "class-report-skipped.csv",
                     "class-report-students.csv", "class-report.html"]
    for name in names:
        assert (a / name).read_bytes() == (b / name).read_bytes()
    with (a / "class-report-students.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == N * len(ITEMS) and {r["dimension"] for r in rows} == {"D1", "D2", "D3", "D4"}
    with (a / "class-report-codes.csv").open(encoding="utf-8") as f:
        codes = list(csv.DictReader(f))
    st30 = {r["code"]: int(r["count"]) for r in codes if r["dimension"] == "D3" and r["statement"] == "st30"}
    assert st30 == {"0": 8, "1": 10, "2": 12, "n/a": 0}
    st25 = {r["code"]: int(r["count"]) for r in codes if r["dimension"] == "D1" and r["statement"] == "st25"}
    assert st25["-1"] == 20 and st25["0"] == 10  # codes as the scale writes them, not choice ids
    assert sum(r["reference"] == "yes" for r in codes) == sum(len(i.entries) for i in ITEMS.values())


def test_a_cell_that_looks_like_a_formula_is_defused():
    assert _output.cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert _output.cell("-0.12") == "-0.12" and _output.cell("@x") == "'@x"


def test_no_usable_export_writes_nothing_and_says_so(tmp_path, capsys):
    (tmp_path / "broken.json").write_text("nope", encoding="utf-8")
    assert cli(["class-report", str(tmp_path / "broken.json"), "--out", str(tmp_path / "out")]) == 1
    assert "No export could be used" in capsys.readouterr().out
    assert not (tmp_path / "out").exists()


def test_one_student_is_not_enough_for_class_figures_but_still_reported(exports, tmp_path):
    one = sorted(exports.glob("*.json"))[:1]
    read, skipped = classreport.read_exports(one, ITEMS.values())
    report = classreport.build_report(read, skipped, CASE)
    assert all(r.fleiss is None and "at least two coders" in r.fleiss_note for r in report.dimensions)
    assert all(r.alpha is None and r.alpha_note.startswith("not computed") for r in report.dimensions)
    assert len(report.students) == len(ITEMS)


def test_a_first_attempt_of_the_wrong_shape_is_passed_over_for_the_first_real_coding(tmp_path):
    """An answer that codes nothing reveals no reference code, so the next attempt is still independent."""
    store = Store(tmp_path / "w")
    item = ITEMS["l5-code-d3"]
    store.record(item.id, "st30 is 2", "incorrect")
    store.record(item.id, {"nonsense": "2"}, "incorrect")
    store.record(item.id, {"st28": "0", "st30": "2", "zz": "1"}, "partly correct")
    store.record(item.id, dict(item.reference), "correct")
    codings, unreadable = classreport.first_codings(store.attempts(), ITEMS.values())
    assert codings == {item.id: {"st28": "0", "st30": "2"}} and unreadable == 1


def test_the_students_own_view(tmp_path):
    store = Store(tmp_path / "me")
    assert not classreport.coding_checked(CASE, store)
    assert "not checked a coding yet" in str(classreport.my_agreement(CASE, store))
    for n, (item_id, coding) in enumerate(planned_coding(0).items()):
        store.record(item_id, coding, "partly correct")
        store.record(item_id, dict(ITEMS[item_id].reference), "correct")
    assert classreport.coding_checked(CASE, store)
    view = classreport.my_agreement(CASE, store)
    text = str(view)
    assert "D1" in text and "D4" in text and "1.00" in text and "first coding" in text
    assert view._repr_markdown_().count("\n| D") == 4
