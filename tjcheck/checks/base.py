"""The rule registry and what a rule sees.

A rule is a small function decorated with ``@rule``: it gets a ``Context`` and yields
``Hit`` objects. The decorator carries everything a person needs to know about the
rule (code, step, severity, messages, fix, source, and the docstring as its
documentation), the way yamllint, sqlfluff and ruff declare theirs. Codes are
stable: never reuse a retired code.
"""
from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Callable, Iterable

from ..dates import month_range
from ..identifiers import ResidentId, mask_id, mask_phone, normalise, parse_resident_id
from ..profile import LoadedProfile, Profile
from ..report import Severity

ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
Text = tuple[str, str]  # (zh, en)


@dataclass
class Hit:
    """One problem found by a rule, with the values its message template needs."""
    path: tuple = ()
    params: dict = field(default_factory=dict)
    severity: Severity | None = None   # overrides the rule's own, e.g. "close to the limit"
    step: int | None = None            # for rules that serve several steps (attachments)
    file: str | None = None


def hit(path: tuple = (), *, severity: Severity | None = None, step: int | None = None,
        file: str | None = None, **params) -> Hit:
    return Hit(path, params, severity, step, file)


@dataclass
class Rule:
    code: str
    steps: tuple[int, ...]
    severity: Severity
    title: Text
    message: Text
    fix: Text
    source: str
    tag: str                      # firm / likely / open, as in domain.md
    func: Callable[["Context"], Iterable[Hit]]
    when: Callable[["Context"], bool] | None = None
    per_slot: bool = False        # applies wherever a step has an image slot

    @property
    def doc(self) -> str:
        return inspect.cleandoc(self.func.__doc__ or "")

    @property
    def step(self) -> int:
        return self.steps[0]


class Skip(Exception):
    """Raised by a rule that cannot run here (say, the face model is not installed)."""

    def __init__(self, zh: str, en: str):
        super().__init__(en)
        self.zh, self.en = zh, en


REGISTRY: dict[str, Rule] = {}


def rule(code: str, *, step: int | tuple[int, ...], severity: Severity, title: Text, message: Text,
         fix: Text, source: str, tag: str = "firm", when: Callable | None = None, per_slot: bool = False):
    def register(func):
        if code in REGISTRY:
            raise RuntimeError(f"duplicate rule code {code}")
        REGISTRY[code] = Rule(code, step if isinstance(step, tuple) else (step,), severity, title, message,
                              fix, source, tag, func, when, per_slot)
        return func
    return register


@dataclass(frozen=True)
class Slot:
    """One upload slot on the platform, and the files the profile puts in it."""
    path: tuple
    step: int
    label: Text
    files: tuple[str, ...]
    kind: str = "attachment"      # "photo" has its own rules


