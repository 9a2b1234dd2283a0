#!/usr/bin/env python3
"""Blur, exposure, background and head-geometry measures on the labelled photos (from the face cache).

    python bench/study_quality.py [--cache /tmp/tjcheck-face-cache] [--labels ../shared/photos/labels.csv]
                                  [--examples /tmp/tjcheck-face-cache-ex]

Reads the cached face analysis (bench/face_cache.py) of every labelled photo, computes
tjcheck/imaging/quality.py and framing.py, and prints:
- blur (label `blurred`): full-set and two-fold figures, on all photos with landmarks and on
  the pose-gated subset (|yaw| <= 30, any roll: the tool's gate), misses and false flags, and the
  whole-image fallback on photos without landmarks;
- the distributions of the exposure, background and geometry measures over the
  `expected = pass` photos and the examples, with what the recommended limits would flag;
- the median time of the measures per photo.
Threshold rule for blur (stated, not fitted per file): the warning threshold is the midpoint
between the sharpest blurred photo and the least sharp pass photo of the half it is chosen on.
Rows labelled `unsure` for blur are left out of the blur figures.
"""
from __future__ import annotations

import argparse
import csv
import math
import re
import statistics
import sys
import time
import zlib
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

# Recommended limits (what the ruleset would hold); the blur warning comes from the rule above,
# rounded; the others are round numbers outside what the pass photos and the examples read.
BLUR_ERROR = 0.28          # face_sharpness below: error (a Gaussian blur of ~1.5 px at 64 px iris distance)
BLUR_WARN = 0.32           # below: warning (midpoint rule on the full set gives 0.319)
IMAGE_BLUR_WARN = 0.28     # whole-image sharpness below, for photos without a face: warning
EXPOSURE = {"dark_image_p99": 50.0, "dark_skin": 20.0, "burnt_share": 0.10, "side_diff": 35.0}
BACKGROUND = {"plain_spread": 30.0, "plain_edges": 0.15, "white_lightness": 90.0, "white_chroma": 8.0,
                  "grey_lightness": 80.0, "blue_b": -5.0, "blue_hue": (220.0, 295.0),
                  "light_blue_lightness": 70.0}
GEOMETRY = {"face_width": (0.30, 0.60), "face_width_error": (0.22, 0.70), "top_margin": (0.01, 0.15),
                "centre": 0.05, "centre_error": 0.10, "eye_line": 0.50, "eye_line_error": 0.60}


def half(name: str) -> int:
    """Stable two-fold split by file name."""
    return zlib.crc32(name.encode()) % 2


def midpoint(values_pos, values_pass) -> float:
    return (max(values_pos) + min(values_pass)) / 2


def score(rows, flag):
    tp = sum(1 for r in rows if r["blur_pos"] and flag(r))
    fp = sum(1 for r in rows if not r["blur_pos"] and flag(r))
    fn = sum(1 for r in rows if r["blur_pos"] and not flag(r))
    fa = sum(1 for r in rows if r["expected"] == "pass" and flag(r))
    p = tp / (tp + fp) if tp + fp else float("nan")
    rc = tp / (tp + fn) if tp + fn else float("nan")
    return p, rc, tp + fn, fa, tp, fp


def fmt_score(s) -> str:
    p, rc, npos, fa, tp, fp = s
    return f"precision {p:.2f}  recall {rc:.2f}  positives {npos}  flagged {tp + fp} ({tp} right)  false alarms on pass {fa}"


def dist(vals) -> str:
    v = np.array([x for x in vals if x is not None and not (isinstance(x, float) and math.isnan(x))])
    if not len(v):
        return "(none)"
    return (f"n={len(v):3d} min {v.min():7.3f}  p5 {np.percentile(v, 5):7.3f}  median {np.median(v):7.3f}  "
            f"p95 {np.percentile(v, 95):7.3f}  max {v.max():7.3f}")


def blur_flag(r, warn=BLUR_WARN, image_warn=IMAGE_BLUR_WARN) -> bool:
    if r["has_lm"]:
        return r["sharp"] < warn
    return r["no_face"] and r["img_sharp"] < image_warn


def bg_note(notes: str) -> str:
    m = re.search(r"([\w-]+(?: [\w-]+)?) (?:studio )?background", notes)
    return m.group(0) if m else ""


def exposure_flags(ex) -> list[str]:
    if ex is None:
        return []
    out = []
    if ex.image_l_p99 < EXPOSURE["dark_image_p99"]:
        out.append("dark photo")
    if ex.skin_l < EXPOSURE["dark_skin"]:
        out.append("dark face")
    if ex.clipped_high > EXPOSURE["burnt_share"]:
        out.append("burnt face")
    if ex.side_diff > EXPOSURE["side_diff"]:
        out.append("side light")
    return out


