"""Tables as text: the one helper for every table the course prints, as a figure's text twin, in a report
or in a memo (HTML for a notebook, aligned plain text for a terminal or screen reader, Markdown for a file).

Standard library only, so the analyses and the instructors' reports use it without importing matplotlib.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

def _cell(value) -> str:
    if value is None:
        return ""
    return " ".join(str(value).split())   # one line per cell


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


_LINKISH = re.compile(r"(?i)\b(https?|ftp)(:)(?=//)|\b(www)(\.)")   # what renderers turn into links unasked


def md_escape(text: str) -> str:
    """Cell text as Markdown that shows as typed: no table break, no HTML, and (case files being
    untrusted) no link or image, written [x](...), ![x](...) or as a bare address."""
    text = text.replace("\\", "\\\\").replace("|", "\\|").replace("[", "\\[").replace("]", "\\]")
    text = _LINKISH.sub(lambda m: f"{m.group(1) or m.group(3)}\\{m.group(2) or m.group(4)}", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def markdown_table(headers: Sequence[str], rows: Iterable[Sequence[str]], *, numeric: Sequence[bool] = (),
                   compact: bool = False) -> str:
    r"""The lines of a Markdown table, from cells already escaped for where they stand (the one table
    writer of `Table`, the memo's rubric and the class report's rows). `numeric` right-aligns columns;
    `compact` writes the rule without spaces (`|---|`), as the memo's exports do.

    >>> print(markdown_table(["claim", "sources"], [["c1", "2"]], numeric=[False, True]))
    | claim | sources |
    | --- | ---: |
    | c1 | 2 |
    >>> markdown_table(["a", "b"], [], compact=True)
    '| a | b |\n|---|---|'
    """
    flags = [bool(n) for n in numeric] or [False] * len(headers)
    rule = ["---:" if n else "---" for n in flags]
    line = lambda cells: "| " + " | ".join(cells) + " |"  # noqa: E731
    return "\n".join([line(headers), "|" + "|".join(rule) + "|" if compact else line(rule), *map(line, rows)])


def text_columns(rows: Sequence[Sequence[str]], *, numeric: Sequence[bool] = (), rule: bool = False) -> list[str]:
    r"""Rows of text cells as aligned lines (two spaces between columns, numbers right-aligned where
    `numeric` says), with a rule of dashes under the first row if asked: the plain-text twin of
    `markdown_table`.

    >>> print("\n".join(text_columns([["claim", "n"], ["c1", "12"]], numeric=[False, True], rule=True)))
    claim   n
    -----  --
    c1     12
    """
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    flags = [bool(n) for n in numeric] or [False] * len(widths)
    lines = ["  ".join(c.rjust(w) if n else c.ljust(w) for c, w, n in zip(r, widths, flags)).rstrip() for r in rows]
    if rule:
        lines.insert(1, "  ".join("-" * w for w in widths))
    return lines


@dataclass(frozen=True, repr=False)
class Table:
    """A small table with a caption: Markdown in Jupyter, aligned plain text everywhere else.

    Every figure in the course pairs with one (`show(fig, alt=..., table=...)`), so its data can be
    read without seeing it. Numbers are right-aligned; `None` is an empty cell.
    """

    headers: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    caption: str

    def __post_init__(self):
        if isinstance(self.headers, str):
            raise TypeError("headers must be a list of column names, not one string")
        headers = tuple(_cell(h) for h in self.headers)
        if not headers:
            raise ValueError("a table needs at least one column header")
        rows = tuple(tuple(r) for r in self.rows)
        for n, row in enumerate(rows, start=1):
            if len(row) != len(headers):
                raise ValueError(f"row {n} has {len(row)} cells but there are {len(headers)} "
                                 f"headers ({', '.join(headers)})")
        if not isinstance(self.caption, str) or not self.caption.strip():
            raise ValueError("a table needs a caption saying what it shows")
        object.__setattr__(self, "headers", headers)
        object.__setattr__(self, "rows", rows)
        object.__setattr__(self, "caption", " ".join(self.caption.split()))

    def _numeric(self) -> list[bool]:
        return [bool(self.rows) and all(_is_number(r[i]) or r[i] is None for r in self.rows)
                and any(r[i] is not None for r in self.rows) for i in range(len(self.headers))]

    def _repr_markdown_(self) -> str:
        def escaped(cells):
            return [md_escape(_cell(c)) for c in cells]
        caption = md_escape(self.caption).replace("*", "\\*")
        return f"**{caption}**\n\n" + markdown_table(escaped(self.headers), map(escaped, self.rows),
                                                     numeric=self._numeric())

    def __str__(self) -> str:
        cells = [list(self.headers), *([_cell(c) for c in r] for r in self.rows)]
        return "\n".join([self.caption, "", *text_columns(cells, numeric=self._numeric(), rule=True)])

    __repr__ = __str__


def text_table(headers: Sequence, rows: Iterable[Sequence], caption: str) -> Table:
    """A `Table` with these column headers, rows and caption."""
    return Table(tuple(headers), tuple(tuple(r) for r in rows), caption)


