"""The class agreement report: how reliably a class codes stances, from the students' exported work.

`course-lib class-report EXPORTS... --out DIR` reads the files students save with save_my_work(),
takes each student's first attempt at each stance-coding item (a classify item with `dimension = "D1"`;
its choices are the dimension's values as case.toml writes them, "-2" .. "2", and "na"; made before
the reference codes were shown), and writes `class-report.html` with CSV twins: each student's
kappa against the reference, the class's Fleiss' kappa and Krippendorff's alpha per dimension, the
most disputed items, and the codes given to every item. A damaged or duplicate export is named and
skipped, never merged. The lesson uses `my_agreement()` to show a student the same figures.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from course_lib.analysis import consistency
from course_lib.work import progress
from course_lib.instructors.output import OutputError, check_targets, csv_bytes, shown, write_all
from course_lib.case.items import NOT_APPLICABLE
from course_lib.case.records import BUNDLED_CASE, CaseError, Dimension, load_case
from course_lib.analysis.consistency import AgreementError
from course_lib.instructors.exports import Skipped, read_work
from course_lib.analysis.tables import markdown_table, text_columns

__all__ = ["ClassReport", "CodingItem", "Export", "WAIT", "build_report", "coding_checked",
           "coding_items", "first_codings", "main", "my_agreement", "read_exports", "to_html", "write"]

# NOT_APPLICABLE ("na"), the choice "does not apply": a category for kappa, missing for alpha
TOP_DISPUTED = 5
NUM = ' class="num"'


@dataclass(frozen=True)
class CodingItem:
    """A stance-coding exercise: its statements (entries), choices and the reference code of each."""

    id: str
    dimension: Dimension
    entries: tuple[str, ...]
    texts: Mapping[str, str]
    choices: tuple[str, ...]
    labels: Mapping[str, str]
    reference: Mapping[str, str]

    def value(self, choice: str) -> str | None:
        """The dimension's code for a choice id, as the dimension writes its values ("-2"); None for
        "does not apply" or anything that is not a value.

        >>> [coding_items(load_case(BUNDLED_CASE))[0].value(c) for c in ("-2", "0", "2", "na")]
        ['-2', '0', '2', None]
        """
        return choice if choice in self.dimension.values else None

    def shown(self, choice: str) -> str:
        """A choice as the report prints it: the code of the scale ("-2"), or "n/a".

        >>> coding_items(load_case(BUNDLED_CASE))[3].shown("-1"), coding_items(load_case(BUNDLED_CASE))[3].shown("na")
        ('-1', 'n/a')
        """
        return "n/a" if choice == NOT_APPLICABLE else self.value(choice) if choice else ""


def coding_items(case) -> tuple[CodingItem, ...]:
    """The case's stance-coding items, in file order: classify items that name a dimension (`dimension = "D1"`).

    >>> [(i.id, i.dimension.id, len(i.entries)) for i in coding_items(load_case(BUNDLED_CASE))][:2]
    [('l5-code-d1', 'D1', 15), ('l5-code-d2', 'D2', 15)]
    """
    found = []
    for item in case.exercises:
        if item.kind == "classify" and item.dimension in case.dimensions:
            found.append(CodingItem(item.id, case.dimensions[item.dimension], tuple(e.id for e in item.entries),
                                    {e.id: e.text for e in item.entries}, tuple(c.id for c in item.categories),
                                    {c.id: c.text for c in item.categories}, {e.id: e.key for e in item.entries}))
    return tuple(found)


# ---- reading the exports --------------------------------------------------------------------------

@dataclass(frozen=True)
class Export:
    """One student's file: the pseudonymous id and the first coding of each item (entry -> choice)."""

    name: str
    student: str
    codings: Mapping[str, Mapping[str, str]]
    unreadable: int = 0  # codes in first attempts that named no statement or no choice
    warning: str = ""    # e.g. the file's name names another student than its content


