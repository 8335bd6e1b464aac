"""What a student does with an exercise in JupyterLab: pick, tick, choose, type, then press Check.

`answers(item)` gives a wrong and a right answer for any item, read from the item itself (and, for
code items, from the instructor notebook's solution), so the tests follow the content as it changes.
`give(view, item, value)` puts a value into the item's live controls by clicking and typing.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from course_lib.checking.checks import option_label
from course_lib.frontend.widgets import order_label

from .labdriver import ROOT, button_name, shown_items

FEEDBACK_WAIT = 20_000  # ms; a code item runs the student's function in a separate process


#: Kinds with a browser test of their own, left out of the every-kind tests (which answer each kind with
#: Check in one lesson): the lateral-reading search page is driven in test_lab_lateral.py.
OWN_TEST = {"search": "test_lab_lateral.py"}


def first_item_of_each_kind() -> dict:
    """kind -> the first exercise of that kind that a lesson in lessons/ shows, in lesson order."""
    from course_lib import load_case
    from course_lib.case.items import KINDS
    items = load_case().exercises
    shown = {}
    for path in sorted((ROOT / "lessons").glob("*.ipynb")):
        for item_id in shown_items(path):
            item = items[item_id] if item_id in items else None
            if item is not None and item.kind not in shown and not item.worked:   # a worked example asks for no code
                shown[item.kind] = item
    return {kind: shown[kind] for kind in KINDS if kind in shown and kind not in OWN_TEST}


def lesson_of(item) -> str:
    for path in sorted((ROOT / "lessons").glob("*.ipynb")):
        if item.id in shown_items(path):
            return f"lessons/{path.name}"
    raise AssertionError(f"no lesson shows {item.id}")


def _solution_cell(item) -> str:
    """The instructor notebook's code that defines and answers a code item, solution included: the cell that
    defines the function with a solution region, and the answer(...) call (in that cell or a later one)."""
    for path in sorted((ROOT / "instructors" / "notebooks").glob("*.ipynb")):
        cells = [c for c in json.loads(path.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
        sources = ["".join(c["source"]) for c in cells]
        calls = [n for n, s in enumerate(sources) if f'answer("{item.id}"' in s]
        for n, source in enumerate(sources):
            if f"def {item.function}(" in source and "### BEGIN SOLUTION" in source and any(c >= n for c in calls):
                call = f'answer("{item.id}", {item.function})'
                return source if f'answer("{item.id}"' in source else f"{source.rstrip()}\n\n\n{call}\n"
    raise AssertionError(f"no instructor cell defines {item.function} and answers {item.id}")


def code_cells(item) -> tuple[str, str]:
    """(wrong, right) cell sources for a code item: the solution region replaced, or kept."""
    source = _solution_cell(item)
    region = re.compile(r"^([ \t]*)### BEGIN SOLUTION\n(.*?)^[ \t]*### END SOLUTION\n", re.M | re.S)
    assert region.search(source), f"the instructor cell for {item.id} has no solution region"
    right = region.sub(lambda m: m.group(2), source)
    wrong = region.sub(lambda m: f"{m.group(1)}return None\n", source)
    return wrong, right


def answers(item) -> tuple[object, object]:
    """(wrong, right) answers to `item`, as values `course_lib.answer` would take."""
    if item.kind == "single":
        right = next(o for o in item.options if o.correct)
        wrong = next(o for o in item.options if not o.correct and not o.accepted)
        return wrong.id, right.id
    if item.kind == "multiple":
        right = [o.id for o in item.options if o.correct]
        wrong = [next(o.id for o in item.options if not o.correct and not o.accepted)]
        return wrong, right
    if item.kind in ("classify", "match"):
        right = {e.id: e.key for e in item.entries}
        wrong = {e.id: next(c.id for c in item.choices if c.id != e.key and c.id not in e.accepted
                            and c.id not in e.partial) for e in item.entries}
        return wrong, right
    if item.kind == "order":
        right = [e.id for e in item.entries]
        return list(reversed(right)), right
    if item.kind == "numeric":
        wrong = item.mistakes[0].value if item.mistakes else item.answer + 100 * (1 + item.tolerance)
        return wrong, item.answer
    if item.kind == "code":
        return code_cells(item)
    words = "I would need to know who took part in the decision and who was told before the tweets went out"
    needed = max(item.min_words, 1)
    right = " ".join((words.split() * (needed // 20 + 1))[: max(needed + 2, 20)]) + "."
    return "Not sure.", right


def give(view, item, value) -> None:
    """Set the item's controls to `value` as a student would (not for code items: see LabPage)."""
    if item.kind == "single":
        option = next(o for o in item.options if o.id == value)
        view.get_by_role("radio", name=option_label(option), exact=True).check()
    elif item.kind == "multiple":
        for option in item.options:
            box = view.get_by_role("checkbox", name=option_label(option), exact=True)
            box.set_checked(option.id in value)
    elif item.kind in ("classify", "match"):
        names = {c.id: c.text for c in item.choices}
        verb = "Sort" if item.kind == "classify" else "Match"
        for entry in item.entries:  # found by its label, as a screen-reader user would
            # named "Sort c1 — “excerpt…”: <its sentence>" (label and sentence), so found by the start of the name
            view.get_by_role("combobox", name=re.compile(rf"^{re.escape(f'{verb} {entry.id}')}( — |:)")).select_option(
                label=names[value[entry.id]])
    elif item.kind == "order":
        entries = {e.id: e for e in item.entries}
        for n, entry_id in enumerate(value, start=1):   # options show their text: "e1 — Trump tweets…"
            view.get_by_role("combobox", name=f"Position {n}:", exact=True).select_option(
                label=order_label(entries[entry_id]))
    elif item.kind == "numeric":
        box = view.get_by_role("textbox")
        box.click()
        box.press("ControlOrMeta+a")
        box.press_sequentially(f"{value:g}" if isinstance(value, (int, float)) else str(value))
    elif item.kind == "text":
        box = view.get_by_role("textbox")
        box.click()
        box.press("ControlOrMeta+a")
        box.press("Delete")
        box.press_sequentially(value, delay=0)
    else:
        raise AssertionError(f"give() does not handle {item.kind} items")


def press(view, label: str) -> None:
    # A control's change reaches the kernel as a message of its own; give the last one a moment
    # before the click, whose message would otherwise race it on a loaded machine.
    view.page.wait_for_timeout(150)
    view.get_by_role("button", name=button_name(label)).click()


def output(view):
    """The exercise's feedback area (an Output widget inside the view)."""
    return view.locator(".widget-output").first


def expected_feedback(item, value):
    """What the exercise must say for `value`: the library's own check, in the test process."""
    from course_lib import load_case
    from course_lib.case.codebook import wrong_code_reason
    from course_lib.checking.checks import check
    case = load_case()
    return check(item, value, case.sources, code_reason=wrong_code_reason(case, item))


def read_progress(work_dir: Path) -> list[dict]:
    path = work_dir / "progress.json"
    assert path.is_file(), f"no {path.name} in the work folder"
    return json.loads(path.read_text(encoding="utf-8"))["records"]
