"""Measuring what students learn: lesson 00's pre-test taken cold and blind, lesson 06's parallel
post-test, and the pre/post report `course-lib collect` writes from a synthetic class."""

import csv
import json
import re
from pathlib import Path

import nbformat
import pytest

from course_lib import load_case
from course_lib.instructors import cli
from course_lib.work import progress
from course_lib.frontend import mywork
from course_lib.case.records import CaseError
from course_lib.instructors.collect import collect, normalised_gain, outputs
from course_lib.case.items import choice_signature
from tests.conftest import replace_in

CASE = load_case()
ROOT = Path(__file__).resolve().parent.parent
PRE = [e for e in CASE.exercises if e.lesson == "00" and e.id.startswith("l0-pre")]
POST = [e for e in CASE.exercises if e.parallel]
PRACTICE = [e for e in CASE.exercises if e.lesson == "00" and e not in PRE]
LESSON_00 = [ROOT / "instructors" / "notebooks" / "00-start-here.ipynb", ROOT / "lessons" / "00-start-here.ipynb"]
LESSON_06 = [ROOT / "instructors" / "notebooks" / "06-final-memo.ipynb", ROOT / "lessons" / "06-final-memo.ipynb"]


# ---- what each test item hides -------------------------------------------------------------------

def norm(text: str) -> str:
    """Text compared as a reader sees it: straight quotes, one space, no case."""
    for curly, straight in (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"')):
        text = text.replace(curly, straight)
    return re.sub(r"\s+", " ", text).strip().casefold()


def statement(item) -> str | None:
    """The statement a speaker-blind item shows ("Speaker A: “...” Is this ..."), or None."""
    m = re.match(r"Speaker [A-Z][^“]*: “(.+)” Is this", item.prompt)
    return m.group(1) if m else None


def hidden(item) -> dict:
    """What a blind item must not give away before it is answered, found from the case data: the
    statement, the article sentence ids that hold it, and the speaker's name (surname, or outlet)."""
    said = statement(item)
    if said is None:   # an outlet-blind item: "Outlet X was the Washington Examiner, ..."
        m = re.match(r"Outlet [A-Z] was (?:the )?([^,]+),", item.reveal)
        assert m, f"{item.id}: neither a speaker-blind statement nor an outlet-blind reveal"
        return {"statement": None, "sentences": [], "names": [m.group(1).split()[-1]]}
    key = norm(said).rstrip(".")
    sentences = [s.id for s in CASE.article.sentences if key in norm(s.text)]
    cards = [c for c in CASE.sources if key in norm(c.excerpt)]
    names = [re.split(r"[(,]", c.speaker)[0].split()[-1] for c in cards]
    if sentences:
        names.append(CASE.info.outlet.split()[-1])
    assert names, f"{item.id}: the statement is in no source card and no article sentence (never invent a quote)"
    assert any(n in item.reveal for n in names), f"{item.id}: the reveal does not name the speaker {names}"
    return {"statement": said, "sentences": sentences, "names": names}


def shingles(text: str, n: int) -> set:
    words = re.findall(r"[\w'-]+", norm(text))
    return {" ".join(words[i:i + n]) for i in range(len(words) - n + 1)}


def item_text(item) -> str:
    """Everything a student can see of an item, before and after answering."""
    parts = [item.title, item.prompt, item.explain, item.next, item.reveal, *item.hints]
    parts += [x for o in item.options for x in (o.text, o.feedback, o.accepted)]
    parts += [c.text for c in item.choices]
    parts += [x for e in item.entries for x in (e.text, e.explain, e.reveal, *e.feedback.values(),
                                                *e.accepted.values(), *e.partial.values())]
    return "\n".join(parts)


def leaks(text: str, item, words: int) -> list[str]:
    """What of `item`'s hidden facts `text` shows: a sentence id, the speaker's name, or a run of
    `words` words of its statement."""
    h = hidden(item)
    found = [s for s in h["sentences"] if re.search(rf"(?<![\w.]){re.escape(s)}(?![\w])", text)]
    found += [n for n in h["names"] if re.search(rf"\b{re.escape(n)}\b", text)]
    if h["statement"]:
        found += sorted(shingles(h["statement"], words) & shingles(text, words))
    return found


def test_the_pre_test_has_seven_items_with_confidence_and_the_lateral_reading_task():
    assert [e.id for e in PRE] == [f"l0-pre{n}" for n in range(1, 8)]
    assert all(e.confidence and e.kind == "single" and e.reveal for e in PRE)
    assert all(o.feedback for e in PRE for o in e.options), "every option has a reason"
    lateral = CASE.exercises["l0-pre7"]
    assert "who is behind" in lateral.prompt and statement(lateral) is None
    assert next(o for o in lateral.options if o.correct).id == "independent"


@pytest.mark.parametrize("item", PRE + POST, ids=lambda e: e.id)
def test_a_test_item_hides_its_speaker_until_it_is_answered(item):
    """Blind: the prompt, options and hints name neither the speaker nor the sentence id; the reveal does."""
    shown_before = "\n".join([item.prompt, *item.hints] + [o.text for o in item.options])
    h = hidden(item)
    assert not [n for n in h["names"] if re.search(rf"\b{re.escape(n)}\b", shown_before)]
    assert not [s for s in h["sentences"] if s in shown_before]


@pytest.mark.parametrize("pre", PRE, ids=lambda e: e.id)
def test_no_practice_item_uses_a_pre_test_sentence_or_names_its_speaker(pre):
    """The practice items (now after the pre-test) still use other sentences: no sentence id and no run
    of six words of a pre-test statement, and no match target is a pre-test speaker."""
    for item in PRACTICE:
        h = hidden(pre)
        text = item_text(item)
        assert not [s for s in h["sentences"] if re.search(rf"(?<![\w.]){re.escape(s)}(?![\w])", text)], item.id
        if h["statement"]:
            assert not shingles(h["statement"], 6) & shingles(text, 6), f"{item.id} quotes {pre.id}"
        if item.kind == "match":
            targets = " ".join(t.text for t in item.targets)
            assert not [n for n in h["names"] if n in targets], f"{item.id} names {pre.id}'s speaker as a target"


@pytest.mark.parametrize("later", PRE, ids=lambda e: e.id)
def test_no_earlier_pre_test_item_gives_a_later_one_away(later):
    """An earlier pre-test item, its reveal included, neither quotes a later one nor names its sentence."""
    for earlier in PRE[:PRE.index(later)]:
        h = hidden(later)
        text = item_text(earlier)
        assert not [s for s in h["sentences"] if re.search(rf"(?<![\w.]){re.escape(s)}(?![\w])", text)]
        if h["statement"]:
            assert not shingles(h["statement"], 6) & shingles(text, 6), f"{earlier.id} quotes {later.id}"


def cell_texts(cell) -> str:
    parts = [cell.source]
    for out in cell.get("outputs", []):
        parts.append(out.get("text", ""))
        parts += [v if isinstance(v, str) else json.dumps(v) for v in out.get("data", {}).values()]
    return "\n".join(parts)


def shows(cell) -> list[str]:
    return re.findall(r'show\("([\w.-]+)"\)', cell.source) if cell.cell_type == "code" else []


@pytest.mark.parametrize("path", LESSON_00, ids=["instructor", "student"])
def test_the_pre_test_comes_first_and_nothing_before_it_reveals_its_answers(path):
    """Taken cold: the pre-test is the first thing shown, after a note on how to answer; no cell before
    it (source or output) holds a pre-test sentence id, speaker name or four words of a statement."""
    cells = nbformat.read(path, 4).cells
    shown = [i for c in cells for i in shows(c)]
    assert shown[:len(PRE)] == [e.id for e in PRE], "the pre-test items come first, in order"
    first = next(n for n, c in enumerate(cells) if shows(c))
    before = "\n".join(cell_texts(c) for c in cells[:first])
    assert "## Answering an item" in before and "## Pre-test" in before
    assert "article(" not in before and "summary()" not in before
    for item in PRE:
        assert leaks(before, item, 4) == [], f"before the pre-test: {item.id} given away"
        for option in item.options:   # not even as an example of the plain call
            assert not re.search(rf'answer\("{item.id}",\s*"{re.escape(option.id)}"', before), item.id


@pytest.mark.parametrize("path", LESSON_06, ids=["instructor", "student"])
def test_the_post_test_closes_lesson_06_before_the_wrap_up(path):
    cells = nbformat.read(path, 4).cells
    heads = [c.source.splitlines()[0] for c in cells if c.cell_type == "markdown"]
    assert heads.index("## Post-test") == heads.index("## Wrap-up") - 1
    start = next(n for n, c in enumerate(cells) if c.source.startswith("## Post-test"))
    assert [i for c in cells[start:] for i in shows(c)] == [e.id for e in POST]
    before = "\n".join(cell_texts(c) for c in cells[:start])
    for item in POST:
        if statement(item):
            assert not shingles(statement(item), 6) & shingles(before, 6), f"{item.id} is shown before the post-test"


# ---- familiarity: what the course shows of each test statement ------------------------------------

NOTEBOOKS = sorted((ROOT / "instructors" / "notebooks").glob("*.ipynb")) + sorted((ROOT / "lessons").glob("*.ipynb"))

# Pre-test statements the course comes back to on purpose: the pre-test samples the case's own record,
# so a student meets each statement again in the lesson that works on it (the items' `next` lines say
# where). The pre-test is still taken cold (nothing before it shows them, tested above); the post-test's
# statements are the ones kept unseen. instructors/guide.md ("Reading the pre/post report") lists these.
REUSED = {
    "l0-pre1": "Trump's tweet of 13 June is a central claim: 02a traces it, 02b rates it, 04a and 05a code it, 05b pairs it",
    "l0-pre2": "the article's p1.s4: lesson 00 shows the article after the pre-test; lesson 01's table of claim types uses it",
    "l0-pre3": "the third tweet of 24 August is the event the course explains: 01 to 06 trace, weigh and code it",
    "l0-pre4": "Pompeo's answer to “gangster-like” is an event 04a codes, shown again in 05a",
    "l0-pre5": "the article's p1.s2: lesson 00 shows the article, 01 sorts it (l1-sort), 04a and 05a code it, 05b pairs it",
    "l0-pre6": "05b sets it against the Secretary's January 2021 date (l5-pairs, l5-flip, l5-fresh)",
}


def words(text: str) -> list[str]:
    """The words of `text`, case and punctuation aside (a hyphen or a dash splits words)."""
    return re.findall(r"[\w']+", norm(text))


def runs(text: str, n: int = 6) -> set:
    w = words(text)
    return {" ".join(w[i:i + n]) for i in range(len(w) - n + 1)}


def seen_in(said: str, text: str) -> bool:
    """Any run of six words of `said` in `text` (a statement under six words: all of it), case and
    punctuation aside."""
    w = words(said)
    if len(w) >= 6:
        return bool(runs(said) & runs(text))
    return f" {' '.join(w)} " in f" {' '.join(words(text))} "


def own_cell(cell, item) -> bool:
    """A cell that shows or answers `item` itself (its prompt and reveal are its own)."""
    return f'"{item.id}"' in cell.source


def places(item, *, before_post: bool) -> list[str]:
    """Where else the course shows `item`'s statement: other items, and cells of every lesson notebook
    (only those before lesson 06's post-test when `before_post`)."""
    said = statement(item)
    found = [e.id for e in CASE.exercises if e.id != item.id and not (before_post and e in POST)
             and seen_in(said, item_text(e))]
    for path in NOTEBOOKS:
        cells = nbformat.read(path, 4).cells
        if before_post and path.name.startswith("06"):
            cells = cells[:next(n for n, c in enumerate(cells) if c.source.startswith("## Post-test"))]
        found += [f"{path.parent.name}/{path.name} cell {n}" for n, c in enumerate(cells)
                  if not own_cell(c, item) and seen_in(said, cell_texts(c))]
    return found


def test_short_statements_count_whole_and_runs_ignore_case_and_punctuation():
    assert seen_in("There is progress being made.", "Entry f: “there is PROGRESS being made”, she said.")
    assert not seen_in("There is progress being made.", "There is progress being mad, on trade.")
    assert seen_in("We're not playing the time game, he said.", "…we’re NOT playing the time-game")
    assert not seen_in("We're not playing the time game, he said.", "We're not playing any time game")


@pytest.mark.parametrize("item", [e for e in POST if statement(e)], ids=lambda e: e.id)
def test_no_post_test_statement_is_shown_anywhere_else_in_the_course(item):
    """Unseen: no other item (prompt, entries, options, feedback, explain, hints, reveal) and no cell of
    any lesson notebook, instructor or student version, holds six words of the statement."""
    assert places(item, before_post=False) == []


@pytest.mark.parametrize("item", [e for e in PRE if statement(e)], ids=lambda e: e.id)
def test_a_pre_test_statement_comes_back_before_the_post_test_only_on_purpose(item):
    found = places(item, before_post=True)
    if item.id in REUSED:
        assert found, f"{item.id} is no longer re-used: drop it from REUSED ({REUSED[item.id]}) and from the guide"
    else:
        assert found == [], f"{item.id}'s statement comes back before the post-test"


# ---- the pairing ---------------------------------------------------------------------------------

def test_every_pre_test_item_has_exactly_one_parallel_post_test_item():
    partners = [e.parallel for e in POST]
    assert sorted(partners) == sorted(e.id for e in PRE)
    for post in POST:
        pre = CASE.exercises[post.parallel]
        assert post.lesson == "06" and post.kind == pre.kind and post.confidence and pre.confidence
        assert choice_signature(post) == choice_signature(pre)
        assert [o.id for o in post.options if o.correct] == [o.id for o in pre.options if o.correct], \
            "the parallel form tests the same category"
        if statement(pre):
            assert norm(statement(post)) != norm(statement(pre)), "another statement, not the same one"
        assert hidden(post)   # verbatim from the case's data, and its reveal names the speaker


@pytest.mark.parametrize("old, new, says", [
    ('parallel = "l0-pre1"', 'parallel = "l0-pre9"', "no exercise with id 'l0-pre9'"),
    ('parallel = "l0-pre2"', 'parallel = "l0-pre1"', "already has a parallel form"),
    ('parallel = "l0-pre3"', 'parallel = "l6-post1"', "is a post-test item itself"),
    ('parallel = "l0-pre4"', 'parallel = "l0-classify"', "has the kind of its pre-test item"),
    ('id = "prediction"\ntext = "a prediction"\ncorrect = true', 'id = "forecast"\ntext = "a prediction"\ncorrect = true',
     "the same choices"),
], ids=["unknown partner", "two partners", "partner is post", "other kind", "other choices"])
def test_the_case_loader_checks_each_pair(case_copy, old, new, says):
    replace_in(case_copy / "exercises-06-final-memo.toml", old, new)
    with pytest.raises(CaseError) as info:
        load_case(case_copy)
    hits = [p for p in info.value.problems if p.file.endswith("exercises-06-final-memo.toml") and p.field == "parallel"
            and says in p.message]
    assert hits, "\n".join(map(str, info.value.problems))


def test_a_pair_must_ask_confidence_alike(case_copy):
    # l6-post5 takes confidence = true from its template; its own key overrides the template's
    replace_in(case_copy / "exercises-06-final-memo.toml", 'parallel = "l0-pre5"\ntitle = "Post-test 5 of 7"',
               'parallel = "l0-pre5"\ntitle = "Post-test 5 of 7"\nconfidence = false')
    with pytest.raises(CaseError) as info:
        load_case(case_copy)
    assert any("asks for confidence exactly when" in p.message for p in info.value.problems)


# ---- the report, on a synthetic class ------------------------------------------------------------

RIGHT = {e.id: next(o.id for o in e.options if o.correct) for e in PRE + POST}
WRONG = {e.id: next(o.id for o in e.options if not o.correct and not o.accepted) for e in PRE + POST}


def student(folder: Path, pre_right: int | None, post_right: int | None, confidence=80, before=()) -> Path:
    """A student's export, made with the package's own store: the first `pre_right` pre-test items
    right and the rest wrong (None: the test not taken), then the post-test likewise."""
    store = progress.Store(folder / "work")
    for item, answer in before:
        store.record(item, answer, "incorrect")
    for items, right in ((PRE, pre_right), (POST, post_right)):
        if right is None:
            continue
        for n, item in enumerate(items):
            choice = RIGHT[item.id] if n < right else WRONG[item.id]
            conf = confidence(n) if callable(confidence) else confidence
            store.record(item.id, choice, "correct" if n < right else "incorrect", confidence=conf)
            if n >= right:   # a second, right attempt after the feedback must not count
                store.record(item.id, RIGHT[item.id], "correct", confidence=100)
    saved = mywork.save_my_work(folder / "work")
    path = folder / saved.filename
    path.write_bytes(saved.data)
    return path


def read(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_normalised_gain():
    assert normalised_gain(3 / 7, 6 / 7) == pytest.approx(0.75)
    assert normalised_gain(0.5, 0.5) == 0
    assert normalised_gain(4 / 7, 2 / 7) == pytest.approx(-2 / 3)
    assert normalised_gain(1.0, 6 / 7) is None and normalised_gain(None, 0.5) is None
    assert normalised_gain(0.5, None) is None


def test_a_synthetic_class_gives_the_gains_and_counts_worked_out_by_hand(tmp_path):
    n = len(PRE)
    gainer = student(tmp_path / "gainer", 3, 6)                           # g = (6/7 - 3/7) / (4/7) = 0.75
    full = student(tmp_path / "full", n, n - 1)                           # pre 100%: no gain, fell
    same = student(tmp_path / "same", 4, 4, confidence=None)              # stayed, g = 0, nothing rated
    no_post = student(tmp_path / "nopost", 2, None)                       # post missing
    warm = student(tmp_path / "warm", 1, 5, before=[("l0-single", "a")])  # g = (5/7 - 1/7) / (6/7) = 2/3
    out = tmp_path / "out" / "gradebook.csv"
    works, skipped = collect([gainer, full, same, no_post, warm], out)
    assert len(works) == 5 and not skipped
    ids = {name: json.loads(p.read_text())["student"] for name, p in
           (("gainer", gainer), ("full", full), ("same", same), ("nopost", no_post), ("warm", warm))}
    rows = {r["student"]: r for r in read(tmp_path / "out" / "gradebook-prepost.csv")}
    assert list(read(tmp_path / "out" / "gradebook-prepost.csv")[0])[:4] == ["student", "pre", "post", "gain"]
    assert (rows[ids["gainer"]]["pre"], rows[ids["gainer"]]["post"], rows[ids["gainer"]]["gain"]) == (
        f"{3 / n:.2f}", f"{6 / n:.2f}", "0.75")
    assert (rows[ids["full"]]["pre"], rows[ids["full"]]["gain"]) == ("1.00", "")
    assert "full marks" in rows[ids["full"]]["note"]
    assert rows[ids["same"]]["gain"] == "0.00"
    assert (rows[ids["nopost"]]["post"], rows[ids["nopost"]]["gain"]) == ("", "")
    assert "no post-test answer" in rows[ids["nopost"]]["note"]
    assert rows[ids["warm"]]["gain"] == "0.67" and "not taken cold" in rows[ids["warm"]]["note"]
    assert "not taken cold" not in rows[ids["gainer"]]["note"]

    summary = {r["measure"]: r["value"] for r in read(tmp_path / "out" / "gradebook-prepost-summary.csv")}
    assert summary["students"] == "5" and summary["took both tests"] == "4" and summary["no post-test answer"] == "1"
    assert (summary["improved"], summary["stayed"], summary["fell"]) == ("2", "1", "1")
    assert summary["mean normalised gain"] == f"{(0.75 + 0 + 2 / 3) / 3:.2f}"       # the full-marks student is left out
    pre, post = (3 + n + 4 + 1) / (4 * n), (6 + n - 1 + 4 + 5) / (4 * n)
    assert summary["mean pre-test score"] == f"{pre:.2f}" and summary["mean post-test score"] == f"{post:.2f}"
    assert summary["gain of the class means"] == f"{(post - pre) / (1 - pre):.2f}"
    assert summary["full marks on the pre-test"] == "1"


def test_calibration_counts_not_said_apart_and_by_band(tmp_path):
    sure = student(tmp_path / "sure", 2, 7, confidence=lambda n: 90 if n < 4 else 60)
    silent = student(tmp_path / "silent", 3, 3, confidence=None)
    collect([sure, silent], tmp_path / "gradebook.csv")
    table = {(r["test"], r["confidence"]): r for r in read(tmp_path / "gradebook-calibration.csv")}
    pre90, pre60 = table[("pre", "90-100%")], table[("pre", "50-60%")]
    assert (pre90["answers"], pre90["mean_confidence"], pre90["accuracy"]) == ("4", "90.0", "50.0")   # 2 of 4 right
    assert (pre60["answers"], pre60["accuracy"]) == ("3", "0.0")
    assert pre90["confidence_minus_accuracy"] == "40.0"
    assert table[("pre", "70-80%")]["answers"] == "0" and table[("pre", "70-80%")]["accuracy"] == ""
    said = table[("pre", "all rated answers")]
    assert said["answers"] == "7" and said["mean_confidence"] == f"{(4 * 90 + 3 * 60) / 7:.1f}"
    not_said = table[("pre", "not said")]
    assert (not_said["answers"], not_said["mean_confidence"], not_said["accuracy"]) == ("7", "", f"{300 / 7:.1f}")
    assert table[("post", "90-100%")]["accuracy"] == "100.0"


def test_hostile_names_and_values_stay_data(tmp_path):
    """A file named like a formula, a confidence no control offers, an answer that is a formula."""
    path = student(tmp_path / "h", 3, 3)
    hostile = path.with_name("=HYPERLINK(1)+cmd|calc.json")
    path.rename(hostile)
    odd = progress.Store(tmp_path / "o" / "work")
    odd.record("l0-pre1", "=1+1", "correct", confidence=1000)
    odd.record("l6-post1", "@SUM(A1)", "correct", confidence=-5)
    saved = mywork.save_my_work(tmp_path / "o" / "work")
    other = tmp_path / "o" / saved.filename
    other.write_bytes(saved.data)
    works, skipped = collect([hostile, other], tmp_path / "gradebook.csv")
    assert len(works) == 2 and not skipped
    raw = (tmp_path / "gradebook-prepost.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in raw and not re.search(r'(^|,)"?=HYPERLINK', raw, re.M)
    rows = {r["file"]: r for r in read(tmp_path / "gradebook-prepost.csv")}
    assert rows[other.name]["pre"] == "0.00" and rows[other.name]["post"] == "0.00"   # re-checked, not trusted
    table = {(r["test"], r["confidence"]): r["answers"] for r in read(tmp_path / "gradebook-calibration.csv")}
    assert table[("pre", "not said")] == "1" and table[("post", "not said")] == "1"   # 1000 and -5 are no ratings


def test_the_prepost_files_follow_the_force_rules(tmp_path, capsys):
    a = student(tmp_path / "a", 3, 5)
    out = tmp_path / "gradebook.csv"
    names = [p.name for p in outputs(out)]
    assert names[-3:] == ["gradebook-prepost.csv", "gradebook-prepost-summary.csv", "gradebook-calibration.csv"]
    (tmp_path / "gradebook-calibration.csv").write_text("keep me", encoding="utf-8")
    assert cli.main(["collect", str(a), "--out", str(out)]) == 1
    assert "gradebook-calibration.csv already exists" in capsys.readouterr().err
    assert not out.exists() and (tmp_path / "gradebook-calibration.csv").read_text() == "keep me"
    assert cli.main(["collect", str(a), "--out", str(out), "--force"]) == 0
    said = capsys.readouterr().out
    assert "gradebook-prepost.csv" in said and "Pre/post: 1 of 1 student(s) took both tests" in said
    assert "mean normalised gain 0.50" in said and "1 improved, 0 stayed, 0 fell" in said
    assert f"Calibration: pre-test 80% sure, {300 / 7:.0f}% right (7 rated answers); post-test 80% sure, " \
           f"{500 / 7:.0f}% right (7 rated answers); not said: 0 pre, 0 post" in said


def test_a_first_attempt_after_a_hint_is_flagged(tmp_path):
    """hint() gives none before a test item's first answer now; an old or hand-made file may still carry
    hints on a first attempt, and the report says which items."""
    clean = student(tmp_path / "clean", 4, 5)
    store = progress.Store(tmp_path / "hinted" / "work")
    for n, item in enumerate(PRE + POST):
        store.record(item.id, RIGHT[item.id], "correct", confidence=80, hints=2 if item.id in ("l0-pre2", "l6-post4") else 0)
    saved = mywork.save_my_work(tmp_path / "hinted" / "work")
    hinted = tmp_path / "hinted" / saved.filename
    hinted.write_bytes(saved.data)
    collect([clean, hinted], tmp_path / "gradebook.csv")
    rows = {r["file"]: r for r in read(tmp_path / "gradebook-prepost.csv")}
    assert "hint before first answer: l0-pre2, l6-post4" in rows[hinted.name]["note"]
    assert "hint before" not in rows[clean.name]["note"]
    assert rows[hinted.name]["pre"] == "1.00"   # still scored: the note is for the instructor to weigh
