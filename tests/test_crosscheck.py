"""course_lib.case.crosscheck's shared helpers: one "did you mean" rule for every unknown id, one quote matcher."""

import pytest

from course_lib import load_case
from course_lib.case.crosscheck import did_you_mean, unknown
from course_lib.frontend.memo import Memo
from course_lib.checking.session import answer

CASE = load_case()


def test_did_you_mean_is_one_rule_in_every_place_an_id_is_looked_up():
    hint = did_you_mean("TRUMP-TWEET-2018-08-24", CASE.sources.ids)
    assert hint.startswith("; did you mean 'trump-tweet-2018-08-24") and hint.count("'") <= 6
    assert unknown("TRUMP-TWEET-2018-08-24", "source", CASE.sources.ids) == f"no source with id 'TRUMP-TWEET-2018-08-24'{hint}"
    with pytest.raises(KeyError) as raised:
        CASE.sources["TRUMP-TWEET-2018-08-24"]       # the lookup of a record: case-insensitive now, like the rest
    assert hint in str(raised.value)
    sentence = did_you_mean("TRUMP-TWEET-2018-08-24", CASE.sources.ids, sentence=True)
    assert sentence == " D" + hint[3:]
    assert str(Memo(case=CASE).cite("TRUMP-TWEET-2018-08-24")).endswith(sentence)
    first = CASE.exercises.ids[0]
    assert f"Did you mean {first!r}?" in str(answer(first.upper(), "a"))


def test_no_hint_for_what_is_not_a_string_or_close_to_nothing():
    assert did_you_mean(None, CASE.sources.ids) == did_you_mean("", CASE.sources.ids) == ""
    assert did_you_mean("zzzz", CASE.sources.ids) == ""
    assert unknown("zzzz", "source", CASE.sources.ids) == "no source with id 'zzzz'"


def test_a_memo_quote_passes_wherever_the_cases_own_quotation_passes():
    """One matcher (quoted_how): every quotation the case accepts is verbatim for the memo's check too,
    including the case-folded one and with the closing punctuation and a line break a student adds."""
    from course_lib.case.crosscheck import quoted_how
    from course_lib.frontend.memo import verbatim
    quotations = [q for q in CASE.quotes if q.kind == "quotation"]
    assert {q.match for q in quotations} == {"exact", "case-folded"}
    for q in quotations:
        assert quoted_how(q.text, CASE.sources[q.source].excerpt) == q.match
        assert verbatim(CASE, q.text, [q.source])
        assert verbatim(CASE, q.text.replace(" ", "\n", 1) + ".", [q.source])
    for s in CASE.statements:
        assert quoted_how(s.text, CASE.sources[s.source].excerpt) == "exact"
    assert not verbatim(CASE, "not in any card at all", CASE.sources.ids)


def test_the_case_check_is_as_strict_as_its_records_say(tmp_path):
    """A quotation recorded as exact fails the case check when only its capitals match: the strictness
    is the record's, the matcher the same."""
    import shutil
    from course_lib.case.records import CaseError, load_case as load
    folder = tmp_path / "case"
    from course_lib.case.records import BUNDLED_CASE
    shutil.copytree(BUNDLED_CASE, folder)
    claims = folder / "claims.toml"
    text = claims.read_text()
    assert 'match = "case-folded"' in text
    claims.write_text(text.replace('match = "case-folded"', 'match = "exact"', 1))
    with pytest.raises(CaseError, match="does not appear verbatim"):
        load(folder)
