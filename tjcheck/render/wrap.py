"""Line wrapping that knows Chinese: a line may break between any two Chinese characters.

Rich breaks lines only at spaces, so a Chinese message (which has none) after a rule code is moved
whole to the next line, leaving the code alone on its own. Here a break may fall at a space or
between two CJK characters, except before closing punctuation (，。：）” …) or after opening
punctuation (（“ …), as Chinese typesetting does; a run longer than the line is cut.
"""
from __future__ import annotations

import re

from rich.cells import cell_len

_CJK = "\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef“”‘’…—·"
_TOKEN = re.compile(rf"\s+|[{_CJK}]|[^\s{_CJK}]+")
_CJK_CHAR = re.compile(f"[{_CJK}]")
NO_START = set("，。、：；！？）】》」』”’…—·%,.;:!?)]}")   # never the first character of a line
NO_END = set("（【《「『“‘([{")                                # never the last


def _units(text: str) -> list[str]:
    """The text cut where a line may break; spaces are units of their own."""
    units: list[str] = []
    for token in _TOKEN.findall(text):
        glue = units and not units[-1].isspace() and not token.isspace() and (
            token[0] in NO_START or units[-1][-1] in NO_END
            or not (_is_cjk(token[0]) or _is_cjk(units[-1][-1])))   # two non-CJK runs touch: one word
        if glue:
            units[-1] += token
        else:
            units.append(token)
    return units


def _is_cjk(ch: str) -> bool:
    return bool(_CJK_CHAR.match(ch))


def wrap(text: str, width: int) -> list[str]:
    """``text`` as lines of at most ``width`` terminal cells (a unit wider than the line is cut)."""
    width = max(width, 2)
    lines, line = [], ""
    for unit in _units(text):
        if unit.isspace():
            if line:
                line += unit
            continue
        if cell_len(line.rstrip() + unit) <= width:
            line = line + unit
            continue
        if line.strip():
            lines.append(line.rstrip())
        line = ""
        while cell_len(unit) > width:             # longer than a whole line: cut by cells
            cut = 0
            while cut < len(unit) and cell_len(unit[:cut + 1]) <= width:
                cut += 1
            lines.append(unit[:cut])
            unit = unit[cut:]
        line = unit
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines
