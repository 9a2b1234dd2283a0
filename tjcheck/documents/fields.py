"""The fields a document prints, read from its text without knowing whose it should be.

The rules compare these with the profile; ``bench/documents.py`` compares them with labels.
Each reader follows the wording of the national forms: the ID card's and the residence
permit's labels (姓名, 公民身份号码, 有效期限), the diploma's 学生…，性别…, the degree
certificate's opening "NAME，女，…生", the work proof's 兹证明 NAME 同志, the certificates'
证书编号 / 管理号, the 学信网 report's 有效期至. A field not found is None, never a guess.
"""
from __future__ import annotations

import math
import re
import statistics
from dataclasses import dataclass
from datetime import date

from .text import CERT_NUMBER, id_numbers, normalise, validity

_HAN = r"[\u4e00-\u9fff]"
_NAME = rf"{_HAN}(?:{_HAN}|·){{1,5}}?"      # 2–6 characters; · joins the parts of some minority names
# Labels that follow a name on the same line of a form (姓名李晓雯性别女): where the name stops.
_AFTER_NAME = r"(?=性别|民族|出生|身份|证件|公民|住址|籍贯|学号|学院|院校|$)"
_NAME_PATTERNS = {
    "diploma": [rf"学生({_NAME})[，,]?性别"],
    "degree": [rf"^({_NAME})[，,](?:男|女)[，,]"],     # per line: the text opens with the holder's name
    "work_proof": [rf"兹(?:证明|有)(?:我单位)?({_NAME})(?:同志|先生|女士|[，,（(]|身份证|性别)"],
}
_LABELLED_NAME = re.compile(rf"姓名[：:]?({_NAME}){_AFTER_NAME}")
_LONE_NAME = re.compile(rf"^({_HAN}(?:{_HAN}|·){{1,5}})$")
_CN_DATE = re.compile(r"(\d{4})[年.\-/](\d{1,2})[月.\-/](\d{1,2})日?")
_UNTIL = re.compile(r"有效期至[：:]?" + _CN_DATE.pattern)
_ANY_CODE = re.compile(r"[0-9A-Z]{6,24}")


@dataclass(frozen=True)
class Read:
    """One field as read: its value and the recogniser's confidence in the line it came from."""
    value: str
    score: float
    printed: str = ""    # the text it was read from, where that differs from the value (a date)


def _joined(lines) -> str:
    return "".join(normalise(line.text) for line in lines)


def _rescored(lines, read: Read | None) -> Read | None:
    """A field read on a row, with the confidence of the piece that holds its text (a row's
    own confidence is its least sure piece, often the label)."""
    if read is None:
        return None
    return Read(read.value, confidence_of(lines, read.printed or read.value, read.score), read.printed)


def confidence_of(lines, value: str, otherwise: float | None = None) -> float:
    """The confidence of the surest line that holds ``value``; for a value split across lines,
    ``otherwise``, else the lowest confidence on the page."""
    scores = [line.score for line in lines if value in normalise(line.text)]
    if scores:
        return max(scores)
    return otherwise if otherwise is not None else min((line.score for line in lines), default=0.0)


