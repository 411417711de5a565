"""Server-sent events. The answer is computed before the stream opens, so errors still become proper HTTP
errors; then it is sent in small pieces that never cut a citation marker like [12] in two."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from fastapi.responses import StreamingResponse

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
