"""Issue 10, item 1 and 2: no wrong verdict. Education names, the eligibility count in whole
months, the cutoff and --count-to, mobile numbers with +86, the schema's dates, ages,
skipped checks in the verdict, --select, and dates at the edges of the calendar."""
from __future__ import annotations

import calendar
import json
import re
from datetime import date

import pytest
from stdnum.cn import ric
from typer.testing import CliRunner

from tjcheck.cli import app
from tjcheck.report import Severity

from .conftest import PASSING, ROOT, TODAY

AS_OF = ["--as-of", TODAY.isoformat()]


def run(*args):
    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "100", "TJCHECK_LANG": "zh"})


def no_traceback(result):
    assert "Traceback" not in result.output + (result.stderr or "")
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def found(report, code):
    return [f for f in report.findings if f.code == code]


# --- 1. education names -----------------------------------------------------------------

JUNIOR_COLLEGE = {"level": "大专", "degree": "无", "degree_no": "__delete__", "degree_image": "__delete__",
                  "start": "2007-09", "diploma_no": "199991201006001234"}


@pytest.mark.parametrize("patch,option", [
    ({"level": "本科"}, "大学本科"),
    ({"level": "大学"}, "大学本科"),
    ({"degree": "学士学位"}, "学士"),
    ({"mode": "自考"}, "非全日制"),
    (JUNIOR_COLLEGE, "大学专科"),
])
def test_common_names_are_read_as_the_platform_option(check, patch, option):
    report = check({"title": {"obtained": "2012-09"}, "education": {0: patch}})
    assert not found(report, "ED003") and not found(report, "EL001") and not found(report, "EL002")
    assert found(report, "EL003")                       # eligible: 本科 5 years, 大专 10 years
    info = found(report, "ED018")
    assert info and info[0].severity is Severity.INFO
    assert f"在平台上请选择 “{option}”" in info[0].message["zh"]


def test_an_alias_reaches_every_comparison(check):
    """The certificate-number cross check, the study length and the certificate images all
    read 大专 as 大学专科 (they looked the raw text up and skipped it)."""
    report = check({"education": {0: dict(JUNIOR_COLLEGE, diploma_no="199991201005001234", start="2009-09",
                                          diploma_image="__delete__")}})
    assert "大学本科" in found(report, "ED010")[0].message["zh"]     # the number's level code 05
    assert found(report, "ED006")                                     # one year of 大专
    assert found(report, "ED013")                                     # its diploma image


def test_an_unknown_level_cannot_judge_eligibility(check):
    report = check({"education": {0: {"level": "夜大", "degree": "无", "degree_no": "__delete__",
                                      "degree_image": "__delete__"}}})
    el = found(report, "EL001")
    assert el and all(f.severity is Severity.WARNING for f in el), [(f.code, f.severity) for f in report.findings]
    assert "夜大" in el[0].message["zh"] and "无法判断" in el[0].message["zh"]
    assert not [f for f in report.findings if f.severity is Severity.ERROR and f.step in (6, 11)]


def test_a_known_level_too_low_is_still_not_eligible(check):
    report = check({"education": {0: {"level": "高中", "degree": "无", "diploma_no": "__delete__",
                                      "degree_no": "__delete__", "degree_image": "__delete__"}}})
    assert [f.severity for f in found(report, "EL001")] == [Severity.ERROR]


@pytest.mark.parametrize("level", ["初中", "小学", "初中及以下"])
def test_below_senior_secondary_fails_in_step_6_itself(check, level):
    report = check({"education": {0: {"level": level, "degree": "无", "diploma_no": "__delete__",
                                      "degree_no": "__delete__", "degree_image": "__delete__"}}}, select=["ED"])
    assert [f.step for f in found(report, "ED007")] == [6]
    assert report.rejected()


