"""Write a profile as commented YAML, atomically, never over a file without ``--force``.

The keys follow the profile model's order (the platform's order), and each line's comment
names the platform's field in Chinese and English, taken from the model itself, so the
file explains itself the way examples/passing/profile.yaml does.
"""
from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import yaml
from rich.cells import cell_len  # terminal columns: Chinese characters take two

from ..atomic import write_atomic
from ..errors import InputError
from ..profile import Profile, _Model, _model_at

COMMENT_COLUMN = 34
HEADER = """\
# yaml-language-server: $schema=https://tjcheck.invalid/profile-v1.schema.json
# tjcheck 档案：由 tjcheck init 生成 / written by tjcheck init ({when})
# 检查：tjcheck verify {name}    修改：tjcheck init --from {name} --force
# 图片路径相对于本文件 / image paths are relative to this file.
# 密码不要写在这里 / never put a password in this file.
"""


def scalar(value) -> str:
    """One YAML scalar. tjcheck reads every scalar as text, so quoting is only what YAML
    syntax needs, plus digit strings (ID and phone numbers) so other tools keep them text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    dumped = yaml.safe_dump(text, allow_unicode=True, default_flow_style=True, width=10_000).strip()
    if dumped.endswith("\n..."):
        dumped = dumped[:-4].strip()
    if dumped.endswith("..."):
        dumped = dumped[:-3].strip()
    if text.isdigit() and not dumped.startswith(("'", '"')):
        dumped = f'"{text}"'
    return dumped


def _comment(model: type[_Model] | None, key: str) -> str:
    if model is None or key not in model.model_fields:
        return ""
    return f"{model.label(key, 'zh')} / {model.label(key, 'en')}"


def _line(indent: str, text: str, comment: str) -> str:
    if not comment:
        return indent + text
    body = indent + text
    return body + " " * max(1, COMMENT_COLUMN - cell_len(body)) + f"# {comment}"


def _typed(model: type[_Model] | None, key: str, value):
    """Text from a profile read back (tjcheck keeps every scalar as text) in the type its
    field has, so a yes/no is written true/false and a year as a number."""
    if model is None or key not in model.model_fields or not isinstance(value, str):
        return value
    kind = str(model.model_fields[key].annotation)
    if "bool" in kind and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    if "int" in kind and value.strip().isdigit():
        return int(value)
    return value


def _emit(data: dict, path: tuple, indent: str, out: list[str], first_prefix: str | None = None) -> None:
    model = _model_at(path)
    order = list(model.model_fields) if model else []
    keys = [k for k in order if k in data] + [k for k in data if k not in order]
    for i, key in enumerate(keys):
        value = _typed(model, key, data[key])
        lead = first_prefix if (first_prefix is not None and i == 0) else indent
        comment = _comment(model, key)
        if isinstance(value, dict):
            out.append(_line(lead, f"{key}:", comment))
            _emit(value, path + (key,), indent + "  ", out)
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            out.append(_line(lead, f"{key}:", comment))
            for j, item in enumerate(value):
                _emit(item, path + (key, j), indent + "    ", out, first_prefix=indent + "  - ")
        elif isinstance(value, list):
            if len(value) == 1:
                out.append(_line(lead, f"{key}: {scalar(value[0])}", comment))
            else:
                out.append(_line(lead, f"{key}:", comment))
                out.extend(f"{indent}  - {scalar(v)}" for v in value)
        else:
            out.append(_line(lead, f"{key}: {scalar(value)}", comment))


def render(data: dict, name: str = "profile.yaml") -> str:
    """The profile ``data`` (plain dicts, lists and scalars) as commented YAML text."""
    out = [HEADER.format(when=datetime.now().strftime("%Y-%m-%d %H:%M"), name=name).rstrip("\n")]
    top = {k: v for k, v in data.items() if k in ("version", "exam_year")}
    rest = {k: v for k, v in data.items() if k not in top}
    _emit(top, (), "", out)
    for key in Profile.model_fields:
        if key in rest:
            out.append("")
            _emit({key: rest.pop(key)}, (), "", out)
    if rest:
        _emit(rest, (), "", out)
    return "\n".join(out) + "\n"


def write_new(target: Path, text: str, force: bool) -> Path | None:
    """Write ``text`` to ``target`` atomically (a temporary file in the same folder, then a
    rename), so an interrupted run never leaves half a file. An existing file is refused
    unless ``force``; then it is first copied to a backup, whose path is returned."""
    backup = None
    if target.exists() and not force:
        raise InputError(target, "文件已存在，不会覆盖。换一个文件名，或加 --force（会先备份原文件）。",
                         "the file exists and will not be overwritten: choose another name, or add --force "
                         "(the old file is backed up first).")
    if target.is_dir():
        raise InputError(target, "这是一个文件夹，请给出档案文件名，如 profile.yaml。",
                         "this is a folder: give a file name such as profile.yaml.")
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        backup = target.with_name(f"{target.name}.{stamp}.bak")
        shutil.copy2(target, backup)
    write_atomic(target, text.encode("utf-8"))
    return backup
