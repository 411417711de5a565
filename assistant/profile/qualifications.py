"""The one vocabulary of enterprise qualifications (资质): the canonical names that profiles, products and the UI
use, and the common ways people write them (高企, 科小, 小巨人 …).

Plain data and functions, no imports beyond the standard library: the profile model, the product schema, the
dialogue slot extractor and the web UI all read it, so it must stay cheap and free of dependencies.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import resources
from types import MappingProxyType

__all__ = ["ALIASES", "CANONICAL", "IMPLIES", "accepted_text", "held", "is_known", "labels", "normalise", "normalise_all",
           "spellings", "unknown_message"]

CANONICAL: tuple[str, ...] = ("科技型中小企业", "高新技术企业", "专精特新", "专精特新小巨人", "瞪羚企业", "秦创原入驻企业")

# alias → canonical name. Quotes and spaces are dropped before lookup, so 专精特新“小巨人” needs no entry of its own.
ALIASES: Mapping[str, str] = MappingProxyType({
    "科小": "科技型中小企业", "科技型企业": "科技型中小企业", "科技型中小": "科技型中小企业", "入库科技型中小企业": "科技型中小企业",
    "高企": "高新技术企业", "国高": "高新技术企业", "国家高新": "高新技术企业", "国家高新技术企业": "高新技术企业",
    "高新企业": "高新技术企业", "高新技术": "高新技术企业",
    "专精特新企业": "专精特新", "专精特新中小企业": "专精特新", "省级专精特新": "专精特新", "省专精特新": "专精特新",
    "小巨人": "专精特新小巨人", "小巨人企业": "专精特新小巨人", "专精特新小巨人企业": "专精特新小巨人",
    "国家级小巨人": "专精特新小巨人",
    "瞪羚": "瞪羚企业",
    "秦创原入驻": "秦创原入驻企业", "入驻秦创原": "秦创原入驻企业", "秦创原企业": "秦创原入驻企业",
})

# A qualification that includes another: a national 专精特新“小巨人” is a 专精特新 firm (the title is given only to
# firms already recognised as 专精特新), so a rule asking for 专精特新 is met by it.
IMPLIES: Mapping[str, tuple[str, ...]] = MappingProxyType({"专精特新小巨人": ("专精特新",)})

_DROP = str.maketrans("", "", " \u3000\t“”\"'‘’「」")


@lru_cache(maxsize=1)
def labels() -> tuple[str, ...]:
    """Every qualification a question may name: the labels policies and products use as eligibility conditions
    (resources/qualifications.txt: 首贷企业, 瞪羚企业 … which a profile does not record), then the canonical names.
    The answer engine asks of each whether a document defines it."""
    text = resources.files("assistant.resources").joinpath("qualifications.txt").read_text(encoding="utf-8")
    listed = [t.strip() for t in text.splitlines() if t.strip() and not t.startswith("#")]
    return tuple(dict.fromkeys([*listed, *CANONICAL]))


def normalise(name: str) -> str | None:
    """The canonical name for ``name`` (itself or an alias), or None when it is not a qualification we know."""
    key = name.translate(_DROP)
    if key in CANONICAL:
        return key
    if key not in ALIASES and key.startswith("国家级") and len(key) > 3:
        return normalise(key[3:])  # “国家级” qualifies the title, it is not part of its name
    return ALIASES.get(key)


def spellings(canonical: str) -> tuple[str, ...]:
    """The canonical name and its aliases, longest first (for building a pattern that finds them in free text)."""
    return tuple(sorted({canonical, *(a for a, c in ALIASES.items() if c == canonical)}, key=len, reverse=True))


def mentioned(text: str) -> list[str]:
    """The qualifications a text names, canonical, in order of first mention (longest spelling wins)."""
    key = text.translate(_DROP)
    found: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []
    for spelling, canonical in sorted(((a, c) for c in CANONICAL for a in spellings(c)), key=lambda x: -len(x[0])):
        for m in re.finditer(re.escape(spelling), key):
            if not any(a < m.end() and m.start() < b for a, b in taken):
                taken.append((m.start(), m.end()))
                found.append((m.start(), canonical))
    out: list[str] = []
    for _, name in sorted(found):
        if name not in out:
            out.append(name)
    return out


def held(names: Iterable[str]) -> set[str]:
    """The qualifications a firm holding ``names`` has, those they include counted too."""
    out = set(names)
    for name in list(out):
        out.update(IMPLIES.get(name, ()))
    return out


def is_known(name: str) -> bool:
    return normalise(name) is not None


def normalise_all(names: Iterable[str]) -> tuple[list[str], list[str]]:
    """(canonical names in first-seen order without repeats, names not recognised)."""
    known: list[str] = []
    unknown: list[str] = []
    for name in names:
        canonical = normalise(name)
        if canonical is None:
            unknown.append(name.strip())
        elif canonical not in known:
            known.append(canonical)
    return known, unknown


def accepted_text() -> str:
    """The accepted names and a few aliases, for messages."""
    return "、".join(CANONICAL) + "（也可写简称，如高企、科小、小巨人）"


def unknown_message(names: Iterable[str]) -> str:
    """Chinese reason for refusing unknown qualifications, listing what is accepted."""
    listed = "、".join(f"“{n}”" for n in names)
    return f"{listed}不是可识别的资质，可填写：{accepted_text()}"
