"""``tjcheck fix``: compliant copies of the images a machine can mend, and a new profile.

For every image the profile puts in an upload slot (the slots ``verify`` checks), the
file rules that can be met mechanically are met in a **copy** written into the output
folder; everything else is listed with the reason and left alone:

attachments (AT003, AT006, AT008, AT009)
    EXIF orientation applied; WebP/BMP/GIF/TIFF (one frame) → JPEG; over 500 KB →
    re-encoded by the shared quality/size search (``encode.fit``), narrower only when
    needed and never below 1200 px on the long side (or the original's long side, if
    shorter), so text stays legible; more than ``max_pixels`` → reduced to the limit; a
    JPEG named .png (or the reverse) → the same bytes under the right extension.
photo (PH001, PH004, PH005, PH008, AT008, AT009)
    PNG/WebP… → JPEG; EXIF orientation applied; over 500 KB or too many pixels →
    reduced, never below 413×579 (or the photo's own size) nor 295×413; not 5:7, or the
    head too small / off centre / too low → cropped to exactly 5:7 around the detected
    face so the head geometry sits inside the ruleset's ``face.geometry`` warning limits
    (with a margin), and the crop is analysed again before it is kept. Only a crop
    inside the photo: nothing is padded, enlarged, painted or retouched.
never (listed with the reason)
    a missing file, a folder, PDF/Office, HEIC or damaged files, several pages, files
    at or under the byte minimum (re-compressing adds no detail; nothing is padded),
    a photo smaller than 295×413 (enlarging is not allowed), a photo with transparent
    parts (filling them would paint a background), a crop that needs room the photo
    does not have; and whatever the photo shows (enlarged PH006, background PH007,
    blur, glasses, hat, fringe, pose: FA…), which ``verify`` of the new profile reports.

Rules for the output folder ``DIR`` (checked before anything is written):
- not the profile's folder, nor a folder that holds any image the profile names;
- inside such a folder only when it does not exist yet or is empty (a fresh subfolder);
- ``DIR/profile.yaml`` must not exist; copies never replace a file: a name that is taken
  gets ``-2``, ``-3`` … Files are written atomically (temporary file, then rename).
The new profile is ``DIR/profile.yaml``: the same data (a password key is left out) with
each fixed image pointing at its copy and every other image at the original, by a path
relative to DIR. The originals are not copied: the ID scans then exist once, and the
table says which files are new. Nothing is written when there is nothing to fix.
The written profile is checked with ``engine.verify`` (image rules AT, PH, FA) and the
findings that remain are reported per image.
"""
from __future__ import annotations

import io
import math
import os
import warnings
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Callable

from ..errors import InputError

Text = tuple[str, str]   # (zh, en)

NEW_PROFILE = "profile.yaml"
ATTACHMENT_LEGIBLE_SIDE = 1200     # px on the long side kept when an attachment must shrink
ATTACHMENT_START_PIXELS = 16_000_000   # the search starts at most here: 500 KB holds far less at quality 75
PHOTO_FLOOR_HEIGHT = 579           # a photo is reduced no further than 413×579 (or its own size)
DECODE_FACTOR = 2.5                # decode at most this × max_pixels (JPEGs: after DCT scaling)
PHOTO_QUALITIES = (95, 92, 90, 85, 80)
PHOTO_FLOOR_QUALITIES = (75, 70, 65, 60)
# where a crop puts the head (shares of the crop), and how far inside the warning limits it stays
TARGET_FACE_WIDTH, TARGET_TOP_MARGIN = 0.42, 0.06
FACE_WIDTH_MARGIN, TOP_MARGIN_MARGIN, EYE_LINE_MARGIN = 0.03, 0.01, 0.03
CENTRE_SHARE = 0.5                 # of the centring warning limit a crop may use to stay inside the photo
IMAGE_CODES = ("AT", "PH", "FA")   # the rules the new profile is checked with

FIXED, UNCHANGED, REFUSED = "fixed", "unchanged", "refused"


def t(text: Text, lang: str) -> str:
    return text[0] if lang == "zh" else text[1]


# --------------------------------------------------------------------------- reading

