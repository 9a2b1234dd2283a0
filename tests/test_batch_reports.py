"""The batch report files: each format written from hand-made PersonResults and read back."""
from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from tjcheck.batch.records import PASS, REJECT, UNUSABLE, PersonFinding, PersonResult
from tjcheck.batch.report_xlsx import display_width
from tjcheck.batch.reports import open_report
from tjcheck.errors import InputError

openpyxl = pytest.importorskip("openpyxl")

EVIL = '<script>document.title="pwned"</script>'


def _thumbnail() -> bytes:
    img = Image.new("RGB", (72, 100), (30, 90, 200))
    img.paste((240, 240, 240), (20, 10, 52, 60))   # something that is not one flat colour
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=85)
    return buf.getvalue()


def _finding(code, step, severity, zh, en, fix_zh="", fix_en="", path="", line=None):
    return PersonFinding(code=code, step=step, severity=severity,
                         title={"zh": f"{code} 检查", "en": f"{code} check"},
                         message={"zh": zh, "en": en}, fix={"zh": fix_zh, "en": fix_en},
                         path=path, line=line)


def people() -> list[PersonResult]:
    return [
        PersonResult(folder="001 张三", profile="001 张三/profile.yaml", verdict=PASS, name="张三",
                     id_number="1201**********0246", mobile="138****5678", seconds=0.42,
                     thumbnail=_thumbnail()),
        PersonResult(folder="002 李四", profile="002 李四/profile.yaml", verdict=REJECT,
                     name="李四" + EVIL, id_number="1101**********123X", mobile="139****0000",
                     errors=2, warnings=1, infos=1, findings=[
                         _finding("FA004", 3, "error", "毕业时间早于入学时间", "graduation before enrolment",
                                  "改正毕业时间", "correct the end date", "education[0].end", 41),
                         _finding("PH002", 1, "warning", "照片背景不是纯色", "photo background is not plain",
                                  "重新拍摄", "take it again", "photo", None),
                         _finding("ID001", 1, "error", "身份证号校验位错误 <b>x</b>",
                                  "=HYPERLINK(\"http://x\") check digit", "核对号码", "check the number",
                                  "registration.id_number", 7),
                         _finding("IN010", 5, "info", "单位名称较长", "long employer name"),
                     ]),
        PersonResult(folder="003 王五", profile="003 王五/profile.yaml", verdict=UNUSABLE, name="",
                     problem={"zh": "档案不是有效的 YAML：第 3 行", "en": "not valid YAML: line 3"}),
    ]


TOTALS = {"people": 3, "pass": 1, "reject": 1, "unusable": 1,
          "reasons": [{"code": "FA004", "title": {"zh": "日期顺序", "en": "order of dates"}, "people": 1},
                      {"code": "ID001", "title": {"zh": "证件号码", "en": "ID number"}, "people": 1}]}


def write(path: Path, lang: str = "zh") -> Path:
    writer = open_report(path, lang)
    for person in people():
        writer.add(person)
    assert writer.close(TOTALS) == path
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]   # no temporary file left behind
    return path


def test_unknown_extension_names_the_supported_ones(tmp_path):
    with pytest.raises(InputError, match=r"\.xlsx.*\.csv.*\.json.*\.html"):
        open_report(tmp_path / "report.pdf", "zh")
    with pytest.raises(InputError, match="does not exist"):
        open_report(tmp_path / "missing" / "report.csv", "zh")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("ext", [".xlsx", ".csv", ".json", ".html"])
def test_abandoned_writer_leaves_nothing(tmp_path, ext):
    target = tmp_path / f"report{ext}"
    with pytest.raises(RuntimeError), open_report(target, "zh") as writer:
        writer.add(people()[1])
        assert len(list(tmp_path.iterdir())) == 1   # the hidden temporary file
        raise RuntimeError("worker crashed")
    assert list(tmp_path.iterdir()) == []
    writer = open_report(target, "zh")   # dropped without close: the finalizer removes it
    writer.add(people()[0])
    del writer
    assert list(tmp_path.iterdir()) == []


