#!/usr/bin/env python3
"""Draw a labelled benchmark set of SPECIMEN documents for tjcheck's document reader (OCR).

Fictional people (Tianjin ID numbers with a correct GB 11643 check digit, births 1975–2000) and
fictional bodies (天津样本… schools, units, 公安局…分局) on several layouts per kind, in the
national wording: ID card front/back, 毕业证书, 学士/硕士学位证书, 会计专业技术资格证书 and
专业技术职务任职资格证书, 工作证明 (with or without a red seal stand-in), 居住证, 学信网 学籍在线
验证报告 and 学生证, and "other" pages (营业执照, a notice, a letter, a photo without text). Every
drawn page carries the "样本 SPECIMEN" watermark and the note "样本 / SPECIMEN — 非真实证件"; seals
name fictional units; grey circles reading 样本 stand in for emblems. Portraits: the generated
(non-existent) people of examples/passing/images/photo.jpg and ../shared/examples-src/ (women),
and drawn figures (men). Reuses the drawing helpers of make_specimens.py (imported, unchanged).

Run from the repository root (Pillow, numpy and a CJK font are needed):

    apt-get install fonts-noto-cjk                                        # once, if not installed
    .venv/bin/python examples/tools/make_documents.py --out /work/docset   # full labelled set
    .venv/bin/python examples/tools/make_documents.py --out DIR --seed 7 --force
    .venv/bin/python examples/tools/make_documents.py --out DIR --clean-only   # no degraded copies
    .venv/bin/python examples/tools/make_documents.py --fixtures DIR       # named rule-test images

The set: each clean document (JPEG, long side 900–2000 px) plus three degraded copies, named
``<doc>__<degradation>.jpg``: angle (phone photo at 5–15° on a desk, uneven light), shadow,
jpeg (quality 15–30), small (long side 600–800 px), rotate (±2–8°), blur (Gaussian σ 1–1.5 or
motion), angle-jpeg and small-blur. ``DIR/labels.csv`` has the columns
``file,kind,name,id_number,valid_until,cert_no,seal`` (what is printed; empty where the field does
not apply to the kind). Document names: ``p<N>_<kind>_<layout>[_<variant>]`` (``x_`` for pages of
no person). The degradations (and only they) depend on --seed; output is deterministic for a
given seed, Pillow and font version.

--fixtures DIR writes the small fixed set the rule tests use (all for 李晓雯, the passing
example's applicant, unless the name says otherwise; each ≤ 120 KB, long side ≤ 1400 px).

A non-empty output folder is never written into without --force; with --force, files a previous
run listed in labels.csv and not produced again are removed. Every file is written atomically.
Other options: --font PATH, --photo PATH, --portraits DIR.
"""
from __future__ import annotations

import argparse
import csv
import io
import math
import random
import sys
import time
import zlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageOps

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import make_specimens as ms  # noqa: E402

try:
    import numpy as np
except ImportError:  # pragma: no cover
    sys.exit("make_documents: numpy is needed (pip install numpy; it comes with tjcheck[ocr])")

DEFAULT_PORTRAITS = HERE.parents[2] / "shared" / "examples-src"
COLUMNS = ["file", "kind", "name", "id_number", "valid_until", "cert_no", "seal"]
KINDS = ("id_front", "id_back", "diploma", "degree", "title_cert", "work_proof", "residence_permit",
         "study_proof", "other")
DEGRADATIONS = ("angle", "shadow", "jpeg", "small", "rotate", "blur", "angle-jpeg", "small-blur")
PER_DOC = 3                      # degraded copies of each clean document
INK, BLUE, RED, GREY = ms.INK, ms.BLUE, ms.RED, ms.GREY
CARD = ms.CARD


def die(msg: str, code: int = 1) -> None:
    print(f"make_documents: {msg}", file=sys.stderr)
    sys.exit(code)


def seed_of(*parts) -> int:
    return zlib.crc32("/".join(map(str, parts)).encode())


