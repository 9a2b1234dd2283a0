"""tjcheck fix: compliant copies of the images a machine can mend, never touching the inputs.

Every test copies examples/passing into tmp_path, puts generated images in it (varied
sizes, formats, EXIF orientations, files too heavy or too small), runs ``fix_profile`` and
checks that each copy passes the file rules or that the image was refused with a reason,
that the input folder is byte-for-byte what it was (sha256 of every file, and no new file),
that nothing is ever overwritten, and that the new profile verifies without the fixed
findings.
"""
from __future__ import annotations

import copy
import hashlib
import importlib.util
import io
import random
import shutil
from pathlib import Path

import pytest
import yaml
from PIL import Image

from tjcheck.engine import load_ruleset
from tjcheck.errors import InputError
from tjcheck.fixing.attachment import fix_attachment
from tjcheck.fixing.fix import fix_profile, fix_table, summary_lines
from tjcheck.fixing.picture import FIXED, REFUSED, UNCHANGED, Picture, read_picture
from tjcheck.imaging.reader import ImageReader

from .conftest import EXAMPLES, noise_image

RS = load_ruleset()
ATT, PH = RS["attachments"], RS["photo"]
HAS_FACE = importlib.util.find_spec("mediapipe") is not None
needs_face = pytest.mark.skipif(not HAS_FACE, reason="the crop needs: pip install 'tjcheck[face]'")
PASSING_PHOTO = EXAMPLES / "passing" / "images" / "photo.jpg"
DIPLOMA = EXAMPLES / "passing" / "images" / "diploma.jpg"
ID_FRONT = EXAMPLES / "passing" / "images" / "id_front.jpg"
FILE_CODES = {"AT003", "AT005", "AT006", "AT008", "AT009", "PH001", "PH002", "PH003", "PH004", "PH005"}


# --------------------------------------------------------------------------- helpers

