"""Source-checking: claims joined to their sources, quotes found in their sources (with `find_span`, the
matcher the case's own checks use, from course_lib.case.crosscheck), paraphrase drift, and ClaimReview
records of a verdict (schema.org's data model) with a validator whose messages name the field.

Pure functions on the case's records (standard library only), so the lessons
and the tests call the same code. The verdicts in a case are the package's own readings; a record
this module builds carries whatever verdict and reviewer it is given, and the validator refuses a
fact-checking organisation's name as the reviewer.

    >>> drift = compare("not to go, at this time", "to not go")
    >>> [str(f) for f in drift.flags]
    ['time qualifier dropped: at this time']
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date

from course_lib.case.files import CLAIM_TYPES, VERDICTS
from course_lib.case.crosscheck import find_span

__all__ = [
    "CATEGORIES", "Change", "ClaimGrid", "ClaimPoint", "Drift", "FieldProblem", "Flag", "QuoteMatch",
    "RATING_SCALE", "ReviewCheck", "SentenceClaims", "TYPE_ORDER", "align_quotes", "by_sentence",
    "check_claim_review", "claim_grid", "claim_review", "compare", "compare_pairs", "drift_reading", "faulty_review",
    "paraphrase_pairs", "reference_reading", "review_of",
    "standing", "text_of",
]

# ---- claims and sources, joined by sentence id -----------------------------------------------------


@dataclass(frozen=True)
class SentenceClaims:
    """One sentence of the article with the claims made in it and the source cards they rest on."""

    sentence: object            # case.Sentence
    claims: tuple               # case.Claim, in claims.toml order
    sources: tuple              # case.Source, each once, in the order the claims name them

    @property
    def types(self) -> tuple[str, ...]:
        """The claim types of the sentence, each once (empty for a sentence without claims)."""
        return tuple(dict.fromkeys(c.type for c in self.claims))


def by_sentence(case) -> tuple[SentenceClaims, ...]:
    """Every sentence of the article in reading order, with its claims and their source cards."""
    out = []
    for sentence in case.article.sentences:
        claims = tuple(c for c in case.claims if c.sentence == sentence.id)
        ids = dict.fromkeys(s for c in claims for s in c.sources)
        out.append(SentenceClaims(sentence, claims, tuple(case.sources[s] for s in ids)))
    return tuple(out)


def standing(card) -> str:
    """How far a card can be trusted as evidence of who said what: 'primary' (the words or act
    itself), 'anonymous' (a report resting on unnamed sources) or 'secondary' (a report on record)."""
    if card.level == "primary":
        return "primary"
    return "anonymous" if card.sourcing == "anonymous" else "secondary"


@dataclass(frozen=True)
class ClaimPoint:
    """One claim placed on a sentence-by-category grid: row y is its sentence, column x its category."""

    claim: str
    sentence: str
    type: str
    verdict: str
    x: float
    y: int
    side: str = "right"         # where its label goes, so labels of claims sharing a cell do not collide


@dataclass(frozen=True)
class ClaimGrid:
    """The article's claims laid out for a figure: a row per sentence, a column per type or verdict."""

    rows: tuple[str, ...]       # sentence ids, in reading order
    columns: tuple[str, ...]    # claim types or verdicts, in a reading order
    points: tuple[ClaimPoint, ...]
    breaks: tuple[float, ...]   # y positions between paragraphs

    def table(self) -> list[tuple[str, str]]:
        """(sentence, its claims as "id: category") rows: the figure's text twin."""
        by_row = {r: [] for r in self.rows}
        for p in self.points:
            by_row[p.sentence].append(f"{p.claim}: {self.columns[round(p.x)]}")
        return [(r, "; ".join(claims) or "no claim") for r, claims in by_row.items()]


#: The claim types in the order of the claim grid's columns: opinion last, beside the verdicts that take no number.
TYPE_ORDER = tuple(sorted(CLAIM_TYPES, key=lambda t: t == "opinion"))


