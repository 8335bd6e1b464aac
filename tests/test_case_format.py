"""What the case format gained for a second case (issue #19): an unverified verdict, misquoted and
unfound quotations, straight-quoted spans, a case's own channels, source kinds and non-state targets,
contested attributions and an order within a day. Each is tried on a fresh template case."""

import csv
import io

import pytest

from course_lib.case.files import VERDICTS, CaseError
from course_lib.case.records import load_case
from course_lib.analysis import coordination, sourcing
from course_lib.instructors.newcase import new_case


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_LIB_CACHE_DIR", str(tmp_path / "cache"))
    return new_case(tmp_path / "my-case")


def _edit(path, row_id, **values):
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    fields = list(rows[0])
    for name in values:
        if name not in fields:
            fields.append(name)
    for r in rows:
        if r["id"] == row_id:
            r.update(values)
    out = io.StringIO()
    w = csv.DictWriter(out, fields, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def _add_row(path, **values):
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    rows.append({**rows[0], **values})
    fields = list(rows[0]) + [name for name in values if name not in rows[0]]
    out = io.StringIO()
    w = csv.DictWriter(out, fields, lineterminator="\n", restval="")
    w.writeheader()
    w.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def _problems(folder):
    with pytest.raises(CaseError) as e:
        load_case(folder)
    return [str(p) for p in e.value.problems]


def _replace(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_claim_can_be_unverified_and_the_claim_map_shows_the_column_only_then(folder):
    assert "unverified" in VERDICTS
    assert "unverified" not in sourcing.claim_grid(load_case(folder), by="verdict").columns
    _replace(folder / "claims.toml", 'verdict = "accurate"', 'verdict = "unverified"')
    case = load_case(folder)
    assert case.claims["c1"].verdict == "unverified"
    assert "unverified" in sourcing.claim_grid(case, by="verdict").columns


def test_a_misquoted_quotation_keeps_the_articles_words_and_the_sources(folder):
    _replace(folder / "article.md", "“the exact words of a source”", "“the exact word of a source”")
    _replace(folder / "claims.toml", 'text = "the exact words of a source"',
             'text = "the exact word of a source"\nstatus = "misquoted"\nactual = "the exact words of a source"')
    q = load_case(folder).quotes["q1"]
    assert (q.text, q.status, q.actual) == ("the exact word of a source", "misquoted", "the exact words of a source")
    _replace(folder / "claims.toml", 'actual = "the exact words of a source"', 'actual = "words nobody wrote"')
    assert any("'actual'" in p and "does not appear verbatim" in p for p in _problems(folder))


def test_a_misquoted_status_is_refused_when_the_words_are_verbatim(folder):
    _replace(folder / "claims.toml", 'match = "exact"', 'match = "exact"\nstatus = "misquoted"\nactual = "the exact words"')
    assert any("'status'" in p and "not misquoted" in p for p in _problems(folder))


def test_a_quotation_not_found_needs_a_note_and_no_match(folder):
    _replace(folder / "article.md", "“the exact words of a source”", "“words found nowhere”")
    _replace(folder / "claims.toml", 'text = "the exact words of a source"', 'text = "words found nowhere"\nstatus = "not-found"')
    assert any("'note'" in p and "where it was looked for" in p for p in _problems(folder))
    _replace(folder / "claims.toml", 'status = "not-found"', 'status = "not-found"\nnote = "Searched both copies."')
    assert load_case(folder).quotes["q1"].status == "not-found"


def test_straight_quoted_spans_not_recorded_are_warned_about(folder):
    _replace(folder / "article.md", "one sentence a line.", 'one sentence a line, "said in straight quotes".')
    case = load_case(folder)
    assert len(case.warnings) == 1 and "p1.s2" in case.warnings[0] and "said in straight quotes" in case.warnings[0]
    _replace(folder / "claims.toml", "# Every span", '[[quote]]\nid = "q2"\nsentence = "p1.s2"\n'
             'text = "said in straight quotes"\nkind = "scare-quote"\n\n# Every span')
    assert load_case(folder).warnings == ()


def test_a_case_declares_its_channels_source_kinds_and_non_state_targets(folder):
    _edit(folder / "events.csv", "e01", channel="vote", target="MEDIA")
    _edit(folder / "sources.csv", "leader-statement-2020-01-10", kind="speech")
    found = _problems(folder)
    assert any("'channel'" in p and "vote" in p for p in found), found
    assert any("'kind'" in p and "speech" in p for p in found), found
    assert any("'target'" in p and "MEDIA" in p for p in found), found
    _replace(folder / "case.toml", "[codebooks]", '[vocabulary]\nchannels = ["statement", "vote"]\n'
             'source_kinds = ["speech", "statement", "news-report"]\n\n[[target]]\nid = "MEDIA"\n'
             'name = "the media"\nkind = "non-state"\n\n[codebooks]')
    case = load_case(folder)
    assert case.channels == ("statement", "vote") and case.targets["MEDIA"].name == "the media"
    assert case.events["e01"].target == "MEDIA"


def test_a_contested_attribution_is_recorded_with_its_reason(folder):
    _edit(folder / "events.csv", "e01", attribution="contested", coding_note="")
    assert any("contested attribution" in p for p in _problems(folder))
    _edit(folder / "events.csv", "e01", coding_note="Who fired is disputed: one side blames the other.")
    assert load_case(folder).events["e01"].attribution == "contested"
    _edit(folder / "events.csv", "e01", attribution="maybe")
    assert any("'attribution'" in p for p in _problems(folder))


def test_the_order_within_a_day_orders_same_day_events(folder):
    _add_row(folder / "events.csv", id="e00", order="1", cameo="040", alternatives="")
    _edit(folder / "events.csv", "e01", order="2")
    case = load_case(folder)
    assert [e.id for e in coordination.chronological(case.events)] == ["e00", "e01"]
    same_day = coordination.lag(case.events["e00"], case.events["e01"])
    assert same_day.order_known and str(same_day) == "0 days (same day, in the case's order)"
    assert not coordination.lag(case.events["e01"], case.events["e00"]).order_known, "against the order: not known"
    _edit(folder / "events.csv", "e01", order="1")
    assert any("'order'" in p and "is already the order of e01 on the same day" in p for p in _problems(folder))
    _edit(folder / "events.csv", "e01", order="first")
    assert any("'order'" in p and "whole number" in p for p in _problems(folder))