@dataclass
class Picture:
    """One source image as read for fixing: untrusted bytes, format from the bytes."""
    name: str                   # as written in the profile
    path: Path
    data: bytes | None = None
    format: str = "UNKNOWN"
    width: int = 0              # as stored (what verify sees), before any EXIF turn
    height: int = 0
    frames: int = 1
    orientation: int = 1        # EXIF tag 0x0112; 1 = upright
    image: object = None        # PIL image, decoded, EXIF orientation applied
    error: Text | None = None   # why it cannot be used at all

    @property
    def bytes(self) -> int:
        return len(self.data) if self.data else 0

    @property
    def suffix(self) -> str:
        return self.path.suffix.lower()


def read_picture(base: Path, name: str, max_pixels: int) -> Picture:
    """Read ``name`` (relative to ``base``) once; never raises for a bad file."""
    from PIL import Image, ImageOps

    from ..imaging.reader import sniff

    path = Path(name) if Path(name).is_absolute() else (base / name)
    pic = Picture(name, path)
    if not path.exists():
        pic.error = ("找不到文件", "file not found")
        return pic
    if path.is_dir():
        pic.error = ("这是文件夹，不是图片", "it is a folder, not an image")
        return pic
    try:
        pic.data = path.read_bytes()
    except OSError as exc:
        pic.error = (f"无法读取：{exc.strerror or exc}", f"cannot be read: {exc.strerror or exc}")
        return pic
    if not pic.data:
        pic.error = ("文件为空", "the file is empty")
        return pic
    pic.format = sniff(pic.data[:16])
    if pic.format in ("PDF", "ZIP", "OLE"):
        kind = "PDF" if pic.format == "PDF" else "Office"
        pic.error = (f"是 {kind} 文件，不是图片：请把页面导出为 jpg（多页用 tjcheck merge 合并）",
                     f"it is a {kind} file, not an image: export the page(s) as jpg (merge several with tjcheck merge)")
        return pic
    Image.MAX_IMAGE_PIXELS = None      # the pixel count is bounded here, from the header
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            im = Image.open(io.BytesIO(pic.data))
            pic.width, pic.height = im.size
            pic.frames = getattr(im, "n_frames", 1)
            if pic.frames > 1:
                pic.error = (f"含 {pic.frames} 页/帧：一个上传位只能放一张图片（tjcheck merge 合并）",
                             f"it has {pic.frames} pages/frames: a slot takes one image (tjcheck merge)")
                return pic
            limit = DECODE_FACTOR * max_pixels
            if pic.width * pic.height > max_pixels and im.format == "JPEG":
                s = math.sqrt(max_pixels / (pic.width * pic.height))
                im.draft(im.mode, (math.ceil(pic.width * s), math.ceil(pic.height * s)))  # DCT scaling, cheap
            if im.size[0] * im.size[1] > limit:
                pic.error = (f"{pic.width}×{pic.height} 像素，过大，不会打开：请先在电脑上缩小",
                             f"{pic.width}×{pic.height} px is too large to open safely: shrink it first")
                return pic
            im.load()
            if pic.format == "UNKNOWN" and im.format:   # a format Pillow knows but the sniffer does not (PPM …)
                pic.format = im.format
            if pic.format == "JPEG" and not pic.data.rstrip(b"\x00").endswith(b"\xff\xd9"):
                raise OSError("JPEG end marker missing: the file is truncated")
            try:
                pic.orientation = int(im.getexif().get(0x0112, 1) or 1)
            except Exception:   # a damaged EXIF block: treat as upright
                pic.orientation = 1
            pic.image = ImageOps.exif_transpose(im) if pic.orientation in range(2, 9) else im
    except Exception as exc:   # Pillow raises many kinds for hostile or unknown files
        reason = str(exc) or type(exc).__name__
        if pic.format in ("HEIC", "MP4/HEIF", "UNKNOWN"):
            pic.error = (f"无法读取的格式（{pic.format}）：请在相册或图片工具中导出为 jpg",
                         f"a format that cannot be read ({pic.format}): export it as jpg")
        else:
            pic.error = (f"文件已损坏或不完整（{reason[:60]}）：请重新导出", f"the file is damaged or incomplete "
                         f"({reason[:60]}): export it again")
    return pic


# --------------------------------------------------------------------------- per image

@dataclass
class Outcome:
    """What a per-image function decided: the new file's bytes, or nothing, and why."""
    data: bytes | None = None       # the compliant copy (None: nothing to write)
    format: str | None = None       # JPEG or PNG
    size: tuple[int, int] | None = None
    actions: list[Text] = field(default_factory=list)
    reasons: list[Text] = field(default_factory=list)   # what was not done, and why

    @property
    def suffix(self) -> str:
        return ".png" if self.format == "PNG" else ".jpg"

    @property
    def status(self) -> str:
        return FIXED if self.data is not None else REFUSED if self.reasons else UNCHANGED


