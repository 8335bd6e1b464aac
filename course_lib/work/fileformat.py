"""The saved-work file: its records (`Attempt`), any answer made JSON-safe, reading a document back
and writing a file atomically. `progress` keeps the store and the student's calls; `exports` and
`collect` read many files with `parse_export`; `writer_lock` is the lock where `flock` is missing.
Standard library only.
"""

from __future__ import annotations

import inspect
import json
import math
import numbers
import operator
import os
import re
import tempfile
import threading
import time
from contextlib import contextmanager, suppress
from dataclasses import dataclass, fields
from itertools import islice
from pathlib import Path

FORMAT, VERSION = "course-lib-progress", 1
MAX_ITEMS, MAX_DEPTH = 1000, 20
_STUDENT = re.compile(r"anon-[0-9a-f]{8}")
_NOT_TEXT = {b"\x89PNG": "it is a PNG picture", b"\xff\xd8\xff": "it is a JPEG picture",
             b"%PDF": "it is a PDF document", b"PK\x03\x04": "it is a zip file or an office document"}

#: The verdicts of an attempt, the one vocabulary the checks, the store, the front end and the reports share.
CORRECT, PARTLY, INCORRECT, UNANSWERED, KEPT = VERDICTS = (
    "correct", "partly correct", "incorrect", "not answered yet", "kept")


@dataclass(frozen=True)
class Attempt:
    """One attempt at one exercise, as saved: enough to show the answer and its feedback again."""
    id: str
    item: str
    answer: object
    verdict: str          # one of VERDICTS
    score: float | None
    attempt: int
    hints: int
    seconds: float | None
    confidence: int | None
    feedback: str
    at: str


FIELDS = tuple(f.name for f in fields(Attempt))


# -- any value -> JSON ----------------------------------------------------------------------------

def json_safe(value, *, limit=10_000) -> object:
    """Any Python value as something json.dumps accepts; never raises, whatever the value's methods do."""
    return _safe(value, limit, 0, frozenset())


def _safe(value, limit, depth, seen):
    try:
        if value is None or isinstance(value, bool):
            return value
        if isinstance(value, str):
            return _cut(value, limit)
        if isinstance(value, numbers.Integral):  # past ~4300 digits json.dumps refuses an int
            number = int(value)
            return number if number.bit_length() <= 14_000 else f"<integer of {number.bit_length()} bits>"
        if isinstance(value, numbers.Real):
            x = float(value)
            return x if math.isfinite(x) else "nan" if math.isnan(x) else "inf" if x > 0 else "-inf"
        if isinstance(value, (list, tuple, set, frozenset, dict)):
            is_dict = isinstance(value, dict)
            if id(value) in seen:
                return "{...}" if is_dict else "[...]"
            if depth >= MAX_DEPTH:
                return f"<{'dict' if is_dict else 'list'} nested too deeply>"
            seen = seen | {id(value)}
            if is_dict:
                pairs = islice(dict.items(value), MAX_ITEMS)
                return {_key(k, limit): _safe(v, limit, depth + 1, seen) for k, v in pairs}
            items = [_safe(v, limit, depth + 1, seen) for v in islice(iter(value), MAX_ITEMS + 1)]
            if len(items) > MAX_ITEMS:
                items[-1] = "… more items not saved"
            if isinstance(value, (set, frozenset)):  # a set has no order: sort, so saved files are stable
                items.sort(key=lambda v: json.dumps(v, sort_keys=True))
            return items
        if inspect.isroutine(value):
            return _cut(f"<function {getattr(value, '__qualname__', None) or value.__name__}>", limit)
    except Exception:
        pass
    return _describe(value, limit)


def _plain(value, limit=10_000, depth=0) -> bool:
    """Whether json_safe(value) would give back `value` as it is: JSON values within every limit, as the
    answers of a file just parsed nearly always are, so reading a class of 1,000 need not copy each one."""
    kind = type(value)
    if value is None or kind is bool:
        return True
    if kind is str:
        return len(value) <= limit
    if kind is int:
        return value.bit_length() <= 14_000
    if kind is float:
        return math.isfinite(value)
    if kind is list:
        return depth < MAX_DEPTH and len(value) <= MAX_ITEMS and all(_plain(v, limit, depth + 1) for v in value)
    if kind is dict:
        if depth >= MAX_DEPTH or len(value) > MAX_ITEMS:
            return False
        for k, v in value.items():   # a loop, not all(...): a coding's 15 entries, 100,000 times in a class
            if type(k) is not str or len(k) > limit or not _plain(v, limit, depth + 1):
                return False
        return True
    return False


