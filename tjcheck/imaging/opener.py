"""The one way tjcheck opens an image: ``open_image``.

Images are untrusted. A header can declare a canvas of 65535×65535 (a 4-gigapixel BMP of a
few bytes, a GIF whose logical screen is 30000×30000 around a 1-pixel frame); decoding it
would take gigabytes. So the size is read from the header, of every frame that has a size
of its own (TIFF pages, MPO pictures, HEIF images; GIF, PNG, WebP and AVIF frames are
composited on one canvas, which is the size Pillow reports), and an image with more than
``max_pixels`` raises ``TooManyPixels`` before a single pixel is decoded (AT008 in verify
and batch, a refusal in fix and merge).

Pillow's own limit (``Image.MAX_IMAGE_PIXELS``) is lifted only while the headers are read
— it would raise before the size could be reported — and is back in force as soon as they
are, for anything that seeks or opens an image later. Only the formats tjcheck handles are
tried (no EPS, PSD, ICO … parsers on untrusted bytes). HEIC/HEIF (the iPhone's default)
is read by the pillow-heif plugin, registered the first time such a file is met; AVIF by
Pillow itself where its wheel has libavif (Pillow ≥ 11.3), otherwise it is reported as a
format that cannot be read.
"""
from __future__ import annotations

import math
import warnings
from contextlib import contextmanager
from dataclasses import dataclass

FORMATS = ["JPEG", "MPO", "PNG", "GIF", "BMP", "TIFF", "WEBP", "HEIF", "AVIF"]   # Pillow's names
OWN_SIZE_FRAMES = ("TIFF", "MPO", "HEIF")   # every frame has its own header size
JPEG_DRAFT_FACTOR = 2.5   # a JPEG reduced by DCT scaling (1/2, 1/4, 1/8) may keep up to this × max_pixels
JPEG_REDUCE_MAX = 8       # ... and is reduced only up to this × max_pixels (a 200-MP phone photo is 5×):
                          # beyond, a header claiming a giant canvas costs seconds of decoding for nothing


class TooManyPixels(Exception):
    """The header declares more pixels than allowed; nothing was decoded."""

    def __init__(self, width: int, height: int):
        super().__init__(f"{width}×{height} pixels")
        self.width, self.height = width, height


@dataclass
class Opened:
    image: object           # PIL image at frame 0, not decoded yet (a JPEG possibly set to decode reduced)
    width: int              # frame 0 as stored in the file
    height: int
    frames: int
    format: str             # Pillow's name: JPEG, MPO, PNG, … HEIF, AVIF


_heif_registered = False


def _register_heif() -> None:
    """pillow-heif's opener, once, when the first ISO-BMFF file (``ftyp`` box: HEIC, AVIF,
    MP4 …) is met: a run without phone photos never imports it."""
    global _heif_registered
    if not _heif_registered:
        from pillow_heif import register_heif_opener

        register_heif_opener()
        _heif_registered = True


@contextmanager
def _headers_only():
    """Pillow's own check lifted while headers are read (it raises before the size is known)."""
    from PIL import Image

    saved = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = None
    try:
        yield
    finally:
        Image.MAX_IMAGE_PIXELS = saved


def open_image(data: bytes, max_pixels: int, *, reduce_jpeg: bool = False) -> Opened:
    """Open ``data`` (headers only) and check its pixel count. Raises ``TooManyPixels``
    for a bomb, ``ImportError`` when the HEIF plugin is missing, and whatever Pillow raises
    for bytes it cannot read. With ``reduce_jpeg``, a baseline JPEG beyond the bound is set to decode
    at 1/2, 1/4 or 1/8 scale instead (``tjcheck fix`` shrinks such photos) when that brings
    it within ``JPEG_DRAFT_FACTOR`` × ``max_pixels``."""
    import io

    from PIL import Image

    if data[4:8] == b"ftyp":
        _register_heif()
    Image.init()   # every plugin registered, so that the list below is what this Pillow reads
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with _headers_only():
            try:
                im = Image.open(io.BytesIO(data), formats=[f for f in FORMATS if f in Image.OPEN])
            except Image.UnidentifiedImageError:   # its own text names a BytesIO object
                from .reader import sniff

                kind = sniff(data[:64])
                if kind == "AVIF" and "AVIF" not in Image.OPEN:
                    raise Image.UnidentifiedImageError("reading AVIF needs Pillow 11.3 or later") from None
                raise Image.UnidentifiedImageError("not image data that can be decoded" if kind == "UNKNOWN" else
                                                   f"{kind} data that cannot be decoded") from None
            width, height = im.size
            frames = getattr(im, "n_frames", 1)
            sizes = [im.size]
            if im.format in OWN_SIZE_FRAMES and frames > 1:
                for i in range(1, frames):
                    im.seek(i)
                    sizes.append(im.size)
                im.seek(0)
    for w, h in sizes:
        if w * h > max_pixels:
            # only a baseline JPEG decodes reduced in little memory: a progressive one keeps every
            # coefficient of the full-size image (2 bytes per pixel and channel) whatever the scale
            if reduce_jpeg and im.format in ("JPEG", "MPO") and frames == 1 and not im.info.get("progressive") \
                    and w * h <= JPEG_REDUCE_MAX * max_pixels:
                scale = math.sqrt(max_pixels / (w * h))
                im.draft(im.mode, (math.ceil(w * scale), math.ceil(h * scale)))
                if im.size[0] * im.size[1] <= JPEG_DRAFT_FACTOR * max_pixels:
                    continue
            raise TooManyPixels(w, h)
    return Opened(im, width, height, frames, im.format)
