"""Logging with personal data masked: credit codes, ID numbers, phone numbers and bearer tokens never reach a
log line in clear, whoever logs them (our code, uvicorn's access log, a library's error)."""

from __future__ import annotations

import logging
import re

# Order matters: ID numbers (date-shaped) before credit codes (which may be all digits), both before phone numbers.
_PATTERNS = [
    (re.compile(r"(?<!\d)\d{6}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?!\d)"), "[身份证号已隐藏]"),
    (re.compile(r"(?<![0-9A-Z])[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}(?![0-9A-Z])"), "[信用代码已隐藏]"),
    (re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)"), "[手机号已隐藏]"),
    (re.compile(r"(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)"), "[电话已隐藏]"),
    (re.compile(r"(?i)(bearer\s+|api_key=|access_token[\"']?\s*[:=]\s*[\"']?)[A-Za-z0-9_\-.]{12,}"), r"\1[令牌已隐藏]"),
    (re.compile(r"qca_[A-Za-z0-9_\-]{20,}"), "[令牌已隐藏]"),
]


def mask(text: str) -> str:
    for pattern, repl in _PATTERNS:
        text = pattern.sub(repl, text)
    return text


class MaskingFilter(logging.Filter):
    """Masks the message template and each string argument in place, keeping the record's shape (uvicorn's access
    formatter unpacks its args tuple), plus any exception text."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = mask(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(mask(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: mask(v) if isinstance(v, str) else v for k, v in record.args.items()}
        if record.exc_info and not record.exc_text:
            record.exc_text = mask(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = mask(record.exc_text)
        return True


def install(level: int = logging.INFO) -> None:
    """Mask on every handler of the root and uvicorn loggers (filters on handlers see records from all children)."""
    if not logging.getLogger().handlers:
        logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    for chatty in ("httpx", "httpcore", "chromadb", "bm25s"):  # per-request client logs would drown ours
        logging.getLogger(chatty).setLevel(logging.WARNING)
    for name in ("", "uvicorn", "uvicorn.access", "uvicorn.error"):
        for handler in logging.getLogger(name).handlers:
            if not any(isinstance(f, MaskingFilter) for f in handler.filters):
                handler.addFilter(MaskingFilter())
