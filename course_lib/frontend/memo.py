"""The final memo: a claim-evidence-reasoning-rebuttal scaffold, checks that help without grading the
conclusion, the course rubric, and an export for submission.

A memo is written in `editor(memo)`: one labelled text area per section, where each sentence ends
with its label ([fact], [inference] or [opinion]) and may cite what it rests on ([@card-id], also
claims, events, statements and results), with a citation picker for the evidence. The same memo takes
plain calls (`memo.write(section, text, label, cite=...)`, `memo.set_text(section, text)`,
`memo.cite(source_id)`, `memo.add_result(...)`, `memo.quote(text, source_id)`), the keyboard and
screen-reader alternative; both edit the one memo and each shows the other's changes. `open_memo()`
saves every change with the student's work (course_lib.work.progress, item "l6-memo"), so a memo survives
a dead Binder session and travels in save_my_work()'s file. `check(memo, case)` reports what is
present and what is missing — never whether the student reached the "right" side. `to_html` and
`to_markdown` escape everything the student typed; `export` writes both and offers them for download.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import asdict, dataclass, field
from typing import Mapping

from course_lib.work.note import Note
from course_lib.work import fileformat
from course_lib.work.fileformat import KEPT
from course_lib.analysis.coordination import DEFAULTS

LABELS = ("fact", "inference", "opinion")
SECTIONS = {
    "claim": "Claim",
    "evidence": "Evidence",
    "reasoning": "Reasoning",
    "rival": "Rival explanation and rebuttal",
    "uncertainty": "Uncertainty",
}
WORDS = (600, 900)
MEMO_ITEM = "l6-memo"  # the memo is saved with the student's work under this id


@dataclass(frozen=True)
class Criterion:
    """One row of the rubric: what a 4, 3, 2 and 1 look like."""

    name: str
    levels: Mapping[int, str]


# pedagogy.md section 5.3: five criteria, four levels, 20 points; it grades reasoning, not the side taken.
RUBRIC = (
    Criterion("Claim", {4: "Precise, scoped (e.g. distinguishes decision from messaging coordination), and answers the prompt",
                        3: "Clear and answers the prompt", 2: "Vague or overbroad", 1: "Missing or restates a source's conclusion (the article's or the administration's)"}),
    Criterion("Evidence and sourcing", {4: "At least 3 accurately traced primary items; anonymous or secondary items flagged with confidence; no quote drift",
                                        3: "3 items, minor tracing gaps", 2: "Relies on secondary summaries; one quote drift",
                                        1: "Untraced or misquoted"}),
    Criterion("Reasoning and method", {4: "Links evidence to claim through a named theory; reports a quantitative result with its settings and robustness",
                                       3: "Links evidence and theory; quantitative result without robustness",
                                       2: "Evidence listed but not connected; method misapplied", 1: "No reasoning"}),
    Criterion("Alternatives and rebuttal", {4: "Steelmans at least 2 rivals and shows which evidence discriminates",
                                            3: "One rival treated fairly", 2: "Rival mentioned as a strawman", 1: "None"}),
    Criterion("Calibration and language", {4: "Separates fact, inference and opinion throughout; states uncertainty proportionate to evidence",
                                           3: "Mostly separated", 2: "Opinion presented as fact in places", 1: "Pervasive overclaiming"}),
)


@dataclass(frozen=True)
class Sentence:
    text: str
    label: str  # fact | inference | opinion ("" while a sentence typed in a text area has none yet)
    cites: tuple[str, ...] = ()  # what the sentence rests on: card, claim, event or statement ids, result names

    def as_line(self) -> str:
        """The sentence as it stands in its text area: text, citations, label."""
        return " ".join([self.text, *(f"[@{c}]" for c in self.cites)] + ([f"[{self.label}]"] if self.label else []))


_LABEL_TAG = re.compile(r"\*?\[\s*(fact|inference|opinion)\s*\]\*?", re.I)
_CITE_TAG = re.compile(r"\[@\s*([^\[\]\n]+?)\s*\]")
def example_result(case) -> tuple[str, dict] | None:
    """The example result lesson 06 computes for the student, as (name, settings): the name the case's
    lessons.toml gives it (lesson 06: example_result) at `DEFAULTS`' settings. It shows how, and counts
    once its settings change; None when the case names no example."""
    name = case.lesson_data("06").get("example_result") if case is not None else None
    return (name, DEFAULTS.reversal_settings()) if name else None


def _example_id(case, table: str = "sources") -> str:
    """An id to show in a "like ..." hint: the case's first record of that table, else a placeholder."""
    ids = getattr(case, table).ids if case is not None else ()
    return ids[0] if ids else "an-id"


def parse_section(text: str) -> list[Sentence]:
    """A section's text as sentences: each ends with its label ([fact], [inference] or [opinion]); a line
    break also ends one (unlabelled, then). [@id] cites a card, claim, event, statement or result; a
    citation standing alone after a label belongs to the sentence before it."""
    out: list[Sentence] = []
    for line in str(text).splitlines():
        pos = 0
        for m in _LABEL_TAG.finditer(line):
            _add_chunk(out, line[pos:m.start()], m.group(1).lower())
            pos = m.end()
        _add_chunk(out, line[pos:], "")
    return out


