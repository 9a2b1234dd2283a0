"""Decompression bombs: a few bytes whose header declares a huge canvas. They must be refused
from the header, before decoding, wherever an image is opened: verify and batch (AT008, the
HTML report's thumbnail included), fix and merge (a clear refusal). Peak memory of a real
`tjcheck batch` over them is measured in a subprocess."""
from __future__ import annotations

import json
import os
import resource
import shutil
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
import yaml

from tjcheck.imaging.opener import TooManyPixels, open_image

from .conftest import EXAMPLES, PASSING, ROOT, TODAY

MAX_PIXELS = 40_000_000
PEAK_LIMIT_MB = 600   # the face model (~220 MB) and Python included


def bmp(width: int, height: int) -> bytes:
    """A BMP header declaring width×height 24-bit pixels, followed by 64 bytes of them."""
    info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 24, 0, 0, 2835, 2835, 0, 0)
    offset = 14 + len(info)
    return b"BM" + struct.pack("<IHHI", offset + 64, 0, 0, offset) + info + b"\0" * 64


def gif_screen(width: int, height: int) -> bytes:
    """A GIF whose logical screen is width×height around a single 1×1 frame."""
    head = b"GIF89a" + struct.pack("<HHBBB", width, height, 0x80, 0, 0) + b"\0\0\0\xff\xff\xff"
    frame = b"," + struct.pack("<HHHHB", 0, 0, 1, 1, 0) + b"\x02\x02\x44\x01\x00"   # LZW: clear, 0, end
    return head + frame + b";"


def png_zeros(width: int, height: int) -> bytes:
    """A real 1-bit PNG of width×height black pixels: a small file that decodes to a huge image."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    packer, row, parts = zlib.compressobj(9), b"\0" * (1 + (width + 7) // 8), []
    for _ in range(height):
        parts.append(packer.compress(row))
    parts.append(packer.flush())
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
            + chunk(b"IDAT", b"".join(parts)) + chunk(b"IEND", b""))


def tiff(pages: list[tuple[int, int]]) -> bytes:
    """An 8-bit grey TIFF with one IFD per page size, each with 16 bytes of strip data."""
    out = bytearray(b"II*\x00" + struct.pack("<I", 8))
    for i, (w, h) in enumerate(pages):
        ifd_at = len(out)
        entries = 9
        strip_at = ifd_at + 2 + entries * 12 + 4
        tags = [(256, 4, w), (257, 4, h), (258, 3, 8), (259, 3, 1), (262, 3, 1), (273, 4, strip_at),
                (277, 3, 1), (278, 4, h), (279, 4, 16)]
        out += struct.pack("<H", entries)
        for tag, kind, value in tags:
            out += struct.pack("<HHI", tag, kind, 1) + (struct.pack("<HH", value, 0) if kind == 3 else
                                                        struct.pack("<I", value))
        next_at = strip_at + 16 if i + 1 < len(pages) else 0
        out += struct.pack("<I", next_at) + b"\x80" * 16
    return bytes(out)


BOMBS = {
    "bmp_65535.bmp": lambda: bmp(65535, 65535),
    "gif_screen.gif": lambda: gif_screen(30000, 30000),
    "png_zeros.png": lambda: png_zeros(30000, 30000),
    "tiff_huge.tiff": lambda: tiff([(60000, 60000)]),
    "tiff_page2.tiff": lambda: tiff([(100, 100), (60000, 60000)]),   # a small first page hides the bomb
}


@pytest.fixture(scope="module")
def bombs(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("bombs")
    for name, make in BOMBS.items():
        (folder / name).write_bytes(make())
    return folder


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_the_opener_refuses_a_bomb_from_its_header(bombs, name):
    data = (bombs / name).read_bytes()
    assert len(data) < 2_000_000
    with pytest.raises(TooManyPixels) as exc:
        open_image(data, MAX_PIXELS)
    assert exc.value.width * exc.value.height > MAX_PIXELS


def test_pillow_own_limit_stays_in_force(bombs, check):
    """Nothing switches Pillow's own check off for later opens (three places used to set
    Image.MAX_IMAGE_PIXELS = None for the rest of the process)."""
    from PIL import Image

    before = Image.MAX_IMAGE_PIXELS
    check({"basic": {"id_back": str(bombs / "bmp_65535.bmp")}}, select=["AT"])
    assert Image.MAX_IMAGE_PIXELS == before is not None


def test_a_big_real_jpeg_is_still_read_small_by_fix(tmp_path):
    """fix shrinks a photo larger than the limit: JPEG decoding at 1/2…1/8 scale stays allowed."""
    from PIL import Image

    from tjcheck.imaging.opener import JPEG_DRAFT_FACTOR

    import io
    buf = io.BytesIO()
    Image.new("RGB", (8000, 6000), "white").save(buf, "JPEG", quality=50)   # 48 MP
    opened = open_image(buf.getvalue(), MAX_PIXELS, reduce_jpeg=True)
    assert (opened.width, opened.height) == (8000, 6000)
    assert opened.image.size[0] * opened.image.size[1] <= JPEG_DRAFT_FACTOR * MAX_PIXELS
    with pytest.raises(TooManyPixels):
        open_image(buf.getvalue(), MAX_PIXELS)


def jpeg_claiming(width: int, height: int, progressive: bool) -> bytes:
    """The shipped photo as a JPEG whose frame header claims width×height."""
    import io
    import re

    from PIL import Image

    buf = io.BytesIO()
    Image.open(EXAMPLES / "passing" / "images" / "photo.jpg").save(buf, "JPEG", progressive=progressive)
    data = bytearray(buf.getvalue())
    sof = re.search(rb"\xff\xc2" if progressive else rb"\xff\xc0", bytes(data)).start()
    struct.pack_into(">HH", data, sof + 5, height, width)
    return bytes(data)


@pytest.mark.parametrize("progressive", [True, False])
def test_fix_does_not_shrink_a_jpeg_claiming_a_giant_canvas(tmp_path, progressive):
    """fix shrinks a JPEG beyond the pixel limit by DCT scaling, but not one claiming
    40000×40000 (found by bench/fuzz.py): a progressive JPEG keeps every full-size coefficient
    while it decodes, whatever the scale (5 GB), and a baseline one costs seconds of decoding
    for a canvas no camera makes. Both are refused like any bomb."""
    folder = tmp_path / "person"
    shutil.copytree(EXAMPLES / "passing", folder)
    (folder / "images" / "photo.jpg").write_bytes(jpeg_claiming(40000, 40000, progressive))
    peak, code, out, err = _peak(["fix", str(folder / "profile.yaml"), "-o", str(tmp_path / "out")])
    assert code in (0, 1), (code, out[-2000:], err[-2000:])
    assert "40000×40000" in out and "Traceback" not in err
    assert peak < PEAK_LIMIT_MB, f"peak {peak} MB"


def _peak(args: list[str], timeout: int = 300) -> tuple[int, int, str, str]:
    """Peak resident memory (MB) of ``tjcheck *args`` run alone in a fresh wrapper process,
    with its exit code and output. The wrapper's RUSAGE_CHILDREN sees only that one run."""
    wrapper = ("import json, resource, subprocess, sys\n"
               "r = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
               "print(json.dumps([resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode, r.stdout, "
               "r.stderr]))\n")

    def limit():   # a regression fails the test; it cannot take the machine's memory
        resource.setrlimit(resource.RLIMIT_AS, (6 << 30, 6 << 30))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TJCHECK_LANG": "zh", "COLUMNS": "200"}
    env.pop("TJCHECK_DEBUG", None)
    done = subprocess.run([sys.executable, "-c", wrapper, sys.executable, "-m", "tjcheck", *args], capture_output=True,
                          text=True, env=env, timeout=timeout, preexec_fn=limit, stdin=subprocess.DEVNULL)
    kb, code, out, err = json.loads(done.stdout)
    return kb // 1024, code, out, err


