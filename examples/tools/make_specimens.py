#!/usr/bin/env python3
"""Draw the SPECIMEN document images used by tjcheck's shipped passing example.

Every image shows only the fictional applicant 李晓雯 (ID 120104198803150243) and is marked as a
specimen: a large diagonal "样本 SPECIMEN" watermark plus the note "样本 / SPECIMEN — 非真实证件".
No national emblem, real seal or logo is drawn; grey/red circles reading "样本" stand in for them.
The portrait is a generated person who does not exist (HivisionIDPhotos demo, Apache-2.0).

Run from the repository root (Pillow and a CJK font are needed):

    apt-get install fonts-noto-cjk                            # once, if not installed
    .venv/bin/python examples/tools/make_specimens.py         # writes examples/passing/images/*.jpg
    .venv/bin/python examples/tools/make_specimens.py --force # regenerate / overwrite

Options: --font PATH (CJK font; default: Noto Sans/Serif CJK under /usr/share/fonts),
--photo PATH (portrait), --out DIR, --force. Existing files are never overwritten without --force;
each file is written atomically and checked to be a baseline RGB JPEG of 20 KB < size <= 500 KB.
Output is deterministic for a given Pillow and font version (the paper grain is seeded).
"""
from __future__ import annotations

import argparse
import functools
import glob
import io
import math
import os
import random
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE.parent / "passing" / "images"
DEFAULT_PHOTO = HERE.parent / "passing" / "images" / "photo.jpg"  # copy of examples-src/photo_white_bg.jpg
MIN_BYTES, MAX_BYTES = 20 * 1024, 500 * 1024
QUALITY = 88

# The fictional applicant and documents. Nothing here belongs to a real person or body.
NAME, SEX, ETHNIC = "李晓雯", "女", "汉"
ID_NO = "120104198803150243"
ADDRESS = "天津市南开区样本路1号"
ISSUER = "天津市公安局南开分局"
SCHOOL = "天津样本财经大学"
EMPLOYER = "天津市样本会计服务有限公司"
USCC = "91120104MA05T8KX3P"
NOTE = "样本 / SPECIMEN — 非真实证件"

INK, BLUE, RED, GREY = (28, 28, 30), (35, 95, 155), (200, 30, 30), (120, 120, 120)
CARD = (880, 555)  # ID-card proportions (85.6 x 54 mm)


def die(msg: str, code: int = 1) -> None:
    print(f"make_specimens: {msg}", file=sys.stderr)
    sys.exit(code)


# ---------------------------------------------------------------- fonts
class Fonts:
    """CJK fonts by style ("sans", "sans-bold", "serif", "serif-bold"); Simplified-Chinese face in .ttc."""

    STYLES = {"sans": ("Sans", "Regular"), "sans-bold": ("Sans", "Bold"),
              "serif": ("Serif", "Regular"), "serif-bold": ("Serif", "Bold")}
    FALLBACK = {"sans-bold": ["sans"], "serif": ["sans"], "serif-bold": ["serif", "sans-bold", "sans"]}

    def __init__(self, override: str | None):
        if override:
            if not Path(override).is_file():
                die(f"font file not found: {override}", 2)
            self.paths = dict.fromkeys(self.STYLES, override)
            return
        found = [p for p in glob.glob("/usr/share/fonts/**/Noto*CJK*", recursive=True)
                 if p.lower().endswith((".ttc", ".otf", ".ttf")) and "Mono" not in p]
        prefer = lambda p: (not (p.endswith(".ttc") or "CJKsc" in p), len(p))  # noqa: E731
        self.paths = {}
        for style, (family, weight) in self.STYLES.items():
            hits = sorted((p for p in found if f"Noto{family}CJK" in Path(p).name and weight in p), key=prefer)
            if hits:
                self.paths[style] = hits[0]
        for style, alternatives in self.FALLBACK.items():
            for alt in alternatives:
                self.paths.setdefault(style, self.paths.get(alt))
        if not self.paths.get("sans"):
            die("no Noto Sans/Serif CJK font found under /usr/share/fonts.\n"
                "  Install one with:  apt-get install fonts-noto-cjk\n"
                "  or pass a CJK font explicitly:  --font /path/to/font.ttc", 2)

    @functools.lru_cache(maxsize=None)
    def __call__(self, size: int, style: str = "sans") -> ImageFont.FreeTypeFont:
        path = self.paths[style]
        return ImageFont.truetype(path, int(size), index=self._sc_index(path))

    @staticmethod
    @functools.lru_cache(maxsize=None)
    def _sc_index(path: str) -> int:
        """In a .ttc collection pick the Simplified Chinese face (e.g. 'Noto Sans CJK SC')."""
        for i in range(16):
            try:
                if ImageFont.truetype(path, 12, index=i).getname()[0].endswith(" SC"):
                    return i
            except OSError:
                break
        return 0


