"""Uploaded files: safe names, extension and content checks, a size cap, saved under a directory we choose."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from fastapi import UploadFile

from assistant.errors import AssistantError
from assistant.settings import Settings

_MAGIC = {".pdf": (b"%PDF-",), ".docx": (b"PK\x03\x04",), ".xlsx": (b"PK\x03\x04",), ".ofd": (b"PK\x03\x04",)}
_TEXT = {".md", ".txt", ".yaml", ".yml"}


class UploadRejected(AssistantError):
    pass


class UploadTooLarge(AssistantError):
    pass


def safe_name(name: str | None) -> str:
    """The last path component only, without control characters: no ``../`` or absolute paths survive."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(ch for ch in unicodedata.normalize("NFC", base) if unicodedata.category(ch)[0] != "C").strip().lstrip(".")
    if not base:
        raise UploadRejected("文件名无效")
    return base[:120]


def _sniff(ext: str, head: bytes, name: str) -> None:
    if ext in _MAGIC and not head.startswith(_MAGIC[ext]):
        raise UploadRejected(f"文件《{name}》的内容与扩展名 {ext} 不符（可能已损坏或被改名）")
    if ext in _TEXT and not any(_decodes(head, enc) for enc in ("utf-8", "gb18030")):
        raise UploadRejected(f"文件《{name}》不是 UTF-8 或 GB18030（GBK）编码的文本")


def _decodes(head: bytes, encoding: str) -> bool:
    try:
        head.decode(encoding)
    except UnicodeDecodeError as exc:
        return exc.start >= len(head) - 4  # a multi-byte character cut at the end of the sample is fine
    return True


def save_upload(upload: UploadFile, directory: Path, settings: Settings, allowed: tuple[str, ...]) -> Path:
    name = safe_name(upload.filename)
    ext = Path(name).suffix.lower()
    if ext not in allowed:
        raise UploadRejected(f"不支持的文件类型《{name}》，可上传：{'、'.join(allowed)}")
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / name
    size = 0
    with target.open("wb") as out:
        head = upload.file.read(8192)
        _sniff(ext, head, name)
        while head:
            size += len(head)
            if size > settings.max_upload_bytes:
                out.close()
                target.unlink(missing_ok=True)
                raise UploadTooLarge(f"文件《{name}》超过上传上限 {settings.max_upload_bytes // 1_000_000} MB")
            out.write(head)
            head = upload.file.read(1 << 20)
    if size == 0:
        target.unlink(missing_ok=True)
        raise UploadRejected(f"文件《{name}》为空")
    return target
