"""Enterprise profiles, versioned: an enterprise keeps its own, staff see and edit all.

Saving merges, exactly as a profile sent with an application does (one function, ``repo.merge_profile_data``): the
fields the request gives override, ``need`` and ``ip_counts`` are merged per key and ``ip_assets`` per (type, number),
so a partial profile — what one conversation or form learned — adds to what is stored instead of replacing it.
A new version is stored only when something changed."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, ValidationError

from assistant.api.deps import EnterpriseOrStaff, SettingsDep
from assistant.api.routes.applications import INVALID
from assistant.applications.service import own_profile, profile_errors
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


@router.post("", response_model=ProfileOut, responses=INVALID, summary="保存企业画像（按字段合并到已保存的画像；有变化才生成新版本）",
             description="请求中给出的字段覆盖已保存的值，未给出的保留；融资需求（need）与知识产权数量（ip_counts）逐项合并，"
                         "知识产权清单（ip_assets）按（类型, 号码）合并。与随申请提交的画像使用同一合并规则。")
def save(profile: Profile, settings: SettingsDep, user: EnterpriseOrStaff) -> Any:
    profile = own_profile(settings, user, profile)
    with session_scope(settings) as session:
        try:
            pv = repo.save_profile(session, profile, source="api", enterprise_id=user.enterprise_id if user.role == "enterprise" else None)
        except ValidationError as exc:  # what was stored and what was sent do not fit together (a 422 field by field)
            raise profile_errors(exc) from None
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
