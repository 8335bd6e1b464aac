"""What ties the files of a case together, for `course_lib.case.records`: references between files,
quotations against the excerpts they quote, and dates against the case's period.

Each reader in `case.files` checks its own file; this module runs once everything is read. Two of
its rules serve the whole package, being the lowest place every user can import them from: the
"did you mean" hint for an unknown id (`did_you_mean`: the case's problems, record lookups, the memo
and `answer()`), and the matching of a quotation against its source (`find_span`, `quoted_how`: the
case's checks, the memo's and lesson 02a's `sourcing.align_quotes`).
"""

from __future__ import annotations

import re

from course_lib.case.files import Problem, Raw

QUOTED_SPAN = re.compile(r"“([^”]*)”")
STRAIGHT_SPAN = re.compile(r'(?<![\w"])"([^"\n]+)"')   # an article copy that prints straight quotes


def span_text(span: str) -> str:
    """A quoted span as recorded: without the closing punctuation the article put inside the quotes."""
    return span.strip().rstrip(".,;:!?").rstrip()


_TYPOGRAPHY = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "…": "...", "–": "-", "—": "-"})


def find_span(span: str, excerpt: str) -> tuple[int, int, str]:
    """Where `span` stands in `excerpt`: (start, end, how), how being 'exact', 'case-folded',
    'typography' (only quote marks or dashes differ) or 'not found' (start = end = -1).

    >>> find_span("no longer", "There is no longer a threat")
    (9, 18, 'exact')
    >>> find_span("nuclear threat", "no longer a Nuclear Threat")
    (12, 26, 'case-folded')
    >>> find_span("don't", "I don’t"), find_span("gone", "here")
    ((2, 7, 'typography'), (-1, -1, 'not found'))
    """
    for how, a, b in (("exact", span, excerpt),
                      ("case-folded", span.casefold(), excerpt.casefold()),
                      ("typography", span.translate(_TYPOGRAPHY).casefold(),
                       excerpt.translate(_TYPOGRAPHY).casefold())):
        at = b.find(a)
        if at >= 0 and len(a) == len(span) and len(b) == len(excerpt):
            return at, at + len(span), how
        if at >= 0:  # the translation changed lengths ("…" -> "..."): report the match, not offsets
            return -1, -1, how
    return -1, -1, "not found"


def quoted_how(words: str, excerpt: str) -> str:
    """How quoted `words` stand in `excerpt` (find_span's how), the one rule for every quotation the
    package checks (the case's own, a memo's, lesson 02's): runs of spaces and line breaks read as one
    space, and the closing punctuation a writer puts inside quotation marks left out.

    >>> quoted_how("no longer a   nuclear threat.", "There is no longer a Nuclear Threat")
    'case-folded'
    >>> quoted_how("", "anything")
    'not found'
    """
    span = " ".join(span_text(words).split())
    return find_span(span, " ".join(excerpt.split()))[2] if span else "not found"


MAX_TIMEOUT = 30.0  # seconds a code item's hidden cases may run; a larger timeout would hang every check
HINT_BUDGET = 2_000_000  # ids compared while looking for "did you mean" hints; past it, problems come without


