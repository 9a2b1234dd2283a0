"""Dates as the platform asks for them: a month (2010-07), a day (2010-07-01), or "ongoing".

Work ends "至今" (to date) and a course in progress ends "在读"; both are a
``DateValue`` with ``ongoing=True``, so code asks one question instead of two.
The forms accepted here are also the profile's JSON Schema (``DATE_FORM``,
``ONGOING_FORM``), so an editor and tjcheck accept the same text.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

# Every date tjcheck reads lies in these years: a living applicant's birth, education and work
# lie after 1900, exam years run to 2100 (the profile's exam_year), and a count projected
# from there (at most ten years of work) stays far inside what ``datetime.date`` can hold.
MIN_YEAR, MAX_YEAR = 1900, 2100

ONGOING_WORDS = ("至今", "今", "present", "now", "在读", "在学", "in progress", "ongoing")
# One pattern for the parser and the schema (JSON Schema patterns are ECMA-262 regular
# expressions: explicit classes, no Python-only syntax). Full-width digits and separators
# are what a Chinese input method types.
_D = "[0-9０-９]"
DATE_FORM = (rf"^\s*({_D}{{4}})\s*[-./－．／年]\s*({_D}{{1,2}})\s*"
             rf"(?:[-./－．／月]\s*(?:({_D}{{1,2}})\s*日?)?)?\s*$")
_DATE_RE = re.compile(DATE_FORM)


def _any_case(word: str) -> str:
    """'now' -> '[Nn][Oo][Ww]' (the words hold no regex syntax: letters, CJK, a space)."""
    return "".join(f"[{c.upper()}{c.lower()}]" if c.isascii() and c.isalpha() else c for c in word)


# the ongoing words in any letter case, as the parser compares them
ONGOING_FORM = r"^\s*(?:" + "|".join(_any_case(w) for w in ONGOING_WORDS) + r")\s*$"


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
    if not MIN_YEAR <= y <= MAX_YEAR:
        raise DateError(f"年份 {y} 不合理（应在 {MIN_YEAR}–{MAX_YEAR} 之间）",
                        f"year {y} is not plausible (expected {MIN_YEAR}–{MAX_YEAR})")
    return DateValue(y, mo, d)


def day_in_range(d: date) -> bool:
    """A day tjcheck can reason about ("today", the day years are counted to)."""
    return MIN_YEAR <= d.year <= MAX_YEAR


def add_years(d: date, years: int) -> date:
    """The same day ``years`` later (29 February becomes the 28th); saturates at the ends
    of the calendar instead of overflowing."""
    year = d.year + years
    if year > date.max.year:
        return date.max
    if year < date.min.year:
        return date.min
    return d.replace(year=year, day=min(d.day, calendar.monthrange(year, d.month)[1]))


def on_day(year: int, month_day: str) -> date:
    """'MM-DD' of a year (a ruleset's registration or cutoff day); 29 February in a common
    year is the 28th."""
    month, day = (int(x) for x in month_day.split("-"))
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


# --- whole months -------------------------------------------------------------------
# Eligibility counts calendar months: a month is one number, year * 12 + month - 1.

def month_of(d: date | DateValue) -> int:
    return d.year * 12 + d.month - 1


def month_end(month: int) -> date:
    """The last day of a month number."""
    year, m = divmod(month, 12)
    if year > date.max.year:
        return date.max
    return date(year, m + 1, calendar.monthrange(year, m + 1)[1])


def month_range(start: DateValue, end: DateValue, ongoing_to: int) -> range:
    """The months from ``start`` to ``end`` inclusive; an ongoing end runs to ``ongoing_to``."""
    return range(month_of(start), (ongoing_to if end.ongoing else month_of(end)) + 1)


def years_months(months: int) -> tuple[int, int]:
    return months // 12, months % 12

