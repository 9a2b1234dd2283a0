"""Steps 10–11: the 会计师 record, and whether the applicant may sit the senior exam at all."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..dates import month_end, month_of, month_range, on_day, years_months
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
    """One count of months, from which the verdict, the message and the date all come."""
    basis: tuple[str, str]        # (zh, en) the qualification used
    years: int                    # years required
    counted: int                  # months counted up to the cutoff's month
    eligible_from: date | None    # last day of the month the count reaches the requirement
    exam_year: int | None         # the first exam whose cutoff is on or after eligible_from

    @property
    def required(self) -> int:
        return 12 * self.years

    @property
    def eligible(self) -> bool:
        return self.counted >= self.required


def _obtained(ctx: Context):
    return [(i, e) for i, e in enumerate(ctx.p.education) if e.end is not None and not e.end.ongoing]


def best_qualification(ctx: Context) -> tuple[tuple[str, str], int] | None:
    """The qualification needing the fewest years, from obtained entries (aliases read as
    the option they name: 本科 is 大学本科)."""
    tables = {"level": (ctx.level_of, ctx.level_rank, ctx.rs["education"]["levels"]),
              "degree": (ctx.degree_of, ctx.degree_rank, ctx.rs["education"]["degrees"])}
    got = [e for _, e in _obtained(ctx)]

    def holds(kind: str, name: str) -> bool:
        """That qualification itself, or one ranked above it (第二学士 and 学士 share a rank)."""
        key_of, rank_of, table = tables[kind]
        return any(key_of(getattr(e, kind)) == name or (rank_of(getattr(e, kind)) or -1) > table[name]["rank"]
                   for e in got)

    options = [(r["years"], (r["zh"], r["en"])) for r in ctx.rs["eligibility"]["rules"]
               if any(kind in r and holds(kind, r[kind]) for kind in tables)]
    if not options:
        return None
    years, basis = min(options, key=lambda o: o[0])
    return basis, years


def unknown_qualifications(ctx: Context) -> list[tuple[tuple, str]]:
    """(path, value) of each obtained 学历 or 学位 that is not on the ([open]) lists."""
    out = []
    for i, e in _obtained(ctx):
        for kind, key_of in (("level", ctx.level_of), ("degree", ctx.degree_of)):
            value = getattr(e, kind)
            if present(value) and key_of(value) is None:
                out.append((("education", i, kind), value.strip()))
    return out


def credited_months(ctx: Context, ongoing_to: int) -> list[int]:
    """The months that count, in order: after the title's month, with accounting work (the
    posts, or the job where it lists none; ongoing ones run to ``ongoing_to``), each once
    however many jobs overlap, minus months of full-time study."""
    title = month_of(ctx.p.title.obtained)
    months: set[int] = set()
    for w in ctx.p.work:
        for item in w.posts if w.posts else ([w] if w.accounting else []):
            if item.start and item.end:
                span = month_range(item.start, item.end, ongoing_to)
                months.update(range(max(span.start, title + 1), span.stop))
    if ctx.rs["eligibility"]["exclude_full_time_study"]:
        months -= ctx.study_months(ongoing_to)
    return sorted(months)


def first_exam_from(ctx: Context, day: date) -> int:
    """The first exam year whose eligibility cutoff is on or after ``day``."""
    cutoff = ctx.rs["exam"]["eligibility_cutoff"]
    return day.year if on_day(day.year, cutoff) >= day else day.year + 1


def eligibility(ctx: Context) -> Eligibility | None:
    """Computed once per run (EL002 and EL003 both read it)."""
    return ctx.memo("eligibility", lambda: _eligibility(ctx))


def _eligibility(ctx: Context) -> Eligibility | None:
    best = best_qualification(ctx)
    if best is None or ctx.p.title.obtained is None:
        return None
    basis, years = best
    cutoff = month_of(ctx.cutoff)
    # ongoing work is projected far enough to make up any shortfall
    months = credited_months(ctx, ongoing_to=cutoff + 12 * years)
    counted = sum(1 for m in months if m <= cutoff)
    reached = months[12 * years - 1] if len(months) >= 12 * years else None
    eligible_from = month_end(reached) if reached is not None else None
    return Eligibility(basis, years, counted, eligible_from,
                       first_exam_from(ctx, eligible_from) if eligible_from else None)


def _eligible_ready(ctx: Context) -> bool:
    return title_kind(ctx) == "required" and ctx.p.title.obtained is not None and bool(ctx.p.education)


def _ym(months: int) -> tuple[str, str]:
    y, m = years_months(months)
    return f"{y} 年 {m} 个月", f"{y} years {m} months"


@rule("EL001", step=11, severity=ERROR, title=("学历满足报考条件", "Education meets the conditions"),
      message=("{problem}", "{problem}"), fix=("{fix}", "{fix}"), source=ELIG_SOURCE, when=_eligible_ready)
def education_suffices(ctx: Context):
    """大学专科 + 10 years; 本科 / 学士 / 第二学士 / 硕士 / 研究生班 + 5 years; 博士 + 2 years,
    all counted after obtaining 会计师. Common names (本科, 大专 …) count as the option they
    name. When no known qualification suffices but a 学历 or 学位 is not on the ([open])
    lists, the level cannot be judged: a warning naming the value, not "not eligible"."""
    if best_qualification(ctx) is not None:
        return
    unknown = unknown_qualifications(ctx)
    if unknown:
        names = "、".join(f"“{value}”" for _, value in unknown)
        yield hit(unknown[0][0], severity=WARNING,
                  problem=(f"无法判断学历是否满足报考条件：{names} 不在已知的学历、学位选项中",
                           f"cannot judge the level: {names} is not a known level or degree"),
                  fix=("改用平台下拉框中的学历、学位写法（见 ED003），tjcheck 即可判断。",
                       "Use the platform's wording for the level and degree (see ED003) so that tjcheck can judge."))
    else:
        yield hit(("education",), problem=("已取得的学历学位不满足报考条件（至少须大学专科学历）",
                                           "no qualification obtained meets the conditions (a junior-college "
                                           "level at least)"),
                  fix=("报考高级资格须具备大学专科及以上学历，或学士及以上学位。", "The senior exam requires a "
                       "junior-college level or higher, or a degree."))


@rule("EL002", step=11, severity=ERROR, title=("取得会计师后工作年限", "Years of work after 会计师"),
      message=("以{basis}报考须在取得会计师后从事会计工作满 {years} 年；截至 {cutoff} 计 {counted}。{when}", "with "
               "{basis} you need {years} years of accounting work after 会计师; by {cutoff} you have {counted}. {when}"),
      fix=("{fix}", "{fix}"), source=ELIG_SOURCE + "；年限计算至考试当年 12 月 31 日 [likely，可配置]",
      when=_eligible_ready)
def years_after_title(ctx: Context):
    """Counts whole calendar months. The platform asks for every date as 年月, so a day is
    ignored. The title's own month does not count: the approval day within it is unknown,
    and counting it could give a false "eligible"; counting starts with the month after.
    Every month from then up to and including the cutoff's month (December of the exam
    year, the ruleset's exam.eligibility_cutoff; --count-to for another day) in which
    accounting work was done (the posts, or the job where it lists none) counts once,
    however many jobs overlap; months of full-time study (the months of enrolment and
    graduation included) do not count. N years are 12 × N months, and "N 年 M 个月" is
    that count. For the 2026 exam with 本科, a title of 2021-12 gives 60 months (eligible)
    and 2022-01 gives 59 (not yet).

    When short, the same count with the current work going on gives the month in which
    the requirement is reached: the applicant qualifies from its last day, for the first
    exam whose cutoff is on or after that day."""
    el = eligibility(ctx)
    if el is None or el.eligible:
        return
    if el.eligible_from:
        day, year = el.eligible_from.isoformat(), el.exam_year
        when = (f"按当前工作持续计算，{day} 起满 {el.years} 年，可报考 {year} 年考试。",
                f"If the current work goes on, you reach {el.years} years on {day} and may sit the {year} exam.")
        fix = ((f"本年度暂不能报考；{year} 年再报。", f"Not this year; apply for the {year} exam.")
               if year > ctx.exam_year else
               (f"年限计算至 {ctx.cutoff} 时尚不满足；按 {year} 年考试的截止日计算则满足。",
                f"Short when counted to {ctx.cutoff}; enough by the {year} exam's cutoff."))
    else:
        when = (f"还差 {_ym(el.required - el.counted)[0]}。", f"{_ym(el.required - el.counted)[1]} are missing.")
        fix = ("核对工作经历（会计工作子项的起止时间）；确实不足则暂不能报考。", "Check the work entries (the posts' "
               "dates); if they are right, you cannot apply yet.")
    yield hit(("title", "obtained"), basis=el.basis, years=el.years, cutoff=ctx.cutoff.isoformat(),
              counted=_ym(el.counted), when=when, fix=fix)


@rule("EL003", step=11, severity=INFO, title=("报考条件", "Eligibility"),
      message=("以{basis}报考，取得会计师后须满 {years} 年；截至 {cutoff} 已计 {counted}，满足条件", "with {basis}, "
               "{years} years after 会计师 are needed; by {cutoff} you have {counted}: eligible"),
      fix=("", ""), source=ELIG_SOURCE, when=_eligible_ready)
def eligible(ctx: Context):
    """Says what was counted when the applicant is eligible, so it can be checked (the
    count is EL002's: whole months after the title's month)."""
    el = eligibility(ctx)
    if el is not None and el.eligible:
        yield hit(("title", "obtained"), basis=el.basis, years=el.years, cutoff=ctx.cutoff.isoformat(),
                  counted=_ym(el.counted))


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
    closes = on_day(ctx.exam_year, exam["registration_closes"])
    if ctx.today > closes:
        yield hit(("exam_year",), problem=(f"{ctx.exam_year} 年考试的报名已于 {closes} 截止",
                                           f"registration for the {ctx.exam_year} exam closed on {closes}"),
                  fix=(f"把 exam_year 改为 {ctx.exam_year + 1} 或以后。", f"Set exam_year to {ctx.exam_year + 1}."))
