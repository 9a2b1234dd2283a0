"""What the proofs say: the work proof (holder, employer, the unit's red seal), the Tianjin
residence permit (holder, issued in Tianjin, valid) and the proof of study (holder, the 学信网
report's own validity). Needs the optional extra tjcheck[ocr]; shared reading in documents.py."""
from __future__ import annotations

from ..documents import fields
from ..documents import text as doctext
from .base import ERROR, WARNING, Context, Skip, rule
from .documents import (DOC_SOURCE, HEDGE, content, contradiction, doc_hit, has_kind, holder_matches,
                        uploads_of_kind, upright, validity_findings)

ON_PROOF = ("证明上", "on the proof")
RENEW = ("，请在提交前更新", "; renew it before submitting")


def _entry(ctx: Context, slot):
    """The work entry a proof slot belongs to (work[i].proof_image or work[i].posts[j].proof_image)."""
    return ctx.p.work[slot.path[1]]


@rule("DC008", step=7, severity=ERROR, title=("工作证明写明本人和单位", "Work proof names you and the employer"),
      message=("{slot}：{what}{hedge}", "{slot}: {what}{hedge}"),
      fix=("上传由该工作单位出具、写明本人姓名的工作证明；单位名称或统一社会信用代码应与填写的一致。",
           "Upload a proof issued by this employer that names you; the employer's name or credit code on it "
           "should match what you typed."),
      source=DOC_SOURCE + "（证明材料不清晰）", tag="likely", when=has_kind("work_proof"), per_slot=True)
def work_proof_names(ctx: Context):
    """The registered name on the work proof (another name read with confidence: an error), an
    ID number if one is printed, and the employer of the entry: its name or its credit code
    printed on the proof. Another credit code read with confidence is an error; neither the
    name nor the code found is a warning."""
    for slot, info, page in uploads_of_kind(ctx, "work_proof"):
        yield from holder_matches(ctx, slot, info, page, "work_proof", ON_PROOF, id_number="if_printed")
        entry = _entry(ctx, slot)
        employer, code = (entry.employer or "").strip(), (entry.credit_code or "").strip().upper()
        if not employer and not code:
            continue
        if fields.found_on(page.lines, employer) or fields.found_on(page.lines, code):
            continue
        read = fields.credit_code(page.lines)
        if read and code:
            yield contradiction(slot, info, read.score, (f"证明上的统一社会信用代码 {read.value} 与填写的 {code} 不一致",
                                                          f"the credit code on the proof, {read.value}, differs from "
                                                          f"the {code} typed"))
        else:
            yield doc_hit(slot, info, severity=WARNING,
                           what=(f"未能在证明上找到单位名称“{employer}”或其统一社会信用代码",
                                 f"neither the employer \u201c{employer}\u201d nor its credit code was found on the "
                                 "proof"), hedge=HEDGE)


@rule("DC009", step=7, severity=WARNING, title=("工作证明加盖单位公章", "Work proof bears the unit's seal"),
      message=("{slot}：{name} 上未发现红色印章{why}", "{slot}: no red seal found on {name}{why}"),
      fix=("请单位在证明上加盖公章（或人事章），用彩色扫描或拍照上传。",
           "Have the employer stamp the proof with its seal (or its HR seal) and upload a colour scan or photo."),
      source=DOC_SOURCE + "（证明材料须加盖单位公章）；印章按颜色与形状判断", tag="likely",
      when=has_kind("work_proof"), per_slot=True)
