"""Logging with personal data masked: credit codes, ID numbers, phone numbers, e-mails and bearer tokens never reach
a log line in clear, whoever logs them (our code, uvicorn's access log, a library's error). Patterns: ``assistant.privacy``."""

from __future__ import annotations

import logging

from assistant.privacy import mask

__all__ = ["MaskingFilter", "install", "mask"]


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
