"""The FastAPI application: settings, warm-up at start, middleware, error handling, routes."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import HTMLResponse

from assistant.api import errors
from assistant.api.limits import BodyLimit
from assistant.api.routes import (
    applications,
    ask,
    auth,
    chat,
    corpus,
    evals,
    jobs,
    match,
    openai_compat,
    products_admin,
    profiles,
    system,
)
from assistant.settings import Settings, get_settings

log = logging.getLogger("assistant.api")
UPLOAD_ROUTES = ("/admin/documents", "/admin/documents/preview", "/admin/products/import", "/match/batch", "/match/reverse/upload",
                  "/applications/*/files")
DOCS_ASSETS = "/docs-assets"


def _warm_up(settings: Settings) -> None:
    """Load the index, jieba and the catalog once, before the first request, not during it."""
    from assistant.errors import AssistantError
    from assistant.index.snapshot import get_snapshot
    from assistant.products.catalog import catalog_for
    from assistant.retrieval.tokenizer import get_tokenizer

    get_tokenizer().words("知识产权质押融资")
    try:
        get_snapshot(settings)
        catalog_for(settings)
    except AssistantError as exc:
        log.warning("starting without a usable index or catalog: %s", exc.message)


def _docs(app: FastAPI) -> None:
    """/docs (Swagger UI) from files installed with the package, never a CDN: FastAPI's own page loads its script
    from jsDelivr and stays blank offline. The files come from fastapi-offline (Swagger UI 5; swagger-ui-bundle ships
    Swagger UI 4, which refuses our OpenAPI 3.1 document). Swagger UI's online validator badge, an image from
    swagger.io that would be sent the address of our spec, is switched off. ReDoc is switched off: its page always
    loads the Redocly logo from redoc.ly, and /docs documents the same API."""
    from importlib.resources import files

    from fastapi.openapi.docs import get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
    from fastapi.staticfiles import StaticFiles

    app.mount(DOCS_ASSETS, StaticFiles(directory=str(files("fastapi_offline") / "static")), name="docs-assets")
    openapi_url, redirect_url = str(app.openapi_url), str(app.swagger_ui_oauth2_redirect_url)

    @app.get("/docs", include_in_schema=False)
    def swagger_ui(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_swagger_ui_html(
            openapi_url=f"{root}{openapi_url}", title=f"{app.title} · 接口文档", oauth2_redirect_url=f"{root}{redirect_url}",
            swagger_js_url=f"{root}{DOCS_ASSETS}/swagger-ui-bundle.js", swagger_css_url=f"{root}{DOCS_ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{root}{DOCS_ASSETS}/favicon.png", swagger_ui_parameters={"validatorUrl": None},
        )

    @app.get(redirect_url, include_in_schema=False)
    def swagger_ui_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        from assistant.logging_setup import install
        from assistant.storage.db import migrate

        install()  # after uvicorn configured its handlers, so they get the masking filter too
        migrate(settings)
        from assistant.jobs import fail_abandoned

        fail_abandoned(settings)
        _warm_up(settings)
        yield

    app = FastAPI(
        title="秦创原知识产权质押融资智能助手 API（示例）",
        version="0.2.0",
        description="政策问答（带引用）、产品匹配、补贴测算、申请预填与流转、知识库管理，以及 OpenAI 兼容接口。登录：POST /auth/token。",
        lifespan=lifespan,
        docs_url=None,  # served from local files by _docs()
        redoc_url=None,  # ReDoc fetches its logo from redoc.ly: off (see _docs)
    )
    _docs(app)
    from limits import parse, storage, strategies

    app.state.settings = settings
    options = {"key_prefix": settings.rate_limit_prefix} if settings.rate_limit_storage.startswith(("redis", "valkey")) else {}
    app.state.limiter = strategies.MovingWindowRateLimiter(storage.storage_from_string(settings.rate_limit_storage, **options))
    app.state.chat_limit = parse(settings.chat_rate_limit)
    if settings.cors_origins:  # closed by default: only listed origins may call from a browser
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["*"], allow_headers=["*"])
    errors.install(app)
    for module in (system, auth, ask, chat, match, profiles, applications, corpus, products_admin, jobs, evals, openai_compat):
        app.include_router(module.router)
    app.include_router(corpus.reindex_router)
    app.add_middleware(BodyLimit, default=settings.max_request_bytes, uploads=settings.max_upload_bytes, upload_paths=UPLOAD_ROUTES)
    return app
