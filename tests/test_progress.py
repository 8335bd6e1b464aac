"""Student work is never lost: atomic writes, two kernels at once, damaged files set aside, unwritable
folders, restore from a download, and json_safe for any value a student can produce."""

import base64
import getpass
import json
import math
import os
import re
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from course_lib.work import progress
from course_lib.frontend import mywork
from course_lib.work import fileformat
from course_lib.work.fileformat import Attempt, json_safe
from course_lib.work.progress import WORK_DIR_ENV, Store

ROOT = Path(__file__).resolve().parent.parent
STUDENT = re.compile(r"anon-[0-9a-f]{8}")


@pytest.fixture
def folder(tmp_path, monkeypatch) -> Path:
    """An empty work folder, also set as $COURSE_LIB_WORK_DIR, with the shared-store cache emptied."""
    path = tmp_path / "my-work"
    monkeypatch.setenv(WORK_DIR_ENV, str(path))
    monkeypatch.setattr(progress, "_STORES", {})
    return path


def fill(work: Store, n=3) -> list[Attempt]:
    return [work.record(f"e1.{i % 2}", f"answer {i}", "incorrect", feedback=f"Look again ({i}).") for i in range(n)]


def doc_of(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


# -- import, paths, records ------------------------------------------------------------------------

def test_import_does_not_load_widgets():
    code = ("import sys, course_lib.work.progress; "
            "print(sorted(m for m in ('ipywidgets', 'IPython', 'matplotlib') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_work_dir_is_env_or_my_work_beside_the_lessons(tmp_path, monkeypatch):
    monkeypatch.setenv(WORK_DIR_ENV, str(tmp_path / "w"))
    assert progress.work_dir() == tmp_path / "w"
    monkeypatch.delenv(WORK_DIR_ENV)
    monkeypatch.chdir(tmp_path)
    assert progress.work_dir() == tmp_path / "my-work"


def test_nothing_is_written_until_the_first_record(folder):
    work = Store()
    assert work.attempts() == [] and work.last("e1") is None and STUDENT.fullmatch(work.student)
    assert not folder.exists()
    work.record("e1", "x", "correct")
    assert (folder / "progress.json").is_file()


def test_record_fills_every_field_and_saves_the_format(folder):
    a = Store().record("e1", {3: float("nan")}, "partly correct", score=0.5, hints=2, seconds=12.5,
                       confidence=80, feedback="Close: one source is secondary.")
    assert len(a.id) == 32 and a.item == "e1" and a.answer == {"3": "nan"} and a.verdict == "partly correct"
    assert (a.score, a.attempt, a.hints, a.seconds, a.confidence) == (0.5, 1, 2, 12.5, 80)
    assert datetime.fromisoformat(a.at).utcoffset().total_seconds() == 0
    doc = doc_of(folder / "progress.json")
    assert list(doc) == ["format", "version", "student", "records"]
    assert doc["format"] == "course-lib-progress" and doc["version"] == 1 and STUDENT.fullmatch(doc["student"])
    assert doc["records"] == [a.__dict__]
    assert (folder / "progress.json").read_text(encoding="utf-8").startswith('{\n  "format"')


def test_unknown_verdict_is_a_programming_error(folder):
    with pytest.raises(ValueError, match="verdict must be one of"):
        Store().record("e1", 1, "right")


def test_attempt_numbers_count_per_item_and_last_is_newest(folder):
    work = Store()
    for answer, item in [("a", "e1"), ("b", "e2"), ("c", "e1"), ("d", "e1")]:
        work.record(item, answer, "incorrect")
    assert [a.attempt for a in work.attempts("e1")] == [1, 2, 3]
    assert [a.attempt for a in work.attempts("e2")] == [1]
    assert work.last("e1").answer == "d" and work.last("e2").answer == "b" and work.last("e3") is None
    assert [a.answer for a in work.attempts()] == ["a", "b", "c", "d"]
    assert Store().last("e1") == work.last("e1")  # a re-run kernel sees the same


def test_student_id_is_made_once_per_folder(folder):
    first = Store()
    first.record("e1", 1, "correct")
    assert Store().student == first.student
    other = Store(folder.parent / "elsewhere")
    assert other.student != first.student


def test_store_is_shared_per_folder(folder):
    assert progress.store() is progress.store(folder) is progress.store(str(folder) + "/.")
    assert progress.store(folder.parent / "b") is not progress.store()


def test_records_from_another_kernel_are_seen(folder):
    mine, theirs = Store(), Store()
    mine.record("e1", 1, "incorrect")
    theirs.record("e1", 2, "correct")
    assert [a.answer for a in mine.attempts()] == [1, 2]
    assert mine.record("e1", 3, "correct").attempt == 3


# -- rule 1: atomic writes with a backup -----------------------------------------------------------

def test_writes_are_atomic_and_keep_the_previous_good_file(folder, monkeypatch):
    work = Store()
    work.record("e1", 1, "incorrect")
    first = (folder / "progress.json").read_bytes()
    calls = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: (calls.append("fsync"), real_fsync(fd))[1])
    monkeypatch.setattr(os, "replace", lambda a, b: (calls.append(("replace", Path(b).name)), real_replace(a, b))[1])
    work.record("e1", 2, "correct")
    # one durable write per attempt: the replaced file becomes the backup by a second name, not a synced copy
    assert calls == [("replace", "progress.json.bak"), "fsync", ("replace", "progress.json")]
    assert (folder / "progress.json.bak").read_bytes() == first
    assert len(doc_of(folder / "progress.json")["records"]) == 2
    assert sorted(p.name for p in folder.iterdir()) == [".progress.lock", "progress.json", "progress.json.bak"]
    assert (folder / "progress.json.bak").stat().st_ino != (folder / "progress.json").stat().st_ino


def test_without_hard_links_the_backup_is_a_synced_copy(folder, monkeypatch):
    """Where the file system refuses hard links (some shares, Pyodide), the backup is copied, atomically."""
    work = Store()
    work.record("e1", 1, "incorrect")
    first = (folder / "progress.json").read_bytes()
    calls = []
    real_fsync, real_replace = os.fsync, os.replace

    def no_links(source, target):
        raise OSError(1, "Operation not permitted")
    monkeypatch.setattr(os, "link", no_links)
    monkeypatch.setattr(os, "fsync", lambda fd: (calls.append("fsync"), real_fsync(fd))[1])
    monkeypatch.setattr(os, "replace", lambda a, b: (calls.append(("replace", Path(b).name)), real_replace(a, b))[1])
    work.record("e1", 2, "correct")
    assert calls == ["fsync", ("replace", "progress.json.bak"), "fsync", ("replace", "progress.json")]
    assert (folder / "progress.json.bak").read_bytes() == first and not work.notices
    assert sorted(p.name for p in folder.iterdir()) == [".progress.lock", "progress.json", "progress.json.bak"]


def test_a_backup_link_taken_away_before_its_rename_costs_the_backup_only(folder, monkeypatch):
    """The link to the replaced file carries that file's old mtime, so another kernel tidying stale
    temporary files without the lock may remove it before the rename: the attempt is saved all the same."""
    work = Store()
    work.record("e1", 1, "incorrect")
    work.record("e1", 2, "incorrect")
    backup = (folder / "progress.json.bak").read_bytes()
    real = os.link

    def link_then_tidied(source, target):
        real(source, target)
        os.unlink(target)
    monkeypatch.setattr(os, "link", link_then_tidied)
    work.record("e1", 3, "correct")
    assert not work.notices and (folder / "progress.json.bak").read_bytes() == backup
    assert [r["answer"] for r in doc_of(folder / "progress.json")["records"]] == [1, 2, 3]
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_the_file_is_the_same_bytes_as_encoding_the_whole_document(folder):
    """Each record is encoded once and the file joined from them; it must be exactly what `encode` writes,
    so files written before this change and after it are one format, read by the same reader."""
    work = Store()
    answers = ["plain", "", "é ✓ \u2028 \"quoted\" \\ back\nslash", "\ud800 lone surrogate", 0, -1.5, 1e300, True,
               None, [], {}, [1, [2, [3, {}]]], {"a": {"b": [None, "x"]}, "": "empty key"}, {1, 2}, math.nan]
    for n, answer in enumerate(answers):
        work.record(f"e{n % 3}", answer, "incorrect", score=n / 3, hints=n, seconds=n * 1.5,
                    confidence=n % 5 or None, feedback=f"Look again ({n}) ✓\n")
        expected = fileformat.encode(work.export())
        assert (folder / "progress.json").read_bytes() == expected, n
    assert [a.answer for a in work.attempts()] == [fileformat.json_safe(a) for a in answers]
    empty = Store(folder / "nothing")
    assert empty._file_bytes() == fileformat.encode(empty.export())


def test_a_file_written_by_the_old_writer_is_read_and_extended(folder):
    """A progress.json written by the earlier writer (the whole document through `encode`, asdict of each
    record) is read as it was, and the next attempt is added to it."""
    from dataclasses import asdict
    old = [Attempt(f"{n:032x}", "e1", n, "incorrect", 0.0, n + 1, 0, None, None, "no",
                   f"2026-01-0{n + 1}T00:00:00+00:00") for n in range(3)]
    folder.mkdir()
    doc = {"format": fileformat.FORMAT, "version": fileformat.VERSION, "student": "anon-0000abcd",
           "records": [asdict(a) for a in old]}
    (folder / "progress.json").write_bytes(fileformat.encode(doc))
    work = Store()
    assert work.attempts() == old and work.student == "anon-0000abcd"
    new = work.record("e1", 9, "correct")
    assert new.attempt == 4 and (folder / "progress.json.bak").read_bytes() == fileformat.encode(doc)
    assert doc_of(folder / "progress.json") == {**doc, "records": doc["records"] + [asdict(new)]}


def test_a_store_does_not_parse_again_the_file_it_just_wrote(folder, monkeypatch):
    """The next attempt re-reads the file only when another kernel changed it since this store wrote it."""
    work, other = Store(), Store()
    work.record("e1", 1, "incorrect")
    parsed = []
    real = fileformat.parse_export
    monkeypatch.setattr(progress, "parse_export", lambda data: (parsed.append(1), real(data))[1])
    work.record("e1", 2, "incorrect")
    assert parsed == []
    other.record("e1", 3, "incorrect")   # another kernel: its file must be merged before the next write
    parsed.clear()
    assert work.record("e1", 4, "correct").attempt == 4 and parsed
    assert [a.answer for a in work.attempts()] == [1, 2, 3, 4]


def test_a_file_replaced_right_after_this_store_wrote_it_is_still_merged(folder, monkeypatch):
    """Where no lock could be taken, another writer may replace progress.json between this store's
    rename and anything it does next: what it remembers is the stat of the file it wrote, not of the path."""
    work = Store()
    work.record("e1", 1, "incorrect")
    real = fileformat.atomic_write
    theirs = good_record(id="f" * 32, answer=99, at="2026-01-01T00:00:00+00:00")

    def then_another_writer(path, data):
        written = real(path, data)
        if path.name == "progress.json":   # lands in the gap, before this store looks again
            monkeypatch.setattr(progress, "atomic_write", real)
            doc = json.loads(data)
            real(path, fileformat.encode({**doc, "records": doc["records"] + [theirs]}))
        return written
    monkeypatch.setattr(progress, "atomic_write", then_another_writer)
    work.record("e1", 2, "incorrect")
    work.record("e1", 3, "correct")
    assert sorted(r["answer"] for r in doc_of(folder / "progress.json")["records"]) == [1, 2, 3, 99]


def test_a_failed_write_leaves_the_old_file_whole_and_no_temp_file(folder, monkeypatch):
    work = Store()
    work.record("e1", 1, "incorrect")
    before = (folder / "progress.json").read_bytes()

    def crash(fd):
        raise OSError(5, "Input/output error")
    monkeypatch.setattr(os, "fsync", crash)
    a = work.record("e1", 2, "correct")
    assert (folder / "progress.json").read_bytes() == before
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]
    assert work.attempts()[-1] == a and len(work.notices) == 1


