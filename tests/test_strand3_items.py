"""The lesson 05 items (exercises-05.toml) against the case data and the library: the stance-coding keys
are the reference codes of statements.csv, the worked-example boxes are what consistency computes, the
hidden tests of the code item are right, and every trigger an E3.5 choice names is checked against the
dates of the two statements it is offered for."""

import re
from collections import Counter
from datetime import date

import pytest

from course_lib import classreport, consistency, load_case
from course_lib.exercises import CORRECT, check

CASE = load_case()
ITEMS = {e.id: e for e in CASE.exercises if e.lesson == "05"}
CODING = classreport.coding_items(CASE)
WORKED = ["st01", "st26", "st02", "st05", "st08", "st29", "st04", "st32", "st15", "st37", "st03", "st16"]
CODER_B = dict(zip(WORKED, "EENNEDDEEEDN"))
REFERENCE = {s: CASE.statements[s].codes["D2"] for s in WORKED}
# the triggers the lesson names, with the source card that dates each
TRIGGERS = {"update-iaea": consistency.Trigger("iaea", date(2018, 8, 20), "IAEA report", "iaea-report-2018-08-20"),
            "update-trade": consistency.Trigger("trade", date(2018, 8, 23), "trade talks end",
                                                "whitehouse-statement-2018-08-23"),
            "update-letter": consistency.Trigger("letter", date(2018, 8, 24), "letter", "wapo-rogin-2018-08-27")}


def test_the_lesson_has_its_items():
    assert set(ITEMS) == {"l5-code-d1", "l5-code-d2", "l5-code-d3", "l5-code-d4", "l5-matrix", "l5-po", "l5-pe",
                          "l5-kappa", "l5-reading", "l5-kappa-code", "l5-kappa-trace", "l5-pairs", "l5-condition", "l5-china",
                          "l5-rule"}
    assert [i.dimension.id for i in CODING] == ["D1", "D2", "D3", "D4"]


@pytest.mark.parametrize("item", CODING, ids=lambda i: i.id)
def test_coding_keys_are_the_reference_codes_of_statements_csv(item):
    dim = item.dimension
    assert [item.value(c) for c in item.choices] == [*dim.values, None], "the scale in order, then 'does not apply'"
    for entry in item.entries:
        statement = CASE.statements[entry]
        assert item.value(item.reference[entry]) == statement.codes[dim.id], entry
        assert item.texts[entry] == f"“{statement.text}”", f"{entry}: the statement, verbatim and speaker-blind"
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


def test_the_hidden_tests_expect_what_the_library_computes_and_the_skeleton_filled_passes_them():
    item = ITEMS["l5-kappa-code"]
    for t in item.tests:
        assert consistency.cohen_kappa(*t.args) == pytest.approx(t.expected)
    import json
    from pathlib import Path
    notebook = Path(__file__).resolve().parent.parent / "instructors/notebooks/05-consistency-and-reliability.ipynb"
    (source,) = ["".join(c["source"]) for c in json.loads(notebook.read_text(encoding="utf-8"))["cells"]
                 if "def cohen_kappa" in "".join(c["source"])]
    namespace = {"Counter": Counter}
    exec(source, namespace)  # the instructor's skeleton, its blanks filled, passes the hidden tests
    assert check(item, namespace["cohen_kappa"]).verdict == CORRECT
    assert "def " not in item.hints[-1] and "return" not in item.hints[-1], "the last hint gives the whole function"


def test_the_trace_item_is_what_the_library_computes():
    item = ITEMS["l5-kappa-trace"]
    a, b = ["D", "D", "E", "N", "E"], ["D", "E", "E", "N", "E"]
    assert '", "'.join(a) in item.prompt and '", "'.join(b) in item.prompt
    assert consistency.cohen_kappa(a, b) == pytest.approx(item.answer)


def _pair(entry_id):
    first, second = entry_id.split("-")
    return CASE.statements[first], CASE.statements[second]


def test_the_triggers_are_dated_by_their_source_cards():
    for choice, trigger in TRIGGERS.items():
        card = CASE.sources[trigger.source]
        label = next(c.text for c in ITEMS["l5-pairs"].categories if c.id == choice)
        assert f"{trigger.date.day} Aug" in label
        if choice == "update-letter":  # received 24 Aug, reported three days later by unnamed officials
            assert card.date == date(2018, 8, 27) and "24 Aug" in card.note
        else:
            assert card.date == trigger.date


@pytest.mark.parametrize("entry", ITEMS["l5-pairs"].entries, ids=lambda e: e.id)
def test_each_cited_trigger_is_checked_against_the_two_dates(entry):
    first, second = _pair(entry.id)
    assert first.date <= second.date
    credited = {entry.key, *entry.accepted, *entry.partial}
    for choice, trigger in TRIGGERS.items():
        when = consistency.timing(trigger.date, first.date, second.date)
        said = entry.feedback.get(choice, entry.feedback.get("*", "")) + entry.partial.get(choice, "") + \
            entry.accepted.get(choice, "") + (entry.explain if choice == entry.key else "")
        if when in ("before both", "after both"):
            assert choice not in credited, f"{choice} is credited but falls {when}"
            assert when in said, f"{choice}: the feedback must say the trigger came {when}"
        elif when.startswith("same day") and choice in credited:
            assert re.search(r"same day|morning", said), f"{choice}: say that the order within the day matters"


@pytest.mark.parametrize("entry", ITEMS["l5-pairs"].entries, ids=lambda e: e.id)
def test_each_pair_names_the_dimensions_its_statements_are_coded_on(entry):
    first, second = _pair(entry.id)
    dims = re.findall(r"\bD[1-4]\b", entry.text)
    assert dims, "the entry names the dimension(s)"
    if len(dims) == 1:  # "(both D2)": both coded on it
        assert first.codes[dims[0]] and second.codes[dims[0]]
        shift = consistency.compare(first, second, CASE.dimensions[dims[0]])
        assert shift.steps >= 2, "every pair on one dimension is a shift of two steps or more"
    else:
        assert first.codes[dims[0]] and second.codes[dims[1]] and not second.codes[dims[0]]
    for quoted in re.findall(r"“([^”]+)”", entry.text):
        assert quoted in first.text or quoted in second.text or quoted in CASE.sources[first.source].excerpt \
            or quoted in CASE.sources[second.source].excerpt, quoted


def test_every_key_of_e35_is_used_and_every_kind_of_answer_occurs():
    keys = Counter(e.key for e in ITEMS["l5-pairs"].entries)
    assert {"contradiction", "acknowledged", "not-comparable"} <= set(keys)
    assert any(k.startswith("update-") for k in keys)
