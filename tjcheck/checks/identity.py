"""Step 1 (registration) and the identity fields that step 5 reads from it."""
from __future__ import annotations

import re

from ..identifiers import has_fullwidth, has_space, mobile_digits, normalise, parse_resident_id, split_mobile
from ..profile import Registration
from .base import ERROR, INFO, WARNING, Context, hit, labels, missing_fields, present, rule

GB11643 = "GB 11643-1999 公民身份号码"
REG = ("registration",)


def _number(ctx: Context) -> str:
    return ctx.p.registration.id_number or ""


def _resident(ctx: Context) -> bool:
    return present(ctx.p.registration.id_number) and ctx.id_format in ("resident_id", "hmt_residence")


@rule("RG001", step=1, severity=ERROR, title=("注册信息填写完整", "Registration complete"),
      message=("注册信息缺少：{fields}", "registration lacks: {fields}"),
      fix=("在 registration 下填写这些项，与证件上完全一致。", "Fill these under registration, exactly as on the ID."),
      source="操作指引（一）：选择证件类型，填写证件号码、真实姓名、密码、确认密码、手机号")
def registration_complete(ctx: Context):
    """The platform's registration form requires the ID type, number, real name and mobile
    number. (The password is set on the platform and never belongs in a profile.)"""
    names = missing_fields(ctx.p.registration, ["id_type", "id_number", "name", "mobile"])
    if names:
        yield hit(REG, fields=labels(Registration, names))


@rule("RG002", step=1, severity=ERROR, title=("证件类型可选", "ID type is an option"),
      message=("证件类型 “{value}” 不在平台选项中（可选：{options}）", "ID type '{value}' is not an option ({options})"),
      fix=("从平台的证件类型选项中选择。", "Pick one of the platform's ID types."),
      source="domain.md 证件类型 [likely]; 港澳台居民居住证、外国人永久居留身份证 [open]", tag="likely",
      when=lambda c: present(c.p.registration.id_type))
def id_type_known(ctx: Context):
    """The ID type must be one of the platform's options. Two types whose presence in the
    platform's list is unconfirmed ([open]) get a warning instead of a pass."""
    types = ctx.rs["identity"]["id_types"]
    entry = types.get(ctx.id_type)
    if entry is None:
        yield hit(REG + ("id_type",), value=ctx.id_type, options="、".join(types))
    elif entry.get("open"):
        yield hit(REG + ("id_type",), severity=WARNING, value=ctx.id_type, options="、".join(types))


@rule("ID001", step=1, severity=ERROR, title=("身份证号码格式", "Resident ID format"),
      message=("证件号码应为 18 位：17 位数字加 1 位数字或 X，现为 {length} 位", "the ID number should be 18 characters, "
               "17 digits then a digit or X; it has {length}"),
      fix=("照身份证逐位核对号码。", "Copy the number digit by digit from the card."), source=GB11643, when=_resident)
def resident_id_format(ctx: Context):
    """A resident ID number is 18 characters: 17 digits and a final digit or X. Spaces,
    full-width digits and a lower-case x are reported by their own rules, so this one
    looks at the number as it would be after those fixes."""
    number = normalise(_number(ctx))
    if not re.fullmatch(r"\d{17}[\dX]", number):
        yield hit(REG + ("id_number",), length=len(number))


@rule("ID002", step=1, severity=ERROR, title=("末位 X 大写", "Final X in upper case"),
      message=("证件号码末位是小写 x，应为大写 X", "the ID number ends in a lower-case x; it must be an upper-case X"),
      fix=("把末位 x 改为大写 X。", "Change the final x to X."), source=GB11643, when=_resident)
def resident_id_lower_x(ctx: Context):
    """The check character 10 is written as an upper-case X; the platform matches the number
    against the public-security record character by character."""
    if _number(ctx).strip().endswith("x"):
        yield hit(REG + ("id_number",))


@rule("ID003", step=1, severity=ERROR, title=("无全角字符", "No full-width characters"),
      message=("{field}含全角数字或字母（如 “１２”），应为半角", "{field} contains full-width digits or letters "
               "(like '１２'); use half-width"),
      fix=("切换到英文（半角）输入法重新输入。", "Retype it with a half-width (English) input method."),
      source="平台按字符比对证件信息", tag="likely")
