"""The firm as a conversation knows it: dialogue slots ↔ the public profile contract, the application details that
are not profile fields, how each fact is said back in Chinese, and how a turn's facts merge into what is known.

Slots are flat (``need.amount``, ``ip_counts.发明专利``); the profile nests them. Contacts and the legal
representative go to the application, not the profile. A founding date known only by its year (or month) is
taken as the last day of that period, so years in business are never overstated, and is marked inferred.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from assistant.dialogue.slots import CORRECTING
from assistant.profile.assets import same_asset

LABELS = {
    "name": "企业名称", "uscc": "统一社会信用代码", "region": "注册地", "founded_year": "成立年份", "industry": "行业", "employees": "职工人数",
    "rd_staff": "研发人员", "revenue": "上年营业收入", "debt_ratio": "资产负债率", "qualifications": "资质", "whitelist": "白名单",
    "credit_ok": "征信", "need.amount": "融资金额", "need.term_months": "融资期限", "need.purpose": "资金用途",
    "legal_rep": "法定代表人", "contact_person": "联系人", "contact_phone": "联系电话", "contact_email": "联系邮箱", "ip_assets": "知识产权清单",
}
# Facts for the application form that are not part of the profile contract.
EXTRA_KEYS = ("legal_rep", "contact_person", "contact_phone", "contact_email")
_INTERNAL = ("founded_month", "founded_date")


def fmt(key: str, value: Any) -> str:
    """One fact as said back to the firm (“500万元”, “45%”, “高新技术企业、科技型中小企业”)."""
    if key in ("need.amount", "revenue"):
        return f"{value / 10000:g}万元"
    if key == "need.term_months":
        return f"{value}个月"
    if key == "debt_ratio":
        return f"{value:.0%}"
    if key.startswith("ip_counts."):
        return f"{value}件"
    if key == "ip_assets":
        return "、".join(f"{i['type']}{i.get('number') or ''}" + (f"《{i['title']}》" if i.get("title") else "") for i in value)
    if isinstance(value, bool):
        return {"whitelist": "已列入" if value else "未列入", "credit_ok": "良好" if value else "有不良记录"}.get(key, "是" if value else "否")
    if key == "qualifications" and not value:
        return "无"
    if isinstance(value, list):
        return "、".join(map(str, value))
    return str(value)


def label(key: str) -> str:
    return key.split(".", 1)[1] if key.startswith("ip_counts.") else LABELS.get(key, key)


def said_back(slots: dict[str, Any]) -> list[str]:
    """“注册地西咸新区”, “发明专利5件”… for the facts of one turn or of the whole conversation."""
    return [f"{label(k)}{fmt(k, v)}" for k, v in slots.items() if k not in _INTERNAL]


def merge_qualifications(before: list[str] | None, held: list[str] | None, states: dict[str, bool], text: str) -> list[str]:
    """“也是专精特新” adds to what was said before and “不是高企” removes only 高企; a correction (“不对，只有科小”)
    replaces the list."""
    said = held or []
    if before is None or CORRECTING.search(text) or re.search(r"只有|只是|就一个", text):
        return said
    kept = [q for q in before if states.get(q) is not False]
    return kept + [q for q in said if q not in kept]


def merge_items(before: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """IP items by identity (the one rule the stored profile merges by): a repeated item is updated with what is now
    said about it."""
    out = [dict(i) for i in before]
    for item in new:
        same = next((i for i in out if same_asset(i, item)), None)
        if same is None:
            out.append(dict(item))
        else:
            same.update(item)
    return out


def _founded(slots: dict[str, Any]) -> tuple[str | None, bool]:
    """(ISO date, inferred?) of the founding date the slots give."""
    year = slots.get("founded_year")
    if not year:
        return None, False
    exact = slots.get("founded_date")
    if exact and exact[:4] == f"{year:04d}" and (slots.get("founded_month") in (None, int(exact[5:7]))):
        return exact, False
    month = slots.get("founded_month", 12)
    last = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
    return min(last, dt.date.today()).isoformat(), True


def profile_dict(slots: dict[str, Any]) -> dict[str, Any]:
    """Flattened slots → the public profile contract (nested need / ip_counts, founded as a date)."""
    out: dict[str, Any] = {"name": slots.get("name") or "咨询企业（未提供名称）"}
    for key, value in slots.items():
        if key.startswith("ip_counts."):
            out.setdefault("ip_counts", {})[key.split(".", 1)[1]] = value
        elif key.startswith("need."):
            out.setdefault("need", {})[key.split(".", 1)[1]] = value
        elif key == "founded_year":
            out["founded"] = _founded(slots)[0]
        elif key in _INTERNAL or key in EXTRA_KEYS or key == "name":
            continue
        else:
            out[key] = value
    return out


def application_inputs(slots: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any], set[str]]:
    """(profile, extra, inferred form keys) for pre-filling an application from what the conversation knows."""
    inferred = {"founded"} if _founded(slots)[1] else set()
    extra = {k: slots[k] for k in EXTRA_KEYS if slots.get(k)}
    return profile_dict(slots), extra, inferred


def slots_from_profile(profile: dict[str, Any]) -> dict[str, Any]:
    """A saved profile (the public contract) → dialogue slots, so a logged-in firm's chat starts from what is known."""
    slots: dict[str, Any] = {}
    for key, value in profile.items():
        if value is None:
            continue
        if key in ("ip_counts", "need") and isinstance(value, dict):
            slots.update({f"{key}.{k}": v for k, v in value.items() if v is not None})
        elif key == "founded":
            day = dt.date.fromisoformat(str(value))
            slots["founded_year"], slots["founded_month"], slots["founded_date"] = day.year, day.month, day.isoformat()
        elif key == "ip_assets" and isinstance(value, list):
            slots["ip_assets"] = [{k: v for k, v in item.items() if v is not None} for item in value]
        elif key in LABELS:
            slots[key] = value
    return slots


__all__ = ["EXTRA_KEYS", "LABELS", "application_inputs", "fmt", "label", "merge_items", "merge_qualifications",
           "profile_dict", "said_back", "slots_from_profile"]
