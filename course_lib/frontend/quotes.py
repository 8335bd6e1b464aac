"""Curly quotes typed on a phone: read as straight quotes when, and only when, that is what makes a cell run.

A phone keyboard (and some word processors a student copies from) types “ ” and ‘ ’ where Python needs
" and '. `answer(“l1-classify”, “a”)` is then a SyntaxError, and the answer is lost on a student who
did everything right. `import course_lib` in an IPython kernel registers `fix_curly_quotes` as an input
transformer: a cell that compiles is never changed (curly quotes inside a string stay as typed); a cell
that does not compile is run with its curly quotes straightened only if that makes it compile, with a
one-line note saying so. Anything else is left to Python's own error message.
"""

from __future__ import annotations

import sys

__all__ = ["NOTE", "fix_curly_quotes", "register", "straighten"]

_DOUBLE = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "″": '"'})
_SINGLE = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'"})
_CURLY = set("“”„‟″‘’‚‛′")

NOTE = ("Note: this cell had curly quotes (“ ” or ‘ ’), which Python cannot read; they were read as "
        "straight quotes (\" or ') so it could run. Type straight quotes to avoid this note.")


def _compiles(source: str) -> bool:
    try:
        compile(source, "<cell>", "exec")
    except (SyntaxError, ValueError):   # ValueError: a null byte
        return False
    return True


def straighten(source: str) -> str | None:
    """The source with its curly quotes straightened if it does not compile as typed and does once
    straightened (double quotes first, then single quotes too); None when it compiles already, has no
    curly quote, or does not compile either way."""
    if not _CURLY & set(source) or _compiles(source):
        return None
    for candidate in (source.translate(_DOUBLE), source.translate(_DOUBLE).translate(_SINGLE)):
        if candidate != source and _compiles(candidate):
            return candidate
    return None


def fix_curly_quotes(lines: list[str]) -> list[str]:
    """IPython input transformer (`shell.input_transformers_post`): the cell's lines, straightened by
    `straighten` when that makes the cell compile (printing `NOTE`), else unchanged."""
    fixed = straighten("".join(lines))
    if fixed is None:
        return lines
    print(NOTE, file=sys.stdout)
    return fixed.splitlines(keepends=True)


def register(shell) -> None:
    """Add `fix_curly_quotes` to an IPython shell's post-transformers, once."""
    post = getattr(shell, "input_transformers_post", None)
    if isinstance(post, list) and fix_curly_quotes not in post:
        post.append(fix_curly_quotes)


def register_in_kernel() -> None:
    """Register in the running IPython shell, if there is one; never imports IPython itself."""
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return
    try:
        shell = ipython.get_ipython()
    except Exception:   # an IPython too broken to ask: leave the cell to Python's own message
        return
    if shell is not None:
        register(shell)
