"""tjcheck merge (tjcheck/fixing/merge.py, encode.py): pages from images and PDFs as one
uploadable JPEG, > 20 KB and <= 500 KB, legible, or a refusal; inputs never changed."""
from __future__ import annotations

import hashlib
import io
import random
import zipfile
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from tjcheck.engine import load_ruleset
from tjcheck.errors import InputError
from tjcheck.fixing import encode
from tjcheck.fixing.merge import (
    MIN_SHORT_SIDE,
    MergeRefused,
    Page,
    floor_width,
    jpeg_complete,
    layout,
    merge_pages,
    top_width,
)

LIMITS = load_ruleset()["attachments"]
MARKS = [(220, 30, 30), (30, 160, 40), (30, 60, 220), (230, 150, 0), (150, 30, 180), (0, 170, 190),
         (120, 80, 30), (240, 0, 140)]
A4_150DPI = (1240, 1754)


# --- inputs ---------------------------------------------------------------------------------

def document(mark: tuple[int, int, int], seed: int, size=A4_150DPI, lines: int = 38, photo: bool = False):
    """A text page: a colour mark at the top left (to check the order), a title, lines of
    random words at about 10.5 pt, a red seal. ``photo`` adds the noise of a phone photo."""
    rnd = random.Random(seed)
    w, h = size
    k = w / A4_150DPI[0]
    im = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(im)
    draw.rectangle((0, 0, int(160 * k), int(160 * k)), fill=mark)
    draw.text((int(300 * k), int(90 * k)), "CERTIFICATE OF EMPLOYMENT", fill="black",
              font=ImageFont.load_default(size=max(8, int(40 * k))))
    font = ImageFont.load_default(size=max(6, int(22 * k)))
    y = int(220 * k)
    for _ in range(lines):
        words = [("".join(rnd.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(rnd.randint(2, 9))))
                 for _ in range(rnd.randint(8, 14))]
        draw.text((int(110 * k), y), " ".join(words), fill=(20, 20, 20), font=font)
        y += int(36 * k)
    cx, cy, r = int(w * 0.72), int(h * 0.85), int(120 * k)
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=(210, 30, 30), width=max(2, int(8 * k)))
    if photo:
        noise = Image.effect_noise(size, 24).convert("RGB")
        im = Image.blend(im, noise, 0.08)
    return im


def jpeg_bytes(im, quality=90, **kw) -> bytes:
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=quality, **kw)
    return buf.getvalue()


def vector_pdf(path: Path, pages: int, seed: int = 7, first_mark: int = 0, lines: int = 45) -> Path:
    """A PDF with real (vector) text, A4, like the 学信网 report: a colour mark, 45 lines of
    Helvetica 10 pt per page. Pillow's PDFs hold images; this one exercises the renderer."""
    rnd = random.Random(seed)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", None, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for p in range(pages):
        r, g, b = (c / 255 for c in MARKS[(first_mark + p) % len(MARKS)])
        ops = [f"{r:.3f} {g:.3f} {b:.3f} rg 0 765 77 77 re f 0 g", "BT /F1 18 Tf 150 790 Td (Online Verification Report) Tj ET"]
        for i in range(lines):
            words = " ".join("".join(rnd.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(rnd.randint(2, 9)))
                             for _ in range(rnd.randint(9, 13)))
            ops.append(f"BT /F1 10 Tf 56 {740 - i * 15} Td ({words}) Tj ET")
        stream = "\n".join(ops).encode()
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        content = len(objects)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
                       b"/Contents %d 0 R >>" % content)
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), pages)
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def write_pages(folder: Path, count: int, photo: bool = False, start: int = 0) -> list[Path]:
    paths = []
    for i in range(start, start + count):
        im = document(MARKS[i % len(MARKS)], seed=i, photo=photo)
        p = folder / f"page{i + 1}.{'png' if i % 3 == 2 and not photo else 'jpg'}"
        if p.suffix == ".png":
            im.save(p)
        else:
            p.write_bytes(jpeg_bytes(im))
        paths.append(p)
    return paths


def digest(paths) -> dict:
    return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths if p.is_file()}


# --- reading the result ---------------------------------------------------------------------

def nearest_mark(pixel) -> int | None:
    best = min(range(len(MARKS)), key=lambda i: sum((a - b) ** 2 for a, b in zip(pixel, MARKS[i])))
    return best if sum((a - b) ** 2 for a, b in zip(pixel, MARKS[best])) < 45 ** 2 else None


