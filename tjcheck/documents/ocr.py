"""Reading the text of a document image, offline: RapidOCR (PP-OCR models on onnxruntime).

Optional, like the face analysis: the extra ``tjcheck[ocr]`` brings ``rapidocr`` and
``onnxruntime``; the detection and recognition models ship inside the rapidocr wheel, so
nothing is downloaded. Without it the document rules are skipped with the install command,
never passed. The engine is created once per process, on the first document read.

Settings (measured on the shipped specimens): the detector sees the page at most 1280 px on its
long side (a 960-px limit lost the name on the hand-held ID photo, 640 px a digit of the diploma
number; rapidocr's default instead brings the *short* side up to 736 px, which turns a long thin
image into a memory bomb) and no orientation classifier (it changed no text on any specimen and
costs time; uploads are upright). Images too small or too elongated to be a document are not read.

Speed (a cold ``tjcheck verify`` of the example reads six pages; measured on a 2-core machine, see
the speed study): nearly all of a read is onnxruntime's, so the settings below cut the work it
does and the CPU it wastes, and change no key field on any specimen. The recogniser reads one
line at a time at the line's own width (rapidocr's default pads every line to at least 320 px and
each batch of 6 to its widest line: 54% more columns than the text has); onnxruntime's threads
do not spin-wait between operators (on 2 cores the spinning took the core the Python steps need,
and under any other load it made a read 2-2.5 times slower); its memory arena is kept, so a page
reuses the buffers of the previous one (+0.2 GB peak memory for ~0.2 s). rapidocr's model table
is parsed once at import, and the detector's input is computed by table (bit for bit the same).
Cold verify of the example: 6.3 -> 4.1-4.7 s on a quiet 2-core machine, 12 -> 7 s with a core busy.
"""
from __future__ import annotations

import hashlib
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

INSTALL = 'pip install "tjcheck[ocr]"'
DET_LONG_SIDE = 1280
REC_MIN_WIDTH = 48       # px at the recogniser's 48-px line height: no padding of short lines
REC_BATCH = 1            # lines per recogniser call: each at its own width, no padding to the batch's widest
MIN_SIDE = 32            # px: smaller is not a readable document
MAX_ASPECT = 12          # long side / short side: more is a strip, not a page


class OcrBackendMissing(RuntimeError):
    """rapidocr (or onnxruntime) is not installed or cannot load its models."""


def install_hint() -> tuple[str, str]:
    """(zh, en): what to run so that the document checks run."""
    return (f"未安装文字识别组件，证件与证书内容检查未运行：请运行 {INSTALL}",
            f"the text recognition extra is not installed, so the document contents were not checked: "
            f"run {INSTALL}")


@dataclass(frozen=True)
class Line:
    text: str
    score: float                          # the recogniser's confidence, 0..1
    box: tuple[tuple[float, float], ...]  # 4 corners, clockwise from the top left, in image pixels


@dataclass(frozen=True)
class Page:
    lines: tuple[Line, ...]
    seconds: float                        # time the read took

    @property
    def texts(self) -> list[str]:
        return [line.text for line in self.lines]


_lock = threading.Lock()


@lru_cache(maxsize=1)
def engine():
    """The RapidOCR engine, created once per process."""
    try:
        with _model_table_once():
            from rapidocr import RapidOCR
    except ImportError as exc:
        raise OcrBackendMissing(str(exc)) from None
    _no_spinning()
    _detector_input_by_table()
    try:
        return RapidOCR(params={"Global.log_level": "warning", "Global.use_cls": False,
                                "Det.limit_type": "max", "Det.limit_side_len": DET_LONG_SIDE,
                                "Rec.rec_batch_num": REC_BATCH, "Rec.rec_img_shape": [3, 48, REC_MIN_WIDTH],
                                "EngineConfig.onnxruntime.enable_cpu_mem_arena": True})
    except Exception as exc:      # a broken installation: models missing, onnxruntime failing to load
        raise OcrBackendMissing(f"{type(exc).__name__}: {exc}") from None


@contextmanager
def _model_table_once():
    """While rapidocr is imported, its table of downloadable models is parsed once, not twice.

    Two of rapidocr's modules each load ``default_models.yaml`` (85 KB: every model of every
    engine) at import, through OmegaConf's pure-Python YAML loader: 0.3 s of the 0.7-s import.
    Here the first load parses it with PyYAML's C loader and the second gets the same
    (read-only) tree. Any other file, or any surprise, goes to OmegaConf as before."""
    try:
        import yaml
        from omegaconf import OmegaConf
    except ImportError:
        yield
        return
    real = OmegaConf.load
    table: list = []

    def load(file_):
        if str(file_).replace("\\", "/").endswith("rapidocr/default_models.yaml"):
            try:
                if not table:
                    with open(file_, encoding="utf-8") as f:
                        tree = OmegaConf.create(yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))
                    OmegaConf.set_readonly(tree, True)
                    table.append(tree)
                return table[0]
            except Exception:
                pass
        return real(file_)
    OmegaConf.load = load
    try:
        yield
    finally:
        OmegaConf.load = real


