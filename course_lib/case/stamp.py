"""Which case a student's work belongs to: the stamp every saved-work file carries, and the check of it.

A stamp is `{"id": <the case's id>, "digest": "k1-<16 hex digits>"}`. The digest covers only what an
answer's verdict depends on: for each exercise, its id and kind, the ids of its options, categories,
targets, entries and search results, which ones are right or accepted (the keys, the accepted and
half-right choices, the search results' roles), a numeric item's answer, tolerance and known mistakes,
a code item's hidden tests, a text item's minimum length and the pre/post pairs (`parallel`). It leaves
out every text a student reads (prompts, hints, feedback, explanations, misconception tags) and the rest
of the case folder (article notes, source cards, events): fixing a typo there, or adding a source card,
must not orphan a class's work, while a changed key must, since an answer checked against another key
means something else. The `k1-` prefix names this definition, so a later one is told apart.

Work files are untrusted: `parse_export` reads a stamp as two short strings (a longer or other value
makes the file unusable), compared as data and shown only through `shown()` (course_lib.instructors.exports);
nothing in a stamp is ever evaluated. Standard library only.
"""

from __future__ import annotations

import hashlib
import json

__all__ = ["DIGEST_PREFIX", "digest", "stamp"]

DIGEST_PREFIX = "k1-"
_last: tuple[object, str] | None = None   # (case, digest): the digest is worked out once per case read


def _keys(item) -> list:
    """What the verdict of an answer to `item` depends on, as JSON-able values."""
    return [
        item.id, item.kind,
        [[o.id, bool(o.correct), bool(o.accepted)] for o in item.options],
        [c.id for c in item.categories], [t.id for t in item.targets],
        [[e.id, e.key, sorted(e.accepted), sorted(e.partial)] for e in item.entries],
        item.answer, item.tolerance, [[m.value, m.tolerance] for m in item.mistakes],
        [[repr(t.args), repr(t.expected)] for t in item.tests],
        item.min_words, [[r.id, r.role] for r in item.results], item.parallel,
    ]


def digest(case) -> str:
    """The digest of the case's exercise keys ("k1-" and 16 hex digits), stable across runs and platforms.

    >>> from course_lib.case.records import BUNDLED_CASE, load_case
    >>> d = digest(load_case(BUNDLED_CASE)); d.startswith("k1-") and len(d)
    19
    """
    global _last
    if _last is not None and _last[0] is case:
        return _last[1]
    body = [_keys(item) for item in sorted(case.exercises, key=lambda e: e.id)]
    text = json.dumps(body, sort_keys=True, ensure_ascii=True, default=repr, separators=(",", ":"))
    value = DIGEST_PREFIX + hashlib.sha256(text.encode("ascii")).hexdigest()[:16]
    _last = (case, value)
    return value


def stamp(case) -> dict:
    """The stamp a saved-work file of this case carries: its id and the digest of its exercise keys."""
    return {"id": case.info.id, "digest": digest(case)}
