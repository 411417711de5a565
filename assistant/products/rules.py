"""Eligibility rules: one function per criterion of ``Eligibility`` plus the loan-level checks.

Each returns a ``RuleResult``: pass / fail / unknown, a Chinese message, whether it decides eligibility
(an unknown deciding rule makes the product “需补充”), the profile field to ask for, and for a failure a hint
of what would make the firm eligible (“再有1件有效发明专利即可申请”).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from dateutil.relativedelta import relativedelta

from assistant.lexicon.places import gazetteer
from assistant.products.schema import IPType, Product
from assistant.profile import qualifications as quals
from assistant.profile.model import IPAsset, Profile
from assistant.units import wan as _wan

Status = Literal["pass", "fail", "unknown"]

PLEDGEABLE_DEFAULT: tuple[IPType, ...] = ("发明专利", "实用新型", "商标", "软件著作权", "著作权")


@dataclass
class RuleResult:
    rule: str
    status: Status
    message: str
    decisive: bool = True
    missing: str | None = None
    hint: str | None = None


def regions_of(region: str) -> set[str]:
    """The regions a registered address counts as (the gazetteer's hierarchy): 西咸新区沣东新城 → {沣东新城,
    西咸新区, 西安市, 陕西省}; a product open to 陕西省 accepts firms of every place below it."""
    g = gazetteer()
    return {p.name for place in g.places(region) for p in g.chain(place)}


def rule_region(p: Product, f: Profile, today: dt.date) -> RuleResult | None:
    allowed = p.eligibility.regions
    if not allowed:
        return None
    if not f.region:
        return RuleResult("region", "unknown", f"需补充注册地（本产品限{'、'.join(allowed)}企业）", missing="注册地")
    if regions_of(f.region) & set(allowed):
        return RuleResult("region", "pass", f"注册地{f.region}在产品服务范围（{'、'.join(allowed)}）内")
    return RuleResult("region", "fail", f"注册地{f.region}不在产品服务范围（{'、'.join(allowed)}）内")


def rule_qualifications(p: Product, f: Profile, today: dt.date) -> RuleResult | None:
    any_of, all_of = p.eligibility.qualifications_any, p.eligibility.qualifications_all
    if not any_of and not all_of:
        return None
    need = "、".join(any_of) if any_of else "、".join(all_of)
    if f.qualifications is None:
        return RuleResult("qualifications", "unknown", f"需补充企业资质（本产品要求：{need}）", missing="资质（如科技型中小企业、高新技术企业）")
    have = quals.held(f.qualifications)
    lacking = [q for q in all_of if q not in have]
    if lacking:
        return RuleResult("qualifications", "fail", f"缺少资质：{'、'.join(lacking)}", hint=f"取得{'、'.join(lacking)}认定后可申请")
    if any_of and not have & set(any_of):
        return RuleResult("qualifications", "fail", f"需具备{'、'.join(any_of)}之一", hint=f"取得{any_of[0]}等任一资质后可申请")
    return RuleResult("qualifications", "pass", f"具备所需资质（{'、'.join(sorted(have & set(any_of + all_of)))}）")


def rule_years(p: Product, f: Profile, today: dt.date) -> RuleResult | None:
    years = p.eligibility.min_years
    if not years:
        return None
    if f.founded is None:
        return RuleResult("min_years", "unknown", f"需补充成立日期（本产品要求成立满{years:g}年）", missing="成立日期")
    eligible_from = f.founded + relativedelta(months=round(years * 12))
    if today >= eligible_from:
        return RuleResult("min_years", "pass", f"成立于{f.founded}，已满{years:g}年")
    return RuleResult("min_years", "fail", f"成立于{f.founded}，未满{years:g}年", hint=f"{eligible_from}起成立满{years:g}年即可申请")


def rule_revenue(p: Product, f: Profile, today: dt.date) -> RuleResult | None:
    rng = p.eligibility.revenue
    if rng is None or (rng.min is None and rng.max is None):
        return None
    if f.revenue is None:
        return RuleResult("revenue", "unknown", "需补充上年营业收入", missing="上年营业收入")
    if rng.min is not None and f.revenue < rng.min:
        return RuleResult("revenue", "fail", f"上年营业收入{_wan(f.revenue)}，低于产品要求的{_wan(rng.min)}",
                          hint=f"营业收入达到{_wan(rng.min)}后可申请")
    if rng.max is not None and f.revenue > rng.max:
        return RuleResult("revenue", "fail", f"上年营业收入{_wan(f.revenue)}，超过产品上限{_wan(rng.max)}")
    return RuleResult("revenue", "pass", f"上年营业收入{_wan(f.revenue)}符合要求")


def rule_debt(p: Product, f: Profile, today: dt.date) -> RuleResult | None:
    cap = p.eligibility.max_debt_ratio
    if cap is None:
        return None
    if f.debt_ratio is None:
        return RuleResult("debt_ratio", "unknown", f"需补充资产负债率（本产品要求不高于{cap:.0%}）", missing="资产负债率")
    if f.debt_ratio <= cap:
        return RuleResult("debt_ratio", "pass", f"资产负债率{f.debt_ratio:.0%}，不高于{cap:.0%}")
    return RuleResult("debt_ratio", "fail", f"资产负债率{f.debt_ratio:.0%}，高于产品上限{cap:.0%}", hint=f"资产负债率降到{cap:.0%}以内可申请")


def rule_employees(p: Product, f: Profile, today: dt.date) -> RuleResult | None:
    cap = p.eligibility.max_employees
    if cap is None:
        return None
    if f.employees is None:
        return RuleResult("employees", "unknown", f"需补充职工人数（本产品要求不超过{cap}人）", missing="职工人数")
    if f.employees <= cap:
        return RuleResult("employees", "pass", f"职工{f.employees}人，不超过{cap}人")
    return RuleResult("employees", "fail", f"职工{f.employees}人，超过{cap}人上限")


def usable_ip(f: Profile, today: dt.date) -> list[IPAsset]:
    """Items that count: valid on the day, owned by the applicant (when the owner is given), not pledged."""
    out = []
    for a in f.ip_assets or []:
        if a.is_valid_on(today) is False or a.pledged:
            continue
        if a.owner and a.owner.strip() != f.name.strip():
            continue
        out.append(a)
    return out


def ip_count(f: Profile, types: list[str], today: dt.date) -> int | None:
    if f.ip_assets is not None:
        return sum(1 for a in usable_ip(f, today) if a.type in types)
    if f.ip_counts is not None:
        return sum(f.ip_counts.get(t, 0) for t in types)  # type: ignore[call-overload]
    return None


def rule_ip_count(p: Product, f: Profile, today: dt.date) -> RuleResult | None:
    reqs = p.eligibility.ip_any
    if not reqs:
        return None
    wording = "；或".join(f"{'/'.join(r.types)}不少于{r.count}件" for r in reqs)
    counts = [ip_count(f, list(r.types), today) for r in reqs]
    if all(c is None for c in counts):
        return RuleResult("ip_count", "unknown", f"需补充知识产权情况（本产品要求：{wording}）", missing="有效知识产权数量（按类型）")
    for r, c in zip(reqs, counts, strict=True):
        if c is not None and c >= r.count:
            return RuleResult("ip_count", "pass", f"有效{'/'.join(r.types)}{c}件，满足不少于{r.count}件的要求")
    gaps = [(r.count - (c or 0), r) for r, c in zip(reqs, counts, strict=True)]
    smallest = min(g for g, _ in gaps)
    options = "，或".join(f"再有{g}件有效{'或'.join(r.types)}" for g, r in gaps if g == smallest)
    return RuleResult("ip_count", "fail", f"有效知识产权不足（本产品要求：{wording}）", hint=f"{options}即可申请")


def rule_whitelist(p: Product, f: Profile, today: dt.date) -> RuleResult | None:
    if not p.eligibility.whitelist_required:
        return None
    if f.whitelist is None:
        return RuleResult("whitelist", "unknown", "需确认是否已列入西咸新区科技型企业融资白名单", missing="是否列入白名单")
    if f.whitelist:
        return RuleResult("whitelist", "pass", "已列入融资白名单")
    return RuleResult("whitelist", "fail", "本产品仅面向融资白名单企业", hint="申请列入西咸新区科技型企业融资白名单（每季度受理）")


def rule_credit(p: Product, f: Profile, today: dt.date) -> RuleResult | None:
    if not p.eligibility.credit_clean:
        return None
    if f.credit_ok is None:
        return RuleResult("credit", "unknown", "需确认企业及法定代表人征信无不良记录", missing="征信情况")
    if f.credit_ok:
        return RuleResult("credit", "pass", "征信良好")
    return RuleResult("credit", "fail", "征信存在不良记录，本产品要求征信良好")


def _pledgeable(p: Product, f: Profile, today: dt.date) -> list[IPAsset]:
    accepted: list[IPType] = p.accepted_ip or list(PLEDGEABLE_DEFAULT)  # default only for capacity estimates
    return [a for a in usable_ip(f, today) if a.type in accepted]


def rule_pledge_assets(p: Product, f: Profile, today: dt.date) -> RuleResult | None:
    """Products that take IP as collateral (any with ``accepted_ip``): the firm must own valid, unpledged IP."""
    if not p.accepted_ip or f.ip_assets is None:
        return None
    items = _pledgeable(p, f, today)
    if items:
        return RuleResult("pledge_assets", "pass", f"有{len(items)}件可质押的{'/'.join(sorted({a.type for a in items}))}（有效、权属本企业、未质押）")
    reasons = []
    for a in f.ip_assets:
        if a.type not in (p.accepted_ip or PLEDGEABLE_DEFAULT):
            reasons.append(f"{a.title or a.number or a.type}：本产品不接受{a.type}")
        elif a.pledged:
            reasons.append(f"{a.title or a.number or a.type}：已被质押")
        elif a.owner and a.owner.strip() != f.name.strip():
            reasons.append(f"{a.title or a.number or a.type}：权利人（{a.owner}）不是本企业")
        elif a.is_valid_on(today) is False:
            reasons.append(f"{a.title or a.number or a.type}：已失效或已到期")
    return RuleResult("pledge_assets", "fail", "没有可质押的知识产权" + (f"（{'；'.join(reasons)}）" if reasons else ""))


def rule_ip_term(p: Product, f: Profile, today: dt.date) -> RuleResult | None:
    """The loan must end before the pledged IP expires, with the product's minimum remaining life."""
    if not p.accepted_ip or f.ip_assets is None:
        return None
    items = [a for a in _pledgeable(p, f, today) if a.expires]
    if not items:
        return None
    term = f.need.term_months if f.need and f.need.term_months else None
    min_years = p.eligibility.min_ip_remaining_years or 0
    loan_end = today + relativedelta(months=term) if term else today
    needed_until = max(loan_end, today + relativedelta(months=round(min_years * 12)))
    ok = [a for a in items if a.expires and a.expires > needed_until]
    if ok:
        latest = max(a.expires for a in ok if a.expires)
        return RuleResult("ip_term", "pass", f"质押知识产权有效期至{latest}，晚于贷款到期日与产品要求的剩余年限")
    latest = max(a.expires for a in items if a.expires)
    if term and latest <= loan_end:
        months_ok = (latest.year - today.year) * 12 + latest.month - today.month - (1 if latest.day <= today.day else 0)
        hint = f"将期限缩短到{months_ok}个月以内可申请" if months_ok >= (p.term_months.min or 1) else None
        return RuleResult("ip_term", "fail", f"贷款到期日（{loan_end}）晚于质押知识产权到期日（{latest}），依法不能办理质押登记", hint=hint)
    return RuleResult("ip_term", "fail", f"质押知识产权剩余有效期不足{min_years:g}年（最晚到期{latest}）")


