"""The gradebook: `course-lib collect EXPORTS... --out gradebook.csv`, from students' exported work.

CSV files, no server and no database: `gradebook.csv` (a row per student and item: first-try
verdict, attempts, hints, final verdict), `gradebook-items.csv` (per item: how many tried, the share
right first time and in the end, the most chosen wrong answer and its misconception tag),
`gradebook-lessons.csv` (per student and lesson), and the pre/post report: `gradebook-prepost.csv`
(per student: pre-test and post-test score and normalised gain), `gradebook-prepost-summary.csv` (the
class: mean gain, the gain of the class means, how many improved, stayed or fell) and
`gradebook-calibration.csv` (confidence against accuracy on each test, by confidence band). Misconception tags are found by checking the saved
answer again, so they come from the same feedback the student saw. Files that cannot be used are
named and skipped (course_lib.instructors.exports), among them a file of another case or of another
version of this one (its stamp); nothing is merged silently. `--case` chooses the case (default: the
current one, `current_case()`).

An export is untrusted: every verdict in the gradebook comes from checking the saved answer again with
`check()` against the case, never from the verdict the file stores (a code item's function is not in
the export, so its verdict is marked self-reported); a record repeated in a file counts once, and a
file whose stored verdicts disagree with the re-check is flagged. Every cell goes through one safe
CSV writer (course_lib.instructors.output), so no answer can become a spreadsheet formula.
"""

from __future__ import annotations

import gc
import sys
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from course_lib.instructors.output import OutputError, check_targets, csv_bytes, shown, write_all
from course_lib.work.fileformat import CORRECT, INCORRECT, KEPT, VERDICTS
from course_lib.checking.checks import check
from course_lib.instructors.exports import Skipped, Work, read_work

RIGHT = (CORRECT, KEPT)
RECHECKED = "re-checked"
SELF_REPORTED = "self-reported (code item: the function is not in the export, so it cannot be re-run)"
HEADER = ["student", "lesson", "item", "first_try", "attempts", "hints", "final",
          "checked", "stored_verdicts_disagree", "file"]


@dataclass(frozen=True)
class Row:
    """One student's work on one item; the verdicts are the re-check's (see `checked`)."""

    student: str
    lesson: str
    item: str
    first_verdict: str
    attempts: int
    hints: int
    final_verdict: str
    checked: str = RECHECKED
    disagree: int = 0   # attempts whose stored verdict differs from the re-check
    file: str = ""


class Checker:
    """The package's own verdict for a saved answer, each distinct (item, answer) checked once, so a
    class of a thousand costs about as much as its distinct answers."""

    def __init__(self, case):
        self._seen: dict[tuple[str, str], str] = {}
        self._items = {e.id: e for e in case.exercises}
        self._by_work: dict[int, tuple[Work, dict]] = {}
        self._rows: dict[int, tuple[Work, list]] = {}   # student_rows per file: the gradebook's, reused by warnings

    def verdict(self, item, answer) -> str | None:
        """The re-checked verdict, or None for a code item (its function is not in the export)."""
        if item.kind == "code":
            return None
        # A saved answer holds JSON values only (parse_export), whose repr is one-to-one and about five
        # times cheaper than json.dumps: on a class of 1,000 the key was a tenth of collect's time.
        key = (item.id, repr(answer))
        if key not in self._seen:
            self._seen[key] = check(item, answer).verdict
        return self._seen[key]

    def tries_of(self, work: Work) -> dict:
        """{item id: [Try, ...] oldest first} for one student's file, worked out once per file."""
        known = self._by_work.get(id(work))
        if known is None or known[0] is not work:
            records, _ = unique_records(work.records)
            records.sort(key=lambda a: (a.at, a.attempt))   # once per file: each item's group keeps the order
            grouped: dict[str, list] = {}
            for a in records:
                grouped.setdefault(a.item, []).append(a)
            tries: dict[str, list] = {}
            known = self._by_work[id(work)] = (work, tries)
            for item_id, attempts in grouped.items():
                item = self._items.get(item_id)
                if item is None:
                    continue
                out = []
                for a in attempts:
                    again = self.verdict(item, a.answer)
                    if again is None:  # self-reported: the stored verdict, if it is one the package writes
                        used = a.verdict if a.verdict in VERDICTS else INCORRECT
                        out.append(Try(a, used, used != a.verdict))
                    else:
                        out.append(Try(a, again, again != a.verdict))
                tries[item_id] = out
        return known[1]


