"""申请管理 in a real browser (the live API, `streamlit run ui/app.py`, headless Chromium).

Staff works on one of two applications of the same firm: moving it along the workflow changes its status, and the
next click (the 状态历史 tab) must still show that application, with its number, firm and product on screen."""

from __future__ import annotations

import time
import uuid

import httpx
import pytest

from tests.test_browser_e2e import CHROMIUM_ARGS, TIMEOUT_MS, _choose, _chromium, _idle, _login, ui_server  # noqa: F401

FIRM = "庚示例智能装备有限公司"
PROFILE = {
    "name": FIRM, "uscc": "91610000MA6TG5678D", "region": "西咸新区沣东新城", "founded": "2018-03-15", "industry": "智能装备",
    "employees": 120, "rd_staff": 30, "revenue": 45_000_000, "debt_ratio": 0.42, "credit_ok": True, "whitelist": True,
    "qualifications": ["高新技术企业"], "ip_counts": {"发明专利": 4},
    "need": {"amount": 3_000_000, "term_months": 12, "purpose": "购置研发设备"},
}
EXTRA = {"legal_rep": "王庚", "contact_person": "李经理", "contact_phone": "029-88886666", "registered_address": "陕西省西咸新区沣东新城科技路1号"}


def _accepted_application(api, product_id: str) -> dict:
    """A complete application of FIRM for ``product_id``, submitted and accepted (受理中) over the API."""
    staff = api.headers("staff")
    r = httpx.post(f"{api.url}/applications", json={"profile": PROFILE, "product_id": product_id, "extra": EXTRA},
                   headers={**staff, "Idempotency-Key": uuid.uuid4().hex}, timeout=30)
    assert r.status_code == 201, r.text
    app = r.json()
    assert app["missing"] == [], app["missing"]
    for status in ("已提交", "受理中"):
        r = httpx.post(f"{api.url}/applications/{app['id']}/transitions", headers=staff, timeout=30,
                       json={"to_status": status, "expected_version": app["version"]})
        assert r.status_code == 200, r.text
        app = r.json()
    return app


def _shown(page) -> str:
    """The heading that says which application the page shows."""
    heading = page.get_by_test_id("stHeading").filter(has_text=FIRM).first
    heading.wait_for()
    return heading.inner_text()


def test_moving_one_of_two_applications_keeps_it_selected(live_api, ui_server, tmp_path):  # noqa: F811
    executable = _chromium()
    sync_api = pytest.importorskip("playwright.sync_api")
    first = _accepted_application(live_api, "cab-qinchuangdai")
    second = _accepted_application(live_api, "abc-kejiedai")  # newer: listed above ``first``
    assert first["product_name"] != second["product_name"]
    started = time.monotonic()
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
            page.set_default_timeout(TIMEOUT_MS)
            _login(page, ui_server, "staff", "服务中心工作人员")
            sidebar = page.get_by_test_id("stSidebar")
            sidebar.get_by_role("link", name="申请管理").click()
            page.get_by_role("heading", name="申请管理", level=1).wait_for()
            _idle(page)

            # open the older of the two applications (not the one the list starts with)
            _choose(page, "查看申请", first["id"][:8])
            sync_api.expect(page.get_by_test_id("stHeading").filter(has_text=FIRM).first).to_contain_text(first["product_name"])

            # move it on in the page: 受理中 → 已推送银行
            page.get_by_role("tab", name="办理").click()
            _idle(page)
            # 已推送银行 is the first choice from 受理中, already selected (picking it by keyboard is flaky: the open list
            # can sit under the mouse, and Enter then takes the option the pointer hovers)
            target = page.get_by_test_id("stSelectbox").filter(has_text="变更为").locator("input")
            sync_api.expect(target).to_have_value("已推送银行")
            page.get_by_label("备注").fill("已推送合作银行")
            page.get_by_role("button", name="确认变更").click()
            page.get_by_text("已将申请状态变更为“已推送银行”").wait_for()
            _idle(page)

            # the next click: the history of the SAME application
            page.get_by_role("tab", name="状态历史").click()
            _idle(page)
            shown = _shown(page)
            assert first["product_name"] in shown and second["product_name"] not in shown, shown
            status = page.get_by_test_id("stMetric").filter(has_text="状态").first
            sync_api.expect(status).to_contain_text("已推送银行")
            # the page says which application it is: number, firm and product
            assert first["id"][:8] in shown and FIRM in shown, shown
            sync_api.expect(page.get_by_text(first["id"], exact=False).first).to_be_visible()

            # and again after another rerun (a refresh reloads from the API by id, not by position)
            page.get_by_role("button", name="刷新").click()
            _idle(page)
            shown = _shown(page)
            assert first["id"][:8] in shown and first["product_name"] in shown, shown
            sync_api.expect(page.get_by_test_id("stMetric").filter(has_text="状态").first).to_contain_text("已推送银行")
        except Exception:
            page.screenshot(path=str(tmp_path / "failure.png"), full_page=True)
            print(f"screenshot of the failure: {tmp_path / 'failure.png'}")
            raise
        finally:
            browser.close()
    detail = httpx.get(f"{live_api.url}/applications/{first['id']}", headers=live_api.headers("staff"), timeout=10).json()
    assert detail["status"] == "已推送银行" and detail["events"][-1]["note"] == "已推送合作银行"
    other = httpx.get(f"{live_api.url}/applications/{second['id']}", headers=live_api.headers("staff"), timeout=10).json()
    assert other["status"] == "受理中"  # untouched
    assert time.monotonic() - started < 90
