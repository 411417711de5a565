"""The web API over real HTTP (uvicorn on loopback, SQLite on disk, the sample index): answers with citations,
streaming, chat sessions, matching, applications with their workflow and documents, stats, health."""

from __future__ import annotations

import io
import json
import uuid

import httpx
import pytest
from docx import Document
from pypdf import PdfReader

PROFILE = {
    "name": "甲示例科技有限公司", "region": "西咸新区", "founded": "2019-05-01", "industry": "工业软件", "employees": 80,
    "revenue": 20_000_000, "debt_ratio": 0.4, "credit_ok": True, "qualifications": ["高新技术企业"], "ip_counts": {"发明专利": 3},
    "need": {"amount": 3_000_000, "term_months": 12, "purpose": "研发"},
}


def _post(api, user: str, path: str, **kw) -> httpx.Response:
    return httpx.post(api.url + path, headers={**api.headers(user), **kw.pop("headers", {})}, timeout=30, **kw)


def _get(api, user: str, path: str, **kw) -> httpx.Response:
    return httpx.get(api.url + path, headers=api.headers(user), timeout=30, **kw)


def _events(text: str) -> list[tuple[str | None, str]]:
    out = []
    for block in text.strip().split("\n\n"):
        name = next((line[7:] for line in block.splitlines() if line.startswith("event: ")), None)
        data = "\n".join(line[6:] for line in block.splitlines() if line.startswith("data: "))
        out.append((name, data))
    return out


def test_health_is_public_and_describes_the_index(live_api):
    body = httpx.get(live_api.url + "/health").json()
    assert body["status"] == "ok"
    assert body["index_version"] and body["documents"] >= 15 and body["chunks"] > 100
    assert body["embedder"].startswith("tfidf-svd")
    assert body["llm_configured"] is False and body["products"] == 36


def test_login_refuses_a_wrong_password_in_chinese(live_api):
    r = httpx.post(live_api.url + "/auth/token", data={"username": "staff", "password": "wrong-password"})
    assert r.status_code == 401 and r.json()["detail"] == "用户名或密码错误"
    r = httpx.post(live_api.url + "/auth/token", data={"username": "nobody", "password": "wrong-password"})
    assert r.status_code == 401 and r.json()["detail"] == "用户名或密码错误"
    assert httpx.get(live_api.url + "/auth/me").status_code == 401
    me = _get(live_api, "ent-a", "/auth/me").json()
    assert me["role"] == "enterprise" and me["enterprise_name"] == "甲示例科技有限公司"


def test_ask_returns_a_cited_answer(live_api):
    r = _post(live_api, "ent-a", "/ask", json={"question": "专利质押登记交到国家知识产权局以后几个工作日能审完？"})
    body = r.json()
    assert r.status_code == 200 and not body["refused"]
    assert "[1]" in body["answer"] and "2个工作日" in body["answer"]
    first = body["citations"][0]
    assert first["n"] == 1 and first["title"] and first["text"] and first["doc_id"]
    assert "total" in body["timings"]


def test_ask_declines_what_the_corpus_does_not_say(live_api):
    body = _post(live_api, "ent-a", "/ask", json={"question": "北京中关村知识产权质押贴息比例多少？"}).json()
    assert body["refused"] and "服务中心" in body["answer"] and body["citations"] == []


def test_ask_stream_sends_pieces_then_the_whole_answer(live_api):
    with httpx.stream("POST", live_api.url + "/ask/stream", json={"question": "西咸新区知识产权质押贷款贴息比例是多少？"},
                      headers=live_api.headers("ent-a"), timeout=30) as r:
        assert r.headers["content-type"].startswith("text/event-stream")
        text = "".join(r.iter_text())
    events = _events(text)
    deltas = [json.loads(d)["text"] for name, d in events if name == "delta"]
    done = [json.loads(d) for name, d in events if name == "done"]
    assert len(deltas) > 1 and len(done) == 1
    assert "".join(deltas) == done[0]["answer"]
    assert done[0]["citations"] and all("[" not in p or p.startswith("[") for p in deltas)  # markers never cut


