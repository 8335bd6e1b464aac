"""Reading and checking the files of a case folder, for `course_lib.case.records`.

Each reader turns one file into plain records and appends a `Problem` for everything wrong with it,
instead of stopping at the first; `crosscheck.cross_check` then tests what ties the files together (references,
quotations against excerpts, dates against the case's period). Standard library only.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, NamedTuple

# Course-wide vocabularies: the method the course teaches, not facts of one case.
# CLAIM_TYPES in the order of lesson 01's sorter; VERDICTS in the order the figures show them: from best
# to worst on the package's scale (sourcing.RATING_SCALE), then those that take no number.
CLAIM_TYPES = ("checkable-fact", "attribution", "prediction", "opinion", "mixed")
VERDICTS = ("accurate", "missing-context", "partly-supported", "overstated", "misleading", "inaccurate",
            "ambiguous", "unverified", "forecast", "not-checkable")
SOURCE_KINDS = ("tweet", "statement", "remarks", "interview", "testimony", "briefing", "letter",
                "official-document", "news-report", "news-analysis", "op-ed", "editorial")
LEVELS = ("primary", "secondary")
SOURCINGS = ("on-record", "anonymous")
CHANNELS = ("tweet", "remarks", "interview", "testimony", "briefing", "statement", "letter",
            "action", "meeting", "report")
QUOTE_KINDS = ("quotation", "scare-quote")
QUOTE_MATCHES = ("exact", "case-folded")
QUOTE_STATUSES = ("verbatim", "misquoted", "not-found")   # what checking the quotation against its source found
ATTRIBUTIONS = ("", "contested")        # an event's or statement's actor: as recorded, or disputed (say why)
DIMENSION_LEVELS = ("nominal", "ordinal", "interval")

SOURCE_FIELDS = ("id", "kind", "level", "sourcing", "speaker", "outlet", "date", "time",
                 "utc_offset", "address", "via", "excerpt", "note")


class Problem(NamedTuple):
    """One thing wrong in a case folder: where it is and what was expected."""

    file: str
    where: str
    field: str
    message: str

    def __str__(self) -> str:
        parts = [self.file] + ([self.where] if self.where else [])
        parts += [f"field '{self.field}'"] if self.field else []
        return ", ".join(parts) + ": " + self.message


class CaseError(ValueError):
    """A case folder that cannot be used; `.problems` lists every problem found."""

    def __init__(self, folder, problems):
        self.folder = Path(folder)
        self.problems = tuple(problems)
        n = len(self.problems)
        head = f"The case folder {self.folder} has {n} problem{'' if n == 1 else 's'}:"
        super().__init__(head + "".join(f"\n  - {p}" for p in self.problems))


# ---- field parsers: value -> (parsed, error message or "") -------------------------------------

Parser = Callable[[str], tuple[object, str]]
IDENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def ident(v):
    return (v, "") if IDENT.match(v) else (v, f"expected an id of letters, digits, '.', '-' or '_', got {v!r}")


def iso_date(v):
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
        try:
            return date.fromisoformat(v), ""
        except ValueError:
            pass
    return None, f"expected an ISO date YYYY-MM-DD, got {v!r}"


def hhmm(v):
    ok = re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", v)
    return (v, "") if ok or not v else (v, f"expected a 24-hour time like 14:05, got {v!r}")


def offset(v):
    ok = re.fullmatch(r"[+-](0\d|1[0-4]):[0-5]\d", v)
    return (v, "") if ok or not v else (v, f"expected a UTC offset like -04:00 or +08:00, got {v!r}")


def address(v):
    ok = re.fullmatch(r"https?://\S+", v)
    return (v, "") if ok else (v, f"expected an address starting http:// or https://, got {v!r}")


def order_in_day(v):
    """An event's place among the same day's events: 1, 2, 3..."""
    return (int(v), "") if v.isdigit() and int(v) >= 1 else (0, f"expected a whole number from 1 (the event's "
                                                              f"order within its day), got {v!r}")


def one_of(choices) -> Parser:
    def parse(v):
        return (v, "") if v in choices else (v, f"expected one of {', '.join(choices)}; got {v!r}")
    return parse


def code_list(v):
    codes = tuple(c.strip() for c in v.split(";") if c.strip())
    return codes, ""


def number(v):
    try:
        x = float(v)
    except ValueError:
        return None, f"expected a number from -10 to 10, got {v!r}"
    if not (math.isfinite(x) and -10 <= x <= 10):
        return None, f"expected a number from -10 to 10, got {v!r}"
    return x, ""


def text(v):
    return v, ""


# ---- the raw contents of a folder --------------------------------------------------------------

@dataclass
class Meta:
    info: dict = field(default_factory=dict)
    governments: list = field(default_factory=list)
    actors: list = field(default_factory=list)
    dimensions: list = field(default_factory=list)
    targets: list = field(default_factory=list)       # [[target]]: who is acted on that is not a government
    channels: tuple = CHANNELS                         # [vocabulary]: the case's own lists, when it gives them
    source_kinds: tuple = SOURCE_KINDS


class RawSentence(NamedTuple):
    id: str
    paragraph: int
    text: str
    line: int


@dataclass
class Raw:
    folder: Path
    problems: list = field(default_factory=list)
    meta: Meta = field(default_factory=Meta)
    title: str = ""
    sentences: list = field(default_factory=list)
    sources: list = field(default_factory=list)
    claims: list = field(default_factory=list)
    quotes: list = field(default_factory=list)
    events: list = field(default_factory=list)
    statements: list = field(default_factory=list)
    codebook: list = field(default_factory=list)
    codebook_file: str = ""
    exercise_files: dict = field(default_factory=dict)  # exercise id -> the file it is in
    triggers: list = field(default_factory=list)
    lessons: dict = field(default_factory=dict)       # lesson key -> its table of lessons.toml

    def problem(self, file, where, fld, message):
        self.problems.append(Problem(f"{self.folder.name}/{file}", where, fld, message))


def stamp(folder: Path) -> tuple:
    """What changes when any file of the folder changes: names, sizes and modification times."""
    try:   # one stat a file (scandir caches it): every answer() and show() asks, so it is on a click's path
        with os.scandir(folder) as entries:
            return tuple(sorted((e.name, s.st_mtime_ns, s.st_size) for e in entries if e.is_file()
                                for s in (e.stat(),)))
    except OSError:
        return ()


MAX_FILE = 50_000_000  # no case file comes near this; a bigger one is not read


def inside(folder: Path, name: str) -> Path | None:
    """`folder/name` if it stays inside the case folder once links are followed, else None."""
    try:
        root = folder.resolve()
        path = (root / name).resolve()
    except (OSError, RuntimeError, ValueError):
        return None
    return path if root in path.parents else None


def clip(value, n: int = 30) -> str:
    """A name from a file (a column), escaped and cut short, to stand unquoted in a problem line."""
    text = repr(str(value))[1:-1]
    return text if len(text) <= n else text[: n - 1] + "…"


def read_text(raw: Raw, name: str) -> str | None:
    """A case file as text; a path outside the folder, a FIFO or device, a huge or a non-UTF-8 file is a problem."""
    import os
    import stat
    path = inside(raw.folder, name)
    if path is None:
        raw.problem(name, "", "", "the file must be inside the case folder (a name or a path under it, "
                    "without '..', not an absolute path or a link leading out)")
        return None
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raw.problem(name, "", "", "not a regular file (a folder, a FIFO or a device); expected a text file")
            return None
        if info.st_size > MAX_FILE:
            raw.problem(name, "", "", f"the file is too large ({info.st_size // 1_000_000} MB) to be a case file")
            return None
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(fd).st_mode):   # swapped since the stat above
                raise IsADirectoryError(0, "not a regular file")
            data = f.read(MAX_FILE + 1)
    except FileNotFoundError:
        raw.problem(name, "", "", "the file is missing")
        return None
    except OSError as error:
        raw.problem(name, "", "", f"the file cannot be read ({(error.strerror or 'error').lower()})")
        return None
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[:e.start].count(b"\n") + 1
        raw.problem(name, f"line {line}", "", f"the file is not UTF-8 text (byte 0x{data[e.start]:02x} "
                    "cannot be read); save it again as UTF-8")
        return None
    return content.replace("\r\n", "\n")


def read_csv(raw: Raw, name: str, spec: dict[str, tuple[bool, Parser]]) -> list[dict]:
    """Rows of a CSV file as dicts of parsed values; each dict keeps its row number in '_row'."""
    import csv  # the readers run only when a case is built, not when it comes from the disk cache
    import io
    content = read_text(raw, name)
    if content is None:
        return []
    reader = csv.reader(io.StringIO(content, newline=""), strict=True)
    columns = ", ".join(spec)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raw.problem(name, "", "", f"the file is empty; expected a header row with the columns {columns}")
        return []
    except csv.Error as e:
        raw.problem(name, "row 1", "", f"bad CSV quoting in the header ({e})")
        return []
    missing = [c for c, (required, _) in spec.items() if required and c not in header]
    if missing:
        raw.problem(name, "row 1", "", f"missing column{'s' if len(missing) > 1 else ''} "
                    f"{', '.join(missing)}; the columns are {columns}")
    for h in header:
        if h not in spec:
            raw.problem(name, "row 1", clip(h), f"unknown column; the columns are {columns}")
    rows, rownum, seen = [], 1, {}
    while True:
        rownum += 1
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            raw.problem(name, f"row {rownum}", "", f"bad CSV quoting ({e}); wrap a field that holds a "
                        "comma, a quote or a line break in double quotes, and double any quote inside it")
            break
        if not any(f.strip() for f in fields):
            continue
        if len(fields) != len(header):
            raw.problem(name, f"row {rownum}", "", f"the row has {len(fields)} fields but the header has "
                        f"{len(header)}: is there a comma in a field that is not wrapped in double quotes?")
            continue
        rec = {"_row": f"row {rownum}"}
        values = dict(zip(header, (f.strip() for f in fields)))
        for col, (required, parse) in spec.items():
            v = values.get(col, "")
            if not v:
                if required is True and col in header:
                    raw.problem(name, f"row {rownum}", col, "is empty; a value is required")
                rec[col] = () if parse is code_list else (None if parse is iso_date else "")
                continue
            rec[col], err = parse(v)
            if err:
                raw.problem(name, f"row {rownum}", col, err)
        for extra in header:
            if extra not in spec:
                rec[extra] = values.get(extra, "")
        key = rec.get("id") or rec.get("code")
        if key:
            if key in seen:
                raw.problem(name, f"row {rownum}", "id" if "id" in spec else "code",
                            f"duplicate id {key!r} (first used in {seen[key]})")
            seen.setdefault(key, f"row {rownum}")
        rows.append(rec)
    return rows


def read_toml(raw: Raw, name: str) -> dict:
    import tomllib
    content = read_text(raw, name)
    if content is None:
        return {}
    try:
        return tomllib.loads(content)
    except tomllib.TOMLDecodeError as e:
        raw.problem(name, "", "", f"not valid TOML: {e}")
        return {}
    except RecursionError:
        raw.problem(name, "", "", "not valid TOML here: its tables or lists are nested too deeply")
        return {}


def take(raw: Raw, name: str, where: str, table: object, spec: dict[str, tuple[bool, Parser]],
         listfields=()) -> dict:
    """Check one TOML table against a spec of (required, parser) per key; return parsed values."""
    rec = {"_row": where}
    if not isinstance(table, dict):
        raw.problem(name, where, "", "expected a table of keys and values")
        table = {}
    for key, (required, parse) in spec.items():
        v = table.get(key)
        if key in listfields:
            ok = isinstance(v, list) and all(isinstance(x, str) for x in v)
            if v is None:
                v = []
            elif not ok:
                raw.problem(name, where, key, "expected a list of strings, like [\"a\", \"b\"]")
                v = []
            if required and not v:
                raw.problem(name, where, key, "is empty; at least one value is required")
            rec[key] = v
            continue
        if isinstance(v, date):
            v = v.isoformat()
        if v is None or v == "":
            if required:
                raw.problem(name, where, key, "is missing; a value is required")
            rec[key] = None if parse is iso_date else ""
            continue
        if not isinstance(v, str):
            raw.problem(name, where, key, f"expected text in double quotes, got {v!r}")
            rec[key] = None if parse is iso_date else ""
            continue
        rec[key], err = parse(v.strip())
        if err:
            raw.problem(name, where, key, err)
    for key in table:
        if key not in spec:
            raw.problem(name, where, key, f"unknown key; the keys are {', '.join(spec)}")
    return rec


def entries(raw: Raw, name: str, doc: dict, key: str) -> list:
    items = doc.get(key, [])
    if not isinstance(items, list):
        raw.problem(name, f"[[{key}]]", "", f"expected an array of tables written [[{key}]]")
        return []
    return items


def where_of(key: str, i: int, item) -> str:
    ident_ = item.get("id") if isinstance(item, dict) else None
    return f"[[{key}]] {i}" + (f" (id {ident_!r})" if isinstance(ident_, str) else "")


# ---- the files ---------------------------------------------------------------------------------

REQ, OPT = True, False
COLUMN = "column"  # the column must be there; its cells may be empty
CASE_SPEC = {
    "id": (REQ, ident), "title": (REQ, text), "outlet": (REQ, text), "section": (OPT, text),
    "address": (REQ, address), "published": (OPT, iso_date), "published_note": (OPT, text),
    "author": (OPT, text), "summary": (REQ, text), "licence": (REQ, text),
    "period_start": (REQ, iso_date), "period_end": (REQ, iso_date),
}
CODEBOOK_SPEC = {"events": (REQ, text), "events_version": (REQ, text), "events_retrieved": (REQ, text)}
SOURCE_SPEC = {
    "id": (REQ, ident), "kind": (REQ, text), "level": (REQ, one_of(LEVELS)),
    "sourcing": (REQ, one_of(SOURCINGS)), "speaker": (REQ, text), "outlet": (REQ, text),
    "date": (REQ, iso_date), "time": (OPT, hhmm), "utc_offset": (OPT, offset),
    "address": (REQ, address), "via": (OPT, text), "excerpt": (REQ, text), "note": (OPT, text),
}
CLAIM_SPEC = {  # a claim is the article's (sentence) or another party's (speaker + statement or source)
    "id": (REQ, ident), "sentence": (OPT, text), "speaker": (OPT, text), "statement": (OPT, text),
    "source": (OPT, text), "type": (REQ, one_of(CLAIM_TYPES)),
    "text": (REQ, text), "sources": (OPT, text), "verdict": (REQ, one_of(VERDICTS)),
    "rationale": (REQ, text), "facts_ref": (OPT, text),
}
QUOTE_SPEC = {
    "id": (REQ, ident), "sentence": (REQ, text), "text": (REQ, text),
    "kind": (REQ, one_of(QUOTE_KINDS)), "source": (OPT, text), "match": (OPT, one_of(QUOTE_MATCHES)),
    "note": (OPT, text), "status": (OPT, one_of(QUOTE_STATUSES)), "actual": (OPT, text),
}
EVENT_SPEC = {
    "id": (REQ, ident), "date": (REQ, iso_date), "time": (OPT, hhmm), "utc_offset": (OPT, offset),
    "actor": (REQ, text), "target": (REQ, text), "cameo": (REQ, text), "alternatives": (OPT, code_list),
    "coding_note": (OPT, text), "channel": (REQ, text), "summary": (REQ, text),
    "quote": (OPT, text), "source": (REQ, text), "attribution": (OPT, one_of(ATTRIBUTIONS)),
    "order": (OPT, order_in_day),
}
CODE_SPEC = {"code": (REQ, text), "label": (REQ, text), "goldstein": (REQ, number)}
TRIGGER_SPEC = {
    "id": (REQ, ident), "date": (REQ, iso_date), "time": (OPT, hhmm), "utc_offset": (OPT, offset),
    "label": (REQ, text), "source": (REQ, text),
}
LESSON_KEY = re.compile(r"^\d{2}[a-z]?$")


def read_lessons(raw: Raw) -> None:
    """lessons.toml, when the folder has one: `[lesson."04b"]` tables of the case-specific data lessons read."""
    if not (raw.folder / "lessons.toml").exists():
        return
    doc = read_toml(raw, "lessons.toml")
    for key in doc:
        if key != "lesson":
            raw.problem("lessons.toml", clip(key), "", "unknown table; expected only [lesson.\"NN\"] tables")
    tables = doc.get("lesson", {})
    if not isinstance(tables, dict):
        raw.problem("lessons.toml", "lesson", "", "expected tables like [lesson.\"04b\"]")
        return
    for key, table in tables.items():
        if not LESSON_KEY.match(key) or not isinstance(table, dict):
            raw.problem("lessons.toml", f"[lesson.{clip(key)}]", "", "expected a table named by a lesson's "
                        "number, like [lesson.\"04b\"]")
            continue
        raw.lessons[key] = table


def _actor_names(raw: Raw, where: str, value) -> dict:
    """An actor's `names`: a table of role = ["name", ...], the words that name one of its people in a
    statement's text and the role a speaker-blind item shows instead (case.mask_speakers)."""
    if not isinstance(value, dict) or not all(
            isinstance(k, str) and k.strip() and isinstance(v, list) and v and
            all(isinstance(x, str) and x.strip() for x in v) for k, v in value.items()):
        raw.problem("case.toml", where, "names", "expected a table of \"role\" = [\"name\", ...], like "
                    "names = { \"the Secretary of State\" = [\"Secretary Pompeo\", \"Pompeo\"] }")
        return {}
    return {k.strip(): [x.strip() for x in v] for k, v in value.items()}