def work_proof_seal(ctx: Context):
    """A red seal (a red ring or oval of the seal's size, found by colour and shape; see
    tjcheck/documents/seal.py) on every work proof. Its absence is a warning: a faint stamp
    or a black-and-white scan hides it from the check, not from the reviewer."""
    for slot, info, page in uploads_of_kind(ctx, "work_proof"):   # without the ocr extra: skipped here
        try:
            from ..documents import ocr, seal   # numpy and OpenCV, which the ocr extra brings

            found = ctx.memo(f"seal:{info.path}", lambda: ocr.remembered(   # noqa: B023 (used at once)
                "seal", content(ctx, info), lambda: seal.find_seal(upright(ctx, info)) is not None))
        except ImportError:
            raise Skip("未安装 OpenCV，印章检查未运行：请运行 pip install \"tjcheck[ocr]\"",
                       "OpenCV is not installed, so seals were not checked: run pip install \"tjcheck[ocr]\"") from None
        if not found:
            grey = ctx.memo(f"colourless:{info.path}", lambda: seal.colourless(upright(ctx, info)))  # noqa: B023
            yield doc_hit(slot, info, why=("（图片为黑白，看不出红色印章：已盖章的请上传彩色扫描件）" if grey else
                                            "，请人工确认",
                                            " (the image is black and white, so a red seal cannot show: if it is "
                                            "stamped, upload a colour scan)" if grey else "; please look"))


@rule("DC010", step=5, severity=ERROR, title=("天津市居住证有效", "Tianjin residence permit valid"),
      message=("{slot}：{what}{hedge}", "{slot}: {what}{hedge}"),
      fix=("上传本人在有效期内的天津市居住证（可到居住地派出所办理或签注）。",
           "Upload your own Tianjin residence permit, within its validity (issued or renewed at the local police "
           "station)."),
      source="操作指引（五）：非天津户籍且暂未工作、非在校学生者须上传天津市居住证", tag="likely",
      when=has_kind("residence_permit"), per_slot=True)
def residence_permit_valid(ctx: Context):
    """The residence permit: the registered name and number, issued in Tianjin (签发机关 or
    the permit's title), and its 有效期限 not over (expired: an error; ending before the exam:
    a warning; not read: a warning)."""
    for slot, info, page in uploads_of_kind(ctx, "residence_permit"):
        yield from holder_matches(ctx, slot, info, page, "residence_permit", ("居住证上", "on the permit"))
        issuer = doctext.value_after(page.texts, "签发机关")
        if issuer and "天津" not in issuer:
            yield contradiction(slot, info, fields.confidence_of(page.lines, issuer, 0.0),
                                (f"签发机关为“{issuer}”，不是天津市的居住证",
                                 f"issued by \u201c{issuer}\u201d: not a Tianjin permit"))
        elif not issuer and not fields.found_on(page.lines, "天津"):
            yield doc_hit(slot, info, severity=WARNING, what=("未能读出签发机关（天津市）", "the issuing "
                                                               "authority (Tianjin) could not be read"), hedge=HEDGE)
        yield from validity_findings(ctx, slot, info, fields.valid_until(page.lines, "residence_permit"),
                                     ("有效期限", "the validity period"), RENEW)


@rule("DC011", step=6, severity=ERROR, title=("在读证明有效", "Proof of study valid"),
      message=("{slot}：{what}{hedge}", "{slot}: {what}{hedge}"),
      fix=("在学信网重新生成《教育部学籍在线验证报告》（选择足够长的有效期），或上传本人学生证。",
           "Generate a new 学籍在线验证报告 on 学信网 (chsi.com.cn) with a long enough validity, or upload your "
           "student card."),
      source="操作指引（六）：在校学生上传学生证或学籍在线验证报告", tag="likely",
      when=has_kind("study_proof"), per_slot=True)
def study_proof_valid(ctx: Context):
    """The proof of study names the registered person; a 学信网 report must still be valid (its
    有效期至: expired, an error; not read, a warning). A student card has no such date."""
    for slot, info, page in uploads_of_kind(ctx, "study_proof"):
        yield from holder_matches(ctx, slot, info, page, "study_proof", ON_PROOF, id_number="if_printed")
        if fields.found_on(page.lines, "验证报告") or fields.found_on(page.lines, "在线验证码"):
            yield from validity_findings(ctx, slot, info, fields.valid_until(page.lines, "study_proof"),
                                         ("报告有效期", "the report's validity"), RENEW)
