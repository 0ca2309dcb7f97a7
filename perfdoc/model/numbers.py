"""Numbers as a person writes them: ASCII digits, a sane size, told apart from look-alikes.

Python's ``Decimal()`` and ``int()`` read ``１２３`` (full width), ``١٢٣`` (Arabic-Indic) and
``𝟏𝟐𝟑`` (mathematical bold) as 123, and a TOML float such as ``1e-999999999`` is an exact
decimal whose arithmetic takes minutes.  Every number perfdoc reads passes through the
checks here first; they look only at the digits and the exponent (never compute with the
number), so they are fast on any input.
"""

from __future__ import annotations

import re
from decimal import Decimal

__all__ = ["MAX_DIGITS", "foreign_digit", "digit_words", "decimal_places", "digit_span", "PLAIN_NUMBER", "GROUPED_NUMBER"]

#: Most digits a number may span (from its first to its last significant digit, or to the
#: decimal point): the precision of Python's default decimal context.
MAX_DIGITS = 28

#: A plain decimal number in ASCII: ``12``, ``-3.5``, ``.5``, ``7.``.
PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
#: The same with thousands separators where they belong: ``4,483,000.00``, ``60，000``.
GROUPED_NUMBER = re.compile(r"[+-]?(?:(?:[0-9]{1,3}(?:[,，][0-9]{3})+|[0-9]+)(?:\.[0-9]*)?|\.[0-9]+)")


def foreign_digit(text: str) -> str | None:
    """The first digit in ``text`` that is not one of ASCII 0-9 (``１``, ``١``, ``𝟏``), if any."""
    for ch in text:
        if ch.isdecimal() and not "0" <= ch <= "9":
            return ch
    return None


def digit_words(ch: str) -> str:
    """What kind of digit ``ch`` is, in words: ``全角数字“１”`` or ``非半角的数字“١”（U+0661）``."""
    if "\uff10" <= ch <= "\uff19":
        return f"全角数字“{ch}”"
    return f"非半角的数字“{ch}”（U+{ord(ch):04X}）"


def _stripped(number: Decimal) -> tuple[int, int]:
    """(significant digits, exponent) of a finite ``number`` without its trailing zeros (0 → (0, 0))."""
    _, digits, exponent = number.as_tuple()
    end = len(digits)
    while end and digits[end - 1] == 0:
        end -= 1
    if not end:
        return 0, 0
    return end, exponent + (len(digits) - end)


def decimal_places(number: Decimal) -> int:
    """Places after the decimal point that a finite ``number`` needs: ``10.50`` → 1, ``1e-9`` → 9, ``100`` → 0."""
    _, exponent = _stripped(number)
    return max(0, -exponent)


def digit_span(number: Decimal) -> int:
    """Digits a finite ``number`` needs written out in full: ``123.45`` → 5, ``1e30`` → 31, ``0.001`` → 3."""
    count, exponent = _stripped(number)
    if not count:
        return 1
    if exponent >= 0:
        return count + exponent
    return max(count, -exponent)
