"""Who may do what: every role against every route family, tokens, demo accounts, rate limits."""

from __future__ import annotations

import httpx
import pytest
from fastapi.testclient import TestClient

from assistant.api.app import create_app
from assistant.auth.users import create_user, seed_demo
from assistant.storage.db import migrate, session_scope
from tests.live_api import ACCOUNTS, PASSWORD, add_accounts

PROFILE = {"name": "矩阵示例科技有限公司", "region": "西咸新区", "founded": "2019-05-01", "revenue": 20_000_000, "debt_ratio": 0.4,
           "credit_ok": True, "qualifications": ["高新技术企业"], "ip_counts": {"发明专利": 3}, "employees": 50,
           "need": {"amount": 3_000_000, "term_months": 12}}
ROLES = ("enterprise", "staff", "policy_admin", "bank")
USER_FOR = {"enterprise": "ent-a", "staff": "staff", "policy_admin": "admin", "bank": "bank-ca"}
# (method, path, body, roles allowed). Forbidden roles must get 403; anonymous callers 401.
MATRIX = [
    ("POST", "/ask", {"question": "贴息比例是多少"}, ROLES),
    ("POST", "/search", {"query": "质押登记材料", "top": 2}, ROLES),
    ("POST", "/chat/sessions", None, ROLES),
    ("GET", "/chat/sessions", None, ROLES),
    ("GET", "/products", None, ROLES),
    ("POST", "/subsidy", {"profile": PROFILE, "product_id": "abc-kejiedai"}, ROLES),
    ("POST", "/match", {"profile": PROFILE}, ("enterprise", "staff")),
    ("POST", "/match/reverse", {"product_id": "abc-kejiedai", "profiles": [PROFILE]}, ("staff",)),
    ("POST", "/profiles", PROFILE, ("enterprise", "staff")),
    ("GET", "/profiles", None, ("enterprise", "staff")),
    ("GET", "/applications", None, ("enterprise", "staff", "bank")),
    ("GET", "/applications/no-such-app", None, ("enterprise", "staff", "bank")),
    ("POST", "/applications", {"profile": PROFILE, "product_id": "abc-kejiedai"}, ("enterprise", "staff")),
    ("PATCH", "/applications/no-such-app", {"expected_version": 1}, ("enterprise", "staff")),
    ("POST", "/applications/no-such-app/transitions", {"to_status": "已提交", "expected_version": 1}, ("enterprise", "staff")),
    ("POST", "/applications/push", {"application_ids": ["no-such-app"]}, ("staff",)),
    ("POST", "/applications/no-such-app/decision", {"decision": "受理", "expected_version": 1}, ("bank", "staff")),
    ("GET", "/applications/no-such-app/files/1", None, ("enterprise", "staff", "bank")),
    ("GET", "/applications/no-such-app/document", None, ("enterprise", "staff", "bank")),
    ("GET", "/stats", None, ("staff", "policy_admin")),
    ("GET", "/stats/financing", None, ("staff", "policy_admin", "bank")),
    ("GET", "/stats/targets", None, ROLES),
    ("PUT", "/stats/targets", {"firms": 200, "amount": 1e9, "deadline": "2025-12-31"}, ("policy_admin",)),
    ("GET", "/admin/documents", None, ("policy_admin",)),
    ("GET", "/admin/documents/citations", None, ("policy_admin",)),
    ("GET", "/admin/products/export", None, ("policy_admin",)),
    ("POST", "/admin/products/no-such/retire", {"retired": True}, ("policy_admin",)),
    ("DELETE", "/admin/documents/no-such-doc", None, ("policy_admin",)),
    ("POST", "/admin/documents/no-such-doc/retire", {"status": "已废止"}, ("policy_admin",)),
    ("GET", "/admin/jobs/no-such-job", None, ("policy_admin",)),
    ("GET", "/admin/eval/runs", None, ("staff", "policy_admin")),
    ("GET", "/v1/models", None, ROLES),
    ("POST", "/v1/chat/completions", {"messages": [{"role": "user", "content": "你好"}]}, ROLES),
]


@pytest.fixture(scope="module")
def client(sample_settings, tmp_path_factory):
    db = tmp_path_factory.mktemp("auth-db") / "db.sqlite3"
    settings = sample_settings.model_copy(update={"database_url": f"sqlite:///{db}", "chat_rate_limit": "10000/minute"})
    add_accounts(settings)
    with TestClient(create_app(settings)) as c:
        c.tokens = {u: c.post("/auth/token", data={"username": u, "password": PASSWORD}).json()["access_token"] for u in ACCOUNTS}
        yield c


@pytest.mark.parametrize(("method", "path", "body", "allowed"), MATRIX, ids=[f"{m} {p}" for m, p, _, _ in MATRIX])
def test_authorization_matrix(client, method, path, body, allowed):
    assert client.request(method, path, json=body).status_code == 401
    for role in ROLES:
        r = client.request(method, path, json=body, headers={"Authorization": f"Bearer {client.tokens[USER_FOR[role]]}"})
        if role in allowed:
            assert r.status_code not in (401, 403), (role, r.status_code, r.text[:200])
        else:
            assert r.status_code == 403 and r.json()["detail"] == "当前账号无权执行此操作", (role, r.status_code)


