"""Cited answers, plain or streamed as server-sent events; passage search for agents that compose their own."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field, StringConstraints

from assistant.answer.types import Answer
from assistant.api.deps import ChatUser, SettingsDep
from assistant.api.streaming import SSE_RESPONSES, relay
from assistant.dialogue.persist import consult
from assistant.retrieval.passages import SearchRequest, SearchResponse, find_passages
from assistant.settings import MAX_QUESTION_CHARS, Settings

router = APIRouter(tags=["问答"])


class AskRequest(BaseModel):
    question: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_QUESTION_CHARS)] = Field(description="中文问题")
    history: list[str] = Field(default_factory=list, max_length=10, description="此前的问题（用于追问）")
    include_expired: bool | None = Field(default=None, description="是否包含已失效文件；默认按问题判断")


def _answer(body: AskRequest, settings: Settings, user_id: int, enterprise_id: str | None) -> Answer:
    return consult(settings, body.question, body.history, body.include_expired, owner=(enterprise_id, user_id))


@router.post("/ask", summary="提问（带引用的回答）")
def ask_route(body: AskRequest, settings: SettingsDep, user: ChatUser) -> Answer:
    return _answer(body, settings, user.user_id, user.enterprise_id)


@router.post("/ask/stream", summary="提问（SSE 流式：若干 delta 事件，最后 done 事件带完整回答与引用）", responses=SSE_RESPONSES)
def ask_stream(body: AskRequest, settings: SettingsDep, user: ChatUser) -> StreamingResponse:
    return relay(lambda: _answer(body, settings, user.user_id, user.enterprise_id), lambda a: a.answer, lambda a: a.model_dump())


@router.post("/search", summary="检索段落（供自行组织回答的智能体使用）：按地区、类别、文件筛选，每段附出处")
def search_route(body: SearchRequest, settings: SettingsDep, _: ChatUser) -> SearchResponse:
    return find_passages(settings, body)
