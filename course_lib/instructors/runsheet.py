"""The instructor's run sheet of every lesson: minutes from the timing model, teaching moves from a data file.

A run sheet has two halves that change for different reasons, so they live apart:

- **The minutes** come from the timing model (course_lib.instructors.timing), section by section (one section per `##`
  heading of the built lesson): each row starts at the minutes the sections before it take, cumulative and
  rounded to whole minutes, and what a cut saves is the model's minutes of the sections cut. Nothing here is
  typed by hand, so a run sheet cannot disagree with the lesson's header.
- **The teaching** is written by hand in `instructors/run-sheets.toml`, keyed by **section title**, not by
  lesson, so that a section moved to another notebook (lesson 04 split into 04a and 04b) takes its entry
  with it. Each `[[section]]` has:

  - `title`: the `##` heading's text, exactly. `"(opening)"` is the entry of any lesson's opening (what
    comes before its first `##`) that has no entry of its own (`"(opening) Start here"`); `"Wrap-up"` is
    shared by every lesson that has one.
  - `mode`: one of `MODES` (instructor-led, self-paced, pairs).
  - `do`: what students do; the exercises the section shows are added from the model.
  - `checkpoint`: what the instructor looks at before moving on.
  - optional `discuss` (a list of discussion moves made in this section), `errors` (a list of
    `{error = "...", fix = "..."}`), `cut` (how to cut this section when short of time: it saves the
    section's minutes by the model) and `cut_items` (when only some of the section's exercises are cut:
    their ids, or "code" for its open code tasks; the saving is then their minutes by the model's rates).
  - optional `arriving`: the branch or issue that brings a section no lesson has yet. Such an entry is
    not reported as unused; once a lesson has the section, the mark is reported, to be deleted.

  A lesson's run sheet gathers the moves, errors and cuts of its sections; every lesson needs at least
  `MIN_MOVES` discussion moves, one common error and one cut.

`course-lib timing --write` puts each lesson's run sheet into `instructors/guide.md`, in the lesson's section
(`## Lesson NN: Title`, a letter suffix allowed: `## Lesson 04a: ...`), between `START` and `END`; a
section without the markers gets the block after its **Suggested sequence.** paragraph (else after its first
paragraph). That paragraph keeps the order of the lesson and loses any minute marks typed into it ("(5)"):
the run sheet states the minutes, so nothing else in the section can disagree with the model.
`problems()` lists what does not fit (a section with no entry, an entry no lesson has, a lesson short of a
part, a guide section without a run sheet); tests/test_run_sheets.py fails on any of them.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Entry", "MODES", "START", "END", "load", "render", "problems", "update_guide", "lesson_parts"]

MODES = ("instructor-led", "self-paced", "pairs")
MIN_MOVES = 2
OPENING = "(opening)"
START = "<!-- run-sheet: written by `course-lib timing --write` from instructors/run-sheets.toml; edit that -->"
END = "<!-- /run-sheet -->"
_BLOCK = re.compile(re.escape(START) + r".*?" + re.escape(END), re.S)
_ITEM = re.compile(r"^(\S+) \((\w+)\)$")
_CODE = re.compile(r"^code: (\d+) line\(s\) in (\d+) blank\(s\)$")


@dataclass
class Entry:
    """The hand-written part of one section's row."""

    title: str
    mode: str
    do: str
    checkpoint: str
    discuss: list[str] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    cut: str = ""
    cut_items: list[str] = field(default_factory=list)
    arriving: str = ""


