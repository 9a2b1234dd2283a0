"""Command line: parses, calls the core, renders. No rules here.

Exit codes: 0 nothing would be rejected; 1 something would; 2 the profile, a file or
the command line cannot be used; 3 an internal error (a bug: please report it).
Heavy modules are imported inside the commands so that `tjcheck --help` is fast.
"""
from __future__ import annotations

import os
import sys
from datetime import date
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from . import __version__

EXIT_OK, EXIT_REJECT, EXIT_UNUSABLE, EXIT_INTERNAL = 0, 1, 2, 3

app = typer.Typer(
    name="tjcheck",
    help="天津高级会计资格考试报名信息采集 预检工具 / Pre-flight checks for the Tianjin senior accounting exam "
         "information collection.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: skips importing rich's markdown stack (~100 ms)
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Lang(str, Enum):
    zh = "zh"
    en = "en"


class Format(str, Enum):
    rich = "rich"
    plain = "plain"
    json = "json"


LangOpt = typer.Option(Lang.zh, "--lang", "-l", envvar="TJCHECK_LANG", help="输出语言 / output language.")


def _console(stderr: bool = False):
    from rich.console import Console

    # Created here, never at import: a console built at import freezes its width.
    return Console(stderr=stderr, highlight=False, emoji=False, soft_wrap=False)


def _fail(exc, lang: str) -> None:
    sys.stderr.write("tjcheck: " + exc.text(lang) + "\n")   # text() shows control characters visibly
    raise typer.Exit(EXIT_UNUSABLE)


def _bug(exc, lang: str) -> None:
    """tjcheck's own mistake caught before it did harm (a file that would not read back)."""
    sys.stderr.write("tjcheck: " + exc.text(lang) + "\n")
    raise typer.Exit(EXIT_INTERNAL)


def _parse_date(value: Optional[str], lang: str, option: str = "--as-of") -> Optional[date]:
    """A day given on the command line: YYYY-MM-DD within the years tjcheck reasons about."""
    if value is None:
        return None
    from .dates import MAX_YEAR, MIN_YEAR, day_in_range
    from .errors import InputError

    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        _fail(InputError(None, f"{option} 应为日期 YYYY-MM-DD，而不是 “{value}”",
                         f"{option} expects a date YYYY-MM-DD, not '{value}'"), lang)
    if not day_in_range(day):
        _fail(InputError(None, f"{option} {value} 超出范围：应在 {MIN_YEAR}-01-01 至 {MAX_YEAR}-12-31 之间",
                         f"{option} {value} is out of range: give a day from {MIN_YEAR}-01-01 to {MAX_YEAR}-12-31"),
              lang)
    return day


AS_OF_HELP = "按此日期检查（今天是哪天：须已过去的日期、报名是否截止）YYYY-MM-DD / check as if today were this day."
COUNT_TO_HELP = ("年限计算至此日，而不是考试当年 12 月 31 日 YYYY-MM-DD / count the years of work up to this day instead "
                 "of 31 December of the exam year.")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tjcheck {__version__}")
        raise typer.Exit()


@app.callback()
def _root(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                       help="显示版本 / show the version."),
          no_cache: bool = typer.Option(False, "--no-cache", help="不使用、不保存证件文字识别缓存 / neither use nor "
                                        "keep the cache of text read on documents.")) -> None:
    """天津高级会计资格考试报名信息采集 预检工具。"""
    if no_cache:
        os.environ["TJCHECK_NO_CACHE"] = "1"      # batch workers inherit it


