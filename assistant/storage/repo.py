"""Persistence operations, each in one transaction: profiles (versioned), applications (idempotent creation,
status changes with history and an optimistic version check), conversations, feedback, audit log."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from assistant.applications.form import Application as Form
from assistant.applications.workflow import ConcurrentEditError, check_transition
from assistant.errors import AssistantError
from assistant.profile.model import Profile
from assistant.storage.models import (
    Application,
    ApplicationEvent,
    AuditLog,
    Conversation,
    Enterprise,
    Feedback,
    Message,
    ProfileVersion,
)


class NotFound(AssistantError):
    pass


def audit(session: Session, actor: str, action: str, target: str | None = None, detail: dict[str, Any] | None = None) -> None:
    session.add(AuditLog(actor=actor, action=action, target=target, detail=detail))


def upsert_enterprise(session: Session, profile: Profile) -> Enterprise:
    found = None
    if profile.uscc:
        found = session.scalar(select(Enterprise).where(Enterprise.uscc == profile.uscc))
    if found is None:
        found = session.scalar(select(Enterprise).where(Enterprise.name == profile.name, Enterprise.uscc.is_(None)))
    if found is None:
        found = Enterprise(name=profile.name, uscc=profile.uscc)
        session.add(found)
        session.flush()
    elif profile.uscc and not found.uscc:
        found.uscc = profile.uscc
    return found


def _enterprise_for(session: Session, profile: Profile, enterprise_id: str | None) -> Enterprise:
    """An enterprise account's data always lands on its own enterprise, whatever name the profile carries."""
    if enterprise_id is None:
        return upsert_enterprise(session, profile)
    firm = session.get(Enterprise, enterprise_id)
    if firm is None:
        raise NotFound("账号所属企业不存在")
    if profile.uscc and firm.uscc != profile.uscc:
        other = session.scalar(select(Enterprise).where(Enterprise.uscc == profile.uscc))
        if other is not None and other.id != firm.id:
            raise AssistantError("该统一社会信用代码已登记在另一家企业名下，请核对或联系服务中心")
        firm.uscc = profile.uscc
    return firm


def save_profile(session: Session, profile: Profile, source: str = "api", enterprise_id: str | None = None) -> ProfileVersion:
    """A new version whenever the profile changes; the same data twice keeps one version."""
    firm = _enterprise_for(session, profile, enterprise_id)
    data = profile.model_dump(mode="json", exclude_none=True)
    latest = session.scalar(select(ProfileVersion).where(ProfileVersion.enterprise_id == firm.id).order_by(ProfileVersion.version.desc()))
    if latest is not None and latest.data == data:
        return latest
    version = ProfileVersion(enterprise_id=firm.id, version=(latest.version + 1) if latest else 1, data=data, source=source)
    session.add(version)
    session.flush()
    return version


def create_application(session: Session, profile: Profile, form: Form, actor: str, idempotency_key: str | None = None,
                       enterprise_id: str | None = None) -> Application:
    """Idempotent by key: a retried request returns the application the first one created."""
    if idempotency_key:
        existing = session.scalar(select(Application).where(Application.idempotency_key == idempotency_key))
        if existing is not None:
            return existing
    pv = save_profile(session, profile, source="application", enterprise_id=enterprise_id)
    app = Application(enterprise_id=pv.enterprise_id, product_id=form.product_id, institution=form.institution, status="草稿",
                      form=form.model_dump(mode="json"), idempotency_key=idempotency_key)
    session.add(app)
    session.flush()
    session.add(ApplicationEvent(application_id=app.id, from_status=None, to_status="草稿", actor=actor, note="由助手预填生成"))
    audit(session, actor, "application.create", app.id, {"product_id": form.product_id})
    return app


def get_application(session: Session, app_id: str) -> Application:
    app = session.get(Application, app_id)
    if app is None:
        raise NotFound(f"没有编号为 {app_id} 的申请")
    return app


def transition(session: Session, app_id: str, to_status: str, actor: str, note: str | None, expected_version: int) -> Application:
    """Move an application along the workflow; refuses when someone else changed it since ``expected_version``."""
    app = get_application(session, app_id)
    if app.version != expected_version:
        raise ConcurrentEditError(f"申请 {app_id} 已被他人修改（当前版本 {app.version}，您提交的是版本 {expected_version}），请刷新后再操作")
    previous = app.status  # read before the UPDATE: the session synchronises the object with the new row
    check_transition(previous, to_status)
    result = session.execute(
        update(Application)
        .where(Application.id == app_id, Application.version == expected_version)
        .values(status=to_status, version=Application.version + 1, updated_at=dt.datetime.now(dt.UTC))
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise ConcurrentEditError(f"申请 {app_id} 已被他人修改（当前版本 {app.version}，您提交的是版本 {expected_version}），请刷新后再操作")
    session.add(ApplicationEvent(application_id=app_id, from_status=previous, to_status=to_status, actor=actor, note=note))
    audit(session, actor, "application.transition", app_id, {"from": previous, "to": to_status, "note": note})
    session.flush()
    session.refresh(app)
    return app


def list_applications(session: Session, status: str | None = None, institution: str | None = None, enterprise_id: str | None = None) -> list[Application]:
    q = select(Application).order_by(Application.created_at.desc())
    if status:
        q = q.where(Application.status == status)
    if institution:
        q = q.where(Application.institution == institution)
    if enterprise_id:
        q = q.where(Application.enterprise_id == enterprise_id)
    return list(session.scalars(q))


def start_conversation(session: Session, enterprise_id: str | None = None, user_id: int | None = None) -> Conversation:
    conv = Conversation(enterprise_id=enterprise_id, user_id=user_id)
    session.add(conv)
    session.flush()
    return conv


def add_message(session: Session, conversation_id: str, role: str, text: str, intent: str | None = None, data: dict[str, Any] | None = None) -> Message:
    msg = Message(conversation_id=conversation_id, role=role, text=text, intent=intent, data=data)
    session.add(msg)
    session.flush()
    return msg


def add_feedback(session: Session, rating: int, message_id: int | None = None, question: str | None = None, comment: str | None = None) -> Feedback:
    if rating not in (1, -1):
        raise AssistantError("评价只能是 1（有帮助）或 -1（没帮助）")
    # One rating per answer: changing one's mind replaces the earlier rating instead of counting twice.
    fb = session.scalar(select(Feedback).where(Feedback.message_id == message_id)) if message_id is not None else None
    if fb is None:
        fb = Feedback(message_id=message_id, question=question, rating=rating, comment=comment)
        session.add(fb)
    else:
        fb.rating, fb.comment = rating, comment if comment is not None else fb.comment
    session.flush()
    return fb


def latest_profile(session: Session, enterprise_id: str) -> ProfileVersion | None:
    return session.scalar(select(ProfileVersion).where(ProfileVersion.enterprise_id == enterprise_id).order_by(ProfileVersion.version.desc()))


def list_enterprises(session: Session, name: str | None = None) -> list[Enterprise]:
    q = select(Enterprise).order_by(Enterprise.name)
    if name:
        q = q.where(Enterprise.name.contains(name))
    return list(session.scalars(q))
