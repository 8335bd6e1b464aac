"""The exercise front ends without a browser: plain calls, the controls and their buttons, restore."""

import os
import subprocess
import sys

import ipywidgets as w
import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output

import course_lib
from course_lib import load_case
from course_lib.work import progress
from course_lib.frontend import widgets
from course_lib.checking import session
from course_lib.checking.checks import CORRECT, INCORRECT, UNANSWERED

CASE = load_case()
INPUTS = (w.RadioButtons, w.Checkbox, w.Dropdown, w.Text, w.Textarea, w.IntSlider, w.Button)


@pytest.fixture(autouse=True)
def fresh_work(tmp_path, monkeypatch):
    """Each test gets an empty work folder and a kernel session with no hints used."""
    monkeypatch.setenv(progress.WORK_DIR_ENV, str(tmp_path / "my-work"))
    monkeypatch.setattr(session, "_sessions", {})
    yield tmp_path / "my-work"


def texts(output: w.Output) -> str:
    return "\n".join(o.get("data", {}).get("text/plain", "") for o in output.outputs)


def descendants(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from descendants(child)


def parts(box):
    found = list(descendants(box))
    out = next(x for x in found if isinstance(x, w.Output))
    buttons = {b.description: b for b in found if isinstance(b, w.Button)}
    return found, out, buttons


def test_answer_records_each_attempt(fresh_work):
    assert session.answer("l0-single", "a").verdict == INCORRECT
    assert session.answer("l0-single", "b", confidence=70).verdict == CORRECT
    attempts = progress.store().attempts("l0-single")
    assert [(a.attempt, a.verdict, a.answer, a.confidence) for a in attempts] == [
        (1, INCORRECT, "a", None), (2, CORRECT, "b", 70)]
    assert (fresh_work / "progress.json").is_file()


def test_an_unanswered_item_is_not_recorded():
    assert session.answer("l0-single", None).verdict == UNANSWERED
    assert progress.store().attempts("l0-single") == []


def test_a_bad_confidence_is_explained_not_raised():
    fb = session.answer("l0-pre1", "fact", confidence="very")
    assert "Confidence is a whole number from 50 to 100" in fb.as_text()
    assert progress.store().last("l0-pre1").confidence is None


def confidence_box(found):
    return next(x for x in found if isinstance(x, w.Dropdown) and x.description == "How sure are you?")


def test_an_untouched_confidence_control_records_none_not_a_number():
    """The control starts at "not said"; checking without touching it saves no confidence (it once saved
    70, which lesson 02 read as a rating)."""
    box = widgets._build(CASE.exercises["l0-pre1"], None)
    found, out, buttons = parts(box)
    conf = confidence_box(found)
    assert conf.label == "not said" and conf.index == 0 and conf.value == widgets.NOT_SAID
    assert [label for label, _ in widgets.CONFIDENCE_CHOICES][1:] == ["50%", "60%", "70%", "80%", "90%", "100%"]
    next(x for x in found if isinstance(x, w.RadioButtons)).value = "opinion"
    buttons["Check"].click()
    assert progress.store().last("l0-pre1").confidence is None
    assert "Speaker A was" in texts(out)


def test_a_chosen_confidence_is_recorded_and_not_said_again_records_none():
    box = widgets._build(CASE.exercises["l0-pre2"], None)
    found, _, buttons = parts(box)
    conf, radio = confidence_box(found), next(x for x in found if isinstance(x, w.RadioButtons))
    radio.value = "fact"
    conf.value = 80
    buttons["Check"].click()
    conf.value = widgets.NOT_SAID
    radio.value = "opinion"
    buttons["Check"].click()
    assert [a.confidence for a in progress.store().attempts("l0-pre2")] == [80, None]


def test_the_confidence_control_is_put_back_on_rerun_and_absent_where_not_asked():
    session.answer("l0-pre3", "prediction", confidence=90)
    found, _, _ = parts(widgets._build(CASE.exercises["l0-pre3"], progress.store().last("l0-pre3")))
    assert confidence_box(found).value == 90
    found, _, _ = parts(widgets._build(CASE.exercises["l0-single"], None))
    assert not any(isinstance(x, w.Dropdown) for x in found)
    assert widgets.confidence_of(None) is None


def test_speaker_is_revealed_only_after_an_answer():
    item = CASE.exercises["l0-pre1"]
    assert "Trump" not in session.as_text(item)
    assert "Speaker A was President Trump" in session.answer("l0-pre1", "opinion").as_text()


@pytest.mark.parametrize("bad", ["no-such-item", 42, None, ["l0-single"]])
def test_an_unknown_item_gets_a_sentence(bad):
    note = session.answer(bad, "a")
    assert "There is no exercise" in note and "Exercise ids look like" in note


def test_hint_ladder_then_the_answer():
    assert session.show_answer("l0-numeric").startswith("Try the exercise once")
    ladder = [session.hint("l0-numeric") for _ in range(4)]
    assert ladder[0].startswith("Hint 1 of 3: Subtract")
    assert ladder[2].startswith("Hint 3 of 3: 1 day")
    assert ladder[3].startswith("No more hints")
    assert session.show_answer("l0-numeric").startswith("Reference answer: 1 days")
    session.answer("l0-numeric", 1)
    assert progress.store().last("l0-numeric").hints == 3


def test_the_text_version_shows_the_plain_call_without_giving_the_answer():
    for item in CASE.exercises:
        text = session.as_text(item)
        assert f'answer("{item.id}", ' in text and f'hint("{item.id}")' in text
    single = session.as_text(CASE.exercises["l0-single"])
    assert 'answer("l0-single", "<one of: a, b, c>")' in single


@pytest.mark.parametrize("item_id", [e.id for e in CASE.exercises])
def test_every_control_is_labelled(item_id):
    box = widgets._build(CASE.exercises[item_id], None)
    found, _, buttons = parts(box)
    for control in found:
        if isinstance(control, INPUTS):
            assert control.description.strip(), f"{type(control).__name__} without a label"
    item = CASE.exercises[item_id]
    if item.kind == "search":  # stopping is the check; each result has its Open button, and Start over
        opens = {f"Open result {n}" for n in range(1, len(item.results) + 1)}
        assert set(buttons) == {widgets.STOP_LABEL, "Hint", "Show answer", "Start over"} | opens
    else:
        assert set(buttons) == {"Check", "Hint", "Show answer"}
    assert buttons["Show answer"].disabled


def test_clicking_check_gives_feedback_and_saves():
    box = widgets._build(CASE.exercises["l0-single"], None)
    found, out, buttons = parts(box)
    radio = next(x for x in found if isinstance(x, w.RadioButtons))
    radio.value = "a"
    buttons["Check"].click()
    assert "✘ Not yet." in texts(out)
    assert not buttons["Show answer"].disabled
    radio.value = "b"
    buttons["Check"].click()
    assert texts(out).startswith("✔ Correct.")
    assert progress.store().last("l0-single").verdict == CORRECT


def test_enter_in_the_number_box_checks_the_answer():
    box = widgets._build(CASE.exercises["l0-numeric"], None)
    found, out, _ = parts(box)
    number = next(x for x in found if isinstance(x, w.Text))
    number.value = "1 day"
    number._handle_msg({"content": {"data": {"method": "custom", "content": {"event": "submit"}}}, "buffers": []})
    assert texts(out).startswith("✔ Correct.")
    assert progress.store().last("l0-numeric").verdict == CORRECT


def test_a_value_that_is_no_number_is_a_format_hint_not_a_wrong_attempt():
    box = widgets._build(CASE.exercises["l0-numeric"], None)
    found, out, buttons = parts(box)
    next(x for x in found if isinstance(x, w.Text)).value = "one day-ish"
    buttons["Check"].click()
    assert "Not answered yet" in texts(out) and "0,25" in texts(out)
    assert progress.store().last("l0-numeric") is None


@pytest.mark.parametrize("item_id", ["l0-single", "l0-classify", "l0-order", "l0-numeric"])
def test_the_view_carries_what_the_page_helper_needs(item_id):
    """A heading with an id, the prompt with an id, the frame and feedback classes, named drop-downs."""
    box = widgets._build(CASE.exercises[item_id], None)
    found, out, _ = parts(box)
    header = found[1]
    assert header.value.startswith('<h3 class="course-exercise-title" id="course-')
    assert 'class="course-exercise-prompt"' in header.value
    assert "course-exercise" in box._dom_classes and "course-feedback-area" in out._dom_classes
    for drop in (x for x in found if isinstance(x, w.Dropdown)):
        assert drop.layout.width == "auto", "a drop-down is as wide as its longest option, never cut off"
    if item_id == "l0-classify":
        named = [c for x in found if isinstance(x, w.Dropdown) for c in x._dom_classes if "named-by" in c]
        ids = [c.removeprefix("course-named-by-") for c in named]
        assert len(ids) == len(CASE.exercises[item_id].entries)
        assert all(f'id="{i}"' in "".join(x.value for x in found if isinstance(x, w.HTML)) for i in ids)


def test_the_page_helper_is_sent_on_one_line_and_still_parses():
    """Every exercise's output stores it: one line, no comments, the same code (node checks the syntax)."""
    import shutil
    import subprocess
    js = widgets.PAGE_JS
    assert "\n" not in js and "//" not in js and len(js) < 5000
    assert all(part in js for part in ("event.stopPropagation()", "'radiogroup'", "course-download-now"))
    node = shutil.which("node")
    if node:
        checked = subprocess.run([node, "--check", "-"], input=js, capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr


def test_the_page_helper_keeps_keys_in_the_exercise_but_not_ctrl_combinations():
    js = widgets.KEYBOARD_JS
    assert "stopPropagation" in js and "event.ctrlKey || event.metaKey || event.altKey" in js
    assert "'radiogroup'" in js and "'aria-live', 'polite'" in js and "outline: 2px solid" in js


def test_clicking_through_a_classify_item():
    box = widgets._build(CASE.exercises["l0-classify"], None)
    found, out, buttons = parts(box)
    drops = [x for x in found if isinstance(x, w.Dropdown)]
    for drop, value in zip(drops, ["fact", "opinion", "opinion"]):
        drop.value = value
    buttons["Check"].click()
    assert "◐ Partly correct. (67%)" in texts(out)


def test_the_hint_button_climbs_and_unlocks_the_answer():
    box = widgets._build(CASE.exercises["l0-order"], None)
    _, out, buttons = parts(box)
    for _ in range(3):
        buttons["Hint"].click()
    assert "Hint 3 of 3" in texts(out) and not buttons["Show answer"].disabled
    buttons["Show answer"].click()
    assert "Reference answer: summit → gangster → iaea → announce → tweets" in texts(out)


def test_the_code_button_checks_the_notebook_function():
    shell = InteractiveShell.instance()
    shell.user_ns["days_between"] = lambda first, second: (second - first).days
    box = widgets._build(CASE.exercises["l0-code"], None)
    _, out, buttons = parts(box)
    buttons["Check"].click()
    assert "passed all 4 hidden cases" in texts(out)


def test_rerunning_restores_the_last_answer_and_feedback():
    session.answer("l0-multiple", ["a", "c"])
    box = widgets._build(CASE.exercises["l0-multiple"], progress.store().last("l0-multiple"))
    found, out, buttons = parts(box)
    ticks = [x.value for x in found if isinstance(x, w.Checkbox)]
    assert ticks == [True, False, True, False]
    assert "Your last answer (attempt 1) was partly correct" in texts(out)
    assert "◐ Partly correct." in texts(out)
    assert not buttons["Show answer"].disabled


def test_show_displays_a_widget_with_a_text_twin():
    InteractiveShell.instance()
    with capture_output() as captured:
        widgets.show("l0-match")
    (helper, shown) = captured.outputs
    assert helper.data == {"application/javascript": widgets.PAGE_JS}
    assert "application/vnd.jupyter.widget-view+json" in shown.data
    assert shown.data["text/plain"].startswith("Exercise l0-match: Practice: matching")


def test_the_view_bundle_is_ipywidgets_own_with_the_text_twin():
    """show() builds the bundle without ipywidgets' repr of every model; the view part must be identical."""
    box = widgets._build(CASE.exercises["l0-classify"], None)
    theirs, ours = box._repr_mimebundle_(), widgets.view_bundle(box, "the text twin")
    assert ours == {**theirs, "text/plain": "the text twin"} and theirs["text/plain"] != "the text twin"


@pytest.mark.parametrize("item_id", ["l0-single", "l0-classify", "l0-numeric", "l0-text"])
def test_an_exercise_is_sent_whole_with_no_update_after_its_models(item_id, monkeypatch):
    """Each model goes to the page with its classes and values (comm_open); a change made after it was
    opened (add_class, a value set later) would cost one more message per control."""
    sent = []
    real = w.Widget.send_state
    monkeypatch.setattr(w.Widget, "send_state", lambda self, key=None: (sent.append((type(self).__name__, key)),
                                                                       real(self, key))[1])
    widgets._build(CASE.exercises[item_id], None)
    assert sent == []


def test_show_of_an_unknown_item_says_so():
    InteractiveShell.instance()
    with capture_output() as captured:
        widgets.show("l9-nothing")
    assert "There is no exercise 'l9-nothing'" in captured.outputs[0].data["text/plain"]


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(item_id=st.sampled_from([e.id for e in CASE.exercises if e.kind != "code"]),
       value=st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
                          lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
                          max_leaves=10),
       confidence=st.none() | st.integers(0, 200) | st.text(max_size=3))
def test_answer_takes_anything_and_saves_what_it_checked(item_id, value, confidence):
    fb = session.answer(item_id, value, confidence=confidence)
    assert fb.verdict in {CORRECT, INCORRECT, UNANSWERED, "partly correct", "kept"}
    last = progress.store().last(item_id)
    if fb.verdict != UNANSWERED:
        assert last is not None and last.verdict == fb.verdict


def test_show_in_a_plain_console_prints_the_text_version(tmp_path):
    import subprocess
    import sys
    code = "import course_lib; course_lib.show('l0-order'); course_lib.show('nope')"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"COURSE_LIB_WORK_DIR": str(tmp_path), "PATH": ""}).stdout
    assert out.startswith("Exercise l0-order: Practice: ordering\n")
    assert 'answer("l0-order", ' in out and "There is no exercise 'nope'" in out


