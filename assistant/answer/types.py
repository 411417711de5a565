"""Answer and citation models: the JSON contract of `assistant ask --json` and the API."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Citation(BaseModel):
    n: int
    doc_id: str
    title: str
    source: str
    page: int | None = None
    article: str | None = None
    section: str | None = None
    doc_number: str | None = None
    text: str
    expired: bool = False
    chunk_id: str
    ocr: bool = False  # the passage was recognised from a scanned page: a character may be misread


class Answer(BaseModel):
    answer: str
    citations: list[Citation] = Field(default_factory=list)
    timings: dict[str, float] = Field(default_factory=dict)
    refused: bool = False
    decline_reason: str | None = None
    composer: str = "extractive"
    index_version: str | None = None
