"""产品匹配 (staff): one firm (typed in or a stored enterprise) against the product library, a whitelist workbook
in batch, and the reverse view: which firms suit one product."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pandas as pd
import streamlit as st

from ui.client import LONG_TIMEOUT
from ui.common import (
    IP_TYPES,
    QUALIFICATIONS,
    VERDICT,
    call,
    client,
    md,
    render_match_detail,
    render_match_result,
    wan,
)

S = st.session_state
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REGISTERED, UPLOAD = "已登记企业", "上传白名单"
SOURCES = (REGISTERED, UPLOAD)
EXPLAINED = 20  # firms whose score is explained part by part below the table
# The API's score parts, in the order they add up (see assistant/products/matcher.py).
PART_LABELS = {"base": "结论档", "need": "需求契合", "headroom": "条件余量", "data": "资料完整", "product": "产品条件"}
SCORE_LEGEND = ("匹配分（0–100）= 结论档 + 需求契合 + 条件余量 + 资料完整 + 产品条件。结论档：符合 60–100 分、需补充 30–59.9 分、"
                "不符合 0–29.9 分，分档不重叠，所以分数高低与排名一致；档内看企业与产品的契合程度。"
                "需求契合：金额、期限是否在产品范围内，知识产权按质押率可担保的额度是否覆盖需求；"
                "条件余量：资产负债率、营业收入、成立年限、知识产权数量与剩余有效期离产品门槛有多远；"
                "资料完整：判断所需信息是否齐全；产品条件：利率、放款速度与补贴，只占小部分，与企业无关。")
TRI: tuple[bool | None, ...] = (None, True, False)
TRI_LABEL: dict[bool | None, str] = {None: "未知", True: "是", False: "否"}
FIRM_HEADERS = ["企业名称", "统一社会信用代码", "注册地", "成立日期", "所属行业", "职工人数", "研发人员数", "上年营业收入（万元）", "资产负债率",
                "资质", "是否白名单", "征信良好", "发明专利数", "实用新型数", "外观设计数", "商标数", "著作权数", "软件著作权数",
                "融资金额（万元）", "融资期限（月）", "资金用途"]
DEFAULTS: dict[str, Any] = {
    "pf_name": "", "pf_uscc": "", "pf_region": "", "pf_founded": None, "pf_industry": "", "pf_employees": None, "pf_revenue": None,
    "pf_revenue_unit": "万元", "pf_debt_ratio": None, "pf_qualifications": [], "pf_whitelist": None, "pf_credit_ok": None,
    "pf_need_amount": None, "pf_need_unit": "万元", "pf_need_term": None, "pf_need_purpose": "",
    **{f"pf_ip_{t}": 0 for t in IP_TYPES}, **{f"pf_val_{t}": None for t in IP_TYPES},
}
for k, v in DEFAULTS.items():
    S.setdefault(k, v)


@st.cache_data(ttl=300, show_spinner=False)
def _products(base_url: str, token: str) -> list[dict[str, Any]]:
    from ui.client import ApiClient

    return list(ApiClient(base_url=base_url, token=token).get("/products"))


def _fill_from(profile: dict[str, Any] | None, name: str) -> None:
    """Put a stored profile into the form fields (revenue and amounts shown in 万元)."""
    p = profile or {}
    for k, v in DEFAULTS.items():
        S[k] = v
    S["pf_name"] = p.get("name") or name
    S["pf_uscc"] = p.get("uscc") or ""
    S["pf_region"] = p.get("region") or ""
    S["pf_founded"] = dt.date.fromisoformat(p["founded"]) if p.get("founded") else None
    S["pf_industry"] = p.get("industry") or ""
    S["pf_employees"] = p.get("employees")
    S["pf_revenue"] = p["revenue"] / 1e4 if p.get("revenue") is not None else None
    S["pf_debt_ratio"] = round(p["debt_ratio"] * 100, 2) if p.get("debt_ratio") is not None else None
    S["pf_qualifications"] = [q for q in p.get("qualifications") or [] if q in QUALIFICATIONS]
    S["pf_whitelist"] = p.get("whitelist")
    S["pf_credit_ok"] = p.get("credit_ok")
    for t, n in (p.get("ip_counts") or {}).items():
        if t in IP_TYPES:
            S[f"pf_ip_{t}"] = int(n)
    need = p.get("need") or {}
    S["pf_need_amount"] = need["amount"] / 1e4 if need.get("amount") else None
    S["pf_need_term"] = need.get("term_months")
    S["pf_need_purpose"] = need.get("purpose") or ""


def _on_pick() -> None:
    firm = S.get("pf_firms", {}).get(S.get("pf_pick"))
    if firm:
        _fill_from(firm.get("profile"), firm.get("name", ""))


def _to_yuan(value: float | None, unit: str) -> float | None:
    if value is None:
        return None
    return float(value) * (1e4 if unit == "万元" else 1.0)


def _ip_assets() -> list[dict[str, Any]] | None:
    """With valuations given, the IP as items (what the 可贷额度 is computed from): a type's total spread evenly over
    its count (the pledge ratio is per type, so the split changes nothing); a valued type with no count is one item.
    Without valuations: None, and the counts go as ``ip_counts``."""
    if not any(S[f"pf_val_{t}"] for t in IP_TYPES):
        return None
    items: list[dict[str, Any]] = []
    for t in IP_TYPES:
        total, n = _to_yuan(S[f"pf_val_{t}"] or None, "万元"), int(S[f"pf_ip_{t}"]) or (1 if S[f"pf_val_{t}"] else 0)
        items += [{"type": t, "valuation": round(total / n, 2)} if total else {"type": t} for _ in range(n)]
    return items


def profile_from_form() -> dict[str, Any]:
    assets = _ip_assets()
    data: dict[str, Any] = {
        "name": S["pf_name"].strip(), "uscc": S["pf_uscc"].strip() or None, "region": S["pf_region"].strip() or None,
        "founded": S["pf_founded"].isoformat() if S["pf_founded"] else None, "industry": S["pf_industry"].strip() or None,
        "employees": int(S["pf_employees"]) if S["pf_employees"] is not None else None,
        "revenue": _to_yuan(S["pf_revenue"], S["pf_revenue_unit"]),
        "debt_ratio": round(S["pf_debt_ratio"] / 100, 4) if S["pf_debt_ratio"] is not None else None,
        "qualifications": list(S["pf_qualifications"]) or None, "whitelist": S["pf_whitelist"], "credit_ok": S["pf_credit_ok"],
        "ip_assets": assets,
        "ip_counts": None if assets else {t: int(S[f"pf_ip_{t}"]) for t in IP_TYPES if S[f"pf_ip_{t}"]} or None,
    }
    need = {"amount": _to_yuan(S["pf_need_amount"], S["pf_need_unit"]),
            "term_months": int(S["pf_need_term"]) if S["pf_need_term"] else None, "purpose": S["pf_need_purpose"].strip() or None}
    if any(v is not None for v in need.values()):
        data["need"] = need
    return {k: v for k, v in data.items() if v is not None}


def _template() -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "企业名单"
    ws.append(FIRM_HEADERS)
    ws.append(["示例科技有限公司", "", "西咸新区", "2018-05-01", "软件和信息技术服务业", 80, 30, 3000, 0.4, "高新技术企业", "是", "是",
               3, 2, 0, 1, 0, 5, 500, 12, "研发投入"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _reverse_row(rank: int, r: dict[str, Any], *, with_row: bool) -> dict[str, Any]:
    """One firm of the reverse ranking: verdict, 匹配分 and its parts in points (they add up to it)."""
    parts = r.get("score_parts") or {}
    row: dict[str, Any] = {"排名": rank, "企业": r["enterprise"]}
    if with_row:
        row["名单行号"] = r.get("row")
    row |= {"结论": VERDICT.get(r.get("eligible"), "需补充"), "匹配分": r.get("score")}
    row |= {label: parts.get(key) for key, label in PART_LABELS.items()}
    row |= {
        "待补充": "、".join(r.get("missing") or []),
        "不符合原因": "；".join(x["message"] for x in r.get("reasons") or [] if x.get("status") == "fail"),
        "如何满足": "；".join(r.get("hints") or []),
    }
    return row


def _combination(i: int, c: dict[str, Any], *, expanded: bool) -> None:
    head = f"方案{i}：合计{wan(c['total'])} · 加权利率低至{c['rate']:.2f}% · 首年补贴约{wan(c['subsidy_total'])}"
    if not c.get("covers"):
        head += f" · 缺口{wan(c['shortfall'])}"
    with st.expander(head, expanded=expanded):
        st.dataframe(pd.DataFrame([{"部分": p["role"], "机构": p["institution"], "产品": p["name"], "类别": p["category"],
                                    "金额（万元）": p["amount"] / 1e4, "结论": p["verdict"], "利率": p["rate_text"],
                                    "首年补贴（元）": p["subsidy_total"]} for p in c["parts"]]), hide_index=True, width="stretch")
        if c.get("same_bank"):
            st.caption(f"两笔均在{c['parts'][0]['institution']}办理，由该行统一授信审批。")
        for p in c["parts"]:
            st.markdown(f"**{md(p['role'])}：{md(p['institution'])}「{md(p['name'])}」{wan(p['amount'])}（{md(p['verdict'])}）**")
            render_match_detail(p)


def _funding(result: dict[str, Any]) -> None:
    """可贷额度 with its basis; when the need exceeds every single product, the combinations that cover it (or the
    best partial coverage)."""
    cap = result.get("capacity") or {}
    if cap.get("amount") is not None:
        st.metric("可贷额度（知识产权质押）", wan(cap["amount"]))
    else:
        st.markdown("**可贷额度（知识产权质押）**：暂无法测算")
    if cap.get("basis"):
        st.caption(md(cap["basis"]))
    combos, partial, note = result.get("combinations") or [], result.get("partial_combination"), result.get("combination_note")
    if not (combos or partial or note):
        return
    st.markdown("**组合方案**")
    if note:
        (st.info if combos else st.warning)(md(note), icon=":material/join_inner:" if combos else ":material/warning:")
    for i, c in enumerate(combos or ([partial] if partial else []), start=1):
        _combination(i, c, expanded=i == 1)


def _explain(r: dict[str, Any]) -> None:
    parts, notes = r.get("score_parts") or {}, r.get("score_notes") or {}
    st.markdown("\n".join(f"- **{label} {parts.get(key, 0):g}分**：{md(notes.get(key, ''))}" for key, label in PART_LABELS.items()))


st.title("产品匹配")
tab_one, tab_batch, tab_reverse = st.tabs(["单个企业匹配", "白名单批量匹配", "按产品反向匹配"], key="match_tab", on_change="rerun")

with tab_one:
    firms = {f["enterprise_id"]: f for f in call(client().get, "/profiles") or []}
    S["pf_firms"] = firms
    st.selectbox("选择已登记企业（可选）", [None, *firms], key="pf_pick", on_change=_on_pick,
                 format_func=lambda i: "（手动填写企业信息）" if i is None else firms[i]["name"] + ("" if firms[i].get("profile") else "（暂无画像）"))
    with st.form("profile_form"):
        st.markdown("**企业基本信息**")
        c1, c2, c3 = st.columns(3)
        c1.text_input("企业名称 *", key="pf_name")
        c2.text_input("统一社会信用代码", key="pf_uscc", max_chars=18)
        c3.text_input("注册地", key="pf_region", placeholder="如：西咸新区沣东新城")
        c1.date_input("成立日期", key="pf_founded", min_value=dt.date(1950, 1, 1), max_value=dt.date.today(), format="YYYY-MM-DD")
        c2.text_input("所属行业", key="pf_industry")
        c3.number_input("职工人数", key="pf_employees", min_value=0, step=1)
        st.markdown("**财务与信用**")
        c1, c2, c3, c4 = st.columns([2, 1, 2, 2])
        c1.number_input("上年营业收入", key="pf_revenue", min_value=0.0, step=100.0, format="%.2f")
        c2.selectbox("单位", ("万元", "元"), key="pf_revenue_unit")
        c3.number_input("资产负债率（%）", key="pf_debt_ratio", min_value=0.0, max_value=100.0, step=1.0)
        c4.multiselect("资质", QUALIFICATIONS, key="pf_qualifications")
        c1, c2 = st.columns(2)
        c1.selectbox("是否列入融资白名单", TRI, key="pf_whitelist", format_func=lambda v: TRI_LABEL[v])
        c2.selectbox("企业及法定代表人征信良好", TRI, key="pf_credit_ok", format_func=lambda v: TRI_LABEL[v])
        st.markdown("**知识产权数量（件）与评估值合计（万元，可选：填写后按质押率测算可贷额度）**")
        cols = st.columns(len(IP_TYPES))
        for col, t in zip(cols, IP_TYPES, strict=True):
            col.number_input(t, key=f"pf_ip_{t}", min_value=0, step=1)
            col.number_input(f"{t}评估值", key=f"pf_val_{t}", min_value=0.0, step=50.0)
        st.markdown("**融资需求**")
        c1, c2, c3, c4 = st.columns([2, 1, 1, 2])
        c1.number_input("融资金额", key="pf_need_amount", min_value=0.0, step=50.0)
        c2.selectbox("单位 ", ("万元", "元"), key="pf_need_unit")
        c3.number_input("期限（月）", key="pf_need_term", min_value=1, max_value=120, step=1)
        c4.text_input("资金用途", key="pf_need_purpose")
        submitted = st.form_submit_button("开始匹配", type="primary", icon=":material/join_inner:")
    if submitted:
        profile = profile_from_form()
        if len(profile.get("name", "")) < 2:
            st.warning("请填写企业名称（至少 2 个字）。")
        else:
            with st.spinner("正在匹配…"):
                result = call(client().post, "/match", json={"profile": profile})
            if result is not None:
                S["match_result"], S["match_profile"] = result, profile
    if S.get("match_result"):
        st.markdown(f"#### 匹配结果：{S['match_profile'].get('name', '')}")
        _funding(S["match_result"])
        render_match_result(S["match_result"])

with tab_batch:
    st.markdown("上传企业名单（.xlsx，表头见模板），每家企业与每个产品各得一行结论；选择产品则按该产品给企业排序。")
    st.download_button("下载名单模板", _template(), file_name="企业名单模板.xlsx", icon=":material/description:", on_click="ignore", key="batch_template",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    upload = st.file_uploader("企业名单", type=["xlsx"], key="batch_file")
    products = _products(client().base_url, S.get("token") or "") if S.get("token") else []
    names = {p["id"]: f"{p['institution']}「{p['name']}」" for p in products}
    product_id = st.selectbox("按产品反向排序（可选）", [None, *names], key="batch_product",
                              format_func=lambda p: "不指定：匹配全部产品" if p is None else names[p])
    if st.button("批量匹配", type="primary", disabled=upload is None, key="batch_run", icon=":material/table_view:"):
        assert upload is not None
        files = {"file": (upload.name, upload.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")}
        with st.spinner("正在批量匹配…"):
            result = call(client().download, "POST", "/match/batch", "匹配结果.xlsx", files=files,
                          data={"product_id": product_id} if product_id else None)
        if result is not None:
            S["batch_result"] = result
    if S.get("batch_result"):
        out = S["batch_result"]
        st.success(f"已完成批量匹配：{out.filename}（{len(out.content) // 1024 + 1} KB）", icon=":material/check_circle:")
        st.download_button("下载匹配结果", out.content, file_name=out.filename, icon=":material/download:", on_click="ignore", key="batch_download",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        try:
            sheets = pd.read_excel(io.BytesIO(out.content), sheet_name=None)
        except Exception:  # a preview is a convenience: the download above is the result
            sheets = {}
        for name, frame in list(sheets.items())[:3]:
            with st.expander(f"预览：{name}（{len(frame)} 行）", expanded=name == next(iter(sheets))):
                st.dataframe(frame.head(200), hide_index=True, width="stretch")

with tab_reverse:
    st.markdown("选择一个产品，按匹配度给企业排序：已登记企业使用各自最新的画像，也可以上传一份白名单（表头同批量匹配模板）。")
    products = _products(client().base_url, S.get("token") or "") if S.get("token") else []
    names = {p["id"]: f"{p['institution']}「{p['name']}」（{p.get('category', '')}）" for p in products}
    pid = st.selectbox("产品", list(names), key="reverse_product", format_func=lambda p: names[p]) if names else None
    source = st.radio("企业来源", SOURCES, key="reverse_source", horizontal=True)
    reverse_upload = None
    if source == UPLOAD:
        st.download_button("下载名单模板", _template(), file_name="企业名单模板.xlsx", icon=":material/description:", on_click="ignore",
                           key="reverse_template", mime=XLSX)
        reverse_upload = st.file_uploader("企业名单", type=["xlsx"], key="reverse_file")
    blocked = pid is None or (source == UPLOAD and reverse_upload is None)
    if st.button("反向匹配", type="primary", disabled=blocked, key="reverse_run", icon=":material/swap_vert:"):
        if source == UPLOAD:
            assert reverse_upload is not None
            with st.spinner("正在读取名单并匹配…"):
                body = call(client().post, "/match/reverse/upload", data={"product_id": pid}, timeout=LONG_TIMEOUT,
                            files={"file": (reverse_upload.name, reverse_upload.getvalue(), XLSX)})
            if body is not None:
                S["reverse_result"] = {"product_id": pid, "source": source, "rows": body["rows"], "errors": body["errors"]}
        else:
            rows = call(client().post, "/match/reverse", json={"product_id": pid})
            if rows is not None:  # same shape as the upload's rows, without a row number
                S["reverse_result"] = {"product_id": pid, "source": source, "errors": [],
                                       "rows": [{"enterprise": r["enterprise"], "row": None, **r["match"]} for r in rows]}
    done = S.get("reverse_result")
    if done:
        st.markdown(f"#### {names.get(done['product_id'], done['product_id'])} · {done['source']}")
        rows = done["rows"]
        if not rows:
            st.info("还没有带画像的已登记企业。" if done["source"] != UPLOAD else "名单中没有可以匹配的企业。")
        else:
            c1, c2, c3 = st.columns(3)
            for col, (flag, label) in zip((c1, c2, c3), VERDICT.items(), strict=True):
                col.metric(label, sum(1 for r in rows if r.get("eligible") is flag))
            st.caption(SCORE_LEGEND)
            st.dataframe(pd.DataFrame([_reverse_row(i, r, with_row=done["source"] == UPLOAD) for i, r in enumerate(rows, start=1)]),
                         hide_index=True, width="stretch")
            st.markdown("**评分说明**")
            for i, r in enumerate(rows[:EXPLAINED], start=1):
                with st.expander(f"{i}. {md(r['enterprise'])} · {VERDICT.get(r.get('eligible'), '需补充')} · {r.get('score')}分"):
                    _explain(r)
            if len(rows) > EXPLAINED:
                st.caption(f"仅展开前 {EXPLAINED} 家的评分说明；全部企业的分项得分见上表。")
        if done["errors"]:
            st.warning(f"名单中有 {len(done['errors'])} 行未能读取，未参与匹配：", icon=":material/warning:")
            st.dataframe(pd.DataFrame({"行错误": done["errors"]}), hide_index=True, width="stretch")
