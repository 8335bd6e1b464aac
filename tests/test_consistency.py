"""course_lib.analysis.consistency: the agreement coefficients reproduce published worked examples, read their
values with the published conventions, refuse bad data with a sentence, and the contradiction/update
reading follows the dates. Published values and where they were read: tests/data/reliability-examples.json."""

import json
import math
from collections import Counter
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_lib.analysis import consistency as c
from course_lib import load_case
from course_lib.analysis.consistency import AgreementError, Trigger

EXAMPLES = json.loads((Path(__file__).parent / "data" / "reliability-examples.json").read_text(encoding="utf-8"))
CASE = load_case()

# pedagogy.md 4.3: D2 willingness to engage, 12 statements, reference and a student (coder B)
REFERENCE = "EEDNEDDENEDE"
CODER_B = "EENNEDDEEEDN"


# ---- the course's own worked example (research notes, pedagogy.md section 4.3) ------------------

def test_pedagogy_worked_example_kappa_060_and_alpha_061():
    assert c.percent_agreement(REFERENCE, CODER_B) == 0.75
    assert c.chance_agreement(REFERENCE, CODER_B) == pytest.approx(54 / 144)
    assert c.cohen_kappa(REFERENCE, CODER_B) == pytest.approx(0.60)
    assert round(c.krippendorff_alpha([REFERENCE, CODER_B]), 2) == 0.61
    assert c.krippendorff_alpha([REFERENCE, CODER_B]) == pytest.approx(1 - 23 * 6 / 358)  # as the notes compute it
    assert c.landis_koch(c.cohen_kappa(REFERENCE, CODER_B)) == "moderate"
    assert c.krippendorff_reading(0.6145).startswith("below 0.667")


def test_pedagogy_confusion_matrix():
    m = c.confusion_matrix(REFERENCE, CODER_B)
    assert m.categories == ("D", "E", "N")
    assert m.counts == ((3, 0, 1), (0, 5, 1), (0, 1, 1))
    assert m.row_totals == (4, 6, 2) and m.column_totals == (3, 6, 3)
    assert m.rows()[-1] == ("total", 3, 6, 3, 12)
    assert "total" in str(m)


def test_the_worked_example_is_the_case_data():
    """The lesson takes the reference codes from statements.csv: they must be the notes' reference codes."""
    worked = ["st01", "st26", "st02", "st05", "st08", "st29", "st04", "st32", "st15", "st37", "st03", "st16"]
    assert "".join(CASE.statements[s].codes["D2"] for s in worked) == REFERENCE


def test_codings_may_be_dicts_keyed_by_unit():
    a = dict(zip("abcdefghijkl", REFERENCE))
    b = dict(reversed(list(zip("abcdefghijkl", CODER_B))))  # another key order
    assert c.cohen_kappa(a, b) == pytest.approx(0.6)
    with pytest.raises(AgreementError, match="same units"):
        c.cohen_kappa(a, {**b, "z": "E"})


# ---- published examples --------------------------------------------------------------------------

def _alpha_cases():
    for group in ("krippendorff_2011", "wikipedia_alpha"):
        examples = EXAMPLES[group]["examples"]
        data = {e.get("name", e["level"]): e["data"] for e in examples if "data" in e}
        for e in examples:
            yield pytest.param(data[e.get("same_data_as", e.get("name", e["level"]))], e["level"], e["alpha"],
                               e["decimals"], id=f"{group}: {e.get('name', e['level'])}")


@pytest.mark.parametrize("data, level, published, decimals", list(_alpha_cases()))
def test_krippendorff_alpha_reproduces_published_values(data, level, published, decimals):
    assert round(c.krippendorff_alpha(data, level), decimals) == published


def test_every_published_value_says_where_it_was_read():
    for group in ("krippendorff_2011", "wikipedia_alpha"):
        assert all(e["read_in"] for e in EXAMPLES[group]["examples"])
    assert "commit" in EXAMPLES["fleiss"]["read_in"]


