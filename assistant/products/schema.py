"""The product record: one YAML file per product in ``corpus/products/``, validated by this schema.

Eligibility is typed data (ranges, lists, counts), never expressions: each field maps to one rule in
``assistant.products.rules``, which says pass / fail / unknown with a Chinese reason.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from assistant.profile import qualifications as quals
from assistant.profile.messages import cross_field

CATEGORIES = ("知识产权质押贷款", "信用贷款", "担保贷款", "保险增信贷款", "投贷联动", "续贷")
INSTITUTIONS = ("长安银行", "中国建设银行", "中国银行", "中国农业银行", "交通银行", "秦农银行")
IP_TYPES = ("发明专利", "实用新型", "外观设计", "商标", "著作权", "软件著作权")
QUALIFICATIONS = quals.CANONICAL  # the one vocabulary (assistant.profile.qualifications)

Category = Literal["知识产权质押贷款", "信用贷款", "担保贷款", "保险增信贷款", "投贷联动", "续贷"]
Institution = Literal["长安银行", "中国建设银行", "中国银行", "中国农业银行", "交通银行", "秦农银行"]
IPType = Literal["发明专利", "实用新型", "外观设计", "商标", "著作权", "软件著作权"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Range(_Strict):
    min: float | None = Field(default=None, ge=0)
    max: float | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise cross_field("下限不能大于上限", "min", "max")
        return self


class Rate(_Strict):
    text: str = Field(description="利率说明，如“一年期LPR+50至150个基点”")
    min: float = Field(ge=0, le=24, description="年化利率下限（%）")
    max: float = Field(ge=0, le=24, description="年化利率上限（%）")

    @model_validator(mode="after")
    def _ordered(self) -> Rate:
        if self.min > self.max:
            raise cross_field("利率下限不能大于上限", "min", "max")
        return self


class IPRequirement(_Strict):
    """At least ``count`` valid items of any of ``types``."""

    types: list[IPType] = Field(min_length=1)
    count: int = Field(ge=1)


class Eligibility(_Strict):
    regions: list[str] = Field(default_factory=list, description="注册地须在其中之一；空表示不限")
    qualifications_any: list[str] = Field(default_factory=list, description="须具备其中至少一项资质")
    qualifications_all: list[str] = Field(default_factory=list, description="须同时具备的资质")
    min_years: float | None = Field(default=None, ge=0, description="最短成立年限（年）")
    revenue: Range | None = Field(default=None, description="上年营业收入范围（元）")
    max_debt_ratio: float | None = Field(default=None, gt=0, le=1, description="资产负债率上限（0–1）")
    max_employees: int | None = Field(default=None, ge=1)
    ip_any: list[IPRequirement] = Field(default_factory=list, description="满足其中一组知识产权要求即可")
    whitelist_required: bool = False
    credit_clean: bool = True
    min_ip_remaining_years: float | None = Field(default=None, ge=0, description="质押知识产权剩余有效期下限（年）")

    @field_validator("qualifications_any", "qualifications_all")
    @classmethod
    def _known_qualifications(cls, value: list[str]) -> list[str]:
        known, unknown = quals.normalise_all(value)
        if unknown:
            raise ValueError(quals.unknown_message(unknown))
        return known


class Contact(_Strict):
    department: str
    phone: str


class Product(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{2,60}$")
    name: str
    institution: Institution
    category: Category
    sample: bool = True
    summary: str
    amount: Range = Field(description="额度范围（元）")
    term_months: Range = Field(description="期限范围（月）")
    rate: Rate
    pledge_ratio: dict[IPType, float] = Field(default_factory=dict, description="各类知识产权质押率上限（占评估值，0–1）")
    accepted_ip: list[IPType] = Field(default_factory=list, validate_default=True)
    guarantee: str = Field(default="无需", description="担保或保险要求")
    eligibility: Eligibility = Field(default_factory=Eligibility)
    subsidies: list[str] = Field(default_factory=list, description="适用的补贴规则编号（见 corpus/products/subsidies.yaml）")
    documents: list[str] = Field(min_length=1)
    process: list[str] = Field(min_length=1)
    days_to_loan: int = Field(ge=1, le=180, description="一般放款时间（工作日）")
    contact: Contact
    valid_from: dt.date
    valid_to: dt.date | None = None

    # Field-level checks (each runs even when another fails), so an import reports every problem of a row at once.
    @field_validator("pledge_ratio")
    @classmethod
    def _ratios(cls, value: dict[str, float]) -> dict[str, float]:
        bad = [t for t, r in value.items() if not 0 < r <= 1]
        if bad:
            raise ValueError(f"{'、'.join(bad)}质押率须在0到1之间（不含0）")
        return value

    @field_validator("accepted_ip")
    @classmethod
    def _ip_for_pledge_loans(cls, value: list[str], info: ValidationInfo) -> list[str]:
        if info.data.get("category") == "知识产权质押贷款" and not value:
            raise cross_field("知识产权质押贷款必须列明可接受的知识产权类型", "category", "accepted_ip")
        return value

    @field_validator("valid_to")
    @classmethod
    def _period(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        start = info.data.get("valid_from")
        if value and start and value < start:
            raise cross_field("有效期截止日不能早于起始日", "valid_from", "valid_to")
        return value