def test_an_unknown_level_beside_a_low_one_is_not_an_error(check):
    report = check({"education": {0: {"level": "初中", "degree": "无", "diploma_no": "__delete__",
                                      "degree_no": "__delete__", "degree_image": "__delete__"},
                                  1: {"mode": "非全日制", "school": "样本夜大", "level": "夜大", "degree": "无",
                                      "major": "会计", "start": "2012-09", "end": "2015-07"}}}, select=["ED"])
    assert not found(report, "ED007") and found(report, "ED003")


# --- 1. eligibility in whole months -----------------------------------------------------

def _months_message(finding) -> int:
    y, m = re.search(r"计 (\d+) 年 (\d+) 个月", finding.message["zh"]).groups()
    return int(y) * 12 + int(m)


@pytest.mark.parametrize("title", [f"{y}-{m:02d}" for y in (2021, 2022) for m in range(1, 13)])
def test_verdict_message_and_date_come_from_one_count(check, title):
    """Exam 2026, 本科 (60 months): the months after the title's month up to 2026-12."""
    y, m = map(int, title.split("-"))
    months = (2026 - y) * 12 + (12 - m)
    report = check({"exam_year": 2026, "title": {"obtained": title}}, select=["EL"])
    el2, el3 = found(report, "EL002"), found(report, "EL003")
    assert bool(el3) == (months >= 60) and bool(el2) == (months < 60)
    finding = (el3 or el2)[0]
    assert _months_message(finding) == months
    if el2:
        last_day = date(y + 5, m, calendar.monthrange(y + 5, m)[1])   # the month title + 60 months
        assert last_day.isoformat() in finding.message["zh"]
        assert f"可报考 {last_day.year} 年考试" in finding.message["zh"]


def test_title_in_december_versus_january(check):
    ok = check({"exam_year": 2026, "title": {"obtained": "2021-12"}}, select=["EL"])
    assert "已计 5 年 0 个月，满足条件" in found(ok, "EL003")[0].message["zh"]
    short = check({"exam_year": 2026, "title": {"obtained": "2022-01"}}, select=["EL"])
    text = found(short, "EL002")[0].message["zh"]
    assert "计 4 年 11 个月" in text and "2027-01-31 起满 5 年" in text and "可报考 2027 年考试" in text


@pytest.mark.parametrize("patch,title_ok,title_short,years", [
    ({"level": "博士研究生", "degree": "博士"}, "2024-12", "2025-01", 2),
    (JUNIOR_COLLEGE, "2016-12", "2017-01", 10),
])
def test_two_and_ten_years(check, patch, title_ok, title_short, years):
    ok = check({"exam_year": 2026, "education": {0: patch}, "title": {"obtained": title_ok}}, select=["EL"])
    assert f"已计 {years} 年 0 个月" in found(ok, "EL003")[0].message["zh"]
    short = check({"exam_year": 2026, "education": {0: patch}, "title": {"obtained": title_short}}, select=["EL"])
    assert f"计 {years - 1} 年 11 个月" in found(short, "EL002")[0].message["zh"]


@pytest.mark.parametrize("end,eligible", [("2026-06", True), ("2026-05", False)])
def test_a_job_ending_in_the_cutoff_month_counts_that_month(check, end, eligible):
    report = check({"title": {"obtained": "2021-06"}, "work": {0: {"end": end, "posts": {1: {"end": end}}}}},
                   count_to=date(2026, 6, 30), select=["EL"])
    assert bool(found(report, "EL003")) == eligible
    if not eligible:
        assert "还差 0 年 1 个月" in found(report, "EL002")[0].message["zh"]


def test_overlapping_jobs_count_once(check):
    second = {"start": "2023-01", "end": "至今", "employer": "样本", "credit_code": "91120104MA05T8KX3P",
              "unit_type": "企业", "industry": "M", "address": "天津市南开区", "phone": "022-23456789",
              "accounting": True, "posts": [{"title": "会计师", "start": "2023-01", "end": "至今"}]}
    report = check({"exam_year": 2026, "title": {"obtained": "2021-12"},
                    "work": {0: {"end": "2023-06", "posts": {1: {"end": "2023-06"}}}, 1: second}}, select=["EL"])
    assert "已计 5 年 0 个月" in found(report, "EL003")[0].message["zh"]


