"""Corpus admin (policy team): upload with metadata, preview before committing, list, chunks, retire, remove,
reindex. Every write runs as a background job and is written to the audit log."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any

import yaml
from fastapi import APIRouter, File, Form, UploadFile
from pydantic import BaseModel, Field

from assistant.api.deps import AdminUser, SettingsDep
from assistant.api.routes.jobs import JobAccepted, accepted
from assistant.api.uploads import UploadRejected, safe_name, save_upload
from assistant.errors import AssistantError, IngestError
from assistant.index.builder import build_index
from assistant.index.ingest import RETIRED_STATUSES, ingest_files, remove_document, retire_document
from assistant.index.manifest import DocEntry, Manifest
from assistant.index.snapshot import get_snapshot
from assistant.index.versions import current_version
from assistant.ingest.chunker import chunk_document
from assistant.ingest.loaders import load_document
from assistant.ingest.metadata import LEVELS, DocMeta, is_in_force, sidecar_path
from assistant.ingest.ocr import OcrOptions
from assistant.jobs import submit
from assistant.lexicon.places import NATIONAL, gazetteer
from assistant.settings import Settings
from assistant.storage import repo
from assistant.storage.db import session_scope

router = APIRouter(prefix="/admin/documents", tags=["知识库管理"])
DOC_TYPES = (".pdf", ".ofd", ".docx", ".md", ".txt")


class DocumentOut(BaseModel):
    doc_id: str
    title: str
    source: str
    origin: str
    status: str
    expires: str | None = None
    in_force: bool
    chunks: int
    region: str | None = Field(default=None, description="适用地区（全国 / 省 / 市 / 新区），上传时从正文识别或人工填写")
    superseded_by: str | None = Field(default=None, description="已被替代时，替代它的文件编号")
    ocr_pages: list[int] = Field(default_factory=list, description="由文字识别（OCR）读出的页（扫描件）")


class ChunkOut(BaseModel):
    id: str
    page: int | None = None
    article: str | None = None
    section: str | None = None
    text: str
    similar_questions: list[str] = Field(default_factory=list, description="问答条目的相似问法（只参与检索，不显示给企业）")
    ocr: bool = Field(default=False, description="文字由扫描图像识别（OCR）得到，可能有错字，请核对")


class CitationIssueOut(BaseModel):
    doc_id: str = Field(description="出问题的文件（通常是常见问题解答）")
    chunk_id: str
    passage: str = Field(description="问答的问题，或段落开头")
    kind: str = Field(description="missing_document | missing_article | not_in_force | unsupported_figure")
    severity: str = Field(description="警告 或 提示")
    message: str


class Preview(BaseModel):
    meta: dict[str, Any]
    pages: int | None = None
    characters: int
    text: str = Field(description="提取出的正文（前 3000 字）")
    chunks: list[ChunkOut]
    chunk_count: int
    replaces: bool = Field(description="是否会替换已有同编号文档")
    inferred: list[str] = Field(default_factory=list, description="系统从正文识别出的信息（未人工填写的部分），请核对")
    supersedes: list[str] = Field(default_factory=list, description="入库后将被本文件替代的已有文件（同标题、日期更早）")
    ocr_pages: list[int] = Field(default_factory=list, description="由文字识别（OCR）读出的页：扫描件没有文字层，识别结果可能有错字，请核对")


class RetireRequest(BaseModel):
    status: str = Field(default="已废止", description="已废止 / 已失效 / 已被替代")
    expires: dt.date | None = Field(default=None, description="失效日期")
    superseded_by: str | None = Field(default=None, max_length=120, description="替代它的文件编号")


def _audit(settings: Settings, actor: str, action: str, target: str, detail: dict[str, Any] | None = None) -> None:
    with session_scope(settings) as session:
        repo.audit(session, actor, action, target, detail)


def _manifest(settings: Settings) -> Manifest | None:
    name = current_version(settings.index_root)
    return Manifest.load(settings.index_root / name) if name else None


def _staged(file: UploadFile, settings: Settings, meta: dict[str, Any]) -> Path:
    """The upload and its metadata sidecar in a private temp dir (nothing reaches the library yet)."""
    work = Path(tempfile.mkdtemp(prefix="upload-"))
    path = save_upload(file, work, settings, allowed=DOC_TYPES)
    clean = {k: v for k, v in meta.items() if v not in (None, "", [])}
    if clean:
        sidecar_path(path).write_text(yaml.safe_dump(clean, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _meta_form(
    doc_id: str | None, title: str | None, issuer: str | None, doc_number: str | None, level: str | None,
    effective: str | None, expires: str | None, tags: str | None, region: str | None = None, published: str | None = None,
) -> dict[str, Any]:
    if level and level not in LEVELS:
        raise UploadRejected(f"层级应为：{'、'.join(LEVELS)}")
    if region and region != NATIONAL and gazetteer().lookup(region.strip()) is None:
        raise UploadRejected(f"适用地区“{region}”不是可识别的行政区划名称（如：全国、陕西省、西安市、西咸新区）")
    for label, value in (("施行日期", effective), ("失效日期", expires), ("公布日期", published)):
        if value:
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                raise UploadRejected(f"{label}应为 YYYY-MM-DD 格式") from None
    place = gazetteer().lookup(region.strip()) if region and region != NATIONAL else None
    return {"doc_id": doc_id, "title": title, "issuer": issuer, "doc_number": doc_number, "level": level, "effective": effective,
            "expires": expires, "published": published, "region": place.name if place else region,
            "tags": [t.strip() for t in (tags or "").replace("，", ",").split(",") if t.strip()]}


@router.get("", summary="文档列表（含状态与段落数）")
def documents(settings: SettingsDep, _: AdminUser) -> list[DocumentOut]:
    manifest = _manifest(settings)
    if manifest is None:
        return []
    return [DocumentOut(doc_id=d.doc_id, title=d.title, source=d.source, origin=d.origin, status=d.status, expires=d.expires,
                        in_force=is_in_force(d.status, None, d.expires), chunks=d.chunks, region=d.region, superseded_by=d.superseded_by,
                        ocr_pages=d.ocr_pages)
            for d in manifest.docs.values()]


@router.get("/citations", summary="引用核对：问答所引文件、条款是否存在且有效，所述数字是否见于所引条款")
def citations(settings: SettingsDep, _: AdminUser) -> list[CitationIssueOut]:
    from assistant.index.citations import current_issues

    return [CitationIssueOut(**i.to_dict()) for i in current_issues(settings)]


@router.get("/{doc_id}/chunks", summary="文档的段落")
def chunks(doc_id: str, settings: SettingsDep, _: AdminUser) -> list[ChunkOut]:
    snap = get_snapshot(settings)
    rows = [ChunkOut(id=c["id"], page=c.get("page"), article=c.get("article"), section=c.get("section") or None, text=c["text"],
                    ocr=bool(c.get("ocr")))
            for c in snap.chunks if c["doc_id"] == doc_id]
    if not rows:
        raise repo.NotFound(f"索引中没有编号为 {doc_id} 的文档")
    return rows


@router.post("/preview", summary="预览：提取文字与切分段落，不写入知识库")
def preview(
    settings: SettingsDep, _: AdminUser, file: Annotated[UploadFile, File()],
    doc_id: Annotated[str | None, Form(max_length=120)] = None, title: Annotated[str | None, Form(max_length=200)] = None,
    issuer: Annotated[str | None, Form(max_length=100)] = None, doc_number: Annotated[str | None, Form(max_length=100)] = None,
    level: Annotated[str | None, Form()] = None, effective: Annotated[str | None, Form()] = None,
    expires: Annotated[str | None, Form()] = None, tags: Annotated[str | None, Form(max_length=300)] = None,
    region: Annotated[str | None, Form(max_length=40)] = None, published: Annotated[str | None, Form()] = None,
) -> Preview:
    path = _staged(file, settings, _meta_form(doc_id, title, issuer, doc_number, level, effective, expires, tags, region, published))
    try:
        doc = load_document(path, OcrOptions.from_settings(settings))
        pieces = chunk_document(doc)
    finally:
        shutil.rmtree(path.parent, ignore_errors=True)
    text = "\n".join(t for _, t in doc.paragraphs)
    pages = max((p for p, _ in doc.paragraphs if isinstance(p, int)), default=None) if doc.fmt in ("pdf", "ofd") else None
    manifest = _manifest(settings)
    return Preview(
        meta=doc.meta.model_dump(mode="json"), pages=pages, characters=len(text), text=text[:3000], inferred=doc.meta.inferred,
        supersedes=_superseded_by_upload(manifest, doc.meta) if manifest else [],
        chunks=[ChunkOut(id=c.id, page=c.page, article=c.article, section=c.section or None, text=c.text, ocr=c.ocr,
                         similar_questions=[q for q in c.aliases.split("；") if q]) for c in pieces[:60]],
        chunk_count=len(pieces), replaces=bool(manifest and doc.meta.doc_id in manifest.docs), ocr_pages=doc.ocr_pages,
    )


def _superseded_by_upload(manifest: Manifest, meta: DocMeta) -> list[str]:
    """The indexed documents this upload will supersede: same title, in force, dated earlier (as the build decides)."""
    from assistant.index.builder import apply_supersession

    mine = DocEntry(doc_id=meta.doc_id, title=meta.title, source="", path="", hash="", chunks=0, status=meta.status,
                    declared_status=meta.status, published=meta.published.isoformat() if meta.published else None,
                    effective=meta.effective.isoformat() if meta.effective else None)
    docs: dict[str, tuple[DocEntry, list[dict[str, Any]]]] = {d: (e.model_copy(), []) for d, e in manifest.docs.items() if d != meta.doc_id}
    docs[meta.doc_id] = (mine, [])
    after = apply_supersession(docs)
    return [f"《{e.title}》（{d}）" for d, (e, _) in after.items() if e.superseded_by == meta.doc_id]


@router.post("", status_code=202, summary="上传文档（附元数据），后台写入索引")
def upload(
    settings: SettingsDep, user: AdminUser, file: Annotated[UploadFile, File()],
    doc_id: Annotated[str | None, Form(max_length=120)] = None, title: Annotated[str | None, Form(max_length=200)] = None,
    issuer: Annotated[str | None, Form(max_length=100)] = None, doc_number: Annotated[str | None, Form(max_length=100)] = None,
    level: Annotated[str | None, Form()] = None, effective: Annotated[str | None, Form()] = None,
    expires: Annotated[str | None, Form()] = None, tags: Annotated[str | None, Form(max_length=300)] = None,
    region: Annotated[str | None, Form(max_length=40)] = None, published: Annotated[str | None, Form()] = None,
) -> JobAccepted:
    path = _staged(file, settings, _meta_form(doc_id, title, issuer, doc_number, level, effective, expires, tags, region, published))
    try:
        doc = load_document(path, OcrOptions.from_settings(settings))  # refuse a bad file now, with its reason, before any job starts
    except IngestError:
        shutil.rmtree(path.parent, ignore_errors=True)
        raise
    name = safe_name(file.filename)

    def work(progress: Any) -> dict[str, Any]:
        try:
            report = ingest_files(settings, [path], progress=progress)
        finally:
            shutil.rmtree(path.parent, ignore_errors=True)
        if report.errors:
            raise AssistantError("；".join(e.message for e in report.errors))
        return report.to_dict()

    _audit(settings, user.actor, "corpus.upload", doc.meta.doc_id, {"file": name, "title": doc.meta.title})
    job_id, _future = submit(settings, "upload", user.actor, work)
    return accepted(job_id)


@router.post("/{doc_id}/retire", status_code=202, summary="标记文档失效（仍可检索，回答时提示已失效）")
def retire(doc_id: str, body: RetireRequest, settings: SettingsDep, user: AdminUser) -> JobAccepted:
    if body.status not in RETIRED_STATUSES:
        raise AssistantError(f"状态应为：{'、'.join(RETIRED_STATUSES)}")
    manifest = _manifest(settings)
    if manifest is None or doc_id not in manifest.docs:
        raise repo.NotFound(f"索引中没有编号为 {doc_id} 的文档")
    expires = body.expires.isoformat() if body.expires else None
    _audit(settings, user.actor, "corpus.retire", doc_id, {"status": body.status, "expires": expires, "superseded_by": body.superseded_by})
    job_id, _f = submit(settings, "retire", user.actor, lambda p: retire_document(
        settings, doc_id, status=body.status, expires=expires, superseded_by=body.superseded_by, progress=p).to_dict())
    return accepted(job_id)


@router.delete("/{doc_id}", status_code=202, summary="从知识库移除文档")
def remove(doc_id: str, settings: SettingsDep, user: AdminUser) -> JobAccepted:
    manifest = _manifest(settings)
    if manifest is None or doc_id not in manifest.docs:
        raise repo.NotFound(f"索引中没有编号为 {doc_id} 的文档")
    _audit(settings, user.actor, "corpus.remove", doc_id)
    job_id, _f = submit(settings, "remove", user.actor, lambda p: remove_document(settings, doc_id, progress=p).to_dict())
    return accepted(job_id)


reindex_router = APIRouter(prefix="/admin", tags=["知识库管理"])


class ReindexRequest(BaseModel):
    full: bool = Field(default=False, description="全量重建（默认增量）")


@reindex_router.post("/reindex", status_code=202, summary="重建索引（后台任务，可查询进度）")
def reindex(body: ReindexRequest, settings: SettingsDep, user: AdminUser) -> JobAccepted:
    _audit(settings, user.actor, "corpus.reindex", "index", {"full": body.full})
    job_id, _f = submit(settings, "reindex", user.actor, lambda p: build_index(settings, full=body.full, progress=p).to_dict())
    return accepted(job_id)
