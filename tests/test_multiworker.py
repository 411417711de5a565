"""Several API workers share state: a new index version published by another process is picked up by every
worker without a restart, and rate limits kept in Redis count one user's requests across all workers."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import httpx
import pytest

from assistant.index.builder import build_index
from assistant.index.ingest import ingest_files
from assistant.index.versions import current_version
from tests.live_api import PASSWORD, add_accounts, free_port, port_open, wait_healthy

ROOT = Path(__file__).resolve().parents[1]


def _serve(settings, workers: int, **env: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    full_env = {**os.environ, "ASSISTANT_DATA_DIR": str(settings.data_dir), "ASSISTANT_CORPUS_DIR": str(settings.corpus_dir),
                "ASSISTANT_DATABASE_URL": settings.database_url, **env}
    proc = subprocess.Popen([sys.executable, "-m", "assistant.cli", "serve", "--port", str(port), "--workers", str(workers)],
                            env=full_env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    wait_healthy(base + "/health", proc, "API server")
    return proc, base


def _token(base: str, user: str) -> dict[str, str]:
    r = httpx.post(base + "/auth/token", data={"username": user, "password": PASSWORD})
    return {"Authorization": "Bearer " + r.json()["access_token"]}


def test_every_worker_picks_up_a_new_index_version(small_settings, tmp_path):
    settings = small_settings.model_copy(update={"database_url": f"sqlite:///{tmp_path}/mw.sqlite3"})
    build_index(settings)
    add_accounts(settings)
    proc, base = _serve(settings, workers=2, ASSISTANT_CHAT_RATE_LIMIT="100000/minute")
    try:
        headers = _token(base, "staff")
        question = {"question": "专利开放许可的许可费收入奖励比例是多少？"}
        before = {httpx.post(base + "/ask", json=question, headers=headers).json()["index_version"] for _ in range(20)}
        assert before == {current_version(settings.index_root)}
        doc = tmp_path / "奖励.md"
        doc.write_text("# 西咸新区专利开放许可奖励办法（测试示例）\n\n第一条 许可费收入奖励比例为百分之十。\n", encoding="utf-8")
        ingest_files(settings, [doc])  # another process publishes a new version
        new = current_version(settings.index_root)
        answers = [httpx.post(base + "/ask", json=question, headers=headers).json() for _ in range(20)]
        assert {a["index_version"] for a in answers} == {new}  # no worker keeps serving the old one
        assert all("百分之十" in a["answer"] for a in answers)
        assert {httpx.get(base + "/health").json()["index_version"] for _ in range(10)} == {new}
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.mark.skipif(not port_open(6379), reason="no Redis on 127.0.0.1:6379")
def test_rate_limits_in_redis_count_across_workers(small_settings, tmp_path):
    settings = small_settings.model_copy(update={"database_url": f"sqlite:///{tmp_path}/rl.sqlite3"})
    build_index(settings)
    add_accounts(settings)
    # a fresh key space per run, so earlier runs' counters never interfere
    proc, base = _serve(settings, workers=2, ASSISTANT_CHAT_RATE_LIMIT="6/minute", ASSISTANT_RATE_LIMIT_STORAGE="redis://127.0.0.1:6379/0",
                        ASSISTANT_RATE_LIMIT_PREFIX=f"test-{uuid.uuid4().hex[:8]}")
    try:
        headers = _token(base, "ent-a")
        pids = set()
        for _ in range(30):
            with httpx.Client() as fresh:
                pids.add(fresh.get(base + "/health").json()["worker_pid"])
        assert len(pids) == 2  # fresh connections do reach both workers
        codes = []
        for _ in range(10):
            with httpx.Client() as fresh:  # a new connection each time, so requests spread over both workers
                codes.append(fresh.post(base + "/ask", json={"question": "贴息比例是多少"}, headers=headers).status_code)
        assert codes.count(200) == 6 and codes.count(429) == 4  # one budget across workers, not six per worker
    finally:
        proc.terminate()
        proc.wait(timeout=20)