def cross_check(case, raw: Raw, p: list, warnings: list | None = None) -> None:
    """Check the case's files against each other, adding problems to `p` and, to `warnings`, what
    check-case reports without refusing the case."""
    warnings = [] if warnings is None else warnings
    f = raw.folder.name
    info = case.info
    budget = [HINT_BUDGET]
    ids = {name: getattr(case, name).ids for name in ("governments", "sources", "actors")}
    ids["sentences"] = case.article.sentences.ids

    def unknown_(value, what, known):  # linear in the problems found, however many there are
        budget[0] -= len(known)
        return unknown(value, what, known if budget[0] >= 0 else ())

    def problem(file, where, fld, message):
        p.append(Problem(f"{f}/{file}", where, fld, message))

    if info.period_start and info.period_end and info.period_start > info.period_end:
        problem("case.toml", "[case]", "period_end", "is before period_start")
    for a in raw.meta.actors:
        if a["government"] and a["government"] not in case.governments:
            problem("case.toml", a["_row"], "government", unknown_(a["government"], "government",
                                                                   ids["governments"]))
    for c in raw.codebook:
        if c["code"] and not re.fullmatch(r"\d{2,4}", c["code"]):
            problem(raw.codebook_file, c["_row"], "code", f"expected a CAMEO code of 2 to 4 digits "
                    f"(keep leading zeros, like 036), got {c['code']!r}")

    def source_ok(file, rec, fld, sid):
        if sid and sid not in case.sources:
            problem(file, rec["_row"], fld, unknown_(sid, "source", ids["sources"]))
            return False
        return bool(sid)

    def in_period(file, rec, d):
        if d and info.period_start and info.period_end and not info.period_start <= d <= info.period_end:
            problem(file, rec["_row"], "date", f"{d.isoformat()} lies outside the case's period "
                    f"{info.period_start.isoformat()} to {info.period_end.isoformat()} (case.toml)")

    def verbatim(file, rec, fld, words, sid, folded=False):
        if words and sid in case.sources:
            how = quoted_how(words, case.sources[sid].excerpt)
            if how != "exact" and not (folded and how == "case-folded"):
                problem(file, rec["_row"], fld, f"{shorten(words)!r} does not appear verbatim in the "
                        f"excerpt of source {sid!r}; quotations must match their source word for word")

    statements = {r["id"]: r for r in raw.statements}
    for c in raw.claims:
        _claim_origin(c, case, statements, problem, source_ok, verbatim)
        if c["sentence"] and c["sentence"] not in case.article.sentences:
            problem("claims.toml", c["_row"], "sentence", unknown_(c["sentence"], "sentence",
                                                                   ids["sentences"]))
        for sid in c["sources"]:
            source_ok("claims.toml", c, "sources", sid)
        if c["type"] == "opinion" and c["verdict"] not in ("", "not-checkable"):
            problem("claims.toml", c["_row"], "verdict", "an opinion takes the verdict not-checkable")
        if c["verdict"] == "not-checkable" and c["type"] not in ("opinion", "mixed"):
            problem("claims.toml", c["_row"], "verdict", f"a {c['type']} claim is checkable; "
                    "not-checkable is for opinion or mixed claims")
        if c["type"] not in ("opinion", "") and not c["sources"]:
            problem("claims.toml", c["_row"], "sources", "a checkable claim needs at least one source")

    spans = {(s.id, span_text(m)) for s in case.article.sentences for m in QUOTED_SPAN.findall(s.text)}
    straight = {(s.id, span_text(m)) for s in case.article.sentences for m in STRAIGHT_SPAN.findall(s.text)}
    recorded = set()
    for q in raw.quotes:
        sent = case.article.sentences.get(q["sentence"])
        if q["sentence"] and sent is None:
            problem("claims.toml", q["_row"], "sentence", unknown_(q["sentence"], "sentence",
                                                                   ids["sentences"]))
        elif sent and (q["sentence"], q["text"]) not in spans | straight:
            problem("claims.toml", q["_row"], "text", f"{shorten(q['text'])!r} is not a quoted span "
                    f"of sentence {q['sentence']} (write it as printed inside “ ”, without the closing "
                    "punctuation)")
        recorded.add((q["sentence"], q["text"]))
        status = q["status"] or "verbatim"
        if q["actual"] and status != "misquoted":
            problem("claims.toml", q["_row"], "actual", "only a misquoted quotation (status = \"misquoted\") "
                    "records the source's actual words")
        if q["kind"] == "quotation" and status == "not-found":
            if not q["note"]:
                problem("claims.toml", q["_row"], "note", "a quotation not found in any source needs a note "
                        "saying where it was looked for")
            if q["source"]:
                source_ok("claims.toml", q, "source", q["source"])
        elif q["kind"] == "quotation":
            if not q["source"]:
                problem("claims.toml", q["_row"], "source", "a quotation needs the id of the source it quotes")
            source_ok("claims.toml", q, "source", q["source"])
            if status == "misquoted":
                if not q["actual"]:
                    problem("claims.toml", q["_row"], "actual", "a misquoted quotation needs the source's "
                            "actual words (actual = \"...\"), as they appear in its excerpt")
                verbatim("claims.toml", q, "actual", q["actual"], q["source"])
                if q["source"] in case.sources and quoted_how(q["text"], case.sources[q["source"]].excerpt) \
                        in ("exact", "case-folded"):
                    problem("claims.toml", q["_row"], "status", "the article's words appear verbatim in the "
                            "source's excerpt, so the quotation is not misquoted")
            else:
                verbatim("claims.toml", q, "text", q["text"], q["source"], folded=q["match"] == "case-folded")
        elif q["kind"] == "scare-quote" and q["source"]:
            problem("claims.toml", q["_row"], "source", "a scare quote is the article's own word and "
                    "quotes no source; leave source empty or make it a quotation")
    for sid, span in sorted(spans - recorded):
        problem("claims.toml", "[[quote]]", "", f"the article's sentence {sid} quotes {shorten(span)!r} "
                "but no [[quote]] records it (as a quotation with its source, or a scare-quote)")
    for sid, span in sorted(straight - recorded - spans):
        warnings.append(f"{f}/article.md: sentence {sid} has {shorten(span)!r} in straight quotes but no [[quote]] "
                        "records it: if it is a quotation, record it in claims.toml (straight quotes are not "
                        "checked otherwise)")
    targets = set(case.targets.ids)
    for s in raw.sources:
        if s["kind"] and s["kind"] not in case.source_kinds:
            problem("sources.csv", s["_row"], "kind", f"expected one of {', '.join(case.source_kinds)} "
                    f"([vocabulary] source_kinds in case.toml), got {shorten(s['kind'])!r}")
    for t in raw.meta.targets:
        if t["id"] in case.governments or t["id"] in case.actors:
            problem("case.toml", t["_row"], "id", f"{t['id']!r} is already a government or actor id")
    day_orders: dict = {}

    for e in raw.events:
        if e["actor"] and e["actor"] not in case.actors:
            problem("events.csv", e["_row"], "actor", unknown_(e["actor"], "actor", ids["actors"]))
        if e["target"] and e["target"] not in case.governments and e["target"] not in case.actors \
                and e["target"] not in targets:
            problem("events.csv", e["_row"], "target", unknown_(
                e["target"], "government, actor or target", (*ids["governments"], *ids["actors"], *sorted(targets))))
        if e["channel"] and e["channel"] not in case.channels:
            problem("events.csv", e["_row"], "channel", f"expected one of {', '.join(case.channels)} "
                    f"([vocabulary] channels in case.toml), got {shorten(e['channel'])!r}")
        if e.get("attribution") == "contested" and not e["coding_note"]:
            problem("events.csv", e["_row"], "coding_note", "a contested attribution needs a coding note saying "
                    "who disputes it and why")
        if e.get("order"):
            key = (e["date"], e["order"])
            if key in day_orders:
                problem("events.csv", e["_row"], "order", f"{e['order']} is already the order of "
                        f"{day_orders[key]} on the same day")
            day_orders.setdefault(key, e["id"])
        for fld, codes in (("cameo", (e["cameo"],) if e["cameo"] else ()), ("alternatives", e["alternatives"])):
            for code in codes:
                if code not in case.codebook:
                    problem("events.csv", e["_row"], fld, f"CAMEO code {code!r} is not in the pinned "
                            f"table {raw.codebook_file} (keep leading zeros, like 036)")
        if e["cameo"] and e["cameo"] in e["alternatives"]:
            problem("events.csv", e["_row"], "alternatives", "repeats the reference code")
        source_ok("events.csv", e, "source", e["source"])
        verbatim("events.csv", e, "quote", e["quote"], e["source"])
        in_period("events.csv", e, e["date"])
        if e["time"] and not e["utc_offset"]:
            problem("events.csv", e["_row"], "utc_offset", "a time needs its UTC offset, like -04:00")
    for s in raw.sources:
        if s["time"] and not s["utc_offset"]:
            problem("sources.csv", s["_row"], "utc_offset", "a time needs its UTC offset, like -04:00")
    for s in raw.statements:
        if s["speaker"] and s["speaker"] not in case.actors:
            problem("statements.csv", s["_row"], "speaker", unknown_(s["speaker"], "actor", ids["actors"]))
        source_ok("statements.csv", s, "source", s["source"])
        if s.get("attribution") == "contested" and not s["rationale"]:
            problem("statements.csv", s["_row"], "rationale", "a contested attribution needs a rationale")
        verbatim("statements.csv", s, "text", s["text"], s["source"])
        in_period("statements.csv", s, s["date"])
        for d in case.dimensions:
            v = s.get(d.id, "")
            if v and v not in d.values:
                problem("statements.csv", s["_row"], d.id, f"expected one of {', '.join(d.values)} "
                        f"(or empty where {d.id} does not apply); got {v!r}")
        if case.dimensions and not any(s.get(d.id) for d in case.dimensions):
            problem("statements.csv", s["_row"], "", "no dimension is coded; code at least one")
    for t in raw.triggers:
        source_ok("triggers.csv", t, "source", t["source"])
        in_period("triggers.csv", t, t["date"])
        if t["time"] and not t["utc_offset"]:
            problem("triggers.csv", t["_row"], "utc_offset", "a time needs its UTC offset, like -04:00")
    _lesson_ids(case, raw, problem, unknown_)
    for x in case.exercises:
        if x.timeout > MAX_TIMEOUT:
            problem(raw.exercise_files.get(x.id, "exercises.toml"), f"[[exercise]] (id {x.id!r})", "timeout",
                    f"at most {MAX_TIMEOUT:g} seconds, or every check of this item waits that long; got {x.timeout:g}")


