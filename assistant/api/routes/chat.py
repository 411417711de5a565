"""Chat sessions: multi-turn dialogue (questions, matching, applications) kept per account, and answer feedback."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field, StringConstraints, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from assistant.answer.types import Citation
from assistant.api.deps import ChatUser, CurrentUser, EnterpriseOrStaff, SettingsDep
from assistant.api.streaming import SSE_RESPONSES, relay
from assistant.applications import service
from assistant.applications.progress import describe
from assistant.applications.service import ApplicationOut, create_application
from assistant.auth.users import Principal
from assistant.dialogue.firm import application_inputs, profile_dict, slots_from_profile
from assistant.dialogue.manager import Session as DialogueState
from assistant.dialogue.manager import TurnResult
from assistant.dialogue.persist import Turn, take_turn
from assistant.errors import AssistantError
from assistant.profile.model import Profile, describe_errors
from assistant.settings import MAX_MESSAGE_CHARS
from assistant.storage import repo
from assistant.storage.db import session_scope
from assistant.storage.models import Conversation, Enterprise, Message

router = APIRouter(prefix="/chat", tags=["会话"])


class SessionInfo(BaseModel):
    id: str
    started_at: dt.datetime
    messages: int = 0
    title: str | None = None


class ChatMessage(BaseModel):
    id: int
    role: str
    text: str
    intent: str | None = None
    citations: list[Citation] = Field(default_factory=list)
    matches: list[dict[str, Any]] = Field(default_factory=list)
    refused: bool = False
    application: dict[str, Any] | None = None
    at: dt.datetime


class SessionDetail(SessionInfo):
    profile: dict[str, Any] = Field(default_factory=dict)
    history: list[ChatMessage] = Field(default_factory=list)


class UserTurn(BaseModel):
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_MESSAGE_CHARS)] = Field(description="用户这一轮说的话")


class TurnReply(BaseModel):
    reply: str
    intent: str
    profile: dict[str, Any]
    citations: list[Citation] = Field(default_factory=list)
    matches: list[dict[str, Any]] = Field(default_factory=list)
    refused: bool = False
    application: dict[str, Any] | None = Field(default=None, description="本轮按企业要求生成的申请草稿（编号、产品、待补充项）")
    message_id: int = Field(description="回答消息的编号（用于评价）")


class FeedbackIn(BaseModel):
    message_id: int
    rating: int = Field(description="1 有帮助，-1 没帮助", ge=-1, le=1)
    comment: str | None = Field(default=None, max_length=500)


def owned(session: Session, conv_id: str, user: Principal) -> Conversation:
    """Another account's conversation answers 404, as if it did not exist."""
    conv = session.get(Conversation, conv_id)
    if conv is None or (user.role != "staff" and conv.user_id != user.user_id):
        raise repo.NotFound(f"没有编号为 {conv_id} 的会话")
    return conv


def _reply(turn: Turn) -> TurnReply:
    r = turn.result
    return TurnReply(reply=r.reply, intent=r.intent, profile=r.profile, citations=r.citations, matches=r.matches, refused=r.refused,
                     application=r.application, message_id=turn.reply_message_id)


@router.post("/sessions", summary="开始一个会话（企业账号从本企业名称和已保存的画像开始）", status_code=201)
def start(settings: SettingsDep, user: CurrentUser) -> SessionInfo:
    with session_scope(settings) as session:
        conv = repo.start_conversation(session, enterprise_id=user.enterprise_id, user_id=user.user_id)
        if user.enterprise_id:
            firm = session.get(Enterprise, user.enterprise_id)
            latest = repo.latest_profile(session, user.enterprise_id)
            slots = slots_from_profile(latest.data) if latest else {}
            slots["name"] = firm.name if firm else slots.get("name")
            conv.state = DialogueState(slots={k: v for k, v in slots.items() if v is not None}).to_state()
        return SessionInfo(id=conv.id, started_at=conv.started_at)