# -- rule 2: two kernels at once ---------------------------------------------------------------------

WRITER = """
import sys, time
from pathlib import Path
from course_lib.work.progress import Store
work = Store(Path(sys.argv[1]))
while time.time() < float(sys.argv[2]):
    time.sleep(0.001)
for i in range(50):
    work.record(f"e{i % 5}", f"{sys.argv[3]}-{i}", "incorrect")
assert not work.notices, work.notices
"""


def test_two_kernels_recording_at_once_lose_nothing(folder):
    start = str(time.time() + 2)
    kernels = [subprocess.Popen([sys.executable, "-c", WRITER, str(folder), start, name], cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE) for name in "AB"]
    for k in kernels:
        _, err = k.communicate(timeout=120)
        assert k.returncode == 0, err.decode()
    records = doc_of(folder / "progress.json")["records"]
    assert len(records) == len({r["id"] for r in records}) == 100
    assert sorted(r["answer"] for r in records) == sorted(f"{k}-{i}" for k in "AB" for i in range(50))
    for item in (f"e{i}" for i in range(5)):  # numbered under the lock: 1..20 with no gaps or repeats
        assert sorted(r["attempt"] for r in records if r["item"] == item) == list(range(1, 21))


# -- rule 3: damaged files are set aside -----------------------------------------------------------

