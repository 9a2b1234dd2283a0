"""Eye-region measures: glasses, tinted lenses (sunglasses), eyes closed.

Pure functions of a ``FaceAnalysis`` with one face mesh; they return named measurements and
decide nothing (the limits live in the ruleset; ``bench/study_eyes.py`` measures them on
the labelled photos).

Every image measure works in a canonical eye frame: a similarity transform (rotation, scale,
shift — no shear) puts the outer eye corners (mesh points 33 and 263) at fixed spots 100 px
apart, so a glasses frame has the same size in a 224-px crop and an 800-px studio photo, and
head roll is undone. Lightness is compared in log units (edges) or as a ratio to the person's
own cheeks (tint), so skin tone and exposure largely cancel.

Why these measures (see the study for figures):
- A glasses frame has a bridge: a thin horizontal bar over the nose between the eyes. Bare
  skin there is smooth (the glabella's folds run vertically), brows and fringes sit higher.
  The *row mean* of the second vertical derivative across the bridge strip rewards only a
  line that runs across the whole strip, so skin texture and noise average out.
- Tinted lenses darken the band just under the lower lids, which is bare skin otherwise.
  The lighter of the two eyes is used, so one shadowed eye (side light) does not read as tint.
- Eyes open: the mesh's eyelid gap over the eye width (eye aspect ratio), and the part of the
  iris diameter the lids leave uncovered. (The darkness of the iris disc in the image was
  tried as a mesh-independent cue and did not separate: a closed eye's lashes read as dark.)
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from .face import FaceAnalysis

# Canonical eye frame (pixels): outer corners 100 px apart on one row.
FRAME_W, FRAME_H = 240, 160
RIGHT_CORNER = (70.0, 64.0)    # mesh 33, the person's right eye (image left)
LEFT_CORNER = (170.0, 64.0)    # mesh 263
# Regions in the canonical frame (x0, x1, y0, y1). In good photos the mesh puts the lower
# lids at y≈69, the nasion (168) at y≈60, the nose tip at y≈110, the brows' inner ends at
# x≈103/136, y≈40-50, the face outline at x≈42/198 (bench/study_eyes.py prints them).
BRIDGE = (113, 127, 47, 76)    # nose strip between the lenses, below brows and fringes
UNDER_LIDS = ((70, 100, 70, 80), (140, 170, 70, 80))   # just under each lower lid
CHEEKS = ((62, 86, 115, 130), (154, 178, 115, 130))    # below even large lenses, above the mouth
RIDGE_SIGMA = 0.8              # px in the canonical frame: frame bars are 1-4 px there


def eye_frame(a: FaceAnalysis):
    """The eye region warped to the canonical frame: (RGB uint8 FRAME_H×FRAME_W, 2×3 matrix,
    the mesh points in frame pixels). Shrinking is anti-aliased (blur before sampling) so
    camera noise of large photos does not turn into fake edges."""
    import cv2

    lm = a.landmarks[:, :2].astype(np.float64)
    src = lm[[33, 263]]
    d = src[1] - src[0]
    z = complex(LEFT_CORNER[0] - RIGHT_CORNER[0], LEFT_CORNER[1] - RIGHT_CORNER[1]) / complex(d[0], d[1])
    m = np.array([[z.real, -z.imag, 0.0], [z.imag, z.real, 0.0]])
    m[:, 2] = np.array(RIGHT_CORNER) - m[:, :2] @ src[0]
    scale = abs(z)
    rgb = a.rgb
    # Work on the source rectangle the frame maps from (plus a margin), not the whole photo.
    inv = cv2.invertAffineTransform(m)
    corners = np.array([[0, 0], [FRAME_W, 0], [0, FRAME_H], [FRAME_W, FRAME_H]], float) @ inv[:, :2].T + inv[:, 2]
    pad = 4 + 2 / scale
    h, w = rgb.shape[:2]
    x0, y0 = (max(0, int(v - pad)) for v in corners.min(0))
    x1, y1 = int(min(w, corners[:, 0].max() + pad)), int(min(h, corners[:, 1].max() + pad))
    crop = rgb[y0:y1, x0:x1]
    if scale < 0.8 and crop.size:
        crop = cv2.GaussianBlur(crop, (0, 0), 0.45 / scale)
    m2 = m.copy()
    m2[:, 2] += m[:, :2] @ np.array([x0, y0], float)
    if crop.size == 0:
        crop, m2 = rgb, m
    img = cv2.warpAffine(np.ascontiguousarray(crop), m2, (FRAME_W, FRAME_H), flags=cv2.INTER_LINEAR,
                         borderMode=cv2.BORDER_REPLICATE)
    pts = lm @ m[:, :2].T + m[:, 2]
    return img, m, pts


def _luma(img) -> np.ndarray:
    f = img.astype(np.float32)
    return 0.299 * f[..., 0] + 0.587 * f[..., 1] + 0.114 * f[..., 2]


@dataclass(frozen=True)
class GlassesMeasures:
    bridge_line: float
    """Strongest straight line across the nose bridge: |row mean of d²(log lightness)/dy²|
    over the BRIDGE strip, at RIDGE_SIGMA (log units, about the relative contrast of a thin
    bar). Higher = more like a frame's bridge. Good photos ≤ ~0.025; frames 0.08-0.4."""
    bridge_row: float
    """Where that line is: canonical y (eye corners at y=64). For reports and debugging."""
    under_lid_lightness: float
    """Median lightness of the band just under the lower lids over the cheeks' median
    (the lighter of the two eyes). Ratio; ~0.7-1.2 for bare skin, lower = tinted lenses."""

    def as_dict(self) -> dict:
        return asdict(self)