def _key(key, limit) -> str:
    safe = _safe(key, limit, MAX_DEPTH - 1, frozenset())
    return safe if isinstance(safe, str) else json.dumps(safe)


def _describe(value, limit) -> str:
    """repr(value) cut to `limit`, or a placeholder naming the type when repr fails."""
    try:
        return _cut(repr(value), limit)
    except Exception:
        try:
            return f"<unprintable {str.__str__(type(value).__name__)} object>"
        except Exception:
            return "<unprintable object>"


def _cut(text, limit) -> str:
    text = str.__str__(text)  # a plain str, whatever a subclass overrides
    return text if len(text) <= limit else f"{text[:limit]}… [{len(text) - limit} more characters not saved]"


# -- reading and writing files ----------------------------------------------------------------------

@dataclass(frozen=True)
class Parsed:
    """What a saved-work document holds: its student, the records that could be read, how many not."""

    student: str | None
    records: list
    skipped: int
    problem: str = ""  # what makes the whole document unusable, e.g. "it is not JSON text"
    case: dict | None = None  # the case stamp {"id": ..., "digest": ...}; None in a file saved before stamps


MAX_STAMP = 100   # a case id or digest longer than this is no stamp this library wrote


def read_stamp(value) -> tuple[dict | None, str]:
    """A document's case stamp as data: ({"id", "digest"} of two short strings, "") or (None, why it is
    damaged); (None, "") when there is none. Never evaluated, never trusted: the caller compares and shows it."""
    if value is None:
        return None, ""
    if (isinstance(value, dict) and set(value) == {"id", "digest"}
            and all(type(value[k]) is str and 0 < len(value[k]) <= MAX_STAMP for k in ("id", "digest"))):
        return {"id": value["id"], "digest": value["digest"]}, ""
    return None, "its case stamp is damaged (it should name the case and its version in two short texts)"


def parse_export(data) -> Parsed:
    """Read a saved-work document from bytes or a dict; say in a few words what is wrong with it."""
    if isinstance(data, bytes):
        problem = next((p for magic, p in _NOT_TEXT.items() if data.startswith(magic)), "")
        try:
            data = None if problem else json.loads(data.decode("utf-8-sig"))
        except (ValueError, RecursionError):
            problem = "it is not JSON text"
        if problem:
            return Parsed(None, [], 0, problem)
    doc = data if isinstance(data, dict) else {}
    fmt, student, records = doc.get("format"), doc.get("student"), doc.get("records")
    checks = [(isinstance(fmt, str) and fmt == FORMAT, "it is not a saved-work file from this course"),
              (doc.get("version") == VERSION, "it was saved by another version of the course library"),
              (isinstance(student, str) and _STUDENT.fullmatch(student), "its student id is missing"),
              (isinstance(records, list), "its list of records is missing")]
    problem = next((why for ok, why in checks if not ok), "")
    stamp, damaged = read_stamp(doc.get("case"))
    problem = problem or damaged
    if problem:
        return Parsed(None, [], 0, problem)
    good = [a for a in map(_attempt, records) if a is not None]
    return Parsed(student, good, len(records) - len(good), case=stamp)