@pytest.fixture
def frozen_clock(monkeypatch):
    monkeypatch.setattr(progress, "_now", lambda: datetime(2026, 11, 29, 14, 30, tzinfo=timezone.utc))


def good_record(**change) -> dict:
    return {**Attempt("0" * 32, "e9", "x", "correct", 1.0, 1, 0, None, None, "", "2026-01-01T00:00:00+00:00").__dict__,
            **change}


@pytest.mark.parametrize("damage", [
    "{not json",
    json.dumps({"format": "something-else", "version": 1, "student": "anon-00000000", "records": []}),
    json.dumps({"format": "course-lib-progress", "version": 1, "student": "anon-00000000", "records": {}}),
    json.dumps([1, 2, 3]),
    "",
])
def test_a_damaged_file_is_set_aside_and_the_backup_recovers(folder, frozen_clock, damage):
    work = Store()
    kept = work.record("e1", 1, "incorrect")
    work.record("e1", 2, "correct")  # progress.json.bak now holds the first record only
    (folder / "progress.json").write_text(damage, encoding="utf-8")
    again = Store()
    assert again.attempts() == [kept] and again.student == work.student
    aside = folder / "progress.corrupt-20261129-143000.json"
    assert aside.read_text(encoding="utf-8") == damage
    assert again.notices == ["Your saved work file could not be read, so it was set aside as "
                             "my-work/progress.corrupt-20261129-143000.json; your answers from the previous "
                             "good copy were kept."]
    assert doc_of(folder / "progress.json")["records"] == [kept.__dict__]  # rewritten clean at once


def test_a_damaged_file_without_backup_keeps_this_sessions_work(folder, frozen_clock):
    folder.mkdir()
    (folder / "progress.json").write_text("garbage", encoding="utf-8")
    work = Store()
    a = work.record("e1", 1, "correct")
    assert work.attempts() == [a] and (folder / "progress.corrupt-20261129-143000.json").exists()
    assert len(work.notices) == 1 and "no earlier good copy" in work.notices[0]


