"""Schemathesis against our own OpenAPI spec: generated requests to every operation never cause a server error
(5xx), whatever they contain. Runs as staff and as policy_admin on a writable copy of part of the corpus.
Reindex and eval are excluded only because each case would start a multi-second background job (both are covered
by tests/test_api_admin.py); logout because it would revoke the token every later case runs with (covered by
tests/test_api_auth.py)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from assistant.api.app import create_app
from assistant.index.builder import build_index
from tests.conftest import CORPUS, make_settings
from tests.live_api import PASSWORD, add_accounts

# The schema is loaded when the module is collected, so the app needs its settings now; the data behind them
# (index, database, accounts) is made by the module fixture before the first case runs.
ROOT = Path(tempfile.mkdtemp(prefix="schema-test-"))
SETTINGS = make_settings(ROOT / "data", ROOT / "corpus", database_url=f"sqlite:///{ROOT}/db.sqlite3", chat_rate_limit="100000/minute")
APP = create_app(SETTINGS)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP).exclude(path=["/admin/reindex", "/admin/eval", "/auth/logout"])
TOKENS: dict[str, str] = {}


@pytest.fixture(scope="module", autouse=True)
def _data():
    from fastapi.testclient import TestClient

    policies = ROOT / "corpus" / "policies"
    policies.mkdir(parents=True)
    for name in ("xx-ip-interest-subsidy-2024.md", "xx-whitelist-2024.txt", "xx-whitelist-2024.txt.meta.yaml"):
        shutil.copy2(CORPUS / "policies" / name, policies / name)
    shutil.copytree(CORPUS / "products", ROOT / "corpus" / "products")
    build_index(SETTINGS)
    add_accounts(SETTINGS)
    with TestClient(APP) as client:
        TOKENS.update({u: client.post("/auth/token", data={"username": u, "password": PASSWORD}).json()["access_token"] for u in ("staff", "admin")})
    yield
    shutil.rmtree(ROOT, ignore_errors=True)


@schema.parametrize()
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_server_errors(case):
    for user in ("staff", "admin"):
        case.call_and_validate(headers={"Authorization": f"Bearer {TOKENS[user]}"}, checks=[not_a_server_error])
