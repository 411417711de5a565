"""Document metadata: YAML front matter (Markdown) or a ``<file>.meta.yaml`` sidecar (any format)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, Field, ValidationError, field_validator

IN_FORCE = "现行有效"
SUPERSEDED = "已被替代"
LEVELS = ("国家", "陕西省", "西安市", "西咸新区", "其他")
_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)
_SLUG = re.compile(r"[^0-9A-Za-z._-]+")


class DocMeta(BaseModel):
    doc_id: str
    title: str
    issuer: str | None = None
    doc_number: str | None = None  # 文号
    level: str = "其他"
    region: str | None = None  # the place it governs (北京市, 陕西省), 全国 for national rules; None when unknown
    published: dt.date | None = None  # 公布/印发 date (of the latest revision)
    effective: dt.date | None = None
    expires: dt.date | None = None
    status: str = IN_FORCE
    superseded_by: str | None = None
    tags: list[str] = Field(default_factory=list)
    sample: bool = False
    kind: str = "policy"  # policy | faq | product
    inferred: list[str] = Field(default_factory=list)  # what was read from the text rather than given (upload preview)

    @field_validator("doc_id")
    @classmethod
    def _doc_id_ok(cls, v: str) -> str:
        if not re.fullmatch(r"[0-9A-Za-z][0-9A-Za-z._-]{1,120}", v):
            raise ValueError("doc_id 只能包含字母、数字、点、下划线和连字符")
        return v

    def in_force(self, on: dt.date | None = None) -> bool:
        effective = self.effective.isoformat() if self.effective else None
        expires = self.expires.isoformat() if self.expires else None
        return is_in_force(self.status, effective, expires, on)


def is_in_force(status: str, effective: str | None, expires: str | None, on: dt.date | None = None) -> bool:
    """In force: status says so, and the day lies within [effective, expires] (ISO dates compare as text)."""
    day = (on or dt.date.today()).isoformat()
    if status != IN_FORCE:
        return False
    if expires and day > expires:
        return False
    return not (effective and day < effective)


def sidecar_path(path: Path) -> Path:
    return path.with_name(path.name + ".meta.yaml")


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Return (front matter dict, body). Text without front matter gives ({}, text)."""
    m = _FRONT_MATTER.match(text)
    if not m:
        return {}, text
    data = yaml.safe_load(m.group(1)) or {}
    if not isinstance(data, dict):
        raise ValueError("文件头元数据（front matter）格式不正确")
    return data, text[m.end() :]


def slug_for(path: Path) -> str:
    slug = _SLUG.sub("-", path.stem).strip("-._")
    if len(slug) < 2:
        import hashlib

        slug = "doc-" + hashlib.sha1(path.name.encode()).hexdigest()[:10]
    return slug


_LEVEL_REGION = {"国家": "全国", "陕西省": "陕西省", "西安市": "西安市", "西咸新区": "西咸新区"}


def build_meta(path: Path, found: dict[str, Any], paragraphs: list[str] | None = None, fallback_title: str | None = None) -> DocMeta:
    """Sidecar/front matter first, then what the text says of itself (ingest.inference), then defaults; raise
    ValueError (Chinese) when invalid."""
    from assistant.ingest.inference import infer, level_for

    inferred = infer(paragraphs) if paragraphs else None
    data = dict(found)
    if inferred is not None:
        given = inferred.as_meta()
        if "level" in found:  # a stated level decides the region too, unless a region is stated as well
            given.pop("level", None)
            given["region"] = found.get("region") or _LEVEL_REGION.get(str(found["level"])) or given.get("region")
        data = {**given, **found}
        labels = {"title": "标题", "doc_number": "文号", "issuer": "发布机关", "published": "公布日期", "effective": "施行日期",
                  "region": "适用地区"}
        data["inferred"] = [f"{labels[k]}：{v}" for k, v in given.items() if k in labels and k not in found]
    elif "level" in found and "region" not in found:
        data["region"] = _LEVEL_REGION.get(str(found["level"]))
    if found.get("region") and "level" not in found:  # a stated region decides the level
        data["level"] = level_for(str(found["region"]))
    data.setdefault("doc_id", slug_for(path))
    data.setdefault("title", fallback_title or path.stem)
    for key in ("format",):
        data.pop(key, None)
    if data.get("kind") is None:
        data["kind"] = "faq" if str(data["doc_id"]).startswith("faq") else "policy"
    try:
        return DocMeta.model_validate(data)
    except ValidationError as exc:
        fields = "；".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ValueError(f"元数据不合法（{fields}）") from exc


def load_sidecar(path: Path) -> dict[str, Any]:
    side = sidecar_path(path)
    if not side.exists():
        return {}
    data = yaml.safe_load(side.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"元数据文件 {side.name} 格式不正确")
    return data
