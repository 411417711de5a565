"""Shared fixtures: settings pointed at temp dirs, and one index of the sample corpus per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from assistant.index.builder import build_index
from assistant.index.snapshot import clear_cache
from assistant.settings import Settings

# No per-example deadline: the first example pays for loading jieba and the gazetteer, and speed is measured in
# the benchmarks (evals/), not in timed tests.
hypothesis_settings.register_profile("assistant", deadline=None)
hypothesis_settings.load_profile("assistant")

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"


def make_settings(data_dir: Path, corpus_dir: Path = CORPUS, **kw) -> Settings:
    return Settings(data_dir=data_dir, corpus_dir=corpus_dir, **kw)


@pytest.fixture(scope="session")
def sample_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The sample corpus, indexed once for the whole session (read-only for tests)."""
    settings = make_settings(tmp_path_factory.mktemp("sample-index"))
    report = build_index(settings)
    assert not report.errors, [e.message for e in report.errors]
    return settings


@pytest.fixture()
def small_corpus(tmp_path: Path) -> Path:
    """A writable copy of three sample documents (one per text format) for index-mutating tests."""
    corpus = tmp_path / "corpus"
    (corpus / "policies").mkdir(parents=True)
    for name in ("xx-ip-interest-subsidy-2024.md", "xx-whitelist-2024.txt", "xx-guarantee-subsidy-2024.txt"):
        src = CORPUS / "policies" / name
        shutil.copy2(src, corpus / "policies" / name)
        side = src.with_name(src.name + ".meta.yaml")
        if side.exists():
            shutil.copy2(side, corpus / "policies" / side.name)
    return corpus


@pytest.fixture()
def small_settings(tmp_path: Path, small_corpus: Path) -> Settings:
    clear_cache()
    return make_settings(tmp_path / "data", small_corpus)


@pytest.fixture(scope="session")
def live_api(sample_settings: Settings, tmp_path_factory: pytest.TempPathFactory):
    """The API over the session's sample index, with its own database and one account per role (read-only index:
    tests that change the corpus start their own server on a writable copy)."""
    from tests.live_api import serve

    db = tmp_path_factory.mktemp("api-db") / "api.sqlite3"
    settings = sample_settings.model_copy(update={"database_url": f"sqlite:///{db}", "env": "production", "chat_rate_limit": "10000/minute"})
    with serve(settings) as api:
        yield api
