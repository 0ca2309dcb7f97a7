"""Diff: what changed between two department folders (two years, or a git revision)."""
