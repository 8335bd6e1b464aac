"""Running a student's function on hidden test cases, in a separate process stopped after a time limit.

A function that loops forever must not hang the student's kernel, and its prints must not reach the
notebook: each run forks a child in its own session (process group), with its standard streams sent
to /dev/null, its prints discarded, and limits on CPU time, memory and new processes where the
system has them (RLIMIT_NPROC: the user's tasks now plus a few dozen, so a library's worker threads
still start but a fork bomb does not). The child reports only an outcome per case, as bounded JSON that the parent checks
(one outcome per hidden case, nothing else); when the time is up, or the function returns, the whole
group is killed, so a process the function started cannot outlive the check (one that leaves the
group with setsid() can; RLIMIT_NPROC bounds how many it can start where the limit applies).
Where fork is not available (Windows), a thread is used, which can stop waiting but cannot stop the
function. Under Pyodide (JupyterLite), where no process can start, `run_with_limit` hands the same
cases to `steprun.run_in_process`, which stops the function by a step budget instead.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import signal
import sys

from course_lib.checking.values import number, readable, safe_repr

MAX_SECONDS = 30.0          # the longest any check may run, whatever an item file says
MAX_RESULT_BYTES = 200_000  # the child's report; a larger one is not read
MAX_TEXT = 300              # characters of a "what happened" line kept
MEMORY_HEADROOM = 1 << 30   # bytes of address space the function may add to the kernel's
OUTCOMES = ("ok", "wrong", "raised")
TASK_HEADROOM = 64          # processes and threads the function may add to the user's (RLIMIT_NPROC counts both)


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


class _Discard:
    """A text stream that keeps nothing: the student's prints cost no memory and go nowhere."""

    encoding = "utf-8"

    def write(self, text) -> int:
        return len(text) if isinstance(text, str) else 0

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


def _run_cases(func, tests) -> list[tuple[str, str]]:
    """Run func on each hidden case; (outcome, what happened) per case. Runs in the child process."""
    sys.stdout = sys.stderr = _Discard()  # the student's prints must not reach the kernel's streams
    results = []
    for t in tests:
        try:
            got = func(*t.args)
        except NotImplementedError:
            return [("unanswered", "")]
        except Exception as exc:  # the student's code raised: becomes a hint
            results.append(("raised", f"{type(exc).__name__}: {safe_repr(str(exc), 80)}"))
            continue
        results.append(("ok", "") if _same(got, t.expected) else ("wrong", _gave(got, t.expected)))
    return results


_KINDS = {bool: "True or False", int: "a number", float: "a number", str: "text", list: "a list", dict: "a dict"}


def _gave(got, expected) -> str:
    """What the function returned, as a student reads it, with its type when that is the problem:
    `'1' (a str, where a number is expected)`. Runs in the child, on the student's value."""
    text = readable(got, 150)
    want = _KINDS.get(type(expected))
    if want and type(got) in (list, tuple) and type(expected) is list:
        return text
    if want and not (want == "a number" and type(got) in (int, float)) and type(got) is not type(expected):
        return f"{text} (a {type(got).__name__}, where {want} is expected)"
    return text


def _confine(seconds: float) -> None:
    """In the child, before the student's code runs: its own session, quiet streams, resource limits."""
    os.setsid()   # a process group of its own, so the parent can kill everything it starts
    with open(os.devnull, "rb") as null_in, open(os.devnull, "wb") as null_out:
        os.dup2(null_in.fileno(), 0)
        os.dup2(null_out.fileno(), 1)
        os.dup2(null_out.fileno(), 2)
    try:
        import resource
    except ImportError:  # pragma: no cover - not POSIX
        return
    cpu = math.ceil(seconds) + 1
    limits = [(getattr(resource, "RLIMIT_CPU", None), cpu)]
    tasks = _user_tasks()
    if tasks is not None:   # room for a library's worker threads (OpenBLAS hangs without), not for a fork bomb
        limits.append((getattr(resource, "RLIMIT_NPROC", None), tasks + TASK_HEADROOM))
    try:
        with open("/proc/self/statm") as f:   # address space now, plus headroom for the function
            limits.append((getattr(resource, "RLIMIT_AS", None),
                           int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE") + MEMORY_HEADROOM))
    except (OSError, ValueError, IndexError):
        pass
    for which, value in limits:
        if which is None:
            continue
        try:
            _, hard = resource.getrlimit(which)
            if hard != resource.RLIM_INFINITY:
                value = min(value, hard)
            resource.setrlimit(which, (value, value))
        except (OSError, ValueError):
            pass


def _user_tasks() -> int | None:
    """How many processes and threads this user runs now (Linux /proc), or None where that cannot be told."""
    try:
        uid, count = os.getuid(), 0
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                try:
                    if entry.stat().st_uid == uid:
                        count += len(os.listdir(f"/proc/{entry.name}/task"))
                except OSError:   # the process ended while we looked
                    continue
        return count or None
    except (OSError, AttributeError):
        return None


def _child(conn, func, tests, seconds):
    try:
        _confine(seconds)
        payload = _run_cases(func, tests)
    except BaseException as exc:  # noqa: B902 - whatever happens, the parent gets an answer
        payload = [("raised", type(exc).__name__)]
    try:
        import json
        conn.send_bytes(json.dumps(payload).encode("utf-8"))
    except BaseException:  # noqa: B902
        pass
    finally:
        conn.close()


def checked(results, n: int) -> list[tuple[str, str]] | None:
    """The child's report if it has the only shapes a run can give — one known outcome per hidden case,
    or a single "unanswered" — with its texts cut short; else None (a forged "5 of 4" is refused)."""
    if not isinstance(results, list):
        return None
    if len(results) == 1 and isinstance(results[0], (list, tuple)) and list(results[0]) == ["unanswered", ""]:
        return [("unanswered", "")]
    if len(results) != n:
        return None
    out = []
    for r in results:
        if not (isinstance(r, (list, tuple)) and len(r) == 2 and r[0] in OUTCOMES and isinstance(r[1], str)):
            return None
        out.append((r[0], r[1][:MAX_TEXT]))
    return out


def _limit(seconds) -> float:
    """The time limit actually used: the item's, between 0.05 s and MAX_SECONDS."""
    try:
        seconds = float(seconds)
    except (TypeError, ValueError):
        return 2.0
    return min(max(seconds, 0.05), MAX_SECONDS) if math.isfinite(seconds) else MAX_SECONDS


def _kill_group(proc) -> None:
    """Kill the child and every process in its group (it leads its own session)."""
    if proc.pid is None:
        return
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (OSError, AttributeError):  # gone already, or not yet its own group: the child alone
        if proc.is_alive():
            proc.kill()


def run_with_limit(func, tests, seconds: float) -> list[tuple[str, str]] | None:
    """Run the cases in a forked process and stop it after `seconds`; None when time ran out."""
    seconds = _limit(seconds)
    tests = tuple(tests)
    if sys.platform in ("emscripten", "wasi"):  # Pyodide: no process can start; a step budget instead
        from course_lib.checking.steprun import run_in_process
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
    proc = ctx.Process(target=_child, args=(send, func, tests, seconds), daemon=True)
    proc.start()
    send.close()
    try:
        if not receive.poll(seconds):
            return None
        import json
        report = checked(json.loads(receive.recv_bytes(MAX_RESULT_BYTES)), len(tests))
        if report is None:
            return [("raised", "the run sent back something that is not a result")] * len(tests)
        return report
    except (EOFError, OSError, ValueError):
        return [("raised", "the function stopped the process")]
    finally:
        _kill_group(proc)
        proc.join(1)
        receive.close()
