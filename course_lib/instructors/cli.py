"""The `course-lib` command for instructors: check and start case folders, collect and compare student work,
write the answer key, estimate the lessons' minutes. Each subcommand is a thin wrapper over a module that does the work.

Every command works on one case, chosen by `--case NAME_OR_PATH` (a bundled case's id such as the default
one's, or a case folder); without it, the current case (`current_case()`: $COURSE_LIB_CASE, else the
bundled default case). The case is read only through `select_case`: an unknown case is one line on stderr
and exit status 2; a case that does not validate is one line too (check-case lists every problem)."""

from __future__ import annotations

import argparse
import os
import sys

from course_lib.case.records import (BUNDLED_CASE, CASE_ENV, Case, CaseError, bundled_cases, case_folder,
                                     current_case, load_case)

UNKNOWN_CASE = 2   # the exit status for a case that cannot be found


class NoCase(Exception):
    """The case chosen cannot be used; `status` is the exit status, the message one line."""

    def __init__(self, message: str, status: int = UNKNOWN_CASE):
        super().__init__(message)
        self.status = status


def select_case(name: str | None) -> Case:
    """The case a command works on: `name` (a bundled case's id or a case folder), else the current case.

    Raises NoCase (one line) for an unknown case or one that does not validate."""
    from course_lib.instructors.output import shown
    named = name if name is not None else (os.environ.get(CASE_ENV, "").strip() or None)
    how = "" if name is not None or named is None else f" (from ${CASE_ENV})"
    if named is not None:
        folder = case_folder(named)
        if not folder.is_dir():
            raise NoCase(f"unknown case {shown(named)!r}{how}: neither a bundled case "
                         f"({', '.join(bundled_cases())}) nor a case folder")
    try:
        return load_case(folder) if named is not None else current_case()
    except CaseError as error:
        lines = str(error).splitlines()
        first = lines[1].strip() if len(lines) > 1 else lines[0]
        raise NoCase(f"the case {shown(named or BUNDLED_CASE.name)!r}{how} is not valid ({shown(first)}"
                     f"{' ...' if len(lines) > 2 else ''}); run: course-lib check-case {shown(named or '')}".rstrip(),
                     status=1) from None


def check_case(path: str | None) -> int:
    """Print a summary of a valid case, or every problem found; return the exit status (2: no such case)."""
    from course_lib.instructors.output import shown
    named = path if path is not None else (os.environ.get(CASE_ENV, "").strip() or None)
    folder = case_folder(named) if named is not None else BUNDLED_CASE
    if not folder.is_dir():
        print(f"course-lib check-case: unknown case {shown(named)!r}: neither a bundled case "
              f"({', '.join(bundled_cases())}) nor a case folder (no such folder)", file=sys.stderr)
        return UNKNOWN_CASE
    try:
        case = load_case(folder)
    except CaseError as e:
        print(_lines(str(e), shown), file=sys.stderr)
        return 1
    print(_lines(case.summary(), shown))
    for warning in case.warnings:
        print(_lines(f"warning: {warning}", shown))
    print("No problems found." + (f" {len(case.warnings)} warning(s) above." if case.warnings else ""))
    return 0


def _lines(text: str, shown) -> str:
    """Text from case files, line by line, with control characters escaped (they must not reach the terminal)."""
    return "\n".join(shown(line) for line in text.split("\n"))


def new_case(folder: str, case: Case | None = None) -> int:
    """Write the template case folder (its CAMEO table copied from `case`); say what to do next."""
    from course_lib.instructors.newcase import new_case as write
    try:
        target = write(folder, case.path if case is not None else None)
    except FileExistsError as e:
        print(e, file=sys.stderr)
        return 1
    print(f"Wrote a template case in {target}. Replace every REPLACE, then run: course-lib check-case {target}")
    return 0


