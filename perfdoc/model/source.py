"""Where things are in a source file: key paths mapped to line and column."""

from __future__ import annotations

__all__ = ["Positions"]


class Positions:
    """Where each key path is: ``path -> (line, key_col, value_col)``, 1-based."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        self.keys: dict[tuple, tuple[int, int, int]] = {}

    def locate(self, path: tuple, *, value: bool = True) -> tuple[int, int]:
        """Line and column of ``path``, or of its nearest enclosing key/table."""
        path = tuple(path)
        while path:
            hit = self.keys.get(path)
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