class Context:
    """What a rule may look at: the profile, the ruleset, the dates, the images."""

    def __init__(self, loaded: LoadedProfile, ruleset: dict, today: date, exam_year: int, cutoff: date,
                 images, show_pii: bool = False):
        self.loaded = loaded
        self.show_pii = show_pii
        self.p: Profile = loaded.profile
        self.rs = ruleset
        self.today = today
        self.exam_year = exam_year
        self.cutoff = cutoff
        self.images = images
        self._memo: dict = {}

    def memo(self, key: str, compute: Callable):
        """A value several rules share (face analysis, eligibility), computed once per run."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    # --- identity -------------------------------------------------------
    @cached_property
    def id_type(self) -> str:
        return (self.p.registration.id_type or "居民身份证").strip()

    @cached_property
    def id_format(self) -> str | None:
        entry = self.rs["identity"]["id_types"].get(self.id_type)
        return entry["format"] if entry else None

    @cached_property
    def resident_id(self) -> ResidentId | None:
        """The parsed resident ID when its digits are valid (later rules build on it)."""
        number = self.p.registration.id_number
        if self.id_format not in ("resident_id", "hmt_residence") or not number:
            return None
        parsed = parse_resident_id(normalise(number))  # form slips (x, spaces) are reported by their own rules
        if parsed is None or parsed.birth is None or not parsed.check_ok:
            return None
        return parsed

    def mask_phone(self, number: str) -> str:
        return number if self.show_pii else mask_phone(number)

    def mask_id(self, number: str) -> str:
        return number if self.show_pii else mask_id(number)

    # --- options ----------------------------------------------------------
    def canonical(self, table: dict | list, value: str | None) -> str | None:
        """Map a value or one of its aliases to the table's key (a list table has no aliases)."""
        if value is None:
            return None
        v = value.strip()
        for key, entry in (table.items() if isinstance(table, dict) else ((k, None) for k in table)):
            aliases = (entry.get("aliases") or [] if isinstance(entry, dict) else entry or [])
            if v == key or v in aliases or v.lower() in [str(a).lower() for a in aliases]:
                return key
        return None

    @cached_property
    def status(self) -> str | None:
        return self.canonical(self.rs["basic"]["statuses"], self.p.basic.status)

    @property
    def employed(self) -> bool:
        return self.status == "在职在岗"

    @property
    def student(self) -> bool:
        return self.status == "在校学生"

    # 培养方式, 学历 and 学位 are read through one lookup, so "本科" is 大学本科 in every rule
    # (ED…, EL…, the certificate-number cross checks); an unknown value is None everywhere.
    def mode_of(self, mode: str | None) -> str | None:
        return self.canonical(self.rs["education"]["modes"], mode)

    def level_of(self, level: str | None) -> str | None:
        return self.canonical(self.rs["education"]["levels"], level)

    def degree_of(self, degree: str | None) -> str | None:
        return self.canonical(self.rs["education"]["degrees"], degree)

    def level_rank(self, level: str | None) -> int | None:
        key = self.level_of(level)
        return None if key is None else self.rs["education"]["levels"][key]["rank"]

    def degree_rank(self, degree: str | None) -> int | None:
        key = self.degree_of(degree)
        return None if key is None else self.rs["education"]["degrees"][key]["rank"]

    def study_months(self, ongoing_to: int) -> set[int]:
        """Months of full-time study, both end months included (a course in progress runs to
        ``ongoing_to``): work in them does not count."""
        return {m for e in self.p.education if e.start and e.end and self.mode_of(e.mode) == "全日制"
                for m in month_range(e.start, e.end, ongoing_to)}

    # --- images -----------------------------------------------------------
    @cached_property
    def slots(self) -> list[Slot]:
        """Every upload slot that names a file; its label is the model field's platform label."""
        p, out = self.p, []

        def add(model, path: tuple, step: int, kind: str = "attachment"):
            files = getattr(model, path[-1])
            if files:
                label = (type(model).label(path[-1], "zh"), type(model).label(path[-1], "en"))
                out.append(Slot(path, step, label, tuple(files), kind))

        if self.realname_online:
            for name in ("id_front", "id_back", "id_handheld"):
                add(p.realname, ("realname", name), 3)
        add(p.basic, ("basic", "photo"), 5, "photo")
        for name in ("id_front", "id_back", "residence_permit"):
            add(p.basic, ("basic", name), 5)
        for i, e in enumerate(p.education):
            for name in ("diploma_image", "degree_image", "overseas_cert_image", "study_proof_image"):
                add(e, ("education", i, name), 6)
        for i, w in enumerate(p.work):
            add(w, ("work", i, "proof_image"), 7)
            for j, post in enumerate(w.posts):
                add(post, ("work", i, "posts", j, "proof_image"), 7)
        add(p.title, ("title", "certificate_image"), 10)
        return out

    @property
    def realname_online(self) -> bool:
        return self.canonical(self.rs["realname"]["methods"], self.p.realname.method) == "online"

    def image(self, name: str):
        return self.images.get(self.loaded.base_dir, name)


def present(value) -> bool:
    return value is not None and (not isinstance(value, str) or value.strip() != "")


def missing_fields(model, names: list[str]) -> list[str]:
    return [n for n in names if not present(getattr(model, n))]


def labels(model_cls, names: list[str]) -> Text:
    return ("、".join(model_cls.label(n, "zh") for n in names), ", ".join(model_cls.label(n, "en") for n in names))


__all__ = ["ERROR", "WARNING", "INFO", "Context", "Hit", "REGISTRY", "Rule", "Skip", "Slot", "hit", "labels",
           "missing_fields", "present", "rule"]
