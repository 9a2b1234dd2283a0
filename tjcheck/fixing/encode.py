"""Encode an image as a JPEG that fits the upload limits, and write it safely.

Shared by ``tjcheck merge`` (merge.py) and ``tjcheck fix`` (attachment.py, photo.py;
fix.py writes the copies). The whole API:

``fit(make, widths, limits) -> Encoded``
    Search for the clearest JPEG within ``limits`` (the ruleset's ``attachments`` section:
    ``min_bytes_exclusive``, ``max_bytes``). ``make(width)`` returns the picture (PIL image)
    for a width from ``widths`` (largest first; the last one is the smallest the caller
    accepts as legible). Raises ``DoesNotFit`` when even the last width at the lowest
    quality is too large: then nothing should be written.
``widths_between(high, low)``
    Candidate widths from ``high`` down to ``low``, about 10 % apart, ``low`` always last.
``encode(image, quality, subsampling=SUBSAMPLE_420) -> bytes``
    One baseline, Huffman-optimised JPEG, without EXIF or other metadata.
``write_new(path, data, force, limits=None)``
    Write bytes atomically (a temporary file in the target folder, then ``os.replace``);
    an existing file is refused (``InputError``) unless ``force``. With ``limits``, the
    temporary file is first read back by ``attachment_problems`` and a file that would
    not pass is never renamed into place (``RuntimeError``: that would be a bug).
``attachment_problems(path, limits) -> list[(zh, en)]``
    Re-read a written file with the project's own reader and list what AT003–AT008
    would say about it (empty when it passes).

The search order — "clearest first" — is:

1. widths from the largest to the smallest, at each width the highest of ``QUALITIES``
   (90 … 75) that fits;
2. then, at the smallest width only, the highest of ``FLOOR_QUALITIES`` (70 … 55).

So resolution is given up before quality drops below 75, and quality below 75 is only
used at the smallest legible width. JPEG size grows monotonically with quality, so each
width costs one encode when it cannot fit (its lowest quality is tried first) and a short
binary search when it can; widths that cannot fit by the size-per-pixel of a failed try
are skipped. The very first encode is the floor (smallest width, lowest quality): when that
is too large the search stops at once.

When even the clearest candidate is not above the lower limit (a nearly blank page), the
largest width is re-encoded at quality 95 without chroma subsampling; if that is still
too small, a JPEG comment segment (COM, ignored by every viewer) pads the file to 1 KB
over the limit. ``Encoded.padded`` says how many bytes were added, so the caller can say so.
"""
from __future__ import annotations

import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..atomic import write_atomic
from ..errors import InputError

QUALITIES = (90, 85, 80, 75)          # tried at every width, highest first
FLOOR_QUALITIES = (70, 65, 60, 55)    # only at the smallest width; 55 is the lowest used
LIFT_QUALITY = 95                     # for results under the lower limit
SUBSAMPLE_420, SUBSAMPLE_444 = 2, 0   # Pillow's codes for 4:2:0 and 4:4:4 chroma subsampling
PAD_MARGIN = 1024                     # padding aims this far above the lower limit
PAD_TEXT = b"tjcheck: padding so that a nearly blank page passes the upload minimum. "


@dataclass(frozen=True)
class Encoded:
    """A JPEG found by ``fit``."""
    data: bytes
    width: int          # the argument given to make() (merge: the common page width)
    size: tuple[int, int]   # the picture's pixels (width, height)
    quality: int
    subsampling: int = SUBSAMPLE_420
    padded: int = 0     # bytes of comment added to pass the lower limit (0: none)

    @property
    def bytes(self) -> int:
        return len(self.data)


class DoesNotFit(Exception):
    """Even the smallest width at the lowest quality is larger than the limit."""

    def __init__(self, floor_bytes: int, width: int, quality: int, max_bytes: int):
        super().__init__(f"{floor_bytes} bytes at width {width}, quality {quality}; limit {max_bytes}")
        self.floor_bytes, self.width, self.quality, self.max_bytes = floor_bytes, width, quality, max_bytes


