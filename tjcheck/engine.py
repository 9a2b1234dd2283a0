"""The core: ``verify(profile) -> Report``, with no printing.

Loads the ruleset, picks the rules (--select / --ignore by code prefix, the longer
prefix wins, as in ruff), runs them and turns their hits into findings in both
languages.
"""
from __future__ import annotations

from datetime import date
from importlib import resources
from pathlib import Path

import yaml

from .errors import InputError
from .dates import on_day
from .identifiers import mask_id, mask_phone, mobile_digits
from .report import CheckResult, Finding, Outcome, Report, Severity

_DATA_SECTIONS = {"steps"}  # their keys are data, free to change
# Within a step, rules are listed in the order a person fills the page; shared file rules last.
FAMILY_ORDER = ["RG", "ID", "NM", "MB", "PW", "RN", "SC", "BI", "PH", "FA", "ED", "WK", "MD", "TL", "EL", "EY", "AT"]


def _order(code: str) -> tuple:
    family = code.rstrip("0123456789")
    return (FAMILY_ORDER.index(family) if family in FAMILY_ORDER else len(FAMILY_ORDER), code)


def _read_ruleset(text: str, file) -> dict:
    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise InputError(file, f"规则集 YAML 语法错误：{exc}", f"ruleset YAML syntax error: {exc}") from None
    if not isinstance(data, dict):
        raise InputError(file, "规则集应是一组键值。", "a ruleset is a mapping of sections.")
    return data


def shipped_ruleset() -> dict:
    text = resources.files("tjcheck.ruleset").joinpath("tianjin.yaml").read_text("utf-8")
    return _read_ruleset(text, "tjcheck/ruleset/tianjin.yaml")


def load_ruleset(path: Path | None = None) -> dict:
    """The shipped ruleset, or a user's edited copy checked to have every section and key."""
    shipped = shipped_ruleset()
    if path is None:
        return shipped
    from .safeio import Unreadable, read_file
    from .yamlload import MAX_BYTES

    try:
        text = read_file(path, MAX_BYTES).decode("utf-8")
    except Unreadable as exc:
        raise InputError(path, f"无法读取规则集：{exc.reason[0]}", f"cannot read the ruleset: {exc.reason[1]}") from None
    except UnicodeDecodeError as exc:
        raise InputError(path, f"无法读取规则集：{exc}", f"cannot read the ruleset: {exc}") from None
    data = _read_ruleset(text, path)
    missing = []
    for section, content in shipped.items():
        if section not in data:
            missing.append(section)
        elif isinstance(content, dict) and section not in _DATA_SECTIONS:
            if not isinstance(data[section], dict):
                missing.append(section)
            else:
                missing += [f"{section}.{k}" for k in content if k not in data[section]]
    if missing:
        raise InputError(path, f"规则集缺少：{', '.join(missing)}（以 tjcheck/ruleset/tianjin.yaml 为模板）",
                         f"the ruleset lacks: {', '.join(missing)} (start from tjcheck/ruleset/tianjin.yaml)")
    for key in ("registration_closes", "eligibility_cutoff"):   # "MM-DD", read for every exam year
        value = str(data["exam"][key])
        try:
            on_day(2000, value)   # a leap year: 02-29 is allowed
        except ValueError:
            raise InputError(path, f"规则集 exam.{key} 应为 “月-日”，如 12-31，而不是 “{value}”",
                             f"the ruleset's exam.{key} should be MM-DD, like 12-31, not '{value}'") from None
    return data


def default_exam_year(today: date, ruleset: dict) -> int:
    """The next exam whose registration is still ahead (or open)."""
    closes = on_day(today.year, ruleset["exam"]["registration_closes"])
    return today.year if today <= closes else today.year + 1


def cutoff_for(year: int, ruleset: dict) -> date:
    """The day years of work are counted to for an exam: exam.eligibility_cutoff of its year."""
    return on_day(year, ruleset["exam"]["eligibility_cutoff"])


def all_rules():
    from .checks import REGISTRY

    return REGISTRY


def selected(select: list[str] | None, ignore: list[str] | None) -> list:
    """Rules picked by code prefix; the longest matching prefix decides, ignore wins a tie."""
    rules = all_rules()
    def prefixes(values):   # "--select FA --select PH" or "--select FA,PH", as in ruff
        return [p.strip().upper() for v in values or [] for p in v.split(",") if p.strip()]

    select = prefixes(select) or [""]
    ignore = prefixes(ignore)
    unknown = [p for p in select + ignore if p and not any(code.startswith(p) for code in rules)]
    if unknown:
        raise InputError(None, f"未知的规则代码前缀：{', '.join(unknown)}（tjcheck rules 可列出全部）",
                         f"unknown rule code prefix: {', '.join(unknown)} (tjcheck rules lists them)")
    out = []
    for code, rule in sorted(rules.items()):
        best_sel = max((len(p) for p in select if code.startswith(p)), default=-1)
        best_ign = max((len(p) for p in ignore if code.startswith(p)), default=-1)
        if best_sel > best_ign:
            out.append(rule)
    return out


