"""The instructor docs stay true: every lesson has its section (its minutes are tests/test_timing.py's),
commands exist, exemplars cite real cards and quote them verbatim, misconception tags are the items'
own, and local links resolve.

The docs are instructors/guide.md, instructors/adapting.md and instructors/exemplar-memos.md. When a
test here fails, its message names the file and the line to fix.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import edit_csv

from course_lib import load_case
from course_lib.case.records import BUNDLED_CASE

ROOT = Path(__file__).resolve().parent.parent
INSTRUCTORS = ROOT / "instructors"
GUIDE = INSTRUCTORS / "guide.md"
ADAPTING = INSTRUCTORS / "adapting.md"
EXEMPLARS = INSTRUCTORS / "exemplar-memos.md"
DOCS = (GUIDE, ADAPTING, EXEMPLARS)
NOTEBOOKS = INSTRUCTORS / "notebooks"
CASE = load_case()

LESSON_HEADING = re.compile(r"^## Lesson (\d\d[a-z]?)\b", re.M)   # 04a and 04b split lesson 04
LABEL = re.compile(r"^(?P<text>.+?) \*\[(?P<label>fact|inference|opinion)\]\*(?:\s+\*\*W\d+\*\*)?\s*$")
CITED = re.compile(r"\[([a-z0-9][a-z0-9-]*-(?:19|20)\d\d(?:-\d\d)?(?:-\d\d[a-z]?)?)\]")
SOURCE_ID = re.compile(r"^[a-z0-9][a-z0-9-]*-(?:19|20)\d\d(?:-\d\d)?(?:-\d\d[a-z]?)?$")
QUOTED = re.compile(r"“([^”]+)”|\"([^\"\n]+)\"")


def text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def without_code(markdown: str) -> str:
    """The prose of a Markdown file: fenced blocks and inline code spans blanked out."""
    markdown = re.sub(r"^```.*?^```", "", markdown, flags=re.M | re.S)
    return re.sub(r"`[^`\n]*`", "", markdown)


def code_of(markdown: str) -> list[str]:
    """Every line of every fenced block, and every inline code span."""
    out = []
    for block in re.findall(r"^```[^\n]*\n(.*?)^```", markdown, flags=re.M | re.S):
        out += block.splitlines()
    out += re.findall(r"`([^`\n]+)`", re.sub(r"^```.*?^```", "", markdown, flags=re.M | re.S))
    return out


def sections(markdown: str, heading: re.Pattern) -> dict[str, str]:
    """The text under each heading the pattern matches, up to the next heading of the same level."""
    level = heading.pattern.lstrip("^").split(" ")[0]
    found = list(heading.finditer(markdown))
    out = {}
    for m in found:
        end = re.compile(rf"^{re.escape(level)} ", re.M).search(markdown, m.end())
        out[m.group(1)] = markdown[m.start():end.start() if end else len(markdown)]
    return out


# ---- lessons ----------------------------------------------------------------------------------
# Their minutes (headers, the 'At a glance' table, each section's Timing line) are checked against the
# timing model in one place: tests/test_timing.py.

def lesson_notebooks() -> dict[str, Path]:
    """Each lesson's notebook by its number as the guide writes it: 00, ..., 04a, 04b, 05, 06."""
    return {p.name.split("-")[0]: p for p in sorted(NOTEBOOKS.glob("[0-9][0-9]*-*.ipynb"))}


def shown_items(path: Path) -> set[str]:
    """The ids of the items a notebook shows (show("...") in its code cells)."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return {m for c in cells if c["cell_type"] == "code" for m in re.findall(r'show\("([\w.-]+)"\)', "".join(c["source"]))}


def guide_lessons() -> dict[str, str]:
    return sections(text(GUIDE), LESSON_HEADING)


def test_every_lesson_notebook_has_a_section_in_the_guide():
    missing = sorted(set(lesson_notebooks()) - set(guide_lessons()))
    assert not missing, f"guide.md has no '## Lesson NN' section for lesson(s) {', '.join(missing)}"


# ---- commands ----------------------------------------------------------------------------------

def cli_help(*args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "course_lib.instructors.cli", *args, "--help"],
                          capture_output=True, text=True, cwd=ROOT, check=True)
    return done.stdout


def named_commands() -> list[tuple[str, str, list[str]]]:
    """(doc, subcommand, options) for every `course-lib ...` command line in the docs' code."""
    out = []
    for doc in DOCS:
        for line in code_of(text(doc)):
            for m in re.finditer(r"(?:^|[\s$(])course-lib\s+([a-z][a-z-]*)([^#`\n]*)", line):
                out.append((doc.name, m.group(1), re.findall(r"(?<!\S)(--[a-z][a-z-]*)", m.group(2))))
    return out


