"""Personal data in free text: credit codes, ID numbers, mobile and landline numbers, e-mail addresses and bearer
tokens, replaced by a Chinese placeholder. One owner for the patterns: logs, stored questions for statistics and
the statistics page all mask with ``mask``."""

from __future__ import annotations

import re

# The shapes of personal data, named so the slot extractor reads a phone number or e-mail the same way it is masked.
ID_NUMBER = re.compile(r"(?<!\d)\d{6}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?!\d)")
USCC = re.compile(r"(?<![0-9A-Za-z])[0-9A-HJ-NPQRTUWXYa-hj-npqrtuwxy]{2}\d{6}[0-9A-HJ-NPQRTUWXYa-hj-npqrtuwxy]{10}(?![0-9A-Za-z])")
EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
MOBILE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)")
# landlines as firms write them: 029-88665432, 029-8866-5432, 029 8866 5432, (029)88665432, （029）8866 5432
LANDLINE = re.compile(r"(?<!\d)(?:[(（]0\d{2,3}[)）]\s?|0\d{2,3}[- ]?)\d{3,4}[- ]?\d{4}(?!\d)")

# Order matters: ID numbers (date-shaped) before credit codes (which may be all digits), both before phone numbers.
_PATTERNS = [
    (ID_NUMBER, "[身份证号已隐藏]"),
    (USCC, "[信用代码已隐藏]"),
    (EMAIL, "[邮箱已隐藏]"),
    (MOBILE, "[手机号已隐藏]"),
    (LANDLINE, "[电话已隐藏]"),
    (re.compile(r"(?i)(bearer\s+|api_key=|access_token[\"']?\s*[:=]\s*[\"']?)[A-Za-z0-9_\-.]{12,}"), r"\1[令牌已隐藏]"),
    (re.compile(r"qca_[A-Za-z0-9_\-]{20,}"), "[令牌已隐藏]"),
]


def mask(text: str, names: tuple[str, ...] = ()) -> str:
    """``text`` with every piece of personal data replaced by a placeholder naming what it was; ``names``: people the
    text is known to name (a legal representative, a contact read from it), which no pattern can recognise."""
    for name in sorted({n for n in names if n and len(n) >= 2}, key=len, reverse=True):
        text = text.replace(name, "[姓名已隐藏]")
    for pattern, repl in _PATTERNS:
        text = pattern.sub(repl, text)
    return text