# ---------------------------------------------------------------- drawing helpers
def paper(size, color, seed, grain=10, shade=14):
    """Flat colour + soft diagonal shading + seeded grain, so it looks scanned and the JPEG is not tiny."""
    w, h = size
    img = Image.new("RGB", size, color)
    ramp = Image.linear_gradient("L")
    grad = ImageChops.add(ramp.resize(size), ramp.rotate(90).resize(size), scale=2.0)  # soft diagonal
    img = ImageChops.subtract(img, Image.merge("RGB", [grad.point(lambda v: v * shade // 255)] * 3))
    rnd = random.Random(seed).randbytes(w * h)
    noise = Image.frombytes("L", size, rnd).filter(ImageFilter.GaussianBlur(0.7))
    noise = noise.point(lambda v: max(0, min(255, 128 + (v - 128) * grain // 128)))
    return ImageChops.add(img, Image.merge("RGB", [noise] * 3), 1.0, -128)


def guilloche(img, box, color, seed, lines=14):
    """Faint wavy security-print lines (generic decoration, not any real design)."""
    rng = random.Random(seed)
    d = ImageDraw.Draw(img)
    x0, y0, x1, y1 = box
    for k in range(lines):
        amp, period, phase = rng.uniform(8, 22), rng.uniform(120, 260), rng.uniform(0, 6.3)
        base = y0 + (y1 - y0) * (k + 0.5) / lines
        pts = [(x, base + amp * math.sin(x / period * 6.283 + phase)) for x in range(x0, x1, 4)]
        d.line(pts, fill=color, width=1)


def seal(img, center, r, fonts, color=RED, alpha=185, label="样本"):
    """Placeholder where a seal/emblem belongs: double ring with "样本" inside, semi-transparent."""
    layer = Image.new("RGBA", img.size, (0, 0, 0, 0))
    d = ImageDraw.Draw(layer)
    x, y = center
    c = (*color, alpha)
    d.ellipse((x - r, y - r, x + r, y + r), outline=c, width=max(3, r // 12))
    ri = r * 0.82
    d.ellipse((x - ri, y - ri, x + ri, y + ri), outline=c, width=max(1, r // 45))
    d.text((x, y), label, font=fonts(r * 0.6, "sans-bold"), fill=c, anchor="mm")
    img.paste(layer, (0, 0), layer)


def watermark(img, fonts, text="样本 SPECIMEN"):
    """Large semi-transparent text along the image diagonal."""
    w, h = img.size
    diag = int(math.hypot(w, h))
    probe = fonts(100, "sans-bold")
    size = 100 * 0.78 * diag / probe.getlength(text)
    layer = Image.new("RGBA", (diag, diag), (0, 0, 0, 0))
    ImageDraw.Draw(layer).text((diag / 2, diag / 2), text, font=fonts(size, "sans-bold"), anchor="mm",
                               fill=(210, 40, 40, 72), stroke_width=2, stroke_fill=(255, 255, 255, 60))
    layer = layer.rotate(math.degrees(math.atan2(h, w)), resample=Image.BICUBIC)
    layer = layer.crop(((diag - w) // 2, (diag - h) // 2, (diag - w) // 2 + w, (diag - h) // 2 + h))
    return Image.alpha_composite(img.convert("RGBA"), layer).convert("RGB")


def finish(img, fonts):
    """Add the small specimen note (bottom right) and the diagonal watermark."""
    d = ImageDraw.Draw(img)
    d.text((img.width - 14, img.height - 8), NOTE, font=fonts(18, "sans-bold"), fill=RED, anchor="rd",
           stroke_width=3, stroke_fill=(255, 255, 255))
    return watermark(img, fonts)


def on_background(doc, size, seed, radius=0):
    """Lay a card/page on a darker scanner background with a soft shadow."""
    canvas = paper(size, (168, 166, 160), seed, grain=8, shade=30)
    x, y = (size[0] - doc.width) // 2, (size[1] - doc.height) // 2
    shadow = Image.new("L", size, 0)
    ImageDraw.Draw(shadow).rounded_rectangle((x + 5, y + 7, x + doc.width + 5, y + doc.height + 7), radius, fill=120)
    canvas.paste((70, 68, 64), (0, 0), shadow.filter(ImageFilter.GaussianBlur(7)))
    mask = Image.new("L", doc.size, 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, doc.width - 1, doc.height - 1), radius, fill=255)
    canvas.paste(doc, (x, y), mask)
    return canvas


def wrap(text, font, width):
    """Break CJK text into lines no wider than width (closing punctuation may hang)."""
    lines, cur = [], ""
    for ch in text:
        if cur and font.getlength(cur + ch) > width and ch not in "，。、；：）》”":
            lines.append(cur)
            cur = ch
        else:
            cur += ch
    return lines + [cur] if cur else lines


def paragraph(d, xy, text, font, width, spacing=1.9, fill=INK):
    x, y = xy
    for line in wrap(text, font, width):
        d.text((x, y), line, font=font, fill=fill)
        y += font.size * spacing
    return y


def spaced(d, xy, text, font, gap, fill=INK, anchor="ls"):
    """Draw text with extra letter spacing; anchor "ls" (left) or "ms" (centred) on the baseline."""
    total = sum(font.getlength(c) for c in text) + gap * (len(text) - 1)
    x, y = xy
    x -= total / 2 if anchor == "ms" else 0
    for c in text:
        d.text((x, y), c, font=font, fill=fill, anchor="ls")
        x += font.getlength(c) + gap


def fields(d, x, y, rows, fonts, step, label_w, label_size=22, value_size=28):
    """Label/value pairs, labels in blue (ID-card style). Long values wrap to the right edge."""
    for label, value, width in rows:
        d.text((x, y), label, font=fonts(label_size), fill=BLUE, anchor="ls")
        vfont = fonts(value_size)
        for i, line in enumerate(wrap(value, vfont, width or 10_000)):
            d.text((x + label_w, y + i * value_size * 1.35), line, font=vfont, fill=INK, anchor="ls")
        y += step
    return y


def table(d, x, y, widths, rows, row_h, fonts, size=24, header=False, shade_cols=()):
    """Bordered table; a None cell extends the cell on its left. Header row / shaded columns are bold."""
    for r, row in enumerate(rows):
        cx = x
        for c, text in enumerate(row):
            if text is None:
                cx += widths[c]
                continue
            span = widths[c] + sum(widths[k] for k in range(c + 1, len(row)) if row[k] is None and
                                   all(row[j] is None for j in range(c + 1, k + 1)))
            bold = (header and r == 0) or c in shade_cols
            d.rectangle((cx, y, cx + span, y + row_h), outline=INK, width=2,
                        fill=(236, 234, 226) if bold else None)
            d.text((cx + span / 2, y + row_h / 2), text, font=fonts(size, "sans-bold" if bold else "sans"),
                   fill=INK, anchor="mm")
            cx += widths[c]
        y += row_h
    return y


def portrait(photo, box, size):
    """Crop box from the photo, resize to size."""
    return photo.crop(box).resize(size, Image.LANCZOS)


def paste_multiply(img, pic, xy):
    """Paste a white-background photo so its white takes on the paper colour (like print)."""
    region = img.crop((*xy, xy[0] + pic.width, xy[1] + pic.height))
    img.paste(ImageChops.multiply(region, pic), xy)


# ---------------------------------------------------------------- documents
HEAD = (20, 0, 393, 500)  # head-and-shoulders crop of the 413x579 photo (ratio ~0.746)


def id_front_card(fonts, photo):
    card = paper(CARD, (242, 243, 238), seed=11, grain=8)
    guilloche(card, (0, 0, *CARD), (214, 226, 236), seed=1)
    d = ImageDraw.Draw(card)
    paste_multiply(card, portrait(photo, HEAD, (262, 351)), (582, 52))
    fields(d, 58, 92, [("姓  名", NAME, 0)], fonts, 0, 90, value_size=32)
    d.text((58, 162), "性  别", font=fonts(22), fill=BLUE, anchor="ls")
    d.text((148, 162), SEX, font=fonts(28), fill=INK, anchor="ls")
    d.text((250, 162), "民  族", font=fonts(22), fill=BLUE, anchor="ls")
    d.text((340, 162), ETHNIC, font=fonts(28), fill=INK, anchor="ls")
    d.text((58, 232), "出  生", font=fonts(22), fill=BLUE, anchor="ls")
    x = 148
    for part, colour in (("1988", INK), ("年", BLUE), ("3", INK), ("月", BLUE), ("15", INK), ("日", BLUE)):
        f = fonts(28) if colour == INK else fonts(22)
        d.text((x, 232), part, font=f, fill=colour, anchor="ls")
        x += f.getlength(part) + 16
    fields(d, 58, 302, [("住  址", ADDRESS, 380)], fonts, 0, 90)
    d.text((58, 478), "公民身份号码", font=fonts(22), fill=BLUE, anchor="ls")
    spaced(d, (250, 480), ID_NO, fonts(34, "sans-bold"), 4)
    d.rectangle((0, 0, CARD[0] - 1, CARD[1] - 1), outline=(190, 196, 200), width=2)
    return card


def id_front(fonts, photo):
    return finish(on_background(id_front_card(fonts, photo), (1000, 660), seed=21, radius=28), fonts)


def id_back(fonts, photo):
    card = paper(CARD, (242, 243, 238), seed=12, grain=8)
    guilloche(card, (0, 0, *CARD), (222, 228, 214), seed=2)
    d = ImageDraw.Draw(card)
    seal(card, (140, 140), 82, fonts, color=GREY, alpha=210)
    spaced(d, (560, 130), "中华人民共和国", fonts(44, "serif-bold"), 10, anchor="ms")
    spaced(d, (560, 240), "居民身份证", fonts(66, "serif-bold"), 22, anchor="ms")
    d.text((180, 420), "签发机关", font=fonts(24), fill=BLUE, anchor="ls")
    d.text((310, 420), ISSUER, font=fonts(28), fill=INK, anchor="ls")
    d.text((180, 480), "有效期限", font=fonts(24), fill=BLUE, anchor="ls")
    d.text((310, 480), "2015.03.15-2035.03.15", font=fonts(28), fill=INK, anchor="ls")
    d.rectangle((0, 0, CARD[0] - 1, CARD[1] - 1), outline=(190, 196, 200), width=2)
    return finish(on_background(card, (1000, 660), seed=22, radius=28), fonts)


def id_handheld(fonts, photo):
    img = portrait(photo, (11, 0, 401, 520), (900, 1200))
    img = ImageChops.add(img, paper((900, 1200), (128, 128, 128), seed=23, grain=10, shade=0), 1.0, -128)
    card = id_front_card(fonts, photo).resize((470, 296), Image.LANCZOS)
    mask = Image.new("L", card.size, 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, card.width - 1, card.height - 1), 16, fill=255)
    card, mask = card.rotate(-3, Image.BICUBIC, expand=True), mask.rotate(-3, Image.BICUBIC, expand=True)
    x, y = (900 - card.width) // 2, 835
    img.paste((40, 40, 40), (x + 6, y + 8), mask.filter(ImageFilter.GaussianBlur(6)))
    img.paste(card, (x, y), mask)
    d = ImageDraw.Draw(img)
    for fx in (x - 24, x + card.width - 22):  # two thumbs holding the card edges
        d.rounded_rectangle((fx, y + 110, fx + 46, y + 200), 22, fill=(226, 186, 156), outline=(170, 130, 105), width=2)
    return finish(img, fonts)


def certificate_page(fonts, title, seed, title_size=60):
    """Off-white certificate page (1340x940) with a double border and a centred title."""
    page = paper((1340, 940), (247, 244, 234), seed=seed, grain=8)
    d = ImageDraw.Draw(page)
    d.rectangle((28, 28, 1311, 911), outline=(150, 110, 55), width=7)
    d.rectangle((44, 44, 1295, 895), outline=(150, 110, 55), width=2)
    spaced(d, (670, 150), title, fonts(title_size, "serif-bold"), 12, anchor="ms")
    return page, d


def diploma(fonts, photo):
    page, d = certificate_page(fonts, "普通高等学校毕业证书", seed=13)
    paste_multiply(page, portrait(photo, HEAD, (165, 221)), (110, 250))
    text = ("　　学生 李晓雯，性别 女，一九八八年三月十五日生，于 二〇〇六年九月 至 二〇一〇年七月 在本校 "
            "会计学 专业 四年制本科学习，修完教学计划规定的全部课程，成绩合格，准予毕业。")
    paragraph(d, (340, 250), text, fonts(32, "serif"), 880, spacing=2.0)
    f = fonts(28, "serif")
    d.text((780, 690), f"校  名：{SCHOOL}", font=f, fill=INK, anchor="ls")
    d.text((780, 750), "校（院）长：样本", font=f, fill=INK, anchor="ls")
    d.text((780, 810), "二〇一〇年七月一日", font=f, fill=INK, anchor="ls")
    d.text((110, 810), "证书编号：199991201005001234", font=fonts(24), fill=INK, anchor="ls")
    seal(page, (1010, 700), 88, fonts)
    return finish(on_background(page, (1400, 1000), seed=24), fonts)


def degree(fonts, photo):
    page, d = certificate_page(fonts, "学士学位证书", seed=14, title_size=66)
    paste_multiply(page, portrait(photo, HEAD, (165, 221)), (110, 250))
    text = (f"　　{NAME}，{SEX}，一九八八年三月十五日生。在 {SCHOOL} 会计学 专业完成了本科学习计划，业已毕业，"
            "经审核符合《中华人民共和国学位条例》的规定，授予 管理学 学士学位。")
    paragraph(d, (340, 250), text, fonts(32, "serif"), 880, spacing=2.0)
    f = fonts(28, "serif")
    d.text((780, 690), SCHOOL, font=f, fill=INK, anchor="ls")
    d.text((780, 750), "学位评定委员会主席：样本", font=f, fill=INK, anchor="ls")
    d.text((780, 810), "二〇一〇年七月一日", font=f, fill=INK, anchor="ls")
    d.text((110, 810), "证书编号：1999942010001234", font=fonts(24), fill=INK, anchor="ls")
    seal(page, (900, 700), 88, fonts)
    return finish(on_background(page, (1400, 1000), seed=25), fonts)


def title_cert(fonts, photo):
    page, d = certificate_page(fonts, "会计专业技术资格证书", seed=15)
    paste_multiply(page, portrait(photo, HEAD, (165, 221)), (130, 260))
    rows = [("姓　　名", NAME), ("性　　别", SEX), ("身份证件号码", ID_NO),
            ("资格名称", "会计专业技术资格（中级） 会计师"), ("批准日期", "2016年9月"), ("管 理 号", "样本-2016-000001")]
    for i, (label, value) in enumerate(rows):
        y = 290 + i * 78
        d.text((380, y), label, font=fonts(28, "serif-bold"), fill=INK, anchor="ls")
        d.text((590, y), value, font=fonts(30, "serif"), fill=INK, anchor="ls")
        d.line((585, y + 10, 1200, y + 10), fill=(170, 160, 140), width=1)
    seal(page, (1080, 790), 88, fonts)
    return finish(on_background(page, (1400, 1000), seed=26), fonts)


def work_proof(fonts, photo):
    page = paper((1180, 1694), (249, 248, 244), seed=16, grain=7)
    d = ImageDraw.Draw(page)
    spaced(d, (590, 150), "会计专业工作经历证明", fonts(52, "sans-bold"), 6, anchor="ms")
    d.text((590, 215), "（会计专业工作简历表）", font=fonts(30), fill=INK, anchor="ms")
    y = table(d, 90, 290, [230, 280, 170, 320],
              [["姓名", NAME, "身份证号", ID_NO], ["工作单位", EMPLOYER, None, None],
               ["统一社会信用代码", USCC, None, None]], 70, fonts, shade_cols=(0, 2))
    y = table(d, 90, y + 60, [220, 400, 240, 140],
              [["起止时间", "工作单位", "从事何种会计工作", "职务"],
               ["2010.07-2016.08", EMPLOYER, "总账会计", "会计员"],
               ["2016.09-至今", EMPLOYER, "财务主管", "会计师"],
               ["", "", "", ""], ["", "", "", ""], ["", "", "", ""]], 80, fonts, header=True)
    d.text((150, y + 110), "兹证明以上情况属实。", font=fonts(30), fill=INK, anchor="ls")
    d.text((560, y + 300), f"单位（盖章）：{EMPLOYER}", font=fonts(28), fill=INK, anchor="ls")
    d.text((800, y + 380), "2026年11月20日", font=fonts(28), fill=INK, anchor="ls")
    seal(page, (920, y + 290), 100, fonts)
    return finish(on_background(page, (1240, 1754), seed=27), fonts)


def residence_permit(fonts, photo):
    card = paper(CARD, (244, 241, 236), seed=17, grain=8)
    guilloche(card, (0, 0, *CARD), (236, 218, 214), seed=3)
    d = ImageDraw.Draw(card)
    spaced(d, (440, 78), "天津市居住证", fonts(40, "serif-bold"), 14, anchor="ms")
    paste_multiply(card, portrait(photo, HEAD, (210, 282)), (630, 120))
    fields(d, 50, 170, [("姓　　名", NAME, 0), ("公民身份号码", ID_NO, 0), ("居住地址", ADDRESS, 340),
                        ("签发机关", ISSUER, 340)], fonts, 80, 160)
    seal(card, (420, 465), 62, fonts)
    d.rectangle((0, 0, CARD[0] - 1, CARD[1] - 1), outline=(200, 190, 186), width=2)
    return finish(on_background(card, (1000, 660), seed=28, radius=28), fonts)


DOCUMENTS = {
    "id_front.jpg": id_front, "id_back.jpg": id_back, "id_handheld.jpg": id_handheld,
    "diploma.jpg": diploma, "degree.jpg": degree, "work_proof.jpg": work_proof,
    "title_cert.jpg": title_cert, "residence_permit.jpg": residence_permit,
}


# ---------------------------------------------------------------- output
def encode(img) -> bytes:
    buf = io.BytesIO()
    img.convert("RGB").save(buf, "JPEG", quality=QUALITY, optimize=True, progressive=False)
    return buf.getvalue()


def write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def verify(path: Path) -> str:
    """Re-read a written file; return a problem description, or "" if it meets the requirements."""
    size = path.stat().st_size
    with Image.open(path) as im:
        if im.format != "JPEG" or im.mode != "RGB" or im.info.get("progressive") or im.info.get("progression"):
            return f"not a baseline RGB JPEG ({im.format}, {im.mode}, info={sorted(im.info)})"
    if not MIN_BYTES < size <= MAX_BYTES:
        return f"size {size} bytes outside ({MIN_BYTES}, {MAX_BYTES}]"
    return ""


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--font", help="CJK font file (.ttc/.otf/.ttf); default: Noto CJK under /usr/share/fonts")
    ap.add_argument("--photo", type=Path, default=DEFAULT_PHOTO, help=f"portrait (default: {DEFAULT_PHOTO})")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output folder (default: {DEFAULT_OUT})")
    ap.add_argument("--force", action="store_true", help="overwrite existing files")
    args = ap.parse_args(argv)

    fonts = Fonts(args.font)
    if not args.photo.is_file():
        die(f"portrait not found: {args.photo} (pass --photo PATH)", 2)
    existing = [n for n in DOCUMENTS if (args.out / n).exists()]
    if existing and not args.force:
        die(f"refusing to overwrite existing files in {args.out}: {', '.join(existing)} (use --force)")
    args.out.mkdir(parents=True, exist_ok=True)
    photo = Image.open(args.photo).convert("RGB")

    failures = []
    for name, draw in DOCUMENTS.items():
        img = draw(fonts, photo)
        data = encode(img)
        if not MIN_BYTES < len(data) <= MAX_BYTES:
            failures.append(f"{name}: encoded size {len(data)} bytes outside ({MIN_BYTES}, {MAX_BYTES}], not written")
            continue
        path = args.out / name
        write_atomic(path, data)
        problem = verify(path)
        if problem:
            failures.append(f"{name}: {problem}")
        print(f"{path}  {img.width}x{img.height}  {len(data):,} bytes")
    if failures:
        die("FAILED:\n  " + "\n  ".join(failures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
