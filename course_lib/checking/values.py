"""Reading untrusted values safely: a printable form of anything, and numbers from what students type.

Student input may be any object, including ones whose __repr__, __eq__ or __len__ raise; these helpers
look only at exact built-in types and never call methods the value could override.
"""

from __future__ import annotations

import re


def safe_repr(value, limit: int = 120) -> str:
    """A short printable form of any value, without trusting its __repr__ to behave."""
    try:
        if isinstance(value, str):
            text = repr(value)
        elif isinstance(value, (bool, int, float, type(None))) or value is Ellipsis:
            text = repr(value)
        elif isinstance(value, (list, tuple, set, frozenset)):
            text = "[" + ", ".join(safe_repr(v, 40) for v in list(value)[:10]) + (", …" if len(value) > 10 else "") + "]"
        elif isinstance(value, dict):
            text = "{" + ", ".join(f"{safe_repr(k, 30)}: {safe_repr(v, 30)}" for k, v in list(value.items())[:10]) + "}"
        elif callable(value):
            text = f"<function {getattr(value, '__name__', '?')}>"
        else:
            text = f"<a {type(value).__name__} object>"
    except Exception:
        text = f"<a {type(value).__name__} value>"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def number(value) -> float | None:
    """A number from an int, float, numpy scalar or a plain numeric string (a dot as decimal point)."""
    if type(value) in (int, float):
        return float(value)
    if type(value) is str:
        try:
            return float(value.strip())
        except ValueError:
            return None
    if type(value).__module__ == "numpy" and hasattr(value, "item"):
        return number(value.item())
    return None


FORMATS = "like 0.25, 0,25, 25% or 1/4"
_SPACES = re.compile(r"[\s\u00a0\u202f_']")


def read_number(value, *, unit: str = "", proportion: bool = False) -> tuple[float | None, str]:
    """(the number a student meant, "") or (None, why it cannot be read, with the formats that work).

    A decimal comma is a decimal point ("0,45" is 0.45); "1,234.5" and "1.234,5" are 1234.5; a lone comma
    before exactly three digits ("1,500") is ambiguous and asks again. "50%" is 0.5 where the answer is a
    proportion (`proportion`) and 50 where the unit is percent; "4/6" is a fraction; a trailing word that
    is the item's unit ("1 day" for days) is dropped. Anything else gets the formats that are understood.
    """
    if type(value) is not str:
        x = number(value)
        return (x, "") if x is not None else (None, f"that is not a number; write one {FORMATS}")
    text = value.strip().replace("\u2212", "-")
    unit_words = _unit_words(unit)
    lowered = text.casefold()
    for word in sorted(unit_words, key=len, reverse=True):
        if lowered.endswith(word) and lowered[: -len(word)].strip():
            text = text[: -len(word)].strip()
            break
    percent = text.endswith("%")
    if percent:
        text = text[:-1].strip()
        if unit.strip().casefold() in ("%", "percent", "per cent", "percentage points"):
            percent = False  # the item counts in percent: 50% is 50
        elif not proportion:
            return None, (f"{safe_repr(value.strip(), 40)} is a percentage, but this answer is not a share of a whole; "
                          "write the number itself")
    if "/" in text:
        top, _, bottom = text.partition("/")
        a, why_a = _plain(top)
        b, why_b = _plain(bottom)
        if a is None or b is None:
            return None, f"{safe_repr(value.strip(), 40)} could not be read as a fraction; write it {FORMATS}"
        if b == 0:
            return None, "a fraction with 0 below the line is not a number"
        x = a / b
    else:
        x, why = _plain(text)
        if x is None:
            return None, why.replace("{value}", safe_repr(value.strip(), 40))
    return (x / 100 if percent else x), ""


def _unit_words(unit: str) -> set[str]:
    """The words a student may write after a number in this unit: "days" also takes "day" and "d"."""
    unit = unit.strip().casefold()
    if not unit or unit in ("%", "percent", "per cent"):
        return {"percent", "per cent"} if unit else set()
    words = {unit, unit.rstrip("s")}
    if unit.rstrip("s") in ("day", "hour", "minute", "second", "week", "month", "year"):
        words |= {unit.rstrip("s")[0]} if unit.startswith(("day", "week")) else set()
    return {w for w in words if w}


