#!/usr/bin/env python
"""Reproduce the measurements behind tjcheck.imaging.upscale.upscale_score.

    python bench/upscale_study.py [PHOTO_DIR] [--threshold 0.50] [--quick] [--workers N]
                                  [--other-kernels]

PHOTO_DIR defaults to ../shared/photos/img relative to the repository root (the real,
third-party photos are never copied into the repository; if the folder is absent the study
says so and exits 0).  labels.csv next to the folder, if present, is used to group photos
(CelebA-HQ, labelled blurred) and to print their notes.

What it prints, for the chosen threshold:
  1. the score of the shipped examples (../shared/examples-src, if present);
  2. false positives on the real photos as they are: every file that fires, with its
     score, size and note; the rate overall, on photos of at least 295x413, and without the
     CelebA-HQ images (made with 4x super-resolution, i.e. really enlarged) and the photos
     labelled blurred;
  3. false positives on honest resized copies (each photo's central 5:7 crop shrunk to
     413x579 and 295x413, JPEG q85);
  4. detection on synthetic enlargements: each photo's 5:7 crop shrunk to a small width,
     saved as JPEG q90 (the applicant's small photo), enlarged with BICUBIC / BILINEAR /
     LANCZOS and saved as JPEG q75 / q85 / q95, by factor, filter and quality;
     with --other-kernels (needs numpy) also with non-Pillow kernels (OpenCV-style cubic,
     Mitchell, B-spline, Lanczos-2/3, align-corners linear);
  5. the median time of upscale_score per photo.
Only Pillow is needed (numpy only for --other-kernels).
"""
from __future__ import annotations

import argparse
import csv
import io
import os
import random
import statistics
import sys
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from PIL import Image

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from tjcheck.imaging.upscale import upscale_score  # noqa: E402

FILTERS = {"BICUBIC": Image.BICUBIC, "BILINEAR": Image.BILINEAR, "LANCZOS": Image.LANCZOS}
QUALITIES = (75, 85, 95)
# (small source width, target width or "orig" = the crop's own size)
PLAN = [(100, 413), (150, 413), (200, 413), (230, 413), (275, 413), (318, 413),
        (150, 295), (220, 295), (150, "orig"), (200, "orig"), (250, "orig")]
REF_W = 413


def jpeg(im: Image.Image, q: int) -> Image.Image:
    b = io.BytesIO()
    im.save(b, "JPEG", quality=q)
    b.seek(0)
    out = Image.open(b)
    out.load()
    return out


def crop57(im: Image.Image) -> Image.Image:
    """Central 5:7 portrait crop (what an ID photo would be)."""
    w, h = im.size
    if w / h > 5 / 7:
        cw = round(h * 5 / 7)
        x = (w - cw) // 2
        return im.crop((x, 0, x + cw, h))
    ch = min(h, round(w * 7 / 5))
    y = (h - ch) // 2
    return im.crop((0, y, w, y + ch))


def size57(w: int) -> tuple[int, int]:
    return w, round(w * 7 / 5)


# --- optional non-Pillow resamplers (numpy), to check we did not just learn Pillow's kernels
def _np_kernels():
    import numpy as np

    def cubic(a):
        def k(x):
            x = np.abs(x)
            return np.where(x <= 1, (a + 2) * x**3 - (a + 3) * x**2 + 1,
                            np.where(x < 2, a * x**3 - 5 * a * x**2 + 8 * a * x - 4 * a, 0))
        return k, 2

    def bc(B, C):
        def k(x):
            x = np.abs(x)
            p1 = ((12 - 9 * B - 6 * C) * x**3 + (-18 + 12 * B + 6 * C) * x**2 + (6 - 2 * B)) / 6
            p2 = ((-B - 6 * C) * x**3 + (6 * B + 30 * C) * x**2 + (-12 * B - 48 * C) * x
                  + (8 * B + 24 * C)) / 6
            return np.where(x < 1, p1, np.where(x < 2, p2, 0))
        return k, 2

    def lanczos(a):
        return (lambda x: np.where(np.abs(x) < a, np.sinc(x) * np.sinc(x / a), 0)), a

    return {"cubic-0.75": (cubic(-0.75), False), "mitchell": (bc(1 / 3, 1 / 3), False),
            "bspline": (bc(1, 0), False), "lanczos2": (lanczos(2), False),
            "lanczos3": (lanczos(3), False),
            "linear-ac": (((lambda x: np.maximum(0, 1 - np.abs(x))), 1), True)}