@dataclass(frozen=True)
class Try:
    """One attempt as the gradebook counts it: the verdict used, and whether the file said otherwise."""

    attempt: object
    verdict: str
    disagrees: bool


def unique_records(records) -> tuple[list, int]:
    """The records with repeats dropped (a record id counts once: a copied record is not a new attempt),
    and how many were dropped."""
    seen, out = set(), []
    for a in records:
        if a.id not in seen:
            seen.add(a.id)
            out.append(a)
    return out, len(records) - len(out)


def tries(work: Work, item, checker: Checker) -> list[Try]:
    """The student's attempts at one item, oldest first, each with the verdict the gradebook uses."""
    return checker.tries_of(work).get(item.id, [])


def student_rows(work: Work, case, checker: Checker | None = None) -> list[Row]:
    """A row per item the student attempted (items the case does not know are left out)."""
    checker = checker or Checker(case)
    known = checker._rows.get(id(work))
    if known is not None and known[0] is work:
        return known[1]
    rows = []
    checker._rows[id(work)] = (work, rows)   # holding `work` keeps its id unique
    by_item = checker.tries_of(work)
    for item in case.exercises:
        got = by_item.get(item.id)
        if got:
            rows.append(Row(work.student, item.lesson, item.id, got[0].verdict, len(got),
                            max(t.attempt.hints for t in got), got[-1].verdict,
                            SELF_REPORTED if item.kind == "code" else RECHECKED,
                            sum(t.disagrees for t in got), work.name))
    return rows


def wrong_answers(item, answer) -> list[str]:
    """The wrong choices an answer holds, as the instructor reads them: "b", "p1.s4→fact", "0.75"."""
    if item.kind == "single" and isinstance(answer, str):
        return [answer.strip()]
    if item.kind == "multiple" and isinstance(answer, list):
        right = {o.id for o in item.options if o.correct or o.accepted}
        return [a for a in answer if isinstance(a, str) and a not in right]
    if item.kind in ("classify", "match") and isinstance(answer, dict):
        keys = {e.id: e for e in item.entries}
        return [f"{k}→{v}" for k, v in answer.items() if k in keys and isinstance(v, str)
                and v != keys[k].key and v not in keys[k].accepted]
    if item.kind == "numeric" and type(answer) in (int, float, str):
        return [str(answer).strip()]
    if item.kind == "search" and isinstance(answer, list):
        return search_choices(item, answer)
    return []


def search_choices(item, answer: list) -> list[str]:
    """What a search item's path shows, as the instructor tallies it: the first click when it was not an
    independent description ("first click: about"), and how the search stopped when that lost credit."""
    from course_lib.checking.checks import _search_steps
    try:
        opened, stopped, _, _ = _search_steps(item, answer)
    except TypeError:
        return []
    roles = {r.id: r.role for r in item.results}
    out = []
    if opened and roles[opened[0]] != "independent":
        out.append(f"first click: {opened[0]}")
    if stopped and not any(roles[i] == "independent" for i in opened):
        out.append("stopped before an independent source")
    return out


@dataclass(frozen=True)
class ItemSummary:
    item: str
    lesson: str
    tried: int
    first_right: float
    right_in_the_end: float
    common_wrong: str
    chosen_by: int
    misconception: str


def item_summaries(works: list[Work], case, checker: Checker | None = None) -> list[ItemSummary]:
    """Per item: how many students tried it, how many got it right first and in the end (re-checked), and
    the wrong answer chosen by the most students, with the misconception tag its feedback names."""
    checker = checker or Checker(case)
    out = []
    by_work = [checker.tries_of(work) for work in works]   # {item id: tries} of each file, worked out once
    for item in case.exercises:
        firsts, finals, wrong, tags = [], [], Counter(), {}
        for by_item in by_work:
            got = by_item.get(item.id)
            if not got:
                continue
            firsts.append(got[0].verdict in RIGHT)
            finals.append(got[-1].verdict in RIGHT)
            chosen = set()
            for t in got:
                if t.verdict not in RIGHT:
                    chosen.update(wrong_answers(item, t.attempt.answer))
                    for choice in chosen - set(tags):
                        tags[choice] = ", ".join(check(item, _single(item, choice, t.attempt.answer)).misconceptions)
            wrong.update(chosen)  # a student counts once per wrong answer, however often they chose it
        common, count = min(wrong.items(), key=lambda kv: (-kv[1], kv[0])) if wrong else ("", 0)
        n = len(firsts)
        out.append(ItemSummary(item.id, item.lesson, n, sum(firsts) / n if n else 0.0,
                               sum(finals) / n if n else 0.0, common, count, tags.get(common, "")))
    return out