def encode(image, quality: int, subsampling: int = SUBSAMPLE_420) -> bytes:
    """Baseline JPEG (the most widely decoded kind), optimised Huffman tables, no metadata."""
    if image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=quality, subsampling=subsampling, optimize=True)
    return buf.getvalue()


def widths_between(high: int, low: int, step: float = 0.9) -> list[int]:
    """``high``, ``high*0.9``, … while above ``low``, then ``low``: the candidate widths."""
    out, w = [], float(max(high, low))
    while round(w) > low * 1.03:   # a step within 3 % of the floor is not worth an encode
        out.append(round(w))
        w *= step
    return out + [int(low)]


def _highest_fitting(image, qualities: Sequence[int], max_bytes: int,
                     known: dict[int, bytes]) -> tuple[int, bytes] | None:
    """The highest quality in ``qualities`` (descending) whose JPEG is at most ``max_bytes``,
    by binary search (size grows with quality). ``known`` caches encodes of this image."""
    def size_at(q: int) -> bytes:
        if q not in known:
            known[q] = encode(image, q)
        return known[q]

    lo, hi = 0, len(qualities) - 1          # qualities[hi] is the lowest
    if len(size_at(qualities[hi])) > max_bytes:
        return None
    while lo < hi:                          # invariant: qualities[hi] fits
        mid = (lo + hi) // 2
        if len(size_at(qualities[mid])) <= max_bytes:
            hi = mid
        else:
            lo = mid + 1
    return qualities[hi], size_at(qualities[hi])


def fit(make: Callable[[int], object], widths: Sequence[int], limits: dict, *,
        qualities: Sequence[int] = QUALITIES, floor_qualities: Sequence[int] = FLOOR_QUALITIES) -> Encoded:
    """The clearest JPEG of ``make(width)`` with ``min_bytes_exclusive < size <= max_bytes``
    (see the module's docstring for the order). Raises ``DoesNotFit``."""
    max_bytes, min_bytes = int(limits["max_bytes"]), int(limits["min_bytes_exclusive"])
    widths = list(widths)
    low = widths[-1]
    floor_q = (list(floor_qualities) or list(qualities))[-1]
    floor_image = make(low)
    floor_known: dict[int, bytes] = {floor_q: encode(floor_image, floor_q)}
    if len(floor_known[floor_q]) > max_bytes:
        raise DoesNotFit(len(floor_known[floor_q]), low, floor_q, max_bytes)

    found: Encoded | None = None
    skip_above = math.inf
    for w in widths:
        if w > skip_above and w != low:   # the floor width is always tried
            continue
        image = floor_image if w == low else make(w)
        known = floor_known if w == low else {}
        best = _highest_fitting(image, qualities, max_bytes, known)
        if best:
            found = Encoded(best[1], w, image.size, best[0])
            break
        # bytes grow at most about in proportion to pixels: narrower widths that still
        # would not fit are not worth an encode (5 % allowance)
        over = len(known[qualities[-1]]) / max_bytes
        skip_above = w / math.sqrt(over) * 1.05
    if found is None:
        best = _highest_fitting(floor_image, floor_qualities, max_bytes, floor_known)
        # the floor quality fitted above, so best is not None
        found = Encoded(best[1], low, floor_image.size, best[0])
    if found.bytes > min_bytes:
        return found
    return _lift(make, widths[0], found, min_bytes, max_bytes)


