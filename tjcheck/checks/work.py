"""Step 7: work entries, accounting posts and their proofs."""
from __future__ import annotations

import re

from ..dates import month_of, month_range
from ..identifiers import credit_code_check, credit_code_shape_ok, has_space, mobile_digits, normalise
from ..profile import Post, Work
from .base import ERROR, INFO, WARNING, Context, hit, labels, missing_fields, present, rule

GUIDE7 = "操作指引（七）"
GB32100 = "GB 32100-2015 统一社会信用代码"


def jobs(ctx: Context):
    for i, w in enumerate(ctx.p.work):
        yield i, w, ("work", i)


def span(ctx: Context, item) -> tuple | None:
    """A job's or post's days, "至今" running to today."""
    if item.start is None or item.end is None:
        return None
    return item.start.first, item.end.end_or(ctx.today)


@rule("WK001", step=7, severity=ERROR, title=("至少一条工作经历", "At least one work entry"),
      message=("没有工作经历：报考高级资格须有会计工作经历", "there is no work entry; the senior exam requires "
               "accounting work"),
      fix=("在 work 下逐段填写工作经历。", "Add each job under work."), source=GUIDE7)
def has_work(ctx: Context):
    """Senior-exam applicants have years of accounting work to record."""
    if not ctx.p.work:
        yield hit(("work",))


@rule("WK002", step=7, severity=ERROR, title=("工作经历填写完整", "Work entries complete"),
      message=("第 {n} 段工作经历缺少：{fields}", "work entry {n} lacks: {fields}"),
      fix=("补全这些项（单位信息可在国家企业信用信息公示系统查询）。", "Fill them in (employer details are on the national "
           "enterprise credit publicity system)."),
      source=GUIDE7 + "：单位名称、统一社会信用代码、单位类型、所属行业、工作单位地址、工作单位电话、是否有会计工作经历")
def work_complete(ctx: Context):
    """Each job needs its dates, 单位名称, 统一社会信用代码, 单位类型, 所属行业, 地址, 电话
    and whether it included accounting work."""
    for i, w, path in jobs(ctx):
        names = missing_fields(w, ["start", "end", "employer", "credit_code", "unit_type", "industry", "address",
                                   "phone", "accounting"])
        if names:
            yield hit(path, n=i + 1, fields=labels(Work, names))


@rule("WK003", step=7, severity=ERROR, title=("工作起止时间", "Work dates in order"),
      message=("第 {n} 段：{problem}", "entry {n}: {problem}"),
      fix=("核对开始、结束时间；当前工作的结束时间写 “至今”。", "Check the dates; a current job ends 至今."), source=GUIDE7)
def work_dates(ctx: Context):
    """The start comes before the end, and neither lies in the future."""
    for i, w, path in jobs(ctx):
        if w.start and w.start.first > ctx.today:
            yield hit(path + ("start",), n=i + 1, problem=(f"开始时间 {w.start} 在今天之后", f"start {w.start} is in "
                                                                                     "the future"))
        if w.start and w.end and not w.end.ongoing and w.end.last < w.start.first:
            yield hit(path + ("end",), n=i + 1, problem=(f"结束 {w.end} 早于开始 {w.start}",
                                                         f"end {w.end} is before start {w.start}"))
        if w.end and not w.end.ongoing and w.end.first > ctx.today:
            yield hit(path + ("end",), n=i + 1, problem=(f"结束时间 {w.end} 在今天之后：仍在职请写 “至今”",
                                                         f"end {w.end} is in the future: write 至今 if still there"))


@rule("WK004", step=7, severity=ERROR, title=("至多一段“至今”", "At most one job 至今"),
      message=("有 {count} 段工作经历的结束时间都是 “至今”（第 {which} 段）", "{count} jobs end 至今 (entries {which})"),
      fix=("只有当前工作写 “至今”，以前的工作写实际结束时间。", "Only the current job ends 至今; give the others their "
           "real end date."), source=GUIDE7 + "：工作结束时间可以选择至今")
def one_current_job(ctx: Context):
    """Only the current job ends 至今; earlier jobs get their real end date, or the years
    would be counted twice."""
    current = [i + 1 for i, w, _ in jobs(ctx) if w.end is not None and w.end.ongoing]
    if len(current) > 1:
        yield hit(("work", current[1] - 1, "end"), count=len(current),
                  which=("、".join(map(str, current)), ", ".join(map(str, current))))


