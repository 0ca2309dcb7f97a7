"""Where things are in a source file: key paths mapped to line and column."""

from __future__ import annotations

from typing import Callable

__all__ = ["Positions"]


class Positions:
    """Where each key path is: ``path -> (line, key_col, value_col)``, 1-based.

    The lines and the keys may be given, or found on first use (``lines_of`` and ``scan``):
    a file without findings is never scanned.
    """

    def __init__(self, lines: list[str] | None = None, *, lines_of: Callable[[], list[str]] | None = None,
                 scan: Callable[[list[str]], dict] | None = None):
        self._lines = lines
        self._lines_of = lines_of
        self._keys: dict[tuple, tuple[int, int, int]] | None = None if scan is not None else {}
        self._scan = scan

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            self._lines = self._lines_of() if self._lines_of is not None else []
            self._lines_of = None
        return self._lines

    @property
    def keys(self) -> dict[tuple, tuple[int, int, int]]:
        if self._keys is None:
            self._keys = self._scan(self.lines)
            self._scan = None
        return self._keys

    def locate(self, path: tuple, *, value: bool = True) -> tuple[int, int]:
        """Line and column of ``path``, or of its nearest enclosing key/table."""
        keys = self.keys
        path = tuple(path)
        while path:
            hit = keys.get(path)
            if hit is not None:
                line, key_col, value_col = hit
                return line, (value_col if value else key_col)
            path = path[:-1]
        return 1, 1

    def exact(self, path: tuple) -> bool:
        return tuple(path) in self.keys

    def source_line(self, line: int) -> str:
        if 1 <= line <= len(self.lines):
            return self.lines[line - 1]
        return ""

    def __getstate__(self):  # sent to a worker process: found now, without the functions
        return {"_lines": self.lines, "_lines_of": None, "_keys": self.keys, "_scan": None}
