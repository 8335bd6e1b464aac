"""The plain calls of an exercise: `answer`, `hint`, `show_answer`, and what this kernel knows of each item.

`answer(item_id, value)` is the plain-call alternative to every widget, for keyboard and screen-reader
users, static HTML and the tests; `frontend.widgets.show` draws the same exercise as controls that call
these same functions. Each checks with `checks.check`, records the attempt through `work.progress`
(a worked example's is checked, never recorded) and gives feedback, never a traceback. `as_text` is
the exercise as text, with the call that answers it: what a page with no widgets shows.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field, replace

from course_lib.work.note import Note
from course_lib.work import fileformat, progress
from course_lib.work.fileformat import CORRECT, INCORRECT, KEPT, PARTLY, UNANSWERED
from course_lib.case.crosscheck import did_you_mean
from course_lib.case.records import current_case
from course_lib.case.codebook import wrong_code_reason
from course_lib.checking.checks import RULES, Feedback, check, reference_answer, safe_repr

__all__ = ["TEST_HINT", "after_trying", "all_hints_used", "answer", "as_text", "find", "hint", "is_test_item",
           "last_attempt", "recheck", "show_answer", "untried"]


@dataclass
class _Session:
    """What this kernel knows about one item: hints used and when work on it started."""

    hints: int = 0
    started: float = field(default_factory=time.monotonic)


_sessions: dict[tuple[str, str], _Session] = {}


def _session(item_id: str) -> _Session:
    """The item's session in the current case (two cases may use one item id)."""
    return _sessions.setdefault((str(current_case().path), item_id), _Session())


def find(item_id):
    """The exercise with this id, or a Note saying which ids exist."""
    case = current_case()
    key = item_id if isinstance(item_id, str) else None
    if key is not None and key in case.exercises:
        return case.exercises[key]
    elsewhere = _other_cases_with(key)
    if elsewhere:   # asked in a lesson of another case: say which, never serve that case's item
        name = elsewhere[0]
        return Note(f"[Placeholder] The exercise {safe_repr(item_id, 40)} belongs to the case {name}, not to the "
                    f"current case {case.info.id}: add it to this case's exercises (cases/README.md), or run "
                    f"course_lib.use_case({name!r}) first to work on {name}.")
    hint_ = did_you_mean(key, case.exercises.ids, sentence=True)
    if key and not hint_ and re.fullmatch(r"l\d+[a-z]?-[a-z0-9-]+", key):   # a lesson's item this case lacks
        return Note(f"[Placeholder] There is no exercise {key!r} in this case ({case.info.id}): add it to the "
                    "case's exercises (cases/README.md), or skip this cell.")
    return Note(f"There is no exercise {safe_repr(item_id, 40)} in this course.{hint_} Exercise ids look like "
                f"{case.exercises.ids[0]!r}." if len(case.exercises) else "This case has no exercises.")


def _other_cases_with(item_id) -> tuple[str, ...]:
    """The other cases (bundled, or read in this kernel) that have this exercise id; () if none or unsure."""
    from course_lib.case.records import cases_with_item
    try:
        return cases_with_item(item_id) if isinstance(item_id, str) else ()
    except Exception:
        return ()


def _check(item, value) -> Feedback:
    """`check` with the current case's source cards and its codebook's reasons."""
    case = current_case()
    return check(item, value, case.sources, code_reason=wrong_code_reason(case, item))


def answer(item_id, value=None, *, confidence=None) -> Feedback | Note:
    """Check an answer, record the attempt (a worked example's is checked, never recorded), and return the
    feedback (it displays itself)."""
    item = find(item_id)
    if isinstance(item, Note):
        return item
    fb = _check(item, value)
    notes = []
    conf = None
    if confidence is not None:
        if type(confidence) is int and 50 <= confidence <= 100:
            conf = confidence
        else:
            notes.append("Confidence is a whole number from 50 to 100; it was not recorded.")
    st = _session(item.id)
    if fb.verdict != UNANSWERED and item.worked:   # the lesson's own code, not the student's: nothing to keep,
        notes.append("A worked example: it is checked, not saved as your work.")   # so a rerun adds nothing
    elif fb.verdict != UNANSWERED:
        store = progress.store()
        saved = RULES[item.kind].saved
        value_kept = saved(value) if saved is not None else value
        store.record(item.id, fileformat.json_safe(value_kept), fb.verdict, score=fb.score, hints=st.hints,
                     seconds=round(time.monotonic() - st.started, 1), confidence=conf, feedback=fb.as_text())
        notes += store.notices
        store.notices.clear()
        st.started = time.monotonic()
    if item.reveal and fb.verdict != UNANSWERED:
        notes.insert(0, item.reveal)
    return replace(fb, details=fb.details + tuple(notes)) if notes else fb


