"""Pydantic validation errors as Chinese sentences for users: the field named in Chinese, the reason with the limit
it broke, and what was typed. Used by the API (request validation), the CLI and the workbook readers.

Every pydantic error type has a Chinese reason; a type we do not know gets a generic Chinese sentence, never
pydantic's English ``msg``. Checks that involve several fields raise :func:`cross_field`, which records the
fields concerned so a workbook reader can name every column involved.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from pydantic_core import PydanticCustomError

__all__ = ["CROSS_FIELD", "FIELD_LABELS", "REQUEST_LABELS", "concerned_fields", "cross_field", "describe_errors",
           "reason", "shown", "with_value"]

# Profile fields (the public JSON contract), including those of its nested IP assets and financing need.
FIELD_LABELS = {
    "name": "企业名称", "uscc": "统一社会信用代码", "region": "注册地", "founded": "成立日期", "industry": "所属行业",
    "employees": "职工人数", "rd_staff": "研发人员数", "revenue": "上年营业收入", "net_profit": "净利润",
    "total_assets": "资产总额", "debt_ratio": "资产负债率", "qualifications": "资质", "whitelist": "是否列入白名单",
    "credit_ok": "征信是否良好", "ip_assets": "知识产权清单", "ip_counts": "知识产权数量", "need": "融资需求",
    "amount": "融资金额", "term_months": "融资期限（月）", "purpose": "资金用途", "type": "类型", "number": "编号",
    "title": "名称", "status": "法律状态", "granted": "授权日", "expires": "到期日", "owner": "权利人",
    "pledged": "是否已质押", "valuation": "评估值",
}
_IP_ASSET = ("type", "number", "title", "status", "granted", "expires", "owner", "pledged", "valuation")
_NEED = ("amount", "term_months", "purpose")

# Request fields of every API route (bodies, forms, query, path and header parameters), so no validation error
# names a Python identifier. tests/test_validation_messages.py checks this against the OpenAPI spec.
REQUEST_LABELS = {
    "question": "问题", "query": "检索内容", "kind": "资料类别", "product": "产品", "history": "此前的问题", "include_expired": "是否包含已失效文件", "text": "消息", "profile": "企业信息",
    "profiles": "企业信息列表", "product_id": "产品编号", "top": "显示数量", "first_loan": "是否首次贷款", "extra": "补充信息",
    "contact_person": "联系人", "contact_phone": "联系电话", "legal_rep": "法定代表人", "registered_address": "注册地址",
    "office_address": "办公地址", "registered_capital": "注册资本", "contact_email": "联系邮箱", "fields": "表单项",
    "ip_list": "拟质押知识产权清单", "to_status": "目标状态", "expected_version": "版本号",
    "note": "备注", "message_id": "消息编号", "rating": "评价", "comment": "评价说明", "messages": "消息列表", "role": "角色",
    "content": "消息内容", "model": "模型", "stream": "是否流式输出", "retired": "是否下架", "full": "是否全量重建",
    "status": "状态", "expires": "失效日期", "superseded_by": "替代文件编号", "doc_id": "文档编号", "title": "标题",
    "issuer": "发文机关", "doc_number": "文号", "level": "层级", "effective": "生效日期", "published": "公布日期", "tags": "标签", "file": "上传文件",
    "username": "用户名", "password": "密码", "grant_type": "授权方式", "scope": "授权范围", "client_id": "客户端编号",
    "client_secret": "客户端密钥", "days": "统计天数", "limit": "数量上限", "format": "文件格式", "institution": "合作银行",
    "idempotency-key": "重复提交标识", "app_id": "申请编号", "conv_id": "会话编号", "enterprise_id": "企业编号",
    "job_id": "任务编号", "amount": "金额", "type": "类型", "number": "编号",
    "application_ids": "申请编号列表", "decision": "答复", "rate": "年化利率", "reason": "拒绝原因", "files": "材料文件",
    "file_id": "材料编号", "firms": "目标企业数", "deadline": "目标期限",
}
# (parent field, field) → label, where a name means something else inside a nested object.
_SCOPED = {("ip_assets", k): FIELD_LABELS[k] for k in _IP_ASSET} | {("need", k): FIELD_LABELS[k] for k in _NEED} | {
    ("content", "text"): "文本", ("content", "type"): "类型"}
_LABELS = {k: v for k, v in FIELD_LABELS.items() if k not in _IP_ASSET and k not in _NEED} | REQUEST_LABELS

CROSS_FIELD = "cross_field"
GENERIC = "填写的内容不符合要求"
DATE_FORMAT = "日期格式应为 YYYY-MM-DD（如 2018-03-01）"
_CJK = re.compile(r"[\u4e00-\u9fff]")
# pydantic's names for union branches ("str", "list[ContentPart]", "function-after[...]", a model class name)
_TAG = re.compile(r"^(?:str|int|float|bool|bytes|date|datetime|time|none|list|dict|set|tuple|decimal|uuid|url|"
                  r"[a-z-]+\[.*\]|(?:constrained|function|lax-or-strict|json-or-python|nullable|tagged-union)[\w-]*|[A-Z]\w*)$")
# Regex patterns of our models, said in words.
_PATTERNS = {
    r"^[a-z0-9][a-z0-9-]{2,60}$": "应以小写字母或数字开头，只含小写字母、数字和连字符“-”，共3–61位",
    r"^[\d\-+ ]{7,20}$": "应为7–20位数字，可含“-”“+”和空格",
    r"^password$": "只能填写“password”",
}


def cross_field(message: str, *fields: str) -> PydanticCustomError:
    """An error about several fields of one model (e.g. a lower bound above the upper): raise it from a validator.
    ``fields`` are names (or dotted paths) relative to that model."""
    return PydanticCustomError(CROSS_FIELD, message, {"fields": fields})


def concerned_fields(error: Mapping[str, Any]) -> tuple[str, ...]:
    """The fields a :func:`cross_field` error names, relative to the model that raised it."""
    ctx = error.get("ctx") or {}
    fields = ctx.get("fields") if error.get("type") == CROSS_FIELD else None
    return tuple(str(f) for f in fields) if isinstance(fields, Sequence) and not isinstance(fields, str) else ()


# -- reasons --------------------------------------------------------------------------------------------------

def _num(x: Any) -> str:
    if isinstance(x, float) and x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return str(x)


def _choices(expected: Any) -> str:
    """pydantic's "'a', 'b' or 'c'" as 「a、b、c」."""
    text = str(expected or "")
    items = re.findall(r"'((?:[^'\\]|\\.)*)'", text) or [p for p in re.split(r",\s*|\s+or\s+", text) if p]
    return "、".join(items)


