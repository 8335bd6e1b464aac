"""Exercise items as records, read from a case's `exercises-*.toml` files (one a lesson, named like its
notebook; format: cases/README.md).

An item points into the case instead of copying it: `choices = "codebook"` draws CAMEO choices (label,
Goldstein weight) from the pinned table and an entry named by an event id takes its text, key and accepted
codes from events.csv; `choices = "dimension"` draws stance choices from a `[[dimension]]` of case.toml
and an entry named by a statement id takes its text and key from statements.csv; items of one shape
share a `[template.NAME]` table. This module expands those references, then reads and validates the
items, reporting problems (file, item, field, what was expected) like every other case file; checking
an answer is `course_lib.checking.checks`, and showing an item is `course_lib.frontend.widgets`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

from course_lib.case import codebook, files
from course_lib.case.crosscheck import unknown

KINDS = ("single", "multiple", "classify", "match", "order", "numeric", "code", "text", "search")
#: What a result of a simulated search page is, to someone asking who is behind an outlet (search items).
ROLES = ("independent", "own", "unrelated")
#: The rubric levels of a text item, in order.
LEVELS = ("beginning", "emerging", "mastery")
FILE = "exercises.toml"
#: The choice "does not apply" of a stance item (an empty cell of statements.csv).
NOT_APPLICABLE = "na"
#: The keys a file may have besides its items: a lesson every item takes unless it names its own, and templates.
FILE_KEYS = ("exercise", "lesson", "template")
#: A choice id: an id, or a signed code of a stance dimension ("-2").
CHOICE = re.compile(r"^[+-]?[A-Za-z0-9][A-Za-z0-9._-]*$")


@dataclass(frozen=True)
class Option:
    """A choice of a single- or multiple-choice item, with the feedback it earns."""

    id: str
    text: str
    correct: bool
    feedback: str
    misconception: str = ""
    accepted: str = ""  # a disputed alternative counted as right; says why


@dataclass(frozen=True)
class Label:
    """A category to sort into (classify) or a target to match to (match)."""

    id: str
    text: str


@dataclass(frozen=True)
class Entry:
    """Something the student classifies, matches or puts in order."""

    id: str
    text: str
    key: str = ""                       # the right category or target; order: the list order is the key
    explain: str = ""                   # why the key is right
    feedback: Mapping[str, str] = field(default_factory=dict)       # wrong choice -> why not
    accepted: Mapping[str, str] = field(default_factory=dict)       # disputed choice -> why it also counts
    misconceptions: Mapping[str, str] = field(default_factory=dict)  # wrong choice -> tag
    reveal: str = ""                    # shown after an attempt (a speaker-blind item's speaker)
    partial: Mapping[str, str] = field(default_factory=dict)         # half-right choice -> why (e.g. same CAMEO root)


@dataclass(frozen=True)
class Mistake:
    """A typical wrong number and what it shows (numeric items)."""

    value: float
    tolerance: float
    feedback: str
    misconception: str = ""


@dataclass(frozen=True)
class HiddenTest:
    """One hidden test case of a code item: call with args, expect expected."""

    args: tuple
    expected: object
    hint: str


@dataclass(frozen=True)
class Result:
    """One result of a simulated search page (search items): what the page lists, and what opening it shows."""

    id: str
    title: str      # the result's heading, as a results page shows it
    address: str    # where it leads
    snippet: str    # the few words the results page shows under it
    opened: str     # what the student reads on opening it
    role: str       # independent (a description by someone else), own (the outlet's own pages), unrelated
    reason: str     # why opening it at that point helps or not: said whenever it is opened
    note: str = ""  # where each statement in it was checked (address, verbatim excerpt), or that it is made up
    card: str = ""  # the source card that holds it, when one does


@dataclass(frozen=True)
class Level:
    """One level of a text item's rubric, with a sample response at that level."""

    id: str       # beginning | emerging | mastery
    text: str     # what an answer at this level does
    sample: str   # a sample response at this level


