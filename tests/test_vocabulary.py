"""The course's vocabularies have one definition each, which every module imports (issue #18)."""

import re
from pathlib import Path

from course_lib.work import fileformat as _workfile

from course_lib.instructors import collect
from course_lib.checking import checks as exercises
from course_lib.work import progress
from course_lib.analysis import sourcing
from course_lib.checking import session
from course_lib.case.files import CLAIM_TYPES, VERDICTS
from course_lib.case.records import load_case

PACKAGE = Path(__file__).resolve().parents[1] / "course_lib"


def test_the_answer_verdicts_are_the_work_files_own():
    assert progress.VERDICTS is _workfile.VERDICTS   # progress checks a verdict against the file format's own list
    for module in (exercises, session, collect):
        for name in ("CORRECT", "INCORRECT", "KEPT"):
            if hasattr(module, name):
                assert getattr(module, name) is getattr(_workfile, name)
    assert set(exercises.SYMBOL) == set(exercises.HEADLINE) == set(_workfile.VERDICTS)


def test_no_module_types_a_verdict_as_a_string_again():
    typed = re.compile(r'''["'](partly correct|not answered yet)["']|verdict[^\n]{0,40}["'](correct|incorrect|kept)["']''')
    found = [f"{p.name}:{n}" for p in PACKAGE.rglob("*.py") if p.name != "fileformat.py"
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if typed.search(line)]
    assert not found, f"verdicts typed as strings instead of imported from _workfile: {found}"


def test_the_claim_vocabularies_order_the_figures_and_the_rating_scale():
    case = load_case()
    assert sourcing.claim_grid(case, by="verdict").columns == tuple(v for v in VERDICTS if v != "unverified")
    assert sourcing.claim_grid(case, by="type").columns == sourcing.TYPE_ORDER
    assert sourcing.TYPE_ORDER == ("checkable-fact", "attribution", "prediction", "mixed", "opinion")
    assert sorted(sourcing.TYPE_ORDER) == sorted(CLAIM_TYPES)
    rated = [v for v in VERDICTS if v in sourcing.RATING_SCALE]
    assert set(sourcing.RATING_SCALE) <= set(VERDICTS)
    assert rated == sorted(rated, key=lambda v: -sourcing.RATING_SCALE[v])   # best first, as the figure shows
    assert VERDICTS[:len(rated)] == tuple(rated)                                 # the unrated ones come last
