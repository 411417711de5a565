"""Identifier check digits (property tests) and the profile's Chinese validation messages."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from assistant.profile import validators as v
from assistant.profile.model import Profile, chinese_errors

USCC_BODY = st.text(alphabet=v.USCC_ALPHABET, min_size=17, max_size=17)


@given(USCC_BODY)
def test_uscc_with_computed_check_char_is_valid(body):
    assert v.uscc_error(body + v.uscc_check_char(body)) is None


@given(USCC_BODY, st.sampled_from(v.USCC_ALPHABET))
def test_uscc_with_any_other_check_char_is_rejected(body, wrong):
    if wrong != v.uscc_check_char(body):
        assert "校验位" in v.uscc_error(body + wrong)


@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_patent_number_round_trip_and_single_digit_errors_are_caught(digits):
    number = f"{digits}.{v.patent_check_char(digits)}"
    assert v.patent_number_error(number) is None
    assert v.patent_number_error("ZL" + number) is None
    # change one digit: the weighted mod-11 sum always moves, so the check fails
    i = 5
    changed = digits[:i] + str((int(digits[i]) + 1) % 10) + digits[i + 1 :]
    assert v.patent_number_error(f"{changed}.{v.patent_check_char(digits)}") is not None


@pytest.mark.parametrize("number", ["201910380558.X", "202110049384.6", "201310699744.2", "91110000600037341L"])
def test_published_examples(number):
    if len(number) == 18:
        assert v.uscc_error(number) is None
    else:
        assert v.patent_number_error(number) is None and v.patent_kind(number) == "发明专利"


def test_software_and_trademark_formats():
    assert v.software_number_error("2024SR0196400") is None
    assert v.software_number_error("2024SR196400") is not None
    assert v.trademark_number_error("12345678") is None
    assert v.trademark_number_error("123456789") is not None


def test_profile_errors_are_chinese_and_name_the_field():
    with pytest.raises(ValidationError) as exc:
        Profile.model_validate({
            "name": "某科技有限公司", "uscc": "91110000600037341M", "founded": "2020-13-01", "debt_ratio": 1.2,
            "ip_assets": [{"type": "实用新型", "number": "201910380558.X"}], "need": {"amount": -5},
        })
    msgs = chinese_errors(exc.value)
    joined = "\n".join(msgs)
    assert "统一社会信用代码" in joined and "校验位" in joined
    assert "成立日期：日期格式应为 YYYY-MM-DD" in joined
    assert "资产负债率：不能大于1" in joined
    assert "与类型“实用新型”不符" in joined
    assert "融资需求·融资金额" in joined
    assert len(msgs) == 5


def test_only_name_is_required():
    assert Profile.model_validate({"name": "某科技有限公司"}).need is None
    with pytest.raises(ValidationError) as exc:
        Profile.model_validate({})
    assert chinese_errors(exc.value) == ["企业名称：必须填写"]
