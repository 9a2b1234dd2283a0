#!/usr/bin/env python3
"""How much blur the photo check catches: recall against blur strength, at the platform's size.

    python bench/blur_curve.py [--photos 80] [--width 295] [--json]

Sharp photos (labelled ``blurred = no``, one frontal face, at least 295 px) from
``../shared/photos`` and ``../shared/photos-large`` are brought to the platform's size
(cut to 295:413 when wider, then ``--width`` px wide, 295 by default, the smallest the platform
takes), kept when the cascade judges their blur (no FA001 or FA002 on the sharp version), then blurred here at several strengths: Gaussian (sigma in px), motion (a line of
n px at a seeded angle) and defocus (a disc of radius r px), all in pixels of the resized
photo. Each version goes through the real engine (``verify`` with the face rules selected)
and counts as caught when FA008 (blur) flags it, as a warning or an error. Strength 0 is the
sharp photo itself: its flag rate is the false-alarm rate. The labelled blurred photos, at the
same size, are scored too. Photos are read in place, never copied.
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
SHARED = ROOT.parent / "shared"
SETS = [SHARED / "photos", SHARED / "photos-large"]
SEED = 20261201
STRENGTHS = {"gauss": [0.5, 1.0, 1.5, 2.0, 3.0], "motion": [3, 5, 7, 9, 13], "defocus": [1, 1.5, 2, 3, 4]}
UNITS = {"gauss": "sigma px", "motion": "length px", "defocus": "radius px"}
PLATFORM = (295, 413)


def blur(img, kind: str, strength: float, rng: np.random.Generator):
    """``img`` (PIL RGB) blurred by ``kind`` at ``strength`` px."""
    import cv2
    from PIL import Image

    a = np.asarray(img)
    if kind == "gauss":
        return Image.fromarray(cv2.GaussianBlur(a, (0, 0), strength))
    if kind == "motion":
        n = int(strength) | 1
        k = np.zeros((n, n), np.float32)
        k[n // 2, :] = 1.0
        rot = cv2.getRotationMatrix2D((n / 2 - 0.5, n / 2 - 0.5), float(rng.uniform(0, 180)), 1.0)
        k = cv2.warpAffine(k, rot, (n, n))
        return Image.fromarray(cv2.filter2D(a, -1, k / k.sum()))
    if kind == "defocus":
        r = int(np.ceil(strength))
        yy, xx = np.mgrid[-r:r + 1, -r:r + 1]
        k = (np.hypot(yy, xx) <= strength + 0.5).astype(np.float32)   # a disc, fractional radii allowed
        return Image.fromarray(cv2.filter2D(a, -1, k / k.sum()))
    raise ValueError(kind)


def platform_size(img, width: int):
    """``img`` as the applicant would upload it: cut to the ID photo's proportions (295:413,
    centred) when it is wider, then scaled to ``width`` px wide."""
    from PIL import Image

    w = min(img.width, round(img.height * PLATFORM[0] / PLATFORM[1]))
    x0 = (img.width - w) // 2
    img = img.crop((x0, 0, x0 + w, img.height))
    return img.resize((width, round(img.height * width / w)), Image.LANCZOS)


def pick(n: int) -> tuple[list[tuple[Path, dict]], list[tuple[Path, dict]]]:
    """(sharp photos to blur, labelled blurred photos), each ≥ 295x413 with one frontal face."""
    from PIL import Image

    sharp, blurred = [], []
    for folder in SETS:
        labels = folder / "labels.csv"
        if not labels.is_file():
            continue
        for row in csv.DictReader(labels.open(encoding="utf-8")):
            if row["faces"].strip() != "1" or row["frontal"] != "yes":
                continue
            path = folder / "img" / row["file"]
            with Image.open(path) as im:
                if im.width < PLATFORM[0] or im.height < PLATFORM[0]:
                    continue
            if row["blurred"] == "no" and row["glasses"] != "sunglasses":
                sharp.append((path, row))
            elif row["blurred"] == "yes":
                blurred.append((path, row))
    rng = np.random.default_rng(SEED)
    order = rng.permutation(len(sharp))[:n]
    return [sharp[i] for i in sorted(order)], blurred


def codes(img, folder: Path, ruleset: dict) -> set[str]:
    """The face rules that flag ``img`` (saved as a JPEG of quality 95, as a phone would)."""
    from photo_accuracy import flagged_codes

    path = folder / "photo.jpg"
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=95)
    path.write_bytes(buf.getvalue())
    return flagged_codes(path, ruleset)


def caught(img, folder: Path, ruleset: dict) -> bool:
    return "FA008" in codes(img, folder, ruleset)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=80, help="sharp photos to draw (seeded sample); those "
                        "the cascade stops before the blur check (FA001, FA002) are left out")
    parser.add_argument("--width", type=int, default=PLATFORM[0], help="platform width in px (295 by default)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    sharp, labelled = pick(args.photos)
    if not sharp:
        print(f"SKIP: no labelled photos under {SHARED}")
        return
    from PIL import Image

    from tjcheck.engine import load_ruleset

    ruleset = load_ruleset()
    rng = np.random.default_rng(SEED)
    out: dict = {"photos": len(sharp), "width": args.width, "curves": {}}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        # only photos whose sharp version the cascade lets FA008 judge: one face, facing the camera
        bases, flagged = [], 0
        for p, _ in sharp:
            b = platform_size(Image.open(p).convert("RGB"), args.width)
            found = codes(b, folder, ruleset)
            if not found & {"FA001", "FA002"}:
                bases.append(b)
                flagged += "FA008" in found
        out["photos"] = len(bases)
        out["sharp_flagged"] = round(flagged / len(bases), 3)
        for kind, strengths in STRENGTHS.items():
            out["curves"][kind] = {"unit": UNITS[kind], "recall": {}}
            for s in strengths:
                hits = sum(caught(blur(b, kind, s, rng), folder, ruleset) for b in bases)
                out["curves"][kind]["recall"][str(s)] = round(hits / len(bases), 3)
                if not args.json:
                    print(f"{kind:8s} {UNITS[kind]:10s} {s:>4}: recall {hits / len(bases):.2f}", flush=True)
        got = [caught(platform_size(Image.open(p).convert("RGB"), args.width), folder, ruleset) for p, _ in labelled]
        out["labelled_blurred"] = {"photos": len(labelled), "recall": round(sum(got) / len(got), 3) if got else None}
    if args.json:
        print(json.dumps(out))
        return
    print(f"sharp photos at {args.width} px wide flagged as blurred: {out['sharp_flagged']:.2f} of {out['photos']}")
    print(f"photos labelled blurred, at {args.width} px wide, caught: {out['labelled_blurred']['recall']} "
          f"of {len(labelled)}")


if __name__ == "__main__":
    main()
