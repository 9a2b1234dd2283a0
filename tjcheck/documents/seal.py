"""Is there a red seal (公章) on this document image? A colour-and-shape finder (numpy + OpenCV).

What it looks for, and why. A unit's seal, whatever the stamp, is a closed ring of red ink: round,
or oval for some units, and an ellipse either way once photographed at an angle; the ring is 2-4 %
of the diameter thick, with red text and a star inside it, and it is stamped on paper. That
shape, not the colour alone, is the test, because plenty else is red: headings, text lines,
underlines and table borders are red but not rings; a pink background or guilloche is pale and
everywhere; a red logo is rarely a thin closed ring around text; a rectangular stamp is not an
ellipse; a fingerprint is rings all the way in; skin, faces and wood are orange-red *areas*, not
rings on paper. Colour is needed all the same: a grey stand-in circle, or a seal on a greyscale
scan, cannot be told from black print, so an image without colour has no seal (None).

How:
1. Shrink to WORK_SIDE px on the long side (a box filter by a whole factor, then linear).
2. The paper: per channel the brightest value around each point (on a 4x smaller copy), over a
   window of CHROMA_WINDOW of the long side for the paper's colour and of PAPER_WINDOW for its
   brightness. Against it a yellowish sheet, warm or cold light and a shadow all read as white
   paper. Where the local "paper" is dark in any channel (a desk, cloth, a red cover: below
   PAPER_MIN of the image's paper) nothing is looked for.
3. Red ink as optical density, D = ln(paper) - ln(value) per channel: seal ink absorbs green and
   blue and passes red, so ``red = min(D_green, D_blue) - D_red``; black print absorbs all three
   (red ~ 0, also where it lies over the seal). Only the paper's colour enters that difference, so
   the wide window serves, and a face or a hand on a light ground is red all over (an area, not a
   ring). The hue, (D_blue - D_green) / (D_blue + D_green) against the local paper, must be within
   +-HUE_MAX (pink < 0 < orange-red; yellow, brown and violet are out).
4. Candidates. (a) Groups of pixels whose red is above each of LEVELS, joined by a small closing
   (JOIN[0]), and groups of the red smoothed by FAINT_BLUR above FAINT_LEVEL, joined by a larger
   one (JOIN[1]); each group the size of a seal (MIN_DIAMETER..MAX_DIAMETER of the short side, not
   flatter than MIN_AXES; the MAX_GROUPS largest per level) gives a first ellipse, that of its
   convex hull. (b) When no group scores as a seal: the HOUGH_MAX best circles voted for by the
   red's edges (a Hough transform on a HOUGH_SIDE-px copy), as a seal stamped over other red (a
   watermark, a red-ruled table) is only part of a group. The search stops at a score of SURE.
5. Fit, on the candidate's box (shrunk to MEASURE_SIDE if larger): straight red runs longer than
   LINE_LEN of its diameter are removed (rules and underlines: a ring's flattest stretch is a
   shorter chord); the red above RING_REL of the candidate's ink strength is kept, so a faded
   seal is measured like a strong one; the ellipse is refitted three times to the red within
   +-15 % of it.
6. Measure, in the ellipse's coordinates (rho = 1 on the ring); most measures are fills, red
   pixels over the zone's area:
   - coverage: share of 36 sectors of angle whose ring carries red with clean paper just beyond
     (a partly printed seal has a gap; a rectangle spills over at its corners);
   - ring: the ring's fill where it is printed (the radial profile's peak near rho = 1);
   - width: twice the ring's outer half-width at half height, in rho (seals 0.06-0.14; a bold
     letter S or O, a thick frame 0.2 and more);
   - spread: median deviation of the red's outer edge over the sectors (seals < 0.04; a rounded
     rectangle or a fingerprint's rim 0.03-0.06);
   - contrast: the ring's fill over that of the band just inside it (rho 0.62-0.88): a seal's
     ring stands out from its text (2 and more), a fingerprint's ridges do not (1.5-2);
   - outside: fill just beyond the ring (paper);
   - inside: fill within rho 0.76: text and star, neither empty (a hand-drawn circle, a red O) nor
     solid (a blob, a thumb);
   - roundness: minor / major axis;
   - paper: the red of the median colour of the red-free pixels inside the ring against those
     just outside it (a seal: the same paper, ~0; an eye in a face or a face on a background: not);
   - bg: the median red of the pixels inside that are below the ink, over the ink (paper: ~0; skin
     under the stronger red of a face's features: 0.1 and more).
   The score is the product of linear ramps on these (0 at the first value of each pair below, 1
   at the second); the best candidate is returned if it scores at least SCORE_MIN.

The ramps and SCORE_MIN were set on the tuning half of bench/seal_study.py: its even seeds (a
drawn set of sealed and unsealed pages, see that script) and half of the real photographs of
../shared/photos (faces, hands, clothes: no seals), with the ramps' "1" ends at or below the
lowest few per cent of seals and their "0" ends at or beyond the false candidates seen there;
SCORE_MIN is the top of the range of thresholds with the best F1 there (0.20-0.35): of equally
good thresholds, the one with the fewest false alarms. Figures are quoted on the
held-out half (odd seeds, other photos). The ``paper`` and ``bg`` measures were added after faces
in a drawn document set (another helper's) and in the photographs fired: that set and all the
photographs were looked at while designing them.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

GREY_MODES = ("1", "L", "I", "I;16", "F", "LA")   # image modes without colour: no seal can show as red
WORK_SIDE = 1000        # px, long side analysed: a seal of 6 % of the short side of a 4:3 photo is
#                         then 45 px across and its 2-4 % ring 1-2 px; a 2000-px image takes ~30 ms.
PAPER_WINDOW = 0.06     # of the long side: the window for the local paper white. Wider than any ink
#                         stroke, so the paper between a seal's characters is found; narrow enough to
#                         follow a shadow.
CHROMA_WINDOW = 0.25    # of the long side: the window for the paper's colour (see redness()).
PAPER_MIN = 0.35        # local white (its darkest channel) below this fraction of the image's paper is
#                         not paper: the drawn shadows leave paper at 0.45-0.65, a desk, cloth or red
#                         cover reads 0.1-0.35.
HUE_MAX = 0.5           # |hue| above this is yellow, brown or violet: seal pixels (red >= 0.3) on the
#                         drawn set read -0.23 (pink, 1st percentile) to 0.35 (orange-red, 99th).
RED_LO = 0.10           # red (optical density) for a pixel to count as red: twice the 99.9th percentile
#                         of paper, print and JPEG noise on unsealed drawn pages (0.05), under half the
#                         ink of the faintest drawn seal (0.22, 90th percentile of its red).
LEVELS = (RED_LO, 0.3, 0.5)     # red is grouped above each: the lowest finds pale seals; the higher ones
#                         separate a seal from paler red it was stamped over (a pink watermark reads ~0.25).
FAINT_BLUR, FAINT_LEVEL = 1.5, 0.05   # px and red: a very faint seal, or one whose colour JPEG smeared
#                         into 16-px blocks, falls apart above RED_LO; smoothed, it holds together.
JOIN = (0.006, 0.02)    # closing kernels, of the short side: the small one bridges black print across a
#                         ring (a 2-3 px stroke at WORK_SIDE), the large one a faint seal's fragments.
MIN_DIAMETER = 0.05     # of the short side: seals from 6 % of the short side (a page far off) up.
MAX_DIAMETER = 1.0      # a seal can fill a close-up photo, not more.
MIN_AXES = 0.45         # minor/major axis: oval seals ~0.62-0.78, a round seal at a steep angle ~0.6.
RING_REL = 0.35         # a candidate is measured on its pixels above this fraction of its ink (90th
#                         percentile of its red), so a faded seal is measured like a strong one.
LINE_LEN = 0.6          # of the candidate's diameter: a straight red run longer than this is a rule (a
#                         ring's flattest stretch, the chord at its thickness, is < 0.45 of the diameter).
MAX_GROUPS = 12         # red groups measured per level, the largest first (a seal is among the largest
#                         red shapes on a page; red heading characters and watermark letters can be many).
SURE = 0.99             # find_seal stops searching at a candidate scoring this.
MEASURE_SIDE = 200      # px: a candidate's box is measured on a copy at most this size (a seal then
#                         ~125 px across, its ring 2.5-5 px): the cost of a measure is bounded.
HOUGH_SIDE = 400        # px, long side of the red map searched for circles (~10-20 ms); at 320 a seal
#                         over a watermark (drawn set, tuning seed 8) was missed.
HOUGH_MAX_DIAMETER = 0.6   # of the short side: larger seals (close-ups) stand alone and are groups.
HOUGH_MAX = 6           # circles tried, best voted first (the seal was first or second on the docset).
# The score's ramps: (value scoring 0, value scoring 1). On the tuning seeds the seals' 2nd percentiles
# were: coverage 0.74 (gaps: 0.69), ring 0.48, width <= 0.14 (max), spread <= 0.04 (max), contrast 2.2,
# outside <= 0.04 (max), inside 0.065-0.28, roundness 0.66; the false candidates' values are in the
# module docstring.
COVERAGE = (0.5, 0.8)
RING_FILL = (0.2, 0.4)
WIDTH = (0.24, 0.14)
SPREAD = (0.06, 0.03)
CONTRAST = (1.5, 2.0)
OUTSIDE = (0.15, 0.06)
INSIDE_MIN, INSIDE_MAX = (0.015, 0.04), (0.55, 0.35)
PAPER_INSIDE = (0.3, 0.15)     # |paper|: seals -0.02..0.02; eyes, faces 0.1-0.4. Lenient, because a
#                         seal stamped over a pink watermark has pink inside it.
BACKGROUND = (0.15, 0.08)      # bg: seals on paper < 0.02, on a watermark up to 0.09; faces 0.05-0.1+.
SCORE_MIN = 0.35        # the top of the best-F1 range of thresholds (0.20-0.35) on the tuning half of
#                         bench/seal_study.py: there the weakest seal scored 0.40; two photographs (a red
#                         hair ornament 0.69, a face 0.49) outscore it, the next false candidate 0.20.


@dataclass(frozen=True)
class Seal:
    center: tuple[float, float]      # in the input image's pixels
    radius: float                    # mean of the two semi-axes, input pixels
    axes: tuple[float, float]        # semi-axes (major, minor), input pixels
    angle: float                     # orientation of the ellipse, degrees (OpenCV's fitEllipse convention)
    score: float                     # 0..1, how seal-like
    coverage: float                  # fraction of the ring's circumference that carries red
    ring: float                      # red fill of the ring where it is printed (peak of the radial profile)
    width: float                     # the ring's thickness at half height, in units of its radius
    spread: float                    # how much the outer edge of the red wanders in rho round the ring
    inside: float                    # mean red fill inside the ring (text, star)
    band: float                      # mean red fill of the band just inside the ring (rho 0.62-0.88)
    outside: float                   # mean red fill just outside the ring
    roundness: float                 # minor / major axis
    ink: float                       # the candidate's ink strength: 90th percentile of its red
    paper: float = 0.0               # how much redder (> 0) or whiter the inside is than the outside
    bg: float = 0.0                  # median red of what the ink lies on, over the ink's (0 on paper)


def _ramp(x: float, lo: float, hi: float) -> float:
    """0 at lo, 1 at hi, linear between (lo > hi reverses it)."""
    t = (x - lo) / (hi - lo)
    return float(min(1.0, max(0.0, t)))


def _shrink(image):
    """(RGB uint8 array at most ~WORK_SIDE px long, scale factor), or None for an image without colour."""
    import cv2
    if image.mode in GREY_MODES:
        return None
    if image.mode not in ("RGB", "RGBA", "RGBX", "CMYK", "YCbCr"):
        try:
            image = image.convert("RGB")
        except (ValueError, OSError):            # a mode Pillow cannot turn into colour
            return None
    long = max(image.size)
    k = max(1, long // WORK_SIDE)
    if k > 1:
        image = image.reduce(k)                 # box filter: fast, and no aliasing of thin rings
    if image.mode != "RGB":
        image = image.convert("RGB")
    rgb = np.asarray(image)
    s = WORK_SIDE / max(rgb.shape[:2])
    if s < 1.0:
        rgb = cv2.resize(rgb, (max(1, round(rgb.shape[1] * s)), max(1, round(rgb.shape[0] * s))),
                         interpolation=cv2.INTER_LINEAR)
    return rgb, rgb.shape[1] / image.size[0] / k


def redness(rgb: np.ndarray) -> np.ndarray:
    """How red each pixel's ink is, in optical density; see the module docstring, steps 2-3.

    ``min(D_g, D_b) - D_r``, D = ln(paper) - ln(value). Only the paper's colour, not its
    brightness, enters this difference, and the light's colour changes slowly: it is taken over a
    wide window (CHROMA_WINDOW), so a face or a hand on a light background is red all over (a
    solid shape, not a ring). The hue, which needs the densities themselves, is read against the
    local paper (PAPER_WINDOW). Set to 0 where the hue is not seal ink and where the local white is
    too dark to be paper (a desk or cloth, where noise alone reads as colour)."""
    import cv2
    h, w = rgb.shape[:2]
    q = 4
    sm = cv2.resize(rgb, (max(1, w // q), max(1, h // q)), interpolation=cv2.INTER_AREA)

    def white(window):
        k = max(3, int(round(window * max(h, w) / q)) | 1)
        return cv2.blur(cv2.dilate(sm, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k))), (k, k))

    local, wide = white(PAPER_WINDOW), white(CHROMA_WINDOW)
    lo = local.min(axis=2)                       # paper is bright in all three channels
    dark = (lo < PAPER_MIN * float(np.percentile(lo, 95))).astype(np.uint8)
    lut = np.log(np.arange(256, dtype=np.float32) + 1.0)
    v = [cv2.LUT(c, lut) for c in cv2.split(rgb)]
    lw, ll = cv2.LUT(wide, lut), cv2.LUT(local, lut)          # ln of the paper, on the small copy
    # the paper's ln(green) - ln(red), ln(blue) - ln(red) (its colour), and ln(green), ln(blue), at full size
    p = cv2.resize(np.dstack([lw[..., 1] - lw[..., 0], lw[..., 2] - lw[..., 0], ll[..., 1], ll[..., 2]]), (w, h),
                   interpolation=cv2.INTER_LINEAR)
    red = np.minimum(p[..., 0] - v[1], p[..., 1] - v[2]) + v[0]
    if dark.any():
        red[cv2.resize(dark, (w, h), interpolation=cv2.INTER_NEAREST) > 0] = 0.0
    idx = np.flatnonzero(red > 0.5 * FAINT_LEVEL)   # the hue matters only where there is some red
    if len(idx):
        pf, g, b = p.reshape(-1, 4), v[1].ravel()[idx], v[2].ravel()[idx]
        dg, db = np.maximum(pf[idx, 2] - g, 0.0), np.maximum(pf[idx, 3] - b, 0.0)
        red.ravel()[idx[np.abs(db - dg) > HUE_MAX * (db + dg + 1e-3)]] = 0.0
    return red


def find_seal(image, min_score: float = SCORE_MIN) -> Seal | None:
    """The most seal-like red ring on ``image`` (a PIL image, any mode and size) if its score is
    at least ``min_score``, else None. ``min_score=0`` returns the best candidate whatever its
    score (bench/seal_study.py uses it to choose SCORE_MIN)."""
    found = candidates(image, enough=SURE)
    best = max(found, key=lambda c: c.score, default=None)
    return best if best is not None and best.score >= min_score else None


def candidates(image, enough: float = 2.0) -> list[Seal]:
    """The ring-like candidates on ``image``, measured (in input pixels), whatever their score;
    the search stops at the first that scores ``enough``."""
    import cv2
    shrunk = _shrink(image)
    if shrunk is None:
        return []
    rgb, s = shrunk
    h, w = rgb.shape[:2]
    if min(h, w) < 16:
        return []
    red = redness(rgb)
    if int((red >= RED_LO).sum()) < 20:
        return []
    short = min(h, w)
    out: list[Seal] = []

    def keep(cand):
        if cand is None:
            return
        (cx, cy), r = cand.center, cand.radius
        for i, o in enumerate(out):
            if abs(cx - o.center[0]) < 0.2 * r and abs(cy - o.center[1]) < 0.2 * r and abs(r - o.radius) < 0.2 * r:
                if cand.score > o.score:
                    out[i] = cand
                return
        out.append(cand)

    # 1. groups of red pixels, at several levels of red
    soft = cv2.GaussianBlur(red, (0, 0), FAINT_BLUR)
    near, far = max(3, int(short * JOIN[0])) | 1, max(5, int(short * JOIN[1])) | 1
    measured: list[tuple[int, int, int, int]] = []
    for view, level, close in [(red, lv, near) for lv in LEVELS] + [(soft, FAINT_LEVEL, far)]:
        mask = cv2.morphologyEx((view >= level).astype(np.uint8), cv2.MORPH_CLOSE,
                                cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (close, close)))
        cnts, hier = cv2.findContours(mask, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
        groups = []
        for j, c in enumerate(cnts):
            if hier[0][j][3] != -1:           # a hole, not an outline
                continue
            x, y, bw, bh = box = cv2.boundingRect(c)
            size = max(bw, bh)
            if MIN_DIAMETER * short <= size <= MAX_DIAMETER * short and min(bw, bh) >= MIN_AXES * size * 0.8:
                groups.append((size, box, c))
        for _, box, c in sorted(groups, key=lambda g: -g[0])[:MAX_GROUPS]:     # the largest
            x, y, bw, bh = box
            if any(abs(x - a) < 0.05 * bw and abs(y - b) < 0.05 * bh and abs(bw - c_) < 0.1 * bw
                   and abs(bh - d) < 0.1 * bh for a, b, c_, d in measured):
                continue                      # the same group, already measured at another level
            measured.append(box)
            hull = cv2.convexHull(c)
            if len(hull) >= 5:
                keep(_measure(rgb, view, level, box, cv2.fitEllipse(hull.astype(np.float32))))
            if out and max(o.score for o in out) >= enough:
                return _scaled(out, s)
    # 2. when no group is a seal: circles voted for by the red edges (Hough), which finds a seal
    #    that touches other red (a watermark, a photo, red lines) and so is only part of a group
    if measured and not any(c.score >= SCORE_MIN for c in out):      # (no red group that large: no seal)
        f = min(1.0, HOUGH_SIDE / max(h, w))
        u8 = np.clip(red * (255.0 / 0.5), 0, 255).astype(np.uint8)
        u8 = cv2.GaussianBlur(cv2.resize(u8, None, fx=f, fy=f, interpolation=cv2.INTER_AREA), (0, 0), 1.0)
        sm = min(u8.shape)
        circles = cv2.HoughCircles(u8, cv2.HOUGH_GRADIENT_ALT, dp=1, minDist=max(2.0, 0.03 * sm), param1=150,
                                   param2=0.5, minRadius=max(4, int(MIN_DIAMETER * sm / 2)),
                                   maxRadius=int(HOUGH_MAX_DIAMETER * sm / 2))
        for cx, cy, r in ([] if circles is None else circles[0][:HOUGH_MAX]):
            cx, cy, r = cx / f, cy / f, r / f
            box = (int(cx - r), int(cy - r), int(2 * r) + 1, int(2 * r) + 1)
            keep(_measure(rgb, red, RED_LO, box, ((cx, cy), (2 * r, 2 * r), 0.0)))
    return _scaled(out, s)


def _scaled(found: list[Seal], s: float) -> list[Seal]:
    """Candidates measured at scale ``s`` back in the input image's pixels."""
    k = 1.0 / s
    return [replace(c, center=(c.center[0] * k, c.center[1] * k), radius=c.radius * k,
                    axes=(c.axes[0] * k, c.axes[1] * k)) for c in found]