def rows(lines) -> list:
    """The pieces the reader found, regrouped into the rows of print they stand on, left to
    right: a form's label and its value become one row whichever the reader listed first (a
    name printed larger than its label 姓名 is listed before it), and a label printed spaced
    out (姓　　名) is whole again. The page's skew (the median slope of the long pieces) is
    undone first, so a photo taken at a slight angle groups the same way."""
    from .ocr import Line

    if not lines:
        return []
    slopes, items = [], []
    for line in lines:
        (x0, y0), (x1, y1), _, (x3, y3) = line.box
        if math.hypot(x1 - x0, y1 - y0) > 3 * math.hypot(x3 - x0, y3 - y0):
            slopes.append(math.atan2(y1 - y0, x1 - x0))
    angle = statistics.median(slopes) if slopes else 0.0
    cos, sin = math.cos(angle), math.sin(angle)
    for line in lines:
        cx = sum(x for x, _ in line.box) / 4
        cy = sum(y for _, y in line.box) / 4
        (x0, y0), (x1, y1), _, (x3, y3) = line.box
        height = min(math.hypot(x3 - x0, y3 - y0), math.hypot(x1 - x0, y1 - y0))
        items.append((-sin * cx + cos * cy, cos * cx + sin * cy, height, line))
    items.sort(key=lambda item: item[0])
    groups: list[list] = []
    for item in items:
        for group in groups:   # same row: centres closer than half the smaller text height
            if abs(item[0] - group[0][0]) < 0.5 * min(item[2], group[0][2]):
                group.append(item)
                break
        else:
            groups.append([item])
    out = []
    for group in groups:
        group.sort(key=lambda item: item[1])
        pieces = [item[3] for item in group]
        out.append(Line("".join(p.text for p in pieces), min(p.score for p in pieces), pieces[0].box))
    return out


# A lone piece after the label is the name only if it is not itself a label of the form.
_LABEL_WORDS = ("性别", "民族", "出生", "住址", "身份", "号码", "公民", "签发", "有效", "证件", "学号", "学院")


def _name_in(lines, kind: str) -> Read | None:
    page = _joined(lines)
    norm = [normalise(line.text) for line in lines]
    for pattern in _NAME_PATTERNS.get(kind, []):
        if pattern.startswith("^"):
            m = next((m for m in map(re.compile(pattern).search, norm) if m), None)
        else:
            m = re.search(pattern, page)
        if m:
            return Read(m.group(1), confidence_of(lines, m.group(1)))
    for i, text in enumerate(norm):
        m = _LABELLED_NAME.search(text)
        if m and not any(w in m.group(1) for w in _LABEL_WORDS):
            return Read(m.group(1), lines[i].score)
        if text.endswith("姓名") and i + 1 < len(norm):   # the label and the name read as two pieces
            m = _LONE_NAME.match(norm[i + 1]) or _LABELLED_NAME.match("姓名" + norm[i + 1])
            if m and not any(w in m.group(1) for w in _LABEL_WORDS):
                return Read(m.group(1), lines[i + 1].score)
    return None


def name(lines, kind: str) -> Read | None:
    """The holder's name as printed: by the kind's own formula, else after the label 姓名;
    the rows of the page first, then the pieces as the reader listed them."""
    return _rescored(lines, _name_in(rows(lines), kind)) or _name_in(lines, kind)


def id_number(lines) -> Read | None:
    """The first 18-character resident ID number printed."""
    for line in lines:
        found = id_numbers([line.text])
        if found:
            return Read(found[0], line.score)
    return None


def valid_until(lines, kind: str) -> Read | None:
    """The end of the validity: the ID card's and the residence permit's 有效期限 (an ISO date
    or 长期), the 学信网 report's 有效期至."""
    if kind == "study_proof":
        m = _UNTIL.search(_joined(lines))
        if not m:
            return None
        try:
            end = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
        return Read(end.isoformat(), confidence_of(lines, m.group(0)[-6:]))
    v = validity([line.text for line in lines])
    if v is None:
        return None
    return Read("长期" if v.permanent else v.end.isoformat(), confidence_of(lines, v.text[-8:]))


def cert_no(lines, kind: str) -> Read | None:
    """The certificate's number: after 证书编号 (or 编号; for title certificates also 管理号),
    else, on diplomas and degree certificates, any 16–18-character run of digits and capitals;
    in the rows of the page first, then in the pieces as read."""
    return _rescored(lines, _cert_no_in(rows(lines), kind)) or _cert_no_in(lines, kind)


