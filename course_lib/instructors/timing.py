"""How long a lesson takes in a real room: one timing model for every lesson header and the guide.

`estimate(lesson)` reads a built student notebook (lessons/*.ipynb: what a student sees, the
markdown, the code and the outputs stored by the build) section by section, one section per `##`
heading (what comes before the first `##` is the lesson's opening), and adds up minutes. The
instructor source (instructors/notebooks/, same name), when given, says how many lines a student
writes and where the instructor runs a discussion. `course-lib timing` prints the estimate;
`course-lib timing --write` puts it into the `header(teaching=..., exercises=...)` call of every
instructor notebook and into the instructor guide (its table, the total and the strands' minutes under it,
each lesson's Timing line, and each lesson's run sheet, which course_lib.instructors.runsheet writes) and into the
lesson maps of README.md and site/index.md (their Minutes column), and tests/test_timing.py and
tests/test_run_sheets.py keep them in agreement.

The rates, and where each comes from. Only the reading rate is taken from outside the course (the
issue that asked for this model sets it, and it sits just under the ~240 words a minute adults read
non-fiction silently, M. Brysbaert, "How many words do we read per minute?", Journal of Memory and
Language 109, 2019, since students read to learn, not to skim). Every other rate is the course's own
assumption, stated here so that it can be argued with, and calibrated against what the issue
observed: lesson 00's reading plus exercises alone take about 45 minutes, and lesson 04 (before it
was split) 95-170 minutes for a student who codes.

Teaching (reading, running, discussion):

- Reading: `WORDS_PER_MINUTE` = 200 words a minute of markdown and of shown output text. An output
  counts once, in its most readable form: text/markdown, else text/plain, else text/html without its
  tags; so a widget's or a figure's text twin is read once, never with its HTML as well. JavaScript
  and widget state are not text. A figure (image output) adds `FIGURE_MINUTES` = 1 to look at it.
  The text an exercise shows (its prompt and options) is read as part of the exercise and counted
  with the exercises, at the same rate.
- Running: `RUN_MINUTES` = 0.25 (15 seconds) for every code cell a student runs that is not an
  answer prompt: find it, read the call, Shift+Enter, wait.
- Discussion: `DISCUSSION_MINUTES` = 5 for every discussion prompt. A prompt is recognisable in the
  notebook, not in the guide: a markdown cell a student sees that invites talk (`**Discuss`,
  "discuss with", "with a neighbour", "with a classmate", "in pairs", "as a class"), or an
  `instructor` cell of the source that gives the instructor a discussion prompt or asks the room
  something ("Discussion prompt", "Prompts:", "Ask students", "ask the class"): one prompt per
  quoted question in it, else per question, and at least one. A discussion the guide proposes but no cell marks is not counted:
  mark it in the notebook where it happens.

Exercises (items, code, writing). An exercise is a code cell calling `show("id")`; its kind is read
from the case's item. `ITEM_MINUTES` per kind, plus `ENTRY_MINUTES` per entry for the kinds that
sort, match or order several entries, plus `CONFIDENCE_MINUTES` when the item asks how sure the
student is:

- single 1 (the one minute per multiple-choice question of test-writing practice; reading the
  item is counted apart, above); multiple 2 (each option is judged); numeric 2.5 (a count or a
  computation by hand); classify, match and order 1 + 0.5 per entry (half a minute to decide each
  statement, once read); text 2 + one minute per 10 words of its minimum length, taken as at least
  20 words (composing, not typing, sets the pace); code 5 to read the task, the skeleton and the
  feedback, counted with the code, plus the code written (below).
- Code, at the pace of a beginner who has never written a loop: `LINE_MINUTES` = 3 for every line
  the student writes (a non-blank line inside a solution region of the source) and `BLANK_MINUTES`
  = 2 for every region (a blank to fill: finding where it goes, running, reading the error). Without
  the instructor source a region is taken as `LINES_PER_REGION` = 3 lines.
- An answer prompt right after an exercise is where that exercise is answered: no extra time. An
  answer prompt anywhere else is an open task: a markdown one is `OPEN_WRITING_MINUTES` = 5 of
  writing, a code one the lines its solution has (at least one) at the code rates.
- The memo: a notebook that opens a memo (`open_memo(`) has its sections (course_lib.frontend.memo.SECTIONS,
  five) written at `MEMO_SECTION_MINUTES` = 10 each (a 600-900-word memo, about 150 words a section,
  composed at 15 words a minute), counted in the section where the memo is opened. Answer prompts
  and regions that work on the memo (`memo.` in their source) are part of that writing.

Teaching and exercises are each rounded to the nearest 5 minutes (halves up, at least 5), which is
what `header(teaching=..., exercises=...)` shows; the total is their sum. A lesson should fit one
class slot: `LIMIT` = 90 minutes.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Estimate", "Section", "estimate", "estimate_file", "round5", "words", "LIMIT"]

WORDS_PER_MINUTE = 200
FIGURE_MINUTES = 1.0
RUN_MINUTES = 0.25
DISCUSSION_MINUTES = 5.0
ITEM_MINUTES = {"single": 1.0, "multiple": 2.0, "numeric": 2.5, "classify": 1.0, "match": 1.0,
                "order": 1.0, "text": 2.0, "code": 5.0, "worked": 1.0}  # worked: a code item given whole, run
ENTRY_MINUTES = {"classify": 0.5, "match": 0.5, "order": 0.5}
CONFIDENCE_MINUTES = 0.25
TEXT_WORDS_PER_MINUTE = 10
TEXT_MIN_WORDS = 20
LINE_MINUTES = 3.0
BLANK_MINUTES = 2.0
LINES_PER_REGION = 3
OPEN_WRITING_MINUTES = 5.0
MEMO_SECTION_MINUTES = 10.0
LIMIT = 90

CODE_STUB = "# Write your answer here, then run this cell."
MARKDOWN_STUB = "*Write your answer here.*"
_STUB_LINES = ('raise NotImplementedError("Write your code here.")', "# Write your answer here.")
_SHOW = re.compile(r"""\bshow\(\s*["']([^"']+)["']""")
_HEADING = re.compile(r"^##[ \t]+(.+?)[ \t#]*$")
_TITLE = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.M)
_WORD = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*")
_BEGIN = re.compile(r"^[ \t]*### BEGIN SOLUTION[ \t]*$")
_END = re.compile(r"^[ \t]*### END SOLUTION[ \t]*$")
DISCUSS = re.compile(r"\*\*Discuss(?:ion)?\b|\bdiscuss (?:with|in|as)\b|\bwith (?:a|your) "
                     r"(?:neighbou?r|classmate|partner)\b|\bin pairs\b|\bas a class\b", re.I)
INSTRUCTOR_PROMPT = re.compile(r"discussion prompt|\bprompts?\b\s*(?:\([^)]*\))?\s*:|\bask (?:students|the "
                               r"(?:class|room|group))\b", re.I)
_QUESTION = re.compile(r"\?(?=[\s”\"')*]|$)")
_QUOTED_QUESTION = re.compile(r"“[^”]*\?[^”]*”|\"[^\"]*\?[^\"]*\"")
TEACHING, EXERCISES = ("reading", "running", "discussion"), ("items", "code", "writing")


def words(text: str) -> int:
    """Words in a text as a reader meets them: link targets and HTML tags are not read."""
    text = re.sub(r"\]\([^)]*\)", "]", text)
    text = re.sub(r"<[^>]*>", " ", text)
    return len(_WORD.findall(html.unescape(text)))


def round5(minutes: float) -> int:
    """To the nearest 5 minutes, halves up, and at least 5 when there is anything at all."""
    if minutes <= 0:
        return 0
    return max(5, int(math.floor(minutes / 5 + 0.5)) * 5)


@dataclass
class Section:
    """The minutes of one `##` section, unrounded, by what they are spent on."""

    title: str
    words: int = 0        # words read: markdown and outputs, exercises' own text included
    reading: float = 0.0
    running: float = 0.0
    discussion: float = 0.0
    items: float = 0.0
    code: float = 0.0
    writing: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def teaching(self) -> float:
        return self.reading + self.running + self.discussion

    @property
    def exercises(self) -> float:
        return self.items + self.code + self.writing

    @property
    def minutes(self) -> float:
        return self.teaching + self.exercises


@dataclass
class Estimate:
    """A lesson's sections and its minutes, rounded as a header shows them."""

    name: str
    sections: list[Section]
    warnings: list[str] = field(default_factory=list)
    items: object = field(default=None, repr=False, compare=False)  # the exercises it was timed with, by id

    @property
    def raw_teaching(self) -> float:
        return sum(s.teaching for s in self.sections)

    @property
    def raw_exercises(self) -> float:
        return sum(s.exercises for s in self.sections)

    @property
    def teaching(self) -> int:
        return round5(self.raw_teaching) or 5

    @property
    def exercises(self) -> int:
        return round5(self.raw_exercises) or 5

    @property
    def total(self) -> int:
        return self.teaching + self.exercises

    @property
    def over(self) -> bool:
        return self.total > LIMIT


def _text_of(output) -> str:
    """An output's text in its most readable form, counted once."""
    if output.get("output_type") == "stream":
        return str(output.get("text", ""))
    data = output.get("data", {})
    for mime in ("text/markdown", "text/plain", "text/html"):
        if mime in data:
            value = data[mime]
            return "".join(value) if isinstance(value, list) else str(value)
    return ""


def _figures(output) -> int:
    return int(any(k.startswith("image/") for k in output.get("data", {})))


def _source(cell) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _regions(source: str) -> list[int]:
    """The non-blank lines of each solution region of a code cell's source."""
    out, inside = [], None
    for line in source.splitlines():
        if _BEGIN.match(line):
            inside = 0
        elif _END.match(line) and inside is not None:
            out.append(inside)
            inside = None
        elif inside is not None and line.strip():
            inside += 1
    return out


def _is_stub(cell) -> bool:
    return _source(cell).strip() in (CODE_STUB, MARKDOWN_STUB)


def _tags(cell) -> list:
    return list(cell.get("metadata", {}).get("tags", []))


def _prompts(text: str) -> int:
    """How many prompts an instructor cell gives: its quoted questions, else its questions, at least one."""
    return max(1, len(_QUOTED_QUESTION.findall(text)) or len(_QUESTION.findall(text)))


class _Source:
    """What the instructor source adds: lines written per cell id, and discussion prompts per section."""

    def __init__(self, instructor):
        self.cells = list(instructor.cells) if instructor is not None else []
        self.by_id = {c.get("id"): n for n, c in enumerate(self.cells) if c.get("id")}
        self.prompts: dict[int, int] = {}
        section = 0
        for cell in self.cells:
            tags = _tags(cell)
            text = _source(cell)
            if "instructor" in tags:
                if cell.get("cell_type") == "markdown" and INSTRUCTOR_PROMPT.search(text):
                    self.prompts[section] = self.prompts.get(section, 0) + _prompts(text)
            elif cell.get("cell_type") == "markdown":
                section += sum(1 for line in text.splitlines() if _HEADING.match(line))

    def run(self, cell_id) -> list:
        """The source cells a student's cell stands for: itself, and for a prompt the whole run of
        solution cells it replaced (instructor cells between them skipped)."""
        n = self.by_id.get(cell_id)
        if n is None:
            return []
        out = [self.cells[n]]
        if "solution" in _tags(self.cells[n]):
            for cell in self.cells[n + 1:]:
                tags = _tags(cell)
                if "instructor" in tags:
                    continue
                if "solution" not in tags:
                    break
                out.append(cell)
        return out


def _code_minutes(lines: int, regions: int) -> float:
    return lines * LINE_MINUTES + regions * BLANK_MINUTES


def _item_minutes(item) -> float:
    kind = "worked" if getattr(item, "worked", False) else item.kind
    minutes = ITEM_MINUTES.get(kind, ITEM_MINUTES["single"])
    minutes += ENTRY_MINUTES.get(kind, 0.0) * len(item.entries)
    if kind == "text":
        minutes += max(item.min_words, TEXT_MIN_WORDS) / TEXT_WORDS_PER_MINUTE
    if item.confidence:
        minutes += CONFIDENCE_MINUTES
    return minutes


def estimate(lesson, items, instructor=None, name: str = "notebook") -> Estimate:
    """The minutes of a built student notebook `lesson`, section by section.

    `items` maps exercise ids to items (a case's `exercises`); `instructor` is the lesson's source
    notebook (optional: it gives the lines a student writes and the instructor's discussion prompts).
    """
    from course_lib.frontend.memo import SECTIONS as MEMO_SECTIONS

    source = _Source(instructor)
    titles = _TITLE.findall("\n".join(_source(c) for c in lesson.cells if c.get("cell_type") == "markdown"))
    sections = [Section(f"(opening) {titles[0]}" if titles else "(opening)")]
    warnings: list[str] = []

    def read(section: Section, text: str) -> None:
        n = words(text)
        section.words += n
        section.reading += n / WORDS_PER_MINUTE

    after_item = False  # the cell before shows an exercise, or is the prompt that answers it
    for cell in lesson.cells:
        kind, text = cell.get("cell_type"), _source(cell)
        if kind == "markdown":
            chunk = []
            for line in text.splitlines():
                heading = _HEADING.match(line)
                if heading:
                    read(sections[-1], "\n".join(chunk))
                    sections.append(Section(heading.group(1).strip()))
                    chunk = [heading.group(1)]
                else:
                    chunk.append(line)
            read(sections[-1], "\n".join(chunk))
            if _is_stub(cell):
                if not after_item:
                    sections[-1].writing += OPEN_WRITING_MINUTES
                    sections[-1].notes.append("open writing task")
                continue
            if DISCUSS.search(text):
                sections[-1].discussion += DISCUSSION_MINUTES
                sections[-1].notes.append("discussion")
            after_item = False
            continue
        if kind != "code":
            continue
        here = sections[-1]
        outputs = cell.get("outputs", [])
        out_words = sum(words(_text_of(o)) for o in outputs)
        here.reading += sum(_figures(o) for o in outputs) * FIGURE_MINUTES
        originals = source.run(cell.get("id"))
        memo_work = "memo." in text or any("memo." in _source(c) for c in originals)
        ids = _SHOW.findall(text)
        if ids:
            for item_id in ids:
                item = items.get(item_id) if hasattr(items, "get") else None
                if item is None:
                    warnings.append(f"{name}: show({item_id!r}) names no exercise of the case; "
                                    "timed as a single choice")
                    here.items += ITEM_MINUTES["single"]
                elif item.kind == "code" and not getattr(item, "worked", False):
                    here.code += _item_minutes(item)
                    here.notes.append(f"{item_id} (code)")
                else:
                    here.items += _item_minutes(item)
                    here.notes.append(f"{item_id} ({item.kind})")
            here.words += out_words
            here.items += out_words / WORDS_PER_MINUTE  # an exercise's own text is read as part of it
            after_item = True
            continue
        if _is_stub(cell):
            if not after_item and not memo_work:
                lines = sum(len([x for x in _source(c).splitlines() if x.strip()]) for c in originals)
                lines = lines if originals else LINES_PER_REGION
                here.code += _code_minutes(max(1, lines), 1)
                here.notes.append(f"open code task: {max(1, lines)} line(s)")
            continue
        after_item = False
        here.running += RUN_MINUTES
        here.words += out_words
        here.reading += out_words / WORDS_PER_MINUTE
        if "open_memo(" in text:
            here.writing += len(MEMO_SECTIONS) * MEMO_SECTION_MINUTES
            here.notes.append(f"memo: {len(MEMO_SECTIONS)} sections")
        stubs = sum(text.count(s) for s in _STUB_LINES)
        if stubs and not memo_work:
            regions = _regions(_source(originals[0])) if originals else []
            if len(regions) != stubs:
                regions = [LINES_PER_REGION] * stubs
            here.code += _code_minutes(sum(regions), len(regions))
            here.notes.append(f"code: {sum(regions)} line(s) in {len(regions)} blank(s)")
    for n, count in source.prompts.items():
        if n < len(sections):
            sections[n].discussion += count * DISCUSSION_MINUTES
            sections[n].notes.append(f"{count} instructor prompt(s)")
    return Estimate(name, sections, warnings)


_USE_CASE = re.compile(r"""\buse_case\(\s*["']([^"']+)["']\s*\)""")


def lesson_case(lesson):
    """The case a lesson selects in its first code cell (`course_lib.use_case("syria-2013")`), loaded;
    None when that cell selects none (the lesson runs on whatever case is current)."""
    from course_lib.case.records import case_folder, load_case
    first = next((_source(c) for c in lesson.cells if c.get("cell_type") == "code"), "")
    m = _USE_CASE.search(first)
    return load_case(case_folder(m.group(1))) if m else None


def estimate_file(path, case=None, instructor_dir="instructors/notebooks") -> Estimate:
    """The estimate of the lesson at `path`, with its instructor source (same name) if there is one. The
    exercises' kinds come from the case the lesson selects in its first cell, else from `case` (default:
    the current case), so one run times every lesson on its own case."""
    import nbformat

    from course_lib.case.records import current_case
    path = Path(path)
    lesson = nbformat.read(path, as_version=4)
    case = lesson_case(lesson) or (case if case is not None else current_case())
    source_path = Path(instructor_dir) / path.name if instructor_dir else None
    instructor = nbformat.read(source_path, as_version=4) if source_path and source_path.exists() else None
    found = estimate(lesson, case.exercises, instructor, name=str(path))
    found.items = case.exercises
    return found


# ---- the report ---------------------------------------------------------------------------------

def _number(x: float) -> str:
    return f"{x:.1f}" if x else "-"


def table(e: Estimate) -> str:
    """A notebook's estimate as a plain-text table: a row per section (unrounded minutes), then the
    totals as the header shows them."""
    head = ("section", "words", "read", "run", "discuss", "items", "code", "write", "teach", "exer")
    rows = [(s.title, str(s.words), *(_number(getattr(s, k)) for k in (*TEACHING, *EXERCISES)),
             _number(s.teaching), _number(s.exercises)) for s in e.sections]
    width = max([len(head[0]), *(min(len(r[0]), 44) for r in rows)])
    line = lambda r: f"  {r[0][:44]:<{width}}" + "".join(f" {c:>7}" for c in r[1:])  # noqa: E731
    flag = f"  OVER {LIMIT} MINUTES: split it or cut it" if e.over else ""
    out = [f"{e.name}: teaching {e.teaching} min · exercises {e.exercises} min · {e.total} min in all{flag}",
           line(head)]
    out += [line(r) for r in rows]
    out.append(line(("total, unrounded", str(sum(s.words for s in e.sections)),
                     *(_number(sum(getattr(s, k) for s in e.sections)) for k in (*TEACHING, *EXERCISES)),
                     _number(e.raw_teaching), _number(e.raw_exercises))))
    out += [f"  warning: {w}" for w in e.warnings]
    return "\n".join(out)


# ---- writing the minutes into the instructor notebooks and the guide ---------------------------

_KEYWORD = {k: re.compile(rf"(\b{k}\s*=\s*)(\d+)") for k in ("teaching", "exercises")}


def lesson_key(path) -> str:
    """A lesson's short name, what comes before the first hyphen: "00", "04a"."""
    return Path(path).name.split("-")[0]


def header_minutes(source_text: str) -> tuple[int, int] | None:
    """teaching= and exercises= of the header(...) call in a cell's source, or None."""
    import ast
    try:
        tree = ast.parse(source_text)
    except SyntaxError:
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "header":
            kw = {k.arg: k.value for k in node.keywords}
            try:
                return ast.literal_eval(kw["teaching"]), ast.literal_eval(kw["exercises"])
            except (KeyError, ValueError):
                return None
    return None


def _header_cell(nb):
    for cell in nb.cells:
        if cell.cell_type == "code" and header_minutes(cell.source) is not None:
            return cell
    return None


def notebook_minutes(path) -> tuple[int, int] | None:
    """The minutes a notebook's header states, or None when it has no header(...) call."""
    import nbformat
    cell = _header_cell(nbformat.read(path, as_version=4))
    return header_minutes(cell.source) if cell is not None else None


def write_header(path, teaching: int, exercises: int) -> bool:
    """Put the minutes into the header(...) call of the notebook at `path` (its source only: the two
    numbers change, nothing else); say whether the file changed."""
    import nbformat
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    cell = _header_cell(nb)
    if cell is None:
        raise ValueError(f"{path}: no header(teaching=..., exercises=...) call")
    start = cell.source.index("header(")
    head, call = cell.source[:start], cell.source[start:]
    for key, value in (("teaching", teaching), ("exercises", exercises)):
        call = _KEYWORD[key].sub(lambda m, v=value: m.group(1) + str(v), call, count=1)
    if head + call == cell.source:
        return False
    cell.source = head + call
    text = nbformat.writes(nb)
    path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8", newline="\n")
    return True


_ROW = re.compile(r"^\| *(\d\d[a-z]?) *\|(.*)\|\s*$")
GUIDE_LESSON = re.compile(r"^## Lesson (\d\d[a-z]?)\b[:.]?\s*(.*)$", re.M)
GUIDE_TIMING = re.compile(r"(\*\*Timing:\*\* teaching )\d+( min · exercises )\d+( min · )\d+( min in all)")
GUIDE_TOTAL = re.compile(r"About \d+ minutes, [^,]*? contact hours")
GUIDE_STRANDS = re.compile(r"The strands also stand alone[^.]*\.")
_SMALL = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
          "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty")


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def hours_in_words(minutes: int) -> str:
    """"nearly seven", "just over six", "about six and a half": contact hours in words."""
    whole, rest = divmod(minutes, 60)
    say = lambda n: _SMALL[n] if n < len(_SMALL) else str(n)  # noqa: E731
    if rest == 0:
        return say(whole)
    if rest <= 15:
        return f"just over {say(whole)}"
    if rest < 45:
        return f"about {say(whole)} and a half"
    return f"nearly {say(whole + 1)}"