def _length(e: Mapping[str, Any]) -> int | None:
    value = e.get("input")
    return len(value) if isinstance(value, str | bytes | list | tuple | dict) else None


def _own_message(e: Mapping[str, Any]) -> str:
    """The Chinese message of a ValueError raised by our validators; a library's English one is not shown."""
    error = (e.get("ctx") or {}).get("error")
    text = str(error) if error is not None else ""
    return text if _CJK.search(text) else GENERIC


def _too_short(ctx: Mapping[str, Any], e: Mapping[str, Any]) -> str:
    n, actual = ctx.get("min_length"), ctx.get("actual_length", _length(e))
    if n in (None, 1):
        return "不能为空"
    return f"至少{n}项" + (f"（当前{actual}项）" if actual is not None else "")


def _too_long(ctx: Mapping[str, Any], e: Mapping[str, Any]) -> str:
    n, actual = ctx.get("max_length"), ctx.get("actual_length", _length(e))
    return (f"最多{n}项" if n is not None else "项数过多") + (f"（当前{actual}项）" if actual is not None else "")


def _string_too_short(ctx: Mapping[str, Any], e: Mapping[str, Any]) -> str:
    n, actual = ctx.get("min_length"), _length(e)
    if n in (None, 1):
        return "不能为空"
    return f"不能少于{n}字" + (f"（当前{actual}字）" if actual is not None else "")


def _string_too_long(ctx: Mapping[str, Any], e: Mapping[str, Any]) -> str:
    n, actual = ctx.get("max_length"), _length(e)
    return (f"不能超过{n}字" if n is not None else "字数过多") + (f"（当前{actual}字）" if actual is not None else "")


def _bound(word: str, key: str) -> Callable[[Mapping[str, Any], Mapping[str, Any]], str]:
    return lambda ctx, _e: f"{word}{_num(ctx[key])}" if key in ctx else "超出允许的范围"


def _pattern(ctx: Mapping[str, Any], _e: Mapping[str, Any]) -> str:
    return _PATTERNS.get(str(ctx.get("pattern")), "格式不正确")


