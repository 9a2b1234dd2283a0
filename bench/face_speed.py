#!/usr/bin/env python3
"""How long the photo analysis takes, on one core, and how long `tjcheck verify` takes end to end.

    python bench/face_speed.py [--photos DIR] [--runs N] [--json]

1. Loading: the first `analyser()` call (import of the three mediapipe solutions + graphs) and
   the learned detectors' model file (tjcheck/imaging/learned.py).
2. Analysis of one photo after loading: every face-family rule of the engine on a decoded
   photo (detectors, mesh, segmentation, all measures), median over the photos of DIR
   (default ../shared/photos/img, else the shipped examples), with the process pinned to
   one core. Beside it, in the same run, the median time to decode the same photos with
   Pillow, as a baseline for this machine's speed.
3. Wall time of `tjcheck verify examples/passing/profile.yaml` in a fresh process (start-up,
   loading, all checks), median of N runs, and its ratio to `python -c pass`.
Targets (issues 3 and 11): loading <= 0.5 s, analysis <= 50 ms, verify <= 1.5 s.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
EXAMPLE = ROOT / "examples" / "passing" / "profile.yaml"
FACE_RULES = ["FA", "PH007", "PH008"]


def _wall(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
                       env={"COLUMNS": "100", "PATH": os.environ.get("PATH", "/usr/bin:/bin")})
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=Path, default=ROOT.parent / "shared" / "photos" / "img")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--limit", type=int, default=80, help="photos to time (the first N by name)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})   # one core

    from PIL import Image

    from tjcheck.engine import load_ruleset, verify
    from tjcheck.imaging import learned
    from tjcheck.imaging.face import analyser
    from tjcheck.profile import Basic, LoadedProfile, Profile

    folder = args.photos if args.photos.is_dir() else ROOT / "examples"
    photos = sorted(p for p in folder.rglob("*.jpg") if "photo" in p.name or folder == args.photos)[:args.limit]
    ruleset = load_ruleset()

    start = time.perf_counter()
    analyser(ruleset["face"]["min_detection_score"])
    learned.detectors()
    loading = time.perf_counter() - start

    analysis, decode = [], []
    for path in photos:
        start = time.perf_counter()
        with Image.open(path) as im:
            im.load()
        decode.append(time.perf_counter() - start)
        loaded = LoadedProfile(Profile(basic=Basic(photo=[str(path)])), path.parent / "bench.yaml", {}, [])
        # each verify() reads the photo afresh: the analysis is the face rules' run minus
        # a run that only reads the photo (PH001 checks its format)
        start = time.perf_counter()
        verify(loaded, ruleset, select=["PH001"])
        read = time.perf_counter() - start
        start = time.perf_counter()
        verify(loaded, ruleset, select=FACE_RULES)
        analysis.append(time.perf_counter() - start - read)
    verify_s = _wall([sys.executable, "-m", "tjcheck", "verify", str(EXAMPLE), "--exit-zero"], args.runs)
    base_s = _wall([sys.executable, "-c", "pass"], args.runs)
    out = {"photos": len(photos), "loading_s": round(loading, 3),
           "analysis_median_ms": round(statistics.median(analysis) * 1000, 1),
           "decode_median_ms": round(statistics.median(decode) * 1000, 1),
           "analysis_to_decode_ratio": round(statistics.median(analysis) / statistics.median(decode), 2),
           "verify_passing_s": round(verify_s, 3), "python_startup_s": round(base_s, 3),
           "verify_to_startup_ratio": round(verify_s / base_s, 1)}
    if args.json:
        print(json.dumps(out))
        return
    print(f"photos timed: {out['photos']} from {folder} (one core)")
    print(f"loading (import, graphs, model): {loading * 1000:7.0f} ms")
    print(f"analysis of one photo, median:   {out['analysis_median_ms']:7.1f} ms   (target <= 50 ms)")
    print(f"Pillow decode, median:           {out['decode_median_ms']:7.1f} ms   "
          f"(analysis = {out['analysis_to_decode_ratio']}x decode)")
    print(f"tjcheck verify passing example:  {verify_s * 1000:7.0f} ms   (target <= 1500 ms; "
          f"{out['verify_to_startup_ratio']}x python -c pass)")


if __name__ == "__main__":
    main()
