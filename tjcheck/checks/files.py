"""Every uploaded image (steps 3, 5, 6, 7, 10): present, a real image, the right size, one per slot.

The ID photo shares the rules about existence and readability but has its own
format and size rules (photo.py). Rules cascade: a missing file gets only "not
found", a PDF only "convert it", so one mistake is reported once.
"""
from __future__ import annotations

from typing import Iterator

from ..imaging.reader import ImageInfo
from ..safeio import MISSING
from .base import ERROR, WARNING, Context, Slot, hit, rule

SLOT_STEPS = (3, 5, 6, 7, 10)
ATT_SOURCE = "操作指引（五）（七）：上传 jpg、png 图片文件，大于 20KB 且不超过 500KB；多张证明需合并到一张图片中"


def kilobytes(n: int) -> str:
    return f"{n / 1024:.1f} KB"


def each_file(ctx: Context, kind: str | None = None) -> Iterator[tuple[Slot, ImageInfo]]:
    for slot in ctx.slots:
        if kind is None or slot.kind == kind:
            for name in slot.files:
                yield slot, ctx.image(name)


def usable(ctx: Context, kind: str | None = None) -> Iterator[tuple[Slot, ImageInfo]]:
    """Files that exist and are images of a kind Pillow reads; later rules look only at these."""
    for slot, info in each_file(ctx, kind):
        if info.unreadable is None and info.format not in ("PDF", "ZIP", "OLE"):
            yield slot, info


def format_is(fmt: str) -> tuple[str, str]:
    """(zh, en): what a file is, by its bytes ("实际是 PNG 格式"), or that it is no image at all."""
    if fmt == "UNKNOWN":
        return "不是图片文件（内容不是任何图片格式）", "is not an image file (its contents are in no image format)"
    return f"实际是 {fmt} 格式", f"is really {fmt}"


def _at(slot: Slot, info: ImageInfo, **params):
    return hit(slot.path, step=slot.step, file=info.name, slot=slot.label, name=info.name, **params)


@rule("AT001", step=SLOT_STEPS, severity=ERROR, title=("图片文件存在", "Image files exist"),
      message=("{slot}：{what} {name}{why}", "{slot}: {what} {name}{why}"),
      fix=("检查路径（相对于档案文件所在文件夹）和文件名：它应是一个能打开的图片文件，不是文件夹或快捷方式。",
           "Check the path (relative to the profile's folder) and the file name: it should be an image file that "
           "opens, not a folder or a shortcut."), source="档案引用的文件必须存在", per_slot=True)
def file_exists(ctx: Context):
    """Every image path in the profile leads to a regular file that can be read, relative to
    the profile's folder; the message says why not (not found, no permission, a folder or
    another special file, a name too long or with a character not allowed, a symbolic-link
    loop, a file too large to be an image)."""
    for slot, info in each_file(ctx):
        if info.unreadable == MISSING:
            yield _at(slot, info, what=("找不到文件", "file"), why=("", " not found"))
        elif info.unreadable:
            yield _at(slot, info, what=("无法读取文件", "cannot read file"),
                      why=(f"（{info.unreadable[0]}）", f" ({info.unreadable[1]})"))


@rule("AT002", step=SLOT_STEPS, severity=ERROR, title=("不是 PDF 或文档", "Not a PDF or document"),
      message=("{slot}：{name} 是 {format} 文件，平台只收图片", "{slot}: {name} is a {format} file; the platform "
               "takes images only"),
      fix=("把每页导出为 jpg 图片；多页请合并为一张图片后上传（tjcheck merge）。", "Export the page(s) as jpg; merge "
           "several pages into one image before uploading (tjcheck merge)."),
      source=ATT_SOURCE, tag="likely", per_slot=True)
def not_pdf(ctx: Context):
    """No evidence that PDF (or Word/Excel) is accepted anywhere: each slot takes one
    jpg/png image."""
    names = {"PDF": "PDF", "ZIP": "Office/ZIP", "OLE": "Office"}
    for slot, info in each_file(ctx):
        if info.unreadable is None and info.format in names:
            yield _at(slot, info, format=names[info.format])


@rule("AT003", step=SLOT_STEPS, severity=ERROR, title=("jpg 或 png 格式", "jpg or png"),
      message=("{slot}：{name} {what}，只能上传 jpg 或 png", "{slot}: {name} {what}; only jpg or png are accepted"),
      fix=("另存为 jpg；手机照片（HEIC、AVIF）和 BMP、WebP、TIFF、GIF 可用 tjcheck fix 生成 jpg 副本。",
           "Save it as jpg; tjcheck fix writes a jpg copy of phone photos (HEIC, AVIF) and of BMP, WebP, TIFF or "
           "GIF files."),
      source=ATT_SOURCE, tag="likely", per_slot=True)
def attachment_format(ctx: Context):
    """The format is read from the file's first bytes, so a HEIC, WebP, BMP or GIF renamed
    to .jpg is still caught. Such images are still decoded and checked (AT004–AT008)."""
    allowed = ctx.rs["attachments"]["formats"]
    for slot, info in usable(ctx, "attachment"):
        if info.format not in allowed and info.bytes:  # an empty file is AT004's
            yield _at(slot, info, what=format_is(info.format))


