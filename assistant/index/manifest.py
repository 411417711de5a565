"""The manifest of one index version: what built it and from which files."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from pydantic import BaseModel, Field

SCHEMA_VERSION = 1


class DocEntry(BaseModel):
    doc_id: str
    title: str
    source: str
    path: str
    hash: str
    chunks: int
    status: str
    expires: str | None = None
    origin: str = "corpus"  # corpus | upload
    region: str | None = None
    published: str | None = None
    effective: str | None = None
    superseded_by: str | None = None
    declared_status: str | None = None  # as the file (or its sidecar) states it; status may be 已被替代 by a later version
    declared_superseded_by: str | None = None
    inferred: list[str] = Field(default_factory=list)
    ocr_pages: list[int] = Field(default_factory=list)  # pages read by OCR (a scanned document)


class Manifest(BaseModel):
    schema_version: int = SCHEMA_VERSION
    version: str
    created: str = Field(default_factory=lambda: dt.datetime.now().isoformat(timespec="seconds"))
    embedder_kind: str
    embedder_id: str
    tokenizer_version: str
    parser_version: str = "1"
    docs: dict[str, DocEntry] = Field(default_factory=dict)
    chunk_count: int = 0
    build_seconds: float = 0.0
    vector_store: str = "embedded"  # embedded | server (collection chunks_<version> on ASSISTANT_CHROMA_URL)

    def save(self, directory: Path) -> None:
        (directory / "manifest.json").write_text(self.model_dump_json(indent=2), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> Manifest:
        return cls.model_validate(json.loads((directory / "manifest.json").read_text(encoding="utf-8")))
