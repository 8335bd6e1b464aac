"""Saving a student's work: every attempt goes to `my-work/progress.json` at once, so none is lost.

Binder sessions end after a few idle minutes, so each attempt is written as it happens, atomically
(temp file, fsync, rename), keeping the previous good copy as `progress.json.bak` (a second name for
the replaced file where the file system allows hard links, else a copy): one durable write per
attempt, and each record encoded once (`encode_record`), the file joined from them. A damaged file is
set aside, never overwritten; an unwritable folder keeps the work in memory; either way the student
is told in one sentence (`Store.notices`). Two kernels may share a folder: every write locks,
re-reads and merges records by id; `Store.restore` merges a downloaded file back (the buttons are
`frontend.mywork`). Files carry a pseudonymous id only, and the stamp of the case the work is on.

One case, one store: work on the bundled default case is kept in `my-work/` as it always was; work on
any other case in `my-work/<case id>/`, under the same pseudonymous id, so two cases' items (whose ids
may be the same) never mix, and each file is stamped with its case's id and the digest of its exercise
keys (course_lib.case.stamp). The work wing may not import the case wing, so the case wing tells it
which case is current through one hook, `case_of_work`, set when course_lib.case.records is imported:
before that (a script using the store alone), work goes to `my-work/` unstamped. Standard library only.
"""

from __future__ import annotations

import errno
import math
import os
import uuid
from contextlib import contextmanager, nullcontext, suppress
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path

from course_lib.work.fileformat import (FORMAT, VERSION, Attempt,
                                  Parsed, atomic_write, encode_record, join_records, json_safe, parse_export,
                                  read_limited, writer_lock)
from course_lib.work.fileformat import VERDICTS  # the answer verdicts, one vocabulary for the package

try:
    import fcntl
except ImportError:  # Windows: no fcntl at all
    fcntl = None
# Pyodide (JupyterLite) has fcntl without flock: there and on Windows, a lock file (writer_lock).
_flock = getattr(fcntl, "flock", None)

__all__ = ["Store", "WORK_DIR_ENV", "first_rated", "store", "work_dir"]

WORK_DIR_ENV = "COURSE_LIB_WORK_DIR"
MAX_RESTORE_BYTES = 5_000_000   # a whole course of answers is well under 1 MB; a bigger file slows every save
STALE_TEMP_SECONDS = 60         # a temporary file this old is left from a killed kernel, never in use
NO_FILE = "No file was chosen yet: click Upload my work, pick your my-work file, then click Restore."
_UNSAVED = ("Your work cannot be saved in {} ({}); it is kept in memory until the kernel stops — "
            "run course_lib.save_my_work() to download it.")


#: Set by course_lib.case.records: () -> (the current case's subfolder of work_dir(), or None for the
#: bundled default case; its stamp {"id", "digest"}). Read at every `store()` call, so `use_case` and
#: $COURSE_LIB_CASE take effect at once.
case_of_work = None


def _case_now() -> tuple[str | None, dict | None]:
    """(subfolder, stamp) of the current case; (None, None) when no case wing is loaded or it fails."""
    if case_of_work is None:
        return None, None
    try:
        return case_of_work()
    except Exception:   # a case that does not load: its exercises say so; the work store still works
        return None, None


def work_dir() -> Path:
    """Where work is saved: $COURSE_LIB_WORK_DIR if set, else `my-work` beside the lessons (the cwd)."""
    env = os.environ.get(WORK_DIR_ENV)
    return Path(env).expanduser() if env else Path.cwd() / "my-work"


def _now() -> datetime:
    return datetime.now(timezone.utc)


def unwritable_reason(folder: Path, error: OSError) -> str:
    """Why a folder cannot be written, in plain words."""
    with suppress(OSError):
        if folder.exists() and not folder.is_dir():
            return f"there is a file called {folder.name} where the folder should be"
    plain = {errno.EACCES: "permission denied", errno.EPERM: "permission denied",
             errno.EROFS: "the disk is read-only", errno.ENOSPC: "the disk is full"}
    return plain.get(error.errno) or (error.strerror or "it cannot be written").lower()


