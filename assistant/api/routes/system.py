"""Health (public, for load balancers), statistics (staff and policy team; a bank its own follow-up) and the
center's targets (policy team)."""

from __future__ import annotations

import datetime as dt
import os
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from assistant.api.deps import AdminUser, CurrentUser, SettingsDep, StaffOrAdmin, require
from assistant.errors import AssistantError
from assistant.storage.db import session_scope
from assistant.storage.financing import current_target, financing, set_target
from assistant.storage.stats import usage

router = APIRouter(tags=["系统"])


class Health(BaseModel):
    status: str
    index_version: str | None = None
    documents: int = 0
    chunks: int = 0
    embedder: str | None = None
    reranker: str | None = None
    llm_configured: bool = False
    llm_model: str | None = None
    database: str = "ok"
    products: int = 0
    message: str | None = None
    worker_pid: int = Field(description="回答本次请求的工作进程（多进程部署时排查用）")


@router.get("/health", summary="健康检查：索引版本、文档与段落数、向量模型、是否配置大模型")
def health(settings: SettingsDep) -> Health:
    from sqlalchemy import text

    from assistant.index.snapshot import get_snapshot
    from assistant.products.catalog import catalog_for

    out = Health(status="ok", worker_pid=os.getpid(), llm_configured=bool(settings.llm_base_url and settings.llm_model), llm_model=settings.llm_model,
                 reranker=settings.rerank_model or ("coverage" if settings.rerank else None))
    try:
        snap = get_snapshot(settings)
        out.index_version, out.documents, out.chunks = snap.version, len(snap.manifest.docs), snap.manifest.chunk_count
        out.embedder = snap.manifest.embedder_id
    except AssistantError as exc:
        out.status, out.message = "degraded", exc.message
    try:
        out.products = len(catalog_for(settings))
    except AssistantError as exc:
        out.status, out.message = "degraded", exc.message
    try:
        with session_scope(settings) as session:
            session.execute(text("SELECT 1"))
    except Exception:
        out.status, out.database = "degraded", "unavailable"
    return out


@router.get("/stats", summary="统计：咨询量、热门问题、未能回答的问题、申请状态与银行分布、融资跟踪与目标进度")
def stats(settings: SettingsDep, _: StaffOrAdmin, days: Annotated[int, Query(ge=1, le=366)] = 30,
          top: Annotated[int, Query(ge=1, le=500, description="热门问题、被点踩问题各列多少条")] = 20) -> dict[str, Any]:
    with session_scope(settings) as session:
        return {**usage(session, days, top), "financing": financing(session)}


@router.get("/stats/financing", summary="融资跟踪：按银行、产品、月份的推送、受理、批准、拒绝（原因分类）、金额与答复用时；对照目标的进度",
            description="银行账号只看到推送给本行的申请。")
def financing_stats(settings: SettingsDep, user: Annotated[Any, Depends(require("staff", "policy_admin", "bank"))]) -> dict[str, Any]:
    with session_scope(settings) as session:
        return financing(session, institution=user.institution if user.role == "bank" else None)


class TargetIn(BaseModel):
    firms: int = Field(ge=1, le=1_000_000, description="目标服务（获得融资）企业数")
    amount: float = Field(gt=0, le=1e13, description="目标融资额（元）")
    deadline: dt.date = Field(description="目标期限")


@router.get("/stats/targets", summary="服务中心目标（企业数、融资额、期限）")
def targets(settings: SettingsDep, _: CurrentUser) -> dict[str, Any]:
    with session_scope(settings) as session:
        return current_target(session)


@router.put("/stats/targets", summary="修改服务中心目标（政策管理员；每次修改留痕）")
def put_targets(body: TargetIn, settings: SettingsDep, user: AdminUser) -> dict[str, Any]:
    with session_scope(settings) as session:
        return set_target(session, body.firms, body.amount, body.deadline, user.actor)
