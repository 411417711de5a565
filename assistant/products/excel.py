"""The product library as an Excel workbook (one row per product, Chinese headers) for the policy team.

Import is all or nothing: every row is parsed and validated first; one bad cell refuses the whole file with
row- and column-level Chinese errors, and nothing is written. A good file is written as YAML sheets into the
managed product directory, replacing products of the same id.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from assistant.errors import AssistantError
from assistant.products import cells
from assistant.products.cells import CellError
from assistant.products.schema import Product

SHEET = "产品库"
_SEP = re.compile(r"[、，,；;\n]+")


class WorkbookError(AssistantError):
    def __init__(self, errors: list[str], what: str = "产品表格未导入（整表拒绝，未做任何修改）") -> None:
        super().__init__(what + "：\n" + "\n".join(f"  - {e}" for e in errors))
        self.errors = errors
        self.what = what


def _wan_out(x: float | None) -> float | None:
    return None if x is None else x / 10000


def _list_out(items: Sequence[str]) -> str:
    return "、".join(items)


def _list_in(cell: Any) -> list[str]:
    return [x.strip() for x in _SEP.split(str(cell or "")) if x.strip()]


def _steps_out(items: list[str]) -> str:
    return "；".join(items)


def _steps_in(cell: Any) -> list[str]:
    return [x.strip() for x in re.split(r"[；;\n]+", str(cell or "")) if x.strip()]


def _ratio_out(d: Mapping[Any, float]) -> str:
    return "；".join(f"{k}:{v:.0%}" for k, v in d.items())


def _ratio_in(cell: Any) -> dict[str, float]:
    out = {}
    for part in _steps_in(cell):
        m = re.fullmatch(r"(.+?)[:：]\s*(\d+(?:\.\d+)?)\s*[%％]?", part)
        if not m:
            raise CellError("每项应写成“发明专利:50%”，多项用“；”分隔")
        out[m.group(1).strip()] = float(m.group(2)) / 100
    return out


def _ip_any_out(reqs: list[Any]) -> str:
    return "；".join(f"{'/'.join(r.types)}×{r.count}" for r in reqs)


def _ip_any_in(cell: Any) -> list[dict[str, Any]]:
    out = []
    for part in _steps_in(cell):
        m = re.fullmatch(r"(.+?)[×xX*]\s*(\d+)", part)
        if not m:
            raise CellError("每组应写成“发明专利×1”或“实用新型/软件著作权×3”，多组用“；”分隔")
        out.append({"types": [t.strip() for t in m.group(1).split("/") if t.strip()], "count": int(m.group(2))})
    return out


def _bool_out(b: bool) -> str:
    return "是" if b else "否"


def _bool_in(cell: Any) -> bool:
    return bool(cells.yes_no(cell))  # blank reads as 否


def _str_in(cell: Any) -> str:
    return str(cell or "").strip()


# (header, export getter, path in the product dict, import parser)
Column = tuple[str, Callable[[Product], Any], tuple[str, ...], Callable[[Any], Any]]
COLUMNS: list[Column] = [
    ("产品编号", lambda p: p.id, ("id",), _str_in),
    ("产品名称", lambda p: p.name, ("name",), _str_in),
    ("机构", lambda p: p.institution, ("institution",), _str_in),
    ("类别", lambda p: p.category, ("category",), _str_in),
    ("产品简介", lambda p: p.summary, ("summary",), _str_in),
    ("最低额度（万元）", lambda p: _wan_out(p.amount.min), ("amount", "min"), cells.wan),
    ("最高额度（万元）", lambda p: _wan_out(p.amount.max), ("amount", "max"), cells.wan),
    ("最短期限（月）", lambda p: p.term_months.min, ("term_months", "min"), cells.number),
    ("最长期限（月）", lambda p: p.term_months.max, ("term_months", "max"), cells.number),
    ("利率说明", lambda p: p.rate.text, ("rate", "text"), _str_in),
    ("最低年利率（%）", lambda p: p.rate.min, ("rate", "min"), cells.number),
    ("最高年利率（%）", lambda p: p.rate.max, ("rate", "max"), cells.number),
    ("质押率", lambda p: _ratio_out(p.pledge_ratio), ("pledge_ratio",), _ratio_in),
    ("可质押知识产权", lambda p: _list_out(p.accepted_ip), ("accepted_ip",), _list_in),
    ("担保要求", lambda p: p.guarantee, ("guarantee",), lambda c: str(c or "无需").strip()),
    ("注册地要求", lambda p: _list_out(p.eligibility.regions), ("eligibility", "regions"), _list_in),
    ("资质（任一）", lambda p: _list_out(p.eligibility.qualifications_any), ("eligibility", "qualifications_any"), _list_in),
    ("资质（全部）", lambda p: _list_out(p.eligibility.qualifications_all), ("eligibility", "qualifications_all"), _list_in),
    ("最短成立年限（年）", lambda p: p.eligibility.min_years, ("eligibility", "min_years"), cells.number),
    ("营业收入下限（万元）", lambda p: _wan_out(p.eligibility.revenue.min) if p.eligibility.revenue else None, ("eligibility", "revenue", "min"), cells.wan),
    ("营业收入上限（万元）", lambda p: _wan_out(p.eligibility.revenue.max) if p.eligibility.revenue else None, ("eligibility", "revenue", "max"), cells.wan),
    ("资产负债率上限", lambda p: p.eligibility.max_debt_ratio, ("eligibility", "max_debt_ratio"), cells.ratio),
    ("职工人数上限", lambda p: p.eligibility.max_employees, ("eligibility", "max_employees"), cells.integer),
    ("知识产权要求", lambda p: _ip_any_out(p.eligibility.ip_any), ("eligibility", "ip_any"), _ip_any_in),
    ("须列入白名单", lambda p: _bool_out(p.eligibility.whitelist_required), ("eligibility", "whitelist_required"), _bool_in),
    ("须征信良好", lambda p: _bool_out(p.eligibility.credit_clean), ("eligibility", "credit_clean"), _bool_in),
    ("知识产权剩余有效期下限（年）", lambda p: p.eligibility.min_ip_remaining_years, ("eligibility", "min_ip_remaining_years"), cells.number),
    ("适用补贴", lambda p: _list_out(p.subsidies), ("subsidies",), _list_in),
    ("申请材料", lambda p: _steps_out(p.documents), ("documents",), _steps_in),
    ("办理流程", lambda p: _steps_out(p.process), ("process",), _steps_in),
    ("放款时间（工作日）", lambda p: p.days_to_loan, ("days_to_loan",), cells.integer),
    ("联系部门", lambda p: p.contact.department, ("contact", "department"), _str_in),
    ("联系电话", lambda p: p.contact.phone, ("contact", "phone"), _str_in),
    ("生效日期", lambda p: p.valid_from.isoformat(), ("valid_from",), cells.date),
    ("截止日期", lambda p: p.valid_to.isoformat() if p.valid_to else None, ("valid_to",), cells.date),
]
HEADERS = [c[0] for c in COLUMNS]
BY_PATH = _BY_PATH = {c[2]: c[0] for c in COLUMNS}  # field path → the column that holds it (for messages)


def export_workbook(products: list[Product], path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for p in products:
        ws.append([getter(p) for _, getter, _, _ in COLUMNS])
    ws.freeze_panes = "C2"
    for i, header in enumerate(HEADERS, start=1):
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = max(10, len(header) * 2 + 2)
    wb.save(path)


def _put(data: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    node = data
    for key in path[:-1]:
        node = node.setdefault(key, {})
    if value is not None and value != [] and value != {}:
        node[path[-1]] = value


def _prune(data: dict[str, Any]) -> dict[str, Any]:
    rev = data.get("eligibility", {}).get("revenue")
    if rev == {}:
        data["eligibility"].pop("revenue")
    return data


def open_workbook(path: Path, what: str = "产品表格未导入（整表拒绝，未做任何修改）") -> Any:
    """Open an .xlsx read-only; anything that is not one is a Chinese WorkbookError naming the file."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        return load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise WorkbookError([f"《{path.name}》不是有效的 Excel（.xlsx）文件"], what) from exc