def test_the_docs_name_commands():
    assert {sub for _, sub, _ in named_commands()} >= {"check-case", "new-case", "collect", "class-report"}


def test_every_course_lib_command_in_the_docs_exists():
    listed = re.findall(r"^    ([a-z][a-z-]+)(?:\s|$)", cli_help().split("COMMAND", 2)[-1], re.M)
    assert {"check-case", "collect"} <= set(listed), f"cannot read the commands of `course-lib --help`: {listed}"
    for doc, sub, options in named_commands():
        assert sub in listed, f"{doc} names `course-lib {sub}`, which `course-lib --help` does not list ({listed})"
        if options:
            usage = cli_help(sub)
            for option in options:
                assert option in usage, f"{doc}: `course-lib {sub}` has no option {option}"


# ---- exemplar memos ----------------------------------------------------------------------------

def corpus() -> str:
    parts = [card.excerpt for card in CASE.sources]
    parts += [s.text for paragraph in CASE.article.paragraphs for s in paragraph]
    return squash("\n".join(parts))


def squash(words: str) -> str:
    """As course_lib.frontend.memo compares quotations: curly quotes straightened, spaces folded, case folded."""
    words = words.replace("“", '"').replace("”", '"').replace("’", "'").replace("‘", "'")
    return re.sub(r"\s+", " ", words).strip().casefold()


def test_every_source_id_in_the_exemplars_is_a_card_of_the_case():
    prose = text(EXEMPLARS)
    ids = set(CITED.findall(prose)) | {t for t in re.findall(r"`([^`\n]+)`", prose) if SOURCE_ID.match(t)}
    assert ids, "exemplar-memos.md cites no source card"
    unknown = sorted(i for i in ids if i not in CASE.sources)
    assert not unknown, f"exemplar-memos.md cites ids that are not cards of {CASE.info.id}: {unknown}"


def test_every_quotation_in_the_exemplars_is_verbatim():
    """A quotation followed in its line by [card-id] must be in that card; any other in some card or the article."""
    everywhere = corpus()
    checked = 0
    for n, line in enumerate(without_code(text(EXEMPLARS)).splitlines(), start=1):
        for m in QUOTED.finditer(line):
            words = m.group(1) or m.group(2)
            if len(words) < 20:
                continue
            checked += 1
            card = CITED.search(line, m.end())
            if card and card.group(1) in CASE.sources:
                where = squash(CASE.sources[card.group(1)].excerpt)
                assert squash(words) in where, (
                    f"exemplar-memos.md line {n}: “{words}” is not verbatim in the excerpt of {card.group(1)}")
            else:
                assert squash(words) in everywhere, (
                    f"exemplar-memos.md line {n}: “{words}” is in no card's excerpt and not in the article")
    assert checked >= 20


def exemplar(name: str):
    """Memo `name` (A, B, C or D) of exemplar-memos.md, rebuilt with course_lib.frontend.memo."""
    from course_lib.frontend.memo import SECTIONS, Memo
    by_heading = {heading: key for key, heading in SECTIONS.items()}
    body = sections(text(EXEMPLARS), re.compile(r"^## Memo ([A-Z]):", re.M))[name]
    memo_part = body.split("### The memo", 1)[1].split("\n### ", 1)[0]
    memo = Memo(title=f"Memo {name}", case=CASE)
    section = None
    for line in memo_part.splitlines():
        if line.startswith("#### "):
            section = line[5:].strip()
            continue
        m = LABEL.match(line)
        if m and section in by_heading:
            memo.write(by_heading[section], m.group("text"), m.group("label"), cite=CITED.findall(line))
            for q in QUOTED.finditer(line):
                card = CITED.search(line, q.end())
                if card:
                    memo.quote(q.group(1) or q.group(2), card.group(1))
        elif section == "Quantitative results" and line.startswith("- "):
            r = re.match(r"- (.+?) = ([-\d.]+) \((.*)\)$", line)
            assert r, f"exemplar-memos.md, Memo {name}: cannot read the result line {line!r}"
            settings = dict(re.findall(r"(\w+)=('[^']*'|[^,]+)", r.group(3)))
            memo.add_result(r.group(1), float(r.group(2)), **{k: v.strip("'") for k, v in settings.items()})
        elif section == "Sources" and (c := CITED.search(line)):
            memo.cite(c.group(1))
    return memo