def geometry_flags(ge) -> list[tuple[str, str]]:
    """(severity, what) for each geometry limit broken."""
    if ge is None:
        return []
    g = GEOMETRY
    out = []
    if not g["face_width_error"][0] <= ge.face_width <= g["face_width_error"][1]:
        out.append(("E", f"face width {ge.face_width:.2f}"))
    elif not g["face_width"][0] <= ge.face_width <= g["face_width"][1]:
        out.append(("W", f"face width {ge.face_width:.2f}"))
    if not g["top_margin"][0] <= ge.top_margin <= g["top_margin"][1]:
        out.append(("W", f"top margin {ge.top_margin:.3f}"))
    if abs(ge.centre_offset) > g["centre_error"]:
        out.append(("E", f"off centre {ge.centre_offset:+.3f}"))
    elif abs(ge.centre_offset) > g["centre"]:
        out.append(("W", f"off centre {ge.centre_offset:+.3f}"))
    if ge.eye_line > g["eye_line_error"]:
        out.append(("E", f"eye line {ge.eye_line:.2f}"))
    elif ge.eye_line > g["eye_line"]:
        out.append(("W", f"eye line {ge.eye_line:.2f}"))
    return out


def measure(a):
    from tjcheck.imaging import framing, quality

    t = time.perf_counter()
    patch = quality.face_patch(a)
    m = {
        "sharp": quality.face_sharpness(a),
        "reblur": quality.reblur_ratio(patch[0]) if patch else float("nan"),   # the prototype's measure
        "img_sharp": quality.image_sharpness(a) if a.landmarks is None else float("nan"),
        "exposure": quality.exposure(a),
        "bg": framing.background(a),
        "geo": framing.geometry(a),
    }
    m["ms"] = (time.perf_counter() - t) * 1000
    return m


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=Path("/tmp/tjcheck-face-cache"))
    parser.add_argument("--labels", type=Path, default=ROOT.parent / "shared" / "photos" / "labels.csv")
    parser.add_argument("--examples", type=Path, default=Path("/tmp/tjcheck-face-cache-ex"))
    args = parser.parse_args()
    if not args.cache.is_dir() or not args.labels.is_file():
        print(f"SKIP: {args.cache} or {args.labels} not found (run bench/face_cache.py first)")
        return
    from face_cache import load

    from tjcheck.imaging import framing

    rows = []
    for lab in csv.DictReader(args.labels.open(encoding="utf-8")):
        if not (args.cache / f"{lab['file']}.npz").exists():
            continue
        a = load(args.cache, lab["file"])
        r = {"file": lab["file"], "expected": lab["expected"], "notes": lab["notes"], "blurred": lab["blurred"],
                 "blur_pos": lab["blurred"] == "yes", "has_lm": a.landmarks is not None, "no_face": len(a.faces) == 0,
                 "gated": a.landmarks is not None and abs(a.yaw) <= 30}   # the tool's face.measurable_yaw
        r.update(measure(a))
        rows.append(r)
    examples = {}
    if args.examples.is_dir():
        for p in sorted(args.examples.glob("*.npz")):
            examples[p.name[:-4]] = measure(load(args.examples, p.name[:-4]))

    # ---------------------------------------------------------------- blur
    print("== BLUR: face_sharpness (edge steepness / local range at <= 64 px iris distance; lower = blurrier)")
    scored = [r for r in rows if r["blurred"] != "unsure"]
    lm_rows = [r for r in scored if r["has_lm"]]
    pos = [r["sharp"] for r in lm_rows if r["blur_pos"]]
    pas = [r["sharp"] for r in lm_rows if r["expected"] == "pass"]
    print(f"blurred with a face: {sorted(round(x, 3) for x in pos)}")
    print(f"pass photos:         {dist(pas)}")
    print(f"midpoint rule on the full set: {midpoint(pos, pas):.3f}   recommended warning {BLUR_WARN}, error {BLUR_ERROR}")
    for label, pop in (("all with landmarks", lm_rows), ("pose-gated", [r for r in lm_rows if r["gated"]])):
        print(f"  full set, {label:18s} warn<{BLUR_WARN}: {fmt_score(score(pop, lambda r: r['sharp'] < BLUR_WARN))}")
        print(f"  full set, {label:18s} err <{BLUR_ERROR}: {fmt_score(score(pop, lambda r: r['sharp'] < BLUR_ERROR))}")
        # two-fold: choose on one half by the midpoint rule, score on the other
        tot = [0, 0, 0, 0]
        ths = []
        for k in (0, 1):
            train = [r for r in pop if half(r["file"]) == k]
            test = [r for r in pop if half(r["file"]) != k]
            tp_ = [r["sharp"] for r in train if r["blur_pos"]]
            tpass = [r["sharp"] for r in train if r["expected"] == "pass"]
            th = midpoint(tp_, tpass) if tp_ and tpass else BLUR_WARN
            ths.append(th)
            s = score(test, lambda r, th=th: r["sharp"] < th)
            tot = [tot[0] + s[4], tot[1] + s[5], tot[2] + s[2], tot[3] + s[3]]
        tp, fp, npos, fa = tot
        print(f"  two-fold, {label:18s} thresholds {ths[0]:.3f}/{ths[1]:.3f}: precision {tp / max(1, tp + fp):.2f}  "
              f"recall {tp / max(1, npos):.2f}  positives {npos}  false alarms on pass {fa}")
    print("  misses (blurred, not flagged at the warning):")
    for r in lm_rows:
        if r["blur_pos"] and not r["sharp"] < BLUR_WARN:
            print(f"    {r['file']:12s} {r['sharp']:.3f}  {r['notes'][:70]}")
    print("  false flags (not blurred, flagged at the warning; * = passes the pose gate):")
    for r in sorted(lm_rows, key=lambda r: r["sharp"]):
        if not r["blur_pos"] and r["sharp"] < BLUR_WARN:
            print(f"    {r['file']:12s} {r['sharp']:.3f} {'*' if r['gated'] else ' '} {r['expected']:6s} {r['notes'][:70]}")
    least = sorted((r for r in lm_rows if r["expected"] == "pass"), key=lambda r: r["sharp"])[:5]
    print("  least sharp pass photos: " + ", ".join(f"{r['file']} {r['sharp']:.3f}" for r in least))
    rb = [r for r in lm_rows if r["reblur"] > 0.60]
    print(f"  for comparison, the Crete re-blur ratio on the same patch > 0.60 flags {sum(r['blur_pos'] for r in rb)} of "
          f"{len(pos)} blurred and also " + ", ".join(f"{r['file']} {r['reblur']:.2f}" for r in rb if not r["blur_pos"]))
    small = []
    for r in lm_rows:
        size = re.search(r"\[(\d+)x(\d+)", r["notes"])
        if size and (int(size.group(1)) < 295 or int(size.group(2)) < 413):
            small.append(r)
    print(f"  photos smaller than 295x413 with a face ({len(small)}): judged at their own size (never enlarged): "
          + ", ".join(f"{r['file']} {r['sharp']:.2f}{'B' if r['blur_pos'] else ''}" for r in sorted(small, key=lambda r: r['sharp'])))
    print(f"\n-- whole-image fallback (image_sharpness, photos with no face detected; warning < {IMAGE_BLUR_WARN}):")
    nf = [r for r in scored if r["no_face"]]
    for r in sorted(nf, key=lambda r: r["img_sharp"]):
        print(f"    {r['file']:12s} {r['img_sharp']:.3f} {'BLURRED' if r['blur_pos'] else '':7s} {r['notes'][:60]}")
    print("  end to end (face measure with landmarks, whole image when no face):",
          fmt_score(score([r for r in scored if r["has_lm"] or r["no_face"]], blur_flag)))
    print("  photos with 2+ faces or no mesh (not judged for blur): "
          + ", ".join(r["file"] + ("(B)" if r["blur_pos"] else "") for r in scored if not r["has_lm"] and not r["no_face"]))

    # ---------------------------------------------------------------- exposure
    print("\n== EXPOSURE (face skin: cheeks and nose bridge; CIE L* 0-100)")
    passes = [r for r in rows if r["expected"] == "pass" and r["exposure"] is not None]
    for k in ("skin_l", "skin_l_p05", "skin_l_p95", "clipped_high", "clipped_low", "side_diff", "image_l_p99"):
        print(f"  pass  {k:13s} {dist([getattr(r['exposure'], k) for r in passes])}")
    for n, m in examples.items():
        e = m["exposure"]
        print(f"  ex    {n:24s} skin_l {e.skin_l:5.1f} burnt {e.clipped_high:.3f} side {e.side_diff:4.1f} image_p99 {e.image_l_p99:5.1f}")
    print(f"  limits {EXPOSURE}; flagged photos:")
    for r in rows:
        fl = exposure_flags(r["exposure"])
        if fl:
            e = r["exposure"]
            print(f"    {r['file']:12s} {r['expected']:6s} {'/'.join(fl):22s} skin_l {e.skin_l:5.1f} burnt {e.clipped_high:.3f} "
                  f"side {e.side_diff:4.1f} p99 {e.image_l_p99:5.1f}  {r['notes'][:55]}")
    print("  notes that mention light/exposure, not flagged: " + ", ".join(
        f"{r['file']}({r['exposure'].skin_l:.0f}/{r['exposure'].image_l_p99:.0f})" for r in rows
        if r["exposure"] and re.search(r"dark face|expos|shadow|lighting", r["notes"]) and not exposure_flags(r["exposure"])))

    # ---------------------------------------------------------------- background
    print("\n== BACKGROUND (person mask < 0.3, 4 % away from the outline; CIE L*a*b*)")
    for k in ("lightness", "chroma", "b", "spread", "edges", "share"):
        print(f"  pass  {k:10s} {dist([getattr(r['bg'], k) for r in rows if r['expected'] == 'pass' and r['bg']])}")

    def bgline(b):
        return (f"L {b.lightness:5.1f} a {b.a:6.1f} b {b.b:6.1f} C {b.chroma:5.1f} spread {b.spread:5.1f} "
                f"edges {b.edges:.3f} share {b.share:.2f}")
    print(f"  limits {BACKGROUND}")
    for n, m in examples.items():
        print(f"  ex    {n:24s} {framing.background_kind(m['bg'], BACKGROUND):10s} {bgline(m['bg'])}")
    counts: dict = {}
    print("  labelled photos with a mask (kind | measures | background in the notes):")
    for r in rows:
        if r["bg"] is None:
            continue
        kind = framing.background_kind(r["bg"], BACKGROUND)
        counts.setdefault(r["expected"], {}).setdefault(kind, 0)
        counts[r["expected"]][kind] += 1
        note = bg_note(r["notes"])
        if r["expected"] == "pass" and r["file"][:2] in ("ln", "cf") and kind in ("light_grey", "white"):
            continue     # the 60 London/CFD studio shots all read as noted; listed in the counts only
        print(f"    {r['file']:12s} {r['expected']:6s} {kind:10s} {bgline(r['bg'])} | {note}")
    print(f"  kinds by expected: {counts}")

    # ---------------------------------------------------------------- geometry
    print("\n== GEOMETRY (shares of the image; one-inch 295x413)")
    geos = [r for r in rows if r["expected"] == "pass" and r["geo"]]
    for k in ("face_width", "top_margin", "head_height", "chin_margin", "centre_offset", "eye_line"):
        print(f"  pass  {k:13s} {dist([getattr(r['geo'], k) for r in geos])}")
    zg = [r for r in rows if r["file"] == "zg-001.jpg" and r["geo"]]
    for n, g in [(n, m["geo"]) for n, m in examples.items()] + [(r["file"] + " (real ID photo)", r["geo"]) for r in zg]:
        print(f"  ex    {n:24s} face_width {g.face_width:.3f} top {g.top_margin:.3f} head_h {g.head_height:.3f} "
              f"chin {g.chin_margin:.3f} centre {g.centre_offset:+.3f} eye_line {g.eye_line:.3f}  {geometry_flags(g)}")
    print(f"  limits {GEOMETRY}")
    nerr = sum(1 for r in geos if any(s == "E" for s, _ in geometry_flags(r["geo"])))
    nw = sum(1 for r in geos if geometry_flags(r["geo"]))
    print(f"  pass photos with a geometry error: {nerr}, with any flag: {nw} of {len(geos)} (most are not one-inch crops)")
    for r in geos:
        fl = geometry_flags(r["geo"])
        if fl and r["file"][:2] not in ("ln", "ca", "cf"):
            print(f"    {r['file']:12s} {fl}  {r['notes'][-14:]}")
    for pre in ("ln", "ca", "cf"):
        c: dict = {}
        for r in geos:
            if r["file"].startswith(pre):
                for s, w in geometry_flags(r["geo"]):
                    c[w.rsplit(' ', 1)[0]] = c.get(w.rsplit(' ', 1)[0], 0) + 1
        print(f"    {pre}-* ({sum(r['file'].startswith(pre) for r in geos)} photos): {c}")

    print(f"\nmedian {statistics.median(r['ms'] for r in rows if r['has_lm']):.1f} ms per photo with a face "
          f"(sharpness + exposure + background + geometry), "
          f"{statistics.median(r['ms'] for r in rows if not r['has_lm']):.1f} ms without (whole-image sharpness)")


if __name__ == "__main__":
    main()
