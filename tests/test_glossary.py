"""The glossary: one page to look terms up, every term defined once, linked from lesson 00, shipped
wherever the lessons are (the website, JupyterLite; Binder serves the repository as it is)."""

import importlib.util
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "lessons" / "glossary.md"
MAX_WORDS = 80   # a short plain definition, not an essay

#: The terms the issue names; each must have an entry of its own (heading text, case-insensitive).
REQUIRED = ["IAEA", "DPRK", "USTR", "KCNA", "CAMEO", "Goldstein scale", "Ordinal scale", "Nominal scale", "Base rate",
            "Steelman", "Lateral reading", "Primary source", "Secondary source", "Paraphrase drift",
            "Reported speech", "Inter-coder agreement", "Cohen's kappa"]


def entries(text: str) -> list[tuple[str, str]]:
    """(term, definition) for each "## term" heading of the page, in order."""
    parts = re.split(r"^## (.+)$", text, flags=re.M)
    return [(parts[i].strip(), parts[i + 1].strip()) for i in range(1, len(parts), 2)]


def test_the_entry_parser_sees_a_doubled_term():
    found = entries("# G\n\n## Base rate\n\nHow often.\n\n## Lag\n\nTime.\n\n## base rate\n\nAgain.\n")
    assert [t for t, _ in found] == ["Base rate", "Lag", "base rate"]


def test_every_term_is_defined_once_shortly_and_in_order():
    text = GLOSSARY.read_text(encoding="utf-8")
    assert text.startswith("# Glossary\n") and text.count("\n# ") == 0, "one H1, first"
    assert not re.search(r"^#{3,} ", text, re.M), "entries are H2 headings; nothing deeper"
    found = entries(text)
    terms = [t.casefold() for t, _ in found]
    doubled = sorted({t for t in terms if terms.count(t) > 1})
    assert not doubled, f"defined more than once: {doubled}"
    assert terms == sorted(terms, key=lambda t: re.sub(r"[^a-z0-9 ]", "", t)), "entries are in alphabetical order"
    for term, definition in found:
        words = len(definition.split())
        assert 5 <= words <= MAX_WORDS, f"{term}: {words} words; a definition is one to three plain sentences"


@pytest.mark.parametrize("term", REQUIRED)
def test_the_terms_the_lessons_use_have_an_entry(term):
    assert term.casefold() in {t.casefold() for t, _ in entries(GLOSSARY.read_text(encoding="utf-8"))}


@pytest.mark.parametrize("folder", ["lessons", "instructors/notebooks"])
def test_lesson_00_links_to_the_glossary(folder):
    (path,) = (ROOT / folder).glob("00-*.ipynb")
    markdown = ["".join(c["source"]) for c in json.loads(path.read_text(encoding="utf-8"))["cells"]
                if c["cell_type"] == "markdown"]
    assert any("](glossary.md)" in m for m in markdown[:3]), "lesson 00's first cells link the glossary"


def builder(path: Path):
    spec = importlib.util.spec_from_file_location(f"_build_{path.parent.name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("where", ["site", "lite"])
def test_the_glossary_ships_with_the_lessons(where):
    files = builder(ROOT / where / "build.py").lesson_files()
    assert GLOSSARY in files and all(p.exists() for p in files)
    assert set(ROOT.glob("lessons/*.ipynb")) <= set(files)


def test_the_website_lists_the_glossary_page():
    assert re.search(r"^\s*- file: lessons/glossary\s*$", (ROOT / "site" / "_toc.yml").read_text(), re.M)
