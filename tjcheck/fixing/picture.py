"""Reading one image for ``tjcheck fix``, and the per-image helpers shared by the
attachment fix (attachment.py) and the photo fix (photo.py).

``read_picture`` reads an image once and never raises: a file that cannot be used at all
is never fixed but listed with the reason in ``Picture.error`` (a missing file, a folder,
PDF/Office, unknown or damaged files, several pages, one too large to open safely).
``Outcome`` is what a per-image fix decided: the copy's bytes, or nothing, and why.
"""
from __future__ import annotations

import io
import math
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

Text = tuple[str, str]   # (zh, en)

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


def read_picture(base: Path, name: str, limits: dict) -> Picture:
    """Read ``name`` (relative to ``base``) once; never raises for a bad file. ``limits`` is
    the ruleset's ``attachments`` section (max_pixels, max_file_bytes)."""
    from PIL import ImageOps

    from ..imaging.opener import TooManyPixels, open_image
    from ..imaging.reader import sniff
    from ..safeio import Unreadable, read_file

    path = Path(base) / name   # an absolute name stays as it is
    pic = Picture(name, path)
    try:
        pic.data = read_file(path, int(limits["max_file_bytes"]))
    except Unreadable as exc:
        pic.error = (f"无法读取：{exc.reason[0]}", f"cannot be read: {exc.reason[1]}")
        return pic
    if not pic.data:
        pic.error = ("文件为空", "the file is empty")
        return pic
    pic.format = sniff(pic.data[:64])
    if pic.format in ("PDF", "ZIP", "OLE"):
        kind = "PDF" if pic.format == "PDF" else "Office"
        pic.error = (f"是 {kind} 文件，不是图片：请把页面导出为 jpg（多页用 tjcheck merge 合并）",
                     f"it is a {kind} file, not an image: export the page(s) as jpg (merge several with tjcheck merge)")
        return pic
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            opened = open_image(pic.data, int(limits["max_pixels"]), reduce_jpeg=True)
            im = opened.image
            pic.width, pic.height, pic.frames = opened.width, opened.height, opened.frames
            if pic.frames > 1:
                pic.error = (f"含 {pic.frames} 页/帧：一个上传位只能放一张图片（tjcheck merge 合并）",
                             f"it has {pic.frames} pages/frames: a slot takes one image (tjcheck merge)")
                return pic
            im.load()
            if pic.format == "JPEG" and not pic.data.rstrip(b"\x00").endswith(b"\xff\xd9"):
                raise OSError("JPEG end marker missing: the file is truncated")
            try:
                pic.orientation = int(im.getexif().get(0x0112, 1) or 1)
            except Exception:   # a damaged EXIF block: treat as upright
                pic.orientation = 1
            pic.image = ImageOps.exif_transpose(im) if pic.orientation in range(2, 9) else im
    except TooManyPixels as exc:
        pic.width, pic.height = exc.width, exc.height
        pic.error = (f"{exc.width}×{exc.height} 像素，过大，不会打开：请先在电脑上缩小",
                     f"{exc.width}×{exc.height} px is too large to open safely: shrink it first")
    except Exception as exc:   # Pillow raises many kinds for hostile or unknown files
        reason = str(exc) or type(exc).__name__
        if pic.format in ("MP4/HEIF", "UNKNOWN"):
            pic.error = (f"无法读取的格式（{pic.format}）：请在相册或图片工具中导出为 jpg",
                         f"a format that cannot be read ({pic.format}): export it as jpg")
        else:
            pic.error = (f"{pic.format} 文件已损坏或不完整（{reason[:60]}）：请重新导出",
                         f"the {pic.format} file is damaged or incomplete ({reason[:60]}): export it again")
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