def count_of(n: int, word: str) -> str:
    """"3 attempts", "1 exercise": a count and its noun."""
    return f"{n} {word}{'' if n == 1 else 's'}"


# -- the store ---------------------------------------------------------------------------------------

class Store:
    """One work folder's attempts: saved at once, merged with other kernels', exported and restored."""

    def __init__(self, folder: Path | None = None):
        self.folder = Path(folder) if folder is not None else work_dir()
        self.path, self.bak = self.folder / "progress.json", self.folder / "progress.json.bak"
        self.notices: list[str] = []
        self._records: dict[str, Attempt] = {}
        self._student: str | None = None
        self._unsaved = False  # the student has been told that the folder cannot be written
        self._seen = None      # (mtime, size, inode) of the file as last merged, to skip parsing it again
        self._tidied = False   # stale temporary files from a killed kernel were looked for
        self._backup_read = False  # the backup was merged because the main file was missing
        self._encoded: dict[str, tuple[Attempt, bytes]] = {}   # each record's bytes in the file, by id
        self.stamp: dict | None = None     # the case the work is on, written in the file (see `store`)
        self.accepts_unstamped = True      # a file saved before stamps is work on the bundled case only

    @property
    def student(self) -> str:
        """The pseudonymous id kept in this folder's file ("anon-" + 8 hex digits), made on first use."""
        self._sync()
        return self._student_id()

    def record(self, item, answer, verdict, *, score=None, hints=0, seconds=None, confidence=None,
               feedback="") -> Attempt:
        """Save one attempt now and return it; if the folder cannot be written it is kept in memory."""
        if verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {', '.join(VERDICTS)}; got {verdict!r}")
        with self._locked(create=True):
            error, item = self._read(), str(item)
            attempt = Attempt(
                uuid.uuid4().hex, item, json_safe(answer), verdict, _number(score),
                1 + sum(a.item == item for a in self._records.values()), _number(hints, int) or 0,
                _number(seconds), _number(confidence, int), str(feedback),
                _now().isoformat(timespec="microseconds"))
            self._records[attempt.id] = attempt
            self._save(error)
        return attempt

    def attempts(self, item: str | None = None) -> list[Attempt]:
        """Every attempt (or those at one item), oldest first, including any another kernel saved since."""
        self._sync()
        return [a for a in sorted(self._records.values(), key=lambda a: a.at) if item in (None, a.item)]

    def last(self, item: str) -> Attempt | None:
        """The newest attempt at `item`, or None."""
        found = self.attempts(item)
        return found[-1] if found else None

    def export(self) -> dict:
        """The whole document: format, version, the pseudonymous id and every attempt."""
        self._sync()
        return self._document()

    def restore(self, source) -> str:
        """Merge saved work back, a union by record id so nothing newer is lost; one sentence, never raises."""
        try:
            if isinstance(source, (list, tuple)) and len(source) > 1:  # several files uploaded at once
                return " ".join(self.restore(one) for one in source)
            got = _read_source(source)
            if isinstance(got, str):
                return got
            name, parsed = got[0], parse_export(got[1])
        except Exception:
            return "That could not be read as saved work, so nothing was restored."
        if parsed.problem:
            return (f"Nothing was restored from {name}: {parsed.problem}. "
                    "Choose the my-work-anon-….json file you downloaded.")
        refused = self._other_case(parsed.case)
        if refused:
            return f"Nothing was restored from {name}: {refused}"
        with self._locked(create=True):
            error = self._read()
            if not self._records:  # an empty folder takes the file's id: the same student, in a new session
                self._student = parsed.student
            new = [a for a in parsed.records if a.id not in self._records]
            self._records.update((a.id, a) for a in new)
            if new:
                self._save(error)
        here, mine = len(parsed.records) - len(new), self._student_id()
        sentence = (f"Restored {count_of(len(new), 'record')} from {name}; "
                    f"{'none were' if here == 0 else '1 was' if here == 1 else f'{here} were'} already here.")
        if parsed.skipped:
            sentence += (f" {count_of(parsed.skipped, 'damaged record')} could not be read and "
                         f"{'was' if parsed.skipped == 1 else 'were'} skipped.")
        if parsed.student != mine:
            sentence += f" The file was saved under the id {parsed.student}; your id stays {mine}."
        if parsed.case and self.stamp and parsed.case["digest"] != self.stamp["digest"]:
            sentence += (" It was saved with another version of this case's exercises; your answers were kept "
                         "as they were.")
        return sentence

    def _other_case(self, theirs: dict | None) -> str:
        """Why a file's work does not belong in this store (another case, or unstamped work here), or ""."""
        mine = self.stamp
        if mine is None:
            return ""
        if theirs is None:
            return "" if self.accepts_unstamped else (
                f"it does not say which case it is work on (it was saved before files did, so it is work on the "
                f"course's first case), and this lesson works on the case {mine['id']}.")
        if theirs["id"] != mine["id"]:
            return (f"it holds work on the case {_quoted(theirs['id'])}, and this lesson works on the case "
                    f"{mine['id']}. To restore it, run course_lib.use_case({_quoted(theirs['id'])}) first.")
        return ""

    def adopt_student(self, student: str) -> None:
        """Take `student` as this folder's id if its file has none yet: one student, one id, in every case."""
        self._sync()
        if self._student is None:
            self._student = student

    @contextmanager
    def _locked(self, create: bool):
        """Hold the folder's lock (flock, else a lock file); best effort, so an unwritable folder goes on unlocked."""
        handle, lock = None, nullcontext()
        try:
            if create:
                self.folder.mkdir(parents=True, exist_ok=True)
            if self.folder.is_dir():
                if _flock is None:
                    lock = writer_lock(self.folder)
                else:
                    handle = open(self.folder / ".progress.lock", "a")
                    _flock(handle, fcntl.LOCK_EX)
        except OSError:
            pass
        if create and not self._tidied:
            self._tidied = True
            self._tidy()
        try:
            with lock:
                yield
        finally:
            if handle:
                handle.close()  # closing releases the lock

    def _tidy(self) -> None:
        """Remove temporary files a killed kernel left behind (.progress.json.*.tmp), once they are stale."""
        import time
        with suppress(OSError):
            for entry in os.scandir(self.folder):
                temp = entry.name.startswith(".progress.json.") and entry.name.endswith(".tmp")
                if temp and entry.is_file(follow_symlinks=False) and \
                        time.time() - entry.stat(follow_symlinks=False).st_mtime > STALE_TEMP_SECONDS:
                    with suppress(OSError):
                        os.unlink(entry.path)

    def _sync(self) -> None:
        """Bring in records other kernels saved since."""
        with self._locked(create=False):
            self._read()

    def _read(self) -> OSError | None:
        """Merge the file's records in, setting a damaged file aside; a returned error forbids writing."""
        try:
            stat = self.path.stat()
            if (stat.st_mtime_ns, stat.st_size, stat.st_ino) == self._seen:
                return None
            parsed = parse_export(self.path.read_bytes())
        except FileNotFoundError:
            return self._read_backup()
        except OSError as error:  # unreadable: never overwrite what could not be read
            return error
        if not parsed.problem and not parsed.skipped:
            self._merge(parsed)
            self._seen = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
            return None
        try:
            aside = self._set_aside()
            backup = parse_export(self.bak.read_bytes()) if self.bak.exists() else None
        except OSError as error:
            return error
        backup = backup if backup and not backup.problem else None
        self._merge(parsed)
        if backup:
            self._merge(backup)
        shown = f"{self.folder.name}/{aside.name}"
        if parsed.problem:
            kept = ("your answers from the previous good copy were kept." if backup else
                    "no earlier good copy was found, so new answers will be saved from now on.")
            self.notices.append(f"Your saved work file could not be read, so it was set aside as {shown}; "
                                + kept)
        else:
            self.notices.append(f"{count_of(parsed.skipped, 'record')} in your saved work file could not be "
                                f"read, so the file was set aside as {shown}; the other "
                                f"{'1 was' if len(parsed.records) == 1 else f'{len(parsed.records)} were'} kept.")
        self._save(None)  # a clean file at once, so another kernel sees the recovered records
        return None

    def _read_backup(self) -> OSError | None:
        """The main file is missing (lost, or set aside and not rewritten): take the records of a good backup."""
        if self._backup_read:
            return None
        try:
            backup = parse_export(self.bak.read_bytes())
        except FileNotFoundError:
            return None
        except OSError as error:
            return error
        self._backup_read = True
        if backup.problem or not backup.records:
            return None
        before = len(self._records)
        self._merge(backup)
        if len(self._records) > before:
            self.notices.append(f"Your saved work file was missing, so your answers were taken from its backup "
                                f"copy ({self.folder.name}/{self.bak.name}).")
        return None

    def _set_aside(self) -> Path:
        """Move a damaged file to progress.corrupt-YYYYMMDD-HHMMSS.json (-2, -3 ... if that is taken)."""
        stamp = _now().strftime("%Y%m%d-%H%M%S")
        aside, n = self.folder / f"progress.corrupt-{stamp}.json", 1
        while aside.exists():
            n += 1
            aside = self.folder / f"progress.corrupt-{stamp}-{n}.json"
        os.replace(self.path, aside)
        return aside

    def _merge(self, parsed: Parsed) -> None:
        self._student = parsed.student or self._student
        for a in parsed.records:
            self._records.setdefault(a.id, a)

    def _save(self, error: OSError | None) -> None:
        """Write every known record atomically, keeping the replaced file as progress.json.bak."""
        try:
            if error:
                raise error
            self.folder.mkdir(parents=True, exist_ok=True)
            # read and found good just now, under the lock; a file or backup link gone meanwhile (its link
            # carries the old mtime, so an unlocked kernel's _tidy may take it) costs the backup, not the attempt
            with suppress(FileNotFoundError):
                if self._may_replace_backup(self.path.stat().st_size):
                    self._keep_backup()
            # what this store wrote needs no parsing at its next attempt; the stat is the written file's
            # own, so a file another writer put in its place since (without the lock) is still merged
            stat = atomic_write(self.path, self._file_bytes())
            self._seen = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
        except OSError as failure:
            if not self._unsaved:
                self._unsaved = True
                self.notices.append(_UNSAVED.format(self.folder.name, unwritable_reason(self.folder, failure)))
            return
        if self._unsaved:
            self._unsaved = False
            self.notices.append(f"Your work is being saved in {self.folder.name} again.")

    def _may_replace_backup(self, size: int) -> bool:
        """Never replace a good backup with a document holding fewer records (a file rebuilt from nothing)."""
        try:
            if self.bak.stat().st_size <= size:
                return True
            backup = parse_export(self.bak.read_bytes())
            current = self.path.read_bytes()
        except OSError:
            return True
        return bool(backup.problem) or len(parse_export(current).records) >= len(backup.records)

    def _keep_backup(self) -> None:
        """Make the good file now at progress.json the backup before it is replaced. A hard link gives it a
        second name, so no byte is written or synced again (the file was synced when it was saved); where the
        file system has no hard links (some network and Windows shares, Pyodide), a copy, written atomically."""
        link = self.folder / f".{self.path.name}.{uuid.uuid4().hex[:12]}.tmp"   # _tidy removes it if left
        try:
            os.link(self.path, link)
        except FileNotFoundError:   # gone since it was read (a student deleted it): nothing to keep
            return
        except (OSError, AttributeError, NotImplementedError):
            atomic_write(self.bak, self.path.read_bytes())
            return
        try:
            os.replace(link, self.bak)
        except BaseException:
            with suppress(OSError):
                os.unlink(link)
            raise

    def _file_bytes(self) -> bytes:
        """The whole document, as `encode(self._document())` writes it, from each record's bytes encoded once."""
        chunks = []
        for a in sorted(self._records.values(), key=lambda a: a.at):
            known = self._encoded.get(a.id)
            if known is None or known[0] is not a:
                known = self._encoded[a.id] = (a, encode_record(a))
            chunks.append(known[1])
        return join_records(self._head(), chunks)

    def _head(self) -> dict:
        """The document's fields before its records: format, version, student and the case stamp if known."""
        head = {"format": FORMAT, "version": VERSION, "student": self._student_id()}
        if self.stamp is not None:
            head["case"] = dict(self.stamp)
        return head

    def _student_id(self) -> str:
        self._student = self._student or f"anon-{uuid.uuid4().hex[:8]}"
        return self._student

    def _document(self) -> dict:
        return {**self._head(),
                "records": [asdict(a) for a in sorted(self._records.values(), key=lambda a: a.at)]}


