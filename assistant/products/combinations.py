"""Combinations: when no single product lends the whole need, an IP-pledge loan plus a top-up loan that do.

A single product suffices when the matcher does not exclude the firm from it for its whole need (符合 or
需补充): that product already lends the amount, within its range and, for a pledge loan, within what the IP
supports. A 续贷 does not count: it renews a loan the firm already has and brings no new money. Otherwise each
combination pairs

- a product that lends against the firm's IP (``capacity.lends_against_ip``), lending what the IP supports there
  (its 可贷额度), less only where the other part's minimum requires it; and
- a 信用贷款, 担保贷款 or 保险增信贷款 that takes no IP (the IP is already pledged to the first part), lending the
  rest within its own amount range. Not a 续贷 (no new money), nor a 投贷联动, whose loan is sized by an
  investor's equity round alongside it, not by what the first part leaves.

Both parts come from the catalog and each is judged by the matcher on the amount assigned to it (its own verdict,
reasons and subsidy estimate for that amount); a part the matcher excludes the firm from is never proposed.
Two products of the same bank may be combined: the catalog sets each product's ceiling, not a bank's limit for one
firm, and one bank reviewing both loans under one credit line (统一授信) is common practice; the combination says so.

Ranking: both parts 符合 first, then the lower amount-weighted rate (the products' 低至 rates, as the matcher's
score), then fewer 需补充 parts, then more subsidy. When no pair covers the need, the best partial coverage (a pair
or a single product, the most money first) is shown with the shortfall.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field

from assistant.products.capacity import Capacity, asking, below, capacity, lends_against_ip
from assistant.products.matcher import (
    VERDICT_LABELS,
    Match,
    VerdictLabel,
    match_all,
    match_one,
    with_subsidies,
)
from assistant.products.schema import Product
from assistant.products.subsidies import SubsidyBook
from assistant.profile.model import Profile
from assistant.units import wan

__all__ = ["Combination", "Funding", "Part", "TOP_UP_CATEGORIES", "funding"]

TOP_UP_CATEGORIES = ("信用贷款", "担保贷款", "保险增信贷款")
RENEWAL = "续贷"
Role = Literal["知识产权质押", "补充贷款"]


class Part(BaseModel):
    role: Role = Field(description="知识产权质押：以知识产权质押的部分；补充贷款：信用、担保或保险增信贷款")
    product_id: str
    name: str
    institution: str
    category: str
    amount: float = Field(description="本部分贷款金额（元）")
    eligible: bool | None = Field(description="按本部分金额判断的结论：true 符合，null 需补充")
    verdict: VerdictLabel
    reasons: list[dict[str, str]] = Field(default_factory=list, description="匹配器逐条判断")
    missing: list[str] = Field(default_factory=list, description="需补充的信息")
    rate_min: float = Field(description="年化利率下限（%）")
    rate_text: str = Field(description="利率说明")
    subsidies: list[dict[str, Any]] = Field(default_factory=list, description="按本部分金额测算的首年补贴")
    subsidy_total: float = Field(default=0.0, description="本部分计入的首年补贴合计（元）")


class Combination(BaseModel):
    parts: list[Part] = Field(description="组合中的产品：知识产权质押在前")
    total: float = Field(description="合计贷款金额（元）")
    covers: bool = Field(description="是否覆盖全部融资需求")
    shortfall: float = Field(default=0.0, description="未覆盖的缺口（元）")
    rate: float = Field(description="按金额加权的年化利率下限（%）")
    subsidy_total: float = Field(description="首年补贴合计（元）；同一补贴两笔合并计算，不超过其每年上限")
    same_bank: bool = Field(default=False, description="两部分是否在同一家银行办理")
    summary: str = Field(description="一句话说明（中文）")


class Funding(BaseModel):
    need: float | None = Field(default=None, description="融资需求（元）")
    capacity: Capacity
    single_covers: bool = Field(description="是否有单个产品可覆盖全部需求")
    combinations: list[Combination] = Field(default_factory=list)
    partial: Combination | None = None
    note: str | None = None


_RANK = {True: 0, None: 1}


class _Judge:
    """The matcher's verdict for (product, amount), each asked once: a combination search asks for many."""

    def __init__(self, firm: Profile, products: list[Product], book: SubsidyBook | None, today: dt.date) -> None:
        self.firm, self.products, self.book, self.today = firm, products, book, today
        self._seen: dict[tuple[str, float], Match] = {}

    def __call__(self, p: Product, amount: float) -> Match:
        key = (p.id, amount)
        if key not in self._seen:
            self._seen[key] = match_one(p, asking(self.firm, amount), self.today)
        return self._seen[key]

    def part(self, role: Role, p: Product, amount: float) -> Part:
        m = self(p, amount)
        if self.book is not None:  # the subsidy estimate for this part's own amount
            with_subsidies([m], self.products, asking(self.firm, amount), self.book)
        else:
            m.subsidies = []
        return Part(role=role, product_id=p.id, name=p.name, institution=p.institution, category=p.category, amount=amount,
                    eligible=m.eligible, verdict=VERDICT_LABELS[m.eligible], reasons=m.reasons, missing=m.missing,
                    rate_min=p.rate.min, rate_text=p.rate.text, subsidies=m.subsidies,
                    subsidy_total=round(sum(s.get("amount", 0.0) for s in m.subsidies if s.get("counted", True)), 2))