@dataclass(frozen=True)
class Exercise:
    """One exercise as the exercise files define it: its kind, prompt, reference answer and feedback."""

    id: str
    lesson: str
    kind: str
    title: str
    prompt: str
    evidence: str          # the source card that settles it ("" when none does)
    hints: tuple[str, ...]  # concept, evidence pointer, then the answer
    explain: str           # why the reference answer is right, shown once it is right or revealed
    next: str              # the next move after a right answer
    reveal: str = ""       # shown after any attempt
    confidence: bool = False  # ask how sure the student is (50-100%)
    options: tuple[Option, ...] = ()
    categories: tuple[Label, ...] = ()
    targets: tuple[Label, ...] = ()
    entries: tuple[Entry, ...] = ()
    answer: float | None = None
    tolerance: float = 0.0
    unit: str = ""
    mistakes: tuple[Mistake, ...] = ()
    function: str = ""
    signature: str = ""
    tests: tuple[HiddenTest, ...] = ()
    timeout: float = 2.0
    min_words: int = 0
    parties: tuple[str, ...] = ()  # whose claims or conduct the key judges: "article" or actor ids
    standard: str = ""             # the standard the key applies to them (instructors/balance.md)
    results: tuple[Result, ...] = ()  # search items: the simulated results page, in rank order
    levels: tuple[Level, ...] = ()    # text items: a rubric shown after the student writes
    parallel: str = ""             # a post-test item: the id of the pre-test item it is the parallel form of
    solution: str = ""             # code items: the reference solution in words, blank by blank
    blind: bool = False            # speaker-blind: names in its entries and options are masked (case.mask_speakers)
    worked: bool = False           # code items: a worked example (the notebook gives the function whole)
    dimension: str = ""            # a stance-coding item: the dimension (case.toml) its choices are the values of

    @property
    def choices(self) -> tuple[Label, ...]:
        """What each entry may be given: the categories (classify) or targets (match)."""
        return self.categories if self.kind == "classify" else self.targets


REQ, OPT, T = files.REQ, files.OPT, files.text
ITEM_SPEC = {
    "id": (REQ, files.ident), "lesson": (REQ, T), "kind": (REQ, files.one_of(KINDS)),
    "title": (OPT, T), "prompt": (REQ, T), "evidence": (OPT, T), "hints": (REQ, T),
    "explain": (REQ, T), "next": (REQ, T), "reveal": (OPT, T), "function": (OPT, files.ident),
    "signature": (OPT, T), "unit": (OPT, T), "parties": (OPT, T), "standard": (OPT, T),
    "parallel": (OPT, files.ident),
    "solution": (OPT, T), "dimension": (OPT, files.ident),
}
NON_TEXT = {"option", "category", "target", "entry", "mistake", "test", "answer", "tolerance",
            "timeout", "min_words", "confidence", "result", "level", "blind", "worked"}
RESULT_SPEC = {"id": (REQ, files.ident), "title": (REQ, T), "address": (REQ, files.address),
               "snippet": (REQ, T), "opened": (REQ, T), "role": (REQ, files.one_of(ROLES)), "reason": (REQ, T),
               "note": (OPT, T), "card": (OPT, T)}
LEVEL_SPEC = {"id": (REQ, files.one_of(LEVELS)), "text": (REQ, T), "sample": (REQ, T)}


def read(raw: files.Raw) -> list[Exercise]:
    """Read and check exercises.toml and exercises-*.toml (one file a lesson, if the author likes);
    no such file means a case without exercises."""
    names = sorted(p.name for p in raw.folder.glob("exercises*.toml")
                   if p.name == FILE or p.name.startswith("exercises-"))
    out, first = [], {}
    data = _CaseData(raw)
    for name in names:
        for item in _read_file(raw, name, data):
            if item.id in first:
                raw.problem(name, f"[[exercise]] (id {item.id!r})", "id",
                            f"duplicate id {item.id!r} (first used in {first[item.id]})")
                continue
            first[item.id] = name
            out.append(item)
    return out