def _fill(template: str, params: dict, lang: str) -> str:
    i = 0 if lang == "zh" else 1
    values = {k: (v[i] if isinstance(v, tuple) and len(v) == 2 else v) for k, v in params.items()}
    return template.format(**values)


def verify(loaded, ruleset: dict, *, today: date | None = None, as_of: date | None = None,
           count_to: date | None = None, select: list[str] | None = None, ignore: list[str] | None = None,
           show_pii: bool = False, images=None) -> Report:
    """Run the chosen rules over a loaded profile. ``as_of`` evaluates as if it were that
    day ("today": what must be past, what has expired, which exam is next). Years of work
    are counted to the exam year's cutoff (exam.eligibility_cutoff), or to ``count_to``.
    ``images`` is an ImageReader to share between runs (tjcheck init judges many answers)."""
    from .checks.base import Context, Skip
    from .imaging.reader import ImageReader
    from .profile import dotted

    rules = selected(select, ignore)
    today = as_of or today or date.today()
    exam_year = loaded.profile.exam_year or default_exam_year(today, ruleset)
    cutoff = count_to or cutoff_for(exam_year, ruleset)
    ctx = Context(loaded, ruleset, today, exam_year, cutoff, images or ImageReader(ruleset["attachments"]),
                  show_pii=show_pii)
    steps_with_slots = {slot.step for slot in ctx.slots}
    results: list[CheckResult] = []
    for rule in rules:
        findings: list[Finding] = []
        skipped = None
        try:
            applies = rule.when is None or rule.when(ctx)
        except Skip as skip:   # deciding needs what is missing (the face model): skipped, not passed
            applies, skipped = True, {"zh": skip.zh, "en": skip.en}
        if applies and not skipped:
            try:
                for h in rule.func(ctx):
                    params = dict(h.params)
                    findings.append(Finding(
                        code=rule.code, step=h.step or rule.step, severity=h.severity or rule.severity,
                        message={lang: _fill(rule.message[i], params, lang) for i, lang in enumerate(("zh", "en"))},
                        fix={lang: _fill(rule.fix[i], params, lang) for i, lang in enumerate(("zh", "en"))},
                        path=dotted(h.path), line=loaded.line(h.path), file=h.file))
            except Skip as skip:
                skipped, findings = {"zh": skip.zh, "en": skip.en}, []
        for step in rule.steps:
            mine = [f for f in findings if f.step == step]
            if not applies or (rule.per_slot and step not in steps_with_slots and not mine):
                outcome = Outcome.NOT_APPLICABLE
            elif skipped:
                outcome = Outcome.SKIPPED
            elif any(f.severity is Severity.ERROR for f in mine):
                outcome = Outcome.FAILED
            elif any(f.severity is Severity.WARNING for f in mine):
                outcome = Outcome.WARNED
            elif mine:
                outcome = Outcome.NOTED
            else:
                outcome = Outcome.PASSED
            results.append(CheckResult(rule.code, step, {"zh": rule.title[0], "en": rule.title[1]}, outcome, mine,
                                       shared=rule.per_slot, note=skipped))
    results.sort(key=lambda r: (r.step, _order(r.code)))
    # steps that have checks, none of them selected (not steps with nothing to check offline)
    deselected = sorted({s for r in all_rules().values() for s in r.steps} - {r.step for r in results})
    reg = loaded.profile.registration
    mobile = mobile_digits(reg.mobile) if reg.mobile else ""   # as the platform will hold it
    subject = {
        "name": reg.name or "",
        "id_number": (reg.id_number or "") if show_pii else mask_id(reg.id_number or ""),
        "mobile": mobile if show_pii else mask_phone(mobile),
        # what the platform will read from the ID number, shown so a wrong number is noticed
        "gender": ctx.resident_id.gender if ctx.resident_id else "",
        "birth_date": ctx.resident_id.birth.isoformat() if ctx.resident_id else "",
    }
    return Report(profile_file=str(loaded.file), exam_year=exam_year, cutoff=cutoff.isoformat(),
                  as_of=today.isoformat(), ruleset=f"{ruleset['id']} {ruleset['version']}", results=results,
                  subject=subject, deselected_steps=deselected)
