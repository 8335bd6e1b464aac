"""Build the course as a JupyterLite site that needs no server and no CDN: `make lite` runs this.

The site holds the student lessons, the Pyodide runtime (npm package `pyodide`, pinned in
lite/package.json), and a Pyodide lock file extended with the wheels the kernel and the lessons need
(course_lib built from this checkout, ipywidgets and comm pinned in lite/kernel-requirements.txt,
the kernel's own shims, and the pure-Python wheels Pyodide lists, fetched from PyPI and hashed).
They are preloaded when the kernel starts, so `import course_lib` works as on Binder, with no
network. matplotlib is not shipped (it has no Pyodide wheel on PyPI): figures fall back to their
text tables. `--pyodide-dir DIR` uses a full Pyodide distribution instead (its matplotlib renders).

    python lite/build.py [--out build/lite] [--pyodide-dir DIR] [--base-url URL]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "lite"
PYODIDE_PYTHON = "3.14"   # the Python of Pyodide 314.x; wheels are chosen for it
CACHE = ROOT / "build" / "lite-cache"   # downloaded wheels, reused between builds
PYODIDE_NPM = HERE / "node_modules" / "pyodide"
PYODIDE_FILES = ("pyodide.mjs", "pyodide.js", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip",
                 "pyodide-lock.json", "package.json")
KERNEL_EXT = Path(sys.prefix) / "share" / "jupyter" / "labextensions" / "@jupyterlite" / "pyodide-kernel-extension"
# What the kernel imports when it starts (jupyterlite-pyodide-kernel's worker) and what every lesson
# imports: preloaded from the lock file, so nothing is asked of PyPI at run time.
PRELOAD = ["micropip", "piplite", "ipykernel", "comm", "pyodide-kernel", "jedi", "ipython",
           "ipywidgets", "widgetsnbextension", "course-lib"]
# Wheels the kernel extension ships beside itself: lock name -> (file stem, imports, depends)
KERNEL_SHIMS = {"piplite": ("piplite-", ["piplite"], ["micropip"]),
                "pyodide-kernel": ("pyodide_kernel-", ["pyodide_kernel"], ["comm", "ipython"]),
                "ipykernel": ("ipykernel-", ["ipykernel"], ["pyodide-kernel"]),
                "widgetsnbextension": ("widgetsnbextension-4.", ["widgetsnbextension"], [])}
# From PyPI, pinned in kernel-requirements.txt: lock name -> (imports, depends)
FROM_PYPI = {"comm": (["comm"], ["traitlets"]),
             "ipywidgets": (["ipywidgets"], ["comm", "ipython", "traitlets", "widgetsnbextension"])}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def pip_download(requirement: str) -> Path:
    """The pure-Python wheel of `requirement` (name==version) from PyPI, kept in build/lite-cache."""
    folder = CACHE / requirement.replace("==", "-")
    wheels = sorted(folder.glob("*.whl"))
    if not wheels:
        subprocess.run([sys.executable, "-m", "pip", "download", "--disable-pip-version-check", "--no-deps",
                        "--only-binary=:all:", "--python-version", PYODIDE_PYTHON, "--dest", str(folder), requirement],
                       check=True,
                       stdout=subprocess.DEVNULL)
        wheels = sorted(folder.glob("*.whl"))
    if len(wheels) != 1 or not wheels[0].name.endswith("-none-any.whl"):
        sys.exit(f"make lite: expected one pure-Python wheel for {requirement}, found {[p.name for p in wheels]}")
    return wheels[0]


def pins(path: Path) -> dict[str, str]:
    """name -> version from a requirements file of exact pins."""
    out = {}
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, version = line.split("==")
            out[name.strip().lower()] = version.strip()
    return out


def entry(name: str, wheel: Path, version: str, imports: list[str], depends: list[str]) -> dict:
    return {"name": name, "version": version, "file_name": wheel.name, "install_dir": "site",
            "sha256": sha256(wheel), "package_type": "package", "imports": imports, "depends": depends,
            "unvendored_tests": False}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def closure(packages: dict, roots: list[str]) -> list[str]:
    """The lock's names of `roots` and everything they depend on (depends may spell names otherwise)."""
    key = {canonical(k): k for k in packages}
    seen, todo = [], list(roots)
    while todo:
        name = key[canonical(todo.pop())]
        if name not in seen:
            seen.append(name)
            todo += packages[name]["depends"]
    return sorted(seen)


