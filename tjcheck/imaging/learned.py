"""Learned photo detectors: glasses, tinted lenses, hat or head covering, fringe over the brows.

The detectors are trained by ``tools/train_photo.py`` on labelled photos and stored in
``tjcheck/models/photo_attributes.npz`` with a model card beside it (``photo_attributes.md``:
data and its terms, features, command, cross-validated figures). At run time only numpy and
OpenCV (both already needed by the face extra) are used: features are computed here, and each
detector (a logistic regression, gradient-boosted trees, or the two averaged) is calibrated on
out-of-fold scores and loaded once per process. The rules FA004-FA007 compare its probability
with the ruleset's ``face.detectors`` thresholds.

Features (``features()``), all in the face-aligned frame of ``hair`` (irises level, 40 px
apart, 160x200 px, so nothing depends on photo size or roll):
- histograms of oriented gradients (HOG): 10-px cells, 9 unsigned orientations, 2x2 blocks
  L2-Hys normalised — frames, brims and strands are edges at known places;
- colour: a 16x20 thumbnail in Lab, relative to the face's own skin (under the eyes and the
  nose ridge), so skin tone and white balance cancel — caps and scarves are colours, lenses
  are dark;
- the person mask (selfie segmentation) and "skin-like" share on the same 16x20 grid — a
  covering is person but not skin;
- the hand-made measures of ``eyes`` and ``hair`` (bridge line, tint under the lids, brow
  band, forehead height, crown chroma, neck skin, cover flow, side cover).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .face import FaceAnalysis

FEATURES_VERSION = 1
MODEL_FILE = Path(__file__).resolve().parent.parent / "models" / "photo_attributes.npz"

CELL = 10                      # HOG cell, px of the aligned frame (a quarter of the eye distance)
BINS = 9                       # unsigned orientations
THUMB = (20, 16)               # rows, columns of the colour / mask thumbnails


def _hog(gray: np.ndarray) -> np.ndarray:
    """HOG of a float32 image whose sides are multiples of CELL: cells of CELL px, BINS
    unsigned orientations with linear interpolation between bins, 2x2-cell blocks with
    L2-Hys normalisation (Dalal and Triggs), flattened."""
    import cv2

    gx = cv2.Sobel(gray, cv2.CV_32F, 1, 0, ksize=1)
    gy = cv2.Sobel(gray, cv2.CV_32F, 0, 1, ksize=1)
    mag = np.sqrt(gx * gx + gy * gy)
    ang = (np.arctan2(gy, gx) % math.pi) * (BINS / math.pi)      # 0..BINS
    lo = np.floor(ang - 0.5).astype(np.int32)
    w_hi = (ang - 0.5) - lo
    lo %= BINS
    hi = (lo + 1) % BINS
    h, w = gray.shape
    cy, cx = h // CELL, w // CELL
    cell = (np.arange(h)[:, None] // CELL) * cx + (np.arange(w)[None, :] // CELL)
    idx_lo = (cell * BINS + lo).ravel()
    idx_hi = (cell * BINS + hi).ravel()
    hist = np.bincount(idx_lo, (mag * (1 - w_hi)).ravel(), cy * cx * BINS)
    hist += np.bincount(idx_hi, (mag * w_hi).ravel(), cy * cx * BINS)
    hist = hist.reshape(cy, cx, BINS)
    blocks = np.concatenate([hist[:-1, :-1], hist[1:, :-1], hist[:-1, 1:], hist[1:, 1:]], axis=2)
    blocks /= np.sqrt((blocks ** 2).sum(2, keepdims=True) + 1e-6)
    np.minimum(blocks, 0.2, out=blocks)
    blocks /= np.sqrt((blocks ** 2).sum(2, keepdims=True) + 1e-6)
    return blocks.ravel().astype(np.float32)


def _thumb(channel: np.ndarray) -> np.ndarray:
    import cv2

    return cv2.resize(channel.astype(np.float32), (THUMB[1], THUMB[0]), interpolation=cv2.INTER_AREA).ravel()


HAND_MEASURES = ("bridge_line", "under_lid_lightness", "brow_hair", "forehead_visible", "crown_chroma",
                 "neck_skin", "cover_flow", "side_cover", "opening_min")


def hand_measures(a: FaceAnalysis, measured: tuple | None = None) -> np.ndarray:
    """The hand-made measures (NaN where one cannot be taken), in HAND_MEASURES order.
    ``measured``: the (glasses, hair, eyes) measures when the caller has them already (the
    rules do), so they are not taken twice."""
    from .eyes import eyes_open_measures, glasses_measures
    from .hair import hair_measures

    g, h, e = measured or (glasses_measures(a), hair_measures(a), eyes_open_measures(a))
    return np.array([g.bridge_line, g.under_lid_lightness, h.brow_hair, h.forehead_visible, h.crown_chroma / 100,
                     h.neck_skin, h.cover_flow, h.side_cover, e.opening_min], np.float32)


def features(a: FaceAnalysis, measured: tuple | None = None) -> np.ndarray:
    """The feature vector of the one face (needs ``a.landmarks``); float32, fixed length.
    ``measured`` as for ``hand_measures``."""
    import cv2

    from .hair import D, EYE_X, EYE_Y, _canonical

    img, ok, person, _ = _canonical(a)
    lab = cv2.cvtColor(img, cv2.COLOR_RGB2LAB).astype(np.float32)
    # the face's own skin, as in hair.py: under both eyes and on the nose ridge
    ref = np.zeros(ok.shape, bool)
    for ex in EYE_X:
        ref[int(EYE_Y + 0.55 * D):int(EYE_Y + 0.95 * D), int(ex - 0.25 * D):int(ex + 0.25 * D)] = True
    ref[int(EYE_Y + 0.15 * D):int(EYE_Y + 0.6 * D), int(80 - 0.12 * D):int(80 + 0.12 * D)] = True
    ref &= ok
    px = lab[ref] if ref.sum() >= 20 else lab[ok] if ok.any() else lab.reshape(-1, 3)
    skin = np.median(px, 0)
    spread = np.maximum(np.median(np.abs(px - skin), 0) * 1.4826, (8.0, 4.0, 4.0))
    rel = (lab - skin) / spread
    rel[~ok] = 0
    # lightness in log units relative to the skin: exposure and skin tone cancel in the HOG too
    gray = np.log1p(lab[..., 0]) - math.log1p(max(float(skin[0]), 1.0))
    gray[~ok] = 0
    skin_like = (np.abs(rel).max(2) < 3).astype(np.float32) * ok
    parts = [
        _hog(np.ascontiguousarray(gray, dtype=np.float32)),
        np.clip(np.concatenate([_thumb(rel[..., c]) for c in range(3)]), -10, 10) / 10,
        _thumb(np.asarray(person, np.float32)),
        _thumb(skin_like),
        _thumb(ok.astype(np.float32)),
        np.array([skin[0] / 255, (skin[1] - 128) / 64, (skin[2] - 128) / 64], np.float32),
        hand_measures(a, measured),
    ]
    return np.nan_to_num(np.concatenate(parts).astype(np.float32), nan=0.0, posinf=0.0, neginf=0.0)


# Regions of the aligned frame in THUMB cells (10 px; irises at row 11, columns 6 and 10):
# rows r0:r1, columns c0:c1. "_r" is the person's right (image left).
REGIONS = {"crown": (0, 4, 4, 12), "forehead_top": (4, 7, 5, 11), "forehead_low": (7, 9, 5, 11),
           "brow_r": (8, 11, 4, 8), "brow_l": (8, 11, 8, 12), "eyes": (10, 13, 4, 12), "bridge": (10, 13, 7, 9),
           "under_eyes": (12, 14, 4, 12), "temple_r": (5, 12, 1, 4), "temple_l": (5, 12, 12, 15),
           "beside_r": (11, 16, 0, 4), "beside_l": (11, 16, 12, 16), "neck": (17, 20, 6, 10),
           "cheeks": (13, 16, 5, 11), "above_r": (0, 5, 0, 4), "above_l": (0, 5, 12, 16)}
_N_HOG = (THUMB[0] - 1) * (THUMB[1] - 1) * 4 * BINS
_N_CELLS = THUMB[0] * THUMB[1]


def region_features(X: np.ndarray) -> np.ndarray:
    """Compact features pooled over REGIONS from full feature vectors (rows of X): per region
    the mean and spread of the skin-relative Lab thumbnail, the person, skin and in-photo
    shares, and the region's mean orientation histogram; then the hand measures. 16 x 18 + 12
    values, for models that need few features (gradient boosting)."""
    X = np.atleast_2d(X)
    n = X.shape[0]
    o = _N_HOG
    hog = X[:, :o].reshape(n, THUMB[0] - 1, THUMB[1] - 1, 4, BINS)
    col = X[:, o:o + 3 * _N_CELLS].reshape(n, 3, *THUMB)
    o += 3 * _N_CELLS
    person, skin, inside = (X[:, o + i * _N_CELLS:o + (i + 1) * _N_CELLS].reshape(n, *THUMB) for i in range(3))
    out = []
    for r0, r1, c0, c1 in REGIONS.values():
        c = col[:, :, r0:r1, c0:c1].reshape(n, 3, -1)
        out += [c.mean(2), c.std(2)] + [m[:, r0:r1, c0:c1].reshape(n, -1).mean(1, keepdims=True)
                                        for m in (person, skin, inside)]
        out.append(hog[:, max(r0 - 1, 0):min(r1, THUMB[0] - 1), max(c0 - 1, 0):min(c1, THUMB[1] - 1)]
                   .sum(3).reshape(n, -1, BINS).mean(1))
    out.append(X[:, -12:])    # skin reference and hand measures
    return np.concatenate(out, 1).astype(np.float32)


@dataclass(frozen=True)
class Trees:
    """A gradient-boosted tree ensemble flattened into arrays (from scikit-learn's
    HistGradientBoostingClassifier): raw score = base + the sum of each tree's leaf value.
    A node goes left when x[feature] <= threshold; every tree walks in step, one level per pass."""
    base: float
    roots: np.ndarray       # int32, the first node of each tree
    feature: np.ndarray     # int32 per node
    threshold: np.ndarray   # float32 per node
    left: np.ndarray        # int32 per node (global index)
    right: np.ndarray
    leaf: np.ndarray        # bool per node
    value: np.ndarray       # float32 per node (leaves)
    depth: int

    def raw(self, x: np.ndarray) -> float:
        node = self.roots
        for _ in range(self.depth):
            go_left = x[self.feature[node]] <= self.threshold[node]
            node = np.where(self.leaf[node], node, np.where(go_left, self.left[node], self.right[node]))
        return self.base + float(self.value[node].sum())


@dataclass(frozen=True)
class Detector:
    """One detector with Platt calibration, probability = sigmoid(a * raw + c), where raw is
    a logistic regression on the standardised full features, w · (x - mean) / scale + b, a
    tree ensemble on the region features, or the mean of its members' calibrated log-odds."""
    name: str
    platt: tuple[float, float]
    linear: tuple[np.ndarray, np.ndarray, np.ndarray, float] | None = None   # mean, scale, weights, bias
    trees: Trees | None = None
    members: tuple["Detector", ...] = ()

    def raw(self, x: np.ndarray) -> float:
        if self.members:
            return sum(m.logit(x) for m in self.members) / len(self.members)
        if self.trees is not None:
            return self.trees.raw(region_features(x)[0])
        mean, scale, weights, bias = self.linear
        return float(((x - mean) / scale) @ weights + bias)

    def logit(self, x: np.ndarray) -> float:
        a, c = self.platt
        return a * self.raw(x) + c

    def probability(self, x: np.ndarray) -> float:
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, self.logit(x)))))


