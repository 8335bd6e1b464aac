"""The instructor's class for the benchmark: a synthetic class who answered every item of the course,
saved as the files students export, and the commands an instructor runs on it (`course-lib collect`
and `course-lib class-report`) against the floor of reading and JSON-parsing the same files.

The class is made with the package's own calls: every answer is checked with `exercises.check` (each
distinct answer once: the generator would otherwise take minutes), every attempt is an `Attempt` made
safe with `json_safe` and every file is written with the package's `encode`, as save_my_work() does.
Students are drawn with a fixed seed so every run measures the same class. The spread is meant to look
like a real class: most students right first time on most items, the wrong ones concentrated on a few
popular wrong answers, a second or third try after a wrong one, free text that differs from student to
student, and codings that agree on most statements and split on a few.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import asdict
from datetime import datetime, timedelta, timezone
from pathlib import Path

SEED = 20
WORDS = ("the source says who decided and when the statement was made but not who was told before the "
         "tweets went out so I would check the wire copy against the official readout and ask whether the "
         "reporter saw the letter or was told about it by an aide which changes how much weight it carries").split()

# Run in a fresh interpreter around the subject's or the floor's work: the seconds and CPU seconds the
# work took (its imports included) and the process's peak resident memory, written as JSON to the file in argv[1].
# VmHWM, not ru_maxrss: on Linux ru_maxrss keeps the forking parent's peak across exec.
PROBE = """\
import sys as _sys, time as _time
_t0, _c0 = _time.perf_counter(), _time.process_time()
{work}
_seconds, _cpu = _time.perf_counter() - _t0, _time.process_time() - _c0
_peak = 0
try:
    with open("/proc/self/status") as _f:
        _peak = next(int(_l.split()[1]) * 1024 for _l in _f if _l.startswith("VmHWM:"))
except (OSError, StopIteration):
    import resource as _resource
    _peak = _resource.getrusage(_resource.RUSAGE_SELF).ru_maxrss * (1 if _sys.platform == "darwin" else 1024)
import json as _json
with open(_sys.argv[1], "w") as _out:
    _json.dump({{"seconds": _seconds, "cpu": _cpu, "peak": _peak}}, _out)
"""

# The floor: what any tool must do with the same files, read each and parse its JSON.
FLOOR_WORK = """\
import json
from pathlib import Path
_docs = [json.loads(p.read_bytes()) for p in sorted(Path(_sys.argv[2]).glob("*.json"))]
"""
# The subjects: the instructor's commands, as `course-lib COMMAND` runs them (argv: result, class, out).
SUBJECT_WORK = {
    "collect": """\
from course_lib.instructors.cli import main
_rc = main(["collect", _sys.argv[2], "--out", _sys.argv[3] + "/gradebook.csv"])
""",
    "class-report": """\
from course_lib.instructors.cli import main
_rc = main(["class-report", _sys.argv[2], "--out", _sys.argv[3] + "/report"])
""",
}


# ---- the class ------------------------------------------------------------------------------------

class Answers:
    """Draws a student's answers to one item and checks each distinct one once, with `check()`."""

    def __init__(self, case, rng: random.Random):
        from course_lib.checking.checks import check

        self.case, self.rng, self.check = case, rng, check
        self.checked: dict[tuple[str, str], tuple[str, float | None, str]] = {}

    def verdict(self, item, value) -> tuple[str, float | None, str]:
        """(verdict, score, feedback text) of `value`, as answer() would record them."""
        key = (item.id, json.dumps(value, sort_keys=True))
        if key not in self.checked:
            if item.kind == "code" and value == "right":
                # the saved answer is the function's name: its tests ran in the kernel, and a right
                # function's feedback is the one line the checker writes for it
                self.checked[key] = ("correct", 1.0, f"✔ Correct. {item.function} passed all "
                                                     f"{len(item.tests)} hidden cases.")
                return self.checked[key]
            fb = self.check(item, _FUNCTIONS.get(value, value) if item.kind == "code" else value,
                            self.case.sources)
            self.checked[key] = (fb.verdict, fb.score, fb.as_text())
        return self.checked[key]

    def first(self, item, skill: float):
        """A first answer: right with a probability that grows with the student's skill."""
        return self.draw(item, self.rng.random() < skill)

    def draw(self, item, right: bool):
        rng = self.rng
        if item.kind == "single":
            good = [o.id for o in item.options if o.correct]
            bad = [o.id for o in item.options if not o.correct]
            return good[0] if right or not bad else _popular(rng, bad)
        if item.kind == "multiple":
            good = [o.id for o in item.options if o.correct]
            if right:
                return good
            bad = [o.id for o in item.options if not o.correct]
            pick = good[:-1] if len(good) > 1 and rng.random() < 0.5 else list(good)
            return pick + ([_popular(rng, bad)] if bad else [])
        if item.kind in ("classify", "match"):
            choices = [c.id for c in item.choices]
            miss = 0.0 if right else rng.choice((0.1, 0.2, 0.35))
            out = {}
            for n, e in enumerate(item.entries):
                others = [c for c in choices if c != e.key]
                # some statements are hard (every third is missed twice as often), as in a real class
                if others and rng.random() < miss * (2 if n % 3 == 0 else 1):
                    out[e.id] = _popular(rng, others)
                else:
                    out[e.id] = e.key
            return out
        if item.kind == "order":
            good = [e.id for e in item.entries]
            if right or len(good) < 2:
                return good
            i = rng.randrange(len(good) - 1)
            return good[:i] + [good[i + 1], good[i]] + good[i + 2:]
        if item.kind == "numeric":
            if right:
                return item.answer
            mistakes = [m.value for m in item.mistakes]
            if mistakes and rng.random() < 0.7:
                return _popular(rng, mistakes)
            return round(item.answer * rng.choice((0.5, 2, 10, 0.1)) + rng.randint(-3, 3), 2)
        if item.kind == "code":
            return "right" if right else rng.choice(("wrong", "raises"))
        n = rng.randint(max(item.min_words - 10, 3), max(item.min_words + 40, 20))
        return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def _popular(rng: random.Random, values: list):
    """One of `values`, the first ones much more often (a class's wrong answers cluster)."""
    weights = [1 / (n + 1) ** 1.5 for n in range(len(values))]
    return rng.choices(values, weights)[0]


