"""Pages show times and dates the Chinese way in Beijing time (“2026年12月3日 15:09”), never as ISO strings; the
API underneath keeps ISO timestamps (a machine contract)."""

from __future__ import annotations

import datetime as dt
import json
import re

import httpx
import pytest

from assistant.storage.db import session_scope
from assistant.storage.models import EvalRun

ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
AT = dt.datetime(2026, 12, 3, 7, 9, 14, tzinfo=dt.UTC)


@pytest.fixture()
def own_api(sample_settings, tmp_path, monkeypatch):
    """A server of its own (its own database) over the read-only sample index, with two eval runs stored."""
    from tests.live_api import serve

    settings = sample_settings.model_copy(update={"database_url": f"sqlite:///{tmp_path / 'times.sqlite3'}", "env": "production"})
    with serve(settings) as server:
        with session_scope(settings) as session:
            for i, at in enumerate((AT - dt.timedelta(days=1), AT)):
                session.add(EvalRun(at=at, actor="policy_admin:admin", index_version=f"v{i}",
                                    scores={"questions": 10, "recall@5": 0.8, "mrr@10": 0.7, "fact_hit": 0.75, "refusal": 0.5}))
        monkeypatch.setenv("ASSISTANT_API_URL", server.url)
        yield server


def test_knowledge_page_shows_no_iso_timestamp(own_api):
    from tests.test_ui_pages import open_as

    runs = httpx.get(f"{own_api.url}/admin/eval/runs", headers=own_api.headers("admin"), timeout=10).json()
    assert runs[0]["at"].startswith("2026-12-03T07:09:14")  # the API keeps ISO

    at = open_as(own_api, "admin", "knowledge")
    tables = [f.value for f in at.dataframe]
    recent = next(t for t in tables if "时间" in t.columns)
    assert list(recent["时间"]) == ["2026年12月3日 15:09", "2026年12月2日 15:09"]
    docs = next(t for t in tables if "失效日期" in t.columns)
    assert any("年" in d for d in docs["失效日期"])  # the sample corpus has documents with an expiry date
    for table in tables:
        text = json.dumps(table.astype(str).to_dict("records"), ensure_ascii=False)
        assert not ISO_TIME.search(text), ISO_TIME.search(text)
        assert not ISO_DATE.search(text), ISO_DATE.search(text)
