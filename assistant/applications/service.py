"""Creating and completing applications: the one path that ``POST /applications``, the chat's “生成申请”
(``POST /chat/sessions/{id}/application``) and ``PATCH /applications/{id}`` take.

Creation merges what the request says into the firm's stored profile (a sparse profile never erases what the firm
said before), drafts the form from the merged profile and keeps it with the application (snapshot + profile
version), together with the facts that are not profile fields (``Extra``) and the form keys the system inferred.
An edit of a draft changes those inputs, validated by the very models the API validates a profile with, and drafts
the form again: sources and 校验提示 follow, an edited field becomes 用户提供. What an edit says about the firm's
profile is merged into its stored profile too, so the next conversation starts from it.

No FastAPI here: errors are ``AssistantError``s (``InvalidFields`` carries one Chinese message per field) that the
routes turn into HTTP."""

from __future__ import annotations

import copy
import datetime as dt
import logging
from collections.abc import Iterable
from pathlib import PurePath
from typing import Any

from pydantic import BaseModel, Field, ValidationError
from sqlalchemy.orm import Session

from assistant.applications.form import EXTRA_FIELDS, PROFILE_FIELDS, SYSTEM_FIELDS, Extra, prefill
from assistant.applications.form import Application as Form
from assistant.applications.workflow import DECISIONS, REJECT_REASONS, WorkflowError, check_editable
from assistant.auth.users import Principal
from assistant.errors import AssistantError
from assistant.products.catalog import catalog_for
from assistant.products.matcher import VERDICT_LABELS, match_all
from assistant.products.schema import Product
from assistant.profile.model import FIELD_LABELS, Profile, describe_errors
from assistant.storage import ledger, repo
from assistant.storage.db import session_scope
from assistant.storage.models import Application, Enterprise

log = logging.getLogger("assistant.applications")
IP_LIST_LABEL = "拟质押知识产权清单"


class InvalidFields(AssistantError):
    """Input refused field by field: ``fields`` maps a form field key (``ip_list[0]`` for an IP row) to a Chinese
    message; ``errors`` are the same as “标签：原因” sentences."""

    def __init__(self, fields: dict[str, str], labels: dict[str, str] | None = None) -> None:
        self.fields = fields
        self.errors = [f"{_label_for(key, labels or {})}：{message}" for key, message in fields.items()]
        super().__init__("；".join(self.errors))


class Event(BaseModel):
    from_status: str | None
    to_status: str
    kind: str = Field(default="status", description="status：状态变更；edit：修改申请信息；decision：银行答复；material：补充材料")
    actor: str
    note: str | None
    data: dict[str, Any] | None = Field(default=None, description="银行答复的条件（decision、amount、rate、term_months、reason）或补充的文件")
    at: dt.datetime


class Decision(BaseModel):
    """The bank's latest answer, as the firm and staff see it."""

    decision: str = Field(description="受理 / 补充材料 / 批准 / 拒绝 / 放款")
    status: str
    amount: float | None = Field(default=None, description="批准或放款金额（元）")
    rate: float | None = Field(default=None, description="年化利率（%）")
    term_months: int | None = None
    reason: str | None = Field(default=None, description="拒绝原因分类")
    note: str | None = None
    by: str = Field(description="作出答复的账号")
    at: dt.datetime


class MaterialFile(BaseModel):
    id: int
    filename: str
    content_type: str
    size: int
    sha256: str
    actor: str
    at: dt.datetime


class LedgerRef(BaseModel):
    """The application's latest entry in the tamper-evident ledger (what its PDF carries)."""

    seq: int
    hash: str
    at: dt.datetime


