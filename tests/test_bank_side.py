"""The bank side over HTTP, on SQLite and on PostgreSQL: staff push an application to the bank of its product, only
that bank sees it, the bank answers (受理 / 补充材料 / 批准 / 拒绝 / 放款), the firm sees the answer and uploads the
material asked for, chat tells the firm how its application stands, the statistics follow, and every event is
chained into the ledger, whose check catches a row edited or deleted directly in the database."""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest
from pypdf import PdfReader
from sqlalchemy import text

from assistant.storage import ledger
from assistant.storage.db import get_engine, session_scope
from tests.live_api import LiveAPI, serve
from tests.pg import pg_schema

PRODUCT = "cab-qinchuang-baodai"  # a 长安银行 product
FIRM = {"name": "甲示例科技有限公司", "region": "西咸新区", "founded": "2018-05-01", "revenue": 30_000_000, "debt_ratio": 0.4,
        "credit_ok": True, "qualifications": ["高新技术企业"], "ip_counts": {"发明专利": 4}, "employees": 60, "whitelist": True,
        "need": {"amount": 3_000_000, "term_months": 12}}
FILLED = {"uscc": "91610000MA6TG12349", "legal_rep": "甲法人", "contact_person": "甲联系人", "contact_phone": "029-88880000", "purpose": "研发"}
PDF_BYTES = b"%PDF-1.4\n% material\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(params=["sqlite", "postgresql"])
def api(request, sample_settings, tmp_path) -> Iterator[LiveAPI]:
    if request.param == "sqlite":
        settings = sample_settings.model_copy(update={"database_url": f"sqlite:///{tmp_path / 'bank.sqlite3'}", "chat_rate_limit": "1000/minute"})
        with serve(settings) as live:
            yield live
        return
    with pg_schema(sample_settings, chat_rate_limit="1000/minute") as settings, serve(settings) as live:
        yield live


def call(api: LiveAPI, user: str, method: str, path: str, **kw) -> httpx.Response:
    return httpx.request(method, api.url + path, headers=api.headers(user), timeout=60, **kw)


def submitted(api: LiveAPI, user: str = "ent-a", product: str = PRODUCT) -> dict:
    """A complete application of the firm, submitted to the center."""
    made = call(api, user, "POST", "/applications", json={"profile": FIRM, "product_id": product})
    assert made.status_code == 201, made.text
    app = made.json()
    filled = call(api, user, "PATCH", f"/applications/{app['id']}", json={"expected_version": app["version"], "fields": FILLED})
    assert filled.status_code == 200 and filled.json()["missing"] == [], filled.text
    sent = call(api, user, "POST", f"/applications/{app['id']}/transitions", json={"to_status": "已提交", "expected_version": filled.json()["version"]})
    assert sent.status_code == 200, sent.text
    return sent.json()


def decide(api: LiveAPI, user: str, app: dict, **body) -> httpx.Response:
    return call(api, user, "POST", f"/applications/{app['id']}/decision", json={"expected_version": app["version"], **body})