def test_a_reference_shows_only_after_the_attempt():
    shown = session.after_trying(["l0-single", "l0-numeric"], "THE REFERENCE")
    assert "THE REFERENCE" not in repr(shown) and "l0-single, l0-numeric" in repr(shown)
    session.answer("l0-single", "a")
    assert "l0-numeric" in repr(session.after_trying(["l0-single", "l0-numeric"], "THE REFERENCE"))
    session.answer("l0-numeric", "7")
    assert repr(session.after_trying(["l0-single", "l0-numeric"], "THE REFERENCE")) == "THE REFERENCE"
    assert session.after_trying("l0-single", [1]) == [1]
    assert session.untried("l0-single", "l0-order") == ["l0-order"]


def test_option_labels_do_not_repeat_their_id_and_answers_end_in_one_full_stop():
    spot = CASE.exercises["l2-drift-spot"]
    labels = [widgets.option_label(o) for o in spot.options]
    assert labels[0].startswith("c1, p1.s1:") and not any(") c" in label[:5] for label in labels)
    assert widgets.option_label(CASE.exercises["l0-single"].options[0]) == "a) Friday 24 August 2018"
    assert "c1) c1" not in session.as_text(spot)
    for item in CASE.exercises:
        session._sessions.clear()
        for _ in item.hints:
            session.hint(item.id)
        assert ".." not in repr(session.show_answer(item.id)).replace("...", ""), item.id


