"""Which way up a document is: read it as shown, and turned when it reads as garbage.

The reader (ocr.py) runs without rapidocr's orientation classifier (it costs time on every page,
and uploads are nearly always upright). Instead a page on which no document is recognised, but
which carries lines of text read unsure, is read again turned by the ruleset's
``documents.orientation.turns`` (degrees counter-clockwise; an upside-down scan first), and the
first turn on which a document is recognised is kept. A page turned by 90 degrees clockwise
reads as it is (the reader turns lines taller than wide itself), but its rows of print are then
columns, so the shape of its boxes says it is sideways and it is read again turned.
"""
from __future__ import annotations

import statistics

from . import ocr
from . import text as doctext


def sideways(page: ocr.Page, share: float) -> bool:
    """Whether at least ``share`` of the characters read lie in boxes taller than wide (h > 1.5 w):
    a page turned by 90 degrees clockwise (the reader turns such lines counter-clockwise to read them)."""
    tall = total = 0
    for line in page.lines:
        n = len(doctext.normalise(line.text))
        if n < 2:
            continue
        xs, ys = [x for x, _ in line.box], [y for _, y in line.box]
        total += n
        if max(ys) - min(ys) > 1.5 * (max(xs) - min(xs)):
            tall += n
    return total > 0 and tall >= share * total


def read_upright(image, content: bytes | None, kinds: dict, spec: dict):
    """(image, page, turn): ``image`` read the right way up. As shown, if it reads so; when it
    reads as garbage, turned by the first of ``spec["turns"]`` on which a document of ``kinds`` is
    recognised; and when what was read lies sideways (the reader turned its lines to read them),
    read again turned a quarter more each way, and the better read kept, so that its rows of
    print are rows for the field readers.
    ``turn`` is the angle, counter-clockwise, that brings the image upright (0: as shown)."""
    shown, page, turn = image, ocr.read(image, content), 0
    known, confidence = _quality(page, kinds)
    if len(page.lines) >= spec["min_lines_to_turn"] and not known and confidence < spec["max_confidence_to_turn"]:
        for angle in spec["turns"]:
            turned, again = _read_turned(image, angle)
            if _quality(again, kinds)[0]:
                shown, page, turn, known = turned, again, angle, True
                break
    if sideways(page, spec["sideways_share"]):
        # which of the two quarter turns: the one that reads best (the reader's own turn of tall
        # lines reads a page turned clockwise, and one turned counter-clockwise upside down)
        angles = [(turn + extra) % 360 for extra in (90, 270)]
        reads = [(_quality(again, kinds), (turned, again, angle))
                 for angle in angles for turned, again in [_read_turned(image, angle)]]
        (best_known, _), best = max(reads, key=lambda r: r[0])    # the first of equals: 90 more
        if best_known or not known:            # rows beat columns, if it reads
            return best
        return shown, page, angles[0]
    return shown, page, turn


def _read_turned(image, angle: int):
    """(the image turned ``angle`` degrees counter-clockwise, the page read on it)."""
    turned = image.rotate(angle, expand=True)
    return turned, ocr.read(turned, ocr.digest(turned))


def _quality(page: ocr.Page, kinds: dict) -> tuple[bool, float]:
    """How well a page read: a document recognised on it first, then the median confidence."""
    return (doctext.classify(page.texts, kinds) is not None,
            statistics.median(line.score for line in page.lines) if page.lines else 0.0)
