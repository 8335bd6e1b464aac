"""Repository-wide pytest set-up: each notebook that nbval runs gets its own empty work folder, and
the whole run its own folder of cached cases.

Student work (my-work/progress.json) would otherwise carry over between notebooks and between runs,
and a re-run would restore earlier answers, so the stored outputs could never match.
"""

import os
import tempfile

import pytest

_seen: set[int] = set()
_cache_dir = tempfile.TemporaryDirectory(prefix="course-lib-case-cache-")


def pytest_configure(config):
    """Cases built during the tests are cached in a folder of this run, never in the user's ~/.cache
    (kernels and JupyterLab servers started by the tests inherit it)."""
    os.environ["COURSE_LIB_CACHE_DIR"] = _cache_dir.name


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Before the first cell of a notebook starts its kernel, point COURSE_LIB_WORK_DIR at a new folder."""
    notebook = item.parent
    if type(notebook).__name__ == "IPyNbFile" and id(notebook) not in _seen:
        _seen.add(id(notebook))
        os.environ["COURSE_LIB_WORK_DIR"] = os.path.join(tempfile.mkdtemp(prefix="course-lib-nbval-"), "my-work")