def test_enter_waits_for_keystrokes_that_arrive_after_it(monkeypatch):
    """In a kernel, the value update of the last keys can come after Enter: the check waits for it."""
    import asyncio
    import threading
    monkeypatch.setattr(widgets, "_kernel_loop", asyncio.get_running_loop)  # as the kernel's loop would
    box = widgets._build(CASE.exercises["l0-numeric"], None)
    found, out, _ = parts(box)
    number = next(x for x in found if isinstance(x, w.Text))

    async def student():
        number.value = "0"
        number._handle_msg({"content": {"data": {"method": "custom", "content": {"event": "submit"}}},
                            "buffers": []})
        number.value = "1 day"           # the throttled update, after Enter
        await asyncio.sleep(0.6)
    runner = threading.Thread(target=asyncio.run, args=(student(),))  # a loop of its own, whatever runs here
    runner.start()
    runner.join()
    assert texts(out).startswith("✔ Correct.")
    assert [a.answer for a in progress.store().attempts("l0-numeric")] == ["1 day"], "one attempt, as typed"


def test_a_search_page_logs_each_opening_and_stopping_checks_the_path():
    """Open buttons add to the path in the order clicked (the first click first), each shows its page;
    Stop checks and saves the path; Start over clears it; a rerun restores the last path."""
    item = CASE.exercises["l2-lateral-search"]
    box = widgets._build(item, None)
    found, out, buttons = parts(box)
    rank = {r.id: n for n, r in enumerate(item.results, 1)}
    own = next(r for r in item.results if r.role == "own")
    independent = [r for r in item.results if r.role == "independent"]
    for r in (own, independent[0], own):
        buttons[f"Open result {rank[r.id]}"].click()
    shown = "".join(x.value for x in found if isinstance(x, w.HTML))
    assert f"Opened so far: {own.id} → {independent[0].id}." in shown
    assert html_escape(own.opened) in shown and html_escape(independent[0].opened) in shown
    buttons[widgets.STOP_LABEL].click()
    saved = progress.store().last(item.id)
    assert saved.answer == [own.id, independent[0].id, "stop"] and saved.verdict == "partly correct"
    assert f"First click: {own.id} (result {rank[own.id]} of {len(item.results)}" in texts(out)
    buttons["Start over"].click()
    assert html_escape(own.opened) not in "".join(x.value for x in found if isinstance(x, w.HTML))
    buttons[f"Open result {rank[independent[0].id]}"].click()
    buttons[widgets.STOP_LABEL].click()
    assert progress.store().last(item.id).answer == [independent[0].id, "stop"]
    assert progress.store().last(item.id).verdict == CORRECT
    again = widgets._build(item, progress.store().last(item.id))
    restored = "".join(x.value for x in descendants(again) if isinstance(x, w.HTML))
    assert f"Opened so far: {independent[0].id}." in restored


