"""Chinese numbers and money: 五千二百万, 1.5亿, 500万, 一点五亿, 1,500万, 三百五十万元 → 元.

cn2an parses most forms; we normalise what it refuses (thousands separators, 一点五, full-width digits) first.
"""

from __future__ import annotations

import re

CN_DIGITS = "零〇一二两三四五六七八九十百千万亿点"
NUM = rf"(?:\d+(?:\.\d+)?|[{CN_DIGITS}]+)"
_FULLWIDTH = str.maketrans("０１２３４５６７８９．，％", "0123456789.,%")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3})")


def normalise(text: str) -> str:
    return _THOUSANDS.sub("", text.translate(_FULLWIDTH))


def to_number(token: str) -> float | None:
    """A bare number in Arabic or Chinese numerals (三百五十, 十二, 1.5, 一点五) → float."""
    import cn2an

    token = normalise(token).strip()
    if not token:
        return None
    try:
        return float(token)
    except ValueError:
        pass
    try:
        return float(cn2an.cn2an(token, "smart"))
    except (ValueError, KeyError, IndexError, TypeError):
        return None


# 块 is money after a sum (3000块手续费, 两千块) or before 钱 or a clause's end (六块钱): 一块儿 (together), 一块地 (a
# plot) are no sums
_BLOCK_AS_YUAN = r"块(?=钱|[，,。；;？?！!、\s]|$)"
YUAN_WORD = rf"(?:元|(?<=\d\d)块|{_BLOCK_AS_YUAN})"
_CN_YUAN = re.compile(rf"[{CN_DIGITS}]+(?=\s*(?:元|块))")


def yuan_in_figures(text: str) -> str:
    """Money written in Chinese numerals up to 元 (三万五千元, 一万二千块) in Arabic figures (35000元): a reader that takes
    万 for a unit would otherwise stop at 三万."""
    def arabic(m: re.Match[str]) -> str:
        after = m.string[m.end():].lstrip()
        # 块 after a bare digit word (一块儿, 一块地) is no sum; after a sum with its scale (两千块) or before 钱 it is
        if after.startswith("块") and not re.search(r"[十百千万亿]", m.group(0)) and not re.match(_BLOCK_AS_YUAN, after):
            return m.group(0)
        value = to_number(m.group(0))
        return m.group(0) if value is None else f"{value:.2f}".rstrip("0").rstrip(".")

    return _CN_YUAN.sub(arabic, text)


MONEY = re.compile(rf"({NUM})\s*(亿|千万|百万|万)?\s*(元|块)?")


def to_yuan(number: str, unit: str | None) -> float | None:
    """Number and unit (万, 亿 …) to 元; “五千二百万” arrives as number=五千二百万, unit=None."""
    if unit:
        whole = to_number(number + unit)  # “一亿两千”+“万” must be read as one number, not (一亿两千)×万
        if whole is not None and not re.fullmatch(r"[\d.]+", normalise(number)):
            return round(whole, 2)
    value = to_number(number)
    if value is None:
        return None
    scale = {"亿": 1e8, "千万": 1e7, "百万": 1e6, "万": 1e4}.get(unit or "", 1.0)
    return round(value * scale, 2)


_FIGURE = re.compile(rf"({NUM})\s*(亿元|万元|亿|万|元|%|个百分点|个工作日|天|日|个月|月|年)")
_SCALE = {"亿元": 1e8, "亿": 1e8, "万元": 1e4, "万": 1e4}
_UNIT_OF = {"亿元": "元", "亿": "元", "万元": "元", "万": "元", "元": "元", "%": "%", "个百分点": "%",
            "个工作日": "天", "天": "天", "日": "天", "个月": "个月", "月": "个月", "年": "年"}


def stated_figures(text: str) -> list[tuple[float, str]]:
    """Every figure a text states, as (value in the base unit, unit): 7.6万元 → (76000.0, 元); 76,000元 too."""
    out = []
    for m in _FIGURE.finditer(normalise(text)):
        value = to_number(m.group(1))
        if value is not None:
            out.append((round(value * _SCALE.get(m.group(2), 1.0), 4), _UNIT_OF[m.group(2)]))
    return out
