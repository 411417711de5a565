"""Applications: pre-fill and store (idempotent), list, read, move along the workflow, download PDF/DOCX/JSON."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Query
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field
from starlette.background import BackgroundTask

from assistant.api.deps import EnterpriseOrStaff, SettingsDep
from assistant.applications.form import Application as Form
from assistant.applications.form import prefill
from assistant.applications.render import write
from assistant.auth.users import Principal
from assistant.errors import AssistantError
from assistant.products.catalog import catalog_for
from assistant.products.matcher import match_all
from assistant.profile.model import Profile
from assistant.storage import repo
from assistant.storage.db import session_scope
from assistant.storage.models import Application, Enterprise

router = APIRouter(prefix="/applications", tags=["申请"])
MEDIA = {"pdf": "application/pdf", "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "json": "application/json"}


class Extra(BaseModel):
    """Facts from the conversation that are not profile fields."""

    contact_person: str | None = Field(default=None, max_length=40)
    contact_phone: str | None = Field(default=None, max_length=20, pattern=r"^[\d\-+ ]{7,20}$")
    legal_rep: str | None = Field(default=None, max_length=40)
    registered_address: str | None = Field(default=None, max_length=200)
    office_address: str | None = Field(default=None, max_length=200)
    registered_capital: str | None = Field(default=None, max_length=40)
    first_loan: bool | None = None


class NewApplication(BaseModel):
    profile: Profile
    product_id: str | None = Field(default=None, description="不填则选匹配度最高的符合条件产品")
    extra: Extra | None = None


class Event(BaseModel):
    from_status: str | None
    to_status: str
    actor: str
    note: str | None
    at: dt.datetime


class ApplicationOut(BaseModel):
    id: str
    enterprise_id: str
    enterprise_name: str
    product_id: str
    product_name: str
    institution: str
    status: str
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    missing: list[str] = Field(default_factory=list)
    issues: list[dict[str, Any]] = Field(default_factory=list)
    form: dict[str, Any] | None = None
    events: list[Event] = Field(default_factory=list)


class Transition(BaseModel):
    to_status: str = Field(description="目标状态：已提交 / 受理中 / 已推送银行 / 已放款 / 未通过 / 草稿")
    expected_version: int = Field(description="您看到的版本号，防止覆盖他人的修改")
    note: str | None = Field(default=None, max_length=500)


def _out(app: Application, firm: Enterprise | None, detail: bool) -> ApplicationOut:
    form = Form.model_validate(app.form)
    return ApplicationOut(
        id=app.id, enterprise_id=app.enterprise_id, enterprise_name=firm.name if firm else "", product_id=app.product_id,
        product_name=form.product_name, institution=app.institution, status=app.status, version=app.version,
        created_at=app.created_at, updated_at=app.updated_at, missing=form.missing(), issues=[i.model_dump() for i in form.issues],
        form=app.form if detail else None,
        events=[Event(from_status=e.from_status, to_status=e.to_status, actor=e.actor, note=e.note, at=e.at) for e in app.events] if detail else [],
    )


def own_profile(settings: Any, user: Principal, profile: Profile) -> Profile:
    """An enterprise account files and saves only under its own name, whatever name the request carries."""
    if user.role != "enterprise" or not user.enterprise_id:
        return profile
    with session_scope(settings) as session:
        firm = session.get(Enterprise, user.enterprise_id)
    return profile.model_copy(update={"name": firm.name}) if firm else profile


def _visible(session: Any, app_id: str, user: Principal) -> Application:
    """An enterprise reaching another firm's application gets 404, as if it did not exist."""
    app = repo.get_application(session, app_id)
    if user.role == "enterprise" and app.enterprise_id != user.enterprise_id:
        raise repo.NotFound(f"没有编号为 {app_id} 的申请")
    return app


@router.post("", status_code=201, summary="预填并保存申请（草稿）；带 Idempotency-Key 重试不会重复创建")
def create(
    body: NewApplication, settings: SettingsDep, user: EnterpriseOrStaff,
    idempotency_key: Annotated[str | None, Header(max_length=80)] = None,
) -> ApplicationOut:
    catalog = catalog_for(settings)
    profile = own_profile(settings, user, body.profile)
    if body.product_id:
        product = next((p for p in catalog if p.id == body.product_id), None)
        if product is None:
            raise repo.NotFound(f"产品库中没有编号为 {body.product_id} 的产品")
    else:
        best = next((m for m in match_all(catalog, profile) if m.eligible), None)
        if best is None:
            raise AssistantError("根据现有信息没有符合条件的产品，请指定产品或补充企业信息")
        product = next(p for p in catalog if p.id == best.product_id)
    form = prefill(profile, product, body.extra.model_dump(exclude_none=True) if body.extra else None)
    key = f"{user.user_id}:{idempotency_key}" if idempotency_key else None  # keys are per account
    with session_scope(settings) as session:
        app = repo.create_application(session, profile, form, actor=user.actor, idempotency_key=key,
                                      enterprise_id=user.enterprise_id if user.role == "enterprise" else None)
        session.flush()
        session.refresh(app)
        return _out(app, session.get(Enterprise, app.enterprise_id), detail=True)


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
        return [_out(a, session.get(Enterprise, a.enterprise_id), detail=False) for a in apps]


@router.get("/{app_id}", summary="申请详情（表单、校验提示、状态历史）")
def read(app_id: str, settings: SettingsDep, user: EnterpriseOrStaff) -> ApplicationOut:
    with session_scope(settings) as session:
        app = _visible(session, app_id, user)
        return _out(app, session.get(Enterprise, app.enterprise_id), detail=True)


@router.post("/{app_id}/transitions", summary="变更状态（附备注；版本不符则拒绝）")
def move(app_id: str, body: Transition, settings: SettingsDep, user: EnterpriseOrStaff) -> ApplicationOut:
    with session_scope(settings) as session:
        app = _visible(session, app_id, user)
        if user.role == "enterprise" and not (app.status == "草稿" and body.to_status == "已提交"):
            raise AssistantError("企业只能提交自己的草稿申请，其他状态由服务中心办理")
        moved = repo.transition(session, app_id, body.to_status, user.actor, body.note, body.expected_version)
        return _out(moved, session.get(Enterprise, moved.enterprise_id), detail=True)


@router.get("/{app_id}/document", summary="下载申请表（pdf / docx / json）", response_class=FileResponse,
            responses={200: {"content": {m: {} for m in MEDIA.values()}}})
def document(app_id: str, settings: SettingsDep, user: EnterpriseOrStaff, format: Literal["pdf", "docx", "json"] = "pdf") -> FileResponse:
    with session_scope(settings) as session:
        app = _visible(session, app_id, user)
        form = Form.model_validate(app.form)
    work = Path(tempfile.mkdtemp(prefix="app-"))
    path = work / f"申请表-{app_id[:8]}.{format}"
    write(form, path)
    return FileResponse(path, media_type=MEDIA[format], filename=path.name, background=BackgroundTask(shutil.rmtree, work, ignore_errors=True))
