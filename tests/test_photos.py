"""The photo checks on real photos: ../shared/photos (labelled) and ../shared/examples-src.

These photos may not be copied into the project, so the tests read them from beside the
project's root and skip, saying so, when the folder is absent. The accuracy floors below
are regression guards set a little under what bench/photo_accuracy.py measures today
(README, "Photo checks"); issue 3's targets are higher and the README says where they
are not met.
"""
from __future__ import annotations

import importlib.util

import pytest

from tjcheck.engine import load_ruleset
from tjcheck.report import Outcome

from .conftest import ROOT, SHARED

pytest.importorskip("mediapipe", reason="photo checks need: pip install 'tjcheck[face]'")

PHOTOS = SHARED / "photos"
EXAMPLES_SRC = SHARED / "examples-src"
PHOTO_CODES = ("FA", "PH007", "PH008")

FLOORS = {   # attribute: (precision, recall) at least
    "faces": (0.9, 0.8), "frontal": (0.6, 0.8), "glasses": (0.9, 0.8), "sunglasses": (0.8, 0.8),
    "hat": (0.9, 0.8), "bangs": (0.9, 0.9), "blur": (0.85, 0.75),
}
# glasses, sunglasses, hat and bangs are decided by detectors trained on these photos among others:
# their floors guard against a broken model or wiring, not a measure of unseen photos (README:
# the grouped cross-validated figures are that)


@pytest.fixture(scope="module")
def accuracy():
    if not (PHOTOS / "img").is_dir() or not (PHOTOS / "labels.csv").is_file():
        pytest.skip(f"labelled photos not found at {PHOTOS} (they sit beside the project, never inside it)")
    spec = importlib.util.spec_from_file_location("photo_accuracy", ROOT / "bench" / "photo_accuracy.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    return bench.score(PHOTOS / "img", PHOTOS / "labels.csv", load_ruleset())


def test_few_false_alarms_on_good_photos(accuracy):
    out, misses = accuracy
    assert out["pass_photos"] >= 90
    assert out["false_alarms_on_pass"] <= 0.03 * out["pass_photos"], misses["false_alarms_on_pass"]


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_attribute_floor(accuracy, name):
    out, misses = accuracy
    got = out["attributes"][name]
    precision, recall = FLOORS[name]
    assert got["positives"] >= 5
    assert got["precision"] >= precision and got["recall"] >= recall, (got, misses.get(name))


def _photo_report(check, name: str):
    if not EXAMPLES_SRC.is_dir():
        pytest.skip(f"{EXAMPLES_SRC} not found")
    report = check({"basic": {"photo": str(EXAMPLES_SRC / name)}})
    return report, {f.code: f for f in report.findings if f.code.startswith(PHOTO_CODES)}


def test_white_background_portrait_passes(check):
    report, found = _photo_report(check, "photo_white_bg.jpg")
    assert not found
    assert all(r.outcome is Outcome.PASSED for r in report.results if r.code.startswith(PHOTO_CODES))


def test_blue_background_with_fringe_fails_on_both(check):
    _, found = _photo_report(check, "photo_blue_bg_bangs.jpg")
    assert found["FA007"].severity.value in ("warning", "error") and found["PH007"].severity.value == "error"
    assert set(found) == {"FA007", "PH007"}, sorted(found)


def test_street_background_is_not_plain(check):
    _, found = _photo_report(check, "photo_street_bg.jpg")
    assert found["PH007"].severity.value == "error" and "not plain" in found["PH007"].message["en"]
    assert not any(code.startswith("FA") for code in found), sorted(found)
