"""tjcheck merge: several pages (images and PDF pages) as ONE uploadable JPEG.

Each upload slot takes one jpg/png image, more than 20 KB and at most 500 KB (ruleset
``attachments``); a multi-page work proof or the 学信网 学籍在线验证报告 (a PDF) must be
merged first. ``merge_pages`` reads the pages in the order given (a PDF or a multi-page
TIFF contributes all its pages), scales them to one common width, stacks them (or places
them in two columns with ``grid``) with a white margin and a thin grey line between
pages, and encodes the result with the clearest width and quality that fit (encode.py).
Nothing is written when the pages cannot fit legibly.

**Legibility rule.** Every page must keep at least ``MIN_SHORT_SIDE`` = 1000 px on its
short side (for a portrait page, its width). The reasoning: the short side of A4 is 210 mm
= 595 pt, so 1000 px is 1.68 px per point (≈ 121 dpi). The smallest print to expect on
these documents is about 7.5 pt (小六: footnotes, the 学信网 report's verification code
and small print): that becomes 12.6 px, just over 12 px, the smallest text size Chinese
browsers render at all; body text at 10.5 pt (五号) becomes a 17–18 px em, Latin x-height
≈ 8–9 px. JPEG quality never goes below 55 (``encode.FLOOR_QUALITIES``); lower, ringing
and blocks eat into strokes of that size. A photographed or scanned page that is smaller
than the rule to begin with keeps its own size as its floor (enlarging adds no detail),
and the result says so.

The search starts at the width giving the largest page about 200 dpi on A4 (short side
``TOP_SHORT_SIDE`` = 1654 px) — or at the widest image's own width if smaller, since
enlarging adds nothing — and ends at the legibility floor, about 10 % per step.

**Inputs are untrusted.** The format comes from the first bytes (reader.sniff), never from
the name; an image whose header claims more pixels than ``attachments.max_pixels`` (the
limit the reader uses for AT008) is refused before decoding; JPEGs are decoded at a reduced
scale when they are far larger than needed (``draft``); photos are turned upright by their
EXIF orientation; transparency becomes white. EXIF (GPS included) is not copied to the
output. Input files are only read, never changed.

**Output.** Written once, atomically, after it has been read back by the project's reader
and found to pass AT003–AT008; an existing file is kept unless ``force``; the output can
never be one of the inputs.
"""
from __future__ import annotations

import io
import math
import warnings
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..safeio import resolved
from . import encode

MIN_SHORT_SIDE = 1000       # px: the legibility floor of every page (see the module's docstring)
TOP_SHORT_SIDE = 1654       # px: where the search starts; A4 at 200 dpi
GRID_COLUMNS = 2
MAX_SIDE = 65000            # JPEG cannot exceed 65535 px on a side
LINE_GREY = (190, 190, 190)
RASTER = ("JPEG", "PNG", "GIF", "BMP", "TIFF", "WEBP", "HEIC", "AVIF")
A4_SHORT_INCHES = 210 / 25.4


class MergeRefused(InputError):
    """The pages cannot fit legibly; nothing was written."""


@dataclass
class Page:
    """One page to merge. ``size`` is upright (after EXIF orientation): pixels for images,
    points for PDF pages (``vector``: they render at any resolution)."""
    source: Path
    number: int                     # 1-based, within its file
    of: int                         # pages in that file
    size: tuple[int, int] | tuple[float, float]
    vector: bool = False
    render: Callable[[int], object] | None = field(default=None, repr=False)   # width -> RGB image

    @property
    def label(self) -> str:
        return f"{self.source.name}" + (f" p.{self.number}" if self.of > 1 else "")

    @property
    def aspect(self) -> float:
        """width / short side (1 for portrait pages, > 1 for landscape ones)."""
        w, h = self.size
        return w / min(w, h)

    @property
    def own_short_side(self) -> float:
        return math.inf if self.vector else min(self.size)


