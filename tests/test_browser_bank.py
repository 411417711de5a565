"""The bank side in a real browser (the live API, `streamlit run ui/app.py`, headless Chromium): an application the
firm submitted and staff pushed appears in the bank's workbench; the banker asks for material; the firm sees the
request on its application, uploads the file, and the banker approves it."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.test_browser_e2e import CHROMIUM_ARGS, TIMEOUT_MS, _chromium, _idle, ui_server  # noqa: F401

PROFILE = {"name": "甲示例科技有限公司", "uscc": "91611100MA6TX0001G", "region": "西咸新区", "founded": "2018-05-01", "revenue": 30_000_000,
           "debt_ratio": 0.4, "credit_ok": True, "whitelist": True, "qualifications": ["高新技术企业"], "ip_counts": {"发明专利": 4},
           "employees": 60, "need": {"amount": 3_000_000, "term_months": 12, "purpose": "研发"}}
EXTRA = {"legal_rep": "甲法人", "contact_person": "甲联系人", "contact_phone": "029-88880000"}
PDF_BYTES = b"%PDF-1.4\n% material\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _pushed(api) -> dict:
    r = httpx.post(f"{api.url}/applications", json={"profile": PROFILE, "product_id": "cab-qinchuang-baodai", "extra": EXTRA}, timeout=30,
                   headers={**api.headers("ent-a"), "Idempotency-Key": uuid.uuid4().hex})
    assert r.status_code == 201 and r.json()["missing"] == [], r.text
    app = r.json()
    r = httpx.post(f"{api.url}/applications/{app['id']}/transitions", headers=api.headers("ent-a"), timeout=30,
                   json={"to_status": "已提交", "expected_version": app["version"]})
    assert r.status_code == 200, r.text
    pushed = httpx.post(f"{api.url}/applications/push", headers=api.headers("staff"), timeout=30, json={"application_ids": [app["id"]]}).json()
    assert pushed["pushed"] == 1, pushed
    return httpx.get(f"{api.url}/applications/{app['id']}", headers=api.headers("staff"), timeout=30).json()


def _login(page, ui_server: str, user: str, landing: str) -> None:  # noqa: F811
    page.goto(ui_server, wait_until="domcontentloaded")
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_label("账号").fill(user)
    sidebar.get_by_label("密码").fill("password-123")
    sidebar.get_by_role("button", name="登录").click()
    page.get_by_role("heading", name=landing, level=1).wait_for()
    _idle(page)


def _pick(page, label: str, text: str) -> None:
    box = page.get_by_test_id("stSelectbox").filter(has_text=label)
    box.locator("input").click()
    page.keyboard.type(text)
    page.keyboard.press("Enter")
    _idle(page)


def test_push_decision_and_the_firm_sees_it_in_the_browser(live_api, ui_server, tmp_path):  # noqa: F811
    executable = _chromium()
    sync_api = pytest.importorskip("playwright.sync_api")
    app = _pushed(live_api)
    short = app["id"][:8]
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)
        try:
            bank = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN").new_page()
            bank.set_default_timeout(TIMEOUT_MS)
            _login(bank, ui_server, "bank-ca", "银行工作台")
            sync_api.expect(bank.get_by_test_id("stSidebar")).to_contain_text("长安银行")
            _pick(bank, "办理申请", short)
            sync_api.expect(bank.get_by_test_id("stHeading").filter(has_text=short).first).to_contain_text("甲示例科技有限公司")
            bank.get_by_role("tab", name="答复").click()
            _idle(bank)
            _pick(bank, "答复", "补充材料")
            bank.get_by_label("说明").fill("请补充近三个月纳税证明")
            bank.get_by_role("button", name="提交答复").click()
            bank.get_by_text("已答复“补充材料”").wait_for()

            firm = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN").new_page()
            firm.set_default_timeout(TIMEOUT_MS)
            _login(firm, ui_server, "ent-a", "企业咨询")
            firm.get_by_test_id("stSidebar").get_by_role("link", name="申请管理").click()
            firm.get_by_role("heading", name="申请管理", level=1).wait_for()
            _idle(firm)
            _pick(firm, "查看申请", short)
            firm.get_by_text("请补充近三个月纳税证明").first.wait_for()
            firm.get_by_role("tab", name="办理").click()
            _idle(firm)
            material = tmp_path / "纳税证明.pdf"
            material.write_bytes(PDF_BYTES)
            firm.get_by_test_id("stFileUploaderDropzoneInput").first.set_input_files(str(material))
            _idle(firm)
            firm.get_by_role("button", name="上传").click()
            firm.get_by_text("已上传 1 份材料").wait_for()

            bank.get_by_role("button", name="导出队列（Excel）").wait_for()
            bank.reload()
            _idle(bank)
            _pick(bank, "办理申请", short)
            bank.get_by_role("tab", name="答复").click()
            _idle(bank)
            _pick(bank, "答复", "批准")
            bank.get_by_role("spinbutton", name="金额（万元）").fill("280")
            bank.get_by_role("spinbutton", name="年化利率（%）").fill("3.45")
            bank.get_by_role("spinbutton", name="期限（月）").fill("12")
            bank.get_by_role("button", name="提交答复").click()
            bank.get_by_text("已答复“批准”").wait_for()
        except Exception:
            for name, pg in (("bank", locals().get("bank")), ("firm", locals().get("firm"))):
                if pg is not None:
                    pg.screenshot(path=str(tmp_path / f"failure-{name}.png"), full_page=True)
            print(f"screenshots of the failure: {tmp_path}")
            raise
        finally:
            browser.close()
    detail = httpx.get(f"{live_api.url}/applications/{app['id']}", headers=live_api.headers("ent-a"), timeout=10).json()
    assert detail["status"] == "已批准" and detail["decision"]["amount"] == 2_800_000 and detail["decision"]["rate"] == 3.45
    assert [f["filename"] for f in detail["files"]] == ["纳税证明.pdf"]
    assert [e["kind"] for e in detail["events"]][-3:] == ["decision", "material", "decision"]