def test_a_search_page_is_a_list_of_results_with_headings():
    item = CASE.exercises["l2-lateral-search"]
    box = widgets._build(item, None)
    found = list(descendants(box))
    listing = [x for x in found if "course-results" in getattr(x, "_dom_classes", ())]
    assert len(listing) == 1 and all("course-result" in r._dom_classes for r in listing[0].children)
    headings = [x.value for x in found if isinstance(x, w.HTML) and x.value.startswith("<h4")]
    assert len(headings) == len(item.results) and all(r.title.split("|")[0].strip()[:20] in "".join(headings)
                                                       for r in item.results if "&" not in r.title)
    assert "'role', 'list'" in widgets.PAGE_JS and "'listitem'" in widgets.PAGE_JS
    assert "Search results (simulated" in session.as_text(item)


def html_escape(text):
    import html
    return html.escape(text)


# ---- drop-downs that say what they sort ----------------------------------------------------------

@pytest.mark.parametrize("text, limit, expected", [
    ("Short text.", 40, "Short text."),
    ("Just one day earlier, on Thursday, Pompeo had announced", 30, "Just one day earlier, on…"),
    ("Antidisestablishmentarianism forever", 10, "Antidisest…"),
    ("  spread \n over   lines  ", 40, "spread over lines"),
])
def test_excerpt_cuts_at_a_word_and_says_so(text, limit, expected):
    assert widgets.excerpt(text, limit) == expected
    assert len(widgets.excerpt(text, limit)) <= limit + 1


