"""The profile: one YAML file that mirrors the platform's eleven steps.

Every field is optional in the model: a missing value is a finding of the step it
belongs to (the applicant sees it in the checklist), while a wrong *shape* (a list
where text belongs, an unknown key, a date that is not a date) makes the profile
unusable and stops the run with exit code 2, naming the file and line.
Option lists (学历, 单位类型 …) are plain text here and checked against the ruleset,
so the ruleset stays the one place they live.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Optional

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, PlainValidator, \
    ValidationError, WithJsonSchema

from .dates import DATE_FORM, MAX_YEAR, MIN_YEAR, ONGOING_FORM, DateError, DateValue, parse_date
from .errors import InputError
from .yamlload import load_yaml

PROFILE_VERSION = 1


def _date(allow_ongoing: bool):
    def validate(value: Any) -> DateValue:
        if isinstance(value, DateValue):
            return value
        if not isinstance(value, str):
            raise DateError("应为日期，如 2010-07", "expected a date like 2010-07")
        return parse_date(value, allow_ongoing)

    # the parser's own patterns, so an editor accepts exactly the forms tjcheck reads (the
    # calendar itself — month 13, 30 February, years outside MIN_YEAR–MAX_YEAR — is checked
    # by tjcheck, with the line); `2010.7` unquoted is a number to a YAML 1.2 editor
    forms = [{"type": "string", "pattern": DATE_FORM},
             {"type": "number", "minimum": MIN_YEAR, "exclusiveMaximum": MAX_YEAR + 1, "not": {"type": "integer"}}]
    if allow_ongoing:
        forms.append({"type": "string", "pattern": ONGOING_FORM})
    schema = {"anyOf": forms, "examples": ["2010-07", "2010-07-01", "2010年7月"] + (["至今", "在读"] if allow_ongoing
                                                                                  else [])}
    return Annotated[DateValue, PlainValidator(validate), WithJsonSchema(schema), PlainSerializer(str)]


Month = _date(False)
MonthOrOngoing = _date(True)

_YES = {"是", "有", "已勾选", "√"}
_NO = {"否", "无", "没有", "未勾选"}


def _bool(value: Any) -> Any:
    if isinstance(value, str):
        if value.strip() in _YES:
            return True
        if value.strip() in _NO:
            return False
    return value


Flag = Annotated[Optional[bool], BeforeValidator(_bool),
                 WithJsonSchema({"anyOf": [{"type": "boolean"}, {"enum": ["是", "否"]}]})]


def _files(value: Any) -> Any:
    """One path, a list of paths, or nothing yet (``residence_permit:`` left empty)."""
    if value is None:
        return []
    return [value] if isinstance(value, str) else value


Files = Annotated[list[str], BeforeValidator(_files),
                  WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
                                  "description": "图片路径（相对档案文件）；一个上传位只能放一张图片 / "
                                                 "image path relative to the profile; one image per slot"})]


def F(zh: str, en: str, note: str = "", **kw: Any) -> Any:
    """A field documented in both languages; the Chinese title is the platform's label."""
    desc = f"{zh} / {en}" + (f" — {note}" if note else "")
    if "default_factory" not in kw:
        kw.setdefault("default", None)
    return Field(title=zh, description=desc, json_schema_extra={"x-title-en": en}, **kw)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_default=False)

    @classmethod
    def label(cls, name: str, lang: str) -> str:
        field = cls.model_fields[name]
        return field.title if lang == "zh" else (field.json_schema_extra or {}).get("x-title-en", name)


class Registration(_Model):
    id_type: Optional[str] = F("证件类型", "ID document type", "居民身份证 / 港澳居民来往内地通行证 / 台湾居民来往大陆通行证 / 护照 …",
                               examples=["居民身份证"])
    id_number: Optional[str] = F("证件号码", "ID number", "加引号 / quote it", examples=["11010519491231002X"])
    name: Optional[str] = F("真实姓名", "real name", examples=["李晓雯"])
    mobile: Optional[str] = F("手机号", "mobile phone", examples=["13812345678"])