def no_fullwidth(ctx: Context):
    """Full-width digits (typed with a Chinese input method) look right but are different
    characters, so the number no longer matches the 证件 record. A mobile number is looked
    at without its country code (+86, which MB002 notes)."""
    for name in ("id_number", "mobile"):
        value = _as_typed(ctx, name)
        if has_fullwidth(value):
            yield hit(REG + (name,), field=(Registration.label(name, "zh"), Registration.label(name, "en")))


@rule("ID004", step=1, severity=ERROR, title=("无空格", "No spaces"),
      message=("{field}中有空格", "{field} contains spaces"),
      fix=("删除所有空格（包括全角空格）。", "Remove every space (including full-width ones)."),
      source="平台按字符比对证件信息", tag="likely")
def no_spaces(ctx: Context):
    """Spaces inside an ID or phone number, often pasted in groups of four, make the value
    differ from the record. A mobile number is looked at without its country code: the
    space in "+86 138…" goes with the +86 (MB002)."""
    for name in ("id_number", "mobile"):
        value = _as_typed(ctx, name)
        if has_space(value.strip()) or value != value.strip():
            yield hit(REG + (name,), field=(Registration.label(name, "zh"), Registration.label(name, "en")))


def _as_typed(ctx: Context, name: str) -> str:
    value = getattr(ctx.p.registration, name) or ""
    return split_mobile(value)[1] if name == "mobile" else value


def _shaped(ctx: Context):
    """The number as the user meant it, if it has the right shape (for later rules)."""
    return parse_resident_id(normalise(_number(ctx))) if _resident(ctx) else None


@rule("ID005", step=1, severity=ERROR, title=("地区码有效", "Valid region code"),
      message=("证件号码前两位 “{code}” 不是有效的省级行政区代码", "the first two digits '{code}' are not a province code"),
      fix=("核对证件号码前 6 位。", "Check the first six digits."), source="GB/T 2260; " + GB11643)
def resident_id_region(ctx: Context):
    """Digits 1–2 are a province-level code of GB/T 2260 (for example 12 for Tianjin). For the
    HK/Macau/Taiwan residence permit the first six digits are 810000, 820000 or 830000."""
    parsed = _shaped(ctx)
    if parsed is None:
        return
    if ctx.id_format == "hmt_residence":
        if parsed.region not in ctx.rs["identity"]["hmt_residence_regions"]:
            yield hit(REG + ("id_number",), code=parsed.region)
    elif parsed.province not in ctx.rs["identity"]["provinces"]:
        yield hit(REG + ("id_number",), code=parsed.province)


@rule("ID006", step=1, severity=ERROR, title=("出生日期有效", "Valid birth date"),
      message=("证件号码中的出生日期 “{value}” {problem}", "the birth date in the ID number, '{value}', {problem}"),
      fix=("核对证件号码第 7–14 位（出生年月日）。", "Check digits 7–14 (the birth date)."), source=GB11643)
def resident_id_birth(ctx: Context):
    """Digits 7–14 are the birth date YYYYMMDD: a real date and not in the future (GB 11643,
    domain.md). A date before identity.oldest_birth_year (1900) is no living person's birth
    date either. There is no age rule: nothing published sets a minimum age, and a young
    applicant's number is not wrong."""
    parsed = _shaped(ctx)
    if parsed is None:
        return
    raw = parsed.number[6:14]
    path = REG + ("id_number",)
    oldest = ctx.rs["identity"]["oldest_birth_year"]
    if parsed.birth is None:
        yield hit(path, value=raw, problem=("不是真实日期", "is not a real date"))
    elif parsed.birth > ctx.today:
        yield hit(path, value=raw, problem=("在今天之后", "is in the future"))
    elif parsed.birth.year < oldest:
        yield hit(path, value=raw, problem=(f"早于 {oldest} 年，不是真实的出生日期",
                                            f"is before {oldest}: not a real birth date"))


