"""course_lib: the helper library of the source-checking course.

The case study is data (`load_case()`); the analysis, exercises, widgets and plots live in their
own modules and are imported only when a lesson uses them, so `import course_lib` stays fast and
never imports matplotlib or ipywidgets.
"""

from course_lib.case import CaseError, load_case

__all__ = ["CaseError", "load_case"]
__version__ = "0.1.0"
