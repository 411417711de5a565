"""Corpus and product admin over the API, on a writable copy of part of the corpus: preview without committing,
upload as a background job with progress, retire, remove, reindex, product import with row errors, eval runs,
and the audit log of every change."""

from __future__ import annotations

import io
import shutil
import time

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select

from assistant.api.app import create_app
from assistant.index.builder import build_index
from assistant.storage.db import session_scope
from assistant.storage.models import AuditLog
from tests.conftest import CORPUS
from tests.live_api import PASSWORD, add_accounts

NEW_DOC = """---
doc_id: xx-test-upload-2026
title: 西咸新区知识产权运营奖励办法（测试示例）
issuer: 西咸新区管委会（示例）
doc_number: 西咸示例〔2026〕9号
level: 西咸新区
effective: 2026-01-01
---
# 西咸新区知识产权运营奖励办法（测试示例）

第一条 为鼓励企业开展专利开放许可，制定本办法。

第二条 企业通过专利开放许可取得许可费收入的，按许可费收入的百分之十给予奖励，每家企业每年最高八万元。
"""


@pytest.fixture()
def admin(small_settings, tmp_path):
    settings = small_settings.model_copy(update={"database_url": f"sqlite:///{tmp_path}/admin.sqlite3", "chat_rate_limit": "10000/minute",
                                                 "eval_questions_dir": tmp_path / "questions"})
    shutil.copytree(CORPUS / "products", settings.corpus_dir / "products")  # the product library, writable
    build_index(settings)
    add_accounts(settings)
    with TestClient(create_app(settings)) as c:
        token = c.post("/auth/token", data={"username": "admin", "password": PASSWORD}).json()["access_token"]
        c.headers["Authorization"] = f"Bearer {token}"
        c.settings = settings
        yield c


def _wait(c: TestClient, accepted: dict, timeout: float = 60) -> dict:
    assert accepted["status_url"].endswith(accepted["job_id"])
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = c.get(f"/admin/jobs/{accepted['job_id']}").json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.1)
    raise AssertionError("job did not finish")


def _ask(c: TestClient, q: str) -> dict:
    return c.post("/ask", json={"question": q}).json()


def test_preview_shows_text_and_chunks_and_commits_nothing(admin):
    before = {d["doc_id"] for d in admin.get("/admin/documents").json()}
    r = admin.post("/admin/documents/preview", files={"file": ("奖励办法.md", NEW_DOC.encode(), "text/markdown")})
    body = r.json()
    assert r.status_code == 200 and body["meta"]["doc_id"] == "xx-test-upload-2026" and not body["replaces"]
    assert body["chunk_count"] >= 2 and any(c["article"] == "第二条" for c in body["chunks"]) and "开放许可" in body["text"]
    assert {d["doc_id"] for d in admin.get("/admin/documents").json()} == before


def test_preview_of_an_faq_lists_each_entrys_similar_questions_apart_from_its_text(admin):
    faq = "### 问：白名单多久更新？\n相似问：白名单几个月报一次；啥时候能进白名单\n答：每季度更新一次。\n"
    r = admin.post("/admin/documents/preview", files={"file": ("常见问题.md", faq.encode(), "text/markdown")})
    assert r.status_code == 200, r.text
    [entry] = r.json()["chunks"]
    assert entry["similar_questions"] == ["白名单几个月报一次", "啥时候能进白名单"]
    assert entry["text"] == "问：白名单多久更新？\n答：每季度更新一次。"


