"""Tools some tests need: skipped where they are missing, but a failure under CI.

A missing tool must not turn a CI run green by skipping what it was meant to test:
with ``CI=true`` (set by CI services, and by .ci/run) or ``PERFDOC_REQUIRE_GIT=1``
a missing git fails the test.
"""

from __future__ import annotations

import os
import shutil

import pytest

__all__ = ["need_git", "required_by_ci"]


def required_by_ci(variable: str) -> bool:
    """True when the environment says missing tools are failures (``CI`` or ``variable`` set)."""
    if os.environ.get(variable, "") == "1":
        return True
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def need_git() -> None:
    """Skip the calling test when git is not installed; fail it instead under CI."""
    if shutil.which("git") is not None:
        return
    if required_by_ci("PERFDOC_REQUIRE_GIT"):
        pytest.fail("git is not installed, but CI or PERFDOC_REQUIRE_GIT=1 requires the git tests to run")
    pytest.skip("git is not installed")
