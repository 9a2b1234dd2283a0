"""What one person's check gives the batch: a small, picklable record.

Workers send these back one at a time; the batch streams them into the terminal summary
and the report files and keeps only counters, so memory does not grow with the number
of people. ID and phone numbers are masked in the worker unless ``--show-pii``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

PASS, REJECT, UNUSABLE = "pass", "reject", "unusable"


@dataclass
class PersonFinding:
    code: str
    step: int
    severity: str                # "error" | "warning" | "info"
    title: dict[str, str]        # the check's title {"zh", "en"}
    message: dict[str, str]      # {"zh", "en"}
    fix: dict[str, str]
    path: str = ""               # where in the profile, e.g. "education[0].end"
    line: int | None = None


@dataclass
class PersonResult:
    folder: str                  # the staff folder, relative to the batch folder
    profile: str                 # the profile file, relative to the batch folder
    verdict: str                 # PASS | REJECT | UNUSABLE
    name: str = ""
    id_number: str = ""          # masked unless --show-pii
    mobile: str = ""             # masked unless --show-pii
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    findings: list[PersonFinding] = field(default_factory=list)
    problem: dict[str, str] | None = None   # why the profile could not be checked {"zh", "en"}
    incomplete: dict[str, str] | None = None   # checks that could not run, and why {"zh", "en"}
    thumbnail: bytes | None = None          # a small JPEG of the ID photo, for the HTML report
    seconds: float = 0.0

    def reasons(self, lang: str, limit: int = 3) -> list[str]:
        """The first errors (then warnings), as "CODE message", for the summary."""
        if self.problem:
            return [self.problem[lang]]
        ranked = sorted(self.findings, key=lambda f: (f.severity != "error", f.severity != "warning", f.step))
        reasons = [f"{f.code} {f.message[lang]}" for f in ranked if f.severity != "info"]
        if self.incomplete:   # a pass that did not look at everything says so first
            reasons.insert(0 if self.verdict == PASS else len(reasons), self.incomplete[lang])
        return reasons[:limit]
