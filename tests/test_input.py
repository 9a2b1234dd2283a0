"""Bad input is a normal day: every broken file gets a clear message, a line, and exit code 2."""
from __future__ import annotations

import pytest
from typer.testing import CliRunner

from tjcheck.cli import app

from .conftest import PASSING


def verify(path, *extra):
    result = CliRunner().invoke(app, ["verify", str(path), "--as-of", "2026-11-26", *extra],
                                env={"COLUMNS": "100"})
    assert "Traceback" not in result.output + (result.stderr or "")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


BROKEN = [
    # (profile text, what the message must say, the line it must name)
    ("registration:\n  name: 李晓雯\n    mobile: 1\n", "YAML 语法错误", ":3"),
    ("registration: [\n", "YAML 语法错误", ":2"),
    ("registration:\n\tname: x\n", "YAML 语法错误", ":2"),
    ("- just\n- a list\n", "最外层", ":1"),
    ("", "文件是空的", ":1"),
    ("registration:\n  nmae: 李晓雯\n", "是否想写 “name”", ":2"),
    ("registration:\n  姓名: 李晓雯\n", "是否想写 “name”", ":2"),
    ("basics:\n  photo: a.jpg\n", "是否想写 “basic”", ":1"),
    ("education:\n  mode: 全日制\n", "education 应为列表", ":1"),
    ("work:\n  - start: 2010-13\n", "没有 13 月", ":2"),
    ("work:\n  - start: soon\n", "应为日期", ":2"),
    ("education:\n  - start: 2010-02-30\n", "没有 30 日", ":2"),
    ("work:\n  - end: 至今\n    start: 至今\n", "此处不能填 “至今”", ":3"),
    ("department:\n  pledge: maybe\n", "department.pledge 应为是/否", ":2"),
    ("exam_year: next\n", "exam_year 应为整数", ":1"),
    ("registration:\n  name: [李, 晓雯]\n", "registration.name 应为文本", ":2"),
    ("registration:\n  name: a\n  name: b\n", "重复", ":3"),
    ("version: 9\n", "版本 9", ":1"),
    ("a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
     "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
     "e: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n", "别名", ""),
    ("registration: !!python/object:os.system x\n", "标签", ":1"),
]


@pytest.mark.parametrize("text,says,line", BROKEN, ids=[b[1] for b in BROKEN])
def test_broken_profile(tmp_path, text, says, line):
    path = tmp_path / "profile.yaml"
    path.write_text(text, "utf-8")
    result = verify(path)
    assert result.exit_code == 2, result.output
    assert says in result.stderr
    assert f"{path}{line}" in result.stderr


def test_non_utf8(tmp_path):
    path = tmp_path / "profile.yaml"
    path.write_bytes("registration:\n  name: 李晓雯\n".encode("gbk"))
    result = verify(path)
    assert result.exit_code == 2 and "GBK" in result.stderr and f"{path}:2" in result.stderr


@pytest.mark.parametrize("make", ["missing", "folder", "image", "pdf"])
def test_profile_is_not_a_profile(tmp_path, make):
    path = tmp_path / "profile.yaml"
    if make == "folder":
        path.mkdir()
    elif make == "image":
        path.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 100)
    elif make == "pdf":
        path.write_bytes(b"%PDF-1.4 ...")
    result = verify(path)
    assert result.exit_code == 2 and str(path) in result.stderr


def test_english_messages(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("registration:\n  nmae: x\n", "utf-8")
    result = verify(path, "--lang", "en")
    assert result.exit_code == 2 and "did you mean 'name'" in result.stderr


def test_several_problems_listed_together(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("registration:\n  nmae: x\nbasic:\n  status: [a]\n", "utf-8")
    result = verify(path)
    assert result.exit_code == 2 and "2 处" in result.stderr and "nmae" in result.stderr and "basic.status" in \
        result.stderr


def test_password_value_never_printed(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("registration:\n  password: Hunter2!x\n  nmae: x\n", "utf-8")
    result = verify(path)
    assert "Hunter2!x" not in result.output + result.stderr


def test_missing_and_broken_images_are_findings(write_profile):
    path = write_profile({"basic": {"photo": "images/none.jpg", "id_back": "bad/truncated.jpg"},
                          "education": {0: {"diploma_image": "bad/bomb.png"}}})
    result = verify(path, "-f", "json")
    assert result.exit_code == 1
    assert {"AT001", "AT004", "AT008"} <= {line.split('"')[3] for line in result.stdout.splitlines()
                                           if '"code"' in line}


def test_bad_ruleset(tmp_path):
    rules = tmp_path / "rules.yaml"
    rules.write_text("id: x\nphoto: {min_bytes: 1}\n", "utf-8")
    result = verify(PASSING, "--ruleset", str(rules))
    assert result.exit_code == 2 and "photo.min_width" in result.stderr


def test_input_file_untouched(write_profile):
    path = write_profile({})
    before = path.read_bytes(), path.stat().st_mtime_ns
    verify(path)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_a_file_that_is_no_image_is_called_so(check, profile_dir):
    """AT003 / PH001 on a text file named .jpg: "not an image file", not "really UNKNOWN format"."""
    (profile_dir / "notes.jpg").write_text("这不是图片 " * 3000, "utf-8")
    report = check({"basic": {"id_back": "notes.jpg", "photo": "notes.jpg"}})
    found = {f.code: f.message for r in report.results for f in r.findings if f.code in ("AT003", "PH001")}
    assert "不是图片文件" in found["AT003"]["zh"] and "UNKNOWN" not in found["AT003"]["zh"], found
    assert "is not an image file" in found["AT003"]["en"]
    assert "不是图片文件" in found["PH001"]["zh"], found