def strand_sentence(rows: dict[str, list[str]], estimates: list[Estimate]) -> str:
    """"The strands also stand alone, each with lesson 00 first: source-checking (00, 01, 02: 115 min), ...":
    each strand of the 'At a glance' table (not "all") with its lessons and their minutes by the model,
    lesson 00 included; "" when the table names no strand."""
    by_key = {lesson_key(e.name): e for e in estimates}
    first = sorted(k for k, cells in rows.items() if len(cells) > 1 and cells[1] == "all")[:1]
    strands: dict[str, list[str]] = {}
    for key in sorted(rows):
        strand = rows[key][1] if len(rows[key]) > 1 else ""
        if strand and strand not in ("all", "—") and key in by_key:
            strands.setdefault(strand, []).append(key)
    if not strands:
        return ""
    said = [f"{name} ({', '.join(first + keys)}: {sum(by_key[k].total for k in first + keys if k in by_key)} min)"
            for name, keys in strands.items()]
    listed = said[0] if len(said) == 1 else ", ".join(said[:-1]) + " and " + said[-1]
    lead = f", each with lesson {first[0]} first" if first else ""
    return f"The strands also stand alone{lead}: {listed}."


def guide_rows(guide: str) -> dict[str, list[str]]:
    """The 'At a glance' rows of the guide: lesson -> its cells (none when it has no such table)."""
    return {m.group(1): [c.strip() for c in m.group(2).split("|")]
            for m in map(_ROW.match, _glance(guide)[1]) if m}