def test_fleiss_kappa_reproduces_published_values():
    wiki, fleiss_1971 = EXAMPLES["fleiss"]["examples"]
    assert round(c.fleiss_kappa(wiki["table"]), wiki["decimals"]) == wiki["kappa"]
    table = [[Counter(row)[k] for k in range(1, 6)] for row in fleiss_1971["ratings"]]
    assert round(c.fleiss_kappa(table), fleiss_1971["decimals"]) == fleiss_1971["kappa"]


def test_ordinal_codes_that_are_not_numbers_take_the_scale_order():
    words = {1: "very low", 2: "low", 3: "mid", 4: "high", 5: "very high"}
    data = [[words.get(v) for v in row] for row in EXAMPLES["krippendorff_2011"]["examples"][2]["data"]]
    scale = list(words.values())
    assert round(c.krippendorff_alpha(data, "ordinal", values=scale), 3) == 0.815
    with pytest.raises(AgreementError, match="values=.* in scale order"):
        c.krippendorff_alpha(data, "ordinal")


def test_case_codes_as_strings_work_at_every_level():
    d1 = CASE.dimensions["D1"]
    data = [["-2", "-1", "1", "2", None], ["-2", "0", "1", "2", "0"], ["-1", "-1", "1", None, "0"]]
    for level in ("nominal", "ordinal", "interval"):
        assert -1 <= c.krippendorff_alpha(data, level, d1.values) <= 1
    assert c.krippendorff_alpha(data, "ordinal", d1.values) == pytest.approx(
        c.krippendorff_alpha([[None if v is None else int(v) for v in r] for r in data], "ordinal"))


# ---- properties ------------------------------------------------------------------------------------

codes = st.lists(st.sampled_from("DNE"), min_size=2, max_size=30)


@given(st.data())
def test_kappa_is_symmetric_at_most_one_and_one_for_identical_codings(data):
    a = data.draw(codes)
    b = data.draw(st.lists(st.sampled_from("DNE"), min_size=len(a), max_size=len(a)))
    if len(set(a) | set(b)) > 1:
        assert c.cohen_kappa(a, b) == pytest.approx(c.cohen_kappa(b, a))
        assert c.cohen_kappa(a, b) <= 1 + 1e-12
    if len(set(a)) > 1:
        assert c.cohen_kappa(a, a) == pytest.approx(1.0)
        assert c.krippendorff_alpha([a, a, a]) == pytest.approx(1.0)


@given(st.data())
def test_fleiss_for_two_coders_is_scotts_pi_and_alpha_ignores_coder_order(data):
    a = data.draw(codes)
    b = data.draw(st.lists(st.sampled_from("DNE"), min_size=len(a), max_size=len(a)))
    pooled = Counter(a + b)
    p_e = sum((n / (2 * len(a))) ** 2 for n in pooled.values())
    if p_e < 1:
        scott = (c.percent_agreement(a, b) - p_e) / (1 - p_e)
        table = [[(x == k) + (y == k) for k in "DNE"] for x, y in zip(a, b)]
        assert c.fleiss_kappa(table) == pytest.approx(scott)
        assert c.krippendorff_alpha([a, b]) == pytest.approx(c.krippendorff_alpha([b, a]))
        # alpha is Scott's pi corrected for the sample size (Krippendorff 2011, section B)
        n = 2 * len(a)
        assert c.krippendorff_alpha([a, b]) == pytest.approx(1 - (n - 1) / n * (1 - scott), abs=1e-9)


# ---- clear errors ------------------------------------------------------------------------------------

