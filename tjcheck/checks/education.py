"""Step 6: education entries, certificate numbers and their proofs."""
from __future__ import annotations

from ..identifiers import normalise, parse_degree_number, parse_diploma_number
from ..profile import Education
from .base import ERROR, INFO, WARNING, Context, hit, labels, missing_fields, present, rule

GUIDE6 = "操作指引（六）"
XUEXIN = "学信网学历证书编号规则（domain.md [likely]）"


def entries(ctx: Context):
    for i, e in enumerate(ctx.p.education):
        yield i, e, ("education", i)


def obtained(ctx: Context):
    """Entries for a level already obtained (not in progress)."""
    for i, e, path in entries(ctx):
        if e.end is not None and not e.end.ongoing:
            yield i, e, path


@rule("ED001", step=6, severity=ERROR, title=("至少一条教育经历", "At least one education entry"),
      message=("没有教育经历", "there is no education entry"),
      fix=("在 education 下为已取得的学历各填一条（最高学历必填）。", "Add an entry under education for each level "
           "obtained (the highest at least)."), source=GUIDE6)
def has_education(ctx: Context):
    """The education page needs at least one entry: the highest level obtained."""
    if not ctx.p.education:
        yield hit(("education",))


@rule("ED002", step=6, severity=ERROR, title=("教育经历填写完整", "Education entries complete"),
      message=("第 {n} 条教育经历缺少：{fields}", "education entry {n} lacks: {fields}"),
      fix=("按证书填写这些项。", "Fill them in from the certificate."),
      source=GUIDE6 + "：培养方式、学校名称、学历、学位、所学专业、入学时间、毕业时间")
def education_complete(ctx: Context):
    """Each entry needs 培养方式, 学校名称, 学历, 学位 (无 if none), 所学专业, 入学时间 and
    毕业时间 (在读 while studying)."""
    for i, e, path in entries(ctx):
        names = missing_fields(e, ["mode", "school", "level", "degree", "major", "start", "end"])
        if names:
            yield hit(path, n=i + 1, fields=labels(Education, names))


@rule("ED003", step=6, severity=WARNING, title=("选项在平台列表中", "Options on the platform's lists"),
      message=("第 {n} 条 {field} “{value}” 不在已知选项中（{options}）", "entry {n}: {field} '{value}' is not a known "
               "option ({options})"),
      fix=("改用平台下拉框中的写法。", "Use the wording of the platform's drop-down list."),
      source="domain.md 选项列表 [open]", tag="open")
def education_options(ctx: Context):
    """培养方式, 学历 and 学位 are drop-downs on the platform. The lists are not published
    ([open]), so an unknown value is a warning, not an error, and no other rule turns it
    into one: the rules that need a rank (ED007, the certificate rules, EL001) treat it as
    unknown. Common names (本科, 大专 …) are known: see ED018."""
    edu = ctx.rs["education"]
    for i, e, path in entries(ctx):
        if present(e.mode) and ctx.mode_of(e.mode) is None:
            yield hit(path + ("mode",), n=i + 1, field=("培养方式", "mode"), value=e.mode, options="、".join(edu["modes"]))
        if present(e.level) and ctx.level_rank(e.level) is None:
            yield hit(path + ("level",), n=i + 1, field=("学历", "level"), value=e.level, options="、".join(edu["levels"]))
        if present(e.degree) and ctx.degree_rank(e.degree) is None:
            yield hit(path + ("degree",), n=i + 1, field=("学位", "degree"), value=e.degree,
                      options="、".join(edu["degrees"]))


@rule("ED004", step=6, severity=ERROR, title=("入学早于毕业", "Enrolment before graduation"),
      message=("第 {n} 条：入学 {start} 不早于毕业 {end}", "entry {n}: enrolment {start} is not before graduation {end}"),
      fix=("核对入学和毕业时间。", "Check both dates."), source=GUIDE6)