@pytest.mark.parametrize("item_id", [e.id for e in CASE.exercises if e.kind in ("classify", "match")])
def test_sorting_drop_downs_carry_an_excerpt_and_the_full_text_as_tooltip(item_id):
    item = CASE.exercises[item_id]
    found, _, _ = parts(widgets._build(item, None))
    drops = [x for x in found if isinstance(x, w.Dropdown) and x.description != "How sure are you?"]
    assert len(drops) == len(item.entries)
    verb = "Sort" if item.kind == "classify" else "Match"
    for entry, drop in zip(item.entries, drops):
        assert drop.description.startswith(f"{verb} {entry.id} — “") and drop.description.endswith("”:")
        assert widgets.excerpt(entry.text.strip("“”")) in drop.description and "““" not in drop.description
        assert drop.tooltip == entry.text


@pytest.mark.parametrize("item_id", [e.id for e in CASE.exercises if e.kind == "order"])
def test_ordering_options_show_their_text_not_bare_ids(item_id):
    item = CASE.exercises[item_id]
    found, _, _ = parts(widgets._build(item, None))
    drops = [x for x in found if isinstance(x, w.Dropdown) and x.description.startswith("Position ")]
    assert len(drops) == len(item.entries)
    labels = {label: value for label, value in drops[0].options if value is not None}
    assert set(labels.values()) == {e.id for e in item.entries}
    for entry in item.entries:
        label = widgets.order_label(entry)
        assert labels[label] == entry.id and label.startswith(f"{entry.id} — {entry.text[:20]}")


# ---- the sensitivity lab of lesson 04b ------------------------------------------------------------

def test_the_sensitivity_lab_is_the_library_and_says_why_it_refuses():
    from course_lib.analysis import coordination
    case = load_case()
    events = coordination.events(case)
    table = widgets.sensitivity_lab(events, case=case)
    found = [p for same in (False, True) for p in coordination.reversals(events, 3, 4.0, 1.0, same_actor=same)]
    assert len(table.rows) == len(found) and ("coordination", "e31 → e34") == table.rows[3][:2]
    recoded = widgets.sensitivity_lab(events, 3, 4.0, 1.0, {"e34": "164"}, case)
    assert "e34 coded 164" in recoded.caption and any("+4.0 → −7.0" in r[4] or "+4.0 → -7.0" in r[4]
                                                      for r in recoded.rows)
    refused = widgets.sensitivity_lab(events, 3, 4.0, 1.0, {"e34": "999"}, case)
    assert refused.headers == ("problem",) and "999" in refused.rows[0][0]


