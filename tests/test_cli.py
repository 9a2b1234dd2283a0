"""The command line as a user meets it: exit codes, formats, languages, selection."""
from __future__ import annotations

import json
import os
from importlib.util import find_spec
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tjcheck.cli import app

from .conftest import FAILING, PASSING, ROOT

AS_OF = ["--as-of", "2026-11-26"]
SNAPSHOT = Path(__file__).parent / "snapshots" / "failing.json"
FAILING_CODES = {"ID002", "NM002", "MB001", "PW001", "RN002", "SC001", "PH001", "PH003", "BI004", "BI007", "AT002",
                 "AT005", "ED010", "ED013", "AT007", "WK004", "WK007", "MD001", "MD004", "TL002"}


def run(*args, **kw):
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "100", "TJCHECK_LANG": "zh"}, **kw)


@pytest.fixture(autouse=True)
def _from_root(monkeypatch):
    monkeypatch.chdir(ROOT)   # reports name the profile as given: relative paths stay stable


def test_passing_example_exits_0():
    result = run("verify", "examples/passing/profile.yaml", *AS_OF)
    assert result.exit_code == 0, result.output
    assert "（一）新用户注册" in result.output and "（十一）“会计人员职称”审核结果告知" in result.output
    # without the face extra the photo checks are skipped, and the verdict says so instead of ✔
    assert ("结论：可以提交 ✔" if find_spec("mediapipe") else "项检查未能运行") in result.output
    assert "120104198803150243" not in result.output and "1201**********0243" in result.output


def test_failing_example_exits_1_with_expected_codes():
    result = run("verify", "examples/failing/profile.yaml", *AS_OF, "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["verdict"] == "reject"
    assert FAILING_CODES <= {f["code"] for f in data["findings"]}
    assert "Secret#2026" not in result.output   # the password is never shown


def test_json_snapshot():
    # without the face and document rules, so the snapshot does not depend on the optional extras
    # (tests/test_face.py, tests/test_documents.py)
    result = run("verify", "examples/failing/profile.yaml", *AS_OF, "--format", "json", "--lang", "en",
                 "--ignore", "FA,PH007,PH008,DC")
    data = json.loads(result.stdout)
    data["tool"]["version"] = "*"
    if os.environ.get("UPDATE_SNAPSHOTS"):
        SNAPSHOT.parent.mkdir(exist_ok=True)
        SNAPSHOT.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", "utf-8")
    assert data == json.loads(SNAPSHOT.read_text("utf-8"))


def test_json_fields():
    data = json.loads(run("verify", str(PASSING), *AS_OF, "-f", "json").stdout)
    assert data["format_version"] == 1 and data["verdict"] == "pass"
    assert [s["step"] for s in data["steps"]] == list(range(1, 12))
    for f in data["findings"]:
        assert {"code", "step", "severity", "message", "fix"} <= set(f)


def test_english_and_plain():
    result = run("verify", str(FAILING), *AS_OF, "--lang", "en", "--format", "plain")
    assert result.exit_code == 1
    assert "(1) New user registration" in result.output
    assert "[FAIL] ID002 the ID number ends in a lower-case x" in result.output
    assert "Verdict: not ready to submit" in result.output
    assert "\x1b[" not in result.output


def test_strict_and_exit_zero():
    assert run("verify", str(PASSING), *AS_OF, "--strict").exit_code == 1   # EY001 is a warning
    assert run("verify", str(FAILING), *AS_OF, "--exit-zero").exit_code == 0


def test_select_and_ignore():
    data = json.loads(run("verify", str(FAILING), *AS_OF, "-f", "json", "--select", "ID").stdout)
    assert {f["code"] for f in data["findings"]} == {"ID002"}
    data = json.loads(run("verify", str(FAILING), *AS_OF, "-f", "json", "--ignore", "ID",
                          "--select", "ID002").stdout)
    assert "ID002" in {f["code"] for f in data["findings"]}    # the longer prefix wins
    data = json.loads(run("verify", str(FAILING), *AS_OF, "-f", "json", "--ignore", "A", "--ignore", "P").stdout)
    assert not any(f["code"].startswith(("A", "P")) for f in data["findings"])
    result = run("verify", str(FAILING), "--select", "XX")
    assert result.exit_code == 2 and "XX" in result.stderr


def test_quiet_lists_problems_only():
    result = run("verify", str(FAILING), *AS_OF, "-q")
    assert "✔ RG001" not in result.output and "✖ ID002" in result.output


def test_show_pii():
    result = run("verify", str(PASSING), *AS_OF, "--show-pii")
    assert "120104198803150243" in result.output and "13812345678" in result.output


def test_as_of_must_be_a_date():
    result = run("verify", str(PASSING), "--as-of", "tomorrow")
    assert result.exit_code == 2 and "--as-of" in result.stderr


def test_rules_and_rule():
    result = run("rules")
    assert result.exit_code == 0 and "ID007" in result.output and "PH003" in result.output
    result = run("rules", "--json", "--step", "8")
    codes = [r["code"] for r in json.loads(result.stdout)]
    assert codes and all(c.startswith(("MD", "AT")) or c in ("WK016",) for c in codes)
    result = run("rule", "id007")
    assert result.exit_code == 0 and "ISO 7064" in result.output
    result = run("rule", "ID070", "--lang", "en")
    assert result.exit_code == 2 and "no rule ID070" in result.stderr


def test_schema_matches_examples():
    jsonschema = pytest.importorskip("jsonschema")
    import yaml

    class Yaml12(yaml.SafeLoader):
        """What a YAML 1.2 editor sees: dates stay text."""

    Yaml12.yaml_implicit_resolvers = {k: [r for r in v if r[0] != "tag:yaml.org,2002:timestamp"]
                                      for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}
    schema = json.loads(run("schema").stdout)
    jsonschema.validate(yaml.load(PASSING.read_text("utf-8"), Loader=Yaml12), schema)
    with pytest.raises(jsonschema.ValidationError):   # the failing example has a password key
        jsonschema.validate(yaml.load(FAILING.read_text("utf-8"), Loader=Yaml12), schema)
    shipped = json.loads((ROOT / "examples" / "profile.schema.json").read_text("utf-8"))
    assert shipped == schema, "examples/profile.schema.json is stale: tjcheck schema > examples/profile.schema.json"


def test_version_and_help():
    assert run("--version").output.startswith("tjcheck ")
    result = run("--help")
    assert result.exit_code == 0 and "verify" in result.output
    assert run().exit_code in (0, 2)   # no command: help is shown