# ---------------------------------------------------------------- identifiers
def id_check(body17: str) -> str:
    """GB 11643 check character of the first 17 digits."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return "10X98765432"[sum(int(c) * w for c, w in zip(body17, weights)) % 11]


CREDIT = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def org_check(org8: str) -> str:
    """GB 11714 check character of an 8-character organisation code."""
    value = lambda c: int(c) if c.isdigit() else ord(c) - 55  # noqa: E731
    c = 11 - sum(value(ch) * w for ch, w in zip(org8, (3, 7, 9, 10, 5, 8, 4, 2))) % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


def credit_code(head: str, region: str, org8: str) -> str:
    """GB 32100 unified social credit code: head(2) region(6) org code(9) check(1)."""
    body = head + region + org8 + org_check(org8)
    total = sum(CREDIT.index(ch) * pow(3, i, 31) for i, ch in enumerate(body))
    return body + CREDIT[(31 - total % 31) % 31]


def cn_ymd(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def dotted(d: date) -> str:
    return f"{d.year:04d}.{d.month:02d}.{d.day:02d}"


CN_DIGITS = "〇一二三四五六七八九"


def cn_numeral_date(d: date) -> str:
    """一九九八年七月一日 (older certificates)."""
    def small(n):
        return CN_DIGITS[n] if n < 10 else ("十" if n // 10 == 1 else CN_DIGITS[n // 10] + "十") + (
            CN_DIGITS[n % 10] if n % 10 else "")
    return "".join(CN_DIGITS[int(c)] for c in str(d.year)) + f"年{small(d.month)}月{small(d.day)}日"


# ---------------------------------------------------------------- people
@dataclass
class Person:
    key: str
    name: str
    sex: str
    ethnic: str
    birth: date
    region: str
    seq: str                       # digits 15-17 (17th odd for men)
    district: str                  # 和平 … for the 分局
    address: str
    portrait: str
    extra: dict = field(default_factory=dict)

    @property
    def id_no(self) -> str:
        body = f"{self.region}{self.birth:%Y%m%d}{self.seq}"
        return body + id_check(body)

    @property
    def issuer(self) -> str:
        return f"天津市公安局{self.district}分局"


PEOPLE = [
    Person("p1", "王建国", "男", "汉", date(1975, 11, 8), "120101", "031", "和平",
           "天津市和平区样本道12号2门302号", "male1"),
    Person("p2", "张敏", "女", "汉", date(1985, 4, 23), "120103", "046", "河西",
           "天津市河西区样本路25号3门101号", "white-mirror"),
    Person("p3", "刘洋", "男", "汉", date(1992, 9, 30), "120105", "017", "河北",
           "天津市河北区样本里7号楼1单元502号", "male2"),
    Person("p4", "陈思琪", "女", "回", date(1996, 2, 14), "120110", "028", "东丽",
           "天津市东丽区样本街道样本大道166号", "blue"),
    Person("p5", "赵志强", "男", "满", date(1983, 7, 19), "120113", "059", "北辰",
           "天津市北辰区样本镇样本村58号", "male3"),
    Person("p6", "孙悦", "女", "汉", date(2000, 12, 5), "120111", "064", "西青",
           "天津市西青区样本街9号院4号楼", "street"),
]
LI = Person("li", "李晓雯", "女", "汉", date(1988, 3, 15), "120104", "024", "南开", ms.ADDRESS, "white")
P = {p.key: p for p in PEOPLE}

# Employers: (name, credit code, address, phone)
UNITS = {
    "p1": ("天津市样本商贸有限公司", credit_code("91", "120101", "MA06KQ2L"), "天津市和平区样本道88号", "022-27310001"),
    "p2": ("天津样本科技股份有限公司", credit_code("91", "120103", "7186TH3C"), "天津市河西区样本路168号", "022-28350002"),
    "p3": ("天津市样本建筑工程有限公司", credit_code("91", "120105", "MA07BN5R"), "天津市河北区样本大街6号", "022-26240003"),
    "p4": ("天津样本物流集团有限公司", credit_code("91", "120110", "MA05XU8D"), "天津市东丽区样本物流园1号", "022-24390004"),
    "p5": ("天津市样本医院", credit_code("12", "120113", "40126370"), "天津市北辰区样本路200号", "022-26810005"),
    "p6": ("天津样本港务服务有限公司", credit_code("91", "120111", "MA06R4WP"), "天津市西青区样本港路3号", "022-27390006"),
    "li": (ms.EMPLOYER, ms.USCC, "天津市南开区样本路88号", "022-23456789"),
    "other": ("天津市样本文化传媒有限公司", credit_code("91", "120102", "MA07HK9T"), "天津市河东区样本路5号", "022-24120007"),
}


# ---------------------------------------------------------------- portraits
def draw_man(variant: int) -> Image.Image:
    """A drawn head-and-shoulders figure (300x400), not a photo of anyone."""
    s = 3
    skin = [(236, 200, 170), (224, 186, 152), (214, 172, 138)][variant % 3]
    suit = [(38, 44, 60), (58, 58, 62), (72, 62, 52)][variant % 3]
    bg = [(255, 255, 255), (255, 255, 255), (250, 250, 250)][variant % 3]
    img = Image.new("RGB", (300 * s, 400 * s), bg)
    d = ImageDraw.Draw(img)
    sc = lambda *v: [x * s for x in v]  # noqa: E731
    shade = tuple(int(c * 0.86) for c in skin)
    d.ellipse(sc(-70, 300, 370, 620), fill=suit)
    d.polygon(sc(108, 300, 192, 300, 150, 378), fill=(246, 246, 246))
    if variant % 3 != 1:
        tie = (120, 30, 40) if variant % 3 == 0 else (30, 60, 110)
        d.polygon(sc(142, 318, 158, 318, 162, 390, 150, 402, 138, 390), fill=tie)
    d.rectangle(sc(124, 222, 176, 312), fill=shade)
    d.ellipse(sc(76, 148, 100, 200), fill=shade)
    d.ellipse(sc(200, 148, 224, 200), fill=shade)
    d.ellipse(sc(86, 78, 214, 250), fill=skin)
    hair = (28, 26, 26)
    if variant % 3 == 0:
        d.chord(sc(82, 56, 218, 176), 180, 360, fill=hair)
        d.polygon(sc(84, 118, 100, 96, 104, 150, 86, 150), fill=hair)
        d.polygon(sc(216, 118, 200, 96, 196, 150, 214, 150), fill=hair)
    elif variant % 3 == 1:
        d.chord(sc(80, 62, 220, 168), 170, 370, fill=hair)
        d.polygon(sc(110, 100, 200, 92, 210, 122, 130, 112), fill=hair)
    else:
        d.chord(sc(84, 64, 216, 160), 185, 355, fill=(60, 56, 54))
    for x in (116, 160):
        d.line(sc(x, 140, x + 26, 137), fill=hair, width=4 * s)
        d.ellipse(sc(x + 6, 152, x + 20, 162), fill=(40, 34, 32))
    d.line(sc(150, 160, 145, 192, 154, 195), fill=tuple(int(c * 0.75) for c in skin), width=2 * s)
    d.arc(sc(130, 196, 170, 222), 20, 160, fill=(150, 80, 75), width=3 * s)
    img = img.resize((300, 400), Image.LANCZOS).filter(ImageFilter.GaussianBlur(0.6))
    return img


class Portraits:
    """Head-and-shoulders portraits by key; ``get`` crops and resizes like ms.portrait."""

    def __init__(self, photo: Path, src: Path):
        white = Image.open(photo).convert("RGB")
        self.items = {"white": (white, ms.HEAD),
                      "white-mirror": (ImageOps.mirror(white), (white.width - ms.HEAD[2], 0,
                                                                 white.width - ms.HEAD[0], ms.HEAD[3]))}
        blue, street = src / "photo_blue_bg_bangs.jpg", src / "photo_street_bg.jpg"
        self.items["blue"] = (Image.open(blue).convert("RGB"), (30, 20, 576, 748)) if blue.is_file() \
            else self.items["white"]
        self.items["street"] = (Image.open(street).convert("RGB"), (142, 150, 622, 790)) if street.is_file() \
            else self.items["white-mirror"]
        self.street_full = Image.open(street).convert("RGB") if street.is_file() else white
        for i in range(3):
            self.items[f"male{i + 1}"] = (draw_man(i), (0, 0, 300, 400))
        self._white_bg = {}

    def get(self, key: str, size, white_bg: bool = False) -> Image.Image:
        img, box = self.items[key]
        if white_bg and key == "blue":
            img = self._whitened(key)
        return img.crop(box).resize(size, Image.LANCZOS)

    def _whitened(self, key):
        """The blue background keyed to white (for ID-card prints)."""
        if key not in self._white_bg:
            img, _ = self.items[key]
            a = np.asarray(img).astype(np.int16)
            r, g, b = a[..., 0], a[..., 1], a[..., 2]
            bgm = ((b - r > 12) & (b >= g) & (b > 150)).astype(np.uint8) * 255
            mask = Image.fromarray(bgm).filter(ImageFilter.MaxFilter(3)).filter(ImageFilter.GaussianBlur(1.5))
            out = img.copy()
            out.paste((252, 252, 252), (0, 0), mask)
            self._white_bg[key] = out
        return self._white_bg[key]


# ---------------------------------------------------------------- seals
def stamp(img, center, r, fonts, text, bottom="样本", *, shape="round", star=True, code=None,
          density=0.88, faded=False, angle=0.0, seed=0, color=RED, ratio=0.66):
    """A red unit-seal stand-in, multiplied into the paper like ink: a ring, the (fictional)
    unit's name along the arc, a star and a word (样本, 专用章) in the middle, optionally a
    serial along the bottom. Oval seals (``shape="oval"``) have no star."""
    rng = random.Random(seed)
    a = int(r)
    b = a if shape == "round" else int(a * ratio)
    pad = 12
    W, H = 2 * a + 2 * pad, 2 * b + 2 * pad
    ink = Image.new("L", (W, H), 0)
    d = ImageDraw.Draw(ink)
    cx, cy = W / 2, H / 2
    lw = max(3, int(a * (0.06 if shape == "round" else 0.05)))
    d.ellipse((cx - a, cy - b, cx + a, cy + b), outline=255, width=lw)
    if shape == "oval":
        g = lw * 2.2
        d.ellipse((cx - a + g, cy - b + g, cx + a - g, cy + b - g), outline=255, width=max(1, lw // 3))
    # text along the upper arc, each character upright to the ring, narrow like seal lettering
    n = len(text)
    if shape == "round":
        fsize = a * (0.30 if n <= 9 else 0.27) * (1.0 if n <= 14 else 14 / n)
        inset = lw + fsize * 0.66
        span = min(250.0, max(190.0, 20.0 * n))
    else:
        fsize = b * 0.26 * (1.0 if n <= 13 else 13 / n)
        inset = lw * 3.2 + fsize * 0.7
        span = min(220.0, max(140.0, 17.0 * n))
    font = fonts(int(fsize), "serif-bold")
    ta, tb = a - inset, b - inset
    # equal arc length between characters (on an oval, equal angles would crowd the ends)
    ts = np.linspace(math.radians(-span / 2), math.radians(span / 2), 721)
    arc = np.concatenate([[0], np.cumsum(np.hypot(ta * np.cos(ts), tb * np.sin(ts))[1:] * np.diff(ts))])
    for i, ch in enumerate(text):
        t = float(np.interp(arc[-1] * (i + 0.5) / n, arc, ts))
        px, py = cx + ta * math.sin(t), cy - tb * math.cos(t)
        rot = math.degrees(math.atan2(math.sin(t) / max(ta, 1), math.cos(t) / max(tb, 1)))
        tile = Image.new("L", (int(fsize * 1.5), int(fsize * 1.5)), 0)
        ImageDraw.Draw(tile).text((tile.width / 2, tile.height / 2), ch, font=font, fill=255, anchor="mm")
        tile = tile.resize((int(tile.width * 0.74), tile.height), Image.LANCZOS)
        tile = tile.rotate(-rot, resample=Image.BICUBIC, expand=True)
        ink.paste(255, (int(px - tile.width / 2), int(py - tile.height / 2)), tile)
    if star and shape == "round":
        rs = a * 0.25
        pts = [(cx + (rs if k % 2 == 0 else rs * 0.382) * math.cos(math.radians(-90 + 36 * k)),
                cy - a * 0.02 + (rs if k % 2 == 0 else rs * 0.382) * math.sin(math.radians(-90 + 36 * k)))
               for k in range(10)]
        d.polygon(pts, fill=255)
    if bottom:
        bsize = (a * 0.17 if shape == "round" else b * 0.26) * (1.0 if len(bottom) <= 5 else 5 / len(bottom))
        by = cy + (a * 0.47 if shape == "round" else b * 0.42)
        bf = fonts(int(bsize), "serif-bold")
        ms.spaced(d, (cx, by + bsize * 0.4), bottom, bf, bsize * 0.15, fill=255, anchor="ms")
    if code:   # serial digits along the bottom arc, read left to right
        cs = a * 0.10
        cf = fonts(int(cs), "sans")
        cspan = min(120.0, math.degrees(len(code) * cs * 0.62 / (a - lw - cs)))
        for i, ch in enumerate(code):
            t = 180 + cspan / 2 - cspan * (i + 0.5) / len(code)
            tr = math.radians(t)
            px, py = cx + (a - lw - cs * 0.9) * math.sin(tr), cy - (b - lw - cs * 0.9) * math.cos(tr)
            tile = Image.new("L", (int(cs * 1.6), int(cs * 1.6)), 0)
            ImageDraw.Draw(tile).text((tile.width / 2, tile.height / 2), ch, font=cf, fill=255, anchor="mm")
            tile = tile.rotate(-(t - 180), resample=Image.BICUBIC, expand=True)
            ink.paste(255, (int(px - tile.width / 2), int(py - tile.height / 2)), tile)
    # uneven ink: low-frequency blotches, grain, a soft edge; faded = light and patchy
    lo = Image.frombytes("L", (W // 14 + 2, H // 14 + 2), rng.randbytes((W // 14 + 2) * (H // 14 + 2)))
    lo = lo.resize((W, H), Image.BICUBIC)
    lo_lo, lo_hi = (0.15, 0.75) if faded else (0.72, 1.0)
    lo = lo.point(lambda v: int(255 * (lo_lo + (lo_hi - lo_lo) * v / 255)))
    grain = Image.frombytes("L", (W, H), rng.randbytes(W * H)).point(lambda v: 255 if v > (70 if faded else 18) else 0)
    ink = ImageChops.multiply(ImageChops.multiply(ink, lo), grain.filter(ImageFilter.GaussianBlur(0.5)))
    ink = ink.filter(ImageFilter.GaussianBlur(0.7)).rotate(angle, resample=Image.BICUBIC)
    dens = density * (0.75 if faded else 1.0)
    tint = Image.merge("RGB", [ink.point(lambda v, c=c: int(255 - v * (255 - c) * dens / 255)) for c in color])
    x0, y0 = int(center[0] - W / 2), int(center[1] - H / 2)
    box = (x0, y0, x0 + W, y0 + H)
    region = img.crop(box)
    img.paste(ImageChops.multiply(region, tint), box)


def emblem(img, center, r, fonts):
    """Grey circle reading 样本 where an emblem would be."""
    ms.seal(img, center, r, fonts, color=GREY, alpha=200)


# ---------------------------------------------------------------- small drawing helpers
def text(d, xy, s, font, fill=INK, anchor="ls"):
    d.text(xy, s, font=font, fill=fill, anchor=anchor)


def border(d, size, colour, inset=28, double=True, width=7):
    w, h = size
    d.rectangle((inset, inset, w - 1 - inset, h - 1 - inset), outline=colour, width=width)
    if double:
        d.rectangle((inset + 16, inset + 16, w - 1 - inset - 16, h - 1 - inset - 16), outline=colour, width=2)


def corner_ornaments(d, size, colour, inset=60, n=3):
    w, h = size
    for (x, y, sx, sy) in ((inset, inset, 1, 1), (w - inset, inset, -1, 1), (inset, h - inset, 1, -1),
                           (w - inset, h - inset, -1, -1)):
        for k in range(n):
            o = 10 + k * 12
            d.line((x, y + sy * o, x + sx * o, y), fill=colour, width=2)


def qr_standin(img, xy, size, fonts, seed):
    """A grey square pattern reading 样本 where a QR code would be (it encodes nothing)."""
    rng = random.Random(seed)
    d = ImageDraw.Draw(img)
    x, y = xy
    n = 21
    c = size / n
    grey = (90, 90, 90)

    def cell(i, j):
        d.rectangle((x + i * c, y + j * c, x + (i + 1) * c - 1, y + (j + 1) * c - 1), fill=grey)

    for i in range(n):
        for j in range(n):
            if not ((i < 8 and j < 8) or (i >= n - 8 and j < 8) or (i < 8 and j >= n - 8)) and rng.random() < 0.45:
                cell(i, j)
    for fx, fy in ((0, 0), (n - 7, 0), (0, n - 7)):     # the three finder squares
        d.rectangle((x + fx * c, y + fy * c, x + (fx + 7) * c - 1, y + (fy + 7) * c - 1), outline=grey, width=int(c))
        d.rectangle((x + (fx + 2) * c, y + (fy + 2) * c, x + (fx + 5) * c - 1, y + (fy + 5) * c - 1), fill=grey)
    d.rectangle((x + size * 0.33, y + size * 0.4, x + size * 0.67, y + size * 0.6), fill=(255, 255, 255))
    d.text((x + size / 2, y + size / 2), "样本", font=fonts(int(size * 0.13), "sans-bold"), fill=grey, anchor="mm")


def rounded(img, radius):
    """(image, mask) with rounded corners."""
    mask = Image.new("L", img.size, 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, img.width - 1, img.height - 1), radius, fill=255)
    return mask


_WATERMARKS: dict = {}


def finish(img, fonts):
    """ms.finish (specimen note + diagonal watermark), with the watermark layer cached per size."""
    d = ImageDraw.Draw(img)
    d.text((img.width - 14, img.height - 8), ms.NOTE, font=fonts(18, "sans-bold"), fill=RED, anchor="rd",
           stroke_width=3, stroke_fill=(255, 255, 255))
    if img.size not in _WATERMARKS:
        _WATERMARKS[img.size] = _layer(img.size, fonts)
    return Image.alpha_composite(img.convert("RGBA"), _WATERMARKS[img.size]).convert("RGB")


def _layer(size, fonts, text_="样本 SPECIMEN"):
    """The RGBA layer ms.watermark composites (same arithmetic)."""
    w, h = size
    diag = int(math.hypot(w, h))
    probe = fonts(100, "sans-bold")
    fsize = 100 * 0.78 * diag / probe.getlength(text_)
    layer = Image.new("RGBA", (diag, diag), (0, 0, 0, 0))
    ImageDraw.Draw(layer).text((diag / 2, diag / 2), text_, font=fonts(fsize, "sans-bold"), anchor="mm",
                               fill=(210, 40, 40, 72), stroke_width=2, stroke_fill=(255, 255, 255, 60))
    layer = layer.rotate(math.degrees(math.atan2(h, w)), resample=Image.BICUBIC)
    return layer.crop(((diag - w) // 2, (diag - h) // 2, (diag - w) // 2 + w, (diag - h) // 2 + h))


# ---------------------------------------------------------------- a drawn document
@dataclass
class Doc:
    stem: str
    kind: str
    bare: Image.Image                # the finished (watermarked) document alone
    clean: Image.Image               # its clean presentation: scan, tight crop or desk photo
    labels: dict
    mask: Image.Image | None = None  # shape of bare (rounded card corners)
    paper: tuple = (250, 250, 250)   # colour to fill around rotated scans


def labels_for(kind, name="", id_number="", valid_until="", cert_no="", seal=""):
    return {"kind": kind, "name": name, "id_number": id_number, "valid_until": valid_until,
            "cert_no": cert_no, "seal": seal}


def present(fonts, doc_img, how, seed, bg_size=None, radius=0):
    """(bare, clean, mask) for a document drawn without watermark."""
    bare = finish(doc_img.copy(), fonts)
    mask = rounded(doc_img, radius) if radius else None
    if how == "scan":
        size = bg_size or (doc_img.width + 60, doc_img.height + 60)
        clean = finish(ms.on_background(doc_img, size, seed=seed, radius=radius), fonts)
    elif how == "page":                      # a flat-bed scan where the page fills the image
        clean = bare
    elif how == "tight":                     # cut out: the card on white, upscaled
        canvas = Image.new("RGB", (doc_img.width + 16, doc_img.height + 16), (255, 255, 255))
        canvas.paste(doc_img, (8, 8), mask)
        canvas = canvas.resize((int(canvas.width * 1.25), int(canvas.height * 1.25)), Image.LANCZOS)
        clean = finish(canvas, fonts)
    elif how == "desk":
        clean = desk_photo(bare, random.Random(seed), tilt=(1.5, 4.5), mask=mask, light=(0.84, 1.0),
                           frac=(0.78, 0.88))
    else:
        raise ValueError(how)
    return bare, clean, mask


# ---------------------------------------------------------------- ID cards (the passing example's look)
def id_front_card(fonts, p: Person, portraits, seed=11, gseed=1):
    card = ms.paper(CARD, (242, 243, 238), seed=seed, grain=8)
    ms.guilloche(card, (0, 0, *CARD), (214, 226, 236), seed=gseed)
    d = ImageDraw.Draw(card)
    ms.paste_multiply(card, portraits.get(p.portrait, (262, 351), white_bg=True), (582, 52))
    ms.fields(d, 58, 92, [("姓  名", p.name, 0)], fonts, 0, 90, value_size=32)
    d.text((58, 162), "性  别", font=fonts(22), fill=BLUE, anchor="ls")
    d.text((148, 162), p.sex, font=fonts(28), fill=INK, anchor="ls")
    d.text((250, 162), "民  族", font=fonts(22), fill=BLUE, anchor="ls")
    d.text((340, 162), p.ethnic, font=fonts(28), fill=INK, anchor="ls")
    d.text((58, 232), "出  生", font=fonts(22), fill=BLUE, anchor="ls")
    x = 148
    b = p.birth
    for part, colour in ((str(b.year), INK), ("年", BLUE), (str(b.month), INK), ("月", BLUE), (str(b.day), INK),
                         ("日", BLUE)):
        f = fonts(28) if colour == INK else fonts(22)
        d.text((x, 232), part, font=f, fill=colour, anchor="ls")
        x += f.getlength(part) + 16
    ms.fields(d, 58, 302, [("住  址", p.address, 380)], fonts, 0, 90)
    d.text((58, 478), "公民身份号码", font=fonts(22), fill=BLUE, anchor="ls")
    ms.spaced(d, (250, 480), p.id_no, fonts(34, "sans-bold"), 4)
    d.rectangle((0, 0, CARD[0] - 1, CARD[1] - 1), outline=(190, 196, 200), width=2)
    return card


def id_back_card(fonts, issuer, period, seed=12, gseed=2):
    card = ms.paper(CARD, (242, 243, 238), seed=seed, grain=8)
    ms.guilloche(card, (0, 0, *CARD), (222, 228, 214), seed=gseed)
    d = ImageDraw.Draw(card)
    ms.seal(card, (140, 140), 82, fonts, color=GREY, alpha=210)
    ms.spaced(d, (560, 130), "中华人民共和国", fonts(44, "serif-bold"), 10, anchor="ms")
    ms.spaced(d, (560, 240), "居民身份证", fonts(66, "serif-bold"), 22, anchor="ms")
    d.text((180, 420), "签发机关", font=fonts(24), fill=BLUE, anchor="ls")
    d.text((310, 420), issuer, font=fonts(28), fill=INK, anchor="ls")
    d.text((180, 480), "有效期限", font=fonts(24), fill=BLUE, anchor="ls")
    d.text((310, 480), period, font=fonts(28), fill=INK, anchor="ls")
    d.rectangle((0, 0, CARD[0] - 1, CARD[1] - 1), outline=(190, 196, 200), width=2)
    return card


def id_back_scan(fonts, issuer, period):
    """Exactly the passing example's id_back.jpg, with another issuer/period."""
    return finish(ms.on_background(id_back_card(fonts, issuer, period), (1000, 660), seed=22, radius=28), fonts)


