"""Audits."""
from inventory.stock import Level


def audit(levels: list[Level], kind: str) -> int:
    total = 0
    for level in levels:
        if not level.count in (0, 1):
            total += level.count
    if kind is "full":
        unused = total
    return getattr(levels[0], "count") + total