def _single(item, choice: str, answer):
    """The answer reduced to one wrong choice, so its misconception tag is that choice's own."""
    if item.kind in ("classify", "match") and "→" in choice:
        entry, pick = choice.split("→", 1)
        return {entry: pick}
    if item.kind == "multiple":
        return [choice]
    if item.kind == "search":   # its tags come from the whole path, which the choice was read from
        return answer
    return choice if item.kind != "numeric" else answer


def lesson_rows(rows: list[Row]) -> list[tuple[str, str, int, int, int]]:
    """Per student and lesson: items tried, right first time, right in the end."""
    groups: dict[tuple[str, str], list[Row]] = {}
    for r in rows:
        groups.setdefault((r.student, r.lesson), []).append(r)
    return [(student, lesson, len(rs), sum(r.first_verdict in RIGHT for r in rs),
             sum(r.final_verdict in RIGHT for r in rs)) for (student, lesson), rs in sorted(groups.items())]


def outputs(out) -> list[Path]:
    """The files a gradebook is: the named CSV, its -items and -lessons companions, then the pre/post
    report's three (PREPOST_FILES)."""
    out = Path(out)
    return [out, out.with_name(out.stem + "-items.csv"), out.with_name(out.stem + "-lessons.csv")] + [
        out.with_name(out.stem + suffix) for suffix in PREPOST_FILES]


def collect(paths, out, case=None, force: bool = False,
            checker: Checker | None = None) -> tuple[list[Work], list[Skipped]]:
    """Read the exports and write the three CSV files; return the students' work used and what was skipped.

    Writes nothing when no export is usable; raises OutputError when an output is an input, a folder, or
    exists (without `force`)."""
    targets = outputs(out)
    check_targets(targets, paths, force)
    if case is None:
        from course_lib.case.records import current_case
        case = current_case()
    works, skipped = read_work(paths, case)
    if not works:
        return works, skipped
    checker = checker or Checker(case)
    rows = [r for w in works for r in student_rows(w, case, checker)]
    books = [
        [HEADER] + [[r.student, r.lesson, r.item, r.first_verdict, r.attempts, r.hints, r.final_verdict,
                     r.checked, r.disagree, r.file] for r in rows],
        [["item", "lesson", "students_tried", "share_right_first_try", "share_right_in_the_end",
          "most_chosen_wrong_answer", "chosen_by", "misconception"]]
        + [[s.item, s.lesson, s.tried, f"{s.first_right:.2f}", f"{s.right_in_the_end:.2f}", s.common_wrong,
            s.chosen_by, s.misconception] for s in item_summaries(works, case, checker)],
        [["student", "lesson", "items_tried", "right_first_try", "right_in_the_end"]] + lesson_rows(rows),
        *prepost_books(works, case, checker),
    ]
    write_all({path: csv_bytes(book) for path, book in zip(targets, books)})
    return works, skipped


def warnings(works: list[Work], case, checker: Checker | None = None) -> list[str]:
    """A line per file the instructor should look at: stored verdicts that the re-check contradicts,
    repeated records, a file name that names another student."""
    lines, checker = [], checker or Checker(case)
    for work in works:
        _, repeated = unique_records(work.records)
        disagree = sum(r.disagree for r in student_rows(work, case, checker))
        notes = [work.warning] if work.warning else []
        if disagree:
            notes.append(f"{disagree} stored verdict{'s' if disagree > 1 else ''} disagree with the re-check "
                         "(the gradebook uses the re-check)")
        if repeated:
            notes.append(f"{repeated} repeated record{'s' if repeated > 1 else ''} counted once")
        if notes:
            lines.append(f"warning: {work.name}: " + "; ".join(notes))
    return lines