def test_set_aside_names_do_not_collide(folder, frozen_clock):
    folder.mkdir()
    for n, name in enumerate(["progress.corrupt-20261129-143000.json", "progress.corrupt-20261129-143000-2.json",
                              "progress.corrupt-20261129-143000-3.json"]):
        (folder / "progress.json").write_text(f"bad {n}", encoding="utf-8")
        Store().attempts()
        assert (folder / name).read_text(encoding="utf-8") == f"bad {n}"


@pytest.mark.parametrize("bad", [{"id": "x"}, "not a record", good_record(attempt="one"), good_record(score=math.inf)])
def test_bad_records_are_skipped_good_ones_kept_and_the_original_set_aside(folder, frozen_clock, bad):
    work = Store()
    good = fill(work, 3)
    doc = doc_of(folder / "progress.json")
    doc["records"].insert(1, bad)
    original = json.dumps(doc, indent=1)
    (folder / "progress.json").write_text(original, encoding="utf-8")
    again = Store()
    assert again.attempts() == good
    assert (folder / "progress.corrupt-20261129-143000.json").read_text(encoding="utf-8") == original
    assert again.notices == ["1 record in your saved work file could not be read, so the file was set aside as "
                             "my-work/progress.corrupt-20261129-143000.json; the other 3 were kept."]


def test_extra_fields_from_a_newer_library_are_not_damage(folder):
    work = Store()
    a = work.record("e1", 1, "correct")
    doc = doc_of(folder / "progress.json")
    doc["records"][0]["mood"] = "happy"
    (folder / "progress.json").write_text(json.dumps(doc), encoding="utf-8")
    again = Store()
    assert again.attempts() == [a] and again.notices == []


# -- rule 4: an unwritable folder --------------------------------------------------------------------

def test_a_file_where_the_folder_should_be(folder):
    folder.write_text("I am not a folder", encoding="utf-8")
    work = progress.store()
    a, b = work.record("e1", 1, "incorrect"), work.record("e1", 2, "correct")
    assert work.attempts() == [a, b] and b.attempt == 2
    assert work.notices == ["Your work cannot be saved in my-work (there is a file called my-work where the folder "
                            "should be); it is kept in memory until the kernel stops — run "
                            "course_lib.save_my_work() to download it."]
    assert folder.read_text(encoding="utf-8") == "I am not a folder"
    saved = mywork.save_my_work()
    assert saved.path is None and "could not be saved in my-work" in repr(saved)
    assert len(json.loads(saved.data)["records"]) == 2


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root ignores folder permissions")
def test_a_read_only_folder(folder):
    folder.mkdir()
    folder.chmod(0o500)
    try:
        work = Store()
        a = work.record("e1", 1, "correct")
        work.record("e2", 1, "correct")
        assert work.attempts()[0] == a
        assert work.notices == ["Your work cannot be saved in my-work (permission denied); it is kept in memory "
                                "until the kernel stops — run course_lib.save_my_work() to download it."]
    finally:
        folder.chmod(0o700)


def test_permission_denied_is_told_once_and_recovery_too(folder, monkeypatch):
    real = fileformat.atomic_write

    def denied(path, data):
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr(progress, "atomic_write", denied)
    work = Store()
    work.record("e1", 1, "incorrect")
    work.record("e1", 2, "incorrect")
    assert work.notices == ["Your work cannot be saved in my-work (permission denied); it is kept in memory "
                            "until the kernel stops — run course_lib.save_my_work() to download it."]
    monkeypatch.setattr(progress, "atomic_write", real)
    work.record("e1", 3, "correct")
    assert work.notices[-1] == "Your work is being saved in my-work again."
    assert [r["answer"] for r in doc_of(folder / "progress.json")["records"]] == [1, 2, 3]


def test_an_unreadable_file_is_never_overwritten(folder, monkeypatch):
    work = Store()
    work.record("e1", 1, "correct")
    before = (folder / "progress.json").read_bytes()
    real = Path.read_bytes

    def refuse(self):
        if self.name == "progress.json":
            raise PermissionError(13, "Permission denied")
        return real(self)
    monkeypatch.setattr(Path, "read_bytes", refuse)
    other = Store()
    a = other.record("e2", 2, "correct")
    assert other.attempts() == [a] and "permission denied" in other.notices[0]
    monkeypatch.undo()
    assert (folder / "progress.json").read_bytes() == before


# -- rules 5, 6, 7: export and restore ---------------------------------------------------------------

def test_round_trip_into_an_empty_folder(folder, tmp_path):
    work = Store()
    fill(work, 5)
    exported = json.loads(json.dumps(work.export()))
    fresh = Store(tmp_path / "new-session")
    sentence = fresh.restore(json.dumps(exported))
    assert sentence == "Restored 5 records from the text given; none were already here."
    assert fresh.attempts() == work.attempts() and fresh.export() == work.export()
    assert fresh.restore(exported) == "Restored 0 records from the data given; 5 were already here."
    assert len(fresh.attempts()) == 5


