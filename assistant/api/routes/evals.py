"""Run the answer eval on the live index and keep its scores, so the policy team sees them move with each change."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import select

from assistant.api.deps import AdminUser, SettingsDep, StaffOrAdmin
from assistant.api.routes.jobs import JobAccepted, accepted
from assistant.jobs import submit
from assistant.settings import Settings
from assistant.storage import repo
from assistant.storage.db import session_scope
from assistant.storage.models import EvalRun

router = APIRouter(prefix="/admin/eval", tags=["评测"])
DEFAULT_CONFIG = "hybrid+learned"


class EvalRunOut(BaseModel):
    id: int
    at: dt.datetime
    actor: str
    index_version: str | None
    scores: dict[str, Any]


def run_eval(settings: Settings, actor: str, progress: Any) -> dict[str, Any]:
    from assistant.evaluation.runner import run_all

    progress(0.05, "评测中")
    result = run_all(settings, settings.eval_questions_dir, only=[DEFAULT_CONFIG])
    summary = result.summary()
    scores = {"questions": summary["questions"], **summary["configs"][DEFAULT_CONFIG]}
    from assistant.index.snapshot import get_snapshot

    with session_scope(settings) as session:
        run = EvalRun(actor=actor, index_version=get_snapshot(settings).version, scores=scores)
        session.add(run)
        session.flush()
        repo.audit(session, actor, "eval.run", str(run.id), scores)
        return {"eval_run": run.id, **scores}


@router.post("", status_code=202, summary="在当前索引上运行问答评测（后台任务）")
def start(settings: SettingsDep, user: AdminUser) -> JobAccepted:
    job_id, _f = submit(settings, "eval", user.actor, lambda p: run_eval(settings, user.actor, p))
    return accepted(job_id)


@router.get("/runs", summary="最近的评测分数（新的在前）")
def runs(settings: SettingsDep, _: StaffOrAdmin, limit: int = 10) -> list[EvalRunOut]:
    with session_scope(settings) as session:
        rows = session.scalars(select(EvalRun).order_by(EvalRun.id.desc()).limit(max(1, min(limit, 100))))
        return [EvalRunOut(id=r.id, at=r.at, actor=r.actor, index_version=r.index_version, scores=r.scores) for r in rows]