@contextmanager
def cycles_left_to_the_end():
    """Pause Python's cyclic garbage collector for a command's run, and turn it back on (if it was on) after.

    What collect holds is the class's parsed JSON and the frozen records, rows and tries made from it: trees,
    without reference cycles, which reference counting frees. The cyclic collector cannot free any of it, but
    each of its full passes walks every object alive, and the passes come as the class's objects pile up:
    on 1,000 students 8 full passes took a quarter of the command (about 1 s of 4), on 100 students one
    pass took 0.02 s, so that alone made ten times the students cost more than ten times the time."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def main(paths, out, force: bool = False, case=None) -> int:
    """The command: write the gradebook of `case` (default the current case), name every skipped file (a
    file of another case or version among them) and every file to look at; exit 1 (one line, nothing
    written) when no file could be used or the output is refused."""
    with cycles_left_to_the_end():
        return _main(paths, out, force, case)


def _main(paths, out, force: bool, case) -> int:
    from course_lib.case.records import CaseError, current_case
    try:
        case = case if case is not None else current_case()
        checker = Checker(case)
        works, skipped = collect(paths, out, case, force, checker)
    except (OutputError, CaseError) as error:
        print(f"course-lib collect: {str(error).splitlines()[0]}", file=sys.stderr)
        return 1
    for s in skipped:
        print(f"skipped {s.name}: {s.reason}", file=sys.stderr)
    if not works:
        print("No export could be used, so no gradebook was written.", file=sys.stderr)
        return 1
    for line in warnings(works, case, checker):
        print(line, file=sys.stderr)
    names = [shown(p) for p in outputs(out)]
    print(f"{len(works)} student(s): wrote {names[0]}, " + ", ".join(Path(n).name for n in names[1:-1])
          + f" and {Path(names[-1]).name}" + (f"; {len(skipped)} file(s) skipped" if skipped else ""))
    print(summary_text(prepost_summary(prepost_rows(works, case, checker))))
    print(calibration_text(calibration(works, case, checker)))
    return 0


# ---- the pre/post report: lesson 00's pre-test against its parallel form, the post-test ---------------

PREPOST_FILES = ("-prepost.csv", "-prepost-summary.csv", "-calibration.csv")
PREPOST_HEADER = ["student", "pre", "post", "gain", "pre_answered", "post_answered", "items_per_test", "note", "file"]
CALIBRATION_HEADER = ["test", "confidence", "answers", "mean_confidence", "accuracy", "confidence_minus_accuracy"]
BANDS = ((50, 60, "50-60%"), (70, 80, "70-80%"), (90, 100, "90-100%"))
NOT_SAID = "not said"
ALL_SAID = "all rated answers"


def prepost_items(case) -> tuple[list, list]:
    """(pre-test items, post-test items), paired by position: each post-test item names its pre-test
    partner in `parallel` (check-case has checked the pairs)."""
    post = [e for e in case.exercises if e.parallel and e.parallel in case.exercises]
    return [case.exercises[e.parallel] for e in post], post


def normalised_gain(pre: float | None, post: float | None) -> float | None:
    """The normalised gain g = (post - pre) / (1 - pre): the share of what could still be gained that was
    gained (Hake 1998, Am. J. Phys. 66, 64, on class averages; collect applies it per student and to the
    class means). None when a score is missing or the pre-test was full marks (nothing left to gain).

    >>> normalised_gain(0.5, 0.75), normalised_gain(0.5, 0.25), normalised_gain(1.0, 1.0), normalised_gain(None, 0.5)
    (0.5, -0.5, None, None)
    """
    if pre is None or post is None or pre >= 1:
        return None
    return (post - pre) / (1 - pre)


def _firsts(work: Work, items, checker: Checker) -> list:
    """The first attempt at each item as the gradebook counts it (a Try), or None where not answered."""
    out = []
    for item in items:
        got = tries(work, item, checker)
        out.append(got[0] if got else None)
    return out


@dataclass(frozen=True)
class PrePostRow:
    """One student's two tests: the share right at the first attempt, of every item of the test (an
    unanswered item counts as not right); None for a test the student did not take at all."""

    student: str
    pre: float | None
    post: float | None
    gain: float | None
    pre_answered: int
    post_answered: int
    items: int
    note: str
    file: str


def prepost_rows(works: list[Work], case, checker: Checker | None = None) -> list[PrePostRow]:
    """A row per student: pre-test and post-test scores (first attempts, re-checked) and normalised gain."""
    checker = checker or Checker(case)
    pre_items, post_items = prepost_items(case)
    n = len(pre_items)
    rows = []
    for work in sorted(works, key=lambda w: (w.student, w.name)):
        pre, post = _firsts(work, pre_items, checker), _firsts(work, post_items, checker)
        scores, notes = [], []
        for name, firsts in (("pre", pre), ("post", post)):
            answered = sum(t is not None for t in firsts)
            scores.append(sum(t is not None and t.verdict in RIGHT for t in firsts) / n if answered and n else None)
            if not answered:
                notes.append(f"no {name}-test answer")
            elif answered < n:
                notes.append(f"{name}-test: {answered} of {n} items answered (the others count as not right)")
        if scores[0] is not None and scores[0] >= 1:
            notes.append("pre-test full marks: no gain to compute")
        hinted = [i.id for i, t in zip(pre_items + post_items, pre + post) if t is not None and _hints(t) > 0]
        if hinted:   # hint() gives none before the first answer now; an old or hand-made file may say so
            notes.append(f"hint before first answer: {', '.join(hinted)}")
        warm = _answered_before(work, pre, {e.id for e in pre_items + post_items})
        if warm:
            notes.append(f"{warm} other item{'s' if warm > 1 else ''} answered before the pre-test (not taken cold)")
        rows.append(PrePostRow(work.student, scores[0], scores[1], normalised_gain(*scores),
                               sum(t is not None for t in pre), sum(t is not None for t in post), n,
                               "; ".join(notes), work.name))
    return rows


def _hints(first) -> int:
    """The hints the file says were taken before this attempt (0 when it says nothing usable)."""
    n = getattr(first.attempt, "hints", 0)
    return n if type(n) is int and n > 0 else 0


def _answered_before(work: Work, pre_firsts, test_ids) -> int:
    """How many other items the student first answered before their first pre-test answer."""
    times = [t.attempt.at for t in pre_firsts if t is not None and isinstance(t.attempt.at, str)]
    if not times:
        return 0
    start = min(times)
    return len({a.item for a in work.records if a.item not in test_ids and isinstance(a.at, str) and a.at < start})


@dataclass(frozen=True)
class PrePostSummary:
    """The class's two tests in a few numbers (see instructors/guide.md for how to read them)."""

    students: int
    both: int            # took both tests
    missing_pre: int
    missing_post: int
    mean_pre: float | None
    mean_post: float | None
    mean_gain: float | None   # the mean of the students' normalised gains
    gains: int                # how many students have a gain (both tests, pre below full marks)
    gain_of_means: float | None  # the normalised gain of the class means (Hake's <g>)
    improved: int
    stayed: int
    fell: int
    full_pre: int             # took both tests with full marks on the pre-test


