"""Step 5: the ID photo's file rules (format, size, pixels, shape, enlargement).

Appearance (glasses, hat, fringe, pose, blur, background) is a separate family.
"""
from __future__ import annotations

from .base import ERROR, WARNING, Context, hit, rule
from .files import format_is, kilobytes, usable

PHOTO_SOURCE = "操作指引（五）：照片要求 jpg 格式，不小于 10KB，像素>=295*413px"


def _photos(ctx: Context):
    return usable(ctx, "photo")


def _ph(slot, info, **params):
    return hit(slot.path, step=5, file=info.name, name=info.name, **params)


@rule("PH001", step=5, severity=ERROR, title=("照片为 jpg 格式", "Photo is a JPEG"),
      message=("照片 {name} {what}，只收 jpg", "photo {name} {what}; only JPEG is accepted"),
      fix=("另存为 jpg（改扩展名没有用）；tjcheck fix 可生成 jpg 副本。", "Save it as JPEG (renaming does not help); "
           "tjcheck fix writes a JPEG copy."),
      source=PHOTO_SOURCE)
def photo_jpeg(ctx: Context):
    """JPG only, judged by the bytes (a JPEG starts FF D8 FF), not by the file name."""
    for slot, info in _photos(ctx):
        if info.format not in ctx.rs["photo"]["formats"] and info.bytes:  # an empty file is AT004's
            yield _ph(slot, info, what=format_is(info.format))


@rule("PH002", step=5, severity=ERROR, title=("照片不小于 10KB", "Photo at least 10 KB"),
      message=("照片只有 {size}，不能小于 10KB", "the photo is only {size}; the minimum is 10 KB"),
      fix=("用更高质量重新导出照片（不要反复压缩）。", "Export the photo again at a higher quality (do not "
           "recompress it repeatedly)."), source=PHOTO_SOURCE)
def photo_min_bytes(ctx: Context):
    """The file must be at least 10 KB."""
    for slot, info in _photos(ctx):
        if 0 < info.bytes < ctx.rs["photo"]["min_bytes"]:  # an empty file is AT004's
            yield _ph(slot, info, size=kilobytes(info.bytes))


@rule("PH003", step=5, severity=ERROR, title=("照片至少 295×413 像素", "Photo at least 295×413 px"),
      message=("照片为 {width}×{height} 像素，至少需要 {min_w}×{min_h}", "the photo is {width}×{height} px; at least "
               "{min_w}×{min_h} is needed"),
      fix=("使用原始的高分辨率照片（不要把小照片放大）。", "Use the original high-resolution photo (do not enlarge a "
           "small one)."), source=PHOTO_SOURCE)
def photo_min_pixels(ctx: Context):
    """At least 295 pixels wide and 413 high (one inch at 300 dpi)."""
    r = ctx.rs["photo"]
    for slot, info in _photos(ctx):
        if info.width and (info.width < r["min_width"] or info.height < r["min_height"]):
            yield _ph(slot, info, width=info.width, height=info.height, min_w=r["min_width"], min_h=r["min_height"])


@rule("PH004", step=5, severity=WARNING, title=("照片宽高比 5:7", "Photo aspect 5:7"),
      message=("照片宽高比为 {ratio:.3f}（{width}×{height}），一寸照应接近 5:7（0.714）", "the photo's aspect is "
               "{ratio:.3f} ({width}×{height}); a one-inch photo is close to 5:7 (0.714)"),
      fix=("按 5:7 裁剪（如 413×579 或 295×413），头部居中；照片四周有余量时 tjcheck fix 可代为裁剪。", "Crop to 5:7 (for "
           "example 413×579 or 295×413), head centred; with room around the head, tjcheck fix crops a copy."),
      source="domain.md 一寸照 25×35mm [likely]", tag="likely")
def photo_aspect(ctx: Context):
    """A one-inch photo is 25×35 mm, width/height 0.714; the platform shows it in a box of
    that shape, so another shape is squeezed or cropped."""
    r = ctx.rs["photo"]
    for slot, info in _photos(ctx):
        if info.width and info.height:
            ratio = info.width / info.height
            if abs(ratio - r["aspect"]) > r["aspect_tolerance"]:
                yield _ph(slot, info, ratio=ratio, width=info.width, height=info.height)


@rule("PH005", step=5, severity=WARNING, title=("照片文件不过大", "Photo not oversized"),
      message=("照片有 {size}：没有公布上限，但超过 500KB 的照片可能上传失败", "the photo is {size}: no maximum is "
               "published, but photos over 500 KB may fail to upload"),
      fix=("缩小到如 413×579 像素后另存（tjcheck fix）。", "Resize it, for example to 413×579 px (tjcheck fix)."),
      source="domain.md 照片最大尺寸 [open]", tag="open")
def photo_max_bytes(ctx: Context):
    """[open] No official maximum; above 500 KB is a warning only."""
    for slot, info in _photos(ctx):
        if info.bytes > ctx.rs["photo"]["warn_above_bytes"]:
            yield _ph(slot, info, size=kilobytes(info.bytes))


@rule("PH006", step=5, severity=WARNING, title=("照片不是放大的小图", "Photo not enlarged"),
      message=("照片细节很少，像是由小图放大而来（细节分数 {score:.2f}，阈值 {limit:.2f}）", "the photo has little fine "
               "detail and looks enlarged from a smaller one (detail score {score:.2f}, limit {limit:.2f})"),
      fix=("使用相机或照相馆提供的原始照片，不要把小照片放大到 295×413。", "Use the original photo from the camera or "
           "studio; do not enlarge a small photo to 295×413."),
      source="domain.md：不要把小照片放大以达到像素要求（放大的照片细节少，可以检出）[likely]", tag="likely")
def photo_not_upscaled(ctx: Context):
    """An enlarged photo has almost no detail finer than its original pixel grid: shrinking
    it and enlarging it again barely changes it. See tjcheck/imaging/upscale.py for the
    measure and bench/upscale_study.py for how the threshold was chosen."""
    from ..imaging.upscale import upscale_score

    limit = ctx.rs["photo"]["upscale_threshold"]
    for slot, info in _photos(ctx):
        if info.image is not None and info.format == "JPEG":
            score = upscale_score(info.image)
            if score > limit:
                yield _ph(slot, info, score=score, limit=limit)
