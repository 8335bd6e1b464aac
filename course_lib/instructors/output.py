"""Writing the instructors' reports safely: one CSV writer for every CSV the package writes, and the
checks every output goes through (never an input, never a folder, never overwritten without --force,
written whole or not at all). The files students and colleagues send are untrusted: a text cell must
not become a live spreadsheet formula, and a report must never destroy a file it was given.
"""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

# A cell a spreadsheet would run as a formula: = + - @ first, or after leading tabs, CRs, LFs or spaces
# (OWASP, "CSV Injection"); a cell that *starts* with a tab or CR is neutralised too.
_FORMULA = re.compile(r"^[\t\r\n ]*[=+\-@\uff1d\uff0b\uff0d\uff20]|^[\t\r\n]")
_FIRST = frozenset("=+-@\t\r\n \uff1d\uff0b\uff0d\uff20")   # the only first characters worth a closer look
# A string that is a plain number ("-3", "+0.5", "-1e-3") is data, not a formula: it stays as it is.
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


class OutputError(Exception):
    """An output that must not be written; the message is one line for the instructor."""


def cell(value) -> object:
    """A CSV cell that no spreadsheet will run: numbers stay numbers, a formula-like string gets a
    leading single quote (OWASP's advice); a string that is a plain number such as "-3" stays numeric.

    >>> cell("=HYPERLINK(1)"), cell("\\t=1"), cell("-3"), cell(-3), cell("-3+cmd|x")
    ("'=HYPERLINK(1)", "'\\t=1", '-3', -3, "'-3+cmd|x")
    """
    if value is None or isinstance(value, bool):
        return "" if value is None else str(value)
    if isinstance(value, (int, float)):
        return value
    text = value if type(value) is str else str(value)
    if text[:1] in _FIRST and _FORMULA.match(text) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def csv_bytes(rows) -> bytes:
    """Rows (the header first) as the bytes of a UTF-8 CSV file, every cell made safe by `cell`."""
    buffer = io.StringIO(newline="")
    # the cells `cell` would return as they are (exact ints and floats, strings that cannot start a formula)
    # skip the call: a class of 1,000 writes 800,000 cells
    csv.writer(buffer).writerows([[c if type(c) is int or type(c) is float or (type(c) is str and c[:1] not in _FIRST)
                                   else cell(c) for c in row] for row in rows])
    return buffer.getvalue().encode("utf-8")


def shown(name) -> str:
    """A name (of a file, a column) safe to print on a terminal or in a report: control characters
    and text-direction overrides are written as escapes, so a file name cannot rewrite the screen.

    >>> shown("a\\x1b[2Jb.json")
    'a\\\\x1b[2Jb.json'
    """
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1] if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}",
                        str(name))


def input_files(paths) -> set:
    """The (device, inode) of every existing file that `paths` names, directly or in a folder."""
    found = set()
    for p in map(Path, paths):
        try:
            files = list(p.iterdir()) if p.is_dir() else [p]
        except OSError:
            continue
        for f in files:
            try:
                st = f.stat()
            except OSError:
                continue
            found.add((st.st_dev, st.st_ino))
    return found


def check_targets(targets, inputs=(), force: bool = False) -> None:
    """Raise OutputError (one line) if a target is an input, a folder, or an existing file without
    `force`, or if its folder cannot be made."""
    taken = input_files(inputs)
    for target in map(Path, targets):
        try:
            st = target.stat()
        except FileNotFoundError:
            st = None
        except OSError as error:
            raise OutputError(f"{shown(target)} cannot be checked ({(error.strerror or 'error').lower()}); "
                              "nothing was written") from None
        if st is not None:
            if (st.st_dev, st.st_ino) in taken:
                raise OutputError(f"{shown(target)} is one of the input files; choose another output name "
                                  "(nothing was written)")
            if os.path.isdir(target):
                raise OutputError(f"{shown(target)} is a folder; give a file name for the output "
                                  "(nothing was written)")
            if not force:
                raise OutputError(f"{shown(target)} already exists; pass --force to replace it "
                                  "(nothing was written)")
        parent = target.parent
        if parent.exists() and not parent.is_dir():
            raise OutputError(f"{shown(parent)} is not a folder, so {shown(target.name)} cannot be written there "
                              "(nothing was written)")


def write_all(files: dict) -> None:
    """Write {path: bytes}, each file atomically (the old or the new version, never half), creating a
    missing folder. Raises OutputError (one line)."""
    from course_lib.work.fileformat import atomic_write
    try:
        for path in files:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        for path, data in files.items():
            atomic_write(Path(path), data)
    except OSError as error:
        raise OutputError(f"could not write {shown(getattr(error, 'filename', None) or path)} "
                          f"({(error.strerror or 'error').lower()})") from None