def _mean(xs) -> float | None:
    xs = list(xs)
    return sum(xs) / len(xs) if xs else None


def prepost_summary(rows: list[PrePostRow]) -> PrePostSummary:
    """Mean normalised gain, the gain of the class means, and how many improved, stayed or fell, over the
    students who took both tests."""
    both = [r for r in rows if r.pre is not None and r.post is not None]
    gains = [r.gain for r in both if r.gain is not None]
    mean_pre, mean_post = _mean(r.pre for r in both), _mean(r.post for r in both)
    eps = 1e-9
    return PrePostSummary(
        len(rows), len(both), sum(r.pre is None for r in rows), sum(r.post is None for r in rows),
        mean_pre, mean_post, _mean(gains), len(gains), normalised_gain(mean_pre, mean_post),
        sum(r.post > r.pre + eps for r in both), sum(abs(r.post - r.pre) <= eps for r in both),
        sum(r.post < r.pre - eps for r in both), sum(r.pre >= 1 for r in both))


@dataclass(frozen=True)
class CalibrationRow:
    """Confidence against accuracy for the first answers of one test given in one confidence band."""

    test: str
    band: str
    answers: int
    mean_confidence: float | None  # in percent
    accuracy: float | None         # in percent


def _band(confidence) -> str:
    """The band of a saved confidence; anything but a whole number from 50 to 100 counts as not said."""
    if type(confidence) is not int or not 50 <= confidence <= 100:
        return NOT_SAID
    return next(label for low, high, label in BANDS if confidence <= high)


