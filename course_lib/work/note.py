"""A sentence for the student that a notebook shows as itself: no quotes, escaped as HTML."""

from __future__ import annotations

import html


class Note(str):
    """A plain message that displays as itself (no quotes) in a notebook, and as escaped HTML."""

    def __repr__(self) -> str:
        return str.__str__(self)

    def _repr_html_(self) -> str:
        return f'<p class="course-note">{html.escape(self)}</p>'
