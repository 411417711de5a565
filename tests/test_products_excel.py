"""Excel round trip of the product library, and bad workbooks refused whole with row/column errors."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from assistant.products.catalog import get_catalog
from assistant.products.excel import HEADERS, SHEET, WorkbookError, export_workbook, read_workbook

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture()
def exported(tmp_path: Path) -> Path:
    path = tmp_path / "products.xlsx"
    export_workbook(get_catalog(ROOT / "corpus"), path)
    return path


def test_round_trip_keeps_every_product_equal(exported):
    back = read_workbook(exported)
    original = {p.id: p for p in get_catalog(ROOT / "corpus")}
    assert len(back) == 36
    for p in back:
        assert p == original[p.id], p.id


def test_headers_are_chinese_one_row_per_product(exported):
    ws = load_workbook(exported)[SHEET]
    assert [c.value for c in ws[1]] == HEADERS
    assert ws.max_row == 37


def _edit(path: Path, row: int, header: str, value) -> None:
    wb = load_workbook(path)
    ws = wb[SHEET]
    ws.cell(row=row, column=HEADERS.index(header) + 1, value=value)
    wb.save(path)


def test_a_bad_row_refuses_the_whole_file_naming_row_and_column(exported, tmp_path):
    _edit(exported, 3, "最高年利率（%）", "很低")
    _edit(exported, 5, "类别", "房贷")
    _edit(exported, 7, "质押率", "发明专利五成")
    with pytest.raises(WorkbookError) as err:
        read_workbook(exported)
    text = err.value.message
    assert "整表拒绝" in text
    assert "第3行「最高年利率（%）」" in text
    assert "第5行「类别」" in text
    assert "第7行「质押率」" in text


def test_wrong_sheet_and_missing_columns_and_not_excel(tmp_path):
    wb = Workbook()
    wb.active.title = "Sheet1"
    wrong = tmp_path / "wrong.xlsx"
    wb.save(wrong)
    with pytest.raises(WorkbookError, match="找不到名为“产品库”的工作表"):
        read_workbook(wrong)
    wb = Workbook()
    wb.active.title = SHEET
    wb.active.append(["产品编号", "产品名称"])
    cols = tmp_path / "cols.xlsx"
    wb.save(cols)
    with pytest.raises(WorkbookError, match="缺少列"):
        read_workbook(cols)
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a zip at all")
    with pytest.raises(WorkbookError, match="不是有效的 Excel"):
        read_workbook(junk)


def test_cli_import_writes_nothing_on_error_and_overrides_on_success(exported, tmp_path):
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(tmp_path / "data"), "ASSISTANT_CORPUS_DIR": str(ROOT / "corpus")}
    _edit(exported, 2, "最高额度（万元）", 1200)  # a valid change
    _edit(exported, 4, "产品编号", "Bad ID!")  # and an invalid one
    out = subprocess.run([sys.executable, "-m", "assistant.cli", "products", "import", str(exported)], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode != 0 and "第4行「产品编号」" in out.stderr and "Traceback" not in out.stderr
    assert not (tmp_path / "data" / "products").exists() or not list((tmp_path / "data" / "products").glob("*.yaml"))

    first_id = load_workbook(exported)[SHEET].cell(row=2, column=1).value
    _edit(exported, 4, "产品编号", get_catalog(ROOT / "corpus")[2].id)  # mend the bad row, import again
    out = subprocess.run([sys.executable, "-m", "assistant.cli", "products", "import", str(exported)], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    from assistant.products.catalog import catalog_for
    from assistant.settings import Settings

    merged = {p.id: p for p in catalog_for(Settings(data_dir=tmp_path / "data", corpus_dir=ROOT / "corpus"))}
    assert merged[first_id].amount.max == 12_000_000