class ModelMissing(RuntimeError):
    """The model file is absent or was made for other features (a broken installation)."""


@lru_cache(maxsize=1)
def detectors(path: str = str(MODEL_FILE)) -> dict[str, Detector]:
    """The detectors of the model file, loaded once per process."""
    try:
        with np.load(path, allow_pickle=False) as z:
            if int(z["features_version"]) != FEATURES_VERSION:
                raise ModelMissing(f"{path}: made for features version {int(z['features_version'])}, "
                                   f"this tjcheck computes version {FEATURES_VERSION}")
            return {str(n): _detector(z, str(n)) for n in z["names"]}
    except (OSError, KeyError, ValueError) as exc:
        raise ModelMissing(f"{path}: {exc}") from None


def _detector(z, n: str) -> Detector:
    platt = tuple(float(v) for v in z[f"{n}.platt"])
    if f"{n}.members" in z:
        return Detector(n, platt, members=tuple(_detector(z, f"{n}.{m}") for m in z[f"{n}.members"]))
    if f"{n}.roots" in z:
        t = Trees(float(z[f"{n}.base"]), *(z[f"{n}.{k}"] for k in ("roots", "feature", "threshold", "left", "right",
                                                                  "leaf", "value")), int(z[f"{n}.depth"]))
        return Detector(n, platt, trees=t)
    return Detector(n, platt, linear=(z[f"{n}.mean"], z[f"{n}.scale"], z[f"{n}.weights"], float(z[f"{n}.bias"])))


def probabilities(a: FaceAnalysis, measured: tuple | None = None) -> dict[str, float]:
    """Each detector's calibrated probability for the one face (``measured`` as for
    ``hand_measures``)."""
    x = features(a, measured)
    return {name: d.probability(x) for name, d in detectors().items()}
