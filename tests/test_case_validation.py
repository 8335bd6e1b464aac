"""Each way an instructor can break a case folder, and the message that must point at the break.

One broken copy of the bundled case per test: the CaseError must name the file, the row or key
and the field, and say what was expected. Cases are a table (ids name them) so a failure says
which breakage went unreported.
"""

import re

import pytest

from conftest import edit_csv, replace_in, row_of
from course_lib import CaseError, load_case

TWEET = "trump-tweet-2018-08-24a"


def problems(folder):
    with pytest.raises(CaseError) as info:
        load_case(folder)
    return info.value.problems


def find(problems_, file, where=None, field=None, says=""):
    """The problems matching file (suffix), where (substring), field (exact) and message (regex)."""
    hits = [p for p in problems_ if p.file.endswith(file)
            and (where is None or where in p.where)
            and (field is None or p.field == field)
            and re.search(says, p.message)]
    assert hits, f"no problem in {file} {where} {field} matching {says!r}; got:\n" + "\n".join(map(str, problems_))
    return hits


def test_missing_file(case_copy):
    (case_copy / "events.csv").unlink()
    find(problems(case_copy), "nk-2018/events.csv", says="missing")


def test_bad_date(case_copy):
    row = edit_csv(case_copy / "sources.csv", TWEET, "date", "24 Aug 2018")
    find(problems(case_copy), "sources.csv", f"row {row}", "date", "ISO date YYYY-MM-DD, got '24 Aug 2018'")


def test_impossible_date(case_copy):
    row = edit_csv(case_copy / "events.csv", "e01", "date", "2018-02-30")
    find(problems(case_copy), "events.csv", f"row {row}", "date", "ISO date")


def test_duplicate_id(case_copy):
    second = row_of(case_copy / "sources.csv", "trump-tweet-2018-08-24b")
    edit_csv(case_copy / "sources.csv", "trump-tweet-2018-08-24b", "id", TWEET)
    first = row_of(case_copy / "sources.csv", TWEET)
    find(problems(case_copy), "sources.csv", f"row {second}", "id", f"duplicate id '{TWEET}' .first used in row {first}")


def test_dangling_claim_source(case_copy):
    replace_in(case_copy / "claims.toml", f'"{TWEET}"', '"trump-tweet-2018-08-42a"')
    find(problems(case_copy), "claims.toml", "(id 'c1')", "sources", "no source with id 'trump-tweet-2018-08-42a'")


def test_dangling_claim_sentence(case_copy):
    replace_in(case_copy / "claims.toml", 'sentence = "p1.s1"', 'sentence = "p9.s1"')
    find(problems(case_copy), "claims.toml", "[[claim]]", "sentence", "no sentence with id 'p9.s1'")


def test_dangling_event_source(case_copy):
    row = edit_csv(case_copy / "events.csv", "e01", "source", "no-such-card")
    find(problems(case_copy), "events.csv", f"row {row}", "source", "no source with id 'no-such-card'")


def test_dangling_statement_speaker(case_copy):
    row = edit_csv(case_copy / "statements.csv", "st01", "speaker", "POTUS")
    find(problems(case_copy), "statements.csv", f"row {row}", "speaker", "no actor with id 'POTUS'")


def test_unknown_enum(case_copy):
    row = edit_csv(case_copy / "sources.csv", TWEET, "kind", "blog")
    find(problems(case_copy), "sources.csv", f"row {row}", "kind", "expected one of tweet, statement, .*got 'blog'")


def test_unknown_claim_type(case_copy):
    replace_in(case_copy / "claims.toml", 'type = "opinion"', 'type = "value judgement"')
    find(problems(case_copy), "claims.toml", "[[claim]]", "type", "expected one of checkable-fact")


def test_cameo_code_not_in_table(case_copy):
    row = edit_csv(case_copy / "events.csv", "e01", "cameo", "36")
    find(problems(case_copy), "events.csv", f"row {row}", "cameo", "'36' is not in the pinned table .*leading zeros")


