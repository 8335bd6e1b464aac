"""The instructors' answer key, written from the exercise files so it can never drift from them.

`course-lib answer-key --out instructors/answer-key.md --force` renders, lesson by lesson (a split lesson
notebook by notebook: 02a, 02b), every item's
reference answer, why it is right, what each wrong choice shows (with its misconception tag), the
hint ladder and the evidence card; for a code exercise, its full solution as the instructor notebook
runs it (course_lib.instructors.solutions: the skeleton with its blanks filled). The reference answers are the
package's own readings.
"""

from __future__ import annotations

import re
from pathlib import Path

from course_lib.checking.checks import reference_answer


def _solution_lines(item, solutions) -> list[str]:
    """A code exercise's solution block, or a line saying the instructor notebooks have none for it."""
    found = solutions.get(item.id)
    if found is None:
        return [f"**Solution:** not found: no instructor notebook calls `answer(\"{item.id}\", ...)` with a "
                "function defined in that cell or one before it.", ""]
    if not found.blanks:
        return [f"**Solution** (from `instructors/notebooks/{found.notebook}`; a worked example: the lesson gives "
                "this code whole, with no blank, and the student runs it to see it checked):", "",
                "```python", found.code, "```", ""]
    return [f"**Solution** (from `instructors/notebooks/{found.notebook}`; the student writes line(s) "
            f"{found.spans()}, in {found.blanks} blank(s); the skeleton gives the rest):", "",
            "```python", found.code, "```", ""]


def _lines_for(item, sources, solutions=None) -> list[str]:
    out = [f"### {item.id}: {item.title}", "", f"*{item.kind}* — {item.prompt}", "",
           f"**Reference answer:** {reference_answer(item)}", ""]
    if item.explain:
        out += [f"**Why:** {item.explain}", ""]
    wrong = []
    for o in item.options:
        if not o.correct:
            tag = f" `{o.misconception}`" if o.misconception else ""
            accepted = f" Accepted: {o.accepted}" if o.accepted else ""
            wrong.append(f"- {o.id}) {o.text} — {o.feedback}{accepted}{tag}")
    for e in item.entries:
        if item.kind in ("classify", "match"):
            for choice, text in e.feedback.items():
                tag = f" `{e.misconceptions[choice]}`" if choice in e.misconceptions else ""
                wrong.append(f"- {e.id} as {choice}: {text}{tag}")
            for choice, text in e.accepted.items():
                wrong.append(f"- {e.id} as {choice} (accepted): {text}")
            for choice, text in e.partial.items():
                wrong.append(f"- {e.id} as {choice} (half credit): {text}")
    for m in item.mistakes:
        tag = f" `{m.misconception}`" if m.misconception else ""
        wrong.append(f"- {m.value:g}: {m.feedback}{tag}")
    if wrong:
        out += ["**Wrong answers and what they show:**", "", *wrong, ""]
    if item.results:
        out += ["**The results and why to open each, or not:**", ""]
        out += [f"{n}. `{r.id}` ({r.role}) {r.title} — {r.reason}" + (f" *Checked:* {r.note}" if r.note else "")
                for n, r in enumerate(item.results, 1)] + [""]
    if item.levels:
        out += ["**Rubric (shown to the student after writing) and sample responses:**", ""]
        out += [f"- **{lv.id.capitalize()}**: {lv.text} *Sample:* “{lv.sample}”" for lv in item.levels] + [""]
    if item.tests:
        out += ["**Hidden cases:** " + "; ".join(t.hint or "a case" for t in item.tests), ""]
    if item.kind == "code":
        out += _solution_lines(item, solutions or {})
    out += ["**Hints:** " + " → ".join(item.hints), ""]
    if item.evidence:
        card = sources.get(item.evidence)
        where = f" ({card.speaker}, {card.date.isoformat()}, {card.address})" if card else ""
        out += [f"**Evidence:** {item.evidence}{where}", ""]
    return out


def _shown_in(notebooks=None) -> dict[str, str]:
    """The notebook that shows each item, by its lesson number ("04a" for 04a-coding-events.ipynb)."""
    import nbformat

    from course_lib.instructors.solutions import NOTEBOOKS
    folder = Path(notebooks) if notebooks is not None else NOTEBOOKS
    found: dict[str, str] = {}
    for path in sorted(folder.glob("*.ipynb")) if folder.is_dir() else []:
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code":
                for item_id in re.findall(r'show\("([\w.-]+)"\)', cell.source):
                    found.setdefault(item_id, path.name.split("-", 1)[0])
    return found


def answer_key(case, notebooks=None) -> str:
    """The whole key as Markdown, lessons in order, items in file order; code solutions come from the
    instructor notebooks in `notebooks` (default: the course's own)."""
    from course_lib.instructors.solutions import code_solutions
    solutions = code_solutions(notebooks)
    lines = ["# Answer key", "",
             "Written by `course-lib answer-key` from the case's exercise files; do not edit by hand.",
             "The reference answers are this package's own readings, offered for discussion: where the class",
             "disagrees with one, ask for the evidence and the rule that decides it (see guide.md).", ""]
    shown = _shown_in(notebooks)
    halves = sorted({shown.get(e.id, e.lesson) for e in case.exercises})
    for half in halves:  # a lesson split in two notebooks (04a, 04b) gets a section for each
        items = [e for e in case.exercises if shown.get(e.id, e.lesson) == half]
        lines += [f"## Lesson {half}", ""]
        for item in items:
            lines += _lines_for(item, case.sources, solutions)
    return "\n".join(lines).rstrip() + "\n"
