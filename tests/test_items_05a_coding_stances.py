"""Lesson 05a-coding-stances: its exercise items against the case data and the library.

Split by lesson out of test_strand3_items.py: The lesson 05 items against the case data and the library: the
stance-coding keys are the reference codes of statements.csv, the worked-example boxes are what consistency
computes, the hidden tests of the code item are right, and every trigger an E3.5 choice names is checked
against the dates of the two statements it is offered for."""

import re
from collections import Counter

import pytest

from course_lib import load_case
from course_lib.instructors import classreport
from course_lib.analysis import consistency
from course_lib.case.records import mask_speakers
from course_lib.checking.checks import CORRECT, check

CASE = load_case()
ITEMS = {e.id: e for e in CASE.exercises if e.lesson == "05"}
CODING = classreport.coding_items(CASE)
WORKED = ["st01", "st26", "st02", "st05", "st08", "st29", "st04", "st32", "st15", "st37", "st03", "st16"]
CODER_B = dict(zip(WORKED, "EENNEDDEEEDN"))
REFERENCE = {s: CASE.statements[s].codes["D2"] for s in WORKED}


def test_the_lesson_has_its_items():
    assert set(ITEMS) == {"l5-code-d1", "l5-code-d2", "l5-code-d3", "l5-code-d4", "l5-matrix", "l5-po", "l5-pe",
                          "l5-kappa", "l5-reading", "l5-kappa-code", "l5-kappa-trace", "l5-pairs", "l5-condition",
                          "l5-china", "l5-rule", "l5-booster-level", "l5-booster-reversal", "l5-flip", "l5-flip-ack",
                          "l5-fresh"}
    assert [i.dimension.id for i in CODING] == ["D1", "D2", "D3", "D4"]


@pytest.mark.parametrize("item", CODING, ids=lambda i: i.id)
def test_coding_keys_are_the_reference_codes_of_statements_csv(item):
    dim = item.dimension
    assert [item.value(c) for c in item.choices] == [*dim.values, None], "the scale in order, then 'does not apply'"
    for entry in item.entries:
        statement = CASE.statements[entry]
        assert item.value(item.reference[entry]) == statement.codes[dim.id], entry
        assert item.texts[entry] == f"“{mask_speakers(statement.text, CASE.actors)}”", \
            f"{entry}: the statement, verbatim but for masked names, and speaker-blind"
    for e in ITEMS[item.id].entries:
        assert f"source card {CASE.statements[e.id].source})" in e.reveal, f"{e.id}: the reveal names the card"


def test_the_pool_has_12_to_15_statements_and_every_code_of_every_dimension_but_one():
    pool = {e for item in CODING for e in item.entries}
    assert 12 <= len(pool) <= 15
    for item in CODING:
        used = set(item.reference.values())
        missing = set(item.choices) - used
        assert len(missing) <= 1, f"{item.id}: {missing} never the key"


@pytest.mark.parametrize("item_id", sorted(ITEMS))
def test_the_reference_answer_is_correct(item_id):
    item = ITEMS[item_id]
    if item.kind in ("classify", "match"):
        answer = {e.id: e.key for e in item.entries}
    elif item.kind == "single":
        answer = next(o.id for o in item.options if o.correct)
    elif item.kind == "numeric":
        answer = item.answer
    elif item.kind == "code":
        answer = consistency.cohen_kappa
    else:
        answer = "A rule: code only stated future intent about meetings; evaluations of the past are N, always."
    assert check(item, answer).verdict in (CORRECT, "kept")


def test_the_worked_example_boxes_are_what_the_library_computes():
    matrix = consistency.confusion_matrix(REFERENCE, CODER_B, categories="DEN")
    keys = {e.id: int(e.key) for e in ITEMS["l5-matrix"].entries}
    assert keys == {f"{r}-{c}": matrix.counts["DEN".index(r)]["DEN".index(c)] for r in "DEN" for c in "DEN"}
    assert ITEMS["l5-po"].answer == consistency.percent_agreement(REFERENCE, CODER_B)
    assert ITEMS["l5-pe"].answer == consistency.chance_agreement(REFERENCE, CODER_B)
    assert ITEMS["l5-kappa"].answer == pytest.approx(consistency.cohen_kappa(REFERENCE, CODER_B))
    alpha = next(m for m in ITEMS["l5-kappa"].mistakes if m.misconception == "kappa-is-alpha")
    assert alpha.value == pytest.approx(consistency.krippendorff_alpha([list(REFERENCE.values()),
                                                                        list(CODER_B.values())]), abs=1e-4)
    pooled = next(m for m in ITEMS["l5-pe"].mistakes if m.misconception == "pooled-shares")
    shares = Counter([*REFERENCE.values(), *CODER_B.values()])
    assert pooled.value == pytest.approx(sum((n / 24) ** 2 for n in shares.values()), abs=1e-4)