def test_bad_csv_quoting(case_copy):
    path = case_copy / "events.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3] = lines[3].replace(",", ',"broken', 1)  # an opening quote that never closes
    path.write_text("".join(lines), encoding="utf-8")
    find(problems(case_copy), "events.csv", "row 4", None, "bad CSV quoting")


def test_unquoted_comma(case_copy):
    path = case_copy / "statements.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = lines[1].rstrip("\n") + ",an extra field\n"
    path.write_text("".join(lines), encoding="utf-8")
    find(problems(case_copy), "statements.csv", "row 2", None, "fields but the header has")


def test_wrong_encoding(case_copy):
    path = case_copy / "sources.csv"
    content = path.read_text(encoding="utf-8")
    line = content[: content.index(TWEET)].count("\n") + 1
    path.write_bytes(content.replace(TWEET + ",", TWEET + ",", 1).encode("utf-8").replace(
        TWEET.encode() + b",", TWEET.encode() + b",\xe9", 1))
    find(problems(case_copy), "sources.csv", f"line {line}", None, "not UTF-8")


def test_empty_required_field(case_copy):
    row = edit_csv(case_copy / "sources.csv", TWEET, "excerpt", "")
    find(problems(case_copy), "sources.csv", f"row {row}", "excerpt", "is empty; a value is required")


def test_unknown_column(case_copy):
    replace_in(case_copy / "sources.csv", ",excerpt,", ",exerpt,")
    found = problems(case_copy)
    find(found, "sources.csv", "row 1", "exerpt", "unknown column")
    find(found, "sources.csv", "row 1", None, "missing column excerpt")


def test_quotation_not_verbatim(case_copy):
    path = case_copy / "sources.csv"
    replace_in(path, "not making sufficient progress", "not making enough progress")
    found = problems(case_copy)
    find(found, "claims.toml", "[[quote]]", "text", f"does not appear verbatim in the excerpt of source '{TWEET}'")


def test_unrecorded_quotation_in_article(case_copy):
    replace_in(case_copy / "article.md", "an alarming lack of coordination", "an “alarming” lack of coordination")
    find(problems(case_copy), "claims.toml", "[[quote]]", None, "sentence p4.s1 quotes 'alarming' but no")


def test_sentence_ids_out_of_order(case_copy):
    replace_in(case_copy / "article.md", "[p1.s2]", "[p1.s3]")
    find(problems(case_copy), "article.md", "line 4", None, r"\[p1.s3\] out of order; expected \[p1.s2\]")


def test_toml_syntax_error(case_copy):
    replace_in(case_copy / "claims.toml", 'id = "c1"', 'id = "c1')
    find(problems(case_copy), "claims.toml", None, None, "not valid TOML.*line")


def test_event_outside_period(case_copy):
    row = edit_csv(case_copy / "events.csv", "e01", "date", "2016-01-01")
    find(problems(case_copy), "events.csv", f"row {row}", "date", "outside the case's period 2017-09-30 to 2018-10-07")


def test_statement_code_not_in_scale(case_copy):
    row = edit_csv(case_copy / "statements.csv", "st01", "D2", "maybe")
    find(problems(case_copy), "statements.csv", f"row {row}", "D2", "expected one of D, N, E.*got 'maybe'")


def test_scare_quote_with_a_source(case_copy):
    path = case_copy / "claims.toml"
    content = path.read_text(encoding="utf-8")
    start = content.index('kind = "scare-quote"')
    path.write_text(content[:start] + f'source = "{TWEET}"\n' + content[start:], encoding="utf-8")
    find(problems(case_copy), "claims.toml", "[[quote]]", "source", "scare quote is the article's own word")


def test_every_problem_reported_at_once(case_copy):
    edit_csv(case_copy / "sources.csv", TWEET, "date", "yesterday")
    edit_csv(case_copy / "events.csv", "e01", "channel", "carrier pigeon")
    replace_in(case_copy / "case.toml", 'period_end = "2018-10-07"', 'period_end = "2018-13-07"')
    found = problems(case_copy)
    find(found, "sources.csv", None, "date")
    find(found, "events.csv", None, "channel")
    find(found, "case.toml", "[case]", "period_end", "ISO date")


