"""Staff workflows: a whitelist workbook of firms in, a match workbook out; and reverse matching (one product,
many firms ranked). Rows that do not validate are listed on an “错误” sheet with row-level Chinese reasons;
the valid rows are still matched (matching writes nothing back, so a partial result loses nothing)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from assistant.products.excel import WorkbookError, _date_in, open_workbook
from assistant.products.matcher import Match, match_all, match_one
from assistant.products.schema import Product
from assistant.profile.model import Profile, chinese_errors

FIRM_SHEET = "企业名单"
IP_COLUMNS = {"发明专利数": "发明专利", "实用新型数": "实用新型", "外观设计数": "外观设计", "商标数": "商标", "著作权数": "著作权", "软件著作权数": "软件著作权"}
FIRM_HEADERS = ["企业名称", "统一社会信用代码", "注册地", "成立日期", "所属行业", "职工人数", "研发人员数", "上年营业收入（万元）",
                "资产负债率", "资质", "是否白名单", "征信良好", *IP_COLUMNS, "融资金额（万元）", "融资期限（月）", "资金用途"]
VERDICT = {True: "符合", None: "需补充", False: "不符合"}


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _bool(v: Any) -> bool | None:
    if _blank(v):
        return None
    text = str(v).strip()
    if text in ("是", "有", "良好", "true", "True", "1", "Y"):
        return True
    if text in ("否", "无", "不良", "false", "False", "0", "N"):
        return False
    raise ValueError("应填“是”或“否”")


def _row_profile(cells: dict[str, Any]) -> dict[str, Any]:
    wan = lambda v: None if _blank(v) else float(v) * 10000  # noqa: E731
    ratio = lambda v: None if _blank(v) else (float(str(v).rstrip("%")) / 100 if float(str(v).rstrip("%")) > 1 else float(str(v).rstrip("%")))  # noqa: E731
    data: dict[str, Any] = {
        "name": str(cells.get("企业名称") or "").strip(),
        "uscc": None if _blank(cells.get("统一社会信用代码")) else str(cells["统一社会信用代码"]).strip(),
        "region": None if _blank(cells.get("注册地")) else str(cells["注册地"]).strip(),
        "founded": _date_in(cells.get("成立日期")),
        "industry": None if _blank(cells.get("所属行业")) else str(cells["所属行业"]).strip(),
        "employees": None if _blank(cells.get("职工人数")) else int(cells["职工人数"]),
        "rd_staff": None if _blank(cells.get("研发人员数")) else int(cells["研发人员数"]),
        "revenue": wan(cells.get("上年营业收入（万元）")),
        "debt_ratio": ratio(cells.get("资产负债率")),
        "qualifications": None if _blank(cells.get("资质")) else [q.strip() for q in str(cells["资质"]).replace("，", "、").replace(",", "、").split("、") if q.strip()],
        "whitelist": _bool(cells.get("是否白名单")),
        "credit_ok": _bool(cells.get("征信良好")),
    }
    counts = {t: int(cells[c]) for c, t in IP_COLUMNS.items() if not _blank(cells.get(c))}
    if counts:
        data["ip_counts"] = counts
    need = {"amount": wan(cells.get("融资金额（万元）")), "term_months": None if _blank(cells.get("融资期限（月）")) else int(cells["融资期限（月）"]),
            "purpose": None if _blank(cells.get("资金用途")) else str(cells["资金用途"])}
    if any(v is not None for v in need.values()):
        data["need"] = need
    return {k: v for k, v in data.items() if v is not None}


FIRM_LIST_ERROR = "企业名单无法读取"


def read_firms(path: Path) -> tuple[list[tuple[int, Profile]], list[str]]:
    """(row number, profile) for valid rows, and Chinese errors for the others."""
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
        if all(_blank(c) for c in row):
            continue
        cells = {h: row[i] for i, h in enumerate(header) if h and i < len(row)}
        try:
            firms.append((r, Profile.model_validate(_row_profile(cells))))
        except ValidationError as exc:
            errors += [f"第{r}行：{m}" for m in chinese_errors(exc)]
        except (ValueError, TypeError) as exc:
            errors.append(f"第{r}行：数据格式不正确（{exc}）")
    return firms, errors


def _reasons(m: Match, status: str) -> str:
    return "；".join(r["message"] for r in m.reasons if r["status"] == status)


def _amount(m: Match) -> str:
    a = m.indicative_amount
    return f"{a['min'] / 1e4:g}–{a['max'] / 1e4:g}" if a else ""


def reverse_match(product: Product, firms: list[tuple[int, Profile]], today: dt.date | None = None) -> list[tuple[int, Profile, Match]]:
    order = {True: 0, None: 1, False: 2}
    rows = [(r, f, match_one(product, f, today)) for r, f in firms]
    return sorted(rows, key=lambda x: (order[x[2].eligible], -x[2].score, x[0]))


def write_reverse(path: Path, product: Product, ranked: list[tuple[int, Profile, Match]], errors: list[str]) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "匹配结果"
    ws.append([f"产品：{product.institution}「{product.name}」（{product.id}）  生成日期：{dt.date.today()}"])
    ws.append(["排名", "企业名称", "名单行号", "结论", "得分", "参考额度（万元）", "不符合原因", "需补充", "达标建议"])
    for i, (r, f, m) in enumerate(ranked, start=1):
        ws.append([i, f.name, r, VERDICT[m.eligible], m.score, _amount(m), _reasons(m, "fail"), "、".join(m.missing), "；".join(m.hints)])
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
