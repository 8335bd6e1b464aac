"""Release conventions: SPDX licence metadata, licence files, citation and changelog agree with pyproject."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def test_licence_is_an_spdx_expression_with_its_files():
    project = PROJECT["project"]
    assert project["license"] == "MIT"   # the table form is deprecated by setuptools from Feb 2027
    assert project["license-files"]
    for name in project["license-files"]:
        assert (ROOT / name).is_file(), name
    assert "CC BY 4.0" in (ROOT / "LICENSE-lessons.md").read_text()
    assert "MIT License" in (ROOT / "LICENSE").read_text()


def test_build_backend_understands_license_files():
    (req,) = [r for r in PROJECT["build-system"]["requires"] if r.startswith("setuptools")]
    assert re.fullmatch(r"setuptools>=(\d+)", req) and int(req.split(">=")[1]) >= 77


def test_classifiers_keywords_and_urls():
    project = PROJECT["project"]
    assert {"Framework :: Jupyter", "Intended Audience :: Education"} <= set(project["classifiers"])
    assert not any(c.startswith("License ::") for c in project["classifiers"])  # PEP 639: not both
    assert project["keywords"]
    assert {"Homepage", "Source", "Issues", "Changelog"} <= set(project["urls"])


def test_citation_and_changelog_match_the_version():
    version = PROJECT["project"]["version"]
    cff = (ROOT / "CITATION.cff").read_text()
    assert re.search(r"^cff-version: 1\.2\.0$", cff, re.M)
    assert re.search(rf"^version: {re.escape(version)}$", cff, re.M)
    assert re.search(r"^license: MIT$", cff, re.M)
    changelog = (ROOT / "CHANGELOG.md").read_text()
    assert "## [Unreleased]" in changelog and f"## [{version}]" in changelog


def test_contributing_says_how_to_test_build_and_add_an_exercise():
    text = (ROOT / "CONTRIBUTING.md").read_text()
    for needle in ("make test", "make lessons", "[[exercise]]", "make check-case"):
        assert needle in text