# lessons.toml: a key's name says what kind of id its value holds (cases/README.md)
_ID_KINDS = {"event": "events", "statement": "statements", "source": "sources", "card": "sources",
             "claim": "claims", "actor": "actors", "government": "governments", "sentence": "sentences",
             "dimension": "dimensions", "item": "exercises", "trigger": "triggers"}


def _id_kind(key: str) -> str | None:
    word = key.rsplit("_", 1)[-1]
    word = word[:-1] if word.endswith("s") else word
    return _ID_KINDS.get(word)


def _lesson_ids(case, raw: Raw, problem, unknown_) -> None:
    """Every id lessons.toml names, by its key's name (`events`, `pivotal_events`, `card`...), must exist."""
    known = {kind: (case.article.sentences.ids if kind == "sentences" else getattr(case, kind).ids)
             for kind in set(_ID_KINDS.values())}

    def walk(value, where, key):
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, f"{where}.{k}", k)
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            for i, v in enumerate(value, 1):
                walk(v, f"{where}[{i}]", key)
        else:
            kind = _id_kind(key) if key else None
            if kind is None:
                return
            for v in value if isinstance(value, list) else [value]:
                if not isinstance(v, str):
                    problem("lessons.toml", where, key, f"expected {kind[:-1]} ids (strings), got {v!r}")
                elif v not in known[kind]:
                    problem("lessons.toml", where, key, unknown_(v, kind[:-1], known[kind]))

    for lesson, table in raw.lessons.items():
        walk(table, f'[lesson."{lesson}"]', "")


