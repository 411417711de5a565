"""Workbook cells in, Chinese reasons out: shared by the product workbook (excel.py) and the whitelist (batch.py).

Parsers take what openpyxl gives for a cell (str, int, float, datetime or None) and raise :class:`CellError` with a
Chinese reason; :func:`cell_error` adds the row, column and what the clerk typed. :func:`columns_for` maps a
pydantic error on the parsed record back to the workbook's column header(s), so no Python field name reaches a clerk.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

from assistant.profile.messages import concerned_fields, reason, shown, with_value

FieldPath = tuple[str, ...]

_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_YES = ("是", "有", "良好", "true", "True", "TRUE", "1", "Y", "y")
_NO = ("否", "无", "不良", "false", "False", "FALSE", "0", "N", "n")


class CellError(ValueError):
    """A cell that cannot be read; the message is a Chinese reason without the value (the caller adds it)."""


def blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def text(cell: Any) -> str | None:
    return None if blank(cell) else str(cell).strip()


def number(cell: Any) -> float | None:
    if blank(cell):
        return None
    if isinstance(cell, bool | dt.date):  # True is an int and a date is no amount
        raise CellError("应为数字")
    if isinstance(cell, int | float):
        return float(cell)
    try:
        return float(str(cell).strip().replace(",", "").replace("，", ""))
    except ValueError:
        raise CellError("应为数字") from None


def integer(cell: Any) -> int | None:
    try:
        value = number(cell)
    except CellError:
        raise CellError("应为整数") from None
    if value is None:
        return None
    if not value.is_integer():
        raise CellError("应为整数")
    return int(value)


def wan(cell: Any) -> float | None:
    """万元 in the workbook → 元 in the record."""
    value = number(cell)
    return None if value is None else value * 10000


def ratio(cell: Any) -> float | None:
    """0.45, 45 or “45%” → 0.45."""
    if blank(cell):
        return None
    percent = isinstance(cell, str) and cell.strip().endswith(("%", "％"))
    try:
        value = number(cell.strip().rstrip("%％") if isinstance(cell, str) else cell)
    except CellError:
        raise CellError("应为0到1之间的小数或百分数（如 0.45 或 45%）") from None
    if value is None:
        return None
    return value / 100 if percent or value > 1 else value


def date(cell: Any) -> str | None:
    """A date cell, or text such as 2018-03-01, 2018/3/1, 2018年3月1日 → ISO text."""
    if blank(cell):
        return None
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat()
    if isinstance(cell, dt.date):
        return cell.isoformat()
    m = _DATE.fullmatch(str(cell).strip())
    if m:
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
        except ValueError:
            pass
    raise CellError("日期格式应为 YYYY-MM-DD（如 2018-03-01）")


def yes_no(cell: Any) -> bool | None:
    if blank(cell):
        return None
    value = str(int(cell)) if isinstance(cell, float) and cell.is_integer() else str(cell).strip()
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise CellError("应填“是”或“否”")


def typed(cell: Any) -> str | None:
    """What the clerk typed, as quoted back in a message."""
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat() if cell.time() == dt.time() else cell.isoformat(sep=" ")
    return shown(cell)


def cell_error(row: int, columns: Sequence[str], why: str, cells: Sequence[Any] = ()) -> str:
    """“第3行「职工人数」：应为整数，当前填写“很多””."""
    values = [v for v in (typed(c) for c in cells) if v is not None]
    where = "".join(f"「{c}」" for c in columns)
    return f"第{row}行{where}：{with_value(why, *values)}"


def columns_for(error: Mapping[str, Any], by_path: Mapping[FieldPath, str]) -> tuple[list[str], bool]:
    """The column header(s) a pydantic error is about, and whether it is about a part of one cell (a list item, a
    dict key) rather than the whole cell. A cross-field error names every column it concerns; an error on an object
    that no single column holds (a missing 利率 group) names all the columns under it."""
    loc = tuple(str(p) for p in error.get("loc") or () if not isinstance(p, int))
    fields = concerned_fields(error)
    if fields:
        for base in (loc, loc[:-1]):  # relative to the model that raised it: the error's own path or its parent
            cols = [by_path.get(base + tuple(f.split("."))) for f in fields]
            if all(cols):
                return [c for c in cols if c], False
    for n in range(len(loc), 0, -1):
        if loc[:n] in by_path:
            return [by_path[loc[:n]]], n < len(error.get("loc") or ())
    under = [c for p, c in by_path.items() if loc and p[: len(loc)] == loc]
    return under, False


def validation_errors(row: int, errors: Sequence[Mapping[str, Any]], by_path: Mapping[FieldPath, str],
                      cells: Mapping[str, Any], skip: set[str]) -> list[str]:
    """Pydantic errors of one row as clerk messages naming columns and typed values; errors on columns in ``skip``
    (already reported as unreadable) are left out, and no message repeats."""
    out: list[str] = []
    for e in errors:
        columns, partial = columns_for(e, by_path)
        if columns and all(c in skip for c in columns):
            continue
        why = reason(e)
        if not columns:
            message = f"第{row}行：{why}"
        elif e.get("type") == "missing":
            message = cell_error(row, columns, why)
        elif partial:  # an item within the cell (a list entry, a dict key): quote the item, not the whole cell
            message = cell_error(row, columns, why, [e.get("input")])
        else:
            message = cell_error(row, columns, why, [cells.get(c) for c in columns])
        if message not in out:
            out.append(message)
    return out