def _text(value) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def load(path) -> tuple[dict[str, Entry], list[str]]:
    """The entries of a run-sheet file by title, and what is wrong with the file (never raised)."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        return {}, [f"{path}: cannot be read ({str(error).splitlines()[0]})"]
    entries: dict[str, Entry] = {}
    issues: list[str] = []
    for n, raw in enumerate(data.get("section", []), 1):
        title = _text(raw.get("title"))
        where = f"{path.name}, section {n} ({title or 'no title'})"
        if not title:
            issues.append(f"{where}: no title")
            continue
        if title in entries:
            issues.append(f"{where}: a second entry for this title")
        mode = _text(raw.get("mode"))
        if mode not in MODES:
            issues.append(f"{where}: mode {mode!r} is not one of {', '.join(MODES)}")
        for key in ("do", "checkpoint"):
            if not _text(raw.get(key)):
                issues.append(f"{where}: no {key}")
        errors = []
        for e in raw.get("errors", []):
            if not (isinstance(e, dict) and _text(e.get("error")) and _text(e.get("fix"))):
                issues.append(f"{where}: an error needs both `error` and `fix`")
                continue
            errors.append((_text(e["error"]), _text(e["fix"])))
        cut_items = [_text(i) for i in raw.get("cut_items", []) if _text(i)]
        if cut_items and not _text(raw.get("cut")):
            issues.append(f"{where}: cut_items without a cut saying how")
        entries[title] = Entry(title, mode, _text(raw.get("do")), _text(raw.get("checkpoint")),
                               [_text(d) for d in raw.get("discuss", []) if _text(d)], errors, _text(raw.get("cut")),
                               cut_items, _text(raw.get("arriving")))
    return entries, issues


def entry_for(title: str, entries: dict[str, Entry]) -> Entry | None:
    """A section's entry: by its exact title, else (for an opening) the shared "(opening)" entry."""
    if title in entries:
        return entries[title]
    if title.startswith(OPENING):
        return entries.get(OPENING)
    return None


def _minutes(x: float) -> int:
    return int(x + 0.5)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _label(title: str) -> str:
    return "Opening" if title.startswith(OPENING) else title


def _after(title: str) -> str:
    """A section's label followed by a full stop, unless it ends in its own punctuation."""
    label = _label(title)
    return label if label[-1:] in "?!." else label + "."


def _prompts(section) -> str:
    """What the model times as discussion in a section, said in the row (a prompt an opening holds, say)."""
    count = sum(int(n.split()[0]) for n in section.notes if n.endswith("instructor prompt(s)"))
    count += sum(1 for n in section.notes if n == "discussion")
    return f" Discussion: {count} prompt(s) of the notebook timed here." if count else ""


def _items(section) -> list[str]:
    return [m.group(1) for m in map(_ITEM.match, section.notes) if m]


def exercise_minutes(section, items) -> dict[str, float]:
    """The model's minutes of each exercise a section shows, by id (its kind's rate, and for a code item the
    lines written in the blanks that follow it), and of its open code tasks under "code"."""
    from course_lib.instructors import timing
    out: dict[str, float] = {}
    last = None
    for note in section.notes:
        m = _ITEM.match(note)
        code = _CODE.match(note)
        if m:
            item = items.get(m.group(1)) if hasattr(items, "get") else None
            out[m.group(1)] = timing._item_minutes(item) if item is not None else timing.ITEM_MINUTES["single"]
            last = m.group(1) if m.group(2) == "code" else None
        elif code:
            minutes = timing._code_minutes(int(code.group(1)), int(code.group(2)))
            key = last if last is not None else "code"
            out[key] = out.get(key, 0.0) + minutes
            last = None
        else:
            last = None
    return out


def cut_minutes(section, entry: Entry, items) -> float:
    """What cutting a section as its entry says saves: the section's minutes, or those of its cut items."""
    if not entry.cut_items:
        return section.minutes
    minutes = exercise_minutes(section, items)
    return sum(minutes.get(i, 0.0) for i in entry.cut_items)


def lesson_parts(estimate, entries: dict[str, Entry], items=None) -> dict:
    """What a lesson's run sheet holds: its rows (start minute, section, entry or None, items), its moves,
    errors and cuts (each with its section and the minutes it saves), and the minutes in all."""
    rows, moves, errors, cuts, start = [], [], [], [], 0.0
    items = getattr(estimate, "items", None) or items  # a lesson timed on its own case has that case's items
    for section in estimate.sections:
        entry = entry_for(section.title, entries)
        rows.append((_minutes(start), section, entry, _items(section)))
        if entry is not None:
            moves += [(section, _minutes(start), d) for d in entry.discuss]
            errors += [(section, e) for e in entry.errors]
            if entry.cut:
                cuts.append((section, entry, cut_minutes(section, entry, items or {})))
        start += section.minutes
    return {"rows": rows, "moves": moves, "errors": errors, "cuts": cuts, "end": _minutes(start)}