def _claim_origin(c, case, statements, problem, source_ok, verbatim) -> None:
    """Whose claim it is: the article's (a sentence) or an actor's (a speaker, and the statement or
    source card holding the words, which must appear there verbatim and cannot be its own evidence)."""
    row = c["_row"]
    if not c["sentence"] and not c["speaker"]:
        problem("claims.toml", row, "sentence", "a claim needs either sentence (a sentence id of the "
                "article) or speaker (an actor id from case.toml, for a claim made by another party)")
        return
    if c["sentence"]:
        for fld in ("speaker", "statement", "source"):
            if c[fld]:
                problem("claims.toml", row, fld, f"the article's claims (sentence = {c['sentence']!r}) "
                        f"take no {fld}; a claim is either the article's or a speaker's, not both")
        return
    if c["speaker"] not in case.actors:
        problem("claims.toml", row, "speaker", unknown(c["speaker"], "actor", case.actors.ids))
    if bool(c["statement"]) == bool(c["source"]):
        problem("claims.toml", row, "statement", "a speaker's claim needs exactly one of statement (a "
                "statements.csv id) or source (the source card holding the words)")
        return
    card = c["source"]
    if c["statement"]:
        st = statements.get(c["statement"])
        if st is None:
            if statements:  # no statements at all: statements.csv is missing or broken, reported there
                problem("claims.toml", row, "statement", unknown(c["statement"], "statement", list(statements)))
            return
        card = st["source"]
        if st["speaker"] != c["speaker"]:
            problem("claims.toml", row, "speaker", f"{c['speaker']!r} does not match the speaker "
                    f"{st['speaker']!r} of statement {c['statement']!r}")
    elif not source_ok("claims.toml", c, "source", card):
        return
    verbatim("claims.toml", c, "text", c["text"], card)
    if c["type"] != "opinion" and not [s for s in c["sources"] if s != card]:
        problem("claims.toml", row, "sources", f"a claim cannot be its own evidence: name at least one "
                f"source card besides {card!r}, where the words were said")


def did_you_mean(value, known, *, sentence: bool = False) -> str:
    """The "did you mean" hint every unknown id gets: up to three known ids that contain `value` or
    that it contains, case-insensitively, or "" when there is none (or `value` is not a string).
    A problem line takes it as a clause, a note to the student (`sentence=True`) as a sentence.

    >>> did_you_mean("trump-tweet", ["trump-tweet-2018-08-24a", "cnn-report", "trump-tweet-2018-06-13"])
    "; did you mean 'trump-tweet-2018-08-24a', 'trump-tweet-2018-06-13'?"
    >>> did_you_mean("L1-CLASSIFY-EXTRA", ["l1-classify"], sentence=True)
    " Did you mean 'l1-classify'?"
    >>> did_you_mean("zzz", ["l1-classify"]), did_you_mean(None, ["l1-classify"])
    ('', '')
    """
    if not isinstance(value, str) or not value:
        return ""
    v = value.casefold()
    close = [k for k in known if v in k.casefold() or k.casefold() in v][:3]
    if not close:
        return ""
    return f"{' Did' if sentence else '; did'} you mean {', '.join(map(repr, close))}?"


def unknown(value: str, what: str, known) -> str:
    """The problem "no <what> with id <value>", with up to three close ids as a hint."""
    return f"no {what} with id {value!r}{did_you_mean(value, known)}"


def shorten(s: str, n: int = 60) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"