@rule("ID007", step=1, severity=ERROR, title=("校验位正确", "Check digit correct"),
      message=("证件号码校验位应为 {expected}，实际为 {actual}：号码中有错字", "the check digit should be {expected}, "
               "not {actual}: a digit is wrong"),
      fix=("逐位核对身份证号码，常见错误是相邻两位颠倒或看错 6/8、1/7。", "Compare every digit with the card; swapped "
           "neighbours and 6/8 or 1/7 are the usual slips."),
      source=GB11643 + " 校验码 ISO 7064 MOD 11-2")
def resident_id_checksum(ctx: Context):
    """The 18th character is a checksum over the first 17 (ISO 7064 MOD 11-2); a wrong one
    means a mistyped digit somewhere."""
    parsed = _shaped(ctx)
    if parsed is not None and parsed.birth is not None and not parsed.check_ok:
        yield hit(REG + ("id_number",), expected=parsed.check_expected, actual=parsed.number[-1])


_OTHER_FORMATS = {
    "hk_macau_permit": (r"[HM]\d{8}(\d{2})?", ("H 或 M 加 8 位数字（可再加 2 位换证次数）", "H or M and 8 digits "
                                                                                    "(maybe 2 more)")),
    "taiwan_permit": (r"\d{8}(\d{2})?", ("8 位数字", "8 digits")),
    "passport": (r"[A-Z0-9]{5,17}", ("5–17 位字母或数字", "5–17 letters or digits")),
    "permanent_residence": (r"9\d{16}[\dX]|[A-Z]{3}\d{12}", ("以 9 开头的 18 位，或 3 个字母加 12 位数字",
                                                            "18 characters starting with 9, or 3 letters and 12 digits")),
}


@rule("ID008", step=1, severity=ERROR, title=("其他证件号码格式", "Other ID number formats"),
      message=("{type}号码应为{expected}", "a {type} number should be {expected}"),
      fix=("照证件核对号码。", "Copy the number from the document."),
      source="domain.md 港澳通行证/台胞证/永居证 格式", tag="likely",
      when=lambda c: c.id_format in _OTHER_FORMATS and present(c.p.registration.id_number))
def other_id_format(ctx: Context):
    """港澳通行证 H/M + 8 digits (+2), 台胞证 8 digits (+2), 护照 5–17 letters or digits,
    外国人永久居留身份证 new form 9 + 17 (with the resident-ID checksum) or old form 3 letters
    + 12 digits."""
    pattern, expected = _OTHER_FORMATS[ctx.id_format]
    number = normalise(_number(ctx))
    ok = re.fullmatch(pattern, number)
    if ok and ctx.id_format == "permanent_residence" and number.startswith("9"):
        parsed = parse_resident_id(number)
        ok = parsed is not None and parsed.check_ok
    if not ok:
        en = ctx.rs["identity"]["id_types"][ctx.id_type]["en"]
        yield hit(REG + ("id_number",), type=(ctx.id_type, en), expected=expected)


NAME_SOURCE = "domain.md 姓名 [likely]：2–60 个汉字及“·”"


def _cjk_name(ctx: Context) -> bool:
    return present(ctx.p.registration.name) and ctx.id_format != "passport"


@rule("NM001", step=1, severity=ERROR, title=("姓名只含汉字和 ·", "Name: Chinese characters and · only"),
      message=("姓名含有不允许的字符：{chars}", "the name contains characters not allowed: {chars}"),
      fix=("按证件填写汉字姓名；少数民族姓名用中间点 “·”；生僻字用平台的生僻字输入功能。", "Write the name in Chinese "
           "characters as on the ID; use the middle dot '·' between name parts; type rare characters with the "
           "platform's rare-character widget."),
      source=NAME_SOURCE, tag="likely", when=_cjk_name)
def name_characters(ctx: Context):
    """Names on resident IDs are Chinese characters, with '·' between the parts of a
    transcribed minority name. Latin letters, digits or pinyin stand-ins for a rare
    character are mistakes. Spaces and a '.' are reported by their own rules."""
    bad = sorted({ch for ch in ctx.p.registration.name.strip()
                  if not ("\u3400" <= ch <= "\u9fff" or "\U00020000" <= ch <= "\U0003134f" or "\uf900" <= ch <= "\ufaff")
                  and ch not in "·.．•・ \u3000"})
    if bad:
        yield hit(REG + ("name",), chars=" ".join(f"“{c}”" for c in bad))


