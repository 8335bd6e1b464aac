"""Reading many students' exported work, for the instructors' reports (`class-report`, `collect`).

Each file is one student's save_my_work() export, and untrusted. A file that cannot be used — not
found, not a regular file (a FIFO, a device), too large, not an export of this course, with damaged
records — is named with the reason and skipped, never merged: an instructor must be able to trust
every figure. Two files claiming one student are both listed and neither used, unless they hold the
same records; a file whose name names another student than its content is used with a warning.

Each file says which case its work is on (its stamp: the case's id and the digest of its exercise keys,
course_lib.case.stamp). Given the case being reported on, a file of another case, or of another version
of this one (other keys), is skipped with one line naming its case and the expected one: its answers
would be checked against keys they were not given for. A file saved before files carried a stamp was
necessarily work on the bundled case (the only one then): it is read for the bundled case, with a
warning, and skipped for any other. A stamp is data from an untrusted file: compared, never evaluated,
and shown through `shown()`, cut to a few dozen characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from course_lib.work import progress
from course_lib.instructors.output import shown
from course_lib.work import fileformat
from course_lib.work.fileformat import read_limited as _read_limited

MAX_BYTES = 20_000_000


@dataclass(frozen=True)
class Work:
    """One student's usable file: the name the reports show, the pseudonymous id and the attempts."""

    name: str
    student: str
    records: tuple
    warning: str = ""  # e.g. the file's name names another student than its content
    case: dict | None = None  # the file's case stamp, None for a file saved before stamps


@dataclass(frozen=True)
class Skipped:
    """A file that was not used, and why."""

    name: str
    reason: str


_NAMED = re.compile(r"anon-[0-9a-f]{8}")


def _files(paths) -> list[tuple[str, Path]]:
    """The files to read, each with the name the report shows: the file name, with its folder's name
    when two files share a name (never the whole path, which would show the instructor's folders);
    control characters in a name are shown as escapes."""
    files = []
    for p in map(Path, paths):
        try:
            files += sorted(p.glob("*.json")) if p.is_dir() else [p]
        except OSError:
            files.append(p)
    from collections import Counter
    counts = Counter(f.name for f in files)
    twice = {n for n, k in counts.items() if k > 1}
    return [(shown(f"{f.parent.name}/{f.name}" if f.name in twice else f.name), f) for f in files]


def read_limited(path: Path, limit: int | None = None) -> bytes:
    """The bytes of a regular file of at most `limit` bytes (default MAX_BYTES); see fileformat.read_limited."""
    return _read_limited(path, MAX_BYTES if limit is None else limit)


UNSTAMPED = "saved before work files named their case; read as work on the bundled case {}"


def _stamp_text(text: str, limit: int = 40) -> str:
    """A case id or digest from a file, safe to print: control characters escaped, cut to `limit`."""
    return shown(text if len(text) <= limit else text[:limit] + "…")


def stamp_problem(found: dict | None, case) -> str:
    """Why a file stamped `found` is not work on `case` (the reason of its "skipped" line), or ""."""
    from course_lib.case.records import work_folder_name
    from course_lib.case.stamp import stamp
    expected = stamp(case)
    if found is None:
        if work_folder_name(case) is None:
            return ""
        return (f"work saved before files named their case, so work on the bundled case, not on the case "
                f"{_stamp_text(expected['id'])} selected")
    if found["id"] != expected["id"]:
        return (f"work on the case {_stamp_text(found['id'])}, not on the case {_stamp_text(expected['id'])} "
                "selected (choose its case with --case)")
    if found["digest"] != expected["digest"]:
        return (f"work on another version of the case {_stamp_text(found['id'])} (exercise keys "
                f"{_stamp_text(found['digest'])}, expected {expected['digest']}): its answers were given "
                "for other keys; report it with the version the students used")
    return ""


def read_work(paths, case=None) -> tuple[list[Work], list[Skipped]]:
    """Read students' exported work (files, or folders of *.json); every file not used is named with why.
    With `case`, a file of another case or another version of it is skipped (`stamp_problem`)."""
    usable, skipped, seen = [], [], set()
    for name, path in _files(paths):
        try:
            key = path.resolve()
        except (OSError, RuntimeError):
            key = path
        if key in seen:
            skipped.append(Skipped(name, "given twice; read once"))
            continue
        seen.add(key)
        try:
            parsed = fileformat.parse_export(read_limited(path))
        except FileNotFoundError:
            skipped.append(Skipped(name, "no such file"))
            continue
        except ValueError as error:
            skipped.append(Skipped(name, str(error)))
            continue
        except OSError as error:
            skipped.append(Skipped(name, f"could not be opened ({(error.strerror or 'unknown error').lower()})"))
            continue
        if parsed.problem:
            skipped.append(Skipped(name, f"not a usable export: {parsed.problem}"))
        elif parsed.skipped:
            skipped.append(Skipped(name, f"{parsed.skipped} of its records are damaged, so the file was not used; "
                                         "ask the student to export their work again"))
        elif case is not None and (other := stamp_problem(parsed.case, case)):
            skipped.append(Skipped(name, other))
        else:
            usable.append((name, path, parsed))
    works, skipped = _one_per_student(usable, skipped)
    if case is not None:
        old = UNSTAMPED.format(case.info.id)
        works = [w if w.case is not None else
                 Work(w.name, w.student, w.records, "; ".join(x for x in (w.warning, old) if x), w.case)
                 for w in works]
    return works, skipped


def _content(records) -> str:
    """The records as one comparable text, whatever their order in the file."""
    import json
    from dataclasses import astuple
    return json.dumps(sorted((astuple(a) for a in records), key=lambda r: r[0]), sort_keys=True, default=str)


def _one_per_student(usable, skipped) -> tuple[list[Work], list[Skipped]]:
    """A Work per student. Files with the same student id and the same records are read once; files with
    the same id and different records are all listed and none used, whatever their names' order."""
    by_student: dict[str, list] = {}
    for entry in usable:
        by_student.setdefault(entry[2].student, []).append(entry)
    works = []
    for student, entries in by_student.items():
        contents = {}
        for name, _, parsed in entries:  # compared only when a student has more than one file
            contents.setdefault(_content(parsed.records) if len(entries) > 1 else "", []).append(name)
        if len(contents) > 1:
            names = [n for n, _, _ in entries]
            for n in names:
                others = ", ".join(o for o in names if o != n)
                skipped.append(Skipped(n, f"same student id ({student}) as {others}, with different records; "
                                          "none of them was used: pass only the file that is current"))
            continue
        name, path, parsed = entries[0]
        for other, _, _ in entries[1:]:
            skipped.append(Skipped(other, f"same student id ({student}) and the same records as {name}; read once"))
        named = set(_NAMED.findall(path.name))
        warning = (f"the file name names {', '.join(sorted(named))} but the file holds the work of {student}"
                   if named and student not in named else "")
        works.append(Work(name, student, tuple(parsed.records), warning, parsed.case))
    return works, skipped
