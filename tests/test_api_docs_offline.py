"""The API docs work with no network: /docs (Swagger UI) references only assets the app serves itself, and in a
real browser that may reach nothing but the app it renders the operations. /redoc is either switched off (404,
not a blank page) or held to the same rules."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import httpx
import pytest

REF = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""")
URL_LITERAL = re.compile(r"""(?:https?:)?//[A-Za-z0-9.\-]+""")
DOC_PAGES = ("/docs", "/redoc")


def _assets(html: str) -> list[str]:
    """What a docs page makes the browser load: src/href attributes, the spec and the OAuth2 redirect page."""
    refs = REF.findall(html)
    refs += re.findall(r"""url:\s*['"]([^'"]+)['"]""", html)  # Swagger UI's spec URL
    refs += re.findall(r"""spec-url=["']([^"']+)["']""", html)  # ReDoc's
    refs += re.findall(r"""oauth2RedirectUrl:\s*window\.location\.origin\s*\+\s*['"]([^'"]+)['"]""", html)
    return refs


@pytest.mark.parametrize("path", DOC_PAGES)
def test_docs_pages_reference_no_external_url_and_every_asset_is_served(live_api, path):
    r = httpx.get(f"{live_api.url}{path}", timeout=10)
    if path == "/redoc" and r.status_code == 404:
        return  # switched off
    assert r.status_code == 200, r.text
    html = r.text
    # not in an attribute, not in a script: no host at all (a CDN, Google Fonts, the Swagger validator badge)
    assert not URL_LITERAL.findall(html), URL_LITERAL.findall(html)
    refs = _assets(html)
    assert any(ref.endswith(".js") for ref in refs) and (path == "/redoc" or any(ref.endswith(".css") for ref in refs)), refs
    for ref in refs:
        url = urljoin(f"{live_api.url}{path}", ref)
        assert urlsplit(url).netloc == urlsplit(live_api.url).netloc, ref
        got = httpx.get(url, timeout=10)
        assert got.status_code == 200 and got.content, (ref, got.status_code)


def test_swagger_ui_does_not_ask_the_online_validator(live_api):
    """Swagger UI otherwise loads a badge from validator.swagger.io, sending it the spec's address."""
    html = httpx.get(f"{live_api.url}/docs", timeout=10).text
    assert re.search(r'"validatorUrl":\s*null', html), html


def test_oauth2_redirect_page_is_served_without_external_urls(live_api):
    html = httpx.get(f"{live_api.url}/docs", timeout=10).text
    redirect = re.search(r"""oauth2RedirectUrl:\s*window\.location\.origin\s*\+\s*['"]([^'"]+)['"]""", html)
    assert redirect, html
    r = httpx.get(f"{live_api.url}{redirect.group(1)}", timeout=10)
    assert r.status_code == 200 and "swaggerUIRedirectOauth2" in r.text
    assert not URL_LITERAL.findall(r.text)


def test_docs_render_in_a_browser_that_reaches_only_the_app(live_api, tmp_path):
    """Swagger UI must draw the operations of our OpenAPI 3.1 document, with every request off the app refused."""
    from tests.test_browser_e2e import CHROMIUM_ARGS, _chromium

    executable = _chromium()
    sync_api = pytest.importorskip("playwright.sync_api")
    own = urlsplit(live_api.url).netloc
    blocked: list[str] = []

    def only_the_app(route) -> None:
        if urlsplit(route.request.url).netloc == own or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.route("**/*", only_the_app)
            page.goto(f"{live_api.url}/docs", wait_until="domcontentloaded")
            try:
                page.locator(".opblock").first.wait_for(timeout=20_000)
            except Exception:
                page.screenshot(path=str(tmp_path / "docs.png"), full_page=True)
                raise AssertionError(f"Swagger UI drew no operation (blocked: {blocked}); screenshot {tmp_path / 'docs.png'}") from None
            assert page.locator(".opblock").count() > 20
            assert not page.get_by_text("Unable to render this definition").count()
            if httpx.get(f"{live_api.url}/redoc", timeout=10).status_code == 200:
                page.goto(f"{live_api.url}/redoc", wait_until="domcontentloaded")
                page.get_by_role("heading", name="提问（带引用的回答）").first.wait_for(timeout=20_000)
        finally:
            browser.close()
    assert not blocked, blocked