@dataclass
class MergeResult:
    out: Path
    pages: int
    width: int                      # of the whole image, px
    height: int
    bytes: int
    quality: int                    # JPEG quality used
    page_width: int                 # every page's width in the image, px
    floor_width: int                # the smallest page width the legibility rule allows
    min_short_side: int             # the smallest short side of a page in the image, px
    padded: int = 0                 # bytes of JPEG comment added to pass the lower limit
    notes: list[tuple[str, str]] = field(default_factory=list)   # (zh, en) things to know

    @property
    def kb(self) -> float:
        return self.bytes / 1024

    @property
    def scale(self) -> float:
        """The page width relative to the legibility floor (1.00 = at the floor)."""
        return self.page_width / self.floor_width

    @property
    def a4_dpi(self) -> int:
        """The resolution of the smallest page if it were A4 paper."""
        return round(self.min_short_side / A4_SHORT_INCHES)

    def lines(self, lang: str) -> list[str]:
        zh = lang == "zh"
        head = (f"已写入 {self.out}：{self.pages} 页，{self.width}×{self.height} 像素，{self.kb:.1f} KB，"
                f"jpg 质量 {self.quality}" if zh else
                f"wrote {self.out}: {self.pages} page{'s' if self.pages > 1 else ''}, {self.width}×{self.height} px, "
                f"{self.kb:.1f} KB, jpg quality {self.quality}")
        detail = (f"  每页宽 {self.page_width} 像素，为清晰下限 {self.floor_width} 像素的 {self.scale:.2f} 倍；"
                  f"页面短边至少 {self.min_short_side} 像素（A4 约 {self.a4_dpi} dpi）" if zh else
                  f"  each page {self.page_width} px wide, {self.scale:.2f}× the legibility floor of "
                  f"{self.floor_width} px; short sides at least {self.min_short_side} px (about {self.a4_dpi} dpi "
                  f"for A4)")
        return [head, detail] + ["  " + (z if zh else e) for z, e in self.notes]


# --- pure helpers --------------------------------------------------------------------------

def floor_width(pages: Sequence[Page]) -> int:
    """The smallest common page width at which every page keeps ``MIN_SHORT_SIDE`` px on its
    short side — or its own short side, for an image already smaller than that."""
    return max(math.ceil(min(MIN_SHORT_SIDE, p.own_short_side) * p.aspect) for p in pages)


def top_width(pages: Sequence[Page], floor: int) -> int:
    """Where the search starts: ``TOP_SHORT_SIDE`` on the short side of the most landscape
    page, but no wider than the widest image (when there is no PDF page)."""
    top = math.ceil(TOP_SHORT_SIDE * max(p.aspect for p in pages))
    if not any(p.vector for p in pages):
        top = min(top, max(int(p.size[0]) for p in pages))
    return max(top, floor)


def gap_for(page_width: int) -> int:
    """The white margin between pages: 2 % of the page width, at least 12 px."""
    return max(12, round(page_width / 50))


def page_height(page: Page, width: int) -> int:
    w, h = page.size
    return max(1, round(h * width / w))


def layout(heights: Sequence[int], page_width: int, grid: bool) -> tuple[tuple[int, int], list[tuple[int, int]]]:
    """The canvas size and each page's top-left corner, for pages ``page_width`` wide with
    the given heights: one column, or ``GRID_COLUMNS`` filled row by row (1 2 / 3 4)."""
    gap = gap_for(page_width)
    columns = GRID_COLUMNS if grid and len(heights) > 1 else 1
    corners, y = [], 0
    for row in range(0, len(heights), columns):
        cells = heights[row:row + columns]
        corners += [(c * (page_width + gap), y) for c in range(len(cells))]
        y += max(cells) + gap
    width = columns * page_width + (columns - 1) * gap
    return (width, y - gap), corners


def canvas_size(pages: Sequence[Page], width: int, grid: bool) -> tuple[int, int]:
    return layout([page_height(p, width) for p in pages], width, grid)[0]


