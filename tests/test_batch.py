"""tjcheck batch over a folder of staff folders: the examples, a broken profile, reports.
tests/test_batch_reports.py reads each report format back in detail."""
from __future__ import annotations

import csv
import json
import os
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tjcheck.batch.run import Settings, find_profiles, run
from tjcheck.cli import app

from .conftest import EXAMPLES, TODAY

runner = CliRunner()
AS_OF = ["--as-of", TODAY.isoformat()]


@pytest.fixture(scope="module")
def staff(tmp_path_factory) -> Path:
    """Three people who pass, one who is refused, one whose profile is broken, and a hidden folder."""
    root = tmp_path_factory.mktemp("staff")
    for name in ("张一", "李二", "王三"):
        shutil.copytree(EXAMPLES / "passing", root / "部门A" / name)
    shutil.copytree(EXAMPLES / "failing", root / "部门B" / "赵四")
    (root / "部门B" / "坏档案").mkdir()
    (root / "部门B" / "坏档案" / "profile.yaml").write_text("registration: [\n", "utf-8")
    (root / ".trash" / "old").mkdir(parents=True)
    (root / ".trash" / "old" / "profile.yaml").write_text("{}", "utf-8")
    return root


def test_finds_one_profile_per_staff_folder(staff):
    found = [p.parent.relative_to(staff).as_posix() for p in find_profiles(staff, "profile.yaml")]
    assert found == ["部门A/张一", "部门A/李二", "部门A/王三", "部门B/坏档案", "部门B/赵四"]


def test_a_broken_profile_is_reported_and_the_batch_goes_on(staff):
    result = runner.invoke(app, ["batch", str(staff), *AS_OF, "--jobs", "1"])
    assert result.exit_code == 1, result.output
    out = result.output
    assert "共 5 人：通过 3，不通过 1，无法检查 1" in out
    assert "无法检查" in out and "YAML" in out             # the broken one, with its reason
    assert "1201**********0243" in out and "120104198803150243" not in out   # masked
    assert re.search(r"\d+ 人：[A-Z]{2}\d{3} ", out), out      # totals by reason


def test_two_workers_give_the_same_records_in_the_same_order(staff):
    profiles = find_profiles(staff, "profile.yaml")
    settings = Settings(root=staff, as_of=TODAY)
    one = [(p.folder, p.verdict, p.errors, p.warnings, [f.code for f in p.findings]) for p in run(profiles, settings, 1)]
    two = [(p.folder, p.verdict, p.errors, p.warnings, [f.code for f in p.findings]) for p in run(profiles, settings, 2)]
    assert one == two and [v for _, v, *_ in one] == ["pass", "pass", "pass", "unusable", "reject"]


def test_show_pii_and_exit_zero_and_quiet(staff):
    result = runner.invoke(app, ["batch", str(staff), *AS_OF, "--show-pii", "--exit-zero", "--quiet", "-j", "1"])
    assert result.exit_code == 0
    assert "120104198803150243" not in result.output      # --quiet: no row per person
    assert "共 5 人" in result.output


@pytest.mark.parametrize("suffix", [".json", ".csv", ".xlsx", ".html"])
def test_reports_hold_everyone_and_mask_numbers(staff, tmp_path, suffix):
    target = tmp_path / f"report{suffix}"
    result = runner.invoke(app, ["batch", str(staff), *AS_OF, "-j", "2", "--report", str(target)])
    assert result.exit_code == 1 and target.is_file(), result.output
    if suffix == ".json":
        data = json.loads(target.read_text("utf-8"))
        assert len(data["people"]) == 5 and data["totals"]["reject"] == 1
        text = target.read_text("utf-8")
    elif suffix == ".csv":
        rows = list(csv.reader(target.read_text("utf-8-sig").splitlines()))
        text = target.read_text("utf-8-sig")
        assert len({r[0] for r in rows[1:]}) == 5
    elif suffix == ".xlsx":
        from openpyxl import load_workbook

        book = load_workbook(target, read_only=True)
        people = list(book.worksheets[0].iter_rows(values_only=True))
        assert len(people) == 6
        text = str(people)
    else:
        text = target.read_text("utf-8")
        assert text.count("data:image/jpeg;base64,") >= 4   # a thumbnail beside each person with a photo
    assert "赵四" in text and "坏档案" in text
    assert "120104198803150243" not in text                 # masked unless --show-pii


def test_unusable_folder_and_existing_report(staff, tmp_path):
    assert runner.invoke(app, ["batch", str(tmp_path / "nope")]).exit_code == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    result = runner.invoke(app, ["batch", str(empty)])
    assert result.exit_code == 2 and "profile.yaml" in result.output
    existing = tmp_path / "r.csv"
    existing.write_text("mine", "utf-8")
    result = runner.invoke(app, ["batch", str(staff), "--report", str(existing)])
    assert result.exit_code == 2 and existing.read_text("utf-8") == "mine"
    result = runner.invoke(app, ["batch", str(staff), "--report", str(tmp_path / "r.docx")])
    assert result.exit_code == 2 and ".xlsx" in result.output


def _no_work(monkeypatch):
    """The batch must not start: any check would call run()."""
    import tjcheck.batch.run as batch_run

    def refuse(*args, **kwargs):
        raise AssertionError("the batch started before the report path was checked")
    monkeypatch.setattr(batch_run, "run", refuse)


@pytest.mark.parametrize("case", ["folder", "folder-force", "folder-with-suffix", "parent-missing",
                                  "parent-is-a-file", "proc", "fifo"])
def test_report_path_is_checked_before_any_work(staff, tmp_path, monkeypatch, case):
    _no_work(monkeypatch)
    extra = []
    if case.startswith("folder"):
        target = tmp_path / ("r.json" if case == "folder-with-suffix" else "reports")
        target.mkdir()
        extra = ["--force"] if case != "folder" else []
        says = "文件夹"
    elif case == "parent-missing":
        target, says = tmp_path / "nope" / "r.json", "不存在"
    elif case == "parent-is-a-file":
        (tmp_path / "a-file").write_text("x", "utf-8")
        target, says = tmp_path / "a-file" / "r.json", "不是文件夹"
    elif case == "proc":                         # root cannot create a file here either
        target, says = Path("/proc/tjcheck-report.json"), "无法"
    else:                                         # never replace a pipe or a device, even with --force
        target, extra, says = tmp_path / "pipe.csv", ["--force"], "普通文件"
        os.mkfifo(target)
    if case == "folder-with-suffix":
        extra = ["--force"]
    result = runner.invoke(app, ["batch", str(staff), *AS_OF, "-j", "1", "--report", str(target), *extra])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 2, result.output
    assert str(target) in result.output and says in result.output, result.output
    assert "内部错误" not in result.output
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else False,
                    reason="root may write into a read-only folder")
def test_report_into_a_read_only_folder(staff, tmp_path, monkeypatch):
    _no_work(monkeypatch)
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        result = runner.invoke(app, ["batch", str(staff), *AS_OF, "--report", str(folder / "r.xlsx")])
    finally:
        folder.chmod(0o755)
    assert result.exit_code == 2 and "权限" in result.output, result.output


def test_report_that_cannot_be_put_in_place_is_exit_2(staff, tmp_path, monkeypatch):
    """The target became unusable while the batch ran: a message, not exit 3."""
    from tjcheck.batch import reports

    def fail(*args):
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr(reports.os, "replace", fail)
    target = tmp_path / "r.csv"
    result = runner.invoke(app, ["batch", str(staff), *AS_OF, "-j", "1", "--report", str(target)])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 2 and str(target) in result.output, result.output
    assert not list(tmp_path.iterdir())