def read_meta(raw: Raw) -> str:
    """Read case.toml into raw.meta; return the codebook file name it names."""
    doc = read_toml(raw, "case.toml")
    meta = raw.meta
    info = take(raw, "case.toml", "[case]", doc.get("case", {}), CASE_SPEC)
    books = take(raw, "case.toml", "[codebooks]", doc.get("codebooks", {}), CODEBOOK_SPEC)
    if doc and "case" not in doc:
        raw.problem("case.toml", "[case]", "", "the [case] table is missing")
    meta.info = {k: info[k] for k in CASE_SPEC}
    meta.info["events_codebook"] = books["events_version"]
    meta.info["events_codebook_retrieved"] = books["events_retrieved"]
    vocabulary = doc.get("vocabulary", {})
    if not isinstance(vocabulary, dict):
        raw.problem("case.toml", "[vocabulary]", "", "expected a table, like channels = [\"tweet\", ...]")
        vocabulary = {}
    for key in vocabulary:
        if key not in ("channels", "source_kinds"):
            raw.problem("case.toml", "[vocabulary]", clip(key), "unknown list; expected channels or source_kinds")
    for key in ("channels", "source_kinds"):
        words = vocabulary.get(key)
        if words is None:
            continue
        if not (isinstance(words, list) and words and all(isinstance(w, str) and IDENT.match(w) for w in words)):
            raw.problem("case.toml", "[vocabulary]", key, "expected a list of words like [\"speech\", \"vote\"]")
        else:
            setattr(meta, key, tuple(words))
    for key, spec in (("government", {"id": (REQ, ident), "name": (REQ, text)}),
                      ("target", {"id": (REQ, ident), "name": (REQ, text), "kind": (REQ, text)}),
                      ("actor", {"id": (REQ, ident), "name": (REQ, text), "government": (REQ, text)})):
        items = []
        for i, t in enumerate(entries(raw, "case.toml", doc, key), 1):
            where = where_of(key, i, t)
            rest = {k: v for k, v in t.items() if k != "names"} if isinstance(t, dict) else t
            item = take(raw, "case.toml", where, rest, spec)
            if key == "actor":
                item["names"] = _actor_names(raw, where, t.get("names", {}) if isinstance(t, dict) else {})
            items.append(item)
        duplicates(raw, "case.toml", items)
        setattr(meta, key + "s", items)
    dims = []
    for i, t in enumerate(entries(raw, "case.toml", doc, "dimension"), 1):
        where = where_of("dimension", i, t)
        spec = {"id": (REQ, ident), "name": (REQ, text), "level": (REQ, one_of(DIMENSION_LEVELS)),
                "values": (REQ, text), "description": (OPT, text), "anchors": (OPT, text)}
        rest = {k: v for k, v in t.items() if k != "anchors"} if isinstance(t, dict) else t
        d = take(raw, "case.toml", where, rest, spec, listfields=("values",))
        anchors = t.get("anchors", {}) if isinstance(t, dict) else {}
        if not isinstance(anchors, dict):
            raw.problem("case.toml", where, "anchors", "expected a table of value = \"example\"")
            anchors = {}
        for value in anchors:
            if value not in d["values"]:
                raw.problem("case.toml", where, "anchors", f"anchor for {value!r}, which is not one "
                            f"of the values {', '.join(d['values'])}")
        if len(set(d["values"])) != len(d["values"]):
            raw.problem("case.toml", where, "values", "each value may appear only once")
        d["anchors"] = {k: str(v) for k, v in anchors.items()}
        dims.append(d)
    duplicates(raw, "case.toml", dims)
    meta.dimensions = dims
    return books["events"]


