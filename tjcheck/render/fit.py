"""Fitting a table into the terminal's width: columns give way in a set order, and a cell
that is too long is shortened to one line (the full text is in the report).

Widths are cells (rich.cells.cell_len): a Chinese character takes two.
"""
from __future__ import annotations

from rich.cells import cell_len, get_character_cell_size

ELLIPSIS = "…"


def give_way(natural: list[int], steps: list[tuple[int, int]], available: int) -> list[int] | None:
    """Column widths that sum to at most ``available``: every column starts at its natural
    width; then, in the order of ``steps``, column ``i`` shrinks down to ``floor`` (only as
    far as needed). None when even the last step leaves the sum too wide."""
    widths = list(natural)
    excess = sum(widths) - available
    for i, floor in steps:
        if excess <= 0:
            break
        cut = min(excess, max(widths[i] - floor, 0))
        widths[i] -= cut
        excess -= cut
    return widths if excess <= 0 else None


def keep_end(text: str, width: int) -> str:
    """``text`` in at most ``width`` cells, cut at the start: for a path, whose end (the
    file's or the person's own name) says most."""
    if cell_len(text) <= width:
        return text
    kept, used = [], cell_len(ELLIPSIS)
    for ch in reversed(text):
        size = get_character_cell_size(ch)
        if used + size > width:
            break
        kept.append(ch)
        used += size
    return ELLIPSIS + "".join(reversed(kept))
