"""A profile written by tjcheck is always readable by tjcheck: written == read.

The writer (questionnaire/writer.py) is used by ``init`` and ``fix``; every file it writes is
read back with tjcheck's own loader before it is put in place. These tests write the shipped
examples and generated text of every awkward kind, in every kind of field, and read them back.
"""
from __future__ import annotations

import shutil
import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tjcheck.cli import app
from tjcheck.engine import load_ruleset
from tjcheck.profile import Profile, load_profile, take_secrets
from tjcheck.questionnaire import writer
from tjcheck.questionnaire.writer import NotReadBack, as_read, render, scalar, write_new
from tjcheck.yamlload import load_yaml

from .conftest import EXAMPLES, FAILING, PASSING

runner = CliRunner()


def written_and_read(data: dict, folder: Path) -> Path:
    target = folder / "written.yaml"
    target.unlink(missing_ok=True)
    target.write_text(render(data), "utf-8")
    return target


@pytest.mark.parametrize("example", [PASSING, FAILING], ids=["passing", "failing"])
def test_the_examples_read_back_as_written(example, tmp_path):
    data = load_yaml(example).data
    keys = load_ruleset()["identity"]["password_keys"]
    take_secrets(data, {k.lower() for k in keys})        # as init and fix do: a password is never written
    target = tmp_path / "profile.yaml"
    write_new(target, data, force=False)
    assert load_yaml(target).data == as_read(data)
    assert load_profile(target).profile == load_profile(example, keys).profile


# --- generated values -----------------------------------------------------------------------

AWKWARD = ["", " ", "  lead", "trail  ", "0", "007", "120104198803150243", "13812345678", "1e3", "0x1F", "1_000",
           "yes", "no", "Yes", "NO", "on", "off", "y", "n", "true", "false", "True", "null", "Null", "~", "None",
           "---", "...", "--- x", "... x", "- x", "-", "? x", "?", ": x", ":", "a: b", "a:b", "a #b", "#x", "a#b",
           "*x", "&x", "!x", "!!str x", "%YAML", "@x", "`x", "|", ">", "[x]", "{x: y}", ",x", "'", '"', "'x'",
           '"x"', "x'", 'x"', "\\", "\\n", "a\nb", "a\r\nb", "\r", "\n", "\t", "a\tb", "\tlead", "trail\t",
           "a\x85b", "\x85", "a\u2028b", "a\u2029b", "\ufeffbom", "bom\ufeff", "\x00", "\x07", "\x1b[31mred",
           "\x7f", "\x9b", "\u200b", "\u202eevil", "\ue000", "\uffff", "\U0001f600", "2010-07", "2010-07-01",
           "2010年7月", "12:30", "1:20:30", "=", "<<", "天津市 南开区 样本路 1 号", "李晓雯", "a  b", "a \n b",
           "x" * 20_000, ("word " * 3_000).strip(), " " + "长 " * 6_000]

texts = st.one_of(
    st.sampled_from(AWKWARD),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=40),        # any character YAML can hold
    st.text(st.sampled_from(string.printable + "\x85\u2028\u2029\ufeff\xa0长"), max_size=40),
    st.builds(lambda a, b: a + b, st.sampled_from(AWKWARD[:60]), st.text(max_size=10).filter(
        lambda s: all(not 0xD800 <= ord(c) <= 0xDFFF for c in s))),
    st.builds(lambda word, n: (word + " ") * n, st.text(st.sampled_from("ab长 :#-"), min_size=1, max_size=8),
              st.integers(1_000, 3_000)),                                     # very long, with spaces
)
months = st.builds(lambda y, m, sep: f"{y}{sep}{m:02d}" if sep != "年" else f"{y}年{m}月",
                   st.integers(1950, 2030), st.integers(1, 12), st.sampled_from(["-", ".", "/", "年"]))
days = st.builds(lambda y, m, d: f"{y}-{m:02d}-{d:02d}", st.integers(1950, 2030), st.integers(1, 12),
                 st.integers(1, 28))
dates = st.one_of(months, days)
flags = st.one_of(st.booleans(), st.sampled_from(["是", "否", "有", "无"]))
files = st.lists(texts, min_size=0, max_size=3)
optional_text = st.one_of(st.none(), texts)


def model(**fields):
    return st.fixed_dictionaries({}, optional=fields)


profiles = st.fixed_dictionaries({"version": st.just(1)}, optional={
    "exam_year": st.integers(2000, 2100),
    "registration": model(id_type=texts, id_number=texts, name=texts, mobile=texts),
    "realname": model(method=texts, id_front=files, id_back=files, id_handheld=files, province=optional_text),
    "scope": texts,
    "basic": model(photo=files, gender=texts, birth_date=dates, id_front=files, hukou_tianjin=flags,
                   status=texts, residence_permit=files, address=optional_text),
    "education": st.lists(model(mode=texts, school=texts, start=dates,
                                end=st.one_of(dates, st.just("在读")), diploma_image=files,
                                overseas=flags, school_address=texts), max_size=2),
    "work": st.lists(model(start=dates, end=st.one_of(dates, st.just("至今")), employer=texts, phone=texts,
                           accounting=flags, proof_image=files,
                           posts=st.lists(model(title=texts, appointed=dates, proof_image=files), max_size=2)),
                     max_size=2),
    "department": model(district=texts, pledge=flags),
    "title": model(name=texts, obtained=dates, certificate_no=optional_text, certificate_image=files),
})


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(data=profiles)
def test_generated_profiles_read_back_as_written(data, tmp_path):
    target = written_and_read(data, tmp_path)
    assert load_yaml(target).data == as_read(data)
    assert load_profile(target).profile == Profile.model_validate(data)


