"""Reading untrusted values safely: a printable form of anything, and numbers from what students type.

Student input may be any object, including ones whose __repr__, __eq__ or __len__ raise; these helpers
look only at exact built-in types and never call methods the value could override.
"""

from __future__ import annotations


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
    if type(value) in (int, float):
        return float(value)
    if type(value) is str:
        try:
            return float(value.strip().replace(",", ""))
        except ValueError:
            return None
    if type(value).__module__ == "numpy" and hasattr(value, "item"):
        return number(value.item())
    return None
