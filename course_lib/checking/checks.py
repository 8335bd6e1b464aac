"""Checking answers: `check(item, answer) -> Feedback`, a pure function for every exercise kind.

Feedback follows the same four steps every time: the verdict in words, why (under ~60 words),
the source card that settles it, and the next move. Any value of any type gets feedback, never an
exception: student input is untrusted, never evaluated, and escaped wherever it is echoed as HTML.
A code item runs the student's function on hidden cases in a separate process with a time limit.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass
from typing import Callable, Mapping

from course_lib.checking.values import read_number as _read_number
from course_lib.checking.values import FORMATS, describe_call, readable, safe_repr
from course_lib.work.fileformat import CORRECT, INCORRECT, KEPT, PARTLY, UNANSWERED
from course_lib.checking.coderun import run_with_limit
from course_lib.case.items import Exercise

SYMBOL = {CORRECT: "✔", PARTLY: "◐", INCORRECT: "✘", UNANSWERED: "…", KEPT: "✎"}
HEADLINE = {CORRECT: "Correct.", PARTLY: "Partly correct.", INCORRECT: "Not yet.",
            UNANSWERED: "Not answered yet.", KEPT: "Kept."}


@dataclass(frozen=True)
class Feedback:
    """What a check says: a verdict, why, the evidence, and what to do next."""

    item: str
    verdict: str
    message: str
    score: float | None = None
    evidence: str = ""            # "source card <id>" with its speaker and date when known
    next: str = ""
    details: tuple[str, ...] = ()  # one line per part (classify, match, order, code cases)
    misconceptions: tuple[str, ...] = ()
    answer_text: str = ""         # how the answer was read, as plain text (escaped in HTML)

    @property
    def headline(self) -> str:
        score = f" ({round(self.score * 100)}%)" if self.verdict == PARTLY and self.score is not None else ""
        return f"{SYMBOL[self.verdict]} {HEADLINE[self.verdict]}{score}"

    def as_text(self) -> str:
        lines = [self.headline]
        if self.answer_text:
            lines.append(f"Your answer: {self.answer_text}")
        lines.append(self.message)
        lines += [f"  - {d}" for d in self.details]
        if self.evidence:
            lines.append(f"Evidence: {self.evidence}")
        if self.next:
            lines.append(f"Next: {self.next}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.as_text()

    def __repr__(self) -> str:
        return self.as_text()

    def _repr_html_(self) -> str:
        e = html.escape
        parts = [f'<div class="course-feedback" role="status" data-verdict="{e(self.verdict)}">',
                 f"<p><strong>{e(self.headline)}</strong></p>"]
        if self.answer_text:
            parts.append(f"<p>Your answer: <code>{e(self.answer_text)}</code></p>")
        parts.append(f"<p>{e(self.message)}</p>")
        if self.details:
            parts.append("<ul>" + "".join(f"<li>{e(d)}</li>" for d in self.details) + "</ul>")
        if self.evidence:
            parts.append(f"<p>Evidence: {e(self.evidence)}</p>")
        if self.next:
            parts.append(f"<p>Next: {e(self.next)}</p>")
        return "".join(parts) + "</div>"


def check(item: Exercise, answer, sources: Mapping | None = None, *,
          code_reason: Callable[[str, str], str] | None = None) -> Feedback:
    """Check `answer` against `item`; `sources` (id -> card) lets feedback name the evidence.

    `code_reason(chosen, reference)`, for a coding item (course_lib.case.codebook.wrong_code_reason), says
    what the codebook makes of a wrong code and of the reference code, before the entry's own feedback."""
    try:
        if _unanswered(answer):
            feedback = Feedback(item.id, UNANSWERED, _how_to_answer(item))
        else:
            feedback = RULES[item.kind].check(item, answer, code_reason)
    except Exception as exc:  # a hostile value must still get an answer, not a traceback
        feedback = Feedback(item.id, INCORRECT, "Your answer could not be read. " + _how_to_answer(item),
                            answer_text=safe_repr(answer), details=(f"({type(exc).__name__})",))
    return _finish(item, feedback, sources)


