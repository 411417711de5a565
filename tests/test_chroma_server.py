"""ASSISTANT_CHROMA_URL against a real Chroma server (`chroma run`) on loopback: build and answer through it, old
versions' collections dropped, a 503 in Chinese while it is down, and recovery without restarting the API."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.api.app import create_app
from assistant.index.builder import build_index
from assistant.index.snapshot import clear_cache
from assistant.index.versions import current_version
from tests.live_api import PASSWORD, add_accounts, free_port, wait_healthy

CHROMA = str(Path(sys.executable).with_name("chroma"))  # chromadb's own CLI, installed with it in this environment
QUESTION = "西咸新区知识产权质押贷款贴息比例是多少？"


def _start(path: Path, port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen([CHROMA, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_healthy(f"http://127.0.0.1:{port}/api/v2/heartbeat", proc, "chroma server")
    return proc


@pytest.fixture()
def chroma(tmp_path):
    port = free_port()
    state = {"path": tmp_path / "chroma-data", "port": port, "proc": _start(tmp_path / "chroma-data", port)}
    yield state
    state["proc"].terminate()
    state["proc"].wait(timeout=20)


def test_index_and_answers_through_a_chroma_server(small_settings, chroma, tmp_path):
    import chromadb

    url = f"http://127.0.0.1:{chroma['port']}"
    settings = small_settings.model_copy(update={"chroma_url": url, "database_url": f"sqlite:///{tmp_path}/db.sqlite3", "chat_rate_limit": "1000/minute"})
    build_index(settings)
    first = current_version(settings.index_root)
    assert not (settings.index_root / first / "chroma").exists()  # nothing embedded on disk
    build_index(settings, full=True)
    build_index(settings, full=True)
    names = {c if isinstance(c, str) else c.name for c in chromadb.HttpClient(host="127.0.0.1", port=chroma["port"]).list_collections()}
    kept = {p.name for p in settings.index_root.iterdir() if p.is_dir()}
    assert names == {f"chunks_{v}" for v in kept} and f"chunks_{first}" not in names  # pruned with their versions

    add_accounts(settings)
    clear_cache()
    with TestClient(create_app(settings)) as client:
        headers = {"Authorization": "Bearer " + client.post("/auth/token", data={"username": "ent-a", "password": PASSWORD}).json()["access_token"]}
        ok = client.post("/ask", json={"question": QUESTION}, headers=headers)
        assert ok.status_code == 200 and ok.json()["citations"]
        chroma["proc"].terminate()
        chroma["proc"].wait(timeout=20)
        down = client.post("/ask", json={"question": QUESTION}, headers=headers)
        assert down.status_code == 503 and down.json()["detail"] == "向量检索服务暂时不可用，请稍后重试。"
        chroma["proc"] = _start(chroma["path"], chroma["port"])  # same data, same port
        back = client.post("/ask", json={"question": QUESTION}, headers=headers)
        assert back.status_code == 200 and back.json()["citations"]


def test_an_index_on_the_server_is_not_silently_read_without_it(small_settings, chroma):
    from assistant.answer.pipeline import ask
    from assistant.errors import IndexMismatch

    build_index(small_settings.model_copy(update={"chroma_url": f"http://127.0.0.1:{chroma['port']}"}))
    clear_cache()
    with pytest.raises(IndexMismatch, match="ASSISTANT_CHROMA_URL"):
        ask(QUESTION, small_settings)