def _lift(make, width: int, found: Encoded, min_bytes: int, max_bytes: int) -> Encoded:
    """A result at or under the lower limit: more quality first, then padding."""
    image = make(width)
    data = encode(image, LIFT_QUALITY, SUBSAMPLE_444)
    if min_bytes < len(data) <= max_bytes:
        return Encoded(data, width, image.size, LIFT_QUALITY, SUBSAMPLE_444)
    if len(data) > max_bytes:   # cannot really happen from under 20 KB, but never exceed
        data, width, size, quality, sub = found.data, found.width, found.size, found.quality, found.subsampling
    else:
        size, quality, sub = image.size, LIFT_QUALITY, SUBSAMPLE_444
    padded = pad(data, min_bytes + PAD_MARGIN)
    return Encoded(padded, width, size, quality, sub, len(padded) - len(data))


def pad(data: bytes, target: int) -> bytes:
    """``data`` (a JPEG) with comment segments inserted after its JFIF header so that it is
    at least ``target`` bytes long. The pixels are untouched."""
    missing = target - len(data)
    if missing <= 0:
        return data
    at = 2
    if data[2:4] == b"\xff\xe0":                     # keep APP0 (JFIF) right after SOI
        at = 4 + int.from_bytes(data[4:6], "big")
    segments = []
    while missing > 0:
        body_len = min(max(missing - 4, 1), 65533)
        body = (PAD_TEXT * (body_len // len(PAD_TEXT) + 1))[:body_len]
        segments.append(b"\xff\xfe" + (body_len + 2).to_bytes(2, "big") + body)
        missing -= body_len + 4
    return data[:at] + b"".join(segments) + data[at:]


def write_new(path: Path, data: bytes, force: bool, limits: dict | None = None) -> None:
    """Write ``data`` to ``path`` atomically: a temporary file in the same folder, renamed
    into place, so an interrupted run never leaves half a file. An existing file is refused
    unless ``force``. With ``limits`` (the ruleset's ``attachments``), the file must pass
    ``attachment_problems`` before it is renamed into place."""
    path = Path(path)
    if path.is_dir():
        raise InputError(path, "这是一个文件夹，请给出输出文件名，如 合并.jpg。",
                         "this is a folder: give an output file name such as merged.jpg.")
    if path.exists() and not force:
        raise InputError(path, "文件已存在，不会覆盖；换一个文件名，或加 --force。",
                         "the file exists and will not be overwritten: choose another name, or add --force.")
    def passes(tmp: Path) -> None:
        problems = attachment_problems(tmp, limits)
        if problems:
            raise RuntimeError("the encoded image would not pass the attachment rules: "
                               + "; ".join(en for _, en in problems))

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, data, passes if limits is not None else None)
    except OSError as exc:
        raise InputError(path, f"无法写入：{exc.strerror or exc}", f"cannot write: {exc.strerror or exc}") from None


def attachment_problems(path: Path, limits: dict) -> list[tuple[str, str]]:
    """What the attachment rules (AT003–AT008) would report about ``path``, read back with
    the project's reader; an empty list when it can be uploaded."""
    from ..imaging.reader import ImageReader

    info = ImageReader(limits).get(Path(path).parent, Path(path).name)
    problems: list[tuple[str, str]] = []
    if info.unreadable:
        return [(f"无法读取：{info.unreadable[0]}", f"cannot be read: {info.unreadable[1]}")]
    if info.format not in limits["formats"]:
        problems.append((f"格式为 {info.format}", f"format is {info.format}"))
    if info.too_many_pixels:
        problems.append((f"像素过多 {info.width}×{info.height}", f"too many pixels {info.width}×{info.height}"))
    elif info.error:
        problems.append((f"无法完整读取：{info.error}", f"cannot be read completely: {info.error}"))
    if info.bytes <= limits["min_bytes_exclusive"]:
        problems.append((f"只有 {info.bytes} 字节", f"only {info.bytes} bytes"))
    if info.bytes > limits["max_bytes"]:
        problems.append((f"有 {info.bytes} 字节", f"{info.bytes} bytes"))
    if info.frames > 1:
        problems.append((f"含 {info.frames} 帧", f"{info.frames} frames"))
    return problems