def claim_grid(case, by: str = "type") -> ClaimGrid:
    """Lay out every claim of the article by sentence and by its type (by="type") or its reference
    verdict (by="verdict"); claims sharing a cell are spread sideways, labelled on the outer sides."""
    if by not in ("type", "verdict"):
        raise ValueError(f"by must be 'type' or 'verdict', not {by!r}")
    used = {c.verdict for c in case.claims}
    order = TYPE_ORDER if by == "type" else tuple(v for v in VERDICTS if v != "unverified" or v in used)
    rows = tuple(s.id for s in case.article.sentences)
    cells: dict[tuple[int, int], list] = {}
    for c in case.claims:
        cells.setdefault((rows.index(c.sentence), order.index(getattr(c, by))), []).append(c)
    points = []
    for (y, x), claims in sorted(cells.items()):
        k = len(claims)
        for n, c in enumerate(claims):
            side = "left" if k > 1 and n < k / 2 - 0.25 else "right"
            points.append(ClaimPoint(c.id, c.sentence, c.type, c.verdict, x + 0.3 * (n - (k - 1) / 2), y, side))
    paragraph = [s.paragraph for s in case.article.sentences]
    breaks = tuple(i - 0.5 for i in range(1, len(rows)) if paragraph[i] != paragraph[i - 1])
    return ClaimGrid(rows, order, tuple(points), breaks)


# ---- quotations found in their sources (find_span is the matcher the case's own checks use) ---------


@dataclass(frozen=True)
class QuoteMatch:
    """A quoted span of the article found (or not) in the excerpt of the source it quotes."""

    quote: str        # quote id in claims.toml
    sentence: str
    text: str
    source: str       # source id ("" for a scare quote)
    how: str          # exact, case-folded, typography, not found, or no source (a scare quote)
    before: str       # the source's words just before the span: what the article left out
    after: str        # the source's words just after it

    def __str__(self) -> str:
        if self.how == "no source":
            return f"{self.quote} ({self.sentence}) “{self.text}”: the article's own word; it quotes no source."
        if self.how == "not found":
            return f"{self.quote} ({self.sentence}) “{self.text}”: not found in {self.source}."
        after = self.after if self.after[:1] in ".,;:!?" else " " + self.after
        return (f"{self.quote} ({self.sentence}) found in {self.source} ({self.how}):\n"
                f"  … {self.before} [{self.text}]{after} …")


def align_quotes(case, words: int = 12) -> tuple[QuoteMatch, ...]:
    """Find each quoted span of the article in its source card's excerpt, with up to `words` words
    of the source on either side, so what the quotation leaves out can be read beside it."""
    out = []
    for q in case.quotes:
        if not q.source:
            out.append(QuoteMatch(q.id, q.sentence, q.text, "", "no source", "", ""))
            continue
        excerpt = case.sources[q.source].excerpt
        start, end, how = find_span(q.text, excerpt)
        before = " ".join(excerpt[:start].split()[-words:]) if start >= 0 else ""
        after = " ".join(excerpt[end:].split()[:words]) if start >= 0 else ""
        out.append(QuoteMatch(q.id, q.sentence, q.text, q.source, how, before, after))
    return tuple(out)


# ---- paraphrase drift: a word-level comparison -------------------------------------------------------

_WORD = re.compile(r"(?:\w\.){2,}|\w+(?:['’-]\w+)*")
CATEGORIES = {"negation": "negation", "modal": "modal verb", "time": "time qualifier",
              "hedge": "hedge", "condition": "condition", "person": "pronoun"}
_PHRASES = {
    "time": ("at this time", "in the near future", "in the meantime", "for a while", "for now",
             "this week", "next week", "next month"),
    "hedge": ("most likely", "i think", "i feel", "i believe", "we feel", "we think", "do not believe"),
}
_SINGLE = {
    "negation": {"not", "no", "never", "nor", "none", "nothing", "without", "cannot"},
    "modal": {"will", "would", "shall", "should", "can", "could", "may", "might", "must"},
    "time": {"now", "soon", "today", "later", "yet", "still", "already", "currently", "meantime",
             "eventually", "temporarily", "indefinitely", "earlier"},
    "hedge": {"likely", "probably", "perhaps", "possibly", "maybe", "seem", "seems", "appear",
              "appears", "think", "feel", "believe", "suggest", "suggests"},
    "condition": {"if", "unless", "until", "after", "once", "only", "hinged", "hinge", "hinges",
                  "depends", "depend", "provided"},
    "person": {"i", "we", "they", "he", "she", "you", "me", "us", "them", "him", "her", "our", "their", "his",
               "my", "your"},
}


