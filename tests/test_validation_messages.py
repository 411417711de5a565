"""Validation messages a user reads: every pydantic error type in Chinese (never pydantic's English ``msg``), limits
stated with the current value, every request field of the API named in Chinese, and the qualification vocabulary
(canonical names, aliases, unknown names refused)."""

from __future__ import annotations

import typing
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError
from pydantic_core.core_schema import ErrorType

from assistant.profile.model import Profile, chinese_errors, describe_errors
from tests.text_checks import assert_user_text, request_field_names

ROOT = Path(__file__).resolve().parents[1]
ALL_ERROR_TYPES = typing.get_args(ErrorType)
# The context pydantic gives each constrained type, so the messages can state the limit.
CTX = {"greater_than": {"gt": 0}, "greater_than_equal": {"ge": 0}, "less_than": {"lt": 1}, "less_than_equal": {"le": 1},
       "multiple_of": {"multiple_of": 5}, "too_short": {"field_type": "List", "min_length": 1, "actual_length": 0},
       "too_long": {"field_type": "List", "max_length": 10, "actual_length": 12}, "string_too_short": {"min_length": 2},
       "string_too_long": {"max_length": 100}, "string_pattern_mismatch": {"pattern": "^a+$"},
       "literal_error": {"expected": "'发明专利', '实用新型' or '外观设计'"}, "enum": {"expected": "'a' or 'b'"},
       "value_error": {"error": ValueError("到期日必须晚于授权日")}, "date_past": {}, "decimal_max_digits": {"max_digits": 5}}


def _profile_errors(data: dict) -> list[str]:
    with pytest.raises(ValidationError) as exc:
        Profile.model_validate(data)
    return chinese_errors(exc.value)


@pytest.mark.parametrize("kind", ALL_ERROR_TYPES)
def test_every_pydantic_error_type_reads_in_chinese(kind):
    for ctx in ({}, CTX.get(kind, {})):  # with and without the context pydantic normally gives
        [message] = describe_errors([{"type": kind, "loc": ("employees",), "msg": "Input should be something else",
                                      "input": "很多", "ctx": ctx}])
        head = "“employees”：" if kind == "extra_forbidden" else "职工人数："  # an unknown key is the user's own text
        assert message.startswith(head) and "Input should" not in message, message
        assert_user_text(message, {"employees"})


def test_an_unmapped_error_type_gets_a_generic_chinese_sentence_not_the_english_msg():
    [message] = describe_errors([{"type": "some_future_type", "loc": ("revenue",), "msg": "Value must be shiny", "input": 1}])
    assert message.startswith("上年营业收入：") and "shiny" not in message
    assert_user_text(message)
    [message] = describe_errors([{"type": "value_error", "loc": ("revenue",), "msg": "Value error, bad",
                                  "ctx": {"error": ValueError("math domain error")}}])
    assert "domain" not in message  # an English ValueError from a library is not passed through either
    assert_user_text(message)


def test_lengths_and_bounds_state_the_limit_and_the_current_value():
    messages = _profile_errors({"name": "很" * 120, "employees": -3, "debt_ratio": 1.5, "need": {"amount": 0, "term_months": 200}})
    assert "企业名称：不能超过100字（当前120字）" in messages
    assert "职工人数：不能小于0，当前填写“-3”" in messages
    assert "资产负债率：不能大于1，当前填写“1.5”" in messages
    assert "融资需求·融资金额：必须大于0，当前填写“0”" in messages
    assert "融资需求·融资期限（月）：不能大于120，当前填写“200”" in messages
    assert _profile_errors({"name": "甲"}) == ["企业名称：不能少于2字（当前1字）"]


def test_type_errors_name_what_was_typed_and_choices_are_listed_in_chinese():
    messages = _profile_errors({"name": "甲示例科技有限公司", "employees": "很多", "ip_assets": [{"type": "专利"}]})
    assert "职工人数：应为整数，当前填写“很多”" in messages
    assert "知识产权清单·第1项·类型：应为以下之一：发明专利、实用新型、外观设计、商标、著作权、软件著作权，当前填写“专利”" in messages
    messages = _profile_errors({"name": "甲示例科技有限公司", "ip_counts": {"专利": 2, "发明专利": "三"}, "nickname": "甲"})
    assert any(m.startswith("知识产权数量·“专利”：应为以下之一") for m in messages), messages
    assert "知识产权数量·发明专利：应为整数，当前填写“三”" in messages
    assert "“nickname”：不是可识别的字段，请删除" in messages
    for m in messages:
        assert_user_text(m)


