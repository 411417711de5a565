"""Personal data is masked in logs, whatever logs it."""

from __future__ import annotations

import logging

from hypothesis import given
from hypothesis import strategies as st

from assistant.logging_setup import MaskingFilter, mask


def test_identifiers_are_masked():
    line = "企业 91610131MA6TXXXX1K 法人身份证 610102199003071234 手机 13912345678 座机 029-33680000 Bearer qca_abcdefghijklmnopqrstuvwxyz012345"
    out = mask(line)
    for secret in ("91610131MA6TXXXX1K", "610102199003071234", "13912345678", "029-33680000", "qca_abcdefghijklmnopqrstuvwxyz012345"):
        assert secret not in out
    assert "[信用代码已隐藏]" in out and "[身份证号已隐藏]" in out and "[手机号已隐藏]" in out and "[令牌已隐藏]" in out


def test_ordinary_figures_survive():
    text = "贴息比例50%，每年最高50万元，2024年1月1日起施行，第12条，LPR 3.0%，额度3000000元"
    assert mask(text) == text


@given(st.from_regex(r"1[3-9]\d{9}", fullmatch=True), st.text(alphabet="贷款额度万元，。", max_size=10))
def test_any_mobile_number_is_masked(phone, around):
    assert phone not in mask(f"{around}{phone}{around}")


def test_filter_masks_args_and_exceptions(caplog):
    logger = logging.getLogger("assistant.test.masking")
    handler = caplog.handler
    handler.addFilter(MaskingFilter())
    try:
        logger.warning("联系人电话 %s", "13812345678")
        try:
            raise ValueError("bad uscc 91610131MA6TXXXX1K")
        except ValueError:
            logger.exception("failed")
    finally:
        handler.removeFilter(handler.filters[-1])
    text = caplog.text
    assert "13812345678" not in text and "91610131MA6TXXXX1K" not in text and "[手机号已隐藏]" in text


def test_uvicorn_access_lines_keep_their_shape_and_lose_the_phone_number():
    from uvicorn.logging import AccessFormatter

    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
                               ("127.0.0.1:5000", "GET", "/profiles?phone=13912345678", "1.1", 200), None)
    MaskingFilter().filter(record)
    line = AccessFormatter('%(client_addr)s - "%(request_line)s" %(status_code)s', use_colors=False).format(record)
    assert "13912345678" not in line and "GET /profiles?phone=[手机号已隐藏]" in line and "200" in line
