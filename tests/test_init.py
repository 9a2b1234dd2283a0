"""tjcheck init: the questionnaire driven by a scripted prompter through its branches, and
the command's safety rules (no overwrite without --force, no profile written on Ctrl-C but a
draft of the answers so far, resumed by the next run; no hang without a terminal).
tests/test_init_pty.py types a whole session in a real terminal."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tjcheck.cli import app
from tjcheck.engine import load_ruleset
from tjcheck.profile import load_profile
from tjcheck.questionnaire.flow import Questionnaire
from tjcheck.questionnaire.prompts import Question
from tjcheck.yamlload import load_yaml

from .conftest import EXAMPLES, PASSING, TODAY

runner = CliRunner()


class Script:
    """Answers by question key. A list gives successive attempts (a person retyping after
    an error); a missing key takes what a person would be offered (the default)."""

    interactive = True

    def __init__(self, answers: dict | None = None):
        self.answers = dict(answers or {})
        self.asked: list[str] = []
        self.said: list[str] = []
        self.rejected: dict[str, list[str]] = {}

    def _next(self, q: Question):
        self.asked.append(q.key)
        if q.key not in self.answers:
            return q.offered
        given = self.answers[q.key]
        attempts = given if isinstance(given, list) else [given]
        for value in attempts:
            problem = q.check(str(value)) if (q.check and isinstance(value, str)) else None
            if problem is None:
                return value
            self.rejected.setdefault(q.key, []).append(problem)
        raise AssertionError(f"every answer for {q.key} was refused: {self.rejected[q.key]}")

    def text(self, q):
        value = self._next(q)
        return "" if value is None else str(value)

    path = text

    def select(self, q):
        value = self._next(q)
        assert value is None or value in [v for v, _ in q.choices], (q.key, value)
        return value

    def confirm(self, q):
        return bool(self._next(q))

    def say(self, text, style=""):
        self.said.append(text)


def _run(answers: dict, defaults: dict | None = None, base: Path = EXAMPLES / "passing") -> tuple[dict, Script]:
    script = Script(answers)
    data = Questionnaire(script, load_ruleset(), base, "zh", defaults, today=TODAY).run()
    return data, script


PASSING_DATA = load_yaml(PASSING).data


def test_defaults_from_a_profile_give_it_back():
    """--from: every answer defaults to the current value; accepting them all changes nothing."""
    data, script = _run({}, PASSING_DATA)
    assert data["registration"]["id_number"] == "120104198803150243"
    assert data["basic"]["gender"] == "女" and data["basic"]["birth_date"] == "1988-03-15"   # derived
    assert any("由证件号码得出" in line for line in script.said)
    assert [k for k in script.asked if k.startswith("work.0.posts.") and k.endswith(".title")] == \
        ["work.0.posts.0.title", "work.0.posts.1.title"]


def test_a_wrong_id_number_is_refused_with_the_verify_message():
    data, script = _run({"registration.id_number": ["120104198803150244", "120104198803150243"]}, PASSING_DATA)
    assert data["registration"]["id_number"] == "120104198803150243"
    assert "校验位" in script.rejected["registration.id_number"][0]


@pytest.mark.parametrize("key, bad, words", [
    ("registration.mobile", "1381234567", "11 位"),
    ("education.0.start", "2010-13", "13 月"),
    ("basic.photo", "images/nope.jpg", "找不到文件"),
    ("basic.photo", "../failing/images/id_back.pdf", "PDF"),
])
def test_answers_are_checked_by_the_rules(key, bad, words):
    good = {"registration.mobile": "13812345678", "education.0.start": "2006-09", "basic.photo": "images/photo.jpg"}
    _, script = _run({key: [bad, good[key]]}, PASSING_DATA)
    assert words in script.rejected[key][0]


def test_student_gives_two_entries_and_a_proof_of_study():
    answers = {"basic.status": "在校学生", "education.0.end": "在读", "education.more": False,
               "work.any": False}
    data, script = _run(answers, {})
    assert "education.1.school" in script.asked            # a second entry without being asked "another?"
    assert "education.0.study_proof_image" in script.asked and "education.0.school_address" in script.asked
    assert "education.1.study_proof_image" not in script.asked   # the finished course needs no proof
    assert "work.0.employer" not in script.asked and "work" not in data


def test_residence_permit_only_for_non_tianjin_people_neither_working_nor_studying():
    _, asked_other = _run({"basic.hukou_tianjin": False, "basic.status": "其他", "work.any": False}, {})
    _, asked_tianjin = _run({"basic.hukou_tianjin": True, "basic.status": "其他", "work.any": False}, {})
    _, asked_employed = _run({"basic.hukou_tianjin": False, "basic.status": "在职在岗"}, {})
    assert "basic.residence_permit" in asked_other.asked
    assert "basic.residence_permit" not in asked_tianjin.asked + asked_employed.asked


def test_overseas_degree_asks_for_its_certificate():
    _, script = _run({"education.0.overseas": True}, {})
    assert "education.0.overseas_cert_image" in script.asked
    _, script = _run({"education.0.overseas": False}, {})
    assert "education.0.overseas_cert_image" not in script.asked


def test_accounting_experience_asks_for_posts_and_repeats():
    answers = {"work.0.accounting": True, "work.0.posts.more": True, "work.0.posts.more.1": False,
               "work.more": True, "work.1.accounting": False}
    script = Script(answers)
    more = iter([True, False])        # two posts at the first job
    jobs = iter([True, False])        # then one more job
    original = script.confirm

    def confirm(q):
        if q.key == "work.0.posts.more":
            script.asked.append(q.key)
            return next(more)
        if q.key == "work.more":
            script.asked.append(q.key)
            return next(jobs)
        return original(q)

    script.confirm = confirm
    data = Questionnaire(script, load_ruleset(), EXAMPLES / "passing", "zh", {}, today=TODAY).run()
    assert len(data["work"]) == 2 and len(data["work"][0]["posts"]) == 2
    assert "work.1.posts.0.title" not in script.asked and "posts" not in data["work"][1]


def test_values_no_question_asked_are_kept():
    """Nothing is lost with --from: the online-route images of an alipay profile stay."""
    data, _ = _run({}, PASSING_DATA)
    assert data["realname"]["id_handheld"] == PASSING_DATA["realname"]["id_handheld"] == "images/id_handheld.jpg"


# --- the command ------------------------------------------------------------------------------

def _folder(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLES / "passing" / "images", tmp_path / "images")
    return tmp_path


def test_answers_file_writes_a_commented_profile_and_shows_the_checklist(tmp_path):
    folder = _folder(tmp_path)
    out = folder / "new.yaml"
    result = runner.invoke(app, ["init", str(out), "--answers", str(PASSING)])
    assert result.exit_code == 0, result.output
    assert load_profile(out).profile == load_profile(PASSING).profile
    text = out.read_text("utf-8")
    assert "# 证件号码 / ID number" in text and "id_number: '120104198803150243'" in text
    assert "结论" in result.output and "已写入" in result.output
    assert not list(folder.glob(".new.yaml.*"))   # no temporary file left behind


def test_existing_profile_is_refused_without_force_and_backed_up_with_it(tmp_path):
    folder = _folder(tmp_path)
    target = folder / "profile.yaml"
    target.write_text("# mine\n", "utf-8")
    result = runner.invoke(app, ["init", str(target), "--answers", str(PASSING)])
    assert result.exit_code == 2 and "--force" in result.output
    assert target.read_text("utf-8") == "# mine\n"
    result = runner.invoke(app, ["init", str(target), "--answers", str(PASSING), "--force"])
    assert result.exit_code == 0, result.output
    backups = list(folder.glob("profile.yaml.*.bak"))
    assert len(backups) == 1 and backups[0].read_text("utf-8") == "# mine\n"
    assert load_profile(target).profile == load_profile(PASSING).profile


def test_no_terminal_and_no_answers_is_a_clear_message_not_a_hang(tmp_path):
    result = runner.invoke(app, ["init", str(tmp_path / "p.yaml")], input="")
    assert result.exit_code == 2 and "--answers" in result.output
    assert not (tmp_path / "p.yaml").exists()


def test_from_and_answers_together_are_refused(tmp_path):
    result = runner.invoke(app, ["init", str(tmp_path / "p.yaml"), "--from", str(PASSING), "--answers", str(PASSING)])
    assert result.exit_code == 2


def test_broken_answers_file_names_the_line(tmp_path):
    bad = tmp_path / "answers.yaml"
    bad.write_text("registration:\n  id_numbr: '1'\n", "utf-8")
    result = runner.invoke(app, ["init", str(tmp_path / "p.yaml"), "--answers", str(bad)])
    assert result.exit_code == 2 and "answers.yaml" in result.output and "id_number" in result.output


def test_ctrl_c_writes_nothing(tmp_path, monkeypatch):
    import tjcheck.questionnaire.flow as flow

    def interrupted(self):
        raise KeyboardInterrupt

    monkeypatch.setattr(flow.Questionnaire, "run", interrupted)
    result = runner.invoke(app, ["init", str(tmp_path / "p.yaml"), "--answers", str(PASSING)])
    assert result.exit_code == 130 and "未写入" in result.output
    assert list(tmp_path.iterdir()) == []


def test_answers_with_problems_are_reported_and_kept(tmp_path):
    folder = _folder(tmp_path)
    answers = folder / "answers.yaml"
    answers.write_text(PASSING.read_text("utf-8").replace("13812345678", "1381234567"), "utf-8")
    result = runner.invoke(app, ["init", str(folder / "p.yaml"), "--answers", str(answers)])
    assert result.exit_code == 1
    assert "✖ 手机号" in result.output and "MB001" in result.output
    assert load_profile(folder / "p.yaml").profile.registration.mobile == "1381234567"


def test_an_answers_file_is_judged_a_step_at_a_time(tmp_path, monkeypatch):
    """Nothing in an answers file can be asked again, so its answers are judged once per step,
    not once per answer: a file with many jobs stays quick (sixty jobs took 76 s, found by
    bench/fuzz.py), and a problem is still shown under its answer's label."""
    import yaml

    import tjcheck.questionnaire.fieldcheck as fieldcheck

    calls = []
    real = fieldcheck.verify
    monkeypatch.setattr(fieldcheck, "verify", lambda *a, **k: calls.append(k.get("select")) or real(*a, **k))
    folder = _folder(tmp_path)
    data = yaml.safe_load(PASSING.read_text("utf-8"))
    job = data["work"][0]
    data["work"] = [dict(job, start=f"{2010 - n}-01", end=f"{2010 - n}-12", posts=[]) for n in range(1, 13)] + [job]
    data["work"][3]["phone"] = "12345"   # a problem on the fourth job
    answers = folder / "answers.yaml"
    answers.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    result = runner.invoke(app, ["init", str(folder / "p.yaml"), "--answers", str(answers)])
    assert result.exit_code in (0, 1), result.output
    assert len(calls) <= 8   # the steps with answers to judge (1, 3, 4, 5, 6, 7, 8, 10), not ~200 answers
    work_step = result.output[result.output.index("（七）"):result.output.index("（八）")]
    assert "⚠ 第 4 段：单位电话 “12345”" in work_step
    assert len(load_profile(folder / "p.yaml").profile.work) == 13


