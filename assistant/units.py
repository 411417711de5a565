"""Display of amounts in 万元, the unit lenders and policy texts use (1万元 = 10,000 元)."""

from __future__ import annotations


def wan(amount: float) -> str:
    """12_000_000 → “1200万元”; 105_000 → “10.5万元”."""
    return f"{amount / 10000:g}万元"
