"""A case's lessons.toml and triggers.csv: what lessons read instead of naming the case's ids (issue #19)."""

import shutil

import pytest

from course_lib.case.records import (BUNDLED_CASE, MissingLessonData, Trigger, current_case, lesson_data,
                                     load_case, use_case)
from course_lib.case.files import CaseError
from course_lib.analysis import consistency


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_LIB_CACHE_DIR", str(tmp_path / "cache"))
    target = tmp_path / "case"
    shutil.copytree(BUNDLED_CASE, target)
    for name in ("lessons.toml", "triggers.csv"):
        (target / name).unlink(missing_ok=True)
    return target


def _problems(folder):
    with pytest.raises(CaseError) as e:
        load_case(folder)
    return [str(p) for p in e.value.problems]


def test_lessons_toml_is_read_and_checked_by_key_name(folder):
    case = load_case(BUNDLED_CASE)
    event, card, item = case.events[0].id, case.sources[0].id, case.exercises[0].id
    (folder / "lessons.toml").write_text(
        f'[lesson."04b"]\npivotal_events = ["{event}"]\nread_toward = "anything"\n'
        f'[[lesson."03".rows]]\nid = "E1"\ncards = ["{card}"]\nitem = "{item}"\n', encoding="utf-8")
    mine = load_case(folder)
    assert mine.lesson_data("04b")["pivotal_events"] == (event,)
    assert mine.lesson_data("03")["rows"][0]["cards"] == (card,)
    assert dict(mine.lesson_data("01")) == {}
    with pytest.raises(MissingLessonData, match=r"has no `window` for lesson 04b: add it under \[lesson.\"04b\"\]"):
        mine.lesson_data("04b")["window"]
    (folder / "lessons.toml").write_text(
        '[lesson."04b"]\npivotal_events = ["e999"]\n[[lesson."03".rows]]\ncards = ["no-such-card"]\n'
        '[lesson."x"]\na = 1\n', encoding="utf-8")
    found = _problems(folder)
    assert any("lessons.toml" in p and "pivotal_events" in p and "e999" in p for p in found), found
    assert any("lessons.toml" in p and "cards" in p and "no-such-card" in p for p in found), found
    assert any("[lesson.x]" in p for p in found), found


def test_triggers_csv_gives_the_case_its_triggers(folder):
    card = load_case(BUNDLED_CASE).sources[0]
    (folder / "triggers.csv").write_text(
        "id,date,time,utc_offset,label,source\n"
        f"t1,{card.date.isoformat()},09:30,-04:00,a report,{card.id}\n", encoding="utf-8")
    mine = load_case(folder)
    t, = mine.triggers
    assert t == Trigger("t1", card.date, "a report", card.id, "09:30", "-04:00")
    assert consistency.timing(t.date, card.date, card.date) == "same day as both"
    (folder / "triggers.csv").write_text(
        "id,date,time,utc_offset,label,source\nt1,1999-01-01,09:30,,a report,nope\n", encoding="utf-8")
    found = _problems(folder)
    assert any("triggers.csv" in p and "'source'" in p for p in found), found
    assert any("triggers.csv" in p and "outside the case's period" in p for p in found), found
    assert any("triggers.csv" in p and "utc_offset" in p for p in found), found


def test_the_current_case_is_what_use_case_set(folder, monkeypatch):
    import course_lib.case.records as records
    monkeypatch.setattr(records, "_current", None)
    (folder / "lessons.toml").write_text('[lesson."00"]\nnote = "mine"\n', encoding="utf-8")
    assert current_case().path == BUNDLED_CASE
    monkeypatch.setenv("COURSE_LIB_CASE", str(folder))
    assert current_case().path == folder.resolve()
    monkeypatch.delenv("COURSE_LIB_CASE")
    assert use_case(folder).path == folder.resolve()
    assert lesson_data("00")["note"] == "mine"
    assert use_case("nk-2018").path == BUNDLED_CASE
    with pytest.raises(CaseError):
        use_case(folder / "missing")
    assert current_case().path == BUNDLED_CASE, "a case that fails to load does not become the current one"


def test_a_case_folders_reading_text_is_filled_in_never_formatted():
    """lessons.toml is a colleague's file: only `{kept[label]}` is filled in; a stray brace or a format
    width stays text (str.format would raise, or build a string of a hundred million spaces)."""
    from types import SimpleNamespace

    from course_lib.analysis import sourcing
    from course_lib.case.records import LessonData

    class Case:
        def lesson_data(self, lesson):
            return LessonData("x", lesson, {"drift_reading": "odd { brace {kept:>99999999} {kept[a]}"})

    assert sourcing.drift_reading(Case(), {"a": SimpleNamespace(kept=3)}) == "odd { brace {kept:>99999999} 3"
    assert sourcing.drift_reading(Case(), {}).startswith("[Placeholder]")
