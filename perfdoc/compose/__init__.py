"""Compose: documents made of many projects (the 汇总表)."""