def test_full_time_study_in_the_middle_is_left_out(check):
    master = {"mode": "全日制", "school": "样本大学", "level": "硕士研究生", "degree": "硕士", "major": "会计",
              "start": "2018-09", "end": "2020-06"}
    report = check({"exam_year": 2026, "education": {1: master}}, select=["EL"])
    # 2016-10 … 2026-12 is 123 months; the 22 months 2018-09 … 2020-06 do not count
    assert "已计 8 年 5 个月" in found(report, "EL003")[0].message["zh"]


def test_rule_documents_the_counting_rule():
    result = run("rule", "EL002")
    assert result.exit_code == 0
    assert "整月" in result.output or "whole" in result.output


# --- 1. the cutoff and --count-to --------------------------------------------------------

def test_as_of_does_not_move_the_cutoff(check):
    assert check({}).cutoff == "2027-12-31"            # exam 2027, whatever "today" is


def test_count_to_is_its_own_option():
    result = run("verify", PASSING, *AS_OF, "--count-to", "2027-06-30", "-f", "plain")
    assert result.exit_code == 0, result.output
    assert "年限计算至 2027-06-30" in result.output
    data = json.loads(run("verify", PASSING, *AS_OF, "-f", "json").stdout)
    assert data["cutoff"] == "2027-12-31" and data["as_of"] == TODAY.isoformat()


def test_as_of_on_29_february_for_someone_not_yet_eligible(write_profile):
    path = write_profile({"title": {"obtained": "2024-02"}})   # eligible in 2029, not a leap year
    result = no_traceback(run("verify", path, "--as-of", "2024-02-29", "-f", "json"))
    assert result.exit_code == 1
    codes = {f["code"] for f in json.loads(result.stdout)["findings"]}
    assert "EL002" in codes


# --- 1. mobile numbers ------------------------------------------------------------------

@pytest.mark.parametrize("mobile", ["+8613812345678", "+86 13812345678", "0086 13812345678", "0086-13812345678",
                                    "86-13812345678", "(+86)13812345678"])
def test_mobile_with_country_code(check, mobile):
    report = check({"registration": {"mobile": mobile}}, select=["ID", "MB"])
    assert not found(report, "MB001") and not found(report, "ID004") and not found(report, "ID003")
    info = found(report, "MB002")
    assert info and info[0].severity is Severity.INFO and "138****5678" in info[0].message["zh"]
    assert "13812345678" not in info[0].message["zh"]      # masked


def test_mobile_digits():
    from tjcheck.identifiers import mobile_digits

    for text in ("+8613812345678", "+86 13812345678", "0086-13812345678", "86-13812345678", "８６－１３８１２３４５６７８"):
        assert mobile_digits(text) == "13812345678", text
    assert mobile_digits("13812345678") == "13812345678"
    assert mobile_digits("138 1234 5678") == "13812345678"
    assert mobile_digits("8613812345678") == "13812345678"
    assert mobile_digits("86123456789") == "86123456789"    # not a country code: 86 is no mobile's start


def test_init_stores_the_eleven_digits():
    from .test_init import PASSING_DATA, _run

    data, script = _run({"registration.mobile": "+86 13812345678"}, PASSING_DATA)
    assert data["registration"]["mobile"] == "13812345678"
    said = [line for line in script.said if "11" in line and "+86" in line]
    assert said and all("138****5678" in line and "13812345678" not in line for line in said)   # masked, as in reports


# --- 1. the JSON Schema accepts every date form the parser does ---------------------------

GOOD_DATES = ["2010-07", "2010-07-01", "2010-7", "2010.7", "2010.07.01", "2010/07", "2010/07/15", "2010年7月",
              "2010年7月1日", "2010年07月", " 2010-07 ", "2010 年 7 月"]