def _kb(n: int) -> str:
    return f"{n / 1024:.0f} KB"


def _alpha(im) -> bool:
    """True when some pixel is not fully opaque."""
    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info) or \
            (im.mode in ("RGB", "L") and "transparency" in im.info):
        return im.convert("RGBA").getchannel("A").getextrema()[0] < 255
    return False


def _plain(im, flatten: bool):
    """The image as RGB or L, in sRGB, ready for JPEG. Transparent parts go on white
    (documents only: a photo with transparency is refused before this)."""
    from PIL import Image, ImageCms

    icc = im.info.get("icc_profile")
    if im.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        im = im.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    elif im.mode == "1":
        im = im.convert("L")
    elif flatten and _alpha(im):
        rgba = im.convert("RGBA")
        canvas = Image.new("RGB", im.size, "white")
        canvas.paste(rgba, mask=rgba.getchannel("A"))
        im = canvas
    elif im.mode not in ("RGB", "L"):
        im = im.convert("RGB")
    if icc and im.mode == "RGB":   # the copy carries no metadata: bring the colours to sRGB
        try:
            src = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            if src.profile.xcolor_space.strip() == "RGB":
                im = ImageCms.profileToProfile(im, src, ImageCms.createProfile("sRGB"), outputMode="RGB")
        except Exception:
            pass   # an unusable profile: keep the pixels as they are
    return im


def _resizer(im) -> Callable[[int], object]:
    """make(width) for encode.fit: ``im`` at that width (same aspect), never larger. Each
    picture is made from the nearest larger one made so far (the search goes from large to
    small), so a 40 MP scan is not resampled in full for every candidate width."""
    from PIL import Image

    made: dict[int, object] = {}

    def make(width: int):
        width = min(int(width), im.width)
        if width == im.width:
            return im
        if width not in made:
            src = min((p for p in made.values() if p.width > width), key=lambda p: p.width, default=im)
            height = max(1, round(im.height * width / im.width))
            made[width] = src.resize((width, height), Image.LANCZOS, reducing_gap=3.0)
            for w in [w for w in made if w > width]:   # later widths are smaller: drop the larger ones
                del made[w]
        return made[width]
    return make


def _max_pixel_width(w: int, h: int, max_pixels: int) -> int:
    """The widest width at which ``w``×``h`` has at most ``max_pixels``."""
    if w * h <= max_pixels:
        return w
    return max(1, int(w * math.sqrt(max_pixels / (w * h)) * 0.995))


def _renamed(pic: Picture, extensions: dict) -> Outcome | None:
    """The same bytes under the right extension, when only the name is wrong (AT009)."""
    exts = extensions.get(pic.format)
    if exts and pic.suffix not in exts:
        out = Outcome(pic.data, pic.format, (pic.width, pic.height))
        out.actions.append((f"内容为 {pic.format}，扩展名改为 {exts[0]}（内容不变）",
                            f"{pic.format} content: renamed to {exts[0]} (bytes unchanged)"))
        return out
    return None


def _turned(pic: Picture) -> Text:
    return (f"按 EXIF 方向标记（{pic.orientation}）转正", f"turned upright as its EXIF orientation ({pic.orientation}) says")


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


# --------------------------------------------------------------------------- the photo

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
            out.reasons.append((f"{why[0]}：按人脸裁剪需要人脸分析组件（pip install 'tjcheck[face]'）",
                                f"{why[1]}: cropping around the face needs the face analysis (pip install "
                                "'tjcheck[face]')"))
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
            from PIL import Image

            from ..imaging.framing import geometry

            again = recheck(Image.open(io.BytesIO(enc.data)).convert("RGB"))
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


# --------------------------------------------------------------------------- the profile

@dataclass
class Stats:
    format: str
    width: int
    height: int
    bytes: int

    def text(self) -> str:
        size = f" {self.width}×{self.height}" if self.width else ""
        return f"{self.format}{size} {self.bytes / 1024:.0f} KB"


@dataclass
class ImageFix:
    """One image of the profile (in one or more slots): before, what was done, after."""
    kind: str                       # "photo" or "attachment"
    source: str                     # the path as written in the profile
    source_path: Path
    slots: list[Text] = field(default_factory=list)
    status: str = UNCHANGED         # fixed | unchanged | refused
    actions: list[Text] = field(default_factory=list)
    reasons: list[Text] = field(default_factory=list)
    before: Stats | None = None
    after: Stats | None = None
    output: Path | None = None      # the copy, when written
    new_name: str = ""              # how the new profile names it
    remaining: list = field(default_factory=list)   # Findings the image rules still report