def _finish(item, fb: Feedback, sources) -> Feedback:
    if fb.verdict in (CORRECT, KEPT):
        next_move = item.next
    elif fb.verdict == UNANSWERED:
        next_move = f'Give it a try, or ask for a hint: hint("{item.id}").'
    else:
        next_move = f'Read the feedback, then try again, or ask for a hint: hint("{item.id}").'
    extra = item.explain + " " if fb.verdict == CORRECT and item.explain else ""   # a text item is never CORRECT
    return Feedback(fb.item, fb.verdict, (extra + fb.message).strip(), fb.score, evidence_of(item, sources),
                    next_move, fb.details, fb.misconceptions, fb.answer_text)


def evidence_of(item: Exercise, sources) -> str:
    if not item.evidence:
        return ""
    card = sources.get(item.evidence) if sources is not None else None
    if card is None:
        return f"source card {item.evidence}"
    return f"source card {item.evidence} ({card.speaker}, {card.kind}, {card.date.isoformat()})"


def reference_answer(item: Exercise) -> str:
    """The reference answer in words, shown only after an attempt or the last hint."""
    return RULES[item.kind].reference(item)


def option_label(option) -> str:
    """What a radio or checkbox says: "b) text", or just the text when it starts with its id ("c1, p1.s1: …")."""
    text, oid = option.text, option.id
    if text.casefold().startswith(oid.casefold()) and (len(text) == len(oid) or not text[len(oid)].isalnum()):
        return text
    return f"{oid}) {text}"


# ---- reading answers safely -------------------------------------------------------------------

def _unanswered(value) -> bool:
    if value is None or value is Ellipsis:
        return True
    if type(value) is str:
        return not value.strip()
    if type(value) in (list, tuple, set, frozenset, dict):
        return len(value) == 0
    return False


def _text(value) -> str | None:
    """A plain string (stripped, case-folded), or None for anything that is not one."""
    return value.strip().casefold() if type(value) is str else None


def _pick(value, labels) -> str | None:
    """Which label (option, category, target) a string names: by id or by its text. A signed code may
    be given as a number (-2 for the choice "-2") or with its sign ("+1" for "1"); "m2", the id a stance
    choice had before the codes were written as numbers, still names "-2" (work saved then)."""
    if type(value) is int:
        value = str(value)
    t = _text(value)
    if t is None:
        return None
    for label in labels:
        if t in (label.id.casefold(), label.text.strip().casefold()):
            return label.id
    ids = {label.id for label in labels}
    for alias in ((t[1:] if t.startswith("+") else None), ("-" + t[1:] if re.fullmatch(r"m\d+", t) else None)):
        if alias in ids:
            return alias
    return None


def _how_to_answer(item: Exercise) -> str:
    """The sentence an empty or unreadable answer gets: the shape of an answer of this kind."""
    return RULES[item.kind].how_to_answer(item)


# ---- the checkers, one a kind: (item, answer, code_reason) -> Feedback -----------------------

def _single(item, answer, code_reason=None):
    chosen = _pick(answer, item.options)
    if chosen is None:
        return Feedback(item.id, UNANSWERED, f"That is not one of the options here. {_how_to_answer(item)}",
                        answer_text=safe_repr(answer))
    option = next(o for o in item.options if o.id == chosen)
    if option.correct or option.accepted:
        msg = option.feedback + (f" (Accepted: {option.accepted})" if option.accepted and not option.correct else "")
        return Feedback(item.id, CORRECT, msg, 1.0, answer_text=chosen)
    return Feedback(item.id, INCORRECT, option.feedback, 0.0, misconceptions=_tags(option.misconception),
                    answer_text=chosen)


