"""Eligibility verdicts for many firms at once (numpy): the batch path for whitelist pushes.

Same rules and the same three-valued verdict as ``matcher.match_one``, computed per product over arrays of
firm features instead of per pair in Python, so 10,000 firms × 36 products take well under the 2 s budget
(see evals/reports/matcher.md). Verdicts only: the 匹配度 score and the explanations are produced by
``match_one`` for the rows shown.
An equivalence test checks both paths agree on random profiles.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from dateutil.relativedelta import relativedelta

from assistant.products.rules import regions_of, usable_ip
from assistant.products.schema import IP_TYPES, Product
from assistant.profile.model import Profile
from assistant.profile.qualifications import held

UNKNOWN, FAIL, PASS = 0, 1, 2
_NAN = np.nan


@dataclass
class FirmArrays:
    n: int
    region_known: np.ndarray
    regions: list[set[str]]
    quals: list[set[str] | None]
    founded: np.ndarray  # ordinal, nan if unknown
    revenue: np.ndarray
    debt: np.ndarray
    employees: np.ndarray
    whitelist: np.ndarray  # 1/0/nan
    credit: np.ndarray
    ip_known: np.ndarray  # bool
    ip_count: dict[str, np.ndarray]
    has_assets: np.ndarray  # bool: ip_assets given (asset-level rules apply)
    latest_expiry: dict[str, np.ndarray]  # ordinal of the latest usable expiry per type, nan if none/unknown
    valuation: dict[str, np.ndarray]  # Σ usable valuation per type, nan if none
    amount: np.ndarray
    term: np.ndarray
    loan_end: np.ndarray  # ordinal of today + term (today when the term is unknown)


def _f(x: float | int | None) -> float:
    return _NAN if x is None else float(x)


def firm_arrays(firms: list[Profile], today: dt.date) -> FirmArrays:
    n = len(firms)
    ip_count = {t: np.full(n, _NAN) for t in IP_TYPES}
    latest = {t: np.full(n, _NAN) for t in IP_TYPES}
    valuation = {t: np.full(n, _NAN) for t in IP_TYPES}
    has_assets = np.zeros(n, dtype=bool)
    ip_known = np.zeros(n, dtype=bool)
    for i, f in enumerate(firms):
        if f.ip_assets is not None:
            has_assets[i] = ip_known[i] = True
            items = usable_ip(f, today)
            for t in IP_TYPES:
                mine = [a for a in items if a.type == t]
                ip_count[t][i] = len(mine)
                exp = [a.expires.toordinal() for a in mine if a.expires]
                latest[t][i] = max(exp) if exp else _NAN
                vals = [a.valuation for a in mine if a.valuation]
                valuation[t][i] = sum(vals) if vals else _NAN
        elif f.ip_counts is not None:
            ip_known[i] = True
            for t in IP_TYPES:
                ip_count[t][i] = f.ip_counts.get(t, 0)  # type: ignore[call-overload]
    return FirmArrays(
        n=n,
        region_known=np.array([bool(f.region) for f in firms], dtype=bool),
        regions=[regions_of(f.region) if f.region else set() for f in firms],
        quals=[held(f.qualifications) if f.qualifications is not None else None for f in firms],
        founded=np.array([_f(f.founded.toordinal() if f.founded else None) for f in firms]),
        revenue=np.array([_f(f.revenue) for f in firms]),
        debt=np.array([_f(f.debt_ratio) for f in firms]),
        employees=np.array([_f(f.employees) for f in firms]),
        whitelist=np.array([_f(None if f.whitelist is None else int(f.whitelist)) for f in firms]),
        credit=np.array([_f(None if f.credit_ok is None else int(f.credit_ok)) for f in firms]),
        ip_known=ip_known, ip_count=ip_count, has_assets=has_assets, latest_expiry=latest, valuation=valuation,
        amount=np.array([_f(f.need.amount if f.need else None) for f in firms]),
        term=np.array([_f(f.need.term_months if f.need else None) for f in firms]),
        loan_end=np.array([(today + relativedelta(months=f.need.term_months)).toordinal() if f.need and f.need.term_months else today.toordinal()
                           for f in firms], dtype=float),
    )


def _tri(known: np.ndarray, ok: np.ndarray) -> np.ndarray:
    return np.where(~known, UNKNOWN, np.where(ok, PASS, FAIL))


def verdicts(p: Product, a: FirmArrays, today: dt.date) -> np.ndarray:
    """Per firm: 1.0 eligible, nan 需补充, 0.0 not eligible."""
    e = p.eligibility
    fail = np.zeros(a.n, dtype=bool)
    unknown = np.zeros(a.n, dtype=bool)

    def apply(status: np.ndarray, decisive: bool = True) -> None:
        nonlocal fail, unknown
        fail |= status == FAIL
        if decisive:
            unknown |= status == UNKNOWN

    if e.regions:
        allowed = set(e.regions)
        apply(_tri(a.region_known, np.array([bool(r & allowed) for r in a.regions], dtype=bool)))
    if e.qualifications_any or e.qualifications_all:
        known = np.array([q is not None for q in a.quals])
        ok = np.array([q is not None and set(e.qualifications_all) <= q and (not e.qualifications_any or bool(q & set(e.qualifications_any))) for q in a.quals])
        apply(_tri(known, ok))
    if e.min_years:
        limit = (today - relativedelta(months=round(e.min_years * 12))).toordinal()
        apply(_tri(~np.isnan(a.founded), a.founded <= limit))
    if e.revenue and (e.revenue.min is not None or e.revenue.max is not None):
        lo = -np.inf if e.revenue.min is None else e.revenue.min
        hi = np.inf if e.revenue.max is None else e.revenue.max
        apply(_tri(~np.isnan(a.revenue), (a.revenue >= lo) & (a.revenue <= hi)))
    if e.max_debt_ratio is not None:
        apply(_tri(~np.isnan(a.debt), a.debt <= e.max_debt_ratio))
    if e.max_employees is not None:
        apply(_tri(~np.isnan(a.employees), a.employees <= e.max_employees))
    if e.ip_any:
        ok = np.zeros(a.n, dtype=bool)
        for req in e.ip_any:
            total = sum(np.nan_to_num(a.ip_count[t]) for t in req.types)
            ok |= total >= req.count
        apply(_tri(a.ip_known, ok))
    if e.whitelist_required:
        apply(_tri(~np.isnan(a.whitelist), a.whitelist == 1))
    if e.credit_clean:
        apply(_tri(~np.isnan(a.credit), a.credit == 1))
    accepted = list(p.accepted_ip)
    if accepted:
        pledgeable = sum(np.nan_to_num(a.ip_count[t]) for t in accepted) > 0
        fail |= a.has_assets & ~pledgeable
        latest = np.fmax.reduce([a.latest_expiry[t] for t in accepted]) if accepted else np.full(a.n, _NAN)
        min_end = (today + relativedelta(months=round((e.min_ip_remaining_years or 0) * 12))).toordinal()
        needed = np.maximum(a.loan_end, min_end)
        check = a.has_assets & pledgeable & ~np.isnan(latest)
        fail |= check & ~(latest > needed)
        if p.pledge_ratio:
            cap = np.zeros(a.n)
            any_val = np.zeros(a.n, dtype=bool)
            for t in accepted:
                v = a.valuation[t]
                any_val |= ~np.isnan(v)
                cap += np.nan_to_num(v) * p.pledge_ratio.get(t, 0.0)
            fail |= a.has_assets & any_val & ~np.isnan(a.amount) & (a.amount > cap)
    lo, hi = p.amount.min or 0, np.inf if p.amount.max is None else p.amount.max
    fail |= ~np.isnan(a.amount) & ((a.amount < lo) | (a.amount > hi))
    tlo, thi = p.term_months.min or 0, np.inf if p.term_months.max is None else p.term_months.max
    fail |= ~np.isnan(a.term) & ((a.term < tlo) | (a.term > thi))
    return np.where(fail, 0.0, np.where(unknown, _NAN, 1.0))


def batch_verdicts(products: list[Product], firms: list[Profile], today: dt.date | None = None) -> np.ndarray:
    """Matrix (firms × products) of 1.0 / nan / 0.0."""
    day = today or dt.date.today()
    arrays = firm_arrays(firms, day)
    return np.stack([verdicts(p, arrays, day) for p in products], axis=1) if products else np.zeros((len(firms), 0))
