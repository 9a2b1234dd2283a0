"""What the certificates say: the diploma and the degree certificate against the education
entry they are uploaded for, the professional-title certificate against the title record
(needs the optional extra tjcheck[ocr]; shared reading and wording in documents.py)."""
from __future__ import annotations

from ..documents import fields
from .base import ERROR, WARNING, Context, rule
from .documents import DOC_SOURCE, HEDGE, contradiction, doc_hit, has_kind, holder_matches, uploads_of_kind

ON_CERT = ("证书上", "on the certificate")
CERT_NO = {"diploma": ("diploma_no", "学历证书编号", "diploma number"),
           "degree": ("degree_no", "学位证书编号", "degree certificate number")}


def _has_education_certificate(ctx: Context) -> bool:
    return has_kind("diploma")(ctx) or has_kind("degree")(ctx)


@rule("DC004", step=6, severity=ERROR, title=("证书编号与填写一致", "Certificate numbers match the profile"),
      message=("{slot}：{what}{hedge}", "{slot}: {what}{hedge}"),
      fix=("按证书原件改正填写的证书编号（逐位核对），或上传本人该学历/学位的证书。",
           "Correct the number typed in the profile from the certificate itself (character by character), or "
           "upload your own certificate for this level."),
      source=DOC_SOURCE + "（学历信息与证书不一致）", tag="firm", when=_has_education_certificate, per_slot=True)
def certificate_numbers(ctx: Context):
    """The number printed on the diploma and on the degree certificate (after 证书编号),
    against the profile's 学历证书编号 / 学位证书编号 of that entry. One character off, read
    with confidence, is an error that names the position; an unsure read or a number not
    found is a warning to look."""
    for kind, (field, zh_label, en_label) in CERT_NO.items():
        for slot, info, page in uploads_of_kind(ctx, kind):
            typed = (getattr(ctx.p.education[slot.path[1]], field) or "").strip().upper()
            if not typed:
                continue
            read = fields.cert_no(page.lines, kind)
            if read is None:
                yield doc_hit(slot, info, severity=WARNING, what=(f"未能在证书上读出{zh_label}",
                                                                   f"no {en_label} could be read on the certificate"),
                               hedge=HEDGE)
            elif read.value != typed:
                where = [i + 1 for i, (a, b) in enumerate(zip(read.value, typed)) if a != b]
                diff = (f"（第 {'、'.join(map(str, where))} 位不同）", f" (position {', '.join(map(str, where))})") \
                    if len(read.value) == len(typed) and len(where) <= 3 else ("", "")
                yield contradiction(slot, info, read.score,
                                     (f"证书上的编号 {read.value} 与填写的{zh_label} {typed} 不一致{diff[0]}",
                                      f"the number on the certificate, {read.value}, differs from the {en_label} "
                                      f"typed, {typed}{diff[1]}"))


@rule("DC005", step=6, severity=ERROR, title=("证书上的姓名与学校", "Holder and school on the certificates"),
      message=("{slot}：{what}{hedge}", "{slot}: {what}{hedge}"),
      fix=("上传本人的学历/学位证书；学校名称按证书填写（学校更名的，填写证书上的名称或按平台提示选择）。",
           "Upload your own diploma and degree certificate; give the school's name as the certificate prints it "
           "(for a school since renamed, the name on the certificate or as the platform suggests)."),
      source=DOC_SOURCE + "（学历信息与证书不一致）", tag="likely", when=_has_education_certificate, per_slot=True)
def certificate_holder(ctx: Context):
    """The registered name on the diploma and the degree certificate (another name read with
    confidence is an error; not found, a warning), and the school the entry names, where the
    certificate prints it (not found: a warning, since schools are renamed and seals cover
    text)."""
    for kind in CERT_NO:
        for slot, info, page in uploads_of_kind(ctx, kind):
            yield from holder_matches(ctx, slot, info, page, kind, ON_CERT, id_number="no")
            school = (ctx.p.education[slot.path[1]].school or "").strip()
            if school and not fields.found_on(page.lines, school):
                yield doc_hit(slot, info, severity=WARNING, what=(f"未能在证书上找到填写的学校“{school}”",
                                                                   f"the school typed, \u201c{school}\u201d, was not "
                                                                   "found on the certificate"), hedge=HEDGE)


def _has_title_cert(ctx: Context) -> bool:
    return has_kind("title_cert")(ctx)