def tree(folder: Path) -> dict[str, str]:
    """sha256 of every file under ``folder`` (names relative to it)."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def save(image: Image.Image, path: Path, fmt: str, **kw) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    image.save(buf, fmt, **kw)
    path.write_bytes(buf.getvalue())
    return path


def with_orientation(upright: Image.Image, tag: int) -> tuple[Image.Image, bytes]:
    """What a camera stores for ``upright`` with EXIF orientation ``tag``, and the EXIF."""
    stored = {3: upright.transpose(Image.ROTATE_180), 6: upright.transpose(Image.ROTATE_90),
              8: upright.transpose(Image.ROTATE_270)}[tag]
    exif = Image.Exif()
    exif[0x0112] = tag
    return stored, exif.tobytes()


def page(size: tuple[int, int], seed: int = 0, grain: int = 0) -> Image.Image:
    """A document-like picture: the specimen diploma scaled, with optional sensor grain."""
    im = Image.open(DIPLOMA).convert("RGB").resize(size, Image.BICUBIC)
    if grain:
        noise = noise_image((size[0] // 4, size[1] // 4), seed).resize(size, Image.NEAREST)
        im = Image.blend(im, noise, grain / 100)
    return im


def padded_photo(left: int, top: int, right: int, bottom: int) -> Image.Image:
    """The passing photo on a larger canvas of its own background colour (nothing enlarged)."""
    photo = Image.open(PASSING_PHOTO).convert("RGB")
    w, h = photo.size
    border = [photo.getpixel((x, y)) for x in (0, w - 1) for y in range(0, h, 7)] + \
             [photo.getpixel((x, 0)) for x in range(0, w, 7)]
    colour = tuple(sorted(c[i] for c in border)[len(border) // 2] for i in range(3))
    canvas = Image.new("RGB", (w + left + right, h + top + bottom), colour)
    canvas.paste(photo, (left, top))
    return canvas


@pytest.fixture
def person(tmp_path) -> Path:
    """A copy of examples/passing (profile and images) in tmp_path/in."""
    folder = tmp_path / "in"
    shutil.copytree(EXAMPLES / "passing", folder)
    return folder


def profile_with(folder: Path, patch) -> Path:
    data = yaml.safe_load((folder / "profile.yaml").read_text("utf-8"))
    patch(data)
    path = folder / "profile.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def check_copy(path: Path, kind: str, shape: bool = True) -> None:
    """The written file passes the file rules of its kind (a photo's 5:7 only with ``shape``:
    a photo that could not be cropped is still converted, and says why it was not cropped)."""
    info = ImageReader(ATT).get(path.parent, path.name)
    assert info.error is None and not info.too_many_pixels and info.frames == 1, (path, info.error)
    exts = ATT["extensions"][info.format]
    assert path.suffix.lower() in exts
    if kind == "photo":
        assert info.format == "JPEG"
        assert info.bytes >= PH["min_bytes"] and info.bytes <= PH["warn_above_bytes"]
        assert info.width >= PH["min_width"] and info.height >= PH["min_height"]
        assert not shape or abs(info.width / info.height - PH["aspect"]) <= PH["aspect_tolerance"]
    else:
        assert info.format in ATT["formats"]
        assert ATT["min_bytes_exclusive"] < info.bytes <= ATT["max_bytes"], (path, info.bytes)
    assert Image.open(path).getexif().get(0x0112, 1) == 1     # upright, no orientation left


def run_fix(profile: Path, out: Path, lang: str = "zh"):
    """fix_profile, asserting that the input folder is exactly as it was."""
    before = tree(profile.parent)
    result = fix_profile(profile, out, lang)
    assert tree(profile.parent) == before
    return result


# --------------------------------------------------------------------------- many images

ORIGINAL_LONG_SIDE: dict[str, int] = {}


def _make_attachments(folder: Path) -> dict[str, str]:
    """name -> expected status (FIXED / UNCHANGED / REFUSED / "either")."""
    rnd = random.Random(7)
    img = folder / "gen"
    expect = {}

    def add(name: str, status: str, upright: Image.Image | None = None):
        expect[f"gen/{name}"] = status
        if upright is not None:
            ORIGINAL_LONG_SIDE[f"gen/{name}"] = max(upright.size)

    big = page((2800, 2000), grain=6)
    save(big, img / "heavy_scan.jpg", "JPEG", quality=95)
    add("heavy_scan.jpg", FIXED, big)
    save(page((1400, 1000)), img / "scan.png", "PNG", compress_level=1)                    # PNG over 500 KB
    add("scan.png", FIXED, page((1400, 1000)))
    save(page((700, 500)), img / "light.png", "PNG", optimize=True)           # a PNG within limits
    add("light.png", "either")
    save(page((1400, 1000)), img / "scan.webp", "WEBP", quality=90)
    add("scan.webp", FIXED, page((1400, 1000)))
    save(page((900, 640)), img / "scan.bmp", "BMP")
    add("scan.bmp", FIXED, page((900, 640)))
    card = Image.open(ID_FRONT).convert("RGB")
    for tag in (3, 6, 8):
        stored, exif = with_orientation(card, tag)
        save(stored, img / f"rot{tag}.jpg", "JPEG", quality=92, exif=exif)
        add(f"rot{tag}.jpg", FIXED, card)
    huge = page((6400, 6400))                                                  # 41 MP: AT008
    save(huge, img / "huge.jpg", "JPEG", quality=60)
    add("huge.jpg", FIXED, huge)
    tall = page((1500, 5200), grain=8)                                          # a long phone screenshot
    save(tall, img / "tall.png", "PNG", compress_level=1)
    add("tall.png", FIXED, tall)
    cmyk = page((2400, 1700), grain=5).convert("CMYK")
    save(cmyk, img / "cmyk.jpg", "JPEG", quality=95)
    add("cmyk.jpg", FIXED, cmyk)
    rgba = page((1200, 860)).convert("RGBA")
    rgba.putalpha(Image.linear_gradient("L").resize(rgba.size))
    save(rgba, img / "transparent.webp", "WEBP", quality=90)
    add("transparent.webp", FIXED, rgba)
    grey16 = Image.linear_gradient("L").resize((1600, 1200)).convert("I;16")
    save(grey16, img / "grey16.tif", "TIFF")
    add("grey16.tif", "either", grey16)
    save(noise_image((900, 700), seed=rnd.randrange(99)), img / "noise.png", "PNG", compress_level=1)   # incompressible
    add("noise.png", "either", Image.new("RGB", (900, 700)))
    thumb = page((240, 170))
    save(thumb, img / "tiny.jpg", "JPEG", quality=60)                          # ≤ 20 KB: refused
    add("tiny.jpg", REFUSED)
    save(Image.new("RGB", (1200, 800), "white"), img / "blank.bmp", "BMP")  # nothing in it: refused
    add("blank.bmp", REFUSED)
    (img / "jpeg_named.png").write_bytes(ID_FRONT.read_bytes())                 # AT009: renamed copy
    add("jpeg_named.png", FIXED)
    frames = [noise_image((300, 300), seed=s) for s in (1, 2)]
    frames[0].save(img / "pages.gif", save_all=True, append_images=frames[1:])
    add("pages.gif", REFUSED)
    (img / "scan.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n" + b" " * 30000)
    add("scan.pdf", REFUSED)
    add("missing.jpg", REFUSED)
    (img / "broken.jpg").write_bytes((img / "heavy_scan.jpg").read_bytes()[:40000])      # truncated
    add("broken.jpg", REFUSED)
    return expect


def test_many_generated_attachments(person, tmp_path):
    expect = _make_attachments(person)
    names = list(expect)

    def patch(data):   # one education entry per four images, as many as needed
        entry = data["education"][0]
        data["education"] = []
        for i in range(0, len(names), 4):
            e = copy.deepcopy(entry)
            for key, name in zip(("diploma_image", "degree_image", "overseas_cert_image", "study_proof_image"),
                                 names[i:i + 4]):
                e[key] = name
            data["education"].append(e)
    profile = profile_with(person, patch)
    assert (person / "gen" / "heavy_scan.jpg").stat().st_size > 600 * 1024
    out = tmp_path / "out"
    result = run_fix(profile, out)

    by_source = {i.source: i for i in result.items}
    assert set(names) <= set(by_source)
    for name, status in expect.items():
        item = by_source[name]
        if status != "either":
            assert item.status == status, (name, item.status, item.reasons)
        if item.status == FIXED:
            assert item.output is not None and item.output.parent == out
            check_copy(item.output, "attachment")
            if name in ORIGINAL_LONG_SIDE:   # text stays legible: ≥ 1200 px, or the original's size
                got = Image.open(item.output).size
                assert max(got) >= min(ORIGINAL_LONG_SIDE[name], 1200), (name, got)
            assert item.after and item.after.bytes == item.output.stat().st_size
            assert not {f.code for f in item.remaining} & FILE_CODES, (name, item.remaining)
        elif item.status == REFUSED:
            assert item.reasons and item.output is None
    # the rotated cards are upright and the renamed copy is byte-identical
    card = Image.open(ID_FRONT).convert("L")
    for tag in (3, 6, 8):
        copy_ = Image.open(by_source[f"gen/rot{tag}.jpg"].output).convert("L")
        assert copy_.size == card.size
        diff = sum(abs(a - b) for a, b in zip(copy_.resize((50, 33)).tobytes(), card.resize((50, 33)).tobytes()))
        assert diff / (50 * 33) < 8, tag
    assert by_source["gen/jpeg_named.png"].output.read_bytes() == ID_FRONT.read_bytes()
    assert by_source["gen/jpeg_named.png"].output.suffix == ".jpg"
    # only the new files, plus the profile, are in the output folder
    written = {p.name for p in out.iterdir()}
    assert written == {i.output.name for i in result.items if i.output} | {"profile.yaml"}
    # the new profile names the copies and reaches the originals by relative paths
    new = yaml.safe_load(result.new_profile.read_text("utf-8"))
    firsts = new["education"][0]
    assert firsts["diploma_image"] == by_source[names[0]].output.name
    assert (out / new["basic"]["photo"]).resolve() == (person / "images" / "photo.jpg").resolve()
    assert new["registration"]["id_number"] == "120104198803150243"
    # the refused images stay referenced as they were, so verify still names them
    refused_codes = {f.code for i in result.items if i.status == REFUSED for f in i.remaining}
    assert {"AT001", "AT002", "AT005"} <= refused_codes


def _outcome_ok(outcome, original: Path, kind: str, tmp: Path) -> None:
    """Fixed: the copy passes the file rules; unchanged: the original already did; refused: a reason."""
    if outcome.status == FIXED:
        target = tmp / f"copy{outcome.suffix}"
        target.write_bytes(outcome.data)
        check_copy(target, kind, shape=not outcome.reasons)
        target.unlink()
    elif outcome.status == UNCHANGED:
        check_copy(original, kind)
    else:
        assert outcome.reasons and outcome.data is None


@pytest.mark.parametrize("seed", range(12))
def test_random_attachments_end_within_limits_or_refused(tmp_path, seed):
    rnd = random.Random(seed)
    size = (rnd.choice([150, 400, 900, 1600, 3200, 4800]), rnd.choice([120, 500, 1100, 2300, 4100]))
    fmt = rnd.choice(["JPEG", "PNG", "WEBP", "BMP", "TIFF"])
    upright = page(size, seed, grain=rnd.choice([0, 3, 10]))
    tag = rnd.choice([1, 3, 6, 8]) if fmt in ("JPEG", "WEBP", "PNG") else 1
    kw = {"quality": rnd.choice([60, 90, 98])} if fmt in ("JPEG", "WEBP") else {}
    stored, exif = (upright, None) if tag == 1 else with_orientation(upright, tag)
    if exif:
        kw["exif"] = exif
    if fmt == "PNG":
        kw["compress_level"] = 1
    path = save(stored, tmp_path / f"a{seed}.{fmt.lower()}", fmt, **kw)
    pic = read_picture(tmp_path, path.name, ATT)
    outcome = fix_attachment(pic, RS)
    _outcome_ok(outcome, path, "attachment", tmp_path)
    if outcome.status == FIXED and outcome.format == "JPEG" and outcome.data != pic.data:
        got = Image.open(io.BytesIO(outcome.data)).size
        assert (got[0] >= got[1]) == (size[0] >= size[1]) or size[0] == size[1]   # upright as the original
        assert max(got) >= min(max(size), 1200)                                  # legible, never enlarged
        assert got[0] <= size[0] and got[1] <= size[1]


@needs_face
@pytest.mark.parametrize("seed", range(8))
def test_random_photos_end_within_limits_or_refused(tmp_path, seed):
    from tjcheck.fixing.photo import _analyse, fix_photo

    rnd = random.Random(100 + seed)
    photo = padded_photo(*(rnd.choice([0, 0, 40, 150, 400]) for _ in range(4)))
    scale = rnd.choice([0.55, 0.8, 1.0])
    photo = photo.resize((round(photo.width * scale), round(photo.height * scale)), Image.LANCZOS)
    fmt = rnd.choice(["JPEG", "PNG", "WEBP"])
    tag = rnd.choice([1, 1, 3, 6, 8])
    stored, exif = (photo, None) if tag == 1 else with_orientation(photo, tag)
    kw = {"exif": exif} if exif else {}
    path = save(stored, tmp_path / f"p{seed}.{fmt.lower()}", fmt, **kw)
    pic = read_picture(tmp_path, path.name, ATT)
    analysis, again = _analyse(pic.image, RS)
    outcome = fix_photo(pic, analysis, RS, recheck=again)
    _outcome_ok(outcome, path, "photo", tmp_path)
    if outcome.status == FIXED:
        assert outcome.size[0] <= photo.width and outcome.size[1] <= photo.height   # never enlarged


def test_fix_attachment_is_pure():
    """The per-image function decides without writing anything."""
    webp = io.BytesIO()
    page((1400, 1000)).save(webp, "WEBP", quality=90)
    pic = Picture("scan.jpg", Path("scan.jpg"), webp.getvalue(), "WEBP", 1400, 1000,
                  image=Image.open(io.BytesIO(webp.getvalue())).convert("RGB"))
    outcome = fix_attachment(pic, RS)
    assert outcome.status == FIXED and outcome.format == "JPEG" and outcome.size == (1400, 1000)
    assert ATT["min_bytes_exclusive"] < len(outcome.data) <= ATT["max_bytes"]
    assert any("WEBP" in en for _, en in outcome.actions)


def test_read_picture_never_raises(tmp_path):
    (tmp_path / "x.heic").write_bytes(b"\x00\x00\x00\x18ftypheic" + b"\x00" * 40000)
    (tmp_path / "folder.jpg").mkdir()
    for name in ("x.heic", "folder.jpg", "nothing.jpg"):
        pic = read_picture(tmp_path, name, ATT)
        assert pic.error and pic.image is None


# --------------------------------------------------------------------------- the photo

def _photo_run(person: Path, tmp_path: Path, image: Image.Image | None, fmt="JPEG", name="photo_in.jpg",
               data: bytes | None = None, **kw):
    path = person / "images" / name
    if data is not None:
        path.write_bytes(data)
    else:
        save(image, path, fmt, **kw)
    profile = profile_with(person, lambda d: d["basic"].update(photo=f"images/{name}"))
    result = run_fix(profile, tmp_path / "out")
    return result, next(i for i in result.items if i.kind == "photo")


@needs_face
def test_photo_padded_png_is_cropped_around_the_face(person, tmp_path):
    from tjcheck.imaging.face import analyser
    from tjcheck.imaging.framing import geometry

    canvas = padded_photo(left=380, top=160, right=150, bottom=60)     # wide, the head off centre and small
    result, item = _photo_run(person, tmp_path, canvas, "PNG", name="photo.png")
    assert item.status == FIXED, item.reasons
    assert any("cropped to 5:7" in en for _, en in item.actions)
    check_copy(item.output, "photo")
    out = Image.open(item.output)
    w, h = out.size
    assert w * 7 == h * 5 and w >= 295 and h >= 413
    geo = geometry(analyser(RS["face"]["min_detection_score"]).analyse(out.convert("RGB")))
    g = RS["face"]["geometry"]
    assert g["face_width"]["warn"][0] <= geo.face_width <= g["face_width"]["warn"][1]
    assert g["top_margin"]["warn"][0] <= geo.top_margin <= g["top_margin"]["warn"][1]
    assert abs(geo.centre_offset) <= 0.03
    assert geo.eye_line <= g["eye_line"]["warn"][1]
    codes = {f.code for f in result.remaining}
    assert not codes & {"PH001", "PH003", "PH004", "PH008", "AT009"}, result.remaining
    assert yaml.safe_load(result.new_profile.read_text("utf-8"))["basic"]["photo"] == item.output.name


@needs_face
def test_photo_sideways_by_exif_is_turned(person, tmp_path):
    stored, exif = with_orientation(Image.open(PASSING_PHOTO).convert("RGB"), 6)
    _, item = _photo_run(person, tmp_path, stored, quality=95, exif=exif)
    assert item.status == FIXED and item.before.width == 579 and item.after.width == 413
    check_copy(item.output, "photo")
    assert not {f.code for f in item.remaining} & {"PH004", "FA001", "PH008"}, item.remaining


def test_photo_too_small_is_refused(person, tmp_path):
    small = Image.open(PASSING_PHOTO).convert("RGB").resize((250, 350), Image.LANCZOS)
    result, item = _photo_run(person, tmp_path, small, "PNG", name="small.png")
    assert item.status == REFUSED and item.output is None
    assert "295×413" in item.reasons[0][1] and "never enlarged" in item.reasons[0][1]
    assert result.new_profile is None and not (tmp_path / "out").exists()   # nothing to write: nothing written
    assert {"PH001", "PH003"} <= {f.code for f in item.remaining}


@needs_face
def test_photo_without_room_is_not_cropped(person, tmp_path):
    photo = Image.open(EXAMPLES / "photo-bangs" / "photo.jpg").convert("RGB")     # 606×851, cheeks ~270 px
    tight = photo.crop((140, 150, 140 + 430, 150 + 440))                           # face fills it, nearly square
    _, item = _photo_run(person, tmp_path, tight, quality=95)
    assert item.status == REFUSED and item.output is None
    assert any("room" in en or "edge" in en for _, en in item.reasons), item.reasons


def test_crop_needs_the_face_analysis(person, tmp_path, monkeypatch):
    """Without the face extra a wide photo is not cropped blindly; a PNG is still converted."""
    from tjcheck.fixing import fix

    monkeypatch.setattr(fix, "_analyse", lambda image, rs: (None, None))   # the name fix_profile calls
    _, item = _photo_run(person, tmp_path, padded_photo(200, 40, 200, 0), "PNG", name="wide.png")
    assert item.status == FIXED and item.after.width == item.before.width   # converted, not cropped
    assert any("tjcheck[face]" in en for _, en in item.reasons)


def test_photo_pdf_and_transparency_are_refused(person, tmp_path):
    _, item = _photo_run(person, tmp_path, None, name="photo.pdf",
                              data=b"%PDF-1.4\n%%EOF\n" + b" " * 20000)
    assert item.status == REFUSED and "PDF" in item.reasons[0][1]
    shutil.rmtree(tmp_path / "out", ignore_errors=True)
    rgba = Image.open(PASSING_PHOTO).convert("RGBA")
    rgba.putalpha(Image.linear_gradient("L").resize(rgba.size).point(lambda v: max(v, 30)))
    _, item = _photo_run(person, tmp_path, rgba, "PNG", name="cutout.png")
    assert item.status == REFUSED and "transparent" in item.reasons[0][1]


def test_heavy_photo_is_reduced_not_below_413x579(person, tmp_path):
    photo = Image.open(PASSING_PHOTO).convert("RGB").resize((1652, 2316), Image.BICUBIC)
    heavy = Image.blend(photo, noise_image((1652 // 2, 2316 // 2), 3).resize(photo.size), 0.25)
    _, item = _photo_run(person, tmp_path, heavy, quality=97)
    assert item.before.bytes > PH["warn_above_bytes"]
    assert item.status == FIXED, item.reasons
    check_copy(item.output, "photo")
    assert item.after.height >= 579 and item.after.width >= 413


# --------------------------------------------------------------------------- the output folder

def _one_fixable(person: Path) -> Path:
    save(page((1400, 1000)), person / "images" / "diploma.webp", "WEBP", quality=90)
    return profile_with(person, lambda d: d["education"][0].update(diploma_image="images/diploma.webp"))


def test_output_folder_rules(person, tmp_path):
    profile = _one_fixable(person)
    (person / "notes").mkdir()
    (person / "notes" / "a.txt").write_text("x")
    before = tree(person)
    for bad in (person, person / "images", person / "."):
        with pytest.raises(InputError) as err:
            fix_profile(profile, bad, "zh")
        assert "never writes into an input folder" in err.value.en
    with pytest.raises(InputError, match="not empty"):
        fix_profile(profile, person / "notes", "zh")
    (tmp_path / "afile").write_text("x")
    with pytest.raises(InputError, match="needs a folder"):
        fix_profile(profile, tmp_path / "afile", "zh")
    assert tree(person) == before and not (person / "notes" / "profile.yaml").exists()
    # a new subfolder of the input folder is allowed; only it receives files
    result = fix_profile(profile, person / "fixed", "en")
    assert result.new_profile == (person / "fixed" / "profile.yaml").resolve()
    assert {k: v for k, v in tree(person).items() if not k.startswith("fixed/")} == before


def test_existing_files_are_never_overwritten(person, tmp_path):
    profile = _one_fixable(person)
    out = tmp_path / "out"
    out.mkdir()
    (out / "diploma.jpg").write_bytes(b"not mine")
    result = run_fix(profile, out)
    item = next(i for i in result.items if i.source == "images/diploma.webp")
    assert item.output.name == "diploma-2.jpg"
    assert (out / "diploma.jpg").read_bytes() == b"not mine"
    snapshot = tree(out)
    with pytest.raises(InputError) as err:               # a second run: profile.yaml exists
        fix_profile(profile, out, "zh")
    assert "不会覆盖" in err.value.zh and tree(out) == snapshot
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_bad_profile_is_an_input_error(tmp_path):
    with pytest.raises(InputError):
        fix_profile(tmp_path / "none.yaml", tmp_path / "out", "zh")
    (tmp_path / "p.yaml").write_text("basic: [1, 2\n", "utf-8")
    with pytest.raises(InputError):
        fix_profile(tmp_path / "p.yaml", tmp_path / "out", "zh")
    assert not (tmp_path / "out").exists()


def test_password_is_left_out_and_table_renders(person, tmp_path):
    from rich.console import Console

    profile = _one_fixable(person)
    profile_with(person, lambda d: d["registration"].update(password="Secret#2026"))
    result = run_fix(profile, tmp_path / "out", "en")
    assert "Secret" not in result.new_profile.read_text("utf-8")
    assert "written by tjcheck fix" in result.new_profile.read_text("utf-8")
    for lang in ("zh", "en"):
        console = Console(record=True, width=200)
        console.print(fix_table(result, lang))
        for line in summary_lines(result, lang):
            console.print(line, markup=False)
        text = console.export_text()
        assert "images/diploma.webp" in text and "diploma.jpg" in text
        assert ("修改前" in text and "原文件未改动" in text) if lang == "zh" else \
            ("before" in text and "originals are untouched" in text)
    assert result.clean


def test_nothing_to_fix_writes_nothing(person, tmp_path):
    result = run_fix(person / "profile.yaml", tmp_path / "out")
    assert result.new_profile is None and not (tmp_path / "out").exists()
    assert all(i.status == UNCHANGED for i in result.items) and result.clean