def calibration(works: list[Work], case, checker: Checker | None = None) -> list[CalibrationRow]:
    """For each test and confidence band: how many first answers, their mean confidence and how many were
    right; answers without a confidence ("not said") are counted apart, never as a rating."""
    checker = checker or Checker(case)
    out = []
    for test, items in zip(("pre", "post"), prepost_items(case)):
        given: dict[str, list] = {label: [] for *_, label in BANDS}
        given[NOT_SAID] = []
        for work in works:
            for t in _firsts(work, items, checker):
                if t is not None:
                    given[_band(t.attempt.confidence)].append((t.attempt.confidence, t.verdict in RIGHT))
        rated = [x for label, xs in given.items() if label != NOT_SAID for x in xs]
        for label, xs in [*((label, given[label]) for *_, label in BANDS), (ALL_SAID, rated), (NOT_SAID, given[NOT_SAID])]:
            confs = [c for c, _ in xs] if label != NOT_SAID else []
            out.append(CalibrationRow(test, label, len(xs), _mean(confs),
                                      100 * _mean(r for _, r in xs) if xs else None))
    return out


def _f(x, digits=2) -> str:
    return "" if x is None else f"{x:.{digits}f}"


def summary_table(s: PrePostSummary) -> list[list]:
    """The class summary as rows of (measure, value, how to read it)."""
    return [
        ["measure", "value", "note"],
        ["students", s.students, "exports read"],
        ["took both tests", s.both, "the figures below are over these students"],
        ["no pre-test answer", s.missing_pre, ""],
        ["no post-test answer", s.missing_post, ""],
        ["mean pre-test score", _f(s.mean_pre), "share of items right at the first attempt"],
        ["mean post-test score", _f(s.mean_post), ""],
        ["mean normalised gain", _f(s.mean_gain), f"mean of {s.gains} students' g = (post - pre) / (1 - pre)"],
        ["gain of the class means", _f(s.gain_of_means), "(mean post - mean pre) / (1 - mean pre)"],
        ["improved", s.improved, "post-test score above pre-test score"],
        ["stayed", s.stayed, "the same score on both"],
        ["fell", s.fell, "post-test score below pre-test score"],
        ["full marks on the pre-test", s.full_pre, "no gain computed for them"],
    ]


def summary_text(s: PrePostSummary) -> str:
    """The class summary in one line for the terminal."""
    if not s.both:
        return "Pre/post: no student answered both tests, so no gain was computed."
    return (f"Pre/post: {s.both} of {s.students} student(s) took both tests; mean score {_f(s.mean_pre)} before, "
            f"{_f(s.mean_post)} after; mean normalised gain {_f(s.mean_gain) or 'n/a'} "
            f"(gain of the class means {_f(s.gain_of_means) or 'n/a'}); "
            f"{s.improved} improved, {s.stayed} stayed, {s.fell} fell.")


def calibration_text(rows: list[CalibrationRow]) -> str:
    """Calibration in one line for the terminal: how sure the rated first answers were, and how often right."""
    parts, silent = [], []
    for test in ("pre", "post"):
        rated = next(r for r in rows if r.test == test and r.band == ALL_SAID)
        quiet = next(r for r in rows if r.test == test and r.band == NOT_SAID)
        if rated.answers:
            parts.append(f"{test}-test {rated.mean_confidence:.0f}% sure, {rated.accuracy:.0f}% right "
                         f"({rated.answers} rated answers)")
        silent.append(f"{quiet.answers} {test}")
    return ("Calibration: " + ("; ".join(parts) if parts else "no rated answers") + "; not said: "
            + ", ".join(silent) + " (by confidence band in the calibration file).")


def prepost_books(works: list[Work], case, checker: Checker | None = None) -> list[list[list]]:
    """The pre/post report's three tables, in the order of PREPOST_FILES: per student, the class summary
    and calibration."""
    checker = checker or Checker(case)
    rows = prepost_rows(works, case, checker)
    return [
        [PREPOST_HEADER] + [[r.student, _f(r.pre), _f(r.post), _f(r.gain), r.pre_answered, r.post_answered,
                             r.items, r.note, r.file] for r in rows],
        summary_table(prepost_summary(rows)),
        [CALIBRATION_HEADER] + [[c.test, c.band, c.answers, _f(c.mean_confidence, 1), _f(c.accuracy, 1),
                                 _f(c.mean_confidence - c.accuracy, 1) if c.mean_confidence is not None
                                 and c.accuracy is not None else ""] for c in calibration(works, case, checker)],
    ]