def np_resize(im: Image.Image, size, name: str) -> Image.Image:
    import numpy as np
    (k, sup), align = _np_kernels()[name]

    def mat(n, m):
        y = np.arange(m)
        x = y * (n - 1) / (m - 1) if align else (y + 0.5) * n / m - 0.5
        base = np.floor(x).astype(int)
        M = np.zeros((m, n))
        for o in range(-sup + 1, sup + 1):
            idx = base + o
            M[y, np.clip(idx, 0, n - 1)] += k(x - idx)
        return M / M.sum(1, keepdims=True)

    a = np.asarray(im, dtype=np.float64)
    out = np.einsum("ij,jkc->ikc", mat(a.shape[0], size[1]), a)
    out = np.einsum("ij,kjc->kic", mat(a.shape[1], size[0]), out)
    return Image.fromarray(np.clip(np.round(out), 0, 255).astype(np.uint8))


def work(args):
    """All measurements derived from one photo."""
    path, quick, other = args
    name = os.path.basename(path)
    rnd = random.Random(name)
    recs = []
    im = Image.open(path)
    im.load()
    im = im.convert("RGB")
    s = upscale_score(im)
    recs.append(dict(kind="real", name=name, size=im.size, score=s))
    c = crop57(im)
    for tw in (413, 295):
        if c.size[0] >= tw:
            recs.append(dict(kind="neg%d" % tw, name=name, score=upscale_score(
                jpeg(c.resize(size57(tw), Image.LANCZOS), 85))))
    if c.size[0] < REF_W:
        return recs  # too small to make an honest "small source" from it
    for w, tw in PLAN:
        small = jpeg(c.resize(size57(w), Image.LANCZOS), 90)
        tsize = c.size if tw == "orig" else size57(tw)
        combos = [(f, q) for f in FILTERS for q in QUALITIES]
        if quick:
            combos = [rnd.choice(combos)]
        for f, q in combos:
            big = jpeg(small.resize(tsize, FILTERS[f]), q)
            recs.append(dict(kind="pos", name=name, w=w, target=tw, tsize=tsize, filt=f, q=q,
                             score=upscale_score(big)))
        if other and tw != "orig" and w != 318:
            kn = rnd.choice(sorted(_np_kernels()))
            q = rnd.choice(QUALITIES)
            big = jpeg(np_resize(small, tsize, kn), q)
            recs.append(dict(kind="pos_np", name=name, w=w, target=tw, tsize=tsize, filt=kn, q=q,
                             score=upscale_score(big)))
    return recs


def load_labels(photo_dir: Path) -> dict:
    p = photo_dir.parent / "labels.csv"
    if not p.exists():
        return {}
    with open(p, newline="", encoding="utf-8") as fh:
        return {r["file"]: r for r in csv.DictReader(fh)}


def group_of(name: str, labels: dict) -> str:
    r = labels.get(name)
    if not r:
        return "other"
    text = (r.get("notes", "") + " " + r.get("license", "")).lower()
    if r.get("blurred") in ("yes", "unsure") or "synthetic_blur" in text:
        return "blurred"
    if "celeba" in text:
        return "celeba-hq"
    return "other"


def pct(k: int, n: int) -> str:
    return f"{k}/{n} = {100.0 * k / n:.1f}%" if n else "n/a"