ID_BACK = {   # (start, end or None for 长期)
    "p1": (date(2022, 3, 10), None), "p2": (date(2012, 6, 5), date(2032, 6, 5)),
    "p3": (date(2010, 8, 16), date(2020, 8, 16)), "p4": (date(2014, 3, 2), date(2024, 3, 2)),
    "p5": (date(2008, 11, 20), date(2028, 11, 20)), "p6": (date(2017, 1, 9), date(2027, 1, 9)),
}
TODAY = date(2026, 11, 20)          # the documents' "now" (the passing work proof's date)


def doc_id_front(ctx, p, layout):
    card = id_front_card(ctx.fonts, p, ctx.portraits, seed=seed_of(p.key, "idf"), gseed=seed_of(p.key, "g1"))
    how = {"a": "scan", "b": "desk", "c": "tight"}[layout]
    bare, clean, mask = present(ctx.fonts, card, how, seed_of(p.key, "idf-bg"), (1000, 660), radius=28)
    return Doc(f"{p.key}_id_front_{layout}", "id_front", bare, clean,
               labels_for("id_front", p.name, p.id_no), mask, (168, 166, 160))


def doc_id_back(ctx, p, layout):
    start, end = ID_BACK[p.key]
    period = f"{dotted(start)}-{dotted(end) if end else '长期'}"
    card = id_back_card(ctx.fonts, p.issuer, period, seed=seed_of(p.key, "idb"), gseed=seed_of(p.key, "g2"))
    how = {"a": "scan", "b": "desk", "c": "tight"}[layout]
    bare, clean, mask = present(ctx.fonts, card, how, seed_of(p.key, "idb-bg"), (1000, 660), radius=28)
    variant = "_longterm" if end is None else "_expired" if end < TODAY else ""
    return Doc(f"{p.key}_id_back_{layout}{variant}", "id_back", bare, clean,
               labels_for("id_back", valid_until=end.isoformat() if end else "长期"), mask, (168, 166, 160))


# ---------------------------------------------------------------- diplomas and degrees
SCHOOLS = {"财经": ("天津样本财经大学", "19991"), "商业": ("天津样本商业大学", "19992"),
           "理工": ("天津样本理工学院", "19993"), "师范": ("天津样本师范大学", "19994"),
           "职业": ("天津样本职业技术学院", "19995"), "理工大": ("天津样本理工大学", "19996")}

# person: (school key, major, level 本科/专科, start (y, m), end (y, m), serial, degree subject)
STUDY = {
    "p1": ("财经", "会计学", "本科", (1994, 9), (1998, 7), 123, "管理学"),
    "p2": ("商业", "财务管理", "本科", (2003, 9), (2007, 7), 4567, "管理学"),
    "p3": ("理工", "审计学", "本科", (2010, 9), (2014, 6), 7890, "管理学"),
    "p4": ("师范", "会计学", "本科", (2014, 9), (2018, 6), 2468, "管理学"),
    "p5": ("职业", "会计", "专科", (2001, 9), (2004, 7), 1357, None),
    "p6": ("财经", "金融学", "本科", (2018, 9), (2022, 6), 3579, "经济学"),
}


def diploma_number(code, end_year, level, serial):
    return f"{code}1{end_year}{'05' if level == '本科' else '06'}{serial:06d}"


def degree_number(code, digit, year, serial):
    return f"{code}{digit}{year}{serial:06d}"


def diploma_text(p, major, level, start, end):
    years = "四年制本科" if level == "本科" else "三年制专科"
    return (f"　　学生 {p.name}，性别 {p.sex}，{cn_ymd(p.birth)}生，于{start[0]}年{start[1]}月至{end[0]}年{end[1]}月"
            f"在本校 {major} 专业 {years}学习，修完教学计划规定的全部课程，成绩合格，准予毕业。")


def degree_text(p, school, major, subject, master=False):
    if master:
        return (f"　　{p.name}，{p.sex}，{cn_ymd(p.birth)}生。在 {school} {major}专业完成了硕士研究生学习计划，"
                f"通过论文答辩，经审核符合《中华人民共和国学位条例》的规定，授予{subject}硕士学位。")
    return (f"　　{p.name}，{p.sex}，{cn_ymd(p.birth)}生。在 {school} {major}专业完成了本科学习计划，业已毕业，"
            "经审核符合《中华人民共和国学位条例》的规定，授予" f"{subject}学士学位。")


def landscape_cert(ctx, title, seed, colour=(150, 110, 55), title_size=60):
    page, d = ms.certificate_page(ctx.fonts, title, seed=seed, title_size=title_size)
    if colour != (150, 110, 55):
        d.rectangle((28, 28, 1311, 911), outline=colour, width=7)
        d.rectangle((44, 44, 1295, 895), outline=colour, width=2)
    return page, d


def portrait_cert(ctx, title, seed, colour, title_size=84, title_y=190, gap=40, top=None):
    page = ms.paper((1000, 1400), (248, 245, 236), seed=seed, grain=8)
    d = ImageDraw.Draw(page)
    border(d, page.size, colour, inset=30, width=10)
    corner_ornaments(d, page.size, colour, inset=70)
    ms.guilloche(page, (80, 80, 920, 1320), tuple(min(255, c + 150) for c in colour), seed=seed, lines=6)
    if top:
        ms.spaced(d, (500, title_y - title_size - 10), top, ctx.fonts(34, "serif-bold"), 8, anchor="ms")
    ms.spaced(d, (500, title_y), title, ctx.fonts(title_size, "serif-bold"), gap, anchor="ms")
    return page, d


def doc_diploma(ctx, p, layout, seal=True, school_key=None, number=None, study=None):
    fonts = ctx.fonts
    sk, major, level, start, end, serial, _ = study or STUDY[p.key]
    school, code = SCHOOLS[school_key or sk]
    no = number or diploma_number(code, end[0], level, serial)
    issued = date(end[0], end[1], 1)
    body = diploma_text(p, major, level, start, end)
    if layout == "a":     # landscape, the current national form
        page, d = landscape_cert(ctx, "普通高等学校毕业证书", seed_of(p.key, "dip", no))
        ms.paste_multiply(page, ctx.portraits.get(p.portrait, (165, 221)), (110, 250))
        ms.paragraph(d, (340, 250), body, fonts(32, "serif"), 880, spacing=2.0)
        f = fonts(28, "serif")
        text(d, (780, 690), f"校  名：{school}", f)
        text(d, (780, 750), "校（院）长：样本", f)
        text(d, (780, 810), cn_ymd(issued), f)
        text(d, (110, 810), f"证书编号：{no}", fonts(24))
        if seal:
            stamp(page, (1000, 712), 96, fonts, school, "样本", seed=seed_of(no), angle=-8)
        bare, clean, mask = present(fonts, page, "scan", seed_of(p.key, "dip-bg"), (1400, 1000))
    else:                 # portrait, older style with the photo on top
        page, d = portrait_cert(ctx, "毕业证书", seed_of(p.key, "dip", no), (120, 40, 40))
        ms.paste_multiply(page, ctx.portraits.get(p.portrait, (180, 240)), (410, 270))
        ImageDraw.Draw(page).ellipse((520, 440, 640, 560), outline=(200, 196, 186), width=5)   # steel stamp
        ms.paragraph(d, (130, 600), body, fonts(31, "serif"), 740, spacing=2.0)
        f = fonts(28, "serif")
        text(d, (470, 1050), f"校  名：{school}", f)
        text(d, (470, 1105), "校（院）长：样本", f)
        text(d, (470, 1160), cn_numeral_date(issued), f)
        text(d, (130, 1250), f"证书编号：{no}", fonts(24))
        if seal:
            stamp(page, (660, 1090), 92, fonts, school, "样本", seed=seed_of(no), angle=12)
        bare, clean, mask = present(fonts, page, "page", 0)
    tag = "" if seal else "_noseal"
    if school_key and school_key != sk:
        tag += "_otherschool"
    return Doc(f"{p.key}_diploma_{layout}{tag}", "diploma", bare, clean,
               labels_for("diploma", p.name, cert_no=no, seal="yes" if seal else "no"), mask, (250, 248, 240))


