"""Writing new files so that an interrupted run never leaves half a file.

Every file tjcheck writes (a profile, a merged or fixed image, a report) is first written
to a temporary file beside its target and then renamed into place in one step.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable


def temporary_beside(target: Path) -> tuple[int, str]:
    """An open temporary file in ``target``'s folder, hidden, with the mode a normal file
    gets (mkstemp's 0600 would hide a report or a profile from the user's other tools)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(tmp, 0o666 & ~mask)
    return fd, tmp


def write_atomic(target: Path, data: bytes, check: Callable[[Path], None] | None = None) -> None:
    """Write ``data`` to ``target`` through a temporary file and a rename. ``check`` may
    inspect the finished temporary file and raise to stop the rename; on any failure the
    temporary file is removed and ``target`` is left as it was."""
    fd, tmp = temporary_beside(target)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        if check is not None:
            check(Path(tmp))
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
