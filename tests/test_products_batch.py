"""Whitelist workbook in, match workbook out; reverse matching ranks firms for one product."""

import os
import subprocess
import sys
from pathlib import Path

from openpyxl import Workbook, load_workbook

from assistant.products.batch import FIRM_HEADERS, FIRM_SHEET, read_firms

ROOT = Path(__file__).resolve().parents[1]


def _whitelist(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = FIRM_SHEET
    ws.append(FIRM_HEADERS)
    row = dict.fromkeys(FIRM_HEADERS)
    good = {**row, "企业名称": "甲示例科技有限公司", "注册地": "西咸新区", "成立日期": "2018-03-01", "职工人数": 120, "上年营业收入（万元）": 5000,
            "资产负债率": "45%", "资质": "高新技术企业、科技型中小企业", "是否白名单": "是", "征信良好": "是", "发明专利数": 6, "实用新型数": 10,
            "融资金额（万元）": 300, "融资期限（月）": 24}
    weak = {**row, "企业名称": "乙示例软件有限公司", "注册地": "宝鸡市", "成立日期": "2025-09-01", "资质": "科技型中小企业", "征信良好": "是", "软件著作权数": 2}
    bad = {**row, "企业名称": "丙示例有限公司", "统一社会信用代码": "91110000600037341M", "资产负债率": "45%"}
    for firm in (weak, good, bad):
        ws.append([firm[h] for h in FIRM_HEADERS])
    wb.save(path)
    return path


def _env(tmp_path):
    return {**os.environ, "ASSISTANT_DATA_DIR": str(tmp_path / "data"), "ASSISTANT_CORPUS_DIR": str(ROOT / "corpus")}


def test_read_firms_keeps_good_rows_and_reports_bad_ones(tmp_path):
    firms, errors = read_firms(_whitelist(tmp_path / "list.xlsx"))
    assert [f.name for _, f in firms] == ["乙示例软件有限公司", "甲示例科技有限公司"]
    assert firms[1][1].revenue == 50_000_000 and firms[1][1].debt_ratio == 0.45 and firms[1][1].ip_counts["发明专利"] == 6
    assert len(errors) == 1 and errors[0].startswith("第4行") and "校验位" in errors[0]


def test_batch_workbook_has_a_row_per_firm_and_product_and_an_errors_sheet(tmp_path):
    out = tmp_path / "match.xlsx"
    proc = subprocess.run([sys.executable, "-m", "assistant.cli", "match", "--firms", str(_whitelist(tmp_path / "list.xlsx")), "--out", str(out)],
                          capture_output=True, text=True, env=_env(tmp_path), timeout=120)
    assert proc.returncode == 0, proc.stderr
    wb = load_workbook(out)
    assert wb["匹配明细"].max_row == 1 + 2 * 36
    summary = list(wb["企业汇总"].iter_rows(min_row=2, values_only=True))
    by_name = {r[0]: r for r in summary}
    assert by_name["甲示例科技有限公司"][2] > 0 and by_name["甲示例科技有限公司"][4]
    assert "校验位" in wb["错误"]["A2"].value


def test_reverse_match_ranks_the_eligible_firm_first(tmp_path):
    out = tmp_path / "reverse.xlsx"
    proc = subprocess.run([sys.executable, "-m", "assistant.cli", "match", "--product", "cab-qinchuangdai", "--firms",
                           str(_whitelist(tmp_path / "list.xlsx")), "--out", str(out)], capture_output=True, text=True, env=_env(tmp_path), timeout=120)
    assert proc.returncode == 0, proc.stderr
    sheet = list(load_workbook(out)["匹配结果"].iter_rows(min_row=2, values_only=True))
    header, rows = sheet[0], sheet[1:]
    assert [r[1] for r in rows] == ["甲示例科技有限公司", "乙示例软件有限公司"]
    assert rows[0][3] == "符合" and rows[1][3] == "不符合" and "宝鸡市" in rows[1][6]
    # the 匹配分 with its parts, which add up to it, and what each part means for this firm
    col = {h: i for i, h in enumerate(header)}
    parts = ["结论档", "需求契合", "条件余量", "资料完整", "产品条件"]
    assert header[4] == "匹配分" and set(parts) <= set(col) and "评分说明" in col
    for r in rows:
        assert abs(sum(r[col[p]] for p in parts) - r[4]) < 0.06
    assert rows[0][4] >= 60 > 30 > rows[1][4]
    assert "资产负债率45%" in rows[0][col["评分说明"]]
