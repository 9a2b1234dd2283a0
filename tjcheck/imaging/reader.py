"""Read each image file once per run, treating it as untrusted.

The format is taken from the file's first bytes, never from its name; the pixel
count is checked from the header before anything is decoded (decompression bombs);
a truncated or corrupt file is detected by decoding it completely.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

MAGIC = [
    (b"\xff\xd8\xff", "JPEG"), (b"\x89PNG\r\n\x1a\n", "PNG"), (b"%PDF", "PDF"), (b"GIF8", "GIF"),
    (b"BM", "BMP"), (b"II*\x00", "TIFF"), (b"MM\x00*", "TIFF"), (b"PK\x03\x04", "ZIP"),
    (b"\xd0\xcf\x11\xe0", "OLE"),  # old .doc/.xls
]


def sniff(head: bytes) -> str:
    for magic, name in MAGIC:
        if head.startswith(magic):
            return name
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head[4:8] == b"ftyp":
        return "HEIC" if head[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"heif") else "MP4/HEIF"
    return "UNKNOWN"


@dataclass
class ImageInfo:
    name: str                  # as written in the profile
    path: Path
    exists: bool = False
    is_dir: bool = False
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


class ImageReader:
    """A per-run cache: the same file used in two slots is read once."""

    def __init__(self, max_pixels: int):
        self.max_pixels = max_pixels
        self._cache: dict[Path, ImageInfo] = {}

    def get(self, base: Path, name: str) -> ImageInfo:
        path = (base / name).resolve() if not Path(name).is_absolute() else Path(name)
        if path not in self._cache:
            self._cache[path] = self._read(name, path)
        return self._cache[path]

    def _read(self, name: str, path: Path) -> ImageInfo:
        info = ImageInfo(name, path)
        if not path.exists():
            return info
        info.exists = True
        if path.is_dir():
            info.is_dir = True
            return info
        try:
            data = path.read_bytes()
        except OSError as exc:
            info.error = exc.strerror or str(exc)
            return info
        info.bytes = len(data)
        if not data:
            info.error = "文件为空 / empty file (0 bytes)"
            return info
        info.format = sniff(data[:16])
        if info.format in ("JPEG", "PNG", "GIF", "BMP", "TIFF", "WEBP"):
            self._decode(info, data)
        return info

    def _decode(self, info: ImageInfo, data: bytes) -> None:
        import io

        from PIL import Image

        Image.MAX_IMAGE_PIXELS = None  # we bound the pixel count ourselves, before decoding
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                im = Image.open(io.BytesIO(data))
                info.width, info.height = im.size
                info.frames = getattr(im, "n_frames", 1)
                if info.width * info.height > self.max_pixels:
                    info.too_many_pixels = True
                    return
                im.load()  # decodes everything: raises on truncated or corrupt data
                if info.format == "JPEG" and not data.rstrip(b"\x00").endswith(b"\xff\xd9"):
                    raise OSError("JPEG end marker missing: the file is truncated")
                info.image = im.convert("RGB") if im.mode != "RGB" else im
        except Exception as exc:  # Pillow raises many kinds for hostile files
            info.error = str(exc) or type(exc).__name__
