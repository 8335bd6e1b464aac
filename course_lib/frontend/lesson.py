"""The frame of a lesson, as in a Carpentries episode: the header, the keypoints, what's next; and the
case's article as prose (`article`).

Each function returns an object that renders as Markdown in Jupyter and as the same content in
plain text everywhere else (a terminal, a screen reader's text view, nbval's `text/plain`). Labels
are bold, never Markdown headings: the notebook's own markdown cells own the heading levels, so a
lesson keeps one H1 and no skipped levels. Pure text, standard library only, deterministic.

    lesson.header(
        questions=["Which claims in the article can be checked?"],
        objectives=["Classify the article's sentences by claim type."],
        teaching=15, exercises=20,
    )
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

__all__ = ["MEASURABLE_VERBS", "Article", "Frame", "article", "header", "keypoints", "whats_next"]

#: Verbs an objective may start with: each names something a student does that can be observed.
MEASURABLE_VERBS = frozenset({
    "answer", "apply", "appraise", "assess", "classify", "code", "compare", "compute", "describe",
    "detect", "differentiate", "distinguish", "evaluate", "explain", "express", "identify",
    "implement", "interpret", "judge", "list", "measure", "name", "rate", "read", "restore",
    "revise", "save", "trace", "use", "write",
})

_VAGUE = {"understand", "know", "learn", "appreciate", "grasp", "realise", "realize", "see",
          "become", "be", "get", "familiarize", "familiarise", "explore", "discover", "master"}

_INTRO = "By the end of this lesson you will be able to:"


@dataclass(frozen=True)
class _Block:
    label: str
    intro: str = ""
    items: tuple[str, ...] = ()
    text: str = ""          # a paragraph instead of items
    empty: str = ""         # shown when there are no items


@dataclass(frozen=True, repr=False)
class Frame:
    """A piece of the lesson frame: `_repr_markdown_` for Jupyter, `repr()` for plain text."""

    lead: str               # a Markdown line shown first (may be empty)
    lead_text: str          # the same line as plain text
    blocks: tuple[_Block, ...]

    def _repr_markdown_(self) -> str:
        parts = [self.lead] if self.lead else []
        for b in self.blocks:
            parts.append(f"**{b.label}**")
            if b.intro:
                parts.append(b.intro)
            if b.items:
                parts.append("\n".join(f"- {_md_line(i)}" for i in b.items))
            elif b.text:
                parts.append("\n".join(_md_line(line) for line in b.text.split("\n")))
            elif b.empty:
                parts.append(b.empty)
        return "\n\n".join(parts)

    def __repr__(self) -> str:
        parts = [self.lead_text] if self.lead_text else []
        for b in self.blocks:
            lines = [b.label]
            if b.intro:
                lines.append(b.intro)
            if b.items:
                lines += [f"- {i}" for i in b.items]
            elif b.text:
                lines.append(b.text)
            elif b.empty:
                lines.append(b.empty)
            parts.append("\n".join(lines))
        return "\n\n".join(parts)

    __str__ = __repr__


def _md_line(line: str) -> str:
    """Keep a line of prose from turning into a heading or a rule."""
    stripped = line.lstrip()
    if stripped.startswith("#") or re.fullmatch(r"(-\s*){3,}|(=\s*)+|(\*\s*){3,}|(_\s*){3,}", stripped):
        return line[: len(line) - len(stripped)] + "\\" + stripped
    return line


def _clean(text, what: str) -> str:
    if not isinstance(text, str):
        raise TypeError(f"{what} must be a string, not {type(text).__name__}")
    cleaned = " ".join(text.split())
    if not cleaned:
        raise ValueError(f"{what} is empty")
    return cleaned


def _items(values, what: str, *, required: bool = True) -> tuple[str, ...]:
    if isinstance(values, str):
        values = [values]
    if values is None or not isinstance(values, Iterable):
        raise TypeError(f"{what} must be a list of strings")
    items = tuple(_clean(v, f"each of the {what}") for v in values)
    if required and not items:
        raise ValueError(f"a lesson needs at least one item in {what}")
    return items


def _minutes(value, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be a whole number of minutes, not {value!r}")
    if value <= 0:
        raise ValueError(f"{what} must be a positive number of minutes, not {value}")
    return value


def _check_objective(objective: str) -> None:
    words = re.findall(r"[A-Za-z']+", objective)
    first = words[0].lower() if words else ""
    if first not in MEASURABLE_VERBS:
        hint = (f" '{words[0]}' cannot be observed; say what the student will do instead."
                if first in _VAGUE else "")
        raise ValueError(
            f"objective {objective!r} does not start with a measurable verb.{hint} Start it with "
            f"one of: {', '.join(sorted(MEASURABLE_VERBS))}.")
    if len(words) > 2 and words[1].lower() in {"and", "or"} and words[2].lower() in MEASURABLE_VERBS:
        raise ValueError(f"objective {objective!r} has two verbs; give each its own objective, "
                         "so each can be checked on its own.")


def header(*, questions, objectives, prerequisites=(), teaching: int, exercises: int) -> Frame:
    """The lesson header: timings, questions, objectives (each starting with one measurable verb
    from `MEASURABLE_VERBS`) and prerequisites ("none" when there are none)."""
    teaching = _minutes(teaching, "teaching")
    exercises = _minutes(exercises, "exercises")
    qs = _items(questions, "questions")
    objs = _items(objectives, "objectives")
    for objective in objs:
        _check_objective(objective)
    prereqs = _items(prerequisites, "prerequisites", required=False)
    return Frame(
        lead=f"**Teaching:** {teaching} min · **Exercises:** {exercises} min",
        lead_text=f"Teaching: {teaching} min · Exercises: {exercises} min",
        blocks=(
            _Block("Questions", items=qs),
            _Block("Objectives", intro=_INTRO, items=objs),
            _Block("Prerequisites", items=prereqs, empty="none"),
        ),
    )


def keypoints(points) -> Frame:
    """The lesson's keypoints, as a bulleted list under a bold "Keypoints" label."""
    return Frame("", "", (_Block("Keypoints", items=_items(points, "keypoints")),))


