"""The `course-lib` command for instructors: check and start case folders, collect and compare student work,
write the answer key, estimate the lessons' minutes. Each subcommand is a thin wrapper over a module that does the work."""

from __future__ import annotations

import argparse
import sys

from course_lib.case.records import BUNDLED_CASE, CaseError, load_case, current_case


def check_case(path: str | None) -> int:
    """Print a summary of a valid case, or every problem found; return the exit status."""
    from course_lib.instructors.output import shown
    try:
        case = load_case(path)
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


def new_case(folder: str) -> int:
    """Write the template case folder; say what to do next."""
    from course_lib.instructors.newcase import new_case as write
    try:
        target = write(folder)
    except FileExistsError as e:
        print(e, file=sys.stderr)
        return 1
    print(f"Wrote a template case in {target}. Replace every REPLACE, then run: course-lib check-case {target}")
    return 0


def answer_key(out: str | None, force: bool = False, page: str = "answer-key") -> int:
    """Print or write the answer key (or the balance page) of the bundled case; an existing file is
    replaced only with --force."""
    from course_lib.instructors.output import OutputError, check_targets, shown, write_all
    if page == "balance":
        from course_lib.instructors.balance import balance as render
    else:
        from course_lib.instructors.answerkey import answer_key as render
    try:
        if out is not None:
            check_targets([out], (), force)
        text = render(current_case())
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
    report.add_argument("exports", nargs="+", metavar="EXPORTS", help="exported work files, or folders holding them")
    report.add_argument("--out", required=True, metavar="DIR", help="the folder to write the report into")
    report.add_argument("--case", default=None, metavar="PATH", help="the case folder (default: the bundled case)")
    report.add_argument("--force", action="store_true", help="replace report files that already exist")
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
    collect.add_argument("exports", nargs="+", metavar="EXPORTS", help="exported work files, or folders holding them")
    collect.add_argument("--out", required=True, metavar="FILE", help="the gradebook CSV to write")
    collect.add_argument("--force", action="store_true", help="replace gradebook files that already exist")
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
    args = parser.parse_args(argv)
    if args.command == "timing":
        from course_lib.instructors.timing import main as timing_main
        return timing_main(args.notebooks, args.write)
    if args.command == "check-case":
        return check_case(args.path)
    if args.command == "new-case":
        return new_case(args.folder)
    if args.command == "collect":
        from course_lib.instructors.collect import main as collect_main
        return collect_main(args.exports, args.out, args.force)
    if args.command == "answer-key":
        return answer_key(args.out, args.force)
    if args.command == "balance":
        return answer_key(args.out, args.force, page="balance")
    if args.command == "class-report":
        from course_lib.instructors.classreport import main as class_report
        return class_report(args.exports, args.out, args.case, args.force)
    return 2  # pragma: no cover - argparse rejects unknown commands first


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