def test_upload_then_retire_then_remove(admin):
    r = admin.post("/admin/documents", files={"file": ("奖励办法.md", NEW_DOC.encode(), "text/markdown")}, data={"tags": "奖励，开放许可"})
    assert r.status_code == 202
    job = _wait(admin, r.json())
    assert job["status"] == "done" and job["progress"] == 1.0 and job["result"]["added"] == ["xx-test-upload-2026"]
    docs = {d["doc_id"]: d for d in admin.get("/admin/documents").json()}
    assert docs["xx-test-upload-2026"]["origin"] == "upload" and docs["xx-test-upload-2026"]["in_force"]
    answer = _ask(admin, "专利开放许可的许可费收入奖励比例是多少？")
    assert "百分之十" in answer["answer"] and answer["citations"][0]["doc_id"] == "xx-test-upload-2026"
    chunks = admin.get("/admin/documents/xx-test-upload-2026/chunks").json()
    assert any("八万元" in c["text"] for c in chunks)

    job = _wait(admin, admin.post("/admin/documents/xx-test-upload-2026/retire", json={"status": "已废止", "expires": "2026-06-30"}).json())
    assert job["status"] == "done"
    assert not {d["doc_id"]: d for d in admin.get("/admin/documents").json()}["xx-test-upload-2026"]["in_force"]
    stale = admin.post("/ask", json={"question": "专利开放许可的许可费收入奖励比例是多少？", "include_expired": True}).json()
    assert "已失效" in stale["answer"]  # still findable for history, flagged

    job = _wait(admin, admin.delete("/admin/documents/xx-test-upload-2026").json())
    assert job["status"] == "done" and "xx-test-upload-2026" not in {d["doc_id"] for d in admin.get("/admin/documents").json()}
    with session_scope(admin.settings) as session:
        actions = [a for a, in session.execute(select(AuditLog.action).where(AuditLog.actor == "policy_admin:admin"))]
    assert {"corpus.upload", "corpus.retire", "corpus.remove"} <= set(actions)


def test_retiring_a_sample_corpus_document_leaves_the_corpus_file_untouched(admin):
    source = CORPUS / "policies" / "xx-whitelist-2024.txt"
    before = source.read_bytes()
    job = _wait(admin, admin.post("/admin/documents/xx-whitelist-2024/retire", json={"status": "已被替代", "superseded_by": "xx-whitelist-2026"}).json())
    assert job["status"] == "done"
    assert not {d["doc_id"]: d for d in admin.get("/admin/documents").json()}["xx-whitelist-2024"]["in_force"]
    assert (admin.settings.corpus_dir / "policies" / "xx-whitelist-2024.txt").read_bytes() == before


@pytest.mark.parametrize(("name", "content", "message"), [
    ("坏文件.pdf", b"%PDF-1.7\n1 0 obj garbage", "无法导入"),
    ("伪装.docx", b"this is not a zip", "不符"),
    ("空.txt", b"", "为空"),
    ("脚本.exe", b"MZ....", "不支持的文件类型"),
])
def test_bad_uploads_get_a_chinese_error_and_change_nothing(admin, name, content, message):
    version = admin.get("/health").json()["index_version"]
    r = admin.post("/admin/documents", files={"file": (name, content, "application/octet-stream")})
    assert r.status_code in (400, 422) and message in r.json()["detail"], r.text
    assert admin.get("/health").json()["index_version"] == version


def test_path_traversal_in_a_file_name_stays_inside_the_library(admin):
    evil = "../../../../tmp/evil-upload.md"
    r = admin.post("/admin/documents", files={"file": (evil, NEW_DOC.encode(), "text/markdown")})
    assert _wait(admin, r.json())["status"] == "done"
    library = admin.settings.library_dir
    assert (library / "xx-test-upload-2026" / "evil-upload.md").exists()
    assert not any(p.name == "evil-upload.md" for p in library.parent.parent.rglob("evil-upload.md") if library not in p.parents)


def test_reindex_is_a_background_job_with_progress(admin):
    job = _wait(admin, admin.post("/admin/reindex", json={"full": True}).json())
    assert job["status"] == "done" and job["result"]["chunk_count"] > 0 and job["message"] == "已完成"


def test_product_import_is_all_or_nothing_with_row_errors(admin):
    exported = admin.get("/admin/products/export")
    wb = load_workbook(io.BytesIO(exported.content))
    sheet = wb.active
    header = [c.value for c in sheet[1]]
    name_col = header.index("产品名称") + 1
    sheet.cell(row=2, column=name_col, value="改名后的示例产品")
    good = io.BytesIO()
    wb.save(good)
    r = admin.post("/admin/products/import", files={"file": ("产品.xlsx", good.getvalue(), "application/octet-stream")})
    assert r.status_code == 200 and r.json()["imported"] == 36, r.text
    product_id = sheet.cell(row=2, column=header.index("产品编号") + 1).value
    assert admin.get(f"/products/{product_id}").json()["name"] == "改名后的示例产品"

    rate_col = next(i for i, h in enumerate(header, start=1) if h and "利率" in h and "最低" in h)
    sheet.cell(row=3, column=rate_col, value="很低")
    sheet.cell(row=2, column=name_col, value="不应生效的名字")
    bad = io.BytesIO()
    wb.save(bad)
    r = admin.post("/admin/products/import", files={"file": ("产品.xlsx", bad.getvalue(), "application/octet-stream")})
    assert r.status_code == 422 and any("第3行" in e for e in r.json()["errors"])
    assert admin.get(f"/products/{product_id}").json()["name"] == "改名后的示例产品"  # nothing of the bad sheet landed