def _multiple(item, answer, code_reason=None):
    values = list(answer) if type(answer) in (list, tuple, set, frozenset) else [answer]
    chosen, unknown = [], []
    for v in values:
        pick = _pick(v, item.options)
        (chosen if pick else unknown).append(pick or safe_repr(v, 30))
    if unknown:
        return Feedback(item.id, UNANSWERED, f"{', '.join(unknown)} {'is' if len(unknown) == 1 else 'are'} not "
                        f"an option here. {_how_to_answer(item)}", answer_text=safe_repr(answer))
    chosen = set(chosen)
    details, tags, right = [], [], 0
    for o in item.options:
        should = o.correct or (bool(o.accepted) and o.id in chosen)
        if (o.id in chosen) == should:
            right += 1
            if o.id in chosen:
                details.append(f"{o.id}: right to pick it. {o.feedback}")
        else:
            details.append(f"{o.id}: {'should not be picked' if o.id in chosen else 'missed'}. {o.feedback}")
            tags += _tags(o.misconception) if o.id in chosen else []
    score = right / len(item.options)
    verdict = CORRECT if score == 1 else (PARTLY if chosen & {o.id for o in item.options if o.correct} else INCORRECT)
    msg = {CORRECT: "All the right options and none of the others.",
           PARTLY: f"{right} of {len(item.options)} options are judged right.",
           INCORRECT: "None of the options you picked is one of the right ones."}[verdict]
    return Feedback(item.id, verdict, msg, score, details=tuple(details), misconceptions=tuple(tags),
                    answer_text=", ".join(sorted(chosen)))


def _assignments(item, answer) -> tuple[dict, list[str]]:
    """Read a classify/match answer: a dict entry -> choice, or a list in entry order."""
    if type(answer) is dict:
        pairs = list(answer.items())
    elif type(answer) in (list, tuple):
        pairs = list(zip((e.id for e in item.entries), answer))
    else:
        raise TypeError("not a dict or list")
    got, problems = {}, []
    entry_ids = {e.id.casefold(): e.id for e in item.entries}
    for k, v in pairs:
        key = entry_ids.get(_text(k) or "")
        if key is None:
            problems.append(f"{safe_repr(k, 30)} is not an entry of this exercise")
            continue
        pick = _pick(v, item.choices)
        if pick is None:
            problems.append(f"{key}: {safe_repr(v, 30)} is not one of {', '.join(c.id for c in item.choices)}")
            continue
        got[key] = pick
    return got, problems


def _sorted(item, answer, code_reason=None):
    try:
        got, problems = _assignments(item, answer)
    except TypeError:
        return Feedback(item.id, INCORRECT, f"That answer has the wrong shape. {_how_to_answer(item)}",
                        answer_text=safe_repr(answer))
    details, tags, right = list(problems), [], 0
    for e in item.entries:
        pick = got.get(e.id)
        if pick is None:
            if not any(d.startswith(e.id + ":") for d in problems):
                details.append(f"{e.id}: not answered yet.")
        elif pick == e.key:
            right += 1
            details.append(f"{e.id}: right. {e.explain}".strip())
        elif pick in e.accepted:
            right += 1
            details.append(f"{e.id}: accepted ({pick}). {e.accepted[pick]}")
        elif pick in e.partial:
            right += 0.5
            details.append(f"{e.id}: partly right ({pick}). {e.partial[pick]}")
        else:
            why = code_reason(pick, e.key) if code_reason is not None else ""
            details.append(" ".join(filter(None, (f"{e.id}: not {pick}.", why,
                                                  e.feedback.get(pick, e.feedback.get("*", ""))))))
            tags += _tags(e.misconceptions.get(pick, ""))
        if pick is not None and e.reveal:
            details[-1] += f" [{e.reveal}]"
    n = len(item.entries)
    if not got:
        return Feedback(item.id, INCORRECT, "None of the entries could be read. " + _how_to_answer(item),
                        0.0, details=tuple(problems), answer_text=safe_repr(answer))
    verdict = CORRECT if right == n else (PARTLY if right else INCORRECT)
    msg = f"{right:g} of {n} entries are right." if verdict != CORRECT else f"All {n} entries are right."
    return Feedback(item.id, verdict, msg, right / n, details=tuple(details), misconceptions=tuple(tags),
                    answer_text=", ".join(f"{k}→{v}" for k, v in got.items()))


