"""Check digits and formats of Chinese identifiers: 统一社会信用代码, patent numbers, trademark and
software-copyright registration numbers. Each returns None when valid, else a Chinese reason."""

from __future__ import annotations

import re

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
PATENT_WEIGHTS_12 = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
PATENT_WEIGHTS_8 = (2, 3, 4, 5, 6, 7, 8, 9)
_PATENT = re.compile(r"^(?:ZL|CN)?\s*(\d{8}|\d{12})\.?([0-9X])$")
_SOFTWARE = re.compile(r"^(19|20)\d{2}SR\d{7}$")


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def uscc_error(code: str) -> str | None:
    code = code.strip().upper()
    if len(code) != 18:
        return f"统一社会信用代码应为18位，当前为{len(code)}位"
    bad = [c for c in code if c not in USCC_ALPHABET]
    if bad:
        return f"统一社会信用代码含有不允许的字符“{bad[0]}”（不使用 I、O、Z、S、V）"
    if uscc_check_char(code[:17]) != code[17]:
        return "统一社会信用代码校验位不正确，请核对是否有输错的字符"
    return None


def patent_check_char(digits: str) -> str:
    weights = PATENT_WEIGHTS_12 if len(digits) == 12 else PATENT_WEIGHTS_8
    r = sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
    return "X" if r == 10 else str(r)


def patent_number_error(number: str) -> str | None:
    m = _PATENT.match(number.strip().upper().replace(" ", ""))
    if not m:
        return "专利号格式应为“ZL”加12位数字、小数点和校验位，例如 ZL201910380558.X"
    digits, check = m.groups()
    if patent_check_char(digits) != check:
        return "专利号校验位不正确，请核对"
    return None


def patent_kind(number: str) -> str | None:
    """发明专利 / 实用新型 / 外观设计 from the 5th digit of a 12-digit application number."""
    m = _PATENT.match(number.strip().upper().replace(" ", ""))
    if not m or len(m.group(1)) != 12:
        return None
    return {"1": "发明专利", "8": "发明专利", "9": "发明专利", "2": "实用新型", "3": "外观设计"}.get(m.group(1)[4])


def trademark_number_error(number: str) -> str | None:
    return None if re.fullmatch(r"\d{1,8}", number.strip()) else "商标注册号应为不超过8位的数字"


def software_number_error(number: str) -> str | None:
    return None if _SOFTWARE.match(number.strip().upper()) else "软件著作权登记号格式应为“年份+SR+7位数字”，例如 2024SR0196400"