def _read_file(raw: files.Raw, name: str, data: "_CaseData") -> list[Exercise]:
    doc = files.read_toml(raw, name)
    for key in doc:
        if key not in FILE_KEYS:
            raw.problem(name, key, "", f"unknown key; a file holds {', '.join(FILE_KEYS)} (see cases/README.md)")
    lesson = doc.get("lesson")
    if lesson is not None and not isinstance(lesson, str):
        raw.problem(name, "lesson", "", f"expected the lesson in double quotes, like \"04\", got {lesson!r}")
        lesson = None
    templates = doc.get("template", {})
    if not isinstance(templates, dict) or not all(isinstance(v, dict) for v in templates.values()):
        raw.problem(name, "[template]", "", "expected tables written [template.NAME]")
        templates = {}
    out = []
    for i, t in enumerate(files.entries(raw, name, doc, "exercise"), 1):
        where = files.where_of("exercise", i, t)
        if not isinstance(t, dict):
            raw.problem(name, where, "", "expected a table of keys and values")
            continue
        t = expand(t, templates, lesson, data, lambda fld, message: raw.problem(name, where, fld, message))
        base = files.take(raw, name, where, {k: v for k, v in t.items() if k not in NON_TEXT},
                          ITEM_SPEC, listfields=("hints", "parties"))
        item = _parts(raw, where, base, t, name)
        if item is not None:
            out.append(item)
            raw.exercise_files.setdefault(item.id, name)
    return out


def _parts(raw, where, base, t, name) -> Exercise | None:
    def bad(fld, message):
        raw.problem(name, where, fld, message)

    def table_list(key, spec, listfields=()):
        rows = t.get(key, [])
        if not isinstance(rows, list):
            bad(key, f"expected an array of tables written [[exercise.{key}]]")
            return []
        return [files.take(raw, name, f"{where} [[exercise.{key}]] {n}", r, spec, listfields)
                for n, r in enumerate(rows, 1)]

    def mapping(row, key):
        value = row.get(key, {})
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            bad(key, f"expected a table of choice = \"text\" in entry {row.get('id')!r}")
            return MappingProxyType({})
        return MappingProxyType(dict(value))

    def number(key, default, positive=False):
        v = t.get(key, default)
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or (positive and v <= 0):
            bad(key, f"expected a {'positive ' if positive else ''}number, got {v!r}")
            return default
        return float(v)

    kind = base["kind"]
    label_spec = {"id": (REQ, choice_id), "text": (REQ, T)}
    options = []
    raw_options = t.get("option", [])
    if isinstance(raw_options, list):
        for n, o in enumerate(raw_options, 1):
            correct = o.get("correct", False) if isinstance(o, dict) else False
            if not isinstance(correct, bool):
                bad("correct", f"option {n}: expected true or false, got {correct!r}")
            body = {k: v for k, v in o.items() if k != "correct"} if isinstance(o, dict) else o
            r = files.take(raw, name, f"{where} [[exercise.option]] {n}", body,
                           {"id": (REQ, files.ident), "text": (REQ, T), "feedback": (REQ, T),
                            "misconception": (OPT, T), "accepted": (OPT, T)})
            options.append(Option(r["id"], r["text"], correct is True, r["feedback"], r["misconception"],
                                  r["accepted"]))
    categories = tuple(Label(r["id"], r["text"]) for r in table_list("category", label_spec))
    targets = tuple(Label(r["id"], r["text"]) for r in table_list("target", label_spec))
    entry_rows = t.get("entry", []) if isinstance(t.get("entry", []), list) else []
    entries = []
    for n, r in enumerate(entry_rows, 1):
        body = {k: v for k, v in r.items() if k not in ("feedback", "accepted", "misconceptions", "partial")} \
            if isinstance(r, dict) else r
        e = files.take(raw, name, f"{where} [[exercise.entry]] {n}", body,
                       {"id": (REQ, files.ident), "text": (REQ, T), "key": (OPT, T),
                        "explain": (OPT, T), "reveal": (OPT, T)})
        rd = r if isinstance(r, dict) else {}
        entries.append(Entry(e["id"], e["text"], e["key"], e["explain"], mapping(rd, "feedback"),
                             mapping(rd, "accepted"), mapping(rd, "misconceptions"), e["reveal"],
                             mapping(rd, "partial")))
    mistakes = tuple(Mistake(number_of(raw, name, where, m, "value"), number_of(raw, name, where, m, "tolerance", 0.0),
                             str(m.get("feedback", "")), str(m.get("misconception", "")))
                     for m in (t.get("mistake", []) if isinstance(t.get("mistake", []), list) else [])
                     if isinstance(m, dict))
    tests = []
    for n, c in enumerate(t.get("test", []) if isinstance(t.get("test", []), list) else [], 1):
        if not isinstance(c, dict) or "expected" not in c or not isinstance(c.get("args", []), list):
            bad("test", f"test {n}: expected args = [...] and expected = ...")
            continue
        tests.append(HiddenTest(tuple(c.get("args", [])), c["expected"], str(c.get("hint", ""))))
    confidence = t.get("confidence", False)
    if not isinstance(confidence, bool):
        bad("confidence", f"expected true or false, got {confidence!r}")
    blind = t.get("blind", False)
    if not isinstance(blind, bool):
        bad("blind", f"expected true or false, got {blind!r}")
    worked = t.get("worked", False)
    if not isinstance(worked, bool) or (worked is True and kind != "code"):
        bad("worked", f"expected true or false, on a code item only, got {worked!r}")
    min_words = t.get("min_words", 0)
    if not isinstance(min_words, int) or isinstance(min_words, bool) or min_words < 0:
        bad("min_words", f"expected a whole number, got {min_words!r}")
        min_words = 0
    results = tuple(Result(r["id"], r["title"], r["address"], r["snippet"], r["opened"], r["role"], r["reason"],
                           r["note"], r["card"]) for r in table_list("result", RESULT_SPEC))
    levels = tuple(Level(r["id"], r["text"], r["sample"]) for r in table_list("level", LEVEL_SPEC))
    answer = number("answer", None) if kind == "numeric" else None
    item = Exercise(
        base["id"], base["lesson"], kind, base["title"] or base["id"], base["prompt"], base["evidence"],
        tuple(base["hints"]), base["explain"], base["next"], base["reveal"], confidence is True,
        tuple(options), categories, targets, tuple(entries), answer, number("tolerance", 0.0),
        base["unit"], mistakes, base["function"], base["signature"], tuple(tests),
        number("timeout", 2.0, positive=True), min_words, tuple(base["parties"]), base["standard"], results, levels,
        base["parallel"], base["solution"], blind is True, worked is True and kind == "code", base["dimension"])
    _check_shape(item, bad)
    return item


