"""Build the read-only course website with Jupyter Book 1: `make site` runs this.

Stages site/ and the student lessons in build/site-src (the lessons stay where they are), then runs
`jupyter-book build` without executing anything: the pages show the lessons' stored outputs, each
exercise in its plain-text form, each figure with its alt text and its table.

    python site/build.py [--out build/site]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def lesson_files() -> list[Path]:
    """What the site shows from lessons/: the student notebooks and the glossary page (in _toc.yml)."""
    return sorted((ROOT / "lessons").glob("*.ipynb")) + [ROOT / "lessons" / "glossary.md"]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "site",
                        help="output folder; the pages go to OUT/_build/html (build/site)")
    args = parser.parse_args(argv)
    src, out = ROOT / "build" / "site-src", args.out.resolve()
    if src.exists():
        shutil.rmtree(src)
    shutil.copytree(ROOT / "site", src, ignore=shutil.ignore_patterns("build.py", "requirements.txt", "__pycache__"))
    (src / "lessons").mkdir()
    for path in lesson_files():
        shutil.copy2(path, src / "lessons" / path.name)
    if out.exists():
        shutil.rmtree(out)
    jb = Path(sys.executable).parent / "jupyter-book"
    subprocess.run([str(jb), "build", str(src), "--path-output", str(out), "-W", "--keep-going"], check=True)
    print(f"make site: open {out / '_build' / 'html' / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