def _add_chunk(out: list, chunk: str, label: str) -> None:
    cites = tuple(dict.fromkeys(m.group(1) for m in _CITE_TAG.finditer(chunk)))
    text = " ".join(_CITE_TAG.sub(" ", chunk).split())
    if not text and not label and cites and out:  # "[fact] [@card]": the citation of the sentence before
        last = out[-1]
        out[-1] = Sentence(last.text, last.label, tuple(dict.fromkeys(last.cites + cites)))
    elif text or cites:
        out.append(Sentence(text, label, cites))


def render_section(sentences) -> str:
    """A section's sentences as its text area shows them, one a line (parse_section reads it back)."""
    return "\n".join(s.as_line() for s in sentences)


@dataclass(frozen=True)
class Result:
    """A quantitative result, recomputed in the notebook, with the settings that produced it."""

    name: str
    value: float
    settings: Mapping[str, object]


@dataclass(frozen=True)
class Check:
    """One thing the checks looked for: met or not, and a sentence saying what to do."""

    name: str
    met: bool
    message: str


@dataclass
class Memo:
    """A student's memo, section by section, with its citations, results and quotations."""

    title: str = "Memo"
    sections: dict[str, list[Sentence]] = field(default_factory=lambda: {k: [] for k in SECTIONS})
    evidence: list[str] = field(default_factory=list)       # source card ids, in citation order
    results: list[Result] = field(default_factory=list)
    quotes: list[tuple[str, str]] = field(default_factory=list)  # (quoted words, source id)
    self_assessment: dict[str, int] = field(default_factory=dict)
    case: object = field(default=None, repr=False, compare=False)   # resolves citations when given
    store: object = field(default=None, repr=False, compare=False)  # saves every change when given

    _problems: list = field(default_factory=list, repr=False, compare=False)  # (cell, sentence) not yet shown
    _last_saved: object = field(default=None, repr=False, compare=False)     # what the store holds now
    _listeners: list = field(default_factory=list, repr=False, compare=False)  # called after each change

    # Every call can be run again (a re-run cell, Restart & Run All) and gives the same memo as running it
    # once: a sentence, citation, result or quotation already there is not added twice. Every part can be
    # edited or removed. A call that fails says so in the message of every later call of the same cell,
    # so one call's error is never hidden by the next call's message (a cell shows only its last value).

    def write(self, section: str, text: str, label: str, cite=()) -> Note:
        """Add one sentence to a section, labelled fact, inference or opinion, citing what it rests on
        (`cite="card-id"` or a list of ids; [@id] in the text works too). Again: no change."""
        problem = self._check_section(section) or self._check_sentence(text, label) or self._check_cites(cite)
        if problem:
            return self._problem(problem)
        cites = tuple(dict.fromkeys(c.strip() for c in _CITE_TAG.findall(text) + ([cite] if isinstance(cite, str)
                                                                                   else list(cite)) if c.strip()))
        text, there = " ".join(_CITE_TAG.sub(" ", text).split()), self.sections[section]
        new = Sentence(text, label, cites)
        unknown = self._unknown(cites)
        for n, s in enumerate(there, 1):
            if s.text == text:  # the cell run again: keep the citations the picker added since
                new = Sentence(text, label, tuple(dict.fromkeys(s.cites + cites)))
                if s == new:
                    return self._note(f"Already in {SECTIONS[section]} as sentence {n} ({label}); nothing added.")
                there[n - 1] = new
                return self._saved(f"Sentence {n} of {SECTIONS[section]} is now labelled {label}"
                                   f"{_cited(cites)}.{unknown}")
        there.append(new)
        return self._saved(f"Added to {SECTIONS[section]} as sentence {len(there)} ({label}{_cited(cites)}): "
                           f"{len(there)} sentence(s) there.{unknown}")

    def set_text(self, section: str, text: str) -> Note:
        """Replace a whole section with `text` as its text area reads it: each sentence ending in its label
        ([fact], [inference] or [opinion]), citations as [@id]. The typed twin of the section's text area."""
        problem = self._check_section(section)
        if problem or type(text) is not str:
            return self._problem(problem or "Give the section's text in quotes (three quotes for several lines).")
        sentences = parse_section(text)
        if sentences == self.sections[section]:
            return self._note(f"{SECTIONS[section]} is unchanged: {_count(sentences)}.")
        self.sections[section] = sentences
        return self._saved(f"{SECTIONS[section]}: {_count(sentences)}.{_unlabelled(sentences)}"
                           f"{self._unknown(c for s in sentences for c in s.cites)}")

    def citable(self) -> dict[str, list[tuple[str, str]]]:
        """What a sentence can cite, by kind: (label shown in the picker, id), from the case and the results."""
        out = {kind: [] for kind in CITABLE}
        if self.case is not None:
            for kind in ("cards", "claims", "events", "statements"):
                out[kind] = [(describe(self.case, i, self, short=True), i) for i in getattr(self.case, _TABLE[kind]).ids]
        out["results"] = [(f"{r.name} = {r.value:g}", r.name) for r in self.results]
        return out

    def _unknown(self, cites) -> str:
        if self.case is None:
            return ""
        unknown = [c for c in dict.fromkeys(cites) if _kind(self.case, c, self) is None]
        return (f" Not a card, claim, event, statement or result: {', '.join(map(repr, unknown))}; "
                "check the spelling." if unknown else "")

    def _check_cites(self, cite) -> str:
        ok = isinstance(cite, str) or (isinstance(cite, (list, tuple)) and all(isinstance(c, str) for c in cite))
        if ok and any(ch in c for c in ([cite] if isinstance(cite, str) else cite) for ch in "[]\r\n"):
            example = _example_id(self.case, "events")
            return f"A citation is one id, without brackets or line breaks, like \"{example}\"."
        return "" if ok else f"Cite by id in quotes, like cite=\"{_example_id(self.case)}\", or a list of ids."

    def edit(self, section: str, number: int, text: str, label: str | None = None) -> Note:
        """Replace sentence `number` (1 is the first) of a section; the label stays unless one is given."""
        problem = self._check_section(section) or self._check_number(section, number)
        if problem:
            return self._problem(problem)
        old = self.sections[section][number - 1]
        problem = self._check_sentence(text, old.label if label is None else label)
        if problem:
            return self._problem(problem)
        cites = tuple(dict.fromkeys(old.cites + tuple(c.strip() for c in _CITE_TAG.findall(text) if c.strip())))
        self.sections[section][number - 1] = Sentence(" ".join(_CITE_TAG.sub(" ", text).split()),
                                                      old.label if label is None else label, cites)
        return self._saved(f"Sentence {number} of {SECTIONS[section]} is replaced.")

    def remove(self, section: str, number: int) -> Note:
        """Remove sentence `number` (1 is the first) of a section; the later ones move up."""
        problem = self._check_section(section) or self._check_number(section, number)
        if problem:
            return self._problem(problem)
        del self.sections[section][number - 1]
        return self._saved(f"Sentence {number} of {SECTIONS[section]} is removed; "
                           f"{len(self.sections[section])} sentence(s) there.")

    def cite(self, source_id: str) -> Note:
        """Cite a source card as evidence; with the case known, the citation is shown resolved."""
        if type(source_id) is not str or not source_id:
            return self._problem(f"Cite a source card by its id, in quotes, like \"{_example_id(self.case)}\".")
        card = self.case.sources.get(source_id) if self.case is not None else None
        if self.case is not None and card is None:
            from course_lib.case.crosscheck import did_you_mean
            return self._problem(f"There is no source card {source_id!r}."
                                 + did_you_mean(source_id, self.case.sources.ids, sentence=True))
        if source_id not in self.evidence:
            self.evidence.append(source_id)
        return self._saved(f"Cited {source_id}" + (f": {citation(card)}" if card else "."))

    def uncite(self, source_id: str) -> Note:
        """Take a source card out of the evidence list."""
        if source_id not in self.evidence:
            return self._problem(f"{_show(source_id)} is not cited; cited now: {', '.join(self.evidence) or 'none'}.")
        self.evidence.remove(source_id)
        return self._saved(f"{source_id} is no longer cited.")

    def add_result(self, name: str, value, **settings) -> Note:
        """Record a quantitative result with the settings that produced it (recompute it; do not type it);
        a result of the same name is replaced, so re-running the cell never adds it twice."""
        if type(value) not in (int, float) or type(value) is bool:
            return self._problem("A result is a number computed in this notebook, like "
                                 "len(reversals(events, window_days=3)).")
        result = Result(str(name), float(value), {k: _plain(v) for k, v in settings.items()})
        same = [n for n, r in enumerate(self.results) if r.name == result.name]
        if same:
            self.results[same[0]] = result
        else:
            self.results.append(result)
        return self._saved(f"Recorded {name} = {value:g} ({_settings(settings) or 'no settings given'}).")

    def remove_result(self, name: str) -> Note:
        """Remove the result of this name."""
        kept = [r for r in self.results if r.name != name]
        if len(kept) == len(self.results):
            names = ", ".join(repr(r.name) for r in self.results) or "none"
            return self._problem(f"There is no result {_show(name)}; the results are {names}.")
        self.results = kept
        return self._saved(f"Removed the result {name}.")

    def quote(self, text: str, source_id: str) -> Note:
        """Record a quotation the memo uses and the card it comes from, so it can be checked for drift."""
        if type(text) is not str or type(source_id) is not str:
            return self._problem("Give the quoted words and the source card id, both in quotes.")
        if (text, source_id) not in self.quotes:
            self.quotes.append((text, source_id))
        return self._saved(f"Recorded a quotation from {source_id}.")

    def unquote(self, text: str) -> Note:
        """Remove a recorded quotation (by its words)."""
        kept = [q for q in self.quotes if q[0] != text]
        if len(kept) == len(self.quotes):
            return self._problem("That quotation is not recorded; the quotations are: "
                                 + ("; ".join(repr(q[0][:40]) for q in self.quotes) or "none") + ".")
        self.quotes = kept
        return self._saved("Removed the quotation.")

    def assess(self, criterion: str, level: int) -> Note:
        """Your own rating on one rubric criterion, from 1 to 4."""
        names = [c.name for c in RUBRIC]
        if criterion in names and (level is ... or level is None):  # the lesson's placeholder: not an error
            return self._note(f"Replace each {'...' if level is ... else 'None'} with your rating, a whole number "
                              "from 1 to 4, then run the cell again.")
        if criterion not in names or type(level) is not int or not 1 <= level <= 4:
            return self._problem(f"Rate one of {', '.join(names)} with a whole number from 1 to 4.")
        self.self_assessment[criterion] = level
        return self._saved(f"{criterion}: {level} of 4.")

    def clear(self, section: str) -> Note:
        """Empty one section, to write it again."""
        problem = self._check_section(section)
        if problem:
            return self._problem(problem)
        self.sections[section] = []
        return self._saved(f"{SECTIONS[section]} is empty again.")

    def to_dict(self) -> dict:
        """The memo as plain data, as it is saved."""
        return {"title": self.title, "sections": {k: [{"text": s.text, "label": s.label, "cites": list(s.cites)}
                                                      for s in v] for k, v in self.sections.items()},
                "evidence": list(self.evidence), "results": [asdict(r) | {"settings": dict(r.settings)}
                                                             for r in self.results],
                "quotes": [list(q) for q in self.quotes], "self_assessment": dict(self.self_assessment)}

    def _check_section(self, section) -> str:
        return "" if section in SECTIONS else f"There is no section {_show(section)}; the sections are {', '.join(SECTIONS)}."

    def _check_sentence(self, text, label) -> str:
        if type(text) is not str or not text.strip():
            return "Write the sentence as text in quotes."
        if label not in LABELS:
            return f"Label the sentence {', '.join(LABELS)}; {_show(label)} is not one of them."
        return ""

    def _check_number(self, section, number) -> str:
        count = len(self.sections[section])
        if type(number) is not int or not 1 <= number <= count:
            return (f"{SECTIONS[section]} has {count} sentence(s); give a number from 1 to {count}."
                    if count else f"{SECTIONS[section]} has no sentences yet.")
        return ""

    def _problem(self, sentence: str) -> Note:
        """A call that failed: said now, and again with every later call of the same cell."""
        note = self._note(sentence)
        self._problems.append((_cell(), sentence))
        return note

    def _note(self, sentence: str) -> Note:
        cell = _cell()
        earlier = [p for c, p in self._problems if c == cell and c is not None]
        self._problems[:] = [(c, p) for c, p in self._problems if c == cell and c is not None]
        if earlier:
            sentence += " Earlier in this cell: " + " ".join(f"({n}) {p}" for n, p in enumerate(earlier, 1))
        return Note(sentence)

    def _saved(self, sentence: str) -> Note:
        for listener in list(self._listeners):  # the text areas showing this memo
            try:
                listener()
            except Exception:  # a closed view must never stop a call from saving
                self._listeners.remove(listener)
        notices = self._store()
        return self._note(" ".join([sentence, *notices]))

    def _store(self) -> list[str]:
        """Save the memo with the student's work if it changed (the one save path of typed calls and
        text areas: progress writes atomically, with a backup); what the store had to say."""
        if self.store is None:
            return []
        data = self.to_dict()
        if data != self._last_saved:  # running a cell again saves nothing new
            self.store.record(MEMO_ITEM, data, KEPT, feedback=f"memo saved ({self.words()} words)")
            self._last_saved = data
        notices = list(self.store.notices)
        self.store.notices.clear()
        return notices

    def sentences(self) -> list[tuple[str, Sentence]]:
        return [(k, s) for k in SECTIONS for s in self.sections[k]]

    def words(self) -> int:
        return sum(len(s.text.split()) for _, s in self.sentences())

    def cited(self) -> list[str]:
        """Everything the memo cites, in order: the cited cards, then each sentence's citations."""
        return list(dict.fromkeys([*self.evidence, *(c for _, s in self.sentences() for c in s.cites)]))