def whats_next(text: str) -> Frame:
    """A short paragraph under a bold "What's next" label (line breaks kept)."""
    if not isinstance(text, str):
        raise TypeError(f"what's next must be a string, not {type(text).__name__}")
    lines = [" ".join(line.split()) for line in text.strip().splitlines()]
    body = "\n".join(lines).strip()
    if not body:
        raise ValueError("what's next is empty: say where the next lesson picks up")
    return Frame("", "", (_Block("What's next", text=body),))


_MD_CHARS = re.compile(r"([\\`*_\[\]<>#|])")


@dataclass(frozen=True, repr=False)
class Article:
    """An article as prose: paragraphs of sentences, each led by its id, wrapping like any text (a
    `print` of it was monospace and broke words at the window's edge); plain text keeps one sentence a line."""

    title: str
    paragraphs: tuple[tuple[tuple[str, str], ...], ...]   # ((sentence id, text), ...) per paragraph

    def _repr_markdown_(self) -> str:
        esc = lambda text: _MD_CHARS.sub(r"\\\1", text)  # noqa: E731
        parts = [f"**{esc(self.title)}**"]
        parts += [" ".join(f"**[{esc(sid)}]** {esc(text)}" for sid, text in paragraph)
                  for paragraph in self.paragraphs]
        return "\n\n".join(parts)

    def __repr__(self) -> str:
        blocks = [self.title] + ["\n".join(f"[{sid}] {text}" for sid, text in p) for p in self.paragraphs]
        return "\n\n".join(blocks)

    __str__ = __repr__


def article(case) -> Article:
    """The case's article as prose with its sentence ids (p1.s1, p1.s2 ...)."""
    return Article(case.info.title, tuple(tuple((s.id, s.text) for s in paragraph)
                                          for paragraph in case.article.paragraphs))
