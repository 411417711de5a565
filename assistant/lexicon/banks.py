"""Banks by the names people use for them (建行, 中行, 秦农, 交行), derived from the institutions in the product
catalog: the common abbreviation rules of Chinese bank names, plus the banks people name and the names no rule gives
(resources/bank_names.tsv); and banks named after a place (北京银行, 鄠邑农商银行), known by their form. Which of them the
service center covers is the catalog's and the corpus's to say, not this module's. The dialogue and the answer engine
read banks only through here."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def _listed() -> dict[str, tuple[str, ...]]:
    text = resources.files("assistant.resources").joinpath("bank_names.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return {row[0]: tuple(filter(None, (row[1] if len(row) > 1 else "").split(","))) for row in rows}


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


# the kind of bank a place's name heads (北京银行, 长安村镇银行); 北京银行业 is the city's banking sector
_AFTER_PLACE = re.compile(r"(农村商业银行|农商银行|农商行|村镇银行|农村信用社|农信社|银行)(?!业)")
_RURAL = ("农", "村")  # rural banks are named after counties and districts too


def place_bank(level: str, name: str, rest: str) -> str | None:
    """The bank a place's name heads, when ``rest`` (the text right after the place) starts with a kind of bank: a city,
    district or municipality heads a 银行 (西安银行, 上海银行), any place a rural bank (鄠邑农商银行). A zone heads no
    银行 (西咸新区银行 is the zone's banks), nor a province (陕西银行 is the province's banks; the province-named banks
    people name are listed)."""
    m = _AFTER_PLACE.match(rest)
    if m is None:
        return None
    if m.group(1).startswith(_RURAL) or level in ("city", "district") or (level == "province" and name.endswith("市")):
        return m.group(1)
    return None


@lru_cache(maxsize=1)
def listed_pattern() -> re.Pattern[str] | None:
    """A pattern matching any name of a listed bank (None when none is listed)."""
    return re.compile(alternation(_listed())) if _listed() else None


@dataclass(frozen=True)
class NamedBank:
    said: str  # as the text names it (招行)
    names: tuple[str, ...]  # every name it goes by (招商银行, 招行); a bank named after a place by that name only


def named_banks(text: str) -> list[NamedBank]:
    """The banks ``text`` names by their own name, in order: a listed bank by any of its names, a bank named after a
    place; a bank named by its role (合作银行, 放款银行, 商业银行) is none."""
    from assistant.lexicon.places import gazetteer

    listed = listed_pattern()
    by_name = {n: short_names(i) for i in _listed() for n in short_names(i)}
    found = [(m.start(), NamedBank(m.group(0), by_name[m.group(0)])) for m in listed.finditer(text)] if listed is not None else []
    found += [(start, NamedBank(name, (name,))) for start, name in gazetteer().banks(text)]
    taken: list[tuple[int, int]] = []
    out = []
    for start, bank in sorted(found, key=lambda x: (x[0], -len(x[1].said))):
        if not any(a <= start < b for a, b in taken):
            taken.append((start, start + len(bank.said)))
            out.append(bank)
    return out


def banks_named(text: str, institutions: Iterable[str]) -> list[str]:
    """The institutions (full names) that ``text`` names by any of their names, in catalog order."""
    return [i for i in dict.fromkeys(institutions) if any(n in text for n in short_names(i))]


def alternation(institutions: Iterable[str]) -> str:
    """A regular-expression alternation of every name of these banks, longest first."""
    names = sorted({n for i in institutions for n in short_names(i)}, key=lambda n: (-len(n), n))
    return "|".join(re.escape(n) for n in names)