Reason = str | Callable[[Mapping[str, Any], Mapping[str, Any]], str]
_OBJECT, _LIST, _NUMBER = "应为对象（键值对）", "应为列表", "应为数字"
_TIME_FORMAT, _DATETIME_FORMAT = "时间格式应为“时:分:秒”（如 09:30:00）", "日期时间格式应为“年-月-日 时:分:秒”（如 2024-05-01 09:30:00）"
REASONS: dict[str, Reason] = {
    "no_such_attribute": "不是可识别的属性", "json_invalid": "不是有效的 JSON", "json_type": "应为 JSON 文本",
    "needs_python_object": GENERIC, "recursion_loop": "内容存在循环引用", "recursion_depth_exceeded": "内容嵌套层级过深",
    "missing": "必须填写", "frozen_field": "不允许修改", "frozen_instance": "不允许修改", "extra_forbidden": "不是可识别的字段，请删除",
    "invalid_key": "键名无效", "get_attribute_error": "无法读取该内容", "model_type": _OBJECT, "model_attributes_type": _OBJECT,
    "dataclass_type": _OBJECT, "dataclass_exact_type": _OBJECT, "named_tuple_type": _LIST, "default_factory_not_called": GENERIC,
    "none_required": "应为空", "greater_than": _bound("必须大于", "gt"), "greater_than_equal": _bound("不能小于", "ge"),
    "less_than": _bound("必须小于", "lt"), "less_than_equal": _bound("不能大于", "le"),
    "multiple_of": lambda ctx, _e: f"应为{_num(ctx['multiple_of'])}的倍数" if "multiple_of" in ctx else "数值不符合要求",
    "finite_number": "应为有限的数字", "too_short": _too_short, "too_long": _too_long, "iterable_type": _LIST,
    "iteration_error": "列表中有无法读取的项", "string_type": "应为文字", "string_unicode": "含有无法识别的字符",
    "string_too_short": _string_too_short, "string_too_long": _string_too_long, "string_pattern_mismatch": _pattern,
    "string_not_ascii": "只能使用英文字母、数字和符号",
    "enum": lambda ctx, _e: f"应为以下之一：{_choices(ctx.get('expected'))}" if ctx.get("expected") else "不是可选的值",
    "dict_type": _OBJECT, "frozen_dict_type": _OBJECT, "ordered_dict_type": _OBJECT, "counter_type": _OBJECT, "mapping_type": _OBJECT,
    "list_type": _LIST, "deque_type": _LIST, "tuple_type": _LIST, "set_type": _LIST, "frozen_set_type": _LIST,
    "set_item_not_hashable": "列表中有无法比较的项", "bool_type": "应为“是”或“否”", "bool_parsing": "应为“是”或“否”",
    "int_type": "应为整数", "int_parsing": "应为整数", "int_parsing_size": "数字过大", "int_from_float": "应为整数",
    "float_type": _NUMBER, "float_parsing": _NUMBER, "bytes_type": "应为文件内容",
    "bytes_too_short": lambda ctx, _e: f"不能少于{ctx.get('min_length')}字节" if "min_length" in ctx else "内容过短",
    "bytes_too_long": lambda ctx, _e: f"不能超过{ctx.get('max_length')}字节" if "max_length" in ctx else "内容过长",
    "bytes_invalid_encoding": "编码不正确",
    "value_error": lambda _ctx, e: _own_message(e), "assertion_error": lambda _ctx, e: _own_message(e),
    "literal_error": lambda ctx, _e: f"应为以下之一：{_choices(ctx.get('expected'))}" if ctx.get("expected") else "不是可选的值",
    "missing_sentinel_error": GENERIC, "ellipsis_error": GENERIC,
    "date_type": DATE_FORMAT, "date_parsing": DATE_FORMAT, "date_from_datetime_parsing": DATE_FORMAT,
    "date_from_datetime_inexact": "应为日期（不含具体时间）", "date_past": "应为今天以前的日期", "date_future": "应为今天以后的日期",
    "time_type": _TIME_FORMAT, "time_parsing": _TIME_FORMAT, "datetime_type": _DATETIME_FORMAT,
    "datetime_parsing": _DATETIME_FORMAT, "datetime_object_invalid": "日期时间无效", "datetime_from_date_parsing": _DATETIME_FORMAT,
    "datetime_past": "应为现在以前的时间", "datetime_future": "应为现在以后的时间", "timezone_naive": "时间不应带时区",
    "timezone_aware": "时间应带时区", "timezone_offset": "时区不符合要求", "time_delta_type": "时长格式不正确",
    "time_delta_parsing": "时长格式不正确", "is_instance_of": "类型不正确", "is_subclass_of": "类型不正确",
    "callable_type": "类型不正确", "union_tag_invalid": "类型标记不正确", "union_tag_not_found": "缺少类型标记",
    "arguments_type": "参数格式不正确", "missing_argument": "必须填写", "unexpected_keyword_argument": "不是可识别的参数",
    "missing_keyword_only_argument": "必须填写", "unexpected_positional_argument": "不是可识别的参数",
    "missing_positional_only_argument": "必须填写", "multiple_argument_values": "重复填写",
    "url_type": "应为网址", "url_parsing": "不是有效的网址", "url_syntax_violation": "不是有效的网址",
    "url_too_long": "网址过长", "url_scheme": "网址的协议不符合要求", "uuid_type": "应为编号文字", "uuid_parsing": "不是有效的编号",
    "uuid_version": "编号版本不符", "decimal_type": _NUMBER, "decimal_parsing": _NUMBER,
    "decimal_max_digits": lambda ctx, _e: f"最多{ctx['max_digits']}位数字" if "max_digits" in ctx else "位数过多",
    "decimal_max_places": lambda ctx, _e: f"小数最多{ctx['decimal_places']}位" if "decimal_places" in ctx else "小数位数过多",
    "decimal_whole_digits": lambda ctx, _e: f"整数部分最多{ctx['whole_digits']}位" if "whole_digits" in ctx else "整数位数过多",
    "fraction_type": "应为分数或数字", "fraction_parsing": "应为分数或数字", "complex_type": "应为复数", "complex_str_parsing": "应为复数",
}
# Types whose reason reads better with what was typed after it (not counts, not missing or unknown fields).
_NO_VALUE = {"missing", "extra_forbidden", "too_short", "too_long", "string_too_short", "string_too_long", "json_invalid",
             "bytes_too_short", "bytes_too_long", CROSS_FIELD}