@dataclass(frozen=True)
class Change:
    """One run of words that differs: 'dropped' from the source, 'added' by the paraphrase, or 'changed'."""

    kind: str
    source_words: tuple[str, ...]
    paraphrase_words: tuple[str, ...]

    def __str__(self) -> str:
        old, new = " ".join(self.source_words), " ".join(self.paraphrase_words)
        return {"dropped": f"dropped: {old}", "added": f"added: {new}"}.get(self.kind, f"changed: {old} → {new}")


@dataclass(frozen=True)
class Flag:
    """A change in a word class that often shifts meaning: a negation, modal verb, time qualifier,
    hedge or condition added, dropped or changed, or one pronoun swapped for another."""

    category: str               # a key of CATEGORIES
    change: str                 # added, dropped or changed
    source_words: str
    paraphrase_words: str

    def __str__(self) -> str:
        name = CATEGORIES[self.category]
        if self.change == "changed":
            return f"{name} changed: {self.source_words} → {self.paraphrase_words}"
        return f"{name} {self.change}: {self.source_words or self.paraphrase_words}"


@dataclass(frozen=True)
class Drift:
    """A paraphrase set against its source, word by word (case and punctuation ignored)."""

    source: str
    paraphrase: str
    kept: int                   # words of the source kept, in order
    changes: tuple[Change, ...]
    flags: tuple[Flag, ...]
    moved: tuple[Flag, ...]     # flagged words dropped in one place and added in another

    @property
    def dropped(self) -> int:
        """How many of the source's words the paraphrase dropped or replaced."""
        return sum(len(c.source_words) for c in self.changes)

    @property
    def added(self) -> int:
        """How many words the paraphrase added or put in place of the source's."""
        return sum(len(c.paraphrase_words) for c in self.changes)

    @property
    def marked(self) -> str:
        """The comparison as one line: [-dropped-] and {+added+} words, the rest as in the source."""
        src, para = _words(self.source), _words(self.paraphrase)
        out = []
        for op, i1, i2, j1, j2 in _matcher(src, para).get_opcodes():
            if op == "equal":
                out += src[i1:i2]
            if op in ("delete", "replace"):
                out.append("[-" + " ".join(src[i1:i2]) + "-]")
            if op in ("insert", "replace"):
                out.append("{+" + " ".join(para[j1:j2]) + "+}")
        return " ".join(out)

    def __str__(self) -> str:
        flags = "; ".join(map(str, self.flags)) or "none"
        return (f"Source:     {self.source}\nParaphrase: {self.paraphrase}\nMarked:     {self.marked}\n"
                f"Flags:      {flags}")

    __repr__ = __str__


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _matcher(a: list[str], b: list[str]) -> difflib.SequenceMatcher:
    return difflib.SequenceMatcher(None, [w.casefold() for w in a], [w.casefold() for w in b], autojunk=False)


def _flagged(words: list[str]) -> dict[str, list[str]]:
    """Category -> flagged words or phrases in a run of words (phrases first, then single words)."""
    low = [w.casefold().replace("’", "'") for w in words]
    used, found = set(), {}
    for category, phrases in _PHRASES.items():
        for phrase in phrases:
            p = phrase.split()
            for i in range(len(low) - len(p) + 1):
                if low[i:i + len(p)] == p and not used & set(range(i, i + len(p))):
                    used |= set(range(i, i + len(p)))
                    found.setdefault(category, []).append(" ".join(words[i:i + len(p)]))
    for i, w in enumerate(low):
        if i in used:
            continue
        for category, vocabulary in _SINGLE.items():
            if w in vocabulary or (category == "negation" and w.endswith("n't")):
                found.setdefault(category, []).append(words[i])
                break
    return found