def test_retired_products_leave_matching_and_can_come_back(admin):
    assert admin.post("/admin/products/abc-kejiedai/retire", json={"retired": True}).status_code == 200
    assert "abc-kejiedai" not in {p["id"] for p in admin.get("/products").json()}
    assert admin.get("/products/abc-kejiedai").status_code == 404
    admin.post("/admin/products/abc-kejiedai/retire", json={"retired": False})
    assert "abc-kejiedai" in {p["id"] for p in admin.get("/products").json()}


def test_eval_run_is_kept_for_before_and_after(admin):
    qdir = admin.settings.eval_questions_dir
    qdir.mkdir(parents=True)
    (qdir / "q.jsonl").write_text(
        '{"id": "t-1", "question": "西咸新区贴息比例是多少？", "type": "numeric", "history": [], "gold": [{"doc_id": "xx-ip-interest-subsidy-2024", '
        '"evidence": "贴息", "alternatives": []}], "facts": []}\n'
        '{"id": "t-2", "question": "北京中关村的贴息比例是多少？", "type": "unanswerable", "history": [], "gold": [], "facts": []}\n', encoding="utf-8")
    job = _wait(admin, admin.post("/admin/eval").json(), timeout=120)
    assert job["status"] == "done", job
    runs = admin.get("/admin/eval/runs").json()
    assert runs[0]["scores"]["questions"] == 2 and "recall@5" in runs[0]["scores"] and runs[0]["index_version"]


def test_jobs_abandoned_by_a_dead_process_are_marked_failed_at_start(admin):
    import datetime as dt

    from assistant.jobs import fail_abandoned
    from assistant.storage.models import Job

    old = dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)
    with session_scope(admin.settings) as session:
        session.add(Job(id="deadjob", kind="reindex", status="running", progress=0.4, actor="x", created_at=old, updated_at=old))
        session.add(Job(id="livejob", kind="reindex", status="running", progress=0.4, actor="x"))
    assert fail_abandoned(admin.settings) == 1
    assert admin.get("/admin/jobs/deadjob").json()["status"] == "failed"
    assert admin.get("/admin/jobs/livejob").json()["status"] == "running"


def test_citation_check_flags_an_upload_that_cites_a_missing_article(admin):
    assert admin.get("/admin/documents/citations").json() == []
    faq = ("---\ndoc_id: faq-api-test\ntitle: 接口测试问答\nissuer: 服务中心（示例）\nlevel: 西咸新区\neffective: 2025-01-01\n---\n"
           "### 问：白名单多久更新？\n答：每季度更新一次。（依据：《西咸新区科技型企业融资白名单管理办法》第八十条）\n")
    job = _wait(admin, admin.post("/admin/documents", files={"file": ("问答.md", faq.encode(), "text/markdown")}).json())
    assert job["status"] == "done", job
    issues = admin.get("/admin/documents/citations").json()
    assert [(i["doc_id"], i["kind"], i["severity"]) for i in issues] == [("faq-api-test", "missing_article", "警告")]
    assert "第八十条" in issues[0]["message"] and issues[0]["passage"] == "白名单多久更新？"


LATER_GUARANTEE = "\r\n".join([
    "西咸新区融资担保费补助办法西咸财发〔2026〕2号",
    "第一条 为降低科技型企业融资成本，制定本办法。",
    "第二条 对合作担保机构收取的担保费，按实际支付担保费的百分之六十给予补助。",
    "第三条 本办法自2026年3月1日起施行。",
]).encode("gb18030")


