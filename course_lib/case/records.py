"""The case as data: read a case folder into frozen dataclasses, and say exactly what is wrong with it.

`load_case(path)` reads a case folder in the format of `cases/README.md` (`cases/<id>/` for a bundled
case); the library reads the case a lesson or command works on through `current_case()` (set by
`use_case`, else $COURSE_LIB_CASE, else the bundled default case), never `load_case` with no argument. Every problem found is collected, then raised together as
one `CaseError` whose lines name the file, the row or key, the field and what was expected, so an
instructor editing a spreadsheet can fix everything in one pass. Standard library only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Generic, Iterator, Mapping, TypeVar

from course_lib.case import cache
from course_lib.case import files
from course_lib.case import items
from course_lib.case.crosscheck import cross_check, did_you_mean
from course_lib.case.items import Exercise
from course_lib.case.files import CaseError, Problem

__all__ = [
    "Actor", "Article", "Case", "CaseInfo", "Claim", "CodeEntry", "Dimension",
    "Event", "Government", "Quote", "Sentence", "Source", "Statement", "Table",
    "load_case", "mask_speakers", "BUNDLED_CASE", "case_folder", "current_case", "use_case",
    "LessonData", "MissingLessonData", "Target", "Trigger", "lesson_data",
]

CASES = Path(__file__).parent.parent / "cases"
BUNDLED_CASE = CASES / "nk-2018"
CASE_ENV = "COURSE_LIB_CASE"

R = TypeVar("R")


class Table(Generic[R]):
    """An ordered, read-only collection of records: iterate over it, or look one up by id."""

    def __init__(self, records):
        self._records = tuple(records)
        self._by_id = {r.id: r for r in self._records}

    def __iter__(self) -> Iterator[R]:
        return iter(self._records)

    def __len__(self) -> int:
        return len(self._records)

    def __getitem__(self, key) -> R:
        if isinstance(key, (int, slice)):
            return self._records[key]
        try:
            return self._by_id[key]
        except KeyError:
            raise KeyError(f"no record with id {key!r}{did_you_mean(key, self._by_id)}") from None

    def __contains__(self, key) -> bool:
        return key in self._by_id

    def get(self, key, default=None):
        return self._by_id.get(key, default)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(self._by_id)

    def __repr__(self) -> str:
        kind = type(self._records[0]).__name__ if self._records else "record"
        return f"<Table of {len(self)} {kind}{'' if len(self) == 1 else 's'}>"


@dataclass(frozen=True)
class CaseInfo:
    """About the article under study and the case: title, outlet, address, period, codebook."""

    id: str
    title: str
    outlet: str
    section: str
    address: str
    published: date
    published_note: str
    author: str
    summary: str
    licence: str
    period_start: date
    period_end: date
    events_codebook: str
    events_codebook_retrieved: str


@dataclass(frozen=True)
class Sentence:
    """One sentence of the article, with its stable id (`p3.s2`: paragraph 3, sentence 2)."""

    id: str
    paragraph: int
    text: str


@dataclass(frozen=True)
class Article:
    """The article's title and its sentences in order."""

    title: str
    sentences: Table[Sentence]

    @property
    def paragraphs(self) -> tuple[tuple[Sentence, ...], ...]:
        count = max((s.paragraph for s in self.sentences), default=0)
        return tuple(tuple(s for s in self.sentences if s.paragraph == p) for p in range(1, count + 1))

    @property
    def text(self) -> str:
        return "\n\n".join(" ".join(s.text for s in para) for para in self.paragraphs)


@dataclass(frozen=True)
class Source:
    """A source card: who said what, where and when, with a short verbatim excerpt and its address."""

    id: str
    kind: str
    level: str
    sourcing: str
    speaker: str
    outlet: str
    date: date
    time: str
    utc_offset: str
    address: str
    via: str
    excerpt: str
    note: str

    @property
    def is_primary(self) -> bool:
        return self.level == "primary"

    @property
    def is_anonymous(self) -> bool:
        return self.sourcing == "anonymous"


@dataclass(frozen=True)
class Claim:
    """A claim with its type, the sources that test it and the reference verdict: the article's
    (made in `sentence`) or another party's (made by actor `speaker` in source card `said_in`)."""

    id: str
    sentence: str
    type: str
    text: str
    sources: tuple[str, ...]
    verdict: str
    rationale: str
    facts_ref: str
    speaker: str = ""      # an actor id; empty for the article's own claims
    statement: str = ""    # the statements.csv row it comes from, if any
    said_in: str = ""      # the source card holding the words (the statement's card, or `source`)

    @property
    def party(self) -> str:
        """Whose claim it is: "article", or the actor id of the speaker."""
        return self.speaker or "article"


