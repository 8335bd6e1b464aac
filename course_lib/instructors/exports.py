"""Reading many students' exported work, for the instructors' reports (`class-report`, `collect`).

Each file is one student's save_my_work() export, and untrusted. A file that cannot be used — not
found, not a regular file (a FIFO, a device), too large, not an export of this course, with damaged
records — is named with the reason and skipped, never merged: an instructor must be able to trust
every figure. Two files claiming one student are both listed and neither used, unless they hold the
same records; a file whose name names another student than its content is used with a warning.
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
    """The bytes of a regular file of at most `limit` bytes (default MAX_BYTES); see _workfile.read_limited."""
    return _read_limited(path, MAX_BYTES if limit is None else limit)


def read_work(paths) -> tuple[list[Work], list[Skipped]]:
    """Read students' exported work (files, or folders of *.json); every file not used is named with why."""
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
        else:
            usable.append((name, path, parsed))
    return _one_per_student(usable, skipped)


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
        works.append(Work(name, student, tuple(parsed.records), warning))
    return works, skipped