def test_push_decide_and_the_firm_sees_it(api):
    app = submitted(api)
    # before the push no bank sees it, not even the product's own
    assert call(api, "bank-ca", "GET", f"/applications/{app['id']}").status_code == 404
    assert call(api, "bank-ca", "GET", "/applications").json() == []
    # a bank cannot push, nor answer what was not pushed to it; staff cannot jump to a bank's status by hand
    assert call(api, "bank-ca", "POST", "/applications/push", json={"application_ids": [app["id"]]}).status_code == 403
    assert decide(api, "bank-ca", app, decision="受理").status_code == 404

    pushed = call(api, "staff", "POST", "/applications/push", json={"application_ids": [app["id"], "no-such-id"]}).json()
    assert pushed["pushed"] == 1 and pushed["failed"] == 1
    ok = next(r for r in pushed["results"] if r["ok"])
    assert ok["status"] == "已推送银行" and ok["institution"] == "长安银行"
    assert "没有编号为 no-such-id 的申请" in next(r for r in pushed["results"] if not r["ok"])["error"]

    # only 长安银行 sees it; another bank gets 404 as if it did not exist, and no bank reaches firm data elsewhere
    assert call(api, "bank-ccb", "GET", f"/applications/{app['id']}").status_code == 404
    assert call(api, "bank-ccb", "GET", "/applications").json() == []
    assert call(api, "bank-ccb", "GET", f"/applications/{app['id']}/document").status_code == 404
    queue = call(api, "bank-ca", "GET", "/applications").json()
    assert [a["id"] for a in queue] == [app["id"]]
    seen = call(api, "bank-ca", "GET", f"/applications/{app['id']}").json()
    assert seen["status"] == "已推送银行" and seen["pushed_at"] and seen["profile_snapshot"]["name"] == FIRM["name"]
    for path in ("/profiles", "/match/reverse"):
        assert call(api, "bank-ca", "GET" if path == "/profiles" else "POST", path, json={}).status_code == 403
    moved = call(api, "staff", "POST", f"/applications/{app['id']}/transitions", json={"to_status": "已放款", "expected_version": seen["version"]})
    assert moved.status_code == 409 and "由银行答复" in moved.json()["detail"]

    # 补充材料 needs a note; with one the firm is asked for material
    missing_note = decide(api, "bank-ca", seen, decision="补充材料")
    assert missing_note.status_code == 422 and "note" in missing_note.json()["fields"]
    asked = decide(api, "bank-ca", seen, decision="补充材料", note="请补充近三个月的纳税证明")
    assert asked.status_code == 200 and asked.json()["status"] == "待补充材料"
    firm_view = call(api, "ent-a", "GET", f"/applications/{app['id']}").json()
    assert firm_view["decision"]["decision"] == "补充材料" and firm_view["decision"]["note"] == "请补充近三个月的纳税证明"
    assert call(api, "ent-b", "GET", f"/applications/{app['id']}").status_code == 404

    # the firm uploads it: a renamed file is refused, nothing stored; a real PDF is kept and goes back to the bank
    fake = call(api, "ent-a", "POST", f"/applications/{app['id']}/files", files=[("files", ("税单.pdf", b"MZ\x90\x00not a pdf", "application/pdf"))])
    assert fake.status_code == 400 and "不是 PDF 格式" in fake.json()["detail"]
    up = call(api, "ent-a", "POST", f"/applications/{app['id']}/files", files=[("files", ("纳税证明.pdf", PDF_BYTES, "application/pdf"))],
              data={"note": "已补充"})
    assert up.status_code == 200, up.text
    after = up.json()
    assert after["status"] == "银行受理中" and [f["filename"] for f in after["files"]] == ["纳税证明.pdf"]
    got = call(api, "bank-ca", "GET", f"/applications/{app['id']}/files/{after['files'][0]['id']}")
    assert got.status_code == 200 and got.content == PDF_BYTES
    assert call(api, "bank-ccb", "GET", f"/applications/{app['id']}/files/{after['files'][0]['id']}").status_code == 404

    # 批准 needs amount, rate and term; a stale version is refused
    incomplete = decide(api, "bank-ca", after, decision="批准", amount=2_800_000)
    assert incomplete.status_code == 422 and {"rate", "term_months"} <= set(incomplete.json()["fields"])
    approved = decide(api, "bank-ca", after, decision="批准", amount=2_800_000, rate=3.45, term_months=12, note="按 LPR 执行")
    assert approved.status_code == 200 and approved.json()["status"] == "已批准"
    stale = decide(api, "bank-ca", after, decision="拒绝", note="重复")
    assert stale.status_code == 409
    paid = decide(api, "bank-ca", approved.json(), decision="放款", note="已放款")
    assert paid.status_code == 200
    final = paid.json()
    assert final["status"] == "已放款" and final["decision"]["amount"] == 2_800_000 and final["decision"]["rate"] == 3.45
    kinds = [(e["kind"], e["to_status"]) for e in final["events"]]
    assert kinds[-5:] == [("status", "已推送银行"), ("decision", "待补充材料"), ("material", "银行受理中"), ("decision", "已批准"),
                          ("decision", "已放款")]
    assert decide(api, "bank-ca", final, decision="拒绝", note="x").status_code == 409  # a final status takes no answer

    # the firm asks in chat
    sid = call(api, "ent-a", "POST", "/chat/sessions").json()["id"]
    reply = call(api, "ent-a", "POST", f"/chat/sessions/{sid}/messages", json={"text": "我们的申请怎么样了？"}).json()
    assert reply["intent"] == "application_status"
    assert "已放款" in reply["reply"] and "280万" in reply["reply"] and app["id"][:8] in reply["reply"]

    # statistics: per bank and against the targets, which the policy team edits
    fin = call(api, "staff", "GET", "/stats").json()["financing"]
    bank = next(r for r in fin["by_bank"] if r["institution"] == "长安银行")
    assert (bank["pushed"], bank["accepted"], bank["approved"], bank["disbursed"]) == (1, 1, 1, 1)
    assert bank["disbursed_amount"] == 2_800_000 and bank["median_days_to_decision"] is not None
    assert fin["targets"]["firms"] == 1 and fin["targets"]["firms_target"] == 200 and fin["targets"]["amount_target"] == 1e9
    assert call(api, "staff", "PUT", "/stats/targets", json={"firms": 300, "amount": 2e9, "deadline": "2026-12-31"}).status_code == 403
    assert call(api, "admin", "PUT", "/stats/targets", json={"firms": 300, "amount": 2e9, "deadline": "2026-12-31"}).status_code == 200
    fin = call(api, "bank-ca", "GET", "/stats/financing").json()
    assert fin["targets"]["firms_target"] == 300 and fin["total"]["pushed"] == 1
    assert call(api, "bank-ccb", "GET", "/stats/financing").json()["total"]["pushed"] == 0  # a bank sees its own follow-up only

    # the PDF the bank downloads carries the ledger entry of the state it shows, and its own hash is chained
    pdf = call(api, "bank-ca", "GET", f"/applications/{app['id']}/document")
    assert pdf.status_code == 200
    printed = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    head = call(api, "bank-ca", "GET", f"/applications/{app['id']}").json()
    with session_scope(api.settings) as session:
        entries = ledger.entries_for(session, app["id"])
        assert entries[-1].action == "document" and entries[-1].payload["printed_entry"] == entries[-2].seq
        assert f"第 {entries[-2].seq} 条" in printed and entries[-2].hash in printed.replace("\n", "")
        assert head["ledger"]["seq"] == entries[-1].seq
        import hashlib

        assert ledger.find_document(session, hashlib.sha256(pdf.content).hexdigest()) is not None
        assert ledger.verify(session).ok