def test_union_branches_never_show_python_type_names():
    from assistant.api.routes.openai_compat import CompletionRequest

    with pytest.raises(ValidationError) as exc:
        CompletionRequest.model_validate({"messages": [{"role": "user", "content": 5}]})
    messages = describe_errors(list(exc.value.errors()), root="请求内容")
    assert messages == ["消息列表·第1项·消息内容：应为文字或列表"]


def test_a_model_level_error_names_no_python_field():
    messages = _profile_errors({"name": "甲示例科技有限公司", "employees": 5, "rd_staff": 9})
    assert messages == ["企业信息：研发人员数不能超过职工总数"]


def test_every_request_field_of_every_route_has_a_chinese_label(tmp_path):
    from assistant.api.app import create_app
    from tests.conftest import make_settings

    spec = create_app(make_settings(tmp_path / "data", tmp_path / "corpus")).openapi()
    names = request_field_names(spec)
    assert {"question", "text", "profile", "to_status", "file", "days", "idempotency-key"} <= names
    unlabelled = {}
    for name in sorted(names):
        [message] = describe_errors([{"type": "missing", "loc": (name,), "msg": "Field required", "input": None}], root="请求内容")
        if name in message:
            unlabelled[name] = message
    assert not unlabelled, unlabelled


# -- the qualification vocabulary ---------------------------------------------------------------------------

def test_one_vocabulary_covers_every_product_and_the_ui():
    from assistant.profile import qualifications as q
    from ui.common import QUALIFICATIONS

    assert tuple(QUALIFICATIONS) == q.CANONICAL
    used = set()
    for path in (ROOT / "corpus" / "products").glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for item in data if isinstance(data, list) else [data]:
            if isinstance(item, dict) and "eligibility" in item:
                used |= set(item["eligibility"].get("qualifications_any", [])) | set(item["eligibility"].get("qualifications_all", []))
    assert used and used <= set(q.CANONICAL)


def test_aliases_map_to_canonical_names_and_unknown_names_to_none():
    from assistant.profile import qualifications as q

    assert q.normalise("高企") == "高新技术企业" and q.normalise(" 科小 ") == "科技型中小企业"
    assert q.normalise("专精特新“小巨人”") == "专精特新小巨人" and q.normalise("小巨人企业") == "专精特新小巨人"
    assert all(q.normalise(name) == name for name in q.CANONICAL)
    assert all(canonical in q.CANONICAL for canonical in q.ALIASES.values())
    assert q.normalise("独角兽企业") is None and q.normalise("") is None
    assert q.spellings("高新技术企业")[0] == "国家高新技术企业" and "高企" in q.spellings("高新技术企业")


def test_profile_normalises_aliases_and_refuses_unknown_qualifications():
    firm = Profile.model_validate({"name": "甲示例科技有限公司", "qualifications": ["高企", "高新技术企业", "科小"]})
    assert firm.qualifications == ["高新技术企业", "科技型中小企业"]
    messages = _profile_errors({"name": "甲示例科技有限公司", "qualifications": ["高企", "独角兽企业"]})
    assert len(messages) == 1 and messages[0].startswith("资质：") and "独角兽企业" in messages[0]
    assert "科技型中小企业" in messages[0] and "秦创原入驻企业" in messages[0]  # the accepted names are listed


def test_a_product_naming_an_unknown_qualification_is_refused():
    from assistant.products.catalog import get_catalog
    from assistant.products.schema import Product

    product = get_catalog(ROOT / "corpus")[0].model_dump(mode="json")
    product["eligibility"]["qualifications_any"] = ["高企", "独角兽企业"]
    with pytest.raises(ValidationError) as exc:
        Product.model_validate(product)
    assert "独角兽企业" in str(exc.value.errors()[0]["msg"])
    product["eligibility"]["qualifications_any"] = ["高企"]
    assert Product.model_validate(product).eligibility.qualifications_any == ["高新技术企业"]