def compare(source: str, paraphrase: str) -> Drift:
    """Compare a paraphrase with its source word by word: what was dropped, added or changed, with
    negations, modal verbs, time qualifiers, hedges, conditions and swapped pronouns flagged. A flagged
    word dropped in one place and added in another ("we will not go" / "not: we will go") counts as
    moved, not as a shift. Flags point where to look; they are not verdicts."""
    src, para = _words(source), _words(paraphrase)
    changes, flags, kept = [], [], 0
    for op, i1, i2, j1, j2 in _matcher(src, para).get_opcodes():
        if op == "equal":
            kept += i2 - i1
            continue
        kind = {"delete": "dropped", "insert": "added", "replace": "changed"}[op]
        changes.append(Change(kind, tuple(src[i1:i2]), tuple(para[j1:j2])))
        old, new = _flagged(src[i1:i2]), _flagged(para[j1:j2])
        for category in CATEGORIES:
            a, b = " ".join(old.get(category, [])), " ".join(new.get(category, []))
            if a and b:
                flags.append(Flag(category, "changed", a, b))
            elif (a or b) and category != "person":  # a pronoun matters when it is swapped for another
                flags.append(Flag(category, "dropped" if a else "added", a, b))
    moved = []
    for f in list(flags):
        twin = next((g for g in flags if g is not f and g.category == f.category and {f.change, g.change} ==
                     {"dropped", "added"} and f.source_words.casefold() == g.paraphrase_words.casefold()), None)
        if f.change == "dropped" and twin is not None:
            flags.remove(f)
            flags.remove(twin)
            moved.append(f)
    return Drift(source, paraphrase, kept, tuple(changes), tuple(flags), tuple(moved))


def text_of(case, where: str) -> str:
    """The text that `where` names: a sentence of the article (by its id, "p2.s1") or the excerpt of a
    source card (by its id)."""
    if where in case.article.sentences:
        return case.article.sentences[where].text
    if where in case.sources:
        return case.sources[where].excerpt
    raise KeyError(f"{where!r} is neither a sentence id of the article nor a source card id")


def compare_pairs(case, pairs, *, show: bool = True) -> dict[str, Drift]:
    """Compare each (label, source at, source words, paraphrase at, paraphrase words) pair with
    `compare`, after checking both passages stand in the sentence or card named (a passage not found
    raises ValueError). Prints each comparison (unless show=False); returns label -> Drift."""
    drifts = {}
    for label, source_at, source_words, para_at, para_words in pairs:
        found = []
        for at, words in ((source_at, source_words), (para_at, para_words)):
            how = find_span(words, text_of(case, at))[2]
            if how == "not found":
                raise ValueError(f"{label}: {words!r} is not in {at}")
            found.append(how)
        drifts[label] = compare(source_words, para_words)
        if show:
            print(f"{label}: {source_at} → {para_at} (found: {' and '.join(found)})")
            print(drifts[label], end="\n\n")
    return drifts


def paraphrase_pairs(case, *, more: bool = False, labels=None) -> list[tuple[str, str, str, str, str]]:
    """Lesson 02a's paraphrase pairs, case data of its lessons.toml (`[[lesson."02a".pairs]]`), as the
    (label, source at, source words, paraphrase at, paraphrase words) tuples `compare_pairs` reads: the
    first pairs, or with more=True those marked `more`; with `labels`, those pairs (of either kind) in that
    order. A case without them prints the placeholder naming what to add and gives no pairs."""
    data = case.lesson_data("02a")
    if "pairs" not in data:
        print(data.placeholder("pairs"))
        return []
    pairs = {p["label"]: (p["label"], p["source"], p["words"], p.get("sentence") or p["paraphrase_source"],
                          p["paraphrase"]) for p in data["pairs"] if labels is not None or p.get("more", False) == more}
    if labels is None:
        return list(pairs.values())
    missing = [label for label in labels if label not in pairs]
    if missing:
        print(f"[Placeholder] This case ({case.info.id}) has no paraphrase pair {', '.join(missing)} "
              "in its lessons.toml.")
    return [pairs[label] for label in labels if label in pairs]


