"""Reasons read from the codebook: what a CAMEO event code or a stance code says, so every wrong code gets one.

A coding item (lesson 04's CAMEO items, lesson 05's stance items) checks a code per entry. When a
student's code is wrong, the feedback first says what the chosen code means in the codebook itself,
then what the reference code means, then the entry's own reason for the reference. The first two
parts come from here, generated from the case's files, never typed into the exercise files:

- a CAMEO code: its label, its root family (the first two digits, with the root's label), whether the
  family is verbal or material cooperation or conflict (CAMEO's quad classes: roots 01-05 verbal
  cooperation, 06-08 material cooperation, 09-13 verbal conflict, 14-20 material conflict) and its
  Goldstein weight with its sign, all from `cameo-goldstein.csv`;
- a stance code: its value's label (read from the dimension's description in `case.toml`), its sign
  on a scale with negative values (which end it leans toward) and, on an ordinal scale, how many
  steps it lies from the reference.

    >>> from course_lib.case.records import BUNDLED_CASE, load_case
    >>> case = load_case(BUNDLED_CASE)
    >>> cameo_reason(case, "042")
    '042 “Make a visit”: root 04 “Consult”, verbal cooperation, Goldstein +1.9 (cooperative)'
    >>> value_labels(case.dimensions["D4"])["-1"]
    'unhelpful or obstructive'
"""

from __future__ import annotations

import re
from typing import Mapping

__all__ = ["QUAD_CLASSES", "cameo_choice", "cameo_reason", "is_cameo_item", "reasons", "short_label",
           "stance_dimension", "stance_reason", "stance_value", "value_labels", "value_text", "weight_text",
           "wrong_code_reason"]

#: CAMEO's quad classes by root code: (first root, last root, name).
QUAD_CLASSES = ((1, 5, "verbal cooperation"), (6, 8, "material cooperation"),
                (9, 13, "verbal conflict"), (14, 20, "material conflict"))

def _label(text: str) -> str:
    """A codebook label as a phrase: "CONSULT" -> "Consult"; mixed case is kept."""
    text = " ".join(text.split())
    return text[:1] + text[1:].lower() if text.isupper() else text


def _weight(w: float) -> str:
    """A Goldstein weight with its sign, written as the exercise files write it ("+1.9", "−4.0")."""
    tone = "cooperative" if w > 0 else "conflictual" if w < 0 else "neutral"
    number = "0.0" if w == 0 else f"{w:+.1f}".replace("-", "−")
    return f"Goldstein {number} ({tone})"


def weight_text(w: float) -> str:
    """A Goldstein weight as a choice shows it: "+1.9", "−4.0" (a true minus sign), "+0.0"."""
    return f"{w:+.1f}".replace("-", "\u2212")


def short_label(label: str) -> str:
    """A code's label as a choice shows it: "Make statement, not specified below" -> "Make statement"."""
    return label.replace(", not specified below", "")


def cameo_choice(code: str, label: str, goldstein: float) -> str:
    """The text of a CAMEO choice, drawn from the pinned table: "042 Make a visit (+1.9)"."""
    return f"{code} {short_label(label)} ({weight_text(goldstein)})"


def _quad(root: str) -> str:
    try:
        n = int(root)
    except ValueError:
        return ""
    return next((name for first, last, name in QUAD_CLASSES if first <= n <= last), "")


def cameo_reason(case, code: str) -> str:
    """What the pinned CAMEO table says of `code`: label, root family, quad class and Goldstein weight."""
    entry = case.codebook.get(code)
    if entry is None:
        return f"{code} (not in the case's CAMEO table)"
    root = code[:2]
    root_entry = case.codebook.get(root)
    parts = []
    if root != code:
        parts.append(f"root {root}" + (f" “{_label(root_entry.label)}”" if root_entry else ""))
    else:
        parts.append("a root code itself")
    quad = _quad(root)
    if quad:
        parts.append(quad)
    parts.append(_weight(entry.goldstein))
    return f"{code} “{_label(entry.label)}”: " + ", ".join(parts)


def is_cameo_item(case, item) -> bool:
    """A classify item whose every category is a code of the case's CAMEO table (lesson 04's items)."""
    return (item.kind == "classify" and bool(item.categories)
            and all(c.id in case.codebook for c in item.categories))


# ---- stance codes -----------------------------------------------------------------------------------

def stance_dimension(case, item):
    """The dimension a stance-coding item codes (its `dimension = "D1"`), or None for any other item."""
    if item.kind != "classify" or not getattr(item, "dimension", ""):
        return None
    return case.dimensions.get(item.dimension)


def stance_value(dimension, choice: str) -> str | None:
    """The dimension value a category id is ("-2" -> "-2"); None for "does not apply" or any other id."""
    return choice if choice in dimension.values else None


def _numeric(dimension) -> bool:
    return all(re.fullmatch(r"[+-]?\d+", v) for v in dimension.values)