def test_a_forged_or_revoked_token_is_refused(client, sample_settings):
    assert client.get("/auth/me", headers={"Authorization": "Bearer qca_forged"}).status_code == 401
    from assistant.auth.users import revoke_tokens

    token = client.post("/auth/token", data={"username": "staff", "password": PASSWORD}).json()["access_token"]
    assert client.get("/auth/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    with session_scope(client.app.state.settings) as session:
        assert revoke_tokens(session, "staff") >= 1
    assert client.get("/auth/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    client.tokens["staff"] = client.post("/auth/token", data={"username": "staff", "password": PASSWORD}).json()["access_token"]


def test_logout_revokes_only_the_token_it_was_called_with(client):
    login = {"username": "ent-a", "password": PASSWORD}
    first, second = (client.post("/auth/token", data=login).json()["access_token"] for _ in range(2))
    assert client.post("/auth/logout").status_code == 401
    assert client.post("/auth/logout", headers={"Authorization": f"Bearer {first}"}).status_code == 204
    assert client.get("/auth/me", headers={"Authorization": f"Bearer {first}"}).status_code == 401
    assert client.post("/auth/logout", headers={"Authorization": f"Bearer {first}"}).status_code == 401
    assert client.get("/auth/me", headers={"Authorization": f"Bearer {second}"}).status_code == 200  # another device stays signed in


def test_passwords_are_stored_as_argon2_hashes(client):
    from sqlalchemy import select

    from assistant.storage.models import User

    with session_scope(client.app.state.settings) as session:
        hashes = list(session.scalars(select(User.password_hash)))
    assert hashes and all(h.startswith("$argon2") and PASSWORD not in h for h in hashes)


def test_demo_accounts_work_only_in_development_mode(sample_settings, tmp_path):
    for env, expected in (("production", 401), ("development", 200)):
        settings = sample_settings.model_copy(update={"database_url": f"sqlite:///{tmp_path}/{env}.sqlite3", "env": env})
        migrate(settings)
        with session_scope(settings) as session:
            seed_demo(session)
        with TestClient(create_app(settings)) as c:
            r = c.post("/auth/token", data={"username": "demo-staff", "password": "demo"})
            assert r.status_code == expected, env
            if expected == 401:
                assert "开发模式" in r.json()["detail"]


def test_short_passwords_are_refused_for_real_accounts(sample_settings, tmp_path):
    settings = sample_settings.model_copy(update={"database_url": f"sqlite:///{tmp_path}/p.sqlite3"})
    migrate(settings)
    from assistant.auth.users import AuthError

    with pytest.raises(AuthError, match="至少"), session_scope(settings) as session:
        create_user(session, "weak", "123", "staff")


def test_chat_routes_are_rate_limited_per_user(sample_settings, tmp_path):
    settings = sample_settings.model_copy(update={"database_url": f"sqlite:///{tmp_path}/rl.sqlite3", "chat_rate_limit": "3/minute"})
    add_accounts(settings)
    with TestClient(create_app(settings)) as c:
        headers = {u: {"Authorization": "Bearer " + c.post("/auth/token", data={"username": u, "password": PASSWORD}).json()["access_token"]}
                   for u in ("ent-a", "ent-b")}
        codes = [c.post("/ask", json={"question": "贴息比例是多少"}, headers=headers["ent-a"]).status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        limited = c.post("/ask", json={"question": "贴息比例是多少"}, headers=headers["ent-a"])
        assert "频繁" in limited.json()["detail"] and limited.headers["Retry-After"]
        assert c.post("/ask", json={"question": "贴息比例是多少"}, headers=headers["ent-b"]).status_code == 200  # per user
        assert c.get("/products", headers=headers["ent-a"]).status_code == 200  # other routes unaffected


def test_cors_is_closed_unless_origins_are_configured(sample_settings, tmp_path):
    preflight = {"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}
    settings = sample_settings.model_copy(update={"database_url": f"sqlite:///{tmp_path}/c.sqlite3"})
    with TestClient(create_app(settings)) as c:
        r = c.options("/ask", headers=preflight)
        assert "access-control-allow-origin" not in r.headers
    opened = settings.model_copy(update={"cors_origins": ["https://ui.example"]})
    with TestClient(create_app(opened)) as c:
        r = c.options("/ask", headers={**preflight, "Origin": "https://ui.example"})
        assert r.headers["access-control-allow-origin"] == "https://ui.example"
        assert "access-control-allow-origin" not in c.options("/ask", headers=preflight).headers


def test_unknown_routes_answer_in_chinese(client):
    r = client.get("/no/such/route")
    assert r.status_code == 404 and r.json()["detail"] == "请求的资源不存在"
    assert httpx.codes.is_error(r.status_code)