def test_restore_never_loses_newer_records(folder, tmp_path):
    work = Store()
    fill(work, 2)
    saved = work.export()
    newer = work.record("e2", "later", "correct")
    assert work.restore(saved) == "Restored 0 records from the data given; 2 were already here."
    assert work.last("e2") == newer and len(work.attempts()) == 3
    elsewhere = Store(tmp_path / "other")
    elsewhere.record("e1", "their own", "correct")
    elsewhere.restore(work.export())
    assert len(elsewhere.attempts()) == 4


def test_restore_from_another_student_keeps_this_id(folder, tmp_path):
    theirs = Store(tmp_path / "theirs")
    fill(theirs, 2)
    path = tmp_path / "theirs.json"
    path.write_text(json.dumps(theirs.export()), encoding="utf-8")
    mine = Store()
    mine.record("e1", "mine", "correct")
    sentence = mine.restore(path)
    assert sentence == (f"Restored 2 records from theirs.json; none were already here. The file was saved under "
                        f"the id {theirs.student}; your id stays {mine.student}.")
    assert mine.student != theirs.student and doc_of(folder / "progress.json")["student"] == mine.student


def test_restore_from_path_string_bytes_and_upload_value(folder, tmp_path):
    source = Store(tmp_path / "old")
    fill(source, 3)
    data = json.dumps(source.export()).encode()
    (tmp_path / "my-work-old.json").write_bytes(data)
    upload = ({"name": "my-work-anon-1a2b3c4d.json", "type": "application/json", "size": len(data),
               "content": memoryview(data), "last_modified": datetime.now(timezone.utc)},)
    assert Store(tmp_path / "a").restore(str(tmp_path / "my-work-old.json")).startswith("Restored 3 records from my-work-old.json;")
    assert Store(tmp_path / "b").restore(data).startswith("Restored 3 records from the data given;")
    assert Store(tmp_path / "c").restore(upload) == ("Restored 3 records from my-work-anon-1a2b3c4d.json; "
                                                     "none were already here.")
    assert Store(tmp_path / "c").student == source.student  # a new session takes back its own id


def test_restore_skips_damaged_records_and_says_so(folder):
    doc = {"format": "course-lib-progress", "version": 1, "student": "anon-0000abcd",
           "records": [good_record(), {"id": "half"}]}
    assert Store().restore(doc) == ("Restored 1 record from the data given; none were already here. "
                                    "1 damaged record could not be read and was skipped.")


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(20)


@pytest.mark.parametrize("garbage, said", [
    (b"not json at all", "Nothing was restored from the data given: it is not JSON text."),
    (PNG, "Nothing was restored from the data given: it is a PNG picture."),
    ({"format": "other"}, "Nothing was restored from the data given: it is not a saved-work file from this course."),
    ('{"format": "course-lib-progress", "version": 7}', "Nothing was restored from the text given: it was saved"),
    ("[1, 2]", "Nothing was restored from the text given: it is not a saved-work file"),
    ({"format": "course-lib-progress", "version": 1, "student": "Ada Lovelace", "records": []}, "its student id"),
    ({"format": "course-lib-progress", "version": 1, "student": "anon-00000000", "records": "x"}, "list of records"),
    ("nowhere.json", "No file called nowhere.json was found, so nothing was restored."),
    (12345, "Nothing was restored: give the path of a saved-work file, or upload one (this was a int)."),
    ((), "No file was chosen yet"),
    (None, "No file was chosen yet"),
    ([{"name": "x.json", "content": object()}], "That could not be read as saved work, so nothing was restored."),
])
def test_restoring_garbage_says_why_and_changes_nothing(folder, tmp_path, garbage, said):
    work = Store()
    fill(work, 2)
    before = sorted((p.name, p.read_bytes()) for p in folder.iterdir())
    sentence = work.restore(garbage)
    assert said in sentence and sentence.endswith(".")
    assert sorted((p.name, p.read_bytes()) for p in folder.iterdir()) == before and len(work.attempts()) == 2


def test_restoring_a_png_file_or_a_folder(folder, tmp_path):
    (tmp_path / "photo.png").write_bytes(PNG)
    work = Store()
    assert work.restore(tmp_path / "photo.png") == ("Nothing was restored from photo.png: it is a PNG picture. "
                                                    "Choose the my-work-anon-….json file you downloaded.")
    assert work.restore(tmp_path) == f"{tmp_path.name} could not be opened (is a directory), so nothing was restored."
    assert not folder.exists()


def test_the_export_holds_no_personal_data(folder, tmp_path):
    work = Store()
    fill(work, 3)
    doc = work.export()
    assert set(doc) == {"format", "version", "student", "records"} and STUDENT.fullmatch(doc["student"])
    assert all(set(r) == set(fileformat.FIELDS) for r in doc["records"])
    text = json.dumps(doc) + (folder / "progress.json").read_text(encoding="utf-8")
    for private in (str(tmp_path), str(Path.home()), getpass.getuser() if len(getpass.getuser()) > 3 else "/"):
        assert private not in text


# -- save_my_work and restore_my_work ------------------------------------------------------------------