def test_no_typical_mistake_overlaps_the_right_answer():
    for item in ITEMS.values():
        for m in item.mistakes:
            assert abs(m.value - item.answer) > m.tolerance + item.tolerance, (item.id, m.value)


# ---- blinding, the Flip-O-Meter, the fresh test of the revision ---------------------------------------

# every name case.toml gives a person of an actor, and the surnames and first names in the sources' speakers
PEOPLE = re.compile(r"\b(Trump|Donald|Pompeo|Mike|Tillerson|Rex|Sullivan|Nauert|Heather|Bolton)\b")
BLIND = [e for e in CASE.exercises if e.blind]


def test_every_speaker_blind_item_of_lesson_05_is_marked_blind():
    """An item that reveals each entry's speaker after the attempt is speaker-blind, so it must mask names."""
    revealing = {e.id for e in ITEMS.values() if any(x.reveal.startswith("Speaker:") for x in e.entries)}
    assert revealing == {"l5-code-d1", "l5-code-d2", "l5-code-d3", "l5-code-d4", "l5-fresh"}
    assert revealing <= {e.id for e in BLIND}


@pytest.mark.parametrize("item", BLIND, ids=lambda e: e.id)
def test_a_blind_item_shows_no_speaker_name(item):
    """Every entry and option of every blind item, as the student sees it, names no person of an actor and
    no office by a name: only by its role in brackets."""
    names = {n for a in CASE.actors for ns in a.names.values() for n in ns}
    for text in [x.text for x in item.entries] + [o.text for o in item.options]:
        assert not PEOPLE.search(text), f"{item.id}: {text!r} names a speaker"
        unmasked = re.sub(r"\[[^\]]*\]", "", text)
        assert not [n for n in names if re.search(rf"(?<!\w){re.escape(n)}(?!\w)", unmasked)], (item.id, text)


def test_masking_replaces_names_by_roles_from_the_actor_data():
    from course_lib.case.records import Actor
    from types import MappingProxyType
    actors = [Actor("X", "x", "G", MappingProxyType({"the Minister": ("Minister Ann Lee", "Lee")}))]
    assert mask_speakers("Minister Ann Lee said Lee would go; Leeds stays.", actors) == \
        "[the Minister] said [the Minister] would go; Leeds stays."
    assert mask_speakers("[the Minister] said", actors) == "[the Minister] said"
    assert mask_speakers("nothing to mask", []) == "nothing to mask"
    # the bundled case: a title and a name become one mask, in a statement a blind item shows
    assert CASE.exercises["l5-code-d1"].entries[2].text.startswith("“I have asked [the Secretary of State] not to go")
    assert "[the President] feels strongly" in next(e.text for e in ITEMS["l5-code-d4"].entries if e.id == "st34")


def test_a_bad_names_table_is_reported(tmp_path):
    import shutil
    from course_lib import CaseError
    folder = tmp_path / "case"
    shutil.copytree(CASE.path, folder)
    toml = folder / "case.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        'names = { "the National Security Adviser" = ["John Bolton", "Bolton"] }',
        'names = { "the National Security Adviser" = "Bolton" }'), encoding="utf-8")
    with pytest.raises(CaseError, match="names"):
        load_case(folder)


def test_the_acknowledged_question_and_the_boosters_are_scored():
    assert check(ITEMS["l5-flip-ack"], "a").verdict == CORRECT
    assert check(ITEMS["l5-flip-ack"], "b").verdict != CORRECT
    assert check(ITEMS["l5-booster-level"], "b").verdict == CORRECT
    assert check(ITEMS["l5-booster-level"], "a").verdict != CORRECT
    assert check(ITEMS["l5-booster-reversal"], "b").verdict == CORRECT
    assert check(ITEMS["l5-booster-reversal"], "a").verdict != CORRECT

# ---- the split lesson: terms before use, 05b on its own ------------------------------------------

LESSONS = sorted((CASE.path.parents[2] / "lessons").glob("05*.ipynb"))


def _texts(path):
    """What a student reads in a notebook, cell by cell: markdown, code and the text of the outputs."""
    import json
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        shown = "".join(cell["source"])
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            shown += "".join(data.get("text/markdown", data.get("text/plain", out.get("text", ""))))
        yield cell["cell_type"], shown


def test_lesson_05_is_split_in_two():
    assert [p.name for p in LESSONS] == ["05a-coding-stances.ipynb", "05b-contradiction-or-update.ipynb"]


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_ordinal_and_nominal_are_defined_before_they_are_used(path):
    for kind, text in _texts(path):
        if re.search(r"\b(ordinal|nominal)\b", text, re.I):
            assert kind == "markdown" and "*ordinal* when" in text and "*nominal* when" in text, \
                f"{path.name}: 'ordinal' or 'nominal' is used before the cell that defines them: {text[:120]!r}"
            return
    pytest.fail(f"{path.name} never uses the terms")
