"""The final memo: a claim-evidence-reasoning-rebuttal scaffold, checks that help without grading the
conclusion, the course rubric, and an export for submission.

A memo is built with plain calls (`memo.write(section, text, label)`, `memo.cite(source_id)`,
`memo.add_result(...)`, `memo.quote(text, source_id)`), so it works from the keyboard. `open_memo()`
saves every change with the student's work (course_lib.progress, item "l6-memo"), so a memo survives
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

from course_lib._note import Note

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
                        3: "Clear and answers the prompt", 2: "Vague or overbroad", 1: "Missing or restates the article"}),
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
    label: str  # fact | inference | opinion


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

    def write(self, section: str, text: str, label: str) -> Note:
        """Add one sentence to a section, labelled fact, inference or opinion; says what was added."""
        if section not in SECTIONS:
            return Note(f"There is no section {_show(section)}; the sections are {', '.join(SECTIONS)}.")
        if type(text) is not str or not text.strip():
            return Note("Write the sentence as text in quotes.")
        if label not in LABELS:
            return Note(f"Label the sentence {', '.join(LABELS)}; {_show(label)} is not one of them.")
        self.sections[section].append(Sentence(text.strip(), label))
        return self._saved(f"Added to {SECTIONS[section]} ({label}): {len(self.sections[section])} sentence(s) there.")

    def cite(self, source_id: str) -> Note:
        """Cite a source card as evidence; with the case known, the citation is shown resolved."""
        if type(source_id) is not str or not source_id:
            return Note("Cite a source card by its id, in quotes, like \"trump-tweet-2018-08-24a\".")
        card = self.case.sources.get(source_id) if self.case is not None else None
        if self.case is not None and card is None:
            close = [i for i in self.case.sources.ids if source_id.casefold() in i][:3]
            return Note(f"There is no source card {source_id!r}." + (f" Did you mean {', '.join(close)}?" if close else ""))
        if source_id not in self.evidence:
            self.evidence.append(source_id)
        return self._saved(f"Cited {source_id}" + (f": {citation(card)}" if card else "."))

    def add_result(self, name: str, value, **settings) -> Note:
        """Record a quantitative result with the settings that produced it (recompute it; do not type it)."""
        if type(value) not in (int, float) or type(value) is bool:
            return Note("A result is a number computed in this notebook, like len(reversals(events, window_days=3)).")
        self.results.append(Result(str(name), float(value), {k: _plain(v) for k, v in settings.items()}))
        return self._saved(f"Recorded {name} = {value:g} ({_settings(settings) or 'no settings given'}).")

    def quote(self, text: str, source_id: str) -> Note:
        """Record a quotation the memo uses and the card it comes from, so it can be checked for drift."""
        if type(text) is not str or type(source_id) is not str:
            return Note("Give the quoted words and the source card id, both in quotes.")
        self.quotes.append((text, source_id))
        return self._saved(f"Recorded a quotation from {source_id}.")

    def assess(self, criterion: str, level: int) -> Note:
        """Your own rating on one rubric criterion, from 1 to 4."""
        names = [c.name for c in RUBRIC]
        if criterion not in names or type(level) is not int or not 1 <= level <= 4:
            return Note(f"Rate one of {', '.join(names)} with a whole number from 1 to 4.")
        self.self_assessment[criterion] = level
        return self._saved(f"{criterion}: {level} of 4.")

    def clear(self, section: str) -> Note:
        """Empty one section, to write it again."""
        if section not in SECTIONS:
            return Note(f"There is no section {_show(section)}; the sections are {', '.join(SECTIONS)}.")
        self.sections[section] = []
        return self._saved(f"{SECTIONS[section]} is empty again.")

    def to_dict(self) -> dict:
        """The memo as plain data, as it is saved."""
        return {"title": self.title, "sections": {k: [asdict(s) for s in v] for k, v in self.sections.items()},
                "evidence": list(self.evidence), "results": [asdict(r) | {"settings": dict(r.settings)}
                                                             for r in self.results],
                "quotes": [list(q) for q in self.quotes], "self_assessment": dict(self.self_assessment)}

    def _saved(self, sentence: str) -> Note:
        if self.store is not None:
            self.store.record(MEMO_ITEM, self.to_dict(), "kept", feedback=f"memo saved ({self.words()} words)")
            sentence += " " + " ".join(self.store.notices) if self.store.notices else ""
            self.store.notices.clear()
        return Note(sentence)

    def sentences(self) -> list[tuple[str, Sentence]]:
        return [(k, s) for k in SECTIONS for s in self.sections[k]]

    def words(self) -> int:
        return sum(len(s.text.split()) for _, s in self.sentences())


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
            memo.sections[key] = [Sentence(s["text"], s["label"]) for s in sentences
                                  if isinstance(s, dict) and isinstance(s.get("text"), str)
                                  and isinstance(s.get("label"), str) and s["label"] in LABELS]
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


def open_memo(case=None, title: str = "Memo", folder=None) -> Memo:
    """The student's memo as last saved (or a new one), saving every change from now on."""
    from course_lib import progress
    store = progress.store(folder)
    last = latest(store.attempts(MEMO_ITEM))
    memo = from_dict(last.answer, case, store) if last is not None else Memo(title=title, case=case, store=store)
    return memo