def test_save_my_work_writes_the_export_and_a_download_link(folder):
    work = progress.store()
    fill(work, 3)
    saved = mywork.save_my_work()
    name = f"my-work-{work.student}.json"
    assert repr(saved) == (f"Your work: 3 attempts at 2 exercises, saved to my-work/{name}. In JupyterLab, click "
                           "Download my work: it takes your work as it is at that moment. Keep the file and restore "
                           "it next time.")
    assert saved.path == folder.resolve() / name and doc_of(saved.path) == work.export()
    page = saved._repr_html_()
    assert f'<a download="{name}" href="data:application/json;base64,' in page
    encoded = re.search(r'base64,([^"]+)"', page).group(1)
    assert json.loads(base64.b64decode(encoded)) == work.export()
    one = mywork.save_my_work(folder.parent / "solo")
    assert repr(one).startswith("Your work: 0 attempts at 0 exercises, saved to solo/my-work-anon-")


def _click_download(shown):
    """Click the download button of a save_my_work()/export() view; the fresh files as name -> bytes."""
    import ipywidgets as w
    from IPython.core.interactiveshell import InteractiveShell
    InteractiveShell.instance()
    bundle = shown._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle and bundle["text/plain"] == repr(shown)
    from ipywidgets.widgets.widget import _instances
    box = _instances[bundle["application/vnd.jupyter.widget-view+json"]["model_id"]]
    button = next(c for c in box.children if isinstance(c, w.Button))
    links = box.children[-1]
    assert links.value == "", "nothing to download before the click"
    button.click()
    return {m.group(1): base64.b64decode(m.group(2))
            for m in re.finditer(r'download="([^"]+)" href="data:[^;]+;base64,([^"]+)"', links.value)}


def test_the_download_button_carries_the_work_as_it_is_at_the_click(folder):
    """Run All shows save_my_work() before any answer; answers after it are in the download."""
    pytest.importorskip("ipywidgets")
    work = progress.store()
    shown = mywork.save_my_work()          # the lesson's last cell, run by Run All
    fill(work, 3)                            # then the student answers
    files = _click_download(shown)
    (data,) = files.values()
    assert len(json.loads(data)["records"]) == 3 and json.loads(data) == work.export()
    assert doc_of(folder.resolve() / next(iter(files))) == work.export(), "the file beside the work is fresh too"
    assert len(json.loads(shown.data)["records"]) == 0, "the value built when the cell ran was stale"


def test_the_static_page_links_the_live_file_when_it_is_under_the_notebook(folder, monkeypatch):
    fill(progress.store(), 1)
    monkeypatch.chdir(folder.parent)
    page = mywork.save_my_work()._repr_html_()
    assert 'href="my-work/progress.json">Download my work as it is now' in page
    assert "(as it was when this cell ran)" in page


def test_restore_my_work_with_a_path_returns_the_sentence(folder, tmp_path):
    fill(Store(tmp_path / "old"), 2)
    saved = mywork.save_my_work(tmp_path / "old")
    sentence = mywork.restore_my_work(saved.path)
    assert sentence == (f"Restored 2 records from {saved.filename}; none were already here. To see the restored "
                        "answers, run the cells of e1.0, e1.1 again (show(...) puts the last answer back), or use "
                        "Kernel › Restart Kernel and Run All Cells.")
    assert repr(sentence) == str(sentence)  # shown without quotes in a notebook
    assert len(progress.store().attempts()) == 2


def test_restore_my_work_controls_are_labelled_and_wired(folder, tmp_path):
    widgets = pytest.importorskip("ipywidgets")
    fill(Store(tmp_path / "old"), 2)
    data = mywork.save_my_work(tmp_path / "old").data
    view = mywork.restore_my_work()
    assert "restore_my_work(" in repr(view) and view._repr_mimebundle_()["text/plain"] == repr(view)
    box = view.widget
    upload, button = box.children[1].children
    output = box.children[2]
    assert isinstance(upload, widgets.FileUpload) and upload.accept == ".json"
    assert upload.description == "Upload my work" and button.description == "Restore"
    assert isinstance(output, widgets.Output)
    button.click()
    assert output.outputs[-1]["text"].startswith("No file was chosen yet")
    upload.value = ({"name": "mine.json", "type": "application/json", "size": len(data), "content": memoryview(data),
                     "last_modified": datetime.now(timezone.utc)},)
    button.click()
    assert output.outputs[-1]["text"].startswith("Restored 2 records from mine.json; none were already here. "
                                                 "To see the restored answers, run the cells of e1.0, e1.1 again")
    assert len(progress.store().attempts()) == 2


# -- json_safe -----------------------------------------------------------------------------------------

values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text() | st.binary(),
    lambda inner: (st.lists(inner) | st.tuples(inner, inner) | st.frozensets(st.integers() | st.text())
                   | st.dictionaries(st.text() | st.integers() | st.booleans() | st.none() | st.floats(), inner)),
    max_leaves=30)

plain = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner), max_leaves=30)


@given(values)
@settings(max_examples=300, deadline=None)
def test_json_safe_never_raises_and_always_dumps(value):
    json.dumps(json_safe(value), allow_nan=False)