def choice_id(v):
    return (v, "") if CHOICE.match(v) else (v, f"expected an id (letters, digits, '.', '-', '_') or a signed code "
                                              f"like \"-2\", got {v!r}")


# ---- references into the case: templates, codebook and dimension choices, event and statement entries --

class _CaseData:
    """What an item may point at: the pinned CAMEO table, the events, the statements and the dimensions."""

    def __init__(self, raw: files.Raw):
        self.codebook = {r["code"]: r for r in raw.codebook if r.get("code")}
        self.events = {r["id"]: r for r in raw.events if r.get("id")}
        self.statements = {r["id"]: r for r in raw.statements if r.get("id")}
        # a file the case could not read has its own problem; entries pointing into it are not checked again
        self.unread = {name for name in ("events.csv", "statements.csv")
                       if any(p.file.endswith("/" + name) and not p.where for p in raw.problems)}
        self.dimensions = {d["id"]: d for d in getattr(raw.meta, "dimensions", ()) if isinstance(d, dict) and "id" in d}

    def dimension(self, dim_id: str):
        """A dimension as codebook.value_labels reads it."""
        from types import SimpleNamespace
        d = self.dimensions[dim_id]
        return SimpleNamespace(id=dim_id, name=d.get("name", ""), level=d.get("level", ""),
                               values=tuple(str(v) for v in d.get("values", ())), description=d.get("description", ""))


def event_text(row) -> str:
    """An event entry's text, from its events.csv row: "2018-07-09, PRES to PRK: <summary> (“<quote>”)"."""
    date = row["date"].isoformat() if hasattr(row["date"], "isoformat") else str(row["date"])
    text = f"{date}, {row['actor']} to {row['target']}: {row['summary']}"
    return text + (f" (“{row['quote']}”)" if row.get("quote") else "")