@app.command()
def verify(
    profile: Path = typer.Argument(..., metavar="PROFILE", help="档案文件 profile.yaml / the profile.",
                                   show_default=False),
    fmt: Format = typer.Option(Format.rich, "--format", "-f", help="rich（彩色清单）| plain（纯文本）| json."),
    lang: Lang = LangOpt,
    select: Optional[List[str]] = typer.Option(None, "--select", help="只运行这些代码前缀的规则，如 PH、ID007 / "
                                                                    "run only rules with these code prefixes."),
    ignore: Optional[List[str]] = typer.Option(None, "--ignore", help="跳过这些代码前缀 / skip these prefixes."),
    strict: bool = typer.Option(False, "--strict", help="警告也算不通过 / warnings count as failures."),
    exit_zero: bool = typer.Option(False, "--exit-zero", help="有问题也返回 0 / exit 0 even when rejected."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help=AS_OF_HELP),
    count_to: Optional[str] = typer.Option(None, "--count-to", help=COUNT_TO_HELP),
    ruleset: Optional[Path] = typer.Option(None, "--ruleset", help="使用另一份规则集 / use another ruleset file."),
    show_pii: bool = typer.Option(False, "--show-pii", help="显示完整证件号和手机号 / show full ID and phone numbers."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="只列出问题 / list problems only."),
) -> None:
    """检查档案：逐步列出平台或审核会退回的问题 / Check a profile, step by step."""
    from .engine import load_ruleset
    from .engine import verify as run
    from .errors import InputError
    from .profile import load_profile

    lang_ = lang.value
    day = _parse_date(as_of, lang_)
    until = _parse_date(count_to, lang_, "--count-to")
    try:
        rs = load_ruleset(ruleset)
        loaded = load_profile(profile, rs["identity"]["password_keys"])
        report = run(loaded, rs, as_of=day, count_to=until, select=select, ignore=ignore, show_pii=show_pii)
    except InputError as exc:
        _fail(exc, lang_)
    report.profile_file = str(profile)
    steps = rs["steps"]
    if fmt is Format.json:
        from .render.jsonout import dumps, report_json
        from .render.safe import json_text   # DEL, C1, bidi escaped: the same data, harmless on a terminal

        sys.stdout.write(json_text(dumps(report_json(report, steps, lang_, strict))) + "\n")
    elif fmt is Format.plain:
        from .render.checklist import render_plain

        render_plain(report, steps, sys.stdout, lang_, strict, quiet)
    else:
        from .render.checklist import render_rich

        render_rich(report, steps, _console(), lang_, strict, quiet)
    raise typer.Exit(EXIT_REJECT if report.rejected(strict) and not exit_zero else EXIT_OK)


EXIT_CANCELLED = 130


def _has_terminal() -> bool:
    """Whether a person can be asked (the questionnaire's tests answer in place of one)."""
    return sys.stdin.isatty()


