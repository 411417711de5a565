"""Request size limits as plain ASGI middleware: JSON routes get a small cap, upload routes a larger one.
A declared Content-Length over the cap is refused before reading; a chunked body is counted as it arrives."""

from __future__ import annotations

import json
from fnmatch import fnmatchcase

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class _TooLarge(Exception):
    pass


class BodyLimit:
    def __init__(self, app: ASGIApp, default: int, uploads: int, upload_paths: tuple[str, ...]) -> None:
        self.app, self.default, self.uploads, self.upload_paths = app, default, uploads, upload_paths

    async def _refuse(self, send: Send, cap: int) -> None:
        body = json.dumps({"detail": f"请求内容过大（上限 {cap / 1e6:g} MB）"}, ensure_ascii=False).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"].rstrip("/")
        # Exact paths, or patterns with * for one path segment (/applications/*/files).
        cap = self.uploads if any(path == p or ("*" in p and fnmatchcase(path, p)) for p in self.upload_paths) else self.default
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > cap:
            await self._refuse(send, cap)
            return
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > cap:
                    raise _TooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, tracking_send)
        except _TooLarge:
            if not started:
                await self._refuse(send, cap)
