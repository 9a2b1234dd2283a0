"""How readable a document image is to a reviewer: three measures over its lines of text.

- **height**: the median height of the text lines' boxes (the detector's box, a little taller
  than the characters), in the image's own pixels;
- **blur**: the median, over the lines, of the width of an ink edge (the line's contrast
  divided by its steepest brightness step, in px) relative to the line's height. Sharp print
  has edges 1–2 px wide whatever the text size; a blur as wide as a fifth of the text
  height smears the strokes together. Measured on the drawn specimens: 0.02–0.05 for clean
  scans and photos at an angle, up to 0.11 for slightly blurred small copies that still read,
  0.21 for a page blurred with σ = 4 px;
- **confidence**: the recogniser's median confidence over the lines.

Only lines of at least a few characters are measured. Limits live in the ruleset
(``documents.legibility``).
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass

MIN_CONTRAST = 30      # grey levels between paper and ink in a line's box; less is not text to measure


@dataclass(frozen=True)
class Legibility:
    height: float          # px
    blur: float | None     # edge width / line height; None when no line had contrast enough
    confidence: float
    lines: int


def line_height(line) -> float:
    """A line's height in image pixels: the shorter side of its box (upright or turned)."""
    (x0, y0), (x1, y1), _, (x3, y3) = line.box
    return min(((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5, ((x3 - x0) ** 2 + (y3 - y0) ** 2) ** 0.5)


def _edge_width(gray, line) -> float | None:
    import numpy as np

    xs, ys = [p[0] for p in line.box], [p[1] for p in line.box]
    x0, y0 = max(0, int(min(xs))), max(0, int(min(ys)))
    crop = gray[y0:int(max(ys)) + 1, x0:int(max(xs)) + 1]
    if crop.shape[0] < 3 or crop.shape[1] < 3:
        return None
    lo, hi = np.percentile(crop, (2, 98))
    if hi - lo < MIN_CONTRAST:
        return None
    step = max(np.percentile(np.abs(np.diff(crop, axis=1)), 99.5), np.percentile(np.abs(np.diff(crop, axis=0)), 99.5))
    return float((hi - lo) / max(step, 1e-6))


def measure(image, lines, min_chars: int) -> Legibility | None:
    """The three measures over the lines of at least ``min_chars`` characters; None without any."""
    import numpy as np

    from .text import normalise

    lines = [line for line in lines if len(normalise(line.text)) >= min_chars]
    if not lines:
        return None
    gray = np.asarray(image.convert("L"), dtype=np.float32)
    ratios = []
    for line in lines:
        width = _edge_width(gray, line)
        if width is not None:
            ratios.append(width / max(line_height(line), 1.0))
    return Legibility(statistics.median(line_height(line) for line in lines),
                      statistics.median(ratios) if ratios else None,
                      statistics.median(line.score for line in lines), len(lines))