@rule("WK005", step=7, severity=WARNING, title=("工作经历不重叠", "Jobs do not overlap"),
      message=("第 {a} 段与第 {b} 段工作时间重叠（{start} 至 {end}），重叠部分只计算一次", "entries {a} and {b} overlap "
               "({start} to {end}); the overlap counts once"),
      fix=("核对两段工作的起止时间；确为兼职可忽略。", "Check both; ignore if one was a genuine second job."),
      source="domain.md：工作年限不重复计算", tag="likely")
def jobs_overlap(ctx: Context):
    """Overlapping jobs are usually a typing slip; where real, the years are never counted
    twice."""
    spans = [(i, span(ctx, w)) for i, w, _ in jobs(ctx)]
    spans = [(i, s) for i, s in spans if s]
    for x in range(len(spans)):
        for y in range(x + 1, len(spans)):
            (i, (a0, a1)), (j, (b0, b1)) = spans[x], spans[y]
            start, end = max(a0, b0), min(a1, b1)
            if (end - start).days >= 31:  # a month's overlap at a job change is normal
                yield hit(("work", j), a=i + 1, b=j + 1, start=start.isoformat(), end=end.isoformat())


@rule("WK006", step=7, severity=ERROR, title=("统一社会信用代码格式", "Credit code format"),
      message=("第 {n} 段：统一社会信用代码 “{value}” {problem}", "entry {n}: credit code '{value}' {problem}"),
      fix=("在国家企业信用信息公示系统或营业执照上核对 18 位代码。", "Check the 18 characters on the business licence "
           "or the national credit publicity system."), source=GB32100)
def credit_code_format(ctx: Context):
    """18 characters from 0–9 and the capital letters except I, O, S, V and Z."""
    alphabet = ctx.rs["work"]["credit_code_alphabet"]
    for i, w, path in jobs(ctx):
        if not present(w.credit_code):
            continue
        code = normalise(w.credit_code)
        if has_space(w.credit_code.strip()):
            problem = ("中有空格", "contains spaces")
        elif len(code) != 18:
            problem = (f"应为 18 位，现为 {len(code)} 位", f"should have 18 characters, has {len(code)}")
        elif w.credit_code.strip() != code:
            problem = ("含小写字母或全角字符", "has lower-case or full-width characters")
        elif not credit_code_shape_ok(code, alphabet):
            bad = "".join(sorted({c for c in code if c not in alphabet}))
            problem = (f"含不允许的字符 {bad}（代码不用 I、O、S、V、Z）", f"has characters not used in credit codes: {bad}")
        else:
            continue
        yield hit(path + ("credit_code",), n=i + 1, value=w.credit_code, problem=problem)


@rule("WK007", step=7, severity=WARNING, title=("统一社会信用代码校验位", "Credit code check character"),
      message=("第 {n} 段：统一社会信用代码校验位应为 {expected}，实际为 {actual}", "entry {n}: the credit code's check "
               "character should be {expected}, not {actual}"),
      fix=("多半是抄错一位：照营业执照核对。少数早期试点代码本身不符合校验规则，核对无误可忽略。", "Most likely one "
           "character was mistyped; check the licence. A few early pilot codes fail the check themselves: ignore this "
           "if the code is copied correctly."), source=GB32100 + "（早期试点代码可能不符，故为警告）", tag="firm")
def credit_code_checksum(ctx: Context):
    """Character 18 is a check over the first 17 (weights 3^i mod 31). Some early pilot
    codes fail it, so this is a warning, not an error."""
    alphabet = ctx.rs["work"]["credit_code_alphabet"]
    for i, w, path in jobs(ctx):
        code = normalise(w.credit_code or "")
        if credit_code_shape_ok(code, alphabet) and credit_code_check(code) != code[-1]:
            yield hit(path + ("credit_code",), n=i + 1, expected=credit_code_check(code), actual=code[-1])


@rule("WK008", step=7, severity=WARNING, title=("单位电话格式", "Employer phone format"),
      message=("第 {n} 段：单位电话 “{value}” 不像天津固定电话（022-8 位号码，可带分机）或手机号", "entry {n}: phone "
               "'{value}' is not a Tianjin landline (022 + 8 digits, extension allowed) or a mobile number"),
      fix=("写成如 022-23456789 或 022-23456789-801。", "Write it like 022-23456789 or 022-23456789-801."),
      source="domain.md 工作单位电话 [likely]", tag="likely")
