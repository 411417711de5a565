"""A real API server (uvicorn in a thread, on a free loopback port) with one account per role, for tests that
need HTTP end to end: streaming, the openai SDK, the Streamlit UI, the browser."""

from __future__ import annotations

import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import httpx
import uvicorn

from assistant.api.app import create_app
from assistant.auth.users import create_user
from assistant.settings import Settings
from assistant.storage.db import migrate, session_scope

PASSWORD = "password-123"
# username → (role, enterprise name, or a bank account's bank)
ACCOUNTS = {
    "ent-a": ("enterprise", "甲示例科技有限公司"),
    "ent-b": ("enterprise", "乙示例科技有限公司"),
    "staff": ("staff", None),
    "admin": ("policy_admin", None),
    "bank-ca": ("bank", "长安银行"),
    "bank-ccb": ("bank", "中国建设银行"),
}


@dataclass
class LiveAPI:
    url: str
    settings: Settings
    tokens: dict[str, str] = field(default_factory=dict)

    def headers(self, user: str) -> dict[str, str]:
        if user not in self.tokens:
            r = httpx.post(f"{self.url}/auth/token", data={"username": user, "password": PASSWORD}, timeout=10)
            r.raise_for_status()
            self.tokens[user] = r.json()["access_token"]
        return {"Authorization": f"Bearer {self.tokens[user]}"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    """Whether a local service (PostgreSQL, Redis …) answers on its port."""
    try:
        socket.create_connection((host, port), timeout=1).close()
        return True
    except OSError:
        return False


def wait_healthy(url: str, proc: subprocess.Popen[bytes], what: str, timeout: float = 60) -> None:
    """Poll ``url`` until it answers 200; kill ``proc`` and fail if it never does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"{what} did not start")


def add_accounts(settings: Settings) -> None:
    migrate(settings)
    with session_scope(settings) as session:
        for name, (role, whose) in ACCOUNTS.items():
            if role == "bank":
                create_user(session, name, PASSWORD, role, institution=whose)
            else:
                create_user(session, name, PASSWORD, role, whose)


@contextmanager
def serve(settings: Settings, accounts: bool = True) -> Iterator[LiveAPI]:
    if accounts:
        add_accounts(settings)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("API server did not start")
        time.sleep(0.05)
    try:
        yield LiveAPI(url=f"http://127.0.0.1:{port}", settings=settings)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
