"""Hair and head-covering measures: fringe over the brows, hat / headscarf.

Pure functions of a :class:`~tjcheck.imaging.face.FaceAnalysis` (one face, landmarks
present). No decisions here: the ruleset holds the thresholds, the rules compare.

Everything is measured in a face-aligned frame: the photo is warped (similarity transform)
so that the iris centres sit level, ``D = 40`` px apart. Distances are therefore in units
of the inter-pupil distance ("d") and do not depend on photo size or roll.

Skin is judged against the *same face*: a Lab model (median, robust spread) sampled on
the cheeks under the eyes and on the nose ridge. The FEASIBILITY study found a cheek-only
model breaks on rosy cheeks and shiny foreheads, so the nose ridge is added (its colour is
close to the forehead's) and pixels brighter than the model are only mildly penalised
(shine), while darker pixels (hair, brows, shadow of a brim) are penalised fully.

Yaw: the frame is built from the two irises, so a turned head is compressed sideways;
the bands still sit over the brows (they follow the brow landmarks), but on the far side
the band may touch the hairline at the temple, which raises ``brow_hair``. The cascade
rejects |yaw| > 15 degrees before these measures are read.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from tjcheck.imaging.face import FaceAnalysis

D = 40.0                         # inter-pupil distance in the aligned frame, px
W, H = 160, 200                  # aligned frame: 4 d wide, 5 d tall
EYE_X = (60.0, 100.0)            # person's right iris (image left), left iris
EYE_Y = 110.0                    # 2.75 d of room above the eyes for hair and hats

# Upper edge of each brow, inner four points (the outermost point is left out: it meets
# the temple hairline on many good photos).
BROW_R = [107, 66, 105, 63]
BROW_L = [336, 296, 334, 293]
FOREHEAD_TOP = 10                # mesh forehead top (midline)
CHIN = 152

SKIN_FLOOR = np.array([8.0, 4.0, 4.0], np.float32)   # minimum spread of the skin model (L, a, b; 8-bit Lab)
SKIN_DIST = 3.0                  # a pixel is skin within 3 robust spreads of the face's own skin


@dataclass
class HairMeasures:
    # Fringe -----------------------------------------------------------------------------
    brow_hair: float          # 0..1, higher = covered. Fraction of non-skin pixels in the band 0.08-0.35 d
                              # above the upper edge of a brow; the larger of the two brows (a fringe over
                              # one brow is enough to reject). A clean forehead reads ~0-0.3, a fringe ~0.6-1.
    brow_hair_right: float    # the same, person's right brow (image left)
    brow_hair_left: float     # the same, person's left brow
    # Hat / head covering ----------------------------------------------------------------
    forehead_visible: float   # d units, higher = more forehead. Height of skin above the brows, centre
                              # columns, until the rows stop being mostly skin (hairline, brim, scarf, fringe).
                              # Good photos ~0.5-1.3 d; hats and fringes mostly <= 0.3 d.
    crown_chroma: float       # Lab chroma (8-bit units) of the median colour above the forehead top, inside the
                              # person mask. Natural hair <= ~37 here; red/blue/orange caps 60-80.
    crown_side_diff: float    # colour distance (robust units) between the region above the forehead and the
                              # non-skin person pixels beside the temples: a hat differs from the hair below it.
    neck_skin: float          # 0..1, fraction of the region under the chin whose chroma is that of the face's
                              # skin (lightness ignored: the neck is in shadow). A headscarf covers the neck.
    brim_edge: float          # >= 0, strongest straight horizontal edge across the forehead/crown, relative to
                              # the mean gradient there (a brim or scarf edge is straight, a hairline is not).
    forehead_clipped: float   # 1 when the photo frame cuts the forehead/crown (tight crops): crown measures weak


def _canonical(a: FaceAnalysis):
    """Warp photo, segmentation and landmarks into the aligned frame."""
    import cv2

    lm = a.landmarks
    r = lm[468:473, :2].mean(0)
    l = lm[473:478, :2].mean(0)
    v = l - r
    s = D / max(float(np.hypot(*v)), 1e-6)
    ang = float(np.arctan2(v[1], v[0]))
    c, si = np.cos(-ang) * s, np.sin(-ang) * s
    M = np.array([[c, -si, 0.0], [si, c, 0.0]], np.float32)
    M[0, 2] = EYE_X[0] - (M[0, 0] * r[0] + M[0, 1] * r[1])
    M[1, 2] = EYE_Y - (M[1, 0] * r[0] + M[1, 1] * r[1])
    interp = cv2.INTER_AREA if s < 1 else cv2.INTER_LINEAR
    img = cv2.warpAffine(a.rgb, M, (W, H), flags=interp, borderValue=0)
    valid = cv2.warpAffine(np.full(a.rgb.shape[:2], 255, np.uint8), M, (W, H),
                           flags=cv2.INTER_NEAREST, borderValue=0) > 0
    if a.person is not None:
        per = cv2.warpAffine(np.asarray(a.person, np.float32), M, (W, H), flags=cv2.INTER_LINEAR, borderValue=0)
    else:
        per = np.ones((H, W), np.float32)
    pts = lm[:, :2] @ M[:, :2].T + M[:, 2]
    return img, valid, per, pts


def hair_measures(a: FaceAnalysis) -> HairMeasures | None:
    """All hair/hat measures of the single face; None without landmarks."""
    import cv2

    if a.landmarks is None:
        return None
    img, ok, per, L = _canonical(a)
    lab = cv2.cvtColor(img, cv2.COLOR_RGB2LAB).astype(np.float32)
    yy, xx = np.mgrid[0:H, 0:W]
    cx = W / 2

    # The face's own skin: under both eyes and the nose ridge (rarely covered by hair or frames).
    ref = np.zeros((H, W), bool)
    for ex in EYE_X:
        ref |= (np.abs(xx - ex) < 0.25 * D) & (yy > EYE_Y + 0.55 * D) & (yy < EYE_Y + 0.95 * D)
    ref |= (np.abs(xx - cx) < 0.12 * D) & (yy > EYE_Y + 0.15 * D) & (yy < EYE_Y + 0.6 * D)
    ref &= ok
    px = lab[ref] if ref.sum() >= 20 else lab[ok]
    sm = np.median(px, 0)
    spread = np.maximum(np.median(np.abs(px - sm), 0) * 1.4826, SKIN_FLOOR)
    d = (lab - sm) / spread
    dl = np.where(d[..., 0] > 0, 0.5 * d[..., 0], d[..., 0])     # brighter = shine: half penalty
    skin = (np.sqrt(dl ** 2 + d[..., 1] ** 2 + d[..., 2] ** 2) <= SKIN_DIST) & ok
    skin_chroma = (np.hypot(d[..., 1], d[..., 2]) <= SKIN_DIST) & ok

    # Fringe: band above each brow's upper edge, following the brow's own curve.
    sides = []
    for idx in (BROW_R, BROW_L):
        p = L[idx]
        o = np.argsort(p[:, 0])
        bx, by = p[o, 0], p[o, 1]
        ytop = np.interp(xx, bx, by)
        band = (xx >= bx[0]) & (xx <= bx[-1]) & (yy < ytop - 0.08 * D) & (yy >= ytop - 0.35 * D) & ok
        sides.append(float(1.0 - skin[band].mean()) if band.sum() >= 10 else float("nan"))

    # Forehead visible: climb from just above the brows while the centre rows stay mostly skin.
    y10 = float(L[FOREHEAD_TOP, 1])
    ybrow = float(L[BROW_R + BROW_L, 1].min())
    cols = np.abs(np.arange(W) - cx) < 0.4 * D
    y_start = int(ybrow - 0.1 * D)
    y = y_start
    clipped = 0.0
    while y > 0:
        if ok[y, cols].mean() < 0.5:
            clipped = 1.0
            break
        if skin[y, cols].mean() < 0.5:
            break
        y -= 1
    if y <= 0:
        clipped = 1.0
    forehead = (y_start - y) / D + 0.1

    # Crown (above the mesh forehead top, inside the person) and hair beside the temples.
    inside = per > 0.5
    crown = (np.abs(xx - cx) < 0.6 * D) & (yy < y10 - 0.15 * D) & (yy > y10 - 0.6 * D) & ok & inside
    side = (np.abs(np.abs(xx - cx) - 1.15 * D) < 0.15 * D) & (yy > EYE_Y - 0.6 * D) & (yy < EYE_Y + 0.3 * D) \
        & ok & inside & ~skin
    chroma = diff = float("nan")
    if crown.sum() >= 20:
        cm = np.median(lab[crown], 0)
        chroma = float(np.hypot(cm[1] - 128, cm[2] - 128))
        if side.sum() >= 20:
            sdm = np.median(lab[side], 0)
            diff = float(np.sqrt((((cm - sdm) / np.array([10.0, 4.0, 4.0])) ** 2).sum()))
    else:
        clipped = 1.0

    ychin = float(L[CHIN, 1])
    neck = (np.abs(xx - cx) < 0.35 * D) & (yy > ychin + 0.25 * D) & (yy < ychin + 0.6 * D) & ok
    neck_skin = float(skin_chroma[neck].mean()) if neck.sum() >= 20 else float("nan")

    # Straight edge: a row whose vertical gradient keeps one sign across 1.6 d.
    g = cv2.GaussianBlur(lab[..., 0], (3, 3), 0)
    gy = cv2.Sobel(g, cv2.CV_32F, 0, 1, ksize=3)
    gx = cv2.Sobel(g, cv2.CV_32F, 1, 0, ksize=3)
    c0, c1 = int(cx - 0.8 * D), int(cx + 0.8 * D)
    y0, y1 = max(int(y10 - 1.0 * D), 0), int(ybrow - 0.15 * D)
    edge = float("nan")
    if y1 > y0 + 2:
        rows = np.abs(gy[y0:y1, c0:c1].mean(1))
        e = np.abs(gy[y0:y1, c0:c1]).mean() + np.abs(gx[y0:y1, c0:c1]).mean()
        edge = float(rows.max() / (e + 1.0))

    valid_sides = [s for s in sides if s == s]
    return HairMeasures(
        brow_hair=max(valid_sides) if valid_sides else float("nan"),
        brow_hair_right=sides[0], brow_hair_left=sides[1],
        forehead_visible=float(forehead), crown_chroma=chroma, crown_side_diff=diff,
        neck_skin=neck_skin, brim_edge=edge, forehead_clipped=clipped)


def fringe_measures(a: FaceAnalysis) -> dict:
    m = hair_measures(a)
    return {} if m is None else {k: getattr(m, k) for k in ("brow_hair", "brow_hair_right", "brow_hair_left")}


def hat_measures(a: FaceAnalysis) -> dict:
    m = hair_measures(a)
    if m is None:
        return {}
    return {k: v for k, v in asdict(m).items() if not k.startswith("brow_hair")}
