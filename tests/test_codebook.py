"""Every wrong code gets a reason read from the codebook: CAMEO label, root family, verbal or material,
Goldstein weight and sign; a stance value's label and sign; then the reference, then the entry's own reason."""

import doctest

import pytest

from course_lib import load_case
from course_lib.case import codebook
from course_lib.checking import session
from course_lib.case.codebook import QUAD_CLASSES, cameo_reason, reasons, value_labels, wrong_code_reason
from course_lib.checking.checks import INCORRECT, check

CASE = load_case()
CAMEO_ITEMS = [e for e in CASE.exercises if codebook.is_cameo_item(CASE, e)]
STANCE_ITEMS = [e for e in CASE.exercises if codebook.stance_dimension(CASE, e) is not None]


def test_the_module_examples_run():
    assert doctest.testmod(codebook).failed == 0


def test_the_coding_items_are_found():
    assert {e.id for e in STANCE_ITEMS} == {f"l5-code-{d.id.lower()}" for d in CASE.dimensions}
    assert len(CAMEO_ITEMS) >= 3 and all(e.id.startswith("l4-cameo") for e in CAMEO_ITEMS)
    assert reasons(CASE, CASE.exercises["l1-sort"]) is None and wrong_code_reason(CASE, CASE.exercises["l1-sort"]) is None


def wrong_choice(item, entry):
    """A code for `entry` that is neither the key nor accepted nor half right."""
    return next(c.id for c in item.categories
                if c.id != entry.key and c.id not in entry.accepted and c.id not in entry.partial)


@pytest.mark.parametrize("first, last, quad", QUAD_CLASSES, ids=[q for *_, q in QUAD_CLASSES])
def test_a_cameo_code_of_each_family_is_read_from_the_table(first, last, quad):
    codes = [c.id for c in CASE.codebook if len(c.id) == 3 and first <= int(c.id[:2]) <= last]
    assert codes, f"no code of the {quad} roots in the table"
    for code in codes[:3]:
        entry, root = CASE.codebook[code], CASE.codebook[code[:2]]
        text = cameo_reason(CASE, code)
        assert text.startswith(f"{code} “") and f"root {code[:2]} “" in text and quad in text
        assert entry.label.split()[0].casefold() in text.casefold() and root.label.split()[0].casefold() in text.casefold()
        sign = "cooperative" if entry.goldstein > 0 else "conflictual" if entry.goldstein < 0 else "neutral"
        assert f"{abs(entry.goldstein):.1f} ({sign})" in text


@pytest.mark.parametrize("item", CAMEO_ITEMS, ids=lambda e: e.id)
def test_a_wrong_cameo_code_is_explained_before_the_right_one(item):
    entry = item.entries[0]
    chosen = wrong_choice(item, entry)
    fb = check(item, {entry.id: chosen}, code_reason=wrong_code_reason(CASE, item))
    line = next(d for d in fb.details if d.startswith(f"{entry.id}: "))
    mine, reference = cameo_reason(CASE, chosen), cameo_reason(CASE, entry.key)
    own = entry.feedback.get(chosen, entry.feedback.get("*", ""))
    assert line == f"{entry.id}: not {chosen}. You chose {mine}. The reference is {reference}. {own}".strip()
    assert line.index(mine) < line.index(reference) < line.index(own)


def test_every_wrong_choice_of_every_coding_item_gets_a_codebook_reason():
    for item in CAMEO_ITEMS + STANCE_ITEMS:
        why = wrong_code_reason(CASE, item)
        for entry in item.entries:
            for c in item.categories:
                if c.id != entry.key:
                    text = why(c.id, entry.key)
                    assert text.startswith("You chose ") and " The reference is " in text, (item.id, entry.id, c.id)


@pytest.mark.parametrize("item", STANCE_ITEMS, ids=lambda e: e.id)
def test_a_wrong_stance_code_says_its_label_and_sign_then_the_references(item):
    dimension = codebook.stance_dimension(CASE, item)
    labels = value_labels(dimension)
    assert all(labels[v] for v in dimension.values), f"{dimension.id}: a value without a label in its description"
    entry = next(e for e in item.entries if e.key != "na")
    chosen = wrong_choice(item, entry)
    fb = session.answer(item.id, {entry.id: chosen})
    assert fb.verdict == INCORRECT
    line = next(d for d in fb.details if d.startswith(f"{entry.id}: "))
    value, key = codebook.stance_value(dimension, chosen), codebook.stance_value(dimension, entry.key)
    assert f"You chose " in line and f"“{labels[key]}”" in line
    if value is not None:
        assert line.index(f"“{labels[value]}”") < line.index("The reference is")
        if dimension.level == "ordinal" and any(v.startswith("-") for v in dimension.values):
            assert ("below zero" if int(value) < 0 else "above zero" if int(value) > 0 else "zero, the midpoint") in line
    else:
        assert line.index("“does not apply”") < line.index("The reference is")


@pytest.mark.parametrize("dim, code, expected", [
    ("D1", "-1", "-1 “progress”, below zero: on the side of “threat gone / major progress”"),
    ("D1", "2", "+2 “grave threat / backsliding”, above zero, the highest value"),
    ("D1", "0", "0 “mixed or open”, zero, the midpoint"),
    ("D2", "N", "N “conditional or unclear”, a nominal category of D2: it names a kind, not a degree"),
    ("D3", "2", "2 “explicit condition”, step 2 of 0 to 2"),
    ("D4", "-1", "-1 “unhelpful or obstructive”, below zero, the lowest value"),
    ("D4", "na", "“does not apply”: the words say nothing on D4 (China's helpfulness)"),
])
def test_stance_reasons(dim, code, expected):
    assert codebook.stance_reason(CASE.dimensions[dim], code) == expected


def test_an_ordinal_wrong_code_says_how_far_it_is_from_the_reference():
    why = wrong_code_reason(CASE, CASE.exercises["l5-code-d1"])
    assert why("-1", "1").endswith("(2 steps above yours).")
    assert why("2", "1").endswith("(1 step below yours).")
    assert "step" not in why("na", "1").split("The reference is")[1]


def _families():
    found = {}
    for item in CAMEO_ITEMS:
        for c in item.categories:
            found.setdefault(c.id[:2], (item, c.id))
    return sorted(found.items())


@pytest.mark.parametrize("root, case_", _families(), ids=[r for r, _ in _families()])
def test_a_wrong_code_from_each_root_family_offered_names_that_family(root, case_):
    item, code = case_
    entry = next((e for e in item.entries if e.key[:2] != root and code not in e.accepted and code not in e.partial),
                 None)
    if entry is None:
        pytest.skip(f"every entry of {item.id} takes root {root}")
    fb = session.answer(item.id, {entry.id: code})
    line = next(d for d in fb.details if d.startswith(f"{entry.id}: "))
    root_label = CASE.codebook[root].label
    assert f"You chose {code} “" in line and f"root {root} “{root_label[:1]}{root_label[1:].lower()}”" in line
    quad = next(name for first, last, name in QUAD_CLASSES if first <= int(root) <= last)
    assert quad in line.split("The reference is")[0]
