"""The red-seal finder (tjcheck/documents/seal.py) on a few drawn pages and on the shipped specimens.

The pages are drawn here, into tmp_path, with the drawing code of bench/seal_study.py (which
reuses examples/tools/make_specimens.py); the full labelled study is that script."""
from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest
from PIL import Image

pytest.importorskip("cv2", reason="the seal finder needs OpenCV (pip install 'tjcheck[ocr]')")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from tjcheck.documents.seal import Seal, find_seal  # noqa: E402

IMAGES = ROOT / "examples" / "passing" / "images"
SMALL_A4 = (827, 1169)      # 100 dpi: quick to draw


@pytest.fixture(scope="module")
def study():
    try:
        import seal_study
    except SystemExit as exc:   # make_specimens exits when no CJK font is installed
        pytest.skip(f"drawing the test pages needs a CJK font: {exc}")
    return seal_study


@pytest.fixture(scope="module")
def fonts(study):
    try:
        return study.ms.Fonts(None)
    except SystemExit:
        pytest.skip("drawing the test pages needs a CJK font (apt-get install fonts-noto-cjk)")


def _saved(img: Image.Image, path: Path, quality: int = 88) -> Image.Image:
    """Write as JPEG and read back, as an upload would be."""
    img.convert("RGB").save(path, "JPEG", quality=quality)
    return Image.open(path)


def _work_proof(study, fonts, seed: int):
    rng = random.Random(seed)
    page, where, name = study.work_page(fonts, rng, size=SMALL_A4)
    return page, where, name, rng


def test_sealed_work_proof_found_and_unsealed_not(study, fonts, tmp_path):
    page, where, name, rng = _work_proof(study, fonts, 7)
    diameter = page.width * 0.18
    sealed = study.add_seal(page, fonts, rng, where, name, diameter=diameter)
    found = find_seal(_saved(sealed, tmp_path / "sealed.jpg"))
    assert isinstance(found, Seal)
    assert abs(found.center[0] - where[0]) < 0.15 * diameter and abs(found.center[1] - where[1]) < 0.15 * diameter
    assert 0.38 * diameter < found.radius < 0.55 * diameter
    assert 0.0 <= found.score <= 1.0 and found.coverage > 0.8
    assert find_seal(_saved(page, tmp_path / "unsealed.jpg")) is None


def test_red_heading_is_not_a_seal(study, fonts, tmp_path):
    img, has_seal = study.make_case("red_heading", 3, fonts, small=True)
    assert not has_seal
    assert find_seal(_saved(img, tmp_path / "heading.jpg")) is None


def test_greyscale_scan_of_a_sealed_page_is_none(study, fonts, tmp_path):
    page, where, name, rng = _work_proof(study, fonts, 11)
    sealed = study.add_seal(page, fonts, rng, where, name)
    assert find_seal(sealed) is not None                        # the colour page: found
    grey = sealed.convert("L")
    assert find_seal(grey) is None                              # mode L
    assert find_seal(_saved(grey.convert("RGB"), tmp_path / "grey.jpg")) is None   # grey pixels in an RGB file


def test_seal_on_an_angled_photo_is_found(study, fonts, tmp_path):
    page, where, name, rng = _work_proof(study, fonts, 5)
    sealed = study.add_seal(page, fonts, rng, where, name, diameter=page.width * 0.2)
    photo = study.photograph(sealed, rng, tilt=0.22, out_long=1400)
    found = find_seal(_saved(photo, tmp_path / "angled.jpg"))
    assert found is not None
    assert found.roundness < 0.97          # drawn in perspective: an ellipse


def test_shipped_specimens():
    proof = Image.open(IMAGES / "work_proof.jpg")
    found = find_seal(proof)
    # the stand-in: make_specimens.seal(page, (920, y + 290), r=100) on a page pasted at (30, 30);
    # the ring's centre line is at r - r // 24 = 96 px
    assert found is not None
    assert abs(found.center[0] - 950) < 10 and abs(found.center[1] - 1359) < 10
    assert 85 < found.radius < 105
    assert find_seal(Image.open(IMAGES / "id_front.jpg")) is None   # red watermark, a face: no seal


def test_odd_inputs():
    assert find_seal(Image.new("RGB", (8, 8), "white")) is None
    assert find_seal(Image.new("RGBA", (300, 200), (255, 0, 0, 255))) is None    # all red: no ring
    assert find_seal(Image.new("P", (300, 200))) is None
    assert find_seal(Image.new("1", (300, 200))) is None
