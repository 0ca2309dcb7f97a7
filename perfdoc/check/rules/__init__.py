"""The rules, one module per family; importing this package registers them all."""

from . import dates, evaluation, funding, indicators, text, units  # noqa: F401