def editor(memo: Memo) -> None:
    """Show the memo as one labelled text area per section, with a citation picker for the evidence;
    what is typed is saved with your work a moment after you stop typing. Running the cell again shows
    the memo as saved. Typed calls (memo.write, memo.set_text, ...) edit the same memo."""
    from course_lib.frontend import memoeditor
    memoeditor.show(memo)


def from_dict(data, case=None, store=None) -> Memo:
    """A memo from saved data; any part of the wrong kind is left out rather than raising, so a damaged
    or edited record can never stop a student from opening the memo."""
    memo = Memo(case=case, store=store)
    if not isinstance(data, dict):
        return memo
    title = data.get("title")
    memo.title = title.strip()[:200] if isinstance(title, str) and title.strip() else memo.title
    sections = data.get("sections")
    for key, sentences in (sections.items() if isinstance(sections, dict) else ()):
        if key in SECTIONS and isinstance(sentences, list):
            memo.sections[key] = [Sentence(s["text"], s["label"], tuple(c for c in _list(s.get("cites"))
                                                                        if isinstance(c, str)))
                                  for s in sentences
                                  if isinstance(s, dict) and isinstance(s.get("text"), str)
                                  and isinstance(s.get("label"), str) and s["label"] in (*LABELS, "")]
    memo.evidence = [e for e in _list(data.get("evidence")) if isinstance(e, str)]
    memo.results = [Result(str(r.get("name")), float(r["value"]),
                           {str(k): _plain(v) for k, v in _dict(r.get("settings")).items()})
                    for r in _list(data.get("results"))
                    if isinstance(r, dict) and type(r.get("value")) in (int, float) and math.isfinite(r["value"])]
    memo.quotes = [(q[0], q[1]) for q in _list(data.get("quotes"))
                   if isinstance(q, list) and len(q) == 2 and all(isinstance(x, str) for x in q)]
    rated = data.get("self_assessment")
    memo.self_assessment = {k: v for k, v in (rated.items() if isinstance(rated, dict) else ())
                            if k in [c.name for c in RUBRIC] and type(v) is int and 1 <= v <= 4}
    return memo


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def latest(records):
    """The memo as last saved: by save sequence (the attempt number the store gives each save), not by
    the date a file supplies, so a restored record dated in the future cannot hide later edits. An
    attempt number larger than the records there are cannot come from saving, so it counts as none."""
    n = len(records)
    return max(records, key=lambda a: (a.attempt if 1 <= a.attempt <= n else 0, a.at), default=None)