def _number(value, kind=float):
    """`value` as a finite float (or int), or None when it is missing or not a number."""
    try:
        number = kind(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def _read_source(source):
    """(name, bytes or dict) from a path, JSON text, bytes, a dict or a FileUpload value; else a sentence."""
    if isinstance(source, (list, tuple)):
        source = source[0] if source else None
    if isinstance(source, dict) and "content" in source and "format" not in source:
        name = Path(str(source.get("name") or "the uploaded file")).name[:100]
        if len(source["content"]) > MAX_RESTORE_BYTES:
            return _too_large(name)
        data = bytes(source["content"])
    elif isinstance(source, (dict, bytes, bytearray, memoryview)):
        name, data = "the data given", source if isinstance(source, dict) else bytes(source)
    elif isinstance(source, str) and source.lstrip().startswith(("{", "[")):
        name, data = "the text given", source.encode("utf-8", "surrogatepass")
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source)
        name = path.name or str(path)
        try:
            if path.is_dir():
                raise IsADirectoryError(errno.EISDIR, "Is a directory")
            data = read_limited(path, MAX_RESTORE_BYTES)
        except ValueError as error:
            return _too_large(name) if "too large" in str(error) else \
                f"{name} is {error}, so nothing was restored."
        except FileNotFoundError:
            return f"No file called {name} was found, so nothing was restored."
        except OSError as error:
            why = (error.strerror or "unknown error").lower()
            return f"{name} could not be opened ({why}), so nothing was restored."
    else:
        return NO_FILE if source is None else ("Nothing was restored: give the path of a saved-work file, "
                                                f"or upload one (this was a {type(source).__name__}).")
    if isinstance(data, bytes) and len(data) > MAX_RESTORE_BYTES:
        return _too_large(name)
    return name, data


