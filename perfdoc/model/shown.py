"""What a message may quote of a user's input: at most ``LIMIT`` characters, then an ellipsis.

Messages quote what the user wrote (a key, an amount, a target) so that it can
be found; a value of ten thousand characters is cut, never printed whole.
Escaping control characters for the terminal is the printer's job
(:mod:`perfdoc.cli.report`); this only shortens.
"""

from __future__ import annotations

__all__ = ["clip", "LIMIT"]

#: Characters of a quoted value shown in a message.
LIMIT = 80


def clip(value: object, limit: int = LIMIT) -> str:
    """``value`` as text, cut to ``limit`` characters plus "…" when longer."""
    try:
        text = value if isinstance(value, str) else str(value)
    except ValueError:  # an int of more than 4300 digits has no str()
        return "（位数过多的数字）"
    return text if len(text) <= limit else text[:limit] + "…"
