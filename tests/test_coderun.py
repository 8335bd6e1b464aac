"""Issue #15: the code runner confines a student's function. Each test is an attack that worked before."""

import json
import os
import sys
import time

import pytest

from course_lib import load_case
from course_lib.checking import coderun
from course_lib.checking.checks import INCORRECT, check
from course_lib.case.items import HiddenTest

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the forked runner is POSIX-only")
ITEM = load_case().exercises["l0-code"]
ONE = (HiddenTest((), True, "one case"),)


def test_a_process_the_function_starts_dies_with_it(tmp_path):
    marker = tmp_path / "still-running"

    def spawn_and_hang():
        import subprocess
        subprocess.Popen(["sh", "-c", f"sleep 1.5; echo alive > '{marker}'"], start_new_session=False)
        while True:
            pass

    coderun.run_with_limit(spawn_and_hang, ONE, 0.5)   # (where RLIMIT_NPROC applies, Popen fails at once)
    time.sleep(2.5)
    assert not marker.exists()


def test_a_process_left_behind_by_a_function_that_returns_dies_too(tmp_path):
    marker = tmp_path / "left-behind"

    def spawn_and_return():
        import subprocess
        subprocess.Popen(["sh", "-c", f"sleep 1; echo alive > '{marker}'"])
        return True

    coderun.run_with_limit(spawn_and_return, ONE, 5)
    time.sleep(2)
    assert not marker.exists()


def test_the_child_runs_in_its_own_group_with_limits():
    def inspect():
        import resource
        cpu = resource.getrlimit(resource.RLIMIT_CPU)[0]
        memory = resource.getrlimit(resource.RLIMIT_AS)[0]
        return os.getpgrp() == os.getpid() and cpu != resource.RLIM_INFINITY and memory != resource.RLIM_INFINITY
    assert coderun.run_with_limit(inspect, ONE, 5) == [("ok", "")]


def test_prints_are_not_kept_in_memory():
    def chatty():
        for _ in range(50):
            print("x" * 100_000)
        return not hasattr(sys.stdout, "getvalue")
    assert coderun.run_with_limit(chatty, ONE, 5) == [("ok", "")]


def test_the_raw_file_descriptors_are_redirected(capfd):
    def raw_writer():
        os.write(1, b"LEAK-ON-FD-1\n")
        os.write(2, b"LEAK-ON-FD-2\n")
        return True
    assert coderun.run_with_limit(raw_writer, ONE, 5) == [("ok", "")]
    out, err = capfd.readouterr()
    assert "LEAK" not in out and "LEAK" not in err


@pytest.mark.parametrize("how", ["pickle", "json"])
def test_a_forged_result_is_refused(how):
    def forge(first, second):
        import gc
        from multiprocessing.connection import Connection
        for obj in gc.get_objects():
            if isinstance(obj, Connection) and not obj.closed:
                try:
                    if how == "pickle":
                        obj.send([("ok", "")] * 5)
                    else:
                        obj.send_bytes(json.dumps([["ok", ""]] * 5).encode())
                except OSError:
                    continue
        os._exit(0)
    feedback = check(ITEM, forge)
    assert feedback.verdict == INCORRECT
    assert "5 of 4" not in feedback.message


def test_the_report_shapes_accepted():
    assert coderun.checked([["ok", ""], ["wrong", "x" * 5000]], 2) == [("ok", ""), ("wrong", "x" * coderun.MAX_TEXT)]
    assert coderun.checked([["unanswered", ""]], 4) == [("unanswered", "")]
    for forged in ([["ok", ""]] * 5, [["ok", ""], ["passed", ""]], [["ok", 1], ["ok", ""]], {"ok": 2}, "ok"):
        assert coderun.checked(forged, 2) is None


def test_the_time_limit_is_bounded():
    assert coderun._limit(1e300) == coderun.MAX_SECONDS == 30
    assert coderun._limit(float("nan")) == coderun.MAX_SECONDS
    assert coderun._limit(-1) == 0.05 and coderun._limit(3) == 3


LIMITED = r"""
import os, sys, time
import multiprocessing.popen_fork, multiprocessing.connection, subprocess, threading, json, resource
import numpy as np
from course_lib.checking import coderun
from course_lib.case.items import HiddenTest
if os.getuid() == 0:                      # root ignores RLIMIT_NPROC: run as nobody, as a student would be
    os.setgid(65534); os.setuid(65534)

def bomb():
    for _ in range(2000):
        if os.fork() == 0:
            time.sleep(3)
            os._exit(0)
    return "all forked"

def blas():
    a = np.ones((300, 300))
    return float((a @ a).sum())

print(json.dumps([coderun.run_with_limit(bomb, (HiddenTest((), "x", ""),), 10),
                  coderun.run_with_limit(blas, (HiddenTest((), 300.0 ** 3, ""),), 10)]))
"""


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="the task count comes from /proc")
def test_a_fork_bomb_is_bounded_and_library_threads_still_start():
    import subprocess
    from pathlib import Path
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, "-c", LIMITED], capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, PYTHONPATH=str(root)), cwd="/")
    assert done.returncode == 0, done.stderr
    bomb, blas = json.loads(done.stdout.strip().splitlines()[-1])
    assert bomb[0][0] == "raised" and "BlockingIOError" in bomb[0][1]
    assert blas == [["ok", ""]]           # OpenBLAS's worker threads still start (with NPROC = 0 it hung)
