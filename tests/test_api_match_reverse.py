"""Reverse matching of an uploaded whitelist workbook over real HTTP: one product, the firms of the list ranked by
their fit (匹配度 and its parts), the rows that could not be read listed with their reasons."""

from __future__ import annotations

import io

import httpx
from openpyxl import Workbook

from assistant.products.batch import FIRM_HEADERS, FIRM_SHEET

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PARTS = {"base", "need", "headroom", "data", "product"}
BASE = {"注册地": "西咸新区", "资质": "高新技术企业", "是否白名单": "是", "征信良好": "是", "融资期限（月）": 24}
FIRMS = [  # (name, cells): listed weakest first, so the ranking has to reorder them
    ("戊示例外地科技有限公司", {**BASE, "注册地": "北京市", "成立日期": "2015-01-01", "上年营业收入（万元）": 9000, "资产负债率": "20%",
                               "发明专利数": 9, "融资金额（万元）": 300}),
    ("丁示例初创科技有限公司", {**BASE, "成立日期": "2025-06-01", "上年营业收入（万元）": 110, "资产负债率": "68%", "发明专利数": 1,
                               "融资金额（万元）": 900, "融资期限（月）": 36}),
    ("丙示例成长科技有限公司", {**BASE, "成立日期": "2022-03-01", "上年营业收入（万元）": 800, "资产负债率": "50%", "发明专利数": 2,
                               "融资金额（万元）": 400}),
    ("乙示例稳健科技有限公司", {**BASE, "成立日期": "2014-05-01", "上年营业收入（万元）": 12000, "资产负债率": "25%", "发明专利数": 8,
                               "实用新型数": 12, "融资金额（万元）": 300, "融资期限（月）": 12}),
    ("甲示例校验位有误有限公司", {**BASE, "统一社会信用代码": "91110000600037341M"}),
]


def whitelist_workbook() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = FIRM_SHEET
    ws.append(FIRM_HEADERS)
    for name, cells in FIRMS:
        ws.append([{**cells, "企业名称": name}.get(h) for h in FIRM_HEADERS])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _upload(api, user: str, content: bytes, product_id: str | None = "cab-qinchuangdai", name: str = "白名单.xlsx", **data) -> httpx.Response:
    form = {"product_id": product_id, **data} if product_id else data
    return httpx.post(f"{api.url}/match/reverse/upload", headers=api.headers(user), timeout=60,
                      files={"file": (name, content, XLSX)}, data=form)


def test_uploaded_whitelist_is_ranked_by_each_firms_fit_with_row_errors(live_api):
    r = _upload(live_api, "staff", whitelist_workbook())
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["product_id"] == "cab-qinchuangdai" and body["product_name"] == "秦创贷"
    rows = body["rows"]
    assert [x["enterprise"] for x in rows] == ["乙示例稳健科技有限公司", "丙示例成长科技有限公司", "丁示例初创科技有限公司", "戊示例外地科技有限公司"]
    assert [x["row"] for x in rows] == [5, 4, 3, 2]
    assert [x["verdict"] for x in rows] == ["符合", "符合", "符合", "不符合"]
    assert [x["eligible"] for x in rows] == [True, True, True, False]
    scores = [x["score"] for x in rows]
    assert scores == sorted(scores, reverse=True) and len(set(scores)) == 4  # the firm, not the product, sets the score
    assert all(s >= 60 for s in scores[:3]) and scores[3] < 30
    for x in rows:
        assert set(x["score_parts"]) == PARTS and abs(sum(x["score_parts"].values()) - x["score"]) < 0.06
        assert set(x["score_notes"]) == PARTS and x["reasons"]
    assert any("注册地北京市" in m["message"] for m in rows[3]["reasons"] if m["status"] == "fail")
    assert len(body["errors"]) == 1 and body["errors"][0].startswith("第6行") and "校验位" in body["errors"][0]

    top = _upload(live_api, "staff", whitelist_workbook(), top="2").json()
    assert [x["enterprise"] for x in top["rows"]] == [x["enterprise"] for x in rows[:2]] and top["errors"] == body["errors"]


def test_reverse_upload_refusals_are_chinese(live_api):
    assert _upload(live_api, "ent-a", whitelist_workbook()).status_code == 403  # staff only
    missing = _upload(live_api, "staff", whitelist_workbook(), product_id="no-such-product")
    assert missing.status_code == 404 and "no-such-product" in missing.json()["detail"]
    assert _upload(live_api, "staff", whitelist_workbook(), product_id=None).status_code == 422
    wrong = _upload(live_api, "staff", b"not a workbook", name="名单.csv")
    assert wrong.status_code == 400 and "不支持的文件类型" in wrong.json()["detail"]
    broken = _upload(live_api, "staff", b"PK\x03\x04 but not a workbook")
    assert broken.status_code == 422 and broken.json()["detail"] == "企业名单无法读取"
