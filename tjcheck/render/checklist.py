"""The checklist, grouped by the guide's eleven steps: rich (colour) or plain (for logs)."""
from __future__ import annotations

from ..report import Outcome, Report, Severity
from .safe import visible

MARKS = {  # outcome or severity -> (rich mark, style, plain mark)
    Outcome.PASSED: ("✔", "green", "[ OK ]"),
    Outcome.NOT_APPLICABLE: ("·", "dim", "[ -- ]"),
    Outcome.SKIPPED: ("⊘", "magenta", "[SKIP]"),
    Severity.ERROR: ("✖", "bold red", "[FAIL]"),
    Severity.WARNING: ("⚠", "yellow", "[WARN]"),
    Severity.INFO: ("ℹ", "cyan", "[INFO]"),
}

WORDS = {
    "zh": {"title": "tjcheck 检查报告", "exam": "报考年度", "cutoff": "年限计算至", "ruleset": "规则集",
           "no_checks": "无需离线检查（沿用第一步的注册信息；审核结果在平台上查看）", "fix": "修改",
           "deselected": "本步骤的检查均未选中（--select / --ignore）",
           "skipped": "{n} 项检查未运行（{codes}）：{why}",
           "incomplete": "结论：未发现会被退回的问题，但有 {n} 项检查未能运行 ⊘（{why}）",
           "na": "项不适用", "passed": "项通过", "pass": "结论：可以提交 ✔", "reject": "结论：暂不能提交 ✖",
           "summary": "{e} 个错误，{w} 个警告，{i} 个提示；{p} 项检查通过{s}",
           "strict": "（--strict：警告也算不通过）",
           "files": "{codes} 图片文件检查 {n} 项通过（存在、完整、格式、大小、一位一图）",
           "documents": "{codes} 证件内容检查 {n} 项通过（证件种类、与档案一致、有效期）"},
    "en": {"title": "tjcheck report", "exam": "exam year", "cutoff": "years counted to", "ruleset": "ruleset",
           "no_checks": "nothing to check offline (uses step 1's data; the result is shown on the platform)",
           "deselected": "no check of this step was selected (--select / --ignore)",
           "skipped": "{n} check(s) not run ({codes}): {why}",
           "incomplete": "Verdict: nothing found that would be refused, but {n} check(s) could not run ⊘ ({why})",
           "fix": "fix", "na": "not applicable", "passed": "passed", "pass": "Verdict: ready to submit ✔",
           "reject": "Verdict: not ready to submit ✖",
           "summary": "{e} error(s), {w} warning(s), {i} note(s); {p} check(s) passed{s}",
           "strict": " (--strict: warnings count)",
           "files": "{codes}: {n} image-file checks passed (present, complete, format, size, one per slot)",
           "documents": "{codes}: {n} document checks passed (kind, matches the profile, validity)"},
}