_OPEN: dict = {}  # id of a work store -> the memo opened on it in this kernel


def open_memo(case=None, title: str = "Memo", folder=None) -> Memo:
    """The student's memo as last saved (or a new one), saving every change from now on. Opened again
    in the same kernel (the cell run again), it is the same memo, so a text area shown earlier and the
    typed calls never edit two copies of it. Without `case`, the memo cites the current case (`use_case`),
    and it is saved with the work on that case."""
    from course_lib.case.records import current_case
    from course_lib.work import progress
    case = case if case is not None else current_case()
    store = progress.store(folder)
    opened = _OPEN.get(id(store))
    if opened is not None and opened.store is store:
        opened.case = case if case is not None else opened.case
        return opened
    last = latest(store.attempts(MEMO_ITEM))
    memo = from_dict(last.answer, case, store) if last is not None else Memo(title=title, case=case, store=store)
    memo._last_saved = memo.to_dict() if last is not None else None
    _OPEN[id(store)] = memo
    return memo


def _cell():
    """The IPython execution count of the cell running now (None outside IPython)."""
    try:
        from IPython import get_ipython
        shell = get_ipython()
        return shell.execution_count if shell is not None else None
    except Exception:
        return None


def _plain(value):
    return value if type(value) in (str, int, float, bool, type(None)) else repr(value)


