#!/usr/bin/env python3
"""Threshold study for the hair measures (fringe over the brows, hat / headscarf).

    python bench/study_hair.py [--labels CSV] [--cache DIR] [--examples-cache DIR]

Reads the face-analysis cache written by bench/face_cache.py (no model runs), computes
tjcheck.imaging.hair measures and prints, for each reason, full-set and two-fold figures
(thresholds chosen on one half by the stated rule, scored on the other), misses, false
flags, false alarms on `expected = pass` photos, and the median ms per photo.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import math
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from face_cache import load  # noqa: E402

from tjcheck.imaging.hair import hair_measures  # noqa: E402

# Fixed, physically stated limits (not fitted):
CROWN_CHROMA = 45.0     # natural hair reads <= ~37 chroma; anything more saturated above the forehead is cloth
NECK_SKIN = 0.10        # headscarf: the neck under the chin is (almost) not skin-coloured ...
HIJAB_FOREHEAD = 0.45   # ... while the forehead is visible (a fringe/brim hides it; then other rules speak)


def fold_of(name: str) -> int:
    return hashlib.md5(name.encode()).digest()[0] & 1


def ceil_to(x: float, step: float) -> float:
    return math.ceil(x / step - 1e-9) * step


def choose_fringe(rows) -> float:
    """Rule: warn above the 95th percentile of the good (pass) photos' brow_hair, plus a 0.1 margin,
    rounded up to 0.05 and never below 0.5 (at least half the band over a brow is not skin)."""
    v = [r["m"].brow_hair for r in rows if r["expected"] == "pass" and r["m"].brow_hair == r["m"].brow_hair]
    return max(0.5, ceil_to(float(np.percentile(v, 95)) + 0.1, 0.05))


def choose_edge(rows, fringe_thr) -> float:
    """Rule: a covered forehead is called a hat (not a fringe) when its straight edge is stronger than
    every labelled fringe's 90th percentile, rounded up to 0.1."""
    v = [r["m"].brim_edge for r in rows if r["bangs"] == "yes" and r["hat"] == "no"
         and r["m"].forehead_visible <= 0.3 and r["m"].brim_edge == r["m"].brim_edge]
    return ceil_to(float(np.percentile(v, 90)), 0.1) if v else 2.0


def is_hat(m, fringe_thr, edge_thr) -> bool:
    saturated = m.crown_chroma >= CROWN_CHROMA
    scarf = m.neck_skin <= NECK_SKIN and m.forehead_visible >= HIJAB_FOREHEAD and not m.brow_hair >= fringe_thr
    brim = m.forehead_visible <= 0.3 and m.brim_edge >= edge_thr
    return bool(saturated or scarf or brim)


def is_fringe(m, fringe_thr, edge_thr) -> bool:
    return bool(m.brow_hair >= fringe_thr and not is_hat(m, fringe_thr, edge_thr))


def is_covered(m, fringe_thr, edge_thr) -> bool:
    """Either reason: something (hat, scarf or hair) covers the forehead/brows."""
    return bool(is_hat(m, fringe_thr, edge_thr) or m.brow_hair >= fringe_thr)


def score(rows, label, pred, thr):
    use = [r for r in rows if r[label] in ("yes", "no")] if label != "covered" else rows
    truth = (lambda r: r["hat"] == "yes" or r["bangs"] == "yes") if label == "covered" else (lambda r: r[label] == "yes")
    tp = [r for r in use if truth(r) and pred(r["m"], *thr)]
    fn = [r for r in use if truth(r) and not pred(r["m"], *thr)]
    fp = [r for r in use if not truth(r) and pred(r["m"], *thr)]
    fa = [r for r in rows if r["expected"] == "pass" and pred(r["m"], *thr)]
    p = len(tp) / max(len(tp) + len(fp), 1)
    rc = len(tp) / max(len(tp) + len(fn), 1)
    return p, rc, len(tp) + len(fn), fn, fp, fa


