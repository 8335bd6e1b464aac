"""Running a student's function in this process, stopped by a step budget, where no process can be
started (Pyodide in JupyterLite: `fork` exists there but fails, and there are no threads to wait in).

A `sys.settrace` hook counts the lines the student's code runs and checks the clock every few
thousand; past the budget it raises `OutOfSteps` inside that code, so an endless loop ends as a hint
instead of freezing the browser tab. Its limits, said plainly: a single call into C (`sum(range(10**12))`)
is one step and cannot be interrupted, and code that catches BaseException (a bare `except:`) in its
loop swallows the stop once, after which Python removes the hook. Prints are kept from the notebook
and the streams are put back however the function ends.
"""

from __future__ import annotations

import sys
import time

#: Lines of student code allowed per hidden case set; ~1-5 s in CPython, longer under Pyodide.
STEP_BUDGET = 5_000_000
_CHECK_CLOCK_EVERY = 4096


class OutOfSteps(BaseException):
    """Raised inside the student's code when its budget is spent: BaseException, so `except Exception`
    in the student's loop does not swallow it."""


def run_in_process(func, tests, seconds: float, steps: int = STEP_BUDGET) -> list[tuple[str, str]] | None:
    """Run the hidden cases in this process under a step and time budget; None when either ran out,
    as `coderun.run_with_limit` returns None when its time limit passed."""
    from course_lib.checking.coderun import _run_cases   # the same per-case outcomes as the process path

    deadline = time.monotonic() + max(float(seconds), 0.0)
    left = [int(steps)]
    spent = []

    def local(frame, event, arg):
        if event == "line":
            left[0] -= 1
            if left[0] <= 0 or (left[0] % _CHECK_CLOCK_EVERY == 0 and time.monotonic() > deadline):
                spent.append(True)
                raise OutOfSteps()
        return local

    def hook(frame, event, arg):  # every new frame: count its lines with `local`
        return local(frame, event, arg) if event == "line" else local

    previous_trace = sys.gettrace()
    out, err = sys.stdout, sys.stderr
    sys.settrace(hook)
    try:
        results = _run_cases(func, tests)
    except OutOfSteps:
        results = None
    except BaseException as exc:  # SystemExit, KeyboardInterrupt or a student's BaseException subclass
        if isinstance(exc, KeyboardInterrupt):
            raise
        results = [("raised", f"{type(exc).__name__}")] if not spent else None
    finally:
        sys.settrace(previous_trace)
        sys.stdout, sys.stderr = out, err
    if spent:
        return None
    return results