def duplicates(raw: Raw, name: str, items: list[dict]) -> None:
    seen = {}
    for it in items:
        if it.get("id"):
            if it["id"] in seen:
                raw.problem(name, it["_row"], "id", f"duplicate id {it['id']!r} (first used in {seen[it['id']]})")
            seen.setdefault(it["id"], it["_row"])


SENTENCE_LINE = re.compile(r"^\[(p(\d+)\.s(\d+))\]\s+(\S.*)$")


def read_article(raw: Raw) -> None:
    content = read_text(raw, "article.md")
    if content is None:
        return
    lines = content.split("\n")
    paragraph, sentence, in_paragraph = 0, 0, False
    for n, line in enumerate(lines, 1):
        line = line.rstrip()
        if not raw.title and not raw.sentences:
            if not line:
                continue
            if line.startswith("# "):
                raw.title = line[2:].strip()
                continue
            raw.problem("article.md", f"line {n}", "", "expected the headline first, as a line "
                        "starting '# '")
            raw.title = "?"
        if not line:
            in_paragraph = False
            continue
        m = SENTENCE_LINE.match(line)
        if not m:
            raw.problem("article.md", f"line {n}", "", "expected a sentence line starting with its id "
                        "in square brackets, like '[p<paragraph>.s<sentence>] The sentence ...'")
            continue
        if not in_paragraph:
            paragraph, sentence, in_paragraph = paragraph + 1, 0, True
        sentence += 1
        expected = f"p{paragraph}.s{sentence}"
        if m.group(1) != expected:
            raw.problem("article.md", f"line {n}", "", f"sentence id [{m.group(1)}] out of order; "
                        f"expected [{expected}] (ids count paragraphs and sentences from 1; a blank "
                        "line starts a paragraph)")
        raw.sentences.append(RawSentence(m.group(1), paragraph, m.group(4), n))
        if m.group(4).count("“") != m.group(4).count("”"):
            raw.problem("article.md", f"line {n}", "", "unbalanced quotation marks: every “ needs a ”")
    if not raw.sentences:
        raw.problem("article.md", "", "", "no sentences found; expected lines like '[p<paragraph>.s<sentence>] ...'")