@router.get("/sessions", summary="我的会话（工作人员可看全部）")
def sessions(settings: SettingsDep, user: CurrentUser, limit: int = 50) -> list[SessionInfo]:
    with session_scope(settings) as session:
        # messages loaded in one query for all listed conversations, not one query each
        q = (select(Conversation).options(selectinload(Conversation.messages)).order_by(Conversation.started_at.desc())
             .limit(max(1, min(limit, 500))))
        if user.role != "staff":
            q = q.where(Conversation.user_id == user.user_id)
        out = []
        for conv in session.scalars(q):
            first = next((m.text for m in conv.messages if m.role == "user"), None)
            out.append(SessionInfo(id=conv.id, started_at=conv.started_at, messages=len(conv.messages), title=(first or "")[:30] or None))
        return out


@router.get("/sessions/{conv_id}", summary="会话详情与消息")
def session_detail(conv_id: str, settings: SettingsDep, user: CurrentUser) -> SessionDetail:
    with session_scope(settings) as session:
        conv = owned(session, conv_id, user)
        history = [
            ChatMessage(id=m.id, role=m.role, text=m.text, intent=m.intent, at=m.created_at,
                        citations=[Citation(**c) for c in (m.data or {}).get("citations", [])] if m.role == "assistant" else [],
                        matches=(m.data or {}).get("matches", []) if m.role == "assistant" else [],
                        refused=bool((m.data or {}).get("refused")) if m.role == "assistant" else False,
                        application=(m.data or {}).get("application") if m.role == "assistant" else None)
            for m in conv.messages
        ]
        # the profile as the conversation knows it now (a stored session restores the firm's facts too)
        profile = profile_dict(DialogueState.from_state(conv.state).slots) if conv.state else {}
        return SessionDetail(id=conv.id, started_at=conv.started_at, messages=len(history), history=history, profile=profile)


def _check_owner(conv_id: str, settings: SettingsDep, user: Principal) -> None:
    """Another firm's conversation is a 404, raised before any work (or any stream) starts."""
    with session_scope(settings) as session:
        owned(session, conv_id, user)


def _draft(settings: SettingsDep, user: Principal, conv_id: str, state: DialogueState, product_id: str | None) -> ApplicationOut:
    """The application drafted from everything the conversation knows (profile, contacts, IP items; a founding date
    known only by its year marked 系统推断). Same facts and product → the same draft, however often it is asked."""
    data, extra, inferred = application_inputs(state.slots)
    with session_scope(settings) as session:  # a firm's own conversation files under that firm, whoever drafts from it
        conv = session.get(Conversation, conv_id)
        firm = session.get(Enterprise, conv.enterprise_id) if conv is not None and conv.enterprise_id else None
        owner = (firm.name, firm.uscc) if firm is not None else None
    if owner is not None:
        data["name"] = owner[0]
        if owner[1]:
            data["uscc"] = owner[1]
    elif user.role == "enterprise":
        data["name"] = data["name"] if state.slots.get("name") else "本企业"  # replaced by the account's own firm name
    elif not state.slots.get("name"):
        raise AssistantError("请先告诉我企业全称（如“××科技有限公司”），再生成申请表")
    try:
        profile = Profile.model_validate(data)
    except ValidationError as exc:
        raise AssistantError("对话中的企业信息有误，请核对：" + "；".join(describe_errors(list(exc.errors())))) from None
    key = "chat:" + conv_id + ":" + hashlib.sha256(json.dumps([data, extra, sorted(inferred), product_id], ensure_ascii=False, sort_keys=True,
                                                             default=str).encode()).hexdigest()[:32]
    return create_application(settings, user, profile, product_id=product_id, extra=extra, inferred=inferred, idempotency_key=key)


def _summary(app: ApplicationOut) -> dict[str, Any]:
    return {"id": app.id, "product_id": app.product_id, "product_name": app.product_name, "institution": app.institution,
            "status": app.status, "version": app.version, "missing": app.missing}


