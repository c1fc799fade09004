"""Checks on stock records."""
import os
import re

from inventory.stock import Level


def known(level: Level, skus: list[str]) -> bool:
    if not level.sku in skus:
        return False
    return not level.count is None


def label(level: Level) -> str:
    if level.sku is "spare":
        return f"spare part"
    return getattr(level, "sku")
