"""The Streamlit UI (ui/app.py) under AppTest, page by page, against a real API over HTTP (the `live_api` fixture;
a separate writable server for the knowledge-base page, which changes the corpus)."""

from __future__ import annotations

import io
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "ui" / "app.py")
PAGES = {"consult": "views/consult.py", "match": "views/match.py", "applications": "views/applications.py",
         "knowledge": "views/knowledge.py", "stats": "views/stats.py", "workbench": "views/workbench.py"}
VISIBLE = {"enterprise": {"consult", "applications"}, "staff": {"consult", "match", "applications", "stats"},
           "policy_admin": {"consult", "knowledge", "stats"}, "bank": {"workbench"}}
PROFILE = {
    "name": "丙示例科技有限公司", "region": "西咸新区沣东新城", "founded": "2018-05-01", "employees": 80, "revenue": 30_000_000,
    "debt_ratio": 0.4, "qualifications": ["高新技术企业"], "whitelist": True, "credit_ok": True, "ip_counts": {"发明专利": 3},
    "need": {"amount": 5_000_000, "term_months": 12, "purpose": "研发"},
}


@pytest.fixture()
def api(live_api, monkeypatch):
    monkeypatch.setenv("ASSISTANT_API_URL", live_api.url)
    return live_api


def _me(api, user: str) -> dict[str, Any]:
    return httpx.get(f"{api.url}/auth/me", headers=api.headers(user), timeout=10).json()


def open_as(api, user: str, page: str | None = None) -> AppTest:
    """The app with a logged-in session (the token in session state, as the login form leaves it)."""
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["token"] = api.headers(user)["Authorization"].split()[1]
    at.session_state["me"] = _me(api, user)
    at.session_state["me_checked"] = True
    at.run()
    if page:
        at.switch_page(PAGES[page]).run()
    assert not at.exception, at.exception
    return at


def texts(at: AppTest) -> str:
    """All visible text of the page (markdown, captions, alerts, metrics), for substring checks."""
    parts: list[str] = []
    for kind in ("markdown", "caption", "error", "warning", "info", "success", "title", "subheader"):
        parts += [str(e.value) for e in getattr(at, kind)]
    parts += [f"{m.label}:{m.value}" for m in at.metric]
    return "\n".join(parts)


def new_application(api, user: str, profile: dict[str, Any] | None = None) -> dict[str, Any]:
    r = httpx.post(f"{api.url}/applications", json={"profile": profile or PROFILE}, timeout=30,
                   headers={**api.headers(user), "Idempotency-Key": uuid.uuid4().hex})
    assert r.status_code == 201, r.text
    return r.json()


# -- login and navigation -------------------------------------------------------------------------------------

def test_login_form_roles_and_logout(api):
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert "请在左侧边栏输入账号和密码登录" in texts(at)
    with pytest.raises(ValueError):  # before login only the login page exists
        at.switch_page(PAGES["consult"])

    at.sidebar.text_input(key="login_username").set_value("staff")
    at.sidebar.text_input(key="login_password").set_value("wrong-password")
    at.sidebar.button[0].click().run()
    assert "用户名或密码错误" in [e.value for e in at.sidebar.error]
    assert "token" not in at.session_state

    at.sidebar.text_input(key="login_password").set_value("password-123")
    at.sidebar.button[0].click().run()
    assert not at.exception
    sidebar = "\n".join(m.value for m in at.sidebar.markdown)
    assert "staff" in sidebar and "服务中心工作人员" in sidebar
    assert at.title[0].value == "企业咨询"  # the first page of the role is the default
    for name, path in PAGES.items():
        if name in VISIBLE["staff"]:
            at.switch_page(path).run()
            assert not at.exception, (name, at.exception)
        else:
            with pytest.raises(ValueError):
                at.switch_page(path)

    token = at.session_state["token"]
    assert httpx.get(f"{api.url}/auth/me", headers={"Authorization": f"Bearer {token}"}, timeout=10).status_code == 200
    at.sidebar.button(key="logout_button").click().run()
    assert "token" not in at.session_state
    assert "已退出登录" in texts(at)
    # signed out on the server too: the token (kept by the browser for reloads) no longer works anywhere
    assert httpx.get(f"{api.url}/auth/me", headers={"Authorization": f"Bearer {token}"}, timeout=10).status_code == 401


