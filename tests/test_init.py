"""tjcheck init: the questionnaire driven by a scripted prompter through its branches, and
the command's safety rules (no overwrite without --force, nothing written on Ctrl-C, no
hang without a terminal). tests/test_init_pty.py types a whole session in a real terminal."""
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


def test_a_password_in_the_answers_never_reaches_the_profile(tmp_path):
    folder = _folder(tmp_path)
    answers = folder / "answers.yaml"
    answers.write_text(PASSING.read_text("utf-8").replace("  mobile:", "  password: Secret#2026\n  mobile:"), "utf-8")
    result = runner.invoke(app, ["init", str(folder / "p.yaml"), "--answers", str(answers)])
    assert "Secret#2026" not in result.output and "密码已忽略" in result.output
    assert "Secret#2026" not in (folder / "p.yaml").read_text("utf-8")
