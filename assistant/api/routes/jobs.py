"""Background job status (reindex, upload, retire, remove, eval): poll for progress."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel

from assistant.api.deps import AdminUser, SettingsDep
from assistant.jobs import get_job
from assistant.storage import repo

router = APIRouter(prefix="/admin/jobs", tags=["知识库管理"])


class JobOut(BaseModel):
    id: str
    kind: str
    status: str
    progress: float
    message: str | None = None
    result: dict[str, Any] | None = None
    created_at: dt.datetime
    updated_at: dt.datetime


class JobAccepted(BaseModel):
    job_id: str
    status_url: str


def accepted(job_id: str) -> JobAccepted:
    return JobAccepted(job_id=job_id, status_url=f"/admin/jobs/{job_id}")


@router.get("/{job_id}", summary="任务进度")
def job(job_id: str, settings: SettingsDep, _: AdminUser) -> JobOut:
    found = get_job(settings, job_id)
    if found is None:
        raise repo.NotFound(f"没有编号为 {job_id} 的任务")
    return JobOut(id=found.id, kind=found.kind, status=found.status, progress=found.progress, message=found.message, result=found.result,
                  created_at=found.created_at, updated_at=found.updated_at)
