"""The enterprise profile: a public JSON contract (other systems send these field names).

Every field is optional except ``name``: a profile built from a conversation is partial, and the matcher says
what is missing instead of guessing. Amounts are in 元, ratios in 0–1, dates ISO (YYYY-MM-DD).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from assistant.profile import qualifications as quals
from assistant.profile import validators as v
from assistant.profile.messages import FIELD_LABELS, cross_field, describe_errors

__all__ = ["FIELD_LABELS", "IPAsset", "Need", "Profile", "chinese_errors", "describe_errors"]

IPType = Literal["发明专利", "实用新型", "外观设计", "商标", "著作权", "软件著作权"]
VALID_STATUSES = ("有效", "授权", "已授权", "registered", "valid")


class IPAsset(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: IPType
    number: str | None = None
    title: str | None = None
    status: str | None = Field(default=None, description="法律状态：有效 / 失效 / 审查中 …")
    granted: dt.date | None = None
    expires: dt.date | None = None
    owner: str | None = None
    pledged: bool | None = None
    valuation: float | None = Field(default=None, ge=0, description="评估值（元）")

    @model_validator(mode="after")
    def _check(self) -> IPAsset:
        if self.number:
            if self.type in ("发明专利", "实用新型", "外观设计"):
                err = v.patent_number_error(self.number)
                kind = v.patent_kind(self.number)
                if not err and kind and kind != self.type:
                    err = f"专利号 {self.number} 是{kind}的号码，与类型“{self.type}”不符"
            elif self.type == "商标":
                err = v.trademark_number_error(self.number)
            elif self.type == "软件著作权":
                err = v.software_number_error(self.number)
            else:
                err = None
            if err:
                raise ValueError(err)
        if self.granted and self.expires and self.expires <= self.granted:
            raise cross_field("到期日必须晚于授权日", "granted", "expires")
        return self

    def is_valid_on(self, day: dt.date) -> bool | None:
        """None when the status is unknown."""
        if self.expires and self.expires <= day:
            return False
        if self.status is None:
            return None if self.expires is None else True
        return self.status in VALID_STATUSES


class Need(BaseModel):
    model_config = ConfigDict(extra="forbid")

    amount: float | None = Field(default=None, gt=0, description="融资金额（元）")
    term_months: int | None = Field(default=None, ge=1, le=120)
    purpose: str | None = None


class Profile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=2, max_length=100)
    uscc: str | None = None
    region: str | None = None
    founded: dt.date | None = None
    industry: str | None = None
    employees: int | None = Field(default=None, ge=0, le=1_000_000)
    rd_staff: int | None = Field(default=None, ge=0)
    revenue: float | None = Field(default=None, ge=0)
    net_profit: float | None = None
    total_assets: float | None = Field(default=None, ge=0)
    debt_ratio: float | None = Field(default=None, ge=0, le=1)
    qualifications: list[str] | None = Field(default=None, description=f"资质，可填：{quals.accepted_text()}")
    whitelist: bool | None = None
    credit_ok: bool | None = None
    ip_assets: list[IPAsset] | None = None
    ip_counts: dict[IPType, Annotated[int, Field(ge=0)]] | None = None  # per type, so an error names the type
    need: Need | None = None

    @field_validator("uscc")
    @classmethod
    def _uscc(cls, value: str | None) -> str | None:
        if value is None:
            return None
        err = v.uscc_error(value)
        if err:
            raise ValueError(err)
        return value.strip().upper()

    @field_validator("founded")
    @classmethod
    def _founded(cls, value: dt.date | None) -> dt.date | None:
        if value and value > dt.date.today():
            raise ValueError("成立日期不能晚于今天")
        return value

    @field_validator("qualifications")
    @classmethod
    def _qualifications(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        known, unknown = quals.normalise_all(value)
        if unknown:
            raise ValueError(quals.unknown_message(unknown))
        return known

    @model_validator(mode="after")
    def _staff(self) -> Profile:
        if self.rd_staff is not None and self.employees is not None and self.rd_staff > self.employees:
            raise cross_field("研发人员数不能超过职工总数", "rd_staff", "employees")
        return self


def chinese_errors(exc: ValidationError) -> list[str]:
    """Pydantic errors as Chinese sentences naming the field (for CLI, API and UI)."""
    return describe_errors(list(exc.errors()))