def _detector_input_by_table() -> None:
    """Have rapidocr scale a page's pixels for the detector by table: the same numbers, 10x faster.

    rapidocr's ``DetPreProcess.normalize`` computes ``(pixel / 255 - mean) / std`` in float64 numpy
    (temporaries of 28 MB for a 1280-px page: 20-70 ms a page, while onnxruntime waits). A pixel
    is a byte, so the 256 results per channel, computed by rapidocr's own method and cast to
    float32 as it then does, are looked up instead (cv2.LUT): bit for bit the same input."""
    try:
        import cv2
        import numpy as np
        from rapidocr.ch_ppocr_det.utils import DetPreProcess
        normalize = DetPreProcess.normalize
    except (ImportError, AttributeError):
        return
    if getattr(normalize, "by_table", False):
        return

    def by_table(self, img):
        if getattr(img, "dtype", None) != np.uint8 or img.ndim != 3 or img.shape[2] != 3:
            return normalize(self, img)
        values = np.arange(256, dtype=np.uint8).reshape(256, 1, 1).repeat(3, axis=2)
        table = normalize(self, values).astype(np.float32).reshape(1, 256, 3)
        return cv2.LUT(img, table)
    by_table.by_table = True
    DetPreProcess.normalize = by_table


def _no_spinning() -> None:
    """Have the onnxruntime sessions rapidocr creates not spin-wait between operators.

    rapidocr builds each session's options in ``OrtInferSession._init_sess_opts`` (a static
    method) and has no setting for this one, so the options it makes get the entry added. A
    rapidocr without that hook keeps onnxruntime's default: slower, never wrong."""
    try:
        from rapidocr.inference_engine.onnxruntime import OrtInferSession
        make = OrtInferSession._init_sess_opts
    except (ImportError, AttributeError):
        return
    if getattr(make, "no_spinning", False):
        return

    def options(cfg):
        opts = make(cfg)
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        return opts
    options.no_spinning = True
    OrtInferSession._init_sess_opts = staticmethod(options)


_pages: dict[str, Page] = {}
_measures: dict[str, object] = {}


def remembered(what: str, content: bytes, compute):
    """A small measure of a page (the seal finder's answer, the legibility figures), computed
    once per content and kept in the cache beside the page's text: JSON values only, never
    pixels. ``compute`` returns a JSON-able value."""
    from . import cache

    key = hashlib.sha256(content + cache.VERSION.encode() + b":" + what.encode()).hexdigest()
    if key not in _measures:
        stored = cache.load(key)
        if stored is None or not isinstance(stored, dict) or "value" not in stored:
            stored = {"value": compute()}
            cache.store(key, stored)
        _measures[key] = stored["value"]
    return _measures[key]


def upright(image):
    """The image as a viewer shows it: turned by its EXIF orientation (phone photos are stored
    sideways with a tag saying so; the reviewer's browser turns them, so the reader must too),
    16-bit and float pixels brought to 8 bits by their range, and transparency shown on white
    (as on the platform's page) rather than dropped (a transparent PNG's ink on black)."""
    from PIL import ImageOps

    try:
        turned = image.getexif().get(0x0112, 1) in range(2, 9)
    except Exception:             # a broken EXIF block: read the pixels as stored
        turned = False
    if turned:
        image = ImageOps.exif_transpose(image)
    return _eight_bit_on_white(image)


def _eight_bit_on_white(image):
    from PIL import Image

    if image.mode.startswith("I;16") or image.mode in ("I", "F"):
        wide = image.convert("F") if image.mode == "F" else image.convert("I")
        low, high = wide.getextrema()
        scale = 255 / 65535 if high > 255 else (255.0 if image.mode == "F" and high <= 1 else 1.0)
        return wide.point(lambda v: v * scale).convert("L")
    if image.mode in ("LA", "PA", "RGBA", "La", "RGBa") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        shown = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        shown.alpha_composite(rgba)
        return shown.convert("RGB")
    return image


def digest(image) -> bytes:
    """What identifies a page for the cache: a digest of its (upright) pixels and size."""
    return hashlib.sha256(image.tobytes() + repr(image.size).encode()).digest()


def _line(text, score, box) -> Line:
    """A Line from the reader's (or the cache's) text, confidence and corner points."""
    return Line(str(text), float(score), tuple((float(x), float(y)) for x, y in box))


def read(image, content: bytes | None = None) -> Page:
    """The lines of text on ``image`` (a PIL image). With ``content`` (what identifies the
    image: its decoded pixels), a page already read is taken from memory, or from the cache
    folder between runs (tjcheck/documents/cache.py), instead of being read again."""
    from . import cache

    key = hashlib.sha256(content + cache.VERSION.encode()).hexdigest() if content is not None else None
    if key and key in _pages:
        return _pages[key]
    stored = cache.load(key) if key else None
    if stored is not None:
        try:
            page = Page(tuple(_line(t, s, b) for t, s, b in stored), 0.0)
        except (TypeError, ValueError):
            page = None
        if page is not None:
            _pages[key] = page
            return page
    w, h = image.size
    if min(w, h) < MIN_SIDE or max(w, h) > MAX_ASPECT * min(w, h):
        return Page((), 0.0)      # not a page: nothing to read (the rules say the document is not recognised)
    ocr = engine()
    start = time.perf_counter()
    with _lock:                   # onnxruntime sessions run one call at a time here
        result = ocr(image.convert("RGB"))
    lines = tuple(_line(t, s, b) for b, t, s in zip(result.boxes if result.boxes is not None else (),
                                                  result.txts or (), result.scores or ()))
    page = Page(lines, time.perf_counter() - start)
    if key:
        _pages[key] = page
        cache.store(key, [[line.text, line.score, [list(p) for p in line.box]] for line in lines])
    return page
