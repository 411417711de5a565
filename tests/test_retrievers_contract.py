"""One contract every retriever (BM25, vector, hybrid, hybrid+rerank) passes on the sample corpus."""

import pytest

from assistant.index.snapshot import get_snapshot
from assistant.retrieval.bm25 import BM25Retriever
from assistant.retrieval.search import SearchConfig, search
from assistant.retrieval.vector import VectorRetriever


class _Configured:
    def __init__(self, cfg, settings, snap):
        self.cfg, self.settings, self.snap = cfg, settings, snap
        self.name = f"{cfg.mode}+{cfg.rerank}"

    def search(self, query, k, *, include_expired=False):
        return search(self.snap, query, k, self.cfg, self.settings, include_expired=include_expired).hits


@pytest.fixture(params=["bm25", "vector", "hybrid", "hybrid+coverage", "hybrid+learned"])
def retriever(request, sample_settings):
    snap = get_snapshot(sample_settings)
    if request.param == "bm25":
        return BM25Retriever(snap)
    if request.param == "vector":
        return VectorRetriever(snap)
    rerank = "coverage" if request.param.endswith("coverage") else None
    return _Configured(SearchConfig("hybrid", rerank), sample_settings, snap)


def _chunk(sample_settings, hit):
    return get_snapshot(sample_settings).chunks[hit.idx]


def test_returns_at_most_k_distinct_hits_in_score_order(retriever):
    hits = retriever.search("知识产权质押融资贴息", 5)
    assert 0 < len(hits) <= 5
    assert len({h.idx for h in hits}) == len(hits)
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)


def test_finds_the_article_for_a_distinctive_question(retriever, sample_settings):
    hits = retriever.search("企业被列入融资白名单以后有效期是多长", 5)
    docs = [_chunk(sample_settings, h)["doc_id"] for h in hits]
    assert "xx-whitelist-2024" in docs[:3]


def test_expired_documents_are_excluded_by_default_and_available_on_request(retriever, sample_settings):
    query = "入园惠企行动方案 覆盖园区数量"
    default = [_chunk(sample_settings, h) for h in retriever.search(query, 10)]
    assert all(c["doc_id"] != "nat-ip-park-action-2021" for c in default)
    wide = [_chunk(sample_settings, h)["doc_id"] for h in retriever.search(query, 10, include_expired=True)]
    assert "nat-ip-park-action-2021" in wide


def test_every_hit_carries_citation_metadata(retriever, sample_settings):
    for h in retriever.search("专利权质押登记需要哪些材料", 5):
        c = _chunk(sample_settings, h)
        assert c["doc_id"] and c["title"] and c["source"] and c["text"]


def test_bm25_returns_nothing_for_words_the_corpus_never_uses(sample_settings):
    assert BM25Retriever(get_snapshot(sample_settings)).search("zzqqxx", 5) == []


def test_a_query_with_no_known_word_has_no_nearest_passages_whatever_was_searched_before(sample_settings):
    """A query none of whose words the index knows embeds to nothing: no passage is nearer than another, so the
    vector retriever returns none rather than whatever the graph search met last."""
    snap = get_snapshot(sample_settings)
    vector = VectorRetriever(snap)
    assert vector.search("zzqqxx 鳄鲸鸵", 5) == []
    vector.search("贴息比例是多少", 5)
    assert vector.search("zzqqxx 鳄鲸鸵", 5) == []


def test_a_verb_said_in_one_character_finds_the_common_words_it_begins(sample_settings):
    from assistant.retrieval.backoff import backed_off

    snap = get_snapshot(sample_settings)
    # 审 alone is no word of the corpus; 审核 and 审查 are, in many passages: the one character stands for them
    assert "审" not in snap.idf and {"审核", "审查"} <= set(backed_off("审", snap))
    assert backed_off("贷款", snap) == ["贷款"]  # a corpus word stands for itself
    assert backed_off("打", snap) == []  # only rare words begin with it (打包, 打分): it says nothing of what was meant
    assert backed_off("利", snap) == []  # a noun's character (利 of 利息, 利率) is no verb said short
    assert backed_off("报上去", snap) == []  # an unseen word of several characters is not guessed at
    hits = BM25Retriever(snap).search("审", 5)
    assert hits and all(any(w in snap.chunks[h.idx]["text"] for w in ("审核", "审查", "审批")) for h in hits)
