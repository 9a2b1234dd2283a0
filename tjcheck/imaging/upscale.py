"""Does this photo look enlarged from a smaller one?  (Pillow only, no numpy.)

Why it works
------------
Enlarging an image by a factor s > 1 cannot invent detail: whatever resampling filter is
used (bicubic, bilinear, Lanczos, Mitchell, ...), the result has almost no energy between
1/s of the new Nyquist frequency and the Nyquist frequency itself, only the faint leakage of
the filter and the JPEG/rounding noise.  A native photo (taken at, or shrunk down to, its
size) has detail that fades smoothly up to the finest scale.

So we split the picture into frequency bands with a small Laplacian-style pyramid
(shrink by 0.7, enlarge back, keep the difference: that is the detail lost by the shrink,
i.e. the brief's ``err_f``, taken band by band) and look at how the amount of detail
changes from one band to the next finer one:

    B_i   = mean |g_i - enlarge(shrink(g_i, 0.7))|   g_0 = the photo, g_{i+1} = shrink(g_i)
    d_i   = ln(B_{i+1} / B_i)                        (i = 0 .. 3)
    score = max_i d_i

On a native photo the finer band has only a little less detail than the next coarser one
(d_i ~ 0.0-0.35).  On an enlarged photo there is a "cliff" at the band holding 1/s of the
Nyquist frequency: the finer band is nearly empty and one d_i jumps to ~0.5-1.0.  Taking
the maximum over the four band pairs finds the cliff whatever the factor (about 1.4x to 5x
at the working scale).  Mean absolute values are ratios of the image with itself, so the
score does not depend on contrast, brightness or how much plain background there is (only
the central 75 % x 75 % of the frame is measured; that is where the face is).

Scale of the score
------------------
A natural logarithm of a detail ratio (dimensionless; can be slightly negative on noisy
images).  0.3 means "the finer band holds e^-0.3 = 74 % of the detail of the next coarser
one" (normal); 0.7 means "only 50 %" (enlarged).  Measured by bench/upscale_study.py on the
257 real photos of ../shared/photos and on synthetic enlargements of them:

    sharp native photos .................. median 0.25, 90 % below 0.38
    shipped example photo_white_bg.jpg ... 0.45   (photo_blue_bg_bangs 0.46, photo_street_bg 0.31)
    enlarged 1.8x - 4x (bicubic, bilinear, Lanczos, Mitchell, B-spline ...; JPEG q75-95)
                                           median 0.6-0.7, 98 % above 0.50
    enlarged 1.5x ........................ median 0.55 (about 2/3 detected)
    enlarged 1.3x ........................ median 0.48 (under half detected)

Threshold (kept in the ruleset; this function takes none)
---------------------------------------------------------
Recommended: warn when ``upscale_score(img) >= 0.50``.  With it the study finds: 99 % of
enlargements by >= 1.8x detected (>= 93 % in every filter/JPEG-quality cell), 68 % at 1.5x,
~45 % at 1.3x; false alarms on 2 of 147 real photos >= 295x413 that are neither CelebA-HQ
nor labelled blurred (both visibly soft, probably enlarged themselves), on ~80 % of the
CelebA-HQ images (which *were* made with a 4x super-resolution network) and on Gaussian-
blurred photos.  0.55 is the conservative choice (fewer false alarms, ~97 % at >= 1.8x,
~64 % at 1.5-1.7x); 0.45 would put the shipped white-background example on the edge.
Soft photos (defocus, motion blur, heavy beautify filters, scans of prints) score high
too: the warning is then right in spirit ("little fine detail") but not about the cause.

Scale normalisation (the image may be much larger than the minimum)
-------------------------------------------------------------------
A resize changes exactly what we measure, so it is done deliberately: the photo is shrunk
(never enlarged) so that it just covers the reference size 413x579 (the typical submitted
size; width 413 for a 5:7 portrait).  Shrinking by k turns an enlargement by s into one by
s*k, and a source of width w enlarged to any size W >= 413 ends up enlarged by 413/w at the
working scale: >= 1.8x for every source <= 230 px wide, which is what we want to catch.  A
big native photo becomes a sharp 413-px photo (no false alarm), and a big photo enlarged
from, say, 700 px is *not* flagged, rightly, since it has more detail than the minimum needs.
Images smaller than the reference are measured as they are (295x413 stays 295x413).  This
also bounds the cost: ~5 ms at 413x579, ~28 ms at 1200x1700, ~45 ms at 4000x3000 (most of
it the initial shrink; one CPU core of the development machine).

What it does not see
--------------------
- "AI" super-resolution (Real-ESRGAN, Topaz, phone "enhance") invents plausible detail; a
  good one will pass.  (The 2017 GAN used to build CelebA-HQ does not hide it: ~80 % of
  those images score >= 0.50.)
- Nearest-neighbour enlargement (blocky pixels; Pillow's NEAREST and BOX) keeps its energy
  at high frequencies: 1 in 60 detected in the study.  A duplicated-column test was tried
  and dropped: JPEG q75 smears the duplicates until natives and enlargements overlap.
  Pillow's HAMMING filter (a very short kernel) is caught only ~40 % of the time at 1.8x.
- Enlargements by less than ~1.5x are only partly detected (their missing band is thin).
- A genuinely soft native photo looks the same as an enlarged one (see above).
"""
from __future__ import annotations

