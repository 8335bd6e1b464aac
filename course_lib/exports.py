"""Reading many students' exported work, for the instructors' reports (`class-report`, `collect`).

Each file is one student's save_my_work() export. A file that cannot be used — not found, too large,
not an export of this course, with damaged records, or a second file from the same student — is
named with the reason and skipped, never merged: an instructor must be able to trust every figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from course_lib import progress

MAX_BYTES = 20_000_000


@dataclass(frozen=True)
class Work:
    """One student's usable file: the name the reports show, the pseudonymous id and the attempts."""

    name: str
    student: str
    records: tuple


@dataclass(frozen=True)
class Skipped:
    """A file that was not used, and why."""

    name: str
    reason: str


def _files(paths) -> list[tuple[str, Path]]:
    """The files to read, each with the name the report shows: the file name, with its folder's name
    when two files share a name (never the whole path, which would show the instructor's folders)."""
    files = []
    for p in map(Path, paths):
        files += sorted(p.glob("*.json")) if p.is_dir() else [p]
    twice = {n for n in (f.name for f in files) if sum(f.name == n for f in files) > 1}
    return [(f"{f.parent.name}/{f.name}" if f.name in twice else f.name, f) for f in files]


def read_work(paths) -> tuple[list[Work], list[Skipped]]:
    """Read students' exported work (files, or folders of *.json); every file not used is named with why."""

    works, skipped, seen, owner = [], [], set(), {}
    for name, path in _files(paths):
        if path.resolve() in seen:
            skipped.append(Skipped(name, "given twice; read once"))
            continue
        seen.add(path.resolve())
        try:
            if path.stat().st_size > MAX_BYTES:
                skipped.append(Skipped(name, "too large to be a saved-work file"))
                continue
            parsed = progress.parse_export(path.read_bytes())
        except FileNotFoundError:
            skipped.append(Skipped(name, "no such file"))
            continue
        except OSError as error:
            skipped.append(Skipped(name, f"could not be opened ({(error.strerror or 'unknown error').lower()})"))
            continue
        if parsed.problem:
            skipped.append(Skipped(name, f"not a usable export: {parsed.problem}"))
        elif parsed.skipped:
            skipped.append(Skipped(name, f"{parsed.skipped} of its records are damaged, so the file was not used; "
                                         "ask the student to export their work again"))
        elif parsed.student in owner:
            skipped.append(Skipped(name, f"same student id ({parsed.student}) as {owner[parsed.student]}; not "
                                         "merged: pass only the file that is current"))
        else:
            owner[parsed.student] = name
            works.append(Work(name, parsed.student, tuple(parsed.records)))
    return works, skipped