def statement_text(row) -> str:
    """A statement entry's text, from its statements.csv row: the words in curly quotes."""
    return f"“{row['text']}”"


def same_root_text(data: _CaseData, code: str, why: str) -> str:
    """The half-credit reason of a code with the key's root: the root and the code from the pinned table, then why."""
    root = code[:2]
    root_label = data.codebook[root]["label"].lower() if root in data.codebook else root
    label = codebook.short_label(data.codebook[code]["label"]) if code in data.codebook else code
    return f"Right root ({root}, {root_label}), so half right; but {code} ({label}) fits less well: {why}"


def _signed(value):
    """A code written as a number (key = -2) is the text "-2"; anything else is left for the checks."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def expand(t: dict, templates: Mapping, lesson: str | None, data: _CaseData, bad) -> dict:
    """One item of the file with its references resolved: the template's keys, the file's lesson,
    choices from the codebook or a dimension, entries from events.csv or statements.csv. The result
    has the keys an item spells out in full; `bad(field, message)` reports what cannot be resolved."""
    t = dict(t)
    name = t.pop("template", None)
    if name is not None:
        if not isinstance(name, str) or name not in templates:
            known = ", ".join(templates) or "none (write one as a [template.NAME] table)"
            bad("template", f"names the template {name!r}, which this file does not define; its templates: {known}")
        else:
            shared = templates[name]
            t = {**shared, **t}
            own = t.get("entry")
            if isinstance(shared.get("entry"), list) and isinstance(own, list) and own is not shared["entry"]:
                # the template's entries are defaults for the item's entries of the same id (an ACH row's hypotheses)
                defaults = {e.get("id"): e for e in shared["entry"] if isinstance(e, dict)}
                t["entry"] = [{**defaults.get(e.get("id"), {}), **e} if isinstance(e, dict) else e for e in t["entry"]]
            if "template" in shared:
                bad("template", f"the template {name!r} names another template; a template is one table of keys")
                t.pop("template")
    if "lesson" not in t and lesson is not None:
        t["lesson"] = lesson
    choices = t.pop("choices", None)
    codes = t.pop("codes", None)
    not_applicable = t.pop("not_applicable", None)
    labels = t.pop("labels", None)
    entries = t.get("entry", [])
    if isinstance(entries, list):
        t["entry"] = entries = [_entry_numbers(e) if isinstance(e, dict) else e for e in entries]
    else:
        entries = []
    if choices is None:
        for key, value in (("codes", codes), ("not_applicable", not_applicable), ("labels", labels)):
            if value is not None:
                bad(key, f"{key} goes with choices = \"codebook\" or choices = \"dimension\"")
        return t
    if "category" in t:
        bad("choices", "give the choices either by reference (choices = ...) or as [[exercise.category]] tables, "
            "not both")
        return t
    if choices == "codebook":
        _codebook_choices(t, codes, entries, data, bad)
    elif isinstance(choices, str) and (choices == "dimension" or choices.startswith("dimension:")):
        named = choices.partition(":")[2]
        dim = t.get("dimension") or named
        if named and t.get("dimension") and named != t["dimension"]:
            bad("choices", f"names the dimension {named!r}, but the item's dimension is {t['dimension']!r}")
        t["dimension"] = dim
        _dimension_choices(t, dim, not_applicable, labels, entries, data, bad)
    else:
        bad("choices", "expected \"codebook\" (with codes = [...]) or \"dimension\" (with dimension = "
            f"\"<a dimension id of case.toml>\"), got {choices!r}")
    return t


def _entry_numbers(e: dict) -> dict:
    e = dict(e)
    if "key" in e:
        e["key"] = _signed(e["key"])
    return e


def _codebook_choices(t, codes, entries, data: _CaseData, bad) -> None:
    if not isinstance(codes, list) or not codes or not all(isinstance(c, str) for c in codes):
        bad("codes", "choices = \"codebook\" needs codes = [\"010\", \"036\", ...]: the CAMEO codes offered, "
            "in the order shown (in double quotes, leading zeros kept)")
        return
    known = [c for c in codes if c in data.codebook]
    for c in codes:
        if c not in data.codebook:
            bad("codes", unknown(c, "CAMEO code of the pinned table", tuple(data.codebook)))
    table = data.codebook
    t["category"] = [{"id": c, "text": codebook.cameo_choice(c, table[c]["label"], table[c]["goldstein"])} for c in known]
    for e in entries:
        row = data.events.get(e.get("id")) if isinstance(e, dict) else None
        if row is None:
            if isinstance(e, dict) and "events.csv" in data.unread:
                e.setdefault("text", "(events.csv could not be read)")
                e.setdefault("key", "")
            continue
        eid, cameo, alternatives = e["id"], row["cameo"], tuple(row["alternatives"])
        e.setdefault("text", event_text(row))
        if e.setdefault("key", cameo) != cameo:
            bad("entry", f"entry {eid!r}: key {e['key']!r} differs from events.csv, which codes {eid} {cameo}; "
                "leave key out to take it from there")
        accepted = e.get("accepted", {})
        if isinstance(accepted, dict):
            missing = [a for a in alternatives if a in known and a not in accepted]
            extra = [a for a in accepted if a not in alternatives]
            if missing:
                bad("entry", f"entry {eid!r}: events.csv gives {', '.join(missing)} as defensible alternatives; "
                    "give each its reason in [exercise.entry.accepted]")
            if extra:
                bad("entry", f"entry {eid!r}: accepted names {', '.join(extra)}, which events.csv does not list as "
                    f"alternatives of {eid} (its alternatives: {', '.join(alternatives) or 'none'})")
        why = e.pop("same_root", None)
        if why is not None:
            if not isinstance(why, str) or not why.strip():
                bad("entry", f"entry {eid!r}: same_root = \"why the other codes of the root fit less well\"")
                continue
            given = e.get("partial", {}) if isinstance(e.get("partial", {}), dict) else {}
            partial = {}
            for c in known:
                if c in given:
                    partial[c] = given[c]
                elif c[:2] == cameo[:2] and c != cameo and c not in alternatives:
                    partial[c] = same_root_text(data, c, why)
            partial.update({c: v for c, v in given.items() if c not in partial})
            e["partial"] = partial


def _dimension_choices(t, dim, not_applicable, labels, entries, data: _CaseData, bad) -> None:
    if not isinstance(dim, str) or dim not in data.dimensions:
        bad("dimension", unknown(str(dim), "dimension", tuple(data.dimensions)))
        return
    dimension = data.dimension(dim)
    labels = {} if labels is None else {str(k): v for k, v in labels.items()} if isinstance(labels, dict) else labels
    if not isinstance(labels, dict) or not all(isinstance(v, str) for v in labels.values()):
        bad("labels", "expected a table of value = \"label\", like labels = { 2 = \"explicit condition\" }")
        labels = {}
    for v in labels:
        if v not in dimension.values:
            bad("labels", f"{v!r} is not a value of {dim} ({', '.join(dimension.values)})")
    found = codebook.value_labels(dimension)
    t["category"] = [{"id": v, "text": codebook.value_text(dimension, v, labels.get(v, found.get(v, "")))}
                     for v in dimension.values]
    if not_applicable is not None:
        if not isinstance(not_applicable, str) or not not_applicable.strip():
            bad("not_applicable", "expected the text of the choice \"does not apply\", in double quotes")
        else:
            t["category"].append({"id": NOT_APPLICABLE, "text": not_applicable})
    for e in entries:
        row = data.statements.get(e.get("id")) if isinstance(e, dict) else None
        if row is None:
            if isinstance(e, dict) and "statements.csv" in data.unread:
                e.setdefault("text", "(statements.csv could not be read)")
                e.setdefault("key", NOT_APPLICABLE)
            continue
        e.setdefault("text", statement_text(row))
        code = str(row.get(dim) or "") or NOT_APPLICABLE
        if code == NOT_APPLICABLE and not_applicable is None:
            bad("entry", f"entry {e['id']!r}: statements.csv leaves {dim} empty for {e['id']}, but the item offers "
                "no \"does not apply\" choice (not_applicable = \"...\")")
        if e.setdefault("key", code) != code:
            bad("entry", f"entry {e['id']!r}: key {e['key']!r} differs from statements.csv, which codes {e['id']} "
                f"{code!r} on {dim}; leave key out to take it from there")


def number_of(raw, name, where, row, key, default=None):
    v = row.get(key, default)
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
        raw.problem(name, where, key, f"expected a number in [[exercise.mistake]], got {v!r}")
        return 0.0
    return float(v)


def _check_shape(item: Exercise, bad) -> None:
    """What every item needs (unique ids, a hint ladder, tables only where its kind has them), then
    what its kind needs (SHAPES)."""
    ids = lambda xs: [x.id for x in xs]  # noqa: E731
    for name, xs in (("option", item.options), ("category", item.categories),
                     ("target", item.targets), ("entry", item.entries)):
        if len(set(ids(xs))) != len(xs):
            bad(name, "ids must be unique within the exercise")
    if len(item.hints) < 2:
        bad("hints", "give a ladder of at least two hints: the concept, then the evidence, then the answer")
    if len(set(ids(item.results))) != len(item.results) or "stop" in ids(item.results):
        bad("result", "result ids must be unique within the exercise, and none may be \"stop\"")
    if item.results and item.kind != "search":
        bad("result", "only a search item has [[exercise.result]] tables")
    if item.levels and (item.kind != "text" or [lv.id for lv in item.levels] != list(LEVELS)):
        bad("level", f"a rubric belongs to a text item and has the levels {', '.join(LEVELS)}, once each, in that order")
    if item.kind in SHAPES:   # an unknown kind is reported with the kind field
        SHAPES[item.kind](item, bad)


def _options_shape(item: Exercise, bad) -> None:
    right = sum(o.correct for o in item.options)
    if len(item.options) < 2 or right == 0 or (item.kind == "single" and right != 1):
        bad("option", f"a {item.kind}-choice item needs at least two options and "
            f"{'exactly one' if item.kind == 'single' else 'at least one'} marked correct = true")


def _entries_shape(item: Exercise, bad) -> None:
    choices = [c.id for c in item.choices]
    if len(choices) < 2 or not item.entries:
        bad("entry", f"a {item.kind} item needs entries and at least two "
            f"{'categories' if item.kind == 'classify' else 'targets'}")
    for e in item.entries:
        for key in [e.key, *e.feedback, *e.accepted, *e.misconceptions, *e.partial]:
            if key not in choices and key != "*":
                bad("entry", f"entry {e.id!r} names {key!r}, which is not one of {', '.join(choices)}")
        missing = [c for c in choices if c != e.key and c not in e.feedback and c not in e.accepted
                   and c not in e.partial]
        if missing and "*" not in e.feedback:
            bad("entry", f"entry {e.id!r} has no feedback for {', '.join(missing)}; every wrong "
                "choice needs its own explanation")


def _order_shape(item: Exercise, bad) -> None:
    if len(item.entries) < 3:
        bad("entry", "an order item needs at least three entries, listed in the right order")


def _numeric_shape(item: Exercise, bad) -> None:
    if item.answer is None:
        bad("answer", "a numeric item needs answer = <number>")


def _code_shape(item: Exercise, bad) -> None:
    if not item.function or not item.tests:
        bad("test", "a code item needs function = \"name\" and at least one [[exercise.test]]")


def _search_shape(item: Exercise, bad) -> None:
    roles = [r.role for r in item.results]
    if len(item.results) < 3 or "independent" not in roles or "own" not in roles:
        bad("result", "a search item needs at least three [[exercise.result]] tables, at least one of them "
            "role = \"independent\" and one role = \"own\"")


def _text_shape(item: Exercise, bad) -> None:
    """A text item needs nothing more than every item does (a rubric, when it has one, is checked above)."""


#: What each kind's exercise file must give, by kind: one entry per kind in KINDS. A new kind is one
#: entry here, one in `checking.checks.RULES` (its checker and words) and one in
#: `frontend.widgets.CONTROLS` (its controls).
SHAPES = {"single": _options_shape, "multiple": _options_shape, "classify": _entries_shape,
          "match": _entries_shape, "order": _order_shape, "numeric": _numeric_shape, "code": _code_shape,
          "text": _text_shape, "search": _search_shape}


def cross_check(case, raw: files.Raw) -> None:
    """Every evidence pointer names a source card; every judged party is the article or an actor,
    and names the standard its key applies."""
    for e in case.exercises:
        where, name = f"[[exercise]] (id {e.id!r})", raw.exercise_files.get(e.id, FILE)
        if e.evidence and e.evidence not in case.sources:
            raw.problem(name, where, "evidence", unknown(e.evidence, "source", case.sources.ids))
        for r in e.results:
            if r.card and r.card not in case.sources:
                raw.problem(name, where, "result", f"result {r.id!r}: " + unknown(r.card, "source", case.sources.ids))
        for party in e.parties:
            if party != "article" and party not in case.actors:
                raw.problem(name, where, "parties", unknown(party, "party (\"article\" or an actor)",
                                                            ("article", *case.actors.ids)))
        if e.parallel:
            _check_parallel(case, e, lambda fld, message: raw.problem(name, where, fld, message))
        if e.dimension:
            _check_dimension(case, e, lambda fld, message: raw.problem(name, where, fld, message))
        if bool(e.parties) != bool(e.standard):
            raw.problem(name, where, "standard" if e.parties else "parties", "an item that judges a "
                        "party names both: parties = [\"article\", ...] and standard = \"the rule its key applies\"")


def _check_dimension(case, item: Exercise, bad) -> None:
    """A stance-coding item names a dimension of case.toml, and its choices are that dimension's values
    (and "does not apply")."""
    if item.dimension not in case.dimensions:
        bad("dimension", unknown(item.dimension, "dimension", case.dimensions.ids))
        return
    if item.kind != "classify":
        bad("dimension", f"only a classify item codes a dimension; this one is {item.kind}")
        return
    values = case.dimensions[item.dimension].values
    for c in item.categories:
        if c.id != NOT_APPLICABLE and c.id not in values:
            bad("category", f"{c.id!r} is not a value of {item.dimension} ({', '.join(values)}) nor "
                f"{NOT_APPLICABLE!r} (does not apply)")


def choice_signature(item: Exercise) -> tuple:
    """What a student chooses among: the options (id and text), categories or targets, in file order."""
    if item.kind in ("single", "multiple"):
        return tuple((o.id, o.text) for o in item.options)
    return tuple((c.id, c.text) for c in item.choices) if item.kind in ("classify", "match") else ()


def _check_parallel(case, item: Exercise, bad) -> None:
    """A post-test item names its pre-test partner (`parallel`): an item that exists, is no post-test item
    itself, and is of the same kind, with the same choices and the same confidence question, so the two
    scores measure the same skill on the same scale; a pre-test item has one partner at most."""
    partner = case.exercises[item.parallel] if item.parallel in case.exercises else None
    if partner is None:
        bad("parallel", unknown(item.parallel, "exercise", case.exercises.ids))
        return
    if partner.id == item.id or partner.parallel:
        bad("parallel", f"{partner.id!r} is a post-test item itself; name the pre-test item this one parallels")
        return
    if partner.kind != item.kind:
        bad("parallel", f"a parallel form has the kind of its pre-test item ({partner.id!r} is {partner.kind}, "
            f"this one {item.kind})")
    elif choice_signature(partner) != choice_signature(item):
        bad("parallel", f"a parallel form offers the same choices as {partner.id!r} (same ids and texts, in the "
            "same order), so the two scores are comparable")
    if partner.confidence != item.confidence:
        bad("parallel", f"a parallel form asks for confidence exactly when {partner.id!r} does")
    same = [e.id for e in case.exercises if e.parallel == item.parallel]
    if same[0] != item.id:
        bad("parallel", f"{partner.id!r} already has a parallel form ({same[0]!r}); give each pre-test item one")
