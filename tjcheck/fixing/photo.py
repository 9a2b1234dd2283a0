"""``tjcheck fix`` for the ID photo (PH001, PH004, PH005, PH008, AT008, AT009), with the
5:7 crop around the face.

PNG/WebP… → JPEG; EXIF orientation applied; over 500 KB or too many pixels →
reduced, never below 413×579 (or the photo's own size) nor 295×413; not 5:7, or the
head too small / off centre / too low → cropped to exactly 5:7 around the detected
face so the head geometry sits inside the ruleset's ``face.geometry`` warning limits
(with a margin), and the crop is analysed again before it is kept. Only a crop
inside the photo: nothing is padded, enlarged, painted or retouched.
Never (listed with the reason): a file that cannot be read (picture.py), one under the
byte minimum (re-compressing adds no detail), a photo smaller than 295×413 (enlarging
is not allowed), a photo with transparent parts (filling them would paint a
background), a crop that needs room the photo does not have; and whatever the photo
shows (enlarged PH006, background PH007, blur, glasses, hat, fringe, pose: FA…), which
``verify`` of the new profile reports.
"""
from __future__ import annotations

import io
import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Callable

from .picture import (
    Outcome,
    Picture,
    Text,
    _alpha,
    _kb,
    _max_pixel_width,
    _plain,
    _renamed,
    _resizer,
    _turned,
)

PHOTO_FLOOR_HEIGHT = 579           # a photo is reduced no further than 413×579 (or its own size)
PHOTO_QUALITIES = (95, 92, 90, 85, 80)
PHOTO_FLOOR_QUALITIES = (75, 70, 65, 60)
# where a crop puts the head (shares of the crop), and how far inside the warning limits it stays
TARGET_FACE_WIDTH, TARGET_TOP_MARGIN = 0.42, 0.06
FACE_WIDTH_MARGIN, TOP_MARGIN_MARGIN, EYE_LINE_MARGIN = 0.03, 0.01, 0.03
CENTRE_SHARE = 0.5                 # of the centring warning limit a crop may use to stay inside the photo


@dataclass
class Crop:
    box: tuple[int, int, int, int]          # left, top, right, bottom in the upright photo
    face_width: float                       # predicted shares of the crop
    top_margin: float
    centre_offset: float
    eye_line: float


def _ratio(aspect: float) -> tuple[int, int]:
    f = Fraction(aspect).limit_denominator(10)
    return f.numerator, f.denominator


def _warn(geometry_limits: dict, name: str) -> tuple[float, float]:
    low, high = geometry_limits[name]["warn"]
    return float(low), float(high)


def geometry_problems(geo, geometry_limits: dict) -> list[str]:
    """Names of the head measures outside their warning limits (the PH008 measures)."""
    values = {"face_width": geo.face_width, "top_margin": geo.top_margin,
              "centre_offset": abs(geo.centre_offset), "eye_line": geo.eye_line}
    out = []
    for name, value in values.items():
        low, high = _warn(geometry_limits, name)
        if not low <= value <= high:
            out.append(name)
    return out


