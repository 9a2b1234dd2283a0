"""Every rule: documented, and shown to pass and to fail on real profiles (tests/cases.yaml)."""
from __future__ import annotations

import string
from datetime import date
from pathlib import Path

import pytest
import yaml

from tjcheck.engine import all_rules
from tjcheck.report import Outcome

CASES = yaml.safe_load((Path(__file__).parent / "cases.yaml").read_text("utf-8"))
RULES = all_rules()


try:
    import mediapipe  # noqa: F401
    NO_FACE_BACKEND = False
except ImportError:
    NO_FACE_BACKEND = True
FACE_CODES = ("FA", "PH007", "PH008")   # need the face model (tjcheck[face])
try:
    import rapidocr  # noqa: F401
    NO_OCR_BACKEND = False
except ImportError:
    NO_OCR_BACKEND = True


def _cases(kind: str):
    for code, entry in sorted(CASES.items()):
        for i, patch in enumerate(entry.get(kind) or []):
            marks = [pytest.mark.skipif(NO_FACE_BACKEND and code.startswith(FACE_CODES),
                                        reason="face checks need: pip install 'tjcheck[face]'"),
                     pytest.mark.skipif(NO_OCR_BACKEND and code.startswith("DC"),
                                        reason="document checks need: pip install 'tjcheck[ocr]'")]
            yield pytest.param(code, patch, id=f"{code}-{kind}-{i}", marks=marks)


def _run(check, patch):
    patch = dict(patch)
    as_of = patch.pop("as_of", None)
    return check(patch, **({"as_of": as_of if isinstance(as_of, date) else date.fromisoformat(as_of)}
                           if as_of else {}))


@pytest.mark.parametrize("code,patch", list(_cases("fail")))
def test_rule_fails(check, code, patch):
    report = _run(check, patch)
    codes = {f.code for f in report.findings}
    assert code in codes, f"{code} did not report; got {sorted(codes)}"
    for f in report.findings:
        if f.code == code:
            assert f.message["zh"] and f.message["en"] and "{" not in f.message["zh"] + f.message["en"]
            assert 1 <= f.step <= 11


@pytest.mark.parametrize("code,patch", list(_cases("pass")))
def test_rule_passes(check, code, patch):
    report = _run(check, patch)
    mine = [r for r in report.results if r.code == code]
    assert mine and all(not r.findings for r in mine), [f.message["en"] for r in mine for f in r.findings]
    assert any(r.outcome is Outcome.PASSED for r in mine), f"{code} was not applicable in its pass case"


def test_every_rule_has_cases():
    missing = [c for c in RULES if not CASES.get(c, {}).get("fail") or not CASES.get(c, {}).get("pass")]
    assert not missing, f"rules without a pass and a fail case: {missing}"
    assert not set(CASES) - set(RULES), "cases for rules that do not exist"


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_documented(code):
    rule = RULES[code]
    assert rule.code[:2].isalpha() and rule.code[2:].isdigit() and len(rule.code) == 5
    assert all(1 <= s <= 11 for s in rule.steps)
    assert len(rule.doc) > 30, "the docstring is the rule's documentation"
    for pair in (rule.title, rule.message, rule.fix):
        assert len(pair) == 2
    assert all(rule.title) and all(rule.message) and rule.source and rule.tag in ("firm", "likely", "open")
    # both languages use the same placeholders, so each message can be filled either way
    for pair in (rule.message, rule.fix):
        fields = [{f for _, f, _, _ in string.Formatter().parse(t) if f} for t in pair]
        assert fields[0] == fields[1]


def test_passing_example_is_clean(check):
    report = check({})
    errors = [(f.code, f.message["en"]) for f in report.findings if f.severity.value == "error"]
    assert not errors
    # the only warning: the 2027 conditions are not published yet
    assert {f.code for f in report.findings if f.severity.value == "warning"} == {"EY001"}


def test_readme_lists_every_rule():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")
    assert not [c for c in RULES if f"| {c} |" not in readme]
