"""Figures the documents state about a product that its record now states differently: an FAQ entry or a launch
notice quoting the pledge ratio, ceiling, term or loan time a product had when it was announced. The record is the
current fact; the passage's figure is outdated. The citation check lists them after every build or product import,
and an answer that quotes such a sentence marks it and gives the record's figure.

A sentence is about a product when it names it (products/names.py), or when an earlier sentence of the same passage
did and this one names no other product or bank (“交通银行介绍了…方案。按照发布时的规定，质押率为…”).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.dialogue.numbers import to_number
from assistant.lexicon.banks import short_names
from assistant.lexicon.ip_types import ANY_IP, ip_type
from assistant.products.names import resolve
from assistant.products.schema import Product
from assistant.units import wan

# a bank by name (其他银行, 某某银行), not a generic one (合作银行, 商业银行, 各银行)
_OTHER_BANK = re.compile(r"(?<!合作)(?<!商业)(?<!各家)(?<!各)(?<!该)(?<!贷款)(?<!的)[\u4e00-\u9fff]{2}银行")
_SENTENCE = re.compile(r"[^。！？\n]+[。！？]?")
_RATIO = re.compile(rf"({ANY_IP})[^，、；。%]{{0,12}}?(\d+(?:\.\d+)?)\s*%")
_MAX_AMOUNT = re.compile(r"(?:单户|最高|最多|上限)[^，；。\d]{0,6}(\d+(?:\.\d+)?)\s*(万|亿)元?")
_MAX_TERM = re.compile(r"期限[^，；。\d]{0,6}(?:不超过|最长|最多)?\s*(\d+)\s*(年|个月)")
_DAYS = re.compile(r"(\d+)\s*个?工作日[^，；。]{0,4}(?:内)?(?:放款|放贷|到账)")


@dataclass(frozen=True)
class Claim:
    product: Product
    field: str  # pledge_ratio | amount | term | speed
    said: str  # the figure as the passage states it
    current: str  # the record's figure
    sentence: str


def _about(sentence: str, catalog: list[Product], before: list[Product]) -> list[Product]:
    """The products a sentence is about: the one it names; else, when it names one bank and no product, that bank's
    products (“以交通银行发布时的规定为例，发明专利不超过评估值的25%”); else those of the sentence before."""
    named = resolve(sentence, catalog)
    if len(named) == 1:
        return named
    if named:
        return []
    banks = {p.institution for p in catalog if any(n in sentence for n in short_names(p.institution))}
    if len(banks) == 1:
        return [p for p in catalog if p.institution in banks]
    if banks or _OTHER_BANK.search(sentence):
        return []  # several banks, or one the catalog does not hold: not the product before
    return before


def _ratio_claims(products: list[Product], s: str) -> list[Claim]:
    if "质押率" not in s and "评估值" not in s:
        return []
    out = []
    for m in _RATIO.finditer(s):
        kind = ip_type(m.group(1))
        value = to_number(m.group(2))
        # the product the figure is about: the one of them that takes this kind of IP
        takes = [p for p in products if kind in {str(t) for t in p.pledge_ratio}]
        if kind is None or value is None or len(takes) != 1:
            continue
        ratio = {str(t): r for t, r in takes[0].pledge_ratio.items()}[kind]
        if abs(value - ratio * 100) > 0.01:
            out.append(Claim(takes[0], "pledge_ratio", f"{kind}{m.group(2)}%", f"{kind}{ratio:.0%}", s))
    return out


def _figure_claims(p: Product, s: str) -> list[Claim]:
    out = []
    m = _MAX_AMOUNT.search(s)
    if m and p.amount.max and "额度" in s or m and "单户" in s:
        value = (to_number(m.group(1)) or 0) * (1e8 if m.group(2) == "亿" else 1e4)
        if p.amount.max and abs(value - p.amount.max) > 1:
            out.append(Claim(p, "amount", m.group(0), f"最高{wan(p.amount.max)}", s))
    m = _MAX_TERM.search(s)
    if m and p.term_months.max:
        months = int(m.group(1)) * (12 if m.group(2) == "年" else 1)
        if months != p.term_months.max:
            out.append(Claim(p, "term", m.group(0), f"最长{p.term_months.max:g}个月", s))
    m = _DAYS.search(s)
    if m and int(m.group(1)) != p.days_to_loan:
        out.append(Claim(p, "speed", m.group(0), f"{p.days_to_loan}个工作日", s))
    return out


def claims(text: str, catalog: list[Product]) -> list[Claim]:
    """The figures a passage states about products that their records state differently."""
    out: list[Claim] = []
    about: list[Product] = []
    if not any(n in text for p in catalog for n in (*short_names(p.institution), p.name)):
        return out  # names no bank and no product: nothing to compare (most passages)
    for m in _SENTENCE.finditer(text):
        s = m.group(0)
        about = _about(s, catalog, about)
        out += _ratio_claims(about, s)
        if len(about) == 1:
            out += _figure_claims(about[0], s)
    return out


def passage_claims(texts: list[str], catalog: list[Product]) -> list[list[Claim]]:
    """``claims`` for several passages."""
    return [claims(t, catalog) for t in texts]


def note(said: list[Claim]) -> str:
    """What an answer says beside the outdated figures of one product it quotes in one sentence."""
    p = said[0].product
    return f"（此为旧数字，已调整：{p.institution}「{p.name}」现登记为{'、'.join(dict.fromkeys(c.current for c in said))}）"
