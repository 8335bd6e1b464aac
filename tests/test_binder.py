"""Binder as Binder builds it: what repo2docker picks for this repository, and an environment made
from binder/requirements.txt alone that imports course_lib and runs the start-here lesson.

Binder reads only binder/ when it exists (pyproject.toml is ignored), so the requirements file has
to install the package itself (its `.` line, which pip resolves against the folder it runs in:
repo2docker runs it from the repository root). No Docker engine is needed to ask repo2docker
which buildpack it picks and to render its Dockerfile.

The environment test needs the package registry and takes a minute or two; it is marked `slow`
(deselect with `-m "not slow"`); `make test` runs it. pip's cache is reused.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = ROOT / "binder" / "requirements.txt"
RUNTIME = ROOT / "binder" / "runtime.txt"
START = "lessons/00-start-here.ipynb"
IGNORED = shutil.ignore_patterns(".git", ".venv", "venv", "node_modules", "build", "my-work", ".hypothesis",
                                 ".pytest_cache", "__pycache__", ".ipynb_checkpoints", "*.egg-info", ".staging")


def runtime_version() -> str:
    text = RUNTIME.read_text(encoding="utf-8").strip()
    match = re.fullmatch(r"python-(\d+\.\d+)(\.\d+)?", text)
    assert match, f"binder/runtime.txt should name a Python like python-3.11, not {text!r}"
    return match.group(1)


def requirement_lines() -> list[str]:
    lines = [line.split("#", 1)[0].strip() for line in REQUIREMENTS.read_text(encoding="utf-8").splitlines()]
    return [line for line in lines if line]


def test_requirements_pin_every_package_and_install_the_course():
    lines = requirement_lines()
    assert "." in lines, "binder/requirements.txt must install the course package itself (a `.` line)"
    pins = [line for line in lines if line != "."]
    loose = [line for line in pins if not re.fullmatch(r"[A-Za-z0-9_.\[\],-]+==[\w.+!-]+", line)]
    assert pins and not loose, f"Binder pins must be exact (name==version): {loose}"
    named = {re.split(r"[\[=]", line, maxsplit=1)[0].lower() for line in pins}
    assert {"jupyterlab", "ipywidgets", "matplotlib"} <= named


def test_repo2docker_picks_the_python_buildpack_from_binder(monkeypatch):
    app = pytest.importorskip("repo2docker.app", reason="pip install -e '.[test]' installs jupyter-repo2docker")
    monkeypatch.chdir(ROOT)
    r2d = app.Repo2Docker()
    picked = next((bp for bp in (BP(base_image=r2d.base_image) for BP in r2d.buildpacks) if bp.detect()), None)
    assert picked is not None, "repo2docker finds no buildpack for this repository"
    assert type(picked).__name__ == "PythonBuildPack"
    assert picked.binder_dir == "binder", "repo2docker should read binder/, not the repository root"
    assert picked.python_version == runtime_version(), "the Python named in binder/runtime.txt"
    picked.platform = r2d.platform
    dockerfile = picked.render({"NB_USER": "jovyan", "NB_UID": "1000"})
    steps = dockerfile.splitlines()
    install = [n for n, line in enumerate(steps) if re.search(r'pip install .*-r "?binder/requirements\.txt', line)]
    assert len(install) == 1, "one pip install, from binder/requirements.txt"
    copy_repo = [n for n, line in enumerate(steps) if re.match(r"COPY .*\bsrc/ \$\{REPO_DIR\}/?$", line)]
    assert copy_repo and copy_repo[0] < install[0], (
        "the whole repository must be copied before pip runs, or the `.` line cannot install the package")
    workdir = [line for line in steps[: install[0]] if line.startswith("WORKDIR")]
    assert workdir and workdir[-1].strip() == "WORKDIR ${REPO_DIR}", "pip runs from the repository root"
    assert not re.search(r"pip install[^\n]*(?<![-\w])-e\b", dockerfile)
    environment = [Path(src).name for src, dest in picked.get_build_script_files().items()
                   if dest == "/tmp/env/environment.lock"]
    assert environment and environment[0].startswith(f"environment.py-{runtime_version()}-"), (
        f"the base environment should be built for the runtime.txt Python, not {environment}")


def python_for_binder() -> str | None:
    """An interpreter of the version binder/runtime.txt names."""
    version = runtime_version()
    if f"{sys.version_info.major}.{sys.version_info.minor}" == version:
        return sys.executable
    return shutil.which(f"python{version}")


EXECUTE = textwrap.dedent("""
    import json, sys
    import nbformat
    from nbclient import NotebookClient
    nb = nbformat.read(sys.argv[1], as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(
        "import sys, course_lib; print(json.dumps([sys.prefix, course_lib.__file__]))"))
    nb.cells[-1].source = "import json\\n" + nb.cells[-1].source
    NotebookClient(nb, timeout=120, startup_timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": sys.argv[2]}}).execute()
    errors = [f"cell {n}: {o.get('ename')}: {o.get('evalue')}" for n, c in enumerate(nb.cells)
              if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    where = json.loads("".join(o.get("text", "") for o in nb.cells[-1].outputs))
    print(json.dumps({"errors": errors, "prefix": where[0], "course_lib": where[1]}))
""")


@pytest.mark.slow
def test_binder_environment_runs_the_start_here_lesson(tmp_path):
    python = python_for_binder()
    if python is None:
        pytest.skip(f"no python{runtime_version()} here to build the Binder environment with")
    repo = tmp_path / "repo"
    shutil.copytree(ROOT, repo, ignore=IGNORED)
    env_dir = tmp_path / "env"
    clean = {k: v for k, v in os.environ.items()
             if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME", "JUPYTER_PATH", "PIP_NO_CACHE_DIR",
                          "PIP_REQUIRE_VIRTUALENV", "COURSE_LIB_WORK_DIR")}
    clean.update(JUPYTER_DATA_DIR=str(tmp_path / "jupyter-data"), JUPYTER_CONFIG_DIR=str(tmp_path / "jupyter-config"),
                 JUPYTER_RUNTIME_DIR=str(tmp_path / "jupyter-runtime"), IPYTHONDIR=str(tmp_path / "ipython"),
                 COURSE_LIB_WORK_DIR=str(tmp_path / "my-work"), PIP_DISABLE_PIP_VERSION_CHECK="1")

    def run(*cmd, cwd, timeout):
        done = subprocess.run(cmd, cwd=cwd, env=clean, capture_output=True, text=True, timeout=timeout)
        assert done.returncode == 0, f"{' '.join(map(str, cmd))} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        return done.stdout

    run(python, "-m", "venv", env_dir, cwd=tmp_path, timeout=120)
    env_python = env_dir / "bin" / "python"
    # As repo2docker does: one pip install from the repository root, nothing else.
    run(env_python, "-m", "pip", "install", "-r", "binder/requirements.txt", cwd=repo, timeout=900)

    site = run(env_python, "-c", "import course_lib, sys; print(course_lib.__file__)", cwd=tmp_path, timeout=60)
    assert Path(site.strip()).is_relative_to(env_dir), f"course_lib imported from {site.strip()}, not the environment"

    out = run(env_python, "-c", EXECUTE, repo / START, repo / "lessons", cwd=tmp_path, timeout=600)
    result = json.loads(out.strip().splitlines()[-1])
    assert result["errors"] == [], f"{START} failed in the Binder environment"
    assert Path(result["prefix"]).resolve() == env_dir.resolve(), "the kernel ran outside the Binder environment"
    assert Path(result["course_lib"]).is_relative_to(env_dir), "the kernel imported course_lib from elsewhere"
