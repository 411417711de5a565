"""Which two IP items are the same asset: the one identity rule for merging stored profiles and a conversation's
items."""

from __future__ import annotations

import re
from typing import Any


def _asset_number(asset: dict[str, Any]) -> str | None:
    number = asset.get("number")
    return re.sub(r"\s", "", str(number)).upper().removeprefix("ZL").removeprefix("CN") if number else None


def same_asset(stored: dict[str, Any], given: dict[str, Any]) -> bool:
    """One IP asset is identified by (type, number); without a number on one side, by (type, title)."""
    if stored.get("type") != given.get("type"):
        return False
    a, b = _asset_number(stored), _asset_number(given)
    if a and b:
        return a == b
    if stored.get("title") and given.get("title"):
        return bool(stored["title"] == given["title"])
    # neither side identifies it: only the very same asset is the same (a resend must not duplicate it)
    return not a and not b and all(stored.get(k) == v for k, v in given.items())