@rule("AT004", step=SLOT_STEPS, severity=ERROR, title=("图片完整可读", "Image readable and complete"),
      message=("{slot}：{name} 无法完整读取（{error}）", "{slot}: {name} cannot be read completely ({error})"),
      fix=("文件已损坏或未传完整：从原始来源重新导出或重新拍摄。", "The file is damaged or incomplete: export or take it "
           "again from the original."), source="平台无法显示损坏的图片，审核时会被退回", per_slot=True)
def readable(ctx: Context):
    """The whole image is decoded once; a truncated download or a damaged file shows up
    here rather than as a grey half-image on the reviewer's screen."""
    for slot, info in usable(ctx):
        if info.error and not info.too_many_pixels:
            yield _at(slot, info, error=info.error[:80])


@rule("AT005", step=SLOT_STEPS, severity=ERROR, title=("大于 20KB", "Larger than 20 KB"),
      message=("{slot}：{name} 只有 {size}，须大于 20KB", "{slot}: {name} is only {size}; it must exceed 20 KB"),
      fix=("用更高清晰度重新扫描或拍摄（或提高 jpg 质量）。", "Scan or photograph it at a higher resolution (or a "
           "higher jpg quality)."), source=ATT_SOURCE, tag="likely", per_slot=True)
def attachment_min_size(ctx: Context):
    """Attachments must be larger than 20 KB: smaller files are usually unreadable scans."""
    limit = ctx.rs["attachments"]["min_bytes_exclusive"]
    for slot, info in usable(ctx, "attachment"):
        if info.bytes <= limit:
            yield _at(slot, info, size=kilobytes(info.bytes))


@rule("AT006", step=SLOT_STEPS, severity=ERROR, title=("不超过 500KB", "At most 500 KB"),
      message=("{slot}：{name} 有 {size}，不能超过 500KB", "{slot}: {name} is {size}; the limit is 500 KB"),
      fix=("缩小尺寸或降低 jpg 质量后另存（tjcheck fix 可生成合规副本）。", "Resize it or lower the jpg quality "
           "(tjcheck fix makes a compliant copy)."), source=ATT_SOURCE, tag="likely", per_slot=True)
def attachment_max_size(ctx: Context):
    """Attachments may be at most 500 KB; the platform refuses larger uploads."""
    limit = ctx.rs["attachments"]["max_bytes"]
    for slot, info in usable(ctx, "attachment"):
        if info.bytes > limit:
            yield _at(slot, info, size=kilobytes(info.bytes))


@rule("AT007", step=SLOT_STEPS, severity=ERROR, title=("每个上传位一张图片", "One image per slot"),
      message=("{slot}：{problem}，但一个上传位只能放一张图片", "{slot}: {problem}, but each slot takes one image"),
      fix=("把多页或多张证明合并为一张图片（tjcheck merge）。", "Merge the pages or proofs into one image "
           "(tjcheck merge)."), source=ATT_SOURCE, per_slot=True)
def one_image_per_slot(ctx: Context):
    """Several proofs must be merged into ONE image: a slot listing several files, or a
    multi-page TIFF or animated image, cannot be uploaded as it is."""
    for slot in ctx.slots:
        if len(slot.files) > 1:
            yield hit(slot.path, step=slot.step, slot=slot.label,
                      problem=(f"列出了 {len(slot.files)} 个文件", f"{len(slot.files)} files are listed"))
    for slot, info in usable(ctx):
        if info.frames > 1:
            yield _at(slot, info, problem=(f"{info.name} 含 {info.frames} 页", f"{info.name} has {info.frames} pages"))


@rule("AT008", step=SLOT_STEPS, severity=ERROR, title=("像素数合理", "Sane pixel count"),
      message=("{slot}：{name} 有 {width}×{height} 像素，远超正常图片，未打开", "{slot}: {name} has {width}×{height} "
               "pixels, far beyond a normal image; it was not opened"),
      fix=("缩小到正常尺寸（如长边 2000 像素）后另存（tjcheck fix 可生成缩小的副本）。", "Resize it to a normal size (say "
           "2000 px on the long side); tjcheck fix writes a smaller copy."),
      source="防解压炸弹：像素上限见规则集 attachments.max_pixels", per_slot=True)
def pixel_bomb(ctx: Context):
    """An image whose header claims an enormous pixel count is not decoded at all (it would
    exhaust memory); no real scan needs more than the ruleset's limit."""
    for slot, info in usable(ctx):
        if info.too_many_pixels:
            yield _at(slot, info, width=info.width, height=info.height)


@rule("AT009", step=SLOT_STEPS, severity=WARNING, title=("扩展名与内容一致", "Extension matches content"),
      message=("{slot}：{name} 的内容是 {format}，扩展名却是 “{suffix}”", "{slot}: {name} holds {format} data but is "
               "named '{suffix}'"),
      fix=("另存为正确格式，或把扩展名改为 {expected}（tjcheck fix 可生成扩展名正确的副本）。", "Re-save it, or rename it "
           "to {expected} (tjcheck fix writes a correctly named copy)."),
      source="上传控件按扩展名过滤文件", tag="likely", per_slot=True)
def extension_matches(ctx: Context):
    """The upload dialog filters by extension and the server may check the content: a
    JPEG named .png (or the reverse) can fail either way."""
    exts = ctx.rs["attachments"]["extensions"]
    for slot, info in usable(ctx):
        if slot.kind == "photo" and info.format != "JPEG":
            continue  # PH001 already says the photo must be a JPEG
        if info.format in exts and info.suffix not in exts[info.format]:
            yield _at(slot, info, format=info.format, suffix=info.suffix or "（无）",
                      expected=" / ".join(exts[info.format]))
