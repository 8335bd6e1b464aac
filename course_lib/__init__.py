"""course_lib: the helper library of the source-checking course.

Six wings, data flowing one way (ARCHITECTURE.md): `case` (the case's records) -> `analysis` and
`checking` -> `work` (the student's saved work) -> `frontend` (what a lesson shows) -> `instructors`
(the commands). The top level only lends a lesson the names a student types (`load_case`, `answer`,
`show`, `hint`, `from course_lib import coordination`...), each imported from its one home on first
use, so `import course_lib` stays fast and never imports matplotlib or ipywidgets.
"""

__version__ = "0.1.0"

# A student's name -> the module that is its home. Functions and classes are that module's attribute
# of the same name; a module name stands for the module itself.
_NAMES = {
    "CaseError": "case.files", "load_case": "case.records", "use_case": "case.records",
    "current_case": "case.records", "lesson_data": "case.records",
    "after_trying": "checking.session", "answer": "checking.session", "hint": "checking.session",
    "show_answer": "checking.session", "show": "frontend.widgets",
    "save_my_work": "frontend.mywork", "restore_my_work": "frontend.mywork",
    "header": "frontend.lesson", "keypoints": "frontend.lesson", "whats_next": "frontend.lesson",
    "article": "frontend.lesson",
}
_MODULES = {
    "sourcing": "analysis.sourcing", "coordination": "analysis.coordination",
    "consistency": "analysis.consistency", "ach": "analysis.ach",
    "lesson": "frontend.lesson", "widgets": "frontend.widgets", "plots": "frontend.plots", "memo": "frontend.memo",
    "progress": "work.progress", "classreport": "instructors.classreport", "tables": "analysis.tables",
}
__all__ = sorted(_NAMES)


def __getattr__(name):
    """Import a student's name from its home on first use, not at `import course_lib`."""
    from importlib import import_module
    if name in _NAMES:
        value = getattr(import_module(f"course_lib.{_NAMES[name]}"), name)
    elif name in _MODULES:
        value = import_module(f"course_lib.{_MODULES[name]}")
    else:
        raise AttributeError(f"module 'course_lib' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_NAMES) | set(_MODULES))


def _read_curly_quotes() -> None:
    """In a kernel, read a phone's curly quotes in a cell that cannot run otherwise (frontend.quotes)."""
    from course_lib.frontend.quotes import register_in_kernel
    register_in_kernel()


_read_curly_quotes()
