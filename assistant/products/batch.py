"""Staff workflows: a whitelist workbook of firms in, a match workbook out; and reverse matching (one product,
many firms ranked). Rows that do not validate are listed on an “错误” sheet with row-level Chinese reasons;
the valid rows are still matched (matching writes nothing back, so a partial result loses nothing)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from assistant.products import cells
from assistant.products.cells import CellError
from assistant.products.excel import WorkbookError, open_workbook
from assistant.products.matcher import Match, match_all, match_one
from assistant.products.schema import Product
from assistant.profile.model import Profile

FIRM_SHEET = "企业名单"
IP_COLUMNS = {"发明专利数": "发明专利", "实用新型数": "实用新型", "外观设计数": "外观设计", "商标数": "商标", "著作权数": "著作权", "软件著作权数": "软件著作权"}
VERDICT = {True: "符合", None: "需补充", False: "不符合"}


def _bool(v: Any) -> bool | None:
    return cells.yes_no(v)


def _names(v: Any) -> list[str] | None:
    """“高企、科小” → names; the profile model normalises aliases and refuses names it does not know."""
    text = cells.text(v)
    return None if text is None else [q.strip() for q in text.replace("，", "、").replace(",", "、").split("、") if q.strip()]


# (column header, path in the profile, cell parser), in the template's order
FIRM_COLUMNS: list[tuple[str, tuple[str, ...], Callable[[Any], Any]]] = [
    ("企业名称", ("name",), cells.text), ("统一社会信用代码", ("uscc",), cells.text), ("注册地", ("region",), cells.text),
    ("成立日期", ("founded",), cells.date), ("所属行业", ("industry",), cells.text), ("职工人数", ("employees",), cells.integer),
    ("研发人员数", ("rd_staff",), cells.integer), ("上年营业收入（万元）", ("revenue",), cells.wan),
    ("资产负债率", ("debt_ratio",), cells.ratio), ("资质", ("qualifications",), _names), ("是否白名单", ("whitelist",), _bool),
    ("征信良好", ("credit_ok",), _bool), *[(c, ("ip_counts", t), cells.integer) for c, t in IP_COLUMNS.items()],
    ("融资金额（万元）", ("need", "amount"), cells.wan), ("融资期限（月）", ("need", "term_months"), cells.integer),
    ("资金用途", ("need", "purpose"), cells.text),
]
FIRM_HEADERS = [c[0] for c in FIRM_COLUMNS]
_BY_PATH = {path: header for header, path, _ in FIRM_COLUMNS}


def _row_profile(row: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The profile fields of one row, column by column, and {column: Chinese reason} for the cells that cannot be
    read (those are left out, so the rest of the row is still checked)."""
    data: dict[str, Any] = {}
    unreadable: dict[str, str] = {}
    for header, path, parse in FIRM_COLUMNS:
        try:
            value = parse(row.get(header))
        except CellError as exc:
            unreadable[header] = str(exc)
            continue
        if value is not None:
            node = data
            for key in path[:-1]:
                node = node.setdefault(key, {})
            node[path[-1]] = value
    return data, unreadable


FIRM_LIST_ERROR = "企业名单无法读取"


def read_firms(path: Path) -> tuple[list[tuple[int, Profile]], list[str]]:
    """(row number, profile) for valid rows, and every problem of the others: one Chinese message per bad cell
    (「column」, reason, what was typed), in column order."""
    wb = open_workbook(path, FIRM_LIST_ERROR)
    sheet = FIRM_SHEET if FIRM_SHEET in wb.sheetnames else wb.sheetnames[0]
    rows = list(wb[sheet].iter_rows(values_only=True))
    if not rows:
        raise WorkbookError(["企业名单为空"], FIRM_LIST_ERROR)
    header = [str(h).strip() if h is not None else "" for h in rows[0]]
    if "企业名称" not in header:
        raise WorkbookError([f"工作表“{sheet}”缺少“企业名称”列（表头应为：{'、'.join(FIRM_HEADERS)}）"], FIRM_LIST_ERROR)
    firms, errors = [], []
    for r, row in enumerate(rows[1:], start=2):
        if all(cells.blank(c) for c in row):
            continue
        typed = {h: row[i] for i, h in enumerate(header) if h and i < len(row)}
        data, unreadable = _row_profile(typed)
        row_errors = [cells.cell_error(r, [h], why, [typed.get(h)]) for h, why in unreadable.items()]
        try:
            profile = Profile.model_validate(data)
        except ValidationError as exc:
            row_errors += cells.validation_errors(r, list(exc.errors()), _BY_PATH, typed, set(unreadable))
        if row_errors:
            errors += _in_column_order(row_errors)
        else:
            firms.append((r, profile))
    return firms, errors


