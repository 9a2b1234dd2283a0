"""``tjcheck fix`` for one attachment (ID scans, certificates, proofs): AT003, AT006, AT008, AT009.

EXIF orientation applied; WebP/BMP/GIF/TIFF (one frame)/HEIC/AVIF → JPEG; over 500 KB →
re-encoded by the shared quality/size search (``encode.fit``), narrower only when
needed and never below 1200 px on the long side (or the original's long side, if
shorter), so text stays legible; more than ``max_pixels`` → reduced to the limit; a
JPEG named .png (or the reverse) → the same bytes under the right extension.
Never (listed with the reason): a file that cannot be read (picture.py), or one at or
under the byte minimum (re-compressing adds no detail; nothing is padded).
"""
from __future__ import annotations

from .picture import (
    Outcome,
    Picture,
    _kb,
    _max_pixel_width,
    _plain,
    _renamed,
    _resizer,
    _turned,
)

ATTACHMENT_LEGIBLE_SIDE = 1200     # px on the long side kept when an attachment must shrink
ATTACHMENT_START_PIXELS = 16_000_000   # the search starts at most here: 500 KB holds far less at quality 75


def fix_attachment(pic: Picture, ruleset: dict) -> Outcome:
    """A compliant copy of one attachment (ID scans, certificates, proofs), or why not."""
    from .encode import DoesNotFit, fit, widths_between

    att = ruleset["attachments"]
    out = Outcome()
    if pic.error:
        out.reasons.append(pic.error)
        return out
    im = pic.image
    too_many = pic.width * pic.height > att["max_pixels"]
    wrong_format = pic.format not in att["formats"]
    too_big = pic.bytes > att["max_bytes"]
    turned = pic.orientation != 1
    if not (too_many or wrong_format or too_big or turned):
        if pic.bytes <= att["min_bytes_exclusive"]:
            out.reasons.append((f"只有 {_kb(pic.bytes)}，须大于 20KB：重新压缩不会增加细节，请用更高清晰度重新扫描或拍摄",
                                f"only {_kb(pic.bytes)}; more than 20 KB is needed: re-compressing adds no detail, "
                                f"scan or photograph it again at a higher resolution"))
            return out
        return _renamed(pic, att["extensions"]) or out
    if turned:
        out.actions.append(_turned(pic))
    if wrong_format or pic.format != "JPEG":
        out.actions.append((f"{pic.format} 转为 JPEG", f"{pic.format} converted to JPEG"))
    im = _plain(im, flatten=True)
    high = _max_pixel_width(im.width, im.height, min(att["max_pixels"], ATTACHMENT_START_PIXELS))
    if pic.width * pic.height > att["max_pixels"]:
        out.actions.append((f"像素过多（{pic.width}×{pic.height}），缩小", f"too many pixels ({pic.width}×{pic.height}): "
                            "reduced"))
    long_side = max(im.width, im.height) * high / im.width
    low = min(high, max(1, round(high * min(1.0, ATTACHMENT_LEGIBLE_SIDE / long_side))))
    try:
        enc = fit(_resizer(im), widths_between(high, low), att)
    except DoesNotFit as exc:
        out.actions.clear()
        out.reasons.append((f"长边保留 {ATTACHMENT_LEGIBLE_SIDE} 像素（文字可辨）时最小也有 {_kb(exc.floor_bytes)}，超过 500KB："
                            "请重新扫描（黑白或灰度、较低分辨率）",
                            f"kept legible ({ATTACHMENT_LEGIBLE_SIDE} px on the long side) it is still "
                            f"{_kb(exc.floor_bytes)}, over 500 KB: scan it again (greyscale, lower resolution)"))
        return out
    if enc.padded:
        out.actions.clear()
        out.reasons.append(("重新编码后仍不大于 20KB（图片内容太少）：请用更高清晰度重新扫描",
                            "re-encoded it is still at most 20 KB (there is little in it): scan it again at a higher "
                            "resolution"))
        return out
    if too_big or enc.size != im.size:
        out.actions.append((f"压缩到 {_kb(enc.bytes)}（质量 {enc.quality}" + (f"，缩小到 {enc.size[0]}×{enc.size[1]}"
                            if enc.size != im.size else "") + "）",
                            f"compressed to {_kb(enc.bytes)} (quality {enc.quality}" +
                            (f", reduced to {enc.size[0]}×{enc.size[1]}" if enc.size != im.size else "") + ")"))
    out.data, out.format, out.size = enc.data, "JPEG", enc.size
    return out