def report(rows, title):
    print(f"\n=== {title}: {len(rows)} photos, {sum(r['expected'] == 'pass' for r in rows)} pass ===")
    full = (choose_fringe(rows),)
    full = (full[0], choose_edge(rows, full[0]))
    print(f"thresholds on the full set: brow_hair >= {full[0]:.2f}, brim_edge >= {full[1]:.1f}, "
          f"crown_chroma >= {CROWN_CHROMA:.0f}, neck_skin <= {NECK_SKIN}, forehead_visible >= {HIJAB_FOREHEAD}")
    for label, pred in (("hat", is_hat), ("bangs", is_fringe), ("covered", is_covered)):
        p, rc, npos, fn, fp, fa = score(rows, label, pred, full)
        # two-fold: thresholds chosen on one half, scored on the other
        tp_n = fp_n = pos_n = fa_n = 0
        for k in (0, 1):
            train = [r for r in rows if fold_of(r["file"]) != k]
            test = [r for r in rows if fold_of(r["file"]) == k]
            f_thr = choose_fringe(train)
            thr = (f_thr, choose_edge(train, f_thr))
            p2, r2, n2, fn2, fp2, fa2 = score(test, label, pred, thr)
            tp_n += n2 - len(fn2)
            fp_n += len(fp2)
            pos_n += n2
            fa_n += len(fa2)
        cvp = tp_n / max(tp_n + fp_n, 1)
        cvr = tp_n / max(pos_n, 1)
        name = {"hat": "hat/headscarf", "bangs": "fringe over brows", "covered": "hat OR fringe (either reason)"}[label]
        print(f"{name:30s} full P {p:.2f} R {rc:.2f} (pos {npos}, pass false alarms {len(fa)})   "
              f"two-fold P {cvp:.2f} R {cvr:.2f} (pass false alarms {fa_n})")
        if label != "covered":
            for r in fn:
                m = r["m"]
                print(f"    miss  {r['file']:12s} brow_hair {m.brow_hair:.2f} forehead {m.forehead_visible:.2f} "
                      f"chroma {m.crown_chroma:.0f} neck {m.neck_skin:.2f} edge {m.brim_edge:.2f} yaw {r['yaw']:+.0f}")
            for r in fp:
                m = r["m"]
                print(f"    false {r['file']:12s} brow_hair {m.brow_hair:.2f} forehead {m.forehead_visible:.2f} "
                      f"chroma {m.crown_chroma:.0f} neck {m.neck_skin:.2f} edge {m.brim_edge:.2f} yaw {r['yaw']:+.0f}"
                      f"  [hat {r['hat']}, bangs {r['bangs']}, {r['expected']}]")
    return full


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--labels", type=Path, default=ROOT.parent / "shared" / "photos" / "labels.csv")
    ap.add_argument("--cache", type=Path, default=Path("/tmp/tjcheck-face-cache"))
    ap.add_argument("--examples-cache", type=Path, default=Path("/tmp/tjcheck-face-cache-ex"))
    args = ap.parse_args()
    if not args.labels.exists():
        sys.exit(f"labels not found: {args.labels} (the shared photos folder is absent)")

    rows, times = [], []
    for x in csv.DictReader(open(args.labels)):
        a = load(args.cache, x["file"])
        if a.landmarks is None:
            continue
        t0 = time.perf_counter()
        m = hair_measures(a)
        times.append(time.perf_counter() - t0)
        rows.append(dict(file=x["file"], hat=x["hat"], bangs=x["bangs_cover_brows"], expected=x["expected"],
                         yaw=a.yaw, roll=a.roll, m=m))
    print(f"median {1000 * float(np.median(times)):.1f} ms per photo (hair_measures, from the cache)")
    thr = report(rows, "all photos with landmarks")
    report([r for r in rows if abs(r["yaw"]) <= 15 and abs(r["roll"]) <= 10], "pose-gated (|yaw|<=15, |roll|<=10)")

    print("\n=== example portraits (thresholds of the full set) ===")
    for p in sorted(args.examples_cache.glob("*.npz")):
        a = load(args.examples_cache, p.name[:-4])
        if a.landmarks is None:
            print(f"  {p.name[:-4]}: no landmarks")
            continue
        m = hair_measures(a)
        print(f"  {p.name[:-4]:26s} hat {is_hat(m, *thr)!s:5s} fringe {is_fringe(m, *thr)!s:5s}  "
              f"brow_hair {m.brow_hair:.2f} (R {m.brow_hair_right:.2f} L {m.brow_hair_left:.2f}) "
              f"forehead {m.forehead_visible:.2f} chroma {m.crown_chroma:.0f} neck {m.neck_skin:.2f} "
              f"edge {m.brim_edge:.2f}")


if __name__ == "__main__":
    main()