class ApplicationOut(BaseModel):
    id: str
    enterprise_id: str
    enterprise_name: str
    product_id: str
    product_name: str
    institution: str
    status: str
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    missing: list[str] = Field(default_factory=list)
    issues: list[dict[str, Any]] = Field(default_factory=list)
    form: dict[str, Any] | None = None
    events: list[Event] = Field(default_factory=list)
    profile_snapshot: dict[str, Any] | None = Field(default=None, description="预填时所依据的企业画像（此后企业画像的变化不影响本申请）")
    profile_version: int | None = Field(default=None, description="该画像在企业画像中的版本号")
    extra: dict[str, Any] | None = Field(default=None, description="画像以外的申请信息：联系人、联系电话、联系邮箱、法定代表人、地址等")
    inferred: list[str] = Field(default_factory=list, description="由系统推断（而非企业陈述）的表单项")
    pushed_at: dt.datetime | None = Field(default=None, description="推送银行的时间")
    decision: Decision | None = Field(default=None, description="银行最近一次答复")
    files: list[MaterialFile] = Field(default_factory=list, description="企业补充的材料")
    ledger: LedgerRef | None = Field(default=None, description="账本（码链）中本申请的最新记录")
    match: dict[str, Any] | None = Field(default=None, description="按预填所依据的企业画像对所申请产品的匹配结论与逐条理由")


def with_match(settings: Any, out: ApplicationOut) -> ApplicationOut:
    """The application's own product judged against the profile it was drafted from: what the bank reads first."""
    if out.profile_snapshot is None:
        return out
    product = next((p for p in catalog_for(settings) if p.id == out.product_id), None)
    if product is None:
        return out
    try:
        m = match_all([product], Profile.model_validate(out.profile_snapshot))[0]
    except ValidationError:
        return out
    out.match = {"verdict": VERDICT_LABELS[m.eligible], "reasons": m.reasons, "missing": m.missing,
                 "indicative_amount": m.indicative_amount}
    return out


def latest_decision(app: Application) -> Decision | None:
    for e in reversed(app.events):
        if e.kind == "decision" and e.data:
            d = e.data
            return Decision(decision=d.get("decision", ""), status=e.to_status, amount=d.get("amount"), rate=d.get("rate"),
                            term_months=d.get("term_months"), reason=d.get("reason"), note=e.note, by=e.actor, at=e.at)
    return None


def to_out(app: Application, firm: Enterprise | None, detail: bool, session: Session | None = None) -> ApplicationOut:
    form = Form.model_validate(app.form)
    files, ref = [], None
    if detail and session is not None:
        files = [MaterialFile(id=f.id, filename=f.filename, content_type=f.content_type, size=f.size, sha256=f.sha256, actor=f.actor, at=f.at)
                 for f in repo.list_files(session, app.id)]
        entry = ledger.latest_for(session, app.id)
        ref = LedgerRef(seq=entry.seq, hash=entry.hash, at=entry.at) if entry else None
    return ApplicationOut(
        id=app.id, enterprise_id=app.enterprise_id, enterprise_name=firm.name if firm else "", product_id=app.product_id,
        product_name=form.product_name, institution=app.institution, status=app.status, version=app.version,
        created_at=app.created_at, updated_at=app.updated_at, missing=form.missing(), issues=[i.model_dump() for i in form.issues],
        form=app.form if detail else None,
        events=[Event(from_status=e.from_status, to_status=e.to_status, kind=e.kind or "status", actor=e.actor, note=e.note,
                      data=e.data, at=e.at) for e in app.events] if detail else [],
        profile_snapshot=app.profile_snapshot if detail else None, profile_version=app.profile_version,
        extra=app.extra if detail else None, inferred=list(app.inferred or []) if detail else [],
        pushed_at=app.pushed_at, decision=latest_decision(app), files=files, ledger=ref,
    )


def own_profile(settings: Any, user: Principal, profile: Profile) -> Profile:
    """An enterprise account files and saves only under its own name, whatever name the request carries."""
    if user.role != "enterprise" or not user.enterprise_id:
        return profile
    with session_scope(settings) as session:
        firm = session.get(Enterprise, user.enterprise_id)
    return profile.model_copy(update={"name": firm.name}) if firm else profile


def visible(session: Session, app_id: str, user: Principal) -> Application:
    """An enterprise reaching another firm's application, or a bank one not pushed to it, gets 404, as if it did
    not exist."""
    app = repo.get_application(session, app_id)
    if user.role == "enterprise" and app.enterprise_id != user.enterprise_id:
        raise repo.NotFound(f"没有编号为 {app_id} 的申请")
    if user.role == "bank" and not (app.pushed_at is not None and app.institution == user.institution):
        raise repo.NotFound(f"没有编号为 {app_id} 的申请")
    return app