@rule("NM002", step=1, severity=ERROR, title=("姓名无空格", "No spaces in the name"),
      message=("姓名中有空格", "the name contains spaces"), fix=("删除姓名中的空格。", "Remove the spaces."),
      source=NAME_SOURCE, tag="likely", when=_cjk_name)
def name_spaces(ctx: Context):
    """A space in a Chinese name (张 三) makes it differ from the ID record."""
    if has_space(ctx.p.registration.name):
        yield hit(REG + ("name",))


@rule("NM003", step=1, severity=ERROR, title=("间隔号用 ·", "Middle dot, not a full stop"),
      message=("姓名中用了 “{char}”，间隔号应为 “·”", "the name uses '{char}' where the middle dot '·' belongs"),
      fix=("把 “{char}” 改为 “·”（中文输入法下 Shift+~ 左侧的键）。", "Replace '{char}' with '·' (U+00B7)."),
      source=NAME_SOURCE, tag="likely", when=_cjk_name)
def name_dot(ctx: Context):
    """The middle dot of a transcribed name is '·' (U+00B7); a '.', '．', '•' or '・' looks
    similar but is a different character."""
    for char in ".．•・":
        if char in ctx.p.registration.name:
            yield hit(REG + ("name",), char=char)
            return


@rule("NM004", step=1, severity=WARNING, title=("姓名长度", "Name length"),
      message=("姓名有 {length} 个字，通常为 {min}–{max} 个", "the name has {length} characters; usually {min}–{max}"),
      fix=("确认姓名与证件一致。", "Make sure the name matches the ID."), source=NAME_SOURCE, tag="likely",
      when=_cjk_name)
def name_length(ctx: Context):
    """Chinese names on IDs have 2 to 60 characters (counting '·')."""
    n = ctx.rs["identity"]["name"]
    length = len(re.sub(r"\s", "", ctx.p.registration.name))
    if not n["min_length"] <= length <= n["max_length"]:
        yield hit(REG + ("name",), length=length, min=n["min_length"], max=n["max_length"])


@rule("MB001", step=1, severity=ERROR, title=("手机号格式", "Mobile number format"),
      message=("手机号 {value} 不是 11 位大陆手机号（1 开头，第二位 3–9）", "{value} is not an 11-digit mainland mobile "
               "number (1, then 3–9, then 9 digits)"),
      fix=("填写本人正在使用的大陆手机号，用于接收验证码。", "Give your own mainland mobile number; it receives the "
           "verification code."),
      source="domain.md 手机号 1[3-9]\\d{9} [likely]", tag="likely", when=lambda c: present(c.p.registration.mobile))
def mobile_format(ctx: Context):
    """The registration sends a verification code by SMS to a mainland mobile number:
    11 digits, starting 1 and then 3–9. Spaces and full-width digits are reported by
    their own rules (ID003, ID004) and a country code by MB002; this rule looks at the
    number after those fixes."""
    number = mobile_digits(ctx.p.registration.mobile)
    if not re.fullmatch(ctx.rs["identity"]["mobile_pattern"], number):
        yield hit(REG + ("mobile",), value=ctx.mask_phone(number))


@rule("MB002", step=1, severity=INFO, title=("手机号不带国家代码", "Mobile number without the country code"),
      message=("手机号写了国家代码 “{prefix}”：平台只要 11 位数字 {value}", "the mobile number has the country code "
               "'{prefix}': the platform wants the 11 digits alone, {value}"),
      fix=("在平台上只填 11 位手机号，不加 +86。", "Type only the 11 digits on the platform, without +86."),
      source="domain.md 手机号 [likely]：11 位大陆手机号", tag="likely", when=lambda c: present(c.p.registration.mobile))
