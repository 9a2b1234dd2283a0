"""Steps 10–11: the 会计师 record, and whether the applicant may sit the senior exam at all."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ..dates import add_years, merge, subtract, total_days, years_months
from .base import ERROR, INFO, WARNING, Context, hit, present, rule

ELIG_SOURCE = "高级会计资格考试报名条件（2025 年起，2026 年相同）：取得会计师资格后从事与会计师职责相关工作满规定年限"


def title_kind(ctx: Context) -> str | None:
    """'required' (会计师), 'higher', 'retired' (no longer counts) or None (unknown)."""
    t = ctx.rs["title"]
    name = (ctx.p.title.name or "").strip()
    if name in t["accepted"]:
        return "required"
    if name in t["higher"]:
        return "higher"
    if name in t["no_longer_count"]:
        return "retired"
    return None


@rule("TL001", step=10, severity=ERROR, title=("会计师资格记录", "会计师 title recorded"),
      message=("没有会计专业技术资格（会计师）记录：报考高级资格须已取得会计师资格", "no 会计师 record: the senior exam "
               "requires the intermediate title (会计师)"),
      fix=("在 title 下填写 name: 会计师 和取得时间 obtained。", "Fill title.name: 会计师 and title.obtained."),
      source="操作指引（十）；报名条件")
def title_given(ctx: Context):
    """The 会计人员职称 record holds the 会计专业技术资格 (for this exam: 会计师)."""
    if not present(ctx.p.title.name):
        yield hit(("title", "name"))


@rule("TL002", step=10, severity=ERROR, title=("资格为会计师", "The title is 会计师"),
      message=("资格 “{value}” {problem}", "the title '{value}' {problem}"),
      fix=("报考高级会计师须持有会计师（中级会计专业技术资格）。", "The senior exam needs 会计师 (the intermediate "
           "accounting title)."), source="报名条件：审计师、经济师、统计师不再作为报考条件 [firm for 2025]",
      when=lambda c: present(c.p.title.name))
def title_is_accountant(ctx: Context):
    """Only 会计师 counts; 审计师, 经济师 and 统计师 no longer do. A holder of a higher title
    gets a warning (there is nothing to sit)."""
    kind = title_kind(ctx)
    value = ctx.p.title.name
    if kind == "retired":
        yield hit(("title", "name"), value=value, problem=("已不再作为报考高级会计师的条件", "no longer qualifies"))
    elif kind == "higher":
        yield hit(("title", "name"), severity=WARNING, value=value,
                  problem=("已高于会计师：无需报考高级资格考试", "is already above 会计师"))
    elif kind is None:
        yield hit(("title", "name"), value=value, problem=("不是会计师资格", "is not the 会计师 title"))


@rule("TL003", step=10, severity=ERROR, title=("取得时间", "Date obtained"),
      message=("会计师资格{problem}", "the 会计师 title {problem}"),
      fix=("照资格证书填写批准日期（title.obtained）。", "Give the approval date on the certificate (title.obtained)."),
      source="操作指引（十）", when=lambda c: present(c.p.title.name))
def title_date(ctx: Context):
    """The date obtained is needed to count the years since, and cannot be in the future."""
    obtained = ctx.p.title.obtained
    if obtained is None:
        yield hit(("title", "obtained"), problem=("缺少取得时间", "has no date obtained"))
    elif obtained.first > ctx.today:
        yield hit(("title", "obtained"), problem=(f"取得时间 {obtained} 在今天之后", f"date {obtained} is in the future"))


@rule("TL004", step=10, severity=WARNING, title=("资格证书图片", "Certificate image"),
      message=("未提供会计师资格证书图片", "no image of the 会计师 certificate"),
      fix=("准备证书图片（jpg/png，20–500KB），平台无法自动读取记录时需上传。", "Have an image of the certificate ready "
           "(jpg/png, 20–500 KB) for when the platform cannot find the record itself."),
      source="操作指引（十）：按系统提示完成信息采集 [likely]", tag="likely", when=lambda c: title_kind(c) == "required")
def title_certificate(ctx: Context):
    """The platform usually finds the national exam record itself, but asks for the
    certificate when it cannot (older or transferred records)."""
    if not ctx.p.title.certificate_image:
        yield hit(("title", "certificate_image"))


# --- eligibility ------------------------------------------------------------------

@dataclass
class Eligibility:
    basis: tuple[str, str]        # (zh, en) the qualification used
    years: int                    # years required
    counted_days: int             # counted up to the cutoff
    required_days: int
    eligible_from: date | None    # when the count reaches the requirement, if it ever does


def best_qualification(ctx: Context) -> tuple[tuple[str, str], int] | None:
    """The qualification needing the fewest years, from obtained entries."""
    levels, degrees = ctx.rs["education"]["levels"], ctx.rs["education"]["degrees"]
    got = [e for e in ctx.p.education if e.end is not None and not e.end.ongoing]

    def holds(kind: str, name: str, rank_of, table) -> bool:
        """That qualification itself, or one ranked above it (第二学士 and 学士 share a rank)."""
        return any((getattr(e, kind) or "").strip() == name or (rank_of(getattr(e, kind)) or -1) > table[name]["rank"]
                   for e in got)

    options = []
    for r in ctx.rs["eligibility"]["rules"]:
        if "degree" in r and holds("degree", r["degree"], ctx.degree_rank, degrees) or \
                "level" in r and holds("level", r["level"], ctx.level_rank, levels):
            options.append((r["years"], (r["zh"], r["en"])))
    if not options:
        return None
    years, basis = min(options, key=lambda o: o[0])
    return basis, years


def counted_periods(ctx: Context, until: date) -> list[tuple[date, date]]:
    """Accounting work after the title: the posts (or the job, where posts are missing),
    ongoing ones running to `until`, minus full-time study."""
    spans = []
    for w in ctx.p.work:
        items = w.posts if w.posts else ([w] if w.accounting else [])
        for item in items:
            if item.start and item.end:
                spans.append((item.start.first, item.end.end_or(until)))
    start = ctx.p.title.obtained.first
    spans = [(max(a, start), min(b, until)) for a, b in spans]
    if ctx.rs["eligibility"]["exclude_full_time_study"]:
        spans = subtract(spans, ctx.full_time_study(until))
    return merge(spans)


def reach_date(periods: list[tuple[date, date]], required_days: int) -> date | None:
    acc = 0
    for a, b in periods:
        length = (b - a).days + 1
        if acc + length >= required_days:
            return a + timedelta(days=required_days - acc - 1)
        acc += length
    return None


def eligibility(ctx: Context) -> Eligibility | None:
    """Computed once per run (EL002 and EL003 both read it)."""
    return ctx.memo("eligibility", lambda: _eligibility(ctx))


def _eligibility(ctx: Context) -> Eligibility | None:
    best = best_qualification(ctx)
    if best is None or ctx.p.title.obtained is None:
        return None
    basis, years = best
    start = ctx.p.title.obtained.first
    required = (add_years(start, years) - start).days
    counted = total_days(counted_periods(ctx, ctx.cutoff))
    horizon = add_years(ctx.cutoff, 30)  # ongoing work projected forward
    return Eligibility(basis, years, counted, required, reach_date(counted_periods(ctx, horizon), required))


def _eligible_ready(ctx: Context) -> bool:
    return title_kind(ctx) == "required" and ctx.p.title.obtained is not None and bool(ctx.p.education)


def _ym(days: int) -> tuple[str, str]:
    y, m = years_months(days)
    return f"{y} 年 {m} 个月", f"{y} years {m} months"


@rule("EL001", step=11, severity=ERROR, title=("学历满足报考条件", "Education meets the conditions"),
      message=("已取得的学历学位不满足报考条件（至少须大学专科学历）", "no qualification obtained meets the conditions "
               "(a junior-college level at least)"),
      fix=("报考高级资格须具备大学专科及以上学历，或学士及以上学位。", "The senior exam requires a junior-college level "
           "or higher, or a degree."), source=ELIG_SOURCE, when=_eligible_ready)
def education_suffices(ctx: Context):
    """大学专科 + 10 years; 本科 / 学士 / 第二学士 / 硕士 / 研究生班 + 5 years; 博士 + 2 years,
    all counted after obtaining 会计师."""
    if best_qualification(ctx) is None:
        yield hit(("education",))


@rule("EL002", step=11, severity=ERROR, title=("取得会计师后工作年限", "Years of work after 会计师"),
      message=("以{basis}报考须在取得会计师后从事会计工作满 {years} 年；截至 {cutoff} 计 {counted}。{when}", "with "
               "{basis} you need {years} years of accounting work after 会计师; by {cutoff} you have {counted}. {when}"),
      fix=("{fix}", "{fix}"), source=ELIG_SOURCE + "；年限计算至考试当年 12 月 31 日 [likely，可配置]",
      when=_eligible_ready)
def years_after_title(ctx: Context):
    """Counts the accounting posts after the 会计师 date, overlapping jobs once, full-time
    study excluded, up to the cutoff (12-31 of the exam year, or --as-of). When short,
    says from which date — and from which exam — the applicant will qualify if the
    current work goes on."""
    el = eligibility(ctx)
    if el is None or el.counted_days >= el.required_days:
        return
    if el.eligible_from:
        year = el.eligible_from.year + (1 if el.eligible_from > ctx.cutoff.replace(year=el.eligible_from.year) else 0)
        when = (f"按当前工作持续计算，{el.eligible_from.isoformat()} 起满 {el.years} 年，可报考 {year} 年考试。",
                f"If the current work goes on, you reach {el.years} years on {el.eligible_from.isoformat()} and may "
                f"sit the {year} exam.")
        fix = (f"本年度暂不能报考；{year} 年再报。", f"Not this year; apply for the {year} exam.")
    else:
        short = el.required_days - el.counted_days
        when = (f"还差 {_ym(short)[0]}。", f"{_ym(short)[1]} are missing.")
        fix = ("核对工作经历（会计工作子项的起止时间）；确实不足则暂不能报考。", "Check the work entries (the posts' "
               "dates); if they are right, you cannot apply yet.")
    yield hit(("title", "obtained"), basis=el.basis, years=el.years, cutoff=ctx.cutoff.isoformat(),
              counted=_ym(el.counted_days), when=when, fix=fix)


@rule("EL003", step=11, severity=INFO, title=("报考条件", "Eligibility"),
      message=("以{basis}报考，取得会计师后须满 {years} 年；截至 {cutoff} 已计 {counted}，满足条件", "with {basis}, "
               "{years} years after 会计师 are needed; by {cutoff} you have {counted}: eligible"),
      fix=("", ""), source=ELIG_SOURCE, when=_eligible_ready)
def eligible(ctx: Context):
    """Says what was counted when the applicant is eligible, so it can be checked."""
    el = eligibility(ctx)
    if el is not None and el.counted_days >= el.required_days:
        yield hit(("title", "obtained"), basis=el.basis, years=el.years, cutoff=ctx.cutoff.isoformat(),
                  counted=_ym(el.counted_days))


@rule("EY001", step=11, severity=WARNING, title=("报考年度", "Exam year"),
      message=("{problem}", "{problem}"), fix=("{fix}", "{fix}"),
      source="规则集 exam.known_years / exam.registration_closes", tag="open")
def exam_year_known(ctx: Context):
    """The eligibility rules are known for the ruleset's years only; a profile for another
    year, or for an exam whose registration has closed, is checked with a warning."""
    exam = ctx.rs["exam"]
    if ctx.exam_year not in exam["known_years"]:
        yield hit(("exam_year",), problem=(f"{ctx.exam_year} 年的报名条件尚未收录（规则集已知：{exam['known_years']}）",
                                           f"the {ctx.exam_year} conditions are not in the ruleset "
                                           f"({exam['known_years']})"),
                  fix=("以当年通知为准，必要时用 --ruleset 指定新的规则集。",
                       "Follow that year's notice; use --ruleset with an updated ruleset."))
    closes = date.fromisoformat(f"{ctx.exam_year}-{exam['registration_closes']}")
    if ctx.today > closes:
        yield hit(("exam_year",), problem=(f"{ctx.exam_year} 年考试的报名已于 {closes} 截止",
                                           f"registration for the {ctx.exam_year} exam closed on {closes}"),
                  fix=(f"把 exam_year 改为 {ctx.exam_year + 1} 或以后。", f"Set exam_year to {ctx.exam_year + 1}."))