@rule("DC006", step=10, severity=ERROR, title=("资格证书持有人与注册一致", "Title certificate holder matches"),
      message=("{slot}：{what}{hedge}", "{slot}: {what}{hedge}"),
      fix=("上传本人的会计专业技术资格证书；若证书无误，改正注册信息或填写的证书编号。",
           "Upload your own accounting title certificate; if it is right, correct the registration or the "
           "certificate number typed."),
      source=DOC_SOURCE + "（身份信息与证件不一致）", tag="likely", when=_has_title_cert, per_slot=True)
def title_holder(ctx: Context):
    """The name and the ID number printed on the title certificate, against the
    registration's, and its number against title.certificate_no when one is typed."""
    typed = (ctx.p.title.certificate_no or "").strip().upper()
    for slot, info, page in uploads_of_kind(ctx, "title_cert"):
        yield from holder_matches(ctx, slot, info, page, "title_cert", ON_CERT)
        if typed and not fields.found_on(page.lines, typed):
            read = fields.cert_no(page.lines, "title_cert")
            what = ((f"证书上的编号 {read.value} 与填写的 {typed} 不一致", f"the number on the certificate, "
                     f"{read.value}, differs from the {typed} typed") if read else
                    (f"未能在证书上找到填写的证书编号 {typed}", f"the certificate number typed, {typed}, was not found "
                     "on the certificate"))
            yield contradiction(slot, info, read.score, what) if read else \
                doc_hit(slot, info, severity=WARNING, what=what, hedge=HEDGE)


def _words_on(page, words) -> list[tuple[str, float]]:
    """(word, confidence of its line) for each of ``words`` printed on the page."""
    from ..documents.text import normalise

    out = []
    for word in words:
        scores = [line.score for line in page.lines if normalise(word) in normalise(line.text)]
        if scores:
            out.append((word, max(scores)))
    return out


@rule("DC007", step=10, severity=ERROR, title=("资格证书为会计中级，批准时间一致",
                                               "Title certificate: 会计 series, 中级, approved when stated"),
      message=("{slot}：{what}{hedge}", "{slot}: {what}{hedge}"),
      fix=("上传会计专业技术资格（中级，会计师）证书，并按证书上的批准日期填写取得时间（title.obtained）。",
           "Upload the 会计 series 中级 (会计师) certificate, and give its approval date as title.obtained."),
      source="报名条件：取得会计师（中级）资格；操作指引（十）；级别与系列关键词见规则集 documents.title_cert",
      tag="likely", when=_has_title_cert, per_slot=True)
def title_level(ctx: Context):
    """The certificate is of the 会计 series at 中级 (会计师) or above: another series (经济,
    审计 …) or only the 初级 level, read with confidence, is an error; neither level found is a
    warning. The approval (批准) year and month must agree with title.obtained."""
    spec = ctx.rs["documents"]["title_cert"]
    obtained = ctx.p.title.obtained
    for slot, info, page in uploads_of_kind(ctx, "title_cert"):
        text = fields.normalised_page(page.lines, drop=spec["not_titles"])
        low = _words_on(page, [w for w in spec["levels_low"] if w in text])
        ok_text = fields.without(text, spec["levels_low"])
        ok = [w for w in spec["levels_ok"] if w in ok_text]
        other = _words_on(page, [w for w in spec["other_series"] if w in ok_text])
        if not any(w in ok_text for w in spec["series_words"]) and other:
            word, score = other[0]
            yield contradiction(slot, info, score, (f"证书不是{spec['series']}系列（读到“{word}”）",
                                                     f"the certificate is not of the {spec['series']} series "
                                                     f"(read \u201c{word}\u201d)"))
        elif low and not ok:
            word, score = low[0]
            yield contradiction(slot, info, score, (f"证书为初级（读到“{word}”），报考高级须为中级（会计师）",
                                                     f"the certificate is at the junior level (read \u201c{word}"
                                                     "\u201d); the senior exam needs 中级 (会计师)"))
        elif not ok:
            yield doc_hit(slot, info, severity=WARNING, what=("未能在证书上读出“中级”或“会计师”",
                                                               "neither 中级 nor 会计师 could be read on the "
                                                               "certificate"), hedge=HEDGE)
        if obtained is None:
            continue
        typed = f"{obtained.first.year}-{obtained.first.month:02d}"
        read = fields.approval_month(page.lines)
        if read is None:
            yield doc_hit(slot, info, severity=WARNING, what=("未能在证书上读出批准日期", "the approval date could "
                                                               "not be read on the certificate"), hedge=HEDGE)
        elif read.value != typed:
            yield contradiction(slot, info, read.score, (f"证书的批准日期 {read.value} 与填写的取得时间 {typed} 不一致",
                                                          f"approved {read.value} on the certificate, but the date "
                                                          f"obtained typed is {typed}"))
