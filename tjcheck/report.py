"""What checks produce and renderers consume: findings, per-check outcomes, a verdict."""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

JSON_FORMAT_VERSION = 1


class Severity(str, Enum):
    ERROR = "error"      # the platform or the reviewer refuses
    WARNING = "warning"  # likely refused, or a rule that is not confirmed
    INFO = "info"        # worth knowing, never a reason for refusal

    @property
    def zh(self) -> str:
        return {"error": "错误", "warning": "警告", "info": "提示"}[self.value]


class Outcome(str, Enum):
    PASSED = "passed"
    FAILED = "failed"     # at least one error
    WARNED = "warned"     # warnings only
    NOTED = "noted"       # info only
    NOT_APPLICABLE = "not_applicable"
    SKIPPED = "skipped"   # could not run here (an optional component is missing): never a pass


@dataclass
class Finding:
    code: str
    step: int
    severity: Severity
    message: dict[str, str]          # {"zh": …, "en": …}
    fix: dict[str, str]
    path: str = ""                   # where in the profile: "education[0].end"
    line: int | None = None
    file: str | None = None          # an image file the finding is about, relative to the profile

    def to_json(self, lang: str) -> dict:
        return {
            "code": self.code, "step": self.step, "severity": self.severity.value,
            "message": self.message[lang], "fix": self.fix[lang],
            "path": self.path or None, "line": self.line, "file": self.file,
        }


@dataclass
class CheckResult:
    """One registered check, in one step: what it found, or that it passed."""
    code: str
    step: int
    title: dict[str, str]
    outcome: Outcome
    findings: list[Finding] = field(default_factory=list)
    shared: bool = False   # a rule that serves several steps (the image-file rules)
    note: dict[str, str] | None = None   # why it was skipped, in both languages


@dataclass
class Report:
    profile_file: str
    exam_year: int
    cutoff: str
    as_of: str
    ruleset: str
    results: list[CheckResult]
    subject: dict[str, str] = field(default_factory=dict)   # name, masked ID, masked phone
    deselected_steps: list[int] = field(default_factory=list)   # steps whose checks --select/--ignore left out

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.results for f in r.findings]

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    def count_outcome(self, outcome: Outcome) -> int:
        return sum(1 for r in self.results if r.outcome is outcome)

    def rejected(self, strict: bool = False) -> bool:
        """Would anything be refused? With strict, warnings count too."""
        worst = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
        return any(f.severity in worst for f in self.findings)

    def verdict(self, strict: bool = False) -> str:
        return "reject" if self.rejected(strict) else "pass"

    @property
    def complete(self) -> bool:
        """Did every chosen check run? A skipped one (an optional component missing) means a
        "pass" only covers the checks that ran."""
        return not any(r.outcome is Outcome.SKIPPED for r in self.results)

    def skipped(self, lang: str) -> list[tuple[str, list[str]]]:
        """(why, codes) for the skipped checks, one entry per reason, in check order."""
        groups: dict[str, list[str]] = {}
        for r in self.results:
            if r.outcome is Outcome.SKIPPED:
                codes = groups.setdefault((r.note or {}).get(lang, ""), [])
                if r.code not in codes:
                    codes.append(r.code)
        return list(groups.items())