def glasses_measures(a: FaceAnalysis) -> GlassesMeasures:
    """Glasses frame and lens tint measures of the one face (needs ``a.landmarks``)."""
    import cv2

    img, _, _ = eye_frame(a)
    y = _luma(img)
    # log(lightness + 10): edge strength becomes relative contrast (dark skin and dim photos
    # are not penalised); the +10 keeps sensor noise in near-black pixels from exploding.
    logl = cv2.GaussianBlur(np.log(y + 10.0), (0, 0), RIDGE_SIGMA)
    x0, x1, y0, y1 = BRIDGE
    # Second derivative in y (scale-normalised by σ²): a thin bar is a ridge; a smooth
    # shading gradient (nose bridge under top light) is not.
    dyy = cv2.Sobel(logl[y0 - 2:y1 + 2, x0:x1], cv2.CV_32F, 0, 2, ksize=3)[2:-2] / 4.0 * RIDGE_SIGMA ** 2
    prof = np.abs(dyy.mean(axis=1))
    i = int(prof.argmax())
    cheek = np.mean([np.median(y[cy0:cy1, cx0:cx1]) for cx0, cx1, cy0, cy1 in CHEEKS])
    under = max(np.median(y[by0:by1, bx0:bx1]) for bx0, bx1, by0, by1 in UNDER_LIDS)
    return GlassesMeasures(bridge_line=float(prof[i]), bridge_row=float(y0 + i),
                           under_lid_lightness=float(under / max(cheek, 1.0)))


# Mesh eyelid points: (upper, lower) pairs across each eye, and the corners.
_RIGHT_LIDS = ((160, 144), (159, 145), (158, 153))
_LEFT_LIDS = ((385, 380), (386, 374), (387, 373))
_RIGHT_CORNERS, _LEFT_CORNERS = (33, 133), (362, 263)
_RIGHT_IRIS, _LEFT_IRIS = (468, 469, 470, 471, 472), (473, 474, 475, 476, 477)


@dataclass(frozen=True)
class EyesOpenMeasures:
    opening_right: float
    """Eye aspect ratio of the person's right eye: mean gap between the mesh's upper and lower
    lid points over the corner-to-corner eye width. Open eyes ~0.2-0.4; closed ~0.05-0.1."""
    opening_left: float
    """The same for the left eye."""
    iris_uncovered: float
    """The lid gap at the iris centre over the iris diameter (mesh iris), the smaller of the
    two eyes. ~0.5-1.0 when open; near 0 when the lids meet."""

    @property
    def opening_min(self) -> float:
        return min(self.opening_right, self.opening_left)

    def as_dict(self) -> dict:
        return {**asdict(self), "opening_min": self.opening_min}


def _ear(lm, lids, corners) -> float:
    width = np.linalg.norm(lm[corners[0]] - lm[corners[1]])
    gap = np.mean([np.linalg.norm(lm[u] - lm[d]) for u, d in lids])
    return float(gap / max(width, 1e-6))


def eyes_open_measures(a: FaceAnalysis) -> EyesOpenMeasures:
    """How open the eyes are, from the mesh eyelids and the iris (needs ``a.landmarks``)."""
    lm = a.landmarks[:, :2].astype(np.float64)
    uncovered = []
    for lids, iris in ((_RIGHT_LIDS, _RIGHT_IRIS), (_LEFT_LIDS, _LEFT_IRIS)):
        diameter = 0.5 * (np.linalg.norm(lm[iris[1]] - lm[iris[3]]) + np.linalg.norm(lm[iris[2]] - lm[iris[4]]))
        upper, lower = lids[1]
        uncovered.append(np.linalg.norm(lm[upper] - lm[lower]) / max(diameter, 1e-6))
    return EyesOpenMeasures(opening_right=_ear(lm, _RIGHT_LIDS, _RIGHT_CORNERS),
                            opening_left=_ear(lm, _LEFT_LIDS, _LEFT_CORNERS),
                            iris_uncovered=float(min(uncovered)))
