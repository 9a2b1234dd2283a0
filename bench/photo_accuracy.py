#!/usr/bin/env python3
"""Precision and recall of tjcheck's photo checks on a labelled photo folder.

    python bench/photo_accuracy.py --images ../shared/photos/img --labels ../shared/photos/labels.csv [--json]

Each photo goes through the real engine (`verify` with only the face rules selected) as
the photo of a minimal profile. A photo counts as flagged for an attribute when it gets an
error or a warning from that attribute's rules; a false alarm is any face-related error or
warning on a photo labelled `expected = pass`. Rows labelled `unsure` for an attribute are
left out of that attribute. Attributes whose rules do not exist yet are reported as null.
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
    "glasses": (None, lambda r: r["glasses"] in ("clear", "sunglasses"), lambda r: r["glasses"] == "unsure"),
    "sunglasses": (None, lambda r: r["glasses"] == "sunglasses", lambda r: r["glasses"] == "unsure"),
    "hat": (None, lambda r: r["hat"] == "yes", lambda r: False),
    "bangs": (None, lambda r: r["bangs_cover_brows"] == "yes", lambda r: r["bangs_cover_brows"] == "unsure"),
    "blur": (None, lambda r: r["blurred"] == "yes", lambda r: r["blurred"] == "unsure"),
}
FACE_PREFIXES = ["FA"]


def flagged_codes(photo: Path, ruleset: dict) -> set[str]:
    from tjcheck.engine import verify
    from tjcheck.profile import Basic, LoadedProfile, Profile

    profile = Profile(basic=Basic(photo=[str(photo)]))
    loaded = LoadedProfile(profile, photo.parent / "bench.yaml", {}, [])
    report = verify(loaded, ruleset, select=FACE_PREFIXES)
    return {f.code for f in report.findings if f.severity.value in ("error", "warning")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=Path, default=ROOT.parent / "shared" / "photos" / "img")
    parser.add_argument("--labels", type=Path, default=ROOT.parent / "shared" / "photos" / "labels.csv")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    if not args.images.is_dir() or not args.labels.is_file():
        print(f"SKIP: {args.images} or {args.labels} not found")
        return

    from tjcheck.engine import load_ruleset

    ruleset = load_ruleset()
    rows = list(csv.DictReader(args.labels.open(encoding="utf-8")))
    results, times = [], []
    for row in rows:
        start = time.perf_counter()
        results.append((row, flagged_codes(args.images / row["file"], ruleset)))
        times.append(time.perf_counter() - start)

    out: dict = {"attributes": {}}
    for name, (codes, positive, unsure) in ATTRIBUTES.items():
        if codes is None:
            out["attributes"][name] = {"precision": None, "recall": None, "positives": None, "implemented": False}
            continue
        tp = fp = fn = 0
        for row, flagged in results:
            if unsure(row):
                continue
            truth, pred = positive(row), bool(flagged & set(codes))
            tp += truth and pred
            fp += pred and not truth
            fn += truth and not pred
        out["attributes"][name] = {"precision": round(tp / (tp + fp), 3) if tp + fp else None,
                                   "recall": round(tp / (tp + fn), 3) if tp + fn else None, "positives": tp + fn}
    passes = [(row, flagged) for row, flagged in results if row["expected"] == "pass"]
    out["pass_photos"] = len(passes)
    out["false_alarms_on_pass"] = sum(1 for _, flagged in passes if flagged)
    out["median_seconds_per_photo"] = round(statistics.median(times), 4)
    if args.json:
        print(json.dumps(out))
        return
    for name, m in out["attributes"].items():
        if m.get("implemented") is False:
            print(f"{name:11s} not implemented yet")
        else:
            print(f"{name:11s} precision {m['precision']}  recall {m['recall']}  positives {m['positives']}")
    print(f"false alarms on pass photos: {out['false_alarms_on_pass']} / {out['pass_photos']}")
    print(f"median time per photo (decode + all face rules, models already loaded): "
          f"{out['median_seconds_per_photo'] * 1000:.0f} ms")
    print("false alarms:", ", ".join(row["file"] for row, flagged in passes if flagged) or "none")


if __name__ == "__main__":
    main()
