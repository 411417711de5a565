"""Applications: pre-fill and store (idempotent), list, read, complete a draft, move along the workflow, push to
banks (one by one, in a batch, or a whitelist's demands), the bank's decisions, material files, download PDF/DOCX/
JSON (recorded in the ledger). The work is done in ``assistant.applications.service`` (the chat's 生成申请 calls the
same function as ``POST /applications``); these routes only translate HTTP."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Header, Query, UploadFile
from fastapi.responses import FileResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.background import BackgroundTask

from assistant.api.deps import ApplicationUser, BankOrStaff, EnterpriseOrStaff, SettingsDep, StaffUser
from assistant.applications import service
from assistant.applications.form import Application as ApplicationForm
from assistant.applications.form import Extra
from assistant.applications.render import write
from assistant.applications.service import ApplicationOut, Event, own_profile
from assistant.applications.workflow import DECISIONS, REJECT_REASONS, check_manual
from assistant.errors import AssistantError
from assistant.profile.model import Profile
from assistant.storage import ledger, repo
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
    to_status: str = Field(description="目标状态：已提交 / 受理中 / 已推送银行 / 未通过 / 草稿（推送之后由银行答复）")
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


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: str = Field(description=f"答复：{' / '.join(DECISIONS)}")
    expected_version: int = Field(description="您看到的版本号，防止覆盖他人的修改")
    amount: float | None = Field(default=None, description="批准（或实际放款）金额，元；批准时必填")
    rate: float | None = Field(default=None, description="年化利率，%；批准时必填")
    term_months: int | None = Field(default=None, description="期限，月；批准时必填")
    reason: str | None = Field(default=None, description=f"拒绝原因分类：{' / '.join(REJECT_REASONS)}（不填为“其他”）")
    note: str | None = Field(default=None, max_length=1000, description="说明；拒绝与补充材料时必填")


class PushIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    application_ids: list[str] = Field(default_factory=list, max_length=500, description="要推送的申请（已提交或受理中）")
    profiles: list[Profile] = Field(default_factory=list, max_length=500, description="白名单企业：按画像生成融资需求并直接推送")
    product_id: str | None = Field(default=None, description="白名单推送的产品；不填则各取匹配度最高的符合条件产品")


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
    settings: SettingsDep, user: ApplicationUser,
    status: Annotated[str | None, Query(max_length=10)] = None, institution: Annotated[str | None, Query(max_length=40)] = None,
) -> list[ApplicationOut]:
    with session_scope(settings) as session:
        return [service.to_out(a, session.get(Enterprise, a.enterprise_id), detail=False)
                for a in service.listed(session, user, status=status, institution=institution)]


@router.post("/push", summary="推送银行：按申请批量推送，或按白名单企业画像生成融资需求并推送（逐条给出结果）")
def push(body: PushIn, settings: SettingsDep, user: StaffUser) -> dict[str, Any]:
    if not body.application_ids and not body.profiles:
        raise AssistantError("请指定要推送的申请（application_ids）或白名单企业（profiles）")
    results = service.push(settings, user, body.application_ids) + service.push_whitelist(settings, user, body.profiles, body.product_id)
    return {"pushed": sum(1 for r in results if r["ok"]), "failed": sum(1 for r in results if not r["ok"]), "results": results}


@router.get("/{app_id}", summary="申请详情（表单、校验提示、状态历史、银行答复、补充材料、账本记录）")
def read(app_id: str, settings: SettingsDep, user: ApplicationUser) -> ApplicationOut:
    with session_scope(settings) as session:
        app = service.visible(session, app_id, user)
        out = service.to_out(app, session.get(Enterprise, app.enterprise_id), detail=True, session=session)
    return service.with_match(settings, out)


@router.post("/{app_id}/decision", response_model=ApplicationOut, responses=INVALID,
             summary="银行答复：受理 / 补充材料 / 批准 / 拒绝 / 放款（版本不符则拒绝）",
             description="仅限推送给本行的申请（服务中心可代录）。批准须填金额、利率、期限；拒绝与补充材料须写说明；放款确认已批准的贷款已发放。")
def decision(app_id: str, body: DecisionIn, settings: SettingsDep, user: BankOrStaff) -> Any:
    return service.decide(settings, user, app_id, decision=body.decision, expected_version=body.expected_version, amount=body.amount,
                          rate=body.rate, term_months=body.term_months, note=body.note, reason=body.reason)


@router.post("/{app_id}/files", response_model=ApplicationOut, summary="补充材料：上传文件（PDF、图片、Word、Excel、ZIP）",
             description="推送银行之后、银行作出决定之前可上传；答复“补充材料”的申请上传后回到“银行受理中”。")
def upload_files(app_id: str, settings: SettingsDep, user: ApplicationUser,
                 files: Annotated[list[UploadFile], File(description="材料文件，可多个")],
                 note: Annotated[str | None, Form(max_length=500)] = None) -> Any:
    read_files = [(f.filename or "材料", f.file.read()) for f in files]
    return service.add_material(settings, user, app_id, read_files, note)


@router.get("/{app_id}/files/{file_id}", summary="下载补充材料", response_class=Response)
def download_file(app_id: str, file_id: int, settings: SettingsDep, user: ApplicationUser) -> Response:
    with session_scope(settings) as session:
        app = service.visible(session, app_id, user)
        found = next((f for f in repo.list_files(session, app.id) if f.id == file_id), None)
        if found is None:
            raise repo.NotFound(f"申请 {app_id} 没有编号为 {file_id} 的材料")
        return Response(found.content, media_type=found.content_type,
                        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(found.filename)}"})


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
        repo.check_version(app, body.expected_version)  # a stale page hears “refresh”, not a rule about a state it never saw
        check_manual(user.role, app.status, body.to_status)
        moved = repo.transition(session, app_id, body.to_status, user.actor, body.note, body.expected_version)
        return service.to_out(moved, session.get(Enterprise, moved.enterprise_id), detail=True, session=session)


@router.get("/{app_id}/document", summary="下载申请表（pdf / docx / json）", response_class=FileResponse,
            responses={200: {"content": {m: {} for m in MEDIA.values()}}})
def document(app_id: str, settings: SettingsDep, user: ApplicationUser, format: Literal["pdf", "docx", "json"] = "pdf") -> FileResponse:
    """The document carries the application's latest ledger entry (number and hash); the file's own sha256 is then
    chained into the ledger, so a bank can check a PDF it was sent (``assistant ledger verify --document``)."""
    work = Path(tempfile.mkdtemp(prefix="app-"))
    path = work / f"申请表-{app_id[:8]}.{format}"
    with session_scope(settings) as session:
        app = service.visible(session, app_id, user)
        form = ApplicationForm.model_validate(app.form)
        entry = ledger.latest_for(session, app.id)
        write(form, path, ledger=(entry.seq, entry.hash) if entry else None, status=app.status)
        repo.record_document(session, app.id, format, hashlib.sha256(path.read_bytes()).hexdigest(), entry.seq if entry else None, user.actor)
    return FileResponse(path, media_type=MEDIA[format], filename=path.name, background=BackgroundTask(shutil.rmtree, work, ignore_errors=True))