@pytest.mark.parametrize("user,role", [("ent-a", "enterprise"), ("admin", "policy_admin"), ("bank-ca", "bank")])
def test_pages_follow_the_role(api, user, role):
    at = open_as(api, user)
    for name, path in PAGES.items():
        if name in VISIBLE[role]:
            at.switch_page(path).run()
            assert not at.exception, (name, at.exception)
        else:
            with pytest.raises(ValueError):
                at.switch_page(path)


# -- 企业咨询 ---------------------------------------------------------------------------------------------------

def test_consult_answer_sources_feedback_match_and_application(api):
    at = open_as(api, "ent-a")
    assert [b.label for b in at.button if b.key and b.key.startswith("starter_")]  # starter questions on an empty chat

    at.chat_input[0].set_value("秦知贷的补偿比例是多少？").run()
    assert not at.exception
    answer = [m for m in at.chat_message if m.name == "assistant"][-1]
    assert "[1]" in answer.markdown[0].value and "50%" in answer.markdown[0].value
    sources = [e.label for e in at.expander if e.label.startswith("[1]")]
    assert sources and "秦知贷" in sources[0] and "陕知发" in sources[0]  # title and 文号
    assert "第五条" in texts(at)

    at.feedback[0].set_value(0).run()  # thumbs down → rating -1, shown to the policy team as a disliked answer
    assert "已记录" in texts(at)
    stats = httpx.get(f"{api.url}/stats", headers=api.headers("staff"), timeout=10).json()
    assert any("秦知贷的补偿比例" in d["question"] for d in stats["disliked"])

    assert not [b for b in at.button if b.key and b.key.startswith("starter_")]  # starters are gone once a chat began
    at.chat_input[0].set_value("我们在沣东，有3件发明专利，想贷五百万").run()
    profile_box = next(e for e in at.sidebar.expander if e.label == "已了解的企业信息")
    shown = "\n".join(m.value for m in profile_box.markdown)
    assert "发明专利3件" in shown and "500万元" in shown and "甲示例科技有限公司" in shown

    at.button(key="consult_match").click().run()
    assert not at.exception
    metrics = {m.label: int(m.value) for m in at.metric}
    assert sum(metrics[k] for k in ("符合", "需补充", "不符合")) == 36
    assert len(at.dataframe[0].value) == 36

    choice = at.session_state["chat_match"]["matches"][0]["product_id"]
    at.selectbox(key="consult_product").set_value(choice).run()
    at.button(key="consult_apply").click().run()
    assert not at.exception
    created = at.session_state["chat_application"]
    assert created["product_id"] == choice and created["status"] == "草稿"
    assert any("已生成申请表" in s.value for s in at.success)
    assert {d.label for d in at.download_button} >= {"下载 PDF 申请表", "下载 Word 申请表"}
    files = at.session_state["downloads"]
    assert files[f"app:{created['id']}:1:pdf"].content.startswith(b"%PDF")
    assert files[f"app:{created['id']}:1:docx"].content.startswith(b"PK")

    at.button(key="consult_apply").click().run()  # same request again: the idempotency key returns the same draft
    assert at.session_state["chat_application"]["id"] == created["id"]
    mine = httpx.get(f"{api.url}/applications", headers=api.headers("ent-a"), timeout=10).json()
    assert [a["id"] for a in mine].count(created["id"]) == 1


def test_consult_refuses_to_invent_and_policy_admin_has_no_match_actions(api):
    at = open_as(api, "admin")
    at.button(key="starter_2").click().run()  # a suggested question is asked as if typed
    assert [m.markdown[0].value for m in at.chat_message if m.name == "user"] == ["白名单多长时间更新？"]
    assert any(e.label.startswith("[1]") for e in at.expander)
    at.chat_input[0].set_value("今天西安的天气怎么样？").run()
    assert not at.exception
    last = [m for m in at.chat_message if m.name == "assistant"][-1]
    answer = last.markdown[0].value
    assert "服务中心" in answer and "[1]" not in answer  # no source, no invented answer: it points to the service center
    assert not last.expander
    assert "仅对企业用户和服务中心工作人员开放" in texts(at)


# -- 申请管理 ---------------------------------------------------------------------------------------------------