def _plain(text: str) -> tuple[float | None, str]:
    """A number written with a decimal point or comma and optional digit grouping."""
    t = _SPACES.sub("", text.strip())
    if not t or not re.fullmatch(r"[+-]?[\d.,]*\d[\d.,]*|[+-]?[\d.,]*\d[\d.,]*[eE][+-]?\d+", t):
        if t.casefold() in ("nan", "inf", "+inf", "-inf", "infinity"):
            return float(t), ""
        return None, "{value} is not a number; write one " + FORMATS
    mantissa, exp = (re.split(r"[eE]", t, maxsplit=1) + [""])[:2]
    commas, dots = mantissa.count(","), mantissa.count(".")
    if commas and dots:  # the later mark is the decimal one, the other groups digits
        decimal = "," if mantissa.rfind(",") > mantissa.rfind(".") else "."
        group = "." if decimal == "," else ","
        if mantissa.count(decimal) > 1:
            return None, "{value} has more than one decimal mark; write it " + FORMATS
        mantissa = mantissa.replace(group, "").replace(decimal, ".")
    elif commas > 1 or dots > 1:  # several of one mark: digit groups of three, like 1,234,567
        mark = "," if commas else "."
        head, *groups = mantissa.split(mark)
        if not head.lstrip("+-") or any(len(g) != 3 for g in groups):
            return None, "{value} could not be read as a number; write it " + FORMATS
        mantissa = mantissa.replace(mark, "")
    elif commas == 1:
        head, tail = mantissa.split(",")
        if len(tail) == 3 and head.lstrip("+-") not in ("", "0"):
            return None, ("{value} could mean a thousand-something or a decimal; write it without the comma "
                          "for a whole number, or with a decimal point, like 1.5")
        mantissa = mantissa.replace(",", ".")
    try:
        return float(mantissa + ("e" + exp if exp else "")), ""
    except ValueError:
        return None, "{value} could not be read as a number; write it " + FORMATS


# ---- hidden test cases in a student's terms ------------------------------------------------------

def _is_event(value) -> bool:
    return type(value) is dict and ("date" in value or "goldstein" in value) and all(type(k) is str for k in value)


def _event_text(e: dict) -> str:
    """One event dict as a student reads it: `s23 (2018-08-23, STATE of USA toward PRK, +4.0)`."""
    parts = []
    if "date" in e:
        when = readable(e["date"])
        if e.get("time"):
            when += f" {e['time']}" + (f" UTC{e['utc_offset']}" if e.get("utc_offset") else "")
        elif "time" in e:
            when += ", no time"
        parts.append(when)
    if "actor" in e:
        who = str(e["actor"]) + (f" of {e['government']}" if e.get("government") not in (None, e["actor"]) else "")
        parts.append(who + (f" toward {e['target']}" if "target" in e else ""))
    if type(e.get("goldstein")) in (int, float):
        parts.append(f"{e['goldstein']:+.1f}")
    inner = ", ".join(parts)
    return f"{e['id']} ({inner})" if "id" in e else f"({inner})"


def readable(value, limit: int = 400) -> str:
    """A hidden case's value as a student would write or read it: dates as 2018-08-23, event dicts
    as `s23 (2018-08-23, STATE of USA toward PRK, +4.0)`, an empty list as `[]`, the rest as Python
    literals. Only exact built-in types are read; anything else falls back to `safe_repr`."""
    import datetime as _dt
    try:
        if type(value) is _dt.date:
            text = value.isoformat()
        elif type(value) is float and len(repr(value)) > 8 and abs(value) < 1e6:
            text = f"{value:.4f}".rstrip("0")   # 0.3333333333333333 reads as 0.3333
        elif _is_event(value):
            text = _event_text(value)
        elif type(value) in (list, tuple) and value and all(_is_event(v) for v in value):
            text = "[" + "; ".join(_event_text(v) for v in value) + "]"
        elif type(value) in (list, tuple):
            text = "[" + ", ".join(readable(v, 60) for v in value) + "]"
        elif type(value) is dict:
            text = "{" + ", ".join(f"{readable(k, 30)}: {readable(v, 60)}" for k, v in value.items()) + "}"
        else:
            text = safe_repr(value, limit)
    except Exception:
        text = safe_repr(value, limit)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def parameter_names(signature: str) -> list[str]:
    """The parameter names of a signature such as `find_reversals(events, window_days)`."""
    inside = signature.partition("(")[2].rpartition(")")[0]
    return [p.split("=")[0].strip().lstrip("*") for p in inside.split(",") if p.strip()]


def describe_call(signature: str, args) -> str:
    """The inputs of one hidden case, named by the item's parameters: `events = [...], window_days = 3`."""
    names = parameter_names(signature)
    parts = []
    for n, value in enumerate(args):
        name = names[n] if n < len(names) else f"argument {n + 1}"
        parts.append(f"{name} = {readable(value, 400 if n == 0 else 120)}")
    return ", ".join(parts) or "no arguments"
