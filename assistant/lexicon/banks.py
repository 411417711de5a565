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


# the kind of bank a place's name heads (北京银行, 长安村镇银行); not the place's banking sector, banks or cards (北京银行业,
# 西安银行机构, 西安银行卡, 西安银行多不多), nor its bank loans (西安银行贷款贴息: the city's subsidy)
_AFTER_PLACE = re.compile(r"(农村商业银行|农商银行|农商行|村镇银行|农村信用社|农信社|银行)(?!业|间|贷款|机构|网点|卡|保险|账户|多|少)")
_RURAL = ("农", "村")  # rural banks are named after counties and districts too
_MUNICIPALITIES = frozenset({"北京", "上海", "天津", "重庆"})  # provinces by level that head a 银行 (北京银行)
# the names a rural bank goes by (鄠邑农商银行 is 鄠邑农商行 and 鄠邑农村商业银行)
_RURAL_FORMS = (("农村商业银行", "农商银行", "农商行"), ("农村信用社", "农信社"))


def place_bank(level: str, said: str, rest: str) -> str | None:
    """The bank a place's name heads, when ``rest`` (the text right after the place, said as ``said``) starts with a
    kind of bank: a city, district or municipality said without its suffix heads a 银行 (西安银行, 上海银行; 西安市银行
    is the city's banks), any place a rural bank (鄠邑农商银行). A zone heads no 银行 (西咸新区银行 is the zone's
    banks), nor a province (陕西银行 is the province's banks; the province-named banks people name are listed)."""
    m = _AFTER_PLACE.match(rest)
    if m is None:
        return None
    if m.group(1).startswith(_RURAL):
        return m.group(1)
    if level in ("city", "district", "province") and not said.endswith(("市", "区", "县", "省")) and (
            level != "province" or said in _MUNICIPALITIES):
        return m.group(1)
    return None


def _forms(said: str) -> tuple[str, ...]:
    """Every name of a bank named after a place: a rural bank by each form of its kind."""
    for forms in _RURAL_FORMS:
        kind = next((f for f in forms if said.endswith(f)), None)
        if kind:
            return tuple(dict.fromkeys([said, *(said[: -len(kind)] + f for f in forms)]))
    return (said,)


@lru_cache(maxsize=1)
def listed_pattern() -> re.Pattern[str] | None:
    """A pattern matching any name of a listed bank (None when none is listed)."""
    return re.compile(alternation(_listed())) if _listed() else None


def listed_at(start: int, end: int, words: set[int]) -> bool:
    """A listed name found at [start, end) of a text is the bank's: a short one (工行, 央行) must start and end on jieba's word
    boundaries (``words``, the offsets where a word starts), not sit inside 加工行业 or 中央行政."""
    return end - start > 3 or (start in words and end in words)


@dataclass(frozen=True)
class NamedBank:
    said: str  # as the text names it (招行)
    names: tuple[str, ...]  # every name it goes by (招商银行, 招行); a bank named after a place by that name only
    start: int = 0  # where the text names it


def named_banks(text: str) -> list[NamedBank]:
    """The banks ``text`` names by their own name, in order: a listed bank by any of its names, a bank named after a
    place; a bank named by its role (合作银行, 放款银行, 商业银行) is none."""
    from assistant.lexicon.places import gazetteer, word_starts

    listed = listed_pattern()
    by_name = {n: short_names(i) for i in _listed() for n in short_names(i)}
    words = word_starts(text)
    found = [(m.start(), NamedBank(m.group(0), by_name[m.group(0)], m.start())) for m in (listed.finditer(text) if listed else [])
             if listed_at(m.start(), m.end(), words)]
    found += [(start, NamedBank(name, _forms(name), start)) for start, name in gazetteer().banks(text)]
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
