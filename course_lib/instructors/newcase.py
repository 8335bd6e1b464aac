"""A template case folder for instructors who bring their own article: `course-lib new-case DIR`.

The template (cases/template/) is small but complete, so it loads and validates as it stands; every
placeholder says REPLACE, and `course-lib check-case DIR` guides the author from there. The pinned
CAMEO/Goldstein table is copied from the bundled case, so every case codes events the same way.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from course_lib.case.records import BUNDLED_CASE

TEMPLATE = Path(__file__).parent.parent / "cases" / "template"


def new_case(folder: str | Path, codebook_from: str | Path | None = None) -> Path:
    """Write the template case into `folder` (which must not exist or be empty); return its path. The
    pinned CAMEO table is copied from the case folder `codebook_from` (default: the bundled case)."""
    target = Path(folder).expanduser()
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise FileExistsError(f"{target} already exists and is not an empty folder; choose a new folder name")
    shutil.copytree(TEMPLATE, target, dirs_exist_ok=True)
    source = Path(codebook_from) if codebook_from is not None else BUNDLED_CASE
    shutil.copy2(source / "cameo-goldstein.csv", target / "cameo-goldstein.csv")
    return target
