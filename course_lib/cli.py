"""The `course-lib` command for instructors: check a case folder (more commands join later)."""

from __future__ import annotations

import argparse
import sys

from course_lib.case import BUNDLED_CASE, CaseError, load_case


def check_case(path: str | None) -> int:
    """Print a summary of a valid case, or every problem found; return the exit status."""
    try:
        case = load_case(path)
    except CaseError as e:
        print(e, file=sys.stderr)
        return 1
    print(case.summary())
    print("No problems found.")
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
    args = parser.parse_args(argv)
    if args.command == "check-case":
        return check_case(args.path)
    if args.command == "class-report":
        from course_lib.classreport import main as class_report
        return class_report(args.exports, args.out, args.case)
    return 2  # pragma: no cover - argparse rejects unknown commands first


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