def _read(choice, labels) -> str | None:
    """A code as the checker reads it: by id or text; a number (-2), "+1", or "m2" (an id of old saved work)."""
    if type(choice) is int:
        choice = str(choice)
    text = choice.strip().casefold() if isinstance(choice, str) else None
    found = next((c for c, label in labels.items() if text in (c.casefold(), label.strip().casefold())), None)
    if found is None and text and text[0] in "+m" and text[1:].isdigit():
        alias = text[1:] if text[0] == "+" else "-" + text[1:]
        found = alias if alias in labels else None
    return found


def _coding(answer, item: CodingItem) -> tuple[dict[str, str], int]:
    """An answer as {entry: choice}, read as the checker reads it, and how many codes could not be read."""
    if isinstance(answer, list):
        answer = dict(zip(item.entries, answer))
    if not isinstance(answer, dict):
        return {}, 0
    entries = {e.casefold(): e for e in item.entries}
    got, unreadable = {}, 0
    for key, choice in answer.items():
        entry = entries.get(key.strip().casefold()) if isinstance(key, str) else None
        pick = _read(choice, item.labels)
        if choice is None:
            continue
        if entry is None or pick is None:
            unreadable += 1
        else:
            got[entry] = pick
    return got, unreadable


def first_codings(records, items) -> tuple[dict[str, dict[str, str]], int]:
    """Each item's first coding as {entry: choice}, and how many of its codes could not be read.

    The first attempt that codes anything is the independent coding: an attempt of the wrong shape
    reveals no reference code, but every later attempt follows the feedback.
    """
    codings, unreadable = {}, 0
    for item in items:
        for attempt in sorted((a for a in records if a.item == item.id), key=lambda a: (a.at, a.attempt)):
            got, bad = _coding(attempt.answer, item)
            if got:
                codings[item.id], unreadable = got, unreadable + bad
                break
    return codings, unreadable


def read_exports(paths, items, case=None) -> tuple[list[Export], list[Skipped]]:
    """Read students' exported work (files, or folders of *.json); every file not used is named with why
    (with `case`, a file of another case or another version of it too)."""
    works, skipped = read_work(paths, case)
    exports = []
    for work in works:
        codings, unreadable = first_codings(work.records, items)
        exports.append(Export(work.name, work.student, codings, unreadable, work.warning))
    return exports, skipped


# ---- the figures ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class StudentRow:
    student: str
    file: str
    dimension: str
    coded: int
    agreement: float | None
    kappa: float | None
    note: str


@dataclass(frozen=True)
class DimensionRow:
    dimension: str
    name: str
    level: str
    coders: int
    complete: int
    fleiss: float | None
    fleiss_note: str
    alpha: float | None
    alpha_note: str
    spread: int  # statements given three or more different codes


@dataclass(frozen=True)
class ItemRow:
    dimension: str
    item: str
    entry: str
    text: str
    reference: str
    counts: tuple[tuple[str, int], ...]  # (choice, count) in the item's choice order
    coded: int
    modal: str
    modal_share: float | None
    reference_share: float | None

    @property
    def distinct(self) -> int:
        return sum(1 for _, n in self.counts if n)


@dataclass(frozen=True)
class ClassReport:
    case: str
    items: tuple[CodingItem, ...]
    exports: tuple[Export, ...]
    skipped: tuple[Skipped, ...]
    students: tuple[StudentRow, ...]
    dimensions: tuple[DimensionRow, ...]
    codes: tuple[ItemRow, ...]

    @property
    def disputed(self) -> tuple[ItemRow, ...]:
        """The items the class agreed on least: the smallest share on the commonest code, then the most codes."""
        rated = [r for r in self.codes if r.coded >= 2]
        return tuple(sorted(rated, key=lambda r: (r.modal_share, -r.distinct))[:TOP_DISPUTED])


