"""iPhone (HEIC/HEIF) and Android (AVIF) photos, made here from the shipped passing photo and
a specimen scan (never downloaded): verify still says the platform wants jpg but decodes the
pixels and runs the photo checks on them; fix converts them to JPEG, upright; merge takes
them as pages; init accepts them and says what fix will do."""
from __future__ import annotations

import importlib.util
import io
import json
import shutil
from pathlib import Path

import pytest
import yaml
from PIL import Image, features
from typer.testing import CliRunner

from tjcheck.cli import app
from tjcheck.engine import load_ruleset
from tjcheck.fixing.fix import fix_profile
from tjcheck.imaging.reader import ImageReader, sniff

from .conftest import EXAMPLES, TODAY

RS = load_ruleset()
PHOTO = EXAMPLES / "passing" / "images" / "photo.jpg"
DIPLOMA = EXAMPLES / "passing" / "images" / "diploma.jpg"
HAS_FACE = importlib.util.find_spec("mediapipe") is not None
HAS_AVIF = features.check("avif")
FORMATS = ["HEIF"] + (["AVIF"] if HAS_AVIF else [])
SUFFIX = {"HEIF": ".heic", "AVIF": ".avif"}
SNIFFED = {"HEIF": "HEIC", "AVIF": "AVIF"}
runner = CliRunner()


def encode(image: Image.Image, fmt: str, orientation: int = 1, quality: int = 90) -> bytes:
    if fmt == "HEIF":
        from pillow_heif import register_heif_opener

        register_heif_opener()
    buf = io.BytesIO()
    kw = {}
    if orientation != 1:
        exif = Image.Exif()
        exif[0x0112] = orientation
        kw["exif"] = exif.tobytes()
    image.save(buf, fmt, quality=quality, **kw)
    return buf.getvalue()


@pytest.fixture
def person(tmp_path) -> Path:
    folder = tmp_path / "in"
    shutil.copytree(EXAMPLES / "passing", folder)
    return folder


def patch_profile(folder: Path, **basic) -> Path:
    path = folder / "profile.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    data["basic"].update(basic)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def verify_json(profile: Path, *args: str) -> dict:
    result = runner.invoke(app, ["verify", str(profile), "-f", "json", "--as-of", TODAY.isoformat(), *args])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def test_avif_support_is_known():
    """Which library reads AVIF: Pillow itself (its wheels carry libavif from 11.3); the
    pillow-heif plugin reads HEIC only. Recorded so a change of Pillow shows up here."""
    import pillow_heif

    assert pillow_heif.libheif_info()["decoders"]   # HEIC decoding is there
    if not HAS_AVIF:
        pytest.skip("this Pillow has no AVIF codec")
    assert "AVIF" in Image.registered_extensions().values()


@pytest.mark.parametrize("fmt", FORMATS)
def test_sniffed_from_the_bytes(fmt):
    data = encode(Image.open(PHOTO).convert("RGB"), fmt)
    assert sniff(data[:64]) == SNIFFED[fmt]


@pytest.mark.parametrize("fmt", FORMATS)
def test_verify_decodes_a_phone_photo_and_still_asks_for_jpg(person, fmt):
    name = "photo" + SUFFIX[fmt]
    (person / "images" / name).write_bytes(encode(Image.open(PHOTO).convert("RGB"), fmt))
    report = verify_json(patch_profile(person, photo=f"images/{name}"))
    findings = {f["code"]: f for f in report["findings"]}
    assert "PH001" in findings and SNIFFED[fmt] in findings["PH001"]["message"]
    assert "tjcheck fix" in findings["PH001"]["fix"]
    assert "AT004" not in findings and "PH003" not in findings        # decoded: 413×579, complete
    outcomes = {c["code"]: c["outcome"] for step in report["steps"] for c in step["checks"]}
    if HAS_FACE:   # the face and quality checks ran on its pixels
        for code in ("FA001", "FA004", "FA008", "PH007", "PH008"):
            assert outcomes[code] == "passed", (code, outcomes[code])


@pytest.mark.parametrize("fmt", FORMATS)
def test_verify_phone_photo_as_an_attachment_is_AT003_with_the_fix(person, fmt):
    name = "id_back" + SUFFIX[fmt]
    (person / "images" / name).write_bytes(encode(Image.open(DIPLOMA).convert("RGB"), fmt))
    report = verify_json(patch_profile(person, id_back=f"images/{name}"), "--select", "AT")
    codes = [f["code"] for f in report["findings"]]
    assert codes == ["AT003"], codes
    assert "tjcheck fix" in report["findings"][0]["fix"] and "HEIC" in report["findings"][0]["fix"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_fix_converts_a_phone_photo_to_an_upright_jpeg(person, tmp_path, fmt):
    upright = Image.open(PHOTO).convert("RGB")
    sideways = upright.transpose(Image.Transpose.ROTATE_90)   # stored turned, with orientation 6
    name = "photo" + SUFFIX[fmt]
    (person / "images" / name).write_bytes(encode(sideways, fmt, orientation=6))
    id_name = "id_back" + SUFFIX[fmt]
    (person / "images" / id_name).write_bytes(encode(Image.open(DIPLOMA).convert("RGB"), fmt))
    profile = patch_profile(person, photo=f"images/{name}", id_back=f"images/{id_name}")
    result = fix_profile(profile, tmp_path / "out", "en")
    by_source = {item.source: item for item in result.items}
    for source in (f"images/{name}", f"images/{id_name}"):
        item = by_source[source]
        assert item.status == "fixed", (source, item.reasons)
        assert any("converted to JPEG" in en for _, en in item.actions), item.actions
        info = ImageReader(RS["attachments"]).get(item.output.parent, item.output.name)
        assert info.format == "JPEG" and info.error is None
    photo = Image.open(by_source[f"images/{name}"].output)
    assert photo.size == upright.size                                   # turned upright
    assert photo.getexif().get(0x0112, 1) == 1
    codes = {f.code for f in result.remaining}
    assert not codes & {"PH001", "AT003", "AT004"}, codes


@pytest.mark.parametrize("fmt", FORMATS)
def test_merge_takes_phone_photo_pages(tmp_path, fmt):
    page = tmp_path / ("page" + SUFFIX[fmt])
    page.write_bytes(encode(Image.open(DIPLOMA).convert("RGB").resize((1400, 1000)), fmt))
    out = tmp_path / "m.jpg"
    result = runner.invoke(app, ["merge", str(DIPLOMA), str(page), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert Image.open(out).format == "JPEG"


def test_init_accepts_a_heic_photo_and_says_what_fix_does(person):
    name = "photo.heic"
    (person / "images" / name).write_bytes(encode(Image.open(PHOTO).convert("RGB"), "HEIF"))
    answers = patch_profile(person, photo=f"images/{name}")
    target = person / "new.yaml"
    result = runner.invoke(app, ["init", str(target), "--answers", str(answers)])
    assert target.exists(), result.output
    assert yaml.safe_load(target.read_text("utf-8"))["basic"]["photo"] in (f"images/{name}", [f"images/{name}"])
    out = " ".join(result.output.split())
    assert "HEIC" in out and "tjcheck fix" in out and "转换为 jpg" in out, result.output


def test_a_damaged_heic_is_AT004_not_a_crash(person):
    data = encode(Image.open(PHOTO).convert("RGB"), "HEIF")
    (person / "images" / "cut.heic").write_bytes(data[: len(data) // 2])
    report = verify_json(patch_profile(person, id_back="images/cut.heic"), "--select", "AT")
    assert "AT004" in [f["code"] for f in report["findings"]]
