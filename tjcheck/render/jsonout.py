"""Machine-readable output. The layout is versioned by ``format_version`` (see README)."""
from __future__ import annotations

import json

from .. import __version__
from ..report import JSON_FORMAT_VERSION, Outcome, Report, Severity


def report_json(report: Report, steps: dict, lang: str, strict: bool) -> dict:
    by_step: dict[int, list] = {s: [] for s in steps}
    for r in report.results:
        by_step[r.step].append(r)
    return {
        "format_version": JSON_FORMAT_VERSION,
        "tool": {"name": "tjcheck", "version": __version__},
        "profile": report.profile_file,
        "ruleset": report.ruleset,
        "exam_year": report.exam_year,
        "cutoff": report.cutoff,
        "as_of": report.as_of,
        "lang": lang,
        "strict": strict,
        "verdict": report.verdict(strict),
        # false when a check could not run (an optional component missing): "pass" then
        # covers only the checks that ran; "skipped" says which, why and what to install
        "complete": report.complete,
        "skipped": [{"reason": why, "codes": codes} for why, codes in report.skipped(lang)],
        "subject": report.subject,
        "summary": {
            "errors": report.count(Severity.ERROR),
            "warnings": report.count(Severity.WARNING),
            "infos": report.count(Severity.INFO),
            "checks_passed": report.count_outcome(Outcome.PASSED),
            "checks_not_applicable": report.count_outcome(Outcome.NOT_APPLICABLE),
            "checks_skipped": report.count_outcome(Outcome.SKIPPED),
        },
        "steps": [
            {"step": s, "title": steps[s][lang],
             "checks": [{"code": r.code, "title": r.title[lang], "outcome": r.outcome.value}
                        | ({"skipped_because": r.note[lang]} if r.note else {}) for r in by_step[s]]}
            for s in sorted(steps)
        ],
        "findings": [f.to_json(lang) for f in report.findings],
    }


def dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