def education_dates(ctx: Context):
    """入学时间 comes before 毕业时间; swapped dates are the usual slip when copying from a
    certificate."""
    for i, e, path in obtained(ctx):
        if e.start and e.start.first >= e.end.first:
            yield hit(path + ("end",), n=i + 1, start=str(e.start), end=str(e.end))


@rule("ED005", step=6, severity=ERROR, title=("毕业时间不在将来", "Graduation not in the future"),
      message=("第 {n} 条：毕业时间 {end} 在今天（{today}）之后", "entry {n}: graduation {end} is after today ({today})"),
      fix=("只填已取得证书的学历；仍在读请把毕业时间写为 “在读”。", "Enter only levels whose certificate you hold; "
           "write 在读 (in progress) while still studying."),
      source=GUIDE6 + "：填写已取得证书的学历、学位")
def graduation_past(ctx: Context):
    """An obtained level has its certificate, so its graduation date is not after today."""
    for i, e, path in obtained(ctx):
        if e.end.first > ctx.today:
            yield hit(path + ("end",), n=i + 1, end=str(e.end), today=ctx.today.isoformat())


@rule("ED006", step=6, severity=WARNING, title=("学制年限常见", "Usual length of study"),
      message=("第 {n} 条：{level} 学习了 {years:.1f} 年，通常为 {expected} 年", "entry {n}: {level} took {years:.1f} "
               "years; usually {expected}"),
      fix=("核对入学、毕业时间。", "Check the dates."), source="domain.md 学制 [warning only]", tag="likely")
def study_length(ctx: Context):
    """专科 2–3, 本科 4–5 (专升本 2–3), 硕士 2–3, 博士 3–6 years. Anything else is worth a
    second look, never an error."""
    levels = ctx.rs["education"]["levels"]
    for i, e, path in obtained(ctx):
        entry = levels.get(ctx.level_of(e.level))
        if not entry or "study_years" not in entry or not e.start:
            continue
        years = ((e.end.year - e.start.year) * 12 + e.end.month - e.start.month) / 12
        ranges = [entry["study_years"]] + ([entry["top_up_years"]] if "top_up_years" in entry else [])
        if not any(lo - 0.25 <= years <= hi + 0.25 for lo, hi in ranges):
            expected = " 或 ".join(f"{lo}–{hi}" for lo, hi in ranges)
            yield hit(path + ("start",), n=i + 1, level=e.level, years=years, expected=expected)


@rule("ED007", step=6, severity=ERROR, title=("最高学历至少高中", "Highest level at least 高中"),
      message=("已取得的最高学历为 “{level}”，至少须为高中（含中专、职高、技校）", "the highest level obtained is "
               "'{level}'; at least senior secondary (高中/中专/职高/技校) is required"),
      fix=("补充已取得的高中或以上学历。", "Add the senior-secondary or higher level you hold."),
      source="domain.md：最高学历至少高中 [firm]", when=lambda c: bool(c.p.education))
def minimum_level(ctx: Context):
    """Information collection requires at least a senior-secondary level: 初中, 小学 and
    the like are refused here, in step 6. A level that is not on the ([open]) list might be
    higher, so while one is present this rule says nothing (ED003 warns about it)."""
    levels = [e.level for _, e, _ in obtained(ctx) if present(e.level)]
    if any(ctx.level_rank(level) is None for level in levels):
        return
    ranks = [(ctx.level_rank(level), level) for level in levels]
    if ranks and max(ranks)[0] < ctx.rs["education"]["minimum_rank"]:
        yield hit(("education",), level=max(ranks)[1])


def _numbered(ctx: Context):
    rank = ctx.rs["education"]["numbered_rank"]
    for i, e, path in obtained(ctx):
        if (ctx.level_rank(e.level) or 0) >= rank and not e.overseas:
            yield i, e, path


@rule("ED008", step=6, severity=ERROR, title=("证书编号已填", "Certificate numbers given"),
      message=("第 {n} 条缺少{what}", "entry {n} lacks the {what}"),
      fix=("照证书填写编号（学信网可查）。", "Copy the number from the certificate (it can be looked up on CHSI)."),
      source=GUIDE6 + "：学历证书编号、学位证书编号")
