"""Enterprise profiles, versioned: an enterprise keeps its own, staff see and edit all."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel

from assistant.api.deps import EnterpriseOrStaff, SettingsDep
from assistant.api.routes.applications import own_profile
from assistant.profile.model import Profile
from assistant.storage import repo
from assistant.storage.db import session_scope
from assistant.storage.models import Enterprise

router = APIRouter(prefix="/profiles", tags=["企业画像"])


class ProfileOut(BaseModel):
    enterprise_id: str
    name: str
    uscc: str | None = None
    version: int | None = None
    saved_at: dt.datetime | None = None
    profile: dict[str, Any] | None = None


def _out(session: Any, firm: Enterprise) -> ProfileOut:
    latest = repo.latest_profile(session, firm.id)
    return ProfileOut(enterprise_id=firm.id, name=firm.name, uscc=firm.uscc, version=latest.version if latest else None,
                      saved_at=latest.created_at if latest else None, profile=latest.data if latest else None)


@router.post("", summary="保存企业画像（有变化才生成新版本）")
def save(profile: Profile, settings: SettingsDep, user: EnterpriseOrStaff) -> ProfileOut:
    profile = own_profile(settings, user, profile)
    with session_scope(settings) as session:
        pv = repo.save_profile(session, profile, source="api", enterprise_id=user.enterprise_id if user.role == "enterprise" else None)
        repo.audit(session, user.actor, "profile.save", pv.enterprise_id, {"version": pv.version})
        firm = session.get(Enterprise, pv.enterprise_id)
        assert firm is not None
        return _out(session, firm)


@router.get("", summary="企业列表（企业账号只看到自己）")
def list_(settings: SettingsDep, user: EnterpriseOrStaff, name: Annotated[str | None, Query(max_length=100)] = None) -> list[ProfileOut]:
    with session_scope(settings) as session:
        if user.role == "enterprise":
            firm = session.get(Enterprise, user.enterprise_id) if user.enterprise_id else None
            return [_out(session, firm)] if firm else []
        return [_out(session, f) for f in repo.list_enterprises(session, name)]


@router.get("/{enterprise_id}", summary="一家企业的最新画像")
def read(enterprise_id: str, settings: SettingsDep, user: EnterpriseOrStaff) -> ProfileOut:
    with session_scope(settings) as session:
        firm = session.get(Enterprise, enterprise_id)
        if firm is None or (user.role == "enterprise" and user.enterprise_id != enterprise_id):
            raise repo.NotFound(f"没有编号为 {enterprise_id} 的企业")
        return _out(session, firm)