def rule_amount(p: Product, f: Profile, today: dt.date) -> RuleResult | None:
    amount = f.need.amount if f.need else None
    if amount is None:
        return RuleResult("amount", "unknown", f"需补充融资金额（本产品额度{_wan(p.amount.min or 0)}至{_wan(p.amount.max or 0)}）",
                          decisive=False, missing="融资金额")
    if p.amount.max is not None and amount > p.amount.max:
        return RuleResult("amount", "fail", f"需求{_wan(amount)}超过产品最高额度{_wan(p.amount.max)}", hint=f"需求调整到{_wan(p.amount.max)}以内可申请")
    if p.amount.min is not None and amount < p.amount.min:
        return RuleResult("amount", "fail", f"需求{_wan(amount)}低于产品起贷额度{_wan(p.amount.min)}")
    return RuleResult("amount", "pass", f"需求{_wan(amount)}在产品额度范围内")


def pledge_terms(p: Product, f: Profile, today: dt.date) -> list[tuple[IPAsset, float]]:
    """The valued pledgeable items with the product's pledge ratio for each (0 for a type it lists no ratio for):
    the terms of ``pledge_capacity``, kept apart so a capacity can show how it was computed."""
    if not p.pledge_ratio:
        return []
    return [(a, p.pledge_ratio.get(a.type, 0.0)) for a in _pledgeable(p, f, today) if a.valuation]