def employer_phone(ctx: Context):
    """A Tianjin landline is 022 and 8 digits, with an optional extension; a mobile number
    is also accepted. Jobs outside Tianjin have other area codes: a warning only."""
    landline = re.compile(ctx.rs["work"]["landline_pattern"])
    mobile = re.compile(ctx.rs["identity"]["mobile_pattern"])
    for i, w, path in jobs(ctx):
        if present(w.phone):
            phone = normalise(w.phone).replace("（", "(").replace("）", ")")
            if not (landline.match(phone) or mobile.match(mobile_digits(w.phone))):
                yield hit(path + ("phone",), n=i + 1, value=w.phone)


@rule("WK009", step=7, severity=WARNING, title=("所属行业为国标门类", "Industry is a GB/T 4754 section"),
      message=("第 {n} 段：所属行业 “{value}” 不是国民经济行业分类门类（A–T）", "entry {n}: industry '{value}' is not a "
               "GB/T 4754 section (A–T)"),
      fix=("写门类字母或名称，如 J 或 金融业。", "Write the section letter or name, e.g. J or 金融业."),
      source="GB/T 4754-2017 [likely]", tag="likely")
def industry_known(ctx: Context):
    """所属行业 is one of the 20 sections of GB/T 4754-2017, by letter or by name."""
    sections = ctx.rs["work"]["industries"]
    for i, w, path in jobs(ctx):
        if present(w.industry):
            value = w.industry.strip()
            letter = value[:1].upper()
            if not (value in sections.values() or (letter in sections and (len(value) == 1 or
                                                                          sections[letter] in value))):
                yield hit(path + ("industry",), n=i + 1, value=value)


@rule("WK010", step=7, severity=WARNING, title=("单位类型可选", "Employer type is an option"),
      message=("第 {n} 段：单位类型 “{value}” 不在已知选项中（{options}）", "entry {n}: employer type '{value}' is not a "
               "known option ({options})"),
      fix=("改用平台下拉框中的写法。", "Use the platform's wording."), source="domain.md 单位类型 [open]", tag="open")
def unit_type_known(ctx: Context):
    """单位类型 is a drop-down whose list is not published ([open]): a warning only."""
    options = ctx.rs["work"]["unit_types"]
    for i, w, path in jobs(ctx):
        if present(w.unit_type) and w.unit_type.strip() not in options:
            yield hit(path + ("unit_type",), n=i + 1, value=w.unit_type, options="、".join(options))


@rule("WK011", step=7, severity=ERROR, title=("会计工作经历子项", "Accounting posts entered"),
      message=("第 {n} 段选择了有会计工作经历，但没有新增会计专业工作经历", "entry {n} says it included accounting work "
               "but lists no accounting post"),
      fix=("在 posts 下填写会计专业职务、聘任时间和起止时间。", "Add the posts under posts: title, appointment date, "
           "from and to."), source=GUIDE7 + "：若选择是，需要新增会计专业工作经历")
def posts_given(ctx: Context):
    """Choosing 'has accounting experience' requires at least one accounting sub-entry."""
    for i, w, path in jobs(ctx):
        if w.accounting and not w.posts:
            yield hit(path + ("posts",), n=i + 1)


@rule("WK012", step=7, severity=ERROR, title=("会计专业工作经历完整且在任职期内", "Posts complete and inside the job"),
      message=("第 {n} 段第 {m} 项会计工作：{problem}", "entry {n}, post {m}: {problem}"),
      fix=("会计工作的起止时间须落在所在单位的工作时间之内。", "A post's dates lie within its job's dates."),
      source=GUIDE7 + "；domain.md：会计工作子项在其工作期间之内")
def posts_inside_job(ctx: Context):
    """Each post has a title and dates, and lies within its job."""
    for i, w, path in jobs(ctx):
        job = span(ctx, w)
        for j, post in enumerate(w.posts):
            at = path + ("posts", j)
            names = missing_fields(post, ["title", "start", "end"])
            if names:
                zh, en = labels(Post, names)
                yield hit(at, n=i + 1, m=j + 1, problem=(f"缺少 {zh}", f"lacks {en}"))
                continue
            p0, p1 = span(ctx, post)
            if p1 < p0:
                yield hit(at + ("end",), n=i + 1, m=j + 1, problem=("结束早于开始", "ends before it starts"))
            elif job and (p0 < job[0] or p1 > job[1]):
                yield hit(at, n=i + 1, m=j + 1, problem=(f"{post.start}–{post.end} 超出工作期间 {w.start}–{w.end}",
                                                          f"{post.start}–{post.end} lies outside the job, {w.start}–"
                                                          f"{w.end}"))
            if post.appointed and post.appointed.first > ctx.today:
                yield hit(at + ("appointed",), n=i + 1, m=j + 1, problem=("聘任时间在将来", "appointed in the future"))


