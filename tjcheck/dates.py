"""Dates as the platform asks for them: a month (2010-07), a day (2010-07-01), or "ongoing".

Work ends "至今" (to date) and a course in progress ends "在读"; both are a
``DateValue`` with ``ongoing=True``, so code asks one question instead of two.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

ONGOING_WORDS = {"至今", "今", "present", "now", "在读", "在学", "in progress", "ongoing"}
_DATE_RE = re.compile(r"^\s*(\d{4})\s*[-./年]\s*(\d{1,2})\s*(?:[-./月]\s*(?:(\d{1,2})\s*日?)?)?\s*$")


class DateError(ValueError):
    def __init__(self, zh: str, en: str):
        super().__init__(en)
        self.zh, self.en = zh, en


@dataclass(frozen=True, order=True)
class DateValue:
    year: int = 0
    month: int = 0
    day: int | None = None
    ongoing: bool = False

    @property
    def first(self) -> date:
        """The earliest day this value can mean (a month means its first day)."""
        return date(self.year, self.month, self.day or 1)

    @property
    def last(self) -> date:
        """The latest day this value can mean (a month means its last day)."""
        return date(self.year, self.month, self.day or calendar.monthrange(self.year, self.month)[1])

    def end_or(self, fallback: date) -> date:
        return fallback if self.ongoing else self.last

    def __str__(self) -> str:
        if self.ongoing:
            return "至今"
        return f"{self.year:04d}-{self.month:02d}" + (f"-{self.day:02d}" if self.day else "")


ONGOING = DateValue(ongoing=True)


def parse_date(text: str, allow_ongoing: bool) -> DateValue:
    """Parse '2010-07', '2010-07-01', '2010.7', '2010年7月' (and '至今' where allowed)."""
    raw = str(text).strip()
    if raw.lower() in ONGOING_WORDS:
        if allow_ongoing:
            return ONGOING
        raise DateError(f"此处不能填 “{raw}”，应为具体日期", f"'{raw}' is not allowed here; give a date")
    m = _DATE_RE.match(raw)
    if not m:
        raise DateError("应为日期，如 2010-07 或 2010-07-01", "expected a date like 2010-07 or 2010-07-01")
    y, mo, d = int(m[1]), int(m[2]), int(m[3]) if m[3] else None
    if not 1 <= mo <= 12:
        raise DateError(f"没有 {mo} 月", f"month {mo} does not exist")
    if d is not None:
        try:
            date(y, mo, d)
        except ValueError:
            raise DateError(f"{y} 年 {mo} 月没有 {d} 日", f"{y}-{mo:02d} has no day {d}") from None
    if y < 1900:
        raise DateError(f"年份 {y} 不合理", f"year {y} is not plausible")
    return DateValue(y, mo, d)


def add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def merge(intervals: list[tuple[date, date]]) -> list[tuple[date, date]]:
    """Union of closed day intervals, so overlapping jobs are never counted twice."""
    out: list[tuple[date, date]] = []
    for start, end in sorted(i for i in intervals if i[0] <= i[1]):
        if out and start <= out[-1][1] + timedelta(days=1):
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def subtract(intervals: list[tuple[date, date]], holes: list[tuple[date, date]]) -> list[tuple[date, date]]:
    """Merged intervals minus merged holes."""
    result = merge(intervals)
    for h0, h1 in merge(holes):
        nxt = []
        for a, b in result:
            if b < h0 or a > h1:
                nxt.append((a, b))
                continue
            if a < h0:
                nxt.append((a, h0 - timedelta(days=1)))
            if b > h1:
                nxt.append((h1 + timedelta(days=1), b))
        result = nxt
    return result


def total_days(intervals: list[tuple[date, date]]) -> int:
    return sum((b - a).days + 1 for a, b in merge(intervals))


def years_months(days: int) -> tuple[int, int]:
    """Days as whole years and months, for messages (a month = 365.25/12 days)."""
    months = int(days / (365.25 / 12))
    return months // 12, months % 12
