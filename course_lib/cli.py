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
    args = parser.parse_args(argv)
    if args.command == "check-case":
        return check_case(args.path)
    return 2  # pragma: no cover - argparse rejects unknown commands first


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