def _in_column_order(messages: list[str]) -> list[str]:
    """Messages of one row sorted by the first column they name, so a clerk reads the row left to right."""
    def key(m: str) -> int:
        found = [i for i, h in enumerate(FIRM_HEADERS) if f"「{h}」" in m]
        return min(found) if found else len(FIRM_HEADERS)
    return sorted(messages, key=key)


def _reasons(m: Match, status: str) -> str:
    return "；".join(r["message"] for r in m.reasons if r["status"] == status)


def _amount(m: Match) -> str:
    a = m.indicative_amount
    return f"{a['min'] / 1e4:g}–{a['max'] / 1e4:g}" if a else ""


def reverse_match(product: Product, firms: list[tuple[int, Profile]], today: dt.date | None = None) -> list[tuple[int, Profile, Match]]:
    """Firms for one product, best fit first: by verdict, then by the firm's 匹配度 (its need, IP and finances
    against this product's conditions), then by row; the verdict bands of the score keep the two orders the same."""
    order = {True: 0, None: 1, False: 2}
    rows = [(r, f, match_one(product, f, today)) for r, f in firms]
    return sorted(rows, key=lambda x: (order[x[2].eligible], -x[2].score, x[0]))


def write_reverse(path: Path, product: Product, ranked: list[tuple[int, Profile, Match]], errors: list[str]) -> None:
    from openpyxl import Workbook

    from assistant.products.matcher import PART_LABELS

    wb = Workbook()
    ws = wb.active
    ws.title = "匹配结果"
    ws.append([f"产品：{product.institution}「{product.name}」（{product.id}）  生成日期：{dt.date.today()}"])
    # the score's parts come after the columns that were there before, so readers of those keep working
    ws.append(["排名", "企业名称", "名单行号", "结论", "匹配分", "参考额度（万元）", "不符合原因", "需补充", "达标建议",
               *PART_LABELS.values(), "评分说明"])
    for i, (r, f, m) in enumerate(ranked, start=1):
        ws.append([i, f.name, r, VERDICT[m.eligible], m.score, _amount(m), _reasons(m, "fail"), "、".join(m.missing), "；".join(m.hints),
                   *(m.score_parts.get(k, 0.0) for k in PART_LABELS),
                   "；".join(f"{label}：{m.score_notes[k]}" for k, label in PART_LABELS.items() if m.score_notes.get(k))])
    _errors_sheet(wb, errors)
    wb.save(path)


def write_batch(path: Path, products: list[Product], firms: list[tuple[int, Profile]], errors: list[str], today: dt.date | None = None) -> int:
    """One row per firm × product (eligible and 需补充 first for each firm); returns the number of rows."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "匹配明细"
    ws.append(["企业名称", "名单行号", "产品编号", "产品名称", "机构", "类别", "结论", "得分", "参考额度（万元）", "不符合原因", "需补充", "达标建议"])
    summary = wb.create_sheet("企业汇总")
    summary.append(["企业名称", "名单行号", "符合产品数", "需补充产品数", "首选产品", "首选机构", "首选得分"])
    n = 0
    for r, f in firms:
        matches = match_all(products, f, today)
        for m in matches:
            ws.append([f.name, r, m.product_id, m.name, m.institution, m.category, VERDICT[m.eligible], m.score, _amount(m),
                       _reasons(m, "fail"), "、".join(m.missing), "；".join(m.hints)])
            n += 1
        best = next((m for m in matches if m.eligible), None)
        summary.append([f.name, r, sum(m.eligible is True for m in matches), sum(m.eligible is None for m in matches),
                        best.name if best else "", best.institution if best else "", best.score if best else ""])
    _errors_sheet(wb, errors)
    wb.save(path)
    return n


def _errors_sheet(wb: Any, errors: list[str]) -> None:
    if errors:
        es = wb.create_sheet("错误")
        es.append(["未能匹配的行及原因"])
        for e in errors:
            es.append([e])
