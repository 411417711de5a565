"""A small HTTP client for the assistant API: base URL from ``ASSISTANT_API_URL``, a bearer token, timeouts,
Chinese error messages taken from the API's ``{"detail": ...}``, and server-sent events for streamed answers.

The UI talks to the API only through this module (never imports the ``assistant`` package)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx

DEFAULT_URL = "http://127.0.0.1:8000"
TIMEOUT = httpx.Timeout(60.0, connect=5.0)
LONG_TIMEOUT = httpx.Timeout(180.0, connect=5.0)  # uploads, batch matching, streamed answers

_STATUS_MESSAGES = {
    400: "请求有误",
    401: "请先登录（令牌缺失、无效或已过期）",
    403: "当前账号无权执行此操作",
    404: "请求的资源不存在",
    409: "操作冲突，请刷新后重试",
    413: "文件或请求内容过大",
    422: "提交的内容未通过校验",
    429: "操作过于频繁，请稍后再试",
    500: "服务器内部错误，请稍后重试或联系服务中心",
    502: "服务暂时不可用，请稍后重试",
    503: "服务暂时不可用，请稍后重试",
    504: "服务响应超时，请稍后重试",
}


def api_url() -> str:
    return (os.environ.get("ASSISTANT_API_URL") or DEFAULT_URL).rstrip("/")


class ApiError(Exception):
    """An API call that did not succeed; ``message`` is Chinese and safe to show."""

    def __init__(self, message: str, status: int | None = None, errors: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.errors = errors or []

    @property
    def unauthorized(self) -> bool:
        return self.status == 401

    @property
    def conflict(self) -> bool:
        return self.status == 409


def error_from(response: httpx.Response) -> ApiError:
    """The API's Chinese ``detail`` (and row ``errors`` if any), or a Chinese default for the status code."""
    detail: Any = None
    errors: list[str] = []
    try:
        body = response.json()
    except (ValueError, UnicodeDecodeError):
        body = None
    if isinstance(body, dict):
        detail = body.get("detail")
        raw = body.get("errors")
        if isinstance(raw, list):
            errors = [str(e) for e in raw]
    if isinstance(detail, list):  # FastAPI's default validation shape, in case a route bypasses the handler
        detail = "；".join(str(d.get("msg", d)) if isinstance(d, dict) else str(d) for d in detail)
    if not isinstance(detail, str) or not detail.strip():
        detail = _STATUS_MESSAGES.get(response.status_code, f"请求失败（HTTP {response.status_code}）")
    if errors and all(e in detail for e in errors):  # a detail that only joins the list: a headline, so each shows once
        detail = f"有{len(errors)}处需要修改：" if len(errors) > 1 else errors.pop()
    return ApiError(detail, response.status_code, errors)


@dataclass
class SSEvent:
    event: str
    data: Any


def parse_sse(lines: Iterable[str]) -> Iterator[SSEvent]:
    """Server-sent events from text lines: ``event:`` names it, ``data:`` lines (joined) carry JSON or text,
    a blank line ends an event; ``:`` comments are ignored."""
    name, data = "message", list[str]()
    for raw in lines:
        line = raw.rstrip("\r\n")
        if not line:
            if data:
                text = "\n".join(data)
                try:
                    payload: Any = json.loads(text)
                except ValueError:
                    payload = text
                yield SSEvent(name, payload)
            name, data = "message", list[str]()
            continue
        if line.startswith(":"):
            continue
        key, _, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if key == "event":
            name = value or "message"
        elif key == "data":
            data.append(value)
    if data:
        text = "\n".join(data)
        try:
            yield SSEvent(name, json.loads(text))
        except ValueError:
            yield SSEvent(name, text)


@dataclass
class Download:
    content: bytes
    filename: str
    media_type: str


def _filename(response: httpx.Response, default: str) -> str:
    from email.message import Message
    from urllib.parse import unquote

    header = response.headers.get("content-disposition")
    if not header:
        return default
    msg = Message()
    msg["content-disposition"] = header
    star = msg.get_param("filename*", header="content-disposition")
    if isinstance(star, str) and "''" in star:
        return unquote(star.split("''", 1)[1])
    plain = msg.get_filename()
    return plain or default


@dataclass
class ApiClient:
    base_url: str = field(default_factory=api_url)
    token: str | None = None
    timeout: httpx.Timeout = field(default_factory=lambda: TIMEOUT)

    # -- plumbing ---------------------------------------------------------------------------------------------
    def _headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        headers.update(extra or {})
        return headers

    def request(self, method: str, path: str, *, headers: dict[str, str] | None = None,
                timeout: httpx.Timeout | None = None, **kwargs: Any) -> httpx.Response:
        try:
            response = httpx.request(method, self.base_url + path, headers=self._headers(headers),
                                     timeout=timeout or self.timeout, **kwargs)
        except httpx.TimeoutException:
            raise ApiError("服务响应超时，请稍后重试") from None
        except httpx.HTTPError:
            raise ApiError(f"无法连接助手服务（{self.base_url}），请确认 API 已启动") from None
        if response.status_code >= 400:
            raise error_from(response)
        return response

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.request("GET", path, **kwargs).json()

    def post(self, path: str, **kwargs: Any) -> Any:
        response = self.request("POST", path, **kwargs)
        return response.json() if response.content else None

    def patch(self, path: str, **kwargs: Any) -> Any:
        response = self.request("PATCH", path, **kwargs)
        return response.json() if response.content else None

    def delete(self, path: str, **kwargs: Any) -> Any:
        response = self.request("DELETE", path, **kwargs)
        return response.json() if response.content else None

    def download(self, method: str, path: str, default_name: str, **kwargs: Any) -> Download:
        response = self.request(method, path, timeout=LONG_TIMEOUT, **kwargs)
        return Download(response.content, _filename(response, default_name),
                        response.headers.get("content-type", "application/octet-stream"))

    # -- auth -------------------------------------------------------------------------------------------------
    def login(self, username: str, password: str) -> str:
        body = self.post("/auth/token", data={"username": username, "password": password})
        self.token = body["access_token"]
        return self.token

    def logout(self) -> None:
        self.request("POST", "/auth/logout")
        self.token = None

    def me(self) -> dict[str, Any]:
        result: dict[str, Any] = self.get("/auth/me")
        return result

    # -- chat -------------------------------------------------------------------------------------------------
    def start_chat(self) -> str:
        return str(self.post("/chat/sessions")["id"])

    def stream_chat(self, session_id: str, text: str) -> Iterator[SSEvent]:
        """Events of one turn: ``delta`` {"text"} pieces, then ``done`` with the whole reply."""
        try:
            with httpx.stream("POST", f"{self.base_url}/chat/sessions/{session_id}/messages/stream", json={"text": text},
                              headers=self._headers({"Accept": "text/event-stream"}), timeout=LONG_TIMEOUT) as response:
                if response.status_code >= 400:
                    response.read()
                    raise error_from(response)
                yield from parse_sse(response.iter_lines())
        except httpx.TimeoutException:
            raise ApiError("回答超时，请稍后重试") from None
        except httpx.HTTPError:
            raise ApiError(f"与助手服务的连接中断（{self.base_url}），请重试") from None

    def feedback(self, message_id: int, rating: int) -> Any:
        return self.post("/chat/feedback", json={"message_id": message_id, "rating": rating})

    # -- background jobs --------------------------------------------------------------------------------------
    def job(self, job_id: str) -> dict[str, Any]:
        result: dict[str, Any] = self.get(f"/admin/jobs/{job_id}")
        return result
