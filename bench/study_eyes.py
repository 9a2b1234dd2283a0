#!/usr/bin/env python3
"""Study of the eye-region measures (tjcheck/imaging/eyes.py): glasses, sunglasses, eyes closed.

    python bench/study_eyes.py [--cache DIR] [--labels CSV] [--examples-cache DIR] [--robust]

Reads the face-analysis cache (bench/face_cache.py) and the labels, computes the measures
of every photo with a face mesh, and prints precision / recall / false alarms on the
``expected = pass`` photos, for all photos with landmarks and for the pose-gated subset
(|yaw| ≤ 30°, any roll: the tool judges appearance on faces turned up to face.measurable_yaw).

Thresholds: the recommended (round) ones below, and a two-fold cross-validation where each
half picks its own thresholds by the same stated rule and is scored on the other half:
- glasses frame  (bridge_line, higher = frame): warning at the geometric mean of the lowest
  pose-gated clear-glasses value and the highest pass-photo value; error at 1.5 × warning;
- tinted lenses  (under_lid_lightness, lower = tint): warning at the geometric mean of the
  highest pose-gated sunglasses value and the lowest pass-photo value; error at warning / 1.2;
- a photo counts as flagged when it passes the *warning* threshold.
Eyes closed has no label column: the notes that mention closed eyes are listed with the
measures, and no pass photo may read closed.
"""
from __future__ import annotations

import argparse
import csv
import math
import sys
import time
import zlib
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from face_cache import DEFAULT_OUT, load

from tjcheck.imaging.eyes import eyes_open_measures, glasses_measures

# Recommended thresholds (what the ruleset should hold): round numbers inside the rule's range.
BRIDGE_WARN, BRIDGE_ERR = 0.04, 0.06           # bridge_line ≥
TINT_WARN, TINT_ERR = 0.55, 0.45               # under_lid_lightness ≤
OPEN_WARN, OPEN_ERR = 0.14, 0.10               # opening_min < (eye aspect ratio)
MAX_YAW, MAX_ROLL = 30.0, 180.0   # the tool's gate: face.measurable_yaw; a tilt is undone by the eye frame


def half(name: str) -> int:
    return zlib.crc32(name.encode()) % 2


def pr(flags: dict, truth: dict, files) -> tuple[int, int, int, int]:
    """(true positives, flagged, positives, n) over files where truth is not None."""
    fs = [f for f in files if truth[f] is not None]
    tp = sum(1 for f in fs if flags[f] and truth[f])
    return tp, sum(1 for f in fs if flags[f]), sum(1 for f in fs if truth[f]), len(fs)


def fmt(tp, fl, pos, n) -> str:
    p = tp / fl if fl else float("nan")
    r = tp / pos if pos else float("nan")
    return f"P {p:.2f} ({tp}/{fl})  R {r:.2f} ({tp}/{pos})  n={n}"


