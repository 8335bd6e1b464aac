"""The gradebook: `course-lib collect EXPORTS... --out gradebook.csv`, from students' exported work.

Three CSV files, no server and no database: `gradebook.csv` (a row per student and item: first-try
verdict, attempts, hints, final verdict), `gradebook-items.csv` (per item: how many tried, the share
right first time and in the end, the most chosen wrong answer and its misconception tag) and
`gradebook-lessons.csv` (per student and lesson). Misconception tags are found by checking the saved
answer again, so they come from the same feedback the student saw. Files that cannot be used are
named and skipped (course_lib.exports); nothing is merged silently.

An export is untrusted: every verdict in the gradebook comes from checking the saved answer again with
`check()` against the case, never from the verdict the file stores (a code item's function is not in
the export, so its verdict is marked self-reported); a record repeated in a file counts once, and a
file whose stored verdicts disagree with the re-check is flagged. Every cell goes through one safe
CSV writer (course_lib._output), so no answer can become a spreadsheet formula.
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from course_lib._output import OutputError, check_targets, csv_bytes, shown, write_all
from course_lib.exercises import CORRECT, INCORRECT, KEPT, check
from course_lib.exports import Skipped, Work, read_work
from course_lib.progress import VERDICTS

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
    return []


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
    return choice if item.kind != "numeric" else answer


def lesson_rows(rows: list[Row]) -> list[tuple[str, str, int, int, int]]:
    """Per student and lesson: items tried, right first time, right in the end."""
    groups: dict[tuple[str, str], list[Row]] = {}
    for r in rows:
        groups.setdefault((r.student, r.lesson), []).append(r)
    return [(student, lesson, len(rs), sum(r.first_verdict in RIGHT for r in rs),
             sum(r.final_verdict in RIGHT for r in rs)) for (student, lesson), rs in sorted(groups.items())]


def outputs(out) -> list[Path]:
    """The three files a gradebook is: the named CSV, its -items and -lessons companions."""
    out = Path(out)
    return [out, out.with_name(out.stem + "-items.csv"), out.with_name(out.stem + "-lessons.csv")]


def collect(paths, out, case=None, force: bool = False,
            checker: Checker | None = None) -> tuple[list[Work], list[Skipped]]:
    """Read the exports and write the three CSV files; return the students' work used and what was skipped.

    Writes nothing when no export is usable; raises OutputError when an output is an input, a folder, or
    exists (without `force`)."""
    targets = outputs(out)
    check_targets(targets, paths, force)
    if case is None:
        from course_lib.case import load_case
        case = load_case()
    works, skipped = read_work(paths)
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


def main(paths, out, force: bool = False) -> int:
    """The command: write the gradebook, name every skipped file and every file to look at; exit 1 (one
    line, nothing written) when no file could be used or the output is refused."""
    from course_lib.case import CaseError, load_case
    try:
        case = load_case()
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
    print(f"{len(works)} student(s): wrote {names[0]}, {Path(names[1]).name} and {Path(names[2]).name}"
          + (f"; {len(skipped)} file(s) skipped" if skipped else ""))
    return 0