import math

from PIL import Image, ImageMath

# Reference size the image is brought down to (never up) before measuring.
REF_W, REF_H = 413, 579

# Pyramid: shrink factor between levels, number of bands, measured window (fractions of
# width/height), pixels dropped at the window border (resampling edge effects).
_RATIO = 0.7
_LEVELS = 5
_BOX = (0.125, 0.125, 0.875, 0.875)
_MARGIN = 3


def _absdiff(x: Image.Image, y: Image.Image) -> Image.Image:
    """|x - y| of two float images (ImageChops only handles 8-bit modes)."""
    if hasattr(ImageMath, "lambda_eval"):  # Pillow >= 10.3
        return ImageMath.lambda_eval(lambda a: abs(a["x"] - a["y"]), x=x, y=y)
    return ImageMath.eval("abs(x - y)", x=x, y=y)  # older Pillow


def _working_gray(img: Image.Image) -> Image.Image:
    """Grayscale copy shrunk (if needed) so that it just covers REF_W x REF_H."""
    g = img if img.mode == "L" else img.convert("L")  # convert first: resizing 1 band is 3x cheaper
    w, h = g.size
    s = min(w / REF_W, h / REF_H)
    if s > 1.0:
        tw, th = max(1, round(w / s)), max(1, round(h / s))
        # Lanczos for the last step keeps the result sharp up to its Nyquist frequency, as a
        # native photo of that size would be.  For very large inputs a fast integer box
        # reduction first (leaving a factor >= 2 for Lanczos) keeps it fast; the box only
        # touches frequencies far above the final Nyquist.
        k = int(s // 2)
        if k >= 2:
            g = g.reduce(k)
        g = g.resize((tw, th), Image.LANCZOS)
    return g


def _mean(f: Image.Image) -> float:
    """Mean of a float ('F') image: a box resize to 1x1 averages every pixel."""
    return f.resize((1, 1), Image.BOX).getpixel((0, 0))


def band_details(img: Image.Image) -> list[float]:
    """Mean absolute detail B_0..B_{_LEVELS-1}, finest band first (exposed for the study)."""
    g = _working_gray(img)
    w, h = g.size
    cur = g.crop((round(w * _BOX[0]), round(h * _BOX[1]),
                  round(w * _BOX[2]), round(h * _BOX[3]))).convert("F")  # float: no rounding noise
    out = []
    for _ in range(_LEVELS):
        w, h = cur.size
        if min(w, h) < 4 * _MARGIN + 2:
            break
        nxt = cur.resize((max(1, round(w * _RATIO)), max(1, round(h * _RATIO))), Image.LANCZOS)
        back = nxt.resize((w, h), Image.BICUBIC)
        diff = _absdiff(cur, back)
        out.append(_mean(diff.crop((_MARGIN, _MARGIN, w - _MARGIN, h - _MARGIN))))
        cur = nxt
    return out


def upscale_score(img: Image.Image) -> float:
    """How much the photo looks enlarged from a smaller one; higher = more likely.

    Returns max_i ln(B_{i+1}/B_i) over adjacent detail bands (see the module docstring):
    about 0.0-0.4 for sharp native photos, 0.5-1.0 for photos enlarged 1.8x or more.
    Recommended warning threshold: >= 0.50 (0.55 to be conservative).  Accepts an RGB or
    L image of any size (other modes are converted to L); returns 0.0 when there is no
    measurable detail at all (e.g. a flat image).
    """
    b = band_details(img)
    eps = 1e-3  # grey levels; a perfectly flat image has no detail in any band
    drops = [math.log((b[i + 1] + eps) / (b[i] + eps)) for i in range(len(b) - 1)]
    if not drops or max(b) < 0.05:
        return 0.0
    return max(drops)