def plan_crop(analysis, size: tuple[int, int], ruleset: dict) -> tuple[Crop | None, Text | None]:
    """The 5:7 crop inside the photo that puts the head nearest the targets while every
    head measure stays inside its warning limit with a margin; or None and why."""
    import numpy as np

    from ..imaging.framing import CHEEK_L, CHEEK_R, IRIS_L, IRIS_R, NOSE_LINE, head_top

    W, H = size
    lm = analysis.landmarks
    ah, aw = analysis.rgb.shape[:2]
    sx, sy = W / aw, H / ah
    face_w = float(np.linalg.norm(lm[CHEEK_L, :2] - lm[CHEEK_R, :2])) * sx
    nose = float(np.mean(lm[list(NOSE_LINE), 0])) * sx
    top = head_top(analysis)[0] * sy
    eyes = float((lm[IRIS_R, 1] + lm[IRIS_L, 1]) / 2) * sy
    g, ph = ruleset["face"]["geometry"], ruleset["photo"]
    fw_lo, fw_hi = _warn(g, "face_width")
    fw_lo, fw_hi = fw_lo + FACE_WIDTH_MARGIN, fw_hi - FACE_WIDTH_MARGIN
    tm_lo, tm_hi = _warn(g, "top_margin")
    tm_lo, tm_hi = tm_lo + TOP_MARGIN_MARGIN, tm_hi - TOP_MARGIN_MARGIN
    centre = _warn(g, "centre_offset")[1] * CENTRE_SHARE
    eye_hi = _warn(g, "eye_line")[1] - EYE_LINE_MARGIN
    fw_target = min(max(TARGET_FACE_WIDTH, fw_lo), fw_hi)
    tm_target = min(max(TARGET_TOP_MARGIN, tm_lo), tm_hi)
    p, q = _ratio(ph["aspect"])
    k_size = max(math.ceil(ph["min_width"] / p), math.ceil(ph["min_height"] / q))
    k_lo = max(k_size, math.ceil(face_w / fw_hi / p))
    k_hi = min(W // p, H // q, math.floor(face_w / fw_lo / p))
    best, best_cost = None, math.inf
    for k in range(k_lo, k_hi + 1):
        cw, ch = p * k, q * k
        x0 = min(max(round(nose - cw / 2), 0), W - cw)
        off = (nose - (x0 + cw / 2)) / cw
        if abs(off) > centre:
            continue
        y_lo = math.ceil(max(0.0, top - tm_hi * ch, eyes - eye_hi * ch))
        y_hi = math.floor(min(H - ch, top - tm_lo * ch))
        if y_lo > y_hi:
            continue
        y0 = min(max(round(top - tm_target * ch), y_lo), y_hi)
        crop = Crop((x0, y0, x0 + cw, y0 + ch), face_w / cw, (top - y0) / ch, off, (eyes - y0) / ch)
        cost = abs(crop.face_width - fw_target) / 0.05 + abs(crop.top_margin - tm_target) / 0.03 + abs(off) / 0.01
        if cost < best_cost:
            best, best_cost = crop, cost
    if best is not None:
        return best, None
    k = max(k_size, math.ceil(face_w / fw_hi / p))      # the smallest crop: the most lenient on every side
    cw, ch = p * k, q * k
    retake = ("请重新拍摄，头部居中、四周多留空间", "retake it with the head centred and more space around it")
    if math.floor(face_w / fw_lo / p) < k_size:
        return None, (f"脸部在照片中太小：按规定比例裁出的照片将小于 {ph['min_width']}×{ph['min_height']} 像素，而放大是不允许的；"
                      "请用分辨率更高的原始照片",
                      f"the face is too small in the photo: a crop with the head at the right size would be under "
                      f"{ph['min_width']}×{ph['min_height']} px, and enlarging is not allowed; use a higher-resolution "
                      f"original")
    if cw > W or ch > H:
        side = ("照片宽度", "the photo's width") if cw > W else ("照片高度", "the photo's height")
        why = (f"头部周围余量不足：头部大小合适的 5:7 照片至少要 {cw}×{ch} 像素，超出了{side[0]}",
               f"not enough room around the head: a 5:7 photo with the head at the right size needs at least "
               f"{cw}×{ch} px, more than {side[1]}")
    elif top < tm_lo * ch:
        why = ("头顶上方没有留白（头顶贴近或超出照片上边缘）", "there is no space above the head (it touches or "
               "passes the top edge)")
    elif min(nose, W - nose) < cw * (0.5 - centre):
        why = ("脸部太靠近照片左右边缘，裁剪后无法居中", "the face is too near the left or right edge to be centred")
    elif max(top - tm_hi * ch, eyes - eye_hi * ch) + ch > H:
        why = ("头部下方空间不足（照片在肩部以上截断）", "not enough room below the head (the photo is cut off above "
               "the shoulders)")
    else:
        why = ("照片内找不到头部大小、居中、头顶留白和眼睛高度都合适的 5:7 区域", "no 5:7 area inside the photo has the "
               "head at the right size, centred, with the right space above it and the eyes high enough")
    return None, (f"{why[0]}（不会补边或放大）；{retake[0]}", f"{why[1]} (nothing is padded or enlarged); {retake[1]}")


def _judged(analysis, ruleset: dict) -> bool:
    """Whether verify judges this face's geometry (PH008): one face placed by the mesh,
    turned no more than ``face.measurable_yaw`` and not nodding past the pitch error."""
    if analysis is None or len(analysis.faces) != 1 or not analysis.mesh_found:
        return False
    face = ruleset["face"]
    return abs(analysis.yaw) <= face["measurable_yaw"] and \
        abs(analysis.pitch - face["pose"]["pitch_offset"]) <= face["pose"]["pitch"]["error"]


def fix_photo(pic: Picture, analysis, ruleset: dict, recheck: Callable | None = None) -> Outcome:
    """A compliant copy of the ID photo, or why not.

    ``analysis`` is the ``FaceAnalysis`` of ``pic.image`` (upright), or None when the face
    analysis is not installed. ``recheck(image) -> FaceAnalysis`` analyses a crop again
    before it is kept (``fix_profile`` passes the analyser; None skips the re-check)."""
    from .encode import DoesNotFit, fit, widths_between

    ph = ruleset["photo"]
    out = Outcome()
    if pic.error:
        out.reasons.append(pic.error)
        return out
    im = pic.image
    W, H = im.size
    if W < ph["min_width"] or H < ph["min_height"]:
        out.reasons.append((f"照片只有 {W}×{H} 像素，小于 {ph['min_width']}×{ph['min_height']}：不会放大，请使用原始的高分辨率照片",
                            f"the photo is only {W}×{H} px, under {ph['min_width']}×{ph['min_height']}: it is never "
                            "enlarged; use the original high-resolution photo"))
        return out
    if _alpha(im):
        out.reasons.append(("照片有透明部分：转为 jpg 就要填充背景，不会代为修改；请用原始 jpg 照片",
                            "the photo has transparent parts: a JPEG would need a background painted in, which is not "
                            "done; use the original JPEG"))
        return out
    turned = pic.orientation != 1
    wrong_format = pic.format not in ph["formats"]
    too_big = pic.bytes > ph["warn_above_bytes"]
    too_many = pic.width * pic.height > ruleset["attachments"]["max_pixels"]
    aspect_off = abs(W / H - ph["aspect"]) > ph["aspect_tolerance"]

    crop, geo_off = None, []
    if _judged(analysis, ruleset):
        from ..imaging.framing import geometry

        geo_off = geometry_problems(geometry(analysis), ruleset["face"]["geometry"])
    if aspect_off or geo_off:
        why = (("宽高比 %.3f，不是 5:7" % (W / H), "aspect %.3f, not 5:7" % (W / H)) if aspect_off else
               ("头部大小或位置不合适", "the head's size or position is off"))
        if analysis is None:
            from ..imaging.face import install_hint

            hint = install_hint()
            out.reasons.append((f"{why[0]}：按人脸裁剪需要人脸分析（{hint[0]}）",
                                f"{why[1]}: cropping around the face needs the face analysis ({hint[1]})"))
        elif len(analysis.faces) != 1 or not analysis.mesh_found:
            out.reasons.append((f"{why[0]}：照片中没有找到唯一、可定位的人脸，无法按人脸裁剪",
                                f"{why[1]}: no single face that can be placed was found, so it cannot be cropped "
                                "around the face"))
        else:
            crop, reason = plan_crop(analysis, (W, H), ruleset)
            if reason:
                out.reasons.append((f"{why[0]}，无法裁剪：{reason[0]}", f"{why[1]}, and it cannot be cropped: {reason[1]}"))

    def attempt(crop: Crop | None) -> Outcome | None:
        done = Outcome(reasons=list(out.reasons))
        if not (turned or wrong_format or too_big or too_many or crop):
            if 0 < pic.bytes < ph["min_bytes"]:
                done.reasons.append((f"只有 {_kb(pic.bytes)}，不能小于 10KB：重新压缩不会增加细节，请用原始照片重新导出",
                                     f"only {_kb(pic.bytes)}, under 10 KB: re-compressing adds no detail; export "
                                     "the original photo again"))
                return done
            renamed = _renamed(pic, ruleset["attachments"]["extensions"])
            if renamed is None:
                return done
            renamed.reasons = done.reasons
            return renamed
        if turned:
            done.actions.append(_turned(pic))
        if wrong_format:
            done.actions.append((f"{pic.format} 转为 JPEG", f"{pic.format} converted to JPEG"))
        img = _plain(im, flatten=False)
        if crop:
            img = img.crop(crop.box)
            cw, ch = img.size
            done.actions.append((f"按人脸裁剪为 5:7（{cw}×{ch}，脸宽 {crop.face_width:.0%}，头顶留白 {crop.top_margin:.0%}，"
                                 f"居中偏差 {abs(crop.centre_offset):.0%}）",
                                 f"cropped to 5:7 around the face ({cw}×{ch}, face width {crop.face_width:.0%}, "
                                 f"space above the head {crop.top_margin:.0%}, off centre {abs(crop.centre_offset):.0%})"))
        high = _max_pixel_width(img.width, img.height, ruleset["attachments"]["max_pixels"])
        s_low = max(ph["min_width"] / img.width, ph["min_height"] / img.height,
                    min(1.0, PHOTO_FLOOR_HEIGHT / img.height))
        low = min(high, math.ceil(img.width * min(1.0, s_low)))
        limits = {"min_bytes_exclusive": ph["min_bytes"] - 1, "max_bytes": ph["warn_above_bytes"]}
        try:
            enc = fit(_resizer(img), widths_between(high, low), limits, qualities=PHOTO_QUALITIES,
                      floor_qualities=PHOTO_FLOOR_QUALITIES)
        except DoesNotFit as exc:   # a 413×579 photo at quality 60 is far under 500 KB: noise only
            done.actions.clear()
            done.reasons.append((f"缩小到 {low} 像素宽仍有 {_kb(exc.floor_bytes)}，超过 500KB",
                                 f"reduced to {low} px wide it is still {_kb(exc.floor_bytes)}, over 500 KB"))
            return done
        if enc.padded:
            done.actions.clear()
            done.reasons.append(("重新编码后仍小于 10KB（照片内容太少）：请用原始照片",
                                 "re-encoded it is still under 10 KB (there is little in it): use the original photo"))
            return done
        if enc.size != img.size or too_big:
            done.actions.append((f"压缩到 {_kb(enc.bytes)}（质量 {enc.quality}" + (f"，缩小到 {enc.size[0]}×{enc.size[1]}"
                                 if enc.size != img.size else "") + "）",
                                 f"compressed to {_kb(enc.bytes)} (quality {enc.quality}" +
                                 (f", reduced to {enc.size[0]}×{enc.size[1]}" if enc.size != img.size else "") + ")"))
        if crop and recheck is not None:
            from ..imaging.framing import geometry
            from ..imaging.opener import open_image

            again = recheck(open_image(enc.data, ruleset["attachments"]["max_pixels"]).image.convert("RGB"))
            bad = ["faces"] if len(again.faces) != 1 or not again.mesh_found else \
                geometry_problems(geometry(again), ruleset["face"]["geometry"])
            if bad:
                return None
        done.data, done.format, done.size = enc.data, "JPEG", enc.size
        return done

    result = attempt(crop)
    if result is None:   # the crop failed its re-check: keep the other fixes, say so
        out.reasons.append(("裁剪后复查头部大小和位置仍不合适，未裁剪；请重新拍摄或手工裁剪",
                            "the crop, checked again, still had the head's size or position off, so the photo was not "
                            "cropped; retake it or crop it by hand"))
        result = attempt(None)
    return result


def _analyse(image, rs: dict):
    """The face analysis of the upright photo and a re-check function; (None, None) when
    the face analysis is not installed."""
    from ..imaging.face import FaceBackendMissing, analyser

    try:
        engine = analyser(rs["face"]["min_detection_score"])
        return engine.analyse(image.convert("RGB") if image.mode != "RGB" else image), engine.analyse
    except FaceBackendMissing:
        return None, None
