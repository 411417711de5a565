"""The assistant as a Model Context Protocol server (the official ``mcp`` SDK), for the AI clients and agent
frameworks people already use: ``assistant mcp`` over stdio, ``assistant mcp --http PORT`` over streamable HTTP on
loopback behind the API's bearer tokens and roles.

Each tool takes the API's request model as its arguments and does what the API route does (the same functions);
the roles are the API's: ``match`` for firms and staff, ``prefill`` for staff only (hidden from the others' tool
list and refused if called), the rest for every signed-in account. Over stdio the caller is the account of
``--token`` (or ``ASSISTANT_MCP_TOKEN``), or without one a guest with a firm's reading rights. Arguments are checked
against the model before the tool runs, so a wrong argument is answered in Chinese, naming the field.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import asdict
from typing import Annotated, Any, Literal

import anyio
from mcp.server import MCPServer
from mcp.server.auth.middleware.auth_context import get_access_token
from mcp.server.auth.provider import AccessToken
from mcp.server.auth.settings import AuthSettings
from mcp.server.mcpserver.exceptions import ToolError
from mcp.server.mcpserver.tools import Tool
from mcp.types import CallToolResult, TextContent
from pydantic import BaseModel, Field, StringConstraints, ValidationError

from assistant.answer.products import find_product
from assistant.answer.types import Answer
from assistant.api.errors import request_errors
from assistant.api.routes.applications import NewApplication
from assistant.api.routes.ask import AskRequest
from assistant.api.routes.match import MatchRequest, MatchResult, SubsidyRequest, SubsidyResult
from assistant.api.routes.match import match as match_route
from assistant.api.routes.match import subsidy as subsidy_route
from assistant.applications import service
from assistant.applications.form import Extra
from assistant.applications.service import ApplicationOut
from assistant.auth.users import Principal, principal_for_token
from assistant.dialogue.persist import consult
from assistant.errors import AssistantError
from assistant.index.snapshot import get_snapshot
from assistant.products.catalog import catalog_for
from assistant.products.schema import Product
from assistant.profile.model import Profile
from assistant.retrieval.passages import SearchRequest, SearchResponse, find_passages
from assistant.settings import Settings
from assistant.storage.db import migrate, session_scope

log = logging.getLogger("assistant.mcp")

# Who may call what: the API's dependencies for the same routes (deps.py), except that prefill, which the API also
# lets a firm do for itself, is for staff here (an agent drafting applications works for the center). A tool not
# listed is for every signed-in account.
TOOL_ROLES: dict[str, tuple[str, ...]] = {"match": ("enterprise", "staff"), "prefill": ("staff",)}
GUEST = Principal(user_id=0, username="mcp-guest", role="enterprise", enterprise_id=None)
FORBIDDEN = "当前账号无权调用此工具"
SIGN_IN = "请先登录（令牌缺失、无效、已过期或已吊销）：用 assistant users token 签发新令牌"
_PREFIX = "Error executing tool "


class ProductRequest(BaseModel):
    product: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)] = Field(
        description="产品编号，或产品名称（可用简称，如 银行简称＋知产贷）")


REQUESTS: dict[str, type[BaseModel]] = {
    "ask": AskRequest, "match": MatchRequest, "subsidy": SubsidyRequest, "product": ProductRequest,
    "search_policies": SearchRequest, "prefill": NewApplication,
}


def _principal(token: AccessToken) -> Principal:
    return Principal(**(token.claims or {})["principal"])


class ApiTokens:
    """The API's bearer tokens (``/auth/token``, ``assistant users``) as the MCP SDK's token verifier."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def lookup(self, token: str) -> Principal | None:
        with session_scope(self.settings) as session:
            return principal_for_token(session, token, allow_demo=self.settings.development)

    async def verify_token(self, token: str) -> AccessToken | None:
        who = await anyio.to_thread.run_sync(self.lookup, token)
        if who is None:
            return None
        return AccessToken(token=token, client_id=who.username, scopes=[who.role], subject=str(who.user_id),
                           claims={"principal": asdict(who)})


def _error(text: str) -> CallToolResult:
    return CallToolResult(content=[TextContent(type="text", text=text)], is_error=True)