def rule_thresholds(M, files, rows, gated):
    """The stated threshold rule, applied to the given photos only."""
    pas = [f for f in files if rows[f]["expected"] == "pass"]
    clear = [f for f in files if rows[f]["glasses"] == "clear" and f in gated]
    sun = [f for f in files if rows[f]["glasses"] == "sunglasses" and f in gated]
    bw = math.sqrt(min(M[f]["bridge_line"] for f in clear) * max(M[f]["bridge_line"] for f in pas))
    tw = math.sqrt(max(M[f]["under_lid_lightness"] for f in sun) * min(M[f]["under_lid_lightness"] for f in pas))
    return bw, tw


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--labels", type=Path, default=ROOT.parent / "shared" / "photos" / "labels.csv")
    ap.add_argument("--examples-cache", type=Path, default=Path("/tmp/tjcheck-face-cache-ex"))
    ap.add_argument("--robust", action="store_true",
                    help="also re-measure with jittered landmarks and with the photos shrunk to 224/300 px")
    args = ap.parse_args()
    if not args.labels.exists() or not args.cache.exists():
        sys.exit(f"labels {args.labels} or cache {args.cache} missing (run bench/face_cache.py first)")
    rows = {r["file"]: r for r in csv.DictReader(args.labels.open(encoding="utf-8"))}

    M, ms, pose, kept = {}, [], {}, {}
    for f in sorted(rows):
        if not (args.cache / f"{f}.npz").exists():
            continue
        a = load(args.cache, f)
        if a.landmarks is None:
            continue
        t = time.perf_counter()
        g, e = glasses_measures(a), eyes_open_measures(a)
        ms.append((time.perf_counter() - t) * 1000)
        M[f] = {**g.as_dict(), **e.as_dict()}
        pose[f] = (a.yaw, a.roll)
        if args.robust:
            kept[f] = a
    files = sorted(M)
    gated = {f for f in files if abs(pose[f][0]) <= MAX_YAW and abs(pose[f][1]) <= MAX_ROLL}
    pas = [f for f in files if rows[f]["expected"] == "pass"]
    print(f"{len(files)} photos with landmarks ({len(gated)} pose-gated), {len(pas)} pass photos; "
          f"measures median {np.median(ms):.2f} ms/photo (max {max(ms):.1f})")

    def label(f, kind):
        v = rows[f]["glasses"]
        if v == "unsure":
            return None
        return v != "none" if kind == "glasses" else v == "sunglasses"

    truth_g = {f: label(f, "glasses") for f in files}
    truth_s = {f: label(f, "sunglasses") for f in files}

    # Where the classes sit (what the rule sees).
    def spread(key, fs):
        v = sorted(M[f][key] for f in fs)
        return f"{v[0]:.3f}..{v[-1]:.3f}" if v else "-"
    clear_g = [f for f in gated if rows[f]["glasses"] == "clear"]
    sun_g = [f for f in gated if rows[f]["glasses"] == "sunglasses"]
    print("\nclass ranges (pose-gated positives):")
    print(f"  bridge_line          pass {spread('bridge_line', pas)}   clear {spread('bridge_line', clear_g)}   "
          f"sunglasses {spread('bridge_line', sun_g)}")
    print(f"  under_lid_lightness  pass {spread('under_lid_lightness', pas)}   clear "
          f"{spread('under_lid_lightness', clear_g)}   sunglasses {spread('under_lid_lightness', sun_g)}")
    print(f"  opening_min          pass {spread('opening_min', pas)}   iris_uncovered pass {spread('iris_uncovered', pas)}")
    bw, tw = rule_thresholds(M, files, rows, gated)
    print(f"rule on all photos: bridge warning {bw:.3f} (error {1.5 * bw:.3f}); tint warning {tw:.3f} "
          f"(error {tw / 1.2:.3f}).  Recommended: bridge {BRIDGE_WARN}/{BRIDGE_ERR}, tint {TINT_WARN}/{TINT_ERR}")

    def flags(b, t):
        sun = {f: M[f]["under_lid_lightness"] <= t for f in files}
        gl = {f: M[f]["bridge_line"] >= b or sun[f] for f in files}
        return gl, sun

    gl, sun = flags(BRIDGE_WARN, TINT_WARN)
    print(f"\n== full set, recommended warning thresholds (bridge ≥ {BRIDGE_WARN}, tint ≤ {TINT_WARN})")
    for name, fl, tr in (("glasses (clear or sun)", gl, truth_g), ("sunglasses", sun, truth_s)):
        for pop, fs in (("all landmarks", files), ("pose-gated", sorted(gated))):
            fa = sum(1 for f in pas if fl[f])
            print(f"  {name:22s} {pop:13s} {fmt(*pr(fl, tr, fs))}  false alarms on pass {fa}/{len(pas)}")

    print("\n== two-fold (split by crc32(file name) % 2; thresholds by the rule on one half, scored on the other)")
    agg = {}
    for k in (0, 1):
        train = [f for f in files if half(f) != k]
        test = [f for f in files if half(f) == k]
        b, t = rule_thresholds(M, train, rows, gated)
        fg, fs_ = flags(b, t)
        print(f"  fold {k}: trained bridge warning {b:.3f}, tint warning {t:.3f}; test n={len(test)}")
        for name, fl, tr in (("glasses", fg, truth_g), ("sunglasses", fs_, truth_s)):
            for pop, fs in (("all", test), ("gated", [f for f in test if f in gated])):
                s = agg.setdefault((name, pop), [0, 0, 0, 0, 0, 0])
                for i, v in enumerate(pr(fl, tr, fs)):
                    s[i] += v
                s[4] += sum(1 for f in fs if rows[f]["expected"] == "pass" and fl[f])
                s[5] += sum(1 for f in fs if rows[f]["expected"] == "pass")
    for (name, pop), s in agg.items():
        print(f"  pooled {name:10s} {pop:5s} {fmt(*s[:4])}  false alarms on pass {s[4]}/{s[5]}")

    def note(f):
        return rows[f]["notes"][:70]

    def tag(f):
        return "" if f in gated else f" [pose-gated out: yaw {pose[f][0]:.0f} roll {pose[f][1]:.0f}]"

    print("\n== glasses misses (labelled clear/sunglasses, not flagged)")
    for f in files:
        if truth_g[f] and not gl[f]:
            print(f"  {f:12s} {rows[f]['glasses']:10s} bridge {M[f]['bridge_line']:.3f} tint "
                  f"{M[f]['under_lid_lightness']:.2f}{tag(f)}  {note(f)}")
    print("== glasses false flags (labelled none)")
    for f in files:
        if truth_g[f] is False and gl[f]:
            why = "tint" if sun[f] else f"bridge line at y={M[f]['bridge_row']:.0f}"
            print(f"  {f:12s} {rows[f]['expected']:6s} bridge {M[f]['bridge_line']:.3f} tint "
                  f"{M[f]['under_lid_lightness']:.2f} ({why}){tag(f)}  {note(f)}")
    print("== sunglasses misses / false flags")
    for f in files:
        if truth_s[f] is not None and truth_s[f] != sun[f]:
            print(f"  {f:12s} {rows[f]['glasses']:10s} tint {M[f]['under_lid_lightness']:.2f}"
                  f"{' (missed)' if truth_s[f] else ' (false flag)'}{tag(f)}  {note(f)}")
    near = [f for f in pas if M[f]["bridge_line"] >= 0.5 * BRIDGE_WARN or M[f]["under_lid_lightness"] <= 1.2 * TINT_WARN]
    print(f"== pass photos within 2x of a glasses warning: {', '.join(near) or 'none'}")

    print(f"\n== eyes closed (no label column; opening_min = smaller eye aspect ratio; warning < {OPEN_WARN}, "
          f"error < {OPEN_ERR})")
    mention = [f for f in rows if any(w in rows[f]["notes"].lower() for w in ("closed", "blink", "eyes shut"))]
    for f in mention:
        if f in M:
            print(f"  notes mention it: {f:12s} opening R {M[f]['opening_right']:.3f} L {M[f]['opening_left']:.3f} "
                  f"iris uncovered {M[f]['iris_uncovered']:.2f}{tag(f)}  {note(f)}")
        else:
            print(f"  notes mention it: {f:12s} no face mesh (not judged)  {note(f)}")
    low = sorted(files, key=lambda f: M[f]["opening_min"])
    print("  lowest openings (all photos with landmarks):")
    for f in low[:8]:
        print(f"    {f:12s} {rows[f]['expected']:6s} opening {M[f]['opening_min']:.3f} iris uncovered "
              f"{M[f]['iris_uncovered']:.2f}{tag(f)}  {note(f)}")
    po = sorted(M[f]["opening_min"] for f in pas)
    pi = sorted(M[f]["iris_uncovered"] for f in pas)
    print(f"  pass photos: opening_min lowest {po[0]:.3f}, {po[1]:.3f}, {po[2]:.3f} (none < {OPEN_WARN}); "
          f"iris_uncovered lowest {pi[0]:.2f}")
    flagged = [f for f in files if M[f]["opening_min"] < OPEN_WARN]
    print(f"  flagged at warning: {len(flagged)} ({', '.join(f + ('' if f in gated else '*') for f in flagged)}); "
          f"pass photos flagged: {sum(1 for f in pas if f in flagged)}   (* = pose-gated out)")

    if args.robust:
        robustness(kept, rows, gated)

    if args.examples_cache.exists():
        print("\n== example portraits (must pass)")
        for p in sorted(args.examples_cache.glob("*.npz")):
            a = load(args.examples_cache, p.name[:-4])
            if a.landmarks is None:
                print(f"  {p.name[:-4]}: no face mesh")
                continue
            g, e = glasses_measures(a), eyes_open_measures(a)
            verdict = "flag" if (g.bridge_line >= BRIDGE_WARN or g.under_lid_lightness <= TINT_WARN
                                 or e.opening_min < OPEN_WARN) else "ok"
            print(f"  {p.name[:-4]:26s} bridge {g.bridge_line:.3f} tint {g.under_lid_lightness:.2f} "
                  f"opening {e.opening_min:.3f} iris {e.iris_uncovered:.2f} -> {verdict}")


