"""Lessons 02, 04 and 05 are each split in two (02a/02b, 04a/04b, 05a/05b): what a student or an instructor
reads must name the half, never the old whole lesson ("lesson 04's event data", "lessons 01 to 05"). A phrase
naming both halves ("lessons 02a and 02b") is how to mean the whole."""

from __future__ import annotations

import ast
import dataclasses
import json
import re
import tomllib
from pathlib import Path
from types import MappingProxyType

import pytest

from course_lib import load_case

ROOT = Path(__file__).resolve().parent.parent
SPLIT = {"02", "04", "05"}
#: "lesson 04", "Lessons 01 to 05", "lessons 01, 02 and 04", "lessons 01-05": a lesson word and its numbers.
MENTION = re.compile(r"\blessons?\s+(0\d[a-z]?(?:\s*(?:,|and|or|to|-|–|—)\s*0\d[a-z]?)*)(?![\w])", re.I)


def stale(text: str) -> list[str]:
    """The mentions in `text` that name a split lesson without its half."""
    return [m.group(0) for m in MENTION.finditer(text)
            if SPLIT & set(re.findall(r"0\d(?![a-z])", m.group(1), re.I))]


@pytest.mark.parametrize("text, found", [
    ("lesson 02 ends by comparing your confidence", ["lesson 02"]),
    ("Lessons 01 to 05, or at least 01, 02 and 04", ["Lessons 01 to 05"]),
    ("lessons 02 and 04 help", ["lessons 02 and 04"]),
    ("In Lesson 04's event data", ["Lesson 04"]),
    ("the readings of LESSONS 01-05.", ["LESSONS 01-05"]),
    ("a statement of lesson 05 ([@st01])", ["lesson 05"]),
    ("lessons 02a and 02b first check the facts", []),
    ("lesson 04b, lesson 05a; lessons 03 to 05b; lesson 06 and lesson 01", []),
    ("the lesson 1 slides, 04a's primer", []),
])
def test_the_detector_sees_a_split_lesson_named_whole(text, found):
    assert stale(text) == found


def strings(value, seen=None):
    """Every string in a case object (dataclasses, tuples, mappings), once."""
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from strings(getattr(value, field.name))
    elif isinstance(value, (dict, MappingProxyType)):
        for k, v in value.items():
            yield from strings(k)
            yield from strings(v)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for v in value:
            yield from strings(v)


def notebook_texts(path: Path):
    """What a reader of a built notebook sees: markdown, code and every text output."""
    for n, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"]):
        yield f"cell {n}", "".join(cell["source"])
        for output in cell.get("outputs", []):
            if "text" in output:
                yield f"cell {n} output", "".join(output["text"])
            for mime, data in output.get("data", {}).items():
                if mime.startswith("text/"):
                    yield f"cell {n} output", "".join(data) if isinstance(data, list) else str(data)


def user_strings(path: Path):
    """The string literals of a course_lib module, docstrings left out (messages, labels, feedback)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                  and node.body and isinstance(node.body[0], ast.Expr)
                  and isinstance(node.body[0].value, ast.Constant)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield f"line {node.lineno}", node.value


def found_in(texts) -> list[str]:
    return [f"{where}: {hit!r}" for where, text in texts for hit in stale(text)]


@pytest.mark.parametrize("path", sorted((ROOT / "lessons").glob("*.ipynb"))
                         + sorted((ROOT / "instructors" / "notebooks").glob("*.ipynb")),
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_built_lessons_name_the_half(path):
    hits = found_in(notebook_texts(path))
    assert not hits, f"{path.name} names a split lesson whole (rebuild after fixing the source):\n" + "\n".join(hits)


def test_the_case_texts_name_the_half():
    """The exercise files, the claims and everything else a case shows."""
    case = load_case()
    hits = [f"{item.id}: {hit!r}" for item in case.exercises for text in strings(item) for hit in stale(text)]
    hits += [f"claim {c.id}: {hit!r}" for c in (*case.claims, *case.party_claims)
             for text in strings(c) for hit in stale(text)]
    assert not hits, "\n".join(hits)


def test_the_glossary_names_the_half():
    text = (ROOT / "lessons" / "glossary.md").read_text(encoding="utf-8")
    hits = stale(text) + [m.group(0) for m in re.finditer(r"\((0[245])\)", text)]
    assert not hits, f"glossary.md: {hits}: tag each term with the half where it is first used (04a, 05b...)"


@pytest.mark.parametrize("path", sorted((ROOT / "course_lib").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT / "course_lib")))
def test_course_lib_messages_name_the_half(path):
    hits = found_in(user_strings(path))
    assert not hits, f"course_lib/{path.name}:\n" + "\n".join(hits)


def test_the_run_sheets_name_the_half():
    sheets = tomllib.loads((ROOT / "instructors" / "run-sheets.toml").read_text(encoding="utf-8"))
    hits = [hit for text in strings(sheets) for hit in stale(text)]
    assert not hits, f"run-sheets.toml: {hits}"
