"""Steps 3–5: real-name route, collection scope, basic information."""
from __future__ import annotations

from ..profile import Basic, RealName
from .base import ERROR, WARNING, Context, hit, labels, missing_fields, present, rule
from .identity import is_tianjin_id

GUIDE = "操作指引"


@rule("RN001", step=3, severity=ERROR, title=("实名认证方式", "Real-name route chosen"),
      message=("实名认证方式 “{value}” 无法识别（可选：alipay 支付宝 / online 线上实名认证）", "real-name route "
               "'{value}' is not known (alipay or online)"),
      fix=("填写 alipay（支付宝扫码）或 online（上传证件图片）。", "Write alipay (scan with Alipay) or online "
           "(upload the ID images)."), source=GUIDE + "（三）", when=lambda c: present(c.p.realname.method))
def realname_method(ctx: Context):
    """Real-name verification is by Alipay scan or, for those who cannot use Alipay, online
    with three images of the 证件."""
    if ctx.canonical(ctx.rs["realname"]["methods"], ctx.p.realname.method) is None:
        yield hit(("realname", "method"), value=ctx.p.realname.method)


@rule("RN002", step=3, severity=ERROR, title=("线上实名认证材料齐全", "Online route: images and place"),
      message=("线上实名认证需要：{fields}", "the online route needs: {fields}"),
      fix=("准备证件人像面、非人像面、手持证件人像面三张图片，并填写所在省市。", "Prepare the three images (photo side, "
           "other side, you holding the ID) and give the province and city."),
      source=GUIDE + "（三）：上传证件人像面、证件非人像面、手持证件人像面以及选择所在省市",
      when=lambda c: c.realname_online)
def realname_online_complete(ctx: Context):
    """The online route uploads three images and asks for the province and city."""
    names = missing_fields(ctx.p.realname, ["province", "city"])
    names = [n for n in ("id_front", "id_back", "id_handheld") if not getattr(ctx.p.realname, n)] + names
    if names:
        yield hit(("realname",), fields=labels(RealName, names))


@rule("SC001", step=4, severity=ERROR, title=("采集范围选“会计人员”", "Scope: 会计人员"),
      message=("采集范围为 “{value}”：从事过会计工作的人员应选择 “（一）会计人员”", "the scope is '{value}': anyone who "
               "has done accounting work picks '(1) 会计人员'"),
      fix=("在采集须知中选择 “（一）会计人员”，即 scope: 会计人员。", "Choose '(1) 会计人员' (scope: 会计人员)."),
      source=GUIDE + "（四）：凡从事过会计工作（无论现在是否在职在岗）均选择“（一）会计人员”")
def scope_accounting(ctx: Context):
    """Anyone who has ever done accounting work — every senior-exam applicant — picks
    （一）会计人员, whether or not they are in post now."""
    scope = (ctx.p.scope or "").strip().removeprefix("（一）")
    if scope != ctx.rs["scope"]["accounting"]:
        yield hit(("scope",), value=ctx.p.scope or "（未填）")


@rule("BI001", step=5, severity=ERROR, title=("上传证件照片", "ID photo given"),
      message=("未提供标准证件照片", "no ID photo is given"),
      fix=("在 basic.photo 填写照片文件路径（jpg，≥10KB，≥295×413 像素）。", "Set basic.photo to the photo file (jpg, "
           "≥10 KB, ≥295×413 px)."), source=GUIDE + "（五）")
def photo_given(ctx: Context):
    """The basic-information page needs a standard ID photo."""
    if not ctx.p.basic.photo:
        yield hit(("basic", "photo"))


@rule("BI002", step=5, severity=ERROR, title=("证件正反面图片", "ID images, both sides"),
      message=("缺少：{fields}", "missing: {fields}"),
      fix=("上传证件人像面和国徽面两张图片（jpg/png，20–500KB）。", "Upload the photo side and the emblem side "
           "(jpg/png, 20–500 KB)."), source=GUIDE + "（五）：上传身份证明人像面、身份证明国徽面")
def id_images_given(ctx: Context):
    """Both sides of the 证件 are uploaded as two images."""
    names = [n for n in ("id_front", "id_back") if not getattr(ctx.p.basic, n)]
    if names:
        yield hit(("basic",), fields=labels(Basic, names))


@rule("BI003", step=5, severity=ERROR, title=("人员状态", "Status"),
      message=("{problem}", "{problem}"),
      fix=("basic.status 填写 在职在岗、在校学生 或 其他；basic.hukou_tianjin 填写 是否天津户籍。", "Set basic.status to "
           "在职在岗 (employed), 在校学生 (student) or 其他 (other), and basic.hukou_tianjin to true or false."),
      source=GUIDE + "（五）（八）：居住证与会计管理部门规则都取决于人员状态")
def status_given(ctx: Context):
    """The status (employed, student, other) and whether the person holds a Tianjin 户籍
    decide which proofs are needed and which district reviews the collection."""
    if not present(ctx.p.basic.status):
        yield hit(("basic", "status"), problem=("未填写人员状态", "the status is missing"))
    elif ctx.status is None:
        yield hit(("basic", "status"), problem=(f"人员状态 “{ctx.p.basic.status}” 无法识别",
                                                f"status '{ctx.p.basic.status}' is not known"))
    if ctx.p.basic.hukou_tianjin is None:
        yield hit(("basic", "hukou_tianjin"), problem=("未说明是否天津户籍", "Tianjin 户籍 yes/no is missing"))


@rule("BI007", step=5, severity=ERROR, title=("天津市居住证", "Tianjin residence permit"),
      message=("非津籍、暂未工作且不是在校学生，须上传天津市居住证", "not a Tianjin 户籍 holder, not working and not a "
               "student: the Tianjin residence permit is required"),
      fix=("在 basic.residence_permit 填写居住证图片。", "Set basic.residence_permit to the permit's image."),
      source=GUIDE + "（五）提示：非津籍暂未工作且不属于在校学生的人员，上传天津市居住证",
      when=lambda c: c.p.basic.hukou_tianjin is False and c.status == "其他")
def residence_permit(ctx: Context):
    """Required exactly when the person is not a Tianjin 户籍 holder AND not working AND
    not a student."""
    if not ctx.p.basic.residence_permit:
        yield hit(("basic", "residence_permit"))


@rule("BI008", step=5, severity=WARNING, title=("户籍与证件号码", "户籍 and the ID number"),
      message=("填为非天津户籍，但证件号码以 12（天津）开头：请确认户籍", "not a Tianjin 户籍 holder, yet the ID number "
               "starts with 12 (Tianjin): please confirm"),
      fix=("证件号码反映的是初次登记地；若户籍确已迁出，可忽略本提示。", "The ID number shows where it was first issued; "
           "ignore this if the 户籍 has moved."), source="GB 11643 地址码", tag="likely",
      when=lambda c: c.p.basic.hukou_tianjin is False)
def hukou_vs_id(ctx: Context):
    """A Tianjin-issued ID with 'not Tianjin 户籍' is possible (the 户籍 moved) but is
    also a common slip that wrongly triggers the 居住证 rule."""
    if is_tianjin_id(ctx):
        yield hit(("basic", "hukou_tianjin"))
