"""Workbook errors a clerk can act on: every bad cell of every row, once each, in Chinese, naming the workbook's
column header and what was typed; valid rows of a whitelist are still matched; a product workbook is refused whole."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from assistant.products.batch import FIRM_HEADERS, FIRM_SHEET, read_firms, write_batch
from assistant.products.catalog import get_catalog
from assistant.products.excel import HEADERS, SHEET, WorkbookError, export_workbook, read_workbook
from tests.text_checks import assert_user_text

ROOT = Path(__file__).resolve().parents[1]
PRODUCT_FIELDS = {"id", "name", "institution", "category", "summary", "amount", "term_months", "rate", "min", "max", "text",
                  "pledge_ratio", "accepted_ip", "guarantee", "eligibility", "regions", "qualifications_any",
                  "qualifications_all", "min_years", "revenue", "max_debt_ratio", "max_employees", "ip_any", "types",
                  "count", "whitelist_required", "credit_clean", "min_ip_remaining_years", "subsidies", "documents",
                  "process", "days_to_loan", "contact", "department", "phone", "valid_from", "valid_to"}
PROFILE_FIELDS = {"name", "uscc", "region", "founded", "industry", "employees", "rd_staff", "revenue", "debt_ratio",
                  "qualifications", "whitelist", "credit_ok", "ip_counts", "need", "amount", "term_months", "purpose"}


def _firms(path: Path, *rows: dict[str, Any]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = FIRM_SHEET
    ws.append(FIRM_HEADERS)
    for row in rows:
        ws.append([row.get(h) for h in FIRM_HEADERS])
    wb.save(path)
    return path


GOOD = {"企业名称": "甲示例科技有限公司", "注册地": "西咸新区", "成立日期": "2018-03-01", "职工人数": 120, "上年营业收入（万元）": 5000,
        "资产负债率": "45%", "资质": "高企、科小", "是否白名单": "是", "征信良好": "是", "发明专利数": 6, "融资金额（万元）": 300, "融资期限（月）": 24}


def test_every_bad_cell_of_every_row_is_reported_once_with_column_and_value(tmp_path):
    bad = {**GOOD, "企业名称": "乙示例科技有限公司", "职工人数": "很多", "研发人员数": "十个", "上年营业收入（万元）": "五千",
           "资产负债率": "四成", "是否白名单": "也许", "发明专利数": "3件", "融资期限（月）": 12.5, "成立日期": "去年"}
    worse = {**GOOD, "企业名称": "丙示例科技有限公司", "统一社会信用代码": "91110000600037341M", "资质": "高企、独角兽企业",
             "上年营业收入（万元）": -5, "融资金额（万元）": 0}
    firms, errors = read_firms(_firms(tmp_path / "list.xlsx", GOOD, bad, worse))

    assert [(r, f.name) for r, f in firms] == [(2, "甲示例科技有限公司")]  # the valid row is still matched
    assert firms[0][1].qualifications == ["高新技术企业", "科技型中小企业"]  # aliases normalised
    expected_row3 = [
        "第3行「成立日期」：日期格式应为 YYYY-MM-DD（如 2018-03-01），当前填写“去年”",
        "第3行「职工人数」：应为整数，当前填写“很多”",
        "第3行「研发人员数」：应为整数，当前填写“十个”",
        "第3行「上年营业收入（万元）」：应为数字，当前填写“五千”",
        "第3行「资产负债率」：应为0到1之间的小数或百分数（如 0.45 或 45%），当前填写“四成”",
        "第3行「是否白名单」：应填“是”或“否”，当前填写“也许”",
        "第3行「发明专利数」：应为整数，当前填写“3件”",
        "第3行「融资期限（月）」：应为整数，当前填写“12.5”",
    ]
    assert [e for e in errors if e.startswith("第3行")] == expected_row3
    row4 = [e for e in errors if e.startswith("第4行")]
    assert len(row4) == 4, row4
    assert any(e.startswith("第4行「统一社会信用代码」：") and "校验位" in e and "当前填写“91110000600037341M”" in e for e in row4)
    assert any(e.startswith("第4行「资质」：") and "独角兽企业" in e and "高新技术企业" in e for e in row4)
    assert "第4行「上年营业收入（万元）」：不能小于0，当前填写“-5”" in row4  # the clerk's 万元, not the yuan it became
    assert "第4行「融资金额（万元）」：必须大于0，当前填写“0”" in row4
    assert len(set(errors)) == len(errors)
    for e in errors:
        assert_user_text(e, PROFILE_FIELDS)


def test_a_row_without_a_name_and_a_model_level_error_name_the_columns(tmp_path):
    nameless = {**GOOD, "企业名称": None}
    staff = {**GOOD, "企业名称": "丁示例科技有限公司", "职工人数": 5, "研发人员数": 9}
    _, errors = read_firms(_firms(tmp_path / "list.xlsx", nameless, staff))
    assert errors == ["第2行「企业名称」：必须填写", "第3行「研发人员数」「职工人数」：研发人员数不能超过职工总数，当前填写“9”、“5”"]


def test_rows_with_errors_go_to_the_errors_sheet_and_the_rest_is_matched(tmp_path):
    firms, errors = read_firms(_firms(tmp_path / "list.xlsx", GOOD, {**GOOD, "企业名称": "乙示例科技有限公司", "职工人数": "很多"}))
    out = tmp_path / "out.xlsx"
    write_batch(out, get_catalog(ROOT / "corpus"), firms, errors)
    wb = load_workbook(out)
    assert {r[0] for r in wb["匹配明细"].iter_rows(min_row=2, values_only=True)} == {"甲示例科技有限公司"}
    assert [r[0] for r in wb["错误"].iter_rows(min_row=2, values_only=True)] == ["第3行「职工人数」：应为整数，当前填写“很多”"]


# -- product workbook ---------------------------------------------------------------------------------------

@pytest.fixture()
def exported(tmp_path: Path) -> Path:
    path = tmp_path / "products.xlsx"
    export_workbook(get_catalog(ROOT / "corpus"), path)
    return path


def _edit(path: Path, edits: dict[tuple[int, str], Any]) -> None:
    wb = load_workbook(path)
    for (row, header), value in edits.items():
        wb[SHEET].cell(row=row, column=HEADERS.index(header) + 1).value = value  # cell(value=None) would not clear it
    wb.save(path)


def _import_errors(path: Path) -> list[str]:
    with pytest.raises(WorkbookError) as err:
        read_workbook(path)
    for e in err.value.errors:
        assert_user_text(e, PRODUCT_FIELDS)
    return err.value.errors


def test_product_cells_are_explained_in_chinese_with_the_value(exported):
    _edit(exported, {(4, "最低年利率（%）"): "三点五", (4, "放款时间（工作日）"): "十天", (5, "最低额度（万元）"): -10,
                     (6, "类别"): "房贷", (7, "质押率"): "发明专利五成", (8, "产品编号"): "Bad ID!"})
    errors = _import_errors(exported)
    assert "第4行「最低年利率（%）」：应为数字，当前填写“三点五”" in errors
    assert "第4行「放款时间（工作日）」：应为整数，当前填写“十天”" in errors
    assert "第5行「最低额度（万元）」：不能小于0，当前填写“-10”" in errors
    assert any(e.startswith("第6行「类别」：应为以下之一：知识产权质押贷款、") and e.endswith("当前填写“房贷”") for e in errors), errors
    assert any(e.startswith("第7行「质押率」：") and "发明专利:50%" in e and "当前填写“发明专利五成”" in e for e in errors), errors
    assert any(e.startswith("第8行「产品编号」：") and "小写字母" in e and "当前填写“Bad ID!”" in e for e in errors), errors


def test_cross_field_errors_name_every_column_concerned(exported):
    _edit(exported, {(3, "最低额度（万元）"): 900, (3, "最高额度（万元）"): 100, (4, "最低年利率（%）"): 9, (4, "最高年利率（%）"): 3,
                     (5, "营业收入下限（万元）"): 5000, (5, "营业收入上限（万元）"): 10, (6, "生效日期"): "2025-06-01",
                     (6, "截止日期"): "2025-01-01"})
    errors = _import_errors(exported)
    assert "第3行「最低额度（万元）」「最高额度（万元）」：下限不能大于上限，当前填写“900”、“100”" in errors
    assert "第4行「最低年利率（%）」「最高年利率（%）」：利率下限不能大于上限，当前填写“9”、“3”" in errors
    assert "第5行「营业收入下限（万元）」「营业收入上限（万元）」：下限不能大于上限，当前填写“5000”、“10”" in errors
    assert "第6行「生效日期」「截止日期」：有效期截止日不能早于起始日，当前填写“2025-06-01”、“2025-01-01”" in errors


def test_missing_required_cells_and_unknown_qualifications_name_their_columns(exported):
    _edit(exported, {(3, "利率说明"): None, (3, "最低年利率（%）"): None, (3, "最高年利率（%）"): None, (4, "申请材料"): None,
                     (5, "资质（任一）"): "高企、独角兽企业", (6, "可质押知识产权"): "发明专利、专利"})
    errors = _import_errors(exported)
    assert "第3行「最低年利率（%）」：必须填写" in errors and "第3行「最高年利率（%）」：必须填写" in errors
    assert "第4行「申请材料」：必须填写" in errors
    assert any(e.startswith("第5行「资质（任一）」：") and "独角兽企业" in e and "科技型中小企业" in e for e in errors), errors
    assert any(e.startswith("第6行「可质押知识产权」：应为以下之一：发明专利、") and "当前填写“专利”" in e for e in errors), errors


def test_aliases_in_a_product_workbook_are_stored_canonical(exported):
    wb = load_workbook(exported)
    row = next(r for r in range(2, wb[SHEET].max_row + 1) if wb[SHEET].cell(row=r, column=HEADERS.index("资质（任一）") + 1).value)
    _edit(exported, {(row, "资质（任一）"): "高企、科小"})
    products = read_workbook(exported)
    assert products[row - 2].eligibility.qualifications_any == ["高新技术企业", "科技型中小企业"]