def lines(report: Report, steps: dict, lang: str, strict: bool, quiet: bool):
    """Yield (mark_key, indent, text, style) rows; the two renderers only differ in how they print them."""
    w = WORDS[lang]
    s = report.subject
    derived = f"{s['gender']} {s['birth_date']}" if s.get("gender") else ""
    who = "  ".join(x for x in (s.get("name"), s.get("id_number"), derived, s.get("mobile")) if x)
    yield None, 0, f"{w['title']}  {report.profile_file}", "bold"
    if who:
        yield None, 0, who, ""
    meta = f"{w['exam']} {report.exam_year}  |  {w['cutoff']} {report.cutoff}  |  {w['ruleset']} {report.ruleset}"
    yield None, 0, meta, "dim"
    by_step: dict[int, list] = {}
    for result in report.results:
        by_step.setdefault(result.step, []).append(result)
    for step in sorted(steps):
        yield None, 0, "", ""
        yield None, 0, steps[step][lang], "bold underline"
        results = by_step.get(step, [])
        if not results:
            yield Outcome.NOT_APPLICABLE, 1, w["deselected" if step in report.deselected_steps else "no_checks"], "dim"
            continue
        na = sum(1 for r in results if r.outcome is Outcome.NOT_APPLICABLE)
        passed = [r for r in results if r.outcome is Outcome.PASSED]
        shared = [r for r in passed if r.shared]
        skipped: dict[str, list[str]] = {}   # one line per reason, not one per check
        for r in results:
            if r.outcome is Outcome.PASSED and not quiet and not r.shared:
                yield Outcome.PASSED, 1, f"{r.code} {r.title[lang]}", "green"
            if r.outcome is Outcome.SKIPPED:
                skipped.setdefault((r.note or {}).get(lang, ""), []).append(r.code)
            for f in r.findings:
                where = f"{report.profile_file}:{f.line}" if f.line else report.profile_file
                yield f.severity, 1, f"{f.code} {f.message[lang]}", MARKS[f.severity][1]
                yield None, 3, f"{where} {f.path}".strip(), "dim"
                if f.fix[lang]:
                    yield None, 3, f"→ {w['fix']}：{f.fix[lang]}" if lang == "zh" else f"→ {w['fix']}: {f.fix[lang]}", ""
        for why, codes in skipped.items():
            yield Outcome.SKIPPED, 1, w["skipped"].format(n=len(codes), codes=", ".join(codes), why=why), "magenta"
        for words, group in (("files", [r for r in shared if not r.code.startswith("DC")]),
                             ("documents", [r for r in shared if r.code.startswith("DC")])):
            if group and not quiet:   # the per-slot checks of a step, one line per family
                codes = _runs([r.code for r in group], "、" if lang == "zh" else ", ")
                yield Outcome.PASSED, 1, w[words].format(n=len(group), codes=codes), "green"
        if quiet and passed:
            yield Outcome.PASSED, 1, f"{len(passed)} {w['passed']}", "green"
        if na and not quiet:
            yield Outcome.NOT_APPLICABLE, 1, f"{na} {w['na']}", "dim"
    yield None, 0, "", ""
    summary = w["summary"].format(e=report.count(Severity.ERROR), w=report.count(Severity.WARNING),
                                  i=report.count(Severity.INFO),
                                  p=report.count_outcome(Outcome.PASSED),
                                  s=_skipped(report, lang))
    yield None, 0, summary + (w["strict"] if strict else ""), ""
    if report.rejected(strict):
        yield None, 0, w["reject"], "bold red"
    elif not report.complete:   # nothing found, but not everything looked at: no ✔
        why = ("；" if lang == "zh" else "; ").join(why for why, _ in report.skipped(lang))
        yield None, 0, w["incomplete"].format(n=report.count_outcome(Outcome.SKIPPED), why=why), "bold magenta"
    else:
        yield None, 0, w["pass"], "bold green"


def _skipped(report: Report, lang: str) -> str:
    n = report.count_outcome(Outcome.SKIPPED)
    if not n:
        return ""
    return f"，{n} 项跳过" if lang == "zh" else f", {n} skipped"


def render_rich(report: Report, steps: dict, console, lang: str, strict: bool, quiet: bool) -> None:
    from rich.text import Text

    from .wrap import wrap

    for key, indent, text, style in lines(report, steps, lang, strict, quiet):
        lead = Text("  " * indent)
        if key is not None:
            mark, mark_style, _ = MARKS[key]
            lead.append(mark + " ", style=mark_style)
        own = style if key is None or isinstance(key, Outcome) else ""
        # wrap by hand so continuation lines hang under the text, not under the mark
        width = max(console.width - lead.cell_len, 20)
        # rows quote the profile (names, values, file names): controls shown, never obeyed
        parts = [Text(row, style=own) for para in visible(text).split("\n") for row in wrap(para, width)]
        for i, part in enumerate(parts):
            console.print(Text.assemble(lead if i == 0 else " " * lead.cell_len, part), soft_wrap=True)


def render_plain(report: Report, steps: dict, out, lang: str, strict: bool, quiet: bool) -> None:
    for key, indent, text, _ in lines(report, steps, lang, strict, quiet):
        mark = (MARKS[key][2] + " ") if key is not None else ""
        out.write(("  " * indent + mark + visible(text)).rstrip() + "\n")


def _runs(codes: list[str], sep: str) -> str:
    """Rule codes as runs of consecutive numbers: AT001–AT009, or DC001–DC003、DC012 (two in a row are named both)."""
    out: list[list[str]] = []
    for code in sorted(set(codes)):
        prev = out[-1][-1] if out else ""
        if prev and prev[:2] == code[:2] and int(code[2:]) == int(prev[2:]) + 1:
            out[-1].append(code)
        else:
            out.append([code])
    return sep.join(f"{run[0]}–{run[-1]}" if len(run) > 2 else sep.join(run) for run in out)
