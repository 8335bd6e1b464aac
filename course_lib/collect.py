"""The gradebook: `course-lib collect EXPORTS... --out gradebook.csv`, from students' exported work.

Three CSV files, no server and no database: `gradebook.csv` (a row per student and item: first-try
verdict, attempts, hints, final verdict), `gradebook-items.csv` (per item: how many tried, the share
right first time and in the end, the most chosen wrong answer and its misconception tag) and
`gradebook-lessons.csv` (per student and lesson). Misconception tags are found by checking the saved
answer again, so they come from the same feedback the student saw. Files that cannot be used are
named and skipped (course_lib.exports); nothing is merged silently.
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from course_lib.exercises import CORRECT, KEPT, check
from course_lib.exports import Skipped, Work, read_work

RIGHT = (CORRECT, KEPT)


@dataclass(frozen=True)
class Row:
    """One student's work on one item."""

    student: str
    lesson: str
    item: str
    first_verdict: str
    attempts: int
    hints: int
    final_verdict: str


def student_rows(work: Work, case) -> list[Row]:
    """A row per item the student attempted (items the case does not know are left out)."""
    rows = []
    for item in case.exercises:
        tries = sorted((a for a in work.records if a.item == item.id), key=lambda a: (a.at, a.attempt))
        if tries:
            rows.append(Row(work.student, item.lesson, item.id, tries[0].verdict, len(tries),
                            max(a.hints for a in tries), tries[-1].verdict))
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


def item_summaries(works: list[Work], case) -> list[ItemSummary]:
    """Per item: how many students tried it, how many got it right first and in the end, and the most
    chosen wrong answer with the misconception tag its feedback names."""
    out = []
    for item in case.exercises:
        firsts, finals, wrong, tags = [], [], Counter(), {}
        for work in works:
            tries = sorted((a for a in work.records if a.item == item.id), key=lambda a: (a.at, a.attempt))
            if not tries:
                continue
            firsts.append(tries[0].verdict in RIGHT)
            finals.append(tries[-1].verdict in RIGHT)
            for a in tries:
                if a.verdict in RIGHT:
                    continue
                for choice in set(wrong_answers(item, a.answer)):
                    wrong[choice] += 1
                    if choice not in tags:
                        tags[choice] = ", ".join(check(item, _single(item, choice, a.answer)).misconceptions)
        common, count = wrong.most_common(1)[0] if wrong else ("", 0)
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


def collect(paths, out, case=None) -> tuple[list[Work], list[Skipped]]:
    """Read the exports and write the three CSV files; return the students' work used and what was skipped."""
    if case is None:
        from course_lib.case import load_case
        case = load_case()
    works, skipped = read_work(paths)
    rows = [r for w in works for r in student_rows(w, case)]
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    _write(out, ["student", "lesson", "item", "first_try", "attempts", "hints", "final"],
           [(r.student, r.lesson, r.item, r.first_verdict, r.attempts, r.hints, r.final_verdict) for r in rows])
    _write(out.with_name(out.stem + "-items.csv"),
           ["item", "lesson", "students_tried", "share_right_first_try", "share_right_in_the_end",
            "most_chosen_wrong_answer", "chosen_by", "misconception"],
           [(s.item, s.lesson, s.tried, f"{s.first_right:.2f}", f"{s.right_in_the_end:.2f}", s.common_wrong,
             s.chosen_by, s.misconception) for s in item_summaries(works, case)])
    _write(out.with_name(out.stem + "-lessons.csv"),
           ["student", "lesson", "items_tried", "right_first_try", "right_in_the_end"], lesson_rows(rows))
    return works, skipped


def _write(path: Path, header, rows) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def main(paths, out) -> int:
    """The command: write the gradebook, name every skipped file; exit 1 when no file could be used."""
    works, skipped = collect(paths, out)
    for s in skipped:
        print(f"skipped {s.name}: {s.reason}", file=sys.stderr)
    stem = Path(out).stem
    print(f"{len(works)} student(s): wrote {out}, {stem}-items.csv and {stem}-lessons.csv"
          + (f"; {len(skipped)} file(s) skipped" if skipped else ""))
    return 0 if works else 1
