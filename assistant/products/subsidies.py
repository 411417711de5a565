"""政策计算器: the subsidies a loan may earn, what each is worth, and the article it comes from.

Rules are data (``corpus/products/subsidies.yaml``). Where the loan's own figures are not known yet (the
actual valuation fee, guarantee fee or premium) the calculator states the assumption it used, so staff can
see why a figure is an estimate. Within an ``exclusive_group`` (市级与区级同类补贴就高不重复) only the larger
one is counted.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from assistant.products.rules import regions_of
from assistant.products.schema import Product
from assistant.profile.model import Profile


class Basis(BaseModel):
    doc_id: str
    title: str
    articles: list[str]


class SubsidyRule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    name: str
    kind: Literal["interest", "valuation", "guarantee", "premium", "risk"]  # risk: paid to the bank for a bad loan
    regions: list[str] = Field(default_factory=list)
    ratio: float = Field(gt=0, le=1)
    first_loan_ratio: float | None = None
    renewal_ratio: float | None = None
    rate_cap_lpr_multiple: float | None = None
    annual_cap: float | None = None
    per_loan_cap: float | None = None
    per_firm_cap: float | None = None
    loans_per_year: int | None = None  # loans a firm may claim for in a year (the best ones count)
    combined_cap_ratio: float | None = None  # several levels' compensation together, of the principal lost
    fee_rate_cap: float | None = None  # a fee above this rate: the business is not subsidised at all
    fee_rate_base_cap: float | None = None  # the fee counts up to this rate; the part above it is not counted
    premium_rate_cap: float | None = None
    min_term_months: int | None = None
    ip_pledge_only: bool = False
    exclusive_group: str | None = None
    basis: Basis
    # the article that decides a case the calculation meets, cited when it does: a mixed-guarantee loan counted by
    # its IP-secured part, a loss a guarantor shared counted by the bank's own part, a subsidy paid back on a refund
    case_articles: dict[Literal["mixed", "covered", "refund"], str] = Field(default_factory=dict)


class SubsidyBook(BaseModel):
    lpr_1y: float
    rules: list[SubsidyRule]


class SubsidyEstimate(BaseModel):
    id: str
    name: str
    amount: float  # 元, first year
    formula: str
    assumptions: list[str] = Field(default_factory=list)
    basis: Basis
    counted: bool = True  # False when a larger subsidy of the same group applies instead
    note: str | None = None


ASSUMED_VALUATION_FEE_RATE = 0.005  # of the appraised value, when the actual fee is not known
ASSUMED_VALUATION_FEE = 30000.0
ASSUMED_GUARANTEE_FEE_RATE = 0.01
ASSUMED_PREMIUM_RATE = 0.02


def load_book(corpus_dir: Path) -> SubsidyBook:
    """The rule book, read once per version of the file (a calculation question reads it on every ask)."""
    path = corpus_dir / "products" / "subsidies.yaml"
    return _book(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=4)
def _book(path: Path, _mtime: int) -> SubsidyBook:
    return SubsidyBook.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def _wan(x: float) -> str:
    return f"{x / 10000:.2f}".rstrip("0").rstrip(".") + "万元"


def estimate(book: SubsidyBook, product: Product, firm: Profile, *, first_loan: bool = False) -> list[SubsidyEstimate]:
    """First-year estimates for a loan of ``firm.need`` (or the product's minimum amount) under ``product``."""
    amount = firm.need.amount if firm.need and firm.need.amount else (product.amount.min or 0.0)
    term = firm.need.term_months if firm.need and firm.need.term_months else int(product.term_months.min or 12)
    rate = product.rate.max / 100
    months = min(term, 12)
    where = regions_of(firm.region or "")
    out: list[SubsidyEstimate] = []
    for rule in book.rules:
        if rule.id not in product.subsidies or rule.kind == "risk":
            continue
        if rule.regions and not (where & set(rule.regions)):
            continue
        if rule.ip_pledge_only and not product.accepted_ip:
            continue
        if rule.min_term_months and term < rule.min_term_months:
            continue
        assumptions = [f"贷款{_wan(amount)}、期限{term}个月，按产品利率上限{product.rate.max:g}%测算首年"]
        if rule.kind == "interest":
            counted_rate = min(rate, rule.rate_cap_lpr_multiple * book.lpr_1y) if rule.rate_cap_lpr_multiple else rate
            value = amount * counted_rate * months / 12 * rule.ratio
            formula = f"{_wan(amount)}×{counted_rate:.2%}×{months}/12×{rule.ratio:.0%}"
            if rule.rate_cap_lpr_multiple and counted_rate < rate:
                assumptions.append(f"计息利率按一年期LPR {book.lpr_1y:.1%}的{rule.rate_cap_lpr_multiple:g}倍封顶")
        elif rule.kind == "valuation":
            vals = [a.valuation for a in firm.ip_assets or [] if a.valuation]
            fee = sum(vals) * ASSUMED_VALUATION_FEE_RATE if vals else ASSUMED_VALUATION_FEE
            assumptions.append(f"评估费按{'评估值的0.5%' if vals else '3万元'}估算，以实际发票为准")
            value = fee * rule.ratio
            formula = f"评估费{_wan(fee)}×{rule.ratio:.0%}"
        elif rule.kind == "guarantee":
            fee_rate = min(ASSUMED_GUARANTEE_FEE_RATE, rule.fee_rate_cap or 1.0)
            ratio = rule.first_loan_ratio if first_loan and rule.first_loan_ratio else rule.ratio
            value = amount * fee_rate * months / 12 * ratio
            formula = f"{_wan(amount)}×担保费率{fee_rate:.1%}×{months}/12×{ratio:.0%}"
            assumptions.append(f"担保费率按{fee_rate:.1%}/年估算" + ("，首贷企业适用较高比例" if ratio != rule.ratio else ""))
        else:
            premium_rate = min(ASSUMED_PREMIUM_RATE, rule.premium_rate_cap or 1.0)
            value = amount * premium_rate * rule.ratio
            formula = f"{_wan(amount)}×保费率{premium_rate:.0%}×{rule.ratio:.0%}"
            assumptions.append(f"保费按贷款本金的{premium_rate:.0%}估算（首次投保）")
        cap = rule.annual_cap or rule.per_loan_cap
        if cap and value > cap:
            value, formula = cap, f"{formula}，超过上限按{_wan(cap)}"
        out.append(SubsidyEstimate(id=rule.id, name=rule.name, amount=round(value, 2), formula=formula, assumptions=assumptions, basis=rule.basis))
    best: dict[str, SubsidyEstimate] = {}
    for e in out:
        group = next(r.exclusive_group for r in book.rules if r.id == e.id)
        if group is None:
            continue
        if group not in best or e.amount > best[group].amount:
            best[group] = e
    for e in out:
        group = next(r.exclusive_group for r in book.rules if r.id == e.id)
        if group and best[group] is not e:
            e.counted, e.note = False, f"与{best[group].name}同类，就高不重复，不再计入"
    return out