def _show(value) -> str:
    return repr(value) if type(value) in (str, int, float, type(None)) else f"a {type(value).__name__}"


def _settings(settings: Mapping) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in settings.items())


def _cited(cites) -> str:
    return f", citing {', '.join(cites)}" if cites else ""


def _count(sentences) -> str:
    return f"{len(sentences)} sentence(s), {sum(len(s.text.split()) for s in sentences)} words"


def _unlabelled(sentences) -> str:
    missing = [n for n, s in enumerate(sentences, 1) if not s.label]
    return (f" Sentence(s) {', '.join(map(str, missing))} have no label yet: end each with [fact], "
            "[inference] or [opinion]." if missing else "")


CITABLE = ("cards", "claims", "events", "statements", "results")
_TABLE = {"cards": "sources", "claims": "claims", "events": "events", "statements": "statements"}


def _kind(case, ident, memo=None):
    """Which kind of thing an id cites (cards, claims, events, statements, results), or None."""
    for kind, table in _TABLE.items():
        if ident in getattr(case, table):
            return kind
    if memo is not None and any(r.name == ident for r in memo.results):
        return "results"
    return None


def cards_of(case, ident) -> list[str]:
    """The source cards a citation rests on: the card itself, a claim's sources, an event's or a
    statement's source (none for a result)."""
    kind = _kind(case, ident)
    if kind == "cards":
        return [ident]
    if kind == "claims":
        return list(case.claims[ident].sources)
    if kind in ("events", "statements"):
        source = getattr(case, kind)[ident].source
        return [source] if source else []
    return []


def describe(case, ident, memo=None, short=False) -> str:
    """A citation as a reference line (or, short, as a picker shows it)."""
    kind = _kind(case, ident, memo) if case is not None else None
    cut = (lambda t: t if len(t) <= 70 else t[:69].rstrip() + "…") if short else (lambda t: t)
    if kind == "cards":
        card = case.sources[ident]
        return f"{ident}: {card.speaker}, {card.kind}, {card.date.isoformat()}" if short else citation(card)
    if kind == "claims":
        c = case.claims[ident]
        return f"{ident}: claim of the article ({c.sentence}): " + cut(c.text) + ("" if short else
                                                                                    f" Sources: {', '.join(c.sources)}.")
    if kind == "events":
        e = case.events[ident]
        return (f"{ident}: {e.date.isoformat()}, {e.actor} to {e.target}, CAMEO {e.cameo} (Goldstein {e.goldstein:+g}): "
                + cut(e.summary) + ("" if short else f" Source: {e.source}."))
    if kind == "statements":
        st = case.statements[ident]
        return f"{ident}: {st.date.isoformat()}, {st.speaker}: “" + cut(st.text) + "”" + ("" if short else
                                                                                         f" Source: {st.source}.")
    if kind == "results":
        r = next(r for r in memo.results if r.name == ident)
        return f"result: {r.name} = {r.value:g} ({_settings(r.settings) or 'no settings'})"
    return f"{ident}: not a card, claim, event, statement or result of this memo's case"


