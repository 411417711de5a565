"""Banks by the names people use for them (建行, 中行, 秦农, 交行), derived from the institutions in the product
catalog: the common abbreviation rules of Chinese bank names, plus the names no rule gives
(resources/bank_names.tsv). The dialogue and the answer engine read banks only through here."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def _listed() -> dict[str, tuple[str, ...]]:
    text = resources.files("assistant.resources").joinpath("bank_names.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return {row[0]: tuple(filter(None, row[1].split(","))) for row in rows if len(row) > 1}


@lru_cache(maxsize=256)
def short_names(institution: str) -> tuple[str, ...]:
    """The institution's own name and what people call it: 中国建设银行 → 建设银行, 建行; 中国银行 → 中行;
    秦农银行 → 秦农. A one-character-plus-行 short form only for 中国X银行 (建行), where usage fixes it: for
    other banks it would be guessed (长行) and collide with ordinary words (擅长行业). A bank listed in
    resources/bank_names.tsv has exactly the names listed there."""
    names = [institution]
    if institution in _listed():  # usage fixes these (交通银行 is 交行, never 交通)
        return (institution, *_listed()[institution])
    m = re.fullmatch(r"中国(.*)银行", institution)
    if m and m.group(1):
        names += [f"{m.group(1)}银行", f"{m.group(1)[0]}行"]
    elif m:
        names.append("中行")
    elif institution.endswith("银行") and len(institution) >= 4:
        names.append(institution[:-2])  # a regional bank by its own name (秦农, 长安)
    return tuple(dict.fromkeys(names))


def banks_named(text: str, institutions: Iterable[str]) -> list[str]:
    """The institutions (full names) that ``text`` names by any of their names, in catalog order."""
    return [i for i in dict.fromkeys(institutions) if any(n in text for n in short_names(i))]


def alternation(institutions: Iterable[str]) -> str:
    """A regular-expression alternation of every name of these banks, longest first."""
    names = sorted({n for i in institutions for n in short_names(i)}, key=lambda n: (-len(n), n))
    return "|".join(re.escape(n) for n in names)