def test_batch_over_bombs_stays_small_and_reports_AT008(bombs, tmp_path):
    root = tmp_path / "staff"
    for name in sorted(BOMBS):
        person = root / Path(name).stem
        person.mkdir(parents=True)
        (person / "images").symlink_to(EXAMPLES / "passing" / "images")
        shutil.copy(bombs / name, person / name)
        data = yaml.safe_load(PASSING.read_text("utf-8"))
        data["basic"]["photo"] = name            # the HTML report makes a thumbnail of it
        data["basic"]["id_back"] = name
        (person / "profile.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    report = tmp_path / "r.html"
    peak, code, out, err = _peak(["batch", str(root), "--jobs", "1", "--report", str(report),
                                  "--as-of", TODAY.isoformat()])
    assert code == 1, (code, out[-2000:], err[-2000:])
    assert "内部错误" not in out and "Traceback" not in err
    assert peak < PEAK_LIMIT_MB, f"peak {peak} MB"
    html = report.read_text("utf-8")
    assert html.count("AT008") >= len(BOMBS)


def test_verify_over_a_bomb_stays_small(bombs, tmp_path):
    data = yaml.safe_load(PASSING.read_text("utf-8"))
    data["basic"]["id_back"] = str(bombs / "gif_screen.gif")
    data["work"][0]["proof_image"] = str(bombs / "png_zeros.png")
    profile = tmp_path / "profile.yaml"
    (tmp_path / "images").symlink_to(EXAMPLES / "passing" / "images")
    profile.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    peak, code, out, err = _peak(["verify", str(profile), "-f", "json", "--as-of", TODAY.isoformat()])
    assert code == 1, err
    codes = [f["code"] for f in json.loads(out)["findings"]]
    assert codes.count("AT008") == 2
    assert peak < PEAK_LIMIT_MB, f"peak {peak} MB"


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_fix_and_merge_refuse_a_bomb(bombs, tmp_path, name):
    from tjcheck.engine import load_ruleset
    from tjcheck.errors import InputError
    from tjcheck.fixing.merge import merge_pages
    from tjcheck.fixing.picture import read_picture

    limits = load_ruleset()["attachments"]
    pic = read_picture(bombs, name, limits)
    assert pic.image is None and pic.error and "px" in pic.error[1], pic.error
    with pytest.raises(InputError) as exc:
        merge_pages([bombs / name], tmp_path / "m.jpg", grid=False, force=False, limits=limits)
    assert "pixels" in exc.value.en and exc.value.file == bombs / name
    assert not (tmp_path / "m.jpg").exists()