def compose(images: Sequence, page_width: int, grid: bool):
    """Pages scaled to ``page_width`` on one white canvas, a thin grey line in each margin."""
    from PIL import Image, ImageDraw

    scaled = []
    for im in images:
        h = max(1, round(im.height * page_width / im.width))
        scaled.append(im if im.size == (page_width, h) else im.resize((page_width, h), Image.LANCZOS))
    (cw, ch), corners = layout([im.height for im in scaled], page_width, grid)
    canvas = Image.new("RGB", (cw, ch), "white")
    for im, corner in zip(scaled, corners):
        canvas.paste(im, corner)
    draw = ImageDraw.Draw(canvas)
    gap, line = gap_for(page_width), max(1, round(page_width / 800))
    for y in sorted({y for _, y in corners})[1:]:
        mid = y - gap // 2
        draw.rectangle((0, mid - line // 2, cw - 1, mid - line // 2 + line - 1), fill=LINE_GREY)
    if len({x for x, _ in corners}) > 1:
        mid = page_width + gap // 2
        draw.rectangle((mid - line // 2, 0, mid - line // 2 + line - 1, ch - 1), fill=LINE_GREY)
    return canvas


# --- reading the inputs --------------------------------------------------------------------

def _to_rgb(im):
    from PIL import Image

    if im.mode == "RGB":
        return im
    if im.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (im.mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        white = Image.new("RGB", im.size, "white")
        white.paste(rgba, mask=rgba.getchannel("A"))
        return white
    if im.mode.startswith("I"):
        im = im.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    return im.convert("RGB")


def _unusable(path: Path, fmt: str) -> InputError:
    what = {
        "ZIP": ("是 Word/Excel 等文档（ZIP 格式），不是图片或 PDF：请先导出为 PDF。",
                "is a Word/Excel-type document (ZIP), not an image or a PDF: export it as PDF first."),
        "OLE": ("是旧版 Word/Excel 文档，不是图片或 PDF：请先导出为 PDF。",
                "is an old Word/Excel document, not an image or a PDF: export it as PDF first."),
        "MP4/HEIF": ("是视频或无法识别的 HEIF 文件，不是照片：请在手机相册中导出为 jpg。",
                     "is a video or an unrecognised HEIF file, not a photo: export it as jpg from the phone's photo app."),
    }.get(fmt, ("不是可识别的图片（jpg、png 等）或 PDF。", "is not a recognised image (jpg, png …) or PDF."))
    return InputError(path, *what)


def jpeg_complete(data: bytes) -> bool:
    """Whether the JPEG reaches its own end marker (EOI). Bytes after it are allowed: many
    phones append a trailer (Samsung's, a motion photo's video), so "the file ends in FF D9"
    is too strict. Walks the segments, and the entropy-coded data, where FF is always
    followed by 00, a restart marker or more FF (so a marker cannot hide inside it)."""
    i, n = 2, len(data)
    while i + 1 < n:
        if data[i] != 0xFF:
            return False
        marker = data[i + 1]
        if marker == 0xD9:
            return True
        if marker == 0xFF:                              # fill byte
            i += 1
            continue
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:    # no length
            i += 2
            continue
        if i + 4 > n:
            return False
        i += 2 + int.from_bytes(data[i + 2:i + 4], "big")
        if marker == 0xDA:                              # start of scan: entropy-coded data follows
            while True:
                j = data.find(b"\xff", i)
                if j < 0 or j + 1 >= n:
                    return False
                nxt = data[j + 1]
                if nxt == 0x00 or 0xD0 <= nxt <= 0xD7:
                    i = j + 2
                elif nxt == 0xFF:
                    i = j + 1
                else:
                    i = j
                    break
    return False


def _open_raster(path: Path, data: bytes, fmt: str, max_pixels: int) -> list[Page]:
    from ..imaging.opener import TooManyPixels, open_image

    if fmt == "JPEG" and not jpeg_complete(data):
        raise InputError(path, "无法完整读取：JPEG 缺少结束标记，文件不完整。",
                         "cannot be read completely: the JPEG end marker is missing (the file is truncated).")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            opened = open_image(data, max_pixels)   # every page's size checked from its header
            im = opened.image
            frames = opened.frames if opened.format == "TIFF" else 1
            pages = []
            for i in range(frames):
                im.seek(i)
                w, h = im.size
                if w < 1 or h < 1:
                    raise InputError(path, "图片尺寸为 0。", "the image has no pixels.")
                if im.getexif().get(0x0112, 1) in (5, 6, 7, 8):
                    w, h = h, w
                pages.append(Page(path, i + 1, frames, (w, h),
                                  render=_raster_renderer(path, data, i, (w, h), max_pixels)))
    except TooManyPixels as exc:
        raise InputError(path, f"有 {exc.width}×{exc.height} 像素，远超正常图片（上限 {max_pixels} 像素），未打开：请缩小后再合并。",
                         f"has {exc.width}×{exc.height} pixels, far beyond a normal image (limit {max_pixels}); it "
                         "was not opened: resize it first.") from None
    except InputError:
        raise
    except Exception as exc:   # noqa: BLE001  (Pillow raises many kinds for hostile files)
        raise InputError(path, f"无法读取 {fmt} 图片：{exc}", f"cannot read the {fmt} image: {exc}") from None
    return pages


def _raster_renderer(path: Path, data: bytes, frame: int, size: tuple[int, int], max_pixels: int):
    def render(width: int):
        from PIL import Image, ImageOps

        from ..imaging.opener import open_image

        width = min(width, size[0])   # never enlarged here: compose() scales to the common width
        height = max(1, round(size[1] * width / size[0]))
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                im = open_image(data, max_pixels).image
                im.seek(frame)
                orientation = im.getexif().get(0x0112, 1)
                if im.format == "JPEG":   # decode at 1/2, 1/4 or 1/8 when that is still large enough
                    im.draft(im.mode, (height, width) if orientation in (5, 6, 7, 8) else (width, height))
                im.load()   # decodes everything: raises on truncated or corrupt data
                im = _to_rgb(ImageOps.exif_transpose(im))
        except Exception as exc:   # noqa: BLE001  (as above)
            raise InputError(path, f"无法完整读取（{exc}）：请从原始来源重新导出或重新拍摄。",
                             f"cannot be read completely ({exc}): export or take it again.") from None
        return im if im.size == (width, height) else im.resize((width, height), Image.LANCZOS)
    return render


def _open_pdf(path: Path, data: bytes, stack: ExitStack) -> list[Page]:
    try:
        import pypdfium2 as pdfium
    except ImportError:
        raise InputError(path, "读取 PDF 需要 pypdfium2：pip install pypdfium2",
                         "reading a PDF needs pypdfium2: pip install pypdfium2") from None
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise InputError(path, "PDF 有密码保护：请在阅读器中去掉密码，或另存（打印）为新的 PDF。",
                             "the PDF is password-protected: remove the password, or print it to a new PDF.") from None
        raise InputError(path, f"PDF 已损坏，无法打开（{exc}）。", f"the PDF is damaged and cannot be opened ({exc}).") \
            from None
    stack.callback(doc.close)
    count = len(doc)
    if count == 0:
        raise InputError(path, "PDF 中没有页面。", "the PDF has no pages.")
    try:
        doc.init_forms()   # filled-in form fields are part of what the reviewer must see
    except Exception:   # noqa: BLE001, S110  (forms are optional)
        pass
    pages = []
    for i in range(count):
        try:
            page = doc[i]
            w, h = page.get_size()   # points, the page's /Rotate applied
            page.close()
        except Exception as exc:   # noqa: BLE001
            raise InputError(path, f"第 {i + 1} 页无法读取（{exc}）。", f"page {i + 1} cannot be read ({exc}).") from None
        if not (w >= 1 and h >= 1):
            raise InputError(path, f"第 {i + 1} 页尺寸无效。", f"page {i + 1} has no size.")
        pages.append(Page(path, i + 1, count, (w, h), vector=True, render=_pdf_renderer(path, doc, i, w)))
    return pages


def _pdf_renderer(path: Path, doc, index: int, width_pt: float):
    def render(width: int):
        try:
            page = doc[index]
            try:
                bitmap = page.render(scale=width / width_pt, fill_color=(255, 255, 255, 255),
                                     may_draw_forms=True, draw_annots=True)
                return _to_rgb(bitmap.to_pil())
            finally:
                page.close()
        except Exception as exc:   # noqa: BLE001  (pdfium's errors for a damaged page)
            raise InputError(path, f"第 {index + 1} 页无法渲染（{exc}）。",
                             f"page {index + 1} cannot be rendered ({exc}).") from None
    return render


def open_pages(inputs: Sequence[Path], max_pixels: int, stack: ExitStack, max_bytes: int) -> list[Page]:
    """Every page of every input, in order; reads headers only (pages render later).
    An input that cannot be used is an ``InputError`` naming it."""
    from ..imaging.reader import sniff
    from ..safeio import Unreadable, read_file

    pages: list[Page] = []
    for path in map(Path, inputs):
        try:
            data = read_file(path, max_bytes)
        except Unreadable as exc:
            raise InputError(path, f"无法读取：{exc.reason[0]}。", f"cannot read it: {exc.reason[1]}.") from None
        if not data:
            raise InputError(path, "文件为空（0 字节）。", "the file is empty (0 bytes).")
        fmt = sniff(data[:64])
        if fmt == "PDF":
            pages += _open_pdf(path, data, stack)
        elif fmt in RASTER:
            pages += _open_raster(path, data, fmt, max_pixels)
        else:
            raise _unusable(path, fmt)
    return pages


# --- the merge ------------------------------------------------------------------------------

def _fits_canvas(pages: Sequence[Page], width: int, grid: bool, max_pixels: int) -> bool:
    w, h = canvas_size(pages, width, grid)
    return w * h <= max_pixels and max(w, h) <= MAX_SIDE


NOISY = ("这一页本身就放不下：图像噪点太多（如光线暗的手机照片），请在明亮处重拍或用扫描仪扫描。",
         "even one page does not fit: the image is very noisy (a phone photo in poor light?); take it again in good "
         "light, or scan it.")
ODD_SHAPE = ("这一页本身就放不下：页面形状异常（过长或过宽），请裁切或分开保存。",
             "even one page does not fit: the page is extremely long or wide; crop it or split it.")


def _refuse(n: int, floor: int, fitting: int, why_zh: str, why_en: str,
            single: tuple[str, str]) -> MergeRefused:
    if fitting >= 1:
        advice = (f"最多约 {fitting} 页能清晰地放进一张图片：只合并审核需要的页面（如首页和盖章页），或减少页数。",
                  f"about {fitting} page{'s' if fitting > 1 else ''} at most fit legibly in one image: merge only "
                  "the pages the reviewer needs (say, the first page and the stamped page).")
    else:
        advice = single
    return MergeRefused(None, f"共 {n} 页，即使每页只保留清晰下限（每页宽 {floor} 像素），{why_zh}；未写入文件。" + advice[0],
                        f"{n} page{'s' if n > 1 else ''}: even at the legibility floor ({floor} px per page) {why_en}; "
                        "nothing was written. " + advice[1])


def merge_pages(inputs: list[Path], out: Path, grid: bool, force: bool, limits: dict) -> MergeResult:
    """Merge the pages of ``inputs`` (images and PDFs, in order) into the JPEG ``out``,
    within ``limits`` (the ruleset's ``attachments``). Raises ``InputError`` for an input
    or output that cannot be used, ``MergeRefused`` (an InputError) when the pages cannot
    fit legibly; in both cases nothing is written."""
    out = Path(out)
    inputs = [Path(p) for p in inputs]
    if not inputs:
        raise InputError(None, "没有给出要合并的文件。", "no files to merge.")
    if out.suffix.lower() not in (".jpg", ".jpeg"):
        raise InputError(out, "输出文件须以 .jpg 结尾（合并结果是 jpg 图片）。",
                         "the output must end in .jpg (the merged image is a jpg).")
    if out.is_dir():
        raise InputError(out, "这是一个文件夹，请给出输出文件名，如 合并.jpg。",
                         "this is a folder: give an output file name such as merged.jpg.")
    for path in inputs:
        if resolved(out) == resolved(path):
            raise InputError(out, "输出文件不能是输入文件之一（输入文件从不修改）。",
                             "the output cannot be one of the inputs (inputs are never changed).")
    if out.exists() and not force:   # refuse before any work
        raise InputError(out, "文件已存在，不会覆盖；换一个文件名，或加 --force。",
                         "the file exists and will not be overwritten: choose another name, or add --force.")
    max_pixels = int(limits["max_pixels"])

    with ExitStack() as stack:
        pages = open_pages(inputs, max_pixels, stack, int(limits["max_file_bytes"]))
        n = len(pages)
        low = floor_width(pages)
        if not _fits_canvas(pages, low, grid, max_pixels):
            per_page = canvas_size(pages, low, grid)
            fitting = int(n * max_pixels / (per_page[0] * per_page[1]))
            cw, ch = per_page
            raise _refuse(n, low, min(fitting, n - 1),
                          f"合并后也有 {cw}×{ch} 像素，超过图片像素上限（{max_pixels} 像素）",
                          f"the image would be {cw}×{ch} px, beyond the pixel limit for an image ({max_pixels})",
                          ODD_SHAPE)
        widths = [w for w in encode.widths_between(top_width(pages, low), low)
                  if _fits_canvas(pages, w, grid, max_pixels)]
        sources = [p.render(widths[0]) for p in pages]   # each page once, at the largest width needed

        try:
            found = encode.fit(lambda w: compose(sources, w, grid), widths, limits)
        except encode.DoesNotFit as exc:
            fitting = int(n * exc.max_bytes / exc.floor_bytes)
            raise _refuse(n, low, min(fitting, n - 1),
                          f"以 jpg 质量 {exc.quality} 压缩后仍有 {exc.floor_bytes / 1024:.0f} KB，超过 "
                          f"{exc.max_bytes / 1024:.0f} KB",
                          f"the jpg at quality {exc.quality} is still {exc.floor_bytes / 1024:.0f} KB, over "
                          f"{exc.max_bytes / 1024:.0f} KB", NOISY) from None
        encode.write_new(out, found.data, force, limits)

    notes: list[tuple[str, str]] = []
    for p in pages:
        if not p.vector and min(p.size) < MIN_SHORT_SIDE:
            notes.append((f"{p.label} 原图只有 {p.size[0]}×{p.size[1]} 像素，短边低于清晰下限 {MIN_SHORT_SIDE} 像素；"
                          "合并不会让它更清楚，小字看不清时请重新扫描或拍摄。",
                          f"{p.label} is only {p.size[0]}×{p.size[1]} px, its short side under the legibility floor "
                          f"of {MIN_SHORT_SIDE} px; merging cannot make it clearer: scan or photograph it again if "
                          "small print is hard to read."))
    if found.padded:
        image_kb = (found.bytes - found.padded) / 1024
        notes.append((f"合并结果内容很少（页面几乎空白，或原图很小），图像只有 {image_kb:.1f} KB，不足平台要求的 20 KB 以上："
                      f"已在 jpg 注释段补入 {found.padded / 1024:.1f} KB（图像本身不变）。请确认选对了文件、内容清晰。",
                      f"there is little in the merged image (nearly blank pages, or small originals): only "
                      f"{image_kb:.1f} KB of image, not over the 20 KB minimum, so {found.padded / 1024:.1f} KB of "
                      "jpg comment was added (the picture is unchanged). Check that these are the right files and "
                      "that they are clear."))
    elif found.quality == encode.LIFT_QUALITY:
        notes.append(("页面内容很少：已用最高质量（95，无色度抽样）保存，使文件大于 20 KB。",
                      "little on the pages: saved at the highest quality (95, no chroma subsampling) so that the "
                      "file exceeds 20 KB."))
    min_short = min(round(min(p.size) * found.width / p.size[0]) for p in pages)
    return MergeResult(out=out, pages=n, width=found.size[0], height=found.size[1], bytes=found.bytes,
                       quality=found.quality, page_width=found.width, floor_width=low,
                       min_short_side=min_short, padded=found.padded, notes=notes)