def numbers_given(ctx: Context):
    """Domestic 专科 and higher diplomas carry a 学历证书编号, and every degree other than 无
    a 学位证书编号."""
    for i, e, path in _numbered(ctx):
        if not present(e.diploma_no):
            yield hit(path + ("diploma_no",), n=i + 1, what=("学历证书编号", "diploma number"))
    for i, e, path in obtained(ctx):
        if (ctx.degree_rank(e.degree) or 0) > 0 and not e.overseas and not present(e.degree_no):
            yield hit(path + ("degree_no",), n=i + 1, what=("学位证书编号", "degree certificate number"))


@rule("ED009", step=6, severity=WARNING, title=("学历证书编号格式", "Diploma number format"),
      message=("第 {n} 条：学历证书编号 “{value}” 应为 18 位数字（少数为 17 位）", "entry {n}: diploma number '{value}' "
               "should be 18 digits (a few are 17)"),
      fix=("照证书逐位核对。", "Compare it digit by digit with the certificate."), source=XUEXIN, tag="likely")
def diploma_format(ctx: Context):
    """18 digits: school code (5), schooling type (1), graduation year (4), level (2),
    serial (6); some 2000–2002 and 自考 diplomas have 17."""
    for i, e, path in _numbered(ctx):
        if present(e.diploma_no):
            number = normalise(e.diploma_no)
            if not (number.isdigit() and len(number) in ctx.rs["education"]["diploma_number"]["lengths"]):
                yield hit(path + ("diploma_no",), n=i + 1, value=e.diploma_no)


@rule("ED010", step=6, severity=WARNING, title=("学历证书编号与所填一致", "Diploma number agrees"),
      message=("第 {n} 条：学历证书编号表明 {coded}，但所填为 {stated}", "entry {n}: the diploma number says {coded} "
               "but the entry says {stated}"),
      fix=("核对证书编号与毕业时间、学历、培养方式。", "Check the number against the graduation date, level and mode."),
      source=XUEXIN, tag="likely")
def diploma_cross(ctx: Context):
    """Digits 7–10 are the graduation year, 11–12 the level (01 博士, 02 硕士, 05 本科,
    06 专科) and digit 6 the schooling type (1 普通 = 全日制; 5/6/7 = 非全日制)."""
    levels = ctx.rs["education"]["levels"]
    types = ctx.rs["education"]["diploma_number"]["schooling_types"]
    for i, e, path in _numbered(ctx):
        parsed = parse_diploma_number(normalise(e.diploma_no or ""))
        if parsed is None:
            continue
        at = path + ("diploma_no",)
        if parsed.year != e.end.year:
            yield hit(at, n=i + 1, coded=(f"{parsed.year} 年毕业", f"graduation in {parsed.year}"),
                      stated=(f"{e.end.year} 年毕业", f"{e.end.year}"))
        code = levels.get(ctx.level_of(e.level), {}).get("code")
        if code and parsed.level_code != code and parsed.level_code != "04":
            by_code = {v.get("code"): k for k, v in levels.items() if v.get("code")}
            coded = by_code.get(parsed.level_code, f"层次代码 {parsed.level_code}")
            yield hit(at, n=i + 1, coded=(f"学历为 {coded}", f"level {coded}"), stated=(f"“{e.level}”", f"'{e.level}'"))
        mode = ctx.mode_of(e.mode)
        if mode and parsed.schooling_type in types and types[parsed.schooling_type] != mode:
            yield hit(at, n=i + 1, coded=types[parsed.schooling_type], stated=(f"“{e.mode}”", f"'{e.mode}'"))


@rule("ED011", step=6, severity=WARNING, title=("学位证书编号格式", "Degree number format"),
      message=("第 {n} 条：学位证书编号 “{value}” 应为 16 位（单位代码 5 位、级别 1 位、年份 4 位、序号 6 位）", "entry {n}: "
               "degree number '{value}' should have 16 characters (unit 5, level 1, year 4, serial 6)"),
      fix=("照证书逐位核对。", "Compare it with the certificate."), source=XUEXIN, tag="likely")
