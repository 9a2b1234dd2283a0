#!/usr/bin/env python3
"""Cache the face analysis of every photo of a folder, for threshold studies.

    python bench/face_cache.py [--images DIR] [--out DIR]

Writes one .npz per photo (analysed image, boxes, landmarks, segmentation mask) so
studies of the photo measures iterate in numpy without re-running the models.
``load(out, name)`` gives back a FaceAnalysis.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_OUT = Path("/tmp/tjcheck-face-cache")


def load(out: Path, name: str):
    from tjcheck.imaging.face import Box, FaceAnalysis, _pose_from_array

    d = np.load(out / f"{name}.npz")
    a = FaceAnalysis(faces=[Box(*b) for b in d["boxes"]], rgb=d["rgb"])
    if d["landmarks"].size:
        a.mesh_found, a.landmarks, a.person = True, d["landmarks"], d["person"]
        a.yaw, a.roll, a.pitch = _pose_from_array(a.landmarks)
    return a


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--images", type=Path, default=ROOT.parent / "shared" / "photos" / "img")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    from PIL import Image

    from tjcheck.imaging.face import analyser

    args.out.mkdir(parents=True, exist_ok=True)
    an = analyser(0.6)
    for path in sorted(p for p in args.images.iterdir() if p.suffix.lower() in (".jpg", ".jpeg", ".png")):
        a = an.analyse(Image.open(path))
        np.savez_compressed(args.out / f"{path.name}.npz", rgb=a.rgb,
                            boxes=np.array([(b.x0, b.y0, b.x1, b.y1, b.score) for b in a.faces]).reshape(-1, 5),
                            landmarks=a.landmarks if a.landmarks is not None else np.zeros(0),
                            person=a.person if a.person is not None else np.zeros(0))
    print(f"cached {len(list(args.out.glob('*.npz')))} photos in {args.out}")


if __name__ == "__main__":
    main()