BAD_SHAPES = ["2010", "soon", "07-2010", "2010-07-01-01", "2010年", "20100701", ""]
ONGOING = ["至今", "在读", "今", "在学", "present", "Present", "now", "in progress", "ongoing"]


def _schema_for(field: str) -> dict:
    import jsonschema  # noqa: F401

    schema = json.loads(run("schema").stdout)
    return {"$defs": schema["$defs"], **schema["$defs"]["Work"]["properties"][field]}


def test_schema_and_parser_agree_on_date_forms():
    jsonschema = pytest.importorskip("jsonschema")
    from tjcheck.dates import DateError, parse_date

    start, end = _schema_for("start"), _schema_for("end")
    for text in GOOD_DATES:
        parse_date(text, allow_ongoing=False)
        jsonschema.validate(text, start)
        jsonschema.validate(text, end)
    for text in ONGOING:
        parse_date(text, allow_ongoing=True)
        jsonschema.validate(text, end)
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(text, start)
    for text in BAD_SHAPES:
        with pytest.raises(DateError):
            parse_date(text, allow_ongoing=True)
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(text, end)


def test_schema_accepts_an_unquoted_dotted_date():
    """`start: 2010.7` is a number to a YAML 1.2 editor; tjcheck reads the text."""
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.validate(2010.7, _schema_for("start"))


# --- 1. ages ------------------------------------------------------------------------------

def test_a_young_applicant_is_not_blamed_on_the_id_number(check):
    body = "12010420150315024"
    report = check({"registration": {"id_number": body + ric.calc_check_digit(body + "0")},
                    "basic": {"birth_date": "__delete__"}}, select=["ID"])
    assert not report.findings, [(f.code, f.message["en"]) for f in report.findings]


# --- 2. verdict with skipped checks ---------------------------------------------------------

@pytest.fixture
def no_face(monkeypatch, tmp_path_factory):
    """mediapipe missing: in this process, and in the processes it starts (batch's workers,
    subprocesses): a stand-in package first on their path refuses to import, as a missing one
    would."""
    import os

    import tjcheck.imaging.face as face

    def missing(*_a, **_k):
        raise face.FaceBackendMissing("No module named 'mediapipe'")

    monkeypatch.setattr(face, "analyser", missing)
    stub = tmp_path_factory.mktemp("no-mediapipe")
    (stub / "mediapipe").mkdir()
    (stub / "mediapipe" / "__init__.py").write_text("raise ImportError(\"No module named 'mediapipe'\")\n")
    monkeypatch.syspath_prepend(str(stub))   # spawned workers start with this process's sys.path
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(stub), os.environ.get("PYTHONPATH")])))


def test_skipped_checks_are_no_plain_pass(no_face, monkeypatch):
    monkeypatch.chdir(ROOT)
    result = run("verify", "examples/passing/profile.yaml", *AS_OF, "-f", "plain")
    assert result.exit_code == 0
    out = result.output
    assert "可以提交 ✔" not in out
    verdict = out.strip().splitlines()[-1]
    assert "未能运行" in verdict and "tjcheck[face]" in verdict and re.search(r"\d+ 项", verdict)
    step5 = out.split("（五）基本信息")[1].split("（六）")[0]
    skips = [line for line in step5.splitlines() if "[SKIP]" in line]
    assert len(skips) == 1 and "FA001" in skips[0] and "PH008" in skips[0], skips


