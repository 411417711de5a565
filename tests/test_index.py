"""Index lifecycle on disk: incremental updates, removal, crash safety, the writer lock, manifest checks."""

import threading
import time

import pytest

from assistant.answer.pipeline import ask
from assistant.errors import AssistantError, IndexBusy, IndexMismatch, IndexNotBuilt
from assistant.index import builder
from assistant.index.builder import build_index
from assistant.index.ingest import remove_document
from assistant.index.manifest import Manifest
from assistant.index.snapshot import clear_cache, get_snapshot, load_snapshot
from assistant.index.versions import current_version, writer_lock


def test_no_index_raises_index_not_built(small_settings):
    with pytest.raises(IndexNotBuilt):
        get_snapshot(small_settings)


def test_unchanged_rebuild_reuses_everything_and_changed_file_replaces_its_chunks(small_settings):
    first = build_index(small_settings)
    assert sorted(first.added) == ["xx-guarantee-subsidy-2024", "xx-ip-interest-subsidy-2024", "xx-whitelist-2024"]
    second = build_index(small_settings)
    assert not second.added and not second.updated and len(second.unchanged) == 3
    assert not second.refitted

    path = small_settings.corpus_dir / "policies" / "xx-guarantee-subsidy-2024.txt"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("每家企业每年补助最高10万元", "每家企业每年补助最高12万元"), encoding="utf-8")
    third = build_index(small_settings)
    assert third.updated == ["xx-guarantee-subsidy-2024"]
    snap = get_snapshot(small_settings)
    texts = [c["text"] for c in snap.chunks if c["doc_id"] == "xx-guarantee-subsidy-2024"]
    assert any("12万元" in t for t in texts)
    assert not any("每家企业每年补助最高10万元" in t for t in texts)
    ids = [c["id"] for c in snap.chunks]
    assert len(ids) == len(set(ids))
    # vectors and Chroma agree with the chunk list
    assert snap.collection.count() == len(snap.chunks)


def test_remove_document_drops_it_and_a_rebuild_does_not_bring_it_back(small_settings):
    build_index(small_settings)
    report = remove_document(small_settings, "xx-whitelist-2024")
    assert report.removed == ["xx-whitelist-2024"]
    assert "xx-whitelist-2024" not in get_snapshot(small_settings).manifest.docs
    build_index(small_settings)
    assert "xx-whitelist-2024" not in get_snapshot(small_settings).manifest.docs


def test_failure_mid_build_leaves_previous_index_answering(small_settings, monkeypatch):
    build_index(small_settings)
    live = current_version(small_settings.index_root)
    before = ask("西咸新区担保费补助每年最多多少钱？", small_settings)
    assert not before.refused

    path = small_settings.corpus_dir / "policies" / "xx-whitelist-2024.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\n第九十九条 新增条款。\n", encoding="utf-8")

    def boom(*args, **kwargs):
        raise OSError("disk on fire")

    monkeypatch.setattr(builder, "write_collection", boom)
    with pytest.raises(AssistantError, match="写入索引失败"):
        build_index(small_settings)
    assert current_version(small_settings.index_root) == live
    clear_cache()
    after = ask("西咸新区担保费补助每年最多多少钱？", small_settings)
    assert after.answer == before.answer and after.index_version == live
    monkeypatch.undo()
    retry = build_index(small_settings)
    assert retry.updated == ["xx-whitelist-2024"]
    assert not list(small_settings.index_root.glob("*.tmp"))


def test_second_writer_is_refused_clearly_while_the_lock_is_held(small_settings):
    held = threading.Event()
    release = threading.Event()

    def hold():
        with writer_lock(small_settings.lock_path, 5):
            held.set()
            release.wait(10)

    t = threading.Thread(target=hold)
    t.start()
    held.wait(5)
    try:
        started = time.perf_counter()
        with pytest.raises(IndexBusy) as err:
            build_index(small_settings, lock_timeout=0.5)
        assert time.perf_counter() - started < 5
        assert "另一个进程正在写入索引" in err.value.message
    finally:
        release.set()
        t.join()


def test_manifest_records_builder_and_mismatch_forces_rebuild(small_settings):
    build_index(small_settings)
    name = current_version(small_settings.index_root)
    directory = small_settings.index_root / name
    manifest = Manifest.load(directory)
    assert manifest.embedder_kind == "tfidf-svd" and manifest.tokenizer_version.startswith("jieba-")
    assert all(len(d.hash) == 64 for d in manifest.docs.values())
    manifest.tokenizer_version = "jieba-0.0-other"
    manifest.save(directory)
    clear_cache()
    with pytest.raises(IndexMismatch):
        load_snapshot(small_settings)
    report = build_index(small_settings)  # a mismatched index is never extended: everything is rebuilt
    assert report.refitted and len(report.added) == 3
    load_snapshot(small_settings)


FAQ_WITH_SIMILAR = """---
doc_id: faq-test
title: 测试常见问题
issuer: 测试服务中心
level: 西咸新区
effective: 2025-01-01
status: 现行有效
---
### 问：贷款能展期吗？
相似问：到期了钱周转不开，能宽限一阵子吗；借的钱能不能晚点还
答：可以向合作银行申请展期，展期期限不超过原贷款期限的一半。（依据：《测试办法》第三条）
"""


def test_faq_similar_questions_find_the_entry_and_stay_out_of_the_answer(small_settings):
    faq = small_settings.corpus_dir / "faq" / "faq-test.md"
    faq.parent.mkdir()
    faq.write_text(FAQ_WITH_SIMILAR, encoding="utf-8")
    build_index(small_settings)
    question = "钱周转不开，能不能宽限一阵子再还？"
    answer = ask(question, small_settings)
    assert not answer.refused
    assert answer.citations[0].doc_id == "faq-test"
    assert "展期期限不超过原贷款期限的一半" in answer.answer
    assert "相似问" not in answer.answer and "宽限" not in answer.answer
    assert all("宽限" not in c.text for c in answer.citations)  # the shown passage is the entry as written

    # the same entry without its similar questions: the asker's words no longer reach it
    faq.write_text(FAQ_WITH_SIMILAR.replace("相似问：到期了钱周转不开，能宽限一阵子吗；借的钱能不能晚点还\n", ""), encoding="utf-8")
    report = build_index(small_settings)
    assert report.updated == ["faq-test"]
    clear_cache()
    without = ask(question, small_settings)
    assert without.refused or without.citations[0].doc_id != "faq-test"


def test_a_per_version_cache_returns_what_it_built_when_another_reader_replaces_the_version_meanwhile():
    from assistant.index.versions import latest

    class Publishing(dict):
        """A cache another thread writes right after this one: a newer index version replaces the entry just stored."""

        def __setitem__(self, key, value):
            super().__setitem__(key, value)
            self.clear()
            super().__setitem__("v2", "newer")

    cache = Publishing()
    assert latest(cache, "v1", lambda: "built") == "built"
    assert latest(cache, "v2", lambda: "never built") == "newer"  # a value already there is read, not rebuilt
    assert latest({}, "v1", lambda: False) is False  # a false value is a value