def render(estimate, entries: dict[str, Entry], items=None) -> str:
    """A lesson's run sheet as the guide shows it, between START and END. `items` maps exercise ids to
    items (a case's `exercises`), for what cutting some of a section's exercises saves."""
    parts = lesson_parts(estimate, entries, items)
    out = [START, "",
           f"**Run sheet.** Start minutes are the timing model's, section by section (`course-lib timing` shows "
           f"them); the lesson runs about {parts['end']} minutes before the header rounds it to "
           f"{estimate.total}. Modes: instructor-led (you at the front), self-paced (students alone, you walk the "
           "room), pairs. The rest comes from [run-sheets.toml](run-sheets.toml), by section title: edit it there, "
           "then run `course-lib timing --write`.", "",
           "| Min | Section | Mode | What students do | Checkpoint |", "|---|---|---|---|---|"]
    for start, section, entry, items in parts["rows"]:
        exercises = (f" Items: {', '.join(f'`{i}`' for i in items)}." if items else "") + _prompts(section)
        if entry is None:
            out.append(f"| {start} | {_cell(_label(section.title))} | ? | no entry in instructors/run-sheets.toml"
                       f"{exercises} | ? |")
        else:
            out.append(f"| {start} | {_cell(_label(section.title))} | {entry.mode} | {_cell(entry.do)}"
                       f"{_cell(exercises)} | {_cell(entry.checkpoint)} |")
    out.append(f"| {parts['end']} | End | | | |")
    out += ["", "**Discussion moves.**", ""]
    out += [f"{n}. *{_label(s.title)}, minute {m}.* {d}" for n, (s, m, d) in enumerate(parts["moves"], 1)]
    out += ["", "**Common errors and fixes.**", ""]
    out += [f"- *{_after(s.title)}* {error} **Fix:** {fix}" for s, (error, fix) in parts["errors"]]
    out += ["", "**When short of time.**", ""]
    saved = 0
    for section, entry, minutes in parts["cuts"]:
        saved += minutes
        what = (", ".join("the open code task" if i == "code" else f"`{i}`" for i in entry.cut_items)
                + f" of *{_label(section.title)}*"
                if entry.cut_items else f"*{_label(section.title)}*")
        out.append(f"- Cut {what} (saves {_minutes(minutes)} min): {entry.cut}")
    if parts["cuts"]:
        out += ["", f"All of these cuts together save {_minutes(saved)} min: the lesson then runs about "
                    f"{parts['end'] - _minutes(saved)} minutes."]
    out += ["", END]
    return "\n".join(out)


_SEQUENCE = re.compile(r"^\*\*Suggested sequence\b.*?(?:\n\n|\Z)", re.M | re.S)
_MARK = re.compile(r"[ \n]?\((\d+)\)|(?<=\()\d+[;,] ")


def sequence_minutes(body: str) -> list[str]:
    """The minute marks typed into a lesson's Suggested sequence paragraph: "(5)", "(25; pairs ...".
    The run sheet gives the minutes, so the sequence states none."""
    m = _SEQUENCE.search(body)
    return [x.group(0).strip() for x in _MARK.finditer(m.group(0))] if m else []


def _without_minutes(body: str) -> str:
    """A lesson section whose Suggested sequence has its minute marks taken out (the order stays)."""
    return _SEQUENCE.sub(lambda m: _MARK.sub("", m.group(0)), body, count=1)


def _insert_at(body: str) -> int:
    """Where a guide section without a run sheet gets one: after its Suggested sequence paragraph, else
    after its first paragraph below the heading."""
    m = _SEQUENCE.search(body)
    if m:
        return m.end()
    first = body.find("\n\n")
    if first < 0:
        return len(body)
    second = body.find("\n\n", first + 2)
    return second + 2 if second >= 0 else len(body)