def _glance(guide: str) -> tuple[int, list[str], int]:
    """Where the lesson rows of the 'At a glance' table are: first line, the lines, end line
    (an empty list at the end of the guide when there is no such table)."""
    lines = guide.split("\n")
    start = next((n for n, line in enumerate(lines) if line.strip() == "## At a glance"), None)
    following = start is not None and next((n for n in range(start, len(lines))
                                            if lines[n].startswith("## ") and n > start), len(lines))
    first = next((n for n in range(start, following) if _ROW.match(lines[n])), None) if start is not None else None
    if first is None:
        return len(lines), [], len(lines)
    end = first
    while end < len(lines) and _ROW.match(lines[end]):
        end += 1
    return first, lines[first:end], end


def update_guide(guide: str, estimates: list[Estimate], titles: dict[str, str]) -> str:
    """The guide with its 'At a glance' rows (one per lesson, generated), the total under the table and
    each lesson section's **Timing:** line set from the estimates. `titles` maps lesson -> title."""
    old = guide_rows(guide)
    headings = {m.group(1): m.group(0)[3:].strip() for m in GUIDE_LESSON.finditer(guide)}
    rows = []
    for e in sorted(estimates, key=lambda e: lesson_key(e.name)):
        key = lesson_key(e.name)
        if key in old:
            title, strand = old[key][0], old[key][1]
        else:
            heading = headings.get(key, f"Lesson {key}: {titles.get(key, key)}")
            title = f"[{titles.get(key, key)}](#{_slug(heading)})"
            strand = old.get(key[:2], ["", "—"])[1]
        rows.append(f"| {key} | {title} | {strand} | {e.teaching} | {e.exercises} | {e.total} |")
    lines = guide.split("\n")
    first, found_rows, end = _glance(guide)
    if found_rows:  # a guide without the table keeps its text; the test says what is missing
        lines[first:end] = rows
    guide = "\n".join(lines)
    total = sum(e.total for e in estimates)
    guide = GUIDE_TOTAL.sub(f"About {total} minutes, {hours_in_words(total)} contact hours", guide, count=1)
    strands = strand_sentence(guide_rows(guide), estimates)
    if strands:
        guide = GUIDE_STRANDS.sub(lambda _: strands, guide, count=1)
    by_key = {lesson_key(e.name): e for e in estimates}
    found = list(GUIDE_LESSON.finditer(guide))
    pieces, last = [], 0
    for n, m in enumerate(found):
        end = found[n + 1].start() if n + 1 < len(found) else len(guide)
        e = by_key.get(m.group(1))
        pieces.append(guide[last:m.start()])
        body = guide[m.start():end]
        if e is not None:
            body = GUIDE_TIMING.sub(lambda t, e=e: f"{t.group(1)}{e.teaching}{t.group(2)}{e.exercises}"
                                    f"{t.group(3)}{e.total}{t.group(4)}", body, count=1)
        pieces.append(body)
        last = end
    pieces.append(guide[last:])
    return "".join(pieces)


