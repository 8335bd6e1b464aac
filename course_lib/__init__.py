"""course_lib: the helper library of the source-checking course.

The case study is data (`load_case()`); the analysis, exercises, widgets and plots live in their
own modules and are imported only when a lesson uses them, so `import course_lib` stays fast and
never imports matplotlib or ipywidgets.
"""

__all__ = ["CaseError", "after_trying", "answer", "hint", "load_case", "restore_my_work", "save_my_work", "show", "show_answer"]
__version__ = "0.1.0"

# Even the case module is imported on first use: its dataclasses and parsers cost ~30 ms, more than
# the interpreter's own start-up (benchmarks/README.md).
_LAZY = {"after_trying": "widgets", "answer": "widgets", "hint": "widgets", "show": "widgets", "show_answer": "widgets",
         "save_my_work": "progress", "restore_my_work": "progress",
         "CaseError": "case", "load_case": "case"}


def __getattr__(name):
    """Import the case, the exercise front end and the work store on first use, not at `import course_lib`."""
    if name in _LAZY:
        from importlib import import_module
        value = getattr(import_module(f"course_lib.{_LAZY[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'course_lib' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))


def _read_curly_quotes() -> None:
    """In a kernel, read a phone's curly quotes in a cell that cannot run otherwise (course_lib._quotes)."""
    from course_lib._quotes import register_in_kernel
    register_in_kernel()


_read_curly_quotes()
