"""Step 8: the accounting management department (which district reviews) and the pledge."""
from __future__ import annotations

from ..identifiers import credit_code_region, credit_code_shape_ok, normalise
from .base import ERROR, INFO, WARNING, Context, hit, present, rule

GUIDE8 = "操作指引（八）：在职在岗人员应选择工作单位所在地；在校学生应选择学籍所在地；其他人员应选择户籍所在地或居住地"
DEPT = ("department", "district")


def canonical_district(ctx: Context, value: str | None) -> str | None:
    """'南开', '南开区', '天津市南开区财政局' all mean 南开区."""
    if not present(value):
        return None
    text = value.strip().removeprefix("天津市").removeprefix("天津").removesuffix("财政局")
    for name in ctx.rs["department"]["districts"]:
        if text in (name, name.removesuffix("区"), name.removesuffix("新区")):
            return name
    return None


def district_in(ctx: Context, address: str | None) -> str | None:
    """The district an address names, if exactly one."""
    if not present(address):
        return None
    found = {name for name, d in ctx.rs["department"]["districts"].items() if any(w in address for w in d["words"])}
    return found.pop() if len(found) == 1 else None


def current_job(ctx: Context):
    return next(((i, w) for i, w in enumerate(ctx.p.work) if w.end is not None and w.end.ongoing), None)


@rule("MD001", step=8, severity=ERROR, title=("会计管理部门为天津 16 区之一", "Department: one of Tianjin's 16 districts"),
      message=("{problem}", "{problem}"),
      fix=("department.district 填写 16 个区之一：{options}。", "Set department.district to one of: {options}."),
      source="天津市 16 个区财政局（GB/T 2260 120101–120119）")
def district_valid(ctx: Context):
    """The collection is reviewed by one of the 16 district finance bureaus."""
    options = "、".join(ctx.rs["department"]["districts"])
    value = ctx.p.department.district
    if not present(value):
        yield hit(DEPT, problem=("未选择会计管理部门", "no department is chosen"), options=options)
    elif canonical_district(ctx, value) is None:
        yield hit(DEPT, problem=(f"“{value}” 不是天津的区", f"'{value}' is not a Tianjin district"), options=options)


def _basis(ctx: Context):
    """(address, where it comes from) that decides the department for this status."""
    if ctx.employed:
        job = current_job(ctx)
        if job:
            i, w = job
            return w.address, ("work", i, "address"), ("工作单位所在地", "the employer's district")
    elif ctx.student:
        for i, e in enumerate(ctx.p.education):
            if e.end is not None and e.end.ongoing:
                return e.school_address, ("education", i, "school_address"), ("学籍所在地", "the school's district")
    elif ctx.status == "其他":
        return ctx.p.basic.address, ("basic", "address"), ("户籍所在地或居住地", "the home or residence district")
    return None


@rule("MD002", step=8, severity=WARNING, title=("所选区与地址一致", "District matches the address"),
      message=("按人员状态应选择{basis}（地址在 {found}），但所选为 {chosen}", "by status the department is {basis} "
               "(the address is in {found}), but {chosen} is chosen"),
      fix=("核对会计管理部门：选错会导致审核退回或延误。", "Check the department: the wrong one sends the collection back "
           "or delays it."), source=GUIDE8, tag="firm",
      when=lambda c: canonical_district(c, c.p.department.district) is not None)
def district_matches_address(ctx: Context):
    """Working → where the employer is; student → where the school is; others → the home or
    residence district. A district that contradicts the address is a warning (addresses
    can be outdated or name a branch)."""
    basis = _basis(ctx)
    if basis is None:
        return
    address, _, label = basis
    found = district_in(ctx, address)
    chosen = canonical_district(ctx, ctx.p.department.district)
    if found and found != chosen:
        yield hit(DEPT, basis=label, found=found, chosen=chosen)


@rule("MD003", step=8, severity=WARNING, title=("所选区与信用代码一致", "District matches the credit code"),
      message=("当前单位的统一社会信用代码登记地为 {found}（{region}），但所选为 {chosen}", "the current employer's credit "
               "code is registered in {found} ({region}), but {chosen} is chosen"),
      fix=("在职人员选择单位所在地；单位实际经营地与登记地不同时以实际为准，可忽略。", "Employed people choose the "
           "employer's district; ignore this if the employer works somewhere other than where it registered."),
      source=GUIDE8 + "；GB 32100 第 3–8 位为登记管理机关行政区划码", tag="likely",
      when=lambda c: c.employed and canonical_district(c, c.p.department.district) is not None)
def district_matches_credit_code(ctx: Context):
    """Characters 3–8 of the credit code are the registering region. Only a district-level
    Tianjin code (1201xx) is compared; a city-level or other province's code says
    nothing about the district."""
    job = current_job(ctx)
    if not job:
        return
    code = normalise(job[1].credit_code or "")
    if not credit_code_shape_ok(code):
        return
    region = credit_code_region(code)
    by_code = {d["code"]: name for name, d in ctx.rs["department"]["districts"].items()}
    found = by_code.get(region)
    chosen = canonical_district(ctx, ctx.p.department.district)
    if found and found != chosen:
        yield hit(DEPT, found=found, region=region, chosen=chosen)


@rule("MD004", step=8, severity=ERROR, title=("勾选承诺", "Pledge ticked"),
      message=("未勾选 “承诺所提供信息真实有效”", "the pledge '承诺所提供信息真实有效' is not ticked"),
      fix=("确认信息无误后，department.pledge 填 true（平台上勾选后才能提交）。", "Once the data is right, set "
           "department.pledge: true (the platform will not submit without it)."),
      source="操作指引（八）：勾选“承诺所提供信息真实有效”后提交审核")
def pledge(ctx: Context):
    """The platform does not submit without the pledge box ticked."""
    if ctx.p.department.pledge is not True:
        yield hit(("department", "pledge"))


@rule("MD005", step=8, severity=INFO, title=("选区依据", "Basis for the district"),
      message=("人员状态为 “{status}”：应选择{basis}{detail}", "status '{status}': choose {basis}{detail}"),
      fix=("{hint}", "{hint}"), source=GUIDE8, when=lambda c: c.status is not None)
def district_basis(ctx: Context):
    """Says which rule applies to this person and whether the profile gives an address to
    compare with (work address, school address or home address)."""
    basis = _basis(ctx)
    if basis is None:
        return
    address, path, label = basis
    found = district_in(ctx, address)
    if found:
        yield hit(DEPT, status=ctx.p.basic.status, basis=label, detail=(f"（地址在 {found}）", f" (the address is in "
                                                                                           f"{found})"),
                  hint="")
    else:
        where = ".".join(map(str, path))
        yield hit(DEPT, status=ctx.p.basic.status, basis=label, detail=("（地址中未见区名，无法核对）",
                                                                        " (no district in the address to compare)"),
                  hint=(f"在 {where} 填写含区名的地址，tjcheck 即可核对所选区。",
                        f"Give an address with the district at {where} and tjcheck will compare."))