class RealName(_Model):
    method: Optional[str] = F("实名认证方式", "real-name route", "alipay 支付宝 / online 线上实名认证",
                              examples=["alipay", "online"])
    id_front: Files = F("证件人像面", "ID photo side", default_factory=list)
    id_back: Files = F("证件非人像面", "ID other side", default_factory=list)
    id_handheld: Files = F("手持证件人像面", "holding the ID", default_factory=list)
    province: Optional[str] = F("所在省", "province", examples=["天津市"])
    city: Optional[str] = F("所在市", "city", examples=["天津市"])


class Basic(_Model):
    photo: Files = F("标准证件照片", "ID photo", "jpg，≥10KB，≥295×413", default_factory=list)
    gender: Optional[str] = F("性别", "gender", "可省略，由证件号码推出 / optional, derived from the ID number",
                              examples=["女"])
    birth_date: Optional[Month] = F("出生年月", "date of birth", "可省略 / optional")
    id_front: Files = F("身份证明人像面", "ID photo side", default_factory=list)
    id_back: Files = F("身份证明国徽面", "ID emblem side", default_factory=list)
    hukou_tianjin: Flag = F("是否天津户籍", "Tianjin household registration")
    status: Optional[str] = F("人员状态", "status", "在职在岗 / 在校学生 / 其他", examples=["在职在岗"])
    residence_permit: Files = F("天津市居住证", "Tianjin residence permit",
                                "非津籍、暂未工作且非在校学生者必传", default_factory=list)
    address: Optional[str] = F("户籍或居住地址", "home or residence address", "其他人员据此选择会计管理部门")


class Education(_Model):
    mode: Optional[str] = F("培养方式", "mode of study", examples=["全日制", "非全日制"])
    school: Optional[str] = F("学校名称", "school")
    level: Optional[str] = F("学历", "education level", examples=["大学本科", "硕士研究生", "大学专科"])
    degree: Optional[str] = F("学位", "degree", examples=["学士", "硕士", "博士", "无"])
    major: Optional[str] = F("所学专业", "major")
    start: Optional[Month] = F("入学时间", "enrolment")
    end: Optional[MonthOrOngoing] = F("毕业时间", "graduation", "在读 = 在校学习中 / in progress")
    diploma_no: Optional[str] = F("学历证书编号", "diploma number", examples=["100551201005001234"])
    degree_no: Optional[str] = F("学位证书编号", "degree certificate number", examples=["1005542010001234"])
    diploma_image: Files = F("学历证书", "diploma image", default_factory=list)
    degree_image: Files = F("学位证书", "degree certificate image", default_factory=list)
    overseas: Flag = F("境外（含港澳台）学历学位", "obtained abroad (incl. HK/Macau/Taiwan)")
    overseas_cert_image: Files = F("教育部留学服务中心认证书", "CSCSE certificate image", default_factory=list)
    study_proof_image: Files = F("在学证明", "proof of study", "学生证或学籍在线验证报告", default_factory=list)
    school_address: Optional[str] = F("学籍所在地", "school address", "在校学生据此选择会计管理部门")


class Post(_Model):
    title: Optional[str] = F("会计专业职务", "accounting post", examples=["会计师"])
    appointed: Optional[Month] = F("聘任时间", "appointed on")
    start: Optional[Month] = F("开始时间", "from")
    end: Optional[MonthOrOngoing] = F("结束时间", "to", "至今 = to date")
    proof_image: Files = F("聘任证明", "appointment proof", default_factory=list)


class Work(_Model):
    start: Optional[Month] = F("工作开始时间", "start")
    end: Optional[MonthOrOngoing] = F("工作结束时间", "end", "至今 = to date")
    employer: Optional[str] = F("单位名称", "employer")
    credit_code: Optional[str] = F("统一社会信用代码", "unified social credit code", examples=["91350100M000100Y43"])
    unit_type: Optional[str] = F("单位类型", "type of employer", examples=["企业"])
    industry: Optional[str] = F("所属行业", "industry", "GB/T 4754 门类字母或名称", examples=["M", "金融业"])
    address: Optional[str] = F("工作单位地址", "employer address")
    phone: Optional[str] = F("工作单位电话", "employer phone", examples=["022-23456789"])
    accounting: Flag = F("是否有会计工作经历", "has accounting experience")
    proof_image: Files = F("会计工作经历证明", "proof of accounting work", "多张需合并为一张", default_factory=list)
    posts: list[Post] = F("会计专业工作经历", "accounting posts", default_factory=list)