def check(memo: Memo, case) -> list[Check]:
    """What the memo has and lacks, against the requirements; no check looks at the conclusion."""
    out = []
    n = memo.words()
    lo, hi = WORDS
    out.append(Check("length", lo <= n <= hi, f"{n} words; the memo asks for {lo} to {hi}."))
    cited = memo.cited()
    unknown = [c for c in cited if _kind(case, c, memo) is None]
    card_ids = list(dict.fromkeys(i for c in cited for i in cards_of(case, c) if i in case.sources))
    cards = [case.sources[i] for i in card_ids]
    primary = [c for c in cards if c.is_primary]
    msg = f"{len(primary)} primary source card(s) cited; at least 3 are asked for."
    if unknown:
        msg += f" Not in the case: {', '.join(unknown)}."
    out.append(Check("evidence traced to primary sources", len(primary) >= 3 and not unknown, msg))
    evidence = memo.sections["evidence"]
    bare = [str(k) for k, s in enumerate(evidence, 1) if not s.cites]
    out.append(Check("every evidence sentence cites its source", bool(evidence) and not bare,
                     f"Evidence sentence(s) {', '.join(bare)} cite nothing: pick a card, claim, event, statement or "
                     "result for each ([@id] at its end)." if bare else
                     "Write your evidence, each sentence citing what it rests on." if not evidence else
                     f"All {len(evidence)} evidence sentences cite what they rest on."))
    flagged = [c.id for c in cards if c.is_anonymous or not c.is_primary]
    if flagged:
        out.append(Check("secondary or anonymous evidence flagged", any(
            s.label != "fact" for k, s in memo.sentences() if k in ("evidence", "uncertainty")),
            f"{', '.join(flagged)} are secondary or anonymously sourced: say how far you rely on them."))
    example_name, example_settings = example_result(case) or (None, None)
    example = [r for r in memo.results if r.name == example_name and dict(r.settings) == example_settings]
    with_settings = [r for r in memo.results if r.settings and r not in example]
    if with_settings:
        msg = f"{with_settings[0].name} = {with_settings[0].value:g} ({_settings(with_settings[0].settings)})."
    elif example:
        msg = ("That is the lesson's example, at the example's settings: change at least one setting (the window, "
               "the minimum jump or the neutral band), run it again, and say in Reasoning why you chose them.")
    else:
        msg = ("0 result(s) with settings; at least one is asked for, with the settings that produced it.")
    out.append(Check("a quantitative result with its settings", bool(with_settings), msg))
    out.append(Check("a rival explanation", bool(memo.sections["rival"]),
                     "Treat at least one rival explanation fairly, and rebut it or concede."))
    out.append(Check("uncertainty stated", bool(memo.sections["uncertainty"]),
                     "Say how sure you are, and what evidence would change your mind."))
    unlabelled = [f"{SECTIONS[k]} {n}" for k in SECTIONS for n, s in enumerate(memo.sections[k], 1) if s.label not in LABELS]
    out.append(Check("every sentence labelled", not unlabelled and bool(memo.sentences()),
                     "Each sentence carries a label: fact, inference or opinion."
                     + (f" Not yet: {', '.join(unlabelled)}." if unlabelled else "")))
    for text, sid in memo.quotes:
        found = verbatim(case, text, [sid])
        out.append(Check(f"quotation from {sid}", found, "Verbatim in the source card." if found else
                         "Not found word for word in that card's excerpt: check for drift, or cite the right card."))
    for key in SECTIONS:
        for k, s in enumerate(memo.sections[key], 1):
            out += _quotation_checks(case, s, f"quotation in {SECTIONS[key]} {k}")
    return out


_QUOTED = re.compile(r"“([^”]+)”|\"([^\"]+)\"")


def quoted(text: str) -> list[str]:
    """The words a sentence puts in double quotation marks (curly or straight)."""
    return [m.group(1) or m.group(2) for m in _QUOTED.finditer(text)]


def verbatim(case, words: str, card_ids) -> bool:
    """Whether `words` stand word for word in the excerpt of one of these cards, as lesson 02 finds the
    article's quotations (crosscheck.quoted_how: exact, case-folded or differing only in quote marks and
    dashes), with runs of spaces and line breaks read as one space and the closing punctuation a writer
    puts inside quotation marks left out."""
    from course_lib.case.crosscheck import quoted_how
    return any(quoted_how(words, case.sources[i].excerpt) != "not found" for i in card_ids if i in case.sources)


def _short(words: str) -> str:
    return words if len(words) <= 60 else words[:59].rstrip() + "…"


def citation(card) -> str:
    """A source card as a reference line: speaker, kind, date, outlet, address (and via)."""
    via = f", via {card.via}" if card.via else ""
    return f"{card.speaker}, {card.kind}, {card.date.isoformat()}, {card.outlet}{via}. {card.address}"


#: The exported page's styles: readable on screen, and a clean hand-in on paper (no link colours, no
#: sentence or source split across pages, headings kept with what follows them, the labels in words).
STYLE = """body{font:1rem/1.5 Georgia,serif;color:#111;background:#fff;max-width:42rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:1.5rem}
.label{font-style:italic;color:#444}cite{font-style:normal}a{color:#1a4d8f}
table{border-collapse:collapse}th,td{border:1px solid #767676;padding:.25rem .5rem;text-align:left}
@media print{@page{margin:2cm}body{font-size:11pt;max-width:none;margin:0;padding:0}
a{color:inherit;text-decoration:none}h1,h2{break-after:avoid;page-break-after:avoid}
p,li,tr{break-inside:avoid;page-break-inside:avoid}.label{color:#000}}"""


def _numbers(memo: Memo) -> dict[str, int]:
    return {c: n for n, c in enumerate(memo.cited(), 1)}


def to_html(memo: Memo, case) -> str:
    """The memo as one standalone, accessible HTML page that prints well; everything typed is escaped."""
    e = html.escape
    numbers = _numbers(memo)
    parts = ['<!DOCTYPE html>', '<html lang="en">', '<head><meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>{e(memo.title)}</title>", f"<style>{STYLE}</style>", "</head>", "<body>", "<main>",
             f"<h1>{e(memo.title)}</h1>"]
    for key, heading in SECTIONS.items():
        parts.append(f"<h2>{e(heading)}</h2>")
        parts += [f"<p>{e(s.text)}" + "".join(f' <cite>[<a href="#source-{numbers[c]}">{e(c)}</a>]</cite>' for c in s.cites)
                  + f' <span class="label">[{e(s.label or "no label")}]</span></p>' for s in memo.sections[key]] or ["<p>(empty)</p>"]
    if memo.results:
        parts.append("<h2>Quantitative results</h2><ul>")
        parts += [f"<li>{e(r.name)} = {r.value:g} ({e(_settings(r.settings))})</li>" for r in memo.results]
        parts.append("</ul>")
    parts.append("<h2>Sources</h2><ol>")
    parts += [f'<li id="source-{n}">{e(c)}: {e(_reference(case, c, memo))}</li>' for c, n in numbers.items()]
    parts.append("</ol>")
    if memo.self_assessment:
        parts.append("<h2>Self-assessment</h2><table><thead><tr><th scope=\"col\">Criterion</th>"
                     "<th scope=\"col\">Level (of 4)</th></tr></thead><tbody>")
        parts += [f"<tr><td>{e(k)}</td><td>{v}</td></tr>" for k, v in memo.self_assessment.items()]
        parts.append("</tbody></table>")
    parts += ["</main>", "</body>", "</html>"]
    return "\n".join(parts) + "\n"