@pytest.mark.parametrize("name", ["A", "B"])
def test_the_level_4_exemplars_meet_every_check_of_the_memo(name):
    from course_lib.frontend.memo import check
    memo = exemplar(name)
    failed = [f"{c.name}: {c.message}" for c in check(memo, CASE) if not c.met]
    assert not failed, f"exemplar-memos.md, Memo {name}: " + "; ".join(failed)


@pytest.mark.parametrize("name", ["C", "D"])
def test_the_developing_exemplars_are_visibly_short_of_the_checks(name):
    from course_lib.frontend.memo import WORDS, check
    memo = exemplar(name)
    assert memo.words() < WORDS[0]
    assert not all(c.met for c in check(memo, CASE))


def test_the_two_weak_exemplars_restate_opposite_sources_and_score_alike():
    """Memo C restates the article's conclusion, Memo D the administration's; the same weaknesses
    earn the same marks, and the rubric's Claim level 1 names both."""
    from course_lib.frontend.memo import RUBRIC
    c, d = (" ".join(s.text for s in exemplar(n).sections["claim"]) for n in "CD")
    assert "as the Washington Examiner says" in c and "as the White House says" in d
    scores = {}
    for name in "CD":
        body = sections(text(EXEMPLARS), re.compile(r"^## Memo ([A-Z]):", re.M))[name]
        table = body.split("### Why it scores", 1)[1]
        scores[name] = [int(n) for n in re.findall(r"^\| [A-Z][a-z ]+ \| (\d) \|", table, re.M)]
    assert scores["C"] == scores["D"] and len(scores["C"]) == 5
    claim = next(c for c in RUBRIC if c.name == "Claim")
    assert "the article's or the administration's" in claim.levels[1]


def test_the_two_level_4_exemplars_reach_different_conclusions():
    a, b = (" ".join(s.text for s in exemplar(n).sections["claim"]) for n in "AB")
    assert "overrode" in a and "supports the article" in a
    assert "does not support the article" in b and "decided together" in b


# ---- misconception tags ------------------------------------------------------------------------

def item_tags() -> dict[str, dict[str, set[str]]]:
    """lesson -> tag -> the items using it; a split lesson (04a, 04b) has the tags of the items it shows."""
    shown = {lesson: shown_items(path) for lesson, path in lesson_notebooks().items()}
    tags: dict[str, dict[str, set[str]]] = {}
    for item in CASE.exercises:
        used = [o.misconception for o in item.options] + [m.misconception for m in item.mistakes]
        used += [t for e in item.entries for t in e.misconceptions.values()]
        if item.kind == "search":  # a search path's tags come from how it is scored, not from the file
            from course_lib.checking.checks import SEARCH_TAGS
            used += SEARCH_TAGS
        lessons = [lesson for lesson, ids in shown.items() if item.id in ids] or [item.lesson]
        for tag in filter(None, used):
            for lesson in lessons:
                tags.setdefault(lesson, {}).setdefault(tag, set()).add(item.id)
    return tags


def guide_tags(section: str) -> set[str]:
    """The tags of a lesson's misconception table: the table headed | Tag | Items | In words |."""
    tags = set()
    for table in re.findall(r"^\| Tag \| Items \| In words \|\n((?:\|.*\n?)+)", section, re.M):
        for row in table.splitlines()[1:]:
            m = re.match(r"\| `([a-z0-9-]+)` \|", row)
            assert m, f"guide.md: a misconception row must start with one `tag`: {row!r}"
            tags.add(m.group(1))
    return tags


def test_every_misconception_tag_in_the_guide_is_used_by_an_item():
    used = {tag for by_tag in item_tags().values() for tag in by_tag}
    for lesson, section in guide_lessons().items():
        unknown = sorted(guide_tags(section) - used)
        assert not unknown, f"guide.md, Lesson {lesson} names tags no item uses: {unknown}"


@pytest.mark.parametrize("lesson", sorted(lesson_notebooks()))
def test_the_guide_explains_every_tag_each_lesson_uses(lesson):
    section = guide_lessons().get(lesson, "")
    missing = {t: sorted(i) for t, i in item_tags().get(lesson, {}).items() if t not in guide_tags(section)}
    assert not missing, f"guide.md, Lesson {lesson}: add a row to 'Common misconceptions' for {missing}"