class Department(_Model):
    district: Optional[str] = F("会计管理部门", "management department", "天津市 16 个区之一", examples=["南开区"])
    pledge: Flag = F("承诺所提供信息真实有效", "pledge that the information is true")


class Title(_Model):
    name: Optional[str] = F("会计专业技术资格", "professional title", examples=["会计师"])
    obtained: Optional[Month] = F("取得时间", "date obtained")
    certificate_no: Optional[str] = F("证书编号（管理号）", "certificate number")
    certificate_image: Files = F("资格证书", "certificate image", default_factory=list)


class Profile(_Model):
    """tjcheck profile / 高级会计资格考试报名信息采集档案"""

    version: Optional[int] = F("档案格式版本", "profile format version", default=PROFILE_VERSION)
    exam_year: Optional[int] = F("报考年度", "exam year", "省略则为下一次考试 / default: the next exam", ge=2000,
                                 le=2100)
    registration: Registration = F("（一）新用户注册", "(1) registration", default_factory=Registration)
    realname: RealName = F("（三）实名认证", "(3) real-name check", default_factory=RealName)
    scope: Optional[str] = F("（四）采集范围", "(4) collection scope", examples=["会计人员"])
    basic: Basic = F("（五）基本信息", "(5) basic information", default_factory=Basic)
    education: list[Education] = F("（六）教育经历", "(6) education", default_factory=list)
    work: list[Work] = F("（七）工作经历", "(7) work history", default_factory=list)
    department: Department = F("（八）会计管理部门", "(8) management department", default_factory=Department)
    title: Title = F("（十）会计人员职称", "(10) professional title", default_factory=Title)


@dataclass
class LoadedProfile:
    profile: Profile
    file: Path
    positions: dict[tuple, tuple[int, int]]
    secret_paths: list[tuple]   # where a password was found (and taken out, unread)

    @property
    def base_dir(self) -> Path:
        return self.file.parent

    def line(self, path: tuple) -> int | None:
        return _line_of(path, self.positions)


def json_schema() -> dict:
    schema = Profile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://tjcheck.invalid/profile-v1.schema.json"
    return schema


def take_secrets(data, keys: set[str], path: tuple = ()) -> list[tuple]:
    """Remove password-like keys wherever they are; return their paths. Values are never looked at."""
    found = []
    if isinstance(data, dict):
        for key in list(data):
            if str(key).strip().lower() in keys:
                del data[key]
                found.append(path + (key,))
            else:
                found += take_secrets(data[key], keys, path + (key,))
    elif isinstance(data, list):
        for i, item in enumerate(data):
            found += take_secrets(item, keys, path + (i,))
    return found


def load_profile(file: Path, password_keys: list[str] = ()) -> LoadedProfile:
    loaded = load_yaml(file)
    data = loaded.data
    if data is None:
        raise InputError(file, "文件是空的：请先用 tjcheck init 生成档案，或参照 examples/ 填写。",
                         "the file is empty: run tjcheck init, or start from examples/.", line=1)
    if not isinstance(data, dict):
        raise InputError(file, "档案的最外层应是一组“键: 值”（registration: … basic: …）。",
                         "the top level should be a mapping of keys (registration: …, basic: …).", line=1)
    secrets = take_secrets(data, {k.lower() for k in password_keys})
    try:
        profile = Profile.model_validate(data)
    except ValidationError as exc:
        details = [_describe(err, loaded.positions, file) for err in exc.errors()]
        first_line = _line_of(tuple(exc.errors()[0]["loc"]), loaded.positions)
        raise InputError(file, f"档案有 {len(details)} 处格式问题，无法检查：",
                         f"the profile has {len(details)} problem(s) of form and cannot be checked:",
                         line=first_line, details=details) from None
    if profile.version not in (None, PROFILE_VERSION):
        raise InputError(file, f"档案格式版本 {profile.version} 不受支持（本程序支持 {PROFILE_VERSION}）。",
                         f"profile format version {profile.version} is not supported (this tjcheck reads "
                         f"{PROFILE_VERSION}).", line=_line_of(("version",), loaded.positions))
    return LoadedProfile(profile, file, loaded.positions, secrets)


