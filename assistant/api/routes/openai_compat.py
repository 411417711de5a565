"""OpenAI-compatible chat: existing clients (the openai SDK, LangChain's ChatOpenAI, Open WebUI) use the
assistant as a model. The request's user turns are replayed through the dialogue manager, so follow-ups, the
firm's facts and "第二个" work as in our own chat; the reply keeps its [n] markers and the response carries a
top-level ``citations`` list. Client system prompts are ignored: they never steer what the assistant cites."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from typing import Any, Literal

from fastapi import APIRouter
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from assistant.api.deps import ChatUser, CurrentUser, SettingsDep
from assistant.api.streaming import SSE_RESPONSES, event, pieces, sse
from assistant.dialogue.manager import DialogueManager, TurnResult
from assistant.errors import AssistantError

router = APIRouter(prefix="/v1", tags=["OpenAI 兼容接口"])
MODEL_ID = "qinchuang-ip-finance-assistant"
MAX_TURNS = 12


class ContentPart(BaseModel):
    model_config = ConfigDict(extra="allow")
    type: str
    text: str | None = None


class ChatMessageIn(BaseModel):
    model_config = ConfigDict(extra="allow")
    role: Literal["system", "developer", "user", "assistant", "tool"]
    content: str | list[ContentPart] | None = None

    def text(self) -> str:
        if isinstance(self.content, list):
            return "".join(p.text or "" for p in self.content if p.type == "text")
        return self.content or ""


class CompletionRequest(BaseModel):
    model_config = ConfigDict(extra="allow")  # temperature, top_p … are accepted and ignored
    model: str = MODEL_ID
    messages: list[ChatMessageIn] = Field(min_length=1, max_length=100)
    stream: bool = False


def _reply(body: CompletionRequest, settings: Any) -> TurnResult:
    turns = [m.text().strip() for m in body.messages if m.role == "user" and m.text().strip()]
    if not turns:
        raise AssistantError("请求中没有用户消息")
    if any(len(t) > 2000 for t in turns):
        raise AssistantError("单条消息过长（上限 2000 字）")
    manager = DialogueManager(settings)
    result = None
    for text in turns[-MAX_TURNS:]:
        result = manager.turn(text)
    assert result is not None
    return result


def _usage(body: CompletionRequest, reply: str) -> dict[str, int]:
    prompt = sum(len(m.text()) for m in body.messages)  # characters: a fair stand-in for Chinese tokens
    return {"prompt_tokens": prompt, "completion_tokens": len(reply), "total_tokens": prompt + len(reply)}


@router.get("/models", summary="模型列表")
def models(_: CurrentUser) -> dict[str, Any]:
    return {"object": "list", "data": [{"id": MODEL_ID, "object": "model", "created": 1764000000, "owned_by": "qinchuang-service-center"}]}


@router.post("/chat/completions", summary="对话补全（支持 stream）", responses=SSE_RESPONSES)
def completions(body: CompletionRequest, settings: SettingsDep, _: ChatUser) -> Any:
    result = _reply(body, settings)
    cid, created = f"chatcmpl-{uuid.uuid4().hex[:24]}", int(time.time())
    citations = [c.model_dump() for c in result.citations]
    if not body.stream:
        return {
            "id": cid, "object": "chat.completion", "created": created, "model": body.model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": result.reply}, "finish_reason": "stop"}],
            "usage": _usage(body, result.reply), "citations": citations,
        }

    def chunks() -> Iterator[str]:
        base = {"id": cid, "object": "chat.completion.chunk", "created": created, "model": body.model}
        yield event({**base, "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}]})
        for piece in pieces(result.reply):
            yield event({**base, "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]})
        yield event({**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}], "citations": citations})
        yield event("[DONE]")

    stream: StreamingResponse = sse(chunks())
    return stream