def test_applications_staff_moves_status_and_sees_a_version_conflict(api):
    # a complete draft (an incomplete one cannot be submitted: see tests/test_ui_applications.py)
    r = httpx.post(f"{api.url}/applications", timeout=30, headers={**api.headers("ent-a"), "Idempotency-Key": uuid.uuid4().hex}, json={
        "profile": {**PROFILE, "name": "甲示例科技有限公司", "uscc": "91611100MA6TX0001G"},
        "extra": {"legal_rep": "甲法人", "contact_person": "甲联系人", "contact_phone": "029-88880000"}})
    assert r.status_code == 201 and r.json()["missing"] == [], r.text
    app = r.json()
    at = open_as(api, "staff", "applications")
    at.selectbox(key="apps_selected").set_value(app["id"]).run()
    assert not at.exception
    assert "甲示例科技有限公司" in at.subheader[0].value and app["id"][:8] in at.subheader[0].value
    badges = [m.value for m in at.markdown if "badge[" in m.value]  # the draft's form: every field says where its value came from
    assert len(badges) == sum(len(s["fields"]) for s in app["form"]["sections"]) and any("用户提供" in b for b in badges)
    assert {d.label for d in at.download_button} >= {"下载 PDF 申请表", "下载 Word 申请表"}

    at.selectbox(key=f"apps_to_{app['id']}").set_value("已提交")
    at.text_area(key=f"apps_note_{app['id']}").set_value("企业已确认信息")
    at.button[[b.label for b in at.button].index("确认变更")].click().run()
    assert not at.exception
    assert any("已提交" in s.value for s in at.success)
    assert {m.label: m.value for m in at.metric}["版本"] == "2"
    sources = at.dataframe[1].value  # submitted: the form is read-only, first section with its sources
    assert set(sources["来源"]) <= {"用户提供", "系统推断", "待补充"} and "用户提供" in set(sources["来源"])
    history = at.dataframe[-1].value if "新状态" in at.dataframe[-1].value else next(d.value for d in at.dataframe if "新状态" in d.value)
    assert "企业已确认信息" in set(history["备注"])

    # someone else moves it meanwhile; this page still holds version 2
    r = httpx.post(f"{api.url}/applications/{app['id']}/transitions", headers=api.headers("staff"), timeout=10,
                   json={"to_status": "受理中", "expected_version": 2, "note": "另一位专员受理"})
    assert r.status_code == 200
    at.run()
    assert any("已被他人更新" in i.value for i in at.info)
    at.selectbox(key=f"apps_to_{app['id']}").set_value("受理中")
    at.button[[b.label for b in at.button].index("确认变更")].click().run()
    assert any("已被他人修改" in e.value and "请刷新" in e.value for e in at.error)

    at.button(key="apps_refresh").click().run()  # reload: now version 3, 受理中
    assert {m.label: m.value for m in at.metric}["状态"] == "受理中"


def test_enterprise_sees_only_its_own_applications(api):
    app_a = new_application(api, "ent-a", {**PROFILE, "name": "甲示例科技有限公司"})
    at = open_as(api, "ent-b", "applications")
    assert not at.exception
    shown = texts(at) + "".join(d.value.to_csv() for d in at.dataframe) + "".join(str(s.options) for s in at.selectbox)
    assert app_a["id"][:8] not in shown and "甲示例科技有限公司" not in shown

    mine = new_application(api, "ent-b", {**PROFILE, "name": "乙示例科技有限公司"})
    at.run()
    frame = at.dataframe[0].value
    assert set(frame["企业"]) == {"乙示例科技有限公司"} and mine["id"][:8] in set(frame["编号"])
    # an enterprise may only submit its draft
    at.selectbox(key="apps_selected").set_value(mine["id"]).run()
    assert at.selectbox(key=f"apps_to_{mine['id']}").options == ["已提交"]


# -- 产品匹配 ---------------------------------------------------------------------------------------------------

