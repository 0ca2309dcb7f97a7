"""Option values without pydantic: Typer (0.2x) converts every option value with a pydantic
TypeAdapter, which imports pydantic and builds an adapter per option, a tenth of a second
before a command starts.  A no-change ``build`` needs no model at all, so its options are
converted here when the conversion is plain: a text, a whole number within its bounds, a path
(with Typer's own checks: a path that exists must be readable), a choice written exactly, a list
of these.

Anything else (an invalid number, a choice, a path that cannot be read, a Typer without
these internals) goes to Typer's own conversion, so values and error messages stay exactly
Typer's.
"""

from __future__ import annotations

import os
import re
from enum import Enum
from pathlib import Path
from typing import Any, get_args, get_origin

__all__ = ["install_light_coercion", "light_value", "HARD"]

#: Returned by light_value when the value is for Typer to convert.
HARD = object()
_DIGITS = re.compile(r"[0-9]{1,18}")


def install_light_coercion(params) -> None:
    """Give each Typer parameter of a command the light conversion (Typer's own as a fallback)."""
    for param in params:
        if (hasattr(param, "type_descriptor") and hasattr(param, "get_runtime_param")
                and getattr(param, "_runtime_param", False) is None):
            param._runtime_param = _LightParam(param)


class _LightParam:
    """Typer's RuntimeParam interface (``coerce``), converting plain values itself."""

    def __init__(self, param):
        self._param = param
        self._real = None

    def coerce(self, value: Any, param, ctx) -> Any:
        multiple = param.multiple or param.nargs == -1
        if value is None:
            return () if multiple else None
        if not (multiple and isinstance(value, str)):
            light = light_value(param.type_descriptor.annotation, param.type_descriptor.parameter_info, value)
            if light is not HARD:
                return light
        return self._typer().coerce(value, param=param, ctx=ctx)

    def _typer(self):
        if self._real is None:
            from typer._coercion import build_runtime_param

            self._real = build_runtime_param(self._param.type_descriptor)
        return self._real

    def __getattr__(self, name: str):  # anything else Typer asks of a runtime parameter
        return getattr(self._typer(), name)


def light_value(annotation: Any, info, value: Any) -> Any:
    """``value`` converted as Typer would, or HARD when only Typer can say."""
    if getattr(info, "parser", None) is not None or getattr(info, "click_type", None) is not None:
        return HARD
    if get_origin(annotation) is list:
        args = get_args(annotation)
        if len(args) != 1 or not isinstance(value, (list, tuple)):
            return HARD
        items = [light_value(args[0], info, v) for v in value]
        return HARD if any(v is HARD for v in items) else items
    if annotation is bool:
        return value if isinstance(value, bool) else HARD
    if annotation is str:
        return value if isinstance(value, str) else HARD
    if annotation is int:
        return _int(info, value)
    if isinstance(annotation, type) and issubclass(annotation, Path) and getattr(info, "path_type", None) is None:
        return _path(annotation, info, value)
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return _choice(annotation, info, value)
    return HARD


def _choice(choices: type[Enum], info, value: Any) -> Any:
    """A member of ``choices``: itself, or the one whose value is exactly ``value`` (else Typer says)."""
    if isinstance(value, choices):
        return value
    if isinstance(value, str) and getattr(info, "case_sensitive", True):
        for member in choices:
            if member.value == value:
                return member
    return HARD


def _int(info, value: Any) -> Any:
    if getattr(info, "clamp", False):
        return HARD
    if isinstance(value, str) and _DIGITS.fullmatch(value):
        number = int(value)
    elif type(value) is int:
        number = value
    else:
        return HARD
    low, high = getattr(info, "min", None), getattr(info, "max", None)
    if (low is not None and number < low) or (high is not None and number > high):
        return HARD
    return number


def _path(path_type: type, info, value: Any) -> Any:
    plain = (not getattr(info, "resolve_path", False) and not getattr(info, "exists", False)
             and getattr(info, "file_okay", True) and getattr(info, "dir_okay", True)
             and not getattr(info, "writable", False) and not getattr(info, "allow_dash", False))
    if not plain:
        return HARD
    if isinstance(value, path_type):
        path = value
    elif isinstance(value, str) and value and "\x00" not in value:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:  # undecodable bytes of a file name: as Typer takes them
            return HARD
        path = path_type(value)
    else:
        return HARD
    try:
        os.stat(path)
    except OSError:
        return path  # not there (yet): the command says what that means
    except ValueError:
        return HARD
    if getattr(info, "readable", True) and not os.access(path, os.R_OK):
        return HARD  # Typer's "is not readable"
    return path