def timing_synthetic() -> list[str]:
    """Median time of upscale_score on a 413x579 and a 1200x1700 RGB image."""
    out = []
    base = Image.effect_mandelbrot((413, 579), (-2, -1.2, 1, 1.2), 60).convert("RGB")
    for size in ((413, 579), (1200, 1700), (4000, 3000)):
        im = base.resize(size, Image.BICUBIC)
        upscale_score(im)
        ts = []
        for _ in range(15):
            t = time.perf_counter()
            upscale_score(im)
            ts.append(time.perf_counter() - t)
        out.append(f"{size[0]}x{size[1]}: {1e3 * statistics.median(ts):.1f} ms")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("photo_dir", nargs="?", default=str(REPO.parent / "shared" / "photos" / "img"))
    ap.add_argument("--threshold", type=float, default=0.50)
    ap.add_argument("--examples", default=str(REPO.parent / "shared" / "examples-src"))
    ap.add_argument("--quick", action="store_true", help="one random filter/quality per case")
    ap.add_argument("--other-kernels", action="store_true", help="also non-Pillow kernels (numpy)")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    a = ap.parse_args()
    thr = a.threshold
    photo_dir = Path(a.photo_dir)
    paths = sorted(str(p) for p in photo_dir.glob("*.jpg")) if photo_dir.is_dir() else []
    if not paths:
        print(f"SKIP: no photos in {photo_dir} (the real photos live outside the repository, "
              "in ../shared/photos/img); nothing measured.")
        return 0
    labels = load_labels(photo_dir)
    print(f"threshold: warn when upscale_score >= {thr:.2f}\n")

    ex = Path(a.examples)
    if ex.is_dir():
        print("shipped examples:")
        for p in sorted(ex.glob("*.jpg")):
            im = Image.open(p)
            s = upscale_score(im.convert("RGB"))
            print(f"  {p.name:26s} {im.size[0]}x{im.size[1]}  score {s:.3f}  {'FIRES' if s >= thr else 'ok'}")
        print()

    t0 = time.time()
    jobs = [(p, a.quick, a.other_kernels) for p in paths]
    if a.workers > 1:
        with ProcessPoolExecutor(a.workers) as ex_:
            recs = [r for rs in ex_.map(work, jobs, chunksize=2) for r in rs]
    else:
        recs = [r for j in jobs for r in work(j)]

    # ---- real photos as they are
    real = [r for r in recs if r["kind"] == "real"]
    fired = sorted((r for r in real if r["score"] >= thr), key=lambda r: -r["score"])
    big_enough = [r for r in real if r["size"][0] >= 295 and r["size"][1] >= 413]
    print(f"REAL PHOTOS ({len(real)} in {photo_dir}) - false positives:")
    print(f"  all photos ........................... {pct(len(fired), len(real))}")
    print(f"  photos >= 295x413 (rule applies) ..... "
          f"{pct(sum(r['score'] >= thr for r in big_enough), len(big_enough))}")
    if labels:
        for desc, keep in (("without CelebA-HQ", lambda g: g != "celeba-hq"),
                           ("without CelebA-HQ and blurred", lambda g: g == "other")):
            sel = [r for r in real if keep(group_of(r["name"], labels))]
            sel2 = [r for r in sel if r["size"][0] >= 295 and r["size"][1] >= 413]
            print(f"  {desc:36s} {pct(sum(r['score'] >= thr for r in sel), len(sel))};"
                  f" >= 295x413: {pct(sum(r['score'] >= thr for r in sel2), len(sel2))}")
        cel = [r for r in real if group_of(r["name"], labels) == "celeba-hq"]
        if cel:
            print(f"  CelebA-HQ alone (4x super-resolved, i.e. really enlarged): "
                  f"{pct(sum(r['score'] >= thr for r in cel), len(cel))} flagged")
    print("  files that fire (CelebA-HQ listed only by count above):")
    for r in fired:
        g = group_of(r["name"], labels)
        if g == "celeba-hq":
            continue
        note = labels.get(r["name"], {}).get("notes", "")[:70]
        print(f"    {r['score']:.3f}  {r['name']:12s} {r['size'][0]}x{r['size'][1]:<5d} [{g}] {note}")
    scores = sorted(r["score"] for r in real if group_of(r["name"], labels) == "other")
    if scores:
        q = lambda f: scores[min(len(scores) - 1, int(f * len(scores)))]
        print(f"  score quantiles (photos not CelebA-HQ/blurred): median {q(.5):.2f}, 90% {q(.9):.2f},"
              f" 95% {q(.95):.2f}, 98% {q(.98):.2f}, max {scores[-1]:.2f}")
    print()

    print("HONEST RESIZED COPIES (central 5:7 crop shrunk, JPEG q85) - false positives:")
    for k in ("neg413", "neg295"):
        sel = [r for r in recs if r["kind"] == k]
        names = ", ".join(sorted(r["name"] for r in sel if r["score"] >= thr))
        print(f"  shrunk to {k[3:]} px wide: {pct(sum(r['score'] >= thr for r in sel), len(sel))}  {names}")
    print()

    # ---- synthetic enlargements
    pos = [r for r in recs if r["kind"] == "pos"]
    print(f"SYNTHETIC ENLARGEMENTS ({len({r['name'] for r in pos})} source photos) - detection rate:")
    print("  'eff.' = enlargement factor seen at the working scale (the image is first shrunk to"
          " 413 px wide if larger)")
    hdr = "  source -> size           nominal eff. |  all  | " + " ".join(
        f"{f[:4]}{q}" for f in FILTERS for q in QUALITIES)
    print(hdr)
    by = defaultdict(list)
    for r in pos:
        by[(r["w"], r["target"])].append(r)
    for w, tw in PLAN:
        rs = by.get((w, tw), [])
        if not rs:
            continue
        nominal = statistics.median(r["tsize"][0] / w for r in rs)
        eff = min(nominal, REF_W / w)
        cells = []
        for f in FILTERS:
            for q in QUALITIES:
                sel = [r for r in rs if r["filt"] == f and r["q"] == q]
                cells.append(f"{100 * sum(r['score'] >= thr for r in sel) / len(sel):5.0f}%" if sel else "   -  ")
        tgt = f"{tw}x{round(tw * 1.4)}" if tw != "orig" else "orig.size"
        det = sum(r["score"] >= thr for r in rs) / len(rs)
        print(f"  {w:3d}px -> {tgt:14s} {nominal:5.2f}x {eff:4.2f}x | {100 * det:4.0f}% | " + " ".join(cells))
    ge18 = [r for r in pos if min(r["tsize"][0] / r["w"], REF_W / r["w"]) >= 1.8 - 1e-9]
    print(f"  all cases with eff. factor >= 1.8x: {pct(sum(r['score'] >= thr for r in ge18), len(ge18))}")
    pnp = [r for r in recs if r["kind"] == "pos_np"]
    if pnp:
        print("\n  non-Pillow kernels (random kernel and quality per case):")
        byk = defaultdict(list)
        for r in pnp:
            byk[(r["w"], r["target"])].append(r)
        for (w, tw), rs in sorted(byk.items(), key=lambda kv: (kv[0][1], kv[0][0])):
            per = defaultdict(list)
            for r in rs:
                per[r["filt"]].append(r["score"] >= thr)
            detail = " ".join(f"{k}:{sum(v)}/{len(v)}" for k, v in sorted(per.items()))
            print(f"  {w:3d}px -> {tw}  {tw / w:4.2f}x  {pct(sum(r['score'] >= thr for r in rs), len(rs))}   {detail}")
    print()

    print("THRESHOLD SWEEP (FP on real photos >= 295x413; detection by factor at the working scale):")
    print("  thr  | FP all | FP w/o CelebA-HQ | FP w/o CelebA-HQ+blurred | honest 413/295 copies"
          " w/o CelebA-HQ+blurred | det >=1.8x | 1.5-1.7x | 1.3-1.35x")
    rb = [r for r in big_enough]
    neg = [r for r in recs if r["kind"] in ("neg413", "neg295") and group_of(r["name"], labels) == "other"]
    eff = lambda r: min(r["tsize"][0] / r["w"], REF_W / r["w"])
    bands_ = ((1.8, 99), (1.5, 1.75), (1.29, 1.36))
    for t in sorted({0.45, 0.50, 0.55, 0.60, thr}):
        fp = lambda sel: f"{100 * sum(r['score'] >= t for r in sel) / max(1, len(sel)):5.1f}%"
        dets = []
        for lo, hi in bands_:
            sel = [r for r in pos if lo - 1e-9 <= eff(r) < hi]
            dets.append(fp(sel))
        print(f"  {t:.2f} | {fp(rb)} | {fp([r for r in rb if group_of(r['name'], labels) != 'celeba-hq'])}"
              f"           | {fp([r for r in rb if group_of(r['name'], labels) == 'other'])}"
              f"                   | {fp(neg)}                                  | "
              + " | ".join(dets))
    print()

    # timing: sequentially in this process, decoded images, score only
    ms = []
    for p in paths:
        im = Image.open(p)
        im.load()
        im = im.convert("RGB")
        t = time.perf_counter()
        upscale_score(im)
        ms.append((time.perf_counter() - t) * 1e3)
    print(f"TIME per real photo (upscale_score only, image already decoded, one process; sizes "
          f"{min(r['size'][0] for r in real)}-{max(r['size'][0] for r in real)} px wide): "
          f"median {statistics.median(ms):.1f} ms, max {max(ms):.1f} ms")
    print("TIME synthetic sizes (this process): " + ", ".join(timing_synthetic()))
    print(f"\n(total {time.time() - t0:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