def update_guide(guide: str, estimates, entries: dict[str, Entry], items=None) -> str:
    """The guide with the run sheet of every lesson that has a notebook (estimates) set or inserted."""
    from course_lib.instructors.timing import GUIDE_LESSON, lesson_key
    by_key = {lesson_key(e.name): e for e in estimates}
    found = list(GUIDE_LESSON.finditer(guide))
    pieces, last = [], 0
    for n, m in enumerate(found):
        end = found[n + 1].start() if n + 1 < len(found) else len(guide)
        end = min(end, _next_section(guide, m.end(), end))
        body = guide[m.start():end]
        e = by_key.get(m.group(1))
        if e is not None:
            body = _without_minutes(body)
            block = render(e, entries, items)
            if _BLOCK.search(body):
                body = _BLOCK.sub(lambda _: block, body, count=1)
            else:
                at = _insert_at(body)
                tail = body[at:]
                rest = "\n\n" + tail.lstrip("\n") if tail.strip() else "\n\n"
                body = body[:at].rstrip("\n") + "\n\n" + block + rest
        pieces += [guide[last:m.start()], body]
        last = end
    pieces.append(guide[last:])
    return "".join(pieces)


def _next_section(guide: str, start: int, limit: int) -> int:
    """The start of the next `## ` heading after `start` (a lesson section ends there)."""
    m = re.compile(r"^## ", re.M).search(guide, start)
    return m.start() if m and m.start() < limit else limit


def guide_blocks(guide: str) -> dict[str, str]:
    """Lesson -> the run-sheet block its guide section holds ("" when it has none)."""
    from course_lib.instructors.timing import GUIDE_LESSON
    out = {}
    found = list(GUIDE_LESSON.finditer(guide))
    for n, m in enumerate(found):
        end = _next_section(guide, m.end(), found[n + 1].start() if n + 1 < len(found) else len(guide))
        block = _BLOCK.search(guide, m.start(), end)
        out[m.group(1)] = block.group(0) if block else ""
    return out


def problems(estimates, entries: dict[str, Entry], guide: str | None = None, items=None) -> list[str]:
    """Everything that keeps the run sheets from being whole: sections without an entry, entries no lesson
    has, lessons short of discussion moves, errors or cuts, and (given the guide) lessons without a section
    or a run sheet there."""
    from course_lib.instructors.timing import lesson_key
    out, used = [], set()
    for e in sorted(estimates, key=lambda e: lesson_key(e.name)):
        key = lesson_key(e.name)
        for section in e.sections:
            entry = entry_for(section.title, entries)
            if entry is None:
                out.append(f"lesson {key}: section {section.title!r} has no entry in run-sheets.toml")
            else:
                used.add(entry.title)
                known = exercise_minutes(section, getattr(e, "items", None) or items or {})
                for i in entry.cut_items:
                    if i not in known:
                        out.append(f"lesson {key}, {section.title!r}: cut_items names {i!r}, which this section "
                                   "does not show")
        parts = lesson_parts(e, entries, items)
        if len(parts["moves"]) < MIN_MOVES:
            out.append(f"lesson {key}: {len(parts['moves'])} discussion move(s) in its sections' entries; "
                       f"a run sheet needs {MIN_MOVES}")
        if not parts["errors"]:
            out.append(f"lesson {key}: no common error with its fix in its sections' entries")
        if not parts["cuts"]:
            out.append(f"lesson {key}: no section says how to cut it when short of time")
    for title, entry in entries.items():
        if title not in used and not entry.arriving:
            out.append(f"run-sheets.toml: {title!r} is the title of no section of any lesson")
        elif title in used and entry.arriving:
            out.append(f"run-sheets.toml: {title!r} is marked arriving ({entry.arriving}), but a lesson has it "
                       "now: delete its `arriving` line")
    if guide is not None:
        blocks = guide_blocks(guide)
        for e in estimates:
            key = lesson_key(e.name)
            if key not in blocks:
                out.append(f"guide.md: no '## Lesson {key}: ...' section for its run sheet")
            elif not blocks[key]:
                out.append(f"guide.md, Lesson {key}: no run sheet (run course-lib timing --write)")
    return out
