"""Shared pieces of the pages: the logged-in client, labels, formatting, and the renderers that more than one
page uses (citations, match results, downloads, background-job progress)."""

from __future__ import annotations

import time
from typing import Any

import pandas as pd
import streamlit as st

from assistant.applications.workflow import DECISIONS, REJECT_REASONS, STATUSES, manual_targets
from assistant.auth.users import ROLE_LABELS
from assistant.products.schema import INSTITUTIONS
from assistant.profile.qualifications import CANONICAL as CANONICAL_QUALIFICATIONS
from ui.client import ApiClient, ApiError

ROLE_PAGES = {
    "enterprise": ("consult", "applications"),
    "staff": ("consult", "match", "applications", "stats"),
    "policy_admin": ("consult", "knowledge", "stats"),
    "bank": ("workbench",),
}
# Shared definitions the UI imports from assistant (plain data, no I/O; see ui/README.md): the qualification vocabulary,
# the workflow's statuses and decisions, the banks and the role names have one owner each, so the pages offer exactly
# what the API accepts.
__all__ = ["DECISIONS", "INSTITUTIONS", "REJECT_REASONS", "ROLE_LABELS", "STATUSES", "manual_targets"]
QUALIFICATIONS = CANONICAL_QUALIFICATIONS
IP_TYPES = ("发明专利", "实用新型", "外观设计", "商标", "著作权", "软件著作权")
LEVELS = ("国家", "陕西省", "西安市", "西咸新区", "其他")
RETIRED_STATUSES = ("已废止", "已失效", "已被替代")
VERDICT = {True: "符合", None: "需补充", False: "不符合"}
VERDICT_ICON = {True: ":green[:material/check_circle:]", None: ":orange[:material/help:]", False: ":red[:material/cancel:]"}
RULE_ICON = {"pass": ":green[:material/check_circle:]", "fail": ":red[:material/cancel:]", "unknown": ":orange[:material/help:]"}
SOURCE_COLORS = {"用户提供": "#e8f5e9", "系统推断": "#e3f2fd", "待补充": "#fff3e0"}
PLACEHOLDER_NAMES = ("咨询企业（未提供名称）",)
FIELD_LABELS = {
    "name": "企业名称", "uscc": "统一社会信用代码", "region": "注册地", "founded": "成立日期", "industry": "所属行业",
    "employees": "职工人数", "rd_staff": "研发人员数", "revenue": "上年营业收入", "net_profit": "净利润",
    "total_assets": "资产总额", "debt_ratio": "资产负债率", "qualifications": "资质", "whitelist": "列入融资白名单",
    "credit_ok": "征信良好", "ip_assets": "知识产权清单", "ip_counts": "知识产权数量", "need": "融资需求",
}


# -- session and client ---------------------------------------------------------------------------------------

def client() -> ApiClient:
    return ApiClient(token=st.session_state.get("token"))


def me() -> dict[str, Any]:
    return st.session_state.get("me") or {}


def role() -> str | None:
    return me().get("role")


def logout(message: str | None = None) -> None:
    """Forget the token and everything fetched with it (keeps nothing of one account for the next), and have the
    browser drop its session cookie; the cookie this page was loaded with is not restored again."""
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    st.session_state["cookie_checked"] = True
    st.session_state["cookie_write"] = "clear"
    if message:
        st.session_state["flash"] = message


def show_error(exc: ApiError, where: Any = None) -> None:
    """A Chinese error box; a 401 means the token expired: log out and go back to the login page."""
    target = where or st
    if exc.unauthorized and st.session_state.get("token"):
        logout("登录已过期，请重新登录")
        st.rerun()
    # the API sends one error as the detail, several as a headline plus the list: each is shown once
    target.error(md(exc.message), icon=":material/error:")
    if exc.errors:
        target.markdown("\n".join(f"- {md(e)}" for e in exc.errors))


def call(fn: Any, *args: Any, where: Any = None, **kwargs: Any) -> Any:
    """Run one API call; on failure show the Chinese error and return None."""
    try:
        return fn(*args, **kwargs)
    except ApiError as exc:
        show_error(exc, where)
        return None


# -- formatting -----------------------------------------------------------------------------------------------

_MD_ESCAPES = str.maketrans({"\\": "\\\\", "$": "\\$", "~": "\\~", "*": "\\*", "_": "\\_", "`": "\\`", "#": "\\#", "|": "\\|"})