def _order(item, answer, code_reason=None):
    if type(answer) not in (list, tuple):
        return Feedback(item.id, INCORRECT, f"That answer has the wrong shape. {_how_to_answer(item)}",
                        answer_text=safe_repr(answer))
    ids = {e.id.casefold(): e.id for e in item.entries}
    given = [ids.get(_text(v) or "") for v in answer]
    unknown = [safe_repr(v, 30) for v, g in zip(answer, given) if g is None]
    if unknown or len(set(given)) != len(given) or len(given) != len(item.entries):
        missing = [e.id for e in item.entries if e.id not in given]
        why = (f"{', '.join(unknown)} {'is' if len(unknown) == 1 else 'are'} not entries here. " if unknown else "") + \
              (f"Missing: {', '.join(missing)}. " if missing else "") + \
              ("Each entry must appear once. " if len(set(given)) != len(given) else "")
        return Feedback(item.id, INCORRECT, why + _how_to_answer(item), 0.0, answer_text=safe_repr(answer))
    rank = {e.id: i for i, e in enumerate(item.entries)}
    swapped = [(a, b) for i, a in enumerate(given) for b in given[i + 1:] if rank[a] > rank[b]]
    pairs = len(given) * (len(given) - 1) // 2
    score = 1 - len(swapped) / pairs
    text_of = {e.id: e for e in item.entries}
    details = tuple(f"{b} comes before {a}. {text_of[b].explain}".strip() for a, b in swapped[:6])
    if len(swapped) > 6:
        details += (f"… and {len(swapped) - 6} more pairs in the wrong order.",)
    verdict = CORRECT if not swapped else (PARTLY if score >= 0.5 else INCORRECT)
    msg = ("Every entry is in its place." if not swapped else
           f"{len(swapped)} of {pairs} pairs are in the wrong order (a Kendall tau distance of {len(swapped)}: the "
           "number of pairs that would need swapping).")
    return Feedback(item.id, verdict, msg, score, details=details, answer_text=" → ".join(given))


def _numeric(item, answer, code_reason=None):
    if type(answer) is bool:
        return Feedback(item.id, UNANSWERED, f"{answer} is a yes/no value, not a number. {_how_to_answer(item)}",
                        answer_text=safe_repr(answer))
    proportion = not item.unit and 0 <= item.answer <= 1
    x, why = _read_number(answer, unit=item.unit, proportion=proportion)
    if x is None or not math.isfinite(x):
        # not an answer at all: a format hint, not a wrong attempt (it is not recorded)
        what = why[0].upper() + why[1:] + "." if x is None else "That is not a finite number. " + _how_to_answer(item)
        return Feedback(item.id, UNANSWERED, what, answer_text=safe_repr(answer))
    tol = max(item.tolerance, 1e-9 * max(1.0, abs(item.answer)))
    if abs(x - item.answer) <= tol:
        return Feedback(item.id, CORRECT, f"{x:g} is within {item.tolerance:g} of the reference value.", 1.0,
                        answer_text=f"{x:g}")
    for m in item.mistakes:
        if abs(x - m.value) <= max(m.tolerance, 1e-9):
            return Feedback(item.id, INCORRECT, m.feedback, 0.0, misconceptions=_tags(m.misconception),
                            answer_text=f"{x:g}")
    direction = "high" if x > item.answer else "low"
    return Feedback(item.id, INCORRECT, f"{x:g} is too {direction}. Check each step of the calculation.", 0.0,
                    answer_text=f"{x:g}")


