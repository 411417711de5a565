"""Match a firm to every product: eligibility from the rules, a 匹配度 score of the firm's fit, what is missing.

A product is eligible (True) when no rule fails and no deciding rule is unknown; None (需补充) when a deciding
rule lacks data; False when any rule fails. Ranking: eligible first, then 需补充, then the rest, each by score.

The score (匹配度, 0–100) says how well this firm fits this product. Its band is set by the verdict and the bands
do not overlap, so a score never contradicts the ranking: 符合 60–100, 需补充 30–59.9, 不符合 0–29.9.
Within its band a pair moves by its fit, four parts each 0–1, weighted (of 100):

- need 40 (需求契合): the amount within the product's range (0.4), within what the firm's IP supports (0.3:
  ``pledge_capacity`` covering the need twice or more = full, just once = half; half too when it cannot be
  measured — no valuation, or a product that does not lend against IP — so pledge and credit products compete
  on equal terms), the term within the product's range (0.3). An unstated amount or term fits nothing yet: 0.
- headroom 5 (条件余量): how far the firm clears each condition the product sets: debt ratio under the cap (40
  points below = full), revenue above the floor (5× = full), years since founding past the minimum (5 years more
  = full), IP items beyond the requirement (twice = full), pledged IP outliving the loan and the product's
  minimum remaining term (5 years spare = full; scored only where expiry dates are given, as the rule itself).
  Size ceilings (revenue cap, head count) are limits, not strength, and are not scored.
- data 0 (资料完整): the share of the product's checks whose data is known (deciding checks count double); kept as a
  part for the notes, weighted 0 (it did not help the fitted ranking).
- product 55 (产品条件): the product's terms — rate 25, speed 20, subsidies 15 (of 60).

Unknown data counts 0 on a deciding condition (the verdict is already 需补充; this orders within the band) and
half on the non-deciding IP valuation, for which the verdict does not wait. ``score_parts`` holds
the points of each part, scaled to the band (they sum to the score, with the band's floor as ``base``), and
``score_notes`` a Chinese sentence for each.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import asdict, dataclass, field
from typing import Literal

from dateutil.relativedelta import relativedelta

from assistant.products.rules import RuleResult, evaluate, ip_count, pledge_capacity, usable_ip
from assistant.products.schema import Product
from assistant.products.subsidies import SubsidyBook, estimate
from assistant.profile.model import Profile
from assistant.units import wan

BANDS: dict[bool | None, tuple[float, float]] = {True: (60.0, 100.0), None: (30.0, 59.9), False: (0.0, 29.9)}
# Fitted on the 60 hand-labelled profiles (evals/profiles): an officer recommends, among the products a firm
# qualifies for, the one that fits its need on the best terms; how far the firm clears each condition barely moves
# that choice (top-choice agreement 0.53 with headroom 30, 0.90 with 5; each half of the set alike, see
# evals/reports/matcher.md). For one product (reverse matching) the product's terms are the same for every firm, so
# the firm's need, IP and finances decide the order.
WEIGHTS = {"need": 40.0, "headroom": 5.0, "data": 0.0, "product": 55.0}
PART_LABELS = {"base": "结论档", "need": "需求契合", "headroom": "条件余量", "data": "资料完整", "product": "产品条件"}
VerdictLabel = Literal["符合", "需补充", "不符合"]
VERDICT_LABELS: dict[bool | None, VerdictLabel] = {True: "符合", None: "需补充", False: "不符合"}
RATE_BEST, RATE_WORST = 2.5, 6.0
DAYS_BEST, DAYS_WORST = 5, 30
DEBT_SPAN = 0.40  # debt ratio this far under the cap = full headroom
REVENUE_FULL = 5.0  # revenue this many times the floor = full headroom
YEARS_SPAN = 5.0  # years past the minimum age, and spare years of IP life, for full headroom
UNKNOWN_SOFT = 0.5  # non-deciding data not given: the verdict does not wait for it, the score counts it half


@dataclass
class Match:
    product_id: str
    name: str
    institution: str
    category: str
    eligible: bool | None
    score: float
    score_parts: dict[str, float]  # points per part (base, need, headroom, data, product), summing to score
    score_notes: dict[str, str]  # a Chinese sentence per part
    reasons: list[dict[str, str]]
    missing: list[str]
    hints: list[str]
    indicative_amount: dict[str, float] | None
    subsidies: list[dict] = field(default_factory=list)  # filled by with_subsidies: id, name, amount, basis

    def to_dict(self) -> dict:
        return {**asdict(self), "verdict": VERDICT_LABELS[self.eligible]}  # the label beside the flag, for readers of the JSON


def _clip(x: float) -> float:
    return max(0.0, min(1.0, x))


def _avg(items: list[tuple[float, float]]) -> float:
    """Weighted mean of (weight, value) pairs; no items means nothing to clear: 1."""
    total = sum(w for w, _ in items)
    return sum(w * v for w, v in items) / total if total else 1.0


def _in(x: float, lo: float | None, hi: float | None) -> bool:
    return (lo is None or x >= lo) and (hi is None or x <= hi)


def _span(lo: float | None, hi: float | None, unit: str) -> str:
    """“50万元至1000万元”, “6个月至36个月”; an open end says 不限."""
    text = (lambda x: wan(x) if unit == "元" else f"{x:g}{unit}")  # noqa: E731
    return f"{'不限' if lo is None else text(lo)}至{'不限' if hi is None else text(hi)}"


def _need(p: Product, f: Profile, today: dt.date) -> tuple[float, str]:
    amount = f.need.amount if f.need else None
    term = f.need.term_months if f.need else None
    items: list[tuple[float, float]] = []
    notes: list[str] = []
    if amount is None:
        items.append((0.4, 0.0))
        notes.append("未提供融资金额")
    else:
        ok = _in(amount, p.amount.min, p.amount.max)
        items.append((0.4, float(ok)))
        notes.append(f"需求{wan(amount)}{'在' if ok else '不在'}产品额度{_span(p.amount.min, p.amount.max, '元')}内")
    cap = pledge_capacity(p, f, today) if amount is not None else None
    if amount is None:
        items.append((0.3, 0.0))
    elif not p.pledge_ratio:  # lends on other grounds: neutral, so pledge and credit products compete on equal terms
        items.append((0.3, UNKNOWN_SOFT))
        notes.append("本产品不按质押率核定额度")
    elif cap is None:
        items.append((0.3, UNKNOWN_SOFT))
        notes.append("未提供知识产权评估值，质押能力按刚好覆盖计")
    else:
        cover = cap / amount
        items.append((0.3, 0.0 if cover < 1 else _clip(0.5 + 0.5 * (cover - 1))))
        notes.append(f"按质押率测算可贷约{wan(round(cap))}，为需求的{cover:.1f}倍")
    if term is None:
        items.append((0.3, 0.0))
        notes.append("未提供融资期限")
    else:
        ok = _in(term, p.term_months.min, p.term_months.max)
        items.append((0.3, float(ok)))
        notes.append(f"期限{term}个月{'在' if ok else '不在'}产品{_span(p.term_months.min, p.term_months.max, '个月')}范围内")
    return _avg(items), "；".join(notes)


def _ip_term(p: Product, f: Profile, today: dt.date) -> tuple[float, str] | None:
    """Spare life of the pledgeable IP beyond what the loan and the product need; None where ``rule_ip_term`` does
    not apply either (no expiry dates given), so firms known only by IP counts are not marked down on it."""
    expiries = [a.expires for a in usable_ip(f, today) if a.type in p.accepted_ip and a.expires] if p.accepted_ip else []
    if not expiries:
        return None
    term = f.need.term_months if f.need and f.need.term_months else 0
    min_years = p.eligibility.min_ip_remaining_years or 0
    needed = max(today + relativedelta(months=term), today + relativedelta(months=round(min_years * 12)))
    latest = max(expiries)
    spare = (latest - needed).days / 365.25
    if spare <= 0:
        return 0.0, f"质押知识产权最晚{latest}到期，早于贷款与产品所需的{needed}"
    return _clip(spare / YEARS_SPAN), f"质押知识产权最晚{latest}到期，比贷款与产品所需多{spare:.1f}年"


def _headroom(p: Product, f: Profile, today: dt.date) -> tuple[float, str]:
    e = p.eligibility
    items: list[tuple[float, float]] = []
    notes: list[str] = []
    if e.max_debt_ratio is not None:
        if f.debt_ratio is None:
            items.append((1.0, 0.0))
            notes.append(f"资产负债率未知（上限{e.max_debt_ratio:.0%}）")
        else:
            items.append((1.0, _clip((e.max_debt_ratio - f.debt_ratio) / DEBT_SPAN)))
            notes.append(f"资产负债率{f.debt_ratio:.0%}，上限{e.max_debt_ratio:.0%}")
    floor = e.revenue.min if e.revenue else None
    if floor:
        if f.revenue is None:
            items.append((1.0, 0.0))
            notes.append(f"营业收入未知（门槛{wan(floor)}）")
        else:
            times = f.revenue / floor
            items.append((1.0, _clip(math.log(times) / math.log(REVENUE_FULL)) if times >= 1 else 0.0))
            notes.append(f"营业收入{wan(f.revenue)}，为门槛{wan(floor)}的{times:.1f}倍")
    if e.min_years:
        if f.founded is None:
            items.append((1.0, 0.0))
            notes.append(f"成立日期未知（要求满{e.min_years:g}年）")
        else:
            age = (today - f.founded).days / 365.25
            items.append((1.0, _clip((age - e.min_years) / YEARS_SPAN)))
            notes.append(f"成立{age:.1f}年，要求满{e.min_years:g}年")
    if e.ip_any:
        counted = [(ip_count(f, list(r.types), today), r) for r in e.ip_any]
        known = [(c, r) for c, r in counted if c is not None]
        if not known:
            items.append((1.0, 0.0))
            notes.append("知识产权数量未知")
        else:
            c, r = max(known, key=lambda x: (x[0] - x[1].count) / x[1].count)
            items.append((1.0, _clip((c - r.count) / r.count)))
            notes.append(f"有效{'/'.join(r.types)}{c}件，要求{r.count}件")
    term = _ip_term(p, f, today)
    if term is not None:
        items.append((1.0, term[0]))
        notes.append(term[1])
    return _avg(items), "；".join(notes) or "本产品没有需要达到的门槛"


def _data(results: list[RuleResult]) -> tuple[float, str]:
    items = [(2.0 if r.decisive else 1.0, float(r.status != "unknown")) for r in results]
    missing = list(dict.fromkeys(r.missing for r in results if r.status == "unknown" and r.missing))
    known = sum(1 for r in results if r.status != "unknown")
    note = f"{len(results)}项判断所需信息齐全" if known == len(results) else f"{len(results)}项判断中{known}项信息齐全，待补充：{'、'.join(missing) or '其余信息'}"
    return _avg(items), note


def _product_only(p: Product) -> tuple[float, str]:
    cost = _clip((RATE_WORST - p.rate.min) / (RATE_WORST - RATE_BEST))
    speed = _clip((DAYS_WORST - p.days_to_loan) / (DAYS_WORST - DAYS_BEST))
    subsidy = _clip(len(p.subsidies) / 3)
    note = f"年化利率低至{p.rate.min:g}%，一般{p.days_to_loan}个工作日放款，适用{len(p.subsidies)}项补贴"
    return (25 * cost + 20 * speed + 15 * subsidy) / 60, note


def _floor1(x: float) -> float:
    """Down to 0.1 (never up), so the parts of a band never add up past its ceiling."""
    return math.floor(x * 10 + 1e-6) / 10


def score(p: Product, f: Profile, results: list[RuleResult], eligible: bool | None,
          today: dt.date) -> tuple[float, dict[str, float], dict[str, str]]:
    """The 匹配度 (0–100), its parts in points (summing to it) and a Chinese note for each part."""
    fit = {"need": _need(p, f, today), "headroom": _headroom(p, f, today), "data": _data(results), "product": _product_only(p)}
    lo, hi = BANDS[eligible]
    parts = {"base": lo, **{k: _floor1((hi - lo) * WEIGHTS[k] / 100 * v) for k, (v, _) in fit.items()}}
    notes = {"base": f"结论为“{VERDICT_LABELS[eligible]}”，本档{lo:g}–{hi:g}分，档内按匹配度高低排序",
             **{k: note for k, (_, note) in fit.items()}}
    return round(sum(parts.values()), 1), parts, notes


def verdict(results: list[RuleResult]) -> bool | None:
    if any(r.status == "fail" for r in results):
        return False
    if any(r.status == "unknown" and r.decisive for r in results):
        return None
    return True


def indicative_amount(p: Product, f: Profile, today: dt.date) -> dict[str, float] | None:
    lo, hi = p.amount.min or 0.0, p.amount.max or 0.0
    cap = pledge_capacity(p, f, today) if f.ip_assets else None
    if cap is not None:
        hi = min(hi, cap)
        if hi < lo:
            return None
    return {"min": lo, "max": hi}


def match_one(p: Product, f: Profile, today: dt.date | None = None) -> Match:
    day = today or dt.date.today()
    results = evaluate(p, f, day)
    eligible = verdict(results)
    total, parts, notes = score(p, f, results, eligible, day)
    return Match(
        product_id=p.id, name=p.name, institution=p.institution, category=p.category,
        eligible=eligible, score=total, score_parts=parts, score_notes=notes,
        reasons=[{"rule": r.rule, "status": r.status, "message": r.message} for r in results],
        missing=list(dict.fromkeys(r.missing for r in results if r.status == "unknown" and r.missing)),
        hints=[r.hint for r in results if r.status == "fail" and r.hint],
        indicative_amount=indicative_amount(p, f, day), subsidies=[{"id": s} for s in p.subsidies],
    )


_ORDER = {True: 0, None: 1, False: 2}


def match_all(products: list[Product], f: Profile, today: dt.date | None = None) -> list[Match]:
    matches = [match_one(p, f, today) for p in products]
    return sorted(matches, key=lambda m: (_ORDER[m.eligible], -m.score, m.product_id))


def near_misses(matches: list[Match]) -> list[Match]:
    """Products that fail on exactly one rule that has a remedy: what would make the firm eligible."""
    return [m for m in matches if m.eligible is False and len([r for r in m.reasons if r["status"] == "fail"]) == 1 and m.hints]


def with_subsidies(matches: list[Match], products: list[Product], firm: Profile, book: SubsidyBook) -> list[Match]:
    """Attach the policy calculator's first-year estimate of each product's subsidies for this firm."""
    by_id = {p.id: p for p in products}
    for m in matches:
        m.subsidies = [
            {"id": e.id, "name": e.name, "amount": e.amount, "counted": e.counted, "basis": f"《{e.basis.title}》{'、'.join(e.basis.articles)}"}
            for e in estimate(book, by_id[m.product_id], firm)
        ]
    return matches