def _student_rows(export: Export, items) -> list[StudentRow]:
    rows = []
    for item in items:
        got = export.codings.get(item.id, {})
        units = [e for e in item.entries if e in got]
        ref, mine = [item.reference[e] for e in units], [got[e] for e in units]
        agreement = kappa = None
        if len(units) < 2:
            note = "not coded" if not units else "too few statements coded"
        else:
            agreement = consistency.percent_agreement(ref, mine)
            try:
                kappa = consistency.cohen_kappa(ref, mine)
                note = consistency.landis_koch(kappa)
            except AgreementError as error:
                note = f"kappa undefined: {error}"
            if len(units) < len(item.entries):
                note += f" ({len(item.entries) - len(units)} statements left uncoded)"
        rows.append(StudentRow(export.student, export.name, item.dimension.id, len(units), agreement, kappa, note))
    return rows


def _dimension_row(item: CodingItem, exports) -> DimensionRow:
    codings = [e.codings[item.id] for e in exports if e.codings.get(item.id)]
    complete = [c for c in codings if all(e in c for e in item.entries)]
    dim = item.dimension
    fleiss = alpha = None
    try:
        table = [[sum(c[e] == choice for c in complete) for choice in item.choices] for e in item.entries]
        fleiss = consistency.fleiss_kappa(table)
        fleiss_note = consistency.landis_koch(fleiss)
    except AgreementError as error:
        fleiss_note = f"not computed: {error}"
    try:
        data = [[item.value(c[e]) if e in c else None for e in item.entries] for c in codings]
        alpha = consistency.krippendorff_alpha(data, dim.level, dim.values)
        alpha_note = consistency.krippendorff_reading(alpha)
    except AgreementError as error:
        alpha_note = f"not computed: {error}"
    spread = sum(1 for e in item.entries if len({c[e] for c in codings if e in c}) >= 3)
    return DimensionRow(dim.id, dim.name, dim.level, len(codings), len(complete), fleiss, fleiss_note, alpha,
                        alpha_note, spread)


def _item_rows(item: CodingItem, exports) -> list[ItemRow]:
    rows = []
    for entry in item.entries:
        given = [e.codings[item.id][entry] for e in exports if entry in e.codings.get(item.id, {})]
        counts = tuple((choice, given.count(choice)) for choice in item.choices)
        modal, top = max(counts, key=lambda c: c[1]) if given else ("", 0)
        ref = item.reference[entry]
        rows.append(ItemRow(item.dimension.id, item.id, entry, item.texts[entry], ref, counts, len(given),
                            modal if given else "", top / len(given) if given else None,
                            given.count(ref) / len(given) if given else None))
    return rows


def build_report(exports, skipped, case) -> ClassReport:
    """Every figure of the report, from the exports read and the case's coding items."""
    items = coding_items(case)
    exports = sorted(exports, key=lambda e: e.student)
    return ClassReport(case.info.id, items, tuple(exports), tuple(skipped),
                       tuple(r for e in exports for r in _student_rows(e, items)),
                       tuple(_dimension_row(i, exports) for i in items),
                       tuple(r for i in items for r in _item_rows(i, exports)))


# ---- writing it ----------------------------------------------------------------------------------

def _num(x, digits=2) -> str:
    return "" if x is None else f"{x:.{digits}f}"


def _tables(report: ClassReport) -> dict[str, list[list]]:
    label = {(i.id, c): i.labels[c] for i in report.items for c in i.choices}
    item = {i.id: i for i in report.items}
    return {
        "students": [["student", "file", "dimension", "statements coded", "agreement", "kappa", "reading"]] + [
            [r.student, r.file, r.dimension, r.coded, _num(r.agreement), _num(r.kappa), r.note] for r in report.students],
        "dimensions": [["dimension", "name", "level", "students", "complete codings", "fleiss kappa", "reading",
                        "krippendorff alpha", "reading", "statements with 3+ codes"]] + [
            [d.dimension, d.name, d.level, d.coders, d.complete, _num(d.fleiss), d.fleiss_note, _num(d.alpha, 3),
             d.alpha_note, d.spread] for d in report.dimensions],
        "codes": [["dimension", "statement", "code", "label", "count", "share", "reference"]] + [
            [r.dimension, r.entry, item[r.item].shown(c), label[(r.item, c)], n, _num(n / r.coded if r.coded else None),
             "yes" if c == r.reference else ""] for r in report.codes for c, n in r.counts],
        "skipped": [["file", "reason"]] + [[s.name, s.reason] for s in report.skipped],
    }