@given(plain)
@settings(max_examples=200, deadline=None)
def test_json_safe_keeps_plain_json_as_it_is(value):
    assert json_safe(value) == value


class Hostile:
    """Every method a conversion might call raises."""
    def __repr__(self):
        raise RuntimeError("repr")
    __str__ = __repr__

    def __eq__(self, other):
        raise RuntimeError("eq")

    def __hash__(self):
        raise RuntimeError("hash")

    def __len__(self):
        raise RuntimeError("len")

    def __iter__(self):
        raise RuntimeError("iter")


class HostileList(list):
    def __iter__(self):
        raise RuntimeError("iter")

    def __repr__(self):
        raise RuntimeError("repr")


class LyingClass:
    @property
    def __class__(self):
        raise RuntimeError("class")


class HostileStr(str):
    def __str__(self):
        raise RuntimeError("str")

    def __len__(self):
        raise RuntimeError("len")


def test_json_safe_survives_hostile_objects():
    loop = [1]
    loop.append(loop)
    deep = []
    for _ in range(100):
        deep = [deep]
    hostile = [Hostile(), HostileList([1]), LyingClass(), HostileStr("kept"), loop, {"k": loop}, deep, {1: Hostile()}]
    result = json_safe(hostile)
    json.dumps(result, allow_nan=False)
    assert result[0] == "<unprintable Hostile object>" and result[1] == "<unprintable HostileList object>"
    assert result[3] == "kept" and result[4] == [1, "[...]"] and result[5] == {"k": [1, "[...]"]}
    assert "nested too deeply" in json.dumps(result[6])


def test_json_safe_conversions():
    def check(x):
        return x
    assert json_safe([math.nan, math.inf, -math.inf, 1.5, -0.0]) == ["nan", "inf", "-inf", 1.5, -0.0]
    assert json_safe((1, "a", None, True)) == [1, "a", None, True]
    assert json_safe({3, 1, 2}) == [1, 2, 3]
    assert json_safe({1: "a", None: "b", (1, 2): "c"}) == {"1": "a", "null": "b", "[1, 2]": "c"}
    assert json_safe(check) == "<function test_json_safe_conversions.<locals>.check>"
    assert json_safe(len) == "<function len>" and json_safe(b"\x00") == "b'\\x00'"
    assert json_safe(complex(1, 2)) == "(1+2j)"
    assert json_safe("x" * 20, limit=5) == "xxxxx… [15 more characters not saved]"
    assert json_safe(10 ** 5000).startswith("<integer of ") and json.dumps(json_safe(10 ** 1000))
    assert json_safe(list(range(5000)))[-1] == "… more items not saved"
    assert len(json_safe(list(range(5000)))) == fileformat.MAX_ITEMS + 1


# -- issue #15: a lost main file, a full disk, stale temporary files, a huge restore -----------------

def test_a_lost_main_file_is_recovered_from_the_backup(folder):
    work = Store()
    kept = [work.record("e1", n, "incorrect") for n in range(3)]   # the backup holds the first two
    (folder / "progress.json").unlink()
    again = Store()
    assert again.attempts() == kept[:2] and again.student == work.student
    assert again.notices == ["Your saved work file was missing, so your answers were taken from its backup copy "
                             "(my-work/progress.json.bak)."]
    new = again.record("e2", "x", "correct")
    assert [r["id"] for r in doc_of(folder / "progress.json")["records"]] == [a.id for a in kept[:2]] + [new.id]


def test_a_full_disk_never_lets_a_smaller_file_replace_a_good_backup(folder, frozen_clock, monkeypatch):
    work = Store()
    kept = [work.record("e1", n, "incorrect") for n in range(4)]
    (folder / "progress.json").write_text("{damaged", encoding="utf-8")
    real = fileformat.atomic_write

    def full(path, data):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(progress, "atomic_write", full)
    first = Store()        # sets the damaged file aside, recovers the backup, cannot rewrite: disk full
    assert first.attempts() == kept[:3] and any("cannot be saved" in n for n in first.notices)
    monkeypatch.setattr(progress, "atomic_write", real)
    second = Store()       # the next kernel: no main file
    assert second.attempts() == kept[:3]
    second.record("e2", "a", "correct")
    second.record("e2", "b", "correct")
    assert len(doc_of(folder / "progress.json.bak")["records"]) >= 3
    assert len(doc_of(folder / "progress.json")["records"]) == 5   # nothing was lost on the way


def test_a_smaller_document_never_replaces_a_bigger_good_backup(folder):
    work = Store()
    for n in range(5):
        work.record("e1", n, "incorrect")
    big = (folder / "progress.json.bak").read_bytes()
    small = Store(folder / "elsewhere")
    small.record("e1", 0, "incorrect")
    (folder / "progress.json").write_bytes((folder / "elsewhere" / "progress.json").read_bytes())
    fresh = Store()
    fresh.record("e1", 1, "incorrect")   # the main file held 1 record: the 4-record backup stays
    assert (folder / "progress.json.bak").read_bytes() == big


