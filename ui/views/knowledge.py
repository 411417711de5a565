"""知识库管理 (policy team): documents and their status, upload with metadata (preview, then confirm), retire and
remove, reindex, the product workbook (import / export) and the answer eval with before/after scores."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st

from assistant.units import cn_date, cn_datetime
from ui.client import ApiError
from ui.common import LEVELS, RETIRED_STATUSES, call, client, show_error, wait_for_job

S = st.session_state
DOC_MIME = {".pdf": "application/pdf", ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ".md": "text/markdown", ".txt": "text/plain"}
EVAL_METRICS = (("recall@5", "召回率@5"), ("mrr@10", "MRR@10"), ("fact_hit", "事实命中率"), ("refusal", "正确拒答率"))
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _finish(job: dict[str, Any] | None, done_text: str) -> None:
    if job and job.get("status") == "done":
        S["kb_notice"] = done_text
        st.rerun()


def _meta() -> dict[str, str]:
    fields = {
        "title": S.get("up_title", "").strip(), "doc_id": S.get("up_doc_id", "").strip(), "issuer": S.get("up_issuer", "").strip(),
        "doc_number": S.get("up_doc_number", "").strip(), "level": S.get("up_level") or "",
        "effective": S["up_effective"].isoformat() if S.get("up_effective") else "",
        "expires": S["up_expires"].isoformat() if S.get("up_expires") else "", "tags": S.get("up_tags", "").strip(),
        "region": S.get("up_region", "").strip(), "published": S["up_published"].isoformat() if S.get("up_published") else "",
    }
    return {k: v for k, v in fields.items() if v}


# Form fields the preview fills from what it read in the text, when the policy team left them empty.
_FILL = {"title": "up_title", "issuer": "up_issuer", "doc_number": "up_doc_number", "region": "up_region",
         "effective": "up_effective", "published": "up_published"}


def _fill_from(meta: dict[str, Any]) -> None:
    for key, widget in _FILL.items():
        value = meta.get(key)
        if value and not S.get(widget):
            S[widget] = dt.date.fromisoformat(value) if key in ("effective", "published") else value


def _upload_files(upload: Any) -> dict[str, Any]:
    suffix = "." + upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    return {"file": (upload.name, upload.getvalue(), DOC_MIME.get(suffix, "application/octet-stream"))}


st.title("知识库管理")
if S.pop("rm_reset", False):  # a removal is done: the next one needs a fresh confirmation
    S["rm_confirm"] = False
if S.get("kb_notice"):
    st.success(S.pop("kb_notice"), icon=":material/check_circle:")
tab_docs, tab_upload, tab_products, tab_eval = st.tabs(["文档", "上传文档", "产品库", "评测"], key="kb_tab", on_change="rerun")

with tab_docs:
    docs = call(client().get, "/admin/documents") or []
    if not docs:
        st.info("索引中还没有文档。可上传文档或点击“重建索引”。")
    else:
        in_force = sum(1 for d in docs if d.get("in_force"))
        c1, c2, c3 = st.columns(3)
        c1.metric("文档", len(docs))
        c2.metric("现行有效", in_force)
        c3.metric("段落", sum(d.get("chunks", 0) for d in docs))
        st.dataframe(pd.DataFrame([{
            "编号": d["doc_id"], "标题": d["title"], "状态": d["status"], "现行有效": "是" if d.get("in_force") else "否",
            "失效日期": cn_date(d.get("expires")) or d.get("expires") or "", "适用地区": d.get("region") or "",
            "替代文件": d.get("superseded_by") or "", "段落数": d.get("chunks"), "来源": "示例语料" if d.get("origin") == "corpus" else "上传",
            "文件": d.get("source"), "文字识别": f"{len(d['ocr_pages'])} 页" if d.get("ocr_pages") else "",
        } for d in docs]), hide_index=True, width="stretch", height=min(38 + 35 * len(docs), 640))

    if docs:
        issues = call(client().get, "/admin/documents/citations") or []
        warnings = sum(1 for i in issues if i["severity"] == "警告")
        label = f"引用核对（警告 {warnings}，提示 {len(issues) - warnings}）" if issues else "引用核对（未发现问题）"
        with st.expander(label, icon=":material/fact_check:" if not warnings else ":material/warning:"):
            st.caption("核对问答等文件末尾的“依据”：所引文件与条款是否在知识库中、是否仍然有效，所述数字能否在所引条款中找到。"
                       "文件失效或替换后，引用它的问答会出现在这里。")
            if issues:
                st.dataframe(pd.DataFrame([{"级别": i["severity"], "文件": i["doc_id"], "问答": i["passage"], "问题": i["message"]} for i in issues]),
                             hide_index=True, width="stretch")

    with st.expander("重建索引", icon=":material/sync:"):
        full = st.checkbox("全量重建（更换向量模型或分词词典后使用；默认按内容哈希增量更新）", key="kb_full")
        if st.button("开始重建", key="kb_reindex", icon=":material/sync:"):
            accepted = call(client().post, "/admin/reindex", json={"full": full})
            if accepted:
                _finish(wait_for_job(accepted["job_id"], "重建索引"), "索引已重建。")

    if docs:
        titles = {d["doc_id"]: f"{d['title']}（{d['doc_id']}，{d['status']}）" for d in docs}
        with st.expander("标记失效", icon=":material/schedule:"):
            with st.form("retire_form"):
                target = st.selectbox("文档", list(titles), format_func=lambda d: titles[d], key="rt_doc")
                c1, c2, c3 = st.columns(3)
                status = c1.selectbox("新状态", RETIRED_STATUSES, key="rt_status")
                expires = c2.date_input("失效日期", value=None, key="rt_expires", format="YYYY-MM-DD")
                superseded = c3.text_input("替代它的文件编号", key="rt_superseded")
                go = st.form_submit_button("标记失效")
            if go:
                body = {"status": status, "expires": expires.isoformat() if isinstance(expires, dt.date) else None,
                        "superseded_by": superseded.strip() or None}
                accepted = call(client().post, f"/admin/documents/{target}/retire", json=body)
                if accepted:
                    _finish(wait_for_job(accepted["job_id"], "标记失效"), f"已将《{titles[target]}》标记为{status}。")
        with st.expander("移除文档", icon=":material/delete:"):
            target = st.selectbox("文档", list(titles), format_func=lambda d: titles[d], key="rm_doc")
            sure = st.checkbox("我确认从知识库移除该文档（移除后不再被检索）", key="rm_confirm")
            if st.button("移除", type="primary", disabled=not sure, key="rm_go"):
                accepted = call(client().delete, f"/admin/documents/{target}")
                if accepted:
                    S["rm_reset"] = True
                    _finish(wait_for_job(accepted["job_id"], "移除文档"), f"已移除《{titles[target]}》。")

with tab_upload:
    st.markdown("支持 PDF、Word（.docx）、Markdown、文本文件。先预览提取出的文字与段落，确认无误再写入知识库。"
                "未填写的标题、文号、发文机关、日期和适用地区，预览时由系统从正文识别并填入，可修改后再确认入库。")
    if "up_fill" in S:  # set before the widgets are drawn (Streamlit forbids changing a drawn widget's value)
        _fill_from(S.pop("up_fill"))
    upload = st.file_uploader("政策文件", type=["pdf", "ofd", "docx", "md", "txt"], key="up_file")
    c1, c2, c3 = st.columns(3)
    c1.text_input("标题", key="up_title")
    c2.text_input("文档编号（不填则由文件名生成）", key="up_doc_id")
    c3.text_input("发文机关", key="up_issuer")
    c1.text_input("文号", key="up_doc_number", placeholder="如：陕知发〔2023〕9号")
    c2.selectbox("层级", (None, *LEVELS), key="up_level", format_func=lambda v: "（未指定）" if v is None else v)
    c3.text_input("标签（逗号分隔）", key="up_tags")
    c1.date_input("施行日期", value=None, key="up_effective", format="YYYY-MM-DD")
    c2.date_input("失效日期", value=None, key="up_expires", format="YYYY-MM-DD")
    c3.date_input("公布日期", value=None, key="up_published", format="YYYY-MM-DD")
    c1.text_input("适用地区", key="up_region", placeholder="如：全国、陕西省、西安市、西咸新区、北京市")
    if st.button("预览", disabled=upload is None, key="up_preview", icon=":material/preview:"):
        assert upload is not None
        with st.spinner("正在提取文字与切分段落…"):
            preview = call(client().post, "/admin/documents/preview", files=_upload_files(upload), data=_meta())
        S["up_preview_result"] = (upload.file_id, preview) if preview else None
        if preview and preview.get("inferred"):
            S["up_fill"] = preview.get("meta") or {}
            st.rerun()
    shown = S.get("up_preview_result")
    if shown and upload is not None and shown[0] == upload.file_id:
        preview = shown[1]
        meta = preview.get("meta") or {}
        if preview.get("replaces"):
            st.warning(f"知识库中已有编号为 {meta.get('doc_id')} 的文档，确认后将替换它。", icon=":material/swap_horiz:")
        c1, c2, c3 = st.columns(3)
        c1.metric("字数", preview.get("characters", 0))
        c2.metric("段落", preview.get("chunk_count", 0))
        c3.metric("页数", preview.get("pages") or "—")
        st.markdown(f"**{meta.get('title', '')}** · {meta.get('doc_number') or '无文号'} · {meta.get('issuer') or '发文机关未填'} · "
                    f"{meta.get('region') or '适用地区未识别'} · {meta.get('level') or ''} · 状态：{meta.get('status', '')}")
        if preview.get("inferred"):
            st.info("以下信息由系统从正文识别并已填入上方表单，请核对，如有误请修改后再点“预览”或直接确认入库：\n\n- "
                    + "\n- ".join(preview["inferred"]), icon=":material/auto_awesome:")
        if preview.get("ocr_pages"):
            st.warning(f"第 {'、'.join(str(p) for p in preview['ocr_pages'])} 页是扫描图像，文字由文字识别（OCR）读出，可能有错字："
                       "请核对下方正文与段落（标有“OCR”），尤其是数字、日期和文号。", icon=":material/document_scanner:")
        for older in preview.get("supersedes") or []:
            st.warning(f"确认后，{older}将标记为“已被替代”，回答以本文件为准。", icon=":material/swap_horiz:")
        st.text_area("提取出的正文（前 3000 字）", preview.get("text", ""), height=220, disabled=True)
        chunks = preview.get("chunks") or []
        similar = any(c.get("similar_questions") for c in chunks)  # an FAQ: show what its entries will also match
        st.dataframe(pd.DataFrame([{"段落": c["id"], "页码": c.get("page"), "条款": c.get("article") or "", "章节": c.get("section") or "",
                                    "内容": c["text"], **({"来源": "OCR" if c.get("ocr") else "文字层"} if preview.get("ocr_pages") else {}),
                                    **({"相似问法": "；".join(c.get("similar_questions") or [])} if similar else {})}
                                   for c in chunks]), hide_index=True, width="stretch")
        if st.button("确认入库", type="primary", key="up_confirm", icon=":material/cloud_upload:"):
            accepted = call(client().post, "/admin/documents", files=_upload_files(upload), data=_meta())
            if accepted:
                job = wait_for_job(accepted["job_id"], "写入知识库")
                if job and job.get("status") == "done":
                    S["up_preview_result"] = None
                _finish(job, f"已写入知识库：《{meta.get('title', upload.name)}》。")

with tab_products:
    st.markdown("产品库以 Excel 维护：导出当前产品库，修改后整表导入；任何一行有误则整表拒绝并列出行错误。")
    if st.button("生成导出文件", key="pd_export", icon=":material/download:"):
        S["pd_export_file"] = call(client().download, "GET", "/admin/products/export", "产品库.xlsx")
    if S.get("pd_export_file"):
        out = S["pd_export_file"]
        st.download_button("下载产品库.xlsx", out.content, file_name=out.filename, mime=XLSX, icon=":material/download:", on_click="ignore", key="pd_download")
    product_file = st.file_uploader("导入产品表格（.xlsx / .yaml）", type=["xlsx", "yaml", "yml"], key="pd_file")
    if st.button("导入", type="primary", disabled=product_file is None, key="pd_import", icon=":material/upload:"):
        assert product_file is not None
        try:
            result = client().post("/admin/products/import", files={"file": (product_file.name, product_file.getvalue(), XLSX)})
        except ApiError as exc:
            show_error(exc)  # the headline, then each row's error once
        else:
            st.success(f"已导入 {result['imported']} 个产品：" + "、".join(result.get("products") or []), icon=":material/check_circle:")

with tab_eval:
    st.markdown("在当前索引上运行问答评测，比较本次与上次的检索与回答质量。")
    if st.button("运行评测", key="ev_run", icon=":material/science:"):
        accepted = call(client().post, "/admin/eval")
        if accepted:
            _finish(wait_for_job(accepted["job_id"], "评测"), "评测完成。")
    runs = call(client().get, "/admin/eval/runs", params={"limit": 10}) or []
    if not runs:
        st.info("还没有评测记录。")
    else:
        latest = runs[0]
        before = runs[1] if len(runs) > 1 else None
        cols = st.columns(len(EVAL_METRICS))
        for col, (key, label) in zip(cols, EVAL_METRICS, strict=True):
            now = latest["scores"].get(key)
            prev = before["scores"].get(key) if before else None
            delta = None if now is None or prev is None else round(now - prev, 4)
            col.metric(label, "—" if now is None else f"{now:.4f}", delta=None if delta is None else f"{delta:+.4f}",
                       delta_color="off" if not delta else "normal")
        rows = []
        for key, label in EVAL_METRICS:
            now = latest["scores"].get(key)
            prev = before["scores"].get(key) if before else None
            rows.append({"指标": label, "上次": prev, "本次": now,
                         "变化": None if now is None or prev is None else round(now - prev, 4)})
        st.markdown("**本次与上次对比**" + (f"（第 {before['id']} 次 → 第 {latest['id']} 次）" if before else "（仅有一次评测）"))
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
        st.markdown("**最近的评测**")
        st.dataframe(pd.DataFrame([{
            "编号": r["id"], "时间": cn_datetime(r["at"]), "操作人": r["actor"], "索引版本": r.get("index_version") or "",
            "问题数": r["scores"].get("questions"), **{label: r["scores"].get(key) for key, label in EVAL_METRICS},
        } for r in runs]), hide_index=True, width="stretch")
