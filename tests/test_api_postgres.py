"""The API with ASSISTANT_DATABASE_URL on this machine's PostgreSQL: conversations keep their state across turns,
applications are idempotent, two staff moving one application at once never both succeed, stats aggregate."""

from __future__ import annotations

import threading
import uuid

import httpx
import pytest

from tests.live_api import serve
from tests.pg import pg_schema

PROFILE = {"name": "甲示例科技有限公司", "region": "西咸新区", "founded": "2019-05-01", "revenue": 20_000_000, "debt_ratio": 0.4,
           "credit_ok": True, "qualifications": ["高新技术企业"], "ip_counts": {"发明专利": 3}, "employees": 60,
           "need": {"amount": 3_000_000, "term_months": 12}}


@pytest.fixture()
def pg_api(sample_settings):
    with pg_schema(sample_settings, chat_rate_limit="1000/minute") as settings, serve(settings) as api:
        yield api


def test_api_on_postgresql(pg_api):
    api = pg_api

    def post(user: str, path: str, **kw) -> httpx.Response:
        return httpx.post(api.url + path, headers={**api.headers(user), **kw.pop("headers", {})}, timeout=30, **kw)

    sid = post("ent-a", "/chat/sessions").json()["id"]
    first = post("ent-a", f"/chat/sessions/{sid}/messages", json={"text": "我们在沣东新城，2019年成立，高企，发明专利3件，去年营收2000万，负债率40%，征信良好，想贷300万一年"}).json()
    second = post("ent-a", f"/chat/sessions/{sid}/messages", json={"text": "第一个利率多少？"}).json()
    assert first["matches"] and first["matches"][0]["name"] in second["reply"]  # the state went through PostgreSQL

    key = uuid.uuid4().hex
    ids = {post("ent-a", "/applications", json={"profile": PROFILE}, headers={"Idempotency-Key": key}).json()["id"] for _ in range(3)}
    assert len(ids) == 1
    app_id = ids.pop()
    assert post("ent-a", f"/applications/{app_id}/transitions", json={"to_status": "已提交", "expected_version": 1}).status_code == 409  # incomplete
    filled = httpx.patch(f"{api.url}/applications/{app_id}", headers=api.headers("ent-a"), timeout=30, json={"expected_version": 1, "fields": {
        "uscc": "91610000MA6TG12349", "legal_rep": "甲法人", "contact_person": "甲联系人", "contact_phone": "029-88880000", "purpose": "研发"}})
    assert filled.status_code == 200 and filled.json()["missing"] == [], filled.text
    assert post("ent-a", f"/applications/{app_id}/transitions", json={"to_status": "已提交", "expected_version": 2}).status_code == 200

    results: list[int] = []
    barrier = threading.Barrier(2)

    def move(status: str) -> None:
        barrier.wait()
        results.append(post("staff", f"/applications/{app_id}/transitions", json={"to_status": status, "expected_version": 3}).status_code)

    threads = [threading.Thread(target=move, args=(s,)) for s in ("受理中", "草稿")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [200, 409]
    detail = httpx.get(f"{api.url}/applications/{app_id}", headers=api.headers("staff")).json()
    assert detail["version"] == 4 and [e["kind"] for e in detail["events"]] == ["status", "edit", "status", "status"]

    stats = httpx.get(api.url + "/stats", headers=api.headers("staff")).json()
    assert stats["consultations"] >= 2 and sum(stats["applications_by_status"].values()) == 1
