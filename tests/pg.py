"""A PostgreSQL schema of its own per test, on this machine's server (a local service here and on CI).

The server is part of the stack the product runs on, so its absence fails the test with what to start rather
than skipping it: a skipped PostgreSQL test proves nothing."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text

from assistant.settings import Settings
from assistant.storage.db import get_engine
from tests.live_api import port_open

PG_URL = os.environ.get("ASSISTANT_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@contextmanager
def pg_schema(base: Settings, **update: object) -> Iterator[Settings]:
    """``base`` pointed at a fresh schema (dropped afterwards), with ``update`` applied to its settings."""
    if not port_open(5432):
        pytest.fail("PostgreSQL 未在 127.0.0.1:5432 运行（本项目的测试需要它：请启动 postgresql 服务）")
    schema = "t_" + uuid.uuid4().hex[:10]
    admin = create_engine(PG_URL)
    with admin.begin() as c:
        c.execute(text(f'CREATE SCHEMA "{schema}"'))
    settings = base.model_copy(update={"database_url": f"{PG_URL}?options=-csearch_path%3D{schema}", **update})
    try:
        yield settings
    finally:
        get_engine(settings).dispose()
        with admin.begin() as c:
            c.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
