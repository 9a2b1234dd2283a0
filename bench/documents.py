#!/usr/bin/env python3
"""How well tjcheck reads documents: kind, fields and seal, on a labelled folder of images.

    python bench/documents.py --images DIR --labels CSV [--json] [--cache] [--turn DEGREES]

The CSV has the columns ``file,kind,name,id_number,valid_until,cert_no,seal``: kind one of
id_front, id_back, diploma, degree, title_cert, work_proof, residence_permit, study_proof,
other; valid_until YYYY-MM-DD or 长期; seal yes/no; empty where not applicable. Each image goes
through what ``tjcheck verify`` does with an upload: tjcheck's image reader (size limits, EXIF
orientation), the OCR (tjcheck[ocr]) read the right way up (tjcheck/documents/orientation.py:
a page that reads as garbage is read turned), the kind from the ruleset's keywords (kinds the contract
does not name, such as a business licence, count as ``other``), the fields read for the kind
recognised (tjcheck/documents/fields.py) and the seal detector (tjcheck/documents/seal.py).

A field is correct when the value read equals the label after removing spaces; ``total``
counts the documents whose label has that field. The seal figures count the documents
labelled yes or no. ``seconds_per_document`` is the wall time per document from the file's
bytes to the last field, the OCR engine's one-off start excluded; the OCR cache is off unless
``--cache``. Without ``--json``, the misses are listed under the summary.

``--turn 90|180|270`` turns every image by that angle (counter-clockwise) before reading it, as
an upload the wrong way up; the JSON then also has ``turn_accuracy``: the share of the documents
labelled with a kind (not ``other``: a page is only turned when a document is recognised on it,
``turn_documents`` of them) found to need turning back by exactly that angle (what DC014 reports).
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

KINDS = ("id_front", "id_back", "diploma", "degree", "title_cert", "work_proof", "residence_permit",
         "study_proof", "other")
FIELDS = ("name", "id_number", "valid_until", "cert_no")


def _clean(value: str | None) -> str:
    return "".join((value or "").split())


def _load(path: Path, limits: dict):
    from tjcheck.imaging.reader import ImageReader

    info = ImageReader(limits).get(path.parent, path.name)
    return info.image


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--images", required=True, type=Path)
    ap.add_argument("--labels", required=True, type=Path)
    ap.add_argument("--json", action="store_true", help="print only the JSON object")
    ap.add_argument("--cache", action="store_true", help="use tjcheck's OCR cache (default: read every image)")
    ap.add_argument("--turn", type=int, choices=(0, 90, 180, 270), default=0,
                    help="turn every image by this many degrees counter-clockwise first")
    args = ap.parse_args(argv)
    if not args.cache:
        os.environ["TJCHECK_NO_CACHE"] = "1"

    from tjcheck.documents import fields, ocr, orientation, seal
    from tjcheck.documents import text as doctext
    from tjcheck.engine import load_ruleset

    rs = load_ruleset()
    kinds = rs["documents"]["kinds"]
    try:
        with args.labels.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except OSError as exc:
        print(f"documents: cannot read {args.labels}: {exc}", file=sys.stderr)
        return 2
    missing = {"file", "kind"} - set(rows[0] if rows else {})
    if missing:
        print(f"documents: {args.labels} lacks the column(s) {', '.join(sorted(missing))}", file=sys.stderr)
        return 2
    ocr.engine()                         # the one-off start, not counted per document
    kind_ok = 0
    got = {f: [0, 0] for f in FIELDS}
    tp = fp = fn = positives = 0
    misses: list[str] = []
    seconds = 0.0
    turned_ok = turn_total = 0
    for row in rows:
        start = time.perf_counter()
        image = _load(args.images / row["file"], rs["attachments"])
        kind, read, sealed = None, {}, None
        if image is not None:
            image = ocr.upright(image)
            if args.turn:
                image = image.rotate(args.turn, expand=True)
            image, page, turn = orientation.read_upright(image, ocr.digest(image), kinds,   # verify's cache key
                                                         rs["documents"]["orientation"])
            if _clean(row["kind"]) != "other":     # a turn is only found on a page of a known kind
                turn_total += 1
                turned_ok += turn == (360 - args.turn) % 360
            if turn != (360 - args.turn) % 360:
                misses.append(f"turn  {row['file']}: found to need {turn}° (counter-clockwise)")
            found = doctext.classify(page.texts, kinds)
            kind = found.name if found else None
            read = fields.read_all(page.lines, kind)
            if _clean(row.get("seal")):
                sealed = seal.find_seal(image) is not None
        seconds += time.perf_counter() - start
        shown = kind if kind in KINDS else "other"
        if shown == _clean(row["kind"]):
            kind_ok += 1
        else:
            misses.append(f"kind  {row['file']}: {row['kind']} read as {kind}")
        for f in FIELDS:
            want = _clean(row.get(f)).upper()
            if not want:
                continue
            got[f][1] += 1
            value = _clean(read[f].value).upper() if read.get(f) else ""
            if value == want:
                got[f][0] += 1
            else:
                misses.append(f"{f:<5} {row['file']}: {want} read as {value or '—'}")
        label = _clean(row.get("seal")).lower()
        if label in ("yes", "no"):
            positives += label == "yes"
            if sealed and label == "yes":
                tp += 1
            elif sealed:
                fp += 1
                misses.append(f"seal  {row['file']}: a seal found where none is")
            elif label == "yes":
                fn += 1
                misses.append(f"seal  {row['file']}: the seal was not found")
    n = len(rows)
    result = {"documents": n, "kind_accuracy": round(kind_ok / n, 4) if n else 0.0,
              "fields": {f: {"correct": c, "total": t} for f, (c, t) in got.items()},
              "seal": {"precision": round(tp / (tp + fp), 4) if tp + fp else 0.0,
                       "recall": round(tp / (tp + fn), 4) if tp + fn else 0.0, "positives": positives},
              "seconds_per_document": round(seconds / n, 3) if n else 0.0}
    if args.turn:
        result["turn_accuracy"] = round(turned_ok / turn_total, 4) if turn_total else 0.0
        result["turn_documents"] = turn_total
    print(json.dumps(result, ensure_ascii=False))
    if not args.json:
        for f, (c, t) in got.items():
            print(f"{f:<12} {c}/{t}" + (f" = {c / t:.3f}" if t else ""))
        print(*misses, sep="\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
