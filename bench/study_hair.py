#!/usr/bin/env python3
"""Threshold study for the hair measures (fringe over the brows, hat / headscarf).

    python bench/study_hair.py [--labels CSV] [--cache DIR] [--examples-cache DIR]

Reads the face-analysis cache written by bench/face_cache.py (no model runs), computes
tjcheck.imaging.hair measures and prints, for each reason, full-set and two-fold figures
(thresholds chosen on one half by the stated rule, scored on the other), misses, false
flags, false alarms on `expected = pass` photos, and the median ms per photo.

Cross-validation is reported two ways: the file-name hash two-fold of the first study, and
the honest one for unseen sources: folds grouped by *source prefix* (first two letters of the
file name), as a grouped two-fold (prefix hash) and as leave-one-source-out. A source never
sits in both the half that chooses the thresholds and the half that is scored.
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
SIDE_COVER = 0.50       # ... and at least half of the bands beside the cheeks is cloth (a collar or beard is not)
HIJAB_FOREHEAD = 0.45   # ... while the forehead is visible (a fringe/brim hides it; then other rules speak)
COVERED = 0.35          # forehead_visible at most this: something sits on the forehead (hat, scarf or fringe)
# Skin reference guard (round 3). Every measure is judged against skin sampled under the eyes and on the
# nose ridge. Real skin has a Lab hue of ~25-80 degrees (red-yellow quadrant; 12-85 on these photos); a
# colour cast of up to ~45 degrees either way is allowed. Outside that window the "skin" is a face mask or
# a tinted print and neither hat nor fringe can be judged (nan hue = grey photo: judged as usual).
SKIN_HUE = (-20.0, 125.0)
YAW_MAX = 30.0          # the tool judges appearance reasons on one face turned up to |yaw| <= 30 (any roll)


def fold_of(name: str) -> int:
    return hashlib.md5(name.encode()).digest()[0] & 1


def ceil_to(x: float, step: float) -> float:
    return math.ceil(x / step - 1e-9) * step


def choose_fringe(rows) -> float:
    """Rule: warn above the 95th percentile of the good (pass) photos' brow_hair, plus a 0.1 margin,
    rounded up to 0.05 and never below 0.5 (at least half the band over a brow is not skin)."""
    v = [r["m"].brow_hair for r in rows if r["expected"] == "pass" and r["m"].brow_hair == r["m"].brow_hair
         and skin_ok(r["m"])]
    return max(0.5, ceil_to(float(np.percentile(v, 95)) + 0.1, 0.05))


def floor_to(x: float, step: float) -> float:
    return math.floor(x / step + 1e-9) * step


def choose_flow(rows, fringe_thr) -> float:
    """Rule: a covered forehead is called a hat (not a fringe) when its cover_flow (-1 horizontal
    structure .. +1 vertical strands) is below the 10th percentile of the labelled fringes that cover
    the forehead, rounded down to 0.05 and kept within [-0.6, -0.2] (horizontal must dominate).
    At most ~1 fringe in 10 is then called a hat."""
    v = [r["m"].cover_flow for r in rows if r["bangs"] == "yes" and r["hat"] == "no"
         and r["m"].forehead_visible <= COVERED and r["m"].cover_flow == r["m"].cover_flow]
    if len(v) < 5:
        return -0.4
    return min(-0.2, max(-0.6, floor_to(float(np.percentile(v, 10)), 0.05)))


def skin_ok(m) -> bool:
    """False when the skin reference is not skin (mask, tinted print): then no hat/fringe part is judged."""
    return not (m.skin_hue < SKIN_HUE[0] or m.skin_hue > SKIN_HUE[1])


def hat_parts(m, fringe_thr, flow_thr) -> dict:
    """The three ways a head covering shows; any one flags a hat (only when the skin reference is skin)."""
    if not skin_ok(m):
        return dict(saturated=False, scarf=False, brim=False)
    return dict(
        # cloth colour: saturated colour above the forehead (red/blue/orange caps, bright scarves)
        saturated=m.crown_chroma >= CROWN_CHROMA,
        # headscarf: cloth under the chin and beside the cheeks, forehead still visible
        scarf=(m.neck_skin <= NECK_SKIN and m.side_cover >= SIDE_COVER and m.forehead_visible >= HIJAB_FOREHEAD
               and not m.brow_hair >= fringe_thr),
        # brim / cap peak / hat band / hood edge: forehead covered by something whose structure runs across
        brim=m.forehead_visible <= COVERED and m.cover_flow <= flow_thr,
    )


def is_hat(m, fringe_thr, flow_thr) -> bool:
    return bool(any(hat_parts(m, fringe_thr, flow_thr).values()))


def is_fringe(m, fringe_thr, flow_thr) -> bool:
    return bool(skin_ok(m) and m.brow_hair >= fringe_thr and not is_hat(m, fringe_thr, flow_thr))


def is_covered(m, fringe_thr, flow_thr) -> bool:
    """Either reason: something (hat, scarf or hair) covers the forehead/brows."""
    return bool(is_hat(m, fringe_thr, flow_thr) or is_fringe(m, fringe_thr, flow_thr))


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


def splits(rows, scheme):
    """(train, test) pairs. 'hash2': file-name hash two-fold; 'src2': two-fold grouped by source prefix
    (prefix hash); 'loso': leave one source prefix out."""
    if scheme == "hash2":
        return [([r for r in rows if fold_of(r["file"]) != k], [r for r in rows if fold_of(r["file"]) == k])
                for k in (0, 1)]
    if scheme == "src2":
        return [([r for r in rows if fold_of(r["file"][:2]) != k], [r for r in rows if fold_of(r["file"][:2]) == k])
                for k in (0, 1)]
    srcs = sorted({r["file"][:2] for r in rows})
    return [([r for r in rows if r["file"][:2] != g], [r for r in rows if r["file"][:2] == g]) for g in srcs]


def choose(rows):
    f_thr = choose_fringe(rows)
    return f_thr, choose_flow(rows, f_thr)


def line(m):
    return (f"brow_hair {m.brow_hair:.2f} forehead {m.forehead_visible:.2f} flow {m.cover_flow:+.2f} "
            f"chroma {m.crown_chroma:.0f} neck {m.neck_skin:.2f} side {m.side_cover:.2f} "
            f"skin_hue {m.skin_hue:.0f}")


def report(rows, title):
    print(f"\n=== {title}: {len(rows)} photos, {sum(r['expected'] == 'pass' for r in rows)} pass ===")
    full = choose(rows)
    print(f"thresholds on the full set: brow_hair >= {full[0]:.2f}, cover_flow <= {full[1]:.2f} "
          f"(with forehead_visible <= {COVERED}), crown_chroma >= {CROWN_CHROMA:.0f}, "
          f"scarf: neck_skin <= {NECK_SKIN} and side_cover >= {SIDE_COVER} and forehead_visible >= {HIJAB_FOREHEAD}")
    for scheme in ("hash2", "src2", "loso"):
        print(f"  {scheme:5s} thresholds per fold: " + ", ".join(
            f"({t[0]:.2f}, {t[1]:+.2f})" for t in (choose(tr) for tr, te in splits(rows, scheme)) ))
    for label, pred in (("hat", is_hat), ("bangs", is_fringe), ("covered", is_covered)):
        p, rc, npos, fn, fp, fa = score(rows, label, pred, full)
        cv = {}
        for scheme in ("hash2", "src2", "loso"):
            tp_n = fp_n = pos_n = fa_n = 0
            for train, test in splits(rows, scheme):
                p2, r2, n2, fn2, fp2, fa2 = score(test, label, pred, choose(train))
                tp_n += n2 - len(fn2)
                fp_n += len(fp2)
                pos_n += n2
                fa_n += len(fa2)
            cv[scheme] = (tp_n / max(tp_n + fp_n, 1), tp_n / max(pos_n, 1), fa_n)
        name = {"hat": "hat/headscarf", "bangs": "fringe over brows", "covered": "hat OR fringe (either reason)"}[label]
        print(f"{name:30s} full P {p:.2f} R {rc:.2f} (pos {npos}, pass false alarms {len(fa)})")
        print(" " * 30 + "  ".join(f" {k}: P {v[0]:.2f} R {v[1]:.2f} (pass FA {v[2]})"
                                     for k, v in cv.items()))
        if label != "covered":
            for r in fn:
                print(f"    miss  {r['file']:12s} {line(r['m'])} yaw {r['yaw']:+.0f}")
            for r in fp:
                parts = ",".join(k for k, v in hat_parts(r["m"], *full).items() if v) if label == "hat" else ""
                print(f"    false {r['file']:12s} {line(r['m'])} yaw {r['yaw']:+.0f}  {parts}"
                      f"  [hat {r['hat']}, bangs {r['bangs']}, {r['expected']}]")
    return full


# Error levels (a flag below them is only a warning, "请人工确认"):
ERR_FLOW = -0.5         # brim: structure clearly across the forehead
ERR_SIDE = 0.75         # scarf: three quarters of the bands beside the cheeks are cloth
ERR_CHROMA = 60.0       # saturated: far beyond natural (even dyed) hair
ERR_FRINGE = 0.8        # fringe: brow band mostly hair ...
ERR_FRINGE_FOREHEAD = 0.35   # ... and the forehead above it covered too


def level(m, thr, label) -> str:
    """'error', 'warn' or '' for one reason, with the recommended levels."""
    if label == "hat":
        p = hat_parts(m, *thr)
        if not any(p.values()):
            return ""
        err = ((p["brim"] and m.cover_flow <= ERR_FLOW) or (p["scarf"] and m.side_cover >= ERR_SIDE)
               or (p["saturated"] and m.crown_chroma >= ERR_CHROMA))
        return "error" if err else "warn"
    if not is_fringe(m, *thr):
        return ""
    return "error" if m.brow_hair >= ERR_FRINGE and m.forehead_visible <= ERR_FRINGE_FOREHEAD else "warn"


def report_levels(rows, thr, title):
    print(f"\n--- error level only ({title}) ---")
    for label in ("hat", "bangs"):
        use = [r for r in rows if r[label] in ("yes", "no")]
        err = [r for r in use if level(r["m"], thr, label) == "error"]
        tp = sum(r[label] == "yes" for r in err)
        pos = sum(r[label] == "yes" for r in use)
        fa = [r["file"] for r in rows if r["expected"] == "pass" and level(r["m"], thr, label) == "error"]
        fp = [r["file"] for r in err if r[label] == "no"]
        print(f"  {label:6s} errors: P {tp / max(len(err), 1):.2f} R {tp / max(pos, 1):.2f}  false {fp}  pass FA {fa}")


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
    judged = [r for r in rows if abs(r["yaw"]) <= YAW_MAX]
    thr = report(judged, f"judged by the tool (one face, |yaw|<={YAW_MAX:.0f}, any roll)")
    report(rows, "all photos with landmarks")
    report_levels(judged, thr, f"|yaw|<={YAW_MAX:.0f}")

    print("\n=== example portraits (thresholds of the full set) ===")
    for p in sorted(args.examples_cache.glob("*.npz")):
        a = load(args.examples_cache, p.name[:-4])
        if a.landmarks is None:
            print(f"  {p.name[:-4]}: no landmarks")
            continue
        m = hair_measures(a)
        print(f"  {p.name[:-4]:26s} hat {is_hat(m, *thr)!s:5s} fringe {is_fringe(m, *thr)!s:5s}  "
              f"brow_hair {m.brow_hair:.2f} "
              f"forehead {m.forehead_visible:.2f} chroma {m.crown_chroma:.0f} neck {m.neck_skin:.2f} "
              f"flow {m.cover_flow:+.2f} side {m.side_cover:.2f}")


if __name__ == "__main__":
    main()