def test_a_password_in_the_answers_never_reaches_the_profile(tmp_path):
    folder = _folder(tmp_path)
    answers = folder / "answers.yaml"
    answers.write_text(PASSING.read_text("utf-8").replace("  mobile:", "  password: Secret#2026\n  mobile:"), "utf-8")
    result = runner.invoke(app, ["init", str(folder / "p.yaml"), "--answers", str(answers)])
    assert "Secret#2026" not in result.output and "密码已忽略" in result.output
    assert "Secret#2026" not in (folder / "p.yaml").read_text("utf-8")


# --- a long questionnaire is not lost: the draft and resuming from it ----------------------------

FRESH = {   # a whole session from an empty start, by question key (the rest: what is offered)
    "exam_year": "2027", "registration.id_type": "居民身份证", "registration.id_number": "120104198803150243",
    "registration.name": "李晓雯", "registration.mobile": "13812345678", "realname.method": "alipay",
    "scope": "会计人员", "basic.photo": "images/photo.jpg", "basic.id_front": "images/id_front.jpg",
    "basic.id_back": "images/id_back.jpg", "basic.hukou_tianjin": True, "basic.status": "在职在岗",
    "basic.address": "天津市南开区样本路1号", "education.0.mode": "全日制", "education.0.school": "天津样本财经大学",
    "education.0.level": "大学本科", "education.0.degree": "学士", "education.0.major": "会计学",
    "education.0.start": "2006-09", "education.0.end": "2010-07", "education.0.diploma_no": "199991201005001234",
    "education.0.diploma_image": "images/diploma.jpg", "education.0.degree_no": "1999942010001234",
    "education.0.degree_image": "images/degree.jpg", "education.0.overseas": False, "education.more": False,
    "work.any": True, "work.0.start": "2010-07", "work.0.end": "至今", "work.0.employer": "天津市样本会计服务有限公司",
    "work.0.credit_code": "91120104MA05T8KX3P", "work.0.unit_type": "企业", "work.0.industry": "M",
    "work.0.address": "天津市南开区样本路88号", "work.0.phone": "022-23456789", "work.0.accounting": True,
    "work.0.proof_image": "images/work_proof.jpg", "work.0.posts.0.title": "会计师",
    "work.0.posts.0.appointed": "2016-09", "work.0.posts.0.start": "2016-09", "work.0.posts.0.end": "至今",
    "work.0.posts.0.proof_image": "images/work_proof.jpg", "work.0.posts.more": False, "work.more": False,
    "department.district": "南开区", "department.pledge": True, "title.name": "会计师", "title.obtained": "2016-09",
    "title.certificate_image": "images/title_cert.jpg",
}


