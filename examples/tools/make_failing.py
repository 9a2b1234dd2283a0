#!/usr/bin/env python3
"""Make the broken images of examples/failing/ from the passing example's specimens.

Each file reproduces one typical upload mistake:
  photo.jpg          a PNG renamed to .jpg, and only 200×280 px
  id_back.pdf        the ID's emblem side saved as a PDF
  diploma.jpg        a thumbnail under 20 KB
  work_proof_1.jpg,  a two-page proof uploaded as two files instead of one merged image
  work_proof_2.jpg

Run from the repository root: .venv/bin/python examples/tools/make_failing.py [--force]
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from PIL import Image

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "passing" / "images"
OUT = HERE.parent / "failing" / "images"


def save(image: Image.Image, name: str, force: bool, **kw) -> None:
    target = OUT / name
    if target.exists() and not force:
        sys.exit(f"{target} exists; use --force to overwrite")
    fd, tmp = tempfile.mkstemp(dir=OUT, suffix=".tmp")
    os.close(fd)
    image.save(tmp, **kw)
    os.replace(tmp, target)
    print(f"{target.relative_to(HERE.parent)}  {image.size[0]}×{image.size[1]}  {target.stat().st_size} bytes")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="overwrite existing files")
    force = parser.parse_args().force
    OUT.mkdir(parents=True, exist_ok=True)
    photo = Image.open(SRC / "photo.jpg").convert("RGB").resize((200, 280), Image.LANCZOS)
    save(photo, "photo.jpg", force, format="PNG")
    save(Image.open(SRC / "id_back.jpg").convert("RGB"), "id_back.pdf", force, format="PDF", resolution=150)
    thumb = Image.open(SRC / "diploma.jpg").convert("RGB")
    thumb.thumbnail((280, 200))
    save(thumb, "diploma.jpg", force, format="JPEG", quality=60)
    proof = Image.open(SRC / "work_proof.jpg").convert("RGB")
    w, h = proof.size
    save(proof.crop((0, 0, w, h // 2)), "work_proof_1.jpg", force, format="JPEG", quality=80)
    save(proof.crop((0, h // 2, w, h)), "work_proof_2.jpg", force, format="JPEG", quality=80)


if __name__ == "__main__":
    main()
