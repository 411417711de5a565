"""The enterprise profile: a public JSON contract (other systems send these field names).

Every field is optional except ``name``: a profile built from a conversation is partial, and the matcher says
what is missing instead of guessing. Amounts are in 元, ratios in 0–1, dates ISO (YYYY-MM-DD).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from assistant.profile import validators as v

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
            raise ValueError("到期日必须晚于授权日")
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
    qualifications: list[str] | None = None
    whitelist: bool | None = None
    credit_ok: bool | None = None
    ip_assets: list[IPAsset] | None = None
    ip_counts: dict[IPType, int] | None = None
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

    @field_validator("ip_counts")
    @classmethod
    def _counts(cls, value: dict[str, int] | None) -> dict[str, int] | None:
        if value and any(n < 0 for n in value.values()):
            raise ValueError("知识产权数量不能为负数")
        return value

    @model_validator(mode="after")
    def _staff(self) -> Profile:
        if self.rd_staff is not None and self.employees is not None and self.rd_staff > self.employees:
            raise ValueError("研发人员数不能超过职工总数")
        return self


FIELD_LABELS = {
    "name": "企业名称", "uscc": "统一社会信用代码", "region": "注册地", "founded": "成立日期", "industry": "所属行业",
    "employees": "职工人数", "rd_staff": "研发人员数", "revenue": "上年营业收入", "net_profit": "净利润",
    "total_assets": "资产总额", "debt_ratio": "资产负债率", "qualifications": "资质", "whitelist": "是否列入白名单",
    "credit_ok": "征信是否良好", "ip_assets": "知识产权清单", "ip_counts": "知识产权数量", "need": "融资需求",
    "amount": "融资金额", "term_months": "融资期限（月）", "purpose": "资金用途", "type": "类型", "number": "编号",
    "title": "名称", "status": "法律状态", "granted": "授权日", "expires": "到期日", "owner": "权利人",
    "pledged": "是否已质押", "valuation": "评估值",
}

_MESSAGES = {
    "missing": "必须填写",
    "extra_forbidden": "不是可识别的字段",
    "date_from_datetime_parsing": "日期格式应为 YYYY-MM-DD",
    "date_parsing": "日期格式应为 YYYY-MM-DD",
    "date_type": "日期格式应为 YYYY-MM-DD",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "bool_parsing": "应为是/否（true/false）",
    "bool_type": "应为是/否（true/false）",
    "string_type": "应为文字",
    "list_type": "应为列表",
    "dict_type": "应为对象",
    "string_too_short": "太短",
    "string_too_long": "太长",
}


def _label(loc: tuple[int | str, ...]) -> str:
    parts = []
    for p in loc:
        if isinstance(p, int):
            parts.append(f"第{p + 1}项")
        else:
            parts.append(FIELD_LABELS.get(str(p)) or _REQUEST_LABELS.get(str(p), str(p)))
    return "·".join(parts) if parts else "企业信息"


def chinese_errors(exc: ValidationError) -> list[str]:
    """Pydantic errors as Chinese sentences naming the field (for CLI, API and UI)."""
    return describe_errors(list(exc.errors()))


# Request fields of the API, so its validation errors name them in Chinese too.
_REQUEST_LABELS = {"question": "问题", "history": "历史问题", "text": "消息", "profile": "企业信息", "product_id": "产品编号",
                   "messages": "消息列表", "to_status": "目标状态", "expected_version": "版本号", "rating": "评价", "top": "显示数量"}


def describe_errors(errors: list[Any]) -> list[str]:
    out = []
    for e in errors:
        kind = e["type"]
        ctx = e.get("ctx") or {}
        if kind == "value_error":
            msg = str(ctx.get("error", e["msg"]))
        elif kind in ("greater_than_equal", "greater_than"):
            msg = f"不能小于{ctx.get('ge', ctx.get('gt'))}" if kind == "greater_than_equal" else f"必须大于{ctx.get('gt')}"
        elif kind in ("less_than_equal", "less_than"):
            msg = f"不能大于{ctx.get('le', ctx.get('lt'))}"
        elif kind == "string_too_short" and ctx.get("min_length") == 1:
            msg = "不能为空"
        elif kind == "literal_error":
            msg = f"应为以下之一：{ctx.get('expected', '')}"
        else:
            msg = _MESSAGES.get(kind, e["msg"])
        out.append(f"{_label(tuple(e['loc']))}：{msg}")
    return out