def test_stale_temporary_files_from_a_killed_kernel_are_removed(folder):
    folder.mkdir()
    stale = folder / ".progress.json.abc123.tmp"
    fresh = folder / ".progress.json.def456.tmp"
    other = folder / "notes.tmp"
    for p in (stale, fresh, other):
        p.write_text("half a file")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    os.utime(other, (old, old))
    Store().record("e1", 1, "correct")
    assert not stale.exists() and fresh.exists() and other.exists()


def test_a_huge_restore_is_refused_so_later_answers_stay_fast(folder, tmp_path):
    work = Store()
    doc = {"format": "course-lib-progress", "version": 1, "student": "anon-00000001",
           "records": [good_record(id=f"{n:032x}", answer="x" * 9000) for n in range(2000)]}
    big = tmp_path / "my-work-anon-00000001.json"
    big.write_text(json.dumps(doc))
    assert big.stat().st_size > 18_000_000
    said = work.restore(big)
    assert said == "my-work-anon-00000001.json is larger than any saved work (at most 5 MB), so nothing was restored."
    assert work.restore({"name": "up.json", "content": big.read_bytes()}).startswith("up.json is larger")
    assert work.attempts() == []


def test_after_a_restore_the_sentence_says_which_exercises_to_run_again(folder, tmp_path):
    old = Store(tmp_path / "old")
    old.record("l1-checkable", "a", "correct")
    old.record("l1-contested", "b", "incorrect")
    saved = mywork.save_my_work(tmp_path / "old")
    sentence = str(mywork.restore_my_work(saved.path))
    assert "run the cells of l1-checkable, l1-contested again" in sentence
    assert "again" not in str(mywork.restore_my_work(saved.path)).split("already here.")[1], "nothing new"


def test_a_search_path_and_a_rubric_text_are_saved_and_restored_like_any_answer(folder, tmp_path):
    """The lateral-reading path (every opening in order, the first click first, then stop) and the written
    answer go into progress.json with the other answers, and a restored file re-checks to the same verdicts."""
    from course_lib import load_case
    from course_lib.checking import session
    from course_lib.checking.checks import check
    case = load_case()
    path = ["oped", "wiki", "stop"]
    session.answer("l2-lateral-search", path)
    session.answer("l2-lateral-write", "The Examiner is owned by Philip Anschutz. " * 8)
    saved = doc_of(folder / "progress.json")["records"]
    search = next(r for r in saved if r["item"] == "l2-lateral-search")
    assert search["answer"] == path and search["answer"][0] == "oped", "the first click is the first opening"
    assert search["verdict"] == "partly correct" and "First click: oped" in search["feedback"]
    assert next(r for r in saved if r["item"] == "l2-lateral-write")["verdict"] == "kept"
    fresh = Store(tmp_path / "elsewhere")
    fresh.restore(json.dumps(Store().export()))
    again = fresh.last("l2-lateral-search")
    assert again.answer == path
    assert check(case.exercises["l2-lateral-search"], again.answer).verdict == search["verdict"]


# -- what lesson 02's calibration reads ------------------------------------------------------------

def test_first_rated_keeps_each_items_first_attempt_with_a_confidence_and_a_score(folder):
    work = progress.store()
    work.record("l1-b", "x", "incorrect", score=0.0, confidence=None)      # "not said" on the first attempt:
    work.record("l1-b", "y", "correct", score=1.0, confidence=90)        # a later, informed one does not stand in
    work.record("l1-d", "s", "incorrect", score=0.0, confidence=60)
    work.record("l1-d", "t", "correct", score=1.0, confidence=95)        # a later attempt: not the first
    work.record("l1-a", "w", "partly correct", score=0.5, confidence=70)
    work.record("l1-c", "v", "kept", score=None, confidence=80)          # no score: nothing to compare
    work.record("l3-z", "u", "correct", score=1.0, confidence=50)        # not asked for
    assert progress.first_rated(["l1-a", "l1-b", "l1-c", "l1-d"]) == [("l1-a", 70, 50), ("l1-d", 60, 0)]
    assert progress.first_rated([]) == []


# -- issue #20: records read by exact type, the general check deciding everything else -------------

class _Text(str):
    pass


class _Whole(int):
    pass


_FIELD_VALUE = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.floats(allow_nan=True, allow_infinity=True),
                         st.text(max_size=3), st.builds(_Text, st.text(min_size=1, max_size=3)),
                         st.builds(_Whole, st.integers(0, 3)), st.lists(st.integers(), max_size=2))


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(st.sampled_from(fileformat.FIELDS + ("extra",)), _FIELD_VALUE, max_size=12),
       st.booleans())
def test_the_fast_record_check_agrees_with_the_general_one(raw, complete):
    """`_attempt` checks a parsed record by exact type and leaves the rest to `_checked_attempt`: for any
    record, complete or not, with values of any kind (str and int subclasses included), both agree."""
    from course_lib.work import fileformat as _workfile
    if complete:   # most records a class sends are whole and right: make sure those are drawn too
        raw = {**good_record(), **raw}
    assert _workfile._attempt(raw) == _workfile._checked_attempt(raw)
    assert _workfile._attempt(dict(good_record())) == Attempt(**good_record())