class Interrupted(Script):
    """A person who answers ``after`` questions and then presses Ctrl-C (or a crash: ``exc``)."""

    def __init__(self, answers: dict, after: int, exc: BaseException = KeyboardInterrupt()):
        super().__init__(answers)
        self.after, self.exc = after, exc

    def _next(self, q):
        if q.key != "resume" and len([k for k in self.asked if k != "resume"]) >= self.after:
            raise self.exc
        return super()._next(q)


def at_terminal(monkeypatch, script: Script) -> None:
    """`tjcheck init` as if typed at a terminal, answered by ``script``."""
    import tjcheck.cli
    import tjcheck.questionnaire.prompts as prompts

    monkeypatch.setattr(tjcheck.cli, "_has_terminal", lambda: True)
    monkeypatch.setattr(prompts, "TerminalPrompter", lambda *a, **kw: script)


def session(monkeypatch, script: Script, target: Path, *extra: str):
    at_terminal(monkeypatch, script)
    return runner.invoke(app, ["init", str(target), *extra])


def draft_of(target: Path) -> Path:
    return target.with_name(target.name + ".draft")


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory) -> dict:
    """The profile a whole session of FRESH answers writes, as read back."""
    folder = _folder(tmp_path_factory.mktemp("uninterrupted"))
    with pytest.MonkeyPatch.context() as monkeypatch:
        result = session(monkeypatch, Script(FRESH), folder / "profile.yaml")
    assert result.exit_code == 0, result.output
    return load_yaml(folder / "profile.yaml").data