def faulty_review(case) -> dict | None:
    """Lesson 02b's draft ClaimReview with mistakes in it for `check_claim_review` to find: `review_of`'s
    arguments (`claim` and the keywords) and a `rating_value` put in by hand, from lessons.toml
    `[lesson."02b".faulty_review]`. A case without it prints the placeholder naming it and gives None."""
    data = case.lesson_data("02b")
    if "faulty_review" not in data:
        print(data.placeholder("faulty_review"))
        return None
    fields = dict(data["faulty_review"])
    rating, claim = fields.pop("rating_value", None), fields.pop("claim")
    draft = review_of(case, claim, **fields)
    if rating is not None:
        draft["reviewRating"]["ratingValue"] = rating
    return draft


def drift_reading(case, drifts) -> str:
    """Lesson 02a's reading of the drift chart (lessons.toml `drift_reading`, its `{kept[label]}` filled in
    from `drifts`), or the placeholder naming what is missing."""
    data = case.lesson_data("02a")
    if "drift_reading" not in data:
        return data.placeholder("drift_reading")
    kept = {label: d.kept for label, d in drifts.items()}
    # Only `{kept[label]}` is filled in: the text is a case folder's, so it is never given to str.format,
    # where a colleague's stray brace would raise and a width like {:>99999999} would build a huge string.
    named = re.findall(r"\{kept\[([^\]{}]*)\]\}", str(data["drift_reading"]))
    if any(label not in kept for label in named):
        return "[Placeholder] the drift reading names a pair not compared here."
    return re.sub(r"\{kept\[([^\]{}]*)\]\}", lambda m: str(kept[m.group(1)]), str(data["drift_reading"]))


# ---- ClaimReview records: a verdict on one claim in schema.org's data model (pedagogy.md 2.6) ---------

#: The package's own 1-5 scale for checkable verdicts; ambiguous, forecast and not-checkable take no number.
RATING_SCALE = {"accurate": 5, "missing-context": 4, "partly-supported": 3, "overstated": 3,
                "misleading": 2, "inaccurate": 1}
#: Names a student's or the package's review must not be published under (lower case, matched as parts of a name).
FACT_CHECKERS = ("politifact", "factcheck.org", "full fact", "snopes", "fact checker", "afp fact check",
                 "reuters fact check", "lead stories")


def claim_review(*, claim: str, claim_author: str, claim_date, first_appearance: str, verdict: str,
                 explanation: str, reviewer: str, review_date, url: str, claim_author_type: str = "Organization",
                 reviewer_type: str = "Organization", scale: dict | None = None) -> dict:
    """A schema.org ClaimReview record, as a dict ready for json.dumps; `verdict` becomes the
    rating's alternateName and, where `scale` (default RATING_SCALE) rates it, its ratingValue."""
    scale = RATING_SCALE if scale is None else scale
    rating = {"@type": "Rating", "alternateName": verdict, "ratingExplanation": explanation}
    if verdict in scale:
        rating.update(ratingValue=scale[verdict], bestRating=max(scale.values()), worstRating=min(scale.values()))
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": claim,
        "itemReviewed": {"@type": "Claim",
                         "author": {"@type": claim_author_type, "name": claim_author},
                         "datePublished": _iso(claim_date),
                         "firstAppearance": {"@type": "CreativeWork", "url": first_appearance}},
        "reviewRating": rating,
        "author": {"@type": reviewer_type, "name": reviewer},
        "datePublished": _iso(review_date),
        "url": url,
    }


def review_of(case, claim_id: str, *, verdict: str, explanation: str, reviewer: str, review_date, url: str,
              claim_date=None) -> dict:
    """A ClaimReview of one of the article's claims: its text, the outlet (or author) as the claim's
    author, the article's address as its first appearance. The article's own date is used unless
    the case has none, when `claim_date` must say which date the review records. Without one the
    record leaves itemReviewed.datePublished empty and check_claim_review says what to pass: a
    student's call gets feedback, never a traceback."""
    claim = case.claims[claim_id]
    when = claim_date if claim_date is not None else case.info.published
    return claim_review(claim=claim.text, claim_author=case.info.author or case.info.outlet, claim_date=when,
                        first_appearance=case.info.address, verdict=verdict, explanation=explanation,
                        reviewer=reviewer, review_date=review_date, url=url)


