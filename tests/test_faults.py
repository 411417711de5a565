"""Faults with real processes and real resources: a build killed with SIGKILL part-way, two builds at once, a full
disk during an ingest, the API killed while saving an application, and the database going away and coming back."""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, func, select, text

from assistant.answer.pipeline import ask
from assistant.index.builder import build_index
from assistant.index.snapshot import clear_cache
from assistant.index.versions import current_version
from assistant.settings import Settings
from assistant.storage.db import get_engine
from assistant.storage.models import Application, ApplicationEvent
from tests.live_api import PASSWORD, add_accounts, free_port, port_open, wait_healthy

ROOT = Path(__file__).resolve().parents[1]
QUESTION = "西咸新区知识产权质押贷款贴息比例是多少？"


def _env(settings: Settings, **extra: str) -> dict[str, str]:
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(settings.data_dir), "ASSISTANT_CORPUS_DIR": str(settings.corpus_dir), **extra}
    if settings.database_url:
        env["ASSISTANT_DATABASE_URL"] = settings.database_url
    return env


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "assistant.cli", *args]


def _bulk_corpus(corpus: Path, docs: int = 70) -> None:
    """Enough extra text that a full build takes a few seconds, so it can be killed part-way."""
    for d in range(docs):
        body = "\n\n".join(f"第{i + 1}条 示例企业在第{d}号园区申请知识产权质押贷款的第{i}项材料，须在{i + 3}个工作日内补正。" for i in range(40))
        (corpus / "policies" / f"bulk-{d:03d}.txt").write_text(f"示例批量文件{d}\n\n{body}\n", encoding="utf-8")


def _answers(settings: Settings) -> bool:
    clear_cache()
    answer = ask(QUESTION, settings)
    return not answer.refused and bool(answer.citations)