def listed(session: Session, user: Principal, status: str | None = None, institution: str | None = None) -> list[Application]:
    """The applications an account may list: a firm its own, a bank those pushed to it, staff all."""
    if user.role == "enterprise":
        return repo.list_applications(session, status=status, enterprise_id=user.enterprise_id) if user.enterprise_id else []
    if user.role == "bank":
        return repo.list_applications(session, status=status, institution=user.institution, pushed_only=True) if user.institution else []
    return repo.list_applications(session, status=status, institution=institution)


def choose_product(catalog: list[Product], profile: Profile, product_id: str | None) -> Product:
    if product_id:
        product = next((p for p in catalog if p.id == product_id), None)
        if product is None:
            raise repo.NotFound(f"产品库中没有编号为 {product_id} 的产品")
        return product
    best = next((m for m in match_all(catalog, profile) if m.eligible), None)
    if best is None:
        raise AssistantError("根据现有信息没有符合条件的产品，请指定产品或补充企业信息")
    return next(p for p in catalog if p.id == best.product_id)


def create_application(settings: Any, user: Principal, profile: Profile, *, product_id: str | None, extra: dict[str, Any] | None,
                       inferred: set[str] | None = None, idempotency_key: str | None = None) -> ApplicationOut:
    """Pre-fill and store a draft for ``user`` (an enterprise files under its own firm; staff under the firm the
    profile names). ``product_id`` None picks the best eligible product; ``extra`` holds the facts that are not
    profile fields (validated as ``Extra``); ``inferred`` names form keys the system inferred — such a value does not
    overwrite one the firm stated before. ``idempotency_key`` (per account) makes a retry return the first draft."""
    inferred = set(inferred or ())
    facts = _validated_extra(extra)
    profile = own_profile(settings, user, profile)
    catalog = catalog_for(settings)
    key = f"{user.user_id}:{idempotency_key}" if idempotency_key else None  # keys are per account
    enterprise_id = user.enterprise_id if user.role == "enterprise" else None
    with session_scope(settings) as session:
        app = repo.find_idempotent(session, key)
        if app is None:
            # A value the system inferred (a founding date from the year alone) is the draft's, marked 系统推断; the
            # stored profile takes only what the firm stated, so a guess never becomes a fact for the next draft.
            firm = repo.enterprise_for(session, profile, enterprise_id)
            given = profile.model_dump(mode="json", exclude_none=True)
            guesses = {k: _get(given, PROFILE_FIELDS[k]) for k in inferred if k in PROFILE_FIELDS and _get(given, PROFILE_FIELDS[k]) is not None}
            for k in guesses:
                _set(given, PROFILE_FIELDS[k], None)
            pv = _merged(session, Profile.model_validate(_pruned(given)), firm.id)
            data = copy.deepcopy(pv.data)
            held: set[str] = set()
            for k, guess in guesses.items():
                stated = _get(data, PROFILE_FIELDS[k])
                if stated is not None and _agrees(k, stated, guess):
                    held.add(k)  # the firm stated it before (the exact date of the year it now names): 用户提供
                else:
                    _set(data, PROFILE_FIELDS[k], guess)
            merged = Profile.model_validate(_pruned(data))
            product = choose_product(catalog, merged, product_id)
            form = prefill(merged, product, facts, inferred=inferred - held)
            app = repo.create_application(session, merged, form, actor=user.actor, idempotency_key=key, enterprise_id=enterprise_id,
                                          profile_version=pv, extra=facts, inferred=inferred - held)
            session.flush()
            session.refresh(app)
        return to_out(app, session.get(Enterprise, app.enterprise_id), detail=True)


