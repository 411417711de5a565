"""The service center's application form, pre-filled from a profile, the conversation and the chosen product.

Every field says where its value came from: 用户提供 (stated by the firm), 系统推断 (derived by the system, e.g.
the product's institution or the indicative amount, or a value the conversation only implied, such as a founding
date from a year) or 待补充 (still missing). Validation reuses the matcher's rules (loan term within the pledged IP's
term, amount within the product range and pledge capacity) and the identifier check digits, and reports issues in
Chinese without refusing to draft the form; the IP list says item by item what each IP still needs.

Every form field is backed by exactly one input: a profile field (``PROFILE_FIELDS``), a fact from the conversation
that is not a profile field (``Extra``), or the product (``SYSTEM_FIELDS``, never edited by hand), so editing a draft
means changing those inputs and drafting the form again.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

from assistant.products.matcher import indicative_amount
from assistant.products.rules import evaluate
from assistant.products.schema import Product
from assistant.profile.model import Profile
from assistant.units import wan

Source = Literal["用户提供", "系统推断", "待补充"]

# form field key → where the value lives in the profile
PROFILE_FIELDS: dict[str, tuple[str, ...]] = {
    "uscc": ("uscc",), "founded": ("founded",), "industry": ("industry",), "employees": ("employees",), "rd_staff": ("rd_staff",),
    "qualifications": ("qualifications",), "whitelist": ("whitelist",), "revenue": ("revenue",), "net_profit": ("net_profit",),
    "total_assets": ("total_assets",), "debt_ratio": ("debt_ratio",), "credit_ok": ("credit_ok",),
    "amount": ("need", "amount"), "term_months": ("need", "term_months"), "purpose": ("need", "purpose"),
}
# derived from the product chosen (and the firm's name, fixed by its account): not edited in the form
SYSTEM_FIELDS = ("name", "product", "category", "indicative_amount", "guarantee")
_PHONE = re.compile(r"^[\d\-+ ]{7,20}$")
_EMAIL = re.compile(r"^[^@\s]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")


class Extra(BaseModel):
    """Facts from the conversation that are not profile fields (the form's other inputs)."""

    contact_person: str | None = Field(default=None, max_length=40)
    contact_phone: str | None = Field(default=None, max_length=20)
    contact_email: str | None = Field(default=None, max_length=100)
    legal_rep: str | None = Field(default=None, max_length=40)
    registered_address: str | None = Field(default=None, max_length=200)
    office_address: str | None = Field(default=None, max_length=200)
    registered_capital: str | None = Field(default=None, max_length=40)
    first_loan: bool | None = None

    @field_validator("contact_phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        if value is not None and not _PHONE.match(value):
            raise ValueError("联系电话应为7–20位数字，可含“-”“+”和空格，例如 029-88886666 或 13800000000")
        return value

    @field_validator("contact_email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is not None and not _EMAIL.match(value):
            raise ValueError("联系邮箱格式不正确，例如 zhang@example.cn")
        return value


EXTRA_FIELDS = tuple(Extra.model_fields)


class FormField(BaseModel):
    key: str
    label: str
    value: Any = None
    source: Source = "待补充"
    required: bool = False

    @property
    def display(self) -> str:
        if self.value is None or self.value == "" or self.value == []:
            return ""
        if isinstance(self.value, bool):
            return "是" if self.value else "否"
        if isinstance(self.value, list):
            return "、".join(map(str, self.value))
        return str(self.value)


class Section(BaseModel):
    title: str
    fields: list[FormField]


class IPRow(BaseModel):
    type: str
    count: int | None = Field(default=None, description="一行代表的件数：企业只说了数量、尚未逐件列明时")
    number: str | None = None
    title: str | None = None
    owner: str | None = None
    expires: str | None = None
    status: str | None = None
    pledged: str | None = None
    valuation: str | None = None


class Issue(BaseModel):
    field: str
    level: Literal["error", "warning"]
    message: str


class Application(BaseModel):
    form_version: str = "2025-示例"
    created: str = Field(default_factory=lambda: dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))  # zone-aware: shown in Beijing time
    product_id: str
    product_name: str
    institution: str
    sections: list[Section]
    ip_list: list[IPRow] = Field(default_factory=list)
    issues: list[Issue] = Field(default_factory=list)

    def missing(self) -> list[str]:
        return [f.label for s in self.sections for f in s.fields if f.required and f.source == "待补充"]

    def counts(self) -> dict[str, int]:
        out = {"用户提供": 0, "系统推断": 0, "待补充": 0}
        for s in self.sections:
            for f in s.fields:
                out[f.source] += 1
        return out


def _field(inferred_keys: set[str]) -> Callable[..., FormField]:
    def f(key: str, label: str, value: Any, required: bool = False, inferred: bool = False) -> FormField:
        empty = value is None or value == "" or value == []
        source: Source = "待补充" if empty else ("系统推断" if inferred or key in inferred_keys else "用户提供")
        return FormField(key=key, label=label, value=None if empty else value, source=source, required=required)

    return f


def _wan(x: float | None) -> str | None:
    return None if x is None else wan(x)


def _qualifications(profile: Profile) -> Any:
    if profile.qualifications == []:  # stated: none (unknown is None, still 待补充)
        return "无"
    return profile.qualifications


def _uncounted(profile: Profile) -> dict[str, int]:
    """Kinds of IP the firm counted but listed no item of (“5件发明专利、3件软著”, then one patent by number: the
    软著 are still to be listed). A kind listed item by item is as listed: those are the items offered."""
    listed = {a.type for a in profile.ip_assets or []}
    return {t: n for t, n in (profile.ip_counts or {}).items() if n > 0 and t not in listed}


def _ip_rows(profile: Profile) -> list[IPRow]:
    rows = [IPRow(type=a.type, number=a.number, title=a.title, owner=a.owner, expires=a.expires.isoformat() if a.expires else None,
                  status=a.status, pledged=None if a.pledged is None else ("是" if a.pledged else "否"), valuation=_wan(a.valuation))
            for a in profile.ip_assets or []]
    # counted but not listed: one row per type, so the list (and the PDF) shows what is still to be listed
    return rows + [IPRow(type=t, number=f"（{n}件，号码待补充）", count=n) for t, n in _uncounted(profile).items()]


def prefill(profile: Profile, product: Product, extra: dict[str, Any] | None = None, today: dt.date | None = None, *,
            inferred: set[str] | None = None) -> Application:
    """Draft the application; ``extra`` carries facts from the conversation that are not profile fields
    (contact person, phone, e-mail, legal representative, addresses …). ``inferred`` names form field keys whose value
    the system inferred rather than the firm stated (``founded`` when only the year was said): 系统推断, not 用户提供."""
    day = today or dt.date.today()
    x = extra or {}
    _f = _field(set(inferred or ()))
    need = profile.need
    amount_range = indicative_amount(product, profile, day)
    firm = Section(title="一、企业基本信息", fields=[
        _f("name", "企业名称", profile.name, True),
        _f("uscc", "统一社会信用代码", profile.uscc, True),
        _f("registered_address", "注册地址", x.get("registered_address") or (profile.region and f"陕西省{profile.region}" if profile.region and "陕西" not in profile.region else profile.region), True,
           inferred=not x.get("registered_address")),
        _f("office_address", "办公地址", x.get("office_address")),
        _f("founded", "成立日期", profile.founded.isoformat() if profile.founded else None, True),
        _f("registered_capital", "注册资本", x.get("registered_capital")),
        _f("legal_rep", "法定代表人", x.get("legal_rep"), True),
        _f("industry", "所属行业", profile.industry),
        _f("employees", "职工总数（人）", profile.employees, True),
        _f("rd_staff", "研发人员（人）", profile.rd_staff),
        _f("qualifications", "资质认定", _qualifications(profile), True),
        _f("whitelist", "已列入融资白名单", profile.whitelist),
    ])
    finances = Section(title="二、财务状况（上一年度）", fields=[
        _f("revenue", "营业收入", _wan(profile.revenue), True),
        _f("net_profit", "净利润", _wan(profile.net_profit)),
        _f("total_assets", "资产总额", _wan(profile.total_assets)),
        _f("debt_ratio", "资产负债率", f"{profile.debt_ratio:.0%}" if profile.debt_ratio is not None else None, True),
        _f("credit_ok", "企业及法定代表人征信良好", profile.credit_ok, True),
    ])
    request = Section(title="三、融资需求", fields=[
        _f("product", "申请产品", f"{product.institution}「{product.name}」（{product.id}）", True, inferred=True),
        _f("category", "产品类别", product.category, inferred=True),
        _f("amount", "申请金额", _wan(need.amount) if need else None, True),
        _f("indicative_amount", "参考可贷额度", f"{amount_range['min'] / 1e4:g}–{amount_range['max'] / 1e4:g}万元" if amount_range else None, inferred=True),
        _f("term_months", "申请期限（月）", need.term_months if need else None, True),
        _f("purpose", "资金用途", need.purpose if need else None, True),
        _f("guarantee", "担保方式", product.guarantee, inferred=True),
        _f("first_loan", "是否首次贷款", x.get("first_loan")),
    ])
    contact = Section(title="四、联系人", fields=[
        _f("contact_person", "联系人", x.get("contact_person"), True),
        _f("contact_phone", "联系电话", x.get("contact_phone"), True),
        _f("contact_email", "联系邮箱", x.get("contact_email")),
    ])
    app = Application(product_id=product.id, product_name=product.name, institution=product.institution,
                      sections=[firm, finances, request, contact], ip_list=_ip_rows(profile))
    app.issues = validate(app, profile, product, day)
    return app


def validate(app: Application, profile: Profile, product: Product, day: dt.date) -> list[Issue]:
    issues = [Issue(field=label, level="warning", message=f"{label}待补充") for label in app.missing()]
    if product.accepted_ip and not app.ip_list:
        issues.append(Issue(field="知识产权清单", level="warning", message="知识产权质押产品需填写拟质押的知识产权清单（号码、名称、到期日、评估值）"))
    issues += _ip_issues(profile)
    for r in evaluate(product, profile, day):
        if r.status == "fail":
            issues.append(Issue(field=r.rule, level="error", message=r.message + (f"（{r.hint}）" if r.hint else "")))
    return issues


_IP_DETAILS = (("number", "号码"), ("title", "名称"), ("expires", "到期日"), ("valuation", "评估值"))


def _ip_issues(profile: Profile) -> list[Issue]:
    """Which IP items still need their number, title, expiry or valuation, item by item, and the counted ones not
    listed yet."""
    out = [Issue(field="知识产权清单", level="warning", message=f"拟质押知识产权清单：{t}{n}件尚未逐件列明，待补充每件的号码、名称、到期日和评估值")
           for t, n in _uncounted(profile).items()]
    for i, a in enumerate(profile.ip_assets or [], start=1):
        needs = [label for attr, label in _IP_DETAILS if getattr(a, attr) in (None, "")]
        if needs:
            what = f"{a.type} {a.number}" if a.number else a.type
            out.append(Issue(field="知识产权清单", level="warning", message=f"拟质押知识产权清单第{i}项（{what}）待补充{'、'.join(needs)}"))
    return out