def test_existing_report_replaced_only_on_close(tmp_path):
    target = tmp_path / "report.json"
    target.write_text("old")
    with pytest.raises(InputError, match="--force"):
        open_report(target, "en")
    writer = open_report(target, "en", force=True)
    writer.add(people()[0])
    assert target.read_text() == "old"
    writer.close(TOTALS)
    assert json.loads(target.read_text())["people"][0]["name"] == "张三"


def test_display_width_counts_chinese_double():
    assert display_width("abc") == 3
    assert display_width("张三") == 4
    assert display_width("ab\n张三李四") == 8


def test_xlsx(tmp_path):
    wb = openpyxl.load_workbook(write(tmp_path / "report.xlsx"))
    assert wb.sheetnames[:2] == ["人员 People", "问题 Findings"]
    ppl, fnd = wb["人员 People"], wb["问题 Findings"]
    for ws in (ppl, fnd):
        assert ws.freeze_panes == "A2"
        assert all(c.font.bold for c in ws[1])
    assert ppl.auto_filter.ref == "A1:H4"
    assert fnd.auto_filter.ref == "A1:J6"   # four findings and the unusable profile's problem
    rows = list(ppl.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == ["001 张三", "002 李四", "003 王五"]
    assert rows[0][:7] == ("001 张三", "张三", "1201**********0246", "138****5678", "通过", 0, 0)
    assert rows[1][4] == "不通过" and rows[1][1] == "李四" + EVIL
    assert rows[1][7].startswith("ID001 身份证号校验位错误 <b>x</b>；FA004 毕业时间早于入学时间")
    assert rows[2][4] == "无法检查" and "YAML" in rows[2][7]
    findings = list(fnd.iter_rows(min_row=2, values_only=True))
    assert [f[2] for f in findings] == ["ID001", "FA004", "PH002", "IN010", None]
    assert findings[1] == ("002 李四", "李四" + EVIL, "FA004", 3, "错误", "FA004 检查", "毕业时间早于入学时间",
                           "改正毕业时间", "education[0].end", 41)
    assert findings[4][0] == "003 王五" and findings[4][6].startswith("档案不是有效的 YAML")
    # widths fit the content, Chinese counting double
    assert ppl.column_dimensions["A"].width >= display_width("001 张三")
    assert fnd.column_dimensions["G"].width >= display_width("档案不是有效的 YAML：第 3 行")
    summary = wb.worksheets[2]
    assert ("FA004 日期顺序", 1) in list(summary.iter_rows(min_row=2, values_only=True))


def test_xlsx_english_keeps_formula_like_text_as_text(tmp_path):
    path = write(tmp_path / "report.xlsx", "en")
    wb = openpyxl.load_workbook(path)
    assert [r[4] for r in wb["人员 People"].iter_rows(min_row=2, values_only=True)] == ["pass", "reject", "unusable"]
    cells = [row[6] for row in wb["问题 Findings"].iter_rows(min_row=2)]
    hyperlink = next(c for c in cells if str(c.value).startswith("=HYPERLINK"))
    assert hyperlink.data_type == "s"


def test_csv(tmp_path):
    path = write(tmp_path / "report.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert {r["文件夹"] for r in rows} == {"001 张三", "002 李四", "003 王五"}
    passing = [r for r in rows if r["文件夹"] == "001 张三"]
    assert len(passing) == 1 and passing[0]["编号"] == "" and passing[0]["结论"] == "通过"
    rejected = [r for r in rows if r["文件夹"] == "002 李四"]
    assert [r["编号"] for r in rejected] == ["ID001", "FA004", "PH002", "IN010"]
    assert all(r["姓名"] == "李四" + EVIL and r["错误数"] == "2" for r in rejected)
    assert rejected[1]["行"] == "41" and rejected[1]["位置"] == "education[0].end"
    unusable = [r for r in rows if r["文件夹"] == "003 王五"]
    assert len(unusable) == 1 and unusable[0]["结论"] == "无法检查" and "YAML" in unusable[0]["问题"]


def test_csv_english_defuses_formulas(tmp_path):
    rows = list(csv.DictReader(io.StringIO(write(tmp_path / "r.csv", "en").read_text("utf-8-sig"))))
    assert rows[0].keys() >= {"Folder", "Verdict", "Code", "Message", "Fix"}
    assert any(r["Message"].startswith("'=HYPERLINK") for r in rows)


def test_json(tmp_path):
    data = json.loads(write(tmp_path / "report.json").read_text("utf-8"))
    assert data["format_version"] == 1 and data["lang"] == "zh"
    assert data["totals"] == TOTALS
    assert [p["folder"] for p in data["people"]] == ["001 张三", "002 李四", "003 王五"]
    assert all("thumbnail" not in p for p in data["people"])
    rejected = data["people"][1]
    assert rejected["verdict"] == "reject" and rejected["name"] == "李四" + EVIL
    assert rejected["findings"][0] == {"code": "FA004", "step": 3, "severity": "error", "title": "FA004 检查",
                                       "message": "毕业时间早于入学时间", "fix": "改正毕业时间",
                                       "path": "education[0].end", "line": 41}
    assert data["people"][2]["problem"].startswith("档案不是有效的 YAML")


def test_json_with_no_people(tmp_path):
    writer = open_report(tmp_path / "empty.json", "en")
    writer.close({"people": 0, "pass": 0, "reject": 0, "unusable": 0, "reasons": []})
    assert json.loads((tmp_path / "empty.json").read_text())["people"] == []


def test_html_is_escaped_and_self_contained(tmp_path):
    text = write(tmp_path / "report.html").read_text("utf-8")
    assert EVIL not in text and "&lt;script&gt;document.title=&quot;pwned&quot;&lt;/script&gt;" in text
    assert "&lt;b&gt;x&lt;/b&gt;" in text
    assert text.count("<script") == 1   # only the search box's own
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", text)   # nothing external
    assert text.count("data:image/jpeg;base64,") == 1 and "no photo" in text
    assert '<html lang="zh-CN">' in text and '<span lang="en">' in text


def _chromium() -> str | None:
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def test_html_renders_in_chromium(tmp_path):
    browser = _chromium()
    if not browser:
        pytest.skip("no Chromium found (/usr/bin/chromium, chromium, chromium-browser, google-chrome): "
                    "install it, e.g. `apt-get install -y chromium`, to render the HTML report")
    (tmp_path / "out").mkdir()
    path = write(tmp_path / "out" / "report.html")
    base = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}"]
    url = path.resolve().as_uri()
    dom = subprocess.run(base + ["--dump-dom", url], check=False, capture_output=True, text=True, timeout=120).stdout
    assert "<title>tjcheck 批量检查报告 / batch report</title>" in dom   # the injected script did not run
    assert '<span class="name">李四&lt;script&gt;document.title="pwned"&lt;/script&gt;</span>' in dom   # shown as text
    assert dom.count("<script") == 1
    for text in ("张三", "003 王五", "FA004", "毕业时间早于入学时间", "改正毕业时间", "档案不是有效的 YAML", "日期顺序"):
        assert text in dom, text
    assert "data:image/jpeg;base64," in dom
    assert re.search(r'<input id="search" type="search" placeholder', dom)   # the script ran: search shown
    shot = tmp_path / "shot.png"
    subprocess.run(base + [f"--screenshot={shot}", "--window-size=1000,1200", url],
                   check=False, capture_output=True, timeout=120)
    assert shot.exists()
    with Image.open(shot) as img:
        assert len(img.convert("RGB").getcolors(maxcolors=1 << 16) or range(2)) > 1
