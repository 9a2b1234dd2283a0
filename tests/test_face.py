"""Face checks (FA…): run with the optional extra tjcheck[face]; skipped, never passed, without it."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from tjcheck.engine import load_ruleset
from tjcheck.report import Outcome

from .conftest import EXAMPLES

PHOTO = EXAMPLES / "passing" / "images" / "photo.jpg"


def _save(image: Image.Image, folder, name: str) -> str:
    path = folder / name
    image.save(path, "JPEG", quality=92)
    return str(path)


def _codes(report, prefix="FA"):
    return {f.code: f for f in report.findings if f.code.startswith(prefix)}


def test_face_checks_skip_without_backend(check, monkeypatch):
    """Without mediapipe the face rules show as skipped with the install command, not as passed."""
    import tjcheck.imaging.face as face

    def missing(*_a, **_k):
        raise face.FaceBackendMissing("No module named 'mediapipe'")

    monkeypatch.setattr(face, "analyser", missing)
    report = check({})
    fa = [r for r in report.results if r.code.startswith("FA")]
    assert fa and all(r.outcome is Outcome.SKIPPED for r in fa)
    assert "tjcheck[face]" in fa[0].note["zh"]
    assert report.verdict() == "pass"


mediapipe = pytest.importorskip("mediapipe", reason="face checks need: pip install 'tjcheck[face]'")


def test_passing_photo_has_one_frontal_face(check):
    report = check({})
    assert not _codes(report)
    assert {r.code: r.outcome for r in report.results if r.code.startswith("FA")} == \
        {"FA001": Outcome.PASSED, "FA002": Outcome.PASSED}


def test_two_faces(check, tmp_path):
    one = Image.open(PHOTO).convert("RGB")
    two = Image.new("RGB", (one.width * 2, one.height), "white")
    two.paste(one, (0, 0))
    two.paste(one, (one.width, 0))
    report = check({"basic": {"photo": _save(two.resize((826, 579)), tmp_path, "two.jpg")}})
    assert "2 faces" in _codes(report)["FA001"].message["en"]
    assert "FA002" not in _codes(report)   # the cascade: no pose reason without exactly one face


def test_no_face(check, tmp_path):
    blank = Image.new("RGB", (413, 579), (250, 250, 250))
    report = check({"basic": {"photo": _save(blank, tmp_path, "blank.jpg")}})
    assert "no face" in _codes(report)["FA001"].message["en"]


def test_tilted_head(check, tmp_path):
    tilted = Image.open(PHOTO).convert("RGB").rotate(25, resample=Image.BICUBIC, fillcolor="white")
    report = check({"basic": {"photo": _save(tilted, tmp_path, "tilted.jpg")}})
    finding = _codes(report)["FA002"]
    limit = load_ruleset()["face"]["pose"]["roll"]["error"]
    assert finding.severity.value == "error" and "tilted" in finding.message["en"]
    assert f"limit {limit}°" in finding.message["en"] and f"上限 {limit}°" in finding.message["zh"]


def test_examples_src_photos_have_one_face(check):
    src = EXAMPLES.parent.parent / "shared" / "examples-src"
    if not src.is_dir():
        pytest.skip(f"{src} not found")
    for name in ("photo_blue_bg_bangs.jpg", "photo_street_bg.jpg"):
        buf = io.BytesIO(src.joinpath(name).read_bytes())
        assert Image.open(buf).format == "JPEG"
        report = check({"basic": {"photo": str(src / name)}})
        assert "FA001" not in _codes(report), name


def test_console_stays_clean(tmp_path):
    """mediapipe's native logging never reaches the user; tjcheck's own messages still do."""
    import subprocess
    import sys

    from .conftest import PASSING

    ok = subprocess.run([sys.executable, "-m", "tjcheck", "verify", str(PASSING), "--as-of", "2026-11-26"],
                        capture_output=True, text=True)
    assert ok.returncode == 0 and "FA001" in ok.stdout and ok.stderr == ""
    bad = subprocess.run([sys.executable, "-m", "tjcheck", "verify", str(tmp_path / "none.yaml")],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "none.yaml" in bad.stderr and "Traceback" not in bad.stderr
