"""The house's plan holds (issue #18): six wings, each a sub-package with a one-sentence docstring; data flowing
one way, no module importing a wing to its right; no module outside a wing; ARCHITECTURE.md names every module."""

import ast
import re
from pathlib import Path

import pytest

import course_lib

PACKAGE = Path(course_lib.__file__).parent
ROOT = PACKAGE.parent
WINGS = ["work", "case", "analysis", "checking", "frontend", "instructors"]   # the flow, left to right
MODULES = sorted(p for p in PACKAGE.rglob("*.py") if p.name != "__init__.py")


def imports_of(path: Path) -> list[tuple[int, str]]:
    """Every course_lib module or name a file imports, with its line, including imports inside functions."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("course_lib"):
            found += [(node.lineno, node.module)] + [(node.lineno, f"{node.module}.{a.name}") for a in node.names]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("course_lib")]
    return found


def test_every_module_lives_in_a_wing_with_a_one_sentence_docstring():
    assert sorted(p.name for p in PACKAGE.glob("*.py")) == ["__init__.py"], "a module outside the wings"
    for wing in WINGS:
        doc = ast.get_docstring(ast.parse((PACKAGE / wing / "__init__.py").read_text(encoding="utf-8")))
        assert doc and doc.count(". ") == 0 and doc.endswith("."), f"{wing}/__init__.py: say what it holds in one sentence"
    assert {p.parent.name for p in MODULES} == set(WINGS)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_imports_against_the_flow(path):
    mine = WINGS.index(path.parent.name)
    upward = []
    for line, name in imports_of(path):
        parts = name.split(".")
        if len(parts) > 1 and parts[1] in WINGS and WINGS.index(parts[1]) > mine:
            upward.append(f"line {line}: {name}")
    assert not upward, f"{path.relative_to(PACKAGE)} ({path.parent.name}) imports a wing to its right: {upward}"


def test_architecture_md_names_every_module_in_its_wing():
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    rows = {m.group(1): set(re.findall(r"`(\w+)`", m.group(2)))
            for m in re.finditer(r"^\| `(\w+)/` \|[^|]*\| ([^|]*) \|$", text, re.M)}
    assert set(rows) == set(WINGS)
    for wing in WINGS:
        assert rows[wing] == {p.stem for p in MODULES if p.parent.name == wing}, f"ARCHITECTURE.md: the {wing} row"


def test_a_student_name_is_imported_from_its_one_home():
    for name, home in course_lib._NAMES.items():
        module = __import__(f"course_lib.{home}", fromlist=[name])
        assert getattr(course_lib, name) is getattr(module, name)
        assert getattr(module, name).__module__ in (f"course_lib.{home}", None) or not callable(getattr(module, name)), \
            f"course_lib.{name} comes from {home}, which only re-exports it"
    for name, home in course_lib._MODULES.items():
        assert getattr(course_lib, name).__name__ == f"course_lib.{home}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_a_module_exports_only_what_it_defines(path):
    """No re-export facades: a function or class in a module's __all__ is that module's own."""
    import importlib
    name = "course_lib." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
    module = importlib.import_module(name)
    borrowed = [n for n in getattr(module, "__all__", ()) if callable(getattr(module, n, None))
                and getattr(getattr(module, n), "__module__", name) != name]
    assert not borrowed, f"{name} re-exports {borrowed}: import them from their own module instead"