MASTERS = {"p2": ("财经", "会计学", (2010, 9), (2013, 6), 789, "管理学")}


def doc_degree(ctx, p, layout, master=False):
    fonts = ctx.fonts
    if master:
        sk, major, start, end, serial, subject = MASTERS[p.key]
        digit = "3"
    else:
        sk, major, _, start, end, serial, subject = STUDY[p.key]
        digit = "4"
    school, code = SCHOOLS[sk]
    no = degree_number(code, digit, end[0], serial)
    issued = date(end[0], end[1], 10 if master else 1)
    body = degree_text(p, school, major, subject, master)
    title = "硕士学位证书" if master else "学士学位证书"
    if layout in ("a", "c"):
        colour = (150, 110, 55) if layout == "a" else (40, 70, 120)
        page, d = landscape_cert(ctx, title, seed_of(p.key, "deg", no), colour, title_size=66)
        if layout == "a":
            ms.paste_multiply(page, ctx.portraits.get(p.portrait, (165, 221)), (110, 250))
            ms.paragraph(d, (340, 250), body, fonts(32, "serif"), 880, spacing=2.0)
            f = fonts(28, "serif")
            text(d, (780, 690), school, f)
            text(d, (780, 750), "学位评定委员会主席：样本", f)
            text(d, (780, 810), cn_ymd(issued), f)
            text(d, (110, 810), f"证书编号：{no}", fonts(24))
            spot = (900, 700)
        else:
            ms.paste_multiply(page, ctx.portraits.get(p.portrait, (165, 221)), (1060, 250))
            ms.paragraph(d, (110, 260), body, fonts(32, "serif"), 900, spacing=2.0)
            f = fonts(28, "serif")
            text(d, (110, 700), f"证书编号：{no}", fonts(26))
            text(d, (760, 700), f"{school}学位评定委员会", f)
            text(d, (760, 760), "主席：样本", f)
            text(d, (760, 820), cn_ymd(issued), f)
            spot = (960, 730)
        stamp(page, spot, 92, fonts, school, "样本", seed=seed_of(no), angle=6)
        bare, clean, mask = present(fonts, page, "scan", seed_of(p.key, "deg-bg"), (1400, 1000))
    else:
        page, d = portrait_cert(ctx, title, seed_of(p.key, "deg", no), (30, 80, 60), title_size=70, gap=16)
        ms.paste_multiply(page, ctx.portraits.get(p.portrait, (180, 240)), (410, 270))
        ms.paragraph(d, (130, 600), body, fonts(31, "serif"), 740, spacing=2.0)
        f = fonts(28, "serif")
        text(d, (470, 1050), school, f)
        text(d, (470, 1105), "学位评定委员会主席：样本", f)
        text(d, (470, 1160), cn_numeral_date(issued), f)
        text(d, (130, 1250), f"证书编号：{no}", fonts(24))
        stamp(page, (640, 1080), 92, fonts, school, "样本", seed=seed_of(no), angle=-10)
        bare, clean, mask = present(fonts, page, "page", 0)
    return Doc(f"{p.key}_degree_{layout}{'_master' if master else ''}", "degree", bare, clean,
               labels_for("degree", p.name, cert_no=no, seal="yes"), mask, (250, 248, 240))


# ---------------------------------------------------------------- title certificates
@dataclass
class Title:
    series: str          # 会计 / 经济
    name: str            # 会计师 / 助理会计师 / 经济师
    level: str           # 中级 / 初级
    approved: tuple      # (year, month)
    serial: int
    unit: str = ""       # 工作单位 printed on layout b (default: the person's employer)


def title_numbers(p, t):
    y, m = t.approved
    mgmt = f"{y % 100:02d}{p.region[:4]}{m:02d}{t.serial:05d}"
    certno = f"{y}{p.region}{t.serial:05d}"
    prefix = "KJ" if t.series == "会计" else "JJ"
    job_no = f"{prefix}{y}{p.region[2:6]}{t.serial:04d}"
    return mgmt, certno, job_no


def doc_title(ctx, p, layout, t: Title, stem_extra=""):
    """a: 会计专业技术资格证书 (exam), booklet spread, prints 管理号 and 证书编号 (label 证书编号);
    b: 专业技术职务任职资格证书, prints 证书编号; c: older single page, prints 管理号 only."""
    fonts = ctx.fonts
    mgmt, certno, job_no = title_numbers(p, t)
    y, m = t.approved
    approved = f"{y}年{m:02d}月"
    birth = f"{p.birth.year}年{p.birth.month:02d}月"
    exam_series = {"会计": "会计专业技术资格", "经济": "经济专业技术资格"}[t.series]
    if layout == "a":
        page = ms.paper((1440, 1000), (246, 243, 233), seed=seed_of(p.key, "tc", certno), grain=8)
        d = ImageDraw.Draw(page)
        colour = (130, 30, 35)
        d.rectangle((20, 20, 1419, 979), outline=colour, width=6)
        d.line((720, 40, 720, 960), fill=(200, 192, 176), width=3)
        emblem(page, (360, 170), 70, fonts)
        ms.spaced(d, (360, 330), f"{exam_series}证书", fonts(44, "serif-bold"), 4, anchor="ms")
        ms.paragraph(d, (110, 430), f"　　本证书表明持证人通过全国统一组织的考试，取得{exam_series}"
                     f"（{t.level}），具备担任相应专业技术职务的任职资格。", fonts(27, "serif"), 510, spacing=1.9)
        text(d, (110, 760), "签发单位：天津市样本人事考试中心", fonts(26, "serif"))
        text(d, (110, 820), f"签发日期：{y}年{m:02d}月", fonts(26, "serif"))
        stamp(page, (470, 780), 86, fonts, "天津市样本人事考试中心", "样本", seed=seed_of(certno), angle=-12)
        ms.paste_multiply(page, ctx.portraits.get(p.portrait, (150, 200)), (1200, 90))
        rows = [("姓　　名", p.name), ("性　　别", p.sex), ("出生年月", birth), ("身份证件号码", p.id_no),
                ("资格名称", exam_series), ("级　　别", t.level), ("批准日期", approved), ("管 理 号", mgmt),
                ("证书编号", certno)]
        for i, (label, value) in enumerate(rows):
            yy = 150 + i * 88 + (60 if i >= 3 else 0)
            text(d, (780, yy), label, fonts(26, "serif-bold"))
            text(d, (960, yy), value, fonts(28, "serif"))
            d.line((955, yy + 10, 1380 if i >= 3 else 1170, yy + 10), fill=(170, 160, 140), width=1)
        label_no = certno
        bare, clean, mask = present(fonts, page, "scan", seed_of(p.key, "tc-bg"), (1500, 1060))
    elif layout == "b":
        page = ms.paper((1000, 1400), (248, 246, 238), seed=seed_of(p.key, "tc", job_no), grain=8)
        d = ImageDraw.Draw(page)
        colour = (150, 40, 40)
        border(d, page.size, colour, inset=30, width=8)
        emblem(page, (500, 150), 62, fonts)
        ms.spaced(d, (500, 290), "专业技术职务任职资格证书", fonts(54, "serif-bold"), 4, anchor="ms")
        x0, x1, xl, xp = 110, 890, 300, 690
        rows = [("姓　　名", p.name), ("性　　别", p.sex), ("出生年月", birth), ("身份证号", p.id_no),
                ("工作单位", t.unit or UNITS.get(p.key, UNITS["li"])[0]), ("系　　列", t.series), ("资格名称", t.name),
                ("资格级别", t.level), ("评审机构", "天津市样本职称评审委员会"), ("批准时间", approved),
                ("批准文号", f"津样本职改〔{y}〕{t.serial % 90 + 10}号"), ("证书编号", job_no)]
        top, rh = 350, 64
        for i, (label, value) in enumerate(rows):
            yy = top + i * rh
            right = xp if i < 4 else x1
            d.rectangle((x0, yy, right, yy + rh), outline=INK, width=2)
            d.line((xl, yy, xl, yy + rh), fill=INK, width=2)
            text(d, ((x0 + xl) / 2, yy + rh / 2), label, fonts(26, "sans-bold"), anchor="mm")
            text(d, (xl + 20, yy + rh / 2), value, fonts(28 if len(value) < 16 else 25), anchor="lm")
        d.rectangle((xp, top, x1, top + 4 * rh), outline=INK, width=2)
        ms.paste_multiply(page, ctx.portraits.get(p.portrait, (176, 234)), (xp + 12, top + 26))
        yb = top + len(rows) * rh + 70
        text(d, (560, yb), "天津市样本职称评审委员会", fonts(28, "serif"))
        text(d, (640, yb + 60), f"{y}年{m}月", fonts(28, "serif"))
        stamp(page, (740, yb + 10), 92, fonts, "天津市样本职称评审委员会", "专用章", seed=seed_of(job_no), angle=8)
        label_no = job_no
        bare, clean, mask = present(fonts, page, "page", 0)
    else:
        page, d = landscape_cert(ctx, f"{exam_series}证书", seed_of(p.key, "tc", mgmt), (40, 100, 70), title_size=56)
        ms.paste_multiply(page, ctx.portraits.get(p.portrait, (165, 221)), (130, 260))
        rows = [("姓　　名", p.name), ("性　　别", p.sex), ("出生年月", birth), ("身份证件号码", p.id_no),
                ("资格名称", f"{exam_series}（{t.level}）"), ("批准日期", approved), ("管 理 号", mgmt)]
        for i, (label, value) in enumerate(rows):
            yy = 280 + i * 76
            text(d, (380, yy), label, fonts(28, "serif-bold"))
            text(d, (590, yy), value, fonts(30, "serif"))
            d.line((585, yy + 10, 1200, yy + 10), fill=(170, 160, 140), width=1)
        text(d, (780, 850), "天津市样本人事考试中心", fonts(26, "serif"))
        stamp(page, (1080, 790), 90, fonts, "天津市样本人事考试中心", "样本", seed=seed_of(mgmt), angle=-6)
        label_no = mgmt
        bare, clean, mask = present(fonts, page, "scan", seed_of(p.key, "tc-bg"), (1400, 1000))
    tag = {"会计师": "", "助理会计师": "_assistant", "经济师": "_economist"}.get(t.name, "_" + t.name)
    return Doc(f"{p.key}_title_cert_{layout}{tag}{stem_extra}", "title_cert", bare, clean,
               labels_for("title_cert", p.name, p.id_no, cert_no=label_no, seal="yes"), mask, (250, 248, 240))