def test_skipped_checks_in_json(no_face):
    result = run("verify", PASSING, *AS_OF, "-f", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["complete"] is False and data["verdict"] == "pass"
    codes = [c for group in data["skipped"] for c in group["codes"]]
    assert "FA001" in codes and "PH007" in codes and all("tjcheck[face]" in g["reason"] for g in data["skipped"])


def test_complete_run_says_so():
    data = json.loads(run("verify", PASSING, *AS_OF, "-f", "json").stdout)
    assert data["complete"] is True and data["skipped"] == []


def test_batch_row_of_an_incomplete_check_is_not_a_plain_pass(no_face, tmp_path):
    import shutil

    from tjcheck.batch.run import Settings, find_profiles
    from tjcheck.batch.run import run as batch_run

    shutil.copytree(PASSING.parent, tmp_path / "张一")
    person = next(batch_run(find_profiles(tmp_path, "profile.yaml"), Settings(root=tmp_path, as_of=TODAY), 1))
    assert person.verdict == "pass"
    assert any("未能运行" in r for r in person.reasons("zh"))


# --- 7. --select ----------------------------------------------------------------------------

def test_select_does_not_claim_nothing_to_check():
    out = run("verify", PASSING, *AS_OF, "--select", "ED", "-f", "plain").output
    step1 = out.split("（一）新用户注册")[1].split("（二）")[0]
    step2 = out.split("（二）会计人员登录")[1].split("（三）")[0]
    assert "无需离线检查" not in step1 and "未选中" in step1
    assert "无需离线检查" in step2


# --- 3. dates at the edges ------------------------------------------------------------------

@pytest.mark.parametrize("value", ["0001-01", "1899-12", "2101-01", "9990-01", "9999-12"])
def test_out_of_range_dates_are_refused_where_the_profile_is_read(write_profile, value):
    path = write_profile({"title": {"obtained": value}})
    result = no_traceback(run("verify", path, *AS_OF))
    assert result.exit_code == 2 and "title.obtained" in result.stderr and "年份" in result.stderr
    assert re.search(rf"{re.escape(str(path))}:\d+", result.stderr)


@pytest.mark.parametrize("option", ["--as-of", "--count-to"])
@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "1899-12-31"])
def test_day_options_out_of_range(option, value):
    result = no_traceback(run("verify", PASSING, option, value))
    assert result.exit_code == 2 and option in result.stderr and value in result.stderr


@pytest.mark.parametrize("option", ["--as-of", "--count-to"])
def test_batch_day_options_out_of_range(tmp_path, option):
    import shutil

    shutil.copytree(PASSING.parent, tmp_path / "张一")
    result = no_traceback(run("batch", tmp_path, option, "9999-12-31", "-j", "1"))
    assert result.exit_code == 2 and option in result.stderr and "9999-12-31" in result.stderr


@pytest.mark.parametrize("year,title", [(2000, "1999-01"), (2100, "2099-12"), (2100, "2100-12")])
def test_exam_year_extremes(write_profile, year, title):
    path = write_profile({"exam_year": year, "title": {"obtained": title}})
    result = no_traceback(run("verify", path, *AS_OF, "-f", "json"))
    assert result.exit_code in (0, 1)


def test_the_latest_dates_do_not_overflow(write_profile):
    path = write_profile({"exam_year": 2100, "title": {"obtained": "2100-12"},
                          "work": {0: {"start": "2100-01"}}})
    result = no_traceback(run("verify", path, "--as-of", "2100-12-31", "--count-to", "2100-12-31", "-f", "json"))
    assert result.exit_code == 1


def test_add_years_saturates():
    from tjcheck.dates import add_years

    assert add_years(date(9999, 6, 1), 30) == date.max
    assert add_years(date(1, 6, 1), -30) == date.min
    assert add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)


def test_count_to_before_the_exam_cutoff_says_which_count_is_short(check):
    """--count-to 2027-06-30: 57 months by then; the 2027 exam's own cutoff (2027-12) is enough."""
    report = check({"title": {"obtained": "2022-09"}}, count_to=date(2027, 6, 30), select=["EL"])
    el = found(report, "EL002")[0]
    assert "截至 2027-06-30 计 4 年 9 个月" in el.message["zh"] and "可报考 2027 年考试" in el.message["zh"]
    assert "年限计算至 2027-06-30 时尚不满足" in el.fix["zh"]