MAPS = ("README.md", "site/index.md")  # the lesson maps: tables with a "Minutes" column, a row per lesson
_CELLS = re.compile(r"^\|(.*)\|\s*$")
_PIPE = re.compile(r"(?<!\\)\|")  # a cell's "\|" is text, not a border


def map_minutes(text: str) -> dict[str, str]:
    """Lesson -> what the Minutes column of a lesson map says ("80 + homework"), for every table whose
    header has a Minutes column."""
    out, column = {}, None
    for line in text.split("\n"):
        m = _CELLS.match(line)
        if not m:
            column = None
            continue
        cells = [c.strip() for c in _PIPE.split(m.group(1))]
        if "Minutes" in cells:
            column = cells.index("Minutes")
        elif column is not None and re.fullmatch(r"\d\d[a-z]?", cells[0]) and column < len(cells):
            out[cells[0]] = cells[column]
    return out


def update_map(text: str, estimates: list[Estimate]) -> str:
    """A lesson map with each lesson row's minutes (the number its Minutes cell starts with) set from the
    estimates; what follows the number ("+ homework") and every other cell stay as they are."""
    by_key = {lesson_key(e.name): e for e in estimates}
    lines, column = text.split("\n"), None
    for n, line in enumerate(lines):
        m = _CELLS.match(line)
        if not m:
            column = None
            continue
        cells = _PIPE.split(m.group(1))
        if "Minutes" in [c.strip() for c in cells]:
            column = [c.strip() for c in cells].index("Minutes")
        elif column is not None and column < len(cells) and cells[0].strip() in by_key:
            total = by_key[cells[0].strip()].total
            cells[column] = re.sub(r"\d+", str(total), cells[column], count=1)
            lines[n] = "|" + "|".join(cells) + "|"
    return "\n".join(lines)


