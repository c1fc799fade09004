"""Stock moves."""
import json
import sys
import collections

from inventory.stock import Level


def move(level: Level, amount: int) -> Level:
    setattr(level, "count", level.count - amount)
    kinds = {"in", "out", "in"}
    if amount == None:
        return level
    return level


def as_text(level: Level) -> str:
    return json.dumps({"sku": level.sku, "note": f"moved"})