def _wrong(*args):
    return None


def _raises(*args):
    raise ValueError("not yet")


_FUNCTIONS = {"wrong": _wrong, "raises": _raises}   # a student's wrong functions, checked for real


def make_class(folder: Path, students: int, seed: int = SEED, case=None) -> Path:
    """Write `students` exported-work files into `folder` (made if missing), one per student, every item
    answered; return the folder. The same seed gives the same class."""
    from course_lib.work.fileformat import FORMAT, VERSION, Attempt, encode, json_safe
    from course_lib.case.records import current_case
    from course_lib.case.stamp import stamp

    case = case or current_case()
    rng = random.Random(seed)
    answers = Answers(case, rng)
    items = list(case.exercises)
    folder.mkdir(parents=True, exist_ok=True)
    start = datetime(2026, 10, 5, 9, 0, tzinfo=timezone.utc)
    for n in range(students):
        student = f"anon-{rng.getrandbits(32):08x}"
        skill = min(0.95, max(0.2, rng.gauss(0.65, 0.15)))
        at = start + timedelta(days=rng.randrange(14), minutes=rng.randrange(600))
        records = []
        for item in items:
            value = answers.first(item, skill)
            hints = 0
            for attempt in range(1, 4):
                verdict, score, feedback = answers.verdict(item, value)
                saved = f"<function {item.function}>" if item.kind == "code" else value   # as answer() saves it
                at += timedelta(seconds=rng.randint(20, 240))
                records.append(Attempt(uuid.UUID(int=rng.getrandbits(128), version=4).hex, item.id,
                                       json_safe(saved), verdict, score, attempt, hints,
                                       float(rng.randint(15, 300)),
                                       rng.choice(range(50, 101, 10)) if item.confidence else None,
                                       feedback, at.isoformat(timespec="microseconds")))
                if verdict in ("correct", "kept") or rng.random() < 0.15:   # done, or gave up
                    break
                hints += rng.random() < 0.4
                value = answers.draw(item, rng.random() < 0.6 + 0.3 * skill)
        doc = {"format": FORMAT, "version": VERSION, "student": student, "case": stamp(case),   # as save_my_work() stamps it
               "records": [asdict(a) for a in sorted(records, key=lambda a: a.at)]}
        (folder / f"my-work-{student}.json").write_bytes(encode(doc))
    return folder


def first_of(source: Path, target: Path, students: int) -> Path:
    """A smaller class: a copy of the first `students` files of `source` (by name)."""
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(source.glob("*.json"))[:students]:
        shutil.copyfile(path, target / path.name)
    return target


# ---- running the commands -------------------------------------------------------------------------

def run_probe(work: str, class_dir: Path, env: dict) -> dict:
    """Run `work` in a fresh interpreter on `class_dir`; return its seconds, peak memory (bytes) and
    the whole process's wall time (`wall`, interpreter start-up included)."""
    with tempfile.TemporaryDirectory(prefix="bench-class-out-") as out:
        result = Path(out) / "result.json"
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", PROBE.format(work=work), str(result), str(class_dir), out],
                              env=env, cwd=out, capture_output=True, text=True)
        wall = time.perf_counter() - start
        if done.returncode or not result.is_file():
            raise SystemExit(f"benchmark: the class run failed:\n{done.stdout}{done.stderr}")
        if "_rc" in work and any(l.startswith("skipped ") for l in (done.stdout + done.stderr).splitlines()):
            raise SystemExit(f"benchmark: the command skipped files of the synthetic class:\n{done.stderr}")
        got = json.loads(result.read_text())
        written = sorted(p.name for p in Path(out).rglob("*") if p.is_file() and p != result)
    return got | {"wall": wall, "written": written}


def subject(command: str) -> str:
    return SUBJECT_WORK[command] + "if _rc != 0:\n    raise SystemExit(_rc)\n"


if __name__ == "__main__":   # a class to look at: python benchmarks/classroom.py FOLDER [STUDENTS]
    target = Path(sys.argv[1])
    t = time.perf_counter()
    make_class(target, int(sys.argv[2]) if len(sys.argv) > 2 else 1000)
    size = sum(p.stat().st_size for p in target.glob("*.json"))
    print(f"wrote {len(list(target.glob('*.json')))} files, {size / 1e6:.1f} MB, in {time.perf_counter() - t:.1f} s",
          file=sys.stderr)
