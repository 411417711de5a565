"""可贷额度: what a firm's IP supports across the IP-pledge products of the catalog, and how it was computed.

For each product that lends against IP (it lists pledge ratios), the IP supports Σ valuation × that product's
ratio over the firm's valued, valid, unpledged items of the types it accepts (``rules.pledge_capacity``, the one
owner of that sum), never more than the product's own ceiling. The firm's 可贷额度 is the best of these figures
among the products the matcher does not exclude it from when it asks for exactly that much: a product in another
region, or one whose minimum the IP cannot reach, lends it nothing.
"""

from __future__ import annotations

import datetime as dt
import math

from pydantic import BaseModel, Field

from assistant.products.matcher import VERDICT_LABELS, VerdictLabel, match_one
from assistant.products.rules import pledge_capacity, pledge_terms
from assistant.products.schema import Product
from assistant.profile.model import Need, Profile
from assistant.units import wan

__all__ = ["Capacity", "PledgeTerm", "ProductCapacity", "asking", "capacity", "lends_against_ip"]


class PledgeTerm(BaseModel):
    type: str = Field(description="知识产权类型")
    item: str | None = Field(default=None, description="名称或号码")
    valuation: float = Field(description="评估值（元）")
    ratio: float = Field(description="该产品对此类知识产权的质押率（0–1）")
    amount: float = Field(description="评估值×质押率（元）")


class ProductCapacity(BaseModel):
    product_id: str
    name: str
    institution: str
    category: str
    amount: float = Field(description="本产品可贷额度（元）：按质押率测算额与产品额度上限取小")
    pledged: float = Field(description="按质押率测算额（元）：Σ评估值×质押率")
    amount_max: float | None = Field(default=None, description="产品额度上限（元）")
    eligible: bool | None = Field(description="按本额度申请时的结论：true 符合，null 需补充，false 不符合")
    verdict: VerdictLabel
    terms: list[PledgeTerm] = Field(default_factory=list, description="逐件的评估值与质押率")
    formula: str = Field(description="算式（中文）")


class Capacity(BaseModel):
    amount: float | None = Field(default=None, description="可贷额度（元）：企业知识产权按质押率最多可支持的贷款，取企业可申请的质押产品中最高者；无法测算时为空")
    product_id: str | None = Field(default=None, description="给出该额度的产品编号")
    product: str | None = Field(default=None, description="给出该额度的产品（银行「产品名」）")
    basis: str = Field(description="测算依据（中文）")
    products: list[ProductCapacity] = Field(default_factory=list, description="各知识产权质押产品的可贷额度，从高到低")


def lends_against_ip(p: Product) -> bool:
    """Lends on the pledge of the firm's IP: the product states pledge ratios (an IP-pledge loan, or an insured loan
    that also takes the IP as collateral)."""
    return bool(p.pledge_ratio)


def asking(firm: Profile, amount: float) -> Profile:
    """The firm asking for ``amount`` instead of its stated need (term and purpose kept): how a product is judged
    for the share of a loan assigned to it."""
    need = (firm.need or Need()).model_copy(update={"amount": amount})
    return firm.model_copy(update={"need": need})


def below(x: float) -> float:
    """``x`` to the fen, never above it: an amount the rules compare with ``x`` (amount ≤ capacity) must not be
    pushed over it by rounding."""
    r = round(x, 2)
    return r if r <= x else x


def _formula(terms: list[tuple[str, float, float]], pledged: float, amount: float, ceiling: float | None) -> str:
    """“发明专利评估值600万元×50%＋商标评估值100万元×40%＝340万元”, per type (the ratio is per type), then the ceiling."""
    by_type: dict[tuple[str, float], float] = {}
    for kind, valuation, ratio in terms:
        if ratio > 0:
            by_type[(kind, ratio)] = by_type.get((kind, ratio), 0.0) + valuation
    text = "＋".join(f"{kind}评估值{wan(v)}×{ratio:.0%}" for (kind, ratio), v in by_type.items()) or "可质押知识产权按本产品质押率计为0"
    text += f"＝{wan(pledged)}"
    if ceiling is not None and pledged > ceiling:
        return f"{text}，超过产品额度上限，按{wan(amount)}"
    return text


def product_capacity(p: Product, firm: Profile, today: dt.date) -> ProductCapacity | None:
    """What ``p`` can lend against the firm's IP and the matcher's verdict on a loan of that much; None when the
    product does not lend against IP or no item it accepts has a valuation."""
    pledged = pledge_capacity(p, firm, today) if lends_against_ip(p) else None
    if pledged is None:
        return None
    amount = below(min(pledged, p.amount.max if p.amount.max is not None else math.inf))
    terms = [PledgeTerm(type=a.type, item=a.title or a.number, valuation=a.valuation or 0.0, ratio=r, amount=(a.valuation or 0.0) * r)
             for a, r in pledge_terms(p, firm, today)]
    # Nothing to lend is no loan: judged at the product's minimum, where the amount rule says why.
    m = match_one(p, asking(firm, amount if amount > 0 else (p.amount.min or 1.0)), today)
    return ProductCapacity(
        product_id=p.id, name=p.name, institution=p.institution, category=p.category, amount=amount, pledged=pledged,
        amount_max=p.amount.max, eligible=m.eligible, verdict=VERDICT_LABELS[m.eligible], terms=terms,
        formula=_formula([(t.type, t.valuation, t.ratio) for t in terms], pledged, amount, p.amount.max),
    )


def capacity(products: list[Product], firm: Profile, today: dt.date | None = None) -> Capacity:
    """The firm's 可贷额度 over the catalog's IP-pledge products, with the computation behind it."""
    day = today or dt.date.today()
    each = [c for p in products if (c := product_capacity(p, firm, day)) is not None]
    # the most money first; between equal figures the one the firm qualifies for, then the cheaper product
    rate = {p.id: p.rate.min for p in products}
    each.sort(key=lambda c: (-c.amount, {True: 0, None: 1, False: 2}[c.eligible], rate[c.product_id], c.product_id))
    usable = [c for c in each if c.eligible is not False]
    if usable:
        best = usable[0]
        return Capacity(amount=best.amount, product_id=best.product_id, product=f"{best.institution}「{best.name}」", products=each,
                        basis=f"按{best.institution}「{best.name}」的质押率测算：{best.formula}")
    if each:  # the IP is valued, but every product taking it excludes the firm on other grounds
        top = each[0]
        return Capacity(products=each, basis=f"按质押率测算最高约{wan(top.amount)}（{top.institution}「{top.name}」），"
                                             "但企业暂不符合各知识产权质押产品的其他条件，暂无可贷额度")
    if any(a.valuation for a in firm.ip_assets or []):
        return Capacity(basis="已评估的知识产权均不可质押（已失效、已质押、权属不是本企业，或产品不接受该类型）")
    return Capacity(basis="未提供知识产权评估值，无法按质押率测算可贷额度")
