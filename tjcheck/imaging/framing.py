"""Background and head-geometry measures for a one-inch ID photo.

Pure functions of a ``FaceAnalysis`` (tjcheck/imaging/face.py) returning named numbers; the
limits live in the ruleset (bench/study_quality.py measures them on the labelled photos).

Background: the pixels the selfie segmentation calls background, kept well away from the
person's outline (the mask is soft around hair and shoulders), in CIE L*a*b* (L* 0-100,
chroma = distance from grey). White is light and colourless; the Chinese ID light blue and mid
blue have a clearly negative b*; "plain" means one colour (small spread around the median
colour) and no structure (few edges).

Geometry: all as shares of the image size, so the photo's pixel size does not matter:
face width between the cheek contour points 234/454, the top of the head from the
segmentation mask above the forehead point 10, the nose line for centring, the iris centres
for the eye line.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

_BG_SIDE = 200          # background measured on the photo shrunk to this longer side (speed; colour needs no detail)
_BG_MARGIN = 0.04       # keep this share of the shorter side between background pixels and the person
_EDGE_STEP = 2.0        # L* per pixel (at _BG_SIDE) that counts as an edge in the background

NOSE_LINE = (168, 6, 197, 195, 5, 4, 1)    # mesh points down the nose ridge
CHEEK_R, CHEEK_L = 234, 454                 # face contour at eye level (person's right, left)
FOREHEAD, CHIN = 10, 152
IRIS_R, IRIS_L = 468, 473


@dataclass
class Background:
    share: float        # share (0-1) of the image used as background; small = little to judge
    lightness: float    # median L* (0-100) of the background; white ~ 90+, light grey 70-85
    a: float            # median a* (green - / red +)
    b: float            # median b* (blue - / yellow +)
    chroma: float       # sqrt(a*^2 + b*^2) of the median colour: 0 = grey/white, Chinese ID blue ~ 45
    hue: float          # hue angle of the median colour in degrees (blue ~ 250-290; NaN when grey)
    spread: float       # 90th percentile ΔE*ab from the median colour: 0 = one flat colour
    edges: float        # share (0-1) of background pixels on an edge (> 2 L* per px at 200 px): objects, texture


def _lab(rgb) -> np.ndarray:
    """CIE L*a*b* as float32 (L* 0-100, a*/b* about -128..127) from uint8 RGB."""
    import cv2

    return cv2.cvtColor(rgb.astype(np.float32) / 255.0, cv2.COLOR_RGB2LAB)


def background(a) -> Background | None:
    """Colour and plainness of the background; None without a segmentation mask or background."""
    import cv2

    if a.person is None:
        return None
    h, w = a.rgb.shape[:2]
    f = _BG_SIDE / max(h, w)
    size = (max(8, round(w * f)), max(8, round(h * f)))
    rgb = cv2.resize(a.rgb, size, interpolation=cv2.INTER_AREA)
    person = cv2.resize(np.asarray(a.person, np.float32), size, interpolation=cv2.INTER_LINEAR)  # smooth already
    m = max(1, round(_BG_MARGIN * min(size)))
    # background = surely not person, then shrunk away from the outline (hair wisps, soft mask)
    bg = cv2.erode((person < 0.3).astype(np.uint8), np.ones((2 * m + 1, 2 * m + 1), np.uint8))
    bg[:1, :] = bg[-1:, :] = 0          # the outermost row/column: JPEG borders, frame lines
    bg[:, :1] = bg[:, -1:] = 0
    sel = bg.astype(bool)
    n = int(sel.sum())
    if n < 50:
        return None
    lab = _lab(rgb)
    pix = lab[sel]
    med = np.median(pix, axis=0)
    chroma = float(math.hypot(med[1], med[2]))
    gx = cv2.Sobel(lab[..., 0], cv2.CV_32F, 1, 0, ksize=3) / 8.0   # Sobel/8 = L* per pixel
    gy = cv2.Sobel(lab[..., 0], cv2.CV_32F, 0, 1, ksize=3) / 8.0
    grad = np.hypot(gx, gy)[sel]
    return Background(
        share=n / float(sel.size),
        lightness=float(med[0]), a=float(med[1]), b=float(med[2]), chroma=chroma,
        hue=float(math.degrees(math.atan2(med[2], med[1])) % 360) if chroma > 2 else float("nan"),
        spread=float(np.percentile(np.linalg.norm(pix - med, axis=1), 90)),
        edges=float(np.mean(grad > _EDGE_STEP)),
    )


def background_kind(bg: Background | None, limits: dict) -> str:
    """Name the background from the measures and the ruleset's limits.

    ``limits`` (ruleset): plain_spread, plain_edges, white_lightness, white_chroma, grey_lightness,
    blue_b, blue_hue (low, high degrees), light_blue_lightness. Returns "unknown" (nothing to
    judge), "not_plain", "light_blue", "blue", "white", "light_grey" or "other". Order: plainness first; then a blue
    cast (b* at most ``blue_b`` with a blue hue: a very light blue is also nearly colourless, so
    it must be caught before white); then white. Lavender/mauve (hue above ~300°) is "other".
    """
    if bg is None:
        return "unknown"
    if bg.spread > limits["plain_spread"] or bg.edges > limits["plain_edges"]:
        return "not_plain"
    lo, hi = limits["blue_hue"]
    if bg.b <= limits["blue_b"] and lo <= bg.hue <= hi:
        return "light_blue" if bg.lightness >= limits["light_blue_lightness"] else "blue"
    if bg.chroma <= limits["white_chroma"]:
        if bg.lightness >= limits["white_lightness"]:
            return "white"
        if bg.lightness >= limits["grey_lightness"]:
            return "light_grey"     # a white backdrop photographed too dark, or a grey one
    return "other"


@dataclass
class Geometry:
    face_width: float     # cheek-to-cheek width (234-454) / image width; one-inch target ~0.54-0.61
    top_margin: float     # top of the head (hair) below the top edge / image height; 0 = head cut off
    head_height: float    # top of the head to chin (152) / image height
    chin_margin: float    # chin to the bottom edge / image height
    centre_offset: float  # nose line x / image width - 0.5; signed, negative = face left of centre
    eye_line: float       # iris centres' height from the top / image height; lower = higher in frame
    head_top_found: bool  # False when the mask gave no head outline (top_margin then from point 10)


def head_top(a) -> tuple[float, bool]:
    """Row (px of ``a.rgb``) of the top of the head above the forehead, from the person mask.

    Looks in a column band over the forehead (±25 % of the face width around point 10) and
    takes the highest row where at least 30 % of the band is person. Never below point 10.
    """
    lm = a.landmarks
    y10 = float(lm[FOREHEAD, 1])
    if a.person is None:
        return y10, False
    h, w = a.person.shape[:2]
    half = 0.25 * float(np.linalg.norm(lm[CHEEK_L, :2] - lm[CHEEK_R, :2]))
    x0, x1 = int(max(0, lm[FOREHEAD, 0] - half)), int(min(w, lm[FOREHEAD, 0] + half + 1))
    y1 = int(min(h, max(1, y10)))
    if x1 <= x0:
        return y10, False
    rows = np.mean(np.asarray(a.person[:y1, x0:x1]) >= 0.5, axis=1) >= 0.3
    if not rows.any():
        return y10, False
    return float(min(int(np.argmax(rows)), y10)), True


def geometry(a) -> Geometry | None:
    """Head size and position as shares of the image; None without landmarks."""
    if a.landmarks is None:
        return None
    lm = a.landmarks
    h, w = a.rgb.shape[:2]
    top, found = head_top(a)
    eyes_y = float((lm[IRIS_R, 1] + lm[IRIS_L, 1]) / 2)
    return Geometry(
        face_width=float(np.linalg.norm(lm[CHEEK_L, :2] - lm[CHEEK_R, :2])) / w,
        top_margin=top / h,
        head_height=(float(lm[CHIN, 1]) - top) / h,
        chin_margin=(h - float(lm[CHIN, 1])) / h,
        centre_offset=float(np.mean(lm[list(NOSE_LINE), 0])) / w - 0.5,
        eye_line=eyes_y / h,
        head_top_found=found,
    )