TABLES = ("students", "dimensions", "codes", "skipped")


def targets(out) -> list[Path]:
    """The files a report is: class-report.html and a CSV per table, in the folder `out`."""
    out = Path(out)
    return [out / "class-report.html"] + [out / f"class-report-{name}.csv" for name in TABLES]


def write(report: ClassReport, out, inputs=(), force: bool = True) -> list[Path]:
    """Write class-report.html and class-report-<table>.csv into `out`, each file atomically, through the
    package's one safe CSV writer; return the paths written. Raises OutputError (one line) for an output
    that is an input, a folder, or (without `force`) an existing file."""
    written = targets(out)
    if Path(out).exists() and not Path(out).is_dir():
        raise OutputError(f"{shown(out)} is a file; give a folder for the report (nothing was written)")
    check_targets(written, inputs, force)
    tables = _tables(report)
    write_all({written[0]: to_html(report).encode("utf-8"),
               **{path: csv_bytes(tables[name]) for path, name in zip(written[1:], TABLES)}})
    return written


def _table(caption: str, header, rows, numeric=()) -> str:
    e = html.escape
    head = "".join(f'<th scope="col">{e(str(h))}</th>' for h in header)
    body = []
    for row in rows:
        cells = [f'<th scope="row">{e(str(row[0]))}</th>']
        cells += [f"<td{NUM if i in numeric else ''}>{e(str(c))}</td>" for i, c in enumerate(row[1:], 1)]
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (f"<table>\n<caption>{e(caption)}</caption>\n<thead><tr>{head}</tr></thead>\n<tbody>\n"
            + "\n".join(body) + "\n</tbody>\n</table>")


def to_html(report: ClassReport) -> str:
    """The report as one accessible HTML page; everything that came from a file is escaped."""
    e = html.escape
    t = _tables(report)
    n = len(report.exports)
    shown = {i.id: i.shown for i in report.items}
    parts = [
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        f"<title>Class agreement report: stance coding, case {e(report.case)}</title>",
        "<style>body{font-family:sans-serif;max-width:70em;margin:1em auto;padding:0 1em;line-height:1.4}"
        "table{border-collapse:collapse;margin:1em 0}caption{text-align:left;font-weight:bold;padding:.3em 0}"
        "th,td{border:1px solid #767676;padding:.25em .5em;text-align:left;vertical-align:top}"
        "td.num{text-align:right}</style>", "</head>", "<body>", "<main>",
        "<h1>Class agreement report: stance coding</h1>",
        f"<p>{n} student export{'' if n == 1 else 's'} read; {len(report.skipped)} file"
        f"{'' if len(report.skipped) == 1 else 's'} skipped{' (listed at the end)' if report.skipped else ''}. "
        "Each student's <em>first</em> "
        "attempt at each coding item is used: it was made before the reference codes were shown.</p>",
        "<h2>How to read it</h2>",
        "<ul><li>Kappa is read with the Landis and Koch words (0.41-0.60 moderate, 0.61-0.80 substantial); "
        "alpha with Krippendorff's standard (rely on 0.800 or more, tentative conclusions from 0.667). "
        "These are conventions, not laws.</li>"
        "<li>Kappa counts &quot;does not apply&quot; as a category, so agreeing that a dimension does not "
        "apply counts as agreement; alpha leaves it out as missing, since it has no place on the scale.</li>"
        "<li>Fleiss' kappa uses only students who coded every statement of the item; alpha uses every code "
        "given.</li><li>Disagreement is data: it shows where the codebook needs a sharper rule.</li></ul>",
        "<h2>The class, dimension by dimension</h2>",
        _table("Reliability of the class's coding, per dimension", t["dimensions"][0], t["dimensions"][1:],
               numeric=(3, 4, 5, 7, 9)),
        "<h2>The most disputed statements</h2>",
        _table(f"The {TOP_DISPUTED} statements with the smallest share on their commonest code",
               ["dimension", "statement", "text", "reference code", "commonest code", "share on it",
                "codes given (count)"],
               [[r.dimension, r.entry, r.text, shown[r.item](r.reference), shown[r.item](r.modal), _num(r.modal_share),
                 "; ".join(f"{shown[r.item](c)}: {k}" for c, k in r.counts if k)] for r in report.disputed],
               numeric=(5,)),
        "<h2>Each student against the reference</h2>",
        _table("Agreement of each student's first coding with the reference codes", t["students"][0],
               t["students"][1:], numeric=(3, 4, 5)),
        "<h2>The codes given to each statement</h2>",
    ]
    for item in report.items:
        rows = [r for r in report.codes if r.item == item.id]
        header = ["statement", "text"] + [item.labels[c] for c in item.choices] + ["reference code"]
        body = [[r.entry, r.text] + [f"{k}{' (reference)' if c == r.reference else ''}" for c, k in r.counts]
                + [item.shown(r.reference)] for r in rows]
        parts.append(_table(f"{item.dimension.id} {item.dimension.name}: codes given, by statement", header, body,
                            numeric=tuple(range(2, 2 + len(item.choices)))))
    parts += ["<h2>Files skipped</h2>",
              _table("Files not used, and why", t["skipped"][0], t["skipped"][1:]) if report.skipped
              else "<p>None: every file was read.</p>", "</main>", "</body>", "</html>", ""]
    return "\n".join(parts)


def main(paths, out, case=None, force: bool = False) -> int:
    """The command: read, report, write; print what was read and skipped. 1 (one line, nothing written)
    when no export could be used or an output is refused. `case` is a Case, a case folder or bundled
    case's id, or None for the current case (`current_case()`)."""
    import sys

    from course_lib.case.records import Case, case_folder, current_case
    try:
        case = case if isinstance(case, Case) else current_case() if case is None else load_case(case_folder(case))
        check_targets(targets(out), paths, force)
    except CaseError as error:
        print(error, file=sys.stderr)
        return 1
    except OutputError as error:
        print(f"course-lib class-report: {error}", file=sys.stderr)
        return 1
    items = coding_items(case)
    if not items:
        print(f"The case {case.info.id} has no stance-coding items (classify items with dimension = ...), "
              "so there is nothing to report.")
        return 1
    exports, skipped = read_exports(paths, items, case)
    for s in skipped:
        print(f"skipped {s.name}: {s.reason}")
    for e in exports:
        if e.warning:
            print(f"warning: {e.name}: {e.warning}")
    if not exports:
        print("No export could be used, so no report was written.")
        return 1
    try:
        written = write(build_report(exports, skipped, case), out, paths, force)
    except OutputError as error:
        print(f"course-lib class-report: {error}", file=sys.stderr)
        return 1
    print(f"Read {len(exports)} export{'' if len(exports) == 1 else 's'}, skipped {len(skipped)}; wrote "
          + ", ".join(shown(p) for p in written))
    return 0


# ---- the student's own view, for the lesson ---------------------------------------------------

WAIT = ("This cell shows the reference codes, so it waits until you have checked your own coding of all four "
        "dimensions (l5-code-d1 to l5-code-d4). Check them, then run this cell again.")