@pytest.mark.parametrize("call, error, words", [
    (lambda: c.cohen_kappa("EEN", "EE"), AgreementError, "same length, got 3 and 2"),
    (lambda: c.cohen_kappa([], []), AgreementError, "at least one coded unit"),
    (lambda: c.cohen_kappa("EEE", "EEE"), AgreementError, "one and the same category"),
    (lambda: c.cohen_kappa(["E", None], ["E", "D"]), AgreementError, "unit 2 has no code from the first coder"),
    (lambda: c.cohen_kappa(3, "E"), TypeError, "sequence of codes"),
    (lambda: c.cohen_kappa([["E"]], [["D"]]), TypeError, "strings or numbers"),
    (lambda: c.fleiss_kappa([[3, 0], [2, 0]]), AgreementError, "same number of ratings"),
    (lambda: c.fleiss_kappa([[2, 0], [2, 0]]), AgreementError, "single category"),
    (lambda: c.fleiss_kappa([[1, 0], [0, 1]]), AgreementError, "at least two coders"),
    (lambda: c.fleiss_kappa([]), AgreementError, "at least one unit"),
    (lambda: c.fleiss_kappa([[1, 2], [3]]), AgreementError, "one count per category"),
    (lambda: c.fleiss_kappa([[1.5, 0.5]]), AgreementError, "whole numbers"),
    (lambda: c.fleiss_kappa("table"), TypeError, "list of rows"),
    (lambda: c.krippendorff_alpha([[1, 2, 3]]), AgreementError, "at least two coders"),
    (lambda: c.krippendorff_alpha([[1, None], [None, 2]]), AgreementError, "no unit was coded by two or more"),
    (lambda: c.krippendorff_alpha([[1, 1], [1, 1]]), AgreementError, "every pairable code is the same"),
    (lambda: c.krippendorff_alpha([[1, 2], [1]]), AgreementError, "same units"),
    (lambda: c.krippendorff_alpha([[1, 2]] * 2, "ranked"), ValueError, "one of nominal, ordinal"),
    (lambda: c.krippendorff_alpha([["a", "b"]] * 2, "interval"), AgreementError, "expected numbers"),
    (lambda: c.krippendorff_alpha([[1, 9]] * 2, values=[1, 2]), AgreementError, "not one of the scale values"),
    (lambda: c.krippendorff_alpha([[-1, 2]] * 2, "ratio"), AgreementError, "0 or more"),
    (lambda: c.landis_koch(float("nan")), TypeError, "finite number"),
    (lambda: c.timing(date(2018, 8, 20), date(2018, 8, 24), date(2018, 8, 23)), ValueError, "on or before"),
    (lambda: c.timing("2018-08-20", date(2018, 8, 23), date(2018, 8, 24)), TypeError, "datetime.date"),
])
def test_bad_data_is_refused_with_a_lower_case_sentence(call, error, words):
    with pytest.raises(error) as caught:
        call()
    message = str(caught.value)
    assert words in message and message[0].islower()


def test_an_agreement_error_is_a_value_error():
    assert issubclass(AgreementError, ValueError)


# ---- conventions --------------------------------------------------------------------------------------

@pytest.mark.parametrize("kappa, word", [(-0.01, "poor"), (0.0, "slight"), (0.2, "slight"), (0.21, "fair"),
                                         (0.4, "fair"), (0.41, "moderate"), (0.6, "moderate"),
                                         (0.6000000001, "moderate"), (0.61, "substantial"), (0.8, "substantial"),
                                         (0.81, "almost perfect"), (1.0, "almost perfect")])
def test_landis_koch_bands(kappa, word):
    assert c.landis_koch(kappa) == word


@pytest.mark.parametrize("alpha, start", [(0.8, "0.800 or more"), (0.7999, "0.800 or more"),
                                          (0.79, "0.667 to 0.800"), (0.667, "0.667 to 0.800"),
                                          (0.666, "below 0.667"), (-0.2, "below 0.667")])
def test_krippendorff_reading(alpha, start):
    assert c.krippendorff_reading(alpha).startswith(start)


# ---- contradiction or update --------------------------------------------------------------------------

TRIGGERS = (Trigger("iaea", date(2018, 8, 20), "IAEA report", "iaea-report-2018-08-20"),
            Trigger("trade", date(2018, 8, 23), "trade talks end", "whitehouse-statement-2018-08-23"),
            Trigger("letter", date(2018, 8, 24), "Kim Yong Chol's letter", "wapo-rogin-2018-08-27"))