def reason(error: Mapping[str, Any]) -> str:
    """The Chinese reason of one pydantic error (no field name, no value)."""
    kind = str(error.get("type"))
    ctx = error.get("ctx") or {}
    entry = REASONS.get(kind)
    if entry is None:  # our own custom errors are Chinese; anything else gets the generic sentence
        msg = str(error.get("msg") or "")
        return msg if _CJK.search(msg) else GENERIC
    try:
        return entry if isinstance(entry, str) else entry(ctx, error)
    except (KeyError, TypeError, ValueError):  # a context missing what the template needs
        return GENERIC


def shown(value: Any) -> str | None:
    """How a typed value is quoted back: short scalars only (never a whole object, never an empty string)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return _num(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, str) and value.strip():
        text = value.strip()
        return text if len(text) <= 30 else text[:30] + "…"
    return None


def with_value(text: str, *values: str) -> str:
    """“应为整数” + typed values → “应为整数，当前填写“很多””."""
    quoted = "、".join(f"“{v}”" for v in values)
    return f"{text}，当前填写{quoted}" if values else text


# -- labels ---------------------------------------------------------------------------------------------------

def _label(loc: Sequence[Any], root: str, extra_key: bool) -> str:
    parts: list[str] = []
    parent: str | None = None
    items = list(loc)
    for i, p in enumerate(items):
        if isinstance(p, int):
            parts.append(f"第{p + 1}项")
            continue
        key = str(p)
        last = i == len(items) - 1
        if key == "[key]":
            continue
        if (not last and items[i + 1] == "[key]") or (last and extra_key):  # a key the user wrote: quote it as is
            parts.append(f"“{key}”")
            continue
        if _TAG.match(key):
            continue
        label = _SCOPED.get((parent or "", key)) or _LABELS.get(key) or FIELD_LABELS.get(key)
        parts.append(label or (key if not key.isascii() else f"“{key}”"))
        parent = key
    return "·".join(parts) if parts else root


def _has_tag(loc: Sequence[Any]) -> bool:
    return any(isinstance(p, str) and p != "[key]" and _TAG.match(p) for p in loc)


def describe_errors(errors: Iterable[Mapping[str, Any]], root: str = "企业信息") -> list[str]:
    """Each error as “字段：原因，当前填写“…””, in order, without repeats. ``root`` names the whole object (for
    errors about it rather than one field). Alternatives of a union (“应为文字”/“应为列表”) are merged into one."""
    out: list[str] = []
    merged: dict[str, int] = {}  # label → index in out of a union-branch type error
    for e in errors:
        loc = tuple(e.get("loc") or ())
        kind = str(e.get("type"))
        label = _label(loc, root, kind == "extra_forbidden")
        text = reason(e)
        branch = _has_tag(loc) and text.startswith("应为")
        value = shown(e.get("input")) if kind not in _NO_VALUE and not branch else None
        if branch and label in merged:
            i = merged[label]
            out[i] = out[i] + "或" + text.removeprefix("应为")
            continue
        line = f"{label}：{with_value(text, value) if value else text}"
        if branch:
            merged[label] = len(out)
        if line not in out:
            out.append(line)
    return out