@rule("WK013", step=7, severity=WARNING, title=("会计专业职务可选", "Post title is an option"),
      message=("第 {n} 段第 {m} 项：会计专业职务 “{value}” 不在已知选项中（{options}）", "entry {n}, post {m}: title "
               "'{value}' is not a known option ({options})"),
      fix=("改用平台下拉框中的写法。", "Use the platform's wording."), source="domain.md 会计专业职务 [open]", tag="open")
def post_title_known(ctx: Context):
    """会计员, 助理会计师, 会计师, 高级会计师, 正高级会计师 ([open] list)."""
    options = ctx.rs["work"]["post_titles"]
    for i, w, path in jobs(ctx):
        for j, post in enumerate(w.posts):
            if present(post.title) and post.title.strip() not in options:
                yield hit(path + ("posts", j, "title"), n=i + 1, m=j + 1, value=post.title,
                          options="、".join(options))


@rule("WK014", step=7, severity=ERROR, title=("会计工作经历证明", "Proof of accounting work"),
      message=("第 {n} 段有会计工作经历，但没有上传工作经历证明", "entry {n} includes accounting work but no proof is "
               "uploaded"),
      fix=("请现单位（未在职则原单位）出具会计专业工作经历证明（可参照公告附件1 简历表），多页合并为一张图片。", "Ask "
           "the current (or last) employer for the proof of accounting work (template: annex 1 of the notice); merge "
           "pages into one image."),
      source=GUIDE7 + "：附件上传的会计工作经历证明……由现就职单位（目前未在职在岗由原就职单位）提供")
def work_proof(ctx: Context):
    """Each job with accounting work carries the proof issued by the employer."""
    for i, w, path in jobs(ctx):
        if w.accounting and not w.proof_image:
            yield hit(path + ("proof_image",), n=i + 1)


@rule("WK015", step=7, severity=WARNING, title=("聘任证明", "Appointment proof"),
      message=("第 {n} 段第 {m} 项：会计专业职务 “{title}” 通常需上传聘任证明", "entry {n}, post {m}: the post "
               "'{title}' usually needs an appointment proof"),
      fix=("上传聘任文件或单位出具的聘任证明。", "Upload the appointment letter or the employer's proof."),
      source="domain.md：有会计专业职务的岗位须有聘任证明 [likely]", tag="likely")
def appointment_proof(ctx: Context):
    """Each post with a 会计专业职务 is backed by an appointment proof ([likely])."""
    needing = ctx.rs["work"]["titles_needing_appointment_proof"]
    for i, w, path in jobs(ctx):
        for j, post in enumerate(w.posts):
            if (post.title or "").strip() in needing and not post.proof_image and not w.proof_image:
                yield hit(path + ("posts", j, "proof_image"), n=i + 1, m=j + 1, title=post.title)


@rule("WK016", step=7, severity=ERROR, title=("在职须有当前工作", "Employed: a current job"),
      message=("人员状态为在职在岗，但没有结束时间为 “至今” 的工作经历", "the status is employed but no job ends 至今"),
      fix=("把当前工作的结束时间写为 “至今”，或更正人员状态。", "Set the current job's end to 至今, or correct the "
           "status."), source="操作指引（八）：在职在岗人员应选择工作单位所在地",
      when=lambda c: c.employed and bool(c.p.work))
def employed_has_current(ctx: Context):
    """An employed person's current job (至今) is where the management department is
    decided, so it must be there."""
    if not any(w.end is not None and w.end.ongoing for w in ctx.p.work):
        yield hit(("work",))


@rule("WK017", step=7, severity=INFO, title=("全日制在读期间的工作", "Work during full-time study"),
      message=("第 {n} 段工作与全日制在读期间重叠 {months} 个月：这部分不计入报考年限", "entry {n} overlaps full-time "
               "study by {months} months: that part does not count towards eligibility"),
      fix=("如为实习或兼职，无需处理；计算报考年限时已扣除。", "Nothing to do if it was an internship or part-time job; it "
           "is left out of the eligibility count."), source="domain.md：在校生兼职不计入工作年限", tag="firm")
def work_during_study(ctx: Context):
    """Work done while studying full time does not count as work experience. Counted in
    whole months, as the eligibility count (EL002) leaves them out; a single shared month
    (graduating and starting work in July) is normal and not mentioned."""
    today = month_of(ctx.today)
    study = ctx.study_months(today)
    for i, w, path in jobs(ctx):
        if w.start and w.end and study:
            lost = len(study.intersection(month_range(w.start, w.end, today)))
            if lost > 1:
                yield hit(path, n=i + 1, months=lost)