def degree_format(ctx: Context):
    """16 characters: granting unit (5), level (1: 2 博士, 3 硕士, 4 学士), year (4),
    serial (6). Variants are accepted: S or E at position 11, a C, Z or T prefix."""
    for i, e, path in obtained(ctx):
        if present(e.degree_no) and not e.overseas and parse_degree_number(normalise(e.degree_no)) is None:
            yield hit(path + ("degree_no",), n=i + 1, value=e.degree_no)


@rule("ED012", step=6, severity=WARNING, title=("学位证书编号与所填一致", "Degree number agrees"),
      message=("第 {n} 条：学位证书编号表明 {coded}，但所填为 {stated}", "entry {n}: the degree number says {coded} "
               "but the entry says {stated}"),
      fix=("核对学位和授予年份。", "Check the degree and the year it was conferred."), source=XUEXIN, tag="likely")
def degree_cross(ctx: Context):
    """Digit 6 is the level (2 博士, 3 硕士, 4 学士) and digits 7–10 the year conferred,
    which is not before graduation."""
    degrees = ctx.rs["education"]["degrees"]
    for i, e, path in obtained(ctx):
        parsed = parse_degree_number(normalise(e.degree_no or ""))
        if parsed is None or e.overseas:
            continue
        at = path + ("degree_no",)
        code = degrees.get(ctx.degree_of(e.degree), {}).get("code")
        if code and parsed.level_digit != code:
            coded = next((k for k, v in degrees.items() if v.get("code") == parsed.level_digit), parsed.level_digit)
            yield hit(at, n=i + 1, coded=(f"{coded}学位", f"a {coded} degree"), stated=(f"“{e.degree}”", f"'{e.degree}'"))
        if parsed.year < e.end.year:
            yield hit(at, n=i + 1, coded=(f"{parsed.year} 年授予", f"conferred in {parsed.year}"),
                      stated=(f"{e.end.year} 年毕业（学位不会早于毕业）", f"graduation in {e.end.year}"))


@rule("ED013", step=6, severity=ERROR, title=("学历学位证书图片", "Certificate images"),
      message=("第 {n} 条缺少{what}图片", "entry {n} lacks the {what} image"),
      fix=("上传证书扫描件或照片（jpg/png，20–500KB）。", "Upload a scan or photo of the certificate (jpg/png, "
           "20–500 KB)."), source="domain.md：高中及以上每个已取得的学历、学位须有证书图片 [firm]")
def certificate_images(ctx: Context):
    """Every obtained level from 高中 up needs its certificate image, and every degree its
    degree certificate."""
    rank = ctx.rs["education"]["certificate_rank"]
    for i, e, path in obtained(ctx):
        if (ctx.level_rank(e.level) or 0) >= rank and not e.diploma_image:
            yield hit(path + ("diploma_image",), n=i + 1, what=("学历证书", "diploma"))
        if (ctx.degree_rank(e.degree) or 0) > 0 and not e.degree_image:
            yield hit(path + ("degree_image",), n=i + 1, what=("学位证书", "degree certificate"))


@rule("ED014", step=6, severity=ERROR, title=("境外学历认证书", "Overseas degree certificate"),
      message=("第 {n} 条为境外取得的学历学位，须上传教育部留学服务中心认证书", "entry {n} was obtained abroad: the "
               "CSCSE (教育部留学服务中心) certificate is required"),
      fix=("在 overseas_cert_image 填写认证书图片。", "Set overseas_cert_image to the certificate's image."),
      source=GUIDE6 + "：境外取得的本科及以上学历（学位）还须提供教育部留学服务中心认证书")
def overseas_certificate(ctx: Context):
    """A bachelor-level or higher qualification obtained abroad (including Hong Kong, Macau
    and Taiwan) needs the CSCSE certificate image."""
    for i, e, path in obtained(ctx):
        high = (ctx.level_rank(e.level) or 0) >= 3 or (ctx.degree_rank(e.degree) or 0) > 0
        if e.overseas and high and not e.overseas_cert_image:
            yield hit(path + ("overseas_cert_image",), n=i + 1)


