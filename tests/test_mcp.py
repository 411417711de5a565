"""The MCP server with the SDK's own client: `assistant mcp` as a stdio subprocess and `assistant mcp --http PORT` as a
streamable-HTTP server, each tool round trip, the API's tokens and roles (a firm may not call prefill, a bank may not
match), arguments checked against the API's request models with Chinese errors, and the two resources."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import anyio
import httpx2
import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters
from mcp.client.streamable_http import streamable_http_client

from assistant.api.routes.applications import NewApplication
from assistant.api.routes.ask import AskRequest
from assistant.api.routes.match import MatchRequest, SubsidyRequest
from assistant.auth.users import issue_token
from assistant.mcp_server import REQUESTS, ProductRequest
from assistant.retrieval.passages import SearchRequest
from assistant.storage.db import session_scope
from assistant.storage.models import User
from tests.live_api import add_accounts, free_port, port_open

EXE = str(Path(sys.executable).with_name("assistant"))
PROFILE = {"name": "甲示例科技有限公司", "region": "西咸新区", "founded": "2019-05-01", "revenue": 20_000_000, "debt_ratio": 0.4,
           "credit_ok": True, "qualifications": ["高新技术企业"], "ip_counts": {"发明专利": 3}, "employees": 50,
           "need": {"amount": 3_000_000, "term_months": 12}}


@pytest.fixture(scope="module")
def mcp_env(sample_settings, tmp_path_factory) -> Iterator[dict]:
    """The sample index (read-only), its own database with one account per role, and a token for each."""
    db = tmp_path_factory.mktemp("mcp-db") / "mcp.sqlite3"
    settings = sample_settings.model_copy(update={"database_url": f"sqlite:///{db}"})
    add_accounts(settings)
    tokens = {}
    with session_scope(settings) as session:
        for user in session.query(User).all():
            tokens[user.username] = issue_token(session, user.id, 1)
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(settings.data_dir), "ASSISTANT_CORPUS_DIR": str(settings.corpus_dir),
           "ASSISTANT_DATABASE_URL": settings.database_url, "ASSISTANT_ENV": "production"}
    env.pop("ASSISTANT_MCP_TOKEN", None)
    yield {"settings": settings, "tokens": tokens, "env": env}


def _stdio(env: dict, token: str | None = None) -> Client:
    extra = {"ASSISTANT_MCP_TOKEN": token} if token else {}
    return Client(StdioServerParameters(command=EXE, args=["mcp"], env={**env, **extra}), read_timeout_seconds=120)


def _text(result) -> str:
    return "".join(getattr(block, "text", "") for block in result.content)


def _run(fn) -> object:
    return anyio.run(fn)


def test_each_tools_arguments_are_the_apis_request_model(sample_settings):
    from assistant.mcp_server import build_server

    models = {"ask": AskRequest, "match": MatchRequest, "subsidy": SubsidyRequest, "product": ProductRequest,
              "search_policies": SearchRequest, "prefill": NewApplication}
    assert models == REQUESTS

    async def go():
        server = build_server(sample_settings.model_copy(update={"database_url": "sqlite://"}))
        return {t.name: t.input_schema for t in await server.list_tools()}

    schemas = _run(go)
    assert set(schemas) == set(models)
    for name, model in models.items():
        assert schemas[name] == model.model_json_schema(), name  # descriptions, limits and defaults as the API's


def test_stdio_round_trip_of_every_tool_for_staff(mcp_env):
    async def go():
        async with _stdio(mcp_env["env"], mcp_env["tokens"]["staff"]) as client:
            names = {t.name for t in (await client.list_tools()).tools}
            asked = await client.call_tool("ask", {"question": "质押贷款利息补贴按什么比例算？"})
            matched = await client.call_tool("match", {"profile": PROFILE, "top": 3})
            first = matched.structured_content["matches"][0]
            subsidy = await client.call_tool("subsidy", {"profile": PROFILE, "product_id": first["product_id"], "first_loan": True})
            product = await client.call_tool("product", {"product": first["product_id"]})
            found = await client.call_tool("search_policies", {"query": "专利权质押登记需要哪些材料", "top": 3, "kind": "policy"})
            prefilled = await client.call_tool("prefill", {"profile": PROFILE, "product_id": first["product_id"]})
            catalog = await client.read_resource("products://catalog")
            documents = await client.read_resource("documents://list")
            return names, asked, matched, subsidy, product, found, prefilled, catalog, documents

    names, asked, matched, subsidy, product, found, prefilled, catalog, documents = _run(go)
    assert names == {"ask", "match", "subsidy", "product", "search_policies", "prefill"}
    for result in (asked, matched, subsidy, product, found, prefilled):
        assert not result.is_error, _text(result)

    answer = asked.structured_content
    assert "50%" in answer["answer"] and answer["citations"]
    cited = answer["citations"][0]
    assert cited["title"] and cited["text"] and {"doc_number", "page", "article"} <= set(cited)

    top = matched.structured_content["matches"][0]
    assert top["verdict"] in ("符合", "需补充", "不符合") and top["reasons"]
    assert subsidy.structured_content["product_id"] == top["product_id"]
    assert all(s["basis"] and s["formula"] for s in subsidy.structured_content["subsidies"])
    assert product.structured_content["id"] == top["product_id"]

    passages = found.structured_content["passages"]
    assert 1 <= len(passages) <= 3 and not any(p["doc_id"].startswith("faq") for p in passages)
    assert any("质押" in p["text"] for p in passages) and all(p["title"] and p["chunk_id"] for p in passages)

    app = prefilled.structured_content
    assert app["status"] == "草稿" and app["product_id"] == top["product_id"] and app["form"]

    products = json.loads(catalog.contents[0].text)
    assert len(products) >= 30 and {"id", "name", "institution"} <= set(products[0])
    docs = json.loads(documents.contents[0].text)
    assert docs and all(d["doc_id"] and d["title"] and d["status"] for d in docs)


def test_stdio_without_a_token_is_a_guest_who_cannot_prefill(mcp_env):
    async def go():
        async with _stdio(mcp_env["env"]) as client:
            names = {t.name for t in (await client.list_tools()).tools}
            refused = await client.call_tool("prefill", {"profile": PROFILE})
            bad = await client.call_tool("match", {"profile": {**PROFILE, "debt_ratio": 3}})
            empty = await client.call_tool("ask", {"question": "  "})
            missing = await client.call_tool("product", {"product": "不存在的某某贷"})
            return names, refused, bad, empty, missing

    names, refused, bad, empty, missing = _run(go)
    assert "prefill" not in names and {"ask", "match", "search_policies"} <= names
    assert refused.is_error and "无权" in _text(refused) and "工作人员" in _text(refused)
    for result in (bad, empty, missing):
        assert result.is_error
        text = _text(result)
        assert "Error" not in text and "validation" not in text and any("\u4e00" <= ch <= "\u9fff" for ch in text), text
    assert "资产负债率" in _text(bad) and "debt_ratio" not in _text(bad)
    assert "问题" in _text(empty)
    assert "不存在的某某贷" in _text(missing)


def test_a_token_revoked_while_the_stdio_server_runs_stops_working(mcp_env):
    from assistant.auth.users import revoke_token

    with session_scope(mcp_env["settings"]) as session:
        user = session.query(User).filter_by(username="ent-b").one()
        token = issue_token(session, user.id, 1)

    async def go():
        async with _stdio(mcp_env["env"], token) as client:
            before = await client.call_tool("product", {"product": "秦创贷"})
            with session_scope(mcp_env["settings"]) as session:
                assert revoke_token(session, token)
            after = await client.call_tool("product", {"product": "秦创贷"})
            listed = {t.name for t in (await client.list_tools()).tools}
            return before, after, listed

    before, after, listed = _run(go)
    assert not before.is_error, _text(before)
    assert after.is_error and "请先登录" in _text(after) and listed == set()


def test_stdio_with_an_invalid_token_stops_with_a_chinese_message(mcp_env):
    done = subprocess.run([EXE, "mcp", "--token", "qca_not-a-token"], env=mcp_env["env"], capture_output=True, text=True,
                          timeout=120, stdin=subprocess.DEVNULL)
    assert done.returncode == 2 and "令牌无效" in done.stderr and "Traceback" not in done.stderr


@pytest.fixture(scope="module")
def mcp_http(mcp_env) -> Iterator[str]:
    port = free_port()
    log = open(Path(mcp_env["settings"].data_dir).parent / f"mcp-http-{port}.log", "w")  # noqa: SIM115
    proc = subprocess.Popen([EXE, "mcp", "--http", str(port)], env=mcp_env["env"], stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while not port_open(port):
            assert proc.poll() is None and time.monotonic() < deadline, "MCP HTTP server did not start"
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/mcp"
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def _http(url: str, token: str | None) -> Client:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return Client(streamable_http_client(url, http_client=httpx2.AsyncClient(headers=headers, timeout=120)), read_timeout_seconds=120)


def test_http_requires_a_valid_bearer_token(mcp_http):
    for headers in ({}, {"Authorization": "Bearer qca_wrong"}):
        r = httpx2.post(mcp_http, json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"}, headers=headers, timeout=30)
        assert r.status_code == 401


def test_http_round_trip_with_each_roles_tools(mcp_env, mcp_http):
    tokens = mcp_env["tokens"]

    async def go():
        out = {}
        for user in ("staff", "ent-a", "bank-ca"):
            async with _http(mcp_http, tokens[user]) as client:
                names = {t.name for t in (await client.list_tools()).tools}
                asked = await client.call_tool("ask", {"question": "专利权质押登记需要多少个工作日？"})
                prefill = await client.call_tool("prefill", {"profile": PROFILE, "product_id": None})
                matched = await client.call_tool("match", {"profile": PROFILE})
                out[user] = (names, asked, prefill, matched)
        return out

    out = _run(go)
    staff_names, staff_ask, staff_prefill, staff_match = out["staff"]
    assert "prefill" in staff_names and not staff_prefill.is_error and staff_prefill.structured_content["status"] == "草稿"
    assert not staff_ask.is_error and staff_ask.structured_content["citations"]
    assert not staff_match.is_error

    firm_names, firm_ask, firm_prefill, firm_match = out["ent-a"]
    assert "prefill" not in firm_names and firm_prefill.is_error and "无权" in _text(firm_prefill)
    assert not firm_ask.is_error and not firm_match.is_error

    bank_names, bank_ask, bank_prefill, bank_match = out["bank-ca"]
    assert "match" not in bank_names and "prefill" not in bank_names
    assert bank_match.is_error and "无权" in _text(bank_match) and not bank_ask.is_error

    # each consultation is kept under the caller's account, as the API keeps /ask
    from assistant.storage.models import Conversation

    with session_scope(mcp_env["settings"]) as session:
        owners = {c.user_id for c in session.query(Conversation).all()}
    with session_scope(mcp_env["settings"]) as session:
        ids = {u.username: u.id for u in session.query(User).all()}
    assert {ids["staff"], ids["ent-a"], ids["bank-ca"]} <= owners


def test_search_route_filters_by_region_kind_and_document(live_api):
    """``POST /search``, the API twin of ``search_policies``: passages with their sources, filtered."""
    import httpx

    headers = live_api.headers("staff")

    def search(**body):
        r = httpx.post(f"{live_api.url}/search", json=body, headers=headers, timeout=60)
        assert r.status_code == 200, r.text
        return r.json()["passages"]

    national = search(query="专利权质押登记", top=5, region="全国")
    assert national and all(p["region"] == "全国" for p in national)
    faq = search(query="贴息怎么申请", top=3, kind="faq")
    assert faq and all(p["doc_id"].startswith("faq") for p in faq)
    one = national[0]["doc_id"]
    assert {p["doc_id"] for p in search(query="质押", top=5, doc_id=one)} == {one}
    r = httpx.post(f"{live_api.url}/search", json={"query": "质押", "region": "火星"}, headers=headers, timeout=60)
    assert r.status_code == 400 and "不是可识别的行政区划名称" in r.json()["detail"]
    r = httpx.post(f"{live_api.url}/search", json={"query": "", "top": 50}, headers=headers, timeout=60)
    assert r.status_code == 422 and "Field" not in r.text
