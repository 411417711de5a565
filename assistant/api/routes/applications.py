"""Applications: pre-fill and store (idempotent), list, read, complete a draft, move along the workflow, download
PDF/DOCX/JSON. The work is done in ``assistant.applications.service`` (the chat's 生成申请 calls the same
function as ``POST /applications``); these routes only translate HTTP."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Query
from fastapi.responses import FileResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.background import BackgroundTask

from assistant.api.deps import EnterpriseOrStaff, SettingsDep
from assistant.applications import service
from assistant.applications.form import Application as Form
from assistant.applications.form import Extra
from assistant.applications.render import write
from assistant.applications.service import ApplicationOut, Event, own_profile
from assistant.errors import AssistantError
from assistant.profile.model import Profile
from assistant.storage import repo
from assistant.storage.db import session_scope
from assistant.storage.models import Enterprise

__all__ = ["ApplicationOut", "Event", "Extra", "NewApplication", "own_profile", "router"]

router = APIRouter(prefix="/applications", tags=["申请"])
MEDIA = {"pdf": "application/pdf", "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "json": "application/json"}
INVALID: dict[int | str, dict[str, Any]] = {
    422: {"description": "逐项说明不合格的字段：detail（一处时即原因，多处时为提要）、errors（多处时的“标签：原因”列表）、fields（表单项 → 原因）"}}


class NewApplication(BaseModel):
    profile: Profile
    product_id: str | None = Field(default=None, description="不填则选匹配度最高的符合条件产品")
    extra: Extra | None = None


class Transition(BaseModel):
    to_status: str = Field(description="目标状态：已提交 / 受理中 / 已推送银行 / 已放款 / 未通过 / 草稿")
    expected_version: int = Field(description="您看到的版本号，防止覆盖他人的修改")
    note: str | None = Field(default=None, max_length=500)


class ApplicationEdit(BaseModel):
    model_config = ConfigDict(extra="forbid")

    expected_version: int = Field(description="您看到的版本号，防止覆盖他人的修改")
    fields: dict[str, Any] = Field(default_factory=dict, description=(
        "要设置的表单项（键为表单项编号，如 uscc、legal_rep、contact_email、revenue、amount；金额单位为元，资产负债率为 0–1，"
        "日期为 YYYY-MM-DD；null 表示清空）。按企业画像的同一套规则校验"))
    ip_list: list[dict[str, Any]] | None = Field(default=None, description="拟质押知识产权清单（整体替换），每行同企业画像的 ip_assets")
    note: str | None = Field(default=None, max_length=500)


@router.post("", status_code=201, response_model=ApplicationOut, responses=INVALID,
             summary="预填并保存申请（草稿）；带 Idempotency-Key 重试不会重复创建",
             description="所附企业画像按字段合并到已保存的画像（不会清除以前说过的信息），申请保存预填所依据的画像及其版本号。")
def create(
    body: NewApplication, settings: SettingsDep, user: EnterpriseOrStaff,
    idempotency_key: Annotated[str | None, Header(max_length=80)] = None,
) -> Any:
    return service.create_application(settings, user, body.profile, product_id=body.product_id,
                                      extra=body.extra.model_dump(exclude_none=True) if body.extra else None,
                                      idempotency_key=idempotency_key)


@router.get("", summary="申请列表（企业只看到自己的）")
def list_(
    settings: SettingsDep, user: EnterpriseOrStaff,
    status: Annotated[str | None, Query(max_length=10)] = None, institution: Annotated[str | None, Query(max_length=40)] = None,
) -> list[ApplicationOut]:
    with session_scope(settings) as session:
        apps = repo.list_applications(session, status=status, institution=institution,
                                      enterprise_id=user.enterprise_id if user.role == "enterprise" else None)
        if user.role == "enterprise" and not user.enterprise_id:
            apps = []
        return [service.to_out(a, session.get(Enterprise, a.enterprise_id), detail=False) for a in apps]


@router.get("/{app_id}", summary="申请详情（表单、校验提示、状态历史、预填所依据的企业画像）")
def read(app_id: str, settings: SettingsDep, user: EnterpriseOrStaff) -> ApplicationOut:
    with session_scope(settings) as session:
        app = service.visible(session, app_id, user)
        return service.to_out(app, session.get(Enterprise, app.enterprise_id), detail=True)


@router.patch("/{app_id}", response_model=ApplicationOut, responses=INVALID,
              summary="补充或修改草稿申请的表单项与知识产权清单（版本不符则拒绝）",
              description="仅限草稿（企业只能改自己的）。按企业画像的同一套规则校验，逐项给出中文原因；表单、来源与校验提示随之重算，"
                          "修改过的项标为“用户提供”；版本号加一，并记入状态历史与审计日志。")
def edit(app_id: str, body: ApplicationEdit, settings: SettingsDep, user: EnterpriseOrStaff) -> Any:
    return service.edit_application(settings, user, app_id, expected_version=body.expected_version, fields=body.fields,
                                     ip_list=body.ip_list, note=body.note)


@router.post("/{app_id}/transitions", summary="变更状态（附备注；版本不符则拒绝）")
def move(app_id: str, body: Transition, settings: SettingsDep, user: EnterpriseOrStaff) -> ApplicationOut:
    with session_scope(settings) as session:
        app = service.visible(session, app_id, user)
        if user.role == "enterprise" and not (app.status == "草稿" and body.to_status == "已提交"):
            raise AssistantError("企业只能提交自己的草稿申请，其他状态由服务中心办理")
        moved = repo.transition(session, app_id, body.to_status, user.actor, body.note, body.expected_version)
        return service.to_out(moved, session.get(Enterprise, moved.enterprise_id), detail=True)


@router.get("/{app_id}/document", summary="下载申请表（pdf / docx / json）", response_class=FileResponse,
            responses={200: {"content": {m: {} for m in MEDIA.values()}}})
def document(app_id: str, settings: SettingsDep, user: EnterpriseOrStaff, format: Literal["pdf", "docx", "json"] = "pdf") -> FileResponse:
    with session_scope(settings) as session:
        app = service.visible(session, app_id, user)
        form = Form.model_validate(app.form)
    work = Path(tempfile.mkdtemp(prefix="app-"))
    path = work / f"申请表-{app_id[:8]}.{format}"
    write(form, path)
    return FileResponse(path, media_type=MEDIA[format], filename=path.name, background=BackgroundTask(shutil.rmtree, work, ignore_errors=True))