def edit_application(settings: Any, user: Principal, app_id: str, *, expected_version: int, fields: dict[str, Any] | None = None,
                     ip_list: list[dict[str, Any]] | None = None, note: str | None = None) -> ApplicationOut:
    """Set form fields of a draft (``fields``: form key → value in the profile's units — 元, 0–1, ISO dates — or None
    to clear) and/or replace its IP list (``ip_list``: rows as profile ``ip_assets``). Validated as a profile is; the
    form drafted again; one version further. Stale version → ConcurrentEditError; not a draft → WorkflowError;
    invalid input → InvalidFields (nothing stored)."""
    fields = dict(fields or {})
    catalog = catalog_for(settings)
    with session_scope(settings) as session:
        app = visible(session, app_id, user)
        repo.check_version(app, expected_version)
        check_editable(app.status)
        if app.profile_snapshot is None:
            raise AssistantError("该申请生成于系统升级之前，没有保存预填所依据的企业信息，无法在线修改；请重新生成申请")
        old_form = Form.model_validate(app.form)
        labels = {f.key: f.label for s in old_form.sections for f in s.fields}
        snapshot, facts = copy.deepcopy(app.profile_snapshot), dict(app.extra or {})
        errors: dict[str, str] = {}
        for key, raw in fields.items():
            value = _clean(raw)
            if key == "name":
                errors[key] = "企业名称以账号登记的企业为准，不能在申请中修改"
            elif key in SYSTEM_FIELDS:
                errors[key] = "由系统根据所选产品生成，不能修改"
            elif key in PROFILE_FIELDS:
                _set(snapshot, PROFILE_FIELDS[key], value)
            elif key in EXTRA_FIELDS:
                facts[key] = value
            else:
                errors[key] = "不是申请表中可以修改的项目"
        if ip_list is not None:
            snapshot["ip_assets"] = [{k: _clean(v) for k, v in row.items()} for row in ip_list] or None
        profile = None
        try:
            profile = Profile.model_validate(_pruned(snapshot))
        except ValidationError as exc:
            _collect(errors, exc)
        facts = {k: v for k, v in facts.items() if v is not None}
        try:
            facts = Extra.model_validate(facts).model_dump(exclude_none=True)
        except ValidationError as exc:
            for e in exc.errors():
                errors.setdefault(str(e["loc"][0]) if e["loc"] else "extra", _message(e))
        if errors or profile is None:
            raise InvalidFields(errors, labels)

        new_snapshot = profile.model_dump(mode="json", exclude_none=True)
        changed = [k for k in fields if k in PROFILE_FIELDS and _get(new_snapshot, PROFILE_FIELDS[k]) != _get(app.profile_snapshot, PROFILE_FIELDS[k])]
        changed += [k for k in fields if k in EXTRA_FIELDS and facts.get(k) != (app.extra or {}).get(k)]
        if ip_list is not None and new_snapshot.get("ip_assets") != app.profile_snapshot.get("ip_assets"):
            changed.append("ip_list")
        if not changed:  # nothing new: the draft stays as it is, no new version
            return to_out(app, session.get(Enterprise, app.enterprise_id), detail=True)

        product = next((p for p in catalog if p.id == app.product_id), None)
        if product is None:
            raise repo.NotFound(f"产品库中已没有编号为 {app.product_id} 的产品，请重新生成申请")
        inferred = set(app.inferred or []) - set(changed)  # what the user set is what the user said
        form = prefill(profile, product, facts, inferred=inferred)
        form.created = old_form.created
        what = "、".join(IP_LIST_LABEL if k == "ip_list" else labels.get(k, k) for k in changed)
        saved = repo.edit_draft(session, app_id, expected_version, user.actor, form=form, snapshot=new_snapshot, extra=facts,
                                inferred=inferred, changed=changed, note=f"修改：{what}" + (f"；{note}" if note else ""))
        _remember(session, saved.enterprise_id, profile, changed)
        return to_out(saved, session.get(Enterprise, saved.enterprise_id), detail=True)


# -- helpers ------------------------------------------------------------------------------------------------------

def profile_errors(exc: ValidationError) -> InvalidFields:
    """A profile that does not validate (e.g. once merged with the stored one) as per-field errors."""
    return InvalidFields(_collect({}, exc))


def _merged(session: Session, profile: Profile, enterprise_id: str) -> Any:
    """``repo.save_profile`` with a merged profile that does not validate turned into per-field errors."""
    try:
        return repo.save_profile(session, profile, source="application", enterprise_id=enterprise_id)
    except ValidationError as exc:
        raise profile_errors(exc) from None