def _line_of(loc: tuple, positions: dict) -> int | None:
    """The line of a path, or of its nearest ancestor present in the file."""
    while loc:
        if loc in positions:
            return positions[loc][0]
        loc = loc[:-1]
    return None


def dotted(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


_KINDS = {
    "string_type": ("文本", "text"), "bool_type": ("是/否（true/false）", "true/false"),
    "bool_parsing": ("是/否（true/false）", "true/false"), "int_parsing": ("整数", "a whole number"),
    "int_type": ("整数", "a whole number"), "list_type": ("列表（每项以 “- ” 开头）", "a list (items start with '- ')"),
    "model_type": ("一组“键: 值”", "a mapping of keys"), "dict_type": ("一组“键: 值”", "a mapping of keys"),
    "model_attributes_type": ("一组“键: 值”", "a mapping of keys"),
}


def _model_at(loc: tuple) -> type[_Model] | None:
    """The model class a location points into, for did-you-mean suggestions."""
    model: type[_Model] = Profile
    for part in loc:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        if field is None:
            return None
        inner = field.annotation
        args = getattr(inner, "__args__", ())
        candidates = [inner, *args]
        nxt = next((c for c in candidates if isinstance(c, type) and issubclass(c, _Model)), None)
        if nxt is None:
            return None
        model = nxt
    return model


def _suggest(key: str, model: type[_Model] | None) -> tuple[str, str]:
    if model is None:
        return "", ""
    names = list(model.model_fields)
    by_title = {f.title: n for n, f in model.model_fields.items() if f.title}
    # a Chinese key is matched to the platform label it names (姓名 → 真实姓名 → name)
    by_part = [n for t, n in by_title.items() if len(key) >= 2 and key in t]
    match = by_title.get(key) or (by_part[0] if len(by_part) == 1 else None) or \
        next(iter(difflib.get_close_matches(key, names, n=1, cutoff=0.6)), None)
    if not match:
        options = "、".join(names)
        return f"（可用的键：{options}）", f" (keys here: {', '.join(names)})"
    return f"（是否想写 “{match}”？）", f" (did you mean '{match}'?)"


def _describe(err: dict, positions: dict, file: Path) -> tuple[str, str]:
    loc = tuple(err["loc"])
    line = _line_of(loc, positions)
    where = f"第 {line} 行 " if line else ""
    where_en = f"line {line}: " if line else ""
    name = dotted(loc)
    kind = err["type"]
    if kind == "extra_forbidden":
        key = str(loc[-1])
        zh_hint, en_hint = _suggest(key, _model_at(loc[:-1]))
        return f"{where}未知的键 “{name}”{zh_hint}", f"{where_en}unknown key '{name}'{en_hint}"
    value = err.get("input")
    shown = "" if isinstance(value, (dict, list)) else f"（实际为 “{str(value)[:40]}”）"
    shown_en = "" if not shown else f" (got '{str(value)[:40]}')"
    if kind in _KINDS:
        zh, en = _KINDS[kind]
        return f"{where}{name} 应为{zh}{shown}", f"{where_en}{name} should be {en}{shown_en}"
    bound = err.get("ctx") or {}
    if kind in ("greater_than_equal", "less_than_equal"):
        limit = bound.get("ge", bound.get("le"))
        word = ("不能小于", "at least") if kind == "greater_than_equal" else ("不能大于", "at most")
        return f"{where}{name} {word[0]} {limit}{shown}", f"{where_en}{name} must be {word[1]} {limit}{shown_en}"
    cause = bound.get("error")
    if isinstance(cause, DateError):
        return f"{where}{name}：{cause.zh}{shown}", f"{where_en}{name}: {cause.en}{shown_en}"
    msg = err.get("msg", "").removeprefix("Value error, ")
    return f"{where}{name}：{msg}{shown}", f"{where_en}{name}: {msg}{shown_en}"