def test_message_lists_file_row_field(case_copy):
    row = edit_csv(case_copy / "sources.csv", TWEET, "level", "tertiary")
    with pytest.raises(CaseError) as info:
        load_case(case_copy)
    text = str(info.value)
    assert text.startswith(f"The case folder {case_copy} has 1 problem:")
    assert f"nk-2018/sources.csv, row {row}, field 'level': expected one of primary, secondary; got 'tertiary'" in text


def test_not_a_folder(tmp_path):
    with pytest.raises(CaseError, match="no such folder"):
        load_case(tmp_path / "nowhere")


def test_empty_folder_names_every_missing_file(tmp_path):
    found = problems(tmp_path)
    for name in ("case.toml", "article.md", "sources.csv", "claims.toml", "events.csv", "statements.csv"):
        find(found, name, None, None, "missing")


# ---- claims of other parties (speaker + statement or source instead of sentence) -----------------

def _party_claim(folder, body: str) -> None:
    with (folder / "claims.toml").open("a", encoding="utf-8") as f:
        f.write("\n[[claim]]\n" + body + "\n")


PARTY_BASE = ('type = "checkable-fact"\nsources = ["trump-tweet-2018-06-13", "joint-statement-2018-06-12"]\n'
              'verdict = "inaccurate"\nrationale = "test"\n')


def test_a_claim_needs_a_sentence_or_a_speaker(case_copy):
    _party_claim(case_copy, 'id = "z1"\ntext = "x"\n' + PARTY_BASE)
    find(problems(case_copy), "claims.toml", "(id 'z1')", "sentence", "either sentence .* or speaker")


def test_a_claim_is_the_articles_or_a_speakers_not_both(case_copy):
    _party_claim(case_copy, 'id = "z1"\nsentence = "p1.s1"\nspeaker = "PRES"\ntext = "x"\n' + PARTY_BASE)
    find(problems(case_copy), "claims.toml", "(id 'z1')", "speaker", "not both")


def test_a_party_claims_speaker_must_be_an_actor(case_copy):
    _party_claim(case_copy, 'id = "z1"\nspeaker = "POTUS"\nstatement = "st07"\n'
                 'text = "There is no longer a Nuclear Threat from North Korea."\n' + PARTY_BASE)
    find(problems(case_copy), "claims.toml", "(id 'z1')", "speaker", "no actor with id 'POTUS'")


def test_a_party_claim_names_where_it_was_said(case_copy):
    _party_claim(case_copy, 'id = "z1"\nspeaker = "PRES"\ntext = "x"\n' + PARTY_BASE)
    find(problems(case_copy), "claims.toml", "(id 'z1')", "statement", "exactly one of statement .* or source")


def test_a_party_claims_statement_must_exist_and_match_its_speaker(case_copy):
    _party_claim(case_copy, 'id = "z1"\nspeaker = "PRES"\nstatement = "st99"\ntext = "x"\n' + PARTY_BASE)
    _party_claim(case_copy, 'id = "z2"\nspeaker = "STATE"\nstatement = "st07"\n'
                 'text = "There is no longer a Nuclear Threat from North Korea."\n' + PARTY_BASE)
    found = problems(case_copy)
    find(found, "claims.toml", "(id 'z1')", "statement", "no statement with id 'st99'")
    find(found, "claims.toml", "(id 'z2')", "speaker", "'STATE' does not match the speaker 'PRES' of statement 'st07'")


def test_a_party_claims_words_are_verbatim(case_copy):
    _party_claim(case_copy, 'id = "z1"\nspeaker = "PRES"\nstatement = "st07"\n'
                 'text = "There is no longer a nuclear threat from North Korea."\n' + PARTY_BASE)
    find(problems(case_copy), "claims.toml", "(id 'z1')", "text", "does not appear verbatim .*trump-tweet-2018-06-13")


def test_a_party_claim_cannot_be_its_own_evidence(case_copy):
    _party_claim(case_copy, 'id = "z1"\nspeaker = "PRES"\nsource = "trump-tweet-2018-06-13"\n'
                 'text = "There is no longer a Nuclear Threat from North Korea."\n'
                 'type = "checkable-fact"\nsources = ["trump-tweet-2018-06-13"]\nverdict = "inaccurate"\nrationale = "t"\n')
    find(problems(case_copy), "claims.toml", "(id 'z1')", "sources", "cannot be its own evidence")