def reference_reading(case, claim_id: str) -> str:
    """The package's reference verdict on a claim, labelled as the package's own reading; a claim the case
    lacks (a lesson's placeholder among them) gets one sentence saying so."""
    if claim_id not in case.claims:
        return (claim_id if str(claim_id).startswith("[Placeholder]") else
                f"There is no claim {claim_id!r} in this case ({case.info.id}).")
    claim = case.claims[claim_id]
    return (f"Reference reading of {claim.id} (this package's own, not any fact-checker's): "
            f"{claim.verdict}. {claim.rationale}")


def _iso(value) -> str:
    return value.isoformat() if isinstance(value, date) else value


@dataclass(frozen=True)
class FieldProblem:
    """One field of a ClaimReview that is missing or malformed, and what was expected."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


@dataclass(frozen=True)
class ReviewCheck:
    """What the validator found: no problems means a valid record."""

    problems: tuple[FieldProblem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    def __str__(self) -> str:
        if self.ok:
            return "✔ A valid ClaimReview record: every field is present and well formed."
        if [p.field for p in self.problems] == ["record"] and self.problems[0].message.startswith("no record yet"):
            return "… No record yet" + self.problems[0].message[len("no record yet"):] + "."
        n = len(self.problems)
        return "\n".join([f"✘ {n} problem{'' if n == 1 else 's'} to fix:"] + [f"- {p}" for p in self.problems])

    __repr__ = __str__


def check_claim_review(record, case=None) -> ReviewCheck:
    """Check a ClaimReview record field by field; with a case, also check that its first appearance
    is the article or a primary source card and that the claim's author matches who said it."""
    if record is None:
        return ReviewCheck((FieldProblem("record", "no record yet: build one with sourcing.claim_review(...) "
                                         "or sourcing.review_of(...), then run this cell again"),))
    if not isinstance(record, dict):
        return ReviewCheck((FieldProblem("record", f"expected a dict (a JSON object), got {type(record).__name__}"),))
    p: list[FieldProblem] = []

    def need(obj, path, key, kind=str):
        value = obj.get(key) if isinstance(obj, dict) else None
        what = "text" if kind is str else "a dict"
        if value is None or (isinstance(value, str) and not value.strip()):
            p.append(FieldProblem(f"{path}{key}", f"missing: expected {what}"))
            return None
        if not isinstance(value, kind):
            p.append(FieldProblem(f"{path}{key}", f"expected {what}, got {type(value).__name__}"))
            return None
        return value

    def typed(obj, path, allowed):
        value = obj.get("@type")
        if value not in allowed:
            p.append(FieldProblem(f"{path}@type", f"expected {' or '.join(map(repr, allowed))}, got {value!r}"))

    def day(obj, path, key):
        text = need(obj, path, key)
        if text is None:
            return None
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            try:
                return date.fromisoformat(text)
            except ValueError:
                pass
        p.append(FieldProblem(f"{path}{key}", f"expected an ISO date YYYY-MM-DD, got {text!r}"))
        return None

    if record.get("@context") not in ("https://schema.org", "http://schema.org"):
        p.append(FieldProblem("@context", f"expected 'https://schema.org', got {record.get('@context')!r}"))
    typed(record, "", ("ClaimReview",))
    summary = need(record, "", "claimReviewed")
    if summary is not None and len(summary) > 300:
        p.append(FieldProblem("claimReviewed", f"expected a short summary of the claim (300 characters at most), "
                              f"got {len(summary)}"))
    item = need(record, "", "itemReviewed", dict)
    claim_day = None
    if item is not None:
        typed(item, "itemReviewed.", ("Claim",))
        who = need(item, "itemReviewed.", "author", dict)
        if who is not None:
            typed(who, "itemReviewed.author.", ("Person", "Organization"))
            need(who, "itemReviewed.author.", "name")
        if item.get("datePublished") is None and case is not None and getattr(case.info, "published", 1) is None:
            p.append(FieldProblem("itemReviewed.datePublished", "missing: expected text; the case gives no date for the article "
                                  "(see published_note in case.toml); pass claim_date=... to review_of with the "
                                  "date the review should record"))
        else:
            claim_day = day(item, "itemReviewed.", "datePublished")
        first = need(item, "itemReviewed.", "firstAppearance", dict)
        if first is not None:
            _address(p, first.get("url"), "itemReviewed.firstAppearance.url")
    _rating(p, need(record, "", "reviewRating", dict))
    reviewer = need(record, "", "author", dict)
    if reviewer is not None:
        typed(reviewer, "author.", ("Person", "Organization"))
        name = need(reviewer, "author.", "name")
        if name and any(f in name.casefold() for f in FACT_CHECKERS):
            p.append(FieldProblem("author.name", f"{name!r} names a fact-checking organisation; this verdict is "
                                  "your own (or the package's), so publish it under your own or your class's name"))
    review_day = day(record, "", "datePublished")
    if claim_day and review_day and review_day < claim_day:
        p.append(FieldProblem("datePublished", f"the review ({review_day.isoformat()}) cannot come before the "
                              f"claim it reviews ({claim_day.isoformat()}, itemReviewed.datePublished)"))
    _address(p, record.get("url"), "url")
    if case is not None and item is not None:
        _against_case(p, item, case)
    return ReviewCheck(tuple(p))