def robustness(analyses, rows, gated) -> None:
    """Landmark jitter (Gaussian, in canonical-frame px = % of the eye-corner distance, every
    mesh point independently, 3 draws: worst case kept) and lower resolution (photo and mesh
    shrunk so the longer side is 224 / 300 px), on the pose-gated photos."""
    import copy

    import cv2

    rng = np.random.default_rng(0)

    def jitter(a, s):
        b, lm = copy.copy(a), a.landmarks.copy()
        eye = np.linalg.norm(lm[33, :2] - lm[263, :2])
        lm[:, :2] += rng.normal(0, s * eye / 100, size=(len(lm), 2)).astype(np.float32)
        b.landmarks = lm
        return b

    def shrink(a, side):
        h, w = a.rgb.shape[:2]
        k = side / max(h, w)
        if k >= 1:
            return a
        b = copy.copy(a)
        b.rgb = cv2.resize(a.rgb, (round(w * k), round(h * k)), interpolation=cv2.INTER_AREA)
        b.landmarks = a.landmarks * k
        return b

    print("\n== robustness (pose-gated; warning thresholds)")
    for name, fn, draws in (("jitter 1 px", lambda a: jitter(a, 1.0), 3), ("jitter 2 px", lambda a: jitter(a, 2.0), 3),
                            ("shrunk to 300 px", lambda a: shrink(a, 300), 1),
                            ("shrunk to 224 px", lambda a: shrink(a, 224), 1)):
        pas, clear, sun = [], [], []
        for f, a in analyses.items():
            if f not in gated:
                continue
            v = [glasses_measures(fn(a)) for _ in range(draws)]
            if rows[f]["expected"] == "pass":
                pas.append((max(x.bridge_line for x in v), min(x.under_lid_lightness for x in v)))
            elif rows[f]["glasses"] == "clear":
                clear.append((min(x.bridge_line for x in v), f))
            elif rows[f]["glasses"] == "sunglasses":
                sun.append((max(x.under_lid_lightness for x in v), f))
        lost = [f for b, f in clear if b < BRIDGE_WARN]
        print(f"  {name:17s} pass: bridge max {max(b for b, _ in pas):.3f}, tint min {min(t for _, t in pas):.2f}, "
              f"flagged {sum(1 for b, t in pas if b >= BRIDGE_WARN or t <= TINT_WARN)} | clear: bridge min "
              f"{min(clear)[0]:.3f}, lost {lost or 'none'} | sunglasses: tint max {max(sun)[0]:.2f} "
              f"({max(sun)[1]}), lost {[f for t, f in sun if t > TINT_WARN] or 'none'}")


if __name__ == "__main__":
    main()