def _whole(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _real(v) -> bool:
    return v is None or _whole(v) or (isinstance(v, float) and math.isfinite(v))


_FIELD_SET = frozenset(FIELDS)


_FIELD_VALUES = operator.itemgetter(*FIELDS)


def _attempt(raw) -> Attempt | None:
    """An Attempt from a saved record, or None when a field is missing or of the wrong kind.

    A record parsed from JSON is a plain dict of plain values: checked here by exact type, without a
    call per field (a class of 1,000 has 100,000 records). Anything else, or a record this check does
    not pass, goes through `_checked_attempt`, which decides; both give the same Attempt or None."""
    if type(raw) is dict:
        try:
            i, item, answer, verdict, score, n, hints, seconds, confidence, feedback, at = _FIELD_VALUES(raw)
        except KeyError:
            return None
        if (type(i) is str and i and type(item) is str and type(verdict) is str and type(feedback) is str
                and type(at) is str and type(n) is int and type(hints) is int
                and (score is None or type(score) is int or (type(score) is float and math.isfinite(score)))
                and (seconds is None or type(seconds) is int or (type(seconds) is float and math.isfinite(seconds)))
                and (confidence is None or type(confidence) is int)):
            if not _plain(answer):
                answer = json_safe(answer)
            return Attempt(i, item, answer, verdict, score, n, hints, seconds, confidence, feedback, at)
    return _checked_attempt(raw)


def _checked_attempt(raw) -> Attempt | None:
    """`_attempt` for any record: fields of any subclass of the right kinds are accepted."""
    if not isinstance(raw, dict) or not _FIELD_SET <= raw.keys():
        return None
    r = {k: raw[k] for k in FIELDS}
    ok = (isinstance(r["id"], str) and r["id"] and isinstance(r["item"], str) and isinstance(r["verdict"], str)
          and isinstance(r["feedback"], str) and isinstance(r["at"], str)
          and _whole(r["attempt"]) and _whole(r["hints"]) and _real(r["score"]) and _real(r["seconds"])
          and (r["confidence"] is None or _whole(r["confidence"])))
    if not ok:
        return None
    if not _plain(r["answer"]):   # an answer already within json_safe's limits is kept as it is
        r["answer"] = json_safe(r["answer"])
    return Attempt(**r)


def encode(doc: dict) -> bytes:
    """A saved-work document as the bytes of its file: indented UTF-8 JSON."""
    # backslashreplace writes a lone surrogate as its JSON escape, so any string survives the trip
    return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8", "backslashreplace")


def encode_record(attempt: Attempt) -> bytes:
    """One record as it sits in a file `encode` writes (indented for its place in the list, no comma), so a
    store can encode each record once and `join_records` the file from them: the same bytes as `encode`."""
    text = json.dumps({name: getattr(attempt, name) for name in FIELDS}, indent=2, ensure_ascii=False)
    # JSON text holds no raw newline inside a string: every "\n" is indentation, shifted two levels in
    return ("    " + text.replace("\n", "\n    ")).encode("utf-8", "backslashreplace")


def join_records(head: dict, records: list) -> bytes:
    """The file `encode({**head, "records": [...]})` writes, from `encode_record`'s bytes of each record."""
    empty = encode({**head, "records": []})
    if not records:
        return empty
    cut = empty.rindex(b"[]")   # the document's last value: the empty list of records
    return b"".join([empty[:cut], b"[\n", b",\n".join(records), b"\n  ]", empty[cut + 2:]])


def atomic_write(path: Path, data: bytes) -> os.stat_result:
    """Write a file so it is always the old or the new version, never half: temp file, fsync, rename.
    Returns the written file's stat (taken before the rename), so a caller can tell it from a later one."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
            written = os.fstat(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise
    return written


# -- one writer at a time where fcntl.flock is missing (Pyodide, Windows) --------------------------

WRITER_LOCK = ".progress.writer"
_IN_PROCESS = threading.Lock()   # writers in this interpreter (threads) queue here first


@contextmanager
def writer_lock(folder: Path, wait: float = 2.0, stale: float = 10.0):
    """Hold `folder/.progress.writer`, made with O_CREAT|O_EXCL, so one writer at a time saves.

    For systems without `flock` (Pyodide's fcntl has none; Windows has no fcntl): creating a file that
    must not exist is atomic there too. A lock older than `stale` seconds is left over from a kernel
    that stopped mid-write and is taken over; after `wait` seconds the caller goes on without it, as
    the store re-reads and merges before every write anyway. Yields whether the lock was taken.
    """
    path = folder / WRITER_LOCK
    deadline = time.monotonic() + wait
    with _IN_PROCESS:
        fd = None
        while fd is None:
            try:
                fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            except FileExistsError:
                with suppress(OSError):
                    if time.time() - path.stat().st_mtime > stale:
                        os.unlink(path)
                        continue
                if time.monotonic() > deadline:
                    break
                time.sleep(0.02)
            except OSError:   # unwritable folder: nothing to protect, the write will report it
                break
        try:
            yield fd is not None
        finally:
            if fd is not None:
                os.close(fd)
                with suppress(OSError):
                    os.unlink(path)


def read_limited(path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes. Never blocks on a FIFO, never reads a device
    or more than limit + 1 bytes; raises ValueError (with the reason) or OSError."""
    import stat
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise ValueError("not a regular file")
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):   # swapped for a FIFO or device since the stat
            raise ValueError("not a regular file")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(fd)
    if size > limit:
        raise ValueError("too large to be a saved-work file")
    return b"".join(chunks)
