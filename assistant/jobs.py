"""Background jobs (reindex, upload, retire, eval) with progress kept in the database, so any API worker can
report on a job another one runs. Within a process jobs run one at a time; across processes the index writer
lock keeps writers apart."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from sqlalchemy import update

from assistant.errors import AssistantError
from assistant.settings import Settings
from assistant.storage.db import session_scope
from assistant.storage.models import Job

log = logging.getLogger("assistant.jobs")
Progress = Callable[[float, str], None]
Work = Callable[[Progress], dict[str, Any]]
_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="assistant-job")


def _set(settings: Settings, job_id: str, **values: Any) -> None:
    with session_scope(settings) as session:
        session.execute(update(Job).where(Job.id == job_id).values(updated_at=dt.datetime.now(dt.UTC), **values))


def submit(settings: Settings, kind: str, actor: str, work: Work) -> tuple[str, Future[None]]:
    with session_scope(settings) as session:
        job = Job(kind=kind, actor=actor, status="queued", progress=0.0, message="排队中")
        session.add(job)
        session.flush()
        job_id = job.id
    return job_id, _executor.submit(_run, settings, job_id, work)


def _run(settings: Settings, job_id: str, work: Work) -> None:
    _set(settings, job_id, status="running", message="开始执行")
    last = [-1.0]

    def progress(fraction: float, message: str) -> None:
        if fraction - last[0] >= 0.05 or fraction >= 1.0:  # a row update per 5 %, not per document
            last[0] = fraction
            _set(settings, job_id, progress=round(min(max(fraction, 0.0), 1.0), 3), message=message)

    try:
        result = work(progress)
    except AssistantError as exc:
        _set(settings, job_id, status="failed", message=exc.message)
    except Exception:
        log.exception("job %s failed", job_id)
        _set(settings, job_id, status="failed", message="任务执行出错，详情见服务日志")
    else:
        _set(settings, job_id, status="done", progress=1.0, message="已完成", result=result)


STALE = dt.timedelta(hours=1)


def fail_abandoned(settings: Settings) -> int:
    """Jobs left queued or running by a process that died (no progress for an hour) are marked failed at start-up,
    so the admin page never shows a job spinning forever. A live job reports progress far more often than that."""
    cutoff = dt.datetime.now(dt.UTC) - STALE
    with session_scope(settings) as session:
        result = session.execute(
            update(Job).where(Job.status.in_(("queued", "running")), Job.updated_at < cutoff)
            .values(status="failed", message="服务重启，任务中断，请重新执行", updated_at=dt.datetime.now(dt.UTC))
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]


def get_job(settings: Settings, job_id: str) -> Job | None:
    with session_scope(settings) as session:
        return session.get(Job, job_id)
