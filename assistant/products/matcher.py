"""Match a firm to every product: eligibility from the rules, a transparent score, what is missing.

A product is eligible (True) when no rule fails and no deciding rule is unknown; None (需补充) when a deciding
rule lacks data; False when any rule fails. Ranking: eligible first, then 需补充, then the rest, each by score.
The score (0–100) is a weighted sum whose parts are returned with it:
fit of amount and term 40, cost 25 (lower rate), speed 20 (fewer days to loan), subsidies 15.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

from assistant.products.rules import RuleResult, evaluate, pledge_capacity
from assistant.products.schema import Product
from assistant.products.subsidies import SubsidyBook, estimate
from assistant.profile.model import Profile

WEIGHTS = {"fit": 40.0, "cost": 25.0, "speed": 20.0, "subsidy": 15.0}
RATE_BEST, RATE_WORST = 2.5, 6.0
DAYS_BEST, DAYS_WORST = 5, 30


@dataclass
class Match:
    product_id: str
    name: str
    institution: str
    category: str
    eligible: bool | None
    score: float
    score_parts: dict[str, float]
    reasons: list[dict[str, str]]
    missing: list[str]
    hints: list[str]
    indicative_amount: dict[str, float] | None
    subsidies: list[dict] = field(default_factory=list)  # filled by with_subsidies: id, name, amount, basis

    def to_dict(self) -> dict:
        return asdict(self)


def _clip(x: float) -> float:
    return max(0.0, min(1.0, x))


def _fit(p: Product, f: Profile) -> float:
    parts = []
    need = f.need
    if need and need.amount is not None:
        lo, hi = p.amount.min or 0, p.amount.max or float("inf")
        parts.append(1.0 if lo <= need.amount <= hi else 0.0)
    else:
        parts.append(0.5)
    if need and need.term_months is not None:
        lo, hi = p.term_months.min or 0, p.term_months.max or float("inf")
        parts.append(1.0 if lo <= need.term_months <= hi else 0.0)
    else:
        parts.append(0.5)
    return sum(parts) / len(parts)


def score(p: Product, f: Profile) -> tuple[float, dict[str, float]]:
    parts = {
        "fit": _fit(p, f),
        "cost": _clip((RATE_WORST - p.rate.min) / (RATE_WORST - RATE_BEST)),
        "speed": _clip((DAYS_WORST - p.days_to_loan) / (DAYS_WORST - DAYS_BEST)),
        "subsidy": _clip(len(p.subsidies) / 3),
    }
    weighted = {k: round(WEIGHTS[k] * v, 1) for k, v in parts.items()}
    return round(sum(weighted.values()), 1), weighted


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
    total, parts = score(p, f)
    return Match(
        product_id=p.id, name=p.name, institution=p.institution, category=p.category,
        eligible=verdict(results), score=total, score_parts=parts,
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