def _reference(case, ident, memo) -> str:
    """A citation's reference line without its id (the list puts the id first)."""
    if case is None:
        return "a citation (the case is not loaded)"
    line = describe(case, ident, memo)
    kind = _kind(case, ident, memo)
    if kind == "cards":
        return line
    if kind in ("claims", "events", "statements"):
        return line.split(": ", 1)[1]
    if kind == "results":
        return line
    return "not a card, claim, event, statement or result of this case"


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~=@])")


def md_escape(text: str) -> str:
    """Escape HTML (as entities) and Markdown (with backslashes) so typed text stays text; = and @ are
    escaped too, so no line pasted into a spreadsheet starts a formula."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False)).replace("\r", " ").replace("\n", " ")


def to_markdown(memo: Memo, case) -> str:
    """The memo as Markdown, with citations resolved; everything the student typed is escaped."""
    lines = [f"# {md_escape(memo.title)}", ""]
    for key, heading in SECTIONS.items():
        lines += [f"## {heading}", ""]
        lines += [md_escape(s.text) + "".join(f" \\[{md_escape(c)}\\]" for c in s.cites)
                  + f" *\\[{s.label or 'no label'}\\]*" for s in memo.sections[key]] or ["(empty)"]
        lines.append("")
    if memo.results:
        lines += ["## Quantitative results", ""]
        lines += [f"- {md_escape(r.name)} = {r.value:g} ({md_escape(_settings(r.settings))})" for r in memo.results]
        lines.append("")
    lines += ["## Sources", ""]
    for c, n in _numbers(memo).items():
        lines.append(f"{n}. {md_escape(c)}: {md_escape(_reference(case, c, memo))}")
    if memo.self_assessment:
        from course_lib.analysis.tables import markdown_table
        lines += ["", "## Self-assessment", "", markdown_table(["Criterion", "Level (of 4)"], (
            [md_escape(k), str(v)] for k, v in memo.self_assessment.items()), compact=True)]
    return "\n".join(lines) + "\n"


class Report:
    """The checks as a list a student reads: each line says met or not, in words and a symbol."""

    def __init__(self, checks):
        self.checks = list(checks)

    def lines(self) -> list[str]:
        return [f"{'✔ met' if c.met else '✘ not yet'} — {c.name}: {c.message}" for c in self.checks]

    def __repr__(self) -> str:
        met = sum(c.met for c in self.checks)
        return "\n".join([f"{met} of {len(self.checks)} checks met (none of them judges your conclusion)."]
                         + self.lines())

    def _repr_html_(self) -> str:
        items = "".join(f"<li>{html.escape(line)}</li>" for line in self.lines())
        met = sum(c.met for c in self.checks)
        return (f"<p>{met} of {len(self.checks)} checks met (none of them judges your conclusion).</p>"
                f"<ul>{items}</ul>")


def review(memo: Memo, case) -> Report:
    """The checks, ready to display."""
    return Report(check(memo, case))


PARAGRAPH_WORDS = (60, 200)  # a memo paragraph (lesson 07): one claim, its evidence, a rival reading, how sure


def _quotation_checks(case, sentence, label: str) -> list[Check]:
    """One check per quotation of a memo sentence: word for word in a card the sentence cites (directly, or
    through a claim, event or statement it cites)? The memo and lesson 07's paragraph share this rule."""
    out = []
    for words in quoted(sentence.text):
        where = list(dict.fromkeys(i for c in sentence.cites for i in cards_of(case, c) if i in case.sources))
        found = bool(where) and verbatim(case, words, where)
        out.append(Check(label, found,
                         f"“{_short(words)}” is word for word in {', '.join(where)}." if found else
                         f"“{_short(words)}” cites no card it could come from: cite the card (or the claim, event "
                         "or statement) it quotes." if not where else
                         f"“{_short(words)}” is not word for word in {', '.join(where)}: compare it "
                         "with the card (sourcing.compare shows what changed), or cite the right card."))
    return out