def test_sigkill_mid_build_leaves_the_previous_index_serving_and_a_retry_completes(small_settings):
    build_index(small_settings)
    before = current_version(small_settings.index_root)
    _bulk_corpus(small_settings.corpus_dir)
    proc = subprocess.Popen(_cli("index", "--full"), env=_env(small_settings), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any(p.name.endswith(".tmp") for p in small_settings.index_root.iterdir()):
        time.sleep(0.02)  # wait until it is writing its new version
    time.sleep(0.2)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    assert current_version(small_settings.index_root) == before
    assert _answers(small_settings)
    retry = subprocess.run(_cli("index"), env=_env(small_settings), cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert retry.returncode == 0, retry.stderr[-2000:]
    assert current_version(small_settings.index_root) != before and _answers(small_settings)
    assert not list(small_settings.index_root.glob("*.tmp"))  # the killed build's leftovers are gone


def test_two_builds_at_once_take_turns(small_settings):
    _bulk_corpus(small_settings.corpus_dir, docs=40)
    procs = [subprocess.Popen(_cli("index", "--full"), env=_env(small_settings), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    results = [p.communicate(timeout=300) for p in procs]
    codes = [p.returncode for p in procs]
    # the writer lock makes the second wait for the first (or, past its timeout, refuse clearly): never a mixed index
    assert all(c == 0 for c in codes) or any("另一个进程正在写入索引" in err for _, err in results), results
    assert _answers(small_settings)


@pytest.fixture()
def tiny_disk(tmp_path):
    mount = tmp_path / "disk"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(mount)], capture_output=True).returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def test_full_disk_during_an_ingest_is_a_clear_error_and_the_old_index_is_intact(small_settings, tiny_disk):
    settings = small_settings.model_copy(update={"data_dir": tiny_disk / "data"})
    build_index(settings)
    before = current_version(settings.index_root)
    free = shutil.disk_usage(tiny_disk).free
    (tiny_disk / "filler").write_bytes(b"\0" * (free - 64 * 1024))  # leave 64 KB: not enough for a new version
    new = small_settings.corpus_dir.parent / "新文件.md"
    new.write_text("# 新增示例办法\n\n第一条 知识产权运营奖励按许可费的百分之十给予。\n", encoding="utf-8")
    run = subprocess.run(_cli("ingest", str(new)), env=_env(settings), cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode != 0 and "Traceback" not in run.stderr
    assert "磁盘空间不足" in run.stderr or "写入索引失败" in run.stderr, run.stderr[-1500:]
    assert current_version(settings.index_root) == before and _answers(settings)
    (tiny_disk / "filler").unlink()
    retry = subprocess.run(_cli("ingest", str(new)), env=_env(settings), cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert retry.returncode == 0, retry.stderr[-1500:]
    assert current_version(settings.index_root) != before


def _start_server(settings: Settings, port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(_cli("serve", "--port", str(port)), env=_env(settings), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_healthy(f"http://127.0.0.1:{port}/health", proc, "API server")
    return proc


PROFILE = {"name": "甲示例科技有限公司", "region": "西咸新区", "founded": "2019-05-01", "revenue": 20_000_000, "debt_ratio": 0.4,
           "credit_ok": True, "qualifications": ["高新技术企业"], "ip_counts": {"发明专利": 3}, "employees": 60,
           "need": {"amount": 3_000_000, "term_months": 12}}


def test_api_killed_while_saving_applications_leaves_no_partial_rows_and_retries_are_idempotent(sample_settings, tmp_path):
    settings = sample_settings.model_copy(update={"database_url": f"sqlite:///{tmp_path}/kill.sqlite3"})
    add_accounts(settings)
    port = free_port()
    rng = random.Random(7)
    keys = []
    for _round in range(3):
        proc = _start_server(settings, port)
        token = httpx.post(f"http://127.0.0.1:{port}/auth/token", data={"username": "ent-a", "password": PASSWORD}).json()["access_token"]
        key = uuid.uuid4().hex
        keys.append(key)

        def fire(k: str = key, t: str = token) -> None:
            with contextlib.suppress(httpx.HTTPError):  # the server dies under it: that is the point
                httpx.post(f"http://127.0.0.1:{port}/applications", json={"profile": PROFILE}, timeout=10,
                           headers={"Authorization": f"Bearer {t}", "Idempotency-Key": k})

        threads = [threading.Thread(target=fire) for _ in range(3)]
        for th in threads:
            th.start()
        time.sleep(rng.uniform(0.0, 0.05))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        for th in threads:
            th.join()
    proc = _start_server(settings, port)
    try:
        token = httpx.post(f"http://127.0.0.1:{port}/auth/token", data={"username": "ent-a", "password": PASSWORD}).json()["access_token"]
        ids = set()
        for key in keys:  # the client's retry after the crash
            for _ in range(2):
                r = httpx.post(f"http://127.0.0.1:{port}/applications", json={"profile": PROFILE}, timeout=30,
                               headers={"Authorization": f"Bearer {token}", "Idempotency-Key": key})
                assert r.status_code == 201
                ids.add(r.json()["id"])
        assert len(ids) == len(keys)  # exactly one application per key, however often it was sent
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    engine = get_engine(settings)
    with engine.connect() as conn:
        apps = conn.execute(select(func.count()).select_from(Application)).scalar_one()
        orphans = conn.execute(text("SELECT count(*) FROM applications a WHERE NOT EXISTS (SELECT 1 FROM application_events e WHERE e.application_id = a.id)")).scalar_one()
        events = conn.execute(select(func.count()).select_from(ApplicationEvent)).scalar_one()
    assert apps == len(keys) and orphans == 0 and events == apps


class _Proxy:
    """A TCP proxy in front of PostgreSQL that can be cut and restored, to make the database unreachable."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target, self.port = target, free_port()
        self.conns: list[socket.socket] = []
        self.listener: socket.socket | None = None

    def start(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", self.port), reuse_port=False)
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self.conns += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(a: socket.socket, b: socket.socket) -> None:
        try:
            while data := a.recv(65536):
                b.sendall(data)
        except OSError:
            pass
        finally:
            for s in (a, b):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        assert self.listener is not None
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() thread; close() alone would not
        self.listener.close()
        for c in self.conns:
            try:
                c.shutdown(socket.SHUT_RDWR)
                c.close()
            except OSError:
                pass
        self.conns.clear()


PG = ("127.0.0.1", 5432)


@pytest.mark.skipif(not port_open(PG[1]), reason="no PostgreSQL server answers on 127.0.0.1:5432")
def test_database_outage_answers_503_in_chinese_and_recovers_without_restart(sample_settings):
    from fastapi.testclient import TestClient

    from assistant.api.app import create_app

    schema = "t_" + uuid.uuid4().hex[:10]
    admin = create_engine("postgresql+psycopg://postgres@127.0.0.1:5432/test")
    with admin.begin() as c:
        c.execute(text(f'CREATE SCHEMA "{schema}"'))
    proxy = _Proxy(PG)
    proxy.start()
    settings = sample_settings.model_copy(update={
        "database_url": f"postgresql+psycopg://postgres@127.0.0.1:{proxy.port}/test?options=-csearch_path%3D{schema}&connect_timeout=2"})
    try:
        add_accounts(settings)
        with TestClient(create_app(settings)) as client:
            token = client.post("/auth/token", data={"username": "ent-a", "password": PASSWORD}).json()["access_token"]
            headers = {"Authorization": f"Bearer {token}"}
            assert client.post("/ask", json={"question": QUESTION}, headers=headers).status_code == 200
            proxy.cut()
            down = client.post("/ask", json={"question": QUESTION}, headers=headers)
            assert down.status_code == 503 and down.json()["detail"] == "数据库暂时不可用，请稍后重试"
            assert client.get("/health").json()["database"] == "unavailable"
            proxy.start()  # same port: the database is back
            back = client.post("/ask", json={"question": QUESTION}, headers=headers)
            assert back.status_code == 200 and back.json()["citations"]
    finally:
        proxy.cut()
        get_engine(settings).dispose()
        with admin.begin() as c:
            c.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
