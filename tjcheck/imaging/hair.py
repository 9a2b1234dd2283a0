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
the band may touch the hairline at the temple, which raises ``brow_hair``. The tool reads
these measures on faces turned up to |yaw| <= 30 degrees (any roll: the frame undoes it).

Hat versus fringe (round 2). Both hide the forehead, so "forehead not skin" cannot tell
them apart. What does, at the tool's resolution (~40 px between the eyes), is the *flow*
of the covering just above the skin: a fringe is strands that fall down over the forehead
(intensity structure runs vertically), a brim, hat band, cap peak or a scarf's edge runs
across the forehead (structure runs horizontally). ``cover_flow`` measures that with a
structure tensor. Fine hair texture (strand frequency) was tried and depends on the
photo's resolution (upsampled small faces look like cloth), so it is not used.
Also tried and dropped (study rounds 2-3): a straight horizontal edge across
the forehead (blunt fringes read as high as brims), raggedness of the skin's upper boundary
(studio hairlines are as smooth as brims here) and crown-versus-temple colour difference.
A headscarf is told by the cloth that wraps the face: the neck under the chin *and* the
band beside the cheeks are covered (``side_cover``), which a collar or a beard alone is not.
"""
from __future__ import annotations

from dataclasses import dataclass

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
L_FLOOR = 0.10                   # lightness spread >= 10 % of skin lightness: 3 spreads = 30 % darker
HUE_TOL = 20.0                   # degrees of Lab hue a bright (shiny, pale) skin pixel may differ by


@dataclass
class HairMeasures:
    # Fringe -----------------------------------------------------------------------------
    brow_hair: float          # 0..1, higher = covered. Fraction of non-skin pixels in the band 0.08-0.35 d
                              # above the upper edge of a brow; the larger of the two brows (a fringe over
                              # one brow is enough to reject). A clean forehead reads ~0-0.3, a fringe ~0.6-1.
    # Hat / head covering ----------------------------------------------------------------
    forehead_visible: float   # d units, higher = more forehead. Height of skin above the brows, centre
                              # columns, until the rows stop being mostly skin (hairline, brim, scarf, fringe).
                              # Good photos ~0.5-1.3 d; hats and fringes mostly <= 0.35 d.
    crown_chroma: float       # Lab chroma (8-bit units) of the median colour above the forehead top, inside the
                              # person mask. Natural hair <= ~37 here; red/blue/orange caps 60-80.
    neck_skin: float          # 0..1, fraction of the region under the chin whose chroma is that of the face's
                              # skin (lightness ignored: the neck is in shadow). A headscarf covers the neck.
    cover_flow: float
                              # -1..+1. Direction of the intensity structure in the band 0.05-0.35 d above where
                              # the forehead skin ends (per column, centre 1 d): +1 = structure runs vertically
                              # (strands of a fringe falling over the forehead), -1 = runs horizontally (brim,
                              # cap peak, hat band, scarf edge). Energy- and coherence-weighted mean of the
                              # structure tensor's cos(2 theta). Fringes mostly >= -0.2, brims/caps <= -0.4.
                              # Only meaningful when the forehead is covered (forehead_visible small).
    side_cover: float
                              # 0..1, fraction of the bands just outside the face outline, from the eyes down
                              # 1 d, that are person but not skin (cloth or hair over the ears/cheeks). A
                              # headscarf reads ~0.55-1; short hair with visible ears ~0-0.35.
    skin_hue: float
                              # degrees, Lab hue angle of the skin reference (median under the eyes and on the
                              # nose ridge); nan when its chroma is below 4 (grey photo: no hue). Real skin reads
                              # 12-85 here; a face mask or a tinted document print reads far outside (-135, -90,
                              # -34). Every other measure here is judged against this reference, so when it is
                              # not skin (the rule's window, e.g. -20..125) none of them is meaningful.


# Pixel grid of the aligned frame (constant: built once).
_YY, _XX = np.mgrid[0:H, 0:W].astype(np.float32)
_CX = W / 2
_COLS = np.arange(W)[np.abs(np.arange(W) - _CX) < 0.5 * D]      # columns of the cover-flow band (centre 1 d)
_HUE_TAN = float(np.tan(np.radians(HUE_TOL)))


def _canonical(a: FaceAnalysis):
    """Warp photo, segmentation and landmarks into the aligned frame, once per analysis (the
    hair measures and the learned detectors' features both start from it; callers only read)."""
    cached = a.__dict__.get("_canonical")
    if cached is not None and cached[0] is a.landmarks:
        return cached[1]
    out = _warp(a)
    a.__dict__["_canonical"] = (a.landmarks, out)
    return out


def _warp(a: FaceAnalysis):
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
    # "inside the photo" mask: warp the image rectangle's corners instead of a full-size array
    h0, w0 = a.rgb.shape[:2]
    corners = np.array([[0, 0], [w0, 0], [w0, h0], [0, h0]], np.float32) - 0.5
    poly = (corners @ M[:, :2].T + M[:, 2]).round().astype(np.int32)
    valid = np.zeros((H, W), np.uint8)
    cv2.fillConvexPoly(valid, poly, 1)
    valid = valid > 0
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
    yy, xx = _YY, _XX
    cx = _CX

    # The face's own skin: under both eyes and the nose ridge (rarely covered by hair or frames).
    ref = np.zeros((H, W), bool)
    for ex in EYE_X:
        ref[int(EYE_Y + 0.55 * D) + 1:int(np.ceil(EYE_Y + 0.95 * D)), int(ex - 0.25 * D) + 1:int(np.ceil(ex + 0.25 * D))] = True
    ref[int(EYE_Y + 0.15 * D) + 1:int(np.ceil(EYE_Y + 0.6 * D)), int(cx - 0.12 * D) + 1:int(np.ceil(cx + 0.12 * D))] = True
    ref &= ok
    px = lab[ref] if ref.sum() >= 20 else lab[ok]
    sm = np.median(px, 0)
    # Lightness varies more over a face than colour (forehead shaded by hair, side light), so the
    # lightness spread is at least a fixed fraction of the skin's own lightness.
    floor = np.array([max(SKIN_FLOOR[0], L_FLOOR * float(np.median(px[:, 0]))), SKIN_FLOOR[1], SKIN_FLOOR[2]])
    spread = np.maximum(np.median(np.abs(px - sm), 0) * 1.4826, floor).astype(np.float32)
    # The reference itself: a mask or a tinted print under the eyes makes every measure below meaningless.
    ref_chroma = float(np.hypot(sm[1] - 128, sm[2] - 128))
    ref_hue = float(np.degrees(np.arctan2(sm[2] - 128, sm[1] - 128))) if ref_chroma >= 4 else float("nan")
    d = (lab - sm.astype(np.float32)) / spread
    dL, da, db = d[..., 0], d[..., 1], d[..., 2]
    dab2 = da * da + db * db
    dark_side = (np.minimum(dL, 0) ** 2 + dab2) <= SKIN_DIST ** 2
    # Brighter than the skin model: shine or a pale forehead mixes white light into the skin
    # colour, which lowers its chroma but keeps its hue. Judge such pixels by hue only
    # (blond and grey hair differ in hue or are more saturated). Hue difference by the
    # dot/cross product of the (a, b) vectors: same test as |angle| < HUE_TOL, no arctan.
    ca, cb = lab[..., 1] - 128, lab[..., 2] - 128
    sa, sb = float(sm[1] - 128), float(sm[2] - 128)
    dot = ca * sa + cb * sb
    crs = np.abs(ca * sb - cb * sa)
    chroma2 = ca * ca + cb * cb
    cmax = float(np.hypot(sa, sb)) + SKIN_DIST * float(spread[1:].max())
    too_saturated = chroma2 > cmax * cmax
    hue_ok = (dot > 0) & (crs < _HUE_TAN * dot)
    bright_side = (lab[..., 0] >= sm[0]) & ~too_saturated & (hue_ok | (chroma2 < 16))
    skin = (dark_side | bright_side) & ok
    skin_chroma = (dab2 <= SKIN_DIST ** 2) & ok

    # Fringe: band above each brow's upper edge, following the brow's own curve.
    sides = []
    xs1 = np.arange(W, dtype=np.float32)
    for idx in (BROW_R, BROW_L):
        p = L[idx]
        o = np.argsort(p[:, 0])
        bx, by = p[o, 0], p[o, 1]
        x0, x1 = max(int(np.ceil(bx[0])), 0), min(int(np.floor(bx[-1])), W - 1)
        if x1 < x0:
            sides.append(float("nan"))
            continue
        ytop = np.interp(xs1[x0:x1 + 1], bx, by)
        y0 = max(int(np.floor(ytop.min() - 0.35 * D)), 0)
        y1 = min(int(np.ceil(ytop.max())), H)
        sub_y = yy[y0:y1, x0:x1 + 1]
        band = (sub_y < ytop - 0.08 * D) & (sub_y >= ytop - 0.35 * D) & ok[y0:y1, x0:x1 + 1]
        sides.append(float(1.0 - skin[y0:y1, x0:x1 + 1][band].mean()) if band.sum() >= 10 else float("nan"))

    # Forehead visible: climb from just above the brows while the centre rows stay mostly skin.
    y10 = float(L[FOREHEAD_TOP, 1])
    ybrow = float(L[BROW_R + BROW_L, 1].min())
    c0, c1 = int(np.floor(cx - 0.4 * D)) + 1, int(np.ceil(cx + 0.4 * D))
    y_start = int(ybrow - 0.1 * D)
    y = y_start
    if y > 0:
        ys = min(y_start, H - 1)
        okf = ok[1:ys + 1, c0:c1].mean(1)       # rows 1..y_start
        skf = skin[1:ys + 1, c0:c1].mean(1)
        stop = np.nonzero(((okf < 0.5) | (skf < 0.5))[::-1])[0]
        y = ys - int(stop[0]) if len(stop) else 0
    forehead = (y_start - y) / D + 0.1

    # Crown: above the mesh forehead top, inside the person.
    inside = per > 0.5
    crown = (np.abs(xx - cx) < 0.6 * D) & (yy < y10 - 0.15 * D) & (yy > y10 - 0.6 * D) & ok & inside
    chroma = float("nan")
    if crown.sum() >= 20:
        cm = np.median(lab[crown], 0)
        chroma = float(np.hypot(cm[1] - 128, cm[2] - 128))

    ychin = float(L[CHIN, 1])
    neck = (np.abs(xx - cx) < 0.35 * D) & (yy > ychin + 0.25 * D) & (yy < ychin + 0.6 * D) & ok
    neck_skin = float(skin_chroma[neck].mean()) if neck.sum() >= 20 else float("nan")

    # Cloth beside the cheeks: just outside the face outline (mesh points 234 / 454), eyes to 1 d below.
    fl, fr = float(L[234, 0]), float(L[454, 0])
    beside = (((xx < fl - 0.05 * D) & (xx > fl - 0.35 * D)) | ((xx > fr + 0.05 * D) & (xx < fr + 0.35 * D))) \
        & (yy > EYE_Y) & (yy < EYE_Y + D) & ok
    side_cover = float((beside & inside & ~skin).sum() / beside.sum()) if beside.sum() >= 20 else float("nan")

    # Cover flow. Per column, where the forehead skin ends going up from the brows (first run
    # of K non-skin pixels), then the structure tensor in the band 0.05-0.35 d above it.
    flow = float("nan")
    ys = int(ybrow - 0.1 * D)
    if ys > 4:
        g = cv2.GaussianBlur(lab[..., 0], (3, 3), 0)
        gy = cv2.Sobel(g, cv2.CV_32F, 0, 1, ksize=3)
        gx = cv2.Sobel(g, cv2.CV_32F, 1, 0, ksize=3)
        K = max(2, int(0.06 * D))
        ns = ~skin[:ys + 1, _COLS]
        run = np.ones_like(ns[K - 1:])                  # run[i] = rows i..i+K-1 all non-skin
        for j in range(K):
            run &= ns[j:j + ns.shape[0] - K + 1]
        hit = run[::-1].argmax(0)                       # first run met going up from ys
        bnd = np.where(run.any(0), ys - hit, K - 1).astype(np.float32)   # lowest row of that run
        ylo = max(int(bnd.min() - 0.35 * D) - 4, 0)
        yhi = int(bnd.max()) + 4
        if yhi > ylo + 4:
            sl = (slice(ylo, yhi), slice(int(_COLS[0]) - 4, int(_COLS[-1]) + 5))
            sx, sy = gx[sl], gy[sl]
            jxx = cv2.GaussianBlur(sx * sx, (0, 0), 2.0)
            jyy = cv2.GaussianBlur(sy * sy, (0, 0), 2.0)
            sub_y = yy[sl]
            b2 = np.interp(xx[sl][0], _COLS.astype(np.float32), bnd)[None, :]
            bandf = (sub_y < b2 - 0.05 * D) & (sub_y > b2 - 0.35 * D) & inside[sl] & ok[sl]
            bandf &= np.abs(xx[sl] - cx) < 0.5 * D
            if bandf.sum() > 20:
                # (Jxx - Jyy) / (Jxx + Jyy) summed = energy-weighted cos(2 theta) of the gradient:
                # gradients along x (vertical strands) give +1, along y (horizontal edges) -1.
                flow = float((jxx[bandf] - jyy[bandf]).sum() / ((jxx[bandf] + jyy[bandf]).sum() + 1e-3))

    valid_sides = [s for s in sides if s == s]
    return HairMeasures(
        brow_hair=max(valid_sides) if valid_sides else float("nan"),
        forehead_visible=float(forehead), crown_chroma=chroma, neck_skin=neck_skin,
        cover_flow=flow, side_cover=side_cover, skin_hue=ref_hue)