@app.command()
def init(
    profile: Path = typer.Argument(Path("profile.yaml"), metavar="PROFILE", help="要写入的档案 / the profile to write."),
    from_: Optional[Path] = typer.Option(None, "--from", help="以已有档案的内容为默认答案，逐项修改 / start from an "
                                                              "existing profile, every answer defaulting to it."),
    answers: Optional[Path] = typer.Option(None, "--answers", help="从答案文件填写，不提问（格式同档案）/ fill the "
                                                                   "questionnaire from a file, without asking."),
    force: bool = typer.Option(False, "--force", help="覆盖已有档案（先备份）/ overwrite an existing profile (after "
                                                      "a backup)."),
    lang: Lang = LangOpt,
) -> None:
    """问卷：按平台十一个步骤逐项填写，生成档案并检查 / Questionnaire: writes the profile, then checks it.

    Ctrl-C（或出错）时已填写的答案保存为 PROFILE.draft，下次运行时可从草稿继续 / On Ctrl-C (or a crash) the
    answers so far are kept in PROFILE.draft, and the next run offers to resume from it."""
    from .engine import load_ruleset
    from .errors import InputError
    from .profile import load_profile, take_secrets
    from .questionnaire.draft import draft_path, keep_draft, read_draft, remove_draft
    from .questionnaire.flow import Questionnaire
    from .questionnaire.prompts import AnswersPrompter, Question, TerminalPrompter
    from .questionnaire.writer import NotReadBack, refuse_existing, write_new
    from .safeio import resolved
    from .yamlload import load_yaml

    lang_ = lang.value
    zh = lang_ == "zh"
    console = _console()

    from .render.safe import visible

    def say(zh_text: str, en_text: str) -> None:   # a path in it stays whole: the terminal wraps it
        console.print(visible(zh_text if zh else en_text), markup=False, soft_wrap=True)

    draft = draft_path(profile)
    try:
        if from_ and answers:
            raise InputError(None, "--from 和 --answers 只能用一个。", "use --from or --answers, not both.")
        refuse_existing(profile, force)   # before asking anything
        if answers is None and not _has_terminal():
            raise InputError(None, "标准输入不是终端，无法提问：请在终端中运行，或用 --answers 答案文件。",
                             "stdin is not a terminal, so nothing can be asked: run it in a terminal, or give "
                             "--answers FILE.")
        rs = load_ruleset()
        keys = rs["identity"]["password_keys"]
        source = from_ or answers
        defaults = {}
        if source is not None:
            load_profile(source, keys)   # shape, unknown keys: exit 2 with lines
            defaults = load_yaml(source).data or {}
            if take_secrets(defaults, {k.lower() for k in keys}):   # a password never reaches the new file
                say("注意：文件中的密码已忽略，不会写入档案。", "note: the password in the file was ignored and is not "
                    "written to the profile.")
        # an answers file is the whole session: it neither resumes a person's draft nor replaces it
        resumable = read_draft(profile, keys) if answers is None else None
    except InputError as exc:
        _fail(exc, lang_)
    if answers is not None:   # the answers quote the file: controls shown, never obeyed
        prompter = AnswersPrompter(lambda text, style="": console.print(visible(text), style=style or None,
                                                                        markup=False))
        if draft.exists():
            say(f"注意：{draft} 是交互填写中断时的草稿，--answers 不使用也不改动它。",
                f"note: {draft} is the draft of an interrupted session; --answers neither uses nor changes it.")
    else:
        prompter = TerminalPrompter(console, str(resolved(profile).parent))
    say("tjcheck init — 按平台“会计人员信息采集”的十一个步骤填写；Ctrl-C 随时退出，已填写的答案保存为草稿。",
        "tjcheck init — the platform's eleven steps, in order; Ctrl-C quits at any point and keeps the answers "
        "so far in a draft.")
    if resumable is not None:
        try:
            resume = prompter.confirm(Question("resume", "发现上次未完成的草稿 {}：从草稿继续吗？（否：重新开始，草稿保留到档案写出）"
                                               .format(draft) if zh else f"an unfinished draft was found, {draft}: go "
                                               "on from it? (no: start afresh; the draft is kept until the profile "
                                               "is written)", True))
        except KeyboardInterrupt:
            say("\n已取消，草稿保持原样。", "\ncancelled; the draft is left as it was.")
            raise typer.Exit(EXIT_CANCELLED)
        if resume:
            defaults = resumable   # every answer pre-filled; the draft already holds what --from gave

    questionnaire = Questionnaire(prompter, rs, resolved(profile).parent, lang_, defaults)
    try:
        data = questionnaire.run()
    except (KeyboardInterrupt, Exception) as exc:   # Ctrl-C or a crash: keep what was answered
        kept, why = None, ""
        if answers is None:        # an answers file loses nothing: it is still there
            try:
                kept = keep_draft(profile, questionnaire.data, defaults)
            except (OSError, NotReadBack) as problem:
                why = getattr(problem, "strerror", None) or str(problem)
        if kept:
            say(f"\n已填写的答案保存在草稿 {kept}；再次运行 tjcheck init {profile} 可从草稿继续。",
                f"\nthe answers so far are kept in the draft {kept}; run tjcheck init {profile} again to go on "
                "from it.")
        elif why:
            say(f"\n草稿无法保存（{why}）。", f"\nthe draft could not be kept ({why}).")
        if not isinstance(exc, KeyboardInterrupt):
            raise
        say("已取消，档案未写入。" if kept else "\n已取消，未写入任何文件。",
            "cancelled; the profile was not written." if kept else "\ncancelled; nothing was written.")
        raise typer.Exit(EXIT_CANCELLED)
    try:
        backup = write_new(profile, data, force)
    except NotReadBack as exc:
        _bug(exc, lang_)
    except (InputError, OSError) as exc:
        _fail(exc if isinstance(exc, InputError) else InputError(
            profile, f"无法写入档案（{exc.strerror or exc}）：请换一个文件夹或文件名。",
            f"the profile cannot be written ({exc.strerror or exc}): choose another folder or name."), lang_)
    if answers is None:
        remove_draft(profile)   # its answers are in the profile now
    console.print("")
    say(f"已写入 {profile}" + (f"（原文件已备份为 {backup.name}）" if backup else ""),
        f"wrote {profile}" + (f" (the old file is backed up as {backup.name})" if backup else ""))
    console.print("")
    verify(profile, Format.rich, lang, None, None, False, False, None, None, None, False, False)