@pytest.mark.parametrize("after", [4, 30])
def test_ctrl_c_keeps_a_draft_and_the_next_run_resumes_from_it(tmp_path, monkeypatch, after, uninterrupted):
    folder = _folder(tmp_path)
    target = folder / "profile.yaml"
    first = Interrupted(FRESH, after)
    result = session(monkeypatch, first, target)
    assert result.exit_code == 130 and not target.exists()
    assert str(draft_of(target)) in result.output and "草稿" in result.output
    answered = set(first.asked)

    second = Script({k: v for k, v in FRESH.items() if k not in answered})   # the rest: from the draft
    result = session(monkeypatch, second, target)
    assert result.exit_code == 0, result.output
    assert second.asked[0] == "resume" and "resume" not in first.asked
    assert load_yaml(target).data == uninterrupted
    assert not draft_of(target).exists()                    # removed once the profile is written
    assert sorted(p.name for p in folder.iterdir()) == ["images", "profile.yaml"]


def test_a_draft_keeps_changed_answers_and_the_rest_of_from(tmp_path, monkeypatch):
    folder = _folder(tmp_path)
    # changed answers that the shipped ID card does not contradict (a changed name would: DC002)
    changed = {"registration.mobile": "13912345678", "basic.address": "天津市河西区样本道 2 号"}
    reference = session(monkeypatch, Script(changed), folder / "reference.yaml", "--from", str(PASSING))
    assert reference.exit_code == 0, reference.output
    target = folder / "profile.yaml"
    result = session(monkeypatch, Interrupted(changed, 16), target, "--from", str(PASSING))
    assert result.exit_code == 130 and draft_of(target).exists()
    result = session(monkeypatch, Script(), target)        # resumed without --from: the draft holds it all
    assert result.exit_code == 0, result.output
    assert load_yaml(target).data == load_yaml(folder / "reference.yaml").data