def _subsidy_total(parts: list[Part], book: SubsidyBook | None) -> float:
    """Each part's counted subsidies; a rule both parts earn is capped once for the firm's year (its annual or
    per-firm cap, as the calculator counts several loans together)."""
    caps = {r.id: r.annual_cap or r.per_firm_cap for r in book.rules} if book else {}
    by_rule: dict[str, float] = {}
    for part in parts:
        for s in part.subsidies:
            if s.get("counted", True):
                by_rule[s["id"]] = by_rule.get(s["id"], 0.0) + float(s.get("amount", 0.0))
    return round(sum(min(v, caps.get(k) or v) for k, v in by_rule.items()), 2)


def _combination(parts: list[Part], need: float, book: SubsidyBook | None) -> Combination:
    total = sum(p.amount for p in parts)
    covers = total >= need - 0.01
    shortfall = 0.0 if covers else round(need - total, 2)
    same_bank = len(parts) == 2 and parts[0].institution == parts[1].institution
    described = "＋".join(f"{p.institution}「{p.name}」{wan(p.amount)}（{p.verdict}）" for p in parts)
    summary = described + (f"，两笔均在{parts[0].institution}办理，由该行统一授信审批" if same_bank else "")
    if not covers:
        summary += f"，合计{wan(total)}，缺口{wan(shortfall)}"
    return Combination(parts=parts, total=round(total, 2), covers=covers, shortfall=shortfall,
                       rate=round(sum(p.amount * p.rate_min for p in parts) / total, 4) if total else 0.0,
                       subsidy_total=_subsidy_total(parts, book), same_bank=same_bank, summary=summary)


def _rank(c: Combination) -> tuple[Any, ...]:
    return (any(p.eligible is not True for p in c.parts), c.rate, sum(p.eligible is None for p in c.parts), -c.subsidy_total,
            [p.product_id for p in c.parts])


def _split(p: Product, lendable: float, top: Product, need: float) -> tuple[float, float] | None:
    """The pledge part's and the top-up's amounts covering ``need``: the pledge lends what the IP supports, the
    top-up the rest; a rest below the top-up's minimum is raised to it, the pledge lending that much less. None
    when the top-up's range cannot take the rest."""
    first = below(min(lendable, need))
    lo, hi = top.amount.min or 0.0, top.amount.max
    if need - first < lo:
        first = need - lo
        if first <= 0 or first < (p.amount.min or 0.0):
            return None
    rest = need - first
    if hi is not None and rest > hi:
        return None
    return first, rest


def funding(products: list[Product], firm: Profile, book: SubsidyBook | None = None, *, matches: list[Match] | None = None,
            limit: int = 3, today: dt.date | None = None) -> Funding:
    """The firm's 可贷额度 and, when its need exceeds every single product, the combinations that cover it (at most
    ``limit``), or the best partial coverage. ``matches``: the firm's matches for its whole need, if already made."""
    day = today or dt.date.today()
    cap = capacity(products, firm, day)
    need = firm.need.amount if firm.need else None
    ranked = matches if matches is not None else match_all(products, firm, day)
    single = any(m.eligible is not False and m.category != RENEWAL for m in ranked)
    if need is None or single:
        return Funding(need=need, capacity=cap, single_covers=single)

    judge = _Judge(firm, products, book, day)
    by_id = {p.id: p for p in products}
    pledges = [(by_id[c.product_id], c.amount) for c in cap.products if c.eligible is not False and c.amount > 0]
    tops = [p for p in products if p.category in TOP_UP_CATEGORIES and not p.accepted_ip and not lends_against_ip(p)]

    covering: list[Combination] = []
    partial: list[Combination] = []
    for p, lendable in pledges:
        for top in tops:
            split = _split(p, lendable, top, need)
            if split is not None:
                first, rest = split
                if judge(p, first).eligible is not False and judge(top, rest).eligible is not False:
                    covering.append(_combination([judge.part("知识产权质押", p, first), judge.part("补充贷款", top, rest)], need, book))
            elif top.amount.max is not None and top.amount.max < need - lendable:  # the top-up's whole range, still short
                rest = top.amount.max
                if judge(p, lendable).eligible is not False and judge(top, rest).eligible is not False:
                    partial.append(_combination([judge.part("知识产权质押", p, lendable), judge.part("补充贷款", top, rest)], need, book))
    if covering:
        covering.sort(key=_rank)
        return Funding(need=need, capacity=cap, single_covers=False, combinations=covering[: max(limit, 0)],
                       note=f"需求{wan(need)}超过任一单个产品可贷的额度，可由知识产权质押贷款加一笔信用、担保或保险增信贷款组合覆盖。")

    # No pair covers: the most any pair or single part lends (a pledge up to its 可贷额度, a top-up up to its ceiling).
    for p, lendable in pledges:
        partial.append(_combination([judge.part("知识产权质押", p, lendable)], need, book))
    for top in tops:
        if top.amount.max is not None and top.amount.max < need and judge(top, top.amount.max).eligible is not False:
            partial.append(_combination([judge.part("补充贷款", top, top.amount.max)], need, book))
    best = min(partial, key=lambda c: (-c.total, *_rank(c)), default=None)
    if best is None:
        note = f"根据目前信息，没有可以组合的知识产权质押贷款或信用、担保、保险增信贷款，无法为需求{wan(need)}给出组合方案。"
    else:
        note = (f"需求{wan(need)}超过任一单个产品可贷的额度，产品库中也没有能覆盖全部需求的组合；"
                f"最多可覆盖{wan(best.total)}，缺口{wan(best.shortfall)}。")
    if not any(a.valuation for a in firm.ip_assets or []):
        note += "补充拟质押知识产权的评估值后，可测算质押可贷额度与组合方案。"
    return Funding(need=need, capacity=cap, single_covers=False, partial=best, note=note)