TEST_HINT = "This is a test item: answer it first; hints open after your first answer."


def is_test_item(item) -> bool:
    """A pre- or post-test item: one with a `parallel` partner, or one another item names as its partner."""
    return bool(item.parallel) or any(e.parallel == item.id for e in current_case().exercises)


def hint(item_id) -> Note:
    """The next hint of the ladder: the concept, then where the evidence is, then the answer. On a pre- or
    post-test item the ladder opens only after the first answer, so the first attempt measures the
    student alone; before it, one line says so and no hint is counted."""
    item = find(item_id)
    if isinstance(item, Note):
        return item
    if is_test_item(item) and last_attempt(item) is None:
        return Note(TEST_HINT)
    st = _session(item.id)
    if st.hints >= len(item.hints):
        return Note(f"No more hints: that was the last. The answer: {reference_answer(item)}")
    st.hints += 1
    return Note(f"Hint {st.hints} of {len(item.hints)}: {item.hints[st.hints - 1]}")


def all_hints_used(item) -> bool:
    """Whether this kernel has given every hint of the item's ladder."""
    return _session(item.id).hints >= len(item.hints)


def last_attempt(item):
    """The student's last saved attempt at the item, or None."""
    return progress.store().last(item.id)


def show_answer(item_id) -> Note:
    """The reference answer, once the student has tried or used every hint."""
    item = find(item_id)
    if isinstance(item, Note):
        return item
    if not (last_attempt(item) is not None or all_hints_used(item)):
        return Note("Try the exercise once, or use all the hints, before you look at the answer.")
    return Note(f"Reference answer: {_sentence(reference_answer(item))} {item.explain}".strip())


def _sentence(text: str) -> str:
    """Text ending in one full stop (an option or hint may end in its own)."""
    text = text.rstrip()
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def untried(*item_ids) -> list[str]:
    """The ids among `item_ids` the student has not answered yet (no attempt saved), in the order given."""
    work = progress.store()
    return [i for i in item_ids if work.last(i) is None]


def after_trying(item_ids, content):
    """`content` once every exercise in `item_ids` has been tried, else a sentence saying which to try
    first: a reference reading in a lesson never shows (nor sits in stored output) before the attempt."""
    ids = [item_ids] if isinstance(item_ids, str) else list(item_ids)
    left = untried(*ids)
    if not left:
        return Note(content) if isinstance(content, str) else content
    return Note(f"The reference appears here once you have answered {', '.join(left)} above; "
                "then run this cell again.")


def recheck(item, last):
    """The feedback of the last attempt: checked again where the answer was saved as given, else as saved."""
    if RULES[item.kind].saved is not None or last.verdict not in (CORRECT, PARTLY, INCORRECT, KEPT):
        return Note(last.feedback)
    return _check(item, last.answer)


def as_text(item, last=None) -> str:
    """The exercise as readable text, with the plain call that answers it."""
    rules = RULES[item.kind]
    lines = [f"Exercise {item.id}: {item.title}", item.prompt, *rules.listing(item)]
    lines.append(f'Answer with: answer("{item.id}", {rules.example(item)})'
                 + ("  (add confidence=80 to say how sure you are, 50-100)" if item.confidence else ""))
    lines.append(f'Hints: hint("{item.id}")')
    if last is not None:
        lines.append(f"Your last answer (attempt {last.attempt}) was {last.verdict}.")
    return "\n".join(lines)