def check_paragraph(text, case, words=PARAGRAPH_WORDS, min_primary: int = 2) -> list[Check]:
    """The memo's checks on one paragraph written as a memo section is (each sentence ending [fact],
    [inference] or [opinion], citations as [@id]): its length, labels, citations and their cards,
    secondary or anonymous cards flagged, and every quotation word for word in a card it cites.
    None looks at the conclusion."""
    sentences = parse_section(text if isinstance(text, str) else "")
    n, (lo, hi) = sum(len(s.text.split()) for s in sentences), words
    out = [Check("length", lo <= n <= hi, f"{n} words; a paragraph of {lo} to {hi} is asked for.")]
    unlabelled = [str(k) for k, s in enumerate(sentences, 1) if s.label not in LABELS]
    out.append(Check("every sentence labelled", bool(sentences) and not unlabelled,
                     "Each sentence ends with its label: [fact], [inference] or [opinion]."
                     + (f" Not yet: sentence(s) {', '.join(unlabelled)}." if unlabelled else "")))
    cited = list(dict.fromkeys(c for s in sentences for c in s.cites))
    unknown = [c for c in cited if _kind(case, c) is None]
    cards = [case.sources[i] for i in dict.fromkeys(i for c in cited for i in cards_of(case, c)) if i in case.sources]
    primary = [c.id for c in cards if c.is_primary]
    out.append(Check("evidence traced to primary sources", len(primary) >= min_primary and not unknown,
                     f"{len(primary)} primary source card(s) cited, directly or through a claim, event or statement; "
                     f"at least {min_primary} are asked for." + (f" Not in the case: {', '.join(unknown)}." if unknown else "")))
    flagged = [c.id for c in cards if c.is_anonymous or not c.is_primary]
    if flagged:
        out.append(Check("secondary or anonymous evidence flagged", any(s.label != "fact" for s in sentences),
                         f"{', '.join(flagged)} are secondary or anonymously sourced: say how far you rely on them."))
    for k, s in enumerate(sentences, 1):
        out += _quotation_checks(case, s, f"quotation in sentence {k}")
    return out


def review_paragraph(item: str, case, folder=None, words=PARAGRAPH_WORDS) -> Report:
    """The memo's checks (check_paragraph) on the paragraph last kept as the answer to the text item
    `item`, read from the student's saved work; before any answer, a report that says how to give one."""
    from course_lib.work import progress
    last = progress.store(folder).last(item)
    if last is None or not isinstance(last.answer, str) or not last.answer.strip():
        return Report([Check("a paragraph to check", False, f"Write your paragraph in the box of {item} above "
                             f"(or answer({item!r}, \"\"\"...\"\"\")), then run this cell again.")])
    return Report(check_paragraph(last.answer, case, words))


class Rubric:
    """The rubric as a table, with the student's self-assessment when there is one."""

    def __init__(self, assessment: Mapping[str, int] | None = None):
        self.assessment = dict(assessment or {})

    def _rows(self):
        for c in RUBRIC:
            own = self.assessment.get(c.name)
            yield [c.name] + [c.levels[n] for n in (4, 3, 2, 1)] + [str(own) if own else "—"]

    def _repr_markdown_(self) -> str:
        from course_lib.analysis.tables import markdown_table
        head = ["Criterion", "4 exemplary", "3 proficient", "2 developing", "1 beginning", "Your rating"]
        return markdown_table(head, ([cell.replace("|", "\\|") for cell in row] for row in self._rows()), compact=True)

    def __repr__(self) -> str:
        blocks = []
        for row in self._rows():
            blocks.append(f"{row[0]} (your rating: {row[5]})\n" + "\n".join(
                f"  {n}: {text}" for n, text in zip((4, 3, 2, 1), row[1:5])))
        return "\n".join(blocks)


class Exported:
    """The memo's files: a sentence, a button that rebuilds them from the memo as it is at the click (in a
    kernel), and links to them as they were when the cell ran (static HTML)."""

    def __init__(self, sentence: str, files: list[tuple[str, bytes, str]], rebuild=None):
        self.sentence, self.files, self.rebuild = sentence, files, rebuild

    def __repr__(self) -> str:
        return self.sentence

    def _repr_html_(self) -> str:
        from course_lib.frontend.download import data_links
        return f"<p>{html.escape(self.sentence)}</p><ul>{data_links(self.files)}</ul>"

    def _repr_mimebundle_(self, include=None, exclude=None):
        if self.rebuild is None:
            return None
        from course_lib.frontend.download import widget_bundle

        def build():
            fresh = self.rebuild()
            return fresh.sentence, fresh.files
        return widget_bundle(self.sentence, "Download my memo", build, self.sentence)


def export(memo: Memo, case, folder=None) -> Exported:
    """Write the memo as my-work/my-memo.html and my-memo.md (atomically) and offer both for download;
    in a kernel the download button exports again at each click, so it carries the memo as it is then."""
    from pathlib import Path

    from course_lib.work import progress
    # the folder of the memo's own work store: a memo on another case does not replace this one's
    target = Path(folder) if folder is not None else memo.store.folder if memo.store is not None else \
        progress.store().folder
    files = [("my-memo.html", to_html(memo, case).encode("utf-8"), "text/html"),
             ("my-memo.md", to_markdown(memo, case).encode("utf-8"), "text/markdown")]
    try:
        target.mkdir(parents=True, exist_ok=True)
        for name, data, _ in files:
            fileformat.atomic_write(target / name, data)
        where = f"saved in {target.name}/ as my-memo.html and my-memo.md"
    except OSError:
        where = "could not be saved in the work folder; download them now"
    return Exported(f"Your memo ({memo.words()} words) is {where}. Submit the HTML file, or the Markdown "
                    "one, as your instructor asks.", files, rebuild=lambda: export(_current(memo), case, folder))


def _current(memo: Memo) -> Memo:
    """The memo as last saved when it is saved with the work (another kernel may have changed it), else itself."""
    if memo.store is None:
        return memo
    last = latest(memo.store.attempts(MEMO_ITEM))
    if last is None:
        return memo
    fresh = from_dict(last.answer, memo.case, memo.store)
    fresh.title = memo.title
    return fresh