def md(text: str | None) -> str:
    """Plain text for st.markdown: no accidental LaTeX ($), strike-through (~), emphasis, code; line breaks kept."""
    return (text or "").translate(_MD_ESCAPES).replace("\n", "  \n")


def wan(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value / 1e4:,.2f}".rstrip("0").rstrip(".") + "万元"


def yuan(value: float | None) -> str:
    return "" if value is None else f"{value:,.0f}元"


def amount_range(r: dict[str, Any] | None) -> str:
    if not r:
        return ""
    lo, hi = r.get("min"), r.get("max")
    if lo is None and hi is None:
        return ""
    fmt = (lambda x: f"{x / 1e4:g}")  # noqa: E731
    return f"{fmt(lo) if lo is not None else '—'}–{fmt(hi) if hi is not None else '—'}万元"


def yes_no(value: Any) -> str:
    return {True: "是", False: "否"}.get(value, "未知")


def profile_rows(profile: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, value) pairs of a profile, in Chinese, skipping empty fields."""
    rows: list[tuple[str, str]] = []
    for key, label in FIELD_LABELS.items():
        value = profile.get(key)
        if value in (None, "", [], {}):
            continue
        if key in ("revenue", "net_profit", "total_assets"):
            text = wan(value)
        elif key == "debt_ratio":
            text = f"{value * 100:g}%"
        elif key in ("whitelist", "credit_ok"):
            text = yes_no(value)
        elif key == "qualifications":
            text = "、".join(value)
        elif key == "ip_counts":
            text = "、".join(f"{t}{n}件" for t, n in value.items())
        elif key == "ip_assets":
            text = f"{len(value)}项"
        elif key == "need":
            parts = [wan(value.get("amount")) if value.get("amount") else "",
                     f"{value['term_months']}个月" if value.get("term_months") else "", value.get("purpose") or ""]
            text = "，".join(p for p in parts if p)
        else:
            text = str(value)
        if text:
            rows.append((label, text))
    return rows


def render_profile(profile: dict[str, Any], where: Any = None) -> None:
    target = where or st
    rows = profile_rows(profile)
    if not rows:
        target.caption("还没有了解到企业信息。可以在对话中告诉我：注册地、成立年份、知识产权数量、融资金额等。")
        return
    target.markdown("\n".join(f"- **{label}**：{md(value)}" for label, value in rows))


# -- citations ------------------------------------------------------------------------------------------------

def citation_label(c: dict[str, Any]) -> str:
    label = f"[{c.get('n')}] {c.get('title') or c.get('doc_id')}"
    if c.get("doc_number"):
        label += f"（{c['doc_number']}）"
    if c.get("expired"):
        label += " · 已失效"
    return label


def render_citations(citations: list[dict[str, Any]]) -> None:
    if not citations:
        return
    st.caption("来源")
    for c in citations:
        with st.expander(citation_label(c), icon=":material/description:"):
            meta = [f"文号：{c['doc_number']}" if c.get("doc_number") else "", f"第{c['page']}页" if c.get("page") else "",
                    c.get("article") or "", c.get("section") or ""]
            st.caption(" · ".join(m for m in meta if m) or (c.get("source") or ""))
            if c.get("expired"):
                st.warning("该文件已失效，内容仅供了解历史政策，请以现行文件为准。", icon=":material/schedule:")
            if c.get("ocr"):
                st.caption("这段文字由扫描件识别（OCR）得到，个别字可能有误，数字与日期请以原件为准。")
            st.markdown(md(c.get("text")))


# -- match results --------------------------------------------------------------------------------------------

def match_table(matches: list[dict[str, Any]]) -> pd.DataFrame:
    rows = []
    for i, m in enumerate(matches, start=1):
        subsidy = sum(s.get("amount") or 0 for s in m.get("subsidies") or [] if s.get("counted"))
        rows.append({
            "排名": i, "产品": m.get("name"), "机构": m.get("institution"), "类别": m.get("category"),
            "结论": VERDICT.get(m.get("eligible"), "需补充"), "匹配分": m.get("score"),
            "参考额度": amount_range(m.get("indicative_amount")), "预计首年补贴（元）": round(subsidy, 2) if subsidy else None,
            "待补充": "、".join(m.get("missing") or []),
        })
    return pd.DataFrame(rows)


def render_match_detail(m: dict[str, Any]) -> None:
    reasons = m.get("reasons") or []
    if reasons:
        st.markdown("\n".join(f"- {RULE_ICON.get(r.get('status'), '•')} {md(r.get('message'))}" for r in reasons))
    if m.get("missing"):
        st.markdown("**待补充信息**：" + md("、".join(m["missing"])))
    if m.get("hints"):
        st.markdown("**如何满足条件**：" + md("；".join(m["hints"])))
    subsidies = m.get("subsidies") or []
    if subsidies:
        st.markdown("**可享补贴（首年估算）**")
        st.dataframe(pd.DataFrame([{"补贴": s.get("name"), "金额（元）": s.get("amount"), "计入合计": "是" if s.get("counted") else "否（与其他补贴不叠加）",
                                    "政策依据": s.get("basis")} for s in subsidies]), hide_index=True, width="stretch")


def render_match_result(result: dict[str, Any], *, detail_limit: int | None = None) -> None:
    """Ranked products with 符合/需补充/不符合, reasons, missing information, near misses and subsidies."""
    matches = result.get("matches") or []
    if not matches:
        st.info("产品库中暂无产品。")
        return
    counts = {v: sum(1 for m in matches if m.get("eligible") is k) for k, v in VERDICT.items()}
    c1, c2, c3 = st.columns(3)
    c1.metric("符合", counts["符合"])
    c2.metric("需补充", counts["需补充"])
    c3.metric("不符合", counts["不符合"])
    for ask in result.get("ask_next") or []:
        st.info(ask, icon=":material/lightbulb:")
    st.dataframe(match_table(matches), hide_index=True, width="stretch")
    shown = matches if detail_limit is None else matches[:detail_limit]
    st.markdown("**各产品的判断理由**")
    for i, m in enumerate(shown, start=1):
        label = f"{i}. {m.get('institution')}「{m.get('name')}」 · {VERDICT_ICON.get(m.get('eligible'), '')} {VERDICT.get(m.get('eligible'), '需补充')} · {m.get('score')}分"
        with st.expander(label):
            render_match_detail(m)
    near = result.get("near_misses") or []
    if near:
        st.markdown("**差一个条件即可申请**")
        for m in near:
            hint = "；".join(m.get("hints") or []) or "；".join(r.get("message", "") for r in m.get("reasons") or [] if r.get("status") == "fail")
            st.markdown(f"- {md(m.get('institution'))}「{md(m.get('name'))}」：{md(hint)}")


# -- downloads and jobs ---------------------------------------------------------------------------------------

def cached_download(cache_key: str, method: str, path: str, default_name: str, **kwargs: Any) -> Any:
    """Fetch a file once per key (e.g. application id + version + format) and keep it for the download button."""
    cache: dict[str, Any] = st.session_state.setdefault("downloads", {})
    if cache_key not in cache:
        try:
            cache[cache_key] = client().download(method, path, default_name, **kwargs)
        except ApiError as exc:
            show_error(exc)
            return None
    return cache[cache_key]


def application_downloads(app: dict[str, Any], key: str) -> None:
    cols = st.columns(2)
    for col, (fmt, label, mime) in zip(cols, (("pdf", "下载 PDF 申请表", "application/pdf"),
                                              ("docx", "下载 Word 申请表", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")), strict=True):
        doc = cached_download(f"app:{app['id']}:{app['version']}:{fmt}", "GET", f"/applications/{app['id']}/document",
                              f"申请表-{app['id'][:8]}.{fmt}", params={"format": fmt})
        if doc is not None:
            col.download_button(label, doc.content, file_name=doc.filename, mime=mime, key=f"{key}-{fmt}", icon=":material/download:", on_click="ignore")


def wait_for_job(job_id: str, label: str, timeout: float = 600.0) -> dict[str, Any] | None:
    """Poll a background job with a progress bar until it is done or failed."""
    bar = st.progress(0.0, text=f"{label}：排队中")
    api = client()
    deadline = time.monotonic() + timeout
    while True:
        try:
            job = api.job(job_id)
        except ApiError as exc:
            show_error(exc)
            return None
        progress = float(job.get("progress") or 0.0)
        bar.progress(min(max(progress, 0.0), 1.0), text=f"{label}：{job.get('message') or job.get('status')}（{progress:.0%}）")
        if job.get("status") == "done":
            bar.progress(1.0, text=f"{label}：已完成")
            return job
        if job.get("status") == "failed":
            st.error(f"{label}失败：{job.get('message') or '原因未知'}", icon=":material/error:")
            return job
        if time.monotonic() > deadline:
            st.warning(f"{label}仍在进行，请稍后刷新查看（任务编号 {job_id}）")
            return job
        time.sleep(0.3)


# -- the bank's answers, as the firm and the center see them ---------------------------------------------------

def decision_text(d: dict[str, Any]) -> str:
    """One line for a bank decision: what was decided, the terms, the note."""
    terms = []
    if d.get("amount"):
        terms.append(f"金额 {wan(d['amount'])}")
    if d.get("rate"):
        terms.append(f"年化利率 {d['rate']:g}%")
    if d.get("term_months"):
        terms.append(f"期限 {d['term_months']} 个月")
    if d.get("decision") == "拒绝" and d.get("reason"):
        terms.append(f"原因：{d['reason']}")
    text = f"**{d.get('decision', '')}**" + (f"（{'，'.join(terms)}）" if terms else "")
    return text + (f"：{md(d.get('note'))}" if d.get("note") else "")


def bank_decision(app: dict[str, Any]) -> None:
    """The bank's latest answer on an application, in the colour of what it means for the firm."""
    d = app.get("decision")
    if not d:
        if app.get("status") == "已推送银行":
            st.info(f"已推送至{app.get('institution', '银行')}，等待银行答复。", icon=":material/schedule_send:")
        return
    line = f"{app.get('institution', '银行')}答复 {decision_text(d)}"
    if d.get("decision") in ("批准", "放款"):
        st.success(line, icon=":material/verified:")
    elif d.get("decision") == "拒绝":
        st.error(line, icon=":material/block:")
    elif d.get("decision") == "补充材料":
        st.warning(line + ("　请在“办理”中上传补充材料。" if app.get("status") == "待补充材料" else ""), icon=":material/upload_file:")
    else:
        st.info(line, icon=":material/hourglass_top:")


