"""The rules, one module per family; importing this package registers them all."""

from . import (  # noqa: F401
    basis, calculation, dates, deviation, evaluation, funding, indicators, names, requirements, text, units,
)