def test_a_crash_keeps_a_draft_too(tmp_path, monkeypatch):
    folder = _folder(tmp_path)
    target = folder / "profile.yaml"
    result = session(monkeypatch, Interrupted(FRESH, 5, RuntimeError("boom")), target)
    assert isinstance(result.exception, RuntimeError)      # still an internal error (exit 3 in main())
    assert str(draft_of(target)) in result.output and not target.exists()
    assert load_yaml(draft_of(target)).data["registration"]["name"] == "李晓雯"


def test_declining_the_draft_starts_afresh_and_keeps_it_until_the_profile_is_written(tmp_path, monkeypatch):
    folder = _folder(tmp_path)
    target = folder / "profile.yaml"
    session(monkeypatch, Interrupted(FRESH, 6), target)
    kept = draft_of(target).read_bytes()
    again = Interrupted({"resume": False}, 0)              # "no", then Ctrl-C at once: the draft is untouched
    result = session(monkeypatch, again, target)
    assert result.exit_code == 130 and draft_of(target).read_bytes() == kept
    fresh = Script({**FRESH, "resume": False, "registration.mobile": "13912345678"})
    result = session(monkeypatch, fresh, target)
    assert result.exit_code == 0, result.output
    assert fresh.rejected == {} and load_yaml(target).data["registration"]["mobile"] == "13912345678"
    assert not draft_of(target).exists()


def test_ctrl_c_before_any_answer_keeps_nothing(tmp_path, monkeypatch):
    result = session(monkeypatch, Interrupted(FRESH, 0), tmp_path / "p.yaml")
    assert result.exit_code == 130 and "未写入" in result.output
    assert list(tmp_path.iterdir()) == []


def test_answers_file_neither_asks_about_nor_touches_a_draft(tmp_path, monkeypatch):
    folder = _folder(tmp_path)
    target = folder / "profile.yaml"
    session(monkeypatch, Interrupted(FRESH, 6), target)
    kept = draft_of(target).read_bytes()
    monkeypatch.undo()
    result = runner.invoke(app, ["init", str(target), "--answers", str(PASSING)])
    assert result.exit_code == 0, result.output
    assert draft_of(target).read_bytes() == kept and str(draft_of(target)) in result.output


def test_a_draft_holds_no_password_and_is_not_a_profile_to_batch(tmp_path, monkeypatch):
    from tjcheck.batch.run import find_profiles

    folder = _folder(tmp_path)
    source = folder / "mine.yaml"
    source.write_text(PASSING.read_text("utf-8").replace("  mobile:", "  password: Secret#2026\n  mobile:"), "utf-8")
    person = folder / "张三"
    result = session(monkeypatch, Interrupted({}, 10), person / "profile.yaml", "--from", str(source))
    assert result.exit_code == 130 and "Secret#2026" not in result.output
    draft = draft_of(person / "profile.yaml")
    assert "Secret#2026" not in draft.read_text("utf-8") and "草稿" in draft.read_text("utf-8")
    assert find_profiles(folder, "profile.yaml") == [] and draft not in find_profiles(folder, "*.yaml")
    assert load_profile(draft).profile.registration.mobile == "13812345678"   # a readable profile, by name


def test_a_broken_draft_is_named_not_a_traceback(tmp_path, monkeypatch):
    target = tmp_path / "profile.yaml"
    draft_of(target).write_text("registration: [\n", "utf-8")
    result = session(monkeypatch, Script(FRESH), target)
    assert result.exit_code == 2 and str(draft_of(target)) in result.output and "删除" in result.output