def test_preview_shows_what_was_read_from_the_text_and_what_the_upload_will_supersede(admin):
    """A GB18030 notice without any metadata: its title, 文号, date and region come from the text, and an indexed
    document of the same title and an earlier date is named as the one it will replace."""
    r = admin.post("/admin/documents/preview", files={"file": ("担保费补助.txt", LATER_GUARANTEE, "text/plain")})
    assert r.status_code == 200, r.text
    body = r.json()
    meta = body["meta"]
    assert (meta["title"], meta["doc_number"], meta["effective"], meta["region"]) == (
        "西咸新区融资担保费补助办法", "西咸财发〔2026〕2号", "2026-03-01", "西咸新区")
    assert "文号：西咸财发〔2026〕2号" in body["inferred"]
    assert body["supersedes"] == ["《西咸新区融资担保费补助办法》（xx-guarantee-subsidy-2024）"]
    # what the team corrects overrides what was read
    r = admin.post("/admin/documents/preview", files={"file": ("担保费补助.txt", LATER_GUARANTEE, "text/plain")},
                   data={"region": "西安市", "published": "2026-02-01"})
    assert r.json()["meta"]["region"] == "西安市" and r.json()["meta"]["level"] == "西安市"
    assert not any(n.startswith("适用地区") for n in r.json()["inferred"])
    r = admin.post("/admin/documents/preview", files={"file": ("担保费补助.txt", LATER_GUARANTEE, "text/plain")}, data={"region": "火星"})
    assert r.status_code == 400 and "适用地区" in r.json()["detail"]
    # committed: the earlier version is 已被替代 and points to its successor
    job = _wait(admin, admin.post("/admin/documents", files={"file": ("担保费补助.txt", LATER_GUARANTEE, "text/plain")}).json())
    assert job["status"] == "done", job
    docs = {d["doc_id"]: d for d in admin.get("/admin/documents").json()}
    new_id = next(d for d in docs if d not in ("xx-guarantee-subsidy-2024", "xx-ip-interest-subsidy-2024", "xx-whitelist-2024"))
    old = docs["xx-guarantee-subsidy-2024"]
    assert (old["status"], old["superseded_by"], old["in_force"]) == ("已被替代", new_id, False)
    assert "百分之六十" in _ask(admin, "西咸新区担保费补助按多少比例给？")["answer"]


def test_a_product_import_that_outdates_a_passage_is_reported_and_answers_mark_it(admin):
    """A notice quotes a product's pledge ratio as its record states it; an import changes the record: the import
    lists the passage, the citation check reports it, and an answer quoting the passage marks the old figure and
    gives the record's, cited to the record."""
    import yaml

    record = yaml.safe_load((admin.settings.corpus_dir / "products" / "bocom-zhichan-zhiya.yaml").read_text(encoding="utf-8"))
    old = round(record["pledge_ratio"]["发明专利"] * 100)
    notice = ("---\ndoc_id: xx-bank-notice-test\ntitle: 合作银行产品说明会记录（测试示例）\nlevel: 西咸新区\neffective: 2025-01-01\n---\n"
              "# 合作银行产品说明会记录（测试示例）\n\n"
              f"交通银行介绍了知识产权质押贷款。质押率为发明专利不超过评估值的{old}%，贷款期限不超过3年。\n")
    job = _wait(admin, admin.post("/admin/documents", files={"file": ("说明会.md", notice.encode(), "text/markdown")}).json())
    assert job["status"] == "done", job
    assert not any(i["kind"] == "contradicts_record" and i["doc_id"] == "xx-bank-notice-test" for i in admin.get("/admin/documents/citations").json())

    record["pledge_ratio"]["发明专利"] = (old + 10) / 100
    r = admin.post("/admin/products/import", files={"file": ("交行.yaml", yaml.safe_dump(record, allow_unicode=True).encode(), "application/octet-stream")})
    assert r.status_code == 200, r.text
    assert any("xx-bank-notice-test" in s and f"{old + 10}%" in s for s in r.json()["outdated_passages"])
    assert any(i["kind"] == "contradicts_record" and i["doc_id"] == "xx-bank-notice-test" for i in admin.get("/admin/documents/citations").json())

    for question in ("说明会上交通银行的知识产权质押贷款，发明专利质押率是多少？", "产品说明会记录里，交通银行讲的贷款期限和质押率是怎么说的？"):
        ans = _ask(admin, question)
        # the record's figure answers; the notice's older one, where quoted, is marked as outdated
        assert f"{old + 10}%" in ans["answer"], ans["answer"]
        assert f"{old}%" not in ans["answer"] or "旧数字" in ans["answer"], ans["answer"]
        assert "product:bocom-zhichan-zhiya" in {c["doc_id"] for c in ans["citations"]}