@rule("ED015", step=6, severity=ERROR, title=("在校生两条教育经历", "Students: two entries"),
      message=("在校学生须填写两条教育经历：{problem}", "students enter two entries: {problem}"),
      fix=("一条为已取得的最高学历，一条为至今在学（毕业时间写 “在读”）。", "One for the highest level obtained, one "
           "for the course in progress (graduation: 在读)."),
      source=GUIDE6 + "：在校生需填写已取得的最高学历学习经历和至今在学两条教育经历", when=lambda c: c.student)
def student_entries(ctx: Context):
    """A current student enters the highest level obtained AND the course in progress."""
    done = list(obtained(ctx))
    current = [e for e in ctx.p.education if e.end is not None and e.end.ongoing]
    if not current:
        yield hit(("education",), problem=("缺少至今在学的一条（毕业时间 “在读”）", "no entry in progress (在读)"))
    if not done:
        yield hit(("education",), problem=("缺少已取得的最高学历", "no entry for the level obtained"))


@rule("ED016", step=6, severity=ERROR, title=("在学证明", "Proof of study"),
      message=("第 {n} 条在读，须上传在学证明", "entry {n} is in progress: upload the proof of study"),
      fix=("上传有学校信息的学生证，或学信网教育部学籍在线验证报告。", "Upload a student card showing the school, or the "
           "CHSI online enrolment report."), source=GUIDE6 + "：至今在学证明（有学校信息的学生证或学信网学籍在线认证报告）")
def study_proof(ctx: Context):
    """A course in progress needs the proof of study."""
    for i, e, path in entries(ctx):
        if e.end is not None and e.end.ongoing and not e.study_proof_image:
            yield hit(path + ("study_proof_image",), n=i + 1)


@rule("ED017", step=6, severity=WARNING, title=("在读与人员状态一致", "In-progress entry and status agree"),
      message=("有在读的教育经历，但人员状态为 “{status}”", "an entry is in progress but the status is '{status}'"),
      fix=("全日制在读请把人员状态改为 在校学生；在职读书的可忽略。", "If studying full time, set the status to 在校学生; "
           "ignore this if you study while employed."), source=GUIDE6, tag="likely",
      when=lambda c: c.status is not None and not c.student)
def in_progress_status(ctx: Context):
    """A full-time course in progress usually means the status is 在校学生."""
    for i, e, path in entries(ctx):
        if e.end is not None and e.end.ongoing and ctx.mode_of(e.mode) == "全日制":
            yield hit(path + ("end",), status=ctx.p.basic.status)


@rule("ED018", step=6, severity=INFO, title=("选项的平台写法", "The platform's wording of an option"),
      message=("第 {n} 条 {field} “{value}” 在平台上请选择 “{option}”", "entry {n}: {field} '{value}' is '{option}' "
               "on the platform: pick that"),
      fix=("在平台的下拉框中选择 “{option}”；档案可以保留原写法。", "Pick '{option}' in the platform's drop-down list; "
           "the profile may keep its wording."),
      source="domain.md 选项列表 [open]；规则集 education 中各选项的 aliases", tag="open")
def option_alias(ctx: Context):
    """Common names such as 本科, 大专, 研究生, 硕士 or 自考 are read as the platform's option
    (大学本科, 大学专科, 硕士研究生, 非全日制 …) by every rule, so they never make an eligible
    person ineligible; this note says which option to pick on the platform, whose
    drop-down offers only its own wording. The aliases are data (the ruleset)."""
    fields = (("mode", ("培养方式", "mode"), ctx.mode_of), ("level", ("学历", "level"), ctx.level_of),
              ("degree", ("学位", "degree"), ctx.degree_of))
    for i, e, path in entries(ctx):
        for name, label, lookup in fields:
            value = getattr(e, name)
            option = lookup(value)
            if option is not None and value.strip() != option:
                yield hit(path + (name,), n=i + 1, field=label, value=value.strip(), option=option)