def _remember(session: Session, enterprise_id: str, profile: Profile, changed: list[str]) -> None:
    """What an edit says about the firm (profile fields, IP assets) goes into its stored profile as well, merged."""
    given: dict[str, Any] = {"name": profile.name}
    data = profile.model_dump(mode="json", exclude_none=True)
    for key in changed:
        if key in PROFILE_FIELDS and _get(data, PROFILE_FIELDS[key]) is not None:
            _set(given, PROFILE_FIELDS[key], _get(data, PROFILE_FIELDS[key]))
    if "ip_list" in changed and data.get("ip_assets"):
        given["ip_assets"] = data["ip_assets"]
    if len(given) == 1:
        return
    try:
        repo.save_profile(session, Profile.model_validate(given), source="application", enterprise_id=enterprise_id)
    except ValidationError as exc:  # the stored profile disagrees (e.g. its R&D staff exceed the new headcount): keep the draft's edit
        log.warning("edit not merged into the stored profile of %s: %d conflicts", enterprise_id, len(exc.errors()))
    except AssistantError as exc:  # the credit code belongs to another firm
        raise InvalidFields({"uscc": exc.message}) from None


def _agrees(key: str, stated: Any, guess: Any) -> bool:
    """A stated value the guess does not contradict: for a founding date guessed from its year, the same year."""
    if key == "founded":
        return str(stated)[:4] == str(guess)[:4]
    return bool(stated == guess)


