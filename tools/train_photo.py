#!/usr/bin/env python3
"""Rebuild the learned photo detectors (tjcheck/models/photo_attributes.npz and its card).

    pip install -e ".[face,train]"
    python tools/train_photo.py analyse      # face analysis of every photo and variant (cached)
    python tools/train_photo.py evaluate     # grouped cross-validation of each model family
    python tools/train_photo.py fit          # the model file and its card
    python tools/train_photo.py all          # the three in turn

Data: ``../shared/photos`` and ``../shared/photos-large`` (labels.csv beside img/), read in
place and never copied, and synthetic variants of them (blur, exposure, JPEG, scale, small
rotation) made here from a seed. The analysis of each photo (mediapipe, the slow part) is
cached in ``--cache`` (default ~/.cache/tjcheck-train); features are recomputed from it.

Cross-validation is grouped by source (the file-name prefix: every photo of a source, and
every variant of a photo, falls in the same fold), since the detectors must hold on photos
from sources they never saw. Variants are only ever trained on, never scored.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import math
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"
SETS = {"photos": SHARED / "photos", "photos-large": SHARED / "photos-large"}
DEFAULT_CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "tjcheck-train"
SEED = 20261201
VARIANT_KINDS = ("gauss", "motion", "defocus", "exposure", "jpeg", "scale", "rotate")

# detector -> (positive?, usable?) from a label row
TARGETS = {
    "glasses": (lambda r: r["glasses"] in ("clear", "sunglasses"), lambda r: r["glasses"] != "unsure"),
    "tinted": (lambda r: r["glasses"] == "sunglasses", lambda r: r["glasses"] != "unsure"),
    "hat": (lambda r: r["hat"] == "yes", lambda r: r["hat"] in ("yes", "no")),
    "fringe": (lambda r: r["bangs_cover_brows"] == "yes", lambda r: r["bangs_cover_brows"] in ("yes", "no")),
}


# ----------------------------------------------------------------------------- variants
def make_variant(img, kind: str, rng: np.random.Generator):
    """A degraded copy of a PIL RGB image: (image, strength); labels other than blur hold."""
    import cv2
    from PIL import Image

    a = np.asarray(img.convert("RGB"))
    size = max(a.shape[:2])
    if kind == "gauss":
        s = float(rng.uniform(0.5, 2.5)) * size / 600
        return Image.fromarray(cv2.GaussianBlur(a, (0, 0), max(s, 0.3))), s
    if kind == "motion":
        n = max(3, int(rng.uniform(3, 12) * size / 600)) | 1
        k = np.zeros((n, n), np.float32)
        k[n // 2, :] = 1.0 / n
        rot = cv2.getRotationMatrix2D((n / 2 - 0.5, n / 2 - 0.5), float(rng.uniform(0, 180)), 1.0)
        k = cv2.warpAffine(k, rot, (n, n))
        return Image.fromarray(cv2.filter2D(a, -1, k / max(k.sum(), 1e-6))), n
    if kind == "defocus":
        r = max(1, int(rng.uniform(1.5, 5) * size / 600))
        k = np.zeros((2 * r + 1, 2 * r + 1), np.float32)
        cv2.circle(k, (r, r), r, 1.0, -1)
        return Image.fromarray(cv2.filter2D(a, -1, k / k.sum())), r
    if kind == "exposure":
        gain, gamma = float(rng.uniform(0.6, 1.4)), float(rng.uniform(0.7, 1.4))
        out = np.clip(255.0 * (a / 255.0) ** gamma * gain, 0, 255).astype(np.uint8)
        return Image.fromarray(out), gain
    if kind == "jpeg":
        q = int(rng.integers(15, 60))
        buf = io.BytesIO()
        img.convert("RGB").save(buf, "JPEG", quality=q)
        return Image.open(io.BytesIO(buf.getvalue())).convert("RGB"), q
    if kind == "scale":
        f = float(rng.uniform(0.35, 0.8))
        return img.convert("RGB").resize((max(8, int(img.width * f)), max(8, int(img.height * f))),
                                         Image.LANCZOS), f
    if kind == "rotate":
        deg = float(rng.uniform(-10, 10))
        return img.convert("RGB").rotate(deg, resample=Image.BICUBIC, expand=False, fillcolor=(255, 255, 255)), deg
    raise ValueError(kind)


# ----------------------------------------------------------------------------- analysis cache
@dataclass
class Item:
    key: str           # cache key: set/file, or set/file#n for its n-th synthetic variant
    set: str
    file: str


MIRROR = "#m"     # key suffix of a photo's mirror image (left and right swapped: every label holds)


def items(variants: int, mirror: bool = True) -> list[Item]:
    """Every labelled photo, its ``variants`` synthetic variants and, with ``mirror``, its mirror image."""
    out = []
    for name, folder in SETS.items():
        labels = folder / "labels.csv"
        if not labels.is_file():
            print(f"SKIP: {labels} not found", file=sys.stderr)
            continue
        for row in csv.DictReader(labels.open(encoding="utf-8")):
            out.append(Item(f"{name}/{row['file']}", name, row["file"]))
            for v in range(variants):
                out.append(Item(f"{name}/{row['file']}#{v}", name, row["file"]))
            if mirror:
                out.append(Item(f"{name}/{row['file']}{MIRROR}", name, row["file"]))
    return out


def _rng(key: str) -> np.random.Generator:
    return np.random.default_rng([SEED, int(hashlib.sha256(key.encode()).hexdigest()[:12], 16)])


def _analyse_one(args) -> str:
    key, folder, file, cache = args
    from PIL import Image

    from tjcheck.imaging.face import analyser

    out = Path(cache) / (key.replace("/", "__") + ".npz")
    if out.exists():
        return key
    img = Image.open(Path(folder) / "img" / file)
    img.load()
    img = img.convert("RGB")
    kind, strength = "", 0.0
    if key.endswith(MIRROR):
        from PIL import ImageOps

        img, kind = ImageOps.mirror(img), "mirror"
    elif "#" in key:
        rng = _rng(key)
        kind = VARIANT_KINDS[int(rng.integers(len(VARIANT_KINDS)))]
        img, strength = make_variant(img, kind, rng)
    a = analyser(0.6).analyse(img)
    tmp = out.with_suffix(".tmp.npz")
    np.savez_compressed(tmp, rgb=a.rgb, kind=kind, strength=float(strength),
                        boxes=np.array([(b.x0, b.y0, b.x1, b.y1, b.score) for b in a.faces]).reshape(-1, 5),
                        landmarks=a.landmarks if a.landmarks is not None else np.zeros(0),
                        person=(np.asarray(a.person) * 255).astype(np.uint8) if a.person is not None
                        else np.zeros(0))
    os.replace(tmp, out)
    return key


def analyse(cache: Path, variants: int, jobs: int, mirror: bool = True) -> None:
    cache.mkdir(parents=True, exist_ok=True)
    todo = [(it.key, str(SETS[it.set]), it.file, str(cache)) for it in items(variants, mirror)]
    start = time.time()
    with ProcessPoolExecutor(jobs) as pool:
        for n, _ in enumerate(pool.map(_analyse_one, todo, chunksize=8), 1):
            if n % 200 == 0:
                print(f"  analysed {n}/{len(todo)} ({time.time() - start:.0f} s)", file=sys.stderr)
    print(f"analysed {len(todo)} photos and variants in {time.time() - start:.0f} s ({cache})", file=sys.stderr)


def load_analysis(cache: Path, key: str):
    from tjcheck.imaging.face import Box, FaceAnalysis, _pose_from_array

    with np.load(cache / (key.replace("/", "__") + ".npz")) as d:
        a = FaceAnalysis(faces=[Box(*b) for b in d["boxes"]], rgb=d["rgb"])
        if d["landmarks"].size:
            a.mesh_found, a.landmarks = True, d["landmarks"]
            a.person = d["person"].astype(np.float32) / 255
            a.yaw, a.roll, a.pitch = _pose_from_array(a.landmarks)
        return a, str(d["kind"]), float(d["strength"])


# ----------------------------------------------------------------------------- dataset
@dataclass
class Dataset:
    X: np.ndarray          # features, one row per judged photo or variant
    rows: list[dict]       # its label row
    keys: list[str]
    groups: np.ndarray     # source prefix, e.g. "hq", "cz"
    variant: np.ndarray    # bool: a synthetic variant (trained on, never scored)


def _feature_job(args):
    cache, key = args
    from tjcheck.imaging.learned import features

    a, _, _ = load_analysis(Path(cache), key)
    if len(a.faces) != 1 or not a.mesh_found or abs(a.yaw) > 30:
        return key, None
    return key, features(a)


def dataset(cache: Path, variants: int, jobs: int, mirror: bool = True) -> Dataset:
    """Features of every photo the cascade lets the appearance detectors judge (one face,
    placed by the mesh, turned at most 30°), cached per features version."""
    from tjcheck.imaging.learned import FEATURES_VERSION

    labels = {}
    for name, folder in SETS.items():
        for row in csv.DictReader((folder / "labels.csv").open(encoding="utf-8")):
            labels[f"{name}/{row['file']}"] = row
    its = items(variants, mirror)
    store = cache / f"features-v{FEATURES_VERSION}-{variants}{'m' if mirror else ''}.npz"
    if store.exists():
        with np.load(store, allow_pickle=False) as z:
            keys, X = [str(k) for k in z["keys"]], z["X"]
    else:
        start = time.time()
        with ProcessPoolExecutor(jobs) as pool:
            got = [(k, x) for k, x in pool.map(_feature_job, [(str(cache), it.key) for it in its], chunksize=16)
                   if x is not None]
        keys, X = [k for k, _ in got], np.stack([x for _, x in got])
        np.savez(store, keys=np.array(keys), X=X)
        print(f"features of {len(keys)} of {len(its)} in {time.time() - start:.0f} s", file=sys.stderr)
    rows = [labels[k.split("#")[0]] for k in keys]
    groups = np.array([r["file"].split("-")[0] for r in rows])
    return Dataset(X, rows, keys, groups, np.array(["#" in k for k in keys]))


# ----------------------------------------------------------------------------- model families
def inputs(fam: str, X: np.ndarray) -> np.ndarray:
    """What a family is trained on: the full features (linear) or the region features (trees)."""
    from tjcheck.imaging.learned import region_features

    return region_features(X) if fam in ("gb", "mlp") else X


def family(name: str):
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.neural_network import MLPClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    if name == "lr":
        return make_pipeline(StandardScaler(), LogisticRegression(C=0.01, class_weight="balanced", max_iter=3000))
    if name == "gb":
        return HistGradientBoostingClassifier(max_iter=200, learning_rate=0.08, max_leaf_nodes=15,
                                              l2_regularization=1.0, class_weight="balanced", random_state=SEED)
    if name == "mlp":
        return make_pipeline(StandardScaler(), MLPClassifier((64,), alpha=1.0, max_iter=400, early_stopping=False,
                                                             random_state=SEED))
    raise ValueError(name)


def decision(model, X: np.ndarray) -> np.ndarray:
    """The model's raw score (log-odds for the linear model)."""
    if hasattr(model, "decision_function"):
        return model.decision_function(X)
    p = np.clip(model.predict_proba(X)[:, 1], 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def source_weights(groups: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Training weights that give every (source, class) cell the same total weight (30 photos'
    worth, one photo never above 5): a source with 500 photos does not drown one with 20, so
    the model learns what hats have in common across sources, not one source's look. Measured
    on the grouped folds: hat AUC 0.729 -> 0.755, fringe 0.930 -> 0.954, glasses unchanged."""
    cells: dict[tuple, int] = {}
    for key in zip(groups, y):
        cells[key] = cells.get(key, 0) + 1
    return np.array([min(5.0, 30.0 / cells[key]) for key in zip(groups, y)])


def fit_weighted(fam: str, X: np.ndarray, y: np.ndarray, groups: np.ndarray):
    """A model of family ``fam`` fitted with source weights."""
    w = source_weights(groups, y)
    model = family(fam)
    if fam == "gb":
        return model.fit(X, y, sample_weight=w)
    return model.fit(X, y, **{f"{model.steps[-1][0]}__sample_weight": w})


def folds(groups: np.ndarray, k: int = 5) -> list[np.ndarray]:
    """Sources split into k folds of similar size (largest first into the smallest fold)."""
    sizes = {g: int((groups == g).sum()) for g in np.unique(groups)}
    bins: list[list[str]] = [[] for _ in range(k)]
    load = [0] * k
    for g in sorted(sizes, key=lambda g: (-sizes[g], g)):
        i = int(np.argmin(load))
        bins[i].append(g)
        load[i] += sizes[g]
    return [np.isin(groups, b) for b in bins]


def out_of_fold(ds: Dataset, target: str, fam: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(raw scores, truth, mask of scored rows): every photo scored by a model that never saw
    its source; variants of the training sources are added to training."""
    positive, usable = TARGETS[target]
    use = np.array([usable(r) for r in ds.rows])
    y = np.array([positive(r) for r in ds.rows])
    score = np.full(len(y), np.nan)
    X = inputs(fam, ds.X)
    for test in folds(ds.groups):
        train = ~test & use
        if len(np.unique(y[train])) < 2:
            continue
        m = fit_weighted(fam, X[train], y[train], ds.groups[train])
        sel = test & use & ~ds.variant
        if sel.any():
            score[sel] = decision(m, X[sel])
    scored = use & ~ds.variant & ~np.isnan(score)
    return score, y, scored


def platt(z: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Calibration of raw scores into probabilities (Platt): sigmoid(a z + c) fitted on the
    out-of-fold scores, so a probability means what it says on unseen sources."""
    from sklearn.linear_model import LogisticRegression

    m = LogisticRegression(C=1e4).fit(z.reshape(-1, 1), y)
    return float(m.coef_[0, 0]), float(m.intercept_[0])


def sigmoid(v):
    return 1.0 / (1.0 + np.exp(-np.clip(v, -50, 50)))


def precision_recall(p: np.ndarray, y: np.ndarray, t: float) -> tuple[float | None, float | None, int]:
    flag = p > t     # as the rules compare (tjcheck/checks/appearance.grade)
    tp, fp, fn = int((flag & y).sum()), int((flag & ~y).sum()), int((~flag & y).sum())
    return (round(tp / (tp + fp), 3) if tp + fp else None, round(tp / (tp + fn), 3) if tp + fn else None, tp + fn)


ERROR_PRECISION = 0.97   # an error only where the detector is sure: a false alarm costs trust


def best_f1(p: np.ndarray, y: np.ndarray) -> float:
    """The warning threshold: the probability that maximises F1 (precision and recall weighed
    alike, as the targets are) over the out-of-fold scores."""
    order = np.argsort(-p, kind="stable")
    ps, ys = p[order], y[order]
    tp = np.cumsum(ys)
    f1 = 2 * tp / (np.arange(1, len(ys) + 1) + ys.sum())
    cut = np.r_[ps[1:] < ps[:-1], True]          # only between distinct scores
    i = int(np.argmax(np.where(cut, f1, -1)))
    return float(ps[i])


def threshold(p: np.ndarray, y: np.ndarray, precision: float) -> float:
    """The lowest probability at which flagging every photo at or above it keeps the
    out-of-fold precision at least ``precision``: the most recall the precision allows."""
    order = np.argsort(-p, kind="stable")
    ps, ys = p[order], y[order]
    prec = np.cumsum(ys) / np.arange(1, len(ys) + 1)
    ok = [i for i in range(len(ps)) if prec[i] >= precision and (i == len(ps) - 1 or ps[i + 1] < ps[i])]
    return float(ps[ok[-1]]) if ok else 1.0


def score_entry(ds: Dataset, z: np.ndarray, y: np.ndarray, scored: np.ndarray) -> dict:
    """Calibration, thresholds and per-set figures from out-of-fold raw scores."""
    from sklearn.metrics import roc_auc_score

    sets = np.array([k.split("/")[0] for k in ds.keys])
    a, c = platt(z[scored], y[scored])
    p = sigmoid(a * z + c)
    # stored just under the lowest flagged probability, since the rules flag above a limit
    warn = math.floor(best_f1(p[scored], y[scored]) * 1000 - 1) / 1000
    err = max(math.floor(threshold(p[scored], y[scored], ERROR_PRECISION) * 1000 - 1) / 1000, warn)
    entry = {"platt": [a, c], "warn": warn, "error": err,
             "auc": round(float(roc_auc_score(y[scored], z[scored])), 4)}
    for s in SETS:
        m = scored & (sets == s)
        if m.sum() and y[m].any():
            entry[s] = {"flag": precision_recall(p[m], y[m], warn), "error": precision_recall(p[m], y[m], err)}
    passes = np.array([r["expected"] == "pass" for r in ds.rows])
    entry["warned_pass_photos"] = {s: int(((p > warn) & scored & (sets == s) & passes).sum()) for s in SETS}
    return entry


def ensemble_scores(parts: list[tuple[np.ndarray, list[float]]]) -> np.ndarray:
    """The ensemble's raw score: the mean of its members' calibrated log-odds (a z + c each).
    Fixed equal weights, nothing tuned: each member's calibration is its own out-of-fold Platt."""
    return np.mean([a * z + c for z, (a, c) in parts], 0)


def evaluate(ds: Dataset, fams: list[str], quiet: bool = False, keep: Path | None = None) -> dict:
    """Grouped out-of-fold figures of each family and detector, per photo set; with ``keep``,
    the out-of-fold scores are also saved there (oof-FAMILY-DETECTOR.npz) for later study.
    When both lr and gb are evaluated, so is their ensemble ``ens``."""
    report: dict = {}
    oof: dict = {}
    runs = [(fam, target) for fam in fams for target in TARGETS]
    if "lr" in fams and "gb" in fams:
        runs += [("ens", target) for target in TARGETS]
    for fam, target in runs:
        start = time.time()
        if fam == "ens":
            (z1, y, scored), (z2, _, _) = oof[("lr", target)], oof[("gb", target)]
            z = ensemble_scores([(z1, report["lr"][target]["platt"]), (z2, report["gb"][target]["platt"])])
        else:
            z, y, scored = out_of_fold(ds, target, fam)
        oof[(fam, target)] = (z, y, scored)
        if keep is not None:
            np.savez(keep / f"oof-{fam}-{target}.npz", z=z, y=y, scored=scored, keys=np.array(ds.keys))
        entry = score_entry(ds, z, y, scored)
        report.setdefault(fam, {})[target] = entry
        if not quiet:
            print(f"{fam:4s} {target:8s} auc {entry['auc']:.3f} warn≥{entry['warn']:.2f} error≥{entry['error']:.2f}  "
                  + "  ".join(f"{s}: P/R {entry[s]['flag'][0]}/{entry[s]['flag'][1]} (n+={entry[s]['flag'][2]})"
                              f" err {entry[s]['error'][0]}/{entry[s]['error'][1]}"
                              for s in SETS if s in entry) + f"  [{time.time() - start:.0f} s]", flush=True)
    return report


MODEL = ROOT / "tjcheck" / "models" / "photo_attributes.npz"
CARD = MODEL.with_suffix(".md")


EXPORTED = ("lr", "gb", "ens")    # the families the runtime can evaluate
FAMILY_NAMES = {"lr": "logistic regression, full features", "gb": "gradient-boosted trees, region features",
                "mlp": "neural network, region features",
                "ens": "ensemble: mean log-odds of the logistic regression and the trees"}


def chosen(figures: dict) -> dict[str, str]:
    """Per detector, the family that generalises best across sources: the highest grouped
    out-of-fold AUC among the exported families."""
    return {t: max((f for f in figures if f in EXPORTED and t in figures[f]), key=lambda f: figures[f][t]["auc"])
            for t in TARGETS}


def export_trees(model, prefix: str) -> dict[str, np.ndarray]:
    """A fitted HistGradientBoostingClassifier as flat arrays (tjcheck.imaging.learned.Trees)."""
    feature, threshold_, left, right, leaf, value, roots = [], [], [], [], [], [], []
    depth = 0
    for (tree,) in model._predictors:
        nodes, off = tree.nodes, len(feature)
        roots.append(off)
        feature += list(nodes["feature_idx"])
        threshold_ += list(nodes["num_threshold"])
        left += list(nodes["left"].astype(np.int64) + off)
        right += list(nodes["right"].astype(np.int64) + off)
        leaf += list(nodes["is_leaf"].astype(bool))
        value += list(nodes["value"])
        depth = max(depth, int(nodes["depth"].max()))
    return {f"{prefix}.base": np.array(float(np.ravel(model._baseline_prediction)[0])),
            f"{prefix}.roots": np.array(roots, np.int32), f"{prefix}.feature": np.array(feature, np.int32),
            f"{prefix}.threshold": np.array(threshold_, np.float64), f"{prefix}.left": np.array(left, np.int32),
            f"{prefix}.right": np.array(right, np.int32), f"{prefix}.leaf": np.array(leaf, bool),
            f"{prefix}.value": np.array(value, np.float32), f"{prefix}.depth": np.array(depth + 1)}


def export(fam: str, ds: Dataset, target: str, prefix: str, check_rows: np.ndarray) -> dict[str, np.ndarray]:
    """Family ``fam`` fitted on every usable photo and variant, as arrays under ``prefix``
    (tjcheck.imaging.learned._detector reads them), with its raw scores on ``check_rows``."""
    positive, usable = TARGETS[target]
    use = np.array([usable(r) for r in ds.rows])
    y = np.array([positive(r) for r in ds.rows])
    X = inputs(fam, ds.X)
    model = fit_weighted(fam, X[use], y[use], ds.groups[use])
    if fam == "gb":
        arrays = export_trees(model, prefix)
    else:
        scaler, lr = model[0], model[-1]
        arrays = {f"{prefix}.mean": scaler.mean_.astype(np.float32),
                  f"{prefix}.scale": np.where(scaler.scale_ > 0, scaler.scale_, 1).astype(np.float32),
                  f"{prefix}.weights": lr.coef_[0].astype(np.float32),
                  f"{prefix}.bias": np.array(lr.intercept_[0], np.float32)}
    arrays[f"{prefix}.check_raw"] = decision(model, X[check_rows]).astype(np.float32)
    return arrays


def fit(ds: Dataset, figures: dict) -> None:
    """Fit each detector, in its chosen family, on every usable photo and variant and write
    the model file (atomic) with the calibration and thresholds of the grouped
    cross-validation, then the card."""
    from tjcheck.imaging.learned import FEATURES_VERSION

    # a few photos' features and scikit-learn's raw scores for them: tests check the runtime
    # reproduces them without scikit-learn
    check_rows = np.flatnonzero(~ds.variant)[:: max(1, int((~ds.variant).sum()) // 4)][:4]
    arrays: dict[str, np.ndarray] = {"features_version": np.array(FEATURES_VERSION),
                                     "names": np.array(list(TARGETS)), "check_x": ds.X[check_rows]}
    for target, fam in chosen(figures).items():
        f = figures[fam][target]
        if fam == "ens":
            members = ("lr", "gb")
            raws = []
            for m in members:
                part = export(m, ds, target, f"{target}.{m}", check_rows)
                arrays.update(part)
                arrays[f"{target}.{m}.platt"] = np.array(figures[m][target]["platt"], np.float32)
                raws.append((part[f"{target}.{m}.check_raw"], figures[m][target]["platt"]))
            arrays[f"{target}.members"] = np.array(members)
            arrays[f"{target}.check_raw"] = ensemble_scores(raws).astype(np.float32)
        else:
            arrays.update(export(fam, ds, target, target, check_rows))
        arrays.update({f"{target}.platt": np.array(f["platt"], np.float32),
                       f"{target}.family": np.array(fam),
                       f"{target}.thresholds": np.array([f["warn"], f["error"]], np.float32)})
    MODEL.parent.mkdir(exist_ok=True)
    tmp = MODEL.with_name(MODEL.name + ".tmp.npz")
    np.savez_compressed(tmp, **arrays)
    os.replace(tmp, MODEL)
    print(f"wrote {MODEL.relative_to(ROOT)} ({MODEL.stat().st_size // 1024} KB)")
    write_card(ds, figures)
    print("ruleset lines (tjcheck/ruleset/tianjin.yaml, face.detectors):")
    for target, fam in chosen(figures).items():
        f = figures[fam][target]
        print(f"    {target}: {{warn: {f['warn']:.3f}, error: {f['error']:.3f}}}")


def _pr(entry: dict | None, key: str) -> str:
    if not entry:
        return "–"
    p, r, n = entry[key]
    return f"{p if p is not None else '–'} / {r if r is not None else '–'} ({n})"


def write_card(ds: Dataset, figures: dict) -> None:
    """The model card beside the model file: data and terms, features, command, figures, date."""
    from tjcheck.imaging.learned import FEATURES_VERSION

    photos = int((~ds.variant).sum())
    lines = [
        "# Model card: photo attribute detectors (`photo_attributes.npz`)",
        "",
        f"Made {date.today().isoformat()} by `python tools/train_photo.py all` (seed {SEED}); features version "
        f"{FEATURES_VERSION} (`tjcheck/imaging/learned.py`). Read at run time with numpy only.",
        "",
        "**What it decides.** Four detectors, each a calibrated probability for the one frontal face of an ID "
        "photo: `glasses` (clear or tinted), `tinted` (sunglasses, tinted lenses), `hat` (hat, cap, headscarf, "
        "veil), `fringe` (hair over the eyebrows), each with a warning and an error threshold (`thresholds`, "
        "copied into the ruleset's `face.detectors`). The rules FA004 (glasses), FA005 (tinted), FA006 (hat) "
        "and FA007 (fringe) decide on them: a warning asking the person to look between the two thresholds, "
        "an error past the second.",
        "",
        "**Data and terms.** Trained on the labelled photos of `../shared/photos` (257, many small web "
        "sources) and `../shared/photos-large` (1,423: CelebA-HQ `hq`, CelebA `cs` at 89×109, web selfies with "
        "sunglasses `ss`, stock and news photos of headscarves `hd`), read in place and never copied into "
        "this repository. CelebA and CelebA-HQ are for non-commercial research only and the web photos are "
        "third-party: this model is derived from them under those terms (see both READMEs). Each photo also "
        f"gets a synthetic variant made by the script ({', '.join(VARIANT_KINDS)}) and its mirror image, "
        "both used for training only. "
        f"Judged here: {photos} photos with one face placed by the face mesh and turned at most 30°, plus "
        f"{int(ds.variant.sum())} variants.",
        "",
        "**Features.** The face aligned on the irises (40 px apart, 160×200): HOG (10-px cells, 9 "
        "orientations, 2×2 blocks), a 16×20 Lab thumbnail relative to the face's own skin, the person mask "
        "and skin share on the same grid, and the hand-made measures of `imaging/eyes.py` and `hair.py`.",
        "",
        "**Models.** Per detector, the family with the highest grouped out-of-fold AUC among those the "
        "runtime evaluates: a logistic regression (L2, C = 0.01, balanced classes) on the standardised full "
        "features, or gradient-boosted trees (200 rounds, 15 leaves, balanced classes) on 300 features "
        "pooled over 16 face regions, or the ensemble of the two (the mean of their calibrated log-odds, "
        "equal weights, recalibrated). A small neural network (one hidden layer of 64) on the region "
        "features was compared too; the runtime does not evaluate it. Training weights give every "
        "(source, class) the same total weight. Platt calibration fitted on the out-of-fold scores. "
        "All figures per family: README, \"How the photo is checked\".",
        "",
        "**Cross-validation.** 5 folds grouped by source (file-name prefix): every photo is scored by a "
        "model that saw no photo of its source; variants are never scored. Thresholds: warn at the "
        f"probability that maximises the out-of-fold F1, error at the lowest where the out-of-fold precision "
        f"is at least {ERROR_PRECISION} (never below warn).",
        "",
        "| detector | model | AUC | warn | error | photos: P / R (positives) flagged | photos: error only | photos-large: flagged | photos-large: error only |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for target, fam in chosen(figures).items():
        f = figures[fam][target]
        lines.append(f"| {target} | {FAMILY_NAMES[fam]} | {f['auc']} | {f['warn']:.3f} | {f['error']:.3f} | {_pr(f.get('photos'), 'flag')} | "
                     f"{_pr(f.get('photos'), 'error')} | {_pr(f.get('photos-large'), 'flag')} | "
                     f"{_pr(f.get('photos-large'), 'error')} |")
    lines += ["", "Flagged = warning or error, as `bench/photo_accuracy.py` counts them.", ""]
    tmp = CARD.with_name(CARD.name + ".tmp")
    tmp.write_text("\n".join(lines), encoding="utf-8")
    os.replace(tmp, CARD)
    print(f"wrote {CARD.relative_to(ROOT)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("stage", choices=["analyse", "evaluate", "fit", "all"])
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--variants", type=int, default=1, help="synthetic variants per photo (training only)")
    parser.add_argument("--no-mirror", dest="mirror", action="store_false",
                        help="leave out the mirror image of each photo (training only)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--families", default="lr,gb", help="model families to compare: lr (logistic regression "
                        "on the full features), gb (gradient boosting on the region features), mlp (a small "
                        "neural network on the region features; compared, not exported)")
    args = parser.parse_args()
    if args.stage in ("analyse", "all"):
        analyse(args.cache, args.variants, args.jobs, args.mirror)
    if args.stage in ("evaluate", "all"):
        ds = dataset(args.cache, args.variants, args.jobs, args.mirror)
        print(f"{len(ds.keys)} judged rows ({int((~ds.variant).sum())} photos, {int(ds.variant.sum())} variants), "
              f"{ds.X.shape[1]} features", flush=True)
        figures = evaluate(ds, args.families.split(","), keep=args.cache)
        (args.cache / "figures.json").write_text(json.dumps(figures, indent=1))
    if args.stage in ("fit", "all"):
        ds = dataset(args.cache, args.variants, args.jobs, args.mirror)
        figures_file = args.cache / "figures.json"
        figures = json.loads(figures_file.read_text()) if figures_file.exists() else {}
        if not figures:
            figures = evaluate(ds, list(EXPORTED))
        fit(ds, figures)


if __name__ == "__main__":
    main()
