"""Read each image file once per run, treating it as untrusted.

The file is read by ``safeio.read_file`` (a regular file of bounded size, or the reason it
is not); the format is taken from the file's first bytes, never from its name; the image is
opened by ``opener.open_image``, which checks the pixel count from the header before
anything is decoded (decompression bombs); a truncated or corrupt file is detected by
decoding it completely. HEIC/HEIF and AVIF photos are decoded too, so the photo checks run
on them, although the platform takes only jpg/png (PH001, AT003).
"""
from __future__ import annotations

import os

import warnings
from dataclasses import dataclass
from pathlib import Path

from ..safeio import Unreadable, read_file

MAGIC = [
    (b"\xff\xd8\xff", "JPEG"), (b"\x89PNG\r\n\x1a\n", "PNG"), (b"%PDF", "PDF"), (b"GIF8", "GIF"),
    (b"BM", "BMP"), (b"II*\x00", "TIFF"), (b"MM\x00*", "TIFF"), (b"PK\x03\x04", "ZIP"),
    (b"\xd0\xcf\x11\xe0", "OLE"),  # old .doc/.xls
]
HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"heif"}
AVIF_BRANDS = {b"avif", b"avis"}
DECODED = ("JPEG", "PNG", "GIF", "BMP", "TIFF", "WEBP", "HEIC", "AVIF")   # the formats read to the pixels


def sniff(head: bytes) -> str:
    """The format from the first bytes (give at least 64 for HEIC/AVIF, whose brands follow)."""
    for magic, name in MAGIC:
        if head.startswith(magic):
            return name
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head[4:8] == b"ftyp":   # ISO-BMFF: the major brand, then the compatible ones, within the ftyp box
        end = min(int.from_bytes(head[:4], "big"), len(head))
        brands = {head[8:12]} | {head[i:i + 4] for i in range(16, end - 3, 4)}   # [12:16] is a version
        if brands & AVIF_BRANDS:
            return "AVIF"
        return "HEIC" if brands & HEIC_BRANDS else "MP4/HEIF"
    return "UNKNOWN"


@dataclass
class ImageInfo:
    name: str                  # as written in the profile
    path: Path
    unreadable: tuple[str, str] | None = None   # why the path gives no readable file (zh, en): AT001
    bytes: int = 0
    format: str = "UNKNOWN"    # from the bytes
    width: int = 0
    height: int = 0
    frames: int = 1
    too_many_pixels: bool = False
    error: str | None = None   # unreadable, corrupt or truncated: what Pillow said
    image: object = None       # the decoded image (RGB), kept for images that need analysis

    @property
    def suffix(self) -> str:
        return self.path.suffix.lower()


def _signature(path: Path) -> tuple | None:
    """What changes when a file is replaced or edited; None when it cannot be looked at."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return st.st_mtime_ns, st.st_size, st.st_ino


class ImageReader:
    """A per-run cache: the same file used in two slots is read once. ``limits`` is the
    ruleset's ``attachments`` section (max_pixels, max_file_bytes)."""

    def __init__(self, limits: dict, session: bool = False):
        self.max_pixels = int(limits["max_pixels"])
        self.max_bytes = int(limits["max_file_bytes"])
        # a session (tjcheck init) outlives one run: a file replaced meanwhile is read again
        self.session = session
        self._cache: dict[tuple, ImageInfo] = {}

    def get(self, base: Path, name: str) -> ImageInfo:
        path = Path(base) / name   # an absolute name stays as it is; never resolved (symlink loops)
        key = (path, _signature(path) if self.session else None)
        if key not in self._cache:
            self._cache[key] = self._read(name, path)
        return self._cache[key]

    def _read(self, name: str, path: Path) -> ImageInfo:
        info = ImageInfo(name, path)
        try:
            data = read_file(path, self.max_bytes)
        except Unreadable as exc:
            info.unreadable = exc.reason
            return info
        info.bytes = len(data)
        if not data:
            info.error = "文件为空 / empty file (0 bytes)"
            return info
        info.format = sniff(data[:64])
        if info.format in DECODED:
            self._decode(info, data)
        return info

    def _decode(self, info: ImageInfo, data: bytes) -> None:
        from .opener import TooManyPixels, open_image

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                opened = open_image(data, self.max_pixels)
                im = opened.image
                info.width, info.height, info.frames = opened.width, opened.height, opened.frames
                im.load()  # decodes everything: raises on truncated or corrupt data
                if info.format == "JPEG" and not data.rstrip(b"\x00").endswith(b"\xff\xd9"):
                    raise OSError("JPEG end marker missing: the file is truncated")
                info.image = im.convert("RGB") if im.mode != "RGB" else im
        except TooManyPixels as exc:
            info.width, info.height, info.too_many_pixels = exc.width, exc.height, True
        except ImportError:   # pragma: no cover - pillow-heif is a dependency
            info.error = "读取 HEIC 需要 pillow-heif / reading HEIC needs pillow-heif"
        except Exception as exc:  # Pillow raises many kinds for hostile files
            info.error = str(exc) or type(exc).__name__