def _validated_extra(extra: dict[str, Any] | None) -> dict[str, Any]:
    try:
        return Extra.model_validate({k: _clean(v) for k, v in (extra or {}).items()}).model_dump(exclude_none=True)
    except ValidationError as exc:
        raise InvalidFields({str(e["loc"][0]) if e["loc"] else "extra": _message(e) for e in exc.errors()}) from None


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _get(data: dict[str, Any] | None, path: Iterable[str]) -> Any:
    node: Any = data or {}
    for part in path:
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def _set(data: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    node = data
    for part in path[:-1]:
        if not isinstance(node.get(part), dict):
            node[part] = {}
        node = node[part]
    node[path[-1]] = value


def _pruned(data: dict[str, Any]) -> dict[str, Any]:
    """Without the ``None`` values and the empty ``need`` they may leave (the profile's JSON as stored)."""
    out = {k: v for k, v in data.items() if v is not None}
    if isinstance(out.get("need"), dict):
        need = {k: v for k, v in out["need"].items() if v is not None}
        if need:
            out["need"] = need
        else:
            out.pop("need")
    return out


_FORM_KEY = {path: key for key, path in PROFILE_FIELDS.items()}


def _message(error: Any) -> str:
    """The Chinese reason of one pydantic error worded as the API words it for a profile, without the field's
    label (an error about no field is labelled by the whole object, whose name holds no “：”)."""
    text = describe_errors([{**error, "loc": ()}])[0]
    return text.split("：", 1)[1] if "：" in text else text


def _profile_errors(error: Any) -> list[tuple[str, str]]:
    """(form key, message) pairs for one error of the profile: ``ip_assets[i]…`` is IP row ``ip_list[i]``; an error
    about several fields (more R&D staff than employees) stands at each of them."""
    loc = tuple(error.get("loc") or ())
    if loc[:1] == ("ip_assets",) and len(loc) >= 2 and isinstance(loc[1], int):
        column = IP_COLUMN_LABELS.get(str(loc[2]), "") if len(loc) > 2 else ""  # the IP list's own column names (到期日)
        return [(f"ip_list[{loc[1]}]", f"{column}：{_message(error)}" if column else _message(error))]
    concerned = (error.get("ctx") or {}).get("fields") if error.get("type") == "cross_field" else None
    if isinstance(concerned, list | tuple) and concerned:
        keys = [_FORM_KEY.get((*loc, *str(f).split(".")), "") for f in concerned]
        if all(keys):
            return [(k, _message(error)) for k in keys]
    for n in (2, 1):
        if loc[:n] in _FORM_KEY:
            return [(_FORM_KEY[loc[:n]], _message(error))]
    return [(".".join(map(str, loc)) or "profile", _message(error))]


# Columns of the 拟质押知识产权清单, as the form and the PDF name them.
IP_COLUMN_LABELS = {"type": "类型", "number": "号码", "title": "名称", "owner": "权利人", "granted": "授权日", "expires": "到期日",
                    "status": "法律状态", "pledged": "是否已质押", "valuation": "评估值"}


def _collect(errors: dict[str, str], exc: ValidationError) -> dict[str, str]:
    """Every error, each once: a row of the IP list gathers all its problems (a bad valuation and a bad expiry)."""
    for e in exc.errors():
        for key, message in _profile_errors(e):
            if key not in errors:
                errors[key] = message
            elif message not in errors[key].split("；"):
                errors[key] += "；" + message
    return errors


_EXTRA_LABELS = {"contact_person": "联系人", "contact_phone": "联系电话", "contact_email": "联系邮箱", "legal_rep": "法定代表人",
                 "registered_address": "注册地址", "office_address": "办公地址", "registered_capital": "注册资本", "first_loan": "是否首次贷款",
                 "profile": "企业信息", "extra": "申请信息"}


def _label_for(key: str, labels: dict[str, str]) -> str:
    """The form's own label when known, else the profile's or the extra facts' Chinese name."""
    if key.startswith("ip_list[") and key.endswith("]") and key[8:-1].isdigit():
        return f"{IP_LIST_LABEL}第{int(key[8:-1]) + 1}项"
    return labels.get(key) or _EXTRA_LABELS.get(key) or FIELD_LABELS.get(key) or key


# -- the bank side ------------------------------------------------------------------------------------------------

MAX_RATE = 24.0  # % a year: the product schema's ceiling, and the judicial protection line of private lending
MAX_TERM = 360
MATERIAL_TYPES = {".pdf": "application/pdf", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
                  ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                  ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".zip": "application/zip"}
# What each kind of file starts with: a renamed file is refused as what it really is not.
_MAGIC = {".pdf": (b"%PDF",), ".jpg": (b"\xff\xd8\xff",), ".jpeg": (b"\xff\xd8\xff",), ".png": (b"\x89PNG",),
          ".docx": (b"PK\x03\x04",), ".xlsx": (b"PK\x03\x04",), ".zip": (b"PK\x03\x04",)}


def decide(settings: Any, user: Principal, app_id: str, *, decision: str, expected_version: int, amount: float | None = None,
           rate: float | None = None, term_months: int | None = None, note: str | None = None, reason: str | None = None) -> ApplicationOut:
    """A bank's answer to an application pushed to it (staff may record one on a bank's behalf, e.g. told by
    phone). 批准 needs amount, rate and term; 拒绝 and 补充材料 need a note; 放款 confirms the approved loan was paid
    out (its amount defaults to the approved one). Field errors → InvalidFields, nothing stored."""
    note = (note or "").strip() or None
    errors: dict[str, str] = {}
    if decision not in DECISIONS:
        errors["decision"] = f"须为以下之一：{'、'.join(DECISIONS)}"
    if decision == "批准":
        if amount is None:
            errors["amount"] = "批准须填写批准金额（元）"
        if rate is None:
            errors["rate"] = "批准须填写年化利率（%）"
        if term_months is None:
            errors["term_months"] = "批准须填写期限（月）"
    if decision in ("拒绝", "补充材料") and not note:
        errors["note"] = "拒绝须说明原因" if decision == "拒绝" else "请写明需要补充的材料"
    if amount is not None and not 0 < amount <= 1e10:
        errors["amount"] = "金额须大于0（单位：元）"
    if rate is not None and not 0 < rate <= MAX_RATE:
        errors["rate"] = f"年化利率须大于0且不超过{MAX_RATE:g}%"
    if term_months is not None and not 1 <= term_months <= MAX_TERM:
        errors["term_months"] = f"期限须在1至{MAX_TERM}个月之间"
    if reason is not None and reason not in REJECT_REASONS:
        errors["reason"] = f"须为以下之一：{'、'.join(REJECT_REASONS)}"
    if errors:
        raise InvalidFields(errors, {"decision": "答复", "amount": "金额", "rate": "年化利率", "term_months": "期限", "note": "说明",
                                     "reason": "拒绝原因"})
    with session_scope(settings) as session:
        app = visible(session, app_id, user)
        if app.pushed_at is None:
            raise WorkflowError(f"申请当前为“{app.status}”，尚未推送银行，银行还不能答复")
        terms: dict[str, Any] = {"amount": amount, "rate": rate, "term_months": term_months}
        if decision == "拒绝":
            terms["reason"] = reason or "其他"
        if decision == "放款":
            approved = latest_decision(app)
            if approved is not None and approved.decision == "批准":
                terms = {"amount": amount or approved.amount, "rate": rate or approved.rate, "term_months": term_months or approved.term_months}
        if user.role != "bank":
            terms["recorded_by_center"] = True
        terms["institution"] = app.institution
        moved = repo.decide(session, app_id, decision, user.actor, expected_version, note=note, terms=terms)
        return to_out(moved, session.get(Enterprise, moved.enterprise_id), detail=True, session=session)


def check_material(filename: str, body: bytes, max_bytes: int) -> tuple[str, str]:
    """(clean file name, content type) of an uploaded material file, or a Chinese reason it is refused."""
    name = PurePath(filename.replace("\\", "/")).name.strip()[:200] or "材料"
    suffix = PurePath(name).suffix.lower()
    if suffix not in MATERIAL_TYPES:
        raise AssistantError(f"文件“{name}”的类型不支持；可上传：{'、'.join(s.lstrip('.').upper() for s in MATERIAL_TYPES)}")
    if not body:
        raise AssistantError(f"文件“{name}”是空文件")
    if len(body) > max_bytes:
        raise AssistantError(f"文件“{name}”超过 {max_bytes / 1e6:g} MB 上限")
    if not body.startswith(_MAGIC[suffix]):
        raise AssistantError(f"文件“{name}”的内容不是 {suffix.lstrip('.').upper()} 格式，请检查后重新上传")
    return name, MATERIAL_TYPES[suffix]


def add_material(settings: Any, user: Principal, app_id: str, files: list[tuple[str, bytes]], note: str | None = None) -> ApplicationOut:
    """A firm (or staff for it) adds material to its application; every file is checked before any is stored."""
    checked = [(*check_material(name, body, settings.max_upload_bytes), body) for name, body in files]
    if not checked:
        raise AssistantError("请选择要上传的材料文件")
    with session_scope(settings) as session:
        app = visible(session, app_id, user)
        if user.role == "bank":
            raise AssistantError("补充材料由企业上传；银行请通过“补充材料”答复告知企业")
        saved = repo.add_files(session, app.id, checked, user.actor, (note or "").strip() or None)
        return to_out(saved, session.get(Enterprise, saved.enterprise_id), detail=True, session=session)


def push(settings: Any, user: Principal, app_ids: list[str]) -> list[dict[str, Any]]:
    """Push applications to the bank of their product, each on its own (one that cannot be pushed does not hold
    the others back). A submitted one is accepted by the center on the way (已提交 → 受理中 → 已推送银行)."""
    results = []
    for app_id in dict.fromkeys(app_ids):
        try:
            with session_scope(settings) as session:
                app = repo.get_application(session, app_id)
                if app.status == "已提交":
                    app = repo.transition(session, app_id, "受理中", user.actor, "批量推送：服务中心受理", app.version)
                app = repo.transition(session, app_id, "已推送银行", user.actor, f"推送至{app.institution}", app.version)
                results.append({"id": app_id, "ok": True, "status": app.status, "institution": app.institution})
        except AssistantError as exc:
            results.append({"id": app_id, "ok": False, "error": exc.message})
    return results


def push_whitelist(settings: Any, user: Principal, profiles: list[Profile], product_id: str | None = None) -> list[dict[str, Any]]:
    """白名单推送: for each firm of a whitelist, a financing demand drafted from its profile for the given product
    (or its best eligible one) and pushed straight to that product's bank; the bank contacts the firm for the
    formal application, so fields still 待补充 do not hold it back. A firm the product does not fit is not pushed,
    with the reason."""
    catalog = catalog_for(settings)
    results: list[dict[str, Any]] = []
    for profile in profiles:
        row: dict[str, Any] = {"name": profile.name}
        try:
            if product_id:
                product = choose_product(catalog, profile, product_id)
                m = match_all([product], profile)[0]
                if m.eligible is False:
                    failed = [r["message"] for r in m.reasons if r["status"] == "fail"]
                    raise AssistantError(f"不符合{product.name}的条件：{'；'.join(failed)}")
            made = create_application(settings, user, profile, product_id=product_id, extra=None)
            with session_scope(settings) as session:
                app = repo.push_demand(session, made.id, user.actor, "白名单批量推送（融资需求，正式申请材料由银行对接时补充）")
                row.update(ok=True, id=app.id, product_id=app.product_id, product_name=made.product_name, institution=app.institution,
                           status=app.status)
        except AssistantError as exc:
            row.update(ok=False, error=exc.message)
        results.append(row)
    return results