def _free_text(item, answer, code_reason=None):
    if type(answer) is not str:
        return Feedback(item.id, INCORRECT, f"This item takes text. {_how_to_answer(item)}",
                        answer_text=safe_repr(answer))
    words = len(answer.split())
    count = f"{words} word{'' if words == 1 else 's'}"
    if words < item.min_words:
        return Feedback(item.id, KEPT, f"Kept ({count}). Free text is not scored, but aim for at least "
                        f"{item.min_words} words so your reasoning shows.", None, answer_text=safe_repr(answer, 80))
    return Feedback(item.id, KEPT, f"Kept ({count}). Free text is not scored; it is saved with your work." +
                    (" Now compare it with the rubric: which level does it reach, and what would take it one "
                     "level up?" if item.levels else ""),
                    None, details=rubric_lines(item), answer_text=safe_repr(answer, 80))


def rubric_lines(item) -> tuple[str, ...]:
    """A text item's rubric, level by level, with its sample response (shown once the student has written)."""
    return tuple(f"{lv.id.capitalize()}: {lv.text} Sample: “{lv.sample}”" for lv in item.levels)


# ---- search items (lateral reading) ------------------------------------------------------------

STOP = "stop"
#: The misconception tags a search path can earn (the guide explains each one).
SEARCH_TAGS = ("reads-the-source-about-itself-first", "clicks-before-reading-snippets", "stops-before-answered",
               "keeps-clicking")
ROLE_WORDS = {"independent": "an independent description", "own": "the outlet's own page",
              "unrelated": "a result about something else"}


def _search_steps(item, answer):
    """Read a path: result ids (or their numbers, 1 = the top result) in the order opened, then "stop".
    Returns (opened ids, stopped, notes, unknown values)."""
    values = [answer] if type(answer) in (str, int) else list(answer) if type(answer) in (list, tuple) else None
    if values is None:
        raise TypeError("not a list")
    by_key = {}
    for n, r in enumerate(item.results, 1):
        by_key.update({r.id.casefold(): r.id, r.title.strip().casefold(): r.id, str(n): r.id})
    opened, notes, unknown, stopped = [], [], [], False
    for at, v in enumerate(values):
        key = str(v) if type(v) is int else _text(v)
        if key is None:
            unknown.append(safe_repr(v, 30))
            continue
        if key.rstrip(".!").startswith(STOP):  # "stop", "stop here", "Stop here, I know enough"
            stopped = True
            if at < len(values) - 1:
                notes.append("Everything after \"stop\" is left out: stop ends the search.")
            break
        rid = by_key.get(key)
        if rid is None:
            unknown.append(safe_repr(v, 30))
        elif rid in opened:
            notes.append(f"{rid} was open already; opening it again changes nothing.")
        else:
            opened.append(rid)
    return opened, stopped, notes, unknown


