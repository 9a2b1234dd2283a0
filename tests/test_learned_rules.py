"""FA004-FA007 decide on the learned detectors (tjcheck/imaging/learned.py): a probability
past the warning threshold is a warning that asks the person to look, past the error threshold
an error, below both a pass; every finding shows the probability and the threshold it passed.
Each detector is tried on a photo that shows its defect, with the ruleset's thresholds moved
just above and below the probability measured on it, so both sides of each threshold are
real decisions on real pixels."""
from __future__ import annotations

import copy

import pytest

from tjcheck.engine import load_ruleset
from tjcheck.report import Outcome

pytest.importorskip("mediapipe", reason="face checks need: pip install 'tjcheck[face]'")

RULES = {"glasses": "FA004", "tinted": "FA005", "hat": "FA006", "fringe": "FA007"}
SHOWS = {"glasses": "glasses.jpg", "tinted": "sunglasses.jpg", "hat": "red_cap.jpg", "fringe": "bangs.jpg"}
NEVER = {"warn": 1.0, "error": 1.0}    # grade() flags only above a limit: a probability never is


@pytest.fixture(scope="module")
def probabilities(bad_dir):
    """Each drawn or example photo's detector probabilities, as the rules compute them."""
    from PIL import Image

    from tjcheck.imaging import learned
    from tjcheck.imaging.face import analyser

    out = {}
    for name, file in SHOWS.items():
        a = analyser(0.6).analyse(Image.open(bad_dir / file).convert("RGB"))
        out[name] = learned.probabilities(a)
    return out


def _run(write_profile, photo, ruleset):
    from tjcheck.engine import verify
    from tjcheck.profile import load_profile

    from .conftest import TODAY

    path = write_profile({"basic": {"photo": str(photo)}})
    return verify(load_profile(path, ruleset["identity"]["password_keys"]), ruleset, as_of=TODAY, select=["FA"])


def _only(name: str, limits: dict) -> dict:
    """The shipped ruleset with detector ``name`` at ``limits`` and the other three silenced."""
    rs = copy.deepcopy(load_ruleset())
    for other in RULES:
        rs["face"]["detectors"][other] = dict(NEVER)
    rs["face"]["detectors"][name] = limits
    return rs


@pytest.mark.parametrize("name", list(RULES))
def test_each_side_of_each_threshold(name, probabilities, write_profile, bad_dir):
    p = probabilities[name][name]
    assert 0.04 < p < 0.96, (name, p)     # room to place thresholds on both sides
    code = RULES[name]
    cases = [({"warn": p + 0.02, "error": p + 0.03}, None),               # below both: pass
             ({"warn": p - 0.02, "error": p + 0.02}, "warning"),          # in the band: look
             ({"warn": p - 0.03, "error": p - 0.02}, "error")]            # past the error threshold
    for limits, expected in cases:
        report = _run(write_profile, bad_dir / SHOWS[name], _only(name, limits))
        found = [f for f in report.findings if f.code == code]
        outcome = next(r.outcome for r in report.results if r.code == code)
        if expected is None:
            assert not found and outcome is Outcome.PASSED, (name, limits, found)
            continue
        assert len(found) == 1 and found[0].severity.value == expected, (name, limits, found)
        zh, en = found[0].message["zh"], found[0].message["en"]
        assert f"置信度 {p:.3f}" in zh and f"confidence {p:.3f}" in en, zh      # what was measured
        if expected == "error":
            assert f"判定阈值 {limits['error']:.3f}" in zh and "请人工确认" not in zh, zh
        else:
            assert f"提醒阈值 {limits['warn']:.3f}，判定阈值 {limits['error']:.3f}" in zh, zh
            assert "请人工确认" in zh and "please look" in en and "error threshold" in en, en


def test_sure_tinted_lenses_are_not_also_called_glasses(probabilities, write_profile, bad_dir):
    p = probabilities["tinted"]
    rs = copy.deepcopy(load_ruleset())
    rs["face"]["detectors"]["glasses"] = {"warn": 0.0, "error": 0.0}                       # glasses always
    rs["face"]["detectors"]["tinted"] = {"warn": p["tinted"] - 0.02, "error": p["tinted"] - 0.01}
    codes = {f.code for f in _run(write_profile, bad_dir / "sunglasses.jpg", rs).findings}
    assert "FA005" in codes and "FA004" not in codes
    rs["face"]["detectors"]["tinted"] = {"warn": p["tinted"] - 0.02, "error": p["tinted"] + 0.02}   # only a warning
    codes = {f.code for f in _run(write_profile, bad_dir / "sunglasses.jpg", rs).findings}
    assert {"FA004", "FA005"} <= codes


def test_a_sure_hat_is_not_also_called_a_fringe(probabilities, write_profile, bad_dir):
    p = probabilities["fringe"]
    rs = copy.deepcopy(load_ruleset())
    rs["face"]["detectors"]["fringe"] = {"warn": 0.0, "error": 0.0}
    rs["face"]["detectors"]["hat"] = {"warn": p["hat"] - 0.02, "error": p["hat"] - 0.01}
    codes = {f.code for f in _run(write_profile, bad_dir / "bangs.jpg", rs).findings}
    assert "FA006" in codes and "FA007" not in codes
    rs["face"]["detectors"]["hat"] = dict(NEVER)
    codes = {f.code for f in _run(write_profile, bad_dir / "bangs.jpg", rs).findings}
    assert "FA007" in codes and "FA006" not in codes


def test_a_broken_model_file_skips_the_four_rules_with_the_reason(check, monkeypatch):
    from tjcheck.imaging import learned

    def broken(*_a, **_k):
        raise learned.ModelMissing("photo_attributes.npz: truncated")

    monkeypatch.setattr(learned, "detectors", broken)
    report = check({})
    outcomes = {r.code: r for r in report.results if r.code in RULES.values()}
    assert set(outcomes) == set(RULES.values())
    assert all(r.outcome is Outcome.SKIPPED and "truncated" in r.note["en"] for r in outcomes.values())
    assert report.verdict() != "reject"


def test_the_shipped_thresholds_are_the_model_files(probabilities):
    """The ruleset's thresholds are the ones the training script chose (and printed), so the
    model card's figures describe the decisions the rules make."""
    import numpy as np

    from tjcheck.imaging import learned

    rs = load_ruleset()["face"]["detectors"]
    with np.load(learned.MODEL_FILE) as z:
        for name in RULES:
            warn, error = (float(v) for v in z[f"{name}.thresholds"])
            assert rs[name] == pytest.approx({"warn": warn, "error": error}, abs=5e-4), name