def build_server(settings: Settings, local: Principal | None = None, local_token: str | None = None) -> MCPServer:
    """Over stdio the caller is ``local_token``'s account, looked up on every call (a revoked token stops working in
    a running server), or ``local`` (the guest). Over HTTP (neither given) each request's token says who calls; none,
    no access."""
    migrate(settings)  # the conversations a consultation is kept in, as the API does at start
    tokens = ApiTokens(settings)
    over_http = local is None and local_token is None

    def caller() -> Principal | None:
        token = get_access_token()
        if token is not None:
            return _principal(token)
        if local_token is not None:
            return tokens.lookup(local_token)
        return local

    def signed_in() -> Principal:
        who = caller()
        if who is None:
            raise ToolError(SIGN_IN)
        return who

    def allowed(name: str, who: Principal) -> bool:
        return who.role in TOOL_ROLES.get(name, (who.role,))

    async def guard(ctx: Any, call_next: Callable[[Any], Awaitable[Any]]) -> Any:
        """Roles and Chinese argument errors before a tool runs; the tool list shows what the caller may call."""
        if ctx.method == "tools/list":
            result = await call_next(ctx)  # the wire form: a dict
            who = caller()
            if isinstance(result, dict) and isinstance(result.get("tools"), list):
                result["tools"] = [t for t in result["tools"] if who is not None and allowed(str(t.get("name")), who)]
            return result
        if ctx.method != "tools/call":
            return await call_next(ctx)
        params = ctx.params if isinstance(ctx.params, dict) else {}
        name, arguments = str(params.get("name")), params.get("arguments") or {}
        who = caller()
        if who is None:
            return _error(SIGN_IN)
        if not allowed(name, who):
            return _error(FORBIDDEN + ("（仅限服务中心工作人员）" if TOOL_ROLES[name] == ("staff",) else "（仅限企业与服务中心工作人员）"))
        if name in REQUESTS:
            try:
                REQUESTS[name].model_validate(arguments)
            except ValidationError as exc:
                problems = request_errors(exc.errors())
                return _error("参数有误：" + "；".join(problems))
        result = await call_next(ctx)
        if isinstance(result, dict) and result.get("isError"):  # the SDK's English prefix, before our Chinese message
            for block in result.get("content") or []:
                text = block.get("text") if isinstance(block, dict) else None
                if isinstance(text, str) and text.startswith(_PREFIX):
                    # a crash (no message of ours after the prefix) is logged by the SDK; the caller hears it in Chinese
                    block["text"] = text.split(": ", 1)[1] if ": " in text else "工具执行失败，请稍后再试或联系服务中心"
        return result

    tools: list[Tool] = []

    def tool(description: str) -> Callable[[Any], Any]:
        def add(fn: Any) -> Any:
            made = Tool.from_function(fn, description=description)
            # what clients see is the API's request schema (Chinese descriptions, limits, defaults), not one inferred
            # from the signature; arguments are checked against the same model by the guard
            made.parameters = REQUESTS[made.name].model_json_schema()
            tools.append(made)
            return fn

        return add

    async def run(fn: Callable[[], Any]) -> Any:
        try:
            return await anyio.to_thread.run_sync(fn)
        except AssistantError as exc:
            raise ToolError(exc.message) from exc

    @tool(description="回答企业关于知识产权质押融资政策、流程、产品的问题（中文），每句附出处（文件、文号、页码、条款、原文）；"
                             "资料未载明时明确说明并建议咨询服务中心。参数同 POST /ask。")
    async def ask(question: str, history: list[str] | None = None, include_expired: bool | None = None) -> Answer:
        who = signed_in()
        body = AskRequest(question=question, history=history or [], include_expired=include_expired)
        return await run(lambda: consult(settings, body.question, body.history, body.include_expired,
                                         owner=(who.enterprise_id, who.user_id or None)))

    @tool(description="为一家企业匹配融资产品：按匹配度排序，每个产品给出结论（符合 / 需补充 / 不符合）与逐条理由、参考额度与补贴测算、"
                             "最能决定资格的待补充信息；需求超过单个产品时给出产品组合。参数同 POST /match。")
    async def match(profile: Profile, top: int | None = None) -> MatchResult:
        who = signed_in()
        body = MatchRequest(profile=profile, top=top)
        return await run(lambda: match_route(body, settings, who))

    @tool(description="补贴计算：这家企业用这个产品贷款，首年可享哪些贴息与补贴、各多少钱、依据哪份文件哪一条。参数同 POST /subsidy。")
    async def subsidy(profile: Profile, product_id: str, first_loan: bool = False) -> SubsidyResult:
        who = signed_in()
        body = SubsidyRequest(profile=profile, product_id=product_id, first_loan=first_loan)
        return await run(lambda: subsidy_route(body, settings, who))

    @tool(description="查一个融资产品的完整记录（银行、额度、利率、期限、质押率、准入条件、所需材料、来源文件）：按编号或名称（可用简称）。")
    async def product(product: str) -> Product:
        def find() -> Product:
            catalog = catalog_for(settings)
            chosen = next((p for p in catalog if p.id == product), None) or find_product(product, catalog)
            if chosen is None:
                raise AssistantError(f"产品库中没有“{product}”；可先读取资源 products://catalog 查看全部产品")
            return chosen

        return await run(find)

    @tool(description="检索政策文件、常见问题与产品资料的原文段落（可按地区、类别、文件筛选），每段附出处；供自行组织回答时引用。参数同 POST /search。")
    async def search_policies(query: str, top: int = 5, region: str | None = None, kind: Literal["policy", "faq", "product"] | None = None,
                              doc_id: str | None = None,
                              include_expired: bool = False) -> SearchResponse:
        body = SearchRequest.model_validate({"query": query, "top": top, "region": region, "kind": kind, "doc_id": doc_id,
                                             "include_expired": include_expired})
        return await run(lambda: find_passages(settings, body))

    @tool(description="（仅服务中心工作人员）按企业画像与产品预填贷款申请表并保存为草稿：返回申请 JSON（表单各项、拟质押知识产权、"
                             "校验提示、申请编号与状态）。参数同 POST /applications。")
    async def prefill(profile: Profile, product_id: str | None = None, extra: Extra | None = None) -> ApplicationOut:
        who = signed_in()
        return await run(lambda: service.create_application(settings, who, profile, product_id=product_id,
                                                            extra=extra.model_dump(exclude_none=True) if extra else None))

    server = MCPServer(
        "秦创原知识产权质押融资助手",
        instructions=("陕西西咸新区（秦创原）科技金融服务中心的知识产权质押融资助手（示例数据）。ask 回答政策、流程与产品问题并附出处；"
                      "search_policies 检索原文段落；match 为企业画像匹配融资产品（符合 / 需补充 / 不符合及理由）；subsidy 测算贴息与补贴；"
                      "product 查产品详情；prefill 预填申请表（仅服务中心工作人员）。资料未载明的内容会明确说明，请勿自行补充数字。"),
        version="1",
        token_verifier=tokens if over_http else None,
        # the API issues the tokens: no OAuth flow here, only the check of each request's bearer token
        auth=AuthSettings.model_validate({"issuer_url": "http://127.0.0.1", "resource_server_url": None}) if over_http else None,
        middleware=[guard],
        tools=tools,
    )

    @server.resource("products://catalog", name="产品库", description="合作银行的全部在售科技金融产品（JSON）", mime_type="application/json")
    def products_resource() -> str:
        return json.dumps([p.model_dump(mode="json") for p in catalog_for(settings)], ensure_ascii=False)

    @server.resource("documents://list", name="文件清单", description="知识库中的政策文件与常见问题：编号、标题、文号、地区、状态、替代关系（JSON）",
                     mime_type="application/json")
    def documents_resource() -> str:
        snapshot = get_snapshot(settings)
        first = {c["doc_id"]: c for c in reversed(snapshot.chunks)}
        return json.dumps([{"doc_id": d.doc_id, "title": d.title, "doc_number": first.get(d.doc_id, {}).get("doc_number"), "region": d.region,
                            "status": d.status, "superseded_by": d.superseded_by, "effective": d.effective, "published": d.published}
                           for d in snapshot.manifest.docs.values()], ensure_ascii=False)

    return server


def serve_stdio(settings: Settings, token: str | None) -> None:
    if token and ApiTokens(settings).lookup(token) is None:
        raise AssistantError("令牌无效或已过期：请用 assistant users token 或 /auth/token 重新获取")
    build_server(settings, None if token else GUEST, token or None).run("stdio")


def http_app(settings: Settings) -> Any:
    """The streamable-HTTP app at /mcp, every request checked against the API's tokens."""
    from mcp.server.transport_security import TransportSecuritySettings

    return build_server(settings).streamable_http_app(
        transport_security=TransportSecuritySettings(enable_dns_rebinding_protection=True, allowed_hosts=["127.0.0.1:*", "localhost:*"],
                                                     allowed_origins=["http://127.0.0.1:*", "http://localhost:*"]))
