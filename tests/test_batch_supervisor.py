"""One person cannot stall or stop `tjcheck batch` (issue 10, item 3): each person has a time
limit, after which the row says so and the batch goes on; a worker process that dies (killed,
crashed) costs only its current person's row. Also with --jobs 1.

The hang and the crash are injected by TJCHECK_TEST_WORKER, which only the worker process
reads (test-only; see tjcheck/batch/supervisor.py): "hang:FOLDER" sleeps in that person's
check, "crash:FOLDER" kills the worker with SIGKILL there.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tjcheck.batch.run import Settings, find_profiles, run
from tjcheck.cli import app

from .conftest import EXAMPLES, TODAY

runner = CliRunner()
# a normal check takes 0.1–0.3 s, a few times that on a loaded machine: 8 s leaves a wide margin


@pytest.fixture(scope="module")
def staff(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("staff")
    for name in ("a", "b-hangs", "c", "d-crashes", "e"):
        shutil.copytree(EXAMPLES / ("failing" if name == "e" else "passing"), root / name)
    return root


def test_a_hung_person_times_out_and_a_crashed_worker_costs_one_row(staff, monkeypatch):
    monkeypatch.setenv("TJCHECK_TEST_WORKER", "hang:b-hangs;crash:d-crashes")
    records = list(run(find_profiles(staff, "profile.yaml"), Settings(root=staff, as_of=TODAY), jobs=2, timeout=8))
    assert [r.folder for r in records] == ["a", "b-hangs", "c", "d-crashes", "e"]     # folder order, everyone
    assert [r.verdict for r in records] == ["pass", "unusable", "pass", "unusable", "reject"]
    hung, crashed = records[1], records[3]
    assert "检查超时（超过 8 秒）" in hung.problem["zh"] and "timed out (over 8 s)" in hung.problem["en"]
    assert "意外退出" in crashed.problem["zh"] and "SIGKILL" in crashed.problem["en"]
    assert all("内部错误" not in (r.problem or {}).get("zh", "") for r in records)   # not a bug of tjcheck


def test_one_job_has_the_limit_too_and_the_command_says_why(staff, monkeypatch):
    monkeypatch.setenv("TJCHECK_TEST_WORKER", "hang:b-hangs;crash:d-crashes")
    result = runner.invoke(app, ["batch", str(staff), "--as-of", TODAY.isoformat(), "-j", "1", "--timeout", "8"],
                           env={"COLUMNS": "200"})
    assert result.exit_code == 1, result.output
    assert "共 5 人：通过 2，不通过 1，无法检查 2" in result.output
    assert "检查超时（超过 8 秒）" in result.output and "意外退出" in result.output


@pytest.mark.parametrize("value", ["0", "-1", "abc"])
def test_timeout_must_be_a_positive_number(staff, value):
    result = runner.invoke(app, ["batch", str(staff), "--timeout", value])
    assert result.exit_code == 2 and "Invalid value for '--timeout'" in result.output, result.output


def test_a_file_error_is_not_called_an_internal_error(tmp_path):
    """An OSError that escapes the checks is about a file, not a bug in tjcheck: the row says which file."""
    import yaml

    from tjcheck.batch.run import _start_worker, check_one

    shutil.copytree(EXAMPLES / "passing", tmp_path / "p")
    data = yaml.safe_load((tmp_path / "p" / "profile.yaml").read_text("utf-8"))
    data["basic"]["photo"] = "images/" + "长" * 200 + ".jpg"             # a name too long for the file system
    (tmp_path / "p" / "profile.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    _start_worker(Settings(root=tmp_path, as_of=TODAY))
    person = check_one(tmp_path / "p" / "profile.yaml")
    assert person.verdict != "pass"
    assert "内部错误" not in str(person.problem) and "internal error" not in str(person.problem)
