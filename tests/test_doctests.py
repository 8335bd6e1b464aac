"""Every doctest in course_lib runs here, so `make test` (and `pytest tests`) checks each example a
docstring shows; and every `>>>` line of the package is an example doctest finds, none left unrun."""

import doctest
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import course_lib

MODULES = sorted(m.name for m in pkgutil.walk_packages(course_lib.__path__, "course_lib.") if not m.ispkg)
PROMPT = re.compile(r"^\s*>>> ", re.M)


@pytest.mark.parametrize("name", MODULES)
def test_the_modules_doctests_pass_and_none_is_left_out(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} doctest example(s) of {name} failed (run python -m doctest -v)"
    written = len(PROMPT.findall(Path(module.__file__).read_text(encoding="utf-8")))
    assert result.attempted == written, (
        f"{name} has {written} '>>>' lines but doctest ran {result.attempted} examples: an example sits where "
        "doctest does not look (a comment, a nested function, a string that is not a docstring)")


def test_the_package_has_doctests_to_run():
    ran = {name: doctest.testmod(importlib.import_module(name)).attempted for name in MODULES}
    assert {"course_lib.analysis.coordination", "course_lib.analysis.sourcing", "course_lib.analysis.consistency",
            "course_lib.case.crosscheck", "course_lib.analysis.tables"} <= {n for n, k in ran.items() if k}