def read_workbook(path: Path) -> list[Product]:
    """Parse and validate every row; raise WorkbookError listing every problem (row, column, reason)."""
    wb = open_workbook(path)
    if SHEET not in wb.sheetnames:
        raise WorkbookError([f"找不到名为“{SHEET}”的工作表（现有：{'、'.join(wb.sheetnames)}）"])
    rows = list(wb[SHEET].iter_rows(values_only=True))
    if not rows:
        raise WorkbookError(["工作表为空"])
    header = [str(h).strip() if h is not None else "" for h in rows[0]]
    missing = [h for h in HEADERS if h not in header]
    if missing:
        raise WorkbookError([f"缺少列：{'、'.join(missing)}"])
    col = {h: header.index(h) for h in HEADERS}
    errors: list[str] = []
    products: list[Product] = []
    seen: dict[str, int] = {}
    for r, row in enumerate(rows[1:], start=2):
        if all(cells.blank(c) for c in row):
            continue
        data: dict[str, Any] = {"sample": True}
        typed = {name: row[col[name]] if col[name] < len(row) else None for name in HEADERS}
        unreadable: set[str] = set()
        for name, _, path_, parse in COLUMNS:  # every cell, so one row reports all its problems
            try:
                _put(data, path_, parse(typed[name]))
            except CellError as exc:
                errors.append(cells.cell_error(r, [name], str(exc), [typed[name]]))
                unreadable.add(name)
        try:
            product = Product.model_validate(_prune(data))
        except ValidationError as exc:
            errors += cells.validation_errors(r, list(exc.errors()), _BY_PATH, typed, unreadable)
            continue
        if unreadable:
            continue
        if product.id in seen:
            errors.append(f"第{r}行「产品编号」：{product.id} 与第{seen[product.id]}行重复")
            continue
        seen[product.id] = r
        products.append(product)
    if errors:
        raise WorkbookError(errors)
    if not products:
        raise WorkbookError(["表格中没有产品数据"])
    return products


def write_products(products: list[Product], directory: Path) -> None:
    """Write all sheets to a staging dir first, then move them in: no half-written library."""
    directory.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".import-", dir=directory))
    try:
        for p in products:
            data = p.model_dump(mode="json", exclude_none=True)
            text = "# 示例产品：由产品表格导入。\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
            (staging / f"{p.id}.yaml").write_text(text, encoding="utf-8")
        for f in staging.iterdir():
            f.replace(directory / f.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