def _address(p, value, path) -> None:
    if not isinstance(value, str) or not re.fullmatch(r"https?://\S+", value):
        p.append(FieldProblem(path, f"expected an address starting http:// or https://, got {value!r}"))


def _number(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and x == x


def _rating(p, rating) -> None:
    if rating is None:
        return
    if rating.get("@type") != "Rating":
        p.append(FieldProblem("reviewRating.@type", f"expected 'Rating', got {rating.get('@type')!r}"))
    name = rating.get("alternateName")
    if not isinstance(name, str) or not name.strip():
        p.append(FieldProblem("reviewRating.alternateName", "missing: expected the verdict in words, like 'misleading'"))
    numbers = {k: rating.get(k) for k in ("ratingValue", "bestRating", "worstRating")}
    if all(v is None for v in numbers.values()):
        return  # a textual verdict only: allowed
    for key, v in numbers.items():
        if not _number(v):
            p.append(FieldProblem(f"reviewRating.{key}", f"expected a number (a rating with a value needs the "
                                  f"scale's best and worst too), got {v!r}"))
    if all(_number(v) for v in numbers.values()):
        value, best, worst = numbers["ratingValue"], numbers["bestRating"], numbers["worstRating"]
        if worst >= best:
            p.append(FieldProblem("reviewRating.worstRating", f"expected less than bestRating {best:g}, got {worst:g}"))
        elif not worst <= value <= best:
            p.append(FieldProblem("reviewRating.ratingValue", f"expected a value from worstRating {worst:g} to "
                                  f"bestRating {best:g}, got {value:g}"))


def _same_name(a: str, b: str) -> bool:
    a, b = " ".join(a.casefold().split()), " ".join(b.casefold().split())
    return bool(a) and bool(b) and (a in b or b in a)


def _against_case(p, item, case) -> None:
    first, who = item.get("firstAppearance"), item.get("author")
    url = first.get("url") if isinstance(first, dict) else None
    author = who.get("name") if isinstance(who, dict) else None
    if not isinstance(url, str) or not re.fullmatch(r"https?://\S+", url) or not isinstance(author, str):
        return  # already reported as missing or malformed
    if url == case.info.address:
        if not any(e and _same_name(author, e) for e in (case.info.author, case.info.outlet)):
            p.append(FieldProblem("itemReviewed.author.name", f"the claim first appears in the article, published "
                                  f"by {case.info.outlet}; got {author!r}"))
        return
    cards = [s for s in case.sources if s.address == url]
    primary = [s for s in cards if s.level == "primary"]
    if not cards:
        p.append(FieldProblem("itemReviewed.firstAppearance.url", "expected the article's address or the address "
                              "of the primary source card where the claim first appeared"))
    elif not primary:
        p.append(FieldProblem("itemReviewed.firstAppearance.url", f"{cards[0].id} is a {cards[0].level} source: "
                              "a claim first appears in a primary source, not in a report of it"))
    elif not any(_same_name(author, s.speaker) for s in primary):
        p.append(FieldProblem("itemReviewed.author.name", f"expected the speaker on the source card "
                              f"({primary[0].speaker}), got {author!r}"))
