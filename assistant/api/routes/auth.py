"""Log in (OAuth2 password form), log out (the token stops working at once) and who-am-I."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel

from assistant.api.deps import CurrentUser, SettingsDep, bearer_token
from assistant.auth.users import ROLE_LABELS, authenticate, issue_token, revoke_token
from assistant.storage import repo
from assistant.storage.db import session_scope
from assistant.storage.models import Enterprise

router = APIRouter(prefix="/auth", tags=["认证"])


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


class Me(BaseModel):
    username: str
    role: str
    role_label: str
    enterprise_id: str | None = None
    enterprise_name: str | None = None
    institution: str | None = None
    profile: dict[str, Any] | None = None


@router.post("/token", summary="登录，换取访问令牌")
def login(form: Annotated[OAuth2PasswordRequestForm, Depends()], settings: SettingsDep) -> Token:
    with session_scope(settings) as session:
        who = authenticate(session, form.username, form.password, allow_demo=settings.development)
        token = issue_token(session, who.user_id, settings.token_hours)
        repo.audit(session, who.actor, "auth.login")
    return Token(access_token=token, expires_in=int(settings.token_hours * 3600))


@router.post("/logout", status_code=204, summary="退出登录：当前令牌立即失效")
def logout(user: CurrentUser, settings: SettingsDep, token: Annotated[str | None, Depends(bearer_token)]) -> None:
    with session_scope(settings) as session:
        if token:
            revoke_token(session, token)
        repo.audit(session, user.actor, "auth.logout")


@router.get("/me", summary="当前账号")
def me(user: CurrentUser, settings: SettingsDep) -> Me:
    name, profile = None, None
    if user.enterprise_id:
        with session_scope(settings) as session:
            firm = session.get(Enterprise, user.enterprise_id)
            name = firm.name if firm else None
            latest = repo.latest_profile(session, user.enterprise_id)
            profile = latest.data if latest else None
    return Me(username=user.username, role=user.role, role_label=ROLE_LABELS[user.role], enterprise_id=user.enterprise_id,
              enterprise_name=name, institution=user.institution, profile=profile)
