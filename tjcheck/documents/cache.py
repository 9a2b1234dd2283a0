"""The text read on each document, kept between runs so that an unchanged document is not read again.

Keyed by a hash of the decoded pixels and the reader's settings; each entry holds only the
lines of text, their boxes and confidences, or a page's small measures (seal found, legibility
figures), never an image. The folder is the user's own cache
folder (``TJCHECK_CACHE_DIR`` to choose another), made owner-only; ``TJCHECK_NO_CACHE=1`` (the
``--no-cache`` option) switches it off, ``tjcheck cache --clear`` empties it. Nothing leaves the
machine.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

VERSION = "ocr-v2"      # bump when the reader's settings change what is read


def folder() -> Path:
    """Where the cache lives: TJCHECK_CACHE_DIR, else the system's per-user cache folder."""
    if os.environ.get("TJCHECK_CACHE_DIR"):
        base = Path(os.environ["TJCHECK_CACHE_DIR"])
    elif sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / "tjcheck" / "Cache"
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches" / "tjcheck"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "tjcheck"
    return base / VERSION


def enabled() -> bool:
    return os.environ.get("TJCHECK_NO_CACHE", "") in ("", "0")


def load(key: str):
    """The cached lines (or measures) for ``key``, or None (absent, switched off, unreadable: read again)."""
    if not enabled():
        return None
    try:
        data = json.loads((folder() / f"{key}.json").read_text(encoding="utf-8"))
        return data["lines"] if data.get("version") == VERSION else None
    except (OSError, ValueError, KeyError, TypeError):
        return None


def store(key: str, lines) -> None:
    """Keep ``lines`` (or a page's measures) under ``key``: written owner-only to a temporary file, then renamed. A
    cache that cannot be written is skipped silently: it only saves time."""
    if not enabled():
        return
    try:
        where = folder()
        where.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = where / f".{key}.{os.getpid()}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump({"version": VERSION, "lines": lines}, out, ensure_ascii=False)
        os.replace(tmp, where / f"{key}.json")
    except OSError:
        pass


def clear() -> int:
    """Remove every cached entry; the number removed."""
    n = 0
    where = folder()
    if where.is_dir():
        for entry in where.glob("*.json"):
            try:
                entry.unlink()
                n += 1
            except OSError:
                pass
    return n
