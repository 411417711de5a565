"""Storage: migrations up and down on SQLite and PostgreSQL, the application workflow, idempotent creation,
optimistic version checks, atomic transactions."""

import datetime as dt
import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, select, text

from assistant.applications.form import prefill
from assistant.applications.workflow import ConcurrentEditError, WorkflowError
from assistant.products.catalog import get_catalog
from assistant.profile.model import Profile
from assistant.settings import Settings
from assistant.storage import repo
from assistant.storage.db import downgrade, get_engine, migrate, session_scope
from assistant.storage.models import Application, ApplicationEvent, AuditLog, ProfileVersion

ROOT = Path(__file__).resolve().parents[1]
TABLES = {"enterprises", "profile_versions", "conversations", "messages", "applications", "application_events", "feedback", "audit_log", "users", "api_tokens", "jobs", "eval_runs"}
PG_URL = os.environ.get("ASSISTANT_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _pg_available() -> bool:
    try:
        with create_engine(PG_URL, connect_args={"connect_timeout": 3}).connect() as c:
            c.execute(text("select 1"))
        return True
    except Exception:
        return False


@pytest.fixture()
def sqlite_settings(tmp_path) -> Settings:
    s = Settings(data_dir=tmp_path / "data", corpus_dir=ROOT / "corpus")
    migrate(s)
    return s


@pytest.fixture()
def pg_settings():
    if not _pg_available():
        pytest.skip("no PostgreSQL server answers on 127.0.0.1:5432")
    schema = "t_" + uuid.uuid4().hex[:10]
    admin = create_engine(PG_URL)
    with admin.begin() as c:
        c.execute(text(f'CREATE SCHEMA "{schema}"'))
    s = Settings(database_url=f"{PG_URL}?options=-csearch_path%3D{schema}", corpus_dir=ROOT / "corpus")
    yield s
    get_engine(s).dispose()
    with admin.begin() as c:
        c.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


def _tables(settings: Settings) -> set[str]:
    return set(inspect(get_engine(settings)).get_table_names()) - {"alembic_version"}


@pytest.mark.parametrize("which", ["sqlite_settings", "pg_settings"])
def test_migrations_up_and_down(request, which):
    settings = request.getfixturevalue(which)
    migrate(settings)
    assert _tables(settings) == TABLES
    downgrade(settings, "0001")  # each migration steps down on its own
    assert _tables(settings) == TABLES - {"users", "api_tokens", "jobs", "eval_runs"}
    downgrade(settings, "base")
    assert _tables(settings) == set()
    migrate(settings)
    assert _tables(settings) == TABLES


def _profile(**over) -> Profile:
    data = {"name": "存储示例科技有限公司", "uscc": "91110000600037341L", "region": "西咸新区", "founded": "2019-05-20",
            "qualifications": ["高新技术企业"], "credit_ok": True, "ip_counts": {"发明专利": 3}, "need": {"amount": 3_000_000, "term_months": 24}}
    data.update(over)
    return Profile.model_validate(data)


def _form(profile: Profile):
    product = next(p for p in get_catalog(ROOT / "corpus") if p.id == "cab-qinchuangdai")
    return prefill(profile, product, None, dt.date(2026, 11, 24))


@pytest.mark.parametrize("which", ["sqlite_settings", "pg_settings"])
def test_workflow_history_and_illegal_transitions(request, which):
    settings = request.getfixturevalue(which)
    migrate(settings)
    profile = _profile()
    with session_scope(settings) as s:
        app = repo.create_application(s, profile, _form(profile), actor="企业用户")
        app_id = app.id
    steps = [("已提交", "企业用户"), ("受理中", "张专员"), ("已推送银行", "张专员"), ("已放款", "张专员")]
    version = 1
    for status, actor in steps:
        with session_scope(settings) as s:
            app = repo.transition(s, app_id, status, actor, note=f"改为{status}", expected_version=version)
            version = app.version
    with session_scope(settings) as s:
        events = list(s.scalars(select(ApplicationEvent).where(ApplicationEvent.application_id == app_id).order_by(ApplicationEvent.id)))
        assert [e.to_status for e in events] == ["草稿", "已提交", "受理中", "已推送银行", "已放款"]
        assert events[2].actor == "张专员" and events[2].from_status == "已提交"
        assert s.scalar(select(AuditLog).where(AuditLog.action == "application.transition").limit(1)) is not None
        with pytest.raises(WorkflowError, match="已是终态"):
            repo.transition(s, app_id, "受理中", "张专员", None, expected_version=version)

    with session_scope(settings) as s:
        other = repo.create_application(s, profile, _form(profile), actor="企业用户")
        with pytest.raises(WorkflowError, match="不能改为“已放款”"):
            repo.transition(s, other.id, "已放款", "张专员", None, expected_version=1)


def test_concurrent_edit_is_refused_not_overwritten(sqlite_settings):
    profile = _profile()
    with session_scope(sqlite_settings) as s:
        app_id = repo.create_application(s, profile, _form(profile), actor="企业用户").id
    with session_scope(sqlite_settings) as s:
        repo.transition(s, app_id, "已提交", "企业用户", None, expected_version=1)
    # two staff members opened version 2; the first to act wins, the second is told instead of overwriting
    with session_scope(sqlite_settings) as s:
        repo.transition(s, app_id, "受理中", "张专员", "材料齐全", expected_version=2)
    with session_scope(sqlite_settings) as s, pytest.raises(ConcurrentEditError, match="已被他人修改"):
        repo.transition(s, app_id, "草稿", "李专员", "退回补正", expected_version=2)
    with session_scope(sqlite_settings) as s:
        app = s.get(Application, app_id)
        assert app.status == "受理中" and app.version == 3


def test_idempotent_creation_and_profile_versions(sqlite_settings):
    profile = _profile()
    with session_scope(sqlite_settings) as s:
        first = repo.create_application(s, profile, _form(profile), actor="api", idempotency_key="req-1").id
    with session_scope(sqlite_settings) as s:
        again = repo.create_application(s, profile, _form(profile), actor="api", idempotency_key="req-1").id
        assert again == first
        assert len(list(s.scalars(select(Application)))) == 1
        repo.save_profile(s, profile)
        repo.save_profile(s, _profile(employees=90))
        versions = list(s.scalars(select(ProfileVersion).order_by(ProfileVersion.version)))
        assert [v.version for v in versions] == [1, 2] and versions[1].data["employees"] == 90


def test_a_failure_inside_a_transaction_leaves_no_partial_rows(sqlite_settings):
    profile = _profile()
    with pytest.raises(RuntimeError), session_scope(sqlite_settings) as s:
        repo.create_application(s, profile, _form(profile), actor="api")
        raise RuntimeError("connection lost")
    with session_scope(sqlite_settings) as s:
        assert list(s.scalars(select(Application))) == []
        assert list(s.scalars(select(ProfileVersion))) == []


def test_cli_saves_and_moves_an_application(tmp_path):
    import json
    import subprocess
    import sys

    env = {**os.environ, "ASSISTANT_DATA_DIR": str(tmp_path / "data"), "ASSISTANT_CORPUS_DIR": str(ROOT / "corpus")}
    firm = tmp_path / "firm.json"
    firm.write_text(json.dumps(_profile().model_dump(mode="json", exclude_none=True), ensure_ascii=False), encoding="utf-8")
    run = lambda *a: subprocess.run([sys.executable, "-m", "assistant.cli", *a], capture_output=True, text=True, env=env, timeout=120)  # noqa: E731
    made = run("prefill", str(firm), "--product", "cab-qinchuangdai", "--out", str(tmp_path / "a.json"), "--save")
    assert made.returncode == 0, made.stderr
    app_id = made.stdout.split("已保存申请 ")[1].split("（")[0]
    assert run("applications", "move", app_id, "已提交", "--version", "1").returncode == 0
    bad = run("applications", "move", app_id, "已放款", "--version", "2")
    assert bad.returncode != 0 and "不能改为“已放款”" in bad.stderr
    stale = run("applications", "move", app_id, "受理中", "--version", "1")
    assert stale.returncode != 0 and "已被他人修改" in stale.stderr
    listed = run("applications", "list", "--status", "已提交")
    assert app_id in listed.stdout
