"""Storage: migrations up and down on SQLite and PostgreSQL, the application workflow, idempotent creation,
optimistic version checks, atomic transactions."""

import datetime as dt
import json
import os
from pathlib import Path

import pytest
from sqlalchemy import inspect, select, text

from assistant.applications.form import prefill
from assistant.applications.workflow import ConcurrentEditError, WorkflowError
from assistant.products.catalog import get_catalog
from assistant.profile.model import Profile
from assistant.settings import Settings
from assistant.storage import repo
from assistant.storage.db import downgrade, get_engine, migrate, session_scope
from assistant.storage.models import Application, ApplicationEvent, AuditLog, ProfileVersion
from tests.pg import pg_schema

ROOT = Path(__file__).resolve().parents[1]
TABLES = {"enterprises", "profile_versions", "conversations", "messages", "applications", "application_events", "feedback", "audit_log", "users", "api_tokens", "jobs", "eval_runs",
          "application_files", "ledger", "targets"}


@pytest.fixture()
def sqlite_settings(tmp_path) -> Settings:
    s = Settings(data_dir=tmp_path / "data", corpus_dir=ROOT / "corpus")
    migrate(s)
    return s


@pytest.fixture()
def pg_settings():
    with pg_schema(Settings(corpus_dir=ROOT / "corpus")) as settings:
        yield settings


def _tables(settings: Settings) -> set[str]:
    return set(inspect(get_engine(settings)).get_table_names()) - {"alembic_version"}


@pytest.mark.parametrize("which", ["sqlite_settings", "pg_settings"])
def test_migrations_up_and_down(request, which):
    settings = request.getfixturevalue(which)
    migrate(settings)
    assert _tables(settings) == TABLES
    downgrade(settings, "0001")  # each migration steps down on its own
    assert _tables(settings) == TABLES - {"users", "api_tokens", "jobs", "eval_runs", "application_files", "ledger", "targets"}
    downgrade(settings, "base")
    assert _tables(settings) == set()
    migrate(settings)
    assert _tables(settings) == TABLES


def _profile(**over) -> Profile:
    data = {"name": "存储示例科技有限公司", "uscc": "91110000600037341L", "region": "西咸新区", "founded": "2019-05-20",
            "qualifications": ["高新技术企业"], "credit_ok": True, "ip_counts": {"发明专利": 3}, "need": {"amount": 3_000_000, "term_months": 24}}
    data.update(over)
    return Profile.model_validate(data)


def _form(profile: Profile, extra: dict | None = None):
    product = next(p for p in get_catalog(ROOT / "corpus") if p.id == "cab-qinchuangdai")
    return prefill(profile, product, extra, dt.date(2026, 11, 24))


# what a firm has to state before its draft can be submitted (the rest of _profile() is there already)
COMPLETE = {"employees": 60, "revenue": 20_000_000, "debt_ratio": 0.4, "need": {"amount": 3_000_000, "term_months": 24, "purpose": "研发"}}
CONTACT = {"legal_rep": "王示例", "contact_person": "张经理", "contact_phone": "029-88886666"}


def _complete_form(profile: Profile):
    form = _form(profile, CONTACT)
    assert form.missing() == [], form.missing()
    return form


@pytest.mark.parametrize("which", ["sqlite_settings", "pg_settings"])
def test_workflow_history_and_illegal_transitions(request, which):
    settings = request.getfixturevalue(which)
    migrate(settings)
    profile = _profile(**COMPLETE)
    with session_scope(settings) as s:
        app = repo.create_application(s, profile, _complete_form(profile), actor="企业用户")
        app_id = app.id
    steps = [("已提交", "企业用户"), ("受理中", "张专员"), ("已推送银行", "张专员"), ("已批准", "长安银行"), ("已放款", "长安银行")]
    version = 1
    for status, actor in steps:
        with session_scope(settings) as s:
            app = repo.transition(s, app_id, status, actor, note=f"改为{status}", expected_version=version)
            version = app.version
    with session_scope(settings) as s:
        events = list(s.scalars(select(ApplicationEvent).where(ApplicationEvent.application_id == app_id).order_by(ApplicationEvent.id)))
        assert [e.to_status for e in events] == ["草稿", "已提交", "受理中", "已推送银行", "已批准", "已放款"]
        assert events[2].actor == "张专员" and events[2].from_status == "已提交"
        assert s.scalar(select(AuditLog).where(AuditLog.action == "application.transition").limit(1)) is not None
        with pytest.raises(WorkflowError, match="已是终态"):
            repo.transition(s, app_id, "受理中", "张专员", None, expected_version=version)

    with session_scope(settings) as s:
        other = repo.create_application(s, profile, _form(profile), actor="企业用户")
        with pytest.raises(WorkflowError, match="不能改为“已放款”"):
            repo.transition(s, other.id, "已放款", "张专员", None, expected_version=1)