def _positive(value: Optional[float]) -> Optional[float]:
    if value is not None and not value > 0:   # also NaN
        raise typer.BadParameter("须大于 0 / must be more than 0")
    return value


def _unwritten(report: Path, exc: OSError):
    from .errors import InputError

    why = exc.strerror or str(exc)
    return InputError(report, f"报告未能写入（{why}），已删除未完成的部分。", f"the report could not be written ({why}); "
                      "the unfinished part was removed.")


@app.command()
def batch(
    folder: Path = typer.Argument(..., metavar="DIR", help="员工文件夹所在的文件夹 / the folder of staff folders.",
                                  show_default=False),
    pattern: str = typer.Option("profile.yaml", "--pattern", help="档案文件名（可用通配符）/ profile file name "
                                                                  "(wildcards allowed)."),
    jobs: int = typer.Option(0, "--jobs", "-j", help="并行进程数，默认为 CPU 核数 / worker processes (default: the "
                                                     "number of cores).", show_default=False),
    report_file: Optional[Path] = typer.Option(None, "--report", help="报告文件：.xlsx .csv .json .html / a report "
                                                                      "file, by extension."),
    force: bool = typer.Option(False, "--force", help="覆盖已有报告 / overwrite an existing report."),
    lang: Lang = LangOpt,
    strict: bool = typer.Option(False, "--strict", help="警告也算不通过 / warnings count as failures."),
    exit_zero: bool = typer.Option(False, "--exit-zero", help="有问题也返回 0 / exit 0 even when someone is rejected."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help=AS_OF_HELP),
    count_to: Optional[str] = typer.Option(None, "--count-to", help=COUNT_TO_HELP),
    ruleset: Optional[Path] = typer.Option(None, "--ruleset", help="使用另一份规则集 / use another ruleset file."),
    show_pii: bool = typer.Option(False, "--show-pii", help="显示完整证件号和手机号 / show full ID and phone numbers."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="只显示统计，不列每个人 / totals only, no row per person."),
    timeout: Optional[float] = typer.Option(None, "--timeout", metavar="SECONDS", callback=_positive,
                                            help="每人最长检查时间，超时则该行注明原因，其余照常（默认 120 秒）/ "
                                                 "time limit per person: past it, the row says so and the batch goes "
                                                 "on (default 120 s)."),
) -> None:
    """批量检查：每个员工一个文件夹，并行检查并汇总 / Check every staff folder under DIR, in parallel."""
    from .batch.run import DEFAULT_TIMEOUT, Settings, Totals, default_jobs, find_profiles, run
    from .batch.summary import Row, people_table, totals_lines
    from .engine import load_ruleset
    from .errors import InputError
    from .render.safe import visible

    lang_ = lang.value
    zh = lang_ == "zh"
    day = _parse_date(as_of, lang_)
    until = _parse_date(count_to, lang_, "--count-to")
    writer = None
    try:
        if not folder.is_dir():
            raise InputError(folder, "不是一个文件夹。" if folder.exists() else "找不到这个文件夹。",
                             "is not a folder." if folder.exists() else "folder not found.")
        load_ruleset(ruleset)   # a broken ruleset stops here, not in every worker
        profiles = find_profiles(folder, pattern)
        if not profiles:
            raise InputError(folder, f"其下没有找到 {pattern}（每个员工一个文件夹，内含档案和图片）。",
                             f"no {pattern} found under it (one folder per person, with the profile and images).")
        if report_file is not None:   # opened now: a report that cannot be written stops before any work
            from .batch.reports import open_report

            writer = open_report(report_file, lang_, force=force)
    except InputError as exc:
        _fail(exc, lang_)

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    console = _console()
    settings = Settings(root=folder, ruleset=ruleset, as_of=day, count_to=until, show_pii=show_pii, strict=strict,
                        thumbnails=bool(report_file and report_file.suffix.lower() == ".html"))
    workers = jobs if jobs > 0 else default_jobs()
    totals, rows, unwritten = Totals(), [], None
    progress = Progress(TextColumn("检查中" if zh else "checking"), BarColumn(), MofNCompleteColumn(),
                        TimeRemainingColumn(), console=console, transient=True, disable=not console.is_terminal)
    try:
        with progress:
            task = progress.add_task("", total=len(profiles))
            for person in run(profiles, settings, min(workers, len(profiles)), timeout or DEFAULT_TIMEOUT):
                totals.add(person)
                if writer:
                    try:
                        writer.add(person)
                    except OSError as exc:   # a full disk: the rows still count; said after them
                        unwritten, writer = _unwritten(report_file, exc), None
                if not quiet:
                    rows.append(Row.of(person, lang_))
                progress.advance(task)
        if writer:
            try:
                writer.close(totals.as_dict())
            except OSError as exc:   # the folder went away or became read-only meanwhile
                unwritten = _unwritten(report_file, exc)
            writer = None
    except KeyboardInterrupt:
        console.print("已中断；报告未写入。" if zh else "interrupted; no report was written.")
        raise typer.Exit(EXIT_CANCELLED)
    finally:
        if writer:
            writer.abort()
    if rows:
        console.print(people_table(rows, lang_))
    for line in totals_lines(totals.as_dict(), lang_):
        console.print(line, markup=False)
    if unwritten is not None:
        _fail(unwritten, lang_)
    if report_file:
        console.print(visible(f"报告：{report_file}" if zh else f"report: {report_file}"), markup=False)
    anyone_refused = totals.verdicts["reject"] or totals.verdicts["unusable"]
    raise typer.Exit(EXIT_REJECT if anyone_refused and not exit_zero else EXIT_OK)