def _search(item, answer, code_reason=None):
    if type(answer) is bool:
        raise TypeError("not a path")
    opened, stopped, notes, unknown = _search_steps(item, answer)
    results = {r.id: r for r in item.results}
    rank = {r.id: n for n, r in enumerate(item.results, 1)}
    path_text = " → ".join(opened + ([STOP] if stopped else []))
    if unknown:
        return Feedback(item.id, UNANSWERED, f"{', '.join(unknown)} {'is' if len(unknown) == 1 else 'are'} not a "
                        f"result here. {_how_to_answer(item)}", answer_text=safe_repr(answer))
    shown = tuple(f"Result {rank[i]} ({i}), opened: {results[i].opened}" for i in opened)
    if not stopped:
        return Feedback(item.id, UNANSWERED, "You have opened " + (", ".join(opened) or "nothing") + " so far. "
                        "When you know who is behind the outlet, end your list with \"stop\".",
                        details=shown + tuple(notes), answer_text=path_text)
    details, tags = [], []
    first = opened[0] if opened else None
    if first is None:
        restraint = 0.0
        details.append("You stopped without opening anything. A snippet is a few words the search engine cut "
                       "out of a page: open one independent description and read what it says whole.")
        tags.append("stops-before-answered")
    else:
        role = results[first].role
        restraint = 1.0 if role == "independent" else 0.0
        verdict = "a good first click" if role == "independent" else "not a good first click"
        details.append(f"First click: {first} (result {rank[first]} of {len(item.results)}, "
                       f"{ROLE_WORDS[role]}): {verdict}. {results[first].reason}")
        if role == "own":
            tags.append("reads-the-source-about-itself-first")
        if role == "unrelated":
            tags.append("clicks-before-reading-snippets")
    for n, rid in enumerate(opened[1:], 2):
        details.append(f"Opened {n}: {rid} (result {rank[rid]}, {ROLE_WORDS[results[rid].role]}). "
                       f"{results[rid].reason}")
    if first is not None and results[first].role != "unrelated" and \
            any(results[i].role == "unrelated" for i in opened):
        restraint = max(0.0, restraint - 0.5)
        details.append("Click restraint: the snippet showed that result was about something else; reading "
                       "snippets before clicking saves that click.")
        tags.append("clicks-before-reading-snippets")
    answered = next((n for n, i in enumerate(opened) if results[i].role == "independent"), None)
    if answered is None:
        stopping = 0.0
        if first is not None:
            details.append("Stop: you stopped before any independent description had told you who is behind "
                           "the outlet; what an outlet says about itself is the claim to check, not the check.")
            tags.append("stops-before-answered")
    else:
        extra = len(opened) - answered - 1
        if extra <= 1:
            stopping = 1.0
            details.append("Stop: you stopped once an independent source had answered who is behind the outlet"
                           + (" and one more had been read beside it." if extra == 1 else "."))
        else:
            stopping = 0.5
            details.append(f"Stop: the question was answered at your opening number {answered + 1}; the {extra} "
                           "openings after it cost time without changing the answer. Stop once one or two "
                           "independent sources agree.")
            tags.append("keeps-clicking")
    score = (restraint + stopping) / 2
    verdict = CORRECT if score == 1 else (PARTLY if score > 0 else INCORRECT)
    msg = (f"Click restraint {restraint:g} of 1, stopping {stopping:g} of 1." if verdict != CORRECT else
           "You opened an independent description first and stopped once you knew who is behind the outlet.")
    return Feedback(item.id, verdict, msg, score, details=tuple(details + notes), misconceptions=tuple(tags),
                    answer_text=path_text)


# ---- code items -------------------------------------------------------------------------------

def _failed_case(item, test, outcome: str, what: str) -> str:
    """One failed hidden case in the student's terms: what it checks, its input, what was expected
    and what the function gave (or raised). `what` is the child's validated, bounded text."""
    name = item.function or "your function"
    case = f"{_sentence_case(test.hint) if test.hint else 'A hidden case'}. Input: {describe_call(item.signature, test.args)}."
    if outcome == "raised":
        return f"{case} Expected {readable(test.expected, 150)}; {name} raised {what}."
    return f"{case} Expected {readable(test.expected, 150)}; {name} gave {what}."


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def _code(item, answer, code_reason=None):
    if not callable(answer) or isinstance(answer, type):
        return Feedback(item.id, INCORRECT, f"This item takes a function. {_how_to_answer(item)}",
                        answer_text=safe_repr(answer))
    results = run_with_limit(answer, item.tests, item.timeout)
    name = getattr(answer, "__name__", "your function")
    if results is None:
        return Feedback(item.id, INCORRECT, f"{name} did not finish within {item.timeout:g} s. Is there a loop "
                        "that never ends, or a condition that is never met?", 0.0, answer_text=f"<function {name}>")
    if results and results[0][0] == "unanswered":
        return Feedback(item.id, UNANSWERED, f"{name} still has a blank, a line that says raise "
                        "NotImplementedError: replace each such line with your code, run the cell, then check again.", answer_text=f"<function {name}>")
    passed = sum(r == "ok" for r, _ in results)
    details = [_failed_case(item, t, outcome, what) for t, (outcome, what) in zip(item.tests, results)
               if outcome != "ok"]
    n = len(item.tests)
    verdict = CORRECT if passed == n else (PARTLY if passed else INCORRECT)
    msg = f"{name} passed all {n} hidden cases." if verdict == CORRECT else f"{name} passed {passed} of {n} hidden cases."
    return Feedback(item.id, verdict, msg, passed / n, details=tuple(details[:5]), answer_text=f"<function {name}>")


def _tags(tag: str) -> tuple[str, ...]:
    return (tag,) if tag else ()


# ---- the kinds: what each one says in words -----------------------------------------------------
# Each kind's sentence for an empty answer (how_to_answer), its reference answer in words, the shape of
# an answer with placeholders that give nothing away (example) and what the text version lists under
# the prompt (listing). RULES, at the end, puts each kind's together in one entry.

def _how_single(item) -> str:
    return f"Answer with one option id: {', '.join(repr(o.id) for o in item.options)}."


def _how_multiple(item) -> str:
    return f"Answer with a list of option ids, like [{repr(item.options[0].id)}, {repr(item.options[-1].id)}]."


def _how_sorted(item) -> str:
    first = item.entries[0]
    return (f"Answer with a dict from each entry id to a {_choice_word(item)}, "
            f"like {{{first.id!r}: {item.choices[0].id!r}, ...}}; the choices are "
            f"{', '.join(repr(c.id) for c in item.choices)}.")


def _how_order(item) -> str:
    first_two = ", ".join(repr(e.id) for e in item.entries[:2])
    return f"Answer with a list of all the entry ids in order, like [{first_two}, ...]."


def _how_numeric(item) -> str:
    return f"Answer with a number, {FORMATS}{' (in ' + item.unit + ')' if item.unit else ''}."


def _how_code(item) -> str:
    return f"Define the function {item.signature or item.function}, then answer with it (the name, no brackets)."


def _how_search(item) -> str:
    return (f"Answer with the results you open, in the order you open them, then \"stop\", like "
            f"[{item.results[0].id!r}, \"stop\"]; the results are {', '.join(repr(r.id) for r in item.results)} "
            f"(or their numbers, 1 to {len(item.results)}).")


def _how_text(item) -> str:
    return "Answer with your text in quotes."


def _choice_word(item) -> str:
    """What a classify entry is sorted into (a category) and a match entry is matched with (a target)."""
    return "category" if item.kind == "classify" else "target"


def _reference_options(item) -> str:
    return "; ".join(option_label(o) for o in item.options if o.correct)


def _reference_sorted(item) -> str:
    names = {c.id: c.text for c in item.choices}
    return "; ".join(f"{e.id} → {names.get(e.key, e.key)}" for e in item.entries)


def _reference_order(item) -> str:
    return " → ".join(e.id for e in item.entries)


def _reference_numeric(item) -> str:
    return f"{item.answer:g}{' ' + item.unit if item.unit else ''}"


def _reference_code(item) -> str:
    return item.solution or (item.hints[-1] if item.hints else "")  # hints teach one step each


def _reference_search(item) -> str:
    independent = [r.id for r in item.results if r.role == "independent"]
    return (f"open an independent description first ({', '.join(independent)}), at most one more to corroborate "
            f"it, then stop: for example {' → '.join(independent[:2])} → stop")


def _reference_text(item) -> str:
    if item.levels:
        return "This item is not scored; compare your text with the rubric and its sample answers: " + " ".join(
            f"{lv.id.capitalize()}: {lv.sample}" for lv in item.levels)
    return "This item is not scored; compare your text with the discussion in class."


def _example_single(item) -> str:
    return '"<one of: ' + ", ".join(o.id for o in item.options) + '>"'


def _example_sorted(item) -> str:
    return "{" + ", ".join(f'"{e.id}": "<{_choice_word(item)}>"' for e in item.entries[:2]) + ", ...}"


def _example_code(item) -> str:
    return item.function


def _fixed(text: str) -> Callable[[Exercise], str]:
    """An example that is the same for every item of its kind."""
    return lambda item: text


def _list_options(item) -> list[str]:
    return ["Options:"] + [f"  {option_label(o)}" for o in item.options]


def _list_sorted(item) -> list[str]:
    return ([("Categories: " if item.kind == "classify" else "Targets: ")
             + "; ".join(f"{c.id} = {c.text}" for c in item.choices)]
            + [f"  {e.id}: {e.text}" for e in item.entries])


def _list_order(item) -> list[str]:
    return ["Put these in order:"] + [f"  {e.id}: {e.text}" for e in sorted(item.entries, key=lambda e: e.id)]


def _list_code(item) -> list[str]:
    name = item.signature or item.function
    return [f"The cell below gives {name} whole: run it to see it checked." if item.worked
            else f"Write {name} in a code cell and run it."]


def _list_search(item) -> list[str]:
    lines = ["Search results (simulated; what each opened page says is in the feedback of each call):"]
    for n, r in enumerate(item.results, 1):
        lines += [f"  {n}. {r.title} [{r.id}]", f"     {r.address}", f"     {r.snippet}"]
    return lines + ['Open results one by one (add each to your list and call again); end with "stop" when '
                    "you know who is behind the outlet."]


def _list_nothing(item) -> list[str]:
    return []


def _function_name(value) -> str:
    """What is saved of a code item's answer: the function's name, not the function."""
    return f"<function {getattr(value, '__name__', '?')}>"


@dataclass(frozen=True)
class KindRules:
    """What the checking wing knows of one exercise kind. A new kind is one entry in RULES, one in
    `case.items.SHAPES` (what its exercise file must give) and one in `frontend.widgets.CONTROLS` (how a
    notebook draws it)."""

    check: Callable                            # (item, answer, code_reason) -> Feedback, for a given answer
    how_to_answer: Callable[[Exercise], str]   # the sentence an empty or unreadable answer gets
    reference: Callable[[Exercise], str]       # the reference answer in words
    example: Callable[[Exercise], str]         # the answer in answer("id", ...), with placeholders
    listing: Callable[[Exercise], list] = _list_nothing   # the text version's lines below the prompt
    saved: Callable | None = None              # what is saved of an answer, when not the answer itself


#: Every exercise kind's rules, by kind (the kinds case.items.KINDS names).
RULES: dict[str, KindRules] = {
    "single": KindRules(_single, _how_single, _reference_options, _example_single, _list_options),
    "multiple": KindRules(_multiple, _how_multiple, _reference_options,
                          _fixed('["<option id>", "<option id>", ...]'), _list_options),
    "classify": KindRules(_sorted, _how_sorted, _reference_sorted, _example_sorted, _list_sorted),
    "match": KindRules(_sorted, _how_sorted, _reference_sorted, _example_sorted, _list_sorted),
    "order": KindRules(_order, _how_order, _reference_order,
                       _fixed('["<entry id>", ...]  # every entry id, earliest first'), _list_order),
    "numeric": KindRules(_numeric, _how_numeric, _reference_numeric, _fixed("<a number>")),
    "code": KindRules(_code, _how_code, _reference_code, _example_code, _list_code, saved=_function_name),
    "text": KindRules(_free_text, _how_text, _reference_text, _fixed('"your text"')),
    "search": KindRules(_search, _how_search, _reference_search,
                        _fixed('["<result id you open first>", "<next, if you need it>", "stop"]'), _list_search),
}