def pledge_capacity(p: Product, f: Profile, today: dt.date) -> float | None:
    """Σ valuation × pledge ratio over the pledgeable items; None when no valuation is known."""
    terms = pledge_terms(p, f, today)
    return sum((a.valuation or 0) * ratio for a, ratio in terms) if terms else None


def rule_pledge_ratio(p: Product, f: Profile, today: dt.date) -> RuleResult | None:
    if not p.accepted_ip or not p.pledge_ratio:
        return None
    amount = f.need.amount if f.need else None
    cap = pledge_capacity(p, f, today)
    if cap is None:
        if f.ip_assets:
            return RuleResult("pledge_ratio", "unknown", "需补充知识产权评估值，以按质押率测算可贷额度", decisive=False, missing="知识产权评估值")
        return None
    if amount is None:
        return RuleResult("pledge_ratio", "pass", f"按质押率测算最高可贷约{_wan(cap)}", decisive=False)
    if amount <= cap:
        return RuleResult("pledge_ratio", "pass", f"按质押率测算最高可贷约{_wan(cap)}，覆盖需求{_wan(amount)}")
    return RuleResult("pledge_ratio", "fail", f"按质押率测算最高可贷约{_wan(cap)}，不足需求{_wan(amount)}",
                      hint=f"将需求调整到{_wan(cap)}以内，或增加质押物/追加担保")


