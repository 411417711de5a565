"""Passages for a query, filtered: what an agent searches when it composes its own answer (``POST /search``, the MCP
tool ``search_policies``). The same retrieval as a cited answer, without the composer and its checks."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from assistant.answer.pipeline import citation_for
from assistant.answer.types import Citation
from assistant.errors import AssistantError
from assistant.index.snapshot import get_snapshot
from assistant.lexicon.places import NATIONAL, gazetteer
from assistant.retrieval.regions import related
from assistant.retrieval.search import SearchConfig, search
from assistant.settings import MAX_QUESTION_CHARS, Settings

DEPTH = 60  # candidates read when nothing is filtered
FILTERED_DEPTH = 200  # ... and before the filters: a filter keeps a few documents of many


class SearchRequest(BaseModel):
    query: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_QUESTION_CHARS)] = Field(
        description="检索内容（中文）")
    top: int = Field(default=5, ge=1, le=20, description="返回的段落数")
    region: str | None = Field(default=None, max_length=40, description="只看适用于此地区的文件（如 陕西省、西咸新区、全国）：该地区、其上级与下级地区的文件，以及国家文件")
    kind: Literal["policy", "faq", "product"] | None = Field(default=None, description="只看政策文件（policy）、常见问题（faq）或产品（product）")
    doc_id: str | None = Field(default=None, max_length=120, description="只看这一份文件")
    include_expired: bool = Field(default=False, description="是否包含已失效、已被替代的文件")


class Passage(Citation):
    score: float = Field(description="检索得分（同一次检索内可比）")
    region: str | None = None
    level: str | None = None
    status: str | None = None


class SearchResponse(BaseModel):
    passages: list[Passage]
    index_version: str | None = None


def find_passages(settings: Settings, req: SearchRequest) -> SearchResponse:
    snapshot = get_snapshot(settings)
    place = None
    region_asked = (req.region or "").strip() or None
    if region_asked and region_asked != NATIONAL:
        place = gazetteer().lookup(region_asked)
        if place is None:
            raise AssistantError(f"地区“{req.region}”不是可识别的行政区划名称（如：全国、陕西省、西安市、西咸新区）")
    depth = FILTERED_DEPTH if region_asked or req.kind or req.doc_id else DEPTH
    cfg = SearchConfig.from_settings(settings)
    cfg.candidates = max(cfg.candidates, depth)  # each retriever reads as deep as the filters need
    hits = search(snapshot, req.query, depth, cfg, settings, include_expired=req.include_expired).hits

    def kept(chunk: dict) -> bool:
        region = chunk.get("region")
        if req.kind and chunk.get("kind") != req.kind or req.doc_id and chunk["doc_id"] != req.doc_id:
            return False
        if region_asked == NATIONAL:
            return region == NATIONAL
        return place is None or region == NATIONAL or related(region, place)

    out: list[Passage] = []
    for hit in hits:
        chunk = snapshot.chunks[hit.idx]
        if not kept(chunk):
            continue
        cited = citation_for(len(out) + 1, chunk, snapshot, hit.idx)
        out.append(Passage(**cited.model_dump(), score=round(hit.score, 4), region=chunk.get("region"), level=chunk.get("level"),
                           status=chunk.get("status")))
        if len(out) == req.top:
            break
    return SearchResponse(passages=out, index_version=snapshot.version)
