"""Shared fixtures: the passing example as a base, patched per test case, and bad image files."""
from __future__ import annotations

import copy
import io
import os
import random
from datetime import date
from pathlib import Path

import pytest
import yaml
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
PASSING = EXAMPLES / "passing" / "profile.yaml"
FAILING = EXAMPLES / "failing" / "profile.yaml"
SHARED = ROOT.parent / "shared"
TODAY = date(2026, 11, 26)   # every test checks "as of" this day, so results never drift


def noise_image(size: tuple[int, int], seed: int = 1) -> Image.Image:
    rnd = random.Random(seed)
    return Image.frombytes("RGB", size, bytes(rnd.getrandbits(8) for _ in range(size[0] * size[1] * 3)))


def _jpeg(image: Image.Image, **kw) -> bytes:
    buf = io.BytesIO()
    image.save(buf, "JPEG", **kw)
    return buf.getvalue()


def make_bad_images(folder: Path) -> None:
    """One file per upload mistake; see tests/cases.yaml for which rule each one trips."""
    folder.mkdir(parents=True, exist_ok=True)
    photo = Image.open(EXAMPLES / "passing" / "images" / "photo.jpg").convert("RGB")
    specimen = (EXAMPLES / "passing" / "images" / "diploma.jpg").read_bytes()
    buf = io.BytesIO()
    photo.save(buf, "PNG")
    (folder / "png_as.jpg").write_bytes(buf.getvalue())
    (folder / "tiny_photo.jpg").write_bytes(_jpeg(Image.new("RGB", (300, 420), "white"), quality=30))
    (folder / "small_photo.jpg").write_bytes(_jpeg(photo.resize((200, 280)), quality=95))
    (folder / "square_photo.jpg").write_bytes(_jpeg(photo.crop((0, 0, 413, 413)).resize((500, 500)), quality=95))
    (folder / "heavy_photo.jpg").write_bytes(_jpeg(noise_image((1000, 1400)), quality=95))
    (folder / "upscaled_photo.jpg").write_bytes(
        _jpeg(photo.resize((150, 210), Image.LANCZOS).resize((413, 579), Image.BICUBIC), quality=92))
    (folder / "doc.pdf").write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + b" " * 30000)
    (folder / "doc.docx").write_bytes(b"PK\x03\x04" + b"\x00" * 30000)
    buf = io.BytesIO()
    noise_image((200, 200)).save(buf, "BMP")
    (folder / "bitmap.jpg").write_bytes(buf.getvalue())
    (folder / "truncated.jpg").write_bytes(specimen[: len(specimen) // 2])
    thumb = Image.open(io.BytesIO(specimen)).convert("RGB")
    thumb.thumbnail((200, 150))
    (folder / "small.jpg").write_bytes(_jpeg(thumb, quality=60))
    (folder / "big.jpg").write_bytes(_jpeg(noise_image((800, 800), seed=2), quality=95))
    frames = [noise_image((150, 150), seed=s) for s in (3, 4)]
    frames[0].save(folder / "pages.tiff", save_all=True, append_images=frames[1:])
    Image.new("1", (10000, 10000)).save(folder / "bomb.png")
    (folder / "jpeg_named.png").write_bytes(specimen)
    (folder / "empty.jpg").write_bytes(b"")
    # face checks: two people, nobody, a tilted head
    pair = Image.new("RGB", (photo.width * 2, photo.height), "white")
    pair.paste(photo, (0, 0))
    pair.paste(photo, (photo.width, 0))
    (folder / "two_faces.jpg").write_bytes(_jpeg(pair.resize((826, 579)), quality=92))
    (folder / "no_face.jpg").write_bytes(_jpeg(noise_image((413, 579), seed=5).resize((413, 579)), quality=92))
    (folder / "tilted.jpg").write_bytes(_jpeg(photo.rotate(25, resample=Image.BICUBIC, fillcolor="white"),
                                              quality=92))
    for name, edited in appearance_edits(photo).items():
        (folder / name).write_bytes(_jpeg(edited, quality=92))
    (folder / "bangs.jpg").write_bytes((EXAMPLES / "photo-bangs" / "photo.jpg").read_bytes())   # fringe, blue


# Where the face mesh puts the passing photo's features (413x579 px), measured once, so the
# edited copies below need no face model to make.
EYES = {"right": (157, 163, 189, 176), "left": (228, 168, 258, 181)}   # x0, y0, x1, y1 of each eye
BRIDGE_Y, FOREHEAD_TOP, CHIN = 172, 114, 288


def appearance_edits(photo: Image.Image) -> dict[str, Image.Image]:
    """The passing photo with one appearance defect each, for the FA and PH007/PH008 rules."""
    import numpy as np
    from PIL import ImageDraw, ImageEnhance, ImageFilter

    out = {"blurred.jpg": photo.filter(ImageFilter.GaussianBlur(3)),
           "smeared.jpg": photo.filter(ImageFilter.GaussianBlur(14)),
           "dark.jpg": ImageEnhance.Brightness(photo).enhance(0.18)}
    glasses = photo.copy()
    draw = ImageDraw.Draw(glasses)
    for x0, y0, x1, y1 in EYES.values():   # a thin dark rim round each eye and a bridge between them
        draw.rounded_rectangle((x0 - 8, y0 - 10, x1 + 8, y1 + 12), radius=8, outline=(30, 30, 30), width=3)
    draw.line((EYES["right"][2] + 4, BRIDGE_Y - 4, EYES["left"][0] - 4, BRIDGE_Y - 4), fill=(30, 30, 30), width=3)
    out["glasses.jpg"] = glasses
    shades = photo.copy()
    draw = ImageDraw.Draw(shades)
    for x0, y0, x1, y1 in EYES.values():
        draw.ellipse((x0 - 10, y0 - 14, x1 + 10, y1 + 16), fill=(25, 25, 30))
    out["sunglasses.jpg"] = shades
    cap = photo.copy()
    ImageDraw.Draw(cap).pieslice((95, 10, 330, 250), 180, 360, fill=(200, 30, 40))   # a red cap over the crown
    out["red_cap.jpg"] = cap
    shut = photo.copy()
    draw = ImageDraw.Draw(shut)
    skin = photo.getpixel((175, 215))                                     # the cheek below the right eye
    for x0, y0, x1, y1 in EYES.values():                                  # lids closed: skin with a lash line
        draw.ellipse((x0 - 3, y0 - 6, x1 + 3, y1 + 5), fill=skin)
        draw.arc((x0, y0 - 6, x1, y1 + 2), 20, 160, fill=(60, 40, 35), width=2)
    out["eyes_closed.jpg"] = shut.filter(ImageFilter.GaussianBlur(0.6))
    pixels = np.asarray(photo).copy()
    white = pixels.min(axis=2) > 235
    for name, colour in (("blue_bg.jpg", (67, 142, 219)), ("grey_bg.jpg", (205, 205, 205))):
        tinted = pixels.copy()
        tinted[white] = colour
        out[name] = Image.fromarray(tinted)
    framed = Image.new("RGB", (photo.width * 2, photo.height * 2), "white")
    framed.paste(photo, (photo.width // 2, photo.height))   # small, low in the frame
    out["small_head.jpg"] = framed.resize((590, 826))
    return out


@pytest.fixture(scope="session")
def bad_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("bad")
    make_bad_images(folder)
    return folder


def deep_patch(base, patch):
    """Merge `patch` into `base`: dicts merge, int keys address list items, '__delete__' removes."""
    if isinstance(patch, dict) and isinstance(base, (dict, list)):
        out = copy.deepcopy(base)
        for key, value in patch.items():
            if value == "__delete__":
                del out[key]
            elif isinstance(out, list) and isinstance(key, int) and key >= len(out):
                out.append(deep_patch({}, value))
            elif isinstance(out, list) or key in out:
                out[key] = deep_patch(out[key], value)
            else:
                out[key] = deep_patch({}, value) if isinstance(value, dict) else value
        return out
    return copy.deepcopy(patch)


@pytest.fixture(scope="session")
def base_profile() -> dict:
    return yaml.safe_load(PASSING.read_text("utf-8"))


@pytest.fixture
def profile_dir(tmp_path, bad_dir) -> Path:
    """A folder laid out like the passing example, plus bad/ with the broken files and docs/
    with the drawn documents of the document rules (examples/tools/make_documents.py --fixtures)."""
    (tmp_path / "images").symlink_to(EXAMPLES / "passing" / "images")
    (tmp_path / "bad").symlink_to(bad_dir)
    (tmp_path / "docs").symlink_to(Path(__file__).parent / "documents")   # drawn specimen documents
    return tmp_path


@pytest.fixture
def write_profile(profile_dir, base_profile):
    def write(patch: dict | None = None, text: str | None = None, name: str = "profile.yaml") -> Path:
        path = profile_dir / name
        if text is None:
            text = yaml.safe_dump(deep_patch(base_profile, patch or {}), allow_unicode=True, sort_keys=False)
        path.write_text(text, "utf-8")
        return path
    return write


@pytest.fixture
def check(write_profile):
    """Verify a patched copy of the passing profile; returns the Report."""
    from tjcheck.engine import load_ruleset, verify
    from tjcheck.profile import load_profile

    ruleset = load_ruleset()

    def run(patch: dict | None = None, **kw):
        path = write_profile(patch)
        loaded = load_profile(path, ruleset["identity"]["password_keys"])
        return verify(loaded, ruleset, as_of=kw.pop("as_of", TODAY), **kw)
    return run


@pytest.fixture(scope="session", autouse=True)
def _ocr_cache(tmp_path_factory):
    """The text read on documents is cached for the whole session in a folder of its own (never
    the user's), shared by the processes the tests start: each document is read once."""
    os.environ["TJCHECK_CACHE_DIR"] = str(tmp_path_factory.mktemp("ocr-cache"))
    os.environ.pop("TJCHECK_NO_CACHE", None)


@pytest.fixture(autouse=True)
def _stable_env(monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("TJCHECK_LANG", "zh")
    monkeypatch.delenv("TJCHECK_DEBUG", raising=False)
    os.environ.pop("NO_COLOR", None)