@dataclass(frozen=True)
class Quote:
    """A quoted span of the article, matched against the source it comes from."""

    id: str
    sentence: str
    text: str
    kind: str
    source: str
    match: str
    note: str
    status: str = "verbatim"   # verbatim | misquoted (the source's words are `actual`) | not-found (see note)
    actual: str = ""           # a misquoted quotation: the words the source really has


@dataclass(frozen=True)
class Government:
    """A government (or an international body) that actors belong to."""

    id: str
    name: str


@dataclass(frozen=True)
class Actor:
    """Someone who speaks or acts in the events: a person, office or agency, and its government."""

    id: str
    name: str
    government: str
    #: role -> the words that name one of the actor's people in a text ("the President" -> ("Trump", ...)):
    #: what a speaker-blind item shows instead of a name (`mask_speakers`).
    names: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class Dimension:
    """A coding dimension for statements: its level of measurement, values and anchors."""

    id: str
    name: str
    level: str
    values: tuple[str, ...]
    description: str
    anchors: Mapping[str, str]


@dataclass(frozen=True)
class CodeEntry:
    """One CAMEO event code, its label and its Goldstein weight (-10 conflict to +10 cooperation)."""

    id: str          # the CAMEO code, leading zeros kept ("036")
    label: str
    goldstein: float


@dataclass(frozen=True)
class Event:
    """A dated act or statement of one actor towards another, CAMEO-coded, with its source."""

    id: str
    date: date
    time: str
    utc_offset: str
    actor: str
    government: str  # the actor's government, from case.toml
    target: str
    cameo: str
    goldstein: float  # looked up from the pinned table, never typed by hand
    alternatives: tuple[str, ...]
    coding_note: str
    channel: str
    summary: str
    quote: str
    source: str
    attribution: str = ""   # "contested" when who acted is disputed (the coding note says why)
    order: int = 0          # its place among the same day's events (1, 2...), 0 when not given


@dataclass(frozen=True)
class Statement:
    """An official statement, coded on each dimension (None where a dimension does not apply)."""

    id: str
    date: date
    speaker: str
    source: str
    text: str
    codes: Mapping[str, str | None]  # dimension id -> reference code, None where it does not apply
    rationale: str
    attribution: str = ""   # "contested" when who said it is disputed


@dataclass(frozen=True)
class Target:
    """Who an event is directed at that is not a government: "the media", "civilians" ([[target]])."""

    id: str
    name: str
    kind: str


@dataclass(frozen=True)
class Trigger:
    """A dated event that could explain a change of stance: a report, failed talks, a letter (triggers.csv)."""

    id: str
    date: date
    label: str
    source: str = ""      # the source card that dates it
    time: str = ""        # HH:MM, when a source gives it
    utc_offset: str = ""


class MissingLessonData(KeyError):
    """A lesson asked for a piece of case data (lessons.toml) that the current case does not hold."""

    def __str__(self) -> str:   # KeyError would print the message in quotes
        return str(self.args[0]) if self.args else ""

    def _render_traceback_(self) -> list[str]:   # IPython shows this line in place of a traceback
        return [f"[Placeholder] {self}"]


class LessonData(Mapping):
    """One lesson's table of the case's lessons.toml, read-only; a missing key says what to add, and where."""

    def __init__(self, case_id: str, lesson: str, data: Mapping):
        self.case_id, self.lesson, self._data = case_id, lesson, data

    def __getitem__(self, key):
        try:
            return self._data[key]
        except KeyError:
            raise MissingLessonData(f"This case ({self.case_id}) has no `{key}` for lesson {self.lesson}: "
                                    f"add it under [lesson.\"{self.lesson}\"] in its lessons.toml "
                                    "(course_lib/cases/README.md).") from None

    def placeholder(self, key) -> str:
        """What a lesson shows where this case lacks `key`: one sentence naming the case, lesson and key."""
        try:
            self[key]
        except MissingLessonData as missing:
            return f"[Placeholder] {missing}"
        return ""

    def each(self, key) -> tuple:
        """The list at `key`; when the case lacks it, print the placeholder naming it and give none, so a
        lesson's loop shows one line instead of a traceback."""
        if key in self._data:
            return tuple(self._data[key])
        print(self.placeholder(key))
        return ()

    def value(self, key, fallback=None):
        """The value at `key`; when the case lacks it, print the placeholder naming it and give `fallback`,
        so a lesson's cell shows one line and the cells after it still run."""
        if key in self._data:
            return self._data[key]
        print(self.placeholder(key))
        return fallback

    def text(self, key) -> str:
        """The text at `key`, or the placeholder naming it when the case lacks it."""
        return str(self[key]) if key in self._data else self.placeholder(key)

    def __iter__(self):
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return f"<lesson {self.lesson} data of {self.case_id}: {', '.join(self._data) or 'nothing'}>"


