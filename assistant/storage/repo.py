"""Persistence operations, each in one transaction: profiles (versioned, merged field by field), applications
(idempotent creation with the profile they were drafted from, edits of drafts, status changes and bank decisions
with history and an optimistic version check, material files; every event chained into the ledger),
conversations, feedback, audit log."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from assistant.applications.form import Application as Form
from assistant.applications.workflow import (
    MATERIAL_OPEN,
    PUSHED,
    ConcurrentEditError,
    WorkflowError,
    check_editable,
    check_submittable,
    check_transition,
    decision_target,
)
from assistant.errors import AssistantError
from assistant.profile.assets import same_asset
from assistant.profile.model import Profile
from assistant.storage import ledger
from assistant.storage.models import (
    Application,
    ApplicationEvent,
    ApplicationFile,
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


def merge_profile_data(stored: dict[str, Any] | None, given: dict[str, Any]) -> dict[str, Any]:
    """The stored profile updated by what ``given`` states (both as JSON, ``None`` meaning “not said”): every given
    field overrides; ``need`` and ``ip_counts`` are merged per key; ``ip_assets`` per asset, an asset being identified by
    (type, number) — or (type, title) when one side has no number yet — and merged field by field, new ones appended.
    A sparse profile (what one conversation or form said) therefore never erases what the firm said before; clearing
    a stored value is not a merge (an application's own copy can be cleared by editing the draft)."""
    out = copy.deepcopy(stored or {})
    for key, value in given.items():
        if value is None:
            continue
        if key in ("need", "ip_counts") and isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = {**out[key], **{k: copy.deepcopy(v) for k, v in value.items() if v is not None}}
        elif key == "ip_assets" and isinstance(value, list) and isinstance(out.get(key), list):
            assets: list[dict[str, Any]] = out[key]
            for asset in value:
                same = next((a for a in assets if same_asset(a, asset)), None)
                if same is None:
                    assets.append(copy.deepcopy(asset))
                else:
                    same.update({k: copy.deepcopy(v) for k, v in asset.items() if v is not None})
        else:
            out[key] = copy.deepcopy(value)
    return out


def save_profile(session: Session, profile: Profile, source: str = "api", enterprise_id: str | None = None) -> ProfileVersion:
    """Merge ``profile`` into the enterprise's latest stored profile (``merge_profile_data``) and store the result as a
    new version when anything changed; the same data twice keeps one version. Raises pydantic's ValidationError when
    the merged profile is not valid (e.g. more R&D staff than employees once both are known)."""
    firm = _enterprise_for(session, profile, enterprise_id)
    latest = session.scalar(select(ProfileVersion).where(ProfileVersion.enterprise_id == firm.id).order_by(ProfileVersion.version.desc()))
    merged = merge_profile_data(latest.data if latest else None, profile.model_dump(mode="json", exclude_none=True))
    data = Profile.model_validate(merged).model_dump(mode="json", exclude_none=True)
    if latest is not None and latest.data == data:
        return latest
    version = ProfileVersion(enterprise_id=firm.id, version=(latest.version + 1) if latest else 1, data=data, source=source)
    session.add(version)
    session.flush()
    return version


def enterprise_for(session: Session, profile: Profile, enterprise_id: str | None = None) -> Enterprise:
    """The enterprise a profile belongs to (an enterprise account's own; else found by credit code or name, or new)."""
    return _enterprise_for(session, profile, enterprise_id)


def find_idempotent(session: Session, idempotency_key: str | None) -> Application | None:
    if not idempotency_key:
        return None
    return session.scalar(select(Application).where(Application.idempotency_key == idempotency_key))


def create_application(session: Session, profile: Profile, form: Form, actor: str, idempotency_key: str | None = None,
                       enterprise_id: str | None = None, *, profile_version: ProfileVersion | None = None,
                       extra: dict[str, Any] | None = None, inferred: Iterable[str] = ()) -> Application:
    """Idempotent by key: a retried request returns the application the first one created. The application keeps
    ``profile`` — the profile its form was drafted from — with the stored profile version saved with it
    (``profile_version``, or ``profile`` merged into the firm's stored profile now), ``extra`` and ``inferred``."""
    existing = find_idempotent(session, idempotency_key)
    if existing is not None:
        return existing
    pv = profile_version or save_profile(session, profile, source="application", enterprise_id=enterprise_id)
    app = Application(enterprise_id=pv.enterprise_id, product_id=form.product_id, institution=form.institution, status="草稿",
                      form=form.model_dump(mode="json"), idempotency_key=idempotency_key,
                      profile_snapshot=profile.model_dump(mode="json", exclude_none=True), profile_version=pv.version,
                      extra=dict(extra or {}), inferred=sorted(set(inferred)))
    session.add(app)
    session.flush()
    event = ApplicationEvent(application_id=app.id, from_status=None, to_status="草稿", actor=actor, note="由助手预填生成")
    session.add(event)
    ledger.record_event(session, event, product_id=form.product_id, institution=form.institution, enterprise_id=app.enterprise_id)
    audit(session, actor, "application.create", app.id, {"product_id": form.product_id})
    return app


def get_application(session: Session, app_id: str) -> Application:
    app = session.get(Application, app_id)
    if app is None:
        raise NotFound(f"没有编号为 {app_id} 的申请")
    return app


def _stale(app_id: str, current: int, expected: int) -> ConcurrentEditError:
    return ConcurrentEditError(f"申请 {app_id} 已被他人修改（当前版本 {current}，您提交的是版本 {expected}），请刷新后再操作")


def check_version(app: Application, expected_version: int) -> None:
    if app.version != expected_version:
        raise _stale(app.id, app.version, expected_version)


def _move(session: Session, app: Application, expected_version: int, to_status: str, **values: Any) -> None:
    """The guarded UPDATE every status change takes: one version further, refused when someone else changed the
    application since ``expected_version``."""
    now = dt.datetime.now(dt.UTC)
    if to_status == PUSHED and app.pushed_at is None:
        values["pushed_at"] = now
    result = session.execute(
        update(Application)
        .where(Application.id == app.id, Application.version == expected_version)
        .values(status=to_status, version=Application.version + 1, updated_at=now, **values)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise _stale(app.id, app.version, expected_version)


def _event(session: Session, app_id: str, previous: str | None, to_status: str, actor: str, note: str | None, *,
           kind: str = "status", data: dict[str, Any] | None = None) -> ApplicationEvent:
    event = ApplicationEvent(application_id=app_id, from_status=previous, to_status=to_status, kind=kind, actor=actor, note=note, data=data)
    session.add(event)
    ledger.record_event(session, event)
    return event


def transition(session: Session, app_id: str, to_status: str, actor: str, note: str | None, expected_version: int) -> Application:
    """Move an application along the workflow; refuses when someone else changed it since ``expected_version``, and
    a draft's submission while required fields are still 待补充."""
    app = get_application(session, app_id)
    check_version(app, expected_version)
    previous = app.status  # read before the UPDATE: the session synchronises the object with the new row
    check_transition(previous, to_status)
    check_submittable(previous, to_status, Form.model_validate(app.form).missing())
    _move(session, app, expected_version, to_status)
    _event(session, app_id, previous, to_status, actor, note)
    audit(session, actor, "application.transition", app_id, {"from": previous, "to": to_status, "note": note})
    session.flush()
    session.refresh(app)
    return app


def push_demand(session: Session, app_id: str, actor: str, note: str) -> Application:
    """A whitelist firm's drafted demand, pushed straight to the bank (草稿 → 已推送银行): the one path past the
    firm's own submission, for the center's 白名单推送."""
    app = get_application(session, app_id)
    if app.status != "草稿":
        raise WorkflowError(f"申请当前为“{app.status}”，不是待推送的融资需求")
    _move(session, app, app.version, PUSHED)
    _event(session, app_id, "草稿", PUSHED, actor, note)
    audit(session, actor, "application.push_demand", app_id, {"to": app.institution})
    session.flush()
    session.refresh(app)
    return app


def decide(session: Session, app_id: str, decision: str, actor: str, expected_version: int, *, note: str | None,
           terms: dict[str, Any] | None = None) -> Application:
    """A bank's answer (受理 / 补充材料 / 批准 / 拒绝 / 放款) with its terms, as a status change of kind ``decision``."""
    app = get_application(session, app_id)
    check_version(app, expected_version)
    previous = app.status
    target = decision_target(previous, decision)
    _move(session, app, expected_version, target)
    data = {"decision": decision, **{k: v for k, v in (terms or {}).items() if v is not None}}
    _event(session, app_id, previous, target, actor, note, kind="decision", data=data)
    audit(session, actor, "application.decision", app_id, {"from": previous, "to": target, "decision": decision})
    session.flush()
    session.refresh(app)
    return app


def add_files(session: Session, app_id: str, files: list[tuple[str, str, bytes]], actor: str, note: str | None) -> Application:
    """Material for an application (name, content type, bytes). Answering a bank's 补充材料 request puts the
    application back to 银行受理中, one version further; otherwise the status stays and the version too."""
    app = get_application(session, app_id)
    if app.status not in MATERIAL_OPEN:
        raise WorkflowError(f"申请当前为“{app.status}”，只有推送银行后、银行作出决定前可以补充材料")
    previous = app.status
    rows = [ApplicationFile(application_id=app_id, filename=name, content_type=kind, size=len(body),
                            sha256=hashlib.sha256(body).hexdigest(), content=body, actor=actor) for name, kind, body in files]
    session.add_all(rows)
    session.flush()
    target = "银行受理中" if previous == "待补充材料" else previous
    if target != previous:
        _move(session, app, app.version, target)
    listed = [{"id": r.id, "name": r.filename, "size": r.size, "sha256": r.sha256} for r in rows]
    names = "、".join(r.filename for r in rows)
    _event(session, app_id, previous, target, actor, f"补充材料：{names}" + (f"；{note}" if note else ""), kind="material",
           data={"files": listed})
    audit(session, actor, "application.material", app_id, {"files": [r.id for r in rows]})
    session.flush()
    session.refresh(app)
    return app


def list_files(session: Session, app_id: str) -> list[ApplicationFile]:
    return list(session.scalars(select(ApplicationFile).where(ApplicationFile.application_id == app_id).order_by(ApplicationFile.id)))


def record_document(session: Session, app_id: str, fmt: str, sha256: str, printed: int | None, actor: str) -> ledger.LedgerEntry:
    """A generated application document: its file hash, and the ledger entry printed on it."""
    return ledger.append(session, "document", {"format": fmt, "sha256": sha256, "printed_entry": printed, "actor": actor},
                         application_id=app_id)


def edit_draft(session: Session, app_id: str, expected_version: int, actor: str, *, form: Form, snapshot: dict[str, Any],
               extra: dict[str, Any], inferred: Iterable[str], changed: list[str], note: str) -> Application:
    """Store a draft drafted again from edited inputs: one version further, an ``edit`` event and an audit row (which
    names the changed fields, never their values). Refused like a transition when the version is stale, and for
    anything but a draft."""
    app = get_application(session, app_id)
    check_version(app, expected_version)
    check_editable(app.status)
    result = session.execute(
        update(Application)
        .where(Application.id == app_id, Application.version == expected_version)
        .values(form=form.model_dump(mode="json"), profile_snapshot=snapshot, extra=extra, inferred=sorted(set(inferred)),
                version=Application.version + 1, updated_at=dt.datetime.now(dt.UTC))
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise _stale(app_id, app.version, expected_version)
    _event(session, app_id, app.status, app.status, actor, note, kind="edit", data={"fields": changed})
    audit(session, actor, "application.edit", app_id, {"fields": changed, "from_version": expected_version})
    session.flush()
    session.refresh(app)
    return app


def list_applications(session: Session, status: str | None = None, institution: str | None = None, enterprise_id: str | None = None,
                      pushed_only: bool = False) -> list[Application]:
    q = select(Application).order_by(Application.created_at.desc())
    if pushed_only:
        q = q.where(Application.pushed_at.is_not(None))
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