def _plain(value):
    return value if type(value) in (str, int, float, bool, type(None)) else repr(value)


def _show(value) -> str:
    return repr(value) if type(value) in (str, int, float, type(None)) else f"a {type(value).__name__}"


def _settings(settings: Mapping) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in settings.items())


def check(memo: Memo, case) -> list[Check]:
    """What the memo has and lacks, against the requirements; no check looks at the conclusion."""
    out = []
    n = memo.words()
    lo, hi = WORDS
    out.append(Check("length", lo <= n <= hi, f"{n} words; the memo asks for {lo} to {hi}."))
    cards = [case.sources.get(s) for s in memo.evidence]
    unknown = [s for s, c in zip(memo.evidence, cards) if c is None]
    primary = [c for c in cards if c is not None and c.is_primary]
    msg = f"{len(primary)} primary source card(s) cited; at least 3 are asked for."
    if unknown:
        msg += f" Not in the case: {', '.join(unknown)}."
    out.append(Check("evidence traced to primary sources", len(primary) >= 3 and not unknown, msg))
    flagged = [c.id for c in cards if c is not None and (c.is_anonymous or not c.is_primary)]
    if flagged:
        out.append(Check("secondary or anonymous evidence flagged", any(
            s.label != "fact" for k, s in memo.sentences() if k in ("evidence", "uncertainty")),
            f"{', '.join(flagged)} are secondary or anonymously sourced: say how far you rely on them."))
    with_settings = [r for r in memo.results if r.settings]
    out.append(Check("a quantitative result with its settings", bool(with_settings),
                     f"{len(with_settings)} result(s) with settings; at least one is asked for, with the settings "
                     "that produced it." if not with_settings else
                     f"{with_settings[0].name} = {with_settings[0].value:g} ({_settings(with_settings[0].settings)})."))
    out.append(Check("a rival explanation", bool(memo.sections["rival"]),
                     "Treat at least one rival explanation fairly, and rebut it or concede."))
    out.append(Check("uncertainty stated", bool(memo.sections["uncertainty"]),
                     "Say how sure you are, and what evidence would change your mind."))
    out.append(Check("every sentence labelled", all(s.label in LABELS for _, s in memo.sentences())
                     and bool(memo.sentences()), "Each sentence carries a label: fact, inference or opinion."))
    for text, sid in memo.quotes:
        card = case.sources.get(sid)
        verbatim = card is not None and _squash(text) in _squash(card.excerpt)
        out.append(Check(f"quotation from {sid}", verbatim,
                         "Verbatim in the source card." if verbatim else
                         "Not found word for word in that card's excerpt: check for drift, or cite the right card."))
    return out


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("“", '"').replace("”", '"').replace("’", "'")).strip().casefold()


def citation(card) -> str:
    """A source card as a reference line: speaker, kind, date, outlet, address (and via)."""
    via = f", via {card.via}" if card.via else ""
    return f"{card.speaker}, {card.kind}, {card.date.isoformat()}, {card.outlet}{via}. {card.address}"


def to_html(memo: Memo, case) -> str:
    """The memo as one standalone, accessible HTML page; everything the student typed is escaped."""
    e = html.escape
    parts = ['<!DOCTYPE html>', '<html lang="en">', '<head><meta charset="utf-8">',
             f"<title>{e(memo.title)}</title>", "</head>", "<body>", "<main>", f"<h1>{e(memo.title)}</h1>"]
    for key, heading in SECTIONS.items():
        parts.append(f"<h2>{e(heading)}</h2>")
        parts += [f"<p>{e(s.text)} <em>[{e(s.label)}]</em></p>" for s in memo.sections[key]] or ["<p>(empty)</p>"]
    if memo.results:
        parts.append("<h2>Quantitative results</h2><ul>")
        parts += [f"<li>{e(r.name)} = {r.value:g} ({e(_settings(r.settings))})</li>" for r in memo.results]
        parts.append("</ul>")
    parts.append("<h2>Sources</h2><ol>")
    for sid in memo.evidence:
        card = case.sources.get(sid)
        parts.append(f"<li>{e(sid)}: {e(citation(card)) if card else 'not a card of this case'}</li>")
    parts.append("</ol>")
    if memo.self_assessment:
        parts.append("<h2>Self-assessment</h2><table><thead><tr><th scope=\"col\">Criterion</th>"
                     "<th scope=\"col\">Level (of 4)</th></tr></thead><tbody>")
        parts += [f"<tr><td>{e(k)}</td><td>{v}</td></tr>" for k, v in memo.self_assessment.items()]
        parts.append("</tbody></table>")
    parts += ["</main>", "</body>", "</html>"]
    return "\n".join(parts) + "\n"


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~])")