def lesson_title(path) -> str:
    """The text of a notebook's first `# ` heading."""
    import nbformat
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "markdown":
            m = _TITLE.search(cell.source)
            if m:
                return m.group(1).strip()
    return lesson_key(path)


def main(notebooks=(), write: bool = False, lessons="lessons", instructors="instructors/notebooks",
         guide="instructors/guide.md", run_sheets="instructors/run-sheets.toml", maps=None, case=None) -> int:
    """`course-lib timing`: print the estimate of each notebook (default: every lesson) and what the run
    sheets lack (course_lib.instructors.runsheet); with `write`, set the instructor notebooks' header minutes, the
    guide's timings and its run sheets, and the minutes of the lesson maps from it (`maps`; by default
    MAPS, found in the folder above the guide's, the repository's root). `case` gives the exercises'
    kinds (default: the current case)."""
    import sys
    from course_lib.case.records import CaseError, current_case
    paths = [Path(p) for p in notebooks] or sorted(Path(lessons).glob("*.ipynb"))
    if not paths:
        print(f"course-lib timing: no notebooks in {lessons}/", file=sys.stderr)
        return 1
    try:
        case = case if case is not None else current_case()
        estimates = [estimate_file(p, case, instructors) for p in paths]
    except (OSError, CaseError, ValueError) as error:
        print(f"course-lib timing: {str(error).splitlines()[0]}", file=sys.stderr)
        return 1
    for e in estimates:
        print(table(e))
        print()
    over = [e for e in estimates if e.over]
    print(f"{len(estimates)} notebook(s), {sum(e.total for e in estimates)} min in all; "
          + (f"over {LIMIT} min: " + ", ".join(f"{Path(e.name).name} ({e.total})" for e in over)
             if over else f"none over {LIMIT} min."))
    if not write:
        _report_run_sheets(estimates, case, lessons, instructors, guide, run_sheets)
        return 0
    for e in estimates:
        source = Path(instructors) / Path(e.name).name
        if not source.exists():
            print(f"no source {source}: its header is left alone", file=sys.stderr)
            continue
        if write_header(source, e.teaching, e.exercises):
            print(f"wrote {source}: teaching={e.teaching}, exercises={e.exercises}")
    everything = {lesson_key(e.name): e for e in estimates}
    for p in sorted(Path(lessons).glob("*.ipynb")):  # the guide's table lists every lesson
        if lesson_key(p) not in everything:
            everything[lesson_key(p)] = estimate_file(p, case, instructors)
    guide_path = Path(guide)
    if guide_path.exists():
        text = guide_path.read_text(encoding="utf-8")
        titles = {lesson_key(p): lesson_title(p) for p in sorted(Path(lessons).glob("*.ipynb"))}
        new = update_guide(text, list(everything.values()), titles)
        new = _with_run_sheets(new, list(everything.values()), run_sheets, case.exercises)
        if new != text:
            guide_path.write_text(new, encoding="utf-8", newline="\n")
            print(f"wrote {guide_path}")
    root = Path(guide).resolve().parent.parent
    for path in ([Path(m) for m in maps] if maps is not None else [root / m for m in MAPS]):
        if path.exists():
            text = path.read_text(encoding="utf-8")
            new = update_map(text, list(everything.values()))
            if new != text:
                path.write_text(new, encoding="utf-8", newline="\n")
                print(f"wrote {path}")
    return 0


def _with_run_sheets(guide: str, estimates: list[Estimate], run_sheets, items) -> str:
    """The guide with its run sheets (course_lib.instructors.runsheet) set, and what they lack printed."""
    from course_lib.instructors import runsheet
    entries, issues = runsheet.load(run_sheets)
    guide = runsheet.update_guide(guide, estimates, entries, items)
    for line in issues + runsheet.problems(estimates, entries, guide, items):
        print(f"run sheets: {line}")
    return guide


def _report_run_sheets(estimates, case, lessons, instructors, guide, run_sheets) -> None:
    """Without --write: print what the run sheets lack, for every lesson."""
    from course_lib.instructors import runsheet
    known = {Path(e.name).name for e in estimates}
    everything = list(estimates) + [estimate_file(p, case, instructors) for p in sorted(Path(lessons).glob("*.ipynb"))
                                    if p.name not in known]
    entries, issues = runsheet.load(run_sheets)
    text = Path(guide).read_text(encoding="utf-8") if Path(guide).exists() else None
    for line in issues + runsheet.problems(everything, entries, text, case.exercises):
        print(f"run sheets: {line}")