MATERIAL_STATUSES = ("待补充材料", "银行受理中", "已推送银行")


def material_upload(app: dict[str, Any], key: str) -> None:
    """The material files of an application, and (for the firm and staff, while the bank is deciding) an upload."""
    files = app.get("files") or []
    if files:
        st.markdown("**已补充的材料**")
        for f in files:
            doc = cached_download(f"file:{app['id']}:{f['id']}", "GET", f"/applications/{app['id']}/files/{f['id']}", f["filename"])
            if doc is not None:
                st.download_button(f"{f['filename']}（{f['size'] / 1024:.0f} KB）", doc.content, file_name=f["filename"], mime=f["content_type"],
                                   key=f"{key}-dl-{f['id']}", icon=":material/attach_file:", on_click="ignore")
    if role() not in ("enterprise", "staff") or app.get("status") not in MATERIAL_STATUSES:
        return
    with st.form(f"{key}-form", clear_on_submit=True):
        st.markdown("**上传补充材料**（PDF、图片、Word、Excel、ZIP）")
        uploads = st.file_uploader("材料文件", accept_multiple_files=True, key=f"{key}-files",
                                   type=["pdf", "jpg", "jpeg", "png", "docx", "xlsx", "zip"])
        note = st.text_input("说明（可选）", key=f"{key}-note", max_chars=500)
        sent = st.form_submit_button("上传", icon=":material/upload:")
    if sent:
        if not uploads:
            st.warning("请先选择要上传的文件")
            return
        try:
            saved = client().post(f"/applications/{app['id']}/files", files=[("files", (u.name, u.getvalue(), u.type or "application/octet-stream")) for u in uploads],
                                  data={"note": note} if note.strip() else None)
        except ApiError as exc:
            show_error(exc)
            return
        st.session_state.setdefault("app_details", {})[app["id"]] = saved
        st.session_state["app_notice"] = f"已上传 {len(uploads)} 份材料" + ("，申请已回到“银行受理中”。" if saved.get("status") == "银行受理中" and app.get("status") == "待补充材料" else "。")
        st.rerun()