# ---------------------------------------------------------------- work proofs
WORK = {   # person: (start (y, m), posts [(from, to, unit post, 职务)], date of the proof)
    "p1": ((1998, 7), [("1998.07-2005.04", "出纳、总账会计", "助理会计师"), ("2005.05-至今", "财务主管", "会计师")],
           date(2026, 10, 12)),
    "p2": ((2007, 7), [("2007.07-2013.08", "总账会计", "助理会计师"), ("2013.09-至今", "财务部副经理", "会计师")],
           date(2026, 11, 3)),
    "p3": ((2014, 7), [("2014.07-至今", "成本会计", "助理会计师")], date(2026, 9, 28)),
    "p4": ((2018, 7), [("2018.07-2022.08", "往来会计", "助理会计师"), ("2022.09-至今", "财务主管", "会计师")],
           date(2026, 11, 16)),
    "p5": ((2004, 8), [("2004.08-2015.08", "会计", "会计员"), ("2015.09-至今", "财务科科长", "会计师")],
           date(2026, 12, 1)),
    "p6": ((2022, 7), [("2022.07-至今", "核算会计", "助理会计师")], date(2026, 10, 30)),
    "li": ((2010, 7), [("2010.07-2016.08", "总账会计", "会计员"), ("2016.09-至今", "财务主管", "会计师")],
           date(2026, 11, 20)),
}


def put_seal(page, fonts, style, center, unit, seed):
    """style: round | oval | faded | overlap | none."""
    if style in (None, "none", "noseal"):
        return
    if style == "oval":
        stamp(page, center, 118, fonts, unit, "财务专用章", shape="oval", star=False, seed=seed, angle=-4)
    elif style == "faded":
        stamp(page, center, 100, fonts, unit, "样本", seed=seed, angle=14, faded=True, code="1201000012345")
    else:
        stamp(page, center, 104 if style == "overlap" else 100, fonts, unit, "样本", seed=seed,
              angle=random.Random(seed).uniform(-15, 15), code="1201000067890" if style == "round" else None)


def doc_work_proof(ctx, p, layout, seal="round", unit_key=None, stem_extra=""):
    """a: 会计专业工作经历证明 table (prints the ID number); b: letter 兹证明 … 同志（身份证号：…）;
    c: letterhead 工作证明 without the ID number."""
    fonts = ctx.fonts
    unit, uscc, addr, phone = UNITS[unit_key or p.key]
    (sy, sm), posts, when = WORK[p.key]
    page = ms.paper((1180, 1694), (249, 248, 244), seed=seed_of(p.key, "wp", layout, unit), grain=7)
    d = ImageDraw.Draw(page)
    has_id = layout in ("a", "b")
    if layout == "a":
        ms.spaced(d, (590, 150), "会计专业工作经历证明", fonts(52, "sans-bold"), 6, anchor="ms")
        d.text((590, 215), "（会计专业工作简历表）", font=fonts(30), fill=INK, anchor="ms")
        y = ms.table(d, 90, 290, [230, 280, 170, 320],
                     [["姓名", p.name, "身份证号", p.id_no], ["工作单位", unit, None, None],
                      ["统一社会信用代码", uscc, None, None]], 70, fonts, shade_cols=(0, 2))
        rows = [["起止时间", "工作单位", "从事何种会计工作", "职务"]]
        rows += [[period, unit, work, post] for period, work, post in posts]
        rows += [["", "", "", ""]] * (6 - len(rows))
        y = ms.table(d, 90, y + 60, [220, 400, 240, 140], rows, 80, fonts, header=True,
                     size=24 if len(unit) <= 13 else 21)
        text(d, (150, y + 110), "兹证明以上情况属实。", fonts(30))
        text(d, (520, y + 300), f"单位（盖章）：{unit}", fonts(28))
        text(d, (800, y + 380), cn_ymd(when), fonts(28))
        spot = (900, y + 290) if seal != "overlap" else (760, y + 300)
    elif layout == "b":
        title = "会计专业工作经历证明" if p.key in ("p2", "li") else "工作证明"
        ms.spaced(d, (590, 230), title, fonts(56, "sans-bold"), 14, anchor="ms")
        roles = "、".join(dict.fromkeys(w for _, w, _ in posts))
        body = (f"　　兹证明 {p.name} 同志（身份证号：{p.id_no}）自{sy}年{sm}月至今在我单位从事会计工作，"
                f"先后担任{roles}等岗位，现任{posts[-1][1]}。该同志工作认真负责，遵守财经纪律，"
                "无违法违纪记录。特此证明。")
        y = ms.paragraph(d, (130, 400), body, fonts(34), 920, spacing=2.0)
        text(d, (130, y + 60), f"联系人：样本　　联系电话：{phone}", fonts(28))
        yb = max(y + 260, 1180)
        text(d, (480, yb), f"单位名称（盖章）：{unit}", fonts(30))
        text(d, (480, yb + 70), f"统一社会信用代码：{uscc}", fonts(30))
        text(d, (780, yb + 150), cn_ymd(when), fonts(30))
        spot = (900, yb - 30) if seal != "overlap" else (760, yb + 20)
    else:
        ms.spaced(d, (590, 130), unit, fonts(46, "serif-bold"), 6, fill=(170, 30, 30), anchor="ms")
        d.line((90, 170, 1090, 170), fill=(170, 30, 30), width=5)
        d.line((90, 180, 1090, 180), fill=(170, 30, 30), width=2)
        ms.spaced(d, (590, 330), "工作证明", fonts(58, "sans-bold"), 24, anchor="ms")
        body = (f"　　兹证明 {p.name}，性别 {p.sex}，自{sy}年{sm}月起在我单位财务部从事会计工作至今，"
                f"现任{posts[-1][1]}，具有{posts[-1][2]}资格。")
        y = ms.paragraph(d, (130, 480), body, fonts(34, "serif"), 920, spacing=2.0)
        text(d, (130, y + 40), "　　特此证明。", fonts(34, "serif"))
        yb = max(y + 300, 1080)
        text(d, (620, yb), f"{unit}（盖章）", fonts(30, "serif"))
        text(d, (760, yb + 70), cn_ymd(when), fonts(30, "serif"))
        spot = (840, yb - 20) if seal != "overlap" else (760, yb + 10)
        d.line((90, 1540, 1090, 1540), fill=(170, 30, 30), width=2)
        text(d, (590, 1585), f"地址：{addr}　电话：{phone}", fonts(22), anchor="ms")
        text(d, (590, 1625), f"统一社会信用代码：{uscc}", fonts(22), anchor="ms")
    put_seal(page, fonts, seal, spot, unit, seed_of(p.key, unit, layout))
    bare, clean, mask = present(fonts, page, "scan" if layout == "a" else "page",
                                seed_of(p.key, "wp-bg"), (1240, 1754))
    sealed = seal not in (None, "none", "noseal")
    tag = "" if seal == "round" else "_noseal" if not sealed else f"_{seal}"
    return Doc(f"{p.key}_work_proof_{layout}{tag}{stem_extra}", "work_proof", bare, clean,
               labels_for("work_proof", p.name, p.id_no if has_id else "", seal="yes" if sealed else "no"),
               mask, (250, 250, 248))


# ---------------------------------------------------------------- residence permits
RESIDENCE = {   # person: (layout, city, issuer, address, start, end)
    "p2": ("a", "天津", "天津市公安局河西分局", "天津市河西区样本路25号3门101号", date(2025, 3, 1), date(2030, 3, 1)),
    "p3": ("b", "天津", "天津市公安局河北分局", "天津市河北区样本里7号楼1单元502号", date(2023, 7, 1), date(2024, 7, 1)),
    "p4": ("a", "天津", "天津市公安局东丽分局", "天津市东丽区样本大道166号", date(2022, 10, 15), date(2025, 10, 15)),
    "p5": ("a", "北京", "北京市公安局朝阳分局", "北京市朝阳区样本路3号院2号楼", date(2024, 5, 20), date(2029, 5, 20)),
    "p6": ("b", "天津", "天津市公安局西青分局", "天津市西青区样本街9号院4号楼", date(2026, 2, 1), date(2027, 2, 1)),
}


def doc_residence(ctx, p, layout, city, issuer, address, start, end, stem=None):
    fonts = ctx.fonts
    period = f"{dotted(start)}-{dotted(end)}"
    title = f"{city}市居住证"
    tint = (236, 218, 214) if city == "天津" else (214, 226, 236)
    card = ms.paper(CARD, (244, 241, 236), seed=seed_of(p.key, "rp", layout, city), grain=8)
    ms.guilloche(card, (0, 0, *CARD), tint, seed=seed_of(p.key, "rpg"))
    d = ImageDraw.Draw(card)
    if layout == "a":    # the passing example's layout, with the validity
        ms.spaced(d, (440, 78), title, fonts(40, "serif-bold"), 14, anchor="ms")
        emblem(card, (80, 70), 44, fonts)
        ms.paste_multiply(card, ctx.portraits.get(p.portrait, (210, 282), white_bg=True), (630, 120))
        ms.fields(d, 50, 160, [("姓　　名", p.name, 0), ("公民身份号码", p.id_no, 0), ("居住地址", address, 340)],
                  fonts, 80, 160)
        y = 160 + 80 * 3 + 28     # room for a two-line address (also keeps the validity clear of the watermark)
        ms.fields(d, 50, y, [("签发机关", issuer, 0), ("有效期限", period, 0)], fonts, 70, 160)
    else:                # a blue band, photo on the left
        d.rectangle((0, 0, CARD[0], 84), fill=(40, 90, 160) if city == "天津" else (150, 50, 50))
        ms.spaced(d, (440, 58), title, fonts(40, "sans-bold"), 16, fill=(255, 255, 255), anchor="ms")
        ms.paste_multiply(card, ctx.portraits.get(p.portrait, (200, 268), white_bg=True), (40, 120))
        f_l, f_v = fonts(21), fonts(25)
        rows = [("姓名", p.name), ("性别", f"{p.sex}　　民族　{p.ethnic}"), ("出生", cn_ymd(p.birth)),
                ("住址", address), ("公民身份号码", p.id_no), ("签发机关", issuer), ("有效期限", period)]
        y = 140
        for label, value in rows:
            d.text((270, y), label, font=f_l, fill=BLUE, anchor="ls")
            lines = ms.wrap(value, f_v, 430) if label == "住址" else [value]
            for k, line in enumerate(lines):
                d.text((410, y + k * 34), line, font=f_v, fill=INK, anchor="ls")
            y += 58 + 34 * (len(lines) - 1)
    d.rectangle((0, 0, CARD[0] - 1, CARD[1] - 1), outline=(200, 190, 186), width=2)
    how = "scan" if (seed_of(p.key, "rp") % 3) else "tight"
    bare, clean, mask = present(fonts, card, how, seed_of(p.key, "rp-bg"), (1000, 660), radius=28)
    tag = ("_beijing" if city == "北京" else "") + ("_expired" if end < TODAY else "")
    return Doc(stem or f"{p.key}_residence_permit_{layout}{tag}", "residence_permit", bare, clean,
               labels_for("residence_permit", p.name, p.id_no, end.isoformat()), mask, (168, 166, 160))


