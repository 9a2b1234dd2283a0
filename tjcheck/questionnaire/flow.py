"""The questionnaire: the platform's eleven steps, in its order and with its field labels.

Labels come from the profile model (the platform's Chinese label, or its English title),
option lists from the ruleset, and every answer is judged by the verify rules
(fieldcheck.py) as it is given. Branches follow the rules: a student gives two education
entries and a proof of study; a non-Tianjin person who is neither working nor studying
gives the 居住证; an overseas degree asks for its certificate; accounting experience asks
for the accounting posts. Derived values (gender and birth date from a resident ID) are
filled in and shown, not asked.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

from ..engine import default_exam_year
from ..identifiers import mask_phone, mobile_digits, normalise, parse_resident_id
from ..profile import _model_at
from .fieldcheck import FieldChecker, put
from .prompts import Prompter, Question

NO_OFFLINE_STEPS = {2: ("沿用第一步的注册信息登录，无需填写。", "you log in with step 1's registration; nothing to fill in."),
                    9: ("审核结果在平台上查看，无需填写。", "the review result is shown on the platform; nothing to fill in."),
                    11: ("报考条件由最后的检查报告计算。", "eligibility is worked out by the checklist at the end.")}


class Questionnaire:
    def __init__(self, prompter: Prompter, ruleset: dict, base_dir: Path, lang: str = "zh",
                 defaults: dict | None = None, today: date | None = None):
        self.p = prompter
        self.rs = ruleset
        self.lang = lang
        self.defaults = defaults or {}
        self.today = today or date.today()
        self.checker = FieldChecker(ruleset, base_dir, self.today)
        self.data: dict = {}
        self._last = None   # ((path, answer, is a file), verdict) of the last answer judged
        self._pending: list[tuple[tuple, bool]] = []   # an answers file's answers, judged a step at a time

    # --- small helpers ---------------------------------------------------------------
    def t(self, zh: str, en: str) -> str:
        return zh if self.lang == "zh" else en

    def label(self, path: tuple) -> str:
        model = _model_at(path[:-1])
        return model.label(path[-1], self.lang) if model else str(path[-1])

    def default(self, path: tuple):
        node = self.defaults
        for part in path:
            if isinstance(part, int):
                node = node[part] if isinstance(node, list) and part < len(node) else None
            else:
                node = node.get(part) if isinstance(node, dict) else None
            if node is None:
                return None
        if isinstance(node, list):   # an image slot holds one file
            return node[0] if node else None
        return node

    def _store(self, path: tuple, value) -> None:
        if value not in (None, ""):
            put(self.data, path, value)

    def _verdict(self, path: tuple, value: str, files: bool):
        """The rules' verdict on an answer. The last one is kept: an answer is judged when it
        is given and its warnings are shown right after, and judging a photo runs the face
        model, so it is not done twice."""
        key = (path, value, files)
        if self._last is None or self._last[0] != key:
            self._last = (key, self.checker.check(self.data, path, [value] if files else value))
        return self._last[1]

    def _problem(self, path: tuple, files: bool = False):
        def check(value: str) -> str | None:
            value = value.strip()
            if not value:
                return None   # left empty: the checklist will say what is missing
            if not self.p.interactive:   # nothing can be asked again: judged with its step (_judge_step)
                self._pending.append((path, files))
                return None
            verdict = self._verdict(path, value, files)
            if files and not verdict.unusable:
                return None   # a real image: its other findings are shown, the person decides
            return verdict.first(self.lang)
        return check

    def _show_findings(self, path: tuple, value, files: bool = False) -> bool:
        """After an answer: its warnings (and, for an image, its errors). False when the
        person then chooses not to keep the image."""
        if not self.p.interactive:
            return True   # an answers file keeps its answers; _judge_step reports on them
        verdict = self._verdict(path, value, files)
        for zh, en in verdict.warnings:
            self.p.say("  ⚠ " + self.t(zh, en), "yellow")
        if files and verdict.errors:
            # an unusable file's first error was already said when the answer was judged
            for zh, en in verdict.errors[1 if verdict.unusable else 0:]:
                self.p.say("  ✖ " + self.t(zh, en), "red")
            if self.p.interactive:   # an answers file keeps its file; the checklist reports it
                return bool(self.p.confirm(Question("keep." + ".".join(map(str, path)), self.t(
                    "  仍然使用这个文件吗？（平台或审核可能会退回）", "  use this file anyway? (it may be refused)"),
                    suggested=False)))
        return True

    # --- question kinds --------------------------------------------------------------
    def text(self, path: tuple, hint: str = "") -> str | None:
        value = self.p.text(Question(".".join(map(str, path)), self.label(path), self.default(path), hint,
                                     self._problem(path))).strip()
        if value:
            self._store(path, value)
            self._show_findings(path, value)
        return value or None

    def date(self, path: tuple, ongoing: str = "") -> str | None:
        hint = self.t("如 2010-07", "e.g. 2010-07") + (self.t(f"；未结束填 {ongoing}", f"; {ongoing} if ongoing")
                                                      if ongoing else "")
        return self.text(path, hint)

    def choice(self, path: tuple, options: list[tuple[str, str]], suggested: str | None = None) -> str | None:
        value = self.p.select(Question(".".join(map(str, path)), self.label(path), self.default(path),
                                       check=self._problem(path), choices=options, suggested=suggested))
        self._store(path, value)
        return value or None

    def flag(self, path: tuple, suggested: bool = False) -> bool | None:
        current = self.default(path)
        if isinstance(current, str):
            current = current.strip().lower() in ("true", "是", "有", "yes")
        value = self.p.confirm(Question(".".join(map(str, path)), self.label(path), current, suggested=suggested))
        if value is not None:
            put(self.data, path, bool(value))
        return value

    def image(self, path: tuple) -> str | None:
        while True:
            value = self.p.path(Question(".".join(map(str, path)), self.label(path), self.default(path),
                                         self.t("图片路径，相对于档案文件；留空稍后补充", "image path, relative to the "
                                                "profile; leave empty to add later"),
                                         self._problem(path, files=True))).strip()
            if not value:
                return None
            if self._show_findings(path, value, files=True):
                self._store(path, [value])
                return value

    def another(self, key: str, zh: str, en: str, exists: bool, suggested: bool = False) -> bool:
        """"Add another?": the answer on file is whether the defaults have one more entry."""
        return bool(self.p.confirm(Question(key, self.t(zh, en), True if exists else
                                            (None if self.p.interactive else False), suggested=suggested)))

    def step(self, number: int) -> None:
        title = self.rs["steps"][number]
        self.p.say("")
        self.p.say(title[self.lang], "bold")
        if number in NO_OFFLINE_STEPS:
            self.p.say("  " + self.t(*NO_OFFLINE_STEPS[number]), "dim")

    def _judge_step(self) -> None:
        """An answers file's answers of this step, judged together once it is filled in: one run
        of the step's rules instead of one per answer (a file with sixty jobs stays quick), and
        each problem shown under its answer, as a person typing it would have seen it."""
        pending, self._pending = self._pending, []
        if not pending:
            return
        verdicts = self.checker.check_many(self.data, [path for path, _ in pending])
        for path, files in pending:
            verdict = verdicts[path]
            if verdict.errors:
                self.p.problem(".".join(map(str, path)), self.label(path), self.t(*verdict.errors[0]))
            for zh, en in verdict.errors[1:] if files else []:
                self.p.say("  ✖ " + self.t(zh, en), "red")
            for zh, en in verdict.warnings:
                self.p.say("  ⚠ " + self.t(zh, en), "yellow")

    # --- the eleven steps --------------------------------------------------------------
    def run(self) -> dict:
        year = self.default(("exam_year",)) or default_exam_year(self.today, self.rs)
        put(self.data, ("version",), 1)
        value = self.p.text(Question("exam_year", self.t("报考年度", "exam year"), year, "",
                                     lambda v: None if v.strip().isdigit() and 2000 <= int(v) <= 2100 else
                                     self.t("请输入四位年份，如 2027", "a four-digit year, e.g. 2027"))).strip()
        put(self.data, ("exam_year",), int(value) if value.isdigit() else year)
        for number, part in ((1, self.registration), (2, None), (3, self.realname), (4, self.scope),
                             (5, self.basic), (6, self.education), (7, self.work), (8, self.department),
                             (9, None), (10, self.title), (11, None)):
            self.step(number)
            if part:
                part()
                self._judge_step()
        _keep_unasked(self.data, self.defaults)
        return self.data

    def registration(self) -> None:
        types = [(name, name) for name in self.rs["identity"]["id_types"]]
        id_type = self.choice(("registration", "id_type"), types, "居民身份证")
        number = self.text(("registration", "id_number"))
        rid = parse_resident_id(normalise(number)) if number and id_type == "居民身份证" else None
        if rid and rid.birth:
            put(self.data, ("basic", "gender"), rid.gender)
            put(self.data, ("basic", "birth_date"), rid.birth.isoformat())
            self.p.say("  " + self.t(f"由证件号码得出：性别 {rid.gender}，出生日期 {rid.birth}",
                                     f"from the ID number: gender {rid.gender}, born {rid.birth}"), "green")
        self.text(("registration", "name"))
        mobile = self.text(("registration", "mobile"), self.t("11 位手机号", "11-digit mobile"))
        if mobile and mobile_digits(mobile) != mobile:   # +86 138…: the platform wants the 11 digits alone
            put(self.data, ("registration", "mobile"), mobile_digits(mobile))
            shown = mask_phone(mobile_digits(mobile))   # masked like every report: an answers run is a log
            self.p.say("  " + self.t(f"手机号记为 11 位：{shown}（平台上不加 +86）",
                                     f"mobile number kept as its 11 digits: {shown} (no +86 on the platform)"), "green")
        self.p.say("  " + self.t("密码只在平台上设置，不写入档案。", "the password is set on the platform only, never "
                                 "in the profile."), "dim")

    def realname(self) -> None:
        methods = [(key, m[self.lang] if self.lang in m else m["zh"]) for key, m in self.rs["realname"]["methods"].items()]
        if self.choice(("realname", "method"), methods, "alipay") == "online":
            for key in ("id_front", "id_back", "id_handheld"):
                self.image(("realname", key))
            self.text(("realname", "province"))
            self.text(("realname", "city"))

    def scope(self) -> None:
        options = self.rs["scope"]["options"]
        self.choice(("scope",), [(o, o) for o in options], options[0])

    def basic(self) -> None:
        self.image(("basic", "photo"))
        self.image(("basic", "id_front"))
        self.image(("basic", "id_back"))
        tianjin = self.flag(("basic", "hukou_tianjin"), suggested=True)
        statuses = [(name, name if self.lang == "zh" else s["en"]) for name, s in self.rs["basic"]["statuses"].items()]
        status = self.choice(("basic", "status"), statuses, "在职在岗")
        self.text(("basic", "address"))
        if tianjin is False and status == "其他":
            self.p.say("  " + self.t("非天津户籍、既不在职也不在校：须上传天津市居住证。", "not a Tianjin resident, "
                                     "neither working nor studying: the Tianjin residence permit is required."), "cyan")
            self.image(("basic", "residence_permit"))

    def _student(self) -> bool:
        return self.data.get("basic", {}).get("status") == "在校学生"

    def education(self) -> None:
        ed = self.rs["education"]
        if self._student():
            self.p.say("  " + self.t("在校学生须填写两段：正在就读的学历，和已取得的最高学历。", "students enter two: "
                                     "the course in progress and the highest one completed."), "cyan")
        i = 0
        while True:
            self.p.say(self.t(f"  — 第 {i + 1} 段教育经历", f"  — education entry {i + 1}"), "bold")
            base = ("education", i)
            self.choice(base + ("mode",), [(m, m) for m in ed["modes"]], "全日制")
            self.text(base + ("school",))
            levels = [(name, name if self.lang == "zh" else v["en"]) for name, v in ed["levels"].items()]
            self.choice(base + ("level",), levels, "大学本科")
            degrees = [(name, name if self.lang == "zh" else v["en"]) for name, v in ed["degrees"].items()]
            degree = self.choice(base + ("degree",), degrees, "无")
            self.text(base + ("major",))
            self.date(base + ("start",))
            end = self.date(base + ("end",), "在读")
            if end != "在读":
                self.text(base + ("diploma_no",))
                self.image(base + ("diploma_image",))
                if degree != "无":
                    self.text(base + ("degree_no",))
                    self.image(base + ("degree_image",))
            if self.flag(base + ("overseas",)):
                self.image(base + ("overseas_cert_image",))
            if end == "在读":
                self.image(base + ("study_proof_image",))
                self.text(base + ("school_address",))
            i += 1
            if self._student() and i < 2:
                continue
            if not self.another("education.more", "还有其他教育经历吗？", "another education entry?",
                                self.default(("education", i)) is not None):
                break

    def work(self) -> None:
        wk = self.rs["work"]
        i = 0
        while True:
            if i == 0 and not self.another("work.any", "有工作经历吗？", "any work history?",
                                           bool(self.defaults.get("work")), suggested=not self._student()):
                return
            self.p.say(self.t(f"  — 第 {i + 1} 段工作经历", f"  — job {i + 1}"), "bold")
            base = ("work", i)
            self.date(base + ("start",))
            self.date(base + ("end",), "至今")
            self.text(base + ("employer",))
            self.text(base + ("credit_code",), self.t("18 位", "18 characters"))
            self.choice(base + ("unit_type",), [(u, u) for u in wk["unit_types"]], "企业")
            self.choice(base + ("industry",), [(k, f"{k} {v}") for k, v in wk["industries"].items()])
            self.text(base + ("address",))
            self.text(base + ("phone",), self.t("如 022-23456789", "e.g. 022-23456789"))
            if self.flag(base + ("accounting",), suggested=True):
                self.image(base + ("proof_image",))
                j = 0
                while True:
                    post = base + ("posts", j)
                    self.p.say(self.t(f"    会计专业工作经历 {j + 1}", f"    accounting post {j + 1}"), "bold")
                    self.choice(post + ("title",), [(t, t) for t in wk["post_titles"]], "会计师")
                    self.date(post + ("appointed",))
                    self.date(post + ("start",))
                    self.date(post + ("end",), "至今")
                    self.image(post + ("proof_image",))
                    j += 1
                    if not self.another(f"work.{i}.posts.more", "这个单位还有其他会计专业职务吗？",
                                        "another accounting post at this employer?",
                                        self.default(base + ("posts", j)) is not None):
                        break
            i += 1
            if not self.another("work.more", "还有其他工作经历吗？", "another job?",
                                self.default(("work", i)) is not None):
                break

    def department(self) -> None:
        districts = [(d, d) for d in self.rs["department"]["districts"]]
        self.choice(("department", "district"), districts)
        self.flag(("department", "pledge"), suggested=True)

    def title(self) -> None:
        t = self.rs["title"]
        names = list(dict.fromkeys([t["required"], *t["higher"], *t["no_longer_count"]]))
        self.choice(("title", "name"), [(n, n) for n in names], t["required"])
        self.date(("title", "obtained"))
        self.text(("title", "certificate_no"))
        self.image(("title", "certificate_image"))


def _keep_unasked(data: dict, defaults: dict) -> None:
    """Nothing is lost: values of the starting profile that no question asked (the upload
    images of a route not taken, a key the questionnaire does not cover) are kept. List
    entries the person chose not to keep ("no more jobs") are not brought back."""
    for key, value in defaults.items():
        if key not in data:
            data[key] = value
        elif isinstance(value, dict) and isinstance(data[key], dict):
            _keep_unasked(data[key], value)
        elif isinstance(value, list) and isinstance(data[key], list):
            for mine, theirs in zip(data[key], value):
                if isinstance(mine, dict) and isinstance(theirs, dict):
                    _keep_unasked(mine, theirs)