# ---- the rubric --------------------------------------------------------------------------------

def test_the_guide_rubric_is_the_memo_rubric():
    from course_lib.frontend.memo import RUBRIC
    guide = text(GUIDE)
    for criterion in RUBRIC:
        row = re.search(rf"^\| \*\*{re.escape(criterion.name)}\*\* \|(.*)\|\s*$", guide, re.M)
        assert row, f"guide.md: the rubric table has no row for {criterion.name}"
        cells = [c.strip() for c in row.group(1).split("|")]
        assert cells == [criterion.levels[n] for n in (4, 3, 2, 1)], (
            f"guide.md: the rubric row {criterion.name} differs from course_lib.frontend.memo.RUBRIC")


# ---- the check-case example of adapting.md ----------------------------------------------------

def test_the_check_case_example_is_what_the_command_prints(tmp_path, capsys):
    """adapting.md shows check-case on a broken copy of the template; the same edits give the same lines."""
    from course_lib.instructors.cli import main
    from course_lib.instructors.newcase import new_case

    folder = new_case(tmp_path / "my-case-broken")
    edit_csv(folder / "sources.csv", "leader-statement-2020-01-10", "kind", "speech")
    edit_csv(folder / "sources.csv", "news-report-2020-01-11", "date", "2020-13-11")
    edit_csv(folder / "events.csv", "e01", "cameo", "36")
    edit_csv(folder / "statements.csv", "st01", "D1", "Y")
    claims = (folder / "claims.toml").read_text(encoding="utf-8")
    claims = claims.replace('sources = ["leader-statement-2020-01-10"]', 'sources = ["leader-statment-2020-01-10"]', 1)
    claims = claims.replace('text = "the exact words of a source"', 'text = "the exact word of a source"', 1)
    (folder / "claims.toml").write_text(claims, encoding="utf-8")
    assert main(["check-case", str(folder)]) == 1
    printed = [line for line in capsys.readouterr().err.splitlines() if line.startswith("  - ")]
    block = re.search(r"^```\n\$ course-lib check-case my-case-broken\n(.*?)^```", text(ADAPTING), re.M | re.S)
    assert block, "adapting.md: no block starting '$ course-lib check-case my-case-broken'"
    documented = [line for line in block.group(1).splitlines() if line.startswith("  - ")]
    assert documented == printed, "adapting.md: update the check-case example to what the command prints now"


def test_the_template_case_loads_as_adapting_md_says(tmp_path):
    from course_lib.instructors.newcase import new_case
    case = load_case(new_case(tmp_path / "my-case"))
    assert case.info.id == "my-case"
    written = sorted(p.name for p in (tmp_path / "my-case").iterdir())
    for name in written:
        assert f"`{name}`" in text(ADAPTING), f"adapting.md does not describe {name}, which new-case writes"


# ---- links -------------------------------------------------------------------------------------

def slug(heading: str) -> str:
    """GitHub's anchor for a heading."""
    heading = re.sub(r"`|\*\*|\*|\[|\]\([^)]*\)", "", heading.strip().lower())
    return re.sub(r"[^\w\- ]", "", heading).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    seen: dict[str, int] = {}
    out = set()
    for heading in re.findall(r"^#{1,6} (.+)$", re.sub(r"^```.*?^```", "", text(path), flags=re.M | re.S), re.M):
        s = slug(heading)
        out.add(s if s not in seen else f"{s}-{seen[s]}")
        seen[s] = seen.get(s, 0) + 1
    return out


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_local_links_resolve(doc):
    prose = re.sub(r"^```.*?^```", "", text(doc), flags=re.M | re.S)
    links = re.findall(r"\]\(([^)\s]+)\)", prose)
    assert links
    for target in links:
        if re.match(r"[a-z]+:", target):
            continue
        path, _, anchor = target.partition("#")
        where = (doc.parent / path).resolve() if path else doc
        assert where.exists(), f"{doc.name}: the link {target} points at a missing file"
        if anchor and where.suffix == ".md":
            assert anchor in anchors(where), f"{doc.name}: {where.name} has no heading for #{anchor}"


def test_the_docs_point_at_the_bundled_case_by_its_real_path():
    assert (ROOT / "course_lib" / "cases" / BUNDLED_CASE.name / "sources.csv").exists()
    assert f"course_lib/cases/{BUNDLED_CASE.name}/sources.csv" in text(EXEMPLARS)