def test_a_valid_party_claim_loads_apart_from_the_articles(case_copy):
    _party_claim(case_copy, 'id = "z1"\nspeaker = "PRES"\nsource = "trump-tweet-2018-06-13"\n'
                 'text = "There is no longer a Nuclear Threat from North Korea."\n' + PARTY_BASE)
    case = load_case(case_copy)
    z1 = case.party_claims["z1"]
    assert (z1.party, z1.said_in, z1.sentence) == ("PRES", "trump-tweet-2018-06-13", "")
    assert "z1" not in case.claims and all(c.party == "article" for c in case.claims)


# ---- issue #15: a case folder from a colleague is untrusted ---------------------------------------

@pytest.mark.parametrize("where", ["/etc/passwd", "../../../../../../etc/passwd", "../outside.csv"])
def test_a_codebook_path_cannot_leave_the_case_folder(case_copy, where):
    (case_copy.parent / "outside.csv").write_text("SECRET-FIRST-LINE,x\n1,2\n")
    replace_in(case_copy / "case.toml", 'events = "cameo-goldstein.csv"', f'events = "{where}"')
    with pytest.raises(CaseError) as info:
        load_case(case_copy)
    text = str(info.value)
    assert "must be inside the case folder" in text
    assert "root:" not in text and "SECRET-FIRST-LINE" not in text


def test_a_link_leading_out_of_the_case_folder_is_not_followed(case_copy):
    (case_copy.parent / "secret.csv").write_text("SECRET-FIRST-LINE\n")
    (case_copy / "events.csv").unlink()
    (case_copy / "events.csv").symlink_to(case_copy.parent / "secret.csv")
    text = str(pytest.raises(CaseError, load_case, case_copy).value)
    assert "events.csv: the file must be inside the case folder" in text and "SECRET" not in text


def test_unknown_file_content_is_never_echoed_verbatim(case_copy):
    header = "code,label,goldstein"
    long_secret = "x" * 200
    replace_in(case_copy / "cameo-goldstein.csv", header, f"{header},{long_secret}\x1b[2J")
    text = str(pytest.raises(CaseError, load_case, case_copy).value)
    assert long_secret not in text and "\x1b" not in text
    assert "unknown column" in text


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="no FIFOs here")
def test_a_fifo_in_place_of_a_case_file_does_not_hang(case_copy):
    import os
    (case_copy / "events.csv").unlink()
    os.mkfifo(case_copy / "events.csv")
    find(problems(case_copy), "events.csv", None, None, "not a regular file")


def test_deeply_nested_toml_is_a_case_error(case_copy):
    with open(case_copy / "claims.toml", "a", encoding="utf-8") as f:
        f.write("\ndeep = " + "[" * 5000 + "]" * 5000 + "\n")
    find(problems(case_copy), "claims.toml", None, None, "nested too deeply")


def test_ten_thousand_unknown_references_are_reported_quickly(case_copy):
    import csv
    import time
    with open(case_copy / "sources.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    rows += [[f"src-extra-{n}", *rows[1][1:]] for n in range(10_000)]
    with open(case_copy / "sources.csv", "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    with open(case_copy / "events.csv", encoding="utf-8", newline="") as f:
        events = list(csv.reader(f))
    source = events[0].index("source")
    events += [[f"ev-extra-{n}", *events[1][1:source], f"no-such-{n}", *events[1][source + 1:]] for n in range(10_000)]
    with open(case_copy / "events.csv", "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(events)
    start = time.process_time()
    found = problems(case_copy)
    assert time.process_time() - start < 15       # 200 s before: the hints compared every pair
    assert len(find(found, "events.csv", None, "source", "no source with id 'no-such-")) == 10_000


def test_a_huge_timeout_is_a_case_error(case_copy):
    replace_in(case_copy / "exercises-00-start-here.toml", "timeout = 3.0", "timeout = 1e300")
    find(problems(case_copy), "exercises-00-start-here.toml", "l0-code", "timeout", "at most 30 seconds")
