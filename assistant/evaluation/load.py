"""HTTP load benchmark: mixed ask / chat / match / prefill traffic from N concurrent clients against a real
`assistant serve` with its production worker settings, on loopback. Reports p50/p95/p99 per kind and errors."""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from assistant.settings import Settings

QUESTIONS = [
    "专利质押登记要几个工作日？", "西咸新区知识产权质押贷款贴息比例是多少？", "秦知贷风险补偿比例是多少？",
    "评估费补助每笔最高多少？", "白名单多长时间更新？", "软件著作权质押在哪里登记？", "担保费补助怎么申请？",
    "首贷企业有什么额外支持？", "秦科保保费补贴比例是多少？", "商标质押登记需要哪些材料？",
]
TURNS = [
    "我们在沣东新城，做工业软件，2019年成立，高企，发明专利3件，去年营收2000万，负债率40%，征信良好，想贷300万一年",
    "第一个利率多少？", "贴息怎么申请？", "如果贷五百万呢？",
]
PROFILE = {"name": "压测示例科技有限公司", "region": "西咸新区", "founded": "2019-05-01", "revenue": 20_000_000, "debt_ratio": 0.4,
           "credit_ok": True, "qualifications": ["高新技术企业"], "ip_counts": {"发明专利": 3}, "employees": 60,
           "need": {"amount": 3_000_000, "term_months": 12, "purpose": "研发"}}
MIX = [("ask", 0.4), ("chat", 0.3), ("match", 0.2), ("prefill", 0.1)]
PASSWORD = "bench-password-1"


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


async def _client(base: str, token: str, stop_at: float, seed: int, out: dict[str, list[float]], errors: dict[str, int]) -> None:
    rng = random.Random(seed)
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=60) as http:
        try:
            session = (await http.post("/chat/sessions")).json()["id"]
        except (httpx.HTTPError, KeyError, ValueError):
            errors["session"] = errors.get("session", 0) + 1
            return
        turn = 0
        while time.perf_counter() < stop_at:
            kind = rng.choices([k for k, _ in MIX], [w for _, w in MIX])[0]
            t = time.perf_counter()
            try:
                if kind == "ask":
                    r = await http.post("/ask", json={"question": rng.choice(QUESTIONS)})
                elif kind == "chat":
                    r = await http.post(f"/chat/sessions/{session}/messages", json={"text": TURNS[turn % len(TURNS)]})
                    turn += 1
                elif kind == "match":
                    r = await http.post("/match", json={"profile": PROFILE, "top": 10})
                else:
                    r = await http.post("/applications", json={"profile": PROFILE})
                ok = r.status_code < 400
            except httpx.HTTPError:
                ok = False
            if ok:
                out.setdefault(kind, []).append((time.perf_counter() - t) * 1000)
            else:
                errors[kind] = errors.get(kind, 0) + 1


async def _level(base: str, token: str, clients: int, seconds: float) -> dict[str, Any]:
    out: dict[str, list[float]] = {}
    errors: dict[str, int] = {}
    stop_at = time.perf_counter() + seconds
    await asyncio.gather(*(_client(base, token, stop_at, i, out, errors) for i in range(clients)))
    kinds = {
        k: {"n": len(v), "p50": round(statistics.median(v), 1), "p95": round(_percentile(v, 0.95), 1), "p99": round(_percentile(v, 0.99), 1),
            "errors": errors.get(k, 0)}
        for k, v in sorted(out.items())
    }
    total = sum(len(v) for v in out.values())
    return {"clients": clients, "seconds": seconds, "requests": total, "rps": round(total / seconds, 1),
            "errors": sum(errors.values()), "kinds": kinds}


def _wait_healthy(base: str, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("server exited during start-up")
        try:
            if httpx.get(base + "/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError("server did not become healthy")


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop the server and its worker processes (its own session: no orphaned workers left on the port)."""
    import signal

    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)
    except ProcessLookupError:
        pass


def run_load(settings: Settings, levels: list[int], seconds: float, workers: int, port: int | None = None) -> dict[str, Any]:
    """Serve the current index with a fresh database in a temp dir; the bench's own account; no rate limit."""
    port = port or _free_port()
    from assistant.auth.users import create_user
    from assistant.storage.db import migrate, session_scope

    with tempfile.TemporaryDirectory(prefix="load-") as tmp:
        db = f"sqlite:///{Path(tmp) / 'load.sqlite3'}"
        bench = settings.model_copy(update={"database_url": db})
        migrate(bench)
        with session_scope(bench) as session:
            create_user(session, "load-bench", PASSWORD, "staff")
        env = {**os.environ, "ASSISTANT_DATABASE_URL": db, "ASSISTANT_DATA_DIR": str(settings.data_dir.resolve()),
               "ASSISTANT_CORPUS_DIR": str(settings.corpus_dir.resolve()), "ASSISTANT_CHAT_RATE_LIMIT": "1000000/minute"}
        # Server output goes to a file: an unread pipe fills up and blocks the server mid-benchmark.
        log = open(Path(tmp) / "server.log", "wb")  # noqa: SIM115 - closed with the temp dir below
        proc = subprocess.Popen([sys.executable, "-m", "assistant.cli", "serve", "--port", str(port), "--workers", str(workers)],
                                env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_healthy(base, proc)
            login = httpx.post(base + "/auth/token", data={"username": "load-bench", "password": PASSWORD})
            if login.status_code != 200:
                raise RuntimeError(f"bench login failed: {login.status_code} {login.text}")
            token = login.json()["access_token"]
            asyncio.run(_level(base, token, 2, 3))  # warm every worker's caches first
            results = [asyncio.run(_level(base, token, n, seconds)) for n in levels]
        finally:
            _stop(proc)
            log.close()
    return {"workers": workers, "database": "sqlite", "llm": bool(settings.llm_base_url), "levels": results}


def render(result: dict[str, Any]) -> str:
    lines = [
        "# HTTP 负载基准 / HTTP load benchmark", "",
        f"- `assistant serve --workers {result['workers']}`，数据库 {result['database']}，无大模型；回环地址，混合流量 ask 40% / chat 30% / match 20% / prefill 10%。",
        "", "| clients | kind | n | p50 ms | p95 ms | p99 ms | errors |", "|---|---|---|---|---|---|---|",
    ]
    for level in result["levels"]:
        for kind, k in level["kinds"].items():
            lines.append(f"| {level['clients']} | {kind} | {k['n']} | {k['p50']} | {k['p95']} | {k['p99']} | {k['errors']} |")
        lines.append(f"| {level['clients']} | **all** | {level['requests']} ({level['rps']} req/s) |  |  |  | {level['errors']} |")
    return "\n".join(lines) + "\n"