def mobile_country_code(ctx: Context):
    """+8613812345678, +86 138…, 0086… and 86-138… are the same mainland number, and tjcheck
    reads them so (one normalisation, also used by tjcheck init); the platform's field takes
    the 11 digits alone."""
    prefix, _ = split_mobile(ctx.p.registration.mobile)
    if prefix:
        yield hit(REG + ("mobile",), prefix=prefix.strip().rstrip("-－‐").strip(),
                  value=ctx.mask_phone(mobile_digits(ctx.p.registration.mobile)))


@rule("PW001", step=1, severity=WARNING, title=("档案中无密码", "No password in the profile"),
      message=("档案中有密码项（{where}）：tjcheck 不需要密码，也不会显示它", "the profile holds a password ({where}): "
               "tjcheck needs none and never shows it"),
      fix=("从档案中删除该项；密码只在平台上设置。", "Delete it from the profile; set passwords on the platform only."),
      source="安全：档案会被复制给他人（HR、同事）", tag="firm")
def no_password(ctx: Context):
    """A profile is shared with HR and colleagues; a password in it is a leak waiting to
    happen. The value is never read, printed or stored by tjcheck."""
    for path in ctx.loaded.secret_paths:
        yield hit(path, where=".".join(str(p) for p in path))


# --- step 5: the identity fields the platform reads from registration -------------

@rule("BI004", step=5, severity=ERROR, title=("性别与证件一致", "Gender matches the ID"),
      message=("性别填为 “{stated}”，但证件号码表明为 “{derived}”", "gender is given as '{stated}' but the ID number "
               "says '{derived}'"),
      fix=("性别由证件号码第 17 位决定（奇数男、偶数女）：改正性别或号码。", "Gender follows digit 17 (odd male, even "
           "female): correct the gender or the number."),
      source=GB11643 + " 第 17 位", when=lambda c: c.resident_id is not None and present(c.p.basic.gender))
def gender_matches(ctx: Context):
    """The platform reads gender from the registered ID number; a profile that states a
    different one has a wrong number or a wrong gender."""
    stated = ctx.canonical(ctx.rs["basic"]["genders"], ctx.p.basic.gender)
    if stated != ctx.resident_id.gender:
        yield hit(("basic", "gender"), stated=ctx.p.basic.gender, derived=ctx.resident_id.gender)


@rule("BI005", step=5, severity=ERROR, title=("出生日期与证件一致", "Birth date matches the ID"),
      message=("出生年月填为 {stated}，但证件号码表明为 {derived}", "the birth date is given as {stated} but the ID "
               "number says {derived}"),
      fix=("出生日期由证件号码第 7–14 位决定：改正其一。", "The birth date is digits 7–14: correct one of the two."),
      source=GB11643, when=lambda c: c.resident_id is not None and c.p.basic.birth_date is not None)
def birth_matches(ctx: Context):
    """Compared to the day where the profile gives a day, to the month otherwise (the
    platform shows 出生年月)."""
    stated, born = ctx.p.basic.birth_date, ctx.resident_id.birth
    same = (stated.year, stated.month) == (born.year, born.month) and stated.day in (None, born.day)
    if not same:
        yield hit(("basic", "birth_date"), stated=str(stated), derived=born.isoformat())


@rule("BI006", step=5, severity=ERROR, title=("性别为男或女", "Gender is 男 or 女"),
      message=("性别 “{value}” 无法识别，应为 男 或 女", "gender '{value}' is not 男 (male) or 女 (female)"),
      fix=("填写 男 或 女，或删去此项（由证件号码推出）。", "Write 男 or 女, or leave it out (it follows from the ID)."),
      source="平台基本信息页", when=lambda c: present(c.p.basic.gender))
def gender_valid(ctx: Context):
    """Gender is one of 男 / 女 (male / female)."""
    if ctx.canonical(ctx.rs["basic"]["genders"], ctx.p.basic.gender) is None:
        yield hit(("basic", "gender"), value=ctx.p.basic.gender)


def is_tianjin_id(ctx: Context) -> bool:
    return ctx.resident_id is not None and ctx.resident_id.province == ctx.rs["work"]["tianjin_region_prefix"]



