"""Add, replace and remove documents: validate each file first, keep a managed copy, then update the index.

A bad file is reported (Chinese reason, file named) and skipped; the good ones in the same batch go in.
"""

from __future__ import annotations

import errno
from pathlib import Path

from assistant.errors import AssistantError, IngestError
from assistant.index import library
from assistant.index.builder import BuildReport, Progress, _build_locked
from assistant.index.manifest import DocEntry, Manifest
from assistant.index.versions import current_version, writer_lock
from assistant.ingest.loaders import load_document
from assistant.ingest.ocr import OcrOptions
from assistant.settings import Settings


def ingest_files(settings: Settings, paths: list[Path], *, lock_timeout: float = 60.0, progress: Progress | None = None) -> BuildReport:
    errors: list[IngestError] = []
    with writer_lock(settings.lock_path, lock_timeout):
        accepted = 0
        for path in paths:
            try:
                doc = load_document(path, OcrOptions.from_settings(settings))
            except IngestError as exc:
                errors.append(exc)
                continue
            except OSError as exc:
                errors.append(IngestError(path.name, f"读取失败：{exc.strerror or exc}"))
                continue
            try:
                library.keep_copy(settings, path, doc)
            except OSError as exc:
                reason = "磁盘空间不足" if exc.errno == errno.ENOSPC else f"保存副本失败：{exc.strerror or exc}"
                errors.append(IngestError(path.name, reason))
                continue
            accepted += 1
        report = _build_locked(settings, full=False, progress=progress) if accepted or not current_version(settings.index_root) else BuildReport()
    report.errors = errors + report.errors
    return report


def _indexed_entry(settings: Settings, doc_id: str) -> DocEntry:
    """The live manifest's entry for ``doc_id`` (call under the writer lock), or a Chinese error."""
    name = current_version(settings.index_root)
    if name is None:
        raise AssistantError("索引尚未建立，请先运行 `assistant index`。")
    manifest = Manifest.load(settings.index_root / name)
    if doc_id not in manifest.docs:
        raise AssistantError(f"索引中没有编号为 {doc_id} 的文档。")
    return manifest.docs[doc_id]


def remove_document(settings: Settings, doc_id: str, *, lock_timeout: float = 60.0, progress: Progress | None = None) -> BuildReport:
    with writer_lock(settings.lock_path, lock_timeout):
        _indexed_entry(settings, doc_id)
        library.drop_upload(settings, doc_id)
        library.mark_removed(settings, doc_id)  # also hides a corpus file of the same id (e.g. behind a retired copy)
        return _build_locked(settings, full=False, progress=progress)


RETIRED_STATUSES = ("已废止", "已失效", "已被替代")


def retire_document(settings: Settings, doc_id: str, *, status: str = "已废止", expires: str | None = None,
                    superseded_by: str | None = None, lock_timeout: float = 60.0, progress: Progress | None = None) -> BuildReport:
    """Mark a document as no longer in force. Its text stays searchable (flagged as expired) for questions about
    old rules; a managed copy carries the new status, so the sample corpus itself is never edited."""
    if status not in RETIRED_STATUSES:
        raise AssistantError(f"状态应为：{'、'.join(RETIRED_STATUSES)}")
    with writer_lock(settings.lock_path, lock_timeout):
        entry = _indexed_entry(settings, doc_id)
        library.retire_copy(settings, Path(entry.path), status=status, expires=expires, superseded_by=superseded_by)
        return _build_locked(settings, full=False, progress=progress)