def _progress(settings: SettingsDep, user: Principal) -> str:
    """“我的申请怎么样了？”: a firm hears its own applications from the records; other accounts are pointed to their page."""
    if user.role != "enterprise":
        return "申请进度请在“申请管理”（银行账号：“银行工作台”）中查看；对话中只能查询本企业账号自己的申请。"
    with session_scope(settings) as session:
        apps = [service.to_out(a, session.get(Enterprise, a.enterprise_id), detail=True) for a in service.listed(session, user)]
    return describe(apps)


def _applier(settings: SettingsDep, user: Principal, conv_id: str) -> Callable[[TurnResult, DialogueState], None]:
    """What a turn asking for the application does in the service: draft it, and say so (or why not)."""

    def act(result: TurnResult, state: DialogueState) -> None:
        if result.status_request:
            result.reply = _progress(settings, user)
            return
        if not result.apply_product:
            return
        if user.role not in ("enterprise", "staff"):
            result.reply += "\n申请表由企业或服务中心工作人员账号生成，当前账号不能生成申请。"
            return
        try:
            app = _draft(settings, user, conv_id, state, result.apply_product)
        except AssistantError as exc:
            result.reply += f"\n暂未生成申请表草稿：{exc.message}"
            return
        result.application = _summary(app)
        missing = f"，待补充：{'、'.join(app.missing)}" if app.missing else ""
        result.reply += f"\n已生成申请表草稿（编号 {app.id[:8]}{missing}），可在“申请管理”中补填并提交。"

    return act


def _turn(conv_id: str, body: UserTurn, settings: SettingsDep, user: Principal) -> Turn:
    _check_owner(conv_id, settings, user)
    return take_turn(settings, conv_id, body.text, _applier(settings, user, conv_id))


@router.post("/sessions/{conv_id}/messages", summary="发送一轮消息，得到回复（含意图、企业画像、引用、匹配结果）")
def send(conv_id: str, body: UserTurn, settings: SettingsDep, user: ChatUser) -> TurnReply:
    return _reply(_turn(conv_id, body, settings, user))


@router.post("/sessions/{conv_id}/messages/stream", summary="发送一轮消息（SSE 流式）", responses=SSE_RESPONSES)
def send_stream(conv_id: str, body: UserTurn, settings: SettingsDep, user: ChatUser) -> StreamingResponse:
    _check_owner(conv_id, settings, user)
    act = _applier(settings, user, conv_id)
    return relay(lambda: _reply(take_turn(settings, conv_id, body.text, act)), lambda r: r.reply, lambda r: r.model_dump())


class DraftRequest(BaseModel):
    product_id: str | None = Field(default=None, max_length=80, description="不填则用对话中正在讨论的产品，或匹配度最高的符合条件产品")
    name: str | None = Field(default=None, min_length=2, max_length=100, description="企业全称（工作人员代企业办理、对话中未提到名称时填写）")


@router.post("/sessions/{conv_id}/application", status_code=201,
             summary="用本会话了解到的全部信息生成申请表草稿（画像、联系人、知识产权清单；同样的信息重复提交不会重复生成）")
def draft_application(conv_id: str, body: DraftRequest, settings: SettingsDep, user: EnterpriseOrStaff) -> ApplicationOut:
    with session_scope(settings) as session:
        conv = owned(session, conv_id, user)
        state = DialogueState.from_state(conv.state)
    if body.name and not state.slots.get("name"):
        state.slots["name"] = body.name.strip()
    return _draft(settings, user, conv_id, state, body.product_id or state.focus)


@router.post("/feedback", summary="对一条回答点赞或点踩", status_code=201)
def feedback(body: FeedbackIn, settings: SettingsDep, user: CurrentUser) -> dict[str, Any]:
    with session_scope(settings) as session:
        msg = session.get(Message, body.message_id)
        if msg is None or msg.role != "assistant":
            raise repo.NotFound(f"没有编号为 {body.message_id} 的回答")
        owned(session, msg.conversation_id, user)
        question = (msg.data or {}).get("question")
        fb = repo.add_feedback(session, body.rating, message_id=msg.id, question=question, comment=body.comment)
        return {"id": fb.id, "rating": fb.rating}