@pytest.mark.parametrize("when, expected", [
    (date(2018, 8, 19), "before both"), (date(2018, 8, 20), "same day as the first"),
    (date(2018, 8, 22), "between"), (date(2018, 8, 24), "same day as the second"), (date(2018, 9, 1), "after both")])
def test_timing(when, expected):
    assert c.timing(when, date(2018, 8, 20), date(2018, 8, 24)) == expected
    assert c.timing(date(2018, 8, 24), date(2018, 8, 24), date(2018, 8, 24)) == "same day as both"


def reading(first, second, dim):
    return c.compare(CASE.statements[first], CASE.statements[second], CASE.dimensions[dim], TRIGGERS)


def test_compare_reads_codes_and_dates():
    assert reading("st07", "st11", "D1").reading == "contradiction"       # -2 -> +2, nothing between
    assert reading("st07", "st11", "D1").steps == 4
    update = reading("st16", "st29", "D1")                                 # -1 -> +1, IAEA and talks between
    assert update.reading == "update" and [t.id for t in update.between] == ["iaea", "trade"]
    assert [t.id for t in update.same_day] == ["letter"]
    assert reading("st26", "st29", "D2").reading == "possible update"      # triggers only on the same days
    assert reading("st08", "st11", "D2").reading == "not comparable"       # st11 is not coded on D2
    assert reading("st29", "st07", "D1").first == "st07"                   # order by date, whatever the call
    assert reading("st20", "st29", "D1").reading == "no shift"
    assert reading("st25", "st29", "D1").reading == "small shift"
    assert "update" in str(update) and "IAEA report (20 Aug)" in str(update)


def test_shifts_finds_each_speakers_changes_in_date_order():
    found = c.shifts(CASE.statements, CASE.dimensions["D1"], TRIGGERS)
    pairs = [(s.first, s.second, s.reading) for s in found]
    assert ("st07", "st09", "contradiction") not in pairs  # same code: no shift
    assert pairs[0] == ("st09", "st11", "contradiction")   # the President's 13 Jun -> 22 Jun
    assert all(CASE.statements[a].date <= CASE.statements[b].date for a, b, _ in pairs)
    government = lambda s: CASE.actors[s.speaker].government  # noqa: E731
    consecutive = c.shifts(CASE.statements, CASE.dimensions["D2"], TRIGGERS, group=government)
    assert ("st26", "st29") not in [(s.first, s.second) for s in consecutive]  # E, N (st27), D: one step at a time
    within = c.shifts(CASE.statements, CASE.dimensions["D2"], TRIGGERS, group=government, within_days=1)
    flip = next(s for s in within if (s.first, s.second) == ("st26", "st29"))
    assert flip.reading == "possible update" and flip.steps == 2


def test_stance_series_gives_scale_positions_per_speaker():
    series = c.stance_series(CASE.statements, CASE.dimensions["D1"])
    assert series["PRES"][0] == (date(2018, 6, 13), 0, "st07")
    assert all(0 <= pos <= 4 for points in series.values() for _, pos, _ in points)


def test_compare_needs_coded_statements():
    with pytest.raises(TypeError, match="coded statement"):
        c.compare(SimpleNamespace(date=date(2018, 1, 1), id="x"), CASE.statements["st01"], CASE.dimensions["D1"])


# ---- the codebook revision loop -----------------------------------------------------------------------

REF = dict(zip(["st01", "st26", "st02", "st05", "st08", "st29", "st04", "st32", "st15", "st37", "st03", "st16"],
               REFERENCE))
B = dict(zip(REF, CODER_B))


def test_revise_recodes_both_codings_and_measures_the_change():
    r = c.revise(REF, B, {"st08": "N", "st15": "N", "st16": "N"}, values="DNE")
    assert r.before == pytest.approx(0.6)
    assert r.after == pytest.approx(0.875)
    assert r.delta == pytest.approx(0.275)
    assert r.changed == ("st08", "st15", "st16") and not r.ignored
    assert "after: 0.875 (almost perfect); change: +0.275" in str(r)


