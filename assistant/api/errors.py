"""Core errors → HTTP responses with a Chinese ``detail``; no traceback ever reaches a client."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant.api.uploads import UploadTooLarge
from assistant.applications.service import InvalidFields
from assistant.applications.workflow import ConcurrentEditError, WorkflowError
from assistant.auth.users import AuthError
from assistant.errors import AssistantError, IndexBusy, IndexNotBuilt
from assistant.index.chroma_store import VectorStoreUnavailable
from assistant.products.excel import WorkbookError
from assistant.profile.model import describe_errors
from assistant.storage.repo import NotFound

log = logging.getLogger("assistant.api")

STATUS_FOR: list[tuple[type[AssistantError], int]] = [
    (NotFound, 404), (AuthError, 401), (ConcurrentEditError, 409), (WorkflowError, 409), (IndexBusy, 409), (IndexNotBuilt, 503), (VectorStoreUnavailable, 503), (UploadTooLarge, 413),
]
_TRANSPORT = ("body", "query", "path", "form", "header", "cookie")
_HTTP_MESSAGES = {
    404: "请求的资源不存在", 405: "不支持该请求方法", 413: "请求内容过大", 415: "不支持的内容类型", 401: "请先登录", 403: "无权访问",
}


def request_errors(errors: Sequence[Any]) -> list[str]:
    """Chinese messages for a request's validation errors, each naming the field (never its Python name)."""
    out = []
    for raw in errors:
        e = dict(raw)
        loc = tuple(e.get("loc", ()))
        # drop the transport prefix ("body", "query" …) so messages name the field itself; a JSON syntax error's
        # location is a character offset, not a field
        e["loc"] = () if e.get("type") == "json_invalid" else loc[1:] if loc and loc[0] in _TRANSPORT else loc
        out.append(e)
    return describe_errors(out, root="请求内容")


def error_body(headline: str | None, errors: list[str]) -> dict[str, Any]:
    """The body of a 422, built so each error is shown once: a single error is the ``detail`` itself; several are
    a headline in ``detail`` and the list in ``errors`` (clients show the headline, then the list)."""
    if len(errors) == 1 and headline is None:
        return {"detail": errors[0]}
    if not errors:
        return {"detail": headline or "请求格式有误"}
    return {"detail": headline or f"请求有{len(errors)}处需要修改：", "errors": errors}


def install(app: FastAPI) -> None:
    @app.exception_handler(WorkbookError)
    async def _workbook(_: Request, exc: WorkbookError) -> JSONResponse:
        return JSONResponse(error_body(exc.what, exc.errors), status_code=422)

    @app.exception_handler(InvalidFields)
    async def _fields(_: Request, exc: InvalidFields) -> JSONResponse:
        # field by field (a draft's form, a chat's facts): each reason once, and keyed so a form can show it in place
        return JSONResponse({**error_body(None, exc.errors), "fields": exc.fields}, status_code=422)

    @app.exception_handler(AssistantError)
    async def _assistant(_: Request, exc: AssistantError) -> JSONResponse:
        code = next((c for t, c in STATUS_FOR if isinstance(exc, t)), 400)
        return JSONResponse({"detail": exc.message}, status_code=code)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(error_body(None, request_errors(exc.errors())), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail
        if not isinstance(detail, str) or detail.isascii():  # framework defaults are English: say it in Chinese
            detail = _HTTP_MESSAGES.get(exc.status_code, "请求无法处理")
        return JSONResponse({"detail": detail}, status_code=exc.status_code, headers=getattr(exc, "headers", None))

    @app.exception_handler(OperationalError)
    async def _db_down(_: Request, exc: OperationalError) -> JSONResponse:
        log.error("database unavailable: %s", type(exc).__name__)
        return JSONResponse({"detail": "数据库暂时不可用，请稍后重试"}, status_code=503, headers={"Retry-After": "5"})

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error")
        return JSONResponse({"detail": "服务器内部错误，请稍后重试或联系服务中心"}, status_code=500)