@dataclass(frozen=True)
class Case:
    """The whole case: the article, its claims and sources, the events, the statements and the exercises."""

    info: CaseInfo
    article: Article
    sources: Table[Source]
    claims: Table[Claim]
    quotes: Table[Quote]
    events: Table[Event]
    statements: Table[Statement]
    governments: Table[Government]
    actors: Table[Actor]
    dimensions: Table[Dimension]
    codebook: Table[CodeEntry]
    exercises: Table[Exercise]
    path: Path
    party_claims: Table[Claim] = Table(())  # claims made by the actors (the administration, ...), checked alike
    triggers: Table[Trigger] = Table(())     # triggers.csv: dated events that could explain a change of stance
    lessons: Mapping = field(default_factory=lambda: MappingProxyType({}))  # lessons.toml: lesson -> its data
    targets: Table[Target] = Table(())        # [[target]] of case.toml: non-state targets of events
    channels: tuple[str, ...] = ()            # the case's channels and source kinds ([vocabulary] or the course's)
    source_kinds: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()            # what check-case reports without refusing the case

    def lesson_data(self, lesson: str) -> LessonData:
        """The case-specific data lesson `lesson` ("04b") reads; empty when the case holds none for it."""
        return LessonData(self.info.id, str(lesson), self.lessons.get(str(lesson), MappingProxyType({})))

    def summary(self) -> str:
        """A few lines saying what the case holds: counts by kind and the date range."""
        return _summarise(self)

    def __repr__(self) -> str:
        return (f"<Case {self.info.id!r}: {len(self.sources)} sources, {len(self.claims)} claims, "
                f"{len(self.events)} events, {len(self.statements)} statements, "
                f"{len(self.exercises)} exercises>")


_cache: dict[Path, tuple[tuple, Case]] = {}


def load_case(path: str | Path | None = None) -> Case:
    """Read and validate a case folder (the bundled case when `path` is None).

    Raises `CaseError` listing every problem found. A folder is read once and cached until one of
    its files changes, so calling this in every lesson costs nothing after the first time; a case
    that passed its checks is also kept on disk (`case.cache`), so a new kernel need not check it again.
    """
    folder = Path(path).expanduser().resolve() if path is not None else BUNDLED_CASE
    stamp = files.stamp(folder)
    cached = _cache.get(folder)
    if cached and cached[0] == stamp:
        return cached[1]
    key = cache.fingerprint(folder)
    case = cache.load(folder, key)
    if not isinstance(case, Case):
        case = _build(folder)
        cache.store(folder, key, case)
    _cache[folder] = (stamp, case)
    return case


_current: Path | None = None


def case_folder(name: str | Path) -> Path:
    """The folder of a case named by a bundled case's id ("nk-2018") or by a path to its folder."""
    text = str(name).strip()
    if text and "/" not in text and "\\" not in text and text not in (".", "..") and (CASES / text).is_dir():
        return CASES / text
    return Path(text).expanduser().resolve()


def use_case(name: str | Path) -> Case:
    """Make a case the current one, read by every exercise, figure, memo and analysis default; return it.

    `name` is a bundled case's id or a case folder. Raises CaseError when the folder is not a valid case.
    """
    global _current
    folder = case_folder(name)
    case = load_case(folder)
    _current = folder
    return case


def lesson_data(lesson: str) -> LessonData:
    """The current case's data for a lesson ("04b"), from its lessons.toml: what a lesson's code reads
    instead of naming the case's ids."""
    return current_case().lesson_data(lesson)


def current_case() -> Case:
    """The case set by `use_case`, else the one `COURSE_LIB_CASE` names, else the bundled case.

    Read again when one of its files changed since, like `load_case`.
    """
    import os
    if _current is not None:
        return load_case(_current)
    named = os.environ.get(CASE_ENV, "").strip()
    return load_case(case_folder(named) if named else BUNDLED_CASE)


def bundled_cases() -> tuple[str, ...]:
    """The ids (folder names) of the cases that come with the course, the template left out."""
    return tuple(sorted(p.name for p in CASES.iterdir() if (p / "case.toml").is_file() and p.name != "template"))