def marks_down(im, x: int) -> list[int]:
    """The colour marks met going down column ``x``, in order (runs of at least 10 px)."""
    runs: list[list] = []
    data = im.convert("RGB").crop((x, 0, x + 1, im.height)).tobytes()
    for px in zip(data[0::3], data[1::3], data[2::3]):
        m = nearest_mark(px)
        if runs and runs[-1][0] == m:
            runs[-1][1] += 1
        else:
            runs.append([m, 1])
    seen: list[int] = []
    for m, n in runs:
        if m is not None and n >= 10 and (not seen or seen[-1] != m):
            seen.append(m)
    return seen


def check_output(out: Path, result) -> Image.Image:
    data = out.read_bytes()
    assert data[:3] == b"\xff\xd8\xff"
    assert LIMITS["min_bytes_exclusive"] < len(data) <= LIMITS["max_bytes"]
    assert len(data) == result.bytes
    im = Image.open(out)
    im.load()
    assert im.format == "JPEG" and im.size == (result.width, result.height)
    assert not im.getexif()            # no EXIF (nor GPS) carried over
    assert encode.attachment_problems(out, LIMITS) == []
    assert not [p for p in out.parent.iterdir() if p.name.endswith(".tmp")]   # no temporary file left
    return im


def merge(inputs, out, grid=False, force=False):
    return merge_pages(inputs, out, grid=grid, force=force, limits=LIMITS)


# --- merging --------------------------------------------------------------------------------