def _elliptic(xx, yy, e):
    """Elliptic radius (1 on the ellipse) and angle of points, for a cv2 ellipse ((cx, cy), (d1, d2), deg)."""
    (cx, cy), (d1, d2), ang = e
    t = np.deg2rad(ang)
    c, s_ = np.cos(t), np.sin(t)
    dx, dy = xx - cx, yy - cy
    u = (dx * c + dy * s_) / max(d1 / 2, 1e-3)
    v = (-dx * s_ + dy * c) / max(d2 / 2, 1e-3)
    return np.hypot(u, v), np.arctan2(v, u)


def _measure(rgb, red, level, box, e) -> Seal | None:
    """Fit the ring near ellipse ``e`` (image coordinates) in ``box`` and measure it.

    The red is taken above ``level`` and above RING_REL of the ink's strength in the box. A box
    larger than MEASURE_SIDE is measured on a copy shrunk to that size (all measures are fills)."""
    import cv2
    x, y, bw, bh = box
    H, W = red.shape
    m = int(0.3 * max(bw, bh)) + 2
    x0, y0, x1, y1 = max(0, x - m), max(0, y - m), min(W, x + bw + m), min(H, y + bh + m)
    if x1 - x0 < 8 or y1 - y0 < 8:
        return None
    crop, rgbc = red[y0:y1, x0:x1], rgb[y0:y1, x0:x1]
    k = -(-max(crop.shape) // MEASURE_SIDE)     # a whole factor: OpenCV's area resize is fast for those
    f = 1.0 / k
    if k > 1:
        hk, wk = crop.shape[0] // k * k, crop.shape[1] // k * k
        crop = cv2.resize(crop[:hk, :wk], (wk // k, hk // k), interpolation=cv2.INTER_AREA)
        rgbc = cv2.resize(rgbc[:hk, :wk], (wk // k, hk // k), interpolation=cv2.INTER_AREA)
    on = (crop >= level).astype(np.uint8)
    (cx, cy), axes, ang = e
    e = (((cx - x0) * f, (cy - y0) * f), (axes[0] * f, axes[1] * f), ang)
    # straight red rules (table borders, underlines) through the box are not the seal: a ring's
    # flattest stretch is a chord of < 0.45 of its diameter, a rule longer than LINE_LEN is removed
    n = LINE_LEN * max(e[1])
    if (on.sum(axis=1) >= n).any() or (on.sum(axis=0) >= n).any():     # else no run can be that long
        k = max(5, int(n))
        rules = cv2.morphologyEx(on, cv2.MORPH_OPEN, np.ones((1, k), np.uint8)) | \
            cv2.morphologyEx(on, cv2.MORPH_OPEN, np.ones((k, 1), np.uint8))
        if rules.any():
            on &= 1 - cv2.dilate(rules, np.ones((3, 3), np.uint8))
    yi, xi = int(max(0, y - y0) * f), int(max(0, x - x0) * f)
    inner = (slice(yi, yi + int(bh * f) + 1), slice(xi, xi + int(bw * f) + 1))
    vals = crop[inner][on[inner] > 0]
    if len(vals) < 12:
        return None
    ink = float(np.percentile(vals, 90))
    ys, xs = np.nonzero(on & (crop >= RING_REL * ink))
    best = _fit((xs.astype(np.float32), ys.astype(np.float32)), e, ink)
    if best is None:
        return None
    if best.score > 0:
        paper, bg = _surroundings(rgbc, crop, max(level, RING_REL * ink), ink, best)
        best = replace(best, paper=paper, bg=bg,
                       score=best.score * _ramp(abs(paper), *PAPER_INSIDE) * _ramp(bg, *BACKGROUND))
    return replace(best, center=(best.center[0] / f + x0, best.center[1] / f + y0), radius=best.radius / f,
                   axes=(best.axes[0] / f, best.axes[1] / f))


def _surroundings(rgb, red, level, ink, e: Seal) -> tuple[float, float]:
    """What the ink lies on, from the pixels of the box below ``level`` (not the candidate's ink).

    ``paper``: how much redder (> 0) or whiter (< 0) the inside of the ring (rho < 0.7) is than
    just outside it (rho 1.2-1.5), as the red of their median colours: ~0 for a seal, stamped on
    the same paper inside and out; far from 0 for an eye in a face, or a face on a background.
    ``bg``: the median red of those pixels within rho 0.8, over the ink's: ~0 on paper; 0.1 and
    more on skin, where the stronger red of a face's features can make a ring."""
    h, w = red.shape
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    rho, _ = _elliptic(xx, yy, ((e.center[0], e.center[1]), (2 * e.axes[0], 2 * e.axes[1]), e.angle))
    ok = red < level
    within = ok & (rho < 0.8)
    bg = float(np.median(red[within])) / ink if within.any() else 0.0
    clear = red < RED_LO                          # the paper's colour from pixels without any red
    inner, outer = rgb[clear & (rho < 0.7)], rgb[clear & (rho > 1.2) & (rho < 1.5)]
    if len(inner) < 10 or len(outer) < 10:
        return 0.0, bg
    d = np.log(np.median(outer, axis=0) + 1.0) - np.log(np.median(inner, axis=0) + 1.0)
    return float(min(d[1], d[2]) - d[0]), bg


def _fit(pts, e, ink) -> Seal | None:
    """Refit ellipse ``e`` to the ring among the red points ``pts`` (crop coordinates) and measure.

    Every measure is a fill: the red points in a zone of the ellipse's own coordinates (elliptic
    radius rho, 1 on the ring; angle) over the zone's area, pi * a * b * (rho2^2 - rho1^2) for
    semi-axes a, b (times its share of the angle)."""
    import cv2
    xs_f, ys_f = pts
    k = max(1, len(xs_f) // 4000)                 # the fit needs no more than a few thousand points
    xk, yk = xs_f[::k], ys_f[::k]
    size0 = max(e[1])
    for _ in range(3):       # refit on the ring: red pixels near the current ellipse
        rho, _ = _elliptic(xk, yk, e)
        sel = (rho > 0.85) & (rho < 1.15)
        if sel.sum() < 12:
            return None
        e = cv2.fitEllipse(np.stack([xk[sel], yk[sel]], 1))
    (cx, cy), (d1, d2), ang = e
    if not (np.isfinite(cx) and np.isfinite(cy) and np.isfinite(d1) and np.isfinite(d2)) or min(d1, d2) < 6 \
            or max(d1, d2) > 1.5 * size0:        # the fit ran away from the candidate
        return None
    area = np.pi * d1 * d2 / 4                    # pixels inside rho = 1
    rho, phi = _elliptic(xs_f, ys_f, e)

    def fill(r1, r2):
        return float(((rho >= r1) & (rho < r2)).sum()) / max(1.0, area * (r2 * r2 - r1 * r1))

    # radial profile in steps of 0.02: the ring is its peak near rho = 1
    step, nbins = 0.02, 80
    counts = np.bincount(np.minimum((rho / step).astype(np.int32), nbins), minlength=nbins + 1)[:nbins]
    edges = np.arange(nbins + 1) * step
    prof = counts / np.maximum(1.0, area * (edges[1:] ** 2 - edges[:-1] ** 2))
    smooth = np.convolve(prof, np.ones(3) / 3, mode="same")
    lo, hi = 44, 56                                # rho 0.88 .. 1.12
    pk = lo + int(np.argmax(smooth[lo:hi]))
    ring = float(smooth[pk])
    b = pk                                         # the ring's outer half: paper beyond it, text may touch inside
    while b < nbins - 1 and prof[b + 1] >= ring / 2:
        b += 1
    width = 2 * (b - pk + 0.5) * step
    r0 = (pk + 0.5) * step
    # per sector of angle: does the ring carry red there, is the paper beyond it clean, and
    # where is the outer edge of the red (the same rho all round for a ring, not for a rectangle)
    nb = 36
    sect = ((phi + np.pi) / (2 * np.pi) * nb).astype(np.int32) % nb
    on_zone = (rho > r0 - 0.08) & (rho < r0 + 0.08)
    off_zone = (rho > r0 + 0.12) & (rho < 1.45)
    on = np.bincount(sect[on_zone], minlength=nb) / (area * ((r0 + 0.08) ** 2 - (r0 - 0.08) ** 2) / nb)
    off = np.bincount(sect[off_zone], minlength=nb) / (area * (1.45 ** 2 - (r0 + 0.12) ** 2) / nb)
    carried = on > 0.15
    coverage = float((carried & (off < 0.1)).mean())
    near = rho < 1.3
    edge = np.zeros(nb)
    np.maximum.at(edge, sect[near], rho[near])
    edges_c = edge[carried]
    spread = float(np.median(np.abs(edges_c - np.median(edges_c)))) if len(edges_c) >= 6 else 1.0
    ring /= max(float(carried.mean()), 0.5)        # the ring's fill where it was printed (a gap is not thin ink)
    inside = fill(0.0, 0.76 * r0)
    band = fill(0.62 * r0, 0.88 * r0)
    outside = fill(r0 + 0.12, 1.5)
    major, minor = max(d1, d2) / 2, min(d1, d2) / 2
    roundness = minor / major
    contrast = ring / max(band, 0.02)
    score = (_ramp(coverage, *COVERAGE) * _ramp(ring, *RING_FILL) * _ramp(width, *WIDTH)
             * _ramp(spread, *SPREAD) * _ramp(contrast, *CONTRAST) * _ramp(outside, *OUTSIDE)
             * min(_ramp(inside, *INSIDE_MIN), _ramp(inside, *INSIDE_MAX)) * _ramp(roundness, MIN_AXES, 0.6))
    return Seal(center=(cx, cy), radius=(major + minor) / 2, axes=(major, minor), angle=float(ang),
                score=float(score), coverage=coverage, ring=ring, width=width, spread=spread, inside=inside,
                band=band, outside=outside, roundness=roundness, ink=ink)


GREY_CHROMA = 16        # of 255: a pixel whose channels differ by less is grey (JPEG's colour noise on a
#                         greyscale scan saved as RGB stays under ~8; a red seal's ink differs by 100+).
GREY_SHARE = 0.999      # an image with at most 0.1 % of its pixels coloured has no colour to show a seal


def colourless(image) -> bool:
    """Whether ``image`` carries no colour at all: a greyscale mode, or RGB pixels that are all grey
    (a black-and-white scan saved as colour). Then a seal, if stamped, cannot be seen as red."""
    if image.mode in GREY_MODES:
        return True
    try:
        small = image.convert("RGB").reduce(max(1, max(image.size) // 400))
    except (ValueError, OSError):
        return False
    rgb = np.asarray(small, dtype=np.int16)
    chroma = rgb.max(axis=2) - rgb.min(axis=2)
    return float(np.mean(chroma < GREY_CHROMA)) >= GREY_SHARE