def cases_with_item(item_id: str) -> tuple[str, ...]:
    """The names (ids) of the cases other than the current one that have an exercise `item_id`: the bundled
    cases and any case read in this process. For a one-line message when a lesson asks for another case's item."""
    here = current_case().path
    found = []
    folders = [CASES / name for name in bundled_cases()] + list(_cache)
    for folder in dict.fromkeys(Path(f).resolve() for f in folders):
        if folder == Path(here).resolve():
            continue
        try:
            case = load_case(folder)
        except CaseError:
            continue
        if isinstance(item_id, str) and item_id in case.exercises:
            found.append(folder.name if folder.parent == CASES.resolve() else str(folder))
    return tuple(dict.fromkeys(found))


def _build(folder: Path) -> Case:
    if not folder.is_dir():
        raise CaseError(folder, [Problem(str(folder), "", "", "no such folder: expected a case "
                                         "folder holding case.toml, article.md, sources.csv, ...")])
    raw = files.read_all(folder)  # collects parse problems, returns what could be read
    p = raw.problems
    meta = raw.meta
    governments = Table(Government(g["id"], g["name"]) for g in meta.governments)
    actors = Table(Actor(a["id"], a["name"], a["government"],
                         MappingProxyType({k: tuple(v) for k, v in a.get("names", {}).items()}))
                   for a in meta.actors)
    dimensions = Table(Dimension(d["id"], d["name"], d["level"], tuple(d["values"]),
                                 d["description"], MappingProxyType(dict(d["anchors"])))
                       for d in meta.dimensions)
    codebook = Table(CodeEntry(r["code"], r["label"], r["goldstein"]) for r in raw.codebook)
    sentences = Table(Sentence(s.id, s.paragraph, s.text) for s in raw.sentences)
    article = Article(raw.title, sentences)
    sources = Table(Source(**{k: r[k] for k in files.SOURCE_FIELDS}) for r in raw.sources)
    said_in = {r["id"]: r["source"] for r in raw.statements}
    every_claim = [Claim(c["id"], c["sentence"], c["type"], c["text"], tuple(c["sources"]), c["verdict"],
                         c["rationale"], c["facts_ref"], c["speaker"], c["statement"],
                         c["source"] or said_in.get(c["statement"], "")) for c in raw.claims]
    claims = Table(c for c in every_claim if not c.speaker)
    party_claims = Table(c for c in every_claim if c.speaker)
    quotes = Table(Quote(q["id"], q["sentence"], q["text"], q["kind"], q["source"], q["match"],
                         q["note"], q["status"] or "verbatim", q["actual"]) for q in raw.quotes)
    gov_of = {a.id: a.government for a in actors}
    weight = {c.id: c.goldstein for c in codebook}
    events = Table(Event(
        r["id"], r["date"], r["time"], r["utc_offset"], r["actor"], gov_of.get(r["actor"], ""),
        r["target"], r["cameo"], weight.get(r["cameo"], float("nan")), tuple(r["alternatives"]),
        r["coding_note"], r["channel"], r["summary"], r["quote"], r["source"], r.get("attribution", ""),
        r.get("order") or 0) for r in raw.events)
    statements = Table(Statement(
        r["id"], r["date"], r["speaker"], r["source"], r["text"],
        MappingProxyType({d.id: (r.get(d.id) or None) for d in dimensions}), r["rationale"],
        r.get("attribution", "")) for r in raw.statements)
    exercises = Table(_blinded(items.read(raw), actors))
    triggers = Table(Trigger(r["id"], r["date"], r["label"], r["source"], r["time"], r["utc_offset"])
                     for r in raw.triggers)
    lessons = MappingProxyType({k: _frozen(v) for k, v in raw.lessons.items()})
    info = CaseInfo(**meta.info)
    case = Case(info, article, sources, claims, quotes, events, statements, governments, actors,
                dimensions, codebook, exercises, folder, party_claims, triggers, lessons,
                Table(Target(t["id"], t["name"], t["kind"]) for t in meta.targets),
                tuple(meta.channels), tuple(meta.source_kinds))
    warnings: list[str] = []
    cross_check(case, raw, p, warnings)
    items.cross_check(case, raw)
    if p:
        raise CaseError(folder, p)
    return replace(case, warnings=tuple(warnings)) if warnings else case


