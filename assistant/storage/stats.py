"""Usage statistics for staff: consultations per day, top questions, what went unanswered, applications."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant.privacy import mask
from assistant.storage.models import Application, Feedback, Message
from assistant.units import BEIJING


def _norm(q: str) -> str:
    """A question as the statistics show it: personal data masked (rows stored before questions were masked at
    storage hold it in clear) and trailing punctuation dropped, so the same question counts once."""
    return mask(q).strip().rstrip("？?。!！ ")


def _merge(rows: Any) -> Counter[str]:
    merged: Counter[str] = Counter()
    for question, n in rows:
        if question:
            merged[_norm(question)] += n
    return merged


def usage(session: Session, days: int = 30, top: int = 20) -> dict[str, Any]:
    since = dt.datetime.now(dt.UTC) - dt.timedelta(days=days)
    rows = session.execute(
        select(Message.created_at, Message.text, Message.data).where(Message.role == "assistant", Message.created_at >= since)
    ).all()
    per_day: Counter[str] = Counter()
    asked: Counter[str] = Counter()
    unanswered: Counter[str] = Counter()
    for at, _text, data in rows:
        per_day[at.astimezone(BEIJING).date().isoformat()] += 1  # the service center's day, not UTC's
        question = _norm((data or {}).get("question") or "")
        if not question:
            continue
        asked[question] += 1
        if (data or {}).get("refused"):
            unanswered[question] += 1
    disliked = session.execute(
        select(Feedback.question, func.count()).where(Feedback.rating < 0, Feedback.created_at >= since).group_by(Feedback.question)
    ).all()
    by_status = session.execute(select(Application.status, func.count()).group_by(Application.status)).all()
    by_bank = session.execute(select(Application.institution, func.count()).group_by(Application.institution)).all()
    return {
        "days": days,
        "consultations_per_day": [{"date": d, "count": n} for d, n in sorted(per_day.items())],
        "consultations": sum(per_day.values()),
        "top_questions": [{"question": q, "count": n} for q, n in asked.most_common(top)],
        "unanswered": [{"question": q, "count": n} for q, n in unanswered.most_common(max(top, 50))],
        "disliked": [{"question": q, "count": n} for q, n in _merge(disliked).most_common(top)],
        "applications_by_status": {s: n for s, n in by_status},
        "applications_by_bank": {b: n for b, n in by_bank},
    }
