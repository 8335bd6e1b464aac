"""Repository-wide pytest set-up: each notebook that nbval runs gets its own empty work folder.

Student work (my-work/progress.json) would otherwise carry over between notebooks and between runs,
and a re-run would restore earlier answers, so the stored outputs could never match.
"""

import os
import tempfile

import pytest

_seen: set[int] = set()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Before the first cell of a notebook starts its kernel, point COURSE_LIB_WORK_DIR at a new folder."""
    notebook = item.parent
    if type(notebook).__name__ == "IPyNbFile" and id(notebook) not in _seen:
        _seen.add(id(notebook))
        os.environ["COURSE_LIB_WORK_DIR"] = os.path.join(tempfile.mkdtemp(prefix="course-lib-nbval-"), "my-work")