@app.command()
def merge(
    inputs: List[Path] = typer.Argument(..., metavar="IN", help="图片或 PDF，按此顺序合并 / images or PDFs, merged "
                                                                   "in this order.", show_default=False),
    out: Path = typer.Option(..., "--out", "-o", help="要写入的 jpg / the jpg to write.", show_default=False),
    grid: bool = typer.Option(False, "--grid", help="两列排列（默认上下排列）/ two columns (default: one above "
                                                    "the other)."),
    force: bool = typer.Option(False, "--force", help="覆盖已有输出 / overwrite an existing output."),
    lang: Lang = LangOpt,
) -> None:
    """多页证明合并为一张可上传的 jpg（大于 20KB、不超过 500KB，文字清晰）/ Merge pages into one uploadable jpg."""
    from .engine import load_ruleset
    from .errors import InputError
    from .fixing.merge import merge_pages

    lang_ = lang.value
    try:
        result = merge_pages(inputs, out, grid=grid, force=force, limits=load_ruleset()["attachments"])
    except InputError as exc:   # includes MergeRefused: the pages cannot fit legibly; nothing written
        _fail(exc, lang_)
    from .render.safe import visible

    for line in result.lines(lang_):
        typer.echo(visible(line))


@app.command()
def fix(
    profile: Path = typer.Argument(..., metavar="PROFILE", help="档案文件 profile.yaml / the profile.",
                                   show_default=False),
    out: Path = typer.Option(..., "--out", "-o", metavar="DIR", show_default=False,
                             help="写入合规副本和新档案的文件夹；不能是档案或图片所在的文件夹 / the folder for the "
                                  "compliant copies and the new profile; not the profile's or the images' folder."),
    lang: Lang = LangOpt,
) -> None:
    """生成合规的图片副本和指向它们的新档案，原文件不动 / Write compliant copies of fixable images and a new profile
    that points at them; the originals are never touched."""
    from .errors import InputError
    from .fixing.fix import fix_profile, fix_table, summary_lines
    from .questionnaire.writer import NotReadBack

    lang_ = lang.value
    try:
        result = fix_profile(profile, out, lang_)
    except InputError as exc:
        _fail(exc, lang_)
    except NotReadBack as exc:   # the new profile would not read back: nothing was left behind
        _bug(exc, lang_)
    console = _console()
    console.print(fix_table(result, lang_))
    for line in summary_lines(result, lang_):
        console.print(line, markup=False)
    raise typer.Exit(EXIT_OK if result.clean else EXIT_REJECT)