def _firm_workbook() -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "企业名单"
    ws.append(["企业名称", "注册地", "成立日期", "职工人数", "上年营业收入（万元）", "资产负债率", "资质", "是否白名单", "征信良好",
               "发明专利数", "融资金额（万元）", "融资期限（月）"])
    ws.append(["丁示例科技有限公司", "西咸新区", "2018-05-01", 80, 3000, 0.4, "高新技术企业", "是", "是", 3, 500, 12])
    ws.append(["戊示例科技有限公司", "西安市", "2023-01-01", 10, 100, 0.8, "", "否", "是", 0, 100, 6])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_match_page_form_stored_firm_batch_and_reverse(api):
    httpx.post(f"{api.url}/profiles", json=PROFILE, headers=api.headers("staff"), timeout=10).raise_for_status()
    at = open_as(api, "staff", "match")

    # typed in, revenue and amount in 万元
    at.text_input(key="pf_name").set_value("己示例科技有限公司")
    at.text_input(key="pf_region").set_value("西咸新区")
    at.number_input(key="pf_revenue").set_value(3000.0)
    at.number_input(key="pf_debt_ratio").set_value(40.0)
    at.multiselect(key="pf_qualifications").set_value(["高新技术企业"])
    at.number_input(key="pf_ip_发明专利").set_value(3)
    at.number_input(key="pf_need_amount").set_value(500.0)
    at.button[[b.label for b in at.button].index("开始匹配")].click().run()
    assert not at.exception
    sent = at.session_state["match_profile"]
    assert sent["revenue"] == 30_000_000 and sent["debt_ratio"] == 0.4 and sent["need"]["amount"] == 5_000_000
    assert sent["ip_counts"] == {"发明专利": 3}
    table = at.dataframe[0].value
    assert len(table) == 36 and set(table["结论"]) <= {"符合", "需补充", "不符合"}
    assert any(e.label.startswith("1. ") for e in at.expander)
    assert "判断理由" in texts(at)

    # a stored enterprise fills the form
    firm = next(f for f in httpx.get(f"{api.url}/profiles", headers=api.headers("staff"), timeout=10).json() if f["name"] == PROFILE["name"])
    at.selectbox(key="pf_pick").set_value(firm["enterprise_id"]).run()
    assert at.text_input(key="pf_name").value == PROFILE["name"] and at.number_input(key="pf_revenue").value == 3000
    at.button[[b.label for b in at.button].index("开始匹配")].click().run()
    result = at.session_state["match_result"]
    assert any(m["eligible"] is True for m in result["matches"])
    eligible = next(m for m in result["matches"] if m["eligible"])
    assert eligible["subsidies"] and "预计首年补贴（元）" in at.dataframe[0].value

    # whitelist workbook → result workbook
    at.file_uploader(key="batch_file").set_value(("白名单.xlsx", _firm_workbook(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    at.run()
    at.button(key="batch_run").click().run()
    assert not at.exception
    out = at.session_state["batch_result"]
    assert out.content.startswith(b"PK") and out.filename.endswith(".xlsx")
    assert any(d.label == "下载匹配结果" for d in at.download_button)
    assert any(e.label.startswith("预览") for e in at.expander)

    # reverse: which stored firms suit one product
    at.selectbox(key="reverse_product").set_value(eligible["product_id"]).run()
    at.button(key="reverse_run").click().run()
    assert not at.exception
    reverse = next(d.value for d in at.dataframe if "企业" in d.value and "排名" in d.value)
    assert PROFILE["name"] in set(reverse["企业"])


def test_match_page_shows_chinese_validation_errors(api):
    at = open_as(api, "staff", "match")
    at.text_input(key="pf_name").set_value("庚示例科技有限公司")
    at.text_input(key="pf_uscc").set_value("123")
    at.button[[b.label for b in at.button].index("开始匹配")].click().run()
    assert any("统一社会信用代码" in e.value for e in at.error)


# -- 统计 -------------------------------------------------------------------------------------------------------

def test_stats_page_renders_charts(api):
    new_application(api, "staff")
    staff = api.headers("staff")
    conv = httpx.post(f"{api.url}/chat/sessions", headers=staff, timeout=10).json()["id"]
    httpx.post(f"{api.url}/chat/sessions/{conv}/messages", json={"text": "今天西安的天气怎么样？"}, headers=staff, timeout=30).raise_for_status()
    at = open_as(api, "staff", "stats")
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert int(metrics["申请总数"]) >= 1
    charts = at.get("vega_lite_chart")
    assert len(charts) >= 3  # consultations per day, by status, by bank
    assert "未能回答的问题" in [s.value for s in at.subheader]
    todo = next(d.value for d in at.dataframe if "未答次数" in d.value)  # the policy team's to-do list
    assert any("今天西安的天气怎么样" in q for q in todo["问题"])
    at.selectbox(key="stats_days").set_value(7).run()
    assert not at.exception


# -- 知识库管理 (a writable server of its own) --------------------------------------------------------------------

@pytest.fixture()
def writable_api(small_settings, tmp_path, monkeypatch):
    from assistant.index.builder import build_index
    from tests.live_api import serve

    settings = small_settings.model_copy(update={"database_url": f"sqlite:///{tmp_path / 'kb.sqlite3'}", "env": "production"})
    assert not build_index(settings).errors
    with serve(settings) as server:
        monkeypatch.setenv("ASSISTANT_API_URL", server.url)
        yield server


def test_knowledge_admin_documents_upload_retire_products_and_eval(writable_api):
    api = writable_api
    at = open_as(api, "admin", "knowledge")
    docs = at.dataframe[0].value
    assert [e.label for e in at.expander if e.label.startswith("引用核对")] == ["引用核对（未发现问题）"]
    assert len(docs) == 3 and set(docs["状态"]) <= {"现行有效", "已失效", "已废止", "已被替代"}

    # a file that is not what its name says: refused with a Chinese reason, nothing is written
    at.file_uploader(key="up_file").set_value(("坏文件.pdf", b"this is not a pdf", "application/pdf")).run()
    at.button(key="up_preview").click().run()
    assert any("内容与扩展名" in e.value for e in at.error), [e.value for e in at.error]

    # a good one: preview (text and chunks), then confirm → background job → listed
    body = ("# 示例上传政策\n\n第一条 为支持科技型企业知识产权质押融资，制定本办法。\n\n"
            "第二条 贷款贴息比例为实际支付利息的50%。（依据：《西咸新区知识产权质押融资贴息及补助办法》第九十条）\n").encode()
    at.file_uploader(key="up_file").set_value(("upload-demo.md", body, "text/markdown"))
    at.text_input(key="up_title").set_value("示例上传政策")
    at.text_input(key="up_doc_id").set_value("demo-upload-2025")
    at.text_input(key="up_doc_number").set_value("西咸科发〔2025〕1号")
    at.selectbox(key="up_level").set_value("西咸新区")
    at.run()
    at.button(key="up_preview").click().run()
    assert not at.exception
    assert {m.label for m in at.metric} >= {"字数", "段落"}
    assert any("贴息比例" in str(t.value) for t in at.text_area)
    at.button(key="up_confirm").click().run()
    assert not at.exception
    assert any("已写入知识库" in s.value for s in at.success), texts(at)
    listed = at.dataframe[0].value
    assert "demo-upload-2025" in set(listed["编号"])
    # its 依据 names an article the cited rule does not have: the citation check says so
    check = next(e for e in at.expander if e.label.startswith("引用核对"))
    assert check.label == "引用核对（警告 1，提示 0）"
    assert "第九十条" in " ".join(check.dataframe[0].value["问题"])

    # retire it, then remove it (with confirmation)
    at.selectbox(key="rt_doc").set_value("demo-upload-2025")
    at.selectbox(key="rt_status").set_value("已废止")
    at.button[[b.label for b in at.button].index("标记失效")].click().run()
    assert any("标记为已废止" in s.value for s in at.success), texts(at)
    row = at.dataframe[0].value.set_index("编号").loc["demo-upload-2025"]
    assert row["状态"] == "已废止" and row["现行有效"] == "否"
    at.selectbox(key="rm_doc").set_value("demo-upload-2025")
    assert at.button(key="rm_go").disabled
    at.checkbox(key="rm_confirm").check().run()
    at.button(key="rm_go").click().run()
    assert any("已移除" in s.value for s in at.success)
    assert "demo-upload-2025" not in set(at.dataframe[0].value["编号"])
    assert at.checkbox(key="rm_confirm").value is False

    # reindex with progress
    at.button(key="kb_reindex").click().run()
    assert any("索引已重建" in s.value for s in at.success)

    # product library: a bad workbook lists its row errors; export downloads a workbook
    at.file_uploader(key="pd_file").set_value(("产品.yaml", "- id: bad-product\n  name: 缺字段的产品\n".encode(), "application/x-yaml")).run()
    at.button(key="pd_import").click().run()
    assert any("未导入任何产品" in e.value for e in at.error)
    assert "第1个产品" in texts(at)  # each row's error listed once, under the headline
    at.button(key="pd_export").click().run()
    assert at.session_state["pd_export_file"].content.startswith(b"PK")
    assert any(d.label == "下载产品库.xlsx" for d in at.download_button)

    # eval: the last two runs side by side with their deltas
    from assistant.storage.db import session_scope
    from assistant.storage.models import EvalRun

    with session_scope(api.settings) as session:
        session.add(EvalRun(actor="policy_admin:admin", index_version="v1", scores={"questions": 10, "recall@5": 0.80, "mrr@10": 0.70, "fact_hit": 0.75, "refusal": 0.50}))
        session.flush()
        session.add(EvalRun(actor="policy_admin:admin", index_version="v2", scores={"questions": 10, "recall@5": 0.85, "mrr@10": 0.68, "fact_hit": 0.75, "refusal": 0.60}))
    at.run()
    compare = next(d.value for d in at.dataframe if "变化" in d.value)
    deltas = dict(zip(compare["指标"], compare["变化"], strict=True))
    assert deltas["召回率@5"] == pytest.approx(0.05) and deltas["MRR@10"] == pytest.approx(-0.02) and deltas["事实命中率"] == 0
    assert {m.label: m.delta for m in at.metric}["召回率@5"] == "+0.0500"


def test_ui_reports_an_unreachable_api_in_chinese(monkeypatch):
    monkeypatch.setenv("ASSISTANT_API_URL", "http://127.0.0.1:9")  # nothing listens there
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.sidebar.text_input(key="login_username").set_value("staff")
    at.sidebar.text_input(key="login_password").set_value("password-123")
    started = time.monotonic()
    at.sidebar.button[0].click().run()
    assert time.monotonic() - started < 10
    assert any("无法连接助手服务" in e.value for e in at.sidebar.error)


def test_an_expired_token_sends_the_user_back_to_login(api):
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["token"] = "expired-or-revoked-token"
    at.session_state["me"] = {"username": "staff", "role": "staff", "role_label": "服务中心工作人员"}
    at.run()
    assert not at.exception
    assert "token" not in at.session_state
    assert "登录已过期，请重新登录" in texts(at)
    assert at.sidebar.text_input(key="login_username")  # the login form is back


def test_the_upload_preview_fills_what_it_read_and_the_team_can_correct_it(writable_api):
    at = open_as(writable_api, "admin", "knowledge")
    later = "\r\n".join(["西咸新区融资担保费补助办法西咸财发〔2026〕2号", "第一条 为降低科技型企业融资成本，制定本办法。",
                         "第二条 担保费按实际支付额的百分之六十给予补助。", "第三条 本办法自2026年3月1日起施行。"]).encode("gb18030")
    at.file_uploader(key="up_file").set_value(("担保费补助.txt", later, "text/plain")).run()
    at.button(key="up_preview").click().run()
    assert not at.exception
    assert at.text_input(key="up_title").value == "西咸新区融资担保费补助办法"
    assert at.text_input(key="up_doc_number").value == "西咸财发〔2026〕2号"
    assert at.text_input(key="up_region").value == "西咸新区"
    assert str(at.date_input(key="up_effective").value) == "2026-03-01"
    assert any("由系统从正文识别" in i.value for i in at.info)
    assert any("xx-guarantee-subsidy-2024" in w.value and "已被替代" in w.value for w in at.warning)
    at.text_input(key="up_title").set_value("西咸新区融资担保费补助办法")
    at.text_input(key="up_doc_id").set_value("xx-guarantee-subsidy-2026").run()
    at.button(key="up_confirm").click().run()
    assert any("已写入知识库" in s.value for s in at.success), texts(at)
    rows = at.dataframe[0].value.set_index("编号")
    assert rows.loc["xx-guarantee-subsidy-2024", "状态"] == "已被替代"
    assert rows.loc["xx-guarantee-subsidy-2024", "替代文件"] == "xx-guarantee-subsidy-2026"
    assert rows.loc["xx-guarantee-subsidy-2026", "适用地区"] == "西咸新区"
