"""perfdoc: project performance documents for Chinese budget offices, kept as TOML in git."""

__version__ = "0.1.0"
