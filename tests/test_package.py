"""The package as students and instructors meet it: import cost, public names, the command line,
and the setup files the README promises."""

import fnmatch
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from types import ModuleType

import course_lib
from course_lib.instructors import cli
from course_lib.case.records import BUNDLED_CASE

ROOT = Path(__file__).resolve().parent.parent


def test_import_is_light():
    code = ("import sys, course_lib; course_lib.load_case(); "
            "print(sorted(m for m in ('matplotlib', 'ipywidgets', 'numpy', 'IPython') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_public_names():
    assert course_lib.__all__ == sorted(course_lib.__all__)
    public = {n for n in dir(course_lib) if not n.startswith("_")
              and not isinstance(getattr(course_lib, n), ModuleType)}
    assert set(course_lib.__all__) == public
    assert callable(course_lib.answer) and callable(course_lib.save_my_work)


def test_check_case_summarises_the_bundled_case(capsys):
    assert cli.main(["check-case"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Case nk-2018: Trump’s tweets show lack of coordination")
    assert re.search(r"events\s+\d+, 2017-09-30 to 2018-10-07", out)
    assert out.rstrip().endswith("No problems found.")


def test_check_case_lists_problems_and_exits_1(case_copy, capsys):
    (case_copy / "statements.csv").unlink()
    (case_copy / "lessons.toml").unlink(missing_ok=True)   # its statement ids would each be a problem too
    path = case_copy / "sources.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",tweet,", ",tweeet,", 1), encoding="utf-8")
    assert cli.main(["check-case", str(case_copy)]) == 1
    err = capsys.readouterr().err
    assert "has 2 problems:" in err
    assert "nk-2018/statements.csv: the file is missing" in err
    assert "field 'kind': expected one of tweet" in err


def test_console_script_is_installed():
    script = Path(sys.executable).with_name("course-lib")
    out = subprocess.run([str(script), "check-case", str(ROOT / "nowhere")], capture_output=True, text=True)
    assert out.returncode == 2 and "no such folder" in out.stderr  # an unknown case: one line, status 2


def test_case_files_are_package_data():
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["course_lib"]
    for path in BUNDLED_CASE.parent.rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts:
            rel = path.relative_to(ROOT / "course_lib").as_posix()
            assert any(fnmatch.fnmatch(rel, pattern) for pattern in data), f"{rel} would not be installed"


def test_binder_pins_match_the_promise():
    reqs = [line.strip() for line in (ROOT / "binder/requirements.txt").read_text().splitlines()
            if line.strip() and not line.startswith("#")]
    pins = dict(line.split("==") for line in reqs if "==" in line)
    assert {"jupyterlab", "ipywidgets", "matplotlib"} <= set(pins)
    assert all(re.fullmatch(r"\d+(\.\d+)+", v) for v in pins.values())
    assert pins["ipywidgets"].startswith("8.")
    assert "." in reqs, "Binder reads only binder/, so the course package must be installed from there"
    runtime = (ROOT / "binder/runtime.txt").read_text().strip()
    assert re.fullmatch(r"python-3\.(1[1-9])", runtime)


def test_readme_keeps_its_promises():
    readme = (ROOT / "README.md").read_text()
    badge = re.search(r"mybinder\.org/v2/gh/[^)\s]+\?urlpath=lab/tree/(lessons/[^)\s]+)", readme)
    assert badge and (ROOT / badge.group(1)).is_file()
    assert "make lab" in readme and "make test" in readme
    makefile = (ROOT / "Makefile").read_text()
    assert "binder/requirements.txt" in makefile and "lessons/00-start-here.ipynb" in makefile
    ci = (ROOT / ".ci/run").read_text()
    assert "set -euo pipefail" in ci and "make test" in ci
