"""What a document's text says: which kind of document it is, and the fields the rules compare.

Pure functions of the lines the OCR read (tjcheck/documents/ocr.py), so they are tested on
text alone. Keywords and the slot each kind belongs in live in the ruleset (``documents:``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

# Traditional forms certificates print in their titles (學士學位證書, 畢業證書): read as simplified,
# so one keyword list serves both.
_SIMPLIFIED = str.maketrans("學業證書畢歷會計專資格員號碼國華聯漢術", "学业证书毕历会计专资格员号码国华联汉术")
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Text as the keywords are matched: no spaces, simplified forms, full-width ASCII folded."""
    text = "".join(chr(ord(c) - 0xFEE0) if "！" <= c <= "～" else c for c in text)
    return _SPACES.sub("", text).translate(_SIMPLIFIED)


@dataclass(frozen=True)
class Kind:
    name: str           # the ruleset's key: id_front, id_back, diploma, …
    score: int          # keywords found
    found: tuple[str, ...]


def classify(lines: list[str], kinds: dict) -> Kind | None:
    """The kind whose keywords (``any``: each one found scores; ``all``: every one must be
    there; ``none``: not one may be) are found most often on the page; None when no kind's keywords are. Ties go to
    the kind listed first in the ruleset, which lists the more specific kinds first."""
    page = normalise("".join(lines))
    best = None
    for name, spec in kinds.items():
        if not all(normalise(k) in page for k in spec.get("all", [])) or \
                any(normalise(k) in page for k in spec.get("none", [])):
            continue
        found = tuple(k for k in spec.get("any", []) if normalise(k) in page)
        if not found and not spec.get("all"):
            continue
        score = len(found) + len(spec.get("all", []))
        if best is None or score > best.score:
            best = Kind(name, score, found + tuple(spec.get("all", [])))
    return best


ID_NUMBER = re.compile(r"(?<![0-9A-Z])[1-9]\d{16}[\dXx](?![0-9A-Z])")


CERT_NUMBER = re.compile(r"(?<![0-9A-Z])[0-9A-Z]{16,18}(?![0-9A-Z])")   # 学历 17-18 digits, 学位 16 characters


def id_numbers(lines: list[str]) -> list[str]:
    """Every 18-character resident ID number on the page (letters upper-cased)."""
    return [m.group(0).upper() for line in lines for m in ID_NUMBER.finditer(normalise(line))]


def value_after(lines: list[str], label: str) -> str | None:
    """The text printed after ``label``: the rest of its line, or the next line when the label
    stands alone (ID cards print 姓名 and the name as separate pieces)."""
    norm = [normalise(line) for line in lines]
    for i, line in enumerate(norm):
        at = line.find(label)
        if at < 0:
            continue
        rest = line[at + len(label):].lstrip("：:")
        if rest:
            return rest
        if i + 1 < len(norm):
            return norm[i + 1]
    return None


_DATE = r"(\d{4})[.\-/年]?(\d{1,2})[.\-/月]?(\d{1,2})日?"
VALIDITY = re.compile(_DATE + r"[-－—~至到]+(?:" + _DATE + r"|(长期))")


@dataclass(frozen=True)
class Validity:
    start: date | None
    end: date | None        # None with ``permanent``
    permanent: bool
    text: str


def _date(y: str, m: str, d: str) -> date | None:
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        return None


def validity(lines: list[str]) -> Validity | None:
    """The 有效期限 of an ID card's back: start and end (or 长期), as printed."""
    page = normalise("".join(lines))
    m = VALIDITY.search(page)
    if not m:
        return None
    start = _date(*m.group(1, 2, 3))
    if m.group(7):
        return Validity(start, None, True, m.group(0))
    end = _date(*m.group(4, 5, 6))
    return Validity(start, end, False, m.group(0)) if end else None


def name_found(lines: list[str], name: str) -> bool:
    """Whether ``name`` is printed on the page (anywhere, ignoring spaces)."""
    return bool(name) and normalise(name) in normalise("".join(lines))