def coding_checked(case, store=None) -> bool:
    """True once this student has checked an answer to every stance-coding item, so the reference
    codes may be shown."""
    store = store or progress.store()
    return all(store.last(i.id) is not None for i in coding_items(case))


@dataclass(frozen=True)
class _Rows:
    headers: tuple[str, ...]
    rows: tuple[tuple, ...]
    note: str

    def __str__(self) -> str:
        lines = [self.note]
        if self.rows:
            lines += ["", *text_columns([list(self.headers)] + [[str(c) for c in r] for r in self.rows])]
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_markdown_(self) -> str:
        if not self.rows:
            return html.escape(self.note)
        def escaped(cells):
            return [html.escape(str(c)) for c in cells]
        return "\n".join([html.escape(self.note), "", markdown_table(escaped(self.headers), map(escaped, self.rows))])


def my_agreement(case, store=None) -> _Rows:
    """This student's first coding against the reference, per dimension: the report's figures for one."""
    store = store or progress.store()
    items = coding_items(case)
    codings, _ = first_codings(store.attempts(), items)
    if not codings:
        return _Rows((), (), "You have not checked a coding yet: code the statements above, then run this cell again.")
    rows = _student_rows(Export("", "you", codings), items)
    return _Rows(("dimension", "statements coded", "agreement", "kappa", "reading"),
                 tuple((r.dimension, r.coded, _num(r.agreement), _num(r.kappa), r.note) for r in rows),
                 "Your first coding against the package's reference codes (later attempts followed the feedback):")


FRESH = "l5-fresh"   # the revised codebook's test on statements it was not written from


def fresh_test(case, item_id: str = FRESH, store=None) -> _Rows:
    """The codebook revision's test on fresh statements: this student's first coding of the fresh item
    against the package's reference codes, with percent agreement and Cohen's kappa, and each statement
    where they differ, saying whether the item accepts the student's code (a stated revision may move a
    statement) or not. The first check counts, as for the stance coding.

    A revision is tested by what it does to statements it was not written for: kappa here, not on the
    three disputed statements, says whether the rule helps a stranger code alike."""
    store = store or progress.store()
    if item_id not in case.exercises:   # a case without the lesson's item: a placeholder
        return _Rows((), (), f"[Placeholder] There is no exercise {item_id!r} in this case ({case.info.id}): add "
                     "it to the case's exercises (cases/README.md), or skip this cell.")
    item = case.exercises[item_id]
    labels = {c.id: c.text for c in item.categories}
    keyed = CodingItem(item.id, None, tuple(e.id for e in item.entries), {e.id: e.text for e in item.entries},
                       tuple(labels), labels, {e.id: e.key for e in item.entries})
    codings, _ = first_codings(store.attempts(), (keyed,))
    mine = codings.get(item.id, {})
    if not mine:
        return _Rows((), (), f"You have not checked {item.id} yet: code the fresh statements above under your "
                     "revised rule, check, then run this cell again.")
    coded = [e for e in keyed.entries if e in mine]
    ref = {e: keyed.reference[e] for e in coded}
    agree = consistency.percent_agreement(ref, {e: mine[e] for e in coded})
    try:
        kappa = f"{consistency.cohen_kappa(ref, {e: mine[e] for e in coded}):.2f}"
    except AgreementError as err:
        kappa = f"not defined ({err})"
    entries = {e.id: e for e in item.entries}
    rows = tuple((e, mine[e], ref[e], "accepted: " + entries[e].accepted[mine[e]].split(":")[0]
                  if mine[e] in entries[e].accepted else "not accepted")
                 for e in coded if mine[e] != ref[e])
    note = (f"Your first coding of {len(coded)} fresh statements against the reference: agreement {agree:.2f}, "
            f"Cohen's kappa {kappa}." + (" Where they differ:" if rows else " No statement differs."))
    return _Rows(("statement", "your code", "reference", "the item says"), rows, note)
