"""Request dependencies as ``Annotated`` aliases: settings, the caller, role checks, the chat rate limit."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import OAuth2PasswordBearer

from assistant.auth.users import Principal, principal_for_token
from assistant.settings import Settings
from assistant.storage.db import session_scope


def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


log = logging.getLogger("assistant.api")
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
bearer_token = OAuth2PasswordBearer(tokenUrl="/auth/token", auto_error=False)


def current_principal(settings: SettingsDep, token: Annotated[str | None, Depends(bearer_token)]) -> Principal:
    if token:
        with session_scope(settings) as session:
            who = principal_for_token(session, token, allow_demo=settings.development)
        if who is not None:
            return who
    raise HTTPException(status.HTTP_401_UNAUTHORIZED, "请先登录（令牌缺失、无效或已过期）", headers={"WWW-Authenticate": "Bearer"})


CurrentUser = Annotated[Principal, Depends(current_principal)]


def require(*roles: str) -> Callable[[Principal], Principal]:
    def check(user: CurrentUser) -> Principal:
        if user.role not in roles:
            raise HTTPException(status.HTTP_403_FORBIDDEN, "当前账号无权执行此操作")
        return user

    return check


StaffUser = Annotated[Principal, Depends(require("staff"))]
StaffOrAdmin = Annotated[Principal, Depends(require("staff", "policy_admin"))]
AdminUser = Annotated[Principal, Depends(require("policy_admin"))]
EnterpriseOrStaff = Annotated[Principal, Depends(require("enterprise", "staff"))]
# Applications: a firm its own, a bank those pushed to it, staff all (the scoping is in applications.service).
ApplicationUser = Annotated[Principal, Depends(require("enterprise", "staff", "bank"))]
BankOrStaff = Annotated[Principal, Depends(require("bank", "staff"))]


def chat_limit(request: Request, user: CurrentUser) -> Principal:
    """Per-user limit on the expensive conversational routes (ask, chat, completions)."""
    limiter = request.app.state.limiter
    try:
        allowed = limiter.hit(request.app.state.chat_limit, "chat", str(user.user_id))
    except Exception as exc:  # the limit store (Redis) is down: serve rather than refuse everyone
        log.warning("rate limit store unavailable: %s", type(exc).__name__)
        allowed = True
    if not allowed:
        raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS, "提问过于频繁，请稍后再试", headers={"Retry-After": "30"})
    return user


ChatUser = Annotated[Principal, Depends(chat_limit)]