# ---------------------------------------------------------------- proofs of study
def doc_report(ctx, p, school, level, major, years, mode, entered, until, updated, code, number, stem=None):
    """教育部学籍在线验证报告 (A4): a table, the 在线验证码 and the 有效期至 date."""
    fonts = ctx.fonts
    page = ms.paper((1240, 1754), (252, 252, 250), seed=seed_of(p.key, "rep", code), grain=5)
    d = ImageDraw.Draw(page)
    emblem(page, (150, 120), 46, fonts)
    text(d, (210, 132), "学籍学历信息样本网", fonts(28, "sans-bold"), fill=(40, 90, 160))
    d.line((80, 180, 1160, 180), fill=(40, 90, 160), width=4)
    ms.spaced(d, (620, 285), "教育部学籍在线验证报告", fonts(54, "sans-bold"), 6, anchor="ms")
    text(d, (620, 345), f"更新日期：{updated.year}年{updated.month:02d}月{updated.day:02d}日", fonts(26),
         anchor="ms")
    xs = [90, 290, 560, 760, 1010, 1150]
    rows = [("姓名", p.name, "性别", p.sex), ("证件号码", p.id_no, None, None),
            ("民族", f"{p.ethnic}族", "出生日期", f"{p.birth.year}年{p.birth.month:02d}月{p.birth.day:02d}日"),
            ("院校", school, None, None), ("层次", level, "专业", major), ("学制", years, "学历类别", "普通高等教育"),
            ("学习形式", mode, "分院", "会计学院"), ("系所", "会计系", "班级", f"{entered.year}级"),
            ("学号", number, "入学日期",
             f"{entered.year}年{entered.month:02d}月{entered.day:02d}日"),
            ("学籍状态", "在籍（注册学籍）", "离校日期", "")]
    top, rh = 400, 74
    for i, (l1, v1, l2, v2) in enumerate(rows):
        yy = top + i * rh
        right = xs[4] if i < 4 else xs[5]
        d.rectangle((xs[0], yy, right, yy + rh), outline=(120, 120, 120), width=2)
        d.rectangle((xs[0], yy, xs[1], yy + rh), fill=(236, 241, 248), outline=(120, 120, 120), width=2)
        text(d, ((xs[0] + xs[1]) / 2, yy + rh / 2), l1, fonts(25), anchor="mm")
        text(d, (xs[1] + 16, yy + rh / 2), v1, fonts(27), anchor="lm")
        if l2:
            d.rectangle((xs[2], yy, xs[3], yy + rh), fill=(236, 241, 248), outline=(120, 120, 120), width=2)
            text(d, ((xs[2] + xs[3]) / 2, yy + rh / 2), l2, fonts(25), anchor="mm")
            text(d, (xs[3] + 16, yy + rh / 2), v2, fonts(27 if len(v2) < 12 else 24), anchor="lm")
    d.rectangle((xs[4], top, xs[5], top + 4 * rh), outline=(120, 120, 120), width=2)
    ms.paste_multiply(page, ctx.portraits.get(p.portrait, (120, 160)), (xs[4] + 10, top + 68))
    text(d, ((xs[4] + xs[5]) / 2, top + 38), "录取照片", fonts(20), anchor="mm")
    yv = top + len(rows) * rh + 90
    text(d, (90, yv), f"在线验证码：{code}", fonts(30, "sans-bold"))
    text(d, (90, yv + 60), f"有效期至：{until.year}年{until.month:02d}月{until.day:02d}日", fonts(30, "sans-bold"))
    qr_standin(page, (930, yv - 50), 200, fonts, seed_of(code))
    ms.paragraph(d, (90, yv + 220), "说明：本报告为学籍信息在线验证报告样本，仅用于测试，非真实报告，"
                 "不能用于任何证明用途。", fonts(24), 1000, spacing=1.7, fill=(90, 90, 90))
    bare, clean, mask = present(fonts, page, "page", 0)
    tag = "_expired" if until < TODAY else ""
    return Doc(stem or f"{p.key}_study_proof_a{tag}", "study_proof", bare, clean,
               labels_for("study_proof", p.name, p.id_no, until.isoformat(), seal="no"), mask, (252, 252, 250))


def doc_student_card(ctx, p, school, college, major, number, entered, seal=True, stem=None, spaced=False):
    """学生证: a booklet's inner spread; the school seal over the photo's corner. ``spaced``: labels
    set out with wide gaps (姓　　名), which a reader sees as separate characters."""
    fonts = ctx.fonts
    page = ms.paper((1300, 860), (240, 243, 246), seed=seed_of(p.key, "card", number), grain=8)
    d = ImageDraw.Draw(page)
    d.rectangle((10, 10, 1289, 849), outline=(60, 80, 120), width=4)
    d.line((650, 20, 650, 840), fill=(190, 194, 200), width=3)
    ms.spaced(d, (325, 180), school, fonts(44, "serif-bold"), 4, anchor="ms")
    ms.spaced(d, (325, 400), "学生证", fonts(96, "serif-bold"), 30, anchor="ms")
    text(d, (325, 520), f"No. {number}", fonts(30), anchor="ms")
    text(d, (325, 700), "（样本，非真实证件）", fonts(26), fill=(110, 110, 110), anchor="ms")
    ms.paste_multiply(page, ctx.portraits.get(p.portrait, (180, 240), white_bg=True), (720, 80))
    rows = [("姓名", p.name), ("性别", p.sex), ("学院", college), ("专业", major),
            ("学号", number), ("入学时间", f"{entered.year}年{entered.month}月"),
            ("发证日期", f"{entered.year}年{entered.month}月")]
    if spaced:
        rows = [(label if len(label) > 2 else f"{label[0]}　　{label[1]}", value) for label, value in rows]
    for i, (label, value) in enumerate(rows):
        yy = 390 + i * 62 if i >= 2 else 140 + i * 70
        xx = 940 if i < 2 else 720
        text(d, (xx, yy), label, fonts(26, "sans-bold"), fill=(60, 80, 120))
        text(d, (xx + 140, yy), value, fonts(28))
    if seal:
        stamp(page, (905, 318), 78, fonts, school, "学生证专用章", seed=seed_of(number), angle=-10)
    bare, clean, mask = present(fonts, page, "scan", seed_of(p.key, "card-bg"), (1380, 940))
    return Doc(stem or f"{p.key}_study_proof_b{'' if seal else '_noseal'}", "study_proof", bare, clean,
               labels_for("study_proof", p.name, seal="yes" if seal else "no"), mask, (168, 166, 160))


# ---------------------------------------------------------------- other pages
def doc_licence(ctx):
    fonts = ctx.fonts
    unit, uscc, addr, _ = UNITS["p2"]
    page = ms.paper((1500, 1060), (250, 247, 240), seed=seed_of("licence"), grain=7)
    d = ImageDraw.Draw(page)
    colour = (170, 40, 40)
    d.rectangle((24, 24, 1475, 1035), outline=colour, width=10)
    d.rectangle((44, 44, 1455, 1015), outline=colour, width=2)
    corner_ornaments(d, page.size, colour, inset=70, n=4)
    emblem(page, (750, 130), 62, fonts)
    ms.spaced(d, (750, 290), "营业执照", fonts(86, "serif-bold"), 36, fill=(150, 30, 30), anchor="ms")
    text(d, (750, 340), "（副　本）", fonts(28), anchor="ms")
    text(d, (110, 240), "统一社会信用代码", fonts(24, "sans-bold"))
    text(d, (110, 280), uscc, fonts(28, "sans-bold"))
    qr_standin(page, (1240, 180), 160, fonts, seed_of("licence-qr"))
    rows = [("名　　称", unit), ("类　　型", "股份有限公司（非上市、自然人投资或控股）"), ("法定代表人", "样本"),
            ("经营范围", "一般项目：软件开发；信息技术咨询服务；会计软件销售；技术服务、技术开发、技术咨询、"
                        "技术交流、技术转让、技术推广。（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）")]
    y = 440
    for label, value in rows:
        text(d, (110, y), label, fonts(26, "sans-bold"))
        lines = ms.wrap(value, fonts(26, "serif"), 560)
        for k, line in enumerate(lines):
            text(d, (270, y + k * 44), line, fonts(26, "serif"))
        y += 44 * len(lines) + 26
    rows2 = [("注册资本", "伍仟万元人民币"), ("成立日期", "2005年03月18日"), ("住　　所", addr)]
    y = 440
    for label, value in rows2:
        text(d, (880, y), label, fonts(26, "sans-bold"))
        text(d, (1030, y), value, fonts(26, "serif"))
        y += 74
    text(d, (980, 880), "登记机关", fonts(30, "sans-bold"))
    text(d, (1010, 950), "2025年06月12日", fonts(26))
    stamp(page, (1120, 880), 98, fonts, "天津市样本区市场监督管理局", "登记专用章", seed=seed_of("lic-seal"), angle=5)
    text(d, (110, 990), "国家企业信用信息公示系统网址：样本", fonts(20), fill=(90, 90, 90))
    bare, clean, mask = present(fonts, page, "scan", seed_of("lic-bg"), (1580, 1130))
    return Doc("x_other_licence", "other", bare, clean, labels_for("other", seal="yes"), mask, (168, 166, 160))


def doc_notice(ctx):
    fonts = ctx.fonts
    unit = UNITS["other"][0]
    page = ms.paper((1180, 1694), (250, 250, 247), seed=seed_of("notice"), grain=6)
    d = ImageDraw.Draw(page)
    ms.spaced(d, (590, 200), "关于样本年度会议安排的通知", fonts(46, "sans-bold"), 2, anchor="ms")
    text(d, (110, 320), "各部门：", fonts(32))
    paras = ["　　为总结本年度工作、部署下一年度任务，经研究，定于2026年12月18日（星期五）上午9:00在公司三楼"
             "会议室召开年度工作会议。现将有关事项通知如下：",
             "　　一、参会人员：各部门负责人及业务骨干。",
             "　　二、会议内容：听取各部门年度工作汇报，讨论下一年度工作计划。",
             "　　三、有关要求：请各部门于12月15日前将书面汇报材料报送综合办公室，参会人员提前十分钟入场。",
             "　　特此通知。"]
    y = 400
    for para in paras:
        y = ms.paragraph(d, (110, y), para, fonts(32), 960, spacing=1.9) + 14
    text(d, (680, y + 170), unit, fonts(30))
    text(d, (760, y + 240), "2026年12月8日", fonts(30))
    stamp(page, (860, y + 180), 100, fonts, unit, "样本", seed=seed_of("notice-seal"), angle=-9)
    bare, clean, mask = present(fonts, page, "page", 0)
    return Doc("x_other_notice", "other", bare, clean, labels_for("other", seal="yes"), mask, (250, 250, 247))


def doc_letter(ctx):
    fonts = ctx.fonts
    page = ms.paper((1180, 1694), (247, 246, 240), seed=seed_of("letter"), grain=7)
    d = ImageDraw.Draw(page)
    ms.spaced(d, (590, 220), "情况说明", fonts(52, "sans-bold"), 20, anchor="ms")
    paras = ["　　因办公场所装修改造，自2026年11月1日起，本部门临时迁至样本大厦五层办公，办公电话及"
             "邮寄地址不变。装修期间给各位带来的不便，敬请谅解。",
             "　　如有疑问，请于工作日上午9:00至下午5:00来电咨询。",
             "　　特此说明。"]
    y = 380
    for para in paras:
        y = ms.paragraph(d, (110, y), para, fonts(34, "serif"), 960, spacing=1.9) + 20
    text(d, (760, y + 160), "样本综合办公室", fonts(32, "serif"))
    text(d, (760, y + 230), "2026年10月26日", fonts(32, "serif"))
    bare, clean, mask = present(fonts, page, "page", 0)
    return Doc("x_other_letter", "other", bare, clean, labels_for("other", seal="no"), mask, (247, 246, 240))


def doc_photo(ctx):
    """A snapshot (a generated person who does not exist): no text at all, so no watermark."""
    img = ctx.portraits.street_full.copy()
    return Doc("x_other_photo", "other", img, img, labels_for("other", seal="no"), None, (128, 128, 128))


# ---------------------------------------------------------------- degradations
def perspective_coeffs(dst, src):
    """PIL PERSPECTIVE coefficients mapping output points dst to input points src."""
    a, b = [], []
    for (x, y), (u, v) in zip(dst, src):
        a.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        b.append(u)
        a.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        b.append(v)
    return np.linalg.solve(np.array(a, float), np.array(b, float)).tolist()


def desk(size, rng):
    """A table top: wood, grey laminate, a light desk or dark cloth."""
    w, h = size
    kind = rng.choice(["wood", "wood", "grey", "light", "dark"])
    if kind == "wood":
        streak = Image.frombytes("L", (6, h // 3), rng.randbytes(6 * (h // 3))).resize((w, h), Image.BICUBIC)
        fine = Image.frombytes("L", (w // 2, h // 2), rng.randbytes((w // 2) * (h // 2))).resize((w, h))
        grain = ImageChops.blend(streak, fine.filter(ImageFilter.GaussianBlur(1.2)), 0.25)
        base = rng.choice([((96, 60, 34), (176, 124, 78)), ((120, 82, 50), (200, 160, 112)),
                           ((70, 44, 30), (140, 96, 66))])
        img = ImageOps.colorize(ImageOps.autocontrast(grain), *base)
        if rng.random() < 0.5:
            img = img.rotate(90, expand=True).resize(size)
    else:
        colour = {"grey": (126, 128, 130), "light": (218, 214, 206), "dark": (48, 52, 62)}[kind]
        img = ms.paper(size, colour, seed=rng.randrange(1 << 30), grain=10, shade=10)
    return img


def lighting(img, rng, lo=0.6, hi=1.0):
    """Uneven light: a bright spot, a falloff and a colour cast."""
    w, h = img.size
    sw, sh = 64, max(2, int(64 * h / w))
    yy, xx = np.mgrid[0:sh, 0:sw].astype(np.float32)
    lx, ly = rng.uniform(0, sw), rng.uniform(0, sh)
    spot = np.exp(-((xx - lx) ** 2 + (yy - ly) ** 2) / (2 * (sw * rng.uniform(0.4, 0.8)) ** 2))
    ang = rng.uniform(0, 2 * math.pi)
    lin = (xx * math.cos(ang) + yy * math.sin(ang)) / sw
    field_ = spot + 0.5 * (lin - lin.min()) / max(1e-6, np.ptp(lin))
    field_ = lo + (hi - lo) * (field_ - field_.min()) / max(1e-6, np.ptp(field_))
    light = Image.fromarray((field_ * 255).astype(np.uint8)).resize((w, h), Image.BICUBIC)
    arr = np.asarray(img).astype(np.float32) * (np.asarray(light, np.float32)[..., None] / 255.0)
    cast = rng.choice([(1.0, 0.97, 0.9), (1.0, 0.99, 0.96), (0.95, 0.98, 1.0), (1.0, 1.0, 1.0)])
    arr *= np.array(cast, np.float32)
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


def sensor_noise(img, rng, amount=6):
    w, h = img.size
    noise = Image.frombytes("L", (w, h), rng.randbytes(w * h)).point(
        lambda v: max(0, min(255, 128 + (v - 128) * amount // 128)))
    return ImageChops.add(img, Image.merge("RGB", [noise] * 3), 1.0, -128)


def desk_photo(doc, rng, tilt=(5, 15), mask=None, light=(0.6, 1.0), frac=(0.7, 0.86), long_side=None):
    """The document photographed on a desk: camera tilted by ``tilt`` degrees (perspective),
    turned a little in the plane, a soft shadow under the page, uneven light and sensor noise."""
    w, h = doc.size
    long_ = long_side or rng.randint(1500, 2000)
    cw, ch = (long_, long_ * 3 // 4) if w >= h else (long_ * 3 // 4, long_)
    tx = math.radians(rng.uniform(*tilt)) * rng.choice([-1, 1])
    ty = math.radians(rng.uniform(-0.45, 0.45) * tilt[1])
    tz = math.radians(rng.uniform(-5, 5))
    dist = max(w, h) * rng.uniform(1.2, 1.8)
    pts = []
    for x, y in ((-w / 2, -h / 2), (w / 2, -h / 2), (w / 2, h / 2), (-w / 2, h / 2)):
        x1, y1 = x * math.cos(tz) - y * math.sin(tz), x * math.sin(tz) + y * math.cos(tz)
        y2, z2 = y1 * math.cos(tx), y1 * math.sin(tx)
        x3, z3 = x1 * math.cos(ty) + z2 * math.sin(ty), -x1 * math.sin(ty) + z2 * math.cos(ty)
        pts.append((dist * x3 / (dist + z3), dist * y2 / (dist + z3)))
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    f = rng.uniform(*frac)
    s = min(cw * f / (max(xs) - min(xs)), ch * f / (max(ys) - min(ys)))
    ox = cw / 2 - s * (max(xs) + min(xs)) / 2 + rng.uniform(-0.04, 0.04) * cw
    oy = ch / 2 - s * (max(ys) + min(ys)) / 2 + rng.uniform(-0.04, 0.04) * ch
    dst = [(ox + s * x, oy + s * y) for x, y in pts]
    # resample once at about the final scale, then warp (avoids aliasing on shrinking)
    k = min(1.0, s * 1.05)
    small = doc.resize((max(1, int(w * k)), max(1, int(h * k))), Image.LANCZOS) if k < 1 else doc
    m = (mask.resize(small.size, Image.LANCZOS) if mask is not None else Image.new("L", small.size, 255))
    src = [(0, 0), (small.width, 0), (small.width, small.height), (0, small.height)]
    coeffs = perspective_coeffs(dst, src)
    warped = small.transform((cw, ch), Image.PERSPECTIVE, coeffs, Image.BICUBIC)
    wmask = m.transform((cw, ch), Image.PERSPECTIVE, coeffs, Image.BICUBIC)
    canvas = desk((cw, ch), rng)
    shadow = wmask.filter(ImageFilter.GaussianBlur(max(4, long_ // 120)))
    shadow = ImageChops.offset(shadow, rng.randint(4, 14), rng.randint(6, 18)).point(lambda v: v * 0.55)
    canvas.paste((20, 18, 16), (0, 0), shadow)
    canvas.paste(warped, (0, 0), wmask)
    canvas = lighting(canvas, rng, *light)
    canvas = sensor_noise(canvas, rng, amount=rng.randint(5, 9))
    return canvas.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.7)))


def cast_shadow(img, rng):
    """A soft shadow (hand, phone, lamp arm) across one part of the page."""
    w, h = img.size
    mask = Image.new("L", (w, h), 0)
    d = ImageDraw.Draw(mask)
    side = rng.choice(["left", "right", "top", "bottom", "corner"])
    cover = rng.uniform(0.25, 0.5)
    j = lambda: rng.uniform(-0.12, 0.12)  # noqa: E731
    if side == "left":
        poly = [(0, 0), (w * (cover + j()), 0), (w * (cover + j()), h), (0, h)]
    elif side == "right":
        poly = [(w, 0), (w * (1 - cover + j()), 0), (w * (1 - cover + j()), h), (w, h)]
    elif side == "top":
        poly = [(0, 0), (w, 0), (w, h * (cover + j())), (0, h * (cover + j()))]
    elif side == "bottom":
        poly = [(0, h), (w, h), (w, h * (1 - cover + j())), (0, h * (1 - cover + j()))]
    else:
        poly = [(w, h), (w * (1 - cover * 1.6), h), (w, h * (1 - cover * 1.6))]
    # a wavy edge, like a hand or sleeve
    edge = []
    for k in range(len(poly)):
        a, b = poly[k], poly[(k + 1) % len(poly)]
        for t in np.linspace(0, 1, 8, endpoint=False):
            edge.append((a[0] + (b[0] - a[0]) * t + rng.uniform(-0.02, 0.02) * w,
                         a[1] + (b[1] - a[1]) * t + rng.uniform(-0.02, 0.02) * h))
    d.polygon(edge, fill=255)
    mask = mask.filter(ImageFilter.GaussianBlur(max(w, h) * rng.uniform(0.015, 0.04)))
    strength = rng.uniform(0.38, 0.6)
    tint = tuple(int(255 * (1 - strength) * c) for c in (0.95, 0.98, 1.0))   # a little bluish, like shade
    dark = ImageChops.multiply(img, Image.new("RGB", (w, h), tint))
    out = img.copy()
    out.paste(dark, (0, 0), mask)
    return out


def scale_long(img, long_side):
    k = long_side / max(img.size)
    return img.resize((max(1, round(img.width * k)), max(1, round(img.height * k))), Image.LANCZOS)


def motion_blur(img, rng, length):
    ang = rng.uniform(0, math.pi)
    arr = np.asarray(img).astype(np.float32)
    acc = np.zeros_like(arr)
    for i in range(length):
        t = i - (length - 1) / 2
        dx, dy = int(round(t * math.cos(ang))), int(round(t * math.sin(ang)))
        acc += np.roll(np.roll(arr, dy, axis=0), dx, axis=1)
    return Image.fromarray(np.clip(acc / length, 0, 255).astype(np.uint8))


def degrade(doc: Doc, deg: str, rng) -> tuple[Image.Image, int]:
    """(image, JPEG quality) of one degraded copy."""
    quality = rng.randint(82, 90)
    if deg.startswith("angle"):
        img = desk_photo(doc.bare, rng, tilt=(5, 15), mask=doc.mask)
    elif deg == "shadow":
        img = cast_shadow(doc.clean, rng)
    elif deg == "jpeg":
        img = doc.clean
    elif deg.startswith("small"):
        img = scale_long(doc.clean, rng.randint(600, 800) if deg == "small" else rng.randint(700, 800))
    elif deg == "rotate":
        angle = rng.uniform(2, 8) * rng.choice([-1, 1])
        img = doc.clean.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=doc.paper)
    elif deg == "blur":
        if rng.random() < 0.6:
            img = doc.clean.filter(ImageFilter.GaussianBlur(rng.uniform(1.0, 1.5)))
        else:
            img = motion_blur(doc.clean, rng, rng.randint(5, 8))
    else:
        raise ValueError(deg)
    if deg == "small-blur":
        img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.8, 1.1)))
    if deg.endswith("jpeg"):
        quality = rng.randint(15, 30) if deg == "jpeg" else rng.randint(18, 30)
    return img, quality


# ---------------------------------------------------------------- the set
class Ctx:
    def __init__(self, fonts, portraits):
        self.fonts, self.portraits = fonts, portraits


def build_documents(ctx):
    """Every clean document of the set, in a fixed order."""
    docs = []
    for i, p in enumerate(PEOPLE):
        docs.append(lambda p=p, i=i: doc_id_front(ctx, p, "abc"[i % 3]))
        docs.append(lambda p=p, i=i: doc_id_back(ctx, p, "bca"[i % 3]))
    dip = {"p1": ("b", True), "p2": ("a", True), "p3": ("a", False), "p4": ("b", True), "p5": ("a", True),
           "p6": ("a", True)}
    for key, (layout, seal) in dip.items():
        docs.append(lambda key=key, layout=layout, seal=seal: doc_diploma(ctx, P[key], layout, seal))
    for key, layout, master in (("p1", "b", False), ("p2", "a", False), ("p2", "c", True), ("p3", "a", False),
                                ("p4", "b", False), ("p6", "a", False)):
        docs.append(lambda key=key, layout=layout, master=master: doc_degree(ctx, P[key], layout, master))
    titles = [("p1", "a", Title("会计", "会计师", "中级", (2005, 5), 1203)),
              ("p1", "c", Title("会计", "助理会计师", "初级", (1999, 5), 877)),
              ("p2", "b", Title("会计", "会计师", "中级", (2013, 9), 3321)),
              ("p3", "a", Title("会计", "助理会计师", "初级", (2016, 5), 4410)),
              ("p4", "a", Title("会计", "会计师", "中级", (2022, 9), 5127)),
              ("p5", "b", Title("经济", "经济师", "中级", (2012, 11), 2290)),
              ("p5", "c", Title("会计", "会计师", "中级", (2015, 9), 6034)),
              ("p6", "b", Title("会计", "助理会计师", "初级", (2023, 5), 7745))]
    for key, layout, t in titles:
        docs.append(lambda key=key, layout=layout, t=t: doc_title(ctx, P[key], layout, t))
    for key, layout, seal in (("p1", "a", "round"), ("p2", "b", "oval"), ("p3", "b", "noseal"),
                              ("p4", "c", "faded"), ("p5", "a", "overlap"), ("p6", "c", "noseal"),
                              ("p6", "b", "overlap")):
        docs.append(lambda key=key, layout=layout, seal=seal: doc_work_proof(ctx, P[key], layout, seal))
    for key, args in RESIDENCE.items():
        docs.append(lambda key=key, args=args: doc_residence(ctx, P[key], *args))
    docs.append(lambda: doc_report(ctx, P["p4"], "天津样本财经大学", "硕士研究生", "会计", "3年", "非全日制",
                                   date(2024, 9, 1), date(2027, 3, 31), date(2026, 10, 12), "A7K2M9Q4X3B8P5D1",
                                   "2024110537"))
    docs.append(lambda: doc_report(ctx, P["p6"], "天津样本财经大学", "硕士研究生", "会计", "2年", "非全日制",
                                   date(2023, 9, 1), date(2025, 12, 31), date(2025, 6, 30), "H3T8R2W6N4C9L7F5",
                                   "2023080912"))
    docs.append(lambda: doc_student_card(ctx, P["p4"], "天津样本财经大学", "会计学院", "会计（非全日制）",
                                         "2024110537", date(2024, 9, 1), True))
    docs.append(lambda: doc_student_card(ctx, P["p6"], "天津样本师范大学", "经济与管理学院", "会计学",
                                         "2023080912", date(2023, 9, 1), False, spaced=True))
    docs += [lambda: doc_licence(ctx), lambda: doc_notice(ctx), lambda: doc_letter(ctx), lambda: doc_photo(ctx)]
    return docs


def assign_degradations(n, seed):
    """PER_DOC distinct degradations for each of n documents, all kinds about equally often."""
    rng = random.Random(f"degradations/{seed}")
    pool, out = [], []
    for _ in range(n):
        chosen = []
        while len(chosen) < PER_DOC:
            if not [g for g in pool if g not in chosen]:
                extra = list(DEGRADATIONS)
                rng.shuffle(extra)
                pool += extra
            g = next(g for g in pool if g not in chosen)
            pool.remove(g)
            chosen.append(g)
        out.append(sorted(chosen, key=DEGRADATIONS.index))
    return out


def encode(img, quality) -> bytes:
    buf = io.BytesIO()
    img.convert("RGB").save(buf, "JPEG", quality=quality, optimize=True)
    return buf.getvalue()


def fit_clean(img):
    """Clean scans: long side between 900 and 2000 px."""
    long_ = max(img.size)
    if long_ > 2000:
        return scale_long(img, 2000)
    if long_ < 900:
        return scale_long(img, 900)
    return img


def check_out_dir(out: Path, force: bool):
    if out.exists() and not out.is_dir():
        die(f"{out} exists and is not a folder", 2)
    if out.is_dir() and any(out.iterdir()) and not force:
        die(f"refusing to write into the non-empty folder {out} (use --force)")
    out.mkdir(parents=True, exist_ok=True)


def write_set(out: Path, fonts, portraits, seed: int, clean_only: bool, force: bool) -> int:
    check_out_dir(out, force)
    old = set()
    if (out / "labels.csv").is_file():
        with open(out / "labels.csv", encoding="utf-8", newline="") as fh:
            old = {row["file"] for row in csv.DictReader(fh) if row.get("file") and "/" not in row["file"]}
    ctx = Ctx(fonts, portraits)
    makers = build_documents(ctx)
    plan = assign_degradations(len(makers), seed)
    rows, t0, total = [], time.time(), 0
    counts: dict[str, int] = {}
    for make, degs in zip(makers, plan):
        doc = make()
        assert doc.kind in KINDS, doc.kind
        outputs = [(f"{doc.stem}.jpg", fit_clean(doc.clean), 88, "clean")]
        if not clean_only:
            for g in degs:
                img, q = degrade(doc, g, random.Random(f"{seed}/{doc.stem}/{g}"))
                outputs.append((f"{doc.stem}__{g}.jpg", img, q, g))
        for name, img, q, g in outputs:
            data = encode(img, q)
            ms.write_atomic(out / name, data)
            total += len(data)
            rows.append({"file": name, **doc.labels})
            counts[g] = counts.get(g, 0) + 1
    rows.sort(key=lambda r: r["file"])
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    ms.write_atomic(out / "labels.csv", buf.getvalue().encode("utf-8"))
    for stale in sorted(old - {r["file"] for r in rows}):
        (out / stale).unlink(missing_ok=True)
    kinds: dict[str, int] = {}
    for r in rows:
        kinds[r["kind"]] = kinds.get(r["kind"], 0) + 1
    print(f"{out}: {len(rows)} images, {total / 1e6:.1f} MB, {time.time() - t0:.0f} s")
    print("  by kind:        " + ", ".join(f"{k} {kinds.get(k, 0)}" for k in KINDS))
    print("  by degradation: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return 0


# ---------------------------------------------------------------- fixtures for the rule tests
FIXTURE_MAX_BYTES, FIXTURE_LONG = 120_000, 1400


def encode_small(img) -> bytes:
    """JPEG ≤ 120 KB with long side ≤ 1400 px: lower the quality, then the size, as needed."""
    if max(img.size) > FIXTURE_LONG:
        img = scale_long(img, FIXTURE_LONG)
    while True:
        for q in (85, 80, 75, 70, 65, 60, 55):
            data = encode(img, q)
            if len(data) <= FIXTURE_MAX_BYTES:
                return data
        img = img.resize((int(img.width * 0.9), int(img.height * 0.9)), Image.LANCZOS)


def write_fixtures(out: Path, fonts, portraits, force: bool) -> int:
    check_out_dir(out, force)
    ctx = Ctx(fonts, portraits)
    li = LI
    assert li.id_no == ms.ID_NO, li.id_no
    study = ("财经", "会计学", "本科", (2006, 9), (2010, 7), 1234, "管理学")
    other_unit = "other"

    def title(layout, series, name, level, ym, unit=""):
        return doc_title(ctx, li, layout, Title(series, name, level, ym, 1, unit)).clean

    def work(seal, unit_key="li"):
        return doc_work_proof(ctx, li, "b", seal, unit_key=unit_key).clean

    def residence(city, issuer, address, start, end):
        return doc_residence(ctx, li, "a", city, issuer, address, start, end).clean

    ok_proof = work("round")
    tiny = scale_long(ok_proof, 400)
    handheld = ms.portrait(portraits.items["white"][0], (11, 0, 401, 520), (900, 1200))
    handheld = ImageChops.add(handheld, ms.paper((900, 1200), (128, 128, 128), seed=23, grain=10, shade=0), 1.0, -128)
    made = {
        "title_cert_ok.jpg": title("a", "会计", "会计师", "中级", (2016, 9)),
        "title_cert_assistant.jpg": title("b", "会计", "助理会计师", "初级", (2012, 9)),
        # no 会计 anywhere on it (her employer's name has it): only the series tells it apart
        "title_cert_economist.jpg": title("b", "经济", "经济师", "中级", (2016, 9), "天津市样本商贸有限公司"),
        "title_cert_other_month.jpg": title("a", "会计", "会计师", "中级", (2017, 9)),
        "work_proof_ok.jpg": ok_proof,
        "work_proof_noseal.jpg": work("noseal"),
        "work_proof_other_unit.jpg": work("round", other_unit),
        "residence_permit_ok.jpg": residence("天津", ms.ISSUER, "天津市南开区样本路1号", date(2025, 7, 1), date(2030, 7, 1)),
        "residence_permit_expired.jpg": residence("天津", ms.ISSUER, "天津市南开区样本路1号", date(2024, 7, 1),
                                                  date(2025, 6, 30)),
        "residence_permit_beijing.jpg": residence("北京", "北京市公安局朝阳分局", "北京市朝阳区样本路3号院2号楼",
                                                  date(2025, 9, 1), date(2028, 9, 1)),
        "study_proof_report.jpg": doc_report(ctx, li, ms.SCHOOL, "硕士研究生", "会计", "3年", "非全日制",
                                             date(2024, 9, 1), date(2027, 6, 30), date(2026, 11, 2),
                                             "K5P8T2R7M3W9Q4X6", "2024110123").clean,
        "study_proof_report_expired.jpg": doc_report(ctx, li, ms.SCHOOL, "硕士研究生", "会计", "3年", "非全日制",
                                                     date(2024, 9, 1), date(2026, 1, 31), date(2025, 8, 1),
                                                     "K5P8T2R7M3W9Q4X6", "2024110123").clean,
        "study_proof_card.jpg": doc_student_card(ctx, li, ms.SCHOOL, "会计学院", "会计（非全日制）", "2024110123",
                                                 date(2024, 9, 1), True).clean,
        "id_back_expired.jpg": id_back_scan(fonts, ms.ISSUER, "2010.03.15-2020.03.15"),
        "diploma_school_other.jpg": doc_diploma(ctx, li, "a", True, school_key="理工大", number="199991201005001234",
                                                study=study).clean,
        "handheld_no_card.jpg": finish(handheld, fonts),
        "tiny_text.jpg": tiny,
        "blurry.jpg": ok_proof.filter(ImageFilter.GaussianBlur(4)),
        # DC014: a scan upside down (read only once turned) and a page turned clockwise (read as it is)
        "work_proof_upside_down.jpg": ok_proof.rotate(180, expand=True),
        "title_cert_sideways.jpg": title("a", "会计", "会计师", "中级", (2016, 9)).rotate(-90, expand=True),
    }
    for name, img in made.items():
        data = encode_small(img)
        ms.write_atomic(out / name, data)
        with Image.open(out / name) as im:
            size = im.size
        print(f"{out / name}  {size[0]}x{size[1]}  {len(data):,} bytes")
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, help="write the labelled benchmark set into this folder")
    ap.add_argument("--fixtures", type=Path, help="write the named rule-test images into this folder")
    ap.add_argument("--seed", type=int, default=1, help="seed of the degradations (default 1)")
    ap.add_argument("--clean-only", action="store_true", help="only the undegraded documents")
    ap.add_argument("--force", action="store_true", help="write into a non-empty folder, replacing files")
    ap.add_argument("--font", help="CJK font file (.ttc/.otf/.ttf); default: Noto CJK under /usr/share/fonts")
    ap.add_argument("--photo", type=Path, default=ms.DEFAULT_PHOTO, help="the passing example's portrait")
    ap.add_argument("--portraits", type=Path, default=DEFAULT_PORTRAITS,
                    help=f"folder of the other generated portraits (default: {DEFAULT_PORTRAITS})")
    args = ap.parse_args(argv)
    if bool(args.out) == bool(args.fixtures):
        ap.error("give exactly one of --out DIR or --fixtures DIR")
    fonts = ms.Fonts(args.font)
    if not args.photo.is_file():
        die(f"portrait not found: {args.photo} (pass --photo PATH)", 2)
    if not args.portraits.is_dir():
        print(f"make_documents: {args.portraits} not found: using {args.photo} for every woman", file=sys.stderr)
    portraits = Portraits(args.photo, args.portraits)
    if args.fixtures:
        return write_fixtures(args.fixtures, fonts, portraits, args.force)
    return write_set(args.out, fonts, portraits, args.seed, args.clean_only, args.force)


if __name__ == "__main__":
    sys.exit(main())
