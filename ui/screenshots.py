"""Screenshots of every page, taken in headless Chromium against a running API and UI.

    python ui/screenshots.py --api http://127.0.0.1:8000 --ui http://127.0.0.1:8501 [--out docs/screenshots]

Logs in with each role (accounts ent-a, staff, admin; password from --password), seeds what a page needs to show
something (a stored enterprise profile and an application, through the API), and saves docs/screenshots/<page>.png.
Needs /usr/bin/chromium (Debian package ``chromium``) and ``fonts-noto-cjk`` for the Chinese glyphs."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import httpx

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"]
SAMPLE_FIRM: dict[str, Any] = {
    "name": "西咸示例智能科技有限公司", "region": "西咸新区沣东新城", "founded": "2018-05-01", "industry": "软件和信息技术服务业",
    "employees": 80, "revenue": 30_000_000, "debt_ratio": 0.4, "qualifications": ["高新技术企业", "科技型中小企业"],
    "whitelist": True, "credit_ok": True, "ip_counts": {"发明专利": 3, "软件著作权": 5},
    "need": {"amount": 5_000_000, "term_months": 12, "purpose": "研发投入与流动资金"},
}


def _token(api: str, user: str, password: str) -> dict[str, str]:
    r = httpx.post(f"{api}/auth/token", data={"username": user, "password": password}, timeout=30)
    r.raise_for_status()
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def seed(api: str, password: str) -> None:
    """A stored profile (for the 产品匹配 picker), at least one application (for 申请管理 and 统计) and one question
    the corpus cannot answer (统计's to-do list)."""
    staff = _token(api, "staff", password)
    conv = httpx.post(f"{api}/chat/sessions", headers=staff, timeout=30).json()["id"]  # one question the corpus cannot answer
    httpx.post(f"{api}/chat/sessions/{conv}/messages", json={"text": "今天西安的天气怎么样？"}, headers=staff, timeout=60).raise_for_status()
    httpx.post(f"{api}/profiles", json=SAMPLE_FIRM, headers=staff, timeout=30).raise_for_status()
    if not httpx.get(f"{api}/applications", headers=staff, timeout=30).json():
        # a complete draft: only one without 待补充 required fields can be submitted
        from assistant.profile.validators import uscc_check_char

        code = "91610131MA6W8X1Y5"
        firm = {**SAMPLE_FIRM, "uscc": code + uscc_check_char(code)}
        extra = {"legal_rep": "王示例", "contact_person": "李示例", "contact_phone": "029-33680001"}
        r = httpx.post(f"{api}/applications", json={"profile": firm, "extra": extra}, headers={**staff, "Idempotency-Key": "screenshots-seed"},
                       timeout=60)
        r.raise_for_status()
        app = r.json()
        httpx.post(f"{api}/applications/{app['id']}/transitions", headers=staff, timeout=30,
                   json={"to_status": "已提交", "expected_version": app["version"], "note": "企业已确认申请信息"}).raise_for_status()


def login(page: Any, ui: str, user: str, password: str) -> None:
    page.goto(ui, wait_until="domcontentloaded")
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_label("账号").fill(user)
    sidebar.get_by_label("密码").fill(password)
    sidebar.get_by_role("button", name="登录").click()
    sidebar.get_by_text("退出登录").wait_for()


def go(page: Any, title: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title).click()
    page.get_by_role("heading", name=title, level=1).wait_for()
    settle(page)


def settle(page: Any) -> None:
    """Wait until the script run is over and the page has drawn."""
    page.wait_for_timeout(300)
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(timeout=60_000)
    page.wait_for_timeout(700)


def fit(page: Any, max_height: int = 3200) -> None:
    """Make the viewport as tall as the content (Streamlit scrolls inside its main container, not the document)."""
    height = page.evaluate("""() => {
        const block = document.querySelector('[data-testid="stMainBlockContainer"]');
        return block ? block.getBoundingClientRect().top + block.scrollHeight + 120 : document.body.scrollHeight;
    }""")
    page.set_viewport_size({"width": 1440, "height": max(900, min(int(height), max_height))})


def pick(page: Any, label: str, option: str) -> None:
    page.get_by_test_id("stSelectbox").filter(has_text=label).click()
    page.get_by_role("option", name=option).first.click()
    settle(page)


def shoot(page: Any, out: Path, name: str, max_height: int = 3200) -> Path:
    settle(page)
    fit(page, max_height)
    page.evaluate("""() => document.querySelectorAll('[data-testid="stMain"], [data-testid="stAppScrollToBottomContainer"]')
                              .forEach(e => e.scrollTo(0, 0))""")
    settle(page)
    path = out / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    print(f"已保存 {path}")
    return path


def take_all(api: str, ui: str, out: Path, password: str = "password-123") -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    seed(api, password)
    saved = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            def fresh_page() -> Any:
                """A page in its own browser context: a signed-in role's session cookie must not carry over."""
                ctx = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN", device_scale_factor=1)
                ctx.set_default_timeout(60_000)
                return ctx.new_page()

            page = fresh_page()
            page.goto(ui, wait_until="domcontentloaded")
            page.get_by_text("请在左侧边栏输入账号和密码登录").wait_for()
            saved.append(shoot(page, out, "login"))
            page.close()

            page = fresh_page()  # enterprise: a policy question with its sources
            login(page, ui, "ent-a", password)
            page.get_by_test_id("stChatInputTextArea").fill("秦知贷的补偿比例是多少？")
            page.keyboard.press("Enter")
            page.get_by_test_id("stExpander").filter(has_text="[1]").first.wait_for()
            page.get_by_test_id("stExpander").filter(has_text="[1]").first.locator("summary").click()
            saved.append(shoot(page, out, "consult"))
            page.close()

            page = fresh_page()  # staff: match a stored firm, the application queue, statistics
            login(page, ui, "staff", password)
            go(page, "产品匹配")
            pick(page, "选择已登记企业", SAMPLE_FIRM["name"])
            page.wait_for_function(f"() => [...document.querySelectorAll('input')].some(i => i.value === '{SAMPLE_FIRM['name']}')")
            page.get_by_role("button", name="开始匹配").click()
            page.get_by_text("各产品的判断理由").wait_for()
            page.get_by_test_id("stExpander").filter(has_text="1. ").first.locator("summary").click()
            saved.append(shoot(page, out, "match", max_height=2600))
            go(page, "申请管理")
            page.get_by_text("申请表内容").first.wait_for()
            saved.append(shoot(page, out, "applications"))
            go(page, "统计")
            page.get_by_text("每日咨询量").wait_for()
            page.locator('[data-testid="stVegaLiteChart"]').first.wait_for()
            saved.append(shoot(page, out, "stats"))
            page.close()

            page = fresh_page()  # policy team: the knowledge base
            login(page, ui, "admin", password)
            go(page, "知识库管理")
            page.get_by_text("现行有效").first.wait_for()
            check = page.get_by_test_id("stExpander").filter(has_text="引用核对").first
            check.locator("summary").click()  # the citation check's findings
            check.get_by_test_id("stDataFrame").wait_for()
            saved.append(shoot(page, out, "knowledge"))
            page.close()
        finally:
            browser.close()
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="为每个页面截图（需要已启动的 API 与界面）")
    parser.add_argument("--api", default="http://127.0.0.1:8000", help="API 地址")
    parser.add_argument("--ui", default="http://127.0.0.1:8501", help="Streamlit 界面地址")
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "docs" / "screenshots"), help="输出目录")
    parser.add_argument("--password", default="password-123", help="示例账号 ent-a、staff、admin 的密码")
    args = parser.parse_args(argv)
    take_all(args.api.rstrip("/"), args.ui.rstrip("/"), Path(args.out), args.password)
    return 0


if __name__ == "__main__":
    sys.exit(main())