def test_validation_errors_are_chinese(live_api):
    r = _post(live_api, "ent-a", "/ask", json={"question": ""})
    assert r.status_code == 422 and r.json()["detail"] == "问题：不能为空"
    r = _post(live_api, "ent-a", "/match", json={"profile": {"name": "甲示例科技有限公司", "debt_ratio": 3, "uscc": "123"}})
    assert r.status_code == 422
    assert any("资产负债率" in m for m in r.json()["errors"]) and any("统一社会信用代码" in m for m in r.json()["errors"])


def test_oversized_request_is_refused_with_413(live_api):
    r = _post(live_api, "ent-a", "/ask", content=b'{"question": "' + "很" .encode() * 400_000 + b'"}',
              headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and "过大" in r.json()["detail"]


def test_chat_session_keeps_context_across_turns(live_api):
    sid = _post(live_api, "ent-a", "/chat/sessions").json()["id"]
    first = _post(live_api, "ent-a", f"/chat/sessions/{sid}/messages", json={
        "text": "我们在沣东新城，做工业软件，2019年成立，高企，发明专利3件，去年营收2000万，负债率40%，征信良好，想贷300万一年"}).json()
    assert first["intent"] == "matching" and first["matches"]
    assert first["profile"]["region"] == "西咸新区" and first["profile"]["need"]["amount"] == 3_000_000
    second = _post(live_api, "ent-a", f"/chat/sessions/{sid}/messages", json={"text": "第一个利率多少？"}).json()
    assert second["intent"] == "product_question"
    assert first["matches"][0]["name"] in second["reply"] and second["citations"]
    detail = _get(live_api, "ent-a", f"/chat/sessions/{sid}").json()
    assert [m["role"] for m in detail["history"]] == ["user", "assistant"] * 2
    assert detail["profile"]["ip_counts"] == {"发明专利": 3}
    # feedback on the answer, and another firm can neither read nor rate this conversation
    assert _post(live_api, "ent-a", "/chat/feedback", json={"message_id": second["message_id"], "rating": 1}).status_code == 201
    assert _get(live_api, "ent-b", f"/chat/sessions/{sid}").status_code == 404
    assert _post(live_api, "ent-b", f"/chat/sessions/{sid}/messages", json={"text": "你好"}).status_code == 404
    assert _post(live_api, "ent-b", "/chat/feedback", json={"message_id": second["message_id"], "rating": -1}).status_code == 404
    assert sid not in {s["id"] for s in _get(live_api, "ent-b", "/chat/sessions").json()}


def test_match_ranks_with_reasons_and_subsidies(live_api):
    body = _post(live_api, "staff", "/match", json={"profile": PROFILE, "top": 5}).json()
    assert len(body["matches"]) == 5
    top = body["matches"][0]
    assert top["eligible"] is True and top["reasons"] and top["subsidies"]
    assert all(r["status"] in ("pass", "fail", "unknown") for r in top["reasons"])


def test_reverse_match_and_subsidy_calculator(live_api):
    rows = _post(live_api, "staff", "/match/reverse", json={"product_id": "abc-kejiedai", "profiles": [PROFILE, {**PROFILE, "name": "负债过高示例公司", "debt_ratio": 0.95}]}).json()
    assert [r["enterprise"] for r in rows][0] == "甲示例科技有限公司" and rows[-1]["match"]["eligible"] is False
    sub = _post(live_api, "ent-a", "/subsidy", json={"profile": PROFILE, "product_id": "abc-kejiedai"}).json()
    assert sub["total"] > 0 and all(s["basis"]["title"] for s in sub["subsidies"])
    assert _post(live_api, "ent-a", "/subsidy", json={"profile": PROFILE, "product_id": "no-such"}).status_code == 404


def test_application_lifecycle(live_api):
    key = uuid.uuid4().hex
    r = _post(live_api, "ent-a", "/applications", json={"profile": PROFILE}, headers={"Idempotency-Key": key})
    assert r.status_code == 201
    app = r.json()
    assert app["status"] == "草稿" and app["version"] == 1 and app["product_id"]  # best eligible product proposed
    assert app["enterprise_name"] == "甲示例科技有限公司" and "法定代表人" in app["missing"]
    again = _post(live_api, "ent-a", "/applications", json={"profile": PROFILE}, headers={"Idempotency-Key": key}).json()
    assert again["id"] == app["id"]  # a retried request does not create a second one
    # an incomplete draft is not submitted: the firm is told what is missing, fills it in, then submits
    incomplete = _post(live_api, "ent-a", f"/applications/{app['id']}/transitions", json={"to_status": "已提交", "expected_version": 1})
    assert incomplete.status_code == 409 and "法定代表人" in incomplete.json()["detail"]
    filled = httpx.patch(f"{live_api.url}/applications/{app['id']}", headers=live_api.headers("ent-a"), timeout=30, json={
        "expected_version": 1, "fields": {"uscc": "91611100MA6TX0001G", "legal_rep": "甲法人", "contact_person": "甲联系人",
                                          "contact_phone": "029-88880000"}}).json()
    assert filled["version"] == 2 and filled["missing"] == []
    # the enterprise submits its draft; further steps belong to staff
    moved = _post(live_api, "ent-a", f"/applications/{app['id']}/transitions", json={"to_status": "已提交", "expected_version": 2}).json()
    assert moved["status"] == "已提交" and moved["version"] == 3
    r = _post(live_api, "ent-a", f"/applications/{app['id']}/transitions", json={"to_status": "受理中", "expected_version": 3})
    assert r.status_code == 400 and "企业只能提交" in r.json()["detail"]
    ok = _post(live_api, "staff", f"/applications/{app['id']}/transitions", json={"to_status": "受理中", "expected_version": 3, "note": "材料齐全"})
    assert ok.status_code == 200 and ok.json()["events"][-1]["note"] == "材料齐全"
    stale = _post(live_api, "staff", f"/applications/{app['id']}/transitions", json={"to_status": "已推送银行", "expected_version": 3})
    assert stale.status_code == 409 and "已被他人修改" in stale.json()["detail"]
    illegal = _post(live_api, "staff", f"/applications/{app['id']}/transitions", json={"to_status": "已放款", "expected_version": 4})
    assert illegal.status_code == 409 and "不能改为" in illegal.json()["detail"]
    # documents
    pdf = _get(live_api, "ent-a", f"/applications/{app['id']}/document", params={"format": "pdf"})
    assert pdf.headers["content-type"] == "application/pdf"
    assert "甲示例科技有限公司" in "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    docx = _get(live_api, "staff", f"/applications/{app['id']}/document", params={"format": "docx"})
    assert any("甲示例科技有限公司" in c.text for t in Document(io.BytesIO(docx.content)).tables for row in t.rows for c in row.cells)
    # visibility: the other firm sees nothing of it, staff see it in the queue
    assert _get(live_api, "ent-b", f"/applications/{app['id']}").status_code == 404
    assert _get(live_api, "ent-b", f"/applications/{app['id']}/document").status_code == 404
    assert app["id"] not in {a["id"] for a in _get(live_api, "ent-b", "/applications").json()}
    assert app["id"] in {a["id"] for a in _get(live_api, "staff", "/applications", params={"status": "受理中"}).json()}


def test_application_for_another_firms_name_lands_on_the_callers_own_enterprise(live_api):
    r = _post(live_api, "ent-b", "/applications", json={"profile": {**PROFILE, "name": "甲示例科技有限公司"}, "product_id": "abc-kejiedai"})
    assert r.status_code == 201 and r.json()["enterprise_name"] == "乙示例科技有限公司"
    firm = r.json()["form"]["sections"][0]["fields"][0]
    assert firm["label"] == "企业名称" and firm["value"] == "乙示例科技有限公司"  # the form too names the caller's own firm


def test_profiles_are_versioned_and_private(live_api):
    saved = _post(live_api, "ent-a", "/profiles", json=PROFILE).json()
    same = _post(live_api, "ent-a", "/profiles", json=PROFILE).json()
    assert same["version"] == saved["version"]  # unchanged data keeps its version
    changed = _post(live_api, "ent-a", "/profiles", json={**PROFILE, "employees": 90}).json()
    assert changed["version"] == saved["version"] + 1
    assert _get(live_api, "ent-b", f"/profiles/{saved['enterprise_id']}").status_code == 404
    assert [p["enterprise_id"] for p in _get(live_api, "ent-a", "/profiles").json()] == [saved["enterprise_id"]]
    assert saved["enterprise_id"] in {p["enterprise_id"] for p in _get(live_api, "staff", "/profiles").json()}


def test_stats_count_consultations_and_list_what_went_unanswered(live_api):
    question = f"贵中心食堂今天中午有什么菜？{uuid.uuid4().hex[:6]}"
    _post(live_api, "ent-a", "/ask", json={"question": question})
    stats = _get(live_api, "staff", "/stats").json()
    assert stats["consultations"] >= 1 and stats["consultations_per_day"]
    assert question.rstrip("？") in {q["question"] for q in stats["unanswered"]} or question in {q["question"] for q in stats["unanswered"]}


@pytest.mark.parametrize("path", ["/products", "/products/abc-kejiedai"])
def test_products_are_readable_by_every_role(live_api, path):
    for user in ("ent-a", "staff", "admin"):
        assert _get(live_api, user, path).status_code == 200


def test_an_enterprise_chat_starts_from_its_own_name_and_saved_profile(live_api):
    _post(live_api, "ent-a", "/profiles", json={**PROFILE, "employees": 77})
    sid = _post(live_api, "ent-a", "/chat/sessions").json()["id"]
    reply = _post(live_api, "ent-a", f"/chat/sessions/{sid}/messages", json={"text": "想贷200万，一年，看看有什么产品"}).json()
    assert reply["profile"]["name"] == "甲示例科技有限公司" and reply["profile"]["employees"] == 77
    assert reply["matches"]


def test_feedback_keeps_one_rating_per_answer(live_api):
    question = f"担保费补助每年最多多少？{uuid.uuid4().hex[:4]}"
    sid = _post(live_api, "ent-a", "/chat/sessions").json()["id"]
    mid = _post(live_api, "ent-a", f"/chat/sessions/{sid}/messages", json={"text": question}).json()["message_id"]
    for rating in (-1, -1, 1):
        assert _post(live_api, "ent-a", "/chat/feedback", json={"message_id": mid, "rating": rating}).status_code == 201
    disliked = {q["question"] for q in _get(live_api, "staff", "/stats").json()["disliked"]}
    assert question.rstrip("？") not in disliked


def test_a_firm_list_without_its_name_column_is_a_422_with_row_errors(live_api):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["公司", "注册地"])
    wb.active.append(["甲", "西咸新区"])
    buf = io.BytesIO()
    wb.save(buf)
    r = httpx.post(live_api.url + "/match/batch", headers=live_api.headers("staff"), timeout=30,
                   files={"file": ("名单.xlsx", buf.getvalue(), "application/octet-stream")})
    assert r.status_code == 422 and r.json()["detail"] == "企业名单无法读取" and "企业名称" in r.json()["errors"][0]


def test_timestamps_carry_their_zone(live_api):
    app = _post(live_api, "staff", "/applications", json={"profile": PROFILE, "product_id": "abc-kejiedai"}).json()
    assert app["created_at"].endswith(("Z", "+00:00")) and app["events"][0]["at"].endswith(("Z", "+00:00"))


def test_blank_turns_are_refused_not_answered(live_api):
    sid = _post(live_api, "ent-a", "/chat/sessions").json()["id"]
    r = _post(live_api, "ent-a", f"/chat/sessions/{sid}/messages", json={"text": "   "})
    assert r.status_code == 422 and r.json()["detail"] == "消息：不能为空"
    assert _post(live_api, "ent-a", "/ask", json={"question": " \n "}).json()["detail"] == "问题：不能为空"