def _cert_no_in(lines, kind: str) -> Read | None:
    labels = ("证书编号", "编号", "管理号") if kind == "title_cert" else ("证书编号", "编号")
    norm = [normalise(line.text) for line in lines]
    pattern = _ANY_CODE if kind == "title_cert" else CERT_NUMBER
    for label in labels:
        for i, text in enumerate(norm):
            at = text.find(label)
            if at < 0:
                continue
            tail = text[at + len(label):].lstrip("：:")
            where = i
            if not tail and i + 1 < len(norm):
                tail, where = norm[i + 1], i + 1
            m = pattern.match(tail) if tail else None
            if m:
                return Read(m.group(0), lines[where].score)
    if kind in ("diploma", "degree"):
        for line, text in zip(lines, norm):
            m = CERT_NUMBER.search(text)
            if m:
                return Read(m.group(0), line.score)
    return None


# GB 32100: 18 characters of the code's alphabet (no I, O, S, V, Z)
CREDIT_CODE = re.compile(r"(?<![0-9A-Z])[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}(?![0-9A-Z])")


def credit_code(lines) -> Read | None:
    """The unified social credit code: after its label 统一社会信用代码 (rows first), else any
    code-shaped run that is not an ID number (an ID number has the same shape)."""
    for view in (rows(lines), lines):
        for line in view:
            text = normalise(line.text)
            at = text.find("信用代码")
            m = CREDIT_CODE.search(text, at) if at >= 0 else None
            if m:
                return Read(m.group(0), line.score)
    ids = set(id_numbers([line.text for line in lines]))
    for line in lines:
        for m in CREDIT_CODE.finditer(normalise(line.text)):
            if m.group(0) not in ids:
                return Read(m.group(0), line.score)
    return None


FIELDS_OF = {   # the fields each kind prints
    "id_front": ("name", "id_number"),
    "id_back": ("valid_until",),
    "residence_permit": ("name", "id_number", "valid_until"),
    "diploma": ("name", "cert_no"),
    "degree": ("name", "cert_no"),
    "title_cert": ("name", "id_number", "cert_no"),
    "work_proof": ("name", "id_number"),
    "study_proof": ("name", "id_number", "valid_until"),
}


def read_all(lines, kind: str | None) -> dict[str, Read | None]:
    """Every field the kind prints, as read (None where not found)."""
    out: dict[str, Read | None] = {}
    for field in FIELDS_OF.get(kind or "", ()):
        if field == "name":
            out[field] = name(lines, kind)
        elif field == "id_number":
            out[field] = id_number(lines)
        elif field == "valid_until":
            out[field] = valid_until(lines, kind)
        else:
            out[field] = cert_no(lines, kind)
    return out


def found_on(lines, words: str) -> bool:
    """Whether ``words`` are printed on the page (anywhere, ignoring spaces and line breaks)."""
    return bool(words) and normalise(words) in _joined(lines)


_YM = re.compile(r"(\d{4})年(\d{1,2})月")


def approval_month(lines) -> Read | None:
    """The title certificate's approval (批准) year and month, as YYYY-MM."""
    return _rescored(lines, _approval_in(rows(lines))) or _approval_in(lines)


def _approval_in(lines) -> Read | None:
    norm = [normalise(line.text) for line in lines]
    for i, text in enumerate(norm):
        at = max(text.find("批准日期"), text.find("批准时间"), text.find("批准"))
        if at < 0:
            continue
        for j in (i, i + 1):
            if j < len(norm):
                m = _YM.search(norm[j][at:] if j == i else norm[j]) or re.search(r"(\d{4})[.\-/](\d{1,2})",
                                                                                  norm[j][at:] if j == i else norm[j])
                if m and 1 <= int(m.group(2)) <= 12:
                    return Read(f"{m.group(1)}-{int(m.group(2)):02d}", lines[j].score, m.group(0))
    return None


def normalised_page(lines, drop=()) -> str:
    """The page's text in one string, normalised, with the ``drop`` words taken out (so that
    注册会计师 does not read as 会计师)."""
    return without(_joined(lines), drop)


def without(text: str, words) -> str:
    for word in words:
        text = text.replace(normalise(word), "|")
    return text