@dataclass
class FixResult:
    profile: Path
    out_dir: Path
    new_profile: Path | None        # None: nothing needed fixing, nothing was written
    items: list[ImageFix]
    remaining: list                 # every image finding (AT, PH, FA) of the new profile (or the original)
    notes: list[Text] = field(default_factory=list)
    lang: str = "zh"

    @property
    def written(self) -> list[Path]:
        return [i.output for i in self.items if i.output is not None]

    @property
    def clean(self) -> bool:
        """Nothing refused and no image error left."""
        from ..report import Severity

        return not any(i.status == REFUSED for i in self.items) and \
            not any(f.severity is Severity.ERROR for f in self.remaining)


def _files_field(field_info) -> bool:
    import typing

    return typing.get_origin(field_info.annotation) is list and typing.get_args(field_info.annotation) == (str,)


def _map_images(data, fn: Callable[[tuple, str], str], path: tuple = ()) -> None:
    """Replace, in place, every image path of the raw profile data by ``fn(path, name)``."""
    from ..profile import _model_at

    model = _model_at(path)
    if model is None or not isinstance(data, dict):
        return
    for key, value in list(data.items()):
        info = model.model_fields.get(key)
        if info is None or value is None:
            continue
        if _files_field(info):
            if isinstance(value, str):
                data[key] = fn(path + (key,), value) if value.strip() else value
            elif isinstance(value, list):
                data[key] = [fn(path + (key,), v) if isinstance(v, str) and v.strip() else v for v in value]
        elif isinstance(value, dict):
            _map_images(value, fn, path + (key,))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                _map_images(item, fn, path + (key, i))


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
        return True
    except ValueError:
        return False


def _check_out_dir(out: Path, input_folders: set[Path], profile_dir: Path) -> None:
    """The output-folder rule (module docstring); raises InputError before anything is written."""
    if out.exists() and not out.is_dir():
        raise InputError(out, "这是一个文件，不是文件夹：--out 需要一个文件夹。", "this is a file: --out needs a folder.")
    if out in input_folders:
        which = ("档案所在的文件夹", "the profile's own folder") if out == profile_dir else \
            ("档案引用的图片所在的文件夹", "a folder holding images the profile names")
        raise InputError(out, f"这是{which[0]}：tjcheck fix 从不写入输入文件夹，请指定另一个文件夹（如 fixed/）。",
                         f"this is {which[1]}: tjcheck fix never writes into an input folder; give another folder "
                         "(such as fixed/).")
    for folder in input_folders:
        if _inside(out, folder) and out.is_dir() and any(out.iterdir()):
            raise InputError(out, "这个文件夹在输入文件夹之内且不是空的：请指定一个新的或空的文件夹，以免与原图混在一起。",
                             "this folder is inside an input folder and is not empty: give a new or empty folder, so "
                             "that the copies never mix with the originals.")
    target = out / NEW_PROFILE
    if target.exists() or target.is_symlink():
        raise InputError(target, "文件已存在，不会覆盖：请指定另一个输出文件夹，或先移走它。",
                         "the file exists and will not be overwritten: give another output folder, or move it away.")


def _free_name(out: Path, stem: str, suffix: str, taken: set[str]) -> str:
    name, n = f"{stem}{suffix}", 1
    while name.lower() in taken or name == NEW_PROFILE or (out / name).exists() or (out / name).is_symlink():
        n += 1
        name = f"{stem}-{n}{suffix}"
    taken.add(name.lower())
    return name


def _relative(target: Path, start: Path) -> str:
    try:
        return Path(os.path.relpath(target, start)).as_posix()
    except ValueError:   # another drive (Windows): only an absolute path can point there
        return str(target)


def fix_profile(profile_path: Path, out_dir: Path, lang: str = "zh", *, ruleset: Path | None = None,
                recheck: bool = True) -> FixResult:
    """Fix what can be fixed mechanically in the profile's images; see the module docstring.

    Raises ``InputError`` (exit code 2) for a profile that cannot be read or an output
    folder that may not be used; a bad image is never an exception, it is an item with
    its reason."""
    from datetime import date

    from ..checks.base import Context
    from ..engine import load_ruleset, verify
    from ..imaging.reader import ImageReader
    from ..profile import _take_secrets, load_profile
    from ..questionnaire.writer import render
    from ..questionnaire.writer import write_new as write_profile
    from ..yamlload import load_yaml
    from .encode import write_new as write_image

    rs = load_ruleset(ruleset)
    keys = rs["identity"]["password_keys"]
    profile_path = Path(profile_path)
    loaded = load_profile(profile_path, keys)
    base = profile_path.resolve().parent
    out = Path(out_dir).expanduser().resolve()

    raw = load_yaml(profile_path).data
    referenced: list[tuple[tuple, str]] = []
    _map_images(raw, lambda p, n: referenced.append((p, n)) or n)
    folders = {base} | {(base / n).resolve().parent for _, n in referenced}
    _check_out_dir(out, folders, base)

    # the slots verify checks, each image once per kind (the same proof may serve three slots)
    ctx = Context(loaded, rs, date.today(), 0, date.today(), ImageReader(rs["attachments"]["max_pixels"]))
    items: dict[tuple[Path, str], ImageFix] = {}
    for slot in ctx.slots:
        for name in slot.files:
            key = ((base / name).resolve(), slot.kind)
            if key not in items:
                items[key] = ImageFix(slot.kind, name, key[0])
            if slot.label not in items[key].slots:
                items[key].slots.append(slot.label)

    outcomes: dict[tuple[Path, str], Outcome] = {}
    for key, item in items.items():
        pic = read_picture(base, item.source, rs["attachments"]["max_pixels"])
        if pic.data and pic.width:
            item.before = Stats(pic.format, pic.width, pic.height, pic.bytes)
        elif pic.data:
            item.before = Stats(pic.format, 0, 0, pic.bytes)
        try:
            if item.kind == "photo":
                analysis, again = None, None
                if pic.image is not None:
                    analysis, again = _analyse(pic.image, rs)
                outcome = fix_photo(pic, analysis, rs, recheck=again if recheck else None)
            else:
                outcome = fix_attachment(pic, rs)
        except Exception as exc:   # one odd image must not stop the others (TJCHECK_DEBUG shows it)
            if os.environ.get("TJCHECK_DEBUG"):
                raise
            what = f"{type(exc).__name__}: {str(exc)[:80]}"
            outcome = Outcome(reasons=[(f"处理时出错，未修改（{what}）", f"could not be processed, left alone ({what})")])
        outcomes[key] = outcome
        item.actions, item.reasons, item.status = outcome.actions, outcome.reasons, outcome.status
        del pic

    notes: list[Text] = []
    new_profile = None
    if any(o.data is not None for o in outcomes.values()):
        taken: set[str] = set()
        created = not out.exists()
        try:
            out.mkdir(parents=True, exist_ok=True)
            for key, outcome in outcomes.items():
                if outcome.data is None:
                    continue
                item = items[key]
                name = _free_name(out, Path(item.source).stem or "image", outcome.suffix, taken)
                write_image(out / name, outcome.data, force=False,
                            limits=rs["attachments"] if item.kind == "attachment" else None)
                item.output, item.new_name = out / name, name
                item.after = Stats(outcome.format, *outcome.size, len(outcome.data))

            def point(path: tuple, name: str) -> str:
                kind = "photo" if path == ("basic", "photo") else "attachment"
                item = items.get(((base / name).resolve(), kind))
                if item is not None and item.output is not None:
                    return item.new_name
                if Path(name).is_absolute():
                    return name
                return _relative((base / name).resolve(), out)

            secrets = _take_secrets(raw, {k.lower() for k in keys})
            if secrets:
                notes.append(("新档案中去掉了密码（档案里不应有密码）", "the password was left out of the new profile "
                              "(a profile should hold none)"))
            _map_images(raw, point)
            for item in items.values():
                if item.output is None:
                    item.new_name = _relative(item.source_path, out) if not Path(item.source).is_absolute() \
                        else item.source
            text = render(raw, NEW_PROFILE).replace(
                "由 tjcheck init 生成 / written by tjcheck init",
                f"由 tjcheck fix 生成，源自 {profile_path.name} / written by tjcheck fix from {profile_path.name}", 1)
            new_profile = out / NEW_PROFILE
            write_profile(new_profile, text, force=False)
        except BaseException as exc:   # leave no half result: remove what this run wrote
            for item in items.values():
                if item.output is not None:
                    item.output.unlink(missing_ok=True)
                    item.output = None
            if created and out.is_dir() and not any(out.iterdir()):
                out.rmdir()
            if isinstance(exc, OSError):
                raise InputError(out, f"无法写入：{exc.strerror or exc}", f"cannot write: {exc.strerror or exc}") \
                    from None
            raise
    else:
        for item in items.values():
            item.new_name = item.source

    checked = load_profile(new_profile, keys) if new_profile else loaded
    report = verify(checked, rs, select=list(IMAGE_CODES))
    remaining = report.findings
    by_name = {item.new_name: item for item in items.values()}
    for finding in remaining:
        item = by_name.get(finding.file) if finding.file else None
        if item is None and finding.path.startswith("basic.photo"):
            item = next((i for i in items.values() if i.kind == "photo"), None)
        if item is not None and finding not in item.remaining:
            item.remaining.append(finding)
    return FixResult(profile_path, out, new_profile, list(items.values()), remaining, notes, lang)


