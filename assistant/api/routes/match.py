"""Products, matching (one firm, reverse by product, whitelist workbooks) and the subsidy calculator."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field, ValidationError
from sqlalchemy import select
from starlette.background import BackgroundTask

from assistant.api.deps import CurrentUser, EnterpriseOrStaff, SettingsDep, StaffUser
from assistant.api.uploads import save_upload
from assistant.dialogue.manager import ask_next
from assistant.products.capacity import Capacity
from assistant.products.catalog import catalog_for
from assistant.products.combinations import Combination, funding
from assistant.products.matcher import VERDICT_LABELS, VerdictLabel, match_all, near_misses, with_subsidies
from assistant.products.schema import Product
from assistant.products.subsidies import SubsidyEstimate, estimate, load_book
from assistant.profile.model import Profile
from assistant.settings import Settings
from assistant.storage import repo
from assistant.storage.db import session_scope
from assistant.storage.models import Enterprise

log = logging.getLogger("assistant.api")
router = APIRouter(tags=["产品与匹配"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class MatchRequest(BaseModel):
    profile: Profile
    top: int | None = Field(default=None, ge=1, le=100)


class MatchResult(BaseModel):
    matches: list[dict[str, Any]]
    near_misses: list[dict[str, Any]] = Field(default_factory=list, description="差一条件即可申请的产品及补救办法")
    ask_next: list[str] = Field(default_factory=list, description="最能决定资格的待补充信息")
    capacity: Capacity | None = Field(default=None, description="可贷额度：企业知识产权按质押率可支持的贷款及其测算依据")
    combinations: list[Combination] = Field(
        default_factory=list, description="需求超过任一单个产品时，可覆盖需求的产品组合（知识产权质押＋信用、担保或保险增信贷款），各部分附结论与补贴；单个产品即可满足时为空")
    partial_combination: Combination | None = Field(default=None, description="没有组合能覆盖需求时，覆盖最多的方案及缺口")
    combination_note: str | None = Field(default=None, description="组合方案的说明（中文）")


class ReverseRequest(BaseModel):
    product_id: str
    profiles: list[Profile] | None = Field(default=None, max_length=5000, description="不填则用已登记企业的最新画像")
    top: int | None = Field(default=None, ge=1, le=5000)


class ReverseRow(BaseModel):
    enterprise: str
    enterprise_id: str | None = None
    match: dict[str, Any]


class WhitelistRow(BaseModel):
    enterprise: str
    row: int = Field(description="企业在名单中的行号")
    verdict: VerdictLabel
    eligible: bool | None
    score: float = Field(description="匹配度 0–100：符合 60–100，需补充 30–59.9，不符合 0–29.9；档内按企业与产品的契合程度排序")
    score_parts: dict[str, float] = Field(description="各部分得分，合计即匹配度：base 结论档、need 需求契合、headroom 条件余量、data 资料完整、product 产品条件")
    score_notes: dict[str, str] = Field(description="各部分的中文说明")
    reasons: list[dict[str, str]]
    missing: list[str]
    hints: list[str]
    indicative_amount: dict[str, float] | None = None


class WhitelistReverseResult(BaseModel):
    product_id: str
    product_name: str
    institution: str
    rows: list[WhitelistRow] = Field(description="名单中的企业，按匹配度从高到低")
    errors: list[str] = Field(default_factory=list, description="未能读取的行及原因（这些行未参与匹配）")


class SubsidyRequest(BaseModel):
    profile: Profile
    product_id: str
    first_loan: bool = False


class SubsidyResult(BaseModel):
    product_id: str
    total: float
    subsidies: list[SubsidyEstimate]


def _product(settings: Settings, product_id: str) -> tuple[Product, list[Product]]:
    catalog = catalog_for(settings)
    chosen = next((p for p in catalog if p.id == product_id), None)
    if chosen is None:
        raise repo.NotFound(f"产品库中没有编号为 {product_id} 的产品")
    return chosen, catalog


@router.get("/products", summary="产品库")
def products(settings: SettingsDep, _: CurrentUser) -> list[Product]:
    return catalog_for(settings)


@router.get("/products/{product_id}", summary="产品详情")
def product(product_id: str, settings: SettingsDep, _: CurrentUser) -> Product:
    return _product(settings, product_id)[0]


@router.post("/match", summary="为一家企业匹配产品（符合 / 需补充 / 不符合，附理由、参考额度与补贴测算；可贷额度与产品组合）")
def match(body: MatchRequest, settings: SettingsDep, _: EnterpriseOrStaff) -> MatchResult:
    catalog = catalog_for(settings)
    book = load_book(settings.corpus_dir)
    ranked = with_subsidies(match_all(catalog, body.profile), catalog, body.profile, book)
    shown = ranked[: body.top] if body.top else ranked
    plan = funding(catalog, body.profile, book, matches=ranked, limit=settings.combination_limit)
    return MatchResult(matches=[m.to_dict() for m in shown], near_misses=[m.to_dict() for m in near_misses(ranked)], ask_next=ask_next(ranked),
                       capacity=plan.capacity, combinations=plan.combinations, partial_combination=plan.partial, combination_note=plan.note)


@router.post("/match/reverse", summary="反向匹配：为一个产品给企业排序")
def reverse(body: ReverseRequest, settings: SettingsDep, _: StaffUser) -> list[ReverseRow]:
    from assistant.products.batch import reverse_match

    chosen, _catalog = _product(settings, body.product_id)
    firms: list[tuple[str | None, Profile]] = []
    if body.profiles is not None:
        firms = [(None, p) for p in body.profiles]
    else:
        with session_scope(settings) as session:
            for firm in session.scalars(select(Enterprise)):
                latest = repo.latest_profile(session, firm.id)
                if latest is None:
                    continue
                try:
                    firms.append((firm.id, Profile.model_validate(latest.data)))
                except ValidationError:  # saved before a rule tightened (an unknown qualification): not rankable, not fatal
                    log.warning("stored profile of %s does not validate; left out of reverse matching", firm.id)
    ranked = reverse_match(chosen, [(i, p) for i, (_, p) in enumerate(firms)])
    rows = [ReverseRow(enterprise=p.name, enterprise_id=firms[i][0], match=m.to_dict()) for i, p, m in ranked]
    return rows[: body.top] if body.top else rows


@router.post("/match/reverse/upload", summary="反向匹配白名单：上传企业名单 .xlsx（格式同批量匹配），按一个产品的匹配度给名单中的企业排序")
def reverse_upload(
    settings: SettingsDep, _: StaffUser,
    file: Annotated[UploadFile, File(description="企业名单 .xlsx")],
    product_id: Annotated[str, Form(description="产品编号")],
    top: Annotated[int | None, Form(ge=1, le=100_000, description="只返回前若干家")] = None,
) -> WhitelistReverseResult:
    from assistant.products.batch import read_firms, reverse_match

    chosen, _catalog = _product(settings, product_id)
    with tempfile.TemporaryDirectory(prefix="reverse-") as work:  # nothing of the list is kept once it is read
        firms, errors = read_firms(save_upload(file, Path(work), settings, allowed=(".xlsx",)))
    ranked = reverse_match(chosen, firms)
    rows = [WhitelistRow(enterprise=f.name, row=r, verdict=VERDICT_LABELS[m.eligible], eligible=m.eligible, score=m.score,
                         score_parts=m.score_parts, score_notes=m.score_notes, reasons=m.reasons, missing=m.missing, hints=m.hints,
                         indicative_amount=m.indicative_amount) for r, f, m in ranked]
    return WhitelistReverseResult(product_id=chosen.id, product_name=chosen.name, institution=chosen.institution,
                                  rows=rows[:top] if top else rows, errors=errors)


@router.post("/match/batch", summary="白名单批量匹配：上传企业名单 .xlsx，下载匹配结果 .xlsx（填 product_id 则反向排序）",
             response_class=FileResponse, responses={200: {"content": {XLSX: {}}}})
def batch(
    settings: SettingsDep, _: StaffUser,
    file: Annotated[UploadFile, File(description="企业名单 .xlsx")],
    product_id: Annotated[str | None, Form()] = None,
) -> FileResponse:
    from assistant.products.batch import read_firms, reverse_match, write_batch, write_reverse

    catalog = catalog_for(settings)
    work = Path(tempfile.mkdtemp(prefix="match-"))
    src = save_upload(file, work, settings, allowed=(".xlsx",))
    rows, errors = read_firms(src)
    out = work / "匹配结果.xlsx"
    if product_id:
        chosen, _catalog = _product(settings, product_id)
        write_reverse(out, chosen, reverse_match(chosen, rows), errors)
    else:
        write_batch(out, catalog, rows, errors)
    import shutil

    return FileResponse(out, media_type=XLSX, filename="匹配结果.xlsx", background=BackgroundTask(shutil.rmtree, work, ignore_errors=True))


@router.post("/subsidy", summary="补贴计算器：这笔贷款首年可享补贴、金额与政策依据")
def subsidy(body: SubsidyRequest, settings: SettingsDep, _: CurrentUser) -> SubsidyResult:
    chosen, _catalog = _product(settings, body.product_id)
    results = estimate(load_book(settings.corpus_dir), chosen, body.profile, first_loan=body.first_loan)
    return SubsidyResult(product_id=chosen.id, total=round(sum(r.amount for r in results if r.counted), 2), subsidies=results)