def answer_key(out: str | None, force: bool = False, page: str = "answer-key", case: Case | None = None) -> int:
    """Print or write the answer key (or the balance page) of `case` (default: the current case); an
    existing file is replaced only with --force."""
    from course_lib.instructors.output import OutputError, check_targets, shown, write_all
    if page == "balance":
        from course_lib.instructors.balance import balance as render
    else:
        from course_lib.instructors.answerkey import answer_key as render
    try:
        if out is not None:
            check_targets([out], (), force)
        text = render(case if case is not None else current_case())
        if out is not None:
            write_all({out: text.encode("utf-8")})
    except (OutputError, CaseError) as error:
        print(f"course-lib {page}: {str(error).splitlines()[0]}", file=sys.stderr)
        return 1
    if out is None:
        print(text, end="")
    else:
        print(f"wrote {shown(out)}")
    return 0



def _reads_exports(parser, out: str, out_help: str, what: str) -> None:
    """The arguments of a command that reads a class's exported work: the files, where to write, --force."""
    parser.add_argument("exports", nargs="+", metavar="EXPORTS", help="exported work files, or folders holding them")
    parser.add_argument("--out", required=True, metavar=out, help=out_help)
    parser.add_argument("--force", action="store_true", help=f"replace {what} that already exist")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="course-lib", description="Tools for instructors of the course.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = commands.add_parser("check-case", help="Validate a case folder and summarise it.",
                                description="Validate a case folder and summarise it. Exits 1 on problems.")
    check.add_argument("path", nargs="?", default=None,
                       help=f"the case folder (default: the bundled case, {BUNDLED_CASE.name})")
    report = commands.add_parser(
        "class-report", help="Compare the stance coding of a class from the students' exported work.",
        description="Read students' exported work (my-work-anon-....json files, or folders of them) and write "
                    "class-report.html and CSV files: each student's kappa against the reference, the class's "
                    "Fleiss' kappa and Krippendorff's alpha per dimension, the most disputed statements and the "
                    "codes given to each. A damaged or duplicate file is named and skipped. Exits 1 when no "
                    "file could be used.")
    _reads_exports(report, "DIR", "the folder to write the report into", "report files")
    new = commands.add_parser("new-case", help="Write a template case folder to adapt to another article.",
                              description="Write a template case folder that loads and validates as it stands; "
                                          "replace every REPLACE, then run check-case on it.")
    new.add_argument("folder", help="a new (or empty) folder")
    collect = commands.add_parser(
        "collect", help="Write a gradebook from the students' exported work.",
        description="Read students' exported work (my-work-anon-....json files, or folders of them) and write a "
                    "gradebook CSV with -items and -lessons companions. Every answer is checked again against "
                    "the case (code items are marked self-reported); damaged, foreign or duplicate files are "
                    "named and skipped. Exits 1, writing nothing, when no file could be used.")
    _reads_exports(collect, "FILE", "the gradebook CSV to write", "gradebook files")
    key = commands.add_parser("answer-key", help="Write the answer key of every exercise as Markdown.",
                              description="Write the answer key (reference answers, why, wrong answers and "
                                          "their misconceptions, hints) from the case's exercise files.")
    key.add_argument("--out", default=None, metavar="FILE", help="where to write it (default: print it)")
    key.add_argument("--force", action="store_true", help="replace the file if it already exists")
    bal = commands.add_parser("balance", help="Write the table of every key that judges a party as Markdown.",
                              description="Write instructors/balance.md: every exercise key that judges the "
                                          "article or another party, the standard it applies and the "
                                          "alternatives it accepts, with the claims' verdicts by side.")
    bal.add_argument("--out", default=None, metavar="FILE", help="where to write it (default: print it)")
    bal.add_argument("--force", action="store_true", help="replace the file if it already exists")
    timing = commands.add_parser(
        "timing", help="Estimate each lesson's minutes per section; --write puts them in headers and the guide.",
        description="Estimate the minutes of built lessons with the course's timing model (course_lib.instructors.timing: "
                    "reading at 200 words a minute, a rate per exercise kind, code at a beginner's pace, "
                    "discussion prompts, the memo): a table per section and the totals, rounded to 5 minutes, "
                    "with every notebook over 90 minutes flagged.")
    timing.add_argument("notebooks", nargs="*", metavar="NOTEBOOK",
                        help="built lessons to estimate (default: every lessons/*.ipynb)")
    timing.add_argument("--write", action="store_true",
                        help="set the header(teaching=..., exercises=...) minutes of the instructor notebooks "
                             "(instructors/notebooks/) and the timings and run sheets of instructors/guide.md "
                             "(with instructors/run-sheets.toml) from the estimate")
    lessons = commands.add_parser(
        "new-lessons", help="Write a case's lesson set from the instructor notebooks, narrative to rewrite marked.",
        description="Write, for CASE, a copy of every instructor notebook (DIR/instructors/) and its student "
                    "version (DIR/): a first cell selects the case, cells tagged case-narrative and the "
                    "bundled case's answers are marked TO REWRITE. With --execute, run both and report a cell "
                    "that raises or shows nothing where the bundled lesson shows something. Exits 1 on a problem.")
    lessons.add_argument("name", nargs="?", default=None, metavar="CASE",
                         help="a bundled case's id or a case folder (the same as --case)")
    lessons.add_argument("--out", default=None, metavar="DIR", help="where to write them (default: lessons-<case id>)")
    lessons.add_argument("--execute", action="store_true", help="run every notebook in a fresh kernel and check it")
    lessons.add_argument("--only", nargs="+", default=(), metavar="NN",
                         help="only the notebooks whose names start with these (e.g. 00 01)")
    for sub in (report, new, collect, key, bal, timing, check, lessons):
        _case_option(sub, check_case=sub is check, new_case=sub is new)
    args = parser.parse_args(argv)
    if args.command == "check-case":
        if args.path is not None and args.case is not None and case_folder(args.path) != case_folder(args.case):
            parser.error("check-case: give the case once, as PATH or as --case")
        return check_case(args.path if args.path is not None else args.case)
    if args.command == "new-lessons" and args.name is not None:
        if args.case is not None and case_folder(args.name) != case_folder(args.case):
            parser.error("new-lessons: give the case once, as CASE or as --case")
        args.case = args.name
    try:
        case = select_case(args.case)
    except NoCase as error:
        print(f"course-lib {args.command}: {error}", file=sys.stderr)
        return error.status
    if args.command == "new-lessons":
        from course_lib.instructors.newlessons import main as new_lessons
        return new_lessons(case.path, args.out, args.only, args.execute)
    if args.command == "timing":
        from course_lib.instructors.timing import main as timing_main
        return timing_main(args.notebooks, args.write, case=case)
    if args.command == "new-case":
        return new_case(args.folder, case)
    if args.command == "collect":
        from course_lib.instructors.collect import main as collect_main
        return collect_main(args.exports, args.out, args.force, case=case)
    if args.command == "answer-key":
        return answer_key(args.out, args.force, case=case)
    if args.command == "balance":
        return answer_key(args.out, args.force, page="balance", case=case)
    if args.command == "class-report":
        from course_lib.instructors.classreport import main as class_report
        return class_report(args.exports, args.out, case, args.force)
    return 2  # pragma: no cover - argparse rejects unknown commands first


def _case_option(sub, check_case: bool = False, new_case: bool = False) -> None:
    """Add --case to a subcommand."""
    what = ("the case to check (the same as PATH)" if check_case else
            "the case whose pinned CAMEO table the template gets" if new_case else "the case to work on")
    sub.add_argument("--case", default=None, metavar="NAME_OR_PATH",
                     help=f"{what}: a bundled case's id ({', '.join(bundled_cases())}) or a case folder "
                          f"(default: ${CASE_ENV}, else {BUNDLED_CASE.name})")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