def _frozen(value):
    """TOML data made read-only: tables become read-only mappings, arrays tuples."""
    if isinstance(value, dict):
        return MappingProxyType({k: _frozen(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    return value


def _mask_pattern(actors) -> tuple[re.Pattern | None, dict[str, str]]:
    role = {n: r for a in actors for r, names in a.names.items() for n in names}
    if not role:
        return None, role
    words = "|".join(re.escape(n) for n in sorted(role, key=len, reverse=True))
    # a name that is a whole word, not already inside a mask's brackets
    return re.compile(rf"(?<![\w\[])(?:{words})(?![\w\]])"), role


def mask_speakers(text: str, actors) -> str:
    """`text` with every name the actors' `names` list (case.toml) replaced by its role in brackets:
    "I have asked Secretary of State Mike Pompeo not to go" -> "I have asked [the Secretary of State] not
    to go". Longer names go first, so a title and a name become one mask; running it twice changes nothing.
    Speaker-blind items (`blind = true`) show their entries this way, so a name does not give the speaker
    away or invite coding the person instead of the words.

    >>> from course_lib import load_case
    >>> mask_speakers("President Donald J. Trump feels strongly", load_case(BUNDLED_CASE).actors)
    '[the President] feels strongly'
    """
    pattern, role = _mask_pattern(actors)
    return text if pattern is None else pattern.sub(lambda m: f"[{role[m.group(0)]}]", text)


def _blinded(exercises, actors) -> list[Exercise]:
    """The exercises, with the entries and options of speaker-blind items (`blind = true`) masked."""
    out = []
    for e in exercises:
        if e.blind:
            e = replace(e, entries=tuple(replace(x, text=mask_speakers(x.text, actors)) for x in e.entries),
                        options=tuple(replace(o, text=mask_speakers(o.text, actors)) for o in e.options))
        out.append(e)
    return out


def _counts(values) -> str:
    tally: dict[str, int] = {}
    for v in values:
        tally[v] = tally.get(v, 0) + 1
    return ", ".join(f"{n} {k}" for k, n in sorted(tally.items(), key=lambda kv: (-kv[1], kv[0])))


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _summarise(case) -> str:
    i = case.info
    paragraphs = len(case.article.paragraphs)
    dates = sorted(e.date for e in case.events)
    span = f"{dates[0].isoformat()} to {dates[-1].isoformat()}" if dates else "no dates"
    quotations = sum(q.kind == "quotation" for q in case.quotes)
    lines = [
        f"Case {i.id}: {i.title}",
        f"  {i.outlet}{', ' + i.section if i.section else ''}, "
        + (i.published.isoformat() if i.published else "publication date not known"),
        f"  article     {paragraphs} paragraphs, {len(case.article.sentences)} sentences, "
        f"{len(case.quotes)} quoted spans ({_plural(quotations, 'quotation')}, "
        f"{_plural(len(case.quotes) - quotations, 'scare quote')})",
        f"  sources     {len(case.sources)}: {_counts(s.kind for s in case.sources)}",
        f"              {_counts(s.level for s in case.sources)}; {_counts(s.sourcing for s in case.sources)}",
        f"  claims      {len(case.claims)}: {_counts(c.type for c in case.claims)}",
        f"  verdicts    {_counts(c.verdict for c in case.claims)}",
        f"  by parties  {len(case.party_claims)} claims"
        + (f" ({_counts(c.speaker for c in case.party_claims)}): "
           f"{_counts(c.verdict for c in case.party_claims)}" if case.party_claims else ""),
        f"  events      {len(case.events)}, {span}, by {_counts(e.actor for e in case.events)}",
        f"  statements  {len(case.statements)}, coded on {', '.join(case.dimensions.ids)}",
        f"  codebook    {len(case.codebook)} CAMEO codes: {i.events_codebook.split('. ')[0].rstrip('.')}",
    ]
    return "\n".join(lines)


def work_folder_name(case: Case) -> str | None:
    """The subfolder of the student's work folder that holds work on `case`: None (the work folder itself,
    as before cases could be chosen) for the bundled default case, else the case's id made safe as a name."""
    if Path(case.path).resolve() == BUNDLED_CASE.resolve():
        return None
    name = re.sub(r"[^A-Za-z0-9_.-]", "_", case.info.id).strip(".")
    return name or "case"


def _case_of_work() -> tuple[str | None, dict]:
    """What the work wing asks at every save (`work.progress.case_of_work`): the current case's subfolder
    and stamp."""
    from course_lib.case.stamp import stamp
    case = current_case()
    return work_folder_name(case), stamp(case)


def _tell_the_work_wing() -> None:
    from course_lib.work import progress
    progress.case_of_work = _case_of_work


_tell_the_work_wing()
