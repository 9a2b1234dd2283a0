"""Identifier arithmetic: resident ID (GB 11643), credit code (GB 32100), diploma numbers.

Check digits come from python-stdnum. Its ``validate`` is not used for credit codes
because it rejects valid codes with a letter in the first eight characters (the
registering authority 'Y' or 'N', for example); its ``calc_check_digit`` handles the
whole alphabet and reproduces domain.md's worked examples.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from stdnum.cn import ric as _ric
from stdnum.cn import uscc as _uscc

FULLWIDTH_RE = re.compile(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
SPACE_RE = re.compile(r"[\s\u3000]")


def has_fullwidth(text: str) -> bool:
    return bool(FULLWIDTH_RE.search(text))


def has_space(text: str) -> bool:
    return bool(SPACE_RE.search(text))


def normalise(text: str) -> str:
    """What the user meant: full-width to half-width, spaces removed, upper case."""
    return SPACE_RE.sub("", unicodedata.normalize("NFKC", text)).upper()


# China's country code before a mobile number: +86, 0086 or 86, maybe in brackets, then a
# space or hyphen or the number itself (which starts with 1). Full-width forms included.
_COUNTRY_CODE = re.compile(r"^[\s\u3000]*[(（]?[\s\u3000]*(?:[+＋]|00|００)?[\s\u3000]*(?:86|８６)[\s\u3000]*[)）]?"
                           r"[\s\u3000\-－‐]*(?=[1１])")


def split_mobile(text: str) -> tuple[str, str]:
    """(country code as written, the rest as written): '+86 138…' -> ('+86 ', '138…')."""
    m = _COUNTRY_CODE.match(text)
    if not m:
        return "", text
    prefix, rest = m.group(0), text[m.end():]
    if normalise(prefix) == "86" and not re.fullmatch(r"1\d{10}", normalise(rest)):
        return "", text   # a bare 86 is a country code only before a whole mobile number
    return prefix, rest


def mobile_digits(text: str) -> str:
    """A mobile number as the platform wants it: the 11 digits alone, without +86/0086/86,
    spaces or full-width digits. The one normalisation every rule and tjcheck init use."""
    return normalise(split_mobile(text)[1])


@dataclass(frozen=True)
class ResidentId:
    number: str
    region: str
    birth: date | None
    gender: str  # 男 / 女
    check_expected: str

    @property
    def province(self) -> str:
        return self.region[:2]

    @property
    def check_ok(self) -> bool:
        return self.number[-1] == self.check_expected


def parse_resident_id(number: str) -> ResidentId | None:
    """Parse an 18-character number already shaped like \\d{17}[\\dX]; None otherwise."""
    if not re.fullmatch(r"\d{17}[\dX]", number):
        return None
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        birth = None
    return ResidentId(
        number=number,
        region=number[:6],
        birth=birth,
        gender="男" if int(number[16]) % 2 else "女",
        check_expected=_ric.calc_check_digit(number),  # stdnum takes the whole number and ignores its last char
    )


CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def credit_code_shape_ok(code: str, alphabet: str = CREDIT_ALPHABET) -> bool:
    return len(code) == 18 and all(c in alphabet for c in code)


def credit_code_check(code: str) -> str:
    """The expected 18th character of a credit code (GB 32100)."""
    return _uscc.calc_check_digit(code[:17])


def credit_code_region(code: str) -> str:
    """Characters 3–8: the registering region (GB/T 2260)."""
    return code[2:8]


@dataclass(frozen=True)
class DiplomaNumber:
    school: str
    schooling_type: str
    year: int
    level_code: str


def parse_diploma_number(number: str) -> DiplomaNumber | None:
    """18 digits: school(5) type(1) year(4) level(2) serial(6). 17-digit forms carry too little."""
    if not re.fullmatch(r"\d{18}", number):
        return None
    return DiplomaNumber(number[:5], number[5], int(number[6:10]), number[10:12])


@dataclass(frozen=True)
class DegreeNumber:
    unit: str
    level_digit: str
    year: int


def parse_degree_number(number: str) -> DegreeNumber | None:
    """16 characters: unit(5) level(1) year(4) serial(6); a C/Z/T prefix is skipped."""
    core = number[1:] if number[:1] in "CZT" else number
    if not re.fullmatch(r"\d{10}[SE\d]\d{5}", core):
        return None
    return DegreeNumber(core[:5], core[5], int(core[6:10]))


def mask_id(number: str) -> str:
    """Keep the first four and last four characters: 1201**********0246."""
    if len(number) <= 8:
        return number[:1] + "*" * (len(number) - 1)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def mask_phone(number: str) -> str:
    digits = len(number)
    if digits < 7:
        return "*" * digits
    return number[:3] + "*" * (digits - 7) + number[-4:]
