"""Photo quality measures: blur of the face (or of the whole photo) and exposure of the face.

Pure functions of a ``FaceAnalysis`` (tjcheck/imaging/face.py) returning named numbers; the
ruleset holds the limits and the rules compare (bench/study_quality.py measures them).

Blur is judged on the *edges* of the face, contrast-normalised: at the strongest edges of the
face (eyes, lashes, brows, nostrils, lips, jaw) the steepest one-pixel step is divided by the
local grey-level range over 5 px. A sharp edge makes most of its range in one pixel (ratio near
1); blurring spreads it (a Gaussian blur of sigma 1 px gives ~0.35, 1.5 px ~0.28, 2 px ~0.24).
Dividing by the range makes the measure independent of contrast, skin texture and make-up,
which is what broke the earlier re-blur ratio (Crete et al.) on smooth CelebA faces.

Scale: the face is first shrunk (area averaging) to 64 px between the iris centres, about the
size of a one-inch photo (295 px wide: ~50-70 px between the irises), so that blur is judged at
the size the photo is used at. A smaller face is measured as it is and never enlarged:
enlarging invents blur (the interpolation) that the photo does not have, which made small
sharp faces (mt-001, gd-003 at 18-32 px) read as blurred. Photos below 295x413 are
refused by the pixel-size rule anyway; here they are judged at their own resolution.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

BLUR_IRIS_PX = 64.0     # blur is judged with the face at most this size (px between iris centres)
IRIS_R, IRIS_L = 468, 473   # iris centres in the refined 478-point mesh


def _gray(rgb):
    import cv2

    return cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)


def edge_sharpness(gray) -> float:
    """Median of (steepest 1-px step) / (5x5 grey range) over the 10 % strongest-range pixels.

    0..1, higher is sharper; NaN when the patch has no edge of at least 8 grey levels.
    """
    import cv2

    p = np.ascontiguousarray(gray, dtype=np.uint8)
    if p.shape[0] < 8 or p.shape[1] < 8:
        return float("nan")
    q = p.astype(np.int16)
    step = np.maximum(np.abs(np.diff(q, axis=1))[:-1, :], np.abs(np.diff(q, axis=0))[:, :-1]).astype(np.uint8)
    step = cv2.dilate(step, np.ones((3, 3), np.uint8))          # steepest step near each pixel
    k = np.ones((5, 5), np.uint8)
    rng = cv2.subtract(cv2.dilate(p, k), cv2.erode(p, k))[:-1, :-1]   # local contrast over 5 px
    # 90th percentile from the histogram (integer levels): an 800 px photo in ~3 ms
    cum = np.cumsum(np.bincount(rng.ravel(), minlength=256))
    p90 = int(np.searchsorted(cum, 0.9 * cum[-1]))
    strong = rng >= max(p90, 9)                                 # the edges, not flat skin or noise
    if np.count_nonzero(strong) < 10:
        return float("nan")
    return float(np.median(step[strong].astype(np.float32) / rng[strong]))


def iris_distance(a) -> float:
    """Distance between the iris centres in pixels of ``a.rgb`` (NaN without landmarks)."""
    if a.landmarks is None:
        return float("nan")
    return float(np.linalg.norm(a.landmarks[IRIS_L, :2] - a.landmarks[IRIS_R, :2]))


def face_patch(a, iris_px: float = BLUR_IRIS_PX):
    """Grey face region (brows to chin, cheek to cheek), shrunk to at most ``iris_px`` between the irises.

    Returns (patch uint8, scale applied, iris distance in ``a.rgb`` px) or None without landmarks.
    """
    import cv2

    if a.landmarks is None:
        return None
    d = iris_distance(a)
    if not d > 2:
        return None
    c = (a.landmarks[IRIS_L, :2] + a.landmarks[IRIS_R, :2]) / 2
    h, w = a.rgb.shape[:2]
    # 1.1 iris distances either side, 0.7 above the eye line (brows), 1.6 below (chin)
    x0, x1 = int(max(0, c[0] - 1.1 * d)), int(min(w, c[0] + 1.1 * d))
    y0, y1 = int(max(0, c[1] - 0.7 * d)), int(min(h, c[1] + 1.6 * d))
    if x1 - x0 < 8 or y1 - y0 < 8:
        return None
    crop = _gray(np.ascontiguousarray(a.rgb[y0:y1, x0:x1]))
    s = min(1.0, iris_px / d)     # shrink only: enlarging would add interpolation blur
    if s < 1.0:
        crop = cv2.resize(crop, (max(8, round(crop.shape[1] * s)), max(8, round(crop.shape[0] * s))),
                          interpolation=cv2.INTER_AREA)
    return crop, s, d


def face_sharpness(a) -> float:
    """Edge sharpness of the face at one-inch-photo scale (0..1, higher = sharper; NaN: no face).

    Good photos read 0.35-0.6; blurred ones 0.20-0.32 (bench/study_quality.py).
    """
    got = face_patch(a)
    return float("nan") if got is None else edge_sharpness(got[0])


def image_sharpness(a) -> float:
    """Edge sharpness of the whole analysed image (0..1, higher = sharper), for photos with no face.

    Taken at the analysed size (longer side at most 800 px): heavily blurred photos can hide the
    face from the detector, and the user should hear "blurred" rather than only "no face".
    """
    return edge_sharpness(_gray(a.rgb))


def reblur_ratio(gray) -> float:
    """Crete et al. (2007) no-reference blur: share of the variation a 9-tap box blur does not remove.

    0..1, higher = blurrier. Kept for comparison in the study; it reads smooth, low-texture
    faces (CelebA-HQ) as blurred, so the rules use ``face_sharpness``.
    """
    import cv2

    g = gray.astype(np.float32)
    out = []
    for ksize, axis in (((1, 9), 0), ((9, 1), 1)):
        b = cv2.blur(g, ksize)
        df = np.abs(np.diff(g, axis=axis))[5:-5, 5:-5]
        db = np.abs(np.diff(b, axis=axis))[5:-5, 5:-5]
        total = df.sum()
        out.append((total - np.maximum(0, df - db).sum()) / total if total > 0 else 1.0)
    return float(max(out))


# ---- exposure -----------------------------------------------------------------------------

# cheek centres (person's right, left) and the nose bridge between the eyes: skin that hair,
# fringes and beards rarely cover (the forehead often is)
_CHEEKS = (205, 425)
_BRIDGE = 6


@dataclass
class Exposure:
    skin_l: float          # median CIE L* (0-100) of the cheek and nose-bridge skin; low = dark
    skin_l_p05: float      # 5th percentile of that L*
    skin_l_p95: float      # 95th percentile of that L*
    clipped_high: float    # share (0-1) of the skin with every channel >= 250: burnt out to white
                           # (one channel alone saturates on pale skin in good photos)
    clipped_low: float     # share (0-1) of the skin with every channel <= 15: crushed to black
    side_diff: float       # |L* right cheek - L* left cheek|: light from one side (阴阳脸)
    image_l_p99: float     # 99th percentile L* of the whole photo: a dark face in a dark photo
                           # is under-exposure, a dark face beside a white background is not


def _lab_l(rgb) -> np.ndarray:
    import cv2

    return cv2.cvtColor(rgb, cv2.COLOR_RGB2LAB)[..., 0].astype(np.float32) * (100.0 / 255.0)


def exposure(a) -> Exposure | None:
    """Lightness of the face skin and clipped fractions; None without landmarks."""
    if a.landmarks is None:
        return None
    d = iris_distance(a)
    h, w = a.rgb.shape[:2]
    parts = []                       # skin pixels (N x 3) of each disc: right cheek, left cheek, bridge
    for idx, rad in ((_CHEEKS[0], 0.22), (_CHEEKS[1], 0.22), (_BRIDGE, 0.12)):
        x, y = a.landmarks[idx, :2]
        r = max(2.0, rad * d)
        x0, x1 = int(max(0, x - r)), int(min(w, x + r + 1))
        y0, y1 = int(max(0, y - r)), int(min(h, y + r + 1))
        yy, xx = np.ogrid[y0:y1, x0:x1]
        parts.append(a.rgb[y0:y1, x0:x1][(xx - x) ** 2 + (yy - y) ** 2 <= r * r])
    pix = np.concatenate(parts)
    if len(pix) < 10:
        return None
    lum = _lab_l(pix[None, :, :])[0]
    side = [float(np.median(_lab_l(p[None, :, :]))) if len(p) else math.nan for p in parts[:2]]
    small = a.rgb[::4, ::4]       # the 99th percentile needs no full resolution
    return Exposure(
        skin_l=float(np.median(lum)),
        skin_l_p05=float(np.percentile(lum, 5)),
        skin_l_p95=float(np.percentile(lum, 95)),
        clipped_high=float(np.mean(pix.min(axis=1) >= 250)),
        clipped_low=float(np.mean(pix.max(axis=1) <= 15)),
        side_diff=abs(side[0] - side[1]),
        image_l_p99=float(np.percentile(_lab_l(small), 99)),
    )