def _analyse(image, rs: dict):
    """The face analysis of the upright photo and a re-check function; (None, None) when
    the face analysis is not installed."""
    from ..imaging.face import FaceBackendMissing, analyser

    try:
        engine = analyser(rs["face"]["min_detection_score"])
        return engine.analyse(image.convert("RGB") if image.mode != "RGB" else image), engine.analyse
    except FaceBackendMissing:
        return None, None


# --------------------------------------------------------------------------- presentation

STATUS_WORDS = {FIXED: ("已生成副本", "copy written"), UNCHANGED: ("无需修改", "nothing to fix"),
                REFUSED: ("未修改", "left alone")}


def fix_table(result: FixResult, lang: str | None = None):
    """The before/after table (rich), one row per image."""
    from rich.table import Table
    from rich.text import Text as RichText

    lang = lang or result.lang
    zh = lang == "zh"
    table = Table(title="tjcheck fix", show_lines=True, title_justify="left")
    for head in (("上传位", "slot"), ("原文件", "source"), ("修改前", "before"), ("处理", "what was done"),
                 ("修改后", "after"), ("仍需处理", "still to do")):
        table.add_column(t(head, lang), overflow="fold")
    style = {FIXED: "green", UNCHANGED: "dim", REFUSED: "yellow"}
    for item in result.items:
        labels = list(dict.fromkeys(t(s, lang) for s in item.slots))
        slots = ("、" if zh else ", ").join(labels)
        done = [t(STATUS_WORDS[item.status], lang)] + ["• " + t(a, lang) for a in item.actions] + \
            ["✗ " + t(r, lang) for r in item.reasons]
        after = f"{item.new_name}\n{item.after.text()}" if item.after else "—"
        still = "\n".join(f"{f.code} {f.message[lang]}" for f in item.remaining) or "—"
        table.add_row(slots, item.source, item.before.text() if item.before else "—",
                      RichText("\n".join(done), style=style[item.status]), after, still)
    shown = {id(f) for item in result.items for f in item.remaining}
    for finding in result.remaining:   # about a slot rather than one file (several files in one slot)
        if id(finding) not in shown:
            table.add_row(finding.path, "—", "—", "—", "—", f"{finding.code} {finding.message[lang]}")
    return table


def summary_lines(result: FixResult, lang: str | None = None) -> list[str]:
    """What was written and what to run next, after the table."""
    lang = lang or result.lang
    zh = lang == "zh"
    lines = [t(n, lang) for n in result.notes]
    n = len(result.written)
    if result.new_profile:
        lines.append(f"已写入 {n} 个合规副本和新档案 {result.new_profile}；原文件未改动。" if zh else
                     f"wrote {n} compliant cop{'y' if n == 1 else 'ies'} and the new profile {result.new_profile}; "
                     "the originals are untouched.")
        lines.append(f"检查新档案：tjcheck verify {result.new_profile}" if zh else
                     f"check it: tjcheck verify {result.new_profile}")
    else:
        lines.append("没有可以自动修正的图片，未写入任何文件。" if zh else
                     "nothing could be fixed mechanically; no file was written.")
    shown = {id(f) for item in result.items for f in item.remaining}
    left = sum(1 for i in result.items if i.status == REFUSED or i.remaining) + \
        sum(1 for f in result.remaining if id(f) not in shown)
    if left:
        lines.append(f"仍有 {left} 处需要处理，见上表“仍需处理”。" if zh else
                     f"{left} row(s) still need attention: see 'still to do' above.")
    return lines
