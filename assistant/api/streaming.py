"""Server-sent events.

The reply is computed in a worker thread. The response opens at the first thing it yields, so an error raised before
any text (a 404, a 503) is still a proper HTTP error. With an LLM configured, the model's tokens are relayed as they
come (``delta``); otherwise the finished answer is sent in small pieces. Either way no piece cuts a marker like [12]
in two, and the last event (``done``) carries the final answer, which replaces what was streamed: an LLM that
ends up saying the passages do not answer becomes our refusal, and a failed endpoint falls back to the extractive
answer.
"""

from __future__ import annotations

import json
import logging
import queue
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from fastapi.responses import StreamingResponse

from assistant.answer.llm import DELTA_SINK

log = logging.getLogger(__name__)
T = TypeVar("T")
_PIECE = re.compile(r"\[\d+\]|[^\[]{1,16}|\[")
SSE_RESPONSES: dict[int | str, dict[str, Any]] = {200: {"content": {"text/event-stream": {"schema": {"type": "string"}}}}}


def pieces(text: str) -> list[str]:
    """Small pieces (≤16 characters) so a client can render progressively; markers stay whole."""
    return _PIECE.findall(text)


def event(data: Any, name: str | None = None) -> str:
    body = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    return (f"event: {name}\n" if name else "") + f"data: {body}\n\n"


def sse(events: Iterable[str]) -> StreamingResponse:
    def gen() -> Iterator[str]:
        yield from events

    # no-cache and no proxy buffering, so pieces reach the browser as they are sent
    return StreamingResponse(gen(), media_type="text/event-stream", headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


def relay(compute: Callable[[], T], text_of: Callable[[T], str], done_of: Callable[[T], Any]) -> StreamingResponse:
    """Run ``compute`` in a worker; stream the LLM's deltas while it runs, then the ``done`` event."""
    inbox: queue.Queue[tuple[str, Any]] = queue.Queue()

    def work() -> None:
        DELTA_SINK.set(lambda text: inbox.put(("delta", text)))
        try:
            inbox.put(("done", compute()))
        except BaseException as exc:  # handed to the request thread, which raises or reports it
            inbox.put(("error", exc))

    threading.Thread(target=work, name="answer-stream", daemon=True).start()
    first = inbox.get()
    if first[0] == "error":
        raise first[1]  # nothing sent yet: the app's error handlers answer with the right status

    def events() -> Iterator[str]:
        kind, value = first
        streamed = False
        while kind == "delta":
            streamed = True
            yield event({"text": value}, "delta")
            kind, value = inbox.get()
        if kind == "error":
            log.error("stream_failed error=%s", type(value).__name__)
            yield event({"detail": "生成回答时出错，请稍后重试。"}, "error")
            return
        if not streamed:
            for piece in pieces(text_of(value)):
                yield event({"text": piece}, "delta")
        yield event(done_of(value), "done")

    return sse(events())