def build_pyodide(dest: Path, course_wheel: Path) -> list[str]:
    """Copy Pyodide's core into dest, add the wheels above, write the extended lock; the preload list."""
    if not (PYODIDE_NPM / "pyodide.mjs").exists():
        sys.exit("make lite: Pyodide is missing; run `npm ci` in lite/ (make lite does) and try again.")
    if not (KERNEL_EXT / "static" / "pypi").is_dir():
        sys.exit(f"make lite: the Pyodide kernel is not installed in {sys.prefix}; "
                 "pip install -r lite/requirements.txt (make lite does).")
    dest.mkdir(parents=True)
    for name in PYODIDE_FILES:
        shutil.copy2(PYODIDE_NPM / name, dest / name)
    lock = json.loads((dest / "pyodide-lock.json").read_text())
    packages = lock["packages"]
    added = {}
    for name, (stem, imports, depends) in KERNEL_SHIMS.items():
        (wheel,) = sorted((KERNEL_EXT / "static" / "pypi").glob(f"{stem}*.whl"))[-1:]
        version = wheel.name.split("-")[1]
        added[name] = entry(name, wheel, version, imports, depends)
        shutil.copy2(wheel, dest / wheel.name)
    kernel_pins = pins(HERE / "kernel-requirements.txt")
    for name, (imports, depends) in FROM_PYPI.items():
        wheel = pip_download(f"{name}=={kernel_pins[name]}")
        added[name] = entry(name, wheel, kernel_pins[name], imports, depends)
        shutil.copy2(wheel, dest / wheel.name)
    added["course-lib"] = entry("course-lib", course_wheel, course_wheel.name.split("-")[1], ["course_lib"], [])
    shutil.copy2(course_wheel, dest / course_wheel.name)
    packages.update(added)
    replaced = 0
    for name in closure(packages, PRELOAD):
        if name in added:
            continue
        info = packages[name]
        wheel = pip_download(f"{name}=={info['version']}")
        if info["file_name"] != wheel.name or info["sha256"] != sha256(wheel):
            replaced += 1   # the same release as Pyodide's, as PyPI serves it
            info.update(file_name=wheel.name, sha256=sha256(wheel))
        shutil.copy2(wheel, dest / wheel.name)
    (dest / "pyodide-lock.json").write_text(json.dumps(lock, indent=1, sort_keys=True))
    shipped = closure(packages, PRELOAD)
    print(f"make lite: Pyodide {lock['info']['python']} with {len(shipped)} packages preloaded "
          f"({replaced} taken from PyPI with their own hashes)")
    return PRELOAD


def course_wheel(tmp: Path) -> Path:
    """The course_lib wheel, built from this checkout. pip builds in the tree, and setuptools would add to
    the wheel whatever an earlier build left in build/lib (a module or case file since removed), so that
    is cleared first: the wheel holds the checkout as it is."""
    for stale in [ROOT / "build" / "lib", *(ROOT / "build").glob("bdist.*")]:
        shutil.rmtree(stale, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--disable-pip-version-check", "--no-deps", "-q",
                    "--wheel-dir", str(tmp), str(ROOT)], check=True)
    (wheel,) = tmp.glob("course_lib-*.whl")
    return wheel


def lesson_files() -> list[Path]:
    """What the site's file browser holds: the student notebooks and the glossary page they link to."""
    return sorted((ROOT / "lessons").glob("*.ipynb")) + [ROOT / "lessons" / "glossary.md"]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "lite", help="output folder (build/lite)")
    parser.add_argument("--pyodide-dir", type=Path,
                        help="a full Pyodide distribution (with matplotlib) to use instead of the npm core")
    args = parser.parse_args(argv)
    out = args.out.resolve()
    with tempfile.TemporaryDirectory(prefix="course-lite-") as tmp:
        tmp = Path(tmp)
        lite_dir = tmp / "lite"
        (lite_dir / "files").mkdir(parents=True)
        for path in lesson_files():
            shutil.copy2(path, lite_dir / "files" / path.name)
        wheel = course_wheel(tmp / "wheel")
        preload = build_pyodide(lite_dir / "static" / "pyodide", wheel)
        if args.pyodide_dir:   # the full distribution: its own files and lock, plus ours
            full = json.loads((args.pyodide_dir / "pyodide-lock.json").read_text())
            ours = json.loads((lite_dir / "static" / "pyodide" / "pyodide-lock.json").read_text())
            for name in ("piplite", "pyodide-kernel", "ipykernel", "widgetsnbextension", "comm", "ipywidgets",
                         "course-lib"):
                full["packages"][name] = ours["packages"][name]
            for p in args.pyodide_dir.iterdir():   # its files win: they match its lock's hashes
                if p.is_file():
                    shutil.copy2(p, lite_dir / "static" / "pyodide" / p.name)
            (lite_dir / "static" / "pyodide" / "pyodide-lock.json").write_text(json.dumps(full))
            preload = preload + ["matplotlib"]
        config = json.loads((HERE / "jupyter-lite.json").read_text())
        settings = config["jupyter-config-data"]["litePluginSettings"]["@jupyterlite/pyodide-kernel-extension:kernel"]
        settings["loadPyodideOptions"]["packages"] = preload
        (lite_dir / "jupyter-lite.json").write_text(json.dumps(config, indent=2))
        shutil.copy2(HERE / "jupyter_lite_config.json", lite_dir / "jupyter_lite_config.json")
        env = {**os.environ, "SOURCE_DATE_EPOCH": os.environ.get(
            "SOURCE_DATE_EPOCH", "1767225600")}   # stable timestamps: 2026-01-01
        # Built in a folder of its own, then moved: jupyterlite re-stamps the times of everything in
        # the output folder's parent, which must not be a shared place like /tmp.
        staged = tmp / "out" / "site"
        subprocess.run([sys.executable, "-m", "jupyterlite_core", "build", "--lite-dir", str(lite_dir),
                        "--output-dir", str(staged), "--contents", str(lite_dir / "files"), "--no-sourcemaps"],
                       check=True, cwd=lite_dir, env=env)
        if out.exists():
            shutil.rmtree(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(staged), str(out))
    print(f"make lite: the site is in {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}; "
          f"serve it with `python -m http.server -d {out} 8000` and open http://127.0.0.1:8000/lab/index.html")
    return 0


if __name__ == "__main__":
    sys.exit(main())