def value_text(dimension, value: str, label: str | None = None) -> str:
    """A stance choice as the item shows it, the value as the codebook writes it and its label:
    "+1 insufficient progress / threat persists" (the label read from the dimension's description
    unless one is given)."""
    label = value_labels(dimension).get(value, "") if label is None else label
    return f"{_shown(dimension, value)} {label}".rstrip()


def _shown(dimension, value: str) -> str:
    """A value as the codebook writes it: "+1" on a scale with negative values, else as is."""
    if _numeric(dimension) and any(v.startswith("-") for v in dimension.values) and int(value) > 0:
        return f"+{int(value)}"
    return value


def value_labels(dimension) -> dict[str, str]:
    """Each value's label, read from the dimension's description ("…: -2 threat gone / major progress,
    -1 progress, …"): the words after the value up to the next value, without the parenthesised
    gloss. A value the description does not label gets ""."""
    text = dimension.description.split(": ", 1)[1] if ": " in dimension.description else dimension.description
    found, start = [], 0
    for v in dimension.values:
        if _numeric(dimension):
            n = int(v)
            token = rf"-{abs(n)}" if n < 0 else rf"\+?{n}"
            pattern = rf"(?<![\w.+-]){token}(?![\w.])"
        else:
            pattern = rf"(?<!\w){re.escape(v)}(?!\w)"
        m = re.compile(pattern).search(text, start)
        if m is None:
            return {v: "" for v in dimension.values}
        found.append((v, m.start(), m.end()))
        start = m.end()
    labels = {}
    for i, (v, _, end) in enumerate(found):
        stop = found[i + 1][1] if i + 1 < len(found) else len(text)
        label = text[end:stop]
        if i + 1 == len(found):
            label = re.split(r"\.(\s|$)", label)[0]
        label = re.sub(r"\s*\([^)]*\)", "", label)
        labels[v] = " ".join(label.split()).strip(" ,;.")
    return labels


def stance_reason(dimension, choice: str, labels: Mapping[str, str] | None = None) -> str:
    """What the codebook says of a stance code on `dimension`: its value's label and, on a scale with
    negative values, its sign and the end it leans toward; "does not apply" for no value."""
    labels = value_labels(dimension) if labels is None else labels
    value = stance_value(dimension, choice)
    if value is None:
        return f"“does not apply”: the words say nothing on {dimension.id} ({dimension.name})"
    label = labels.get(value, "")
    text = f"{_shown(dimension, value)}" + (f" “{label}”" if label else "")
    if dimension.level == "nominal" or not _numeric(dimension):
        return text + f", a {dimension.level} category of {dimension.id}: it names a kind, not a degree"
    n = int(value)
    if any(v.startswith("-") for v in dimension.values):
        low, high = dimension.values[0], dimension.values[-1]
        if value in (low, high):
            return text + f", {'below' if n < 0 else 'above'} zero, the {'lowest' if n < 0 else 'highest'} value"
        if n < 0:
            return text + f", below zero: on the side of “{labels.get(low) or low}”"
        if n > 0:
            return text + f", above zero: on the side of “{labels.get(high) or high}”"
        return text + ", zero, the midpoint"
    return text + f", step {dimension.values.index(value)} of {dimension.values[0]} to {dimension.values[-1]}"


def _steps(dimension, chosen: str, key: str) -> str:
    a, b = stance_value(dimension, chosen), stance_value(dimension, key)
    if a is None or b is None or dimension.level != "ordinal":
        return ""
    d = dimension.values.index(b) - dimension.values.index(a)
    return f" ({abs(d)} step{'s' if abs(d) != 1 else ''} {'above' if d > 0 else 'below'} yours)" if d else ""


# ---- what feedback uses --------------------------------------------------------------------------------

def reasons(case, item) -> dict[str, str] | None:
    """Choice id -> what the codebook says of that code, for a CAMEO or stance-coding item; None for
    any other item."""
    if is_cameo_item(case, item):
        return {c.id: cameo_reason(case, c.id) for c in item.categories}
    dimension = stance_dimension(case, item)
    if dimension is None:
        return None
    labels = value_labels(dimension)
    return {c.id: stance_reason(dimension, c.id, labels) for c in item.categories}


def wrong_code_reason(case, item):
    """For a coding item, a function (chosen, reference) -> the sentences a wrong code gets before the
    entry's own feedback: what the chosen code is in the codebook, then what the reference code is
    ("" for a code it does not know). None for any other item. `exercises.check` takes it as
    `code_reason`."""
    found = reasons(case, item)
    if not found:
        return None
    dimension = stance_dimension(case, item)

    def reason(chosen: str, key: str) -> str:
        if chosen not in found or key not in found:
            return ""
        steps = _steps(dimension, chosen, key) if dimension is not None else ""
        return f"You chose {found[chosen]}. The reference is {found[key]}{steps}."
    return reason