def test_the_sensitivity_grid_lists_each_finding_once_with_its_verdict():
    from course_lib.analysis import coordination
    case = load_case()
    events = coordination.events(case)
    grid = widgets.sensitivity_grid(events, case=case)
    expected = sum(len(coordination.sensitivity(events, same_actor=same, case=case).findings) for same in (False, True))
    assert len(grid.rows) == expected
    survivors = {r[1] for r in grid.rows if r[-1] == "yes"}
    assert "e31 → e34" in survivors and "e03 → e04" not in survivors


def test_the_sensitivity_panel_has_a_text_twin_and_labelled_drop_downs():
    from course_lib.analysis import coordination
    case = load_case()
    shown = []
    import IPython.display
    original = IPython.display.display
    IPython.display.display = lambda obj, raw=False, **_: shown.append(obj)
    try:
        widgets.sensitivity_panel(coordination.events(case), case=case)
    finally:
        IPython.display.display = original
    (view,) = shown
    assert view["text/plain"].startswith("Sensitivity lab: choices for the window")
    assert "Reversals with a 3-day window" in view["text/plain"]


@pytest.mark.parametrize("item_id", ["l0-pre3", "l6-post3"])
def test_a_test_item_opens_its_hints_only_after_the_first_answer(item_id):
    """Pre-test (named as a partner) and post-test (has one) alike: before the first answer, hint() and the
    Hint button give one line and count no hint, Show answer stays shut; after it, the ladder opens."""
    item = CASE.exercises[item_id]
    assert session.hint(item_id) == session.TEST_HINT
    box = widgets._build(item, None)
    _, out, buttons = parts(box)
    buttons["Hint"].click()
    buttons["Hint"].click()
    assert texts(out).count("hints open after your first answer") == 2 and "Hint 1 of" not in texts(out)
    assert buttons["Show answer"].disabled
    assert session.show_answer(item_id).startswith("Try the exercise once")
    wrong = next(o.id for o in item.options if not o.correct and not o.accepted)
    session.answer(item_id, wrong, confidence=70)
    assert progress.store().last(item_id).hints == 0, "the first attempt carries no hint"
    assert session.hint(item_id).startswith(f"Hint 1 of {len(item.hints)}:")
    assert session.show_answer(item_id).startswith("Reference answer:")


def test_a_practice_item_keeps_its_hints_before_an_answer():
    assert not session.is_test_item(CASE.exercises["l0-single"])
    assert session.hint("l0-single").startswith("Hint 1 of")


def test_a_worked_example_is_checked_but_never_saved_as_the_students_work():
    """Lesson 00's function is given whole: running the lesson again must not add an attempt each time."""
    item = next(e for e in CASE.exercises if e.kind == "code" and e.worked)

    def days_between(first, second):
        return (second - first).days
    for _ in range(2):
        fb = session.answer(item.id, days_between)
        assert fb.verdict == "correct" and any("not saved" in d for d in fb.details)
    assert progress.store().attempts(item.id) == []


def test_each_kind_is_one_entry_in_each_table():
    """A kind's file shape (case), its checker and words (checking) and its controls (frontend) are one entry
    in one table each, and the three tables name the same kinds: a kind missing from one would fail at once."""
    from course_lib.case.items import KINDS, SHAPES
    from course_lib.checking.checks import RULES
    assert tuple(SHAPES) == tuple(RULES) == tuple(widgets.CONTROLS) == KINDS


def test_the_plain_calls_need_no_widgets(fresh_work):
    """answer, hint and show_answer live apart from the drawing: a console answers without ipywidgets."""
    code = ("import sys, course_lib; course_lib.answer('l0-single', 'b'); course_lib.hint('l0-single'); "
            "course_lib.show_answer('l0-single'); course_lib.after_trying('l0-single', 'x'); "
            "print(sorted(m for m in ('ipywidgets', 'matplotlib', 'course_lib.frontend.widgets') if m in sys.modules))")
    env = {**os.environ, progress.WORK_DIR_ENV: str(fresh_work)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert out.stdout.strip() == "[]"
    assert course_lib.answer is session.answer and course_lib.show is widgets.show
