"""ClaimReview records: a verdict on one claim as schema.org's ClaimReview data model, and a validator
whose messages name the field (pedagogy.md 2.6).

The verdicts in a case are the package's own readings; a record carries whatever verdict and reviewer
it is given, and the validator refuses a fact-checking organisation's name as the reviewer, so no
class exercise is ever passed off as a real fact-checker's rating.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

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
    """The package's reference verdict on a claim, labelled as the package's own reading."""
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
        p.append(FieldProblem(f"{path}{key}", f"expected an ISO date like 2018-08-24, got {text!r}"))
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
