"""Shared fixtures: a fresh, writable copy of the bundled case for tests that break it on purpose."""

import csv
import shutil
from pathlib import Path

import pytest

from course_lib.case.records import BUNDLED_CASE


@pytest.fixture
def case_copy(tmp_path) -> Path:
    """A copy of the bundled case folder that a test may edit."""
    folder = tmp_path / "nk-2018"
    shutil.copytree(BUNDLED_CASE, folder)
    return folder


def edit_csv(path: Path, row_id: str, field: str, value: str) -> int:
    """Set one field of the row whose first column is `row_id`; return its spreadsheet row number."""
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    for n, row in enumerate(rows[1:], start=2):
        if row[0] == row_id:
            row[header.index(field)] = value
            break
    else:
        raise AssertionError(f"no row {row_id!r} in {path}")
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return n


def row_of(path: Path, row_id: str) -> int:
    """The spreadsheet row number (header = 1) of the row whose first column is `row_id`."""
    with path.open(encoding="utf-8", newline="") as f:
        for n, row in enumerate(csv.reader(f), start=1):
            if row and row[0] == row_id:
                return n
    raise AssertionError(f"no row {row_id!r} in {path}")


def replace_in(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace text in a file, failing loudly when the text is not there."""
    content = path.read_text(encoding="utf-8")
    assert old in content, f"{old!r} not in {path.name}"
    path.write_text(content.replace(old, new, count), encoding="utf-8")