def test_concurrent_edit_is_refused_not_overwritten(sqlite_settings):
    profile = _profile(**COMPLETE)
    with session_scope(sqlite_settings) as s:
        app_id = repo.create_application(s, profile, _complete_form(profile), actor="企业用户").id
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
    incomplete = run("applications", "move", app_id, "已提交", "--version", "1")  # the CLI keeps the same rule as the API
    assert incomplete.returncode != 0 and "法定代表人" in incomplete.stderr and "联系电话" in incomplete.stderr
    from assistant.applications.service import edit_application
    from assistant.auth.users import Principal

    settings = Settings(data_dir=tmp_path / "data", corpus_dir=ROOT / "corpus")
    fields = {**CONTACT, "employees": 60, "revenue": 20_000_000, "debt_ratio": 0.4, "purpose": "研发"}
    filled = edit_application(settings, Principal(0, "张专员", "staff", None), app_id, expected_version=1, fields=fields)
    assert filled.version == 2 and filled.missing == []
    assert run("applications", "move", app_id, "已提交", "--version", "2").returncode == 0
    bad = run("applications", "move", app_id, "已放款", "--version", "3")
    assert bad.returncode != 0 and "不能改为“已放款”" in bad.stderr
    stale = run("applications", "move", app_id, "受理中", "--version", "2")
    assert stale.returncode != 0 and "已被他人修改" in stale.stderr
    listed = run("applications", "list", "--status", "已提交")
    assert app_id in listed.stdout


# -- profiles are merged field by field; an application keeps the profile it was made from ------------------------

@pytest.mark.parametrize("which", ["sqlite_settings", "pg_settings"])
def test_a_sparse_profile_updates_the_stored_one_field_by_field(request, which):
    settings = request.getfixturevalue(which)
    migrate(settings)
    full = _profile(employees=60, ip_counts={"发明专利": 3, "商标": 2},
                    ip_assets=[{"type": "发明专利", "number": "ZL201910380558.X", "title": "一种工业数据采集方法", "valuation": 6_000_000}],
                    need={"amount": 3_000_000, "term_months": 24, "purpose": "研发"})
    with session_scope(settings) as s:
        first = repo.save_profile(s, full)
    sparse = Profile.model_validate({
        "name": "存储示例科技有限公司", "uscc": "91110000600037341L", "employees": 75, "need": {"amount": 5_000_000},
        "ip_counts": {"商标": 4},
        "ip_assets": [{"type": "发明专利", "number": "ZL201910380558.X", "expires": "2039-05-10"},
                      {"type": "软件著作权", "number": "2024SR0196400", "title": "数据平台V1.0"}],
    })
    with session_scope(settings) as s:
        second = repo.save_profile(s, sparse)
        data = second.data
    assert second.version == first.version + 1
    assert data["region"] == "西咸新区" and data["founded"] == "2019-05-20" and data["credit_ok"] is True  # kept
    assert data["employees"] == 75  # given: overrides
    assert data["need"] == {"amount": 5_000_000, "term_months": 24, "purpose": "研发"}  # merged per key
    assert data["ip_counts"] == {"发明专利": 3, "商标": 4}
    assert data["ip_assets"] == [
        {"type": "发明专利", "number": "ZL201910380558.X", "title": "一种工业数据采集方法", "valuation": 6_000_000, "expires": "2039-05-10"},
        {"type": "软件著作权", "number": "2024SR0196400", "title": "数据平台V1.0"},
    ]
    with session_scope(settings) as s:  # nothing new: no new version
        assert repo.save_profile(s, sparse).version == second.version
        assert repo.save_profile(s, Profile(name="存储示例科技有限公司", uscc="91110000600037341L")).version == second.version
        assert len(list(s.scalars(select(ProfileVersion)))) == 2


