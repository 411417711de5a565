"""申请管理: the queue (filters by status and bank), one application — always named on screen by its number, firm
and product — with the source of every field, issues and history, a draft's editable form, a status change guarded
by the version the user saw, and PDF/DOCX downloads. Enterprises see only their own applications (the API enforces it).

The application shown is kept by its id in session state (``apps_current``) and restored by id on every run, never
by its position in the list: a status change re-labels nothing and re-sorts nothing that could move the page to
another application."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pandas as pd
import streamlit as st

from assistant.units import cn_datetime
from ui.client import ApiError
from ui.common import (
    INSTITUTIONS,
    IP_TYPES,
    QUALIFICATIONS,
    SOURCE_COLORS,
    STATUSES,
    application_downloads,
    bank_decision,
    call,
    client,
    manual_targets,
    material_upload,
    md,
    role,
    show_error,
)

S = st.session_state
S.setdefault("app_details", {})  # id → the detail as the user last loaded it (its version guards the next change)
S.setdefault("app_notice", None)
S.setdefault("app_edit_errors", {})  # "id:version" → {field key: reason} of the last refused save

SOURCE_BADGE = {"用户提供": ":green-badge[用户提供]", "系统推断": ":blue-badge[系统推断]", "待补充": ":orange-badge[待补充]"}
IP_LABEL = "拟质押知识产权清单"
EVENT_KINDS = {"status": "状态变更", "edit": "修改申请信息", "decision": "银行答复", "material": "补充材料"}
# where each form field's value lives (the API's contract: profile fields in 元 / 0–1 / ISO dates, the rest in "extra")
EXTRA = {"contact_person", "contact_phone", "contact_email", "legal_rep", "registered_address", "office_address", "registered_capital", "first_loan"}
NEED = {"amount", "term_months", "purpose"}
TEXT = {"uscc", "industry", "purpose", "registered_address", "office_address", "registered_capital", "legal_rep", "contact_person",
        "contact_phone", "contact_email"}
INTEGER = {"employees": (0, 1_000_000), "rd_staff": (0, 1_000_000), "term_months": (1, 120)}
WAN = {"revenue", "net_profit", "total_assets", "amount"}  # shown in 万元, sent in 元
BOOL = {"whitelist", "credit_ok", "first_loan"}
NONE_QUALIFICATION = "无"
IP_COLUMNS = {"type": "类型", "number": "号码", "title": "名称", "owner": "权利人", "expires": "到期日", "status": "法律状态",
              "pledged": "已质押", "valuation": "评估值（万元）"}


def _load(app_id: str) -> dict[str, Any] | None:
    detail = call(client().get, f"/applications/{app_id}")
    if detail:
        S["app_details"][app_id] = detail
    return detail


def _label(a: dict[str, Any]) -> str:
    """How an application is named on screen: number, firm, product (never its status, which changes)."""
    return f"{a['id'][:8]} · {a['enterprise_name']} · {a['institution']}「{a['product_name']}」"


def _picked() -> None:
    if S.get("apps_selected") in S.get("apps_known", ()):
        S["apps_current"] = S["apps_selected"]


# -- the draft's form -----------------------------------------------------------------------------------------------

def _current(detail: dict[str, Any], key: str) -> Any:
    if key in EXTRA:
        return (detail.get("extra") or {}).get(key)
    snapshot = detail.get("profile_snapshot") or {}
    return (snapshot.get("need") or {}).get(key) if key in NEED else snapshot.get(key)


def _nan(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _input(field: dict[str, Any], detail: dict[str, Any], wkey: str) -> tuple[Any, Any]:
    """The widget of one form field; returns (value the user sees now, value in the API's units to send)."""
    key, label = field["key"], field["label"] + (" *" if field.get("required") else "")
    cur = _current(detail, key)
    if key in TEXT:
        shown = cur if cur is not None else (field.get("value") if key == "registered_address" else None)  # inferred from the region
        typed = st.text_input(label, value=shown or "", key=wkey)
        return shown, typed.strip() or None
    if key in INTEGER:
        low, high = INTEGER[key]
        number = st.number_input(label, value=cur, min_value=low, max_value=high, step=1, key=wkey)
        return cur, None if number is None else int(number)
    if key in WAN:
        number = st.number_input(label + "（万元）", value=None if cur is None else cur / 1e4, min_value=None if key == "net_profit" else 0.0,
                                 step=10.0, key=wkey)
        sent = None if number is None else round(number * 1e4, 2)
        return cur, cur if cur is not None and sent is not None and abs(sent - cur) < 0.01 else sent
    if key == "debt_ratio":
        number = st.number_input(label + "（%）", value=None if cur is None else round(cur * 100, 4), min_value=0.0, max_value=100.0,
                                 step=1.0, key=wkey)
        sent = None if number is None else round(number / 100, 6)
        return cur, cur if cur is not None and sent is not None and abs(sent - cur) < 1e-9 else sent
    if key in BOOL:
        choice = st.selectbox(label, (None, True, False), index=(None, True, False).index(cur) if cur in (None, True, False) else 0,
                              format_func=lambda v: {None: "未填写", True: "是", False: "否"}[v], key=wkey)
        return cur, choice
    if key == "founded":
        day = dt.date.fromisoformat(cur) if isinstance(cur, str) else None
        chosen = st.date_input(label, value=day, min_value=dt.date(1949, 10, 1), max_value=dt.date.today(), format="YYYY-MM-DD", key=wkey)
        return cur, chosen.isoformat() if isinstance(chosen, dt.date) else None
    if key == "qualifications":
        options = list(dict.fromkeys([*QUALIFICATIONS, *(cur or []), NONE_QUALIFICATION]))
        chosen_list = st.multiselect(label, options, default=[NONE_QUALIFICATION] if cur == [] else list(cur or []), key=wkey,
                                     help="企业没有任何资质时选“无”")
        named = [q for q in chosen_list if q != NONE_QUALIFICATION]
        return cur, named if named else ([] if NONE_QUALIFICATION in chosen_list else None)
    # the firm's name (fixed by its account) and what the product decides: shown, not edited
    st.text_input(label, value="" if field.get("value") is None else _display(field.get("value")), disabled=True, key=wkey,
                  help="由系统根据所选产品和登记的企业生成")
    return None, None


def _display(value: Any) -> str:
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def _ip_frame(detail: dict[str, Any]) -> pd.DataFrame:
    snapshot = detail.get("profile_snapshot") or {}
    rows = []
    for a in snapshot.get("ip_assets") or []:
        rows.append({"type": a.get("type"), "number": a.get("number"), "title": a.get("title"), "owner": a.get("owner"),
                     "expires": a.get("expires"), "status": a.get("status"),
                     "pledged": None if a.get("pledged") is None else ("是" if a["pledged"] else "否"),
                     "valuation": None if a.get("valuation") is None else a["valuation"] / 1e4})
    if not rows:  # only the numbers were said: one line per item to fill in
        for ip_type, n in (snapshot.get("ip_counts") or {}).items():
            rows += [{"type": ip_type} for _ in range(min(int(n or 0), 20))]
    return pd.DataFrame(rows, columns=list(IP_COLUMNS)).astype(object)


def _ip_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The editor's rows as the API's IP assets (元, booleans), empty lines dropped."""
    out = []
    for record in frame.to_dict("records"):
        row: dict[str, Any] = {}
        for key, value in record.items():
            if _nan(value) or (isinstance(value, str) and not value.strip()):
                continue
            if key == "pledged":
                row[key] = value == "是"
            elif key == "valuation":
                row[key] = round(float(value) * 1e4, 2)
            elif key == "expires" and isinstance(value, dt.date):
                row[key] = value.isoformat()
            else:
                row[key] = value.strip() if isinstance(value, str) else value
        if row:
            out.append(row)
    return out


def _field_errors(exc: ApiError, labels: dict[str, str]) -> dict[str, Any]:
    """The API's “标签：原因” lines placed at their fields (IP rows together, the rest above the form)."""
    placed: dict[str, Any] = {"_form": [], "_ip": []}
    for line in exc.errors or [exc.message]:
        label, _, reason = line.partition("：")
        if label.startswith(IP_LABEL):
            placed["_ip"].append(line)
        elif label in labels and reason:
            placed[labels[label]] = reason
        else:
            placed["_form"].append(line)
    return placed


def _edit_form(detail: dict[str, Any]) -> None:
    app_id, version = detail["id"], detail["version"]
    form = detail.get("form") or {}
    errors: dict[str, Any] = S["app_edit_errors"].get(f"{app_id}:{version}") or {}
    st.caption("草稿可以直接补充或修改：带 * 为必填项，右侧标注来源——用户提供（绿）、系统推断（蓝）、待补充（橙）。"
               f"保存时以您看到的第 {version} 版为准，如有他人同时修改，系统会拒绝并提示刷新。")
    with st.form(f"edit-{app_id}-{version}"):
        if errors:
            st.error("有内容未通过校验，请按各项下方的说明修改后再保存。", icon=":material/error:")
            for line in errors.get("_form") or []:
                st.error(line, icon=":material/error:")
        values: dict[str, tuple[Any, Any]] = {}
        for section in form.get("sections") or []:
            st.markdown(f"**{section['title']}**")
            for field in section.get("fields") or []:
                left, right = st.columns([6, 1], vertical_alignment="center")
                with left:
                    values[field["key"]] = _input(field, detail, f"edit-{app_id}-{version}-{field['key']}")
                    if field["key"] in errors:
                        st.error(errors[field["key"]], icon=":material/error:")
                right.markdown(SOURCE_BADGE.get(field.get("source") or "待补充", ""))
        st.markdown(f"**{IP_LABEL}**")
        st.caption("每行一件知识产权；只说了数量的，请逐件补全号码、名称、到期日和评估值。")
        initial = _ip_frame(detail)
        edited = st.data_editor(
            initial, num_rows="dynamic", hide_index=True, width="stretch", key=f"edit-{app_id}-{version}-ip_list",
            column_config={
                "type": st.column_config.SelectboxColumn(IP_COLUMNS["type"], options=list(IP_TYPES), required=True),
                "number": st.column_config.TextColumn(IP_COLUMNS["number"]), "title": st.column_config.TextColumn(IP_COLUMNS["title"]),
                "owner": st.column_config.TextColumn(IP_COLUMNS["owner"]),
                "expires": st.column_config.TextColumn(IP_COLUMNS["expires"], help="YYYY-MM-DD"),
                "status": st.column_config.TextColumn(IP_COLUMNS["status"]),
                "pledged": st.column_config.SelectboxColumn(IP_COLUMNS["pledged"], options=["是", "否"]),
                "valuation": st.column_config.NumberColumn(IP_COLUMNS["valuation"], min_value=0.0),
            },
        )
        for line in errors.get("_ip") or []:
            st.error(line, icon=":material/error:")
        saved = st.form_submit_button("保存修改", type="primary", icon=":material/save:")
    if not saved:
        return
    changes = {key: new for key, (old, new) in values.items() if key in TEXT | set(INTEGER) | WAN | BOOL | {"debt_ratio", "founded", "qualifications"}
               and new != old}
    ip_rows = _ip_rows(edited)
    body: dict[str, Any] = {"expected_version": version, "fields": changes}
    if ip_rows != _ip_rows(initial):
        body["ip_list"] = ip_rows
    if not changes and "ip_list" not in body:
        st.info("没有需要保存的修改。", icon=":material/info:")
        return
    try:
        updated = client().patch(f"/applications/{app_id}", json=body)
    except ApiError as exc:
        if exc.status == 422:
            labels = {f["label"]: f["key"] for s in form.get("sections") or [] for f in s.get("fields") or []}
            S["app_edit_errors"][f"{app_id}:{version}"] = _field_errors(exc, labels)
            st.rerun()
        if exc.conflict:
            st.error(exc.message, icon=":material/error:")
            st.caption("请点击上方“刷新”加载最新版本后再修改。")
        else:
            show_error(exc)
        return
    S["app_details"][app_id] = updated
    S["app_edit_errors"].pop(f"{app_id}:{version}", None)
    still = updated.get("missing") or []
    S["app_notice"] = f"已保存修改（第 {updated['version']} 版）。" + (f"仍有 {len(still)} 项必填信息待补充：{'、'.join(still)}。" if still else "必填信息已齐全，可以提交。")
    st.rerun()


def _read_only_form(form: dict[str, Any]) -> None:
    st.caption("“来源”一栏：用户提供（绿）、系统推断（蓝）、待补充（橙）")
    for section in form.get("sections") or []:
        st.markdown(f"**{section['title']}**")
        rows = [{"项目": f.get("label") + ("（必填）" if f.get("required") else ""), "内容": "" if f.get("value") is None else _display(f["value"]),
                 "来源": f.get("source") or "待补充"} for f in section.get("fields") or []]
        styled = pd.DataFrame(rows).style.map(lambda v: f"background-color: {SOURCE_COLORS.get(v, 'transparent')}", subset=["来源"])
        st.dataframe(styled, hide_index=True, width="stretch")
    if form.get("ip_list"):
        st.markdown(f"**{IP_LABEL}**")
        labels = {"type": "类型", "number": "编号", "title": "名称", "owner": "权利人", "expires": "到期日", "status": "法律状态",
                  "pledged": "是否已质押", "valuation": "评估值"}
        frame = pd.DataFrame(form["ip_list"]).drop(columns=["count"], errors="ignore")
        st.dataframe(frame.rename(columns=labels), hide_index=True, width="stretch")


# -- the page -------------------------------------------------------------------------------------------------------

st.title("申请管理")
if role() == "enterprise":
    st.caption("这里是贵企业的全部申请。草稿可以直接补充信息，确认无误后提交给服务中心；服务中心受理后推送银行，银行的答复会显示在这里。")
else:
    st.caption("申请队列：按状态和合作银行筛选，查看预填内容与校验提示，补充草稿，变更状态并留下备注。")

f1, f2, f3 = st.columns([2, 2, 1])
status = f1.selectbox("状态", (None, *STATUSES), format_func=lambda s: "全部状态" if s is None else s, key="apps_status")
institution = f2.selectbox("合作银行", (None, *INSTITUTIONS), format_func=lambda s: "全部银行" if s is None else s, key="apps_institution")
if f3.button("刷新", icon=":material/refresh:", key="apps_refresh", width="stretch"):
    S["app_details"] = {}
params = {k: v for k, v in (("status", status), ("institution", institution)) if v}
apps = call(client().get, "/applications", params=params)
if apps is None:
    st.stop()
if not apps and not S.get("apps_current"):
    st.info("没有符合条件的申请。" if params else "还没有申请。可以在“企业咨询”中说明企业情况后生成申请表。")
    st.stop()

if apps:
    st.dataframe(pd.DataFrame([{
        "编号": a["id"][:8], "企业": a["enterprise_name"], "产品": a["product_name"], "合作银行": a["institution"], "状态": a["status"],
        "版本": a["version"], "待补充项": len(a.get("missing") or []), "更新时间": cn_datetime(a.get("updated_at")),
    } for a in apps]), hide_index=True, width="stretch")
else:
    st.info("没有符合条件的申请。", icon=":material/filter_alt:")

# the application shown: kept by id, restored by id (even when the filter no longer lists it), never by position
by_id = {a["id"]: a for a in apps}
current = S.get("apps_current")
outside = False
if current and current not in by_id:
    kept = S["app_details"].get(current) or _load(current)
    if kept:
        by_id[current], outside = kept, True
    else:
        current = None
if current is None:
    if not apps:
        st.stop()
    current = apps[0]["id"]
S["apps_current"] = current
S["apps_known"] = list(by_id)
S["apps_selected"] = current  # set before the widget exists: the box shows what the page shows
st.selectbox("查看申请", list(by_id), key="apps_selected", format_func=lambda i: _label(by_id[i]), on_change=_picked)
if outside:
    st.info(f"申请 {current[:8]} 不在当前筛选结果中（当前状态：{by_id[current]['status']}），仍为您显示该申请；可在上方改选。",
            icon=":material/filter_alt_off:")

detail = S["app_details"].get(current) or _load(current)
if detail is None:
    st.stop()
if not outside and by_id[current]["version"] != detail["version"]:
    st.info(f"该申请已被他人更新（您看到的是第 {detail['version']} 版，最新为第 {by_id[current]['version']} 版）。点击“刷新”查看最新内容。",
            icon=":material/sync:")

st.divider()
st.subheader(f"申请 {detail['id'][:8]} · {detail['enterprise_name']} · {detail['institution']}「{detail['product_name']}」")
st.caption(f"申请编号：{detail['id']} · 创建于 {cn_datetime(detail.get('created_at'))} · 最近更新 {cn_datetime(detail.get('updated_at'))}")
m1, m2, m3, m4 = st.columns(4)
m1.metric("状态", detail["status"])
m2.metric("版本", detail["version"])
m3.metric("待补充项", len(detail.get("missing") or []))
m4.metric("创建时间", cn_datetime(detail.get("created_at")))
if S.get("app_notice"):
    st.success(S.pop("app_notice"), icon=":material/check_circle:")

issues = detail.get("issues") or []
for issue in (i for i in issues if i.get("level") == "error"):
    st.error(f"{issue.get('field')}：{issue.get('message')}", icon=":material/error:")
warnings = [i for i in issues if i.get("level") != "error"]
if warnings:
    st.warning("**校验提示**：" + "；".join(md(i.get("message")) for i in warnings), icon=":material/push_pin:")
bank_decision(detail)

tab_form, tab_history, tab_action = st.tabs(["申请表内容", "状态历史", "办理"], key="apps_tab", on_change="rerun")
with tab_form:
    if detail["status"] == "草稿" and detail.get("profile_snapshot") is not None:
        _edit_form(detail)
    else:
        _read_only_form(detail.get("form") or {})
    application_downloads(detail, key=f"apps_doc_{current}")

with tab_history:
    events = detail.get("events") or []
    if events:
        st.dataframe(pd.DataFrame([{
            "时间": cn_datetime(e.get("at")), "类型": EVENT_KINDS.get(e.get("kind") or "status", "状态变更"),
            "原状态": e.get("from_status") or "（新建）", "新状态": e.get("to_status"), "操作人": e.get("actor"), "备注": e.get("note") or "",
        } for e in events]), hide_index=True, width="stretch")
    else:
        st.info("暂无状态变更记录。")

with tab_action:
    targets = manual_targets(role() or "", detail["status"])
    material_upload(detail, key=f"apps_material_{current}")
    if not targets:
        st.info("当前状态下没有可办理的操作。" if role() != "enterprise" else "申请已提交，后续由服务中心和银行办理。")
    else:
        missing = detail.get("missing") or []
        blocked = detail["status"] == "草稿" and bool(missing)
        if blocked:
            st.warning(f"还有 {len(missing)} 项必填信息待补充，补充后才能提交：{'、'.join(missing)}。请在“申请表内容”中填写并保存。",
                       icon=":material/assignment_late:")
        with st.form(f"transition_{current}"):
            to_status = st.selectbox("变更为", targets, key=f"apps_to_{current}")
            note = st.text_area("备注", key=f"apps_note_{current}", max_chars=500, placeholder="例如：材料齐全，已受理")
            st.caption(f"将基于第 {detail['version']} 版办理；如有他人同时修改，系统会拒绝并提示刷新。")
            submitted = st.form_submit_button("确认变更", type="primary", disabled=blocked,
                                              help=f"尚待补充：{'、'.join(missing)}" if blocked else None)
        if submitted:
            try:
                moved = client().post(f"/applications/{current}/transitions",
                                      json={"to_status": to_status, "expected_version": detail["version"], "note": note.strip() or None})
            except ApiError as exc:
                if exc.conflict:  # someone else changed it, or (a stale page) the draft still misses required fields
                    st.error(exc.message, icon=":material/error:")
                    st.caption("请点击上方“刷新”加载最新版本后再操作。")
                else:
                    show_error(exc)
            else:
                S["app_details"][current] = moved
                S["app_notice"] = f"已将申请状态变更为“{moved['status']}”（第 {moved['version']} 版）。"
                st.rerun()
