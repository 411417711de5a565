"""Product and programme names (秦知贷, 秦科保, 知惠贷): the domain dictionary's ``nz`` entries, loaded once."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def named_entities() -> frozenset[str]:
    """Product and programme names, lowercased."""
    text = resources.files("assistant.resources").joinpath("domain_dict.txt").read_text(encoding="utf-8")
    return frozenset(p[0].lower() for p in (line.split() for line in text.splitlines()) if len(p) == 3 and p[2] == "nz")