@app.command("rules")
def rules_cmd(
    lang: Lang = LangOpt,
    step: Optional[int] = typer.Option(None, "--step", min=1, max=11, help="只列此步骤 / only this step."),
    as_json: bool = typer.Option(False, "--json", help="JSON 输出 / JSON output."),
) -> None:
    """列出全部检查规则 / List every check."""
    import json

    from .engine import all_rules, shipped_ruleset
    from .render.rules import render_table, rule_dict

    steps = shipped_ruleset()["steps"]
    rules = [r for _, r in sorted(all_rules().items()) if step is None or step in r.steps]
    rules.sort(key=lambda r: (r.step, r.code))
    if as_json:
        typer.echo(json.dumps([rule_dict(r, steps, lang.value) for r in rules], ensure_ascii=False, indent=2))
    else:
        render_table(rules, steps, _console(), lang.value)


@app.command("rule")
def rule_cmd(code: str = typer.Argument(..., help="规则代码，如 ID007 / a rule code."), lang: Lang = LangOpt) -> None:
    """说明一条规则 / Explain one check."""
    import difflib

    from .engine import all_rules, shipped_ruleset
    from .render.rules import render_rule

    rules = all_rules()
    rule = rules.get(code.strip().upper())
    if rule is None:
        near = difflib.get_close_matches(code.strip().upper(), list(rules), n=3)
        hint = f"（相近：{', '.join(near)}）" if near else ""
        hint_en = f" (close: {', '.join(near)})" if near else ""
        from .render.safe import visible

        sys.stderr.write("tjcheck: " + visible(f"没有规则 {code}{hint}" if lang is Lang.zh else
                                               f"no rule {code}{hint_en}") + "\n")
        raise typer.Exit(EXIT_UNUSABLE)
    render_rule(rule, shipped_ruleset()["steps"], _console(), lang.value)


@app.command()
def cache(clear: bool = typer.Option(False, "--clear", help="清空缓存 / empty the cache."), lang: Lang = LangOpt) -> None:
    """证件文字识别缓存：位置与清空 / The cache of text read on documents: where it is, and emptying it."""
    from .documents import cache as store

    where = store.folder()
    if clear:
        n = store.clear()
        typer.echo(f"已删除 {n} 条缓存：{where}" if lang.value == "zh" else f"removed {n} cached entries: {where}")
        return
    n = len(list(where.glob("*.json"))) if where.is_dir() else 0
    typer.echo(f"{where}（{n} 条；只含识别出的文字，不含图片；tjcheck cache --clear 清空，--no-cache 不使用）"
               if lang.value == "zh" else f"{where} ({n} entries; text read only, no images; tjcheck cache --clear "
                                          "empties it, --no-cache leaves it unused)")


@app.command()
def schema() -> None:
    """输出档案的 JSON Schema（供编辑器补全和校验）/ Print the profile's JSON Schema."""
    import json

    from .profile import json_schema

    typer.echo(json.dumps(json_schema(), ensure_ascii=False, indent=2))


def _mute_native_stderr() -> None:
    """Native libraries (mediapipe's TFLite and absl) log to file descriptor 2 from their own
    threads, even after a call returns. The process's fd 2 goes to /dev/null, and Python's
    sys.stderr — tjcheck's own messages — keeps writing to the real stderr."""
    try:
        if sys.stderr.fileno() != 2:
            return
        sys.stderr.flush()
        real = os.dup(2)
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 2)
        os.close(null)
        sys.stderr = os.fdopen(real, "w", buffering=1, encoding=sys.stderr.encoding or "utf-8",
                               errors="backslashreplace")
    except (AttributeError, OSError, ValueError):
        pass   # an unusual stderr: leave it as it is


def main() -> None:
    """Console entry point: every failure becomes a message and an exit code, never a traceback."""
    if not os.environ.get("TJCHECK_DEBUG"):
        _mute_native_stderr()
    try:
        app()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.stderr.write("\ntjcheck: 已中断 / interrupted\n")
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(EXIT_OK)
    except Exception as exc:  # a bug: say so plainly, and how to see the details
        if os.environ.get("TJCHECK_DEBUG"):
            raise
        from .render.safe import visible

        sys.stderr.write(f"tjcheck: 内部错误 / internal error: {type(exc).__name__}: {visible(exc)}\n"
                         "设置 TJCHECK_DEBUG=1 可查看详情；请报告此问题。/ Set TJCHECK_DEBUG=1 for details; please "
                         "report it.\n")
        sys.exit(EXIT_INTERNAL)


if __name__ == "__main__":
    main()
