"""Lessons 04a to 06 name no case ids: the library functions they call read the case's lessons.toml
(timeline window and lanes, disputed events, stance figure, the memo's example) from the current case,
and a case that lacks a key gets one sentence naming it, never a traceback or an empty figure (#19)."""

import shutil
from datetime import date

import IPython.display
import pytest
from IPython.core.interactiveshell import InteractiveShell

from course_lib.analysis import coordination
from course_lib.case import records
from course_lib.case.records import BUNDLED_CASE, load_case
from course_lib.frontend import memo, plots, widgets

CASE = load_case()


@pytest.fixture
def displayed(monkeypatch):
    calls = []
    monkeypatch.setattr(InteractiveShell, "initialized", classmethod(lambda cls: True))
    monkeypatch.setattr(IPython.display, "display", lambda *objs, **_: calls.extend(objs))
    return calls


@pytest.fixture
def bare_case(tmp_path, monkeypatch):
    """The bundled case without its lessons.toml, made the current case for the test."""
    monkeypatch.setenv("COURSE_LIB_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "bare"
    shutil.copytree(BUNDLED_CASE, folder)
    (folder / "lessons.toml").unlink()
    monkeypatch.setattr(records, "_current", None)
    case = records.use_case(folder)
    yield case
    monkeypatch.setattr(records, "_current", None)


def test_the_swimlane_draws_the_lessons_window_and_lanes_by_default(displayed):
    data = CASE.lesson_data("04a")
    plots.swimlane(coordination.events(CASE))
    alt = displayed[0]["text/plain"]
    start, end = data["timeline_start"], data["timeline_end"]
    assert f"Swimlane timeline from {start:%d %B} to {end:%d %B %Y}" in alt
    assert f"({', '.join(data['lane_actors'])})" in str(alt)
    assert f"outside the {data['home_name']} government" in str(alt)


def test_the_swimlane_names_an_unknown_lane(capsys, displayed):
    plots.swimlane(coordination.events(CASE), lanes=[CASE.actors.ids[0], "XYZ"])
    out = capsys.readouterr().out
    assert "unknown actor 'XYZ'" in out and displayed == []


def test_the_stance_series_refuses_an_unknown_speaker():
    with pytest.raises(ValueError, match="unknown speaker 'XYZ'"):
        plots.stance_series(CASE, {"XYZ": "nobody"})


def test_the_lab_keeps_the_disputed_events_reference_codes_unless_given():
    disputed = CASE.lesson_data("04b")["disputed_events"]
    events = coordination.events(CASE)
    table = widgets.sensitivity_lab(events, case=CASE)
    assert all(f"{key} coded {CASE.events[key].cameo}" in table.caption for key in disputed)
    other = next(c for c in (CASE.events[disputed[-1]].alternatives or ("036",)))
    recoded = widgets.sensitivity_lab(events, codes={disputed[-1]: other}, case=CASE)
    assert f"{disputed[-1]} coded {other}" in recoded.caption


def test_the_memos_example_result_is_the_cases():
    name, settings = memo.example_result(CASE)
    assert name == CASE.lesson_data("06")["example_result"]
    assert settings == coordination.DEFAULTS.reversal_settings()


def test_a_case_without_lesson_data_gets_a_sentence_naming_the_key(bare_case, capsys, displayed):
    events = coordination.events(bare_case)
    plots.swimlane(events)
    assert "has no `timeline_start` for lesson 04a" in capsys.readouterr().out and displayed == []
    plots.stance_figure(bare_case)
    assert "has no `series_alt` for lesson 05a" in capsys.readouterr().out and displayed == []
    widgets.sensitivity_panel(events, case=bare_case)
    assert "has no `disputed_events` for lesson 04b" in capsys.readouterr().out
    (panel,) = displayed                                 # the settings alone, still usable
    assert panel["text/plain"].startswith("Sensitivity lab:")
    assert memo.example_result(bare_case) is None
    plots.swimlane(events, date(2018, 8, 20), date(2018, 8, 29), lanes=bare_case.actors.ids[:2],
                   home=bare_case.governments.ids[0])   # everything given: no lesson data needed
    assert len(displayed) > 1