def md_escape(text: str) -> str:
    """Escape HTML (as entities) and Markdown (with backslashes) so typed text stays text."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False)).replace("\n", " ")


def to_markdown(memo: Memo, case) -> str:
    """The memo as Markdown, with citations resolved; everything the student typed is escaped."""
    lines = [f"# {md_escape(memo.title)}", ""]
    for key, heading in SECTIONS.items():
        lines += [f"## {heading}", ""]
        lines += [f"{md_escape(s.text)} *\\[{s.label}\\]*" for s in memo.sections[key]] or ["(empty)"]
        lines.append("")
    if memo.results:
        lines += ["## Quantitative results", ""]
        lines += [f"- {md_escape(r.name)} = {r.value:g} ({md_escape(_settings(r.settings))})" for r in memo.results]
        lines.append("")
    lines += ["## Sources", ""]
    for n, sid in enumerate(memo.evidence, 1):
        card = case.sources.get(sid)
        lines.append(f"{n}. {md_escape(sid)}: {md_escape(citation(card)) if card else 'not a card of this case'}")
    if memo.self_assessment:
        lines += ["", "## Self-assessment", "", "| Criterion | Level (of 4) |", "|---|---|"]
        lines += [f"| {md_escape(k)} | {v} |" for k, v in memo.self_assessment.items()]
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


class Rubric:
    """The rubric as a table, with the student's self-assessment when there is one."""

    def __init__(self, assessment: Mapping[str, int] | None = None):
        self.assessment = dict(assessment or {})

    def _rows(self):
        for c in RUBRIC:
            own = self.assessment.get(c.name)
            yield [c.name] + [c.levels[n] for n in (4, 3, 2, 1)] + [str(own) if own else "—"]

    def _repr_markdown_(self) -> str:
        head = "| Criterion | 4 exemplary | 3 proficient | 2 developing | 1 beginning | Your rating |"
        rows = ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in self._rows()]
        return "\n".join([head, "|---|---|---|---|---|---|", *rows])

    def __repr__(self) -> str:
        blocks = []
        for row in self._rows():
            blocks.append(f"{row[0]} (your rating: {row[5]})\n" + "\n".join(
                f"  {n}: {text}" for n, text in zip((4, 3, 2, 1), row[1:5])))
        return "\n".join(blocks)


class Exported:
    """The memo's files, with download links (Binder-friendly) and a sentence saying where they are."""

    def __init__(self, sentence: str, files: list[tuple[str, bytes, str]]):
        self.sentence, self.files = sentence, files

    def __repr__(self) -> str:
        return self.sentence

    def _repr_html_(self) -> str:
        import base64
        links = "".join(
            f'<li><a download="{html.escape(name)}" href="data:{mime};base64,'
            f'{base64.b64encode(data).decode("ascii")}">Download {html.escape(name)}</a></li>'
            for name, data, mime in self.files)
        return f"<p>{html.escape(self.sentence)}</p><ul>{links}</ul>"


def export(memo: Memo, case, folder=None) -> Exported:
    """Write the memo as my-work/my-memo.html and my-memo.md (atomically) and offer both for download."""
    from pathlib import Path

    from course_lib import progress
    target = Path(folder) if folder is not None else progress.work_dir()
    files = [("my-memo.html", to_html(memo, case).encode("utf-8"), "text/html"),
             ("my-memo.md", to_markdown(memo, case).encode("utf-8"), "text/markdown")]
    try:
        target.mkdir(parents=True, exist_ok=True)
        for name, data, _ in files:
            progress.atomic_write(target / name, data)
        where = f"saved in {target.name}/ as my-memo.html and my-memo.md"
    except OSError:
        where = "could not be saved in the work folder; download them now"
    return Exported(f"Your memo ({memo.words()} words) is {where}. Submit the HTML file, or the Markdown "
                    "one, as your instructor asks.", files)