def rule_term(p: Product, f: Profile, today: dt.date) -> RuleResult | None:
    term = f.need.term_months if f.need else None
    if term is None:
        return RuleResult("term", "unknown", f"需补充融资期限（本产品{p.term_months.min:g}至{p.term_months.max:g}个月）",
                          decisive=False, missing="融资期限")
    if p.term_months.max is not None and term > p.term_months.max:
        return RuleResult("term", "fail", f"期限{term}个月超过产品最长{p.term_months.max:g}个月", hint=f"期限调整到{p.term_months.max:g}个月以内可申请")
    if p.term_months.min is not None and term < p.term_months.min:
        return RuleResult("term", "fail", f"期限{term}个月短于产品最短{p.term_months.min:g}个月")
    return RuleResult("term", "pass", f"期限{term}个月在产品范围内")


RULES: list[Callable[[Product, Profile, dt.date], RuleResult | None]] = [
    rule_region, rule_qualifications, rule_years, rule_revenue, rule_debt, rule_employees, rule_ip_count,
    rule_whitelist, rule_credit, rule_pledge_assets, rule_ip_term, rule_amount, rule_pledge_ratio, rule_term,
]


def evaluate(p: Product, f: Profile, today: dt.date) -> list[RuleResult]:
    return [r for rule in RULES if (r := rule(p, f, today)) is not None]


# what a firm may state of itself, the criterion that would judge it, and the criterion's name in words
_UNSET: list[tuple[str, Callable[[Product], bool], str]] = [
    ("founded", lambda p: not p.eligibility.min_years, "成立年限"),
    ("revenue", lambda p: p.eligibility.revenue is None or (p.eligibility.revenue.min is None and p.eligibility.revenue.max is None), "营业收入"),
    ("debt_ratio", lambda p: p.eligibility.max_debt_ratio is None, "资产负债率"),
    ("employees", lambda p: p.eligibility.max_employees is None, "职工人数"),
    ("region", lambda p: not p.eligibility.regions, "注册地"),
]


def unset_criteria(p: Product, f: Profile) -> list[RuleResult]:
    """What the firm states of itself that the product sets no criterion on (成立才8个月, for a product with no
    founding-age threshold): a pass the record shows by saying nothing, which the matcher's rules leave unsaid."""
    return [RuleResult(field, "pass", f"本产品未设{name}要求") for field, unset, name in _UNSET
            if getattr(f, field) is not None and unset(p)]
