"""Running a student's function on hidden test cases, in a separate process stopped after a time limit.

A function that loops forever must not hang the student's kernel, and its prints must not reach the
notebook: each run forks a child process that reports only an outcome per case. Where fork is not
available (Windows), a thread is used, which can stop waiting but cannot stop the function.
"""

from __future__ import annotations

import math
import multiprocessing
import sys

from course_lib._values import number, safe_repr


def _same(got, expected) -> bool:
    """Compare a returned value to an expected one from the item file, without trusting got's __eq__."""
    if type(expected) is bool or type(got) is bool:
        return type(got) is bool and type(expected) is bool and got == expected
    if type(expected) in (int, float):
        x = number(got) if type(got) is not str else None
        return x is not None and math.isclose(x, expected, rel_tol=1e-6, abs_tol=1e-9)
    if type(expected) is str:
        return type(got) is str and got == expected
    if type(expected) is list:
        return type(got) in (list, tuple) and len(got) == len(expected) and all(map(_same, got, expected))
    if type(expected) is dict:
        return type(got) is dict and set(map(str, got)) == set(expected) and all(
            _same(got[k], expected[str(k)]) for k in got)
    return type(got) is type(expected) and got == expected


def _run_cases(func, tests) -> list[tuple[str, str]]:
    """Run func on each hidden case; (outcome, what happened) per case. Runs in the child process."""
    import io
    sys.stdout = sys.stderr = io.StringIO()  # the student's prints must not reach the kernel's streams
    results = []
    for t in tests:
        try:
            got = func(*t.args)
        except NotImplementedError:
            return [("unanswered", "")]
        except Exception as exc:  # the student's code raised: becomes a hint
            results.append(("raised", f"{type(exc).__name__}: {safe_repr(str(exc), 80)}"))
            continue
        results.append(("ok", "") if _same(got, t.expected) else
                       ("wrong", f"returned {safe_repr(got, 60)} ({type(got).__name__}), expected {safe_repr(t.expected, 60)}"))
    return results


def _child(conn, func, tests):
    try:
        conn.send(_run_cases(func, tests))
    except Exception as exc:
        conn.send([("raised", f"{type(exc).__name__}")])
    finally:
        conn.close()


def run_with_limit(func, tests, seconds: float) -> list[tuple[str, str]] | None:
    """Run the cases in a forked process and stop it after `seconds`; None when time ran out."""
    if sys.platform in ("emscripten", "wasi"):  # Pyodide: no process can start; a step budget instead
        from course_lib._steprun import run_in_process
        return run_in_process(func, tests, seconds)
    if "fork" not in multiprocessing.get_all_start_methods():  # Windows: a thread cannot be stopped
        import threading
        box = []
        worker = threading.Thread(target=lambda: box.append(_run_cases(func, tests)), daemon=True)
        out, err = sys.stdout, sys.stderr
        worker.start()
        worker.join(seconds)
        sys.stdout, sys.stderr = out, err
        return box[0] if box else None
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(send, func, tests), daemon=True)
    proc.start()
    send.close()
    try:
        ready = receive.poll(seconds)
        return receive.recv() if ready else None
    except EOFError:
        return [("raised", "the function stopped the process")]
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(1)
        receive.close()
