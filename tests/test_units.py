"""The arithmetic under the rules: identifiers, dates, eligibility counting, masking."""
from __future__ import annotations

from datetime import date

import pytest

from tjcheck.dates import DateError, month_end, month_of, month_range, parse_date
from tjcheck.identifiers import (credit_code_check, mask_id, mask_phone, parse_degree_number,
                                 parse_diploma_number, parse_resident_id)


def test_domain_worked_examples():
    rid = parse_resident_id("11010519491231002X")
    assert rid.check_ok and rid.birth == date(1949, 12, 31) and rid.gender == "女" and rid.province == "11"
    assert credit_code_check("91350100M000100Y43") == "3"
    # a letter in the first eight characters (registering authority Y) is valid: stdnum's validate() refuses it
    assert credit_code_check("Y1350100M000100Y4D") == "D"


def test_resident_id_parse():
    assert parse_resident_id("12010419880315024") is None
    assert parse_resident_id("120104198802300241").birth is None
    assert not parse_resident_id("120104198803150247").check_ok


def test_certificate_numbers():
    d = parse_diploma_number("100551201005001234")
    assert (d.school, d.schooling_type, d.year, d.level_code) == ("10055", "1", 2010, "05")
    assert parse_diploma_number("10055120100500123") is None   # 17-digit form carries no fields we trust
    assert parse_degree_number("1005542010001234").level_digit == "4"
    assert parse_degree_number("1005532010S01234").year == 2010
    assert parse_degree_number("T1005522010001234").level_digit == "2"
    assert parse_degree_number("100554201000123") is None


@pytest.mark.parametrize("text,expected", [
    ("2010-07", (2010, 7, None)), ("2010-07-01", (2010, 7, 1)), ("2010.7", (2010, 7, None)),
    ("2010年7月", (2010, 7, None)), ("2010/07/15", (2010, 7, 15)), (" 2010-7 ", (2010, 7, None)),
])
def test_parse_date(text, expected):
    d = parse_date(text, allow_ongoing=False)
    assert (d.year, d.month, d.day) == expected


def test_parse_date_rejects():
    for bad in ("2010", "2010-13", "2010-02-30", "1850-01", "至今"):
        with pytest.raises(DateError):
            parse_date(bad, allow_ongoing=False)
    assert parse_date("至今", allow_ongoing=True).ongoing
    assert parse_date("在读", allow_ongoing=True).ongoing


def test_month_bounds():
    d = parse_date("2024-02", allow_ongoing=False)
    assert d.first == date(2024, 2, 1) and d.last == date(2024, 2, 29)


def test_months():
    """Eligibility counts calendar months: a month is one number; ranges include both ends."""
    assert month_of(date(2021, 12, 31)) + 1 == month_of(parse_date("2022-01", allow_ongoing=False))
    months = month_range(parse_date("2020-11", False), parse_date("2021-02-03", False), ongoing_to=0)
    assert len(months) == 4 and month_end(months[-1]) == date(2021, 2, 28)
    assert list(month_range(parse_date("2026-11", False), parse_date("至今", True), month_of(date(2026, 12, 1)))) == \
        [month_of(date(2026, 11, 1)), month_of(date(2026, 12, 1))]
    assert month_end(month_of(date(2024, 2, 1))) == date(2024, 2, 29)


def test_masking():
    assert mask_id("120104198803150243") == "1201**********0243"
    assert mask_phone("13812345678") == "138****5678"


def test_eligibility_from_date(check):
    """Title 2023-09 with a bachelor: 60 months from 2023-10, reached at the end of 2028-09: the 2028 exam."""
    report = check({"title": {"obtained": "2023-09"}})
    el = [f for f in report.findings if f.code == "EL002"][0]
    assert "2028-09-30 起满 5 年" in el.message["zh"]   # 60 months: 2023-10 … 2028-09
    assert "2028 年考试" in el.message["zh"]


def test_eligibility_counts_to_exam_year_end(check):
    """Counted to 2027-12 for the 2027 exam: title 2022-12 gives the 60 months 2023-01 … 2027-12."""

    report = check({"title": {"obtained": "2022-12"}}, as_of=None, today=date(2026, 11, 26))
    assert "EL003" in {f.code for f in report.findings} and "EL002" not in {f.code for f in report.findings}


def test_eligibility_gap_without_current_job(check):
    report = check({"title": {"obtained": "2023-09"}, "work": {0: {"end": "2025-12", "posts": {1: {"end": "2025-12"}}}},
                    "basic": {"status": "其他"}})
    el = [f for f in report.findings if f.code == "EL002"][0]
    assert "还差 2 年 9 个月" in el.message["zh"]   # 2023-10 … 2025-12 is 27 of the 60 months


def test_a_session_reads_each_image_once_but_again_once_it_is_replaced(tmp_path):
    """tjcheck init judges every answer with its step's rules: one reader for the session
    reads each image once, and reads it again when the person replaces the file meanwhile."""
    import os

    from PIL import Image

    from tjcheck.engine import shipped_ruleset
    from tjcheck.imaging.reader import ImageReader

    limits = shipped_ruleset()["attachments"]
    Image.new("RGB", (40, 30), "white").save(tmp_path / "scan.png")
    session, run = ImageReader(limits, session=True), ImageReader(limits)
    first = session.get(tmp_path, "scan.png")
    assert session.get(tmp_path, "scan.png") is first and run.get(tmp_path, "scan.png").width == 40
    Image.new("RGB", (80, 60), "white").save(tmp_path / "scan.png")
    os.utime(tmp_path / "scan.png", ns=(1, 1))   # another modification time, whatever the clock's resolution
    assert session.get(tmp_path, "scan.png").width == 80   # replaced: read again
    assert run.get(tmp_path, "scan.png").width == 40       # one run sees one state of the file


def test_passed_rule_codes_are_named_as_runs():
    from tjcheck.render.checklist import _runs
    assert _runs(["AT003", "AT001", "AT002"], "、") == "AT001–AT003"
    assert _runs(["DC001", "DC002", "DC003", "DC012"], "、") == "DC001–DC003、DC012"
    assert _runs(["DC001", "DC004", "DC005", "DC012"], ", ") == "DC001, DC004, DC005, DC012"