def test_two_dense_pages_stacked_in_order(tmp_path):
    pages = write_pages(tmp_path, 2)
    before = digest(pages)
    out = tmp_path / "merged.jpg"
    result = merge(pages, out)
    im = check_output(out, result)
    assert digest(pages) == before
    assert result.pages == 2 and result.width == result.page_width >= MIN_SHORT_SIDE
    assert result.min_short_side >= MIN_SHORT_SIDE and 55 <= result.quality <= 90
    assert marks_down(im, x=result.page_width // 20) == [0, 1]
    text = "\n".join(result.lines("zh"))
    assert f"{result.width}×{result.height}" in text and f"{result.kb:.1f} KB" in text
    assert "KB" in "\n".join(result.lines("en")) and "wrote" in result.lines("en")[0]


def test_pdfs_photo_and_transparent_png_in_order(tmp_path):
    """A vector PDF (like the 学信网 report), a phone photo stored sideways with an EXIF
    orientation, a PNG with a transparent background and a PDF Pillow wrote (images inside)."""
    report = vector_pdf(tmp_path / "report.pdf", 2, lines=12)          # marks 0, 1
    upright = document(MARKS[2], seed=2, lines=12, photo=True)
    exif = Image.Exif()
    exif[0x0112] = 6                                                     # "turn 90° clockwise to view"
    photo = tmp_path / "IMG_0001.jpg"
    trailer = b"MotionPhoto_Data" + random.Random(5).randbytes(30000)   # as phones append after the JPEG
    photo.write_bytes(jpeg_bytes(upright.transpose(Image.Transpose.ROTATE_90), exif=exif.tobytes()) + trailer)
    page = document(MARKS[3], seed=3, lines=12)
    ink = page.convert("L").point(lambda v: 255 if v < 250 else 0)
    clear = Image.composite(page, Image.new("RGB", page.size, "black"), ink)   # black where transparent
    clear.putalpha(ink)
    png = tmp_path / "scan.png"
    clear.save(png)
    raster_pdf = tmp_path / "scans.pdf"
    first, second = (document(MARKS[i], seed=i, lines=8) for i in (4, 5))
    first.save(raster_pdf, save_all=True, append_images=[second], resolution=150)
    inputs = [report, photo, png, raster_pdf]
    before = digest(inputs)
    out = tmp_path / "out" / "proof.jpg"                                 # the folder is created
    result = merge(inputs, out)
    im = check_output(out, result)
    assert digest(inputs) == before
    assert result.pages == 6
    assert result.floor_width == MIN_SHORT_SIDE                          # the photo counts as portrait
    assert marks_down(im, x=result.page_width // 25) == [0, 1, 2, 3, 4, 5]
    # the transparent background became white, not black
    column = im.convert("L").crop((result.page_width // 2, 0, result.page_width // 2 + 1, im.height))
    assert sum(1 for v in column.tobytes() if v < 60) < im.height * 0.05


def test_grid_two_columns(tmp_path):
    pages = []
    for i in range(4):
        p = tmp_path / f"p{i}.jpg"
        p.write_bytes(jpeg_bytes(document(MARKS[i], seed=i, lines=12)))
        pages.append(p)
    out = tmp_path / "grid.jpg"
    result = merge(pages, out, grid=True)
    im = check_output(out, result)
    gap = result.width - 2 * result.page_width
    assert 12 <= gap <= result.page_width // 20
    assert marks_down(im, x=result.page_width // 20) == [0, 2]
    assert marks_down(im, x=result.page_width + gap + result.page_width // 20) == [1, 3]
    assert result.height < result.width * 2                              # two rows, not four


def test_other_formats_and_tiff_pages(tmp_path):
    """WebP, BMP and a two-page TIFF (a scanner's); small originals are kept and noted."""
    pics = [document(MARKS[i], seed=i, size=(620, 877), lines=12) for i in range(4)]
    pics[0].save(tmp_path / "a.webp", quality=90)
    pics[1].save(tmp_path / "b.bmp")
    pics[2].save(tmp_path / "c.tif", save_all=True, append_images=[pics[3]])
    inputs = [tmp_path / "a.webp", tmp_path / "b.bmp", tmp_path / "c.tif"]
    out = tmp_path / "m.jpg"
    result = merge(inputs, out)
    im = check_output(out, result)
    assert result.pages == 4 and result.page_width == 620                 # not enlarged
    assert marks_down(im, x=20) == [0, 1, 2, 3]
    assert sum("under the legibility floor" in en for _, en in result.notes) == 4
    assert any("c.tif p.2" in zh for zh, _ in result.notes)


def test_huge_page_is_scaled_down(tmp_path):
    big = tmp_path / "scan_600dpi.jpg"
    big.write_bytes(jpeg_bytes(document(MARKS[0], seed=1, size=(4960, 7016), lines=20), quality=85))  # 34.8 MP
    small = tmp_path / "second.jpg"
    small.write_bytes(jpeg_bytes(document(MARKS[1], seed=2, lines=20)))
    out = tmp_path / "m.jpg"
    result = merge([big, small], out)
    im = check_output(out, result)
    assert result.page_width <= 1654 and marks_down(im, x=result.page_width // 20) == [0, 1]


def test_pixel_bomb_is_not_opened(tmp_path):
    bomb = tmp_path / "bomb.png"
    Image.new("1", (10000, 10000)).save(bomb)                        # 100 MP, a few KB on disk
    with pytest.raises(InputError) as exc:
        merge([bomb], tmp_path / "m.jpg")
    assert exc.value.file == bomb and "10000×10000" in exc.value.text("zh")
    assert not (tmp_path / "m.jpg").exists()


def test_nearly_blank_page_is_lifted_over_20_kb(tmp_path):
    blank = tmp_path / "blank.png"
    im = Image.new("RGB", (600, 800), "white")
    ImageDraw.Draw(im).rectangle((0, 0, 60, 60), fill=MARKS[0])
    im.save(blank)
    out = tmp_path / "m.jpg"
    result = merge([blank], out)
    check_output(out, result)
    assert result.padded > 0 and result.quality == encode.LIFT_QUALITY
    notes = " ".join(en for _, en in result.notes)
    assert "comment" in notes and "under the legibility floor" in notes
    # the padding is a comment only: the picture is the encoded one
    assert Image.open(out).info.get("comment", b"").startswith(b"tjcheck")


# --- refusals and bad input -----------------------------------------------------------------

def test_too_many_pages_is_a_refusal_not_an_unreadable_image(tmp_path):
    pages = write_pages(tmp_path, 8)
    out = tmp_path / "all.jpg"
    with pytest.raises(MergeRefused) as exc:
        merge(pages, out)
    assert not out.exists()
    zh, en = exc.value.text("zh"), exc.value.text("en")
    assert "8 页" in zh and "未写入" in zh and "8 pages" in en and "nothing was written" in en
    assert "1000 px" in en and "at most" in en
    with pytest.raises(MergeRefused):
        merge(pages, out, grid=True)


def test_hundreds_of_pdf_pages_refused_before_rendering(tmp_path):
    pdf = vector_pdf(tmp_path / "book.pdf", 60, lines=2)
    with pytest.raises(MergeRefused) as exc:
        merge([pdf], tmp_path / "m.jpg")
    assert "pixel limit" in exc.value.text("en")


def test_existing_output_kept_without_force(tmp_path):
    pages = write_pages(tmp_path, 1)
    out = tmp_path / "m.jpg"
    out.write_bytes(b"keep me")
    with pytest.raises(InputError) as exc:
        merge(pages, out)
    assert exc.value.file == out and "--force" in exc.value.text("zh")
    assert out.read_bytes() == b"keep me"
    result = merge(pages, out, force=True)
    check_output(out, result)


def test_output_is_never_an_input(tmp_path):
    pages = write_pages(tmp_path, 2)
    before = digest(pages)
    with pytest.raises(InputError):
        merge(pages, pages[0], force=True)
    with pytest.raises(InputError):
        merge(pages, tmp_path / "merged.png")                            # the result is a jpg
    assert digest(pages) == before


def _docx(path: Path):
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>" * 2000)


def _truncated(path: Path):
    data = jpeg_bytes(document(MARKS[0], seed=1, lines=10))
    path.write_bytes(data[: len(data) // 2])


def _truncated_png(path: Path):
    buf = io.BytesIO()
    document(MARKS[0], seed=1, lines=10).save(buf, "PNG")
    path.write_bytes(buf.getvalue()[:-5000])


@pytest.mark.parametrize("name, make, says", [
    ("proof.docx", _docx, "Word"),
    ("proof.jpg", _docx, "Word"),                                          # the name does not matter
    ("cut.jpg", _truncated, "truncated"),
    ("cut.png", _truncated_png, "read"),
    ("missing.jpg", None, "not found"),
    ("empty.jpg", lambda p: p.write_bytes(b""), "empty"),
    ("notes.jpg", lambda p: p.write_text("not an image " * 100), "not a recognised image"),
    ("broken.pdf", lambda p: p.write_bytes(b"%PDF-1.4\n" + b"garbage " * 500), "PDF"),
    ("photo.heic", lambda p: p.write_bytes(b"\x00\x00\x00\x18ftypheic" + b"\x00" * 3000), "HEIC"),
    ("folder", lambda p: p.mkdir(), "folder"),
])
def test_unusable_input_is_a_clear_error(tmp_path, name, make, says):
    good = write_pages(tmp_path, 1)
    bad = tmp_path / name
    if make:
        make(bad)
    before = digest(good + [bad])
    out = tmp_path / "m.jpg"
    with pytest.raises(InputError) as exc:
        merge(good + [bad], out)
    assert exc.value.file == bad
    assert says.lower() in exc.value.text("en").lower() and name in exc.value.text("zh")
    assert exc.value.zh != exc.value.en
    assert not out.exists() and digest(good + [bad]) == before


# --- the merged file in an upload slot ------------------------------------------------------

def test_output_passes_the_attachment_rules(tmp_path, check):
    pages = [vector_pdf(tmp_path / "report.pdf", 1, lines=20)] + write_pages(tmp_path, 1, photo=True, start=1)
    out = tmp_path / "work_proof.jpg"
    merge(pages, out)
    report = check({"work": {0: {"proof_image": str(out)}}}, select=["AT"])
    assert not report.findings, [(f.code, f.message["en"]) for f in report.findings]
    assert any(r.outcome.value == "passed" for r in report.results if r.code == "AT005")


# --- pure helpers ---------------------------------------------------------------------------

def test_legibility_floor_and_search_top():
    portrait, landscape = Page(Path("a.pdf"), 1, 1, (595, 842), vector=True), Page(Path("b.jpg"), 1, 1, (4032, 3024))
    small = Page(Path("c.jpg"), 1, 1, (600, 800))
    assert floor_width([portrait]) == 1000
    assert floor_width([portrait, landscape]) == 1334                   # its short side keeps 1000 px
    assert floor_width([small]) == 600                                   # never more than it has
    assert top_width([portrait], 1000) == 1654
    assert top_width([small], 600) == 600                                # no PDF: never enlarged
    assert top_width([Page(Path("d.jpg"), 1, 1, (3000, 4000))], 1000) == 1654


def test_layout():
    assert layout([100, 80], 50, grid=False) == ((50, 192), [(0, 0), (0, 112)])
    assert layout([100, 80, 90], 50, grid=True) == ((112, 202), [(0, 0), (62, 0), (0, 112)])
    assert layout([100], 50, grid=True) == ((50, 100), [(0, 0)])


def test_jpeg_complete():
    page = document(MARKS[0], seed=1, lines=10)
    for data in (jpeg_bytes(page), jpeg_bytes(page, progressive=True)):
        assert jpeg_complete(data)
        assert jpeg_complete(data + b"\x00" * 100 + b"trailer\xff\xda\x00\x08" + bytes(range(256)))
        assert not any(jpeg_complete(data[:int(len(data) * f)]) for f in (0.3, 0.6, 0.95))
        assert not jpeg_complete(data[:-2])


def test_encode_search_helpers():
    assert encode.widths_between(1654, 1000) == [1654, 1489, 1340, 1206, 1085, 1000]
    assert encode.widths_between(900, 1000) == [1000]
    noise = Image.frombytes("RGB", (1500, 1500), random.Random(1).randbytes(1500 * 1500 * 3))
    with pytest.raises(encode.DoesNotFit) as exc:
        encode.fit(lambda w: noise.crop((0, 0, w, w)), [1500, 1400], LIMITS)
    assert exc.value.floor_bytes > LIMITS["max_bytes"] and exc.value.quality == 55
    data = encode.encode(Image.new("RGB", (64, 64), "white"), 90)
    padded = encode.pad(data, 30000)
    assert len(padded) >= 30000 and Image.open(io.BytesIO(padded)).tobytes() == Image.open(io.BytesIO(data)).tobytes()
    assert padded[2:4] == b"\xff\xe0"                                   # JFIF header still first
