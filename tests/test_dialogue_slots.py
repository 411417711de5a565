"""Chinese numbers and slot extraction from free text (property tests for the amount parser)."""

import cn2an
import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.dialogue.numbers import to_yuan
from assistant.dialogue.slots import extract

SCALE = {"万": 10_000, "亿": 100_000_000}


@given(st.integers(1, 9999), st.sampled_from(["万", "亿"]))
def test_arabic_and_chinese_numerals_with_units_agree(n, unit):
    expected = n * SCALE[unit]
    assert to_yuan(str(n), unit) == expected
    assert to_yuan(cn2an.an2cn(n), unit) == expected


@given(st.integers(1, 99_999_999))
def test_thousands_separators_and_fullwidth_digits(n):
    text = f"{n:,}"
    assert to_yuan(text, None) == n
    assert to_yuan(text.translate(str.maketrans("0123456789,", "０１２３４５６７８９，")), None) == n


@given(st.integers(1, 99), st.integers(1, 9))
def test_decimals_in_both_notations(a, b):
    assert to_yuan(f"{a}.{b}", "亿") == pytest.approx((a + b / 10) * 1e8)
    assert to_yuan(f"{cn2an.an2cn(a)}点{cn2an.an2cn(b)}", "亿") == pytest.approx((a + b / 10) * 1e8)


@given(st.integers(1, 9999), st.sampled_from(["想贷{}", "需要融资{}", "资金缺口大概{}", "打算借{}"]), st.sampled_from(["万", "万元", "亿"]))
def test_loan_amount_from_a_sentence(n, template, unit):
    got = extract(template.format(f"{cn2an.an2cn(n)}{unit}"))
    assert got["need.amount"] == n * SCALE[unit[0]]


@pytest.mark.parametrize(("text", "expected"), [
    ("想贷五千二百万，期限两年", {"need.amount": 52_000_000, "need.term_months": 24}),
    ("我们营收三千万，负债率45%，员工80人", {"revenue": 30_000_000, "debt_ratio": 0.45, "employees": 80}),
    ("公司在沣东新城，2019年成立，有3件发明专利、十二个软著", {"region": "西咸新区", "founded_year": 2019, "ip_counts.发明专利": 3, "ip_counts.软件著作权": 12}),
    ("两项实用新型，一个注册商标", {"ip_counts.实用新型": 2, "ip_counts.商标": 1}),
    ("融资1.5亿，借一年半，用于研发投入", {"need.amount": 150_000_000, "need.term_months": 18, "need.purpose": "研发投入"}),
    ("是高企，还不是专精特新", {"qualifications": ["高新技术企业"]}),
    ("征信没问题，已经进了白名单", {"credit_ok": True, "whitelist": True}),
    ("还没进白名单，之前有过逾期", {"whitelist": False, "credit_ok": False}),
    ("西安市雁塔区的陕西示例智能科技有限公司", {"region": "西安市", "name": "陕西示例智能科技有限公司"}),
    ("不对，是三件发明专利", {"ip_counts.发明专利": 3}),
])
def test_slots_from_real_phrasings(text, expected):
    assert extract(text) == expected


def test_founded_years_ago_is_relative_to_today():
    import datetime as dt

    assert extract("公司成立5年了")["founded_year"] == dt.date.today().year - 5