def test_whitelist_push_creates_and_pushes_demands(api):
    unfit = {**FIRM, "name": "丙示例科技有限公司", "debt_ratio": 0.95, "credit_ok": False}
    body = {"profiles": [{**FIRM, "name": "丁示例科技有限公司"}, unfit], "product_id": PRODUCT}
    result = call(api, "staff", "POST", "/applications/push", json=body).json()
    assert result["pushed"] == 1 and result["failed"] == 1
    made = next(r for r in result["results"] if r["ok"])
    assert made["status"] == "已推送银行" and made["institution"] == "长安银行"
    refused = next(r for r in result["results"] if not r["ok"])
    assert refused["name"] == "丙示例科技有限公司" and "不符合" in refused["error"]
    queue = call(api, "bank-ca", "GET", "/applications").json()
    assert [a["enterprise_name"] for a in queue] == ["丁示例科技有限公司"]


def _tamper(api: LiveAPI, sql: str) -> None:
    with get_engine(api.settings).begin() as c:
        c.execute(text(sql))


def test_the_ledger_detects_an_edited_and_a_deleted_row(api):
    app = submitted(api)
    call(api, "staff", "POST", "/applications/push", json={"application_ids": [app["id"]]})
    with session_scope(api.settings) as session:
        report = ledger.verify(session)
        seqs = [e.seq for e in ledger.entries_for(session, app["id"])]
    assert report.ok and report.entries >= 5 and len(seqs) >= 5

    # an edited payload: the entry no longer matches its hash
    target = seqs[2]
    _tamper(api, f"UPDATE ledger SET payload = '{{\"kind\": \"status\", \"to\": \"已放款\"}}' WHERE seq = {target}")
    with session_scope(api.settings) as session:
        edited = ledger.verify(session)
    assert not edited.ok and edited.first_broken == target and any("被修改" in p for p in edited.problems)


@pytest.mark.parametrize("which", ["middle", "last"])
def test_a_deleted_ledger_row_is_detected(api, which):
    app = submitted(api)
    call(api, "staff", "POST", "/applications/push", json={"application_ids": [app["id"]]})
    with session_scope(api.settings) as session:
        seqs = [e.seq for e in ledger.entries_for(session, app["id"])]
    gone = seqs[1] if which == "middle" else seqs[-1]
    _tamper(api, f"DELETE FROM ledger WHERE seq = {gone}")
    with session_scope(api.settings) as session:
        report = ledger.verify(session)
    assert not report.ok
    if which == "middle":
        assert report.first_broken == gone + 1 and any("缺失" in p for p in report.problems)
    else:  # nothing follows the last entry: its event is left without a record
        assert any("没有对应的账本记录" in p for p in report.problems)


@pytest.mark.parametrize("api", ["sqlite"], indirect=True)  # the CLI reads the same tables: once is enough
def test_ledger_verify_on_the_command_line(api, tmp_path):
    app = submitted(api)
    env = {"ASSISTANT_DATABASE_URL": api.settings.database_url, "ASSISTANT_DATA_DIR": str(api.settings.data_dir),
           "ASSISTANT_CORPUS_DIR": str(api.settings.corpus_dir), "PATH": ""}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "assistant.cli", "ledger", *args], capture_output=True, text=True, env=env, timeout=120)

    good = run("verify")
    assert good.returncode == 0 and "哈希链校验通过" in good.stdout
    pdf = call(api, "ent-a", "GET", f"/applications/{app['id']}/document")
    (tmp_path / "a.pdf").write_bytes(pdf.content)
    (tmp_path / "b.pdf").write_bytes(pdf.content + b"\n% changed")
    assert run("verify", "--document", str(tmp_path / "a.pdf")).returncode == 0
    changed = run("verify", "--document", str(tmp_path / "b.pdf"))
    assert changed.returncode == 1 and "未登记在账本中" in changed.stderr
    _tamper(api, "UPDATE ledger SET hash = 'x' || substr(hash, 2) WHERE seq = 2")
    broken = run("verify")
    assert broken.returncode == 1 and "第一条被破坏的记录：第 2 条" in broken.stderr