def read_claims(raw: Raw) -> None:
    doc = read_toml(raw, "claims.toml")
    for key, spec, out in (("claim", CLAIM_SPEC, raw.claims), ("quote", QUOTE_SPEC, raw.quotes)):
        for i, t in enumerate(entries(raw, "claims.toml", doc, key), 1):
            out.append(take(raw, "claims.toml", where_of(key, i, t), t, spec,
                            listfields=("sources",) if key == "claim" else ()))
        duplicates(raw, "claims.toml", out)
    for q in raw.quotes:
        q["match"] = q["match"] or "exact"


def read_all(folder: Path) -> Raw:
    raw = Raw(folder)
    codebook_file = read_meta(raw)
    read_article(raw)
    raw.sources = read_csv(raw, "sources.csv", SOURCE_SPEC)
    read_claims(raw)
    raw.events = read_csv(raw, "events.csv", EVENT_SPEC)
    dim_spec = {d["id"]: (COLUMN, text) for d in raw.meta.dimensions if d["id"]}
    raw.statements = read_csv(raw, "statements.csv", {
        "id": (REQ, ident), "date": (REQ, iso_date), "speaker": (REQ, text), "source": (REQ, text),
        "text": (REQ, text), **dim_spec, "rationale": (REQ, text), "attribution": (OPT, one_of(ATTRIBUTIONS))})
    if codebook_file:
        raw.codebook_file = codebook_file
        raw.codebook = read_csv(raw, codebook_file, CODE_SPEC)
    if (folder / "triggers.csv").exists():
        raw.triggers = read_csv(raw, "triggers.csv", TRIGGER_SPEC)
    read_lessons(raw)
    return raw
