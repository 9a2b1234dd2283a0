"""The YAML reader's limits: anchors and aliases are expanded within a depth and a size,
an alias inside the value it names (which would expand for ever) is refused with its line,
and nesting too deep for a profile is refused before anything recursive sees it."""
from __future__ import annotations

import pytest
import yaml
from typer.testing import CliRunner

from tjcheck import yamlload
from tjcheck.cli import app
from tjcheck.errors import InputError
from tjcheck.yamlload import MAX_DEPTH, load_yaml

from .conftest import PASSING


def verify(path):
    result = CliRunner().invoke(app, ["verify", str(path), "--as-of", "2026-11-26"])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


RECURSIVE = [
    # (text, line of the alias that names a value it is inside of)
    ("a: &x [*x]\n", 1),
    ("registration: &r\n  name: *r\n", 2),
    ("work:\n  - &job\n    employer: x\n    posts:\n      - title: *job\n", 5),
    ("a: &x\n  b:\n    - c: {d: [1, *x]}\n", 3),
    ("&top\nregistration:\n  name: *top\n", 3),
]


@pytest.mark.parametrize("text,line", RECURSIVE)
def test_an_alias_inside_its_own_anchor_is_refused_with_its_line(tmp_path, text, line):
    path = tmp_path / "profile.yaml"
    path.write_text(text, "utf-8")
    with pytest.raises(InputError) as err:
        load_yaml(path)
    assert err.value.line == line and "别名" in err.value.zh and "refers to the value it is inside" in err.value.en
    result = verify(path)
    assert result.exit_code == 2 and f"{path}:{line}" in result.stderr and "别名" in result.stderr


def test_a_reused_value_is_expanded(tmp_path):
    """&wp / *wp: one proof of work used for two posts reads as if written twice."""
    text = PASSING.read_text("utf-8")
    assert text.count("proof_image: images/work_proof.jpg") == 3
    text = text.replace("proof_image: images/work_proof.jpg", "proof_image: &wp images/work_proof.jpg", 1)
    text = text.replace("proof_image: images/work_proof.jpg", "proof_image: *wp")
    path = tmp_path / "profile.yaml"
    path.write_text(text, "utf-8")
    (tmp_path / "images").symlink_to(PASSING.parent / "images")
    assert load_yaml(path).data == load_yaml(PASSING).data
    assert verify(path).exit_code == 0


def test_a_reused_mapping_is_expanded_as_separate_copies(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("a: &m {k: [v]}\nb: *m\nc: [*m, *m]\n", "utf-8")
    data = load_yaml(path).data
    assert data == {"a": {"k": ["v"]}, "b": {"k": ["v"]}, "c": [{"k": ["v"]}, {"k": ["v"]}]}
    data["b"]["k"].append("w")   # tjcheck fix edits the data in place: copies must not share
    assert data["a"] == {"k": ["v"]} and data["c"][0] == {"k": ["v"]}


def test_aliases_that_expand_too_deep_are_refused(tmp_path):
    """Each anchor nests the previous one a level deeper: shallow as written, deep once expanded."""
    lines = ["a0: &a0 [x]"] + [f"a{i}: &a{i} [*a{i - 1}]" for i in range(1, MAX_DEPTH + 5)]
    path = tmp_path / "p.yaml"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    with pytest.raises(InputError) as err:
        load_yaml(path)
    assert "嵌套" in err.value.zh and err.value.line is not None and err.value.line < len(lines)


def test_aliases_that_expand_too_far_are_refused_with_the_alias_line(tmp_path):
    lines = ["a: &a [" + ", ".join(["x"] * 30) + "]"] + \
        [f"{n}: &{n} [" + ", ".join([f"*{p}"] * 30) + "]" for p, n in zip("abcd", "bcde")]
    path = tmp_path / "p.yaml"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    with pytest.raises(InputError) as err:
        load_yaml(path)
    assert "别名" in err.value.zh and err.value.line == 3   # 30 + 900 + 27 000 values: c is too many


DEEP = {
    "10,000 [": "[" * 10_000 + "]" * 10_000 + "\n",
    "500 [": "[" * 500 + "]" * 500 + "\n",
    "500 {": "{a: " * 500 + "x" + "}" * 500 + "\n",
    "300 nested keys": "".join(" " * i + "a:\n" for i in range(300)) + " " * 300 + "x\n",
    "300 nested items": "".join(" " * (2 * i) + "-\n" for i in range(300)) + " " * 600 + "x\n",
}


@pytest.mark.parametrize("text", DEEP.values(), ids=DEEP.keys())
def test_deep_nesting_is_refused_not_a_recursion_error(tmp_path, text):
    path = tmp_path / "profile.yaml"
    path.write_text(text, "utf-8")
    result = verify(path)
    assert result.exit_code == 2 and "嵌套" in result.stderr, result.stderr
    assert f"{path}:" in result.stderr


@pytest.mark.parametrize("text", [DEEP["10,000 ["], RECURSIVE[1][0]], ids=["deep", "recursive"])
def test_the_pure_python_parser_is_bounded_too(tmp_path, monkeypatch, text):
    """Without libyaml (PyYAML built without it) the Python composer recurses per level."""
    monkeypatch.setattr(yamlload, "_TextLoader", yamlload.text_loader(yaml.SafeLoader))
    path = tmp_path / "p.yaml"
    path.write_text(text, "utf-8")
    with pytest.raises(InputError):
        load_yaml(path)


def test_a_profile_as_deep_as_allowed_still_reads(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("[" * MAX_DEPTH + "x" + "]" * MAX_DEPTH + "\n", "utf-8")
    data = load_yaml(path).data
    for _ in range(MAX_DEPTH):
        data = data[0]
    assert data == "x"
