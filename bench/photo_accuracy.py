#!/usr/bin/env python3
"""Precision and recall of tjcheck's photo checks on a labelled photo folder.

    python bench/photo_accuracy.py --images ../shared/photos/img --labels ../shared/photos/labels.csv [--json]

Each photo goes through the real engine (`verify` with only the face rules selected) as
the photo of a minimal profile. A photo counts as flagged for an attribute when it gets an
error or a warning from that attribute's rules; a false alarm is any face-related error or
warning on a photo labelled `expected = pass`. Rows labelled `unsure` for an attribute are
left out of that attribute.
"""
from __future__ import annotations

import argparse
import csv
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# attribute -> (rule codes that flag it, is the label positive?, is the label unsure?)
ATTRIBUTES = {
    "faces": (["FA001"], lambda r: r["faces"].strip() != "1", lambda r: False),
    "frontal": (["FA002"], lambda r: r["frontal"] == "no", lambda r: r["frontal"] == "unsure"),
    "glasses": (["FA004", "FA005"], lambda r: r["glasses"] in ("clear", "sunglasses"),
                lambda r: r["glasses"] == "unsure"),
    "sunglasses": (["FA005"], lambda r: r["glasses"] == "sunglasses", lambda r: r["glasses"] == "unsure"),
    "hat": (["FA006"], lambda r: r["hat"] == "yes", lambda r: False),
    "bangs": (["FA007"], lambda r: r["bangs_cover_brows"] == "yes", lambda r: r["bangs_cover_brows"] == "unsure"),
    "blur": (["FA008"], lambda r: r["blurred"] == "yes", lambda r: r["blurred"] == "unsure"),
}
FACE_PREFIXES = ["FA"]                 # face-related: count as false alarms on pass photos
APART = {"background": "PH007", "geometry": "PH008"}   # scored apart (studio backgrounds vary)


def flagged_codes(photo: Path, ruleset: dict) -> set[str]:
    from tjcheck.engine import verify
    from tjcheck.profile import Basic, LoadedProfile, Profile

    profile = Profile(basic=Basic(photo=[str(photo)]))
    loaded = LoadedProfile(profile, photo.parent / "bench.yaml", {}, [])
    from tjcheck.checks import REGISTRY

    report = verify(loaded, ruleset, select=FACE_PREFIXES + [c for c in APART.values() if c in REGISTRY])
    return {f.code for f in report.findings if f.severity.value in ("error", "warning")}


def score(images: Path, labels: Path, ruleset: dict | None = None) -> tuple[dict, dict[str, list[str]]]:
    """The benchmark's JSON object, and per attribute the photos it got wrong."""
    from tjcheck.engine import load_ruleset

    ruleset = ruleset or load_ruleset()
    rows = list(csv.DictReader(labels.open(encoding="utf-8")))
    results, times = [], []
    for row in rows:
        start = time.perf_counter()
        results.append((row, flagged_codes(images / row["file"], ruleset)))
        times.append(time.perf_counter() - start)

    out: dict = {"attributes": {}}
    misses: dict[str, list[str]] = {}
    for name, (codes, positive, unsure) in ATTRIBUTES.items():
        tp = fp = fn = 0
        for row, flagged in results:
            if unsure(row):
                continue
            truth, pred = positive(row), bool(flagged & set(codes))
            tp += truth and pred
            fp += pred and not truth
            fn += truth and not pred
            if truth != pred:
                misses.setdefault(name, []).append(("missed " if truth else "false ") + row["file"])
        out["attributes"][name] = {"precision": round(tp / (tp + fp), 3) if tp + fp else None,
                                   "recall": round(tp / (tp + fn), 3) if tp + fn else None, "positives": tp + fn}
    passes = [(row, flagged) for row, flagged in results if row["expected"] == "pass"]
    out["pass_photos"] = len(passes)
    face = [(row, {c for c in flagged if c.startswith(tuple(FACE_PREFIXES))}) for row, flagged in passes]
    out["false_alarms_on_pass"] = sum(1 for _, flagged in face if flagged)
    out["scored_apart_flags_on_pass"] = {name: sum(code in flagged for _, flagged in passes)
                                         for name, code in APART.items()}
    out["median_seconds_per_photo"] = round(statistics.median(times), 4)
    misses["false_alarms_on_pass"] = [f"{row['file']} ({' '.join(sorted(f))})" for row, f in face if f]
    return out, misses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=Path, default=ROOT.parent / "shared" / "photos" / "img")
    parser.add_argument("--labels", type=Path, default=ROOT.parent / "shared" / "photos" / "labels.csv")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--misses", action="store_true", help="list the photos each attribute gets wrong")
    args = parser.parse_args()
    if not args.images.is_dir() or not args.labels.is_file():
        print(f"SKIP: {args.images} or {args.labels} not found")
        return
    out, misses = score(args.images.resolve(), args.labels)   # the profile resolves paths from its own folder
    if args.json:
        print(json.dumps(out))
        return
    for name, m in out["attributes"].items():
        print(f"{name:11s} precision {m['precision']}  recall {m['recall']}  positives {m['positives']}")
        if args.misses and name in misses:
            print("            " + ", ".join(misses[name]))
    print(f"false alarms on pass photos: {out['false_alarms_on_pass']} / {out['pass_photos']}")
    print(f"median time per photo (decode + all face rules, models already loaded): "
          f"{out['median_seconds_per_photo'] * 1000:.0f} ms")
    print("false alarms:", ", ".join(misses["false_alarms_on_pass"]) or "none")
    print("scored apart, flags on pass photos:",
          ", ".join(f"{name} {n}" for name, n in out["scored_apart_flags_on_pass"].items()))


if __name__ == "__main__":
    main()