@settings(max_examples=400, deadline=None)
@given(text=texts)
def test_every_text_is_one_line_that_reads_back(text):
    written = scalar(text)
    assert "\n" not in written and "\r" not in written
    assert load_text(f"key: {written}  # comment\n") == {"key": text}
    assert load_text(f"a:\n  b:\n    - {written}\n") == {"a": {"b": [text]}}


def load_text(text: str):
    import yaml

    from tjcheck.yamlload import _TextLoader

    return yaml.load(text, Loader=_TextLoader)


# --- the commands: init --answers and fix write what they were given ---------------------------

LONG = ("天津市南开区 " + "样本路 1 号 " * 2_000).strip()   # over 10,000 characters, with spaces
ODD = {"address": LONG, "name": "李\x85晓雯", "city": "天津\u2028市", "certificate_no": None}


def odd_profile(folder: Path) -> Path:
    text = PASSING.read_text("utf-8")
    text = text.replace("address: 天津市南开区样本路1号", f'address: "{LONG}"', 1)
    text = text.replace("name: 李晓雯", 'name: "李\\N晓雯"', 1)            # \N is YAML's NEL
    text = text.replace("city: 天津市", 'city: "天津\\L市"', 1)            # \L is LS
    text = text.replace("  name: 会计师\n", "  name: 会计师\n  certificate_no:\n", 1)
    text = text.replace("id_handheld: images/id_handheld.jpg", "id_handheld: []", 1)
    assert text.count(LONG) == 1 and "\\N" in text and "\\L" in text and "certificate_no:\n" in text
    assert "id_handheld: []" in text
    path = folder / "answers.yaml"
    path.write_text(text, "utf-8")
    return path


def test_init_answers_writes_odd_values_that_read_back(tmp_path):
    shutil.copytree(EXAMPLES / "passing" / "images", tmp_path / "images")
    answers = odd_profile(tmp_path)
    out = tmp_path / "profile.yaml"
    result = runner.invoke(app, ["init", str(out), "--answers", str(answers)])
    assert result.exit_code in (0, 1) and "已写入" in result.output, result.output   # 1: the name has a NEL
    written = load_profile(out).profile
    assert written.basic.address == LONG and written.registration.name == "李\x85晓雯"
    assert written.realname.city == "天津\u2028市" and written.title.certificate_no is None
    assert written == load_profile(answers).profile


def test_fix_writes_odd_values_that_read_back(tmp_path):
    from PIL import Image

    person = tmp_path / "in"
    shutil.copytree(EXAMPLES / "passing", person)
    answers = odd_profile(person)
    Image.open(person / "images" / "diploma.jpg").save(person / "images" / "diploma.png")   # something to fix
    profile = person / "profile.yaml"
    profile.write_text(answers.read_text("utf-8").replace("diploma_image: images/diploma.jpg",
                                                          "diploma_image: images/diploma.png"), "utf-8")
    from tjcheck.fixing.fix import fix_profile

    result = fix_profile(profile, tmp_path / "out", "zh", recheck=False)
    assert result.new_profile is not None
    written = load_profile(result.new_profile).profile
    assert written.basic.address == LONG and written.registration.name == "李\x85晓雯"
    assert written.realname.city == "天津\u2028市"


# --- a file that would not read back is never put in place ------------------------------------

def lossy(value):
    """A writer bug: a text loses its last character."""
    text = scalar(value)
    return text[:-2] + text[-1] if text.endswith("'") and len(text) > 3 else text


def test_a_profile_that_does_not_read_back_is_not_written(tmp_path, monkeypatch):
    monkeypatch.setattr(writer, "scalar", lossy)
    target = tmp_path / "p.yaml"
    with pytest.raises(NotReadBack) as err:
        write_new(target, load_yaml(PASSING).data, force=False)
    assert "registration.id_number" in err.value.en and "bug" in err.value.en
    assert list(tmp_path.iterdir()) == []     # neither the profile nor a temporary file


def test_init_says_it_is_a_bug_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(writer, "scalar", lossy)
    shutil.copytree(EXAMPLES / "passing" / "images", tmp_path / "images")
    result = runner.invoke(app, ["init", str(tmp_path / "p.yaml"), "--answers", str(PASSING)])
    assert result.exit_code == 3, result.output
    assert "内部错误" in result.output and "未写入" in result.output and "registration.id_number" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["images"]


def test_fix_writes_nothing_when_its_profile_does_not_read_back(tmp_path, monkeypatch):
    from PIL import Image

    from tjcheck.fixing.fix import fix_profile

    person = tmp_path / "in"
    shutil.copytree(EXAMPLES / "passing", person)
    Image.open(person / "images" / "diploma.jpg").save(person / "images" / "diploma.png")
    profile = person / "profile.yaml"
    profile.write_text(profile.read_text("utf-8").replace("diploma_image: images/diploma.jpg",
                                                          "diploma_image: images/diploma.png"), "utf-8")
    monkeypatch.setattr(writer, "scalar", lossy)
    with pytest.raises(NotReadBack):
        fix_profile(profile, tmp_path / "out", "zh", recheck=False)
    assert not (tmp_path / "out").exists()      # the copies it had written are removed too
    result = runner.invoke(app, ["fix", str(profile), "--out", str(tmp_path / "out")])
    assert result.exit_code == 3 and "内部错误" in result.output and not (tmp_path / "out").exists()
