"""Display of amounts in 万元 (the unit lenders and policy texts use: 1万元 = 10,000 元) and of dates and times the
way Chinese forms write them, in Beijing time (China keeps UTC+8 all year, so a fixed offset needs no tz database)."""

from __future__ import annotations

import datetime as dt

BEIJING = dt.timezone(dt.timedelta(hours=8), "北京时间")


def wan(amount: float) -> str:
    """12_000_000 → “1200万元”; 105_000 → “10.5万元”."""
    return f"{amount / 10000:g}万元"


def pct(percent: float) -> str:
    """3 → “3.0%”, 3.45 → “3.45%”, 4.34 → “4.34%”: a rate as banks print it (the argument is in percent)."""
    text = f"{percent:.2f}".rstrip("0")
    return (text + "0" if text.endswith(".") else text) + "%"


def _parse(value: dt.datetime | dt.date | str | None) -> dt.datetime | dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime | dt.date):
        return value
    text = str(value).strip().replace("Z", "+00:00")
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        try:
            return dt.date.fromisoformat(text[:10])
        except ValueError:
            return None


def cn_date(value: dt.datetime | dt.date | str | None) -> str:
    """2026-12-03 → “2026年12月3日”; a zone-aware time is first moved to Beijing time; unreadable input → ""."""
    day = _parse(value)
    if day is None:
        return ""
    if isinstance(day, dt.datetime):
        day = (day.astimezone(BEIJING) if day.tzinfo else day).date()
    return f"{day.year}年{day.month}月{day.day}日"


def cn_datetime(value: dt.datetime | dt.date | str | None) -> str:
    """2026-12-03T07:09:14+00:00 → “2026年12月3日 15:09”. Zone-aware times are shown in Beijing time; naive ones
    are taken as already local (what the form's own timestamps are); a bare date stays a date."""
    when = _parse(value)
    if when is None:
        return ""
    if not isinstance(when, dt.datetime):
        return cn_date(when)
    if when.tzinfo:
        when = when.astimezone(BEIJING)
    return f"{when.year}年{when.month}月{when.day}日 {when:%H:%M}"