def _quoted(text: str, limit: int = 60) -> str:
    """Text from a file, quoted and cut, with control characters escaped: safe in a student's sentence."""
    return repr(text if len(text) <= limit else text[:limit] + "…")


def _too_large(name: str) -> str:
    return (f"{name} is larger than any saved work (at most {MAX_RESTORE_BYTES // 1_000_000} MB), "
            "so nothing was restored.")


_STORES: dict[Path, Store] = {}


def store(folder=None) -> Store:
    """The shared Store for a folder, so every cell sees the same records and notices. The default folder is
    the current case's: work_dir() for the bundled default case, work_dir()/<case id> for any other (the
    same pseudonymous id in both). The store is stamped with the current case (see `case_of_work`)."""
    sub, stamp = _case_now()
    base = Path(folder) if folder is not None else work_dir() / sub if sub else work_dir()
    key = base.expanduser().resolve()
    if key not in _STORES:
        made = _STORES[key] = Store(key)
        if sub and folder is None:
            made.accepts_unstamped = False
            made.adopt_student(store_at(work_dir()).student)
    found = _STORES[key]
    if stamp is not None:
        found.stamp = stamp
    return found


def store_at(folder) -> Store:
    """The shared Store of exactly this folder, whatever case is current (stamped as it was last)."""
    key = Path(folder).expanduser().resolve()
    if key not in _STORES:
        _STORES[key] = Store(key)
    return _STORES[key]


def first_rated(items, folder=None) -> list[tuple[str, int, int]]:
    """(item, how sure in %, score in %) for the first attempt at each of `items`, sorted by item: what a
    student's calibration is judged on (lesson 02b). Only the first attempt counts, made before any feedback;
    an item whose first attempt left confidence "not said" (None), or has no score, is left out."""
    wanted = set(items)
    first = {}
    for attempt in store(folder).attempts():   # oldest first: each item's first attempt
        if attempt.item in wanted:
            first.setdefault(attempt.item, attempt)
    return [(item, a.confidence, round(100 * a.score)) for item, a in sorted(first.items())
            if a.confidence is not None and a.score is not None]