@pytest.mark.parametrize("recoded, says", [
    ({}, "No unit recoded yet"),
    ({"st99": "N"}, "'st99' is not one of the coded units"),
    ({"st16": "X"}, "'X' for st16 is not one of the codes"),
    (["st16", "N"], "should be a dict"),
    ("st16=N", "should be a dict"),
])
def test_revise_never_raises_on_what_a_student_types(recoded, says):
    r = c.revise(REF, B, recoded, values="DNE")
    assert r.after == r.before and says in str(r)


typed = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
                     lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
                     max_leaves=8)


@given(st.one_of(typed, st.dictionaries(st.sampled_from([*REF, "st99"]), st.sampled_from([*"DNEX", 1, None]))))
def test_revise_gives_a_sentence_for_anything_typed(recoded):
    r = c.revise(REF, B, recoded, values="DNE")
    assert isinstance(str(r), str) and -1 <= r.after <= 1


def test_revise_reports_codings_that_collapse_to_one_category():
    r = c.revise({"a": "D", "b": "E"}, {"a": "E", "b": "D"}, {"a": "D", "b": "D"})
    assert r.after == r.before and "cannot be compared" in str(r)


def test_all_results_are_finite_numbers():
    for value in (c.cohen_kappa(REFERENCE, CODER_B), c.krippendorff_alpha([REFERENCE, CODER_B]),
                  c.fleiss_kappa([[2, 0, 0], [0, 1, 1]])):
        assert isinstance(value, float) and math.isfinite(value)


@given(typed, typed)
def test_any_input_gets_a_value_or_a_type_or_value_error(a, b):
    for call in (lambda: c.cohen_kappa(a, b), lambda: c.percent_agreement(a, b), lambda: c.fleiss_kappa(a),
                 lambda: c.krippendorff_alpha(a), lambda: c.krippendorff_alpha([a, b], "ordinal"),
                 lambda: c.krippendorff_alpha(a, "interval"), lambda: c.confusion_matrix(a, b)):
        try:
            call()
        except (TypeError, ValueError) as error:
            assert str(error)[:1].islower() or str(error)[:1] in "'\"0123456789", str(error)


# ---- an unknown speaker or dimension raises, never returns an empty result -----------------------

@pytest.mark.parametrize("call", [
    lambda: c.shifts(CASE.statements, "XYZ"),
    lambda: c.stance_series(CASE.statements, "XYZ"),
    lambda: c.shifts(CASE.statements, CASE.dimensions.ids[0], speakers=["XYZ"]),
    lambda: c.stance_series(CASE.statements, CASE.dimensions[0], speakers="XYZ"),
    lambda: c.compare(CASE.statements[0], CASE.statements[1], "XYZ"),
    lambda: c.shifts(CASE.statements, SimpleNamespace(id="XYZ", values=("a", "b"))),
], ids=["shifts dimension", "series dimension", "shifts speaker", "series speaker", "compare dimension",
        "a dimension record the statements are not coded on"])
def test_an_unknown_speaker_or_dimension_raises_naming_it_and_the_known_ones(call):
    with pytest.raises(ValueError) as problem:
        call()
    message = str(problem.value)
    assert "'XYZ'" in message and (CASE.dimensions.ids[0] in message or CASE.actors.ids[0] in message)


def test_a_dimension_id_or_a_speaker_filter_gives_the_same_as_the_record():
    dim = CASE.dimensions[0]
    assert c.shifts(CASE.statements, dim.id) == c.shifts(CASE.statements, dim)
    series = c.stance_series(CASE.statements, dim)
    who = next(iter(series))
    assert c.stance_series(CASE.statements, dim.id, speakers=[who]) == {who: series[who]}
    assert all(s.first in {st.id for st in CASE.statements if st.speaker == who}
               for s in c.shifts(CASE.statements, dim, speakers=[who]))
