"""The exercise files point into the case: one file per lesson notebook, short lines, choices from the
codebook or a dimension, keys from events.csv and statements.csv, templates; broken references are
reported with file, item, field and what was expected (cases/README.md, "Exercise files")."""

from pathlib import Path

import pytest

from course_lib import CaseError, load_case
from course_lib.case import codebook

CASE = load_case()
FOLDER = CASE.path
FILES = sorted(FOLDER.glob("exercises*.toml"))
NOTEBOOKS = sorted((FOLDER.parents[2] / "instructors" / "notebooks").glob("*.ipynb"))
WIDTH = 120


def case_folder_of(notebook):
    """The folder of the case a lesson's first cell selects (use_case), else the bundled case's."""
    import nbformat

    from course_lib.instructors.timing import lesson_case
    selected = lesson_case(nbformat.read(notebook, as_version=4))
    return selected.path if selected is not None else FOLDER


def test_one_exercise_file_per_lesson_named_like_its_notebook():
    mine = [p for p in NOTEBOOKS if case_folder_of(p) == FOLDER]
    assert [p.stem for p in FILES] == [f"exercises-{p.stem}" for p in mine]
    for other in set(NOTEBOOKS) - set(mine):   # a lesson on another case: its file is in that case's folder
        assert (case_folder_of(other) / f"exercises-{other.stem}.toml").is_file(), other.name


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_no_line_is_over_120_characters(path):
    long = [(n, len(line)) for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
            if len(line) > WIDTH]
    assert not long, f"{path.name}: lines over {WIDTH} characters (line, length): {long}"


def test_cameo_items_draw_their_choices_from_the_codebook():
    text = (FOLDER / "exercises-04a-coding-events.toml").read_text(encoding="utf-8")
    assert 'choices = "codebook"' in text and "(+1.9)" not in text, "labels and weights are not typed"
    item = CASE.exercises["l4-cameo-a"]
    for c in item.categories:
        entry = CASE.codebook[c.id]
        assert c.text == codebook.cameo_choice(c.id, entry.label, entry.goldstein)


def test_stance_items_name_their_dimension_and_use_its_values_as_choices():
    stance = [e for e in CASE.exercises if e.dimension]
    assert {e.dimension for e in stance} == set(CASE.dimensions.ids)
    for item in stance:
        values = CASE.dimensions[item.dimension].values
        assert [c.id for c in item.categories] == [*values, "na"], item.id
        for e in item.entries:
            assert e.key == (CASE.statements[e.id].codes[item.dimension] or "na"), (item.id, e.id)
    text = (FOLDER / "exercises-05a-coding-stances.toml").read_text(encoding="utf-8")
    assert '"m2"' not in text and '"m1"' not in text


def test_a_stance_code_may_be_given_as_a_number_or_as_an_old_id():
    from course_lib.checking.checks import CORRECT, check
    item = CASE.exercises["l5-code-d1"]
    reference = {e.id: e.key for e in item.entries}
    assert check(item, reference).verdict == CORRECT
    as_numbers = {k: (int(v) if v != "na" else v) for k, v in reference.items()}
    assert check(item, as_numbers).verdict == CORRECT
    old_ids = {k: ("m" + v[1:] if v.startswith("-") else v) for k, v in reference.items()}
    assert check(item, old_ids).verdict == CORRECT


def test_a_template_gives_its_keys_and_an_item_overrides_them():
    a, b = CASE.exercises["l4-cameo-a"], CASE.exercises["l4-cameo-b"]
    assert a.prompt == b.prompt and a.categories == b.categories and a.title != b.title


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("name, old, new, item, field, says", [
    ("exercises-04a-coding-events.toml", 'template = "l4-cameo"', 'template = "l4-came"', "l4-cameo-a", "template",
     "names the template 'l4-came', which this file does not define"),
    ("exercises-04a-coding-events.toml", 'codes = [', 'codes = ["999", ', None, "codes",
     "CAMEO code of the pinned table"),
    ("exercises-04a-coding-events.toml", 'id = "e01"\n', 'id = "e01"\nkey = "040"\n', "l4-cameo-a", "entry",
     "key '040' differs from events.csv, which codes e01 036"),
    ("exercises-04a-coding-events.toml", '138 = "Defensible', 'x138 = "Defensible', "l4-cameo-a", "entry",
     "events.csv gives 138 as defensible alternatives"),
    ("exercises-05a-coding-stances.toml", '\ndimension = "D1"', '\ndimension = "D9"',
     "l5-code-d1", "dimension", "no dimension with id 'D9'"),
    ("exercises-05a-coding-stances.toml", 'choices = "dimension"', 'choices = "dimensions"', None, "choices",
     "expected \"codebook\""),
    ("exercises-05a-coding-stances.toml", 'id = "st07"\n', 'id = "st07"\nkey = -1\n', "l5-code-d1", "entry",
     "key '-1' differs from statements.csv, which codes st07 '-2' on D1"),
], ids=["unknown template", "unknown code", "key against events.csv", "missing alternative", "unknown dimension",
        "bad choices", "key against statements.csv"])
def test_broken_references_are_reported_precisely(case_copy, name, old, new, item, field, says):
    replace_in(case_copy / name, old, new)
    with pytest.raises(CaseError) as info:
        load_case(case_copy)
    hits = [p for p in info.value.problems if p.file.endswith(name) and p.field == field and says in p.message
            and (item is None or f"(id '{item}')" in p.where)]
    assert hits, "\n".join(map(str, info.value.problems))