@pytest.mark.parametrize("which", ["sqlite_settings", "pg_settings"])
def test_an_application_keeps_the_profile_it_was_made_from(request, which):
    settings = request.getfixturevalue(which)
    migrate(settings)
    profile = _profile(**COMPLETE)
    with session_scope(settings) as s:
        app_id = repo.create_application(s, profile, _complete_form(profile), actor="api").id
    with session_scope(settings) as s:
        repo.save_profile(s, _profile(employees=500, need={"amount": 9_000_000}))  # the firm's profile moves on
    with session_scope(settings) as s:
        app = s.get(Application, app_id)
        assert app.profile_version == 1
        assert app.profile_snapshot["employees"] == 60 and app.profile_snapshot["need"]["amount"] == 3_000_000
        assert repo.latest_profile(s, app.enterprise_id).data["employees"] == 500


@pytest.mark.parametrize("which", ["sqlite_settings", "pg_settings"])
def test_an_incomplete_draft_cannot_be_submitted(request, which):
    settings = request.getfixturevalue(which)
    migrate(settings)
    profile = _profile()
    with session_scope(settings) as s:
        app_id = repo.create_application(s, profile, _form(profile), actor="企业用户").id
    with session_scope(settings) as s, pytest.raises(WorkflowError) as refused:
        repo.transition(s, app_id, "已提交", "企业用户", None, expected_version=1)
    for label in ("法定代表人", "联系人", "联系电话", "营业收入", "资金用途"):
        assert label in refused.value.message
    with session_scope(settings) as s:
        app = s.get(Application, app_id)
        assert app.status == "草稿" and app.version == 1


@pytest.mark.parametrize("which", ["sqlite_settings", "pg_settings"])
def test_migration_0003_keeps_existing_applications_editable(request, which):
    """Applications stored before 0003 get the profile version saved with them and the facts of their form."""
    settings = request.getfixturevalue(which)
    downgrade(settings, "base")
    migrate(settings, "0002")
    profile = _profile(**COMPLETE)
    form = _form(profile, {**CONTACT, "office_address": "西咸新区沣东新城1号"}).model_dump(mode="json")
    now = dt.datetime.now(dt.UTC)
    with get_engine(settings).begin() as c:
        c.execute(text("INSERT INTO enterprises (id, name, uscc, created_at) VALUES ('e1', '存储示例科技有限公司', NULL, :t)"), {"t": now})
        c.execute(text("INSERT INTO profile_versions (enterprise_id, version, data, source, created_at) VALUES ('e1', 1, :d, 'application', :t)"),
                  {"d": json.dumps(profile.model_dump(mode="json", exclude_none=True)), "t": now})
        c.execute(text("INSERT INTO profile_versions (enterprise_id, version, data, source, created_at) VALUES ('e1', 2, :d, 'api', :t)"),
                  {"d": json.dumps({"name": "存储示例科技有限公司", "employees": 999}), "t": now + dt.timedelta(days=3)})
        c.execute(text("INSERT INTO applications (id, enterprise_id, product_id, institution, status, form, version, created_at, updated_at) "
                       "VALUES ('a1', 'e1', 'cab-qinchuangdai', '长安银行', '草稿', :f, 1, :t, :t)"),
                  {"f": json.dumps(form, ensure_ascii=False), "t": now + dt.timedelta(seconds=1)})
        c.execute(text("INSERT INTO application_events (application_id, from_status, to_status, actor, note, at) VALUES ('a1', NULL, '草稿', 'api', NULL, :t)"),
                  {"t": now})
    migrate(settings)
    with session_scope(settings) as s:
        app = s.get(Application, "a1")
        assert app.profile_version == 1 and app.profile_snapshot["employees"] == 60  # not the later version 2
        assert app.extra == {**CONTACT, "office_address": "西咸新区沣东新城1号"}
        assert app.events[0].kind == "status"
    downgrade(settings, "0002")
    columns = {c["name"] for c in inspect(get_engine(settings)).get_columns("applications")}
    assert "profile_snapshot" not in columns and "extra" not in columns
    migrate(settings)
