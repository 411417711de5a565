"""Follow-up of pushed applications (融资跟踪与统计监测): per bank, per product and per month, what was pushed and
what the banks answered; firms financed and financing in total against the center's targets.

Everything is read from the applications and their events (the same record the ledger chains), so a figure here
can always be traced to the decisions it counts. A month is the Beijing-time month the application was pushed in."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from assistant.errors import AssistantError
from assistant.storage import repo
from assistant.storage.models import Application, Target
from assistant.units import BEIJING

# The targets of the center's founding report, until the policy team sets others.
DEFAULT_TARGET = {"firms": 200, "amount": 1_000_000_000.0, "deadline": dt.date(2025, 12, 31)}
ACCEPTED = ("受理", "补充材料", "批准", "放款")  # a bank answer that takes the application up


@dataclass
class Row:
    pushed: int = 0
    accepted: int = 0
    approved: int = 0
    rejected: int = 0
    disbursed: int = 0
    approved_amount: float = 0.0
    disbursed_amount: float = 0.0
    reasons: Counter[str] = field(default_factory=Counter)
    days_to_decision: list[float] = field(default_factory=list)

    def add(self, a: _Outcome) -> None:
        self.pushed += 1
        self.accepted += a.accepted
        self.approved += a.approved
        self.rejected += a.rejected
        self.disbursed += a.disbursed
        self.approved_amount += a.approved_amount
        self.disbursed_amount += a.disbursed_amount
        if a.reason:
            self.reasons[a.reason] += 1
        if a.days_to_decision is not None:
            self.days_to_decision.append(a.days_to_decision)

    def out(self) -> dict[str, Any]:
        days = self.days_to_decision
        return {"pushed": self.pushed, "accepted": self.accepted, "approved": self.approved, "rejected": self.rejected,
                "disbursed": self.disbursed, "approved_amount": self.approved_amount, "disbursed_amount": self.disbursed_amount,
                "reject_reasons": dict(self.reasons.most_common()),
                "median_days_to_decision": round(statistics.median(days), 1) if days else None,
                "decided": len(days)}


@dataclass
class _Outcome:
    enterprise_id: str
    month: str
    bank: str
    product: str
    accepted: bool = False
    approved: bool = False
    rejected: bool = False
    disbursed: bool = False
    approved_amount: float = 0.0
    disbursed_amount: float = 0.0
    reason: str | None = None
    days_to_decision: float | None = None


def _outcome(app: Application) -> _Outcome:
    assert app.pushed_at is not None
    pushed = app.pushed_at.astimezone(BEIJING)
    o = _Outcome(enterprise_id=app.enterprise_id, month=pushed.strftime("%Y-%m"), bank=app.institution,
                 product=(app.form or {}).get("product_name") or app.product_id)
    for e in app.events:
        if e.kind != "decision" or not e.data:
            if e.to_status == "未通过" and e.at >= app.pushed_at:  # a refusal recorded another way after the push
                o.rejected = True
            continue
        decision = e.data.get("decision")
        if o.days_to_decision is None:
            o.days_to_decision = max(0.0, (e.at - app.pushed_at).total_seconds() / 86400)
        if decision in ACCEPTED:
            o.accepted = True
        if decision == "批准":
            o.approved, o.approved_amount = True, float(e.data.get("amount") or 0)
        elif decision == "放款":
            o.approved = True
            o.disbursed, o.disbursed_amount = True, float(e.data.get("amount") or o.approved_amount)
            o.approved_amount = o.approved_amount or o.disbursed_amount
        elif decision == "拒绝":
            o.rejected, o.reason = True, e.data.get("reason") or "其他"
    return o


def current_target(session: Session) -> dict[str, Any]:
    row = session.scalar(select(Target).order_by(Target.id.desc()).limit(1))
    if row is None:
        return {**DEFAULT_TARGET, "set_by": None, "set_at": None}
    return {"firms": row.firms, "amount": row.amount, "deadline": row.deadline, "set_by": row.actor, "set_at": row.at}


def set_target(session: Session, firms: int, amount: float, deadline: dt.date, actor: str) -> dict[str, Any]:
    if firms < 1 or amount <= 0:
        raise AssistantError("目标企业数须至少为 1，目标融资额须大于 0")
    session.add(Target(firms=firms, amount=amount, deadline=deadline, actor=actor))
    repo.audit(session, actor, "targets.set", None, {"firms": firms, "amount": amount, "deadline": deadline.isoformat()})
    session.flush()
    return current_target(session)


def financing(session: Session, institution: str | None = None, today: dt.date | None = None) -> dict[str, Any]:
    """The follow-up tables (overall, by bank, by product, by month) and progress against the targets; a bank
    account passes its ``institution`` and sees its own applications only."""
    q = select(Application).where(Application.pushed_at.is_not(None)).options(selectinload(Application.events))
    if institution:
        q = q.where(Application.institution == institution)
    outcomes = [_outcome(a) for a in session.scalars(q)]
    total = Row()
    by_bank: defaultdict[str, Row] = defaultdict(Row)
    by_product: defaultdict[tuple[str, str], Row] = defaultdict(Row)
    by_month: defaultdict[str, Row] = defaultdict(Row)
    for o in outcomes:
        total.add(o)
        by_bank[o.bank].add(o)
        by_product[(o.bank, o.product)].add(o)
        by_month[o.month].add(o)
    financed = {o.enterprise_id for o in outcomes if o.disbursed}
    target = current_target(session)
    day = today or dt.datetime.now(BEIJING).date()
    progress = {
        "firms": len(financed), "amount": total.disbursed_amount,
        "firms_target": target["firms"], "amount_target": target["amount"], "deadline": target["deadline"],
        "firms_share": len(financed) / target["firms"] if target["firms"] else None,
        "amount_share": total.disbursed_amount / target["amount"] if target["amount"] else None,
        "days_left": (target["deadline"] - day).days, "set_by": target["set_by"], "set_at": target["set_at"],
        "firms_pushed": len({o.enterprise_id for o in outcomes}),
    }
    return {
        "total": total.out(),
        "by_bank": [{"institution": b, **r.out()} for b, r in sorted(by_bank.items())],
        "by_product": [{"institution": b, "product": p, **r.out()} for (b, p), r in sorted(by_product.items())],
        "by_month": [{"month": m, **r.out()} for m, r in sorted(by_month.items())],
        "targets": progress,
    }
